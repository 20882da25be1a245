"""Sets of text spans that answer "does this span overlap one of them?" in log time.

Matchers test every candidate match against the spans already taken; a list scan made a
paragraph with a thousand mentions cost quadratic time.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable

Span = tuple[int, int]


class SpanSet:
    """Non-empty half-open spans `(start, end)`, kept disjoint and sorted.

    Overlapping ones are merged, which changes no answer of `overlaps` (matches are never empty).
    """

    def __init__(self, spans: Iterable[Span] = ()) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        for start, end in sorted(spans):
            if self._ends and start < self._ends[-1] and start < end:
                self._ends[-1] = max(self._ends[-1], end)
            else:
                self._starts.append(start)
                self._ends.append(end)

    def overlaps(self, span: Span) -> bool:
        """True when `span` shares a character with a span of the set (as `a0 < b1 and
        b0 < a1` says for a pair)."""
        start, end = span
        before = bisect_right(self._starts, start) - 1
        if before >= 0 and self._ends[before] > start and self._starts[before] < end:
            return True
        after = before + 1
        return after < len(self._starts) and self._starts[after] < end and start < self._ends[after]

    def add(self, span: Span) -> None:
        """Add a span that overlaps none of the set's (callers test `overlaps` first)."""
        index = bisect_left(self._starts, span[0])
        self._starts.insert(index, span[0])
        self._ends.insert(index, span[1])
