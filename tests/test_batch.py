"""Many documents: worker processes, timeouts, crashes, kill and resume, incremental reruns."""

from __future__ import annotations

import json
import operator
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from helpers import FIXTURES, RAW, ROOT, run_config
from pdfmaker import canvas_pdf
from slowpdf import HANGS_NAME, nested_forms_pdf

from pipeline import io
from pipeline.config import RunConfig
from pipeline.errors import WorkBusyError
from pipeline.runner import run_pipeline
from pipeline.runner.workers import CallFailed, WorkerDied, WorkerPool, WorkerTimeout

SAMPLES = sorted(p.name for p in RAW.glob("*.pdf"))
STARTED = re.compile(r"worker (\d+) started (.+)$")


@pytest.fixture()
def raw(tmp_path):
    """The three sample reports."""
    folder = tmp_path / "raw"
    shutil.copytree(RAW, folder)
    return folder


@pytest.fixture()
def raw_with_hang(raw):
    """The samples and a PDF whose extraction would run for hours."""
    (raw / HANGS_NAME).write_bytes(nested_forms_pdf())
    return raw


@pytest.fixture()
def raw_done_with_hang(raw, tmp_path):
    """The samples, already processed (so tight timeouts meet only the hang), and the hang."""
    run_pipeline(_config(raw, tmp_path, jobs=1))
    (raw / HANGS_NAME).write_bytes(nested_forms_pdf())
    return raw


def _config(raw, tmp_path, **settings) -> RunConfig:
    return run_config(raw, tmp_path, **settings)


def _by_path(result) -> dict[str, dict]:
    return {s["source_path"]: s for s in result.summaries}


def _processed(result) -> list[str]:
    return sorted(s["source_path"] for s in result.processed)


def _cli(*args: str, **popen) -> subprocess.Popen:
    command = [sys.executable, "-m", "pipeline", "-v", *args, "--no-progress"]
    env = {**os.environ, "PYTHONFAULTHANDLER": "1"}  # SIGABRT prints every thread's stack
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        preexec_fn=_answer_ctrl_c, **popen,
    )  # fmt: skip


def _answer_ctrl_c() -> None:
    """In the child before it runs: let Ctrl-C through. A shell ignores SIGINT for what it
    starts in the background (`make test &`), and that would pass down to the run tested."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _stopped(proc: subprocess.Popen, seconds: float) -> str:
    """Return the stderr of a process that must end within `seconds`; fail with the stacks of
    its threads when it does not."""
    try:
        return proc.communicate(timeout=seconds)[1]
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGABRT)
        stderr = proc.communicate(timeout=30)[1]
        pytest.fail(f"the run did not end within {seconds:g} s; where it was:\n{stderr[-6000:]}")


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] not in "ZX"
    except FileNotFoundError:
        return False


def _wait_for(proc: subprocess.Popen, *patterns: str) -> list[str]:
    """Read the process's log until every pattern has been seen; return the lines read."""
    lines, pending = [], set(patterns)
    for line in proc.stderr:
        lines.append(line.rstrip())
        pending = {p for p in pending if not re.search(p, line)}
        if not pending:
            return lines
    raise AssertionError(f"never logged {pending}:\n" + "\n".join(lines))


# --------------------------------------------------------------------------- worker processes


def test_a_worker_answers_calls_and_survives_an_exception():
    pool = WorkerPool()
    try:
        assert pool.run(operator.add, (1, 2), 10)[0] == 3
        with pytest.raises(CallFailed, match="ValueError"):
            pool.run(int, ("x",), 10)
        value, worker = pool.run(operator.mul, (6, 7), 10)
        assert value == 42 and len(pool._all) == 1
    finally:
        pool.close()


def test_a_call_past_its_timeout_kills_its_worker_and_the_pool_goes_on():
    pool = WorkerPool()
    try:
        _, first = pool.run(operator.add, (1, 2), 10)
        started = time.monotonic()
        with pytest.raises(WorkerTimeout):
            pool.run(time.sleep, (60,), 0.5)
        assert time.monotonic() - started < 5 and not _alive(first.pid)
        value, second = pool.run(operator.add, (2, 2), 10)
        assert value == 4 and second.pid != first.pid
    finally:
        pool.close()


