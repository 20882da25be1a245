"""`make bench`: run every benchmark in this folder and print its figures.

Each benchmark is a module `bench/bench_*.py` or `bench/pdf_libraries.py`; run one alone
with `python -m bench.NAME --write` to record its figures in bench/RESULTS.md.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent


def main() -> int:
    """Run the benchmarks named on the command line, or all of them."""
    names = sys.argv[1:] or sorted(
        p.stem
        for p in BENCH_DIR.glob("*.py")
        if p.stem.startswith("bench_") or p.stem == "pdf_libraries"
    )
    over_budget = []
    for name in names:
        print(f"== {name}", flush=True)
        sys.argv = [f"bench.{name}"]  # each benchmark parses its own (empty) command line
        try:
            runpy.run_module(f"bench.{name}", run_name="__main__")
        except SystemExit as stop:  # a benchmark exits non-zero when it misses its budget
            if stop.code:
                over_budget.append(name)
    if over_budget:
        print("over budget or failed: " + ", ".join(over_budget))
    return 1 if over_budget else 0


if __name__ == "__main__":
    sys.exit(main())
