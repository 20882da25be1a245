"""Compare PDF text libraries on a UN-like PDF of the 2022 edition, and time our PDF parse.

Renders corpus/A-77-277_fr.pdf.txt into a UN-like PDF (tests/pdf_render.py), then for
pypdfium2, pymupdf (AGPL: measured here only), pdfplumber (pdfminer.six) and pypdf measures
raw text extraction speed (pages/s, best of several runs), correctness (numbered paragraphs
recovered word for word once header and footer lines are removed) and link annotations found.
Then times `read_pdf` + `parse_blocks` against the fastest raw extractions, taking turns
with them so that both see the same machine load: it must cost at most 2x. `--write`
records the figures in bench/RESULTS.md, section "PDF libraries"; exit 1 over budget.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.results import write_section
from extractors.normalize import fold
from extractors.readers.layout import furniture_reason
from extractors.readers.page_parts import split_pages
from extractors.readers.pdf import read_pdf_with_ledger
from extractors.readers.pdf_blocks import build_blocks
from extractors.readers.pdf_pages import styled_pages
from extractors.readers.pdftext import read_pdf_text
from extractors.report.report_parser import parse_blocks
from tests.pdf_render import render_pdf

PROJECT_DIR = Path(__file__).resolve().parent.parent
SOURCE = PROJECT_DIR / "corpus" / "A-77-277_fr.pdf.txt"
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
SECTION = "## PDF libraries"
RUNS = 5
MAX_PARSE_RATIO = 2.0
# Libraries within this factor of the fastest are timed again, taking turns with the parse.
CONTENDER_FACTOR = 3.0
BUDGET_ROUNDS = 30
PARSE = "parse"


@dataclass(frozen=True)
class Measure:
    """One library's figures on the rendered edition."""

    library: str
    licence: str
    seconds: float
    pages: int
    paragraphs_recovered: int
    paragraphs_total: int
    links_found: int

    @property
    def pages_per_second(self) -> float:
        """Pages extracted per second of wall time."""
        return self.pages / self.seconds


