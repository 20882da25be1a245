"""The text-preservation gate in bounded memory: peak memory against pages, 100 to 1,000.

PDFs of the 2022 edition's text repeated (paragraphs numbered on), rendered like the UN's
own by tests/pdf_render.py, are derived with and without the gate, each in a process of its
own; the figure is the process's peak resident memory. Before the gate aligned in windows,
its exact word alignment held a bit matrix of words x words (the issue's probe measured
1.4 GB at 400 pages, 5.4 GB at 750): quadratic in pages. Then, aligning in windows, it
still held its word lists and pypdf's whole text, some 40 KB a page (its share 27 MB at 99
pages, 33 at 246, 43 at 493, 61 at 986). Now pypdf's text is read page by page and both
word sequences are aligned as they are read, a window at a time, keeping only the words
the alignment leaves unmatched: its share stays flat (what remains is pypdf and rapidfuzz
loaded, the windows, and what pypdf keeps of the pages it has read). Budget (issue 32): the gate
adds at most 64 MB to the parse at 1,000 pages.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench.bench_parse_long import long_blocks  # noqa: E402
from bench.results import write_section  # noqa: E402
from tests.pdf_render import RenderOptions, render_pdf  # noqa: E402

PAGE_TARGETS = (100, 250, 500, 1000)
PAGES_PER_COPY = 25  # the 2022 edition renders to about 25 pages
BUDGET_MB = 64
SECTION = "## Gate memory"
DERIVE = (
    "import resource, sys\n"
    "from pathlib import Path\n"
    "from extractors.derive import derive_document\n"
    "data = Path(sys.argv[1]).read_bytes()\n"
    "derived = derive_document(data, name=sys.argv[1], symbol='A/77/277', language='fr',\n"
    "    kind='report', gate=sys.argv[2] == 'gate')\n"
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)\n"
)


def peak_mb(pdf: Path, mode: str) -> int:
    """Peak resident memory, in MB, of a process deriving `pdf` (`gate` or `parse` alone)."""
    done = subprocess.run(
        [sys.executable, "-c", DERIVE, str(pdf), mode],
        check=True,
        capture_output=True,
        text=True,
        cwd=PROJECT,
    )
    return int(done.stdout.strip().splitlines()[-1])


def main() -> int:
    """Measure the gate's peak memory over growing page counts; --write records it."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="record in bench/RESULTS.md")
    arguments = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for target in PAGE_TARGETS:
            pdf = Path(folder) / f"long-{target}.pdf"
            copies = max(1, round(target / PAGES_PER_COPY))
            rendered = render_pdf(long_blocks(copies), pdf, RenderOptions())
            parse, gated = peak_mb(pdf, "parse"), peak_mb(pdf, "gate")
            rows.append((rendered.page_count, pdf.stat().st_size // 1024, parse, gated))
            print(rows[-1], flush=True)
    worst = max(gated - parse for *_, parse, gated in rows)
    verdict = "passes" if worst <= BUDGET_MB else "FAILS"
    table = "".join(
        f"| {pages} | {size} | {parse} | {gated} | {gated - parse} |\n"
        for pages, size, parse, gated in rows
    )
    text = (
        f"{SECTION}\n\n{__doc__.split(chr(10), 1)[1].strip()}\n\n"
        "| pages | PDF KB | parse alone MB | parse + gate MB | the gate's share MB |\n"
        f"|---:|---:|---:|---:|---:|\n{table}\n"
        f"Budget: the gate at most {BUDGET_MB} MB over the parse: **{verdict}** "
        f"(at most {worst} MB).\n"
    )
    print(text)
    if arguments.write:
        write_section(SECTION, text)
    return 0 if worst <= BUDGET_MB else 1


if __name__ == "__main__":
    sys.exit(main())
