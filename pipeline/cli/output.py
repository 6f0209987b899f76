"""What the commands print: a run's summary and timing line, and result frames as a table, CSV
or JSON that print as they read (no control character reaches the terminal, no CSV cell runs as
a formula)."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import sys
from pathlib import Path

import click

from pipeline.config import FORMULA_START, HIDDEN_CHARACTERS, OUT_DIR, RunConfig

CONTROL = re.compile(HIDDEN_CHARACTERS)
FORMULA = re.compile(FORMULA_START)


def print_summary(result, config: RunConfig) -> None:
    """Print what a run did: counts, failures, timing, and where its tables are."""
    c = result.counts
    click.echo(
        f"Processed {c['documents']} documents: {c['ok']} ok, {c['failed']} failed; "
        f"{c['pages']} pages, {c.get('figures', 0)} figures."
    )
    if c.get("low_confidence"):
        click.echo(
            f"  {c['low_confidence']} figures read by OCR with low confidence: check them on "
            'the page (pipeline query "SELECT * FROM figures WHERE low_confidence").'
        )
    for summary in result.failed:
        click.echo(f"  failed: {summary['source_path']}: {summary['error']}")
    click.echo(_timing(result, config))
    if result.database is not None:
        click.echo(f"Tables in {result.out_dir}/ (Parquet and CSV) and {result.database}.")
        program = _program()
        out = "" if result.out_dir == OUT_DIR else f" --out {shlex.quote(str(result.out_dir))}"
        click.echo(f'Try: {program} query{out} "SELECT kind, count(*) AS n FROM figures GROUP BY '
                   'kind"')  # fmt: skip


def _program() -> str:
    """Return how to call this command again as the user would type it: the venv's
    `.venv/bin/pipeline` when that is not on PATH."""
    called = Path(sys.argv[0])
    if called.name == "pipeline" and shutil.which("pipeline") != str(called.resolve()):
        try:
            return shlex.quote(str(called.resolve().relative_to(Path.cwd())))
        except ValueError:
            return shlex.quote(str(called))
    return "pipeline" if called.name == "pipeline" else "python -m pipeline"


def _timing(result, config: RunConfig) -> str:
    """Return the line saying how long the run took and what it did with its time."""
    processed = result.processed
    pages = sum(s["n_pages"] or 0 for s in processed)
    jobs = f"{config.jobs} job" if config.jobs == 1 else f"{config.jobs} jobs"
    where = f"on {config.scheduler}" if config.scheduler else f"with {jobs}"
    work = (
        f"{len(processed)} processed {where} ({pages} pages, "
        f"{pages / max(result.seconds, 1e-9):.1f} pages/s)"
        if processed
        else "nothing to process"
    )
    cached = len(result.summaries) - len(processed)
    tables = (
        ""
        if result.database is None
        else "; tables rewritten"
        if result.tables_written
        else "; tables unchanged"
    )
    return (
        f"Took {result.seconds:.1f} s: {work}, {cached} up to date in {config.work_dir}{tables}."
    )


def escape_controls(text: str) -> str:
    """Return text that prints as it reads: control characters (ESC …) shown as escapes
    (\\x1b), never sent to the terminal."""
    return CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


def printable(frame):
    """Return a result frame whose text cells print as they read (`escape_controls`) and whose
    lists are text cells as in the CSV tables (`io.joined`), not numpy's repr of an array."""
    from pipeline import io

    def cell(name: str, value):
        if hasattr(value, "__len__") and not isinstance(value, str | bytes):
            value = io.joined(name, value)
        return escape_controls(value) if isinstance(value, str) else value

    return frame.apply(lambda column: column.map(lambda value: cell(column.name, value)))


def echo_rows(frame, fmt: str) -> None:
    """Print a result frame as CSV (control characters escaped, a cell that would run as a
    formula quoted with a leading ') or as a JSON list of rows."""
    if fmt == "csv":
        safe = printable(frame).map(
            lambda v: f"'{v}" if isinstance(v, str) and FORMULA.match(v) else v
        )
        bom = "" if sys.stdout.isatty() else "\ufeff"  # so Excel reads a redirected file as UTF-8
        click.echo(bom + safe.to_csv(index=False), nl=False)
    else:
        rows = json.loads(frame.to_json(orient="records", force_ascii=False))
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