@pytest.mark.parametrize(
    ("func", "args", "how"),
    [
        (os._exit, (3,), "exited with status 3"),
        (signal.raise_signal, (signal.SIGKILL,), "killed by signal SIGKILL"),
        (signal.raise_signal, (signal.SIGSEGV,), "killed by signal SIGSEGV"),
    ],
)
def test_a_worker_that_dies_fails_its_call_only(func, args, how):
    pool = WorkerPool()
    try:
        with pytest.raises(WorkerDied, match=how):
            pool.run(func, args, 10)
        assert pool.run(operator.add, (1, 1), 10)[0] == 2
    finally:
        pool.close()


# --------------------------------------------------------------------------- timeouts


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_document_past_the_timeout_fails_and_the_batch_goes_on(raw_with_hang, tmp_path, jobs):
    started = time.monotonic()
    result = run_pipeline(_config(raw_with_hang, tmp_path, jobs=jobs, timeout=5))
    assert time.monotonic() - started < 60
    summaries = _by_path(result)
    assert summaries[HANGS_NAME]["status"] == "failed"
    assert summaries[HANGS_NAME]["error"] == (
        "processing took longer than the 5 s timeout and was stopped; raise --timeout to give "
        "long documents more time."
    )
    assert [summaries[name]["status"] for name in SAMPLES] == ["ok"] * 3
    documents = io.read_table(tmp_path / "out", "documents").set_index("source_path")
    assert documents.loc[HANGS_NAME, "status"] == "failed"
    assert (documents.loc[SAMPLES, "status"] == "ok").all()


def test_a_timed_out_document_is_tried_again_only_with_a_longer_timeout(
    raw_done_with_hang, tmp_path
):
    run_pipeline(_config(raw_done_with_hang, tmp_path, jobs=2, timeout=1))
    again = run_pipeline(_config(raw_done_with_hang, tmp_path, jobs=2, timeout=1))
    assert _processed(again) == [] and not again.tables_written
    longer = run_pipeline(_config(raw_done_with_hang, tmp_path, jobs=2, timeout=1.5))
    assert _processed(longer) == [HANGS_NAME]
    assert "1.5 s timeout" in _by_path(longer)[HANGS_NAME]["error"]
    retried = run_pipeline(
        _config(raw_done_with_hang, tmp_path, jobs=1, timeout=1, retry_failed=True)
    )
    assert _processed(retried) == [HANGS_NAME]


# --------------------------------------------------------------------------- crashes


def test_a_killed_worker_fails_its_document_only_and_it_is_retried_when_asked(
    raw_with_hang, tmp_path
):
    """Issue 13: a document whose worker was killed (as the out-of-memory killer does) is not
    tried again on every run, taking the memory again; --retry-failed tries it."""
    out, work = tmp_path / "out", tmp_path / "work"
    args = ["run", str(raw_with_hang), "--out", str(out), "--work", str(work), "--jobs", "2"]
    proc = _cli(*args, "--timeout", "120")
    lines = _wait_for(proc, f"started {HANGS_NAME}")
    pid = int(STARTED.search(lines[-1]).group(1))
    os.kill(pid, signal.SIGKILL)
    stdout, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0, stdout
    assert "Processed 4 documents: 3 ok, 1 failed" in stdout
    assert (
        f"failed: {HANGS_NAME}: the worker process stopped while processing this document "
        "(killed by signal SIGKILL, as the out-of-memory killer does); rerun with --retry-failed "
        "or a higher --max-memory to try it again." in stdout
    )
    documents = io.read_table(out, "documents").set_index("source_path")
    assert documents.loc[HANGS_NAME, "error"].startswith("the worker process stopped")
    assert _processed(run_pipeline(_config(raw_with_hang, tmp_path, jobs=2, timeout=120))) == []
    again = run_pipeline(_config(raw_with_hang, tmp_path, jobs=2, timeout=1, retry_failed=True))
    assert _processed(again) == [HANGS_NAME]
    assert "timeout" in _by_path(again)[HANGS_NAME]["error"]


# --------------------------------------------------------------------------- kill and resume


