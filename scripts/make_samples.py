"""Typeset the sample reports and the test fixture PDFs from their marked-up source texts.

Usage: .venv/bin/python scripts/make_samples.py [--out-raw DIR] [--out-fixtures DIR]
(defaults: data/raw and tests/fixtures of this repository)

The output is byte-for-byte reproducible (reportlab ``invariant=1``, no embedded font: the
built-in CID font STSong-Light). The scanned fixture (``scanned-report.pdf``, pages only as
images) is drawn by pdfium, which takes Chinese glyphs from a system font (fonts-wqy-zenhei): it
is reproducible on one machine, for the same pypdfium2 and Pillow versions and fonts.

Markup of ``scripts/samples/*.txt`` (UTF-8), one construct per line:

    # text            a title line; consecutive ones form the centred title block (reflowed
                      onto one line, they are the report's title and running header)
    ## text           a level-1 heading paragraph (一、…), printed bold
    ### text          a level-2 heading paragraph (（一）…)
    ^ text            a centred caption line, e.g. the title of the table below it
    [table widths=5,5,11 note=单位：万元]
                      opens a ruled table; widths are relative column widths (default equal),
                      note a line printed right-aligned above the grid; the first row is the
                      header row
    a|b|c             a table row, cells separated by ``|``; a cell may end with ``{rowspan=N}``,
                      ``{colspan=N}`` or both (``{rowspan=2 colspan=3}``); the cells a span
                      covers are written empty
    [/table]          closes the table
    %% text           a comment, ignored
    (blank line)      ends a paragraph

Any other line is body text; consecutive body lines form one paragraph and are joined without a
separator. Body paragraphs and headings get a two-character first-line indent.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import pypdfium2 as pdfium
from pdfminer.cmapdb import CMapDB
from PIL import Image
from reportlab import rl_config
from reportlab.lib import colors, textsplit
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES_DIR = Path(__file__).resolve().parent / "samples"
FIXTURE_SOURCES_DIR = SAMPLES_DIR / "fixtures"

#: source text in scripts/samples/ -> PDF name in data/raw/
SAMPLES: dict[str, str] = {
    "seed_gz_laoganbu_2023.txt": "2023_gz_laoganbu_zhengti_zipingbaogao.pdf",
    "jiangcheng_sifaju_2022.txt": "2022_jiangcheng_sifaju_zhengti_zipingbaogao.pdf",
    "linjiang_zhangzhe_fantang_2023.txt": "2023_linjiang_zhangzhefantang_xiangmu_zipingbaogao.pdf",
}

#: source text in scripts/samples/fixtures/ -> fixture PDF in tests/fixtures/
FIXTURE_REPORTS: dict[str, str] = {
    "two-pages-split-sentence.txt": "two-pages-split-sentence.pdf",
    "self-eval-table.txt": "self-eval-table.pdf",
    "arithmetic-error.txt": "arithmetic-error.pdf",
}

#: fixture PDF -> its image-only copy, as a scanner makes it (no text layer: read by OCR)
SCANNED_FIXTURES: dict[str, str] = {"two-pages-split-sentence.pdf": "scanned-report.pdf"}
SCAN_DPI = 200
#: degrees the sheet lies turned on the scanner glass (counter-clockwise)
SCAN_SKEW = 0.4
SCAN_JPEG_QUALITY = 60
#: grey levels v -> v * SCAN_CONTRAST + SCAN_BLACK: paper not quite white, ink not quite black
SCAN_CONTRAST = 0.92
SCAN_BLACK = 8
#: a rendered page with less ink than this share of its pixels lacks its Chinese glyphs
SCAN_MIN_INK = 0.01

ENCRYPTED_USER_PASSWORD = "user-secret"
ENCRYPTED_OWNER_PASSWORD = "owner-secret"
TRUNCATED_FRACTION = 0.4
NOT_A_PDF_TEXT = "这不是 PDF 文件。This is a plain text file with a .pdf name.\n"

FONT = "STSong-Light"
CMAP = "UniGB-UCS2-H"
BODY_SIZE = 15.0
BODY_LEADING = 26.0
CHARS_PER_LINE = 28
TEXT_WIDTH = CHARS_PER_LINE * BODY_SIZE
PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT_MARGIN = (PAGE_WIDTH - TEXT_WIDTH) / 2
TOP_MARGIN = 34 * mm
BOTTOM_MARGIN = 30 * mm
HEADER_SIZE = 9.0
HEADER_Y = PAGE_HEIGHT - 20 * mm
FOOTER_SIZE = 12.0
FOOTER_Y = 17 * mm
CELL_SIZE = 10.5
CELL_LEADING = 14.0
FAKE_BOLD_WIDTH = 0.45
#: a heading starts a new page unless this many lines fit below it (itself included)
HEADING_KEEP_LINES = 3
#: characters STSong-Light's CMap (UniGB-UCS2-H) lacks -> a code point it maps to the same glyph
GLYPH_SUBSTITUTES = {"\u00b7": "\u30fb"}  # 9·30: pdfplumber reads U+30FB back as U+00B7
#: Chinese punctuation that must not start a line (reportlab's list is Japanese-centred)
CANNOT_START_LINE_ZH = "，。、；：！？”’》）〉」』】〕…%"
#: Chinese punctuation that must not end a line
CANNOT_END_LINE_ZH = "“‘《（〈「『【〔"

_SPAN_RE = re.compile(r"\{((?:\s*(?:rowspan|colspan)=\d+)+)\s*\}\s*$")


class BlockKind(StrEnum):
    """Kinds of block in a marked-up report."""

    TITLE = "title"
    HEADING1 = "heading1"
    HEADING2 = "heading2"
    PARAGRAPH = "paragraph"
    CAPTION = "caption"
    TABLE = "table"


@dataclass(frozen=True)
class Cell:
    """One table cell as written in the markup."""

    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class Block:
    """One block of a report: the title, a heading, a paragraph, a caption or a table."""

    kind: BlockKind
    text: str = ""
    rows: tuple[tuple[Cell, ...], ...] = ()
    widths: tuple[float, ...] = ()
    note: str = ""
    lines: tuple[str, ...] = ()


class MarkupError(ValueError):
    """The sample markup is malformed."""


class RenderError(RuntimeError):
    """pdfium cannot draw a page as the scanned fixture needs it."""


# --------------------------------------------------------------------------- markup


def parse_markup(text: str) -> list[Block]:
    """Parse marked-up report text into blocks, in document order."""
    blocks: list[Block] = []
    lines = iter(text.splitlines())
    title: list[str] = []
    para: list[str] = []
    for raw in lines:
        line = raw.rstrip()
        if title and not line.startswith("# "):
            blocks.append(Block(BlockKind.TITLE, "".join(title), lines=tuple(title)))
            title = []
        if para and (not line or _is_markup(line)):
            blocks.append(Block(BlockKind.PARAGRAPH, "".join(para)))
            para = []
        if not line or line.startswith("%%"):
            continue
        if line.startswith("# "):
            title.append(line[2:].strip())
        elif line.startswith("## "):
            blocks.append(Block(BlockKind.HEADING1, line[3:].strip()))
        elif line.startswith("### "):
            blocks.append(Block(BlockKind.HEADING2, line[4:].strip()))
        elif line.startswith("^ "):
            blocks.append(Block(BlockKind.CAPTION, line[2:].strip()))
        elif line.startswith("[table"):
            blocks.append(_parse_table(line, lines))
        else:
            para.append(line.strip())
    if title:
        blocks.append(Block(BlockKind.TITLE, "".join(title), lines=tuple(title)))
    if para:
        blocks.append(Block(BlockKind.PARAGRAPH, "".join(para)))
    return blocks


def _is_markup(line: str) -> bool:
    """Return whether a line is a markup construct rather than body text."""
    return line.startswith(("# ", "## ", "### ", "^ ", "[table", "%%"))


def _parse_table(opening: str, lines: Iterator[str]) -> Block:
    """Parse a ``[table …]`` block up to its ``[/table]`` line."""
    options = _parse_table_options(opening)
    rows: list[tuple[Cell, ...]] = []
    for raw in lines:
        line = raw.strip()
        if line == "[/table]":
            break
        if line and not line.startswith("%%"):
            rows.append(tuple(_parse_cell(c) for c in line.split("|")))
    else:
        raise MarkupError(f"table opened by {opening!r} is never closed with [/table]")
    widths = _parse_widths(options.get("widths", ""), len(rows[0]) if rows else 0)
    _check_table(rows, len(widths))
    return Block(BlockKind.TABLE, rows=tuple(rows), widths=widths, note=options.get("note", ""))


def _parse_table_options(opening: str) -> dict[str, str]:
    """Return the ``key=value`` options of a ``[table …]`` line."""
    body = opening.strip()
    if not body.endswith("]"):
        raise MarkupError(f"table line must end with ']': {opening!r}")
    options: dict[str, str] = {}
    for token in body[len("[table") : -1].split():
        key, sep, value = token.partition("=")
        if not sep or key not in {"widths", "note"}:
            raise MarkupError(f"unknown table option {token!r} in {opening!r}")
        options[key] = value
    return options


def _parse_widths(spec: str, n_cols: int) -> tuple[float, ...]:
    """Return relative column widths from ``5,5,11``, or equal widths when none are given."""
    if not spec:
        return tuple(1.0 for _ in range(n_cols))
    return tuple(float(w) for w in spec.split(","))


def _parse_cell(raw: str) -> Cell:
    """Parse one cell, with an optional trailing ``{rowspan=N colspan=M}``."""
    match = _SPAN_RE.search(raw)
    if not match:
        return Cell(raw.strip())
    spans = dict(part.split("=") for part in match.group(1).split())
    return Cell(
        raw[: match.start()].strip(),
        rowspan=int(spans.get("rowspan", 1)),
        colspan=int(spans.get("colspan", 1)),
    )


def _check_table(rows: list[tuple[Cell, ...]], n_cols: int) -> None:
    """Raise MarkupError unless every row has n_cols cells and spanned cells are empty."""
    for r, row in enumerate(rows):
        if len(row) != n_cols:
            raise MarkupError(f"table row {r} has {len(row)} cells, expected {n_cols}: {row}")
    for r, c in _covered_cells(rows):
        if r >= len(rows) or c >= n_cols or rows[r][c].text:
            raise MarkupError(f"cell ({r}, {c}) lies under a span: it must exist and be empty")


def _covered_cells(rows: Iterable[tuple[Cell, ...]]) -> Iterator[tuple[int, int]]:
    """Yield (row, col) of every cell covered by another cell's span."""
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    if dr or dc:
                        yield r + dr, c + dc


