"""Every real UN PDF of ../shared/corpus/real_pdfs against its golden structure.

The golden files (tests/golden/<symbol>.json) were written by reading each document: body
paragraph numbers with the page each starts on, headings as printed (merged across line
wraps), annexes and other parts with their own numbering, and the footnote numbers each
paragraph or heading calls. The PDFs are read in place, never copied into the project.
Telling a report from a resolution without hints is another part's test; here the
document's kind is given.
"""

from __future__ import annotations

import re

import pytest

from bench.real_pdf_shape import (
    NOT_YET,
    REAL_PDFS,
    derive_real,
    differences,
    golden_files,
    load_golden,
    report_shape,
)

pytestmark = pytest.mark.skipif(
    not REAL_PDFS.is_dir(), reason="../shared/corpus/real_pdfs is absent"
)

GOLDEN = {path.stem: load_golden(path) for path in golden_files()}
REPORTS = sorted(name for name, golden in GOLDEN.items() if golden["kind"] == "report")


def _case(name: str) -> object:
    if name in NOT_YET:
        return pytest.param(name, marks=pytest.mark.xfail(reason=NOT_YET[name], strict=True))
    return name


@pytest.mark.parametrize("name", [_case(name) for name in REPORTS])
def test_real_report_structure_is_exact(name: str) -> None:
    golden = GOLDEN[name]
    derived = derive_real(golden)
    assert differences(golden, report_shape(derived.report)) == []


@pytest.mark.parametrize("name", REPORTS)
def test_no_furniture_footnote_or_caption_in_the_text(name: str) -> None:
    golden = GOLDEN[name]
    report = derive_real(golden).report
    texts = [p.text for p in report.paragraphs] + list(report.headings)
    texts += [p.text for part in report.parts for p in part.paragraphs]
    for problem in furniture_in(texts, golden, report):
        pytest.fail(problem)


@pytest.mark.parametrize("name", REPORTS)
def test_real_report_passes_the_text_preservation_gate(name: str) -> None:
    """What every command that stores a report checks: pypdf's reading of the file is in the
    parse (a URL broken over two lines in that reading is no lost text)."""
    from extractors.derive import derive_document

    golden = GOLDEN[name]
    path = REAL_PDFS / golden["file"]
    gate = derive_document(path.read_bytes(), name=path.name, kind="report", gate=True).gate
    assert gate is not None and gate.passed, gate.reasons if gate else "no gate"


RESOLUTIONS = sorted(name for name, golden in GOLDEN.items() if golden["kind"] == "resolution")


@pytest.mark.parametrize("name", RESOLUTIONS)
def test_real_resolution_is_read_as_printed(name: str) -> None:
    """A resolution's adoption, meeting, preamble and operative paragraphs as printed."""
    golden = GOLDEN[name]
    resolution = derive_real(golden).resolution
    expected = golden["resolution"]
    assert (resolution.adopted, resolution.meeting) == (expected["adopted"], expected["meeting"])
    assert len(resolution.preambular) == expected["preamble_count"]
    assert [p.number for p in resolution.operative] == [n for n, _ in golden["body"]["paragraphs"]]


def furniture_in(texts: list[str], golden: dict, report: object) -> list[str]:
    """The furniture tokens, footnote bodies and captions found in body or heading text."""
    from bench.real_pdf_shape import stray_tokens

    return stray_tokens(texts, golden, report)


def test_stray_tokens_are_found() -> None:
    """The check itself finds a running symbol, a job number, `n/N` and a footnote body."""
    from bench.real_pdf_shape import stray_tokens
    from extractors.model import Footnote

    class _Report:
        footnotes = (
            Footnote(
                number="1", text="See the report of the Secretary-General on the matter.", page=1
            ),
        )
        dropped = ()

    golden = {"symbol": "S/2025/72", "masthead_symbols": ["S/2025/72"], "pages": 15}
    found = stray_tokens(
        [
            "text S/2025/72 more",
            "25-00800 here",
            "ends 3/15",
            "x See the report of the Secretary-General on the matter.",
        ],
        golden,
        _Report(),
    )
    assert len(found) == 4
    assert not stray_tokens(["clean text citing S/2025/71"], golden, _Report())
    assert re.search("job number", found[1])
