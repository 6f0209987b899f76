"""Thin command line over the pipeline: run, a verb per stage, query, checks, eval and review.
Options shared by the commands are in `options`, what they print in `output`."""

from __future__ import annotations

import contextlib
import logging
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import click

from pipeline import DISTRIBUTION
from pipeline.cli.options import (
    choice_of_format,
    format_option,
    out_option,
    set_logging,
    shared_options,
)
from pipeline.cli.output import echo_rows, escape_controls, print_summary, printable
from pipeline.config import RAW_DIR, RunConfig, Stage
from pipeline.errors import InputError, PipelineError
from pipeline.vocabulary import CheckFamily

EXIT_FAILED = 1
EXIT_INTERRUPTED = 128


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(None, "--version", package_name=DISTRIBUTION, prog_name="pipeline")
@click.option("--quiet", "-q", is_flag=True, help="Print warnings and the summary only.")
@click.option("--verbose", "-v", is_flag=True, help="Print debugging detail.")
def main(quiet: bool, verbose: bool) -> None:
    """Turn Chinese government yearly reports (PDF) into queryable tables.

    \b
    Example:
      pipeline run data/raw --out data/processed
      pipeline query "SELECT kind, count(*) AS n FROM figures GROUP BY kind"
    """
    set_logging(logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO)


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


def _stage_command(stage: Stage, summary: str) -> None:
    @main.command(name=str(stage), help=summary)
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


def _process(until: Stage, force: frozenset[Stage], strict: bool, inputs, **settings):
    """Run the pipeline, print its summary, and exit with the status the options ask for."""
    from pipeline.runner import run_pipeline

    config = RunConfig(inputs=tuple(inputs) or (RAW_DIR,), force=force, **settings)
    try:
        with reported_errors(), _stop_on_sigterm():
            result = run_pipeline(config, until)
    except KeyboardInterrupt as exc:
        click.echo(
            f"Stopped. Finished documents are kept in {config.work_dir}; run the same command "
            "again to go on.",
            err=True,
        )
        signum = signal.SIGTERM if isinstance(exc, Terminated) else signal.SIGINT
        sys.exit(EXIT_INTERRUPTED + signum)
    print_summary(result, config)
    if strict and result.failed:
        sys.exit(EXIT_FAILED)


@contextlib.contextmanager
def reported_errors() -> Iterator[None]:
    """Within the block, an error the pipeline reports by message ends the command with it:
    exit 2 for a bad input or argument (InputError), 1 for any other."""
    try:
        yield
    except InputError as exc:
        raise click.UsageError(str(exc)) from exc
    except PipelineError as exc:
        raise click.ClickException(str(exc)) from exc


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

    with reported_errors():
        frame = run_query(out_dir, sql)
    if fmt == "table":
        shown = printable(frame)
        click.echo(shown.to_string(index=False, na_rep="NULL") if len(frame) else "(no rows)")
    else:
        echo_rows(frame, fmt)


@main.command(name="checks")
@shared_options
@click.option(
    "--family",
    "families",
    multiple=True,
    type=click.Choice([str(family) for family in CheckFamily]),
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
    from pipeline.views.checks import failed_checks, format_checks

    if inputs:
        _process(Stage.LOAD, frozenset(), inputs=inputs, **options)
    out_dir = options["out_dir"]
    with reported_errors():
        frame = failed_checks(out_dir, families)
        n_documents = len(io.read_table(out_dir, "documents"))
    if fmt == "table":
        click.echo(format_checks(frame, n_documents))
    else:
        echo_rows(frame, fmt)


@main.command(name="audit")
@shared_options
def audit_command(inputs, **options) -> None:
    """Print how well a corpus was read: each reading self-check's rate over the documents
    (figures off their page, text read twice, numeric cells that became no value, tables that
    fail their own sums, OCR of low confidence) with the documents that fail it most, then the
    reports' failed checks by check and family.

    With INPUTS (PDF files or folders), they are processed first (as `pipeline run`, cached);
    without, the tables already in --out are read.

    \b
    Example:
      pipeline audit ../shared/corpus --out data/audit/out --work data/audit/interim
      pipeline audit --out data/processed
    """
    from pipeline.views.audit import audit_report

    if inputs:
        _process(Stage.LOAD, frozenset(), inputs=inputs, **options)
    with reported_errors():
        click.echo(audit_report(options["out_dir"]))


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
    from pipeline.views.review import build_site

    with reported_errors():
        index = build_site(out_dir)
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
    from pipeline.views.show import document_list

    with reported_errors():
        frame = document_list(out_dir)
    if fmt == "table":
        click.echo(printable(frame).to_string(index=False, na_rep="-"))
    else:
        echo_rows(frame, fmt)


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
    from pipeline.views.show import show_document

    with reported_errors():
        text = show_document(out_dir, doc)
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
    from pipeline.views.export import export

    with reported_errors():
        written = export(out_dir, fmt, dest)
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
    from pipeline.views.evaluate import evaluate, format_report, load_gold

    with reported_errors():
        report = evaluate(
            load_gold(gold), io.read_table(out_dir, "figures"), io.read_table(out_dir, "documents")
        )
    for doc in report.absent:
        click.echo(f"warning: {doc} is in the gold but not in {out_dir}; its figures count as "
                   "missed (run the pipeline on it first).", err=True)  # fmt: skip
    click.echo(format_report(report))
    if as_json is not None:
        io.write_json(as_json, report.as_dict())
