"""A reproducible corpus of hostile and broken inputs for the pipeline (tracker issue 13).

`build(directory)` writes the fast cases, `build(directory, slow=True)` every case; the same bytes
every time (no timestamps, fixed seeds, reportlab's invariant mode). Every file is small on disk:
the bombs are small files that inflate. From the command line:

    python tests/hostile/corpus.py OUTDIR [--slow]

Most PDFs are drawn with reportlab and its built-in CID font STSong-Light (as tests/pdfmaker.py
does); the ones reportlab cannot make (a broken stream, a deep page tree, a form field, control
characters in the text layer) are written as raw PDF bytes by `raw_pdf`.

Not built: a file that vanishes between being listed and being read cannot be made statically;
a test would have to delete it from a hook between the pipeline's discovery and its extract stage.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import io
import os
import random
import sys
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/, for pdfmaker
from pdfmaker import canvas_pdf, raw_pdf  # noqa: E402

FONT = "STSong-Light"
if FONT not in pdfmetrics.getRegisteredFontNames():
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))

OK, WARN, FAILED, SKIPPED = "ok", "ok_with_warning", "failed", "skipped"
MiB = 1 << 20
GiB = 1 << 30


@dataclass(frozen=True)
class Case:
    """One hostile input: the file `name` in the corpus folder and what should become of it."""

    name: str  # file name; bytes that are not UTF-8 are kept as surrogates (os.fsdecode)
    kind: str
    expect: str  # "ok", "ok_with_warning", "failed" or "skipped" (no documents row)
    slow: bool  # takes long or much memory to process
    note: str
    #: set by `build` for the mode-000 case only: whether this process really cannot read it
    #: (False when running as root, who reads a mode-000 file)
    unreadable: bool | None = None


_BUILDERS: dict[str, Callable[[Path], None]] = {}
CASES: list[Case] = []


def _case(name: str, kind: str, expect: str, note: str, slow: bool = False):
    """Register the decorated function as the builder of a case; it writes `path`."""

    def register(func: Callable[[Path], None]) -> Callable[[Path], None]:
        CASES.append(Case(name, kind, expect, slow, note))
        _BUILDERS[name] = func
        return func

    return register


# --------------------------------------------------------------------------- raw PDF bytes


def stream(entries: bytes, data: bytes, flate: bool = False) -> bytes:
    """Return a stream object's text: `entries` of its dictionary, `data` (deflated if asked)."""
    if flate:
        data = zlib.compress(data, 9)
        entries += b" /Filter /FlateDecode"
    return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (entries, len(data), data)


def hex_text(text: str) -> bytes:
    """Return text as a PDF hex string of UTF-16BE code units (UCS-2 for the BMP)."""
    return b"<" + text.encode("utf-16-be").hex().upper().encode() + b">"


#: STSong-Light as reportlab writes it: codes are UCS-2 (UniGB-UCS2-H), rendered and read right
SONG_FONT = (
    b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
    b"/DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
    b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 0 >> /DW 1000 "
    b"/FontDescriptor << /Type /FontDescriptor /FontName /STSongStd-Light /Flags 6 "
    b"/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 752 /Descent -271 /CapHeight 737 "
    b"/StemV 58 >> >>] >>"
)


def identity_tounicode() -> bytes:
    """Return a ToUnicode CMap that maps every 2-byte code to the same UTF-16 code unit, so a
    string's code units come out of a reader as they are, control characters included."""
    ranges = [
        b"<%02X00> <%02XFF> <%02X00>" % (hi, hi, hi) for hi in range(256) if not 0xD8 <= hi <= 0xDF
    ]
    body = b"\n".join(
        [
            b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            b"/CMapName /Identity-UCS def /CMapType 2 def",
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange",
        ]
    )
    for start in range(0, len(ranges), 100):
        chunk = ranges[start : start + 100]
        body += b"\n%d beginbfrange\n%s\nendbfrange" % (len(chunk), b"\n".join(chunk))
    body += b"\nendcmap CMapName currentdict /CMap defineresource pop end end\n"
    return body


