"""Every read and write of the pipeline: PDFs in, interim JSON, Parquet, CSV and DuckDB out.

Writes are atomic: a file is written beside its target under a temporary name and moved into
place with os.replace, so an interrupted run never leaves a half-written file.
"""

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
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from pipeline.config import DUCKDB_NAME, FORMULA_START, HIDDEN_CHARACTERS
from pipeline.errors import (
    InputError,
    OutputMissingError,
    QueryError,
    SchemaMismatchError,
    WorkBusyError,
)

if TYPE_CHECKING:  # pandas and DuckDB are loaded when tables are read or written
    import pandas as pd

log = logging.getLogger(__name__)

PDF_SUFFIX = ".pdf"
CONTROL_IN_NAME = re.compile(r"[\x00-\x1f\x7f]")
# Set (to anything) to make a row key that a table's schema lacks an error (the tests do).
STRICT_SCHEMA_ENV = "PIPELINE_STRICT_SCHEMA"
CSV_BOM = "\ufeff".encode()
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


def to_arrow(rows: list[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    """Return the rows as an Arrow table of exactly `schema` (missing columns become null).

    A key the schema lacks is a bug (a renamed key would leave an all-null column): it is an
    error when STRICT_SCHEMA_ENV is set, as in the tests, and a warning otherwise.
    """
    unknown = sorted({key for row in rows for key in row} - set(schema.names))
    if unknown:
        message = f"rows carry keys the table's schema lacks: {', '.join(unknown)}"
        if os.environ.get(STRICT_SCHEMA_ENV):
            raise SchemaMismatchError(message)
        log.warning("%s (left out)", message)
    data = {name: [row.get(name) for row in rows] for name in schema.names}
    return _without_hidden_characters(pa.Table.from_pydict(data, schema=schema))


def _without_hidden_characters(table: pa.Table) -> pa.Table:
    """Return the table with HIDDEN_CHARACTERS removed from every text and text-list column."""
    for i, field in enumerate(table.schema):
        column = table.column(i)
        if pa.types.is_string(field.type):
            column = pc.replace_substring_regex(column, HIDDEN_CHARACTERS, "")
        elif pa.types.is_list(field.type) and pa.types.is_string(field.type.value_type):
            column = pa.chunked_array([_clean_list(chunk) for chunk in column.chunks], field.type)
        else:
            continue
        table = table.set_column(i, field, column)
    return table


def _clean_list(chunk: pa.ListArray) -> pa.ListArray:
    values = pc.replace_substring_regex(chunk.values, HIDDEN_CHARACTERS, "")
    return pa.ListArray.from_arrays(chunk.offsets, values, mask=chunk.is_null())


def write_table(table: pa.Table, out_dir: Path, name: str) -> None:
    """Write one table as <name>.parquet and <name>.csv (UTF-8 with BOM), atomically."""
    with atomic_path(Path(out_dir) / f"{name}.parquet") as tmp:
        pq.write_table(table, tmp)
    with atomic_path(Path(out_dir) / f"{name}.csv") as tmp:
        with open(tmp, "wb") as sink:
            sink.write(CSV_BOM)
            pacsv.write_csv(_csv_ready(table), sink)


# How a list column's items are joined in CSV and Excel (which have no lists): the POS tags by a
# space, the sentences of documents.warnings by a semicolon; any other list (the tokens, one of
# which may be a space) as a JSON array, which splits back exactly.
LIST_SEPARATORS = {"pos": " ", "warnings": "; "}


def joined(name: str, items: Iterable[str] | None) -> str | None:
    """Return the items of list column `name` as one text cell (LIST_SEPARATORS)."""
    if items is None:
        return None
    glue = LIST_SEPARATORS.get(name)
    return json.dumps(list(items), ensure_ascii=False) if glue is None else glue.join(items)


def _csv_ready(table: pa.Table) -> pa.Table:
    """Return the table with list columns joined (CSV has no lists: LIST_SEPARATORS), floats
    written without scientific notation, and every text
    cell a spreadsheet would run as a formula (`=HYPERLINK(…)`, `+1`, `-2%`, `@SUM`) written
    with a leading ' (the Parquet and DuckDB tables keep the text as it is)."""
    for i, field in enumerate(table.schema):
        column = table.column(i)
        if pa.types.is_list(field.type):
            cells = [joined(field.name, v) for v in column.to_pylist()]
            column = pa.chunked_array([pa.array(cells, pa.string())])
        elif pa.types.is_floating(field.type):
            table = table.set_column(i, field.name, positional(column))
            continue
        elif not pa.types.is_string(field.type):
            continue
        table = table.set_column(i, field.name, escape_formulas(column))
    return table


def positional(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Return a float column as text without scientific notation (603348000000, not
    6.03348e+11, which Excel would show rounded), the shortest digits that read back the same."""
    import numpy as np

    def text(value: float | None) -> str | None:
        if value is None or value != value:
            return None
        return np.format_float_positional(value, trim="-")

    return pa.chunked_array([pa.array([text(v) for v in column.to_pylist()], pa.string())])


def escape_formulas(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Return a text column with a ' before every cell that starts like a formula."""
    quoted = pc.binary_join_element_wise("'", column, "")
    return pc.if_else(pc.match_substring_regex(column, FORMULA_START), quoted, column)


# The storage format reports.duckdb is written in: DuckDB 1.0's, which every DuckDB client since
# 1.0 opens (the default of DuckDB 2.0 would need 2.0 to read it).
DUCKDB_STORAGE = "v1.0.0"


def write_duckdb(out_dir: Path, names: list[str]) -> Path:
    """Build reports.duckdb holding a copy of every <name>.parquet in out_dir, atomically, in
    the storage format of DUCKDB_STORAGE."""
    import duckdb

    target = Path(out_dir) / DUCKDB_NAME
    with atomic_path(target) as tmp:
        tmp.unlink()  # DuckDB refuses to open an empty file as a database
        with duckdb.connect() as con:
            path = str(tmp).replace("'", "''")
            con.execute(f"ATTACH '{path}' AS out (STORAGE_VERSION '{DUCKDB_STORAGE}')")
            for name in names:
                parquet = (Path(out_dir) / f"{name}.parquet").resolve()
                con.execute(
                    f'CREATE TABLE out."{name}" AS SELECT * FROM read_parquet(?)', [str(parquet)]
                )
            con.execute("DETACH out")
        Path(f"{tmp}.wal").unlink(missing_ok=True)
    return target


def read_columns(path: Path, columns: list[str]) -> list[dict[str, Any]] | None:
    """Return the rows of some columns of a Parquet file; None when it cannot be read."""
    try:
        return pq.read_table(path, columns=columns).to_pylist()
    except (OSError, pa.ArrowException, KeyError):
        return None


def read_table(out_dir: Path, name: str) -> pd.DataFrame:
    """Return one written table as a DataFrame (integer columns as pandas' nullable Int64)."""
    import pandas as pd

    from pipeline.schema import TABLES

    if name not in TABLES:
        raise OutputMissingError(f"there is no table {name!r}; the tables are "
                                 f"{', '.join(TABLES)}.")  # fmt: skip
    path = Path(out_dir) / f"{name}.parquet"
    if not path.exists():
        raise OutputMissingError(f"{path} does not exist; run `pipeline run` first.")
    # integer columns with nulls stay integers (Int64), not floats (2023.0)
    return pq.read_table(path).to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)


def query(out_dir: Path, sql: str) -> pd.DataFrame:
    """Return the result of a SQL query over the tables in out_dir's reports.duckdb."""
    import duckdb

    if not sql.strip():
        raise QueryError("the query is empty; give a SQL statement such as "
                         "\"SELECT * FROM documents\".")  # fmt: skip
    db = Path(out_dir) / DUCKDB_NAME
    if not db.exists():
        raise OutputMissingError(f"{db} does not exist; run `pipeline run --out {out_dir}` first.")
    with duckdb.connect(str(db), read_only=True) as con:
        try:
            return con.execute(sql).df()
        except duckdb.Error as exc:
            first_line = str(exc).strip().splitlines()[0]
            raise QueryError(f"the query failed: {first_line}") from exc
