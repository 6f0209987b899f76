"""A static review site over the tables of an output folder (`pipeline review`).

`DIR/review/index.html` lists every document (sortable by a click on a column header) with
charts of the headline metrics and of the failed checks by family; `DIR/review/doc/<doc_id>.html`
shows one document: its identity, its pages' text with each text figure marked by kind (its
value on hover), its tables, its metrics and its failed checks, each linking to its page.

The site is self-contained: CSS and JS inline, no network at view time. Every piece of text from
a report is escaped (the PDFs may be hostile); files are written atomically.
"""

from __future__ import annotations

import re
from collections import Counter
from html import escape
from pathlib import Path

import pandas as pd

from pipeline import io
from pipeline.errors import OutputMissingError
from pipeline.views.review.assets import CSS, SORT_JS
from pipeline.views.review.table_html import _cell, _number, _tables
from pipeline.vocabulary import CheckFamily, Kind, Severity

SITE_DIR = "review"
DOC_ID = re.compile(r"[0-9a-f]{16}")
# The headline metrics charted on the index, at most this many, the most widely reported first.
MAX_CHARTS = 6
KINDS = tuple(Kind)
OPTIONAL_TABLES = ("pages", "figures", "metrics", "checks", "doc_tables", "table_values",
                   "table_cells", "reading")  # fmt: skip


def build_site(out_dir: Path) -> Path:
    """Write the review site of the tables in `out_dir` into `out_dir/review/`; return the
    path of its index.html."""
    out_dir = Path(out_dir)
    documents = io.read_table(out_dir, "documents")
    tables = {name: _read_optional(out_dir, name) for name in OPTIONAL_TABLES}
    site = out_dir / SITE_DIR
    doc_dir = site / "doc"
    written = set()
    groups = {name: _by_doc(frame) for name, frame in tables.items()}
    for doc in documents.to_dict("records"):
        doc_id = str(doc["doc_id"])
        if not DOC_ID.fullmatch(doc_id):
            continue
        parts = {name: group.get(doc_id, _empty(tables[name])) for name, group in groups.items()}
        _write(doc_dir / f"{doc_id}.html", document_page(doc, parts))
        written.add(f"{doc_id}.html")
    for stale in doc_dir.glob("*.html") if doc_dir.exists() else ():
        if stale.name not in written:
            stale.unlink()
    index = site / "index.html"
    _write(index, index_page(documents, tables["checks"], tables["metrics"]))
    return index


def _read_optional(out_dir: Path, name: str) -> pd.DataFrame:
    try:
        return io.read_table(out_dir, name)
    except OutputMissingError:
        return pd.DataFrame(columns=["doc_id"])