def uni_font(tounicode_ref: int) -> bytes:
    """Return a Type0 font (Identity-H) whose text layer is exactly the UTF-16 code units drawn."""
    return (
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H "
        b"/ToUnicode %d 0 R /DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 "
        b"/BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) "
        b"/Supplement 0 >> /DW 1000 /FontDescriptor << /Type /FontDescriptor "
        b"/FontName /STSongStd-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 "
        b"/Ascent 752 /Descent -271 /CapHeight 737 /StemV 58 >> >>] >>" % tounicode_ref
    )


def text_content(lines: list[str], size: float = 12, x: float = 72, top: float = 770) -> bytes:
    """Return content-stream operators that draw the lines top down with font /F1."""
    ops = [b"BT /F1 %g Tf %g TL %g %g Td" % (size, size * 1.5, x, top)]
    ops += [hex_text(line) + b" Tj T*" for line in lines]
    ops.append(b"ET")
    return b"\n".join(ops) + b"\n"


def one_page_pdf(
    content: bytes, page_entries: bytes = b"", flate: bool = True, size=(595, 842)
) -> bytes:
    """Return a one-page PDF (A4 unless `size` says) drawing `content` with STSong-Light as /F1
    (objects: catalog, pages, page, content, font)."""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g] "
            b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R %s>>"
            % (size[0], size[1], page_entries),
            stream(b"", content, flate=flate),
            SONG_FONT,
        ]
    )


# --------------------------------------------------------------------------- reportlab PDFs

REPORT_LINES = [
    "江城市财政局2023年度部门整体支出绩效自评报告",
    "一、部门基本情况",
    "本年收入合计9746.50万元，其中财政拨款收入8,012.30万元。",
    "本年支出合计9,530.18万元，预算执行率97.8%。",
    "二、绩效目标完成情况",
    "全年开展业务培训32场次，培训人员1,065名。",
]


def small_pdf(tag: str) -> bytes:
    """Return a valid one-page report whose text carries `tag`, so every copy has its own bytes
    (the pipeline treats files of the same bytes as one document)."""

    def draw(canvas: Canvas) -> None:
        y = 770
        for line in [*REPORT_LINES, f"（样本：{tag}）"]:
            canvas.drawString(72, y, line)
            y -= 20

    return canvas_pdf(draw)


def _write(path: Path, data: bytes) -> None:
    path.write_bytes(data)


def _deflate(chunks: Iterator[bytes]) -> bytes:
    """Return the zlib stream of the chunks, compressed at level 9 chunk by chunk."""
    compressor = zlib.compressobj(9)
    out = bytearray()
    for chunk in chunks:
        out += compressor.compress(chunk)
    out += compressor.flush()
    return bytes(out)


