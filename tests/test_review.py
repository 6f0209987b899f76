"""The review site (`pipeline review`): a page per document, the index lists them, figures
marked with their values, failed checks linked to their pages, hostile text escaped, and (with
chromium) the pages as a real browser shows them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import FIXTURES, RAW, run_config
from pdfmaker import canvas_pdf

from pipeline.cli import main
from pipeline.io import read_table
from pipeline.views.review import build_site

HOSTILE = "<script>alert(1)</script>收入100万元"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SANDBOX = ["--no-sandbox"] if os.geteuid() == 0 else []  # chromium's sandbox refuses root


class Parsed(HTMLParser):
    """The elements of a page: every start tag with its attributes, and every <script>'s
    text."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)

    def find(self, tag: str, **attrs) -> list[dict]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in
                                                             attrs.items())]  # fmt: skip


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The samples, the arithmetic-error fixture and a report printing a <script> tag, run
    through the pipeline, then the site built from its tables."""
    base = tmp_path_factory.mktemp("review")
    raw = base / "raw"
    raw.mkdir()
    for pdf in RAW.glob("*.pdf"):
        shutil.copy(pdf, raw / pdf.name)
    shutil.copy(FIXTURES / "arithmetic-error.pdf", raw / "arithmetic-error.pdf")
    shutil.copy(FIXTURES / "not-a-pdf.pdf", raw / "not-a-pdf.pdf")
    hostile = canvas_pdf(lambda c: c.drawString(72, 760, HOSTILE))
    (raw / "hostile.pdf").write_bytes(hostile)
    from pipeline.runner import run_pipeline

    config = run_config(raw, base, jobs=1)
    run_pipeline(config)
    index = build_site(config.out_dir)
    return config.out_dir, index


def doc_id_of(out: Path, source_path: str) -> str:
    documents = read_table(out, "documents")
    return documents.loc[documents["source_path"] == source_path, "doc_id"].item()


def test_every_document_has_a_page_and_the_index_links_to_each(site):
    out, index = site
    assert index == out / "review" / "index.html"
    documents = read_table(out, "documents")
    parsed = Parsed(index.read_text(encoding="utf-8"))
    links = {a["href"] for a in parsed.find("a") if "href" in a}
    rows = {a["data-doc"] for a in parsed.find("tr") if "data-doc" in a}
    assert rows == set(documents["doc_id"])
    for doc_id in documents["doc_id"]:
        assert (out / "review" / "doc" / f"{doc_id}.html").is_file()
        assert f"doc/{doc_id}.html" in links
    failed = documents[documents["status"] == "failed"]
    assert len(failed) == 1
    text = index.read_text(encoding="utf-8")
    assert "the file is not a PDF" in text
    assert "<svg" in text and "self_eval_score" in text  # the charts are inline
    assert not re.search(r'(src|href)="(https?:)?//', text)  # nothing from the network


def test_the_index_is_sortable_by_its_headers(site):
    _, index = site
    parsed = Parsed(index.read_text(encoding="utf-8"))
    assert parsed.find("table", **{"class": "sortable", "id": "documents"})
    headers = [a for t, a in parsed.tags if t == "th"]
    assert len(headers) == 9
    assert any("addEventListener('click'" in s for s in parsed.scripts)


def test_a_figure_of_a_sample_is_marked_with_its_kind_and_value(site):
    out, _ = site
    doc_id = doc_id_of(out, "arithmetic-error.pdf")
    html = (out / "review" / "doc" / f"{doc_id}.html").read_text(encoding="utf-8")
    mark = re.search(r'<mark class="fig kind-money"[^>]*data-value="98465700\.0"[^>]*>'
                     r"9,846\.57万元</mark>", html)  # fmt: skip
    assert mark, "年度收入 9,846.57万元 should be marked as money with its value in 元"
    assert 'title="98,465,700 元 (money, exact' in mark.group(0)
    # every text figure of every document is marked, on its page's text
    figures = read_table(out, "figures")
    for doc, group in figures[figures["source"] == "text"].groupby("doc_id"):
        page = (out / "review" / "doc" / f"{doc}.html").read_text(encoding="utf-8")
        assert page.count('<mark class="fig ') == len(group), doc


def test_a_failed_check_links_to_the_anchor_of_its_page(site):
    out, _ = site
    doc_id = doc_id_of(out, "arithmetic-error.pdf")
    parsed = Parsed((out / "review" / "doc" / f"{doc_id}.html").read_text(encoding="utf-8"))
    checks = parsed.find("div", **{"class": "check error"})
    assert len(checks) == 1
    html = (out / "review" / "doc" / f"{doc_id}.html").read_text(encoding="utf-8")
    check = re.search(r'<div class="check error"[^>]*>(.*?)</div></div>', html, re.S).group(1)
    assert '<a href="#page-1">page 1</a>' in check and "expenditure_split" in check
    assert "9,835.84" in check  # its message
    assert parsed.find("section", id="page-1")
    index = Parsed((out / "review" / "index.html").read_text(encoding="utf-8"))
    row = [a for a in index.find("tr") if a.get("data-doc") == doc_id]
    assert row


def test_hostile_text_is_escaped(site):
    out, index = site
    doc_id = doc_id_of(out, "hostile.pdf")
    pages = read_table(out, "pages")
    assert "<script>alert(1)</script>" in pages.loc[pages["doc_id"] == doc_id, "text"].item()
    html = (out / "review" / "doc" / f"{doc_id}.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert re.search(r'<mark class="fig kind-money"[^>]*data-value="1000000\.0"', html)
    parsed = Parsed(html)
    assert len(parsed.find("script")) == 1  # the page's own sorting script only
    assert "<script>alert" not in index.read_text(encoding="utf-8")


def test_the_cli_prints_where_the_site_is(site, tmp_path):
    out, index = site
    result = CliRunner().invoke(main, ["review", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert str(index) in result.output
    missing = CliRunner().invoke(main, ["review", "--out", str(tmp_path)])
    assert missing.exit_code == 1 and "run `pipeline run" in missing.output


def chromium(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CHROMIUM, "--headless", *SANDBOX, "--disable-gpu", "--hide-scrollbars", *args],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium on PATH (apt-get install chromium)")
def test_a_headless_browser_shows_the_index_and_a_document(site, tmp_path):
    from PIL import Image

    out, index = site
    doc_id = doc_id_of(out, "arithmetic-error.pdf")
    document = out / "review" / "doc" / f"{doc_id}.html"
    for name, page in (("index", index), ("document", document)):
        png = tmp_path / f"{name}.png"
        chromium(f"--screenshot={png}", "--window-size=1280,900", page.as_uri())
        assert png.is_file()
        with Image.open(png) as image:
            assert image.size == (1280, 900)
            colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
            assert colours is None or len(colours) > 1, f"{name} screenshot is blank"
    dom = chromium("--dump-dom", document.as_uri()).stdout
    assert re.search(r'<mark class="fig kind-money"[^>]*data-value="98465700\.0"', dom)
    assert 'id="page-1"' in dom
    hostile = out / "review" / "doc" / f"{doc_id_of(out, 'hostile.pdf')}.html"
    hostile_dom = chromium("--dump-dom", hostile.as_uri()).stdout
    assert "<script>alert" not in hostile_dom and "alert(1)" in hostile_dom


def test_every_table_value_is_a_marked_cell_of_its_table(site):
    out, _ = site
    values = read_table(out, "table_values")
    doc_tables = read_table(out, "doc_tables")
    assert len(values)
    for doc_id, group in values.groupby("doc_id"):
        html = (out / "review" / "doc" / f"{doc_id}.html").read_text(encoding="utf-8")
        assert html.count('<td class="value num"') == len(group), doc_id
        for table_id in doc_tables.loc[doc_tables["doc_id"] == doc_id, "table_id"]:
            assert f'<h3 id="table-{table_id}">' in html