def read_blocks(source: str | os.PathLike[str]) -> list[Block]:
    """Read and parse a marked-up source text file."""
    return parse_markup(Path(source).read_text(encoding="utf-8"))


def expected_paragraphs(source: str | os.PathLike[str]) -> list[str]:
    """Return the title (on one line), headings, paragraphs, captions and table notes in order.

    Table cells are left out: see expected_tables.
    """
    texts: list[str] = []
    for block in read_blocks(source):
        if block.kind is BlockKind.TABLE:
            if block.note:
                texts.append(block.note)
        else:
            texts.append(block.text)
    return texts


def expected_tables(source: str | os.PathLike[str]) -> list[list[list[str | None]]]:
    """Return each table's cell texts as a grid of rows.

    A cell covered by a span is None, as in pdfplumber's ``Table.extract()``.
    """
    tables = []
    for block in read_blocks(source):
        if block.kind is BlockKind.TABLE:
            covered = set(_covered_cells(block.rows))
            tables.append(
                [
                    [None if (r, c) in covered else cell.text for c, cell in enumerate(row)]
                    for r, row in enumerate(block.rows)
                ]
            )
    return tables


def report_title(blocks: Iterable[Block]) -> str:
    """Return the report title reflowed onto one line, or '' when there is none."""
    return next((b.text for b in blocks if b.kind is BlockKind.TITLE), "")