def _scan_image(seed: int, width: int = 120, height: int = 170):
    """Return a small grey PIL image that looks like a scanned page: lines of dark ink blots on
    grey paper with a few specks (little noise, so it stays small deflated)."""
    from PIL import Image

    rng = random.Random(seed)
    pixels = bytearray([238]) * (width * height)
    for _ in range(width * height // 200):
        pixels[rng.randrange(width * height)] = rng.randrange(150, 220)
    for row in range(12, height - 12, 7):
        x, end = 10 + rng.choice((0, 8)), rng.randrange(width // 2, width - 10)
        while x < end:  # a "word": a blot 2-6 pixels wide, 3 high
            blot = rng.randrange(2, 7)
            for y in range(row, row + 3):
                for dx in range(min(blot, end - x)):
                    pixels[y * width + x + dx] = 40
            x += blot + rng.randrange(1, 3)
    return Image.frombytes("L", (width, height), bytes(pixels))


# --------------------------------------------------------------------------- the cases
# 1–4: the file system


@_case(
    "unreadable-mode000.pdf",
    "unreadable",
    FAILED,
    "A valid PDF with mode 000; as root it is still readable (see Case.unreadable from build).",
)
def _unreadable(path: Path) -> None:
    path.write_bytes(small_pdf("mode 000"))
    os.chmod(path, 0)


@_case(
    os.fsdecode(b"bad-\xff\xfe-name.pdf"),
    "non_utf8_name",
    OK,
    "A valid PDF whose file name holds the bytes FF FE, which are not UTF-8.",
)
def _non_utf8_name(path: Path) -> None:
    path.write_bytes(small_pdf("bad-\\xff\\xfe-name"))


@_case("loop-a.pdf", "symlink_loop", SKIPPED, "A symlink to loop-b.pdf, which links back here.")
def _loop_a(path: Path) -> None:
    os.symlink("loop-b.pdf", path)


@_case("loop-b.pdf", "symlink_loop", SKIPPED, "A symlink to loop-a.pdf, which links back here.")
def _loop_b(path: Path) -> None:
    os.symlink("loop-a.pdf", path)


@_case("dangling.pdf", "symlink_dangling", SKIPPED, "A symlink to a file that does not exist.")
def _dangling(path: Path) -> None:
    os.symlink("missing-target.pdf", path)


# A '/' cannot stand in a file name, so the link has no "//".
@_case(
    '=HYPERLINK("http:x","y").pdf',
    "formula_name",
    OK,
    "A valid PDF whose name is a spreadsheet formula (CSV injection via documents.source_path).",
)
def _hyperlink_name(path: Path) -> None:
    path.write_bytes(small_pdf("=HYPERLINK"))


for _name in ("+cmd.pdf", "@sum.pdf", "-2+3.pdf"):
    _case(
        _name,
        "formula_name",
        OK,
        f"A valid PDF whose name starts with {_name[0]!r}, which spreadsheets take for a formula.",
    )(lambda path, tag=_name: _write(path, small_pdf(tag)))


@_case(
    "line\nbreak,name.pdf",
    "newline_name",
    OK,
    "Extra: a valid PDF whose name holds a newline and a comma (CSV rows and log lines).",
)
def _newline_name(path: Path) -> None:
    path.write_bytes(small_pdf("newline name"))


# 5: hostile characters in the text layer


@_case(
    "control-chars.pdf",
    "control_chars",
    WARN,
    "Text layer with NUL, ESC[31m, U+202E bidi override, and lines starting =1+1, @SUM(A1), +, -.",
)
def _control_chars(path: Path) -> None:
    lines = [
        "江城市财政局2023年度部门整体支出绩效自评报告",
        "一、部门基本情况",
        "本年收入合计9746.50万元\x00，其中财政拨款收入\x1b[31m8012.30万元\x1b[0m。",
        "部门名称：\u202e局政财市城江\u202c，预算执行率97.8%。",
        "=1+1",
        "@SUM(A1)",
        "+1+2 本年支出合计9530.18万元。",
        "-2+3",
        "\x07\x08\x0c\x7f结束\u2028\ufeff\u200b。",
    ]
    pdf = raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
            stream(b"", text_content(lines), flate=True),
            uni_font(6),
            stream(b"", identity_tounicode(), flate=True),
        ]
    )
    path.write_bytes(pdf)


# 6: deflate bombs


def _bomb(path: Path, inflated: int) -> None:
    head = text_content(REPORT_LINES[:3])
    chunk = b" " * MiB

    def chunks() -> Iterator[bytes]:
        yield head
        for _ in range(inflated // MiB):
            yield chunk

    data = _deflate(chunks())
    content = b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(data), data)
    path.write_bytes(
        raw_pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
                content,
                SONG_FONT,
            ]
        )
    )


@_case(
    "deflate-bomb-200mb.pdf",
    "deflate_bomb",
    WARN,
    "A 200 KB file whose one content stream inflates to 200 MiB (three text lines, then spaces).",
)
def _bomb_small(path: Path) -> None:
    _bomb(path, 200 * MiB)


