"""Reading self-checks: where the pipeline doubts its own reading of a document. They are ours,
not the report's: a failure here is a misreading to look at, never an error of the report.

- `figure_on_page`: each running-text figure's text stands in the text of the page it names.
- `text_read_once`: no page reads again a stretch of READ_TWICE characters or more (whitespace
  aside) of the page before it: text read twice, as a text frame drawn whole on both sides of a
  page break is when its clip is not heeded. Reports do print shorter stretches again (a table's
  notes under each of its pages, a sentence restated), and some longer ones: on ../shared/corpus
  the pages this flags after the clip was heeded print their text twice (checked on the page).
- `numeric_cells_read`: every numeric cell of a ruled table became a value, or is explained: a
  copy of a merged cell, a 科目编码 (3, 5 or 7 digits, or 2 under a 款/项 header), a year or
  date, a cell of the 栏次 row, a cell under a header that names codes, numbers or years.
- `table_sums_hold`: each table's own sums (the table_sum checks) all hold; a table that fails
  SUSPECT_SUMS or more of them is probably misread.
- `ocr_confidence`: the figures of OCR'd pages read with a confidence we trust.

Each gives one row: how many things it checked, how many failed, the pages they stand on and a
few examples for a reviewer.
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.tables.model import CODE, COLUMN_NUMBERS
from pipeline.vocabulary import CheckFamily, FigureSource, ReadingCheck, TextSource

READ_TWICE = 200
SUSPECT_SUMS = 2
EXAMPLES = 5
WHITESPACE = re.compile(r"\s+")
NUMERIC = re.compile(r"^[-+]?(?:\d[\d,，]*(?:\.\d+)?|\.\d+)%?$")
SHORT_CODE = re.compile(r"^\d{2}$")
YEAR_OR_DATE = re.compile(r"^(?:19|20)\d{2}(?:[年./-]\d{1,2}(?:[月./-]\d{1,2}日?)?|年)?$")
EXPLAINING_HEADER = re.compile(r"编码|代码|编号|序号|栏次|行次|^[类款项]$|年度|年份|日期|时间")


def reading_checks(record: dict[str, Any], checks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return one row per reading self-check of a document (see the module's docstring)."""
    return [
        figures_on_their_page(record["figures"], record["pages"]),
        text_read_once(record["pages"]),
        numeric_cells_read(record["tables"], record["table_values"]),
        table_sums_hold(checks, record["doc_tables"]),
        ocr_confidence(record["figures"], record["pages"]),
    ]


def _row(check: ReadingCheck, checked: int, failed: list[tuple[int | None, str]]) -> dict:
    pages = sorted({page for page, _ in failed if page is not None})
    return {
        "check": check,
        "checked": checked,
        "failed": len(failed),
        "rate": len(failed) / checked if checked else None,
        "pages": pages,
        "examples": [f"p.{page}: {text}" for page, text in failed[:EXAMPLES]],
    }


def _squeezed(text: str | None) -> str:
    return WHITESPACE.sub("", text or "")


def figures_on_their_page(figures: list[dict], pages: list[dict]) -> dict[str, Any]:
    """Return the check that each running-text figure stands in its page's text (a figure
    printed across a page break, 合计 at the foot of one page and 48.2亿元 atop the next, stands
    on both)."""
    texts = {page["page_no"]: _squeezed(page["text"]) for page in pages}
    shown = [f for f in figures if f["source"] == FigureSource.TEXT]
    failed = [
        (f["page_no"], f"{f['text']} (not in the text of page {f['page_no']})")
        for f in shown
        if not _stands_on(_squeezed(f["text"]), f["page_no"], texts)
    ]
    return _row(ReadingCheck.FIGURE_ON_PAGE, len(shown), failed)


def _stands_on(text: str, page_no: int | None, texts: dict[int, str]) -> bool:
    """Return whether a text stands in a page's text, alone or running on from the page before
    or into the next."""
    own = texts.get(page_no, "") if page_no is not None else ""
    if not own:
        return False
    before, after = texts.get(page_no - 1, ""), texts.get(page_no + 1, "")
    joined, start, end = before + own + after, len(before), len(before) + len(own)
    found = joined.find(text)
    while found != -1 and found + len(text) <= start:
        found = joined.find(text, found + 1)
    return found != -1 and found < end


def text_read_once(pages: list[dict]) -> dict[str, Any]:
    """Return the check that no page reads again READ_TWICE characters or more of the page
    before it (a text frame drawn whole on both sides of a page break, read without its clip)."""
    failed = []
    read = [(page["page_no"], _squeezed(page["text"])) for page in pages]
    for (before_no, before), (page_no, text) in zip(read, read[1:], strict=False):
        stretch = longest_shared(before, text)
        if len(stretch) >= READ_TWICE:
            failed.append((page_no, f"{len(stretch)} characters of page {before_no} read again: "
                                    f"“{stretch[:30]}…”"))  # fmt: skip
    return _row(ReadingCheck.TEXT_ONCE, sum(1 for _, text in read if text), failed)


