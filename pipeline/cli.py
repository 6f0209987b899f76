"""Thin command line over the pipeline: run, a verb per stage, query, checks, eval and review."""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import re
import shlex
import shutil
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import click

from pipeline import __version__
from pipeline.config import (
    DEFAULT_TIMEOUT,
    FORMULA_START,
    HIDDEN_CHARACTERS,
    OUT_DIR,
    RAW_DIR,
    WORK_DIR,
    RunConfig,
    Stage,
    default_jobs,
    parse_memory,
)
from pipeline.errors import InputError, PipelineError
from pipeline.facts.check_rows import FAMILIES

log = logging.getLogger("pipeline")
EXIT_FAILED = 1
CONTROL = re.compile(HIDDEN_CHARACTERS)
FORMULA = re.compile(FORMULA_START)
EXIT_USAGE = 2
EXIT_INTERRUPTED = 128


class MemorySize(click.ParamType):
    """A memory size on the command line: 2G, 1.5GB, 1500M or bytes."""

    name = "size"

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        try:
            return parse_memory(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


MEMORY = MemorySize()


def folder_option(flag: str, dest: str, default: Path, text: str):
    """Return a click option for a folder path with a shown default."""
    kind = click.Path(file_okay=False, path_type=Path)
    return click.option(flag, dest, type=kind, default=default, show_default=True, help=text)


out_option = folder_option("--out", "out_dir", OUT_DIR, "Folder of the output tables.")
def choice_of_format(choices: list[str], text: str):
    """Return a click --format option among choices, the first the default."""
    kind = click.Choice(choices)
    return click.option("--format", "fmt", type=kind, default=choices[0], show_default=True,
                        help=text)  # fmt: skip


format_option = choice_of_format(["table", "csv", "json"], "How to print the result.")


def shared_options(func):
    """Options every processing command takes."""

    @_level_option("--quiet", "-q", logging.WARNING, "Print warnings and the summary only.")
    @_level_option("--verbose", "-v", logging.DEBUG, "Print debugging detail.")
    @click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
    @out_option
    @folder_option("--work", "work_dir", WORK_DIR, "Folder of per-document stage outputs (cache).")
    @click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=1),
        default=default_jobs,
        show_default="number of cores",
        help="Documents processed at once, each in a worker process (1: in this process).",
    )
    @click.option(
        "--timeout",
        type=click.FloatRange(min=0, min_open=True),
        default=DEFAULT_TIMEOUT,
        show_default=True,
        help="Seconds one document may take; a slower one is stopped and recorded as failed.",
    )
    @click.option(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="Run the documents on this Dask cluster instead of local worker processes.",
    )
    @click.option(
        "--retry-failed",
        is_flag=True,
        help="Process again the documents whose cached outcome is a failure.",
    )
    @click.option(
        "--max-memory",
        "max_memory",
        type=MEMORY,
        default=None,
        show_default="2G, or a fair share of the machine's memory when that is less",
        help="Memory one worker process may take (2G, 1500M): a document that needs more is "
        "stopped and recorded as failed, and the others go on.",
    )
    @click.option(
        "--replace",
        is_flag=True,
        help="Let the tables drop documents the --out folder holds that these inputs leave "
        "out (without it, such a run stops and names them).",
    )
    @click.option("--strict", is_flag=True, help="Exit with status 1 when any document failed.")
    @click.option(
        "--progress/--no-progress",
        default=None,
        help="Show a progress bar (default: when stderr is a terminal; else a log line per "
        "document).",
    )
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="pipeline")
@click.option("--quiet", "-q", is_flag=True, help="Print warnings and the summary only.")
@click.option("--verbose", "-v", is_flag=True, help="Print debugging detail.")
def main(quiet: bool, verbose: bool) -> None:
    """Turn Chinese government yearly reports (PDF) into queryable tables.

    \b
    Example:
      pipeline run data/raw --out data/processed
      pipeline query "SELECT kind, count(*) AS n FROM figures GROUP BY kind"
    """
    _set_logging(logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO)


def _set_logging(level: int) -> None:
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", force=True)
    logging.getLogger("pdfminer").setLevel(logging.ERROR)


def _level_option(flag: str, short: str, level: int, text: str):
    """Return -q or -v for a subcommand too (`pipeline run -q …` as well as `pipeline -q run`)."""

    def apply(ctx, param, given: bool) -> None:
        if given:
            _set_logging(level)

    return click.option(flag, short, is_flag=True, expose_value=False, callback=apply, help=text)


@main.command()
@shared_options
@click.option("--force", is_flag=True, help="Ignore cached stage outputs and redo every stage.")
def run(force: bool, **options) -> None:
    """Process PDFs through every stage and write the tables.

    INPUTS are PDF files or folders searched for *.pdf (default: data/raw). Stage outputs are
    cached per document, so a second run only processes what is new or changed, and a run
    that was stopped goes on where it was.

    \b
    Example:
      pipeline run                       # data/raw → data/processed
      pipeline run reports/2023 extra.pdf --out out/2023 --jobs 2
      pipeline run /shared/reports --work /shared/interim --out /shared/out \\
          --scheduler tcp://10.0.0.5:8786
    """
    forced = frozenset(Stage.per_document()) if force else frozenset()
    _process(Stage.LOAD, forced, **options)


