"""Measure find_figures throughput: the seed report repeated to about 5 MB, in characters/second.

Example: .venv/bin/python scripts/bench_figures.py [path/to/text.txt] [--mb 5]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from pipeline.figures.grammar import find_figures

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_ce83152c63309415.txt"


def main() -> None:
    """Print characters/second of find_figures over the repeated seed text."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=SEED)
    parser.add_argument("--mb", type=float, default=5.0, help="size of the repeated text in MB")
    args = parser.parse_args()
    seed = args.path.read_text(encoding="utf-8")
    reps = max(1, int(args.mb * 1_000_000 / len(seed.encode("utf-8"))))
    text = "\n".join([seed] * reps)
    find_figures(seed)  # warm up: compile the regexes, load the unit table
    t0 = time.perf_counter()
    figures = find_figures(text)
    elapsed = time.perf_counter() - t0
    size_mb = len(text.encode("utf-8")) / 1e6
    print(
        f"{len(text):,} chars ({size_mb:.1f} MB), {len(figures):,} figures, "
        f"{elapsed:.2f} s, {len(text) / elapsed:,.0f} chars/s"
    )


if __name__ == "__main__":
    main()