# --------------------------------------------------------------------------- typesetting


class ReportParagraph(Paragraph):
    """A CJK-wrapped Paragraph that keeps closing marks off line starts, opening ones off ends."""

    def breakLinesCJK(self, maxWidths):  # noqa: N802, N803 (reportlab's names)
        """Break lines as reportlab does, then move misplaced punctuation across the break."""
        para = super().breakLinesCJK(maxWidths)
        if para.kind == 0 and para.lines:
            para.lines = fix_line_edges(para.lines, para.fontName, para.fontSize)
        return para


def fix_line_edges(
    lines: list[tuple[float, list[str]]], font: str, size: float
) -> list[tuple[float, list[str]]]:
    """Move closing marks (，。” …) off line starts and opening ones (《 “ （ …) off line ends.

    Lines are reportlab's (extra space, [text]) pairs; a moved mark changes the extra space of
    both lines, so a justified line with a mark pulled up is set slightly tighter.
    """
    fixed = [[space, words[0]] for space, words in lines]
    for this, after in zip(fixed, fixed[1:], strict=False):
        while after[1][:1] and after[1][0] in textsplit.ALL_CANNOT_START:
            width = pdfmetrics.stringWidth(after[1][0], font, size)
            this[0], after[0] = this[0] - width, after[0] + width
            this[1], after[1] = this[1] + after[1][0], after[1][1:]
        if this[1][-1:] and this[1][-1] in CANNOT_END_LINE_ZH:
            width = pdfmetrics.stringWidth(this[1][-1], font, size)
            this[0], after[0] = this[0] + width, after[0] - width
            this[1], after[1] = this[1][:-1], this[1][-1] + after[1]
    return [(space, [text]) for space, text in fixed if text]


