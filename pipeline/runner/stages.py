"""Stage versions: what each per-document stage is, and the version its outputs are stamped with.

A stage's version is its declared VERSION plus a hash of its package's code and resources, so
editing a rule (or a word list) invalidates exactly that stage's outputs and those after it. The
main process computes versions without importing the stages, which load pdfplumber and jieba.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pipeline.config import Stage

PACKAGE = Path(__file__).resolve().parent.parent
STAGE_MODULES = {
    Stage.EXTRACT: "pipeline.extract.pdf",
    Stage.SEGMENT: "pipeline.segment.document",
    Stage.FIGURES: "pipeline.figures.document",
    Stage.FACTS: "pipeline.facts.document",
}
RESOURCE_SUFFIXES = {".py", ".txt", ".tsv"}
# Modules outside the stage packages that a stage's output depends on: text traced with its OCR
# confidences is made by extract and edited by segment.
SHARED_CODE = {"extract": ("traced.py",), "segment": ("traced.py",)}


@functools.cache
def fingerprint(package: str) -> str:
    """Return a short hash of every source and resource file of a stage package, and of the
    shared modules it uses."""
    root = PACKAGE / package
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in RESOURCE_SUFFIXES)
    shared = [PACKAGE / name for name in SHARED_CODE.get(package, ())]
    return hash_files(PACKAGE, [*files, *shared])


def hash_files(root: Path, files: Iterable[Path]) -> str:
    """Return a short hash of the files' paths (relative to root) and contents."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def declared_version(stage: Stage) -> str:
    """Return the VERSION a stage module declares, without importing it when it is not loaded
    yet (importing a stage loads pdfplumber or jieba)."""
    name = STAGE_MODULES[stage]
    module = sys.modules.get(name)
    if module is None:
        source = PACKAGE.parent.joinpath(*name.split(".")).with_suffix(".py")
        version = _literal_version(source.read_text("utf-8"))
        if version is not None:
            return version
        module = __import__(name, fromlist=["VERSION"])
    return str(module.VERSION)


def _literal_version(source: str) -> str | None:
    """Return the string assigned to VERSION at the top level of a module's source, if any."""
    for node in ast.parse(source).body:
        if (
            isinstance(node, ast.Assign)
            and [getattr(t, "id", None) for t in node.targets] == ["VERSION"]
            and isinstance(node.value, ast.Constant)
        ):
            return str(node.value.value)
    return None


def stage_versions() -> dict[str, str]:
    """Return every per-document stage's version: its declared VERSION and code fingerprint."""
    return {str(s): f"{declared_version(s)}-{fingerprint(s)}" for s in Stage.per_document()}


def versions_through(stage: Stage, versions: dict[str, str] | None = None) -> dict[str, str]:
    """Return the versions of every stage up to and including `stage`."""
    versions = stage_versions() if versions is None else versions
    stages = [str(s) for s in Stage.per_document()]
    return {name: versions[name] for name in stages[: stages.index(str(stage)) + 1]}


def stage_cores() -> dict[Stage, Callable[[Any], dict[str, Any]]]:
    """Return each per-document stage's core function (importing the stages)."""
    from pipeline.extract.pdf import extract_document
    from pipeline.facts.document import fact_document
    from pipeline.figures.document import figure_document
    from pipeline.segment.document import segment_document

    return {
        Stage.EXTRACT: extract_document,
        Stage.SEGMENT: segment_document,
        Stage.FIGURES: figure_document,
        Stage.FACTS: fact_document,
    }


def warm_up() -> None:
    """Import the stages and load jieba's dictionaries, once per worker process."""
    from pipeline.segment.tokens import load_jieba

    stage_cores()
    load_jieba()
