"""Tiny PDFs made on the fly for extraction tests (reportlab, built-in CID font STSong-Light)."""

from __future__ import annotations

import io
from collections.abc import Callable

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
BODY = ParagraphStyle(
    "body", fontName=FONT, fontSize=12, leading=18, wordWrap="CJK", firstLineIndent=24
)
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=10, leading=13, wordWrap="CJK")
GRID = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.5, "black"),
        ("FONT", (0, 0), (-1, -1), FONT, 10),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
)


def canvas_pdf(draw: Callable[[Canvas], None], pagesize=A4, **options) -> bytes:
    """Return a PDF drawn by `draw` on a reportlab canvas (invariant: the same bytes each time);
    `draw` calls showPage itself for every page but the last."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=pagesize, invariant=1, **options)
    canvas.setFont(FONT, 12)
    draw(canvas)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def raw_pdf(objects: list[bytes], root: int = 1, trailer: bytes = b"") -> bytes:
    """Return a PDF of the numbered objects (1, 2, …) with a correct cross-reference table, for
    what reportlab cannot make (a broken stream, a deep page tree, a form field)."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        trailer,
        xref,
    )
    return bytes(out)


def flow_pdf(flowables: list) -> bytes:
    """Return an A4 PDF of platypus flowables (paragraphs, tables), split over pages as needed."""
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, invariant=1).build(flowables)
    return buffer.getvalue()


def grid_table(rows: list[list[str]], widths: list[float], spans=()) -> Table:
    """Return a ruled table of wrapped cells; spans are ((col0, row0), (col1, row1)) pairs."""
    cells = [[Paragraph(text, CELL) for text in row] for row in rows]
    table = Table(cells, colWidths=widths)
    style = TableStyle(GRID.getCommands() + [("SPAN", a, b) for a, b in spans])
    table.setStyle(style)
    return table


def rotated(pdf: bytes, degrees: int) -> bytes:
    """Return the PDF with /Rotate set on every page (the content as it was): a page a viewer
    shows turned by `degrees`, as scanners and printers' drivers leave them."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    for page in document:
        page.set_rotation(degrees)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
