"""Running headers and footers in the layouts the UN prints, on both real editions.

Each edition's text form is rendered into UN-like PDFs whose furniture varies as the UN's
own does: the job/page footer, a reissue's starred job number, a `(F)` mark, bare page
numbers, footers on the other side, the first page's job line and barcode text. Every
rendering must parse to exactly the sections, paragraph numbers and texts of the text form,
with each furniture line in the ledger; headings pushed to the top and to the bottom of a
page stay headings, whole.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.model import Block
from extractors.readers.furniture import BandLine, find_furniture, is_furniture_shaped
from extractors.readers.pdf import read_pdf_with_ledger
from extractors.readers.route import read_file
from tests.conftest import EDITION_2018, EDITION_2022
from tests.pdf_render import RenderedPdf, RenderOptions, render_pdf
from tests.report_structure import structure

EDITIONS = {
    "A-73-328": (EDITION_2018, ("A/73/328", "S/2018/592"), "18-13370"),
    "A-77-277": (EDITION_2022, ("A/77/277", "S/2022/606"), "22-12374"),
}
LAYOUTS = {
    "un-footer": {},
    "reissue-star": {"job_mark": "*"},
    "language-mark": {"job_mark": " (F)"},
    "bare-page-numbers": {"footer": "bare"},
    "swapped-sides": {"swap_sides": True},
    "first-page-job-line": {"first_page_job_line": True},
    "reissue-all": {"job_mark": "*", "swap_sides": True, "first_page_job_line": True},
}


def text_blocks(edition: str) -> list[Block]:
    blocks, _ = read_file(EDITIONS[edition][0])
    return blocks


def options_for(edition: str, **changes: object) -> RenderOptions:
    _, symbols, job = EDITIONS[edition]
    return RenderOptions(symbols=symbols, job_number=job, **changes)  # type: ignore[arg-type]


@pytest.fixture(scope="module", params=sorted(EDITIONS))
def edition(request) -> str:
    return request.param


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_footer_layout_parses_like_the_text(
    edition: str, layout: str, tmp_path: Path
) -> None:
    blocks = text_blocks(edition)
    rendered = render_pdf(
        blocks, tmp_path / f"{edition}.pdf", options_for(edition, **LAYOUTS[layout])
    )

    read = read_pdf_with_ledger(rendered.path)

    assert structure(read.blocks, "pdf", dropped=read.dropped) == structure(blocks, "text")
    assert _numbered_pages(read.blocks) == [
        page for block, page in zip(blocks, rendered.block_pages, strict=True) if block.number
    ]
    assert read.warnings == ()
    _, symbols, job = EDITIONS[edition]
    assert not any(job in b.text or "/25" in b.text for b in read.blocks)
    dropped_pages = {d.page for d in read.dropped if not d.reason.startswith("running header")}
    assert dropped_pages == set(range(1, rendered.page_count + 1))
    headers = {d.text for d in read.dropped if d.reason.startswith("running header")}
    assert headers == set(symbols)


def _numbered_pages(blocks: list[Block]) -> list[int | None]:
    return [block.page for block in blocks if block.kind == "numbered"]


def test_first_page_job_line_and_barcode_are_in_the_ledger(tmp_path: Path) -> None:
    blocks = text_blocks("A-77-277")
    options = options_for("A-77-277", job_mark="*", first_page_job_line=True)
    rendered = render_pdf(blocks, tmp_path / "reissue.pdf", options)

    read = read_pdf_with_ledger(rendered.path)

    first_page = [(d.text, d.reason) for d in read.dropped if d.page == 1]
    assert ("*2212374*", "footer (barcode)") in first_page
    assert any(
        text.startswith("22-12374* (F)") and reason == "footer (job number)"
        for text, reason in first_page
    )
    assert (f"22-12374* 2/{rendered.page_count}", "footer (job number and page)") in {
        (d.text, d.reason) for d in read.dropped if d.page == 2
    }


def _heading_indexes(blocks: list[Block]) -> list[int]:
    return [i for i, b in enumerate(blocks) if b.kind == "heading" and i > 3]


def _page_edge_spacing(
    blocks: list[Block], index: int, tmp_path: Path, options: RenderOptions
) -> tuple[float, float]:
    """Spaces before block `index` that put it last on a page, and first on the next one.

    Found by bisection on where the block starts: just below the threshold it is the last
    thing that fits on its page, at the threshold it opens the next one.
    """

    def page_of(space: float) -> int:
        trial = replace(options, space_before=((index, space),))
        return render_pdf(blocks, tmp_path / "probe.pdf", trial).block_pages[index]

    low, high = 0.0, 600.0
    start = page_of(low)
    while high - low > 2:
        middle = (low + high) / 2
        if page_of(middle) == start:
            low = middle
        else:
            high = middle
    return low, high


@pytest.mark.parametrize("layout", ["un-footer", "reissue-star", "bare-page-numbers"])
def test_headings_at_the_foot_and_head_of_a_page_stay_whole(layout: str, tmp_path: Path) -> None:
    blocks = text_blocks("A-77-277")[:40]
    options = options_for("A-77-277", **LAYOUTS[layout])
    index = _heading_indexes(blocks)[0]
    expected = structure(blocks, "text")

    for space in _page_edge_spacing(blocks, index, tmp_path, options):
        trial = replace(options, space_before=((index, space),))
        rendered = render_pdf(blocks, tmp_path / "edge.pdf", trial)
        read = read_pdf_with_ledger(rendered.path)

        assert structure(read.blocks, "pdf", dropped=read.dropped) == expected
        assert read.blocks[index].text == blocks[index].text


WINDOW = text_blocks("A-77-277")[:60] if EDITION_2022.exists() else []


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    heading=st.sampled_from(_heading_indexes(WINDOW) or [0]),
    space=st.floats(min_value=0, max_value=600),
    layout=st.sampled_from(sorted(LAYOUTS)),
)
def test_moving_page_breaks_around_headings_never_changes_the_parse(
    tmp_path_factory: pytest.TempPathFactory, heading: int, space: float, layout: str
) -> None:
    options = options_for("A-77-277", space_before=((heading, space),), **LAYOUTS[layout])
    path = tmp_path_factory.mktemp("moved") / "A-77-277.pdf"
    rendered: RenderedPdf = render_pdf(WINDOW, path, options)

    read = read_pdf_with_ledger(rendered.path)

    assert structure(read.blocks, "pdf", dropped=read.dropped) == structure(WINDOW, "text")
    assert read.blocks[heading].text == WINDOW[heading].text


@pytest.mark.parametrize(
    ("text", "shaped"),
    [
        ("22-12374 4/25", True),
        ("4/25 22-12374*", True),
        ("22-12374 (F)    050822    080822", True),
        ("*2212374*", True),
        ("A/77/277", True),
        ("A/77/277/Corr.1*", True),
        ("17", True),
        ("Page 4 of 25", True),
        ("Ligue des États arabes", False),
        ("Organisation de coopération économique de la mer Noire", False),
        ("2022.", False),
        ("A/77/277.", False),
        ("page", False),
    ],
)
def test_furniture_shape(text: str, shaped: bool) -> None:
    assert is_furniture_shaped(text) is shaped


def test_bare_numbers_are_page_numbers_only_when_they_follow_the_pages() -> None:
    lines = [BandLine(page, 0, "bottom", str(page + 1)) for page in range(1, 6)]
    lines.append(BandLine(3, 1, "bottom", "2030"))

    found = find_furniture(lines, page_count=5)

    assert [found.reason(page, 0) for page in range(1, 6)] == ["footer (page number)"] * 5
    assert found.reason(3, 1) is None
    assert found.unclear_pages == (3,)


def test_repeated_words_in_a_band_are_a_running_header_but_a_heading_is_not() -> None:
    lines = [
        BandLine(page, 0, "top", "Cooperation with regional organizations") for page in range(1, 7)
    ]
    lines.append(BandLine(4, 1, "top", "Ligue des États arabes"))

    found = find_furniture(lines, page_count=6)

    assert found.reason(2, 0) == "running header (repeated text)"
    assert found.reason(4, 1) is None
    assert found.unclear_pages == ()


def test_furniture_that_cannot_be_told_apart_is_kept_with_a_warning(tmp_path: Path) -> None:
    from extractors.report.report_parser import parse_report_bytes

    blocks = text_blocks("A-77-277")[:40]
    options = options_for("A-77-277", footer_text="2030")
    rendered = render_pdf(blocks, tmp_path / "odd-footer.pdf", options)

    read = read_pdf_with_ledger(rendered.path)
    report = parse_report_bytes(rendered.path.read_bytes(), name="odd-footer.pdf")

    pages = ", ".join(str(page) for page in range(2, rendered.page_count + 1))
    assert read.warnings == (
        f"{rendered.path.name}: page(s) {pages}: lines in the page margins look like headers or "
        "footers but do not repeat from page to page; kept as text",
    )
    assert report.warnings[0].startswith(f"odd-footer.pdf: page(s) {pages}:")
    assert not any(d.text == "2030" for d in read.dropped)
    assert sum(b.text.count("2030") for b in read.blocks) >= rendered.page_count - 1
