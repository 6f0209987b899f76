"""Stage commands rerun their stage and what follows it; the cache serves the rest."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import FIXTURES, SEED_SAMPLE, run_config

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


def _run_with_edited_copy(raw, tmp_path, monkeypatch, edit) -> object:
    """Run the pipeline again with the stage versions computed from a copy of the package that
    `edit(copy)` changed; return the run's result."""
    from pipeline.runner import stages

    package = tmp_path / "pipeline"
    shutil.copytree(stages.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    edit(package)
    monkeypatch.setattr(stages, "PACKAGE", package)
    stages.fingerprint.cache_clear()
    try:
        return run_pipeline(_config(raw, tmp_path))
    finally:
        monkeypatch.undo()
        stages.fingerprint.cache_clear()


def test_an_edited_metric_wording_reruns_only_facts_and_load(raw, tmp_path, monkeypatch):
    first = run_pipeline(_config(raw, tmp_path))

    def add_wording(package):
        wordings = package / "facts" / "resources" / "metric_wordings.tsv"
        row = "income_total\t本年度总收入\tmoney\t收入|收支\tno\n"
        wordings.write_text(wordings.read_text("utf-8") + row, "utf-8")

    again = _run_with_edited_copy(raw, tmp_path, monkeypatch, add_wording)
    assert again.summaries[0]["ran"] == ["facts"]
    assert again.tables_written and again.counts == first.counts


def test_an_edited_hidden_character_setting_reruns_segment_and_what_follows(
    raw, tmp_path, monkeypatch
):
    run_pipeline(_config(raw, tmp_path))

    def hide_one_more(package):
        config = package / "config.py"
        text = config.read_text("utf-8")
        assert "\\u2060" in text
        config.write_text(text.replace("\\u2060", "\\u2060\\u2061", 1), "utf-8")

    again = _run_with_edited_copy(raw, tmp_path, monkeypatch, hide_one_more)
    assert again.summaries[0]["ran"] == ["segment", "figures", "facts"]
    assert again.tables_written


def test_an_edited_unit_list_reruns_figures_and_facts(raw, tmp_path, monkeypatch):
    run_pipeline(_config(raw, tmp_path))

    def add_unit(package):
        units = package / "quantities" / "resources" / "units.tsv"
        units.write_text(units.read_text("utf-8") + "公顷亩\tarea\t平方米\t1\n", "utf-8")

    again = _run_with_edited_copy(raw, tmp_path, monkeypatch, add_unit)
    assert again.summaries[0]["ran"] == ["figures", "facts"]


def test_stage_versions_fingerprint_the_stage_code():
    from pipeline.runner.stages import fingerprint, versions_through

    versions = versions_through(Stage.FACTS)
    assert list(versions) == ["extract", "segment", "figures", "facts"]
    assert versions["figures"].endswith(fingerprint("figures"))
    assert versions["facts"].endswith(fingerprint("facts"))
    assert fingerprint("figures") != fingerprint("segment") != fingerprint("facts")


# Run one stage's core in a Python of its own and print every `pipeline` module it loaded.
LOADED_BY_STAGE = """
import importlib, json, sys
module, core, given = sys.argv[1:4]
with open(given, "rb") as handle:
    data = handle.read()
argument = data if given.endswith(".pdf") else json.loads(data)
getattr(importlib.import_module(module), core)(argument)
print(json.dumps(sorted(m.__file__ for n, m in list(sys.modules.items())
                        if n.split(".")[0] == "pipeline" and getattr(m, "__file__", None))))
"""
CORES = {Stage.EXTRACT: "extract_document", Stage.SEGMENT: "segment_document",
         Stage.FIGURES: "figure_document", Stage.FACTS: "fact_document"}  # fmt: skip


def test_every_module_a_stage_loads_is_in_its_fingerprint(tmp_path):
    from pipeline.runner.stages import STAGE_MODULES, code_files, stage_cores

    pdf = FIXTURES / "self-eval-table.pdf"
    inputs: dict[Stage, Path] = {Stage.EXTRACT: pdf}
    record: object = pdf.read_bytes()
    for stage, core in stage_cores().items():
        if stage != Stage.EXTRACT:
            inputs[stage] = tmp_path / f"{stage}.json"
            inputs[stage].write_text(json.dumps(record, ensure_ascii=False), "utf-8")
        record = core(record)
    for stage, module in STAGE_MODULES.items():
        answer = subprocess.run(
            [sys.executable, "-c", LOADED_BY_STAGE, module, CORES[stage], str(inputs[stage])],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        loaded = {Path(name).resolve() for name in json.loads(answer.stdout)}
        assert loaded - set(code_files(module)) == set(), stage
        assert len(loaded) >= 3, stage


def test_the_tables_key_hashes_every_module_that_builds_or_writes_the_tables():
    from pipeline.runner.outputs import load_code_files
    from pipeline.runner.stages import PACKAGE

    names = {path.relative_to(PACKAGE).as_posix() for path in load_code_files()}
    io_modules = {p.relative_to(PACKAGE).as_posix() for p in (PACKAGE / "io").glob("*.py")}
    assert {"load.py", "schema.py", "io/files.py", "io/tablefiles.py", "config.py"} <= names
    assert io_modules <= names
    assert not any(name.startswith(("extract/", "segment/", "figures/")) for name in names)


def test_a_temporary_file_left_in_the_load_stamps_is_removed(raw, tmp_path):
    run_pipeline(_config(raw, tmp_path))
    left = tmp_path / "work" / "load" / ".stamp.json.a1b2.tmp"
    left.write_text("half")
    run_pipeline(_config(raw, tmp_path))
    assert not left.exists()


def _ast_imports(path: Path, module: str, whole: bool) -> set[tuple[str, bool]]:
    """The imports `stages._scan_imports` finds, read with `ast` instead (slower, exact)."""
    import ast

    from pipeline.runner.stages import PACKAGE, _source_of

    def runnable(nodes, deep):
        for node in nodes:
            if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
                yield from runnable(node.orelse, deep)
                continue
            yield node
            if deep:
                yield from runnable(list(ast.iter_child_nodes(node)), deep)

    tree = ast.parse(path.read_text("utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in runnable(tree.body if not whole else [tree], whole):
        if isinstance(node, ast.Import):
            found |= {(alias.name, True) for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            names = [f"{base}.{alias.name}" for alias in node.names]
            subs = [name for name in names if _source_of(name, PACKAGE)]
            found |= {(base, len(subs) < len(node.names)), *((name, True) for name in subs)}
    return found


def test_the_import_scan_finds_what_ast_finds_in_every_module():
    from pipeline.runner.stages import PACKAGE, _scan_imports

    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        for whole in (True, False):
            assert set(_scan_imports(path, module, whole)) == _ast_imports(path, module, whole), (
                path,
                whole,
            )
