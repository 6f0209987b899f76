"""The options the commands share, defined once: folders, --format, the processing options
every stage command takes, and -q/-v (taken before or after the subcommand)."""

from __future__ import annotations

import functools
import logging
from pathlib import Path

import click

from pipeline.config import DEFAULT_TIMEOUT, OUT_DIR, WORK_DIR, default_jobs, parse_memory


def set_logging(level: int) -> None:
    """Log at this level from here on, in the pipeline's one-line format."""
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", force=True)
    logging.getLogger("pdfminer").setLevel(logging.ERROR)


def level_option(flag: str, short: str, level: int, text: str):
    """Return -q or -v for a subcommand too (`pipeline run -q …` as well as `pipeline -q run`)."""

    def apply(ctx, param, given: bool) -> None:
        if given:
            set_logging(level)

    return click.option(flag, short, is_flag=True, expose_value=False, callback=apply, help=text)


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

    @level_option("--quiet", "-q", logging.WARNING, "Print warnings and the summary only.")
    @level_option("--verbose", "-v", logging.DEBUG, "Print debugging detail.")
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