@_case(
    "deflate-bomb-2gb.pdf",
    "deflate_bomb",
    FAILED,
    "A 2 MB file whose one content stream inflates to 2 GiB (three lines of text, then spaces).",
    slow=True,
)
def _bomb_large(path: Path) -> None:
    _bomb(path, 2 * GiB)


# 7: too much text


#: glyphs of one font size closer than DEDUPE_TOLERANCE (1.5 pt) in pipeline/extract/pdf.py are
#: taken for fake bold and merged, so no text here is set below 4 pt (a digit is 0.462 em wide)
#: except in the case that is about exactly that
MIN_SIZE = 4.0


@_case(
    "text-10mb-stream.pdf",
    "huge_text",
    WARN,
    "One page (200 in wide, 4 pt text) whose one content stream is 10 MiB of Tj operators, "
    "about 2 million glyphs in 55,000 lines.",
    slow=True,
)
def _huge_text(path: Path) -> None:
    rng = random.Random(7)
    size, leading, column_width, columns = MIN_SIZE, MIN_SIZE * 1.2, 150, 95
    lines = []
    total = 0
    while total < 10 * MiB:
        amount = rng.randrange(1, 99999) / 100
        rate = rng.randrange(500, 1000) / 10
        grow = rng.randrange(1, 99)
        text = (
            f"第{len(lines) + 1}项：本年收入{amount:.2f}万元，"
            f"预算执行率{rate:.1f}%，较上年增长{grow}%。"
        )
        lines.append(hex_text(text))
        total += len(lines[-1]) + 26  # with the Tm operator below (at least 26 bytes)
    per_column = -(-len(lines) // columns)
    height = per_column * leading + 40
    ops = [b"BT /F1 %g Tf" % size]
    for n, shown in enumerate(lines):
        column, row = divmod(n, per_column)
        x, y = 20 + column * column_width, height - 20 - (row + 1) * leading
        ops.append(b"1 0 0 1 %.1f %.1f Tm %s Tj" % (x, y, shown))
    ops.append(b"ET\n")
    content = b"\n".join(ops)
    path.write_bytes(one_page_pdf(content, size=(40 + columns * column_width, height)))


@_case(
    "sentence-10000-figures.pdf",
    "many_figures",
    OK,
    "One tall page (4 pt text) holding one 'sentence' of 10,000 amounts with units "
    "(收入N万元，…) and one full stop at its end.",
)
def _many_figures(path: Path) -> None:
    size, leading, width = MIN_SIZE, MIN_SIZE * 1.2, 555
    pieces = ["本年"] + [f"收入{(i * 37) % 9973 / 10:.1f}万元，" for i in range(10_000)]
    pieces[-1] = pieces[-1][:-1] + "。"
    lines, line, used = [], "", 0.0
    for piece in pieces:
        w = pdfmetrics.stringWidth(piece, FONT, size)
        if used + w > width:
            lines.append(line)
            line, used = "", 0.0
        line += piece
        used += w
    lines.append(line)
    height = len(lines) * leading + 40

    def draw(canvas: Canvas) -> None:
        text = canvas.beginText(20, height - 20 - size)
        text.setFont(FONT, size, leading)
        for line in lines:
            text.textLine(line)
        canvas.drawText(text)

    path.write_bytes(canvas_pdf(draw, pagesize=(595, height)))


@_case(
    "tiny-font-repeated-digits.pdf",
    "tiny_font",
    OK,
    "Extra: figures set in 2.2 pt, where a doubled digit (11.1, 2,222.22) stands 1 pt from its "
    "twin, closer than the extract stage's fake-bold tolerance of 1.5 pt.",
)
def _tiny_font(path: Path) -> None:
    lines = [
        "本年收入合计11,111.11万元，其中财政拨款收入2,222.22万元，项目支出33.3万元。",
        "全年开展培训100场次，覆盖1000名干部，完成率100%。",
    ]

    def draw(canvas: Canvas) -> None:
        for n, line in enumerate(REPORT_LINES[:2]):
            canvas.drawString(72, 770 - 20 * n, line)
        for n, line in enumerate(lines):
            canvas.setFont(FONT, 2.2)
            canvas.drawString(72, 720 - 4 * n, line)

    path.write_bytes(canvas_pdf(draw))


# 8: a page that renders huge


@_case(
    "image-page-100in.pdf",
    "huge_page",
    FAILED,
    "An image-only page of 100 × 100 inches (7200 pt), a small scan-like image without real text "
    "stretched over it: OCR at 300 dpi would render 30000 × 30000 pixels.",
)
def _huge_page(path: Path) -> None:
    image = ImageReader(_scan_image(8))
    path.write_bytes(
        canvas_pdf(lambda c: c.drawImage(image, 0, 0, 7200, 7200), pagesize=(7200, 7200))
    )


SCANNED_FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "scanned-report.pdf"


@_case(
    "image-page-100in-text.pdf",
    "huge_page",
    WARN,
    "Extra: a 100 × 100-inch page showing the first page scan of "
    "tests/fixtures/scanned-report.pdf (a real Chinese report, JPEG) stretched to the page's "
    "height, so OCR has text to find.",
)
def _huge_page_text(path: Path) -> None:
    width, height, jpeg = _fixture_scans()[0]
    shown = 7200 * width / height
    content = b"q %.2f 0 0 7200 %.2f 0 cm /Im0 Do Q\n" % (shown, (7200 - shown) / 2)
    path.write_bytes(
        raw_pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 7200 7200] "
                b"/Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>",
                stream(b"", content),
                stream(
                    b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                    b"/BitsPerComponent 8 /Filter /DCTDecode" % (width, height),
                    jpeg,
                ),
            ]
        )
    )


