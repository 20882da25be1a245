"""`coopwatch parse` on the UN's own PDFs against a bare pypdfium2 extraction of the same file.

The shortest and the longest document of ../shared/corpus/real_pdfs/ by page count (ties go
to the smaller file): a one-page Security Council resolution, where nearly all of a parse is
start-up, and a 62-page report. Each is timed as whole processes in the same run, the two
commands taking turns so both see the same load: `coopwatch parse FILE --json` and
`python -c` opening the file with pypdfium2 and extracting every page's text. Medians of
five after one warm-up each, wall time and CPU time (user + system, which other work on a
shared machine disturbs less). Budget (issue 27): the parse at most 2x the raw extraction.
A parse reads a PDF of 12 pages or more in two processes where it may (the default); the
long document is also timed with COOPWATCH_PDF_PROCESSES=1, every page in one process, for
the record (its CPU time is the work a parse does, whatever the processors).
Both run as an installed command does, with Python's bytecode cache (kept in a temporary
folder, so the worktree stays clean even where PYTHONDONTWRITEBYTECODE is set).
Exits 0 with a message when the folder is absent (third-party material we do not ship).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench.results import write_section  # noqa: E402

FOLDER = PROJECT.parent / "shared" / "corpus" / "real_pdfs"
RUNS = 5
BUDGET = 2.0
SECTION = "## Real PDF parse"
RAW_EXTRACTION = (
    "import sys, pypdfium2\n"
    "pdf = pypdfium2.PdfDocument(sys.argv[1])\n"
    "text = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]\n"
    "print(sum(map(len, text)))\n"
)


def page_count(path: Path) -> int:
    """Pages of one PDF (pypdfium2 is imported here only: the bench's own start stays small)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        return len(document)
    finally:
        document.close()


def shortest_and_longest(folder: Path) -> tuple[Path, Path]:
    """The documents with the fewest and the most pages; ties go to the smaller file."""
    ranked = sorted(folder.glob("*.pdf"), key=lambda path: (page_count(path), path.stat().st_size))
    shortest = ranked[0]
    longest = max(ranked, key=lambda path: (page_count(path), -path.stat().st_size))
    return shortest, longest


class Timing(NamedTuple):
    """Median wall and CPU (user + system) seconds of one command."""

    wall: float
    cpu: float


def timed(command: list[str], environment: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of `command` as a process; it must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=environment)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def median_pair(
    parse: list[str], raw: list[str], environment: dict[str, str]
) -> tuple[Timing, Timing]:
    """Medians of the parse and the raw extraction, run in turns after a warm-up (which also
    fills the bytecode cache)."""
    timed(parse, environment)
    timed(raw, environment)
    parse_times, raw_times = [], []
    for _ in range(RUNS):
        raw_times.append(timed(raw, environment))
        parse_times.append(timed(parse, environment))
    return _median(parse_times), _median(raw_times)


def _median(times: list[tuple[float, float]]) -> Timing:
    return Timing(
        statistics.median(wall for wall, _ in times), statistics.median(cpu for _, cpu in times)
    )


def with_bytecode_cache(folder: str) -> dict[str, str]:
    """This process's environment with Python's bytecode cache on, kept under `folder`."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    environment["PYTHONPYCACHEPREFIX"] = folder
    return environment


def main() -> int:
    """Time parse against raw extraction on the shortest and longest real PDF; --write records it."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="record in bench/RESULTS.md")
    arguments = parser.parse_args()
    if not FOLDER.is_dir():
        print(f"skipped: {FOLDER} is absent (the real UN PDFs are not shipped)")
        return 0
    coopwatch = str(Path(sys.executable).with_name("coopwatch"))
    rows = []
    over = []
    cache = tempfile.TemporaryDirectory()
    environment = with_bytecode_cache(cache.name)
    shortest, longest = shortest_and_longest(FOLDER)
    one_process = {**environment, "COOPWATCH_PDF_PROCESSES": "1"}
    for path, label, setting in (
        (shortest, shortest.name, environment),
        (longest, longest.name, environment),
        (longest, f"{longest.name}, one process", one_process),
    ):
        parse, raw = median_pair(
            [coopwatch, "parse", str(path), "--json"],
            [sys.executable, "-c", RAW_EXTRACTION, str(path)],
            setting,
        )
        ratio = parse.wall / raw.wall
        if ratio > BUDGET and setting is environment:
            over.append(path.name)
        rows.append(
            f"| {label} | {page_count(path)} | {parse.wall:.2f} | {raw.wall:.2f} | "
            f"{ratio:.2f}x | {parse.cpu:.2f} | {raw.cpu:.2f} | {parse.cpu / raw.cpu:.2f}x |"
        )
    cache.cleanup()
    verdict = "passes" if not over else "FAILS on " + ", ".join(over)
    text = (
        f"{SECTION}\n\n{__doc__.split(chr(10), 1)[1].strip()}\n\n"
        "| document | pages | coopwatch parse s | raw pypdfium2 s | ratio | parse CPU s | "
        "raw CPU s | CPU ratio |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|\n" + "\n".join(rows) + "\n\n"
        f"Budget: at most {BUDGET:.0f}x each, as a parse runs by default (wall time): "
        f"**{verdict}**.\n\n"
        f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, load average "
        f"{os.getloadavg()[0]:.2f} when the runs ended. Command: "
        "`.venv/bin/python -m bench.bench_parse_real --write`.\n"
    )
    print(text)
    if arguments.write:
        write_section(SECTION, text)
    return 0 if not over else 1


if __name__ == "__main__":
    sys.exit(main())