def longest_shared(a: str, b: str, seed: int = 20) -> str:
    """Return the longest stretch of b that also stands in a, found from shared runs of `seed`
    characters (shorter stretches are not looked for)."""
    starts: dict[str, int] = {}
    for i in range(len(a) - seed + 1):
        starts.setdefault(a[i : i + seed], i)
    best, j = "", 0
    while j <= len(b) - seed:
        i = starts.get(b[j : j + seed])
        if i is None:
            j += 1
            continue
        n = seed
        while i + n < len(a) and j + n < len(b) and a[i + n] == b[j + n]:
            n += 1
        best = max(best, b[j : j + n], key=len)
        j += n
    return best


def numeric_cells_read(tables: list[dict], values: list[dict]) -> dict[str, Any]:
    """Return the check that every numeric cell of a ruled table became a value or is
    explained (a copy of a merged cell, a code, a year or date, a 栏次 or 序号, a cell under
    such a header)."""
    taken = {(v["cells_table_id"], v["row"], v["col"]) for v in values}
    checked, failed = 0, []
    for table in tables:
        rows = table["rows"]
        copies = {(r, c) for r, c in table.get("covered", [])}  # a merged cell spread out
        for r, cells in enumerate(rows):
            for c, cell in enumerate(cells):
                text = _squeezed(cell)
                if not NUMERIC.match(text):
                    continue
                checked += 1
                if (table["table_id"], r, c) in taken or (r, c) in copies:
                    continue
                if not _explained(text, rows, r, c):
                    where = f"table {table['table_id']}, row {r}, column {c}"
                    failed.append((table["page_no"], f"{text} ({where})"))
    return _row(ReadingCheck.CELLS_READ, checked, failed)


def _explained(text: str, rows: list[list[str]], r: int, c: int) -> bool:
    """Return whether a numeric cell that is no value is one no value is expected of."""
    if CODE.match(text) or YEAR_OR_DATE.match(text) or _is_column_numbers(rows[r]):
        return True
    above = [_squeezed(row[c]) for row in rows[:r] if c < len(row)]
    if any(EXPLAINING_HEADER.search(cell) for cell in above if not NUMERIC.match(cell)):
        return True
    return bool(SHORT_CODE.match(text)) and any(cell in "款项" for cell in above if cell)


def _is_column_numbers(cells: list[str]) -> bool:
    """Return whether a row numbers the columns: labelled 栏次 or 行次, or 1 2 3 … in order."""
    numbers = [_squeezed(cell) for cell in cells if _squeezed(cell)]
    if any(COLUMN_NUMBERS.match(cell) for cell in numbers):
        return True
    digits = [int(n) for n in numbers if n.isdigit() and len(n) <= 2]
    return len(digits) >= 3 and len(digits) >= len(numbers) - 2 and digits == sorted(digits)


def table_sums_hold(checks: list[dict], tables: list[dict]) -> dict[str, Any]:
    """Return the check that each table's own sums hold: a table with a failed sum fails; the
    example says when it failed SUSPECT_SUMS or more (probably misread)."""
    titles = {t["table_id"]: t["title"] or t["kind"] for t in tables}
    pages = {t["table_id"]: t["first_page"] for t in tables}
    misses: dict[int, int] = {}
    checked = set()
    for row in checks:
        if row["family"] == CheckFamily.TABLE_SUM and row["table_id"] is not None:
            checked.add(row["table_id"])
            misses[row["table_id"]] = misses.get(row["table_id"], 0) + (not row["ok"])
    failed = [
        (pages.get(table), f"{titles.get(table)}: {n} sums fail"
         + (" (probably misread)" if n >= SUSPECT_SUMS else ""))
        for table, n in sorted(misses.items()) if n
    ]  # fmt: skip
    return _row(ReadingCheck.TABLE_SUMS, len(checked), failed)


def ocr_confidence(figures: list[dict], pages: list[dict]) -> dict[str, Any]:
    """Return the check that the figures of OCR'd pages were read with a trusted confidence."""
    ocr_pages = {p["page_no"] for p in pages if p.get("source") == TextSource.OCR}
    read = [f for f in figures if f["page_no"] in ocr_pages]
    failed = [(f["page_no"], f"{f['text']} (confidence {f['ocr_confidence']:.0f})")
              for f in read if f.get("low_confidence")]  # fmt: skip
    return _row(ReadingCheck.OCR_CONFIDENCE, len(read), failed)
