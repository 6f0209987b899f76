"""The command line: run with good and broken inputs side by side, exit codes, query, help."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys

import pandas as pd
import pytest
from click.testing import CliRunner
from helpers import BROKEN, FIXTURES, RAW, SEED_SAMPLE

from pipeline import __version__
from pipeline.cli import main


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


@pytest.fixture(scope="module")
def mixed_run(tmp_path_factory):
    """One good report next to every kind of broken file, run through the CLI."""
    base = tmp_path_factory.mktemp("cli")
    raw = base / "raw"
    raw.mkdir()
    shutil.copy(SEED_SAMPLE, raw / SEED_SAMPLE.name)
    for name in BROKEN:
        shutil.copy(FIXTURES / name, raw / name)
    args = ["run", str(raw), "--out", str(base / "out"), "--work", str(base / "work"), "-j", "1"]
    result = CliRunner().invoke(main, args)
    return base, args, result


def test_run_keeps_good_documents_and_reports_each_broken_one(mixed_run):
    base, _, result = mixed_run
    assert result.exit_code == 0, result.output
    assert "Processed 5 documents: 1 ok, 4 failed" in result.output
    assert "encrypted.pdf: the PDF is encrypted with a password" in result.output
    runner = CliRunner()
    out = runner.invoke(
        main,
        [
            "query",
            "SELECT source_path, status, error FROM documents ORDER BY source_path",
            "--out",
            str(base / "out"),
            "--format",
            "json",
        ],
    )
    rows = {r["source_path"]: r for r in json.loads(out.output)}
    assert rows[SEED_SAMPLE.name]["status"] == "ok" and rows[SEED_SAMPLE.name]["error"] is None
    assert rows["empty.pdf"]["error"] == "the file is empty (0 bytes)."
    assert rows["not-a-pdf.pdf"]["error"] == "the file is not a PDF (no %PDF- header)."
    assert rows["truncated.pdf"]["error"].startswith("the PDF is truncated or damaged")


def test_strict_exits_1_when_a_document_failed(mixed_run):
    _, args, _ = mixed_run
    result = CliRunner().invoke(main, [*args, "--strict"])
    assert result.exit_code == 1
    assert "4 failed" in result.output


def test_a_missing_input_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(main, ["run", str(tmp_path / "missing"), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_bad_option_value_exits_2(runner):
    assert runner.invoke(main, ["run", "--jobs", "0"]).exit_code == 2


def test_query_prints_a_table(mixed_run, runner):
    base, _, _ = mixed_run
    sql = "SELECT kind, count(*) AS n FROM figures GROUP BY kind ORDER BY kind"
    result = runner.invoke(main, ["query", sql, "--out", str(base / "out")])
    assert result.exit_code == 0, result.output
    header, *rows = result.output.strip().splitlines()
    assert header.split() == ["kind", "n"]
    kinds = {line.split()[0]: int(line.split()[1]) for line in rows}
    assert kinds["money"] >= 8 and kinds["count"] >= 30 and kinds["percent"] >= 4


def test_query_csv_and_errors(mixed_run, runner, tmp_path):
    base, _, _ = mixed_run
    result = runner.invoke(
        main,
        [
            "query",
            "SELECT year, report_type FROM documents WHERE status = 'ok'",
            "--out",
            str(base / "out"),
            "--format",
            "csv",
        ],
    )
    # a byte-order mark first when the output is not a terminal, so Excel reads it as UTF-8
    lines = ["\ufeffyear,report_type", "2023,部门整体支出绩效自评报告"]
    assert result.output.splitlines() == lines
    bad = runner.invoke(main, ["query", "SELECT nope FROM figures", "--out", str(base / "out")])
    assert bad.exit_code == 1 and "the query failed" in bad.output
    empty = runner.invoke(main, ["query", "SELECT 1", "--out", str(tmp_path)])
    assert empty.exit_code == 1 and "run `pipeline run" in empty.output


def test_query_csv_prints_token_lists_as_json_not_numpy_reprs(mixed_run, runner):
    base = mixed_run[0]
    sql = "SELECT tokens, pos FROM sentences WHERE len(tokens) > 2 LIMIT 1"
    result = runner.invoke(main, ["query", sql, "--out", str(base / "out"), "--format", "csv"])
    assert result.exit_code == 0, result.output
    tokens, pos = next(csv.reader(result.output.lstrip("\ufeff").splitlines()[1:]))
    assert len(json.loads(tokens)) == len(pos.split(" ")) > 2
    assert "' '" not in result.output


@pytest.mark.parametrize(
    "command",
    ["run", "extract", "segment", "figures", "facts", "load", "query", "checks", "eval",
     "review", "export", "list", "show"],
)
def test_every_command_has_help_with_an_example(runner, command):
    result = runner.invoke(main, [command, "--help"])
    assert result.exit_code == 0 and "Example:" in result.output


def test_version(runner):
    assert __version__ in runner.invoke(main, ["--version"]).output


def test_python_dash_m_pipeline_works():
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "--help"], capture_output=True, text=True, check=True
    )
    assert "Usage: pipeline" in result.stdout


def test_readme_queries_answer_the_analysts_questions(tmp_path):
    from helpers import RAW

    out = tmp_path / "out"
    CliRunner().invoke(
        main, ["run", str(RAW), "--out", str(out), "--work", str(tmp_path / "w"), "-j", "1"]
    )
    below = (
        "SELECT d.organization, m.value FROM documents d JOIN metrics m USING (doc_id) "
        "WHERE m.metric IN ('budget_execution_rate', 'project_execution_rate') "
        "AND m.value < {} ORDER BY m.value"
    )
    rows = CliRunner().invoke(
        main, ["query", below.format(97), "--out", str(out), "--format", "json"]
    )
    assert json.loads(rows.output) == [
        {"organization": "江城市司法局", "value": 96.0},
        {"organization": "江城市临江区", "value": 96.9},
    ]
    none = CliRunner().invoke(main, ["query", below.format(95), "--out", str(out)])
    assert none.output.strip() == "(no rows)"
    key_tasks = (
        "SELECT d.organization, count(*) AS key_tasks FROM tasks t JOIN sections s "
        "ON s.doc_id = t.doc_id AND s.section_id = t.section_id JOIN documents d "
        "ON d.doc_id = t.doc_id WHERE s.heading LIKE '%重点工作%' AND t.level = 1 "
        "GROUP BY ALL ORDER BY key_tasks DESC"
    )
    rows = CliRunner().invoke(main, ["query", key_tasks, "--out", str(out), "--format", "json"])
    assert json.loads(rows.output) == [
        {"organization": "中国共产党广州市委老干部局", "key_tasks": 6},
        {"organization": "江城市司法局", "key_tasks": 4},
    ]


@pytest.mark.parametrize(
    ("verb", "ran"),
    [("facts", ["facts"]), ("figures", ["figures", "facts"]), ("load", [])],
)
def test_a_stage_verb_reruns_that_stage_and_the_ones_after_it(tmp_path, verb, ran, monkeypatch):
    import pipeline.runner.run as run

    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED_SAMPLE, raw)
    paths = [str(raw), "--out", str(tmp_path / "out"), "--work", str(tmp_path / "work"), "-j", "1"]
    assert CliRunner().invoke(main, ["run", *paths]).exit_code == 0
    results, real = [], run.run_pipeline

    def kept(*args):
        results.append(real(*args))
        return results[-1]

    monkeypatch.setattr(run, "run_pipeline", kept)
    result = CliRunner().invoke(main, [verb, *paths])
    assert result.exit_code == 0, result.output
    assert results[0].summaries[0]["ran"] == ran and "tables rewritten" in result.output


def test_checks_lists_failed_checks_by_document_family_and_page(runner, tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(FIXTURES / "arithmetic-error.pdf", raw)
    shutil.copy(FIXTURES / "self-eval-table.pdf", raw)
    out = tmp_path / "out"
    args = [str(raw), "--out", str(out), "--work", str(tmp_path / "work"), "--jobs", "1"]
    result = runner.invoke(main, ["-q", "checks", *args])
    assert result.exit_code == 0, result.output
    report = result.output[result.output.index("arithmetic-error.pdf (") :]
    heading, family, line = report.splitlines()[:3]
    assert "1 failed, 1 error(s)" in heading and family.strip() == "metric"
    assert line.split()[:2] == ["p1", "error"] and "9,835.84" in line and "9,735.84" in line
    assert "1 failed check(s) in 1 of 2 document(s)." in result.output
    as_json = runner.invoke(main, ["checks", "--out", str(out), "--format", "json"])
    rows = json.loads(as_json.output)
    assert [(r["family"], r["check"], r["page_no"]) for r in rows] == [
        ("metric", "expenditure_split", 1)
    ]
    none = runner.invoke(main, ["checks", "--out", str(out), "--family", "hygiene"])
    assert none.output.strip() == "No failed checks in 2 document(s)."
    bad = runner.invoke(main, ["checks", "--out", str(out), "--family", "spelling"])
    assert bad.exit_code == 2 and "spelling" in bad.output


def test_a_run_over_no_pdf_exits_2_and_leaves_the_output_as_it_was(tmp_path):
    out, work, empty = tmp_path / "out", tmp_path / "work", tmp_path / "empty"
    empty.mkdir()
    (tmp_path / "in").mkdir()
    shutil.copy(SEED_SAMPLE, tmp_path / "in" / "seed.pdf")
    first = CliRunner().invoke(main, ["-q", "run", str(tmp_path / "in"), "--out", str(out),
                                      "--work", str(work), "-j", "1"])  # fmt: skip
    assert first.exit_code == 0, first.output
    assert f'query --out {out} "SELECT' in first.output  # the hint works as printed
    before = (out / "documents.parquet").read_bytes()
    again = CliRunner().invoke(main, ["run", str(empty), "--out", str(out), "--work", str(work)])
    assert again.exit_code == 2 and "no PDF found in" in again.output
    assert (out / "documents.parquet").read_bytes() == before


def test_quiet_is_accepted_after_the_subcommand(tmp_path):
    (tmp_path / "in").mkdir()
    shutil.copy(SEED_SAMPLE, tmp_path / "in" / "seed.pdf")
    args = [str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--work", str(tmp_path / "w")]
    result = CliRunner().invoke(main, ["run", *args, "-q", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "Processed 1 documents" in result.output


def test_a_run_dropping_held_documents_exits_2_unless_replace(tmp_path):
    inputs, out, work = tmp_path / "in", tmp_path / "out", tmp_path / "work"
    inputs.mkdir()
    first, second, third = sorted(RAW.glob("*.pdf"))[:3]
    shutil.copy(first, inputs / "a.pdf")
    shutil.copy(second, inputs / "b.pdf")
    folders = ["--out", str(out), "--work", str(work), "-j", "1"]
    assert CliRunner().invoke(main, ["-q", "run", str(inputs), *folders]).exit_code == 0
    before = (out / "documents.parquet").read_bytes()

    one = CliRunner().invoke(main, ["run", str(inputs / "a.pdf"), *folders])
    assert one.exit_code == 2
    assert "holds 1 document these inputs leave out (b.pdf)" in one.output
    assert "--replace" in one.output
    assert (out / "documents.parquet").read_bytes() == before

    shutil.copy(third, inputs / "b.pdf")  # a new version under the same name is no drop
    shutil.rmtree(work / "load")  # without the last write's stamp the table itself is read
    edited = CliRunner().invoke(main, ["-q", "run", str(inputs), *folders])
    assert edited.exit_code == 0, edited.output

    replaced = CliRunner().invoke(
        main, ["-q", "run", str(inputs / "a.pdf"), *folders, "--replace"]
    )
    assert replaced.exit_code == 0, replaced.output
    held = pd.read_parquet(out / "documents.parquet")
    assert held["source_path"].tolist() == ["a.pdf"]


def test_importing_the_cli_loads_neither_the_stages_nor_pyarrow():
    """A run that finds everything up to date is mostly Python starting: the CLI module loads
    neither the stages nor pyarrow, and `pipeline.io` loads pyarrow only for its tables."""
    heavy = "('pyarrow', 'pandas', 'duckdb', 'pipeline.facts', 'jieba', 'importlib.metadata')"
    loaded = f"[m for m in {heavy} if m in sys.modules]"
    code = f"import sys, pipeline.cli, pipeline.io; print({loaded})"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