def _by_doc(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return {str(doc_id): group for doc_id, group in frame.groupby("doc_id", sort=False)}


def _empty(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.iloc[0:0]


def _write(target: Path, html: str) -> None:
    with io.atomic_path(target) as tmp:
        tmp.write_text(html, encoding="utf-8")


def _frame(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
        f"<title>{escape(title)}</title><style>{CSS}</style></head>\n<body>\n{body}\n"
        f"<script>{SORT_JS}</script>\n</body></html>\n"
    )


INDEX_COLUMNS = [("organization", "organization"), ("year", "year"),
                 ("report_type", "report_type"), ("status", "status"), ("error", "error"),
                 ("n_pages", "pages"), ("n_figures", "figures"),
                 ("n_failed", "failed checks")]  # fmt: skip
NUMERIC = {"year", "n_pages", "n_figures", "n_failed"}


def index_page(documents: pd.DataFrame, checks: pd.DataFrame, metrics: pd.DataFrame) -> str:
    """Return the index page: the documents table and the charts."""
    failed = _failed(checks)
    n_failed = failed.groupby("doc_id").size() if len(failed) else pd.Series(dtype=int)
    header = "".join(
        f"<th>{escape(label)}</th>" for _, label in (("", "document"), *INDEX_COLUMNS)
    )
    rows = []
    for doc in documents.sort_values(["organization", "year", "source_path"],
                                     na_position="last").to_dict("records"):  # fmt: skip
        doc_id = str(doc["doc_id"])
        doc["n_failed"] = int(n_failed.get(doc_id, 0)) if doc["status"] == "ok" else None
        name = doc.get("title") if isinstance(doc.get("title"), str) else doc["source_path"]
        link = (f'<a href="doc/{doc_id}.html">{_cell(name)}</a>'
                if DOC_ID.fullmatch(doc_id) else _cell(name))  # fmt: skip
        cells = [f'<td data-sort="{_cell(name)}">{link}</td>']
        for key, _ in INDEX_COLUMNS:
            klass = ' class="num"' if key in NUMERIC else ""
            cells.append(f"<td{klass}>{_cell(doc.get(key))}</td>")
        klass = ' class="failed"' if doc["status"] != "ok" else ""
        rows.append(f'<tr{klass} data-doc="{escape(doc_id)}">{"".join(cells)}</tr>')
    n_ok = int((documents["status"] == "ok").sum())
    body = [
        "<h1>Reports</h1>",
        f"<p>{len(documents)} documents, {n_ok} read, {len(documents) - n_ok} failed; "
        f"{len(failed)} failed checks. Click a column header to sort.</p>",
        f'<table class="sortable" id="documents"><thead><tr>{header}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>",
        "<h2>Failed checks by family</h2>",
        _bars(
            [
                (family, float((failed["family"] == family).sum()) if len(failed) else 0.0)
                for family in CheckFamily
            ],
            unit="",
        ),  # fmt: skip
        "<h2>Headline metrics by organisation and year</h2>",
        _metric_charts(documents, metrics),
    ]
    return _frame("Reports", "\n".join(body))


def _failed(checks: pd.DataFrame) -> pd.DataFrame:
    if "ok" not in checks.columns:
        return checks
    return checks[~checks["ok"].astype(bool)]


def _metric_charts(documents: pd.DataFrame, metrics: pd.DataFrame) -> str:
    """Return a bar chart per headline metric: one bar per organisation and year (the body's
    own value, for the report's year)."""
    if "metric" not in metrics.columns or metrics.empty:
        return "<p>No headline metrics.</p>"
    who = documents[["doc_id", "organization", "year"]].rename(columns={"year": "year_doc"})
    own = metrics[metrics["scope"].isna()].merge(who, on="doc_id", how="left")
    own = own[own["year"].isna() | own["year_doc"].isna() | (own["year"] == own["year_doc"])]
    own = own.drop_duplicates(["doc_id", "metric"])
    counts = own.groupby("metric")["doc_id"].nunique().sort_values(ascending=False, kind="stable")
    charts = []
    for metric in counts.index[:MAX_CHARTS]:
        rows = own[own["metric"] == metric].sort_values(["organization", "year_doc"])
        bars = []
        for row in rows.to_dict("records"):
            org = row["organization"] if isinstance(row["organization"], str) else "?"
            year = _cell(row["year_doc"]) or "?"
            bars.append((f"{org} {year}", float(row["value"])))
        unit = rows["unit"].iloc[0] if len(rows) else ""
        charts.append(f'<div class="chart"><h3>{escape(str(metric))} ({escape(str(unit))})'
                      f"</h3>{_bars(bars, unit=str(unit))}</div>")  # fmt: skip
    return "\n".join(charts)


def _bars(bars: list[tuple[str, float]], unit: str) -> str:
    """Return an inline SVG horizontal bar chart of (label, value) pairs."""
    if not bars:
        return "<p>Nothing to chart.</p>"
    label_width, bar_width, height = 260, 260, 20
    top = max((abs(v) for _, v in bars), default=0) or 1
    parts = []
    for i, (label, value) in enumerate(bars):
        y = i * height
        width = abs(value) / top * bar_width
        shown = f"{value:,.2f}".rstrip("0").rstrip(".")
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 14}" text-anchor="end">{escape(label[:30])}'
            f"</text>"
            f'<rect x="{label_width}" y="{y + 3}" width="{width:.1f}" height="{height - 6}" '
            f'fill="{"#c44" if value < 0 else "#4a7bd0"}"><title>{escape(label)}: '
            f"{escape(shown)} {escape(unit)}</title></rect>"
            f'<text x="{label_width + width + 4:.1f}" y="{y + 14}">{escape(shown)}</text>'
        )
    total_width = label_width + bar_width + 90
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{total_width}" '
            f'height="{len(bars) * height}" role="img">{"".join(parts)}</svg>')  # fmt: skip


# ------------------------------------------------------------------------------- document


