"""Planning, in the main process: the input PDFs named by content, one job per distinct one.

`doc_id` is the content hash; the work folder remembers it by path, size, modification time and
inode (`ids.json`), so a second run reads no PDF it has seen.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pipeline import io
from pipeline.config import RunConfig, Stage
from pipeline.runner.document import Job
from pipeline.runner.stages import stage_versions

IDS_NAME = "ids.json"


def plan_jobs(config: RunConfig, until: Stage) -> tuple[list[Job], list[str]]:
    """Return one job per distinct document among the inputs, and the duplicates left out."""
    versions = stage_versions()
    jobs, seen, duplicates = [], {}, []
    for path, shown, doc_id, size in _identify(io.find_pdfs(config.inputs), config.work_dir):
        if doc_id in seen:
            duplicates.append(f"{shown} (same content as {seen[doc_id]})")
            continue
        seen[doc_id] = shown
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
        )
        jobs.append(job)
    return jobs, duplicates


def _identify(
    found: list[tuple[Path, str]], work_dir: Path
) -> Iterator[tuple[Path, str, str, int]]:
    """Yield (path, shown path, doc_id, size) of each PDF; content hashes are remembered in the
    work folder by path, size, modification time and inode, so unchanged files are not read."""
    known = io.read_json(work_dir / IDS_NAME) or {}
    given = {str(path) for path, _ in found}
    remembered = {p: e for p, e in known.items() if p not in given and Path(p).exists()}
    for path, shown in found:
        stamp = io.file_stamp(path)
        entry = known.get(str(path))
        if stamp is not None and entry is not None and tuple(entry[:3]) == stamp:
            doc_id = entry[3]
        else:
            doc_id = io.doc_id_of(io.read_bytes(path))
        if stamp is not None:
            remembered[str(path)] = [*stamp, doc_id]
        yield path, shown, doc_id, stamp[0] if stamp else 0
    if remembered != known:
        io.write_json(work_dir / IDS_NAME, remembered)
