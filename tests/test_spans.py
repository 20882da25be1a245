"""SpanSet answers exactly what testing every span pairwise would, in log time."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from extractors.enrich.spans import SpanSet

# Matches are never empty (every phrase and name has letters), so neither are the spans.
spans = st.tuples(st.integers(0, 60), st.integers(1, 12)).map(lambda p: (p[0], p[0] + p[1]))


def pairwise(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    return any(span[0] < other[1] and other[0] < span[1] for other in others)


@given(st.lists(spans, max_size=25), st.lists(spans, max_size=25))
def test_overlaps_agrees_with_the_pairwise_test(members: list, queries: list) -> None:
    spanset = SpanSet(members)
    for query in queries:
        assert spanset.overlaps(query) == pairwise(query, members)


@given(st.lists(spans, max_size=40))
def test_adding_what_does_not_overlap_keeps_the_answers(candidates: list) -> None:
    spanset, taken = SpanSet(), []
    for span in candidates:
        if not spanset.overlaps(span):
            spanset.add(span)
            taken.append(span)
        assert spanset.overlaps(span) == pairwise(span, taken)
