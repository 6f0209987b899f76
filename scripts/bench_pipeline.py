"""The whole pipeline over the real PDFs (../shared/real-pdfs, those read from their text
layer) and over a generated corpus: cold with 1 and 2 jobs (each comparison ROUNDS times,
interleaved, with its median), again with nothing changed (`make run`), and after a
figure-rule change; milliseconds per page of each stage (and of loading the
models), end to end, peak memory per worker, the 2-job speed-up, and end-to-end time beside
pdfplumber's plain extract_text and pypdfium2's text over the same pages in the same run.

Example: .venv/bin/python scripts/bench_pipeline.py [--docs 200] [--dir /tmp/gov-reports-bench]

The corpus is typeset once per size (scripts/make_samples.py, ten source texts, each copy
numbered and its body repeated 1–6 times so every PDF is distinct) and kept in --dir.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
from make_samples import SAMPLES, SAMPLES_DIR, build_report

from pipeline.config import RunConfig, default_jobs
from pipeline.runner import RunResult, run_pipeline

ROOT = Path(__file__).resolve().parents[1]
REAL_PDFS = ROOT.parent / "shared" / "real-pdfs"
ANNUAL_REPORT = REAL_PDFS / "listed_annual2021_guizhou_maotai.pdf"
# Real PDFs whose text layer is garbled, so the pipeline reads them by OCR: no text-layer
# baseline applies to them (the bench says so if any other document was OCR'd).
OCR_READ = {"ysbg2025_huaian_founder_garbled.pdf"}
SOURCES = [SAMPLES_DIR / name for name in SAMPLES] + sorted(
    [*SAMPLES_DIR.glob("gold/*.txt"), *SAMPLES_DIR.glob("heldout/*.txt")]
)
MAX_REPEATS = 6
# The host of this machine is shared and its speed drifts within a minute: each comparison is
# made this many times, interleaved, and its median is the figure (every round is printed too).
ROUNDS = 3
RATIO_MARK = "ratio: "
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


def pdfium_text(folder: Path) -> tuple[int, float]:
    """Return (pages, seconds) of pypdfium2's text of every page, in this process."""
    pages, started = 0, time.perf_counter()
    for pdf_path in sorted(folder.glob("*.pdf")):
        pdf = pdfium.PdfDocument(pdf_path.read_bytes())
        for page in pdf:
            page.get_textpage().get_text_range()
            page.close()
        pages += len(pdf)
        pdf.close()
    return pages, time.perf_counter() - started


def model_load_seconds() -> float:
    """Return the seconds a fresh Python takes to import the stages and load the models."""
    code = ("import time; t = time.perf_counter(); from pipeline.runner.stages import warm_up; "
            "warm_up(); print(time.perf_counter() - t)")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(done.stdout)


def run(folder: Path, work: Path, out: Path, jobs: int) -> RunResult:
    """Return the result of one pipeline run."""
    config = RunConfig(inputs=(folder,), out_dir=out, work_dir=work, jobs=jobs, progress=False)
    return run_pipeline(config)


def stage_costs(result: RunResult) -> dict[str, float | None]:
    """Return milliseconds per page of one core for each stage that ran (stage seconds summed
    over the documents)."""
    pages, seconds = defaultdict(int), defaultdict(float)
    for summary in result.processed:
        for stage, spent in summary.get("seconds", {}).items():
            seconds[stage] += spent
            pages[stage] += summary["n_pages"] or 0
    return {s: 1000 * seconds[s] / pages[s] if pages.get(s) else None for s in (*STAGES, "write")}


def peak_rss(result: RunResult) -> float:
    """Return the largest peak resident memory (MB) any worker reported."""
    return max((s.get("rss_mb") or 0.0 for s in result.processed), default=0.0)


HEAD = (f"{'run':28} {'jobs':>4} {'wall s':>8} {'pages/s':>9} "
        + " ".join(f"{s:>8}" for s in (*STAGES, "write")) + f" {'load s':>8}")  # fmt: skip


def row(name: str, jobs: int, seconds: float, pages: int, costs: dict, tables: float) -> str:
    """Return one line of the results table."""
    cells = [f"{costs[s]:8.1f}" if costs.get(s) else f"{'-':>8}" for s in (*STAGES, "write")]
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


def bench_real(tmp: Path) -> None:
    """Print a cold 1-job run over the real PDFs read from their text layer, its cost per page
    by stage, beside pdfplumber's extract_text and pypdfium2's text of the same pages."""
    folder = tmp / "real"
    folder.mkdir()
    for pdf in sorted(REAL_PDFS.glob("*.pdf")):
        if pdf.name not in OCR_READ:
            (folder / pdf.name).symlink_to(pdf)
    n_docs = len(list(folder.glob("*.pdf")))
    pages, plain = plain_extract_text(folder)
    _, text = pdfium_text(folder)
    result = run(folder, tmp / "real-work", tmp / "real-out", jobs=1)
    print(f"real PDFs read from their text layer: {n_docs} reports, {pages} pages, 1 core")
    print(f"  plain pdfplumber extract_text {plain:7.2f} s {1000 * plain / pages:7.1f} ms/page")
    print(f"  pypdfium2 text                {text:7.2f} s {1000 * text / pages:7.1f} ms/page")
    print(HEAD)
    print(row("cold", 1, result.seconds, pages, stage_costs(result), result.timings["load"]))
    print(f"end to end (cold, 1 job) / plain extract_text: {result.seconds / plain:.2f}")
    print(f"{RATIO_MARK}{result.seconds / plain}")
    ocr = _ocr_pages(tmp / "real-out")
    if ocr:
        print(f"  (pages read by OCR, not by their text layer: {ocr})")