@pytest.mark.parametrize("how", ["ctrl-c", "SIGTERM", "kill -9"])
def test_a_stopped_run_goes_on_where_it_was(raw_with_hang, tmp_path, how):
    out, work = tmp_path / "out", tmp_path / "work"
    args = ["run", str(raw_with_hang), "--out", str(out), "--work", str(work), "--jobs", "2"]
    proc = _cli(*args, "--timeout", "120", start_new_session=True)
    lines = _wait_for(proc, f"started {HANGS_NAME}", r"3/4 documents")
    workers = {int(m.group(1)) for m in map(STARTED.search, lines) if m}
    if how == "ctrl-c":
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.send_signal(signal.SIGTERM if how == "SIGTERM" else signal.SIGKILL)
    stderr = _stopped(proc, 30)
    expected = {"ctrl-c": 130, "SIGTERM": 143, "kill -9": -signal.SIGKILL}[how]
    assert proc.returncode == expected, stderr
    if how != "kill -9":
        assert "Stopped. Finished documents are kept in" in stderr
    deadline = time.monotonic() + 10
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(map(_alive, workers))
    assert not out.exists()
    for record in work.glob("*/*.json"):
        assert json.loads(record.read_text("utf-8"))["doc_id"] == record.stem
    resumed = run_pipeline(_config(raw_with_hang, tmp_path, jobs=1, timeout=1))
    assert _processed(resumed) == [HANGS_NAME]
    assert resumed.counts["documents"] == 4 and resumed.counts["ok"] == 3
    assert not list(work.glob("**/.*.tmp"))


def test_temporary_files_of_a_killed_run_are_removed(raw, tmp_path):
    leftover = tmp_path / "work" / "figures" / ".0123456789abcdef.json.x1y2.tmp"
    leftover.parent.mkdir(parents=True)
    leftover.write_text('{"half": ')
    run_pipeline(_config(raw, tmp_path, jobs=1))
    assert not leftover.exists()


def test_a_second_run_on_the_same_work_folder_is_refused(raw, tmp_path):
    with io.locked(tmp_path / "work"), pytest.raises(WorkBusyError, match="another pipeline run"):
        run_pipeline(_config(raw, tmp_path, jobs=1))
    assert not (tmp_path / "work" / io.LOCK_NAME).exists()


def test_the_lock_file_is_gone_after_a_run_that_failed(tmp_path):
    with pytest.raises(RuntimeError), io.locked(tmp_path / "work"):
        raise RuntimeError("the run failed")
    assert not (tmp_path / "work" / io.LOCK_NAME).exists()
    with io.locked(tmp_path / "work"):  # a lock file a run killed with -9 left is taken over
        pass
    (tmp_path / "work" / io.LOCK_NAME).write_text("")
    with io.locked(tmp_path / "work"):
        pass
    assert not (tmp_path / "work" / io.LOCK_NAME).exists()


def test_a_lock_file_removed_after_it_was_opened_is_not_trusted(tmp_path, monkeypatch):
    """A run that opened .lock just before the finishing run removed it must lock the new file
    (else it and a third run could both hold a lock, each on another file)."""
    work = tmp_path / "work"
    work.mkdir()
    lock = work / io.LOCK_NAME
    opened = []
    real_open = open

    def open_then_lose_the_race(path, *args, **kwargs):
        handle = real_open(path, *args, **kwargs)
        if Path(path) == lock and not opened:
            opened.append(handle)
            lock.unlink()  # the finishing run removes the file it locked
            lock.write_text("")  # a third run makes a new one
        return handle

    monkeypatch.setattr("builtins.open", open_then_lose_the_race)
    with io.locked(work):
        monkeypatch.setattr("builtins.open", real_open)
        assert opened[0].closed
        with pytest.raises(WorkBusyError):
            with io.locked(work):
                pass


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_bar_moves_page_by_page_within_a_document(raw, tmp_path, capsys, jobs):
    """A long report must not sit on one line: the bar names the page being read (sent over
    the worker's pipe with --jobs 2), then each stage."""
    run_pipeline(_config(raw, tmp_path, jobs=jobs, progress=True))
    shown = capsys.readouterr().err.replace("\r", "\n")
    name = "2023_gz_laoganbu_zhengti_zipingbaogao.pdf"
    for where in ["page 1/9", "page 5/9", "page 9/9", "segment", "figures", "facts"]:
        assert f"{name}: {where}" in shown, where
    assert "3/3 documents (0 failed)" in shown


# --------------------------------------------------------------------------- incremental