class BoldParagraph(ReportParagraph):
    """A ReportParagraph drawn in fake bold (glyphs filled and stroked): the font has no bold."""

    def beginText(self, x: float, y: float):  # noqa: N802 (reportlab's name)
        """Start a text object that fills and strokes its glyphs."""
        text = super().beginText(x, y)
        text.setTextRenderMode(2)
        return text

    def draw(self) -> None:
        """Draw the paragraph with a thin stroke around each glyph."""
        self.canv.setLineWidth(FAKE_BOLD_WIDTH)
        super().draw()


def configure_reportlab() -> None:
    """Register the built-in CID font and teach the CJK line breaker Chinese punctuation."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    missing = "".join(ch for ch in CANNOT_START_LINE_ZH if ch not in textsplit.ALL_CANNOT_START)
    textsplit.ALL_CANNOT_START += missing  # read by textsplit.wordSplit, the CJK line breaker


#: how each style differs from the body style
STYLE_OVERRIDES: dict[str, dict[str, object]] = {
    BlockKind.TITLE: {"fontSize": 20, "leading": 32, "firstLineIndent": 0,
                      "alignment": TA_CENTER, "spaceBefore": 6, "spaceAfter": 22},
    BlockKind.HEADING1: {},
    BlockKind.HEADING2: {},
    BlockKind.PARAGRAPH: {},
    BlockKind.CAPTION: {"fontSize": 14, "leading": 22, "firstLineIndent": 0,
                        "alignment": TA_CENTER, "spaceBefore": 8, "keepWithNext": 1},
    "note": {"fontSize": CELL_SIZE, "leading": CELL_LEADING + 2, "firstLineIndent": 0,
             "alignment": TA_RIGHT, "keepWithNext": 1},
    "cell": {"fontSize": CELL_SIZE, "leading": CELL_LEADING, "firstLineIndent": 0,
             "alignment": TA_CENTER},
}  # fmt: skip


def make_styles() -> dict[str, ParagraphStyle]:
    """Return the paragraph styles of a published report, by block kind (and note, cell)."""
    body = ParagraphStyle(
        "body",
        fontName=FONT,
        fontSize=BODY_SIZE,
        leading=BODY_LEADING,
        firstLineIndent=2 * BODY_SIZE,
        alignment=TA_JUSTIFY,
        wordWrap="CJK",
    )
    return {
        name: ParagraphStyle(str(name), parent=body, **overrides)
        for name, overrides in STYLE_OVERRIDES.items()
    }


def substitute_glyphs(text: str) -> str:
    """Replace characters the font lacks by code points showing the same glyph."""
    for missing, substitute in GLYPH_SUBSTITUTES.items():
        text = text.replace(missing, substitute)
    return text


def escape(text: str) -> str:
    """Return text ready for reportlab's paragraph mini-markup, with glyph substitutes applied."""
    text = substitute_glyphs(text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def check_glyphs(blocks: Iterable[Block]) -> None:
    """Raise MarkupError for a character the font cannot show (viewers would drop it silently)."""
    cmap = CMapDB.get_cmap(CMAP)
    texts = [b.text + b.note + "".join(c.text for row in b.rows for c in row) for b in blocks]
    chars = set(substitute_glyphs("".join(texts)))
    missing = sorted(ch for ch in chars if not list(cmap.decode(ch.encode("utf-16-be"))))
    if missing:
        names = ", ".join(f"{ch!r} (U+{ord(ch):04X})" for ch in missing)
        raise MarkupError(f"{FONT} has no glyph for {names}; add it to GLYPH_SUBSTITUTES")


def build_flowables(blocks: list[Block], styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """Turn parsed blocks into platypus flowables."""
    flowables: list[Flowable] = []
    for block in blocks:
        if block.kind is BlockKind.TABLE:
            flowables.append(build_table(block, styles))
        elif block.kind is BlockKind.TITLE:
            markup = "<br/>".join(escape(line) for line in block.lines)
            flowables.append(BoldParagraph(markup, styles[block.kind]))
        else:
            if block.kind in (BlockKind.HEADING1, BlockKind.HEADING2):
                flowables.append(CondPageBreak(HEADING_KEEP_LINES * BODY_LEADING))
            bold = block.kind in (BlockKind.HEADING1, BlockKind.CAPTION)
            cls = BoldParagraph if bold else ReportParagraph
            flowables.append(cls(escape(block.text), styles[block.kind]))
    return flowables


def build_table(block: Block, styles: dict[str, ParagraphStyle]) -> Flowable:
    """Return a ruled table (header row in bold) with its note line, kept together."""
    scale = TEXT_WIDTH / sum(block.widths)
    col_widths = [w * scale for w in block.widths]
    data = [
        [
            (BoldParagraph if r == 0 else ReportParagraph)(escape(cell.text), styles["cell"])
            for cell in row
        ]
        for r, row in enumerate(block.rows)
    ]
    commands: list[tuple] = [
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    for r, row in enumerate(block.rows):
        for c, cell in enumerate(row):
            if cell.rowspan > 1 or cell.colspan > 1:
                end = (c + cell.colspan - 1, r + cell.rowspan - 1)
                commands.append(("SPAN", (c, r), end))
    table = Table(data, colWidths=col_widths, repeatRows=1, style=TableStyle(commands))
    parts: list[Flowable] = []
    if block.note:
        parts.append(ReportParagraph(escape(block.note), styles["note"]))
    parts.append(table)
    return KeepTogether(parts)


def draw_footer(canvas: Canvas, doc: BaseDocTemplate) -> None:
    """Draw the centred page number ``— N —``."""
    canvas.saveState()
    canvas.setFont(FONT, FOOTER_SIZE)
    canvas.drawCentredString(PAGE_WIDTH / 2, FOOTER_Y, f"— {doc.page} —")
    canvas.restoreState()


def make_header_drawer(title: str) -> Callable[[Canvas, BaseDocTemplate], None]:
    """Return an onPage callback drawing the running header (title and a rule) and the footer."""

    def draw_header_and_footer(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(FONT, HEADER_SIZE)
        canvas.drawCentredString(PAGE_WIDTH / 2, HEADER_Y, title)
        canvas.setLineWidth(0.5)
        canvas.line(LEFT_MARGIN, HEADER_Y - 4, PAGE_WIDTH - LEFT_MARGIN, HEADER_Y - 4)
        canvas.restoreState()
        draw_footer(canvas, doc)

    return draw_header_and_footer


def make_doc_template(
    out: io.BytesIO, title: str, encrypt: StandardEncryption | None = None
) -> BaseDocTemplate:
    """Return an A4 document template: no header on page 1, running header after it."""
    doc = BaseDocTemplate(
        out,
        pagesize=A4,
        leftMargin=LEFT_MARGIN,
        rightMargin=LEFT_MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        title=title,
        author="gov-reports-pipeline sample generator",
        creator="scripts/make_samples.py",
        lang="zh-CN",
        initialFontName=FONT,
        invariant=1,
        encrypt=encrypt,
    )

    def frame(frame_id: str) -> Frame:
        return Frame(
            LEFT_MARGIN,
            BOTTOM_MARGIN,
            TEXT_WIDTH,
            PAGE_HEIGHT - TOP_MARGIN - BOTTOM_MARGIN,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id=frame_id,
        )

    doc.addPageTemplates(
        [
            PageTemplate("first", [frame("first")], draw_footer, autoNextPageTemplate="later"),
            PageTemplate("later", [frame("later")], make_header_drawer(title)),
        ]
    )
    return doc


def render_blocks(blocks: list[Block], encrypt: StandardEncryption | None = None) -> bytes:
    """Typeset parsed blocks and return the PDF bytes."""
    configure_reportlab()
    check_glyphs(blocks)
    out = io.BytesIO()
    doc = make_doc_template(out, report_title(blocks), encrypt)
    doc.build(build_flowables(blocks, make_styles()))
    return out.getvalue()


def write_atomic(path: Path, data: bytes) -> None:
    """Write bytes to path via a temporary file, so a killed run never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def build_report(
    source_txt_path: str | os.PathLike[str], out_pdf_path: str | os.PathLike[str]
) -> Path:
    """Typeset one marked-up source text as a PDF report; return the PDF's path."""
    out = Path(out_pdf_path)
    write_atomic(out, render_blocks(read_blocks(source_txt_path)))
    return out


# --------------------------------------------------------------------------- outputs


def build_samples(out_raw: Path) -> list[Path]:
    """Write the sample reports into out_raw; return their paths."""
    return [build_report(SAMPLES_DIR / src, out_raw / pdf) for src, pdf in SAMPLES.items()]


def build_fixtures(out_fixtures: Path) -> list[Path]:
    """Write the test fixture PDFs (good, broken and encrypted) into out_fixtures."""
    written = [
        build_report(FIXTURE_SOURCES_DIR / src, out_fixtures / pdf)
        for src, pdf in FIXTURE_REPORTS.items()
    ]
    valid = (out_fixtures / "two-pages-split-sentence.pdf").read_bytes()
    broken = {
        "not-a-pdf.pdf": NOT_A_PDF_TEXT.encode("utf-8"),
        "empty.pdf": b"",
        "truncated.pdf": valid[: int(len(valid) * TRUNCATED_FRACTION)],
        "encrypted.pdf": render_encrypted(FIXTURE_SOURCES_DIR / "self-eval-table.txt"),
    }
    for name, data in broken.items():
        write_atomic(out_fixtures / name, data)
        written.append(out_fixtures / name)
    for source, scanned in SCANNED_FIXTURES.items():
        write_atomic(out_fixtures / scanned, render_scanned((out_fixtures / source).read_bytes()))
        written.append(out_fixtures / scanned)
    return written


def render_scanned(pdf: bytes) -> bytes:
    """Return an image-only copy of a PDF: every page a grey JPEG at SCAN_DPI, a little askew,
    drawn over the whole page, as a scanner makes it (reproducible: reportlab ``invariant=1``)."""
    document = pdfium.PdfDocument(pdf)
    out = io.BytesIO()
    try:
        with _without_ascii85():
            canvas = Canvas(out, invariant=1, pageCompression=1)
            canvas.setCreator("scripts/make_samples.py")
            for index in range(len(document)):
                width, height = document[index].get_size()
                canvas.setPageSize((width, height))
                image = ImageReader(io.BytesIO(scan_page(document[index], index + 1)))
                canvas.drawImage(image, 0, 0, width, height)
                canvas.showPage()
            canvas.save()
    finally:
        document.close()
    return out.getvalue()


def scan_page(page: pdfium.PdfPage, page_no: int) -> bytes:
    """Return one page as a scanner delivers it: grey, turned SCAN_SKEW degrees, dull, JPEG."""
    image = page.render(scale=SCAN_DPI / 72, grayscale=True).to_pil().convert("L")
    ink = sum(image.histogram()[:128]) / (image.width * image.height)
    if ink < SCAN_MIN_INK:
        raise RenderError(
            f"pdfium drew almost no text on page {page_no}: install a Chinese font "
            "(apt-get install fonts-wqy-zenhei) to make the scanned fixture"
        )
    image = image.rotate(SCAN_SKEW, resample=Image.Resampling.BICUBIC, fillcolor=255)
    image = image.point(lambda v: round(v * SCAN_CONTRAST + SCAN_BLACK))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=SCAN_JPEG_QUALITY)
    return out.getvalue()


@contextlib.contextmanager
def _without_ascii85() -> Iterator[None]:
    """Store image streams binary (not ASCII85, a quarter larger) while the block runs."""
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved


def render_encrypted(source: Path) -> bytes:
    """Return a report PDF that needs a user password to open (RC4 128-bit, reproducible)."""
    encryption = StandardEncryption(
        ENCRYPTED_USER_PASSWORD, ENCRYPTED_OWNER_PASSWORD, canCopy=0, strength=128
    )
    return render_blocks(read_blocks(source), encrypt=encryption)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-raw", type=Path, default=ROOT / "data" / "raw")
    parser.add_argument("--out-fixtures", type=Path, default=ROOT / "tests" / "fixtures")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Generate the sample reports and the fixtures."""
    args = parse_args(argv)
    try:
        paths = build_samples(args.out_raw) + build_fixtures(args.out_fixtures)
    except RenderError as exc:
        raise SystemExit(f"make_samples: {exc}.") from None  # one sentence, no traceback
    for path in paths:
        print(f"{path}  {path.stat().st_size:>7,d} bytes")


if __name__ == "__main__":
    main()