def _stage_command(stage: Stage, summary: str, name: str | None = None) -> None:
    @main.command(name=name or str(stage), help=summary)
    @shared_options
    def command(**options) -> None:
        stages = [*Stage.per_document(), Stage.LOAD]
        _process(Stage.LOAD, frozenset(stages[stages.index(stage) :]), **options)


_EXAMPLE = "\n\n\b\nExample:\n  pipeline {verb} data/raw --out data/processed"
_LOAD_HELP = "Write the tables from the stage outputs (computing any that are missing)."
for _stage, _text in (
    (
        Stage.EXTRACT,
        "Rerun text extraction (pdfplumber) for every document, then every later stage.",
    ),
    (
        Stage.SEGMENT,
        "Rerun segmentation (paragraphs, sentences, jieba tokens) and every later stage.",
    ),
    (Stage.FIGURES, "Rerun figure finding, then the facts stage, then write the tables."),
    (
        Stage.FACTS,
        "Rerun the document facts (identity, metrics, checks, tasks, indicators), then write "
        "the tables; figure finding is not redone.",
    ),
    (Stage.LOAD, _LOAD_HELP),
):
    _stage_command(_stage, _text + _EXAMPLE.format(verb=_stage))
_stage_command(
    Stage.LOAD,
    f"{_LOAD_HELP} The old name of `pipeline load`, kept for one release."
    + _EXAMPLE.format(verb="load"),
    name="tables",
)


def _process(until: Stage, force: frozenset[Stage], strict: bool, inputs, **settings):
    """Run the pipeline, print its summary, and exit with the status the options ask for."""
    from pipeline.runner import run_pipeline

    config = RunConfig(inputs=tuple(inputs) or (RAW_DIR,), force=force, **settings)
    try:
        with _stop_on_sigterm():
            result = run_pipeline(config, until)
    except InputError as exc:
        raise click.UsageError(str(exc)) from exc
    except PipelineError as exc:
        raise click.ClickException(str(exc)) from exc
    except KeyboardInterrupt as exc:
        click.echo(
            f"Stopped. Finished documents are kept in {config.work_dir}; run the same command "
            "again to go on.",
            err=True,
        )
        signum = signal.SIGTERM if isinstance(exc, Terminated) else signal.SIGINT
        sys.exit(EXIT_INTERRUPTED + signum)
    _print_summary(result, config)
    if strict and result.failed:
        sys.exit(EXIT_FAILED)


class Terminated(KeyboardInterrupt):
    """The run got SIGTERM; it stops the way Ctrl-C stops it."""


@contextlib.contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """Within the block, SIGTERM stops the run the way Ctrl-C does: workers killed, finished
    work kept (signal handlers can only be set in the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _print_summary(result, config: RunConfig) -> None:
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


@main.command()
@click.argument("sql")
@out_option
@format_option
def query(sql: str, out_dir: Path, fmt: str) -> None:
    """Run a SQL query (DuckDB) over the tables of an output folder.

    Tables: documents, pages, sections, sentences, figures, metrics, checks, tasks,
    table_cells, indicators, doc_tables, table_values.

    \b
    Example:
      pipeline query "SELECT kind, count(*) AS n FROM figures GROUP BY kind"
      pipeline query "SELECT title, year FROM documents" --format csv
    """
    from pipeline.io import query as run_query

    try:
        frame = run_query(out_dir, sql)
    except PipelineError as exc:
        raise click.ClickException(str(exc)) from exc
    if fmt == "table":
        shown = printable(frame)
        click.echo(shown.to_string(index=False, na_rep="NULL") if len(frame) else "(no rows)")
    else:
        _echo_rows(frame, fmt)


@main.command(name="checks")
@shared_options
@click.option(
    "--family",
    "families",
    multiple=True,
    type=click.Choice(FAMILIES),
    help="Only this family of checks (repeat for several).",
)
@format_option
def checks_command(families: tuple[str, ...], fmt: str, inputs, **options) -> None:
    """Print where the reports contradict themselves: the failed checks of each document,
    grouped by family, with the page and a sentence for the reviewer.

    With INPUTS (PDF files or folders), they are processed first (as `pipeline run`, cached);
    without, the tables already in --out are read. Families: table_sum (合计 = Σ rows,
    类 = Σ款 = Σ项, 收支平衡), cross_table (the same line in two tables), text_table (the 说明
    against the tables), wording (大于/小于/持平, 增加/减少), completeness (the tables a 决算 or
    预算 must hold), hygiene (placeholders, wrong years, doubled punctuation), metric.

    \b
    Example:
      pipeline checks data/raw/2024 --out out/2024
      pipeline checks --out out/2024 --family table_sum --family cross_table
      pipeline checks --out out/2024 --format csv > failed.csv
    """
    from pipeline import io
    from pipeline.check_report import failed_checks, format_checks

    if inputs:
        _process(Stage.LOAD, frozenset(), inputs=inputs, **options)
    out_dir = options["out_dir"]
    try:
        frame = failed_checks(out_dir, families)
        n_documents = len(io.read_table(out_dir, "documents"))
    except PipelineError as exc:
        raise click.ClickException(str(exc)) from exc
    if fmt == "table":
        click.echo(format_checks(frame, n_documents))
    else:
        _echo_rows(frame, fmt)


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


def _echo_rows(frame, fmt: str) -> None:
    """Print a result frame as CSV (control characters escaped, a cell that would run as a
    formula quoted with a leading ') or as a JSON list of rows."""
    if fmt == "csv":
        safe = printable(frame).map(
            lambda v: f"'{v}" if isinstance(v, str) and FORMULA.match(v) else v)
        bom = "" if sys.stdout.isatty() else "\ufeff"  # so Excel reads a redirected file as UTF-8
        click.echo(bom + safe.to_csv(index=False), nl=False)
    else:
        rows = json.loads(frame.to_json(orient="records", force_ascii=False))
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))