def _ocr_pages(out: Path) -> int:
    """Return how many pages of a run's output were read by OCR."""
    import pandas as pd

    pages = pd.read_parquet(out / "pages.parquet", columns=["source"])
    return int((pages["source"] == "ocr").sum())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=200, help="reports in the corpus")
    parser.add_argument(
        "--dir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "gov-reports-bench",
        help="where the corpus is kept",
    )
    parser.add_argument("--real-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.real_only:  # in a Python of its own, so that its cold run loads the models itself
        with tempfile.TemporaryDirectory() as tmp_name:
            return bench_real(Path(tmp_name))
    print(f"loading the models (a fresh Python): {model_load_seconds():.2f} s\n")
    if REAL_PDFS.is_dir():
        ratios = []
        for n in range(1, ROUNDS + 1):
            print(f"round {n} of {ROUNDS}: ", end="", flush=True)
            done = subprocess.run([sys.executable, __file__, "--real-only"], check=True,
                                  capture_output=True, text=True)  # fmt: skip
            lines = done.stdout.splitlines()
            ratios += [float(ln[len(RATIO_MARK) :]) for ln in lines if ln.startswith(RATIO_MARK)]
            print("\n".join(ln for ln in lines if not ln.startswith(RATIO_MARK)))
        shown = ", ".join(f"{r:.2f}" for r in ratios)
        print(f"real PDFs, end to end (cold, 1 job) / plain extract_text, median of {ROUNDS}: "
              f"{statistics.median(ratios):.2f} ({shown})\n")  # fmt: skip
    started = time.perf_counter()
    folder = corpus(args.docs, args.dir)
    print(f"corpus: {args.docs} reports in {folder} ({time.perf_counter() - started:.0f} s)")
    pages, plain = plain_extract_text(folder)
    print(f"{pages} pages; {os.cpu_count()} cores; plain pdfplumber extract_text, 1 core:")
    print(f"  {plain:.2f} s, {1000 * plain / pages:.1f} ms/page")
    _, text = pdfium_text(folder)
    print(f"pypdfium2 text, 1 core: {text:.2f} s, {1000 * text / pages:.1f} ms/page\n")
    print(HEAD)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        results, speedups = {}, []
        for n in range(ROUNDS):
            for jobs in (1, 2):
                result = run(folder, tmp / f"work{jobs}-{n}", tmp / f"out{jobs}-{n}", jobs)
                results[jobs] = result
                costs, tables = stage_costs(result), result.timings["load"]
                print(row("cold", jobs, result.seconds, pages, costs, tables))
            speedups.append(results[1].seconds / results[2].seconds)
            shutil.rmtree(tmp / f"work1-{n}")
        work2, out2 = tmp / f"work2-{ROUNDS - 1}", tmp / f"out2-{ROUNDS - 1}"  # the last 2-job run
        reruns = [timed_make_run(folder, work2, out2) for _ in range(ROUNDS)]
        cached, output = statistics.median(seconds for seconds, _ in reruns), reruns[-1][1]
        print(f"{'nothing changed (make run)':28} {2:4d} {cached:8.2f} {pages / cached:9.1f}")
        import pipeline.figures.document as figures_stage

        figures_stage.VERSION = f"{figures_stage.VERSION}-bench"
        rerun = run(folder, work2, out2, jobs=2)
        costs, tables = stage_costs(rerun), rerun.timings["load"]
        print(row("figure-rule change", 2, rerun.seconds, pages, costs, tables))
        import pipeline.facts.document as facts_stage

        facts_stage.VERSION = f"{facts_stage.VERSION}-bench"
        rerun = run(folder, work2, out2, jobs=2)
        costs, tables = stage_costs(rerun), rerun.timings["load"]
        print(row("metric-wording change", 2, rerun.seconds, pages, costs, tables))
        print("\nstage columns: milliseconds per page of one core (stage seconds summed over the")
        print("documents; write = JSON records); wall and pages/s: end to end, load included")
        one, two = results[1], results[2]
        shown = ", ".join(f"{x:.2f}" for x in speedups)
        print(f"\n2 jobs / 1 job speed-up, end to end, median of {ROUNDS} interleaved pairs: "
              f"{statistics.median(speedups):.2f}x ({shown})")  # fmt: skip
        print(f"end to end (cold, 1 job) / plain extract_text: {one.seconds / plain:.2f}")
        work = sum(sum(s["seconds"].values()) for s in one.processed)
        print(f"  per-document work alone (stages, reads, writes) / plain: {work / plain:.2f}")
        print(f"  planning {one.timings['plan']:.2f} s, load {one.timings['load']:.2f} s")
        shown = ", ".join(f"{seconds:.2f}" for seconds, _ in reruns)
        print(f"nothing changed, {args.docs} documents, `make run` wall time, median of "
              f"{ROUNDS}: {cached:.2f} s ({shown})")  # fmt: skip
        print(f"  {output.strip().splitlines()[-3]}")
        print(f"peak RSS per worker, 2-job cold run: {peak_rss(two):.0f} MB")
        annual = annual_report_rss(tmp)
        if annual is not None:
            print(f"peak RSS of the worker on the 124-page annual report: {annual:.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
