"""The whole pipeline over a generated corpus: cold with 1 and 2 jobs, again with nothing
changed (`make run`), and after a figure-rule change; pages per second per stage and end to
end, peak memory per worker, the 2-job speed-up, and end-to-end time beside pdfplumber's plain
extract_text over the same pages in the same run.

Example: .venv/bin/python scripts/bench_pipeline.py [--docs 200] [--dir /tmp/gov-reports-bench]

The corpus is typeset once per size (scripts/make_samples.py, ten source texts, each copy
numbered and its body repeated 1–6 times so every PDF is distinct) and kept in --dir.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pdfplumber
from make_samples import SAMPLES, SAMPLES_DIR, build_report

from pipeline.config import RunConfig, default_jobs
from pipeline.runner import RunResult, run_pipeline

ROOT = Path(__file__).resolve().parents[1]
ANNUAL_REPORT = ROOT.parent / "shared/real-pdfs/listed_annual2021_guizhou_maotai.pdf"
SOURCES = [SAMPLES_DIR / name for name in SAMPLES] + sorted(
    [*SAMPLES_DIR.glob("gold/*.txt"), *SAMPLES_DIR.glob("heldout/*.txt")]
)
MAX_REPEATS = 6
STAGES = ("extract", "segment", "figures", "facts")


def variant_text(source: Path, number: int, repeats: int) -> str:
    """Return a source text with a numbered opening paragraph and its body repeated."""
    lines = source.read_text("utf-8").splitlines()
    n_title = next(i for i, line in enumerate(lines) if line.strip() and not line.startswith("# "))
    title, body = lines[:n_title], "\n".join(lines[n_title:])
    opening = f"本报告为批量处理基准测试样本，编号第{number:04d}号。"
    return "\n".join([*title, "", opening, "", *([body] * repeats)]) + "\n"


def _typeset(args: tuple[int, Path]) -> None:
    number, folder = args
    source = SOURCES[number % len(SOURCES)]
    repeats = 1 + (number // len(SOURCES)) % MAX_REPEATS
    with tempfile.TemporaryDirectory() as tmp:
        text = Path(tmp) / "report.txt"
        text.write_text(variant_text(source, number, repeats), "utf-8")
        build_report(text, folder / f"{number:04d}-{source.stem}.pdf")


def corpus(n_docs: int, root: Path) -> Path:
    """Return a folder of n_docs generated reports, typesetting it when it is not there yet."""
    folder = root / f"corpus-{n_docs}"
    if len(list(folder.glob("*.pdf"))) != n_docs:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        with ProcessPoolExecutor(default_jobs()) as pool:
            list(pool.map(_typeset, [(n, folder) for n in range(n_docs)]))
    return folder


def plain_extract_text(folder: Path) -> tuple[int, float]:
    """Return (pages, seconds) of pdfplumber's extract_text over every page, in this process."""
    pages, started = 0, time.perf_counter()
    for pdf_path in sorted(folder.glob("*.pdf")):
        with pdfplumber.open(io.BytesIO(pdf_path.read_bytes())) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.close()
            pages += len(pdf.pages)
    return pages, time.perf_counter() - started


def run(folder: Path, work: Path, out: Path, jobs: int) -> RunResult:
    """Return the result of one pipeline run."""
    config = RunConfig(inputs=(folder,), out_dir=out, work_dir=work, jobs=jobs, progress=False)
    return run_pipeline(config)


def stage_rates(result: RunResult) -> dict[str, float | None]:
    """Return pages per second of one core for each stage that ran (stage seconds summed)."""
    pages, seconds = defaultdict(int), defaultdict(float)
    for summary in result.processed:
        for stage, spent in summary.get("seconds", {}).items():
            seconds[stage] += spent
            pages[stage] += summary["n_pages"] or 0
    return {s: pages[s] / seconds[s] if seconds.get(s) else None for s in (*STAGES, "write")}


def peak_rss(result: RunResult) -> float:
    """Return the largest peak resident memory (MB) any worker reported."""
    return max((s.get("rss_mb") or 0.0 for s in result.processed), default=0.0)