# 9: rotated pages


def _draw_rotated(canvas: Canvas, rotation: int, lines: list[str]) -> None:
    """Draw lines so that they read upright once the page is turned by /Rotate `rotation`."""
    width, height = canvas._pagesize
    canvas.setPageRotation(rotation)
    for n, line in enumerate(lines):
        down, right = 60 + n * 20, 60  # where the line starts on the page as shown
        canvas.saveState()
        if rotation == 90:  # shown top-left is user (0, 0); down is +x, right is +y
            canvas.translate(down, right)
            canvas.rotate(90)
        elif rotation == 270:  # shown top-left is user (w, h); down is -x, right is -y
            canvas.translate(width - down, height - right)
            canvas.rotate(-90)
        elif rotation == 180:  # shown top-left is user (w, 0); down is +y, right is -x
            canvas.translate(width - right, down)
            canvas.rotate(180)
        canvas.drawString(0, 0, line)
        canvas.restoreState()


@_case(
    "rotated-90-270.pdf",
    "rotated",
    OK,
    "Two pages with /Rotate 90 and /Rotate 270 whose text reads upright only when turned back.",
)
def _rotated_90_270(path: Path) -> None:
    landscape = (A4[1], A4[0])  # the user space is landscape; turned, the page is portrait

    def draw(canvas: Canvas) -> None:
        _draw_rotated(canvas, 90, REPORT_LINES[:4])
        canvas.showPage()
        canvas.setFont(FONT, 12)
        _draw_rotated(canvas, 270, ["（续）", *REPORT_LINES[4:], "三、下一步工作计划"])

    path.write_bytes(canvas_pdf(draw, pagesize=landscape))


@_case(
    "rotated-180.pdf",
    "rotated",
    OK,
    "One page with /Rotate 180 whose text is drawn upside down, upright when turned back.",
)
def _rotated_180(path: Path) -> None:
    path.write_bytes(canvas_pdf(lambda c: _draw_rotated(c, 180, REPORT_LINES)))


# 10–13: odd structure


@_case("zero-pages.pdf", "zero_pages", FAILED, "A valid PDF whose page tree is /Kids [] /Count 0.")
def _zero_pages(path: Path) -> None:
    path.write_bytes(
        raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])
    )


