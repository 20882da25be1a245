"""Property: an edition diffed with itself yields no change and an empty redline."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.report_builder import P, S, build_report
from warehouse.diff.diff_text import diff_to_json
from warehouse.diff.edition_diff import diff_editions

_ORGS = st.sampled_from(["AU", "OSCE", "CPLP", "IOM", "LAS", "OECD"])
_TEXT = st.text(
    alphabet=st.characters(whitelist_categories=("L", "N", "Zs", "Pd", "Po")),
    min_size=1,
    max_size=120,
)
_PARAGRAPH = st.builds(
    P,
    text=_TEXT,
    organizations=st.lists(_ORGS, max_size=3, unique=True).map(tuple),
    un_entities=st.lists(st.sampled_from(["UNDP", "WHO", "UNHCR"]), max_size=2).map(tuple),
    areas=st.lists(st.sampled_from(["health", "peace_security"]), max_size=2).map(tuple),
    citations=st.lists(st.sampled_from(["A/RES/75/1", "S/RES/2524(2020)"]), max_size=2).map(tuple),
)
_SECTION = st.builds(
    S,
    heading=_TEXT,
    organization=st.one_of(st.none(), _ORGS),
    paragraphs=st.lists(_PARAGRAPH, max_size=4),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sections=st.lists(_SECTION, max_size=6),
    intro=st.lists(_PARAGRAPH, max_size=3),
)
def test_diff_of_an_edition_with_itself_has_no_changed_events(sections, intro) -> None:
    report = build_report("A/1/1", sections, intro=intro)
    diff = diff_editions(report, report)
    assert diff.changed_events == ()
    assert all(not (r.added or r.removed or r.moved) for r in diff.redlines)
    data = diff_to_json(diff)
    assert data["citations"] == {"added": [], "removed": []}
    assert data["partnerships"] == []