def row(name: str, jobs: int, seconds: float, pages: int, rates: dict, tables: float) -> str:
    """Return one line of the results table."""
    cells = [f"{rates[s]:8.1f}" if rates.get(s) else f"{'-':>8}" for s in (*STAGES, "write")]
    return (
        f"{name:28} {jobs:4d} {seconds:8.2f} {pages / seconds:9.1f} {' '.join(cells)} "
        f"{tables:8.2f}"
    )


def timed_make_run(folder: Path, work: Path, out: Path) -> tuple[float, str]:
    """Return the wall time and last lines of `make run` over the corpus."""
    command = ["make", "-s", "-C", str(ROOT), "run", f"RAW={folder}", f"OUT={out}"]
    started = time.perf_counter()
    done = subprocess.run(
        [*command, f"WORK={work}", "JOBS=2"], capture_output=True, text=True, check=True
    )
    return time.perf_counter() - started, done.stdout


def annual_report_rss(tmp: Path) -> float | None:
    """Return a worker's peak memory (MB) over the 124-page annual report, when it is here."""
    if not ANNUAL_REPORT.exists():
        return None
    folder = tmp / "annual"
    folder.mkdir()
    shutil.copy(ANNUAL_REPORT, folder)
    return peak_rss(run(folder, tmp / "annual-work", tmp / "annual-out", jobs=2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=200, help="reports in the corpus")
    parser.add_argument(
        "--dir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "gov-reports-bench",
        help="where the corpus is kept",
    )
    args = parser.parse_args()
    started = time.perf_counter()
    folder = corpus(args.docs, args.dir)
    print(f"corpus: {args.docs} reports in {folder} ({time.perf_counter() - started:.0f} s)")
    pages, plain = plain_extract_text(folder)
    print(f"{pages} pages; {os.cpu_count()} cores; plain pdfplumber extract_text, 1 core:")
    print(f"  {plain:.2f} s, {pages / plain:.1f} pages/s\n")
    head = f"{'run':28} {'jobs':>4} {'wall s':>8} {'pages/s':>9} "
    print(head + " ".join(f"{s:>8}" for s in (*STAGES, "write")) + f" {'load s':>8}")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        results = {}
        for jobs in (1, 2):
            result = run(folder, tmp / f"work{jobs}", tmp / f"out{jobs}", jobs)
            results[jobs] = result
            rates, tables = stage_rates(result), result.timings["load"]
            print(row("cold", jobs, result.seconds, pages, rates, tables))
        cached, output = timed_make_run(folder, tmp / "work2", tmp / "out2")
        print(f"{'nothing changed (make run)':28} {2:4d} {cached:8.2f} {pages / cached:9.1f}")
        import pipeline.figures.document as figures_stage

        figures_stage.VERSION = f"{figures_stage.VERSION}-bench"
        rerun = run(folder, tmp / "work2", tmp / "out2", jobs=2)
        rates, tables = stage_rates(rerun), rerun.timings["load"]
        print(row("figure-rule change", 2, rerun.seconds, pages, rates, tables))
        import pipeline.facts.document as facts_stage

        facts_stage.VERSION = f"{facts_stage.VERSION}-bench"
        rerun = run(folder, tmp / "work2", tmp / "out2", jobs=2)
        rates, tables = stage_rates(rerun), rerun.timings["load"]
        print(row("metric-wording change", 2, rerun.seconds, pages, rates, tables))
        print("\nstage columns: pages per second of one core (stage seconds summed over the")
        print("documents; write = JSON records); wall and pages/s: end to end, load included")
        one, two = results[1], results[2]
        print(f"\n2 jobs / 1 job speed-up, end to end: {one.seconds / two.seconds:.2f}x")
        print(f"end to end (cold, 1 job) / plain extract_text: {one.seconds / plain:.2f}")
        work = sum(sum(s["seconds"].values()) for s in one.processed)
        print(f"  per-document work alone (stages, reads, writes) / plain: {work / plain:.2f}")
        print(f"  planning {one.timings['plan']:.2f} s, load {one.timings['load']:.2f} s")
        print(f"nothing changed, {args.docs} documents, `make run` wall time: {cached:.2f} s")
        print(f"  {output.strip().splitlines()[-3]}")
        print(f"peak RSS per worker, 2-job cold run: {peak_rss(two):.0f} MB")
        annual = annual_report_rss(tmp)
        if annual is not None:
            print(f"peak RSS of the worker on the 124-page annual report: {annual:.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