@_case(
    "bad-flate-stream.pdf",
    "undecodable_stream",
    FAILED,
    "The only content stream says /FlateDecode but its bytes are not zlib data.",
)
def _bad_flate(path: Path) -> None:
    junk = b"this is not zlib data " + random.Random(11).randbytes(512)
    content = b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(junk), junk)
    path.write_bytes(
        raw_pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
                content,
                SONG_FONT,
            ]
        )
    )


FORM_VALUE = "本年收入合计9746.50万元"


def _form_pdf(appearance: bool) -> bytes:
    value = b"<FEFF" + FORM_VALUE.encode("utf-16-be").hex().upper().encode() + b">"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] /DA (/F1 12 Tf 0 g) "
        b"/DR << /Font << /F1 4 0 R >> >> >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> "
        b"/Annots [5 0 R] >>",
        SONG_FONT,
        b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (income_total) /V %s /DA (/F1 12 Tf 0 g) "
        b"/Rect [72 700 372 720] /P 3 0 R /F 4 %s>>"
        % (value, b"/AP << /N 6 0 R >> " if appearance else b""),
    ]
    if appearance:
        body = b"/Tx BMC BT /F1 12 Tf 2 5 Td %s Tj ET EMC" % hex_text(FORM_VALUE)
        objects.append(
            stream(
                b"/Type /XObject /Subtype /Form /BBox [0 0 300 20] "
                b"/Resources << /Font << /F1 4 0 R >> >>",
                body,
            )
        )
    return raw_pdf(objects)


@_case(
    "form-field-with-appearance.pdf",
    "acroform_only",
    WARN,
    "No page content: the only text is a form field's /V, also drawn by its appearance stream.",
)
def _form_with_ap(path: Path) -> None:
    path.write_bytes(_form_pdf(appearance=True))


@_case(
    "form-field-value-only.pdf",
    "acroform_only",
    WARN,
    "No page content and no appearance stream: the only text is a form field's /V value.",
)
def _form_without_ap(path: Path) -> None:
    path.write_bytes(_form_pdf(appearance=False))


DEEP_LEVELS = 3000


@_case(
    "deep-page-tree-3000.pdf",
    "deep_page_tree",
    OK,
    f"A valid PDF whose one page hangs under {DEEP_LEVELS} nested /Pages nodes (recursive readers "
    "overflow).",
)
def _deep_tree(path: Path) -> None:
    # objects: 1 catalog, 2 … DEEP_LEVELS + 1 the /Pages nodes, then the page, content, font
    page = DEEP_LEVELS + 2
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for number in range(2, page):
        parent = b"" if number == 2 else b"/Parent %d 0 R " % (number - 1)
        objects.append(b"<< /Type /Pages %s/Kids [%d 0 R] /Count 1 >>" % (parent, number + 1))
    objects.append(
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
        % (page - 1, page + 2, page + 1)
    )
    objects.append(stream(b"", text_content(REPORT_LINES), flate=True))
    objects.append(SONG_FONT)
    path.write_bytes(raw_pdf(objects))


# 14: the classics


def encrypted_pdf(lines: list[str], user: str, owner: str, permissions: int) -> bytes:
    """Return a one-page PDF of the lines under the standard security handler, RC4 128-bit
    (revision 3), with reportlab's key functions. Written by hand because reportlab's own
    encryption garbles the strings of its inline CID font dictionary (/Registry (Adobe) comes out
    as noise for pdfminer and poppler alike, so the text layer reads as (cid:N))."""
    from reportlab.lib import pdfencrypt as rc4

    file_id = hashlib.md5(f"hostile-corpus {user} {owner} {permissions}".encode()).digest()
    o_entry = rc4.computeO(user, owner, 3)
    key = rc4.encryptionkey(user, o_entry, permissions, file_id, revision=3)
    u_entry = rc4.computeU(key, revision=3, documentId=file_id)

    def seal(number: int, data: bytes) -> bytes:
        return rc4.encodePDF(key, number, 0, data, revision=3)

    def hexed(data: bytes) -> bytes:
        return b"<" + data.hex().upper().encode() + b">"

    content = zlib.compress(text_content(lines), 9)
    font = SONG_FONT.replace(b"(Adobe)", hexed(seal(5, b"Adobe"))).replace(
        b"(GB1)", hexed(seal(5, b"GB1"))
    )
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
            stream(b"/Filter /FlateDecode", seal(4, content)),
            font,
            b"<< /Filter /Standard /V 2 /R 3 /Length 128 /O %s /U %s /P %d >>"
            % (hexed(o_entry), hexed(u_entry), permissions),
        ],
        trailer=b"/Encrypt 6 0 R /ID [%s %s] " % (hexed(file_id), hexed(file_id)),
    )