def extract_pypdfium2(path: Path) -> list[str]:
    """Text of each page, by PDFium (the reader's library)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def extract_pymupdf(path: Path) -> list[str]:
    """Text of each page, by MuPDF."""
    import pymupdf

    with pymupdf.open(path) as document:
        return [page.get_text() for page in document]


def extract_pdfplumber(path: Path) -> list[str]:
    """Text of each page, by pdfminer through pdfplumber."""
    import pdfplumber

    with pdfplumber.open(path) as document:
        return [page.extract_text() or "" for page in document.pages]


def extract_pypdf(path: Path) -> list[str]:
    """Text of each page, by pypdf (the gate's second library)."""
    import pypdf

    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


def links_pypdfium2(path: Path) -> int:
    """Links the project's PDF reader places on its blocks."""
    return sum(len(block.links) for block in read_pdf_with_ledger(path).blocks)


def links_pymupdf(path: Path) -> int:
    """URI links MuPDF finds on the pages."""
    import pymupdf

    with pymupdf.open(path) as document:
        return sum(1 for page in document for link in page.get_links() if link.get("uri"))


def links_pdfplumber(path: Path) -> int:
    """Hyperlinks pdfplumber finds on the pages."""
    import pdfplumber

    with pdfplumber.open(path) as document:
        return sum(len(page.hyperlinks) for page in document.pages)


def links_pypdf(path: Path) -> int:
    """URI link annotations pypdf finds on the pages."""
    import pypdf

    count = 0
    for page in pypdf.PdfReader(path).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and action.get_object().get("/URI"):
                count += 1
    return count


LIBRARIES: dict[str, tuple[str, Callable[[Path], list[str]], Callable[[Path], int]]] = {
    "pypdfium2": ("Apache-2.0 / BSD-3-Clause", extract_pypdfium2, links_pypdfium2),
    "pymupdf": ("AGPL-3.0 (or commercial)", extract_pymupdf, links_pymupdf),
    "pdfplumber (pdfminer.six)": ("MIT", extract_pdfplumber, links_pdfplumber),
    "pypdf": ("BSD-3-Clause", extract_pypdf, links_pypdf),
}


def best_time(run: Callable[[], object], runs: int = RUNS) -> float:
    """The fastest of `runs` timings of `run`, in seconds (the least disturbed one)."""
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        timings.append(time.perf_counter() - start)
    return min(timings)


def recovered_paragraphs(pages: list[str], paragraphs: list[tuple[int, str]]) -> int:
    """How many numbered paragraphs appear word for word in the extracted text.

    Header and footer lines are removed first, as any reader must; comparison is on
    folded text (case, apostrophes, punctuation and spacing) with line-end hyphens joined.
    """
    lines = [
        line
        for page in pages
        for line in page.splitlines()
        if not furniture_reason(" ".join(line.split()))
    ]
    body = fold(re.sub(r"-\s*\n\s*", "-", "\n".join(lines)).replace("\n", " "))
    body_joined = body.replace(" ", "")
    return sum(
        1
        for number, text in paragraphs
        if f"{number} {fold(text)}" in body or fold(text).replace(" ", "") in body_joined
    )


def measure_all(path: Path, paragraphs: list[tuple[int, str]]) -> list[Measure]:
    """Time and score every library on one PDF."""
    measures = []
    for library, (licence, extract, links) in LIBRARIES.items():
        pages = extract(path)
        measures.append(
            Measure(
                library=library,
                licence=licence,
                seconds=best_time(lambda extract=extract: extract(path)),
                pages=len(pages),
                paragraphs_recovered=recovered_paragraphs(pages, paragraphs),
                paragraphs_total=len(paragraphs),
                links_found=links(path),
            )
        )
    return measures


def parse_pdf(path: Path) -> None:
    """The whole PDF path under test: read the file, its blocks, then the report structure."""
    whole = read_pdf_with_ledger(path)
    parse_blocks(whole.blocks, name=path.name, dropped=whole.dropped)


def interleaved_times(runs: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """The fastest of `rounds` timings of each run, taking turns within every round.

    Taking turns puts the parse and the raw extractions it is compared with under the
    same machine load, so their ratio does not depend on when each was measured.
    """
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(rounds):
        for label, run in runs.items():
            start = time.perf_counter()
            run()
            best[label] = min(best[label], time.perf_counter() - start)
    return best


def budget_seconds(path: Path, measures: list[Measure]) -> dict[str, float]:
    """The parse and the raw extractions close to the fastest, timed taking turns."""
    fastest = min(m.seconds for m in measures)
    contenders = {
        m.library: LIBRARIES[m.library][1]
        for m in measures
        if m.seconds <= CONTENDER_FACTOR * fastest
    }
    runs: dict[str, Callable[[], object]] = {
        library: (lambda extract=extract: extract(path)) for library, extract in contenders.items()
    }
    runs[PARSE] = lambda: parse_pdf(path)
    return interleaved_times(runs, BUDGET_ROUNDS)


def parse_seconds(path: Path) -> dict[str, float]:
    """Time of each stage of the PDF path, alone, the stages taking turns."""
    data = path.read_bytes()
    pages, _ = styled_pages(data, path.name)
    parts = split_pages(pages)
    read = read_pdf_with_ledger(data, name=path.name)
    stages: dict[str, Callable[[], object]] = {
        "PDFium lines with their type and links (styled_pages)": lambda: styled_pages(
            data, path.name
        ),
        "page parts: furniture, footnotes, captions (split_pages)": lambda: split_pages(pages),
        "blocks (build_blocks)": lambda: build_blocks(
            parts.body, parts.body_size, parts.body_left, parts.body_right
        ),
        "structure (parse_blocks)": lambda: parse_blocks(
            read.blocks, name=path.name, dropped=read.dropped
        ),
    }
    return interleaved_times(stages, BUDGET_ROUNDS)


def render_edition(folder: Path) -> tuple[Path, list[tuple[int, str]], int]:
    """The rendered PDF, the source's numbered paragraphs and how many links were placed."""
    blocks = read_pdf_text(SOURCE.read_text(encoding="utf-8"), name=SOURCE.name)
    rendered = render_pdf(blocks, folder / "A-77-277_fr.pdf")
    paragraphs = [(b.number, b.text) for b in blocks if b.kind == "numbered" and b.number]
    return rendered.path, paragraphs, len(rendered.placed_links)


def machine() -> str:
    """The CPU count and model, Python and pypdfium2 versions the figures were taken on."""
    import platform
    from importlib.metadata import version

    model = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = re.findall(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.M)
        model = names[0].strip() if names else model
    return (
        f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, "
        f"pypdfium2 {version('pypdfium2')}"
    )


def report(
    measures: list[Measure],
    budget: dict[str, float],
    stages: dict[str, float],
    links_placed: int,
) -> str:
    """The comparison as a Markdown section for bench/RESULTS.md."""
    pages = measures[0].pages
    raw = {library: seconds for library, seconds in budget.items() if library != PARSE}
    fastest = min(raw, key=raw.__getitem__)
    ratio = budget[PARSE] / raw[fastest]
    rows = [
        "| library | licence | pages/s | ms per edition | paragraphs recovered | links found |",
        "|---|---|---:|---:|---:|---:|",
    ]
    rows += [
        f"| {m.library} | {m.licence} | {m.pages_per_second:.0f} | {m.seconds * 1000:.1f} "
        f"| {m.paragraphs_recovered}/{m.paragraphs_total} | {m.links_found}/{links_placed} |"
        for m in measures
    ]
    pdfium = next(m for m in measures if m.library == "pypdfium2")
    verdict = "meets" if ratio <= MAX_PARSE_RATIO else "FAILS"
    turns = ", ".join(f"{library} {seconds * 1000:.1f} ms" for library, seconds in raw.items())
    return "\n".join(
        [
            SECTION,
            "",
            f"The 2022 edition (A/77/277) rendered by tests/pdf_render.py into a UN-like PDF of "
            f"{pages} pages (running header, footer with job number and page, justified "
            f"text, hanging-indent numbered paragraphs, {links_placed} undocs.org link "
            f"annotations). Raw text extraction, best of {RUNS} runs, one CPU "
            f"(`python -m bench.pdf_libraries --write` updates this section).",
            "",
            *rows,
            "",
            '"Paragraphs recovered": numbered paragraphs of the source found word for word in '
            "the extracted text once header and footer lines are removed (folded comparison). "
            '"Links found": URI link annotations the library exposes (pypdfium2: through our '
            "reader, attached to their paragraphs).",
            "",
            f"**Choice: pypdfium2** ({pdfium.licence}) at runtime: "
            f"{pdfium.paragraphs_recovered}/{pdfium.paragraphs_total} paragraphs, "
            f"{pdfium.links_found}/{links_placed} links, {pdfium.pages_per_second:.0f} pages/s; "
            "pymupdf is AGPL and stays a bench-only comparison.",
            "",
            f"Budget (issue 3): parsing from PDF costs at most {MAX_PARSE_RATIO:.0f}x the raw "
            "extraction of the fastest library. The parse and the libraries within "
            f"{CONTENDER_FACTOR:g}x of the fastest above are timed taking turns, best of "
            f"{BUDGET_ROUNDS} rounds each, so that all see the same machine load: {turns}; "
            f"parse from PDF (read_pdf + parse_blocks, the file read included) "
            f"{budget[PARSE] * 1000:.1f} ms, **{ratio:.2f}x** the fastest ({fastest}): "
            f"**{verdict}** the budget.",
            "",
            f"By stage (each timed alone, taking turns, best of {BUDGET_ROUNDS}):",
            "",
            *[f"- {stage}: {seconds * 1000:.1f} ms" for stage, seconds in stages.items()],
            "",
            f"Machine: {machine()}. Command: `.venv/bin/python -m bench.pdf_libraries --write`.",
            "",
        ]
    )


def main() -> int:
    """Run the comparison; exit 1 when the PDF parse exceeds its time budget."""
    with tempfile.TemporaryDirectory() as folder:
        path, paragraphs, links_placed = render_edition(Path(folder))
        measures = measure_all(path, paragraphs)
        budget = budget_seconds(path, measures)
        stages = parse_seconds(path)
    text = report(measures, budget, stages, links_placed)
    print(text)
    if "--write" in sys.argv[1:]:
        write_section(SECTION, text)
    fastest = min(seconds for library, seconds in budget.items() if library != PARSE)
    return 0 if budget[PARSE] / fastest <= MAX_PARSE_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
