"""A tiny valid PDF that pdfminer takes practically forever to read: nested form XObjects.

The page draws form 0; form k draws form k+1 `fanout` times; the last form draws nothing.
pdfminer interprets every drawing of every form anew, so reading the page costs fanout**depth
form calls (each about 40 µs): depth 5 takes seconds, depth 9 about half a day, all in a
3 KB file. Nothing is drawn, so memory stays flat while it runs.
"""

from __future__ import annotations

from pdfmaker import raw_pdf

HANGS_NAME = "zz-nested-forms-hang.pdf"


def nested_forms_pdf(depth: int = 9, fanout: int = 10) -> bytes:
    """Return the PDF bytes (objects 1-3: catalog, pages, page; then the forms; then the page
    content)."""
    first_form = 4
    content_id = first_form + depth + 1
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /XObject << /X0 %d 0 R >> >> /Contents %d 0 R >>"
        % (first_form, content_id),
    ]
    for level in range(depth + 1):
        if level < depth:
            body = b" ".join([b"q /X Do Q"] * fanout)
            resources = b"/Resources << /XObject << /X %d 0 R >> >>" % (first_form + level + 1)
        else:
            body, resources = b"0 0 m", b""
        objects.append(
            _stream(b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] " + resources, body)
        )
    objects.append(_stream(b"", b"/X0 Do"))
    return raw_pdf(objects)


def _stream(entries: bytes, body: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (entries, len(body), body)