ALL_PERMISSIONS = -4  # every bit set but bits 1-2 (PDF 32000-1, table 22)
NO_COPY = ALL_PERMISSIONS & ~(1 << 4) & ~(1 << 9)  # bit 5 (copy) and bit 10 (extract) cleared


@_case(
    "encrypted-user-password.pdf",
    "encrypted",
    FAILED,
    "RC4-128 encrypted with a user password ('secret'): cannot be opened without it.",
)
def _encrypted(path: Path) -> None:
    path.write_bytes(encrypted_pdf(REPORT_LINES, "secret", "owner", ALL_PERMISSIONS))


@_case(
    "encrypted-owner-only.pdf",
    "encrypted",
    OK,
    "RC4-128 encrypted with an empty user password and copying forbidden: opens without one.",
)
def _encrypted_owner(path: Path) -> None:
    path.write_bytes(encrypted_pdf(REPORT_LINES, "", "owner", NO_COPY))


@_case(
    "encrypted-reportlab.pdf",
    "encrypted",
    WARN,
    "Extra: reportlab's own RC4-128 encryption, empty user password; its CID font dictionary's "
    "strings come out garbled, so the text layer is (cid:N) glyphs.",
)
def _encrypted_reportlab(path: Path) -> None:
    encryption = StandardEncryption("", ownerPassword="owner", strength=128)
    path.write_bytes(canvas_pdf(_draw_report, encrypt=encryption))


def _draw_report(canvas: Canvas) -> None:
    for n, line in enumerate(REPORT_LINES):
        canvas.drawString(72, 770 - 20 * n, line)


@_case(
    "truncated-half.pdf", "truncated", FAILED, "A valid 3-page report cut after half its bytes."
)
def _truncated(path: Path) -> None:
    def draw(canvas: Canvas) -> None:
        for page in range(3):
            if page:
                canvas.showPage()
                canvas.setFont(FONT, 12)
            _draw_report(canvas)

    pdf = canvas_pdf(draw)
    path.write_bytes(pdf[: len(pdf) // 2])


@_case("png-named-pdf.pdf", "not_a_pdf", FAILED, "A PNG image named .pdf.")
def _png(path: Path) -> None:
    buffer = io.BytesIO()
    _scan_image(14).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())


@_case("text-named-pdf.pdf", "not_a_pdf", FAILED, "A UTF-8 text file named .pdf.")
def _text(path: Path) -> None:
    path.write_text("这不是PDF文件。\n本年收入合计9746.50万元。\n", encoding="utf-8")


@_case("empty.pdf", "empty", FAILED, "A 0-byte file.")
def _empty(path: Path) -> None:
    path.write_bytes(b"")


@_case(
    "header-then-garbage.pdf",
    "garbage",
    FAILED,
    "A %PDF-1.7 header followed by 4 KiB of random bytes (seeded).",
)
def _garbage(path: Path) -> None:
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + random.Random(1413).randbytes(4096))


# 15: many scanned pages


@_case(
    "scan-300-pages.pdf",
    "many_scan_pages",
    FAILED,
    "300 image-only pages, each a small different scan-like image without real text: 300 pages "
    "for OCR.",
    slow=True,
)
def _many_scans(path: Path) -> None:
    images = [ImageReader(_scan_image(1500 + n)) for n in range(300)]

    def draw(canvas: Canvas) -> None:
        for n, image in enumerate(images):
            if n:
                canvas.showPage()
            canvas.drawImage(image, 0, 0, A4[0], A4[1])

    path.write_bytes(canvas_pdf(draw))


