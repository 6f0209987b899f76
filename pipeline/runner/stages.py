"""Stage versions: what each per-document stage is, and the version its outputs are stamped with.

A stage's version is its declared VERSION plus a hash of everything it runs: the source of its
module and of every module inside `pipeline` that it imports, directly or through others (read
from the sources with `ast`, not imported), and the data files those modules name (`units.tsv`
beside or under the resources/ of the module that reads it). So editing a rule, a word list or
a setting that a stage reads invalidates exactly the outputs of the stages that run it, and
those after them; no list of files is kept by hand. The main process computes versions without
importing the stages, which load pdfplumber and jieba.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import re
import sys
from collections.abc import Callable, Iterable, Iterator
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
# The module whose code builds the tables from the facts records (the load stage).
LOAD_MODULE = "pipeline.load"
DATA_SUFFIXES = {".txt", ".tsv"}
# An import statement (its names in parentheses may run over lines), and an `if TYPE_CHECKING:`
# block with everything indented under it.
IMPORT = re.compile(
    r"^(?P<indent>[ \t]*)(?:from[ \t]+(?P<base>\.*[\w.]*)[ \t]+import[ \t]+"
    r"(?P<names>\([^)]*\)|[^\n]*)|import[ \t]+(?P<modules>[^\n]*))",
    re.MULTILINE,
)
TYPE_CHECKING_BLOCK = re.compile(
    r"^(?P<indent>[ \t]*)if TYPE_CHECKING:[^\n]*\n(?:(?P=indent)[ \t]+[^\n]*\n|[ \t]*\n)*",
    re.MULTILINE,
)


@functools.cache
def fingerprint(stage: str) -> str:
    """Return a short hash of every source and data file a stage runs."""
    module = LOAD_MODULE if stage == Stage.LOAD else STAGE_MODULES[Stage(stage)]
    return hash_files(PACKAGE, code_files(module))


def code_files(module: str) -> list[Path]:
    """Return the source files of a module and of every `pipeline` module it imports, directly
    or not, with the data files they read, sorted."""
    sources = _import_closure(module)
    return sorted(sources | {data for source in sources for data in _data_read_by(source)})


@functools.cache
def _data_read_by(source: Path) -> frozenset[Path]:
    """Return the data files beside a module or under its folder's resources/ that its source
    names (`read_rows(RESOURCES, "units.tsv")`)."""
    text = source.read_text("utf-8")
    candidates = [*source.parent.glob("*"), *source.parent.glob("resources/*")]
    return frozenset(
        path
        for path in candidates
        if path.suffix in DATA_SUFFIXES and path.is_file() and path.name in text
    )


def _import_closure(module: str) -> set[Path]:
    """Return the source files of a module, of the packages that hold it, and of every module
    they import inside `pipeline`: all of a module's imports (in functions too), but only the
    top-level ones of a package's __init__ that is run just because it holds a module."""
    found: set[Path] = set()
    todo: list[tuple[str, bool]] = [(module, True)]
    seen: set[tuple[str, bool]] = set()
    while todo:
        name, whole = todo.pop()
        if (name, whole) in seen:
            continue
        seen.add((name, whole))
        path = _source_of(name, PACKAGE)
        if path is None:
            continue
        found.add(path)
        parts = name.split(".")
        todo += [(".".join(parts[:i]), False) for i in range(1, len(parts))]
        todo += _imports(path, name, whole)
    return found


@functools.cache
def _source_of(module: str, package: Path) -> Path | None:
    """Return the source file of a `pipeline` module or package (its folder `package`), or None
    for any other name."""
    parts = module.split(".")
    if parts[0] != "pipeline":
        return None
    base = package.joinpath(*parts[1:])
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


@functools.cache
def _imports(path: Path, module: str, whole: bool) -> tuple[tuple[str, bool], ...]:
    """Return what `_scan_imports` yields (a file's imports are read once per process)."""
    return tuple(_scan_imports(path, module, whole))


def _scan_imports(path: Path, module: str, whole: bool) -> Iterator[tuple[str, bool]]:
    """Yield (module, whether all of it may run) for each `pipeline` module a source file
    imports: `import pipeline.x` and `from pipeline.x import name` may run any of pipeline.x;
    `from pipeline.x import y`, y a module, runs pipeline.x's top level and any of pipeline.x.y.
    With `whole` False, only the file's top-level imports count. Imports under
    `if TYPE_CHECKING:` never run and are left out. The statements are found with a regular
    expression, not `ast` (parsing every module took a run with nothing to do 0.2 s more);
    tests/test_stages.py holds it to `ast` on every module."""
    source = TYPE_CHECKING_BLOCK.sub("", path.read_text("utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for found in IMPORT.finditer(source):
        if found["indent"] and not whole:
            continue
        if found["modules"] is not None:
            yield from ((name, True) for name in _names(found["modules"]))
            continue
        base = found["base"].lstrip(".")
        level = len(found["base"]) - len(base)
        if level:
            anchor = package.rsplit(".", level - 1)[0] if level > 1 else package
            base = f"{anchor}.{base}" if base else anchor
        names = _names(found["names"])
        submodules = [
            f"{base}.{name}" for name in names if _source_of(f"{base}.{name}", PACKAGE)
        ]
        yield base, len(submodules) < len(names)
        yield from ((name, True) for name in submodules)


def _names(listed: str) -> list[str]:
    """Return the names an import statement lists (`a, b as c` → a, b; parentheses, line
    continuations and comments aside)."""
    listed = re.sub(r"#[^\n]*", "", listed).strip("()\\ \t\n")
    return [part.split()[0] for part in listed.replace("\\", " ").split(",") if part.strip()]


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
    return {str(s): f"{declared_version(s)}-{fingerprint(str(s))}" for s in Stage.per_document()}


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
