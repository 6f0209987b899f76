"""Files in and out: the PDFs a run is given, atomic writes, the work folder's lock, and the
stage records (JSON) of the work folder."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pipeline.errors import InputError, WorkBusyError

log = logging.getLogger(__name__)

PDF_SUFFIX = ".pdf"
CONTROL_IN_NAME = re.compile(r"[\x00-\x1f\x7f]")
LOCK_NAME = ".lock"
_UMASK = os.umask(0)
os.umask(_UMASK)


def doc_id_of(data: bytes) -> str:
    """Return a document's id: the first 16 hex digits of the SHA-256 of its bytes."""
    return hashlib.sha256(data).hexdigest()[:16]


def read_bytes(path: Path) -> bytes:
    """Return the bytes of a file."""
    return Path(path).read_bytes()


def file_stamp(path: Path) -> tuple[int, int, int] | None:
    """Return (size, modification time in ns, inode) of a file, or None when it is missing."""
    try:
        stat = Path(path).stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns, stat.st_ino


def find_pdfs(inputs: tuple[Path, ...] | list[Path]) -> list[tuple[Path, str]]:
    """Return (path, path as shown to users) for every PDF among the inputs, sorted.

    Folders are searched recursively for *.pdf (any case); files are taken as given, whatever
    their name, so a broken file passed by name still gets its failed row. The shown path is
    relative to the common parent of the inputs (`in/2022/report.pdf` and `in/2023/report.pdf`
    stay apart) and printable: bytes of a name that are not UTF-8 are written as \\xff
    (`printable_name`). A link in a folder that points nowhere or into a loop is skipped with a
    warning.
    """
    found: dict[Path, Path] = {}
    roots = []
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            roots.append(path.absolute())
            for pdf in sorted(p for p in path.rglob("*") if _is_pdf_name(p)):
                found.setdefault(_resolved(pdf), pdf.absolute())
        elif path.is_file():
            roots.append(path.absolute().parent)
            found.setdefault(_resolved(path), path.absolute())
        else:
            raise InputError(
                f"{printable_name(str(path))} does not exist; give PDF files or folders that "
                "hold them."
            )
    if not found:
        named = ", ".join(printable_name(str(p)) for p in inputs)
        raise InputError(f"no PDF found in {named}; the output folder is left as it was.")
    parent = Path(os.path.commonpath(roots))
    shown = {p: printable_name(given.relative_to(parent).as_posix()) for p, given in found.items()}
    return sorted(shown.items(), key=lambda item: item[1])


def printable_name(name: str) -> str:
    """Return a file name as text that prints and encodes: the undecodable bytes of a name
    (kept by Python as surrogates) and its control characters (a line break) written as \\xff
    escapes, so no name is lost."""
    text = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return CONTROL_IN_NAME.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


def _resolved(path: Path) -> Path:
    try:
        return path.resolve(strict=True)
    except (OSError, RuntimeError):
        return path.absolute()


def _is_pdf_name(path: Path) -> bool:
    if path.suffix.lower() != PDF_SUFFIX:
        return False
    if path.is_symlink() and not path.exists():
        log.warning("skipped %s: a link that points to nothing or into a loop",
                    printable_name(str(path)))  # fmt: skip
        return False
    return path.is_file()


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; move it onto `target` only if the block succeeds."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        tmp_path.chmod(0o666 & ~_UMASK)
        os.replace(tmp_path, target)
    finally:
        tmp_path.unlink(missing_ok=True)


def write_json(target: Path, obj: Any) -> None:
    """Write `obj` as UTF-8 JSON, atomically; a string holding an undecodable file name's
    bytes (surrogates) is written as a \\udcff escape, which reads back the same."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        data = json.dumps(obj, ensure_ascii=True, separators=(",", ":")).encode("ascii")
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def remove_stale_temporaries(folder: Path, targets: Iterable[str] = ("*",)) -> int:
    """Remove the temporary files a killed run left beside the targets (file names or glob
    patterns) in a folder; return how many."""
    stale = {p for t in targets for p in Path(folder).glob(f".{t}.*.tmp*") if p.is_file()}
    for path in stale:
        path.unlink(missing_ok=True)
    return len(stale)


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on a folder for the block; fail at once if another run holds it.

    The lock is a `.lock` file, removed at the end of the block while still locked (only a run
    killed with -9 leaves it, and the next run takes it over). A run that opened the file just
    before it was removed finds the path no longer names what it locked and locks afresh.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_NAME
    while True:
        handle = open(path, "a")  # noqa: SIM115 - closed below, after the block
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            handle.close()
            raise WorkBusyError(
                f"another pipeline run is using {folder}; wait for it to finish or pass "
                "another --work folder."
            ) from exc
        if _names(path, handle):
            break
        handle.close()
    try:
        yield
    finally:
        path.unlink(missing_ok=True)
        handle.close()


def _names(path: Path, handle: Any) -> bool:
    """Return whether `path` still names the file open in `handle`."""
    try:
        on_disk, held = os.stat(path), os.fstat(handle.fileno())
    except FileNotFoundError:
        return False
    return (on_disk.st_dev, on_disk.st_ino) == (held.st_dev, held.st_ino)


def write_record(target: Path, record: dict[str, Any]) -> None:
    """Write a stage record as JSON, atomically, with everything but its data on the first line.

    The file is one JSON object; read_record_head reads its first line alone, so checking a
    large record's status and versions costs one short read.
    """
    head = {key: value for key, value in record.items() if key != "data"}
    text = json.dumps(head, ensure_ascii=False, separators=(",", ":"))
    if "data" in record:
        data = json.dumps(record["data"], ensure_ascii=False, separators=(",", ":"))
        text = f'{text[:-1]},\n"data":{data}}}'
    with atomic_path(target) as tmp:
        tmp.write_text(text, "utf-8")


def read_record_head(path: Path) -> dict[str, Any] | None:
    """Return a stage record without its data (the first line of the file), or None when the
    file is missing or unreadable."""
    try:
        with open(path, encoding="utf-8") as handle:
            line = handle.readline()
        return json.loads(f"{line[:-2]}}}" if line.endswith(",\n") else line)
    except (OSError, ValueError):
        return None


def read_json(path: Path) -> Any | None:
    """Return the JSON in `path`, or None when it is missing or unreadable."""
    try:
        return json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError):
        return None


def read_jsonl(path: Path) -> list[tuple[str, dict[str, Any]]]:
    """Return (file:line, object) for every JSON line of a .jsonl file or of the *.jsonl files
    in a folder; blank lines and lines starting with // are skipped."""
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    if not files or not all(f.is_file() for f in files):
        raise InputError(f"{path} is not a .jsonl file or a folder of them.")
    rows = []
    for file in files:
        for n, line in enumerate(file.read_text("utf-8").splitlines(), start=1):
            if line.strip() and not line.lstrip().startswith("//"):
                try:
                    rows.append((f"{file.name}:{n}", json.loads(line)))
                except ValueError as exc:
                    raise InputError(f"{file.name}:{n} is not valid JSON ({exc.msg}).") from exc
    return rows


def interim_path(work_dir: Path, stage: str, doc_id: str) -> Path:
    """Return where a stage keeps its output for one document."""
    return Path(work_dir) / stage / f"{doc_id}.json"