def _fixture_scans() -> list[tuple[int, int, bytes]]:
    """Return (width, height, JPEG bytes) of each page scan in SCANNED_FIXTURE."""
    import pdfplumber

    with pdfplumber.open(SCANNED_FIXTURE) as pdf:
        images = [page.images[0] for page in pdf.pages]
        return [(*image["srcsize"], image["stream"].get_rawdata()) for image in images]


@_case(
    "scan-300-pages-text.pdf",
    "many_scan_pages",
    WARN,
    "Extra: 300 image-only A4 pages alternating the two real page scans of "
    "tests/fixtures/scanned-report.pdf (each image stored once): 300 pages of real OCR.",
    slow=True,
)
def _many_real_scans(path: Path) -> None:
    scans = _fixture_scans()
    n_pages, first_page = 300, 3 + len(scans)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % (first_page + 2 * n) for n in range(n_pages)), n_pages),
    ]
    for width, height, jpeg in scans:  # objects 3, 4, …
        objects.append(
            stream(
                b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8 /Filter /DCTDecode" % (width, height),
                jpeg,
            )
        )
    for n in range(n_pages):  # a page and its content stream
        page = first_page + 2 * n
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>"
            % (3 + n % len(scans), page + 1)
        )
        objects.append(stream(b"", b"q 595 0 0 842 0 0 cm /Im0 Do Q\n"))
    path.write_bytes(raw_pdf(objects))


# 16: a file that vanishes between listing and reading cannot be built statically (see the module
# docstring).

# 17: hidden text


@_case(
    "white-text-numbers.pdf",
    "hidden_text",
    OK,
    "White-on-white lines with figures (本年收入合计99999.99万元) beside the normal black text.",
)
def _white_text(path: Path) -> None:
    def draw(canvas: Canvas) -> None:
        y = 770
        for n, line in enumerate(REPORT_LINES):
            canvas.setFillColorRGB(0, 0, 0)
            canvas.drawString(72, y, line)
            y -= 20
            if n in (2, 3):
                canvas.setFillColorRGB(1, 1, 1)
                canvas.drawString(72, y, "本年收入合计99999.99万元，预算执行率100.0%，隐藏文字。")
                y -= 20

    path.write_bytes(canvas_pdf(draw))


# --------------------------------------------------------------------------- build


def _remove(path: Path) -> None:
    if path.is_symlink() or path.exists():
        path.unlink()


def _really_unreadable(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            handle.read(1)
    except OSError:
        return True
    return False


def build(directory: Path, slow: bool = False) -> list[Case]:
    """Write every fast case (every case with slow=True) into `directory`, replacing what is
    there under their names, and return the cases written. The mode-000 case comes back with
    `unreadable` telling whether this process really cannot open it (root can)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for case in CASES:
        if case.slow and not slow:
            continue
        path = directory / case.name
        _remove(path)
        _BUILDERS[case.name](path)
        if case.kind == "unreadable":
            case = dataclasses.replace(case, unreadable=_really_unreadable(path))
        written.append(case)
    return written


def printable(name: str) -> str:
    """Return a case's file name as printable text (\\xff for bytes that are not UTF-8)."""
    text = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return text.replace("\n", "\\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--slow", action="store_true", help="also build the slow cases")
    args = parser.parse_args(argv)
    for case in build(args.outdir, slow=args.slow):
        path = args.outdir / case.name
        size = os.lstat(path).st_size if not path.is_symlink() else 0
        extra = f"  unreadable={case.unreadable}" if case.unreadable is not None else ""
        flag = " slow" if case.slow else ""
        print(f"{printable(case.name):40} {case.kind:20} {case.expect:16} {size:>10}{flag}{extra}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
