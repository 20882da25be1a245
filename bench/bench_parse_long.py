"""Parsing stays linear: `coopwatch parse` on a long UN-like PDF against raw text extraction.

The PDF is the 2022 edition's text eight times over, paragraphs numbered on (1,024 numbered
paragraphs, about 200 pages), rendered like the UN's own by tests/pdf_render.py. Timed as
whole processes in the same run, medians of three: `coopwatch parse FILE --json` (read,
furniture, structure, enrich, gate) and a bare pypdfium2 extraction of every page's text.
A run-on paragraph (the whole document's text as one paragraph) is enriched on its own, the
case where pairwise overlap tests made the area matcher quadratic.
Budget (issue 16): the parse at most 2x the raw extraction.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench.results import write_section  # noqa: E402
from extractors.model import Block  # noqa: E402
from extractors.readers.route import read_file  # noqa: E402
from tests.pdf_render import RenderOptions, render_pdf  # noqa: E402

EDITION = PROJECT / "corpus" / "A-77-277_fr.pdf.txt"
COPIES = 8
RUNS = 3
BUDGET = 2.0
SECTION = "## Long PDF parse"
RAW_EXTRACTION = (
    "import sys, pypdfium2\n"
    "pdf = pypdfium2.PdfDocument(sys.argv[1])\n"
    "text = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]\n"
    "print(sum(map(len, text)))\n"
)


def long_blocks(copies: int = COPIES) -> list[Block]:
    """The edition's blocks `copies` times, numbered paragraphs renumbered from 1."""
    blocks, _ = read_file(EDITION)
    out: list[Block] = []
    number = 0
    for _ in range(copies):
        for block in blocks:
            if block.kind == "numbered":
                number += 1
                out.append(replace(block, number=number))
            else:
                out.append(block)
    return out


def median_seconds(command: list[str]) -> float:
    """Median wall time of `command` as a process, after one warm-up run."""
    subprocess.run(command, check=True, capture_output=True)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run_on_paragraph_seconds(blocks: list[Block]) -> tuple[int, float]:
    """Words in, and seconds to enrich, one paragraph holding every paragraph's text."""
    from extractors.enrich.enrich_report import enrich_report
    from extractors.report.report_parser import parse_blocks

    text = " ".join(block.text for block in blocks if block.kind == "numbered")
    single = [Block("heading", "I. Introduction", level=1), Block("numbered", text, number=1)]
    report = parse_blocks(single, name="run-on", symbol="A/77/277", language="fr")
    start = time.perf_counter()
    enrich_report(report)
    return len(text.split()), time.perf_counter() - start


def main() -> int:
    """Time the parser on the long synthetic edition and record it with --write."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="record in bench/RESULTS.md")
    arguments = parser.parse_args()
    blocks = long_blocks()
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "A-77-277-long.pdf"
        rendered = render_pdf(blocks, pdf, RenderOptions())
        coopwatch = str(Path(sys.executable).with_name("coopwatch"))
        parse = median_seconds([coopwatch, "parse", str(pdf), "--json"])
        raw = median_seconds([sys.executable, "-c", RAW_EXTRACTION, str(pdf)])
        printed = subprocess.run(
            [coopwatch, "parse", str(pdf), "--text"], check=True, capture_output=True, text=True
        ).stdout
    paragraphs = sum(1 for block in blocks if block.kind == "numbered")
    words, run_on = run_on_paragraph_seconds(blocks)
    ratio = parse / raw
    verdict = "passes" if ratio <= BUDGET else "FAILS"
    text = (
        f"{SECTION}\n\n{__doc__.split(chr(10), 1)[1].strip()}\n\n"
        "| pages | numbered paragraphs | coopwatch parse s | raw pypdfium2 s | ratio | "
        "run-on paragraph words | its enrich s |\n"
        "|---:|---:|---:|---:|---:|---:|---:|\n"
        f"| {rendered.page_count} | {paragraphs} | {parse:.2f} | {raw:.2f} | {ratio:.2f}x | "
        f"{words} | {run_on:.2f} |\n\n"
        f"Budget: at most {BUDGET:.0f}x: **{verdict}**. The parse printed "
        f"{printed.splitlines()[0]!r} with {len(printed.splitlines()) - 1} sections.\n"
    )
    print(text)
    if arguments.write:
        write_section(SECTION, text)
    return 0 if ratio <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
