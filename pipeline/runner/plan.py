"""Planning, in the main process: the input PDFs named by content, one job per distinct one.

`doc_id` is the content hash; the work folder remembers it by path, size, modification time and
inode (`ids.json`), so a second run reads no PDF it has seen.
"""

from __future__ import annotations

import errno
import hashlib
from collections.abc import Iterator
from pathlib import Path

from pipeline import io
from pipeline.config import RunConfig, Stage
from pipeline.runner.document import Job, Summary
from pipeline.runner.stages import stage_versions
from pipeline.vocabulary import Status

IDS_NAME = "ids.json"


def plan_jobs(config: RunConfig, until: Stage) -> tuple[list[Job], list[str], list[Summary]]:
    """Return one job per distinct document among the inputs, the duplicates left out, and a
    failed summary for each file that could not be read (no job can be made of it)."""
    versions = stage_versions()
    jobs, duplicates, unread = [], [], []
    entries = list(_identify(io.find_pdfs(config.inputs), config.work_dir))
    kept = _kept_names(entries, config.work_dir)
    for path, shown, doc_id, size in entries:
        if isinstance(size, str):
            unread.append(_unreadable(shown, doc_id, size))
            continue
        if kept[doc_id] != shown:
            duplicates.append(f"{shown} (same content as {kept[doc_id]})")
            continue
        job = Job(
            path=path,
            source_path=shown,
            doc_id=doc_id,
            until=until,
            work_dir=config.work_dir.resolve(),
            force=config.force,
            versions=versions,
            size=size,
            timeout=config.timeout,
            retry_failed=config.retry_failed,
            max_memory=config.memory_limit,
        )
        jobs.append(job)
    return jobs, duplicates, unread


def _kept_names(entries: list[tuple], work_dir: Path) -> dict[str, str]:
    """Return, per document, the path it keeps among its byte copies: the one its stored
    outputs were made under (a copy added later never renames it), else the first by name."""
    copies: dict[str, list[str]] = {}
    for _, shown, doc_id, _ in entries:
        copies.setdefault(doc_id, []).append(shown)
    kept = {}
    for doc_id, names in copies.items():
        known = None
        if len(names) > 1:
            head = io.read_record_head(io.interim_path(work_dir, Stage.EXTRACT, doc_id))
            known = head.get("source_path") if head else None
        kept[doc_id] = known if known in names else names[0]
    return kept


def _unreadable(shown: str, doc_id: str, error: str) -> Summary:
    return {"doc_id": doc_id, "source_path": shown, "status": str(Status.FAILED),
            "error": error, "n_pages": None, "stored": False}  # fmt: skip


def _read_error(exc: OSError) -> str:
    """Return one sentence for a file that cannot be read."""
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "the file cannot be read: permission denied."
    if exc.errno == errno.ENOENT:
        return "the file disappeared before it could be read."
    return f"the file cannot be read ({exc.strerror or exc})."


def _identify(
    found: list[tuple[Path, str]], work_dir: Path
) -> Iterator[tuple[Path, str, str, int | str]]:
    """Yield (path, shown path, doc_id, size) of each PDF; content hashes are remembered in the
    work folder by path, size, modification time and inode, so unchanged files are not read.
    A file that cannot be read yields the error sentence for its size, and an id made from its
    path (there is no content to hash)."""
    known = io.read_json(work_dir / IDS_NAME) or {}
    given = {str(path) for path, _ in found}
    remembered = {p: e for p, e in known.items() if p not in given and Path(p).exists()}
    for path, shown in found:
        stamp = io.file_stamp(path)
        entry = known.get(str(path))
        if stamp is not None and entry is not None and tuple(entry[:3]) == stamp:
            doc_id = entry[3]
        else:
            try:
                doc_id = io.doc_id_of(io.read_bytes(path))
            except OSError as exc:
                yield path, shown, _path_id(path), _read_error(exc)
                continue
        if stamp is not None:
            remembered[str(path)] = [*stamp, doc_id]
        yield path, shown, doc_id, stamp[0] if stamp else 0
    if remembered != known:
        io.write_json(work_dir / IDS_NAME, remembered)


def _path_id(path: Path) -> str:
    """Return the id of a file that cannot be read: the first 16 hex digits of the SHA-256 of
    its path's bytes."""
    return hashlib.sha256(bytes(path)).hexdigest()[:16]