def test_nothing_changed_loads_no_stage_nor_pyarrow_starts_no_worker(raw, tmp_path):
    run_pipeline(_config(raw, tmp_path, jobs=2))
    tables = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "out").iterdir()}
    script = (
        "import json, sys, pipeline\n"
        f"r = pipeline.run([{str(raw)!r}], out_dir={str(tmp_path / 'out')!r}, "
        f"work_dir={str(tmp_path / 'work')!r}, progress=False)\n"
        "heavy = ('pdfplumber', 'jieba', 'spacy', 'pyarrow', 'pandas', 'duckdb', 'numpy')\n"
        "loaded = [m for m in heavy if m in sys.modules]\n"
        "print(json.dumps([loaded, len(r.processed), r.tables_written, r.counts]))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    loaded, processed, written, counts = json.loads(run.stdout)
    assert (loaded, processed, written) == ([], 0, False)
    assert counts["documents"] == 3 and counts["figures"] > 100
    assert tables == {p.name: p.stat().st_mtime_ns for p in (tmp_path / "out").iterdir()}


def test_adding_one_pdf_processes_that_one(raw, tmp_path):
    run_pipeline(_config(raw, tmp_path, jobs=2))
    shutil.copy(FIXTURES / "two-pages-split-sentence.pdf", raw / "new.pdf")
    again = run_pipeline(_config(raw, tmp_path, jobs=2))
    assert _processed(again) == ["new.pdf"] and again.tables_written
    assert again.counts["documents"] == 4


def test_a_renamed_or_touched_pdf_is_not_processed_again(raw, tmp_path):
    run_pipeline(_config(raw, tmp_path, jobs=1))
    (raw / SAMPLES[0]).rename(raw / "renamed.pdf")
    os.utime(raw / SAMPLES[1], ns=(1, 1))
    again = run_pipeline(_config(raw, tmp_path, jobs=1))
    assert _processed(again) == [] and again.tables_written
    documents = io.read_table(tmp_path / "out", "documents")
    assert sorted(documents["source_path"]) == sorted(["renamed.pdf", *SAMPLES[1:]])


def test_each_documents_rows_are_made_while_the_others_run_and_kept_in_document_order(
    raw, tmp_path, monkeypatch
):
    from pipeline.runner import executors, outputs
    from pipeline.schema import TABLES

    made, finished = [], []
    add, run_jobs = outputs.DocumentRows.add, executors.run_jobs

    def spy_add(rows, job, summary):
        made.append((job.source_path, bool(finished)))
        add(rows, job, summary)

    def spy_run_jobs(*args):
        summaries = run_jobs(*args)
        finished.append(True)
        return summaries

    monkeypatch.setattr(outputs.DocumentRows, "add", spy_add)
    monkeypatch.setattr("pipeline.runner.run.run_jobs", spy_run_jobs)
    run_pipeline(run_config(raw, tmp_path / "two", jobs=2))
    assert sorted(made) == [(name, False) for name in SAMPLES]  # each made before the last ends
    run_pipeline(run_config(raw, tmp_path / "one", jobs=1))  # largest first: not the inputs' order
    documents = io.read_table(tmp_path / "one" / "out", "documents")
    assert documents["source_path"].tolist() == SAMPLES
    for name in TABLES:
        two, one = (io.read_table(tmp_path / run / "out", name) for run in ("two", "one"))
        pd.testing.assert_frame_equal(two, one, obj=name)


def test_a_figure_rule_change_reruns_figures_facts_and_load_in_the_workers(
    raw, tmp_path, monkeypatch
):
    run_pipeline(_config(raw, tmp_path, jobs=2))
    monkeypatch.setattr("pipeline.figures.document.VERSION", "changed-rules")
    again = run_pipeline(_config(raw, tmp_path, jobs=2))
    assert [s["ran"] for s in again.summaries] == [["figures", "facts"]] * 3
    assert again.tables_written


def test_a_changed_table_file_is_written_again(raw, tmp_path):
    run_pipeline(_config(raw, tmp_path, jobs=1))
    (tmp_path / "out" / "figures.csv").unlink()
    again = run_pipeline(_config(raw, tmp_path, jobs=1))
    assert _processed(again) == [] and again.tables_written
    assert (tmp_path / "out" / "figures.csv").exists()


def test_a_record_is_one_json_object_whose_first_line_is_its_head(tmp_path):
    record = {"doc_id": "d", "status": "ok", "error": None, "versions": {"x": "1"}}
    record["data"] = {"text": "第一行\n第二行", "pages": [{"n": 1}]}
    io.write_record(tmp_path / "r.json", record)
    assert io.read_json(tmp_path / "r.json") == record
    assert io.read_record_head(tmp_path / "r.json") == {k: record[k] for k in list(record)[:4]}
    io.write_record(tmp_path / "f.json", {"doc_id": "d", "status": "failed"})
    assert io.read_record_head(tmp_path / "f.json") == {"doc_id": "d", "status": "failed"}


@pytest.mark.slow
def test_a_hundred_documents_with_nothing_changed_are_all_up_to_date(tmp_path):
    """The second run reads only record heads (its time is measured by `make bench`)."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for n in range(100):
        text = f"第{n}号报告：年度收入{n + 100}万元，开展活动{n + 3}场次。"
        (raw / f"{n:03d}.pdf").write_bytes(canvas_pdf(lambda c, t=text: c.drawString(72, 720, t)))
    out, work = tmp_path / "out", tmp_path / "work"
    args = ["run", str(raw), "--out", str(out), "--work", str(work), "--jobs", "2"]
    subprocess.run(["pipeline", *args], check=True, capture_output=True, cwd=ROOT, env=_venv())
    again = subprocess.run(["pipeline", *args], capture_output=True, text=True, env=_venv())
    assert "Processed 100 documents: 100 ok" in again.stdout
    assert "nothing to process, 100 up to date" in again.stdout
    assert len(pd.read_parquet(out / "documents.parquet")) == 100


def _venv() -> dict[str, str]:
    bin_dir = os.path.dirname(sys.executable)
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}


def test_a_permission_denied_or_gone_file_is_a_failed_row_and_others_run(
    raw, tmp_path, monkeypatch
):
    """Planning reads every file to name it by content; one it may not read (mode 000 for
    another user, or gone meanwhile) gets its failed row and stops nothing."""
    locked, gone = raw / "locked.pdf", raw / "gone.pdf"
    for path in (locked, gone):
        shutil.copy(FIXTURES / "arithmetic-error.pdf", path)
    read = io.read_bytes

    def refusing(path):
        if path.name == "locked.pdf":
            raise PermissionError(13, "Permission denied", str(path))
        if path.name == "gone.pdf":
            raise FileNotFoundError(2, "No such file or directory", str(path))
        return read(path)

    monkeypatch.setattr(io, "read_bytes", refusing)
    result = run_pipeline(run_config(raw, tmp_path, jobs=2))
    docs = pd.read_parquet(tmp_path / "out" / "documents.parquet").set_index("source_path")
    assert docs.loc["locked.pdf", "error"] == "the file cannot be read: permission denied."
    assert docs.loc["gone.pdf", "error"] == "the file disappeared before it could be read."
    assert (docs.loc[SAMPLES, "status"] == "ok").all()
    assert result.counts["failed"] == 2 and result.counts["ok"] == len(SAMPLES)


def test_a_byte_copy_is_a_duplicate_and_never_renames_the_original(tmp_path):
    raw = tmp_path / "in"
    for year in ("2022", "2023"):
        (raw / year).mkdir(parents=True)
    shutil.copy(RAW / SAMPLES[0], raw / "2023" / "report.pdf")
    shutil.copy(RAW / SAMPLES[1], raw / "2022" / "report.pdf")
    first = run_pipeline(run_config(raw, tmp_path, jobs=2))
    assert sorted(s["source_path"] for s in first.summaries) == ["2022/report.pdf",
                                                                 "2023/report.pdf"]  # fmt: skip
    shutil.copy(raw / "2023" / "report.pdf", raw / "2022" / "a-copy.pdf")  # sorts first
    again = run_pipeline(run_config(raw, tmp_path, jobs=2))
    assert sorted(s["source_path"] for s in again.summaries) == ["2022/report.pdf",
                                                                 "2023/report.pdf"]  # fmt: skip
    assert again.duplicates == ["2022/a-copy.pdf (same content as 2023/report.pdf)"]
    twice = run_pipeline(run_config(raw / "2022", tmp_path / "b", jobs=1))
    assert sorted(s["source_path"] for s in twice.summaries) == ["a-copy.pdf", "report.pdf"]


@pytest.mark.parametrize(
    "message",
    ["<built-in method x> returned NULL without setting an exception",
     "error return without exception set"],
)  # fmt: skip
def test_c_code_failing_silently_at_the_memory_cap_is_out_of_memory(tmp_path, message):
    """At the worker's cap, C code (pdfminer's, pdfium's through ctypes) may fail with one of
    CPython's 'no exception set' SystemErrors instead of MemoryError: the document then fails
    as out of memory, not as an internal error."""
    from pipeline.config import Stage
    from pipeline.runner.document import Job, _run_stage

    pdf = tmp_path / "big.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    job = Job(pdf, "big.pdf", "d" * 16, Stage.EXTRACT, tmp_path, frozenset(), max_memory=2 << 30)

    def core(data, on_page=None):
        raise SystemError(message)

    record = _run_stage(job, Stage.EXTRACT, core, None)
    assert record["status"] == "failed"
    assert record["error"].startswith("the document needs more than 2.0 GB of memory")
