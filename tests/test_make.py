"""End to end: `make run` into a temporary folder, as an analyst runs it."""

from __future__ import annotations

import shutil
import subprocess

import duckdb
import pandas as pd
import pytest
from helpers import FIXTURES, RAW, ROOT

from pipeline.schema import TABLES


@pytest.mark.slow
def test_make_run_writes_every_table_and_the_database(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    shutil.copy(FIXTURES / "truncated.pdf", raw)
    out, work = tmp_path / "out", tmp_path / "work"
    result = subprocess.run(
        ["make", "-C", str(ROOT), "run", f"RAW={raw}", f"OUT={out}", f"WORK={work}", "JOBS=2"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Processed 4 documents: 3 ok, 1 failed" in result.stdout
    for name, schema in TABLES.items():
        frame = pd.read_parquet(out / f"{name}.parquet")
        assert list(frame.columns) == schema.names
        csv = pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig")
        assert list(csv.columns) == schema.names and len(csv) == len(frame)
    with duckdb.connect(str(out / "reports.duckdb"), read_only=True) as con:
        tables = {row[0] for row in con.execute("SHOW TABLES").fetchall()}
        assert tables == set(TABLES)
        ok = con.execute("SELECT count(*) FROM documents WHERE status = 'ok'").fetchone()[0]
        assert ok == 3
        kinds = dict(con.execute("SELECT kind, count(*) FROM figures GROUP BY kind").fetchall())
        assert kinds["money"] > 20 and kinds["count"] > 50
        assert con.execute("SELECT count(*) FROM indicators").fetchone()[0] >= 10
    assert not list(out.glob("*.tmp")) and not list(out.glob(".*"))


@pytest.mark.slow
def test_make_clean_data_keeps_raw(tmp_path):
    raw, out, work = tmp_path / "raw", tmp_path / "out", tmp_path / "work"
    for folder in (raw, out, work):
        folder.mkdir()
    (raw / "keep.pdf").write_bytes(b"%PDF-")
    subprocess.run(
        ["make", "-C", str(ROOT), "clean-data", f"RAW={raw}", f"OUT={out}", f"WORK={work}"],
        check=True,
        capture_output=True,
    )
    assert (raw / "keep.pdf").exists() and not out.exists() and not work.exists()


def test_ci_entry_point_parses_and_ends_in_make_test():
    """CI runs `.ci/run` on a clean clone; a shell syntax error there fails every landing."""
    script = ROOT / ".ci" / "run"
    result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert script.stat().st_mode & 0o111, ".ci/run must be executable"
    commands = [line.strip() for line in script.read_text().splitlines() if line.strip()]
    assert commands[-1] == "make test" and commands[0].startswith("#!")


def test_make_audit_prints_the_self_checks_of_each_input_and_skips_an_absent_one(tmp_path):
    raw = tmp_path / "reports"
    raw.mkdir()
    shutil.copy(RAW / "2023_gz_laoganbu_zhengti_zipingbaogao.pdf", raw)
    missing = tmp_path / "nowhere"
    result = subprocess.run(
        ["make", "-s", "-C", str(ROOT), "audit", f"AUDIT_INPUTS={raw} {missing}",
         f"AUDIT_DIR={tmp_path / 'audit'}", "JOBS=1"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"Audit of {tmp_path / 'audit' / 'reports' / 'processed'}: 1 documents" in result.stdout
    assert "figure_on_page" in result.stdout and f"skipped {missing}: absent" in result.stdout
