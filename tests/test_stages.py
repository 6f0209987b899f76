"""Stage commands rerun their stage and what follows it; the cache serves the rest."""

from __future__ import annotations

import shutil

import pytest
from conftest import SEED_SAMPLE, run_config

from pipeline.config import Stage
from pipeline.runner import run_pipeline


@pytest.fixture()
def raw(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    shutil.copy(SEED_SAMPLE, folder)
    return folder


def _config(raw, tmp_path, force=frozenset()):
    return run_config(raw, tmp_path, jobs=1, force=force)


def test_second_run_reuses_every_stage_and_rewrites_the_tables(raw, tmp_path):
    first = run_pipeline(_config(raw, tmp_path))
    assert first.summaries[0]["ran"] == ["extract", "segment", "figures", "facts"]
    second = run_pipeline(_config(raw, tmp_path))
    assert second.summaries[0]["ran"] == []
    assert second.counts == first.counts


def test_forcing_figures_reruns_figures_and_facts_only(raw, tmp_path):
    run_pipeline(_config(raw, tmp_path))
    again = run_pipeline(_config(raw, tmp_path, force=frozenset({Stage.FIGURES})))
    assert again.summaries[0]["ran"] == ["figures", "facts"]


def test_a_stage_needs_what_comes_before_it_and_computes_it_when_missing(raw, tmp_path):
    result = run_pipeline(_config(raw, tmp_path, force=frozenset({Stage.FACTS})))
    assert result.summaries[0]["ran"] == ["extract", "segment", "figures", "facts"]


def test_renamed_copy_is_one_document(raw, tmp_path):
    shutil.copy(raw / SEED_SAMPLE.name, raw / "copy.pdf")
    result = run_pipeline(_config(raw, tmp_path))
    assert result.counts["documents"] == 1
    assert result.duplicates == [f"copy.pdf (same content as {SEED_SAMPLE.name})"]


def test_extract_only_writes_no_tables(raw, tmp_path):
    result = run_pipeline(_config(raw, tmp_path), until=Stage.EXTRACT)
    assert result.database is None and not (tmp_path / "out").exists()
    assert (tmp_path / "work" / "extract").is_dir() and not (
        tmp_path / "work" / "segment"
    ).exists()


def test_a_changed_figure_stage_reruns_figures_and_facts(raw, tmp_path, monkeypatch):
    run_pipeline(_config(raw, tmp_path))
    monkeypatch.setattr("pipeline.figures.document.VERSION", "changed-rules")
    again = run_pipeline(_config(raw, tmp_path))
    assert again.summaries[0]["ran"] == ["figures", "facts"]


def test_an_edited_metric_wording_reruns_only_facts_and_load(raw, tmp_path, monkeypatch):
    from pipeline.runner import stages

    first = run_pipeline(_config(raw, tmp_path))
    package = tmp_path / "pipeline"  # a copy of the package with one wording more
    shutil.copytree(stages.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    wordings = package / "facts" / "resources" / "metric_wordings.tsv"
    row = "income_total\t本年度总收入\tmoney\t收入|收支\tno\n"
    wordings.write_text(wordings.read_text("utf-8") + row, "utf-8")
    monkeypatch.setattr(stages, "PACKAGE", package)
    stages.fingerprint.cache_clear()
    try:
        again = run_pipeline(_config(raw, tmp_path))
    finally:
        monkeypatch.undo()
        stages.fingerprint.cache_clear()
    assert again.summaries[0]["ran"] == ["facts"]
    assert again.tables_written and again.counts == first.counts


def test_stage_versions_fingerprint_the_stage_code():
    from pipeline.runner.stages import fingerprint, versions_through

    versions = versions_through(Stage.FACTS)
    assert list(versions) == ["extract", "segment", "figures", "facts"]
    assert versions["figures"].endswith(fingerprint("figures"))
    assert versions["facts"].endswith(fingerprint("facts"))
    assert fingerprint("figures") != fingerprint("segment") != fingerprint("facts")


def test_the_tables_key_hashes_every_module_that_builds_or_writes_the_tables():
    from pipeline.runner.outputs import load_code_files
    from pipeline.runner.stages import PACKAGE

    names = {path.relative_to(PACKAGE).as_posix() for path in load_code_files()}
    io_modules = {p.relative_to(PACKAGE).as_posix() for p in (PACKAGE / "io").glob("*.py")}
    assert {"load.py", "schema.py", "io/files.py", "io/tables.py"} <= names
    assert io_modules <= names


def test_a_temporary_file_left_in_the_load_stamps_is_removed(raw, tmp_path):
    run_pipeline(_config(raw, tmp_path))
    left = tmp_path / "work" / "load" / ".stamp.json.a1b2.tmp"
    left.write_text("half")
    run_pipeline(_config(raw, tmp_path))
    assert not left.exists()