@main.command(name="review")
@out_option
def review_command(out_dir: Path) -> None:
    """Write a static review site of the tables in --out into <out>/review/ and print the
    path of its index.html.

    The index lists every document (click a column header to sort) with charts of the
    headline metrics and of the failed checks by family; each document has a page with its
    pages' text (figures marked by kind, their value on hover), tables, metrics and failed
    checks linked to their pages. The site needs no network: open index.html in a browser.

    \b
    Example:
      pipeline run data/raw --out data/processed
      pipeline review --out data/processed
    """
    from pipeline.review import build_site

    try:
        index = build_site(out_dir)
    except PipelineError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Review site: {index}")


@main.command(name="list")
@out_option
@format_option
def list_command(out_dir: Path, fmt: str) -> None:
    """List the documents of --out: id, path, organisation, year, type, status, counts.

    \b
    Example:
      pipeline list --out data/processed
    """
    from pipeline.show import document_list

    try:
        frame = document_list(out_dir)
    except PipelineError as exc:
        raise click.ClickException(str(exc)) from exc
    if fmt == "table":
        click.echo(printable(frame).to_string(index=False, na_rep="-"))
    else:
        _echo_rows(frame, fmt)


@main.command(name="show")
@click.argument("doc")
@out_option
def show_command(doc: str, out_dir: Path) -> None:
    """Show one document of --out at a glance: identity, counts, warnings, metrics and
    failed checks. DOC is a doc_id (or its first characters) or a file name.

    \b
    Example:
      pipeline show 2023_gz_laoganbu_zhengti_zipingbaogao.pdf
    """
    from pipeline.show import show_document

    try:
        text = show_document(out_dir, doc)
    except InputError as exc:
        raise click.UsageError(str(exc)) from exc
    except PipelineError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(escape_controls(text))


@main.command(name="export")
@out_option
@choice_of_format(
    ["xlsx", "csv", "parquet"],
    "xlsx: one workbook, a sheet per table; csv, parquet: copies of the table files.",
)
@click.option(
    "--to",
    "dest",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write into (default: --out for xlsx, <out>/export for csv and parquet).",
)
def export_command(out_dir: Path, fmt: str, dest: Path | None) -> None:
    """Export the tables of --out for a spreadsheet: reports.xlsx with one sheet per table
    (frozen header, numbers as numbers, every text as text, so nothing runs as a formula;
    the `about` sheet lists the tables and what Excel's limits cut), or the CSV or Parquet
    files.

    \b
    Example:
      pipeline export --out data/processed --format xlsx
    """
    from pipeline.export import export

    try:
        written = export(out_dir, fmt, dest)
    except PipelineError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Exported: {written}")


@main.command(name="eval")
@click.argument("gold", type=click.Path(exists=True, path_type=Path))
@out_option
@click.option(
    "--json",
    "as_json",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the full report (every miss and false hit) as JSON here.",
)
def evaluate_command(gold: Path, out_dir: Path, as_json: Path | None) -> None:
    """Score the figures table against a gold file (JSONL) or a folder of them.

    Each gold line is one figure a careful reader would list: {"doc": file name, "text",
    "value", "base_unit", "kind", "bound", "subject" (a string or a list of accepted ones),
    "source": "text" or "table"}. Prints precision, recall and F1 overall and per kind, the
    accuracy of kind, bound and subject, and the misses and false hits.

    \b
    Example:
      pipeline run tests/fixtures/gold --out /tmp/gold
      pipeline eval tests/gold --out /tmp/gold
    """
    from pipeline import io
    from pipeline.evaluate import evaluate, format_report, load_gold

    try:
        report = evaluate(
            load_gold(gold), io.read_table(out_dir, "figures"), io.read_table(out_dir, "documents")
        )
    except PipelineError as exc:
        raise click.ClickException(str(exc)) from exc
    for doc in report.absent:
        click.echo(f"warning: {doc} is in the gold but not in {out_dir}; its figures count as "
                   "missed (run the pipeline on it first).", err=True)  # fmt: skip
    click.echo(format_report(report))
    if as_json is not None:
        io.write_json(as_json, report.as_dict())