def document_page(doc: dict, parts: dict[str, pd.DataFrame]) -> str:
    """Return one document's page."""
    title = doc.get("title") if isinstance(doc.get("title"), str) else doc["source_path"]
    body = ['<p><a href="../index.html">← all reports</a></p>',
            f"<h1>{_cell(title)}</h1>", _identity(doc)]  # fmt: skip
    if doc["status"] == "ok":
        body += [
            "<h2>Failed checks</h2>", _checks(parts["checks"]),
            "<h2>Reading in doubt</h2>", _doubts(parts["reading"]),
            "<h2>Pages</h2>", _legend(), _pages(parts["pages"], parts["figures"]),
            "<h2>Tables</h2>",
            _tables(parts["doc_tables"], parts["table_values"], parts["table_cells"]),
            "<h2>Metrics</h2>", _metrics(parts["metrics"]),
        ]  # fmt: skip
    return _frame(str(title), "\n".join(body))


IDENTITY = ("doc_id", "source_path", "organization", "year", "report_type", "project",
            "n_pages", "n_chars", "text_source", "status", "error", "n_figures")  # fmt: skip


def _identity(doc: dict) -> str:
    rows = [f"<dt>{key}</dt><dd>{_cell(doc.get(key))}</dd>" for key in IDENTITY]
    warnings = doc.get("warnings")
    if warnings is not None and len(warnings):
        items = "".join(f"<li>{escape(str(w))}</li>" for w in warnings)
        rows.append(f'<dt>warnings</dt><dd class="wide"><ul>{items}</ul></dd>')
    return f'<dl class="identity">{"".join(rows)}</dl>'


def _doubts(reading: pd.DataFrame) -> str:
    """Return the reading self-checks the document fails: our doubts, not the report's errors,
    each example linked to its page."""
    failing = reading[reading["failed"] > 0] if "failed" in reading.columns else reading.iloc[:0]
    if failing.empty:
        return "<p>Every reading self-check holds.</p>"
    items = []
    for row in failing.to_dict("records"):
        links = " ".join(f'<a href="#page-{int(p)}">p.{int(p)}</a>' for p in row["pages"][:20])
        examples = "".join(f"<li>{escape(str(e))}</li>" for e in row["examples"])
        items.append(f"<li>{escape(str(row['check']))}: {int(row['failed'])} of "
                     f"{int(row['checked'])} {links}<ul>{examples}</ul></li>")  # fmt: skip
    return f'<ul class="doubts">{"".join(items)}</ul>'


def _checks(checks: pd.DataFrame) -> str:
    failed = _failed(checks)
    if failed.empty:
        return "<p>No failed checks.</p>"
    order = {family: i for i, family in enumerate(CheckFamily)}
    failed = failed.assign(_f=failed["family"].map(order)).sort_values(
        ["_f", "page_no", "check_id"], na_position="last"
    )
    items = []
    for row in failed.to_dict("records"):
        page = _number(row.get("page_no"))
        where = (f'<a href="#page-{int(page)}">page {int(page)}</a>' if page is not None
                 else "no page")  # fmt: skip
        severity = (
            Severity.WARNING if row.get("severity") == Severity.WARNING else Severity.ERROR
        )
        items.append(
            f'<div class="check {severity}" data-check-id="{_cell(row.get("check_id"))}">'
            f"{where} · {_cell(row.get('family'))} · {_cell(row.get('check'))} · {severity}"
            f"<br>{_cell(row.get('message'))}"
            f'<div class="evidence">{_cell(row.get("evidence"))}</div></div>'
        )
    return "\n".join(items)


def _metrics(metrics: pd.DataFrame) -> str:
    if metrics.empty:
        return "<p>No headline metrics.</p>"
    columns = ["metric", "value", "unit", "text", "label", "year", "scope", "source", "page_no"]
    header = "".join(f"<th>{c}</th>" for c in columns)
    rows = []
    for row in metrics.to_dict("records"):
        cells = []
        for c in columns:
            value = row.get(c)
            if c == "page_no" and _number(value) is not None:
                cells.append(f'<td class="num"><a href="#page-{int(value)}">{int(value)}</a></td>')
            else:
                klass = ' class="num"' if c in ("value", "year") else ""
                cells.append(f"<td{klass}>{_cell(value)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (f'<table class="sortable metrics"><thead><tr>{header}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")  # fmt: skip


def _legend() -> str:
    marks = "".join(f'<mark class="kind-{k}">{k}</mark>' for k in KINDS)
    return f'<p class="legend">Figures by kind (hover for the value): {marks}</p>'


