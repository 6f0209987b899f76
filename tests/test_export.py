"""Issue 14: `pipeline export` — the tables as one Excel workbook that opens as it should: a sheet
per table with a frozen header, numbers as numbers, every text as text (no formula runs), and
Excel's limits said; or copies of the CSV and Parquet files."""

from __future__ import annotations

import re
import shutil
import zipfile

import pytest
from click.testing import CliRunner
from helpers import FIXTURES, RAW, run_config

from pipeline.cli import main
from pipeline.runner import run_pipeline
from pipeline.schema import TABLES

FORMULA_NAME = '=HYPERLINK("http:x","y").pdf'


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    base = tmp_path_factory.mktemp("export")
    shutil.copytree(RAW, base / "raw")
    shutil.copy(FIXTURES / "arithmetic-error.pdf", base / "raw" / FORMULA_NAME)
    run_pipeline(run_config(base / "raw", base, jobs=2))
    result = CliRunner().invoke(main, ["export", "--out", str(base / "out")])
    assert result.exit_code == 0, result.output
    return base / "out" / "reports.xlsx", result.output


def sheets(path) -> dict[str, str]:
    """Return each sheet's XML by its name."""
    with zipfile.ZipFile(path) as book:
        workbook = book.read("xl/workbook.xml").decode()
        names = re.findall(r'<sheet name="([^"]+)"', workbook)
        return {n: book.read(f"xl/worksheets/sheet{i}.xml").decode()
                for i, n in enumerate(names, start=1)}  # fmt: skip


def test_the_workbook_has_a_sheet_per_table_with_a_frozen_header(exported):
    path, output = exported
    assert f"Exported: {path}" in output
    found = sheets(path)
    assert list(found) == ["about", *TABLES]
    for name in TABLES:
        assert 'ySplit="1"' in found[name] and "<f>" not in found[name], name


def test_workbook_numbers_are_numbers_and_a_formula_name_is_text(exported):
    figures = sheets(exported[0])["figures"]
    numbers = re.findall(r'<c r="[A-Z]+\d+"(?: s="\d+")?><v>([^<]+)</v>', figures)
    assert numbers and all(re.fullmatch(r"-?[\d.E+-]+", v) for v in numbers)
    assert "<v>185183200</v>" in figures  # 18,518.32万元 of the seed sample, in 元
    documents = sheets(exported[0])["documents"]
    assert 't="inlineStr"><is><t>=HYPERLINK("http:x","y").pdf</t>' in documents  # text
    assert "<f>" not in documents


def test_the_about_sheet_names_every_table(exported):
    about = sheets(exported[0])["about"]
    for name in TABLES:
        assert f"<t>{name}</t>" in about


def test_export_csv_copies_every_table_and_a_missing_output_exits_1(tmp_path,
                                                                                  exported):
    out = exported[0].parent
    result = CliRunner().invoke(main, ["export", "--out", str(out), "--format", "csv",
                                       "--to", str(tmp_path / "csv")])  # fmt: skip
    assert result.exit_code == 0 and sorted(p.name for p in (tmp_path / "csv").iterdir()) == \
        sorted(f"{n}.csv" for n in TABLES)  # fmt: skip
    missing = CliRunner().invoke(main, ["export", "--out", str(tmp_path / "none")])
    assert missing.exit_code == 1 and "run `pipeline run" in missing.output


def test_list_and_show_find_a_document_by_name_or_id(exported):
    out = exported[0].parent
    listed = CliRunner().invoke(main, ["list", "--out", str(out), "--format", "csv"])
    assert listed.exit_code == 0
    assert "2023_gz_laoganbu_zhengti_zipingbaogao.pdf" in listed.output
    shown = CliRunner().invoke(main, ["show", "2023_gz_laoganbu_zhengti_zipingbaogao.pdf",
                                      "--out", str(out)])  # fmt: skip
    assert shown.exit_code == 0, shown.output
    assert "中国共产党广州市委老干部局 · 2023 · 部门整体支出绩效自评报告 · ok" in shown.output
    assert "income_total" in shown.output and "18,518.32 万元" in shown.output
    by_id = CliRunner().invoke(main, ["show", shown.output.split("(")[1][:6], "--out", str(out)])
    assert by_id.output == shown.output
    nothing = CliRunner().invoke(main, ["show", "nope.pdf", "--out", str(out)])
    assert nothing.exit_code == 2 and "`pipeline list` shows them" in nothing.output


def test_load_table_keeps_integer_columns_as_int64(exported):
    import pipeline

    documents = pipeline.load_table("documents", exported[0].parent)
    assert str(documents.year.dtype) == "Int64" and str(documents.n_pages.dtype) == "Int64"


def test_pandas_to_excel_works_without_extra_installs(exported, tmp_path):
    """A researcher's own `df.to_excel()` needs an Excel writer installed (XlsxWriter is)."""
    import pipeline

    figures = pipeline.load_table("figures", exported[0].parent)
    figures.head(50).to_excel(tmp_path / "mine.xlsx", index=False)
    with zipfile.ZipFile(tmp_path / "mine.xlsx") as book:
        assert "xl/worksheets/sheet1.xml" in book.namelist()