def page_starts(pages: pd.DataFrame, figures: pd.DataFrame) -> dict[int, int]:
    """Return each page's offset in the document's cleaned text.

    `pages.text` is a stretch of the cleaned text (the paragraphs joined by newlines), in page
    order; a page starts right after the one before or one newline later. The table keeps no
    offsets, so each page is anchored on its own text figures (whose offsets are known): the
    start that puts most of them on their printed text, the nearest to the running offset on a
    tie; a page without figures takes the running offset."""
    starts: dict[int, int] = {}
    expected = 0
    text_figures = (
        figures[(figures["source"] == "text") & figures["char_start"].notna()]
        if len(figures)
        else figures
    )
    by_page = {int(p): g for p, g in text_figures.groupby("page_no")} if len(text_figures) else {}
    for page in pages.sort_values("page_no").to_dict("records"):
        page_no, text = int(page["page_no"]), page["text"] or ""
        votes: Counter[int] = Counter()
        for fig in by_page.get(page_no, _empty(figures)).to_dict("records"):
            needle = fig["text"]
            if not needle:
                continue
            at = text.find(needle)
            while at >= 0:
                votes[int(fig["char_start"]) - at] += 1
                at = text.find(needle, at + 1)
        start = max(votes, key=lambda s: (votes[s], -abs(s - expected))) if votes else expected
        starts[page_no] = start
        if text:
            expected = start + len(text) + 1
    return starts


def _pages(pages: pd.DataFrame, figures: pd.DataFrame) -> str:
    if pages.empty:
        return "<p>No pages.</p>"
    starts = page_starts(pages, figures)
    text_figures = figures[figures["source"] == "text"] if len(figures) else figures
    out = []
    for page in pages.sort_values("page_no").to_dict("records"):
        page_no = int(page["page_no"])
        text = page["text"] or ""
        marks = (text_figures[text_figures["page_no"] == page_no]
                 if len(text_figures) else text_figures)  # fmt: skip
        source = f" · {_cell(page.get('source'))}" if page.get("source") == "ocr" else ""
        out.append(
            f'<section class="page" id="page-{page_no}"><h3>page {page_no}{source}</h3>'
            f'<div class="text">{highlight(text, starts[page_no], marks)}</div></section>'
        )
    return "\n".join(out)


def highlight(text: str, start: int, figures: pd.DataFrame) -> str:
    """Return a page's text escaped, each figure that stands on it (its offsets, less the
    page's start, give its printed text) wrapped in a <mark> of its kind with its value."""
    pieces, at = [], 0
    rows = figures.sort_values("char_start").to_dict("records") if len(figures) else []
    for fig in rows:
        if _number(fig.get("char_start")) is None or _number(fig.get("char_end")) is None:
            continue
        s, e = int(fig["char_start"]) - start, int(fig["char_end"]) - start
        if s < at or e > len(text) or text[s:e] != fig["text"]:
            continue
        pieces.append(escape(text[at:s]))
        pieces.append(_mark(fig, text[s:e]))
        at = e
    pieces.append(escape(text[at:]))
    return "".join(pieces)


def _describe(fig: dict) -> str:
    """Return a figure's value as a reader checks it: `185,183,200 元 (money, exact)`."""
    value = _number(fig.get("value"))
    shown = "?" if value is None else f"{value:,.4f}".rstrip("0").rstrip(".")
    unit = fig.get("base_unit") if isinstance(fig.get("base_unit"), str) else ""
    detail = [str(fig.get("kind")), str(fig.get("bound") or "exact")]
    if isinstance(fig.get("subject"), str):
        detail.append(f"subject {fig['subject']}")
    if _number(fig.get("ocr_confidence")) is not None:
        detail.append(f"OCR confidence {fig['ocr_confidence']:.0f}")
    return f"{shown} {unit} ({', '.join(detail)})".replace("  ", " ")


def _mark(fig: dict, printed: str) -> str:
    kind = fig.get("kind") if fig.get("kind") in KINDS else Kind.OTHER
    value = _number(fig.get("value"))
    data_value = "" if value is None else repr(value)
    low = " low-confidence" if fig.get("low_confidence") is True else ""
    return (
        f'<mark class="fig kind-{kind}{low}" data-kind="{kind}" data-value="{escape(data_value)}"'
        f' data-figure-id="{_cell(fig.get("figure_id"))}" title="{escape(_describe(fig))}">'
        f"{escape(printed)}</mark>"
    )
