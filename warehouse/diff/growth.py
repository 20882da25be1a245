"""When a paragraph count has grown or shrunk: the one configurable rule every diff applies.

Default: a change of at least 25% of the older count and at least one paragraph; areas and
organization areas apply it to their share of the edition or section (`classify_share`). Word counts
are reported beside the outcome but do not decide it unless `min_word_ratio` is set.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Literal

from common.errors import UnknownSetting

Growth = Literal["grew", "shrank", "unchanged"]


@dataclass(frozen=True)
class GrowthRules:
    """Thresholds for calling a count change growth or shrinkage.

    `min_ratio` is relative to the older count; `min_paragraphs` is absolute. When
    `min_word_ratio` is set, a word-count change of that ratio also counts (with the
    direction of the words) even if the paragraph count stayed within the rule.
    """

    min_ratio: float = 0.25
    min_paragraphs: int = 1
    min_word_ratio: float | None = None

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> GrowthRules:
        """Rules from a config mapping (e.g. a YAML `growth:` block); unknown keys are refused."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise UnknownSetting(f"unknown growth rule setting(s): {', '.join(unknown)}")
        return cls(**dict(values))

    def classify(
        self,
        old_count: int,
        new_count: int,
        old_words: int | None = None,
        new_words: int | None = None,
    ) -> Growth:
        """Say whether `old_count` -> `new_count` (paragraphs) grew, shrank or stayed."""
        outcome = _compare(old_count, new_count, self.min_ratio, self.min_paragraphs)
        if outcome != "unchanged" or self.min_word_ratio is None:
            return outcome
        if old_words is None or new_words is None:
            return outcome
        return _compare(old_words, new_words, self.min_word_ratio, 1)

    def classify_share(
        self, old_count: int, old_total: int, new_count: int, new_total: int
    ) -> Growth:
        """Say whether a unit grew, shrank or stayed as a share of its base (the edition's
        or the section's paragraphs): the share moved by `min_ratio` of the older share and
        the newer count is `min_paragraphs` away from what the older share would give."""
        if not old_total or not new_total:
            return self.classify(old_count, new_count)
        old_share, new_share = old_count / old_total, new_count / new_total
        expected = old_share * new_total
        # A hair of slack: 0.1 x 30 paragraphs is 3.0000000000000004, not 3.
        if abs(new_count - expected) + 1e-9 < max(self.min_paragraphs, 1):
            return "unchanged"
        # The same slack: 50/51 - 40/51 falls a hair short of 0.25 x 40/51, which is equal.
        if old_share > 0 and abs(new_share - old_share) + 1e-12 < self.min_ratio * old_share:
            return "unchanged"
        if new_share == old_share:
            return "unchanged"
        return "grew" if new_share > old_share else "shrank"


def _compare(old: int, new: int, min_ratio: float, min_absolute: int) -> Growth:
    delta = new - old
    if abs(delta) < max(min_absolute, 1):
        return "unchanged"
    if old > 0 and abs(delta) < min_ratio * old:
        return "unchanged"
    return "grew" if delta > 0 else "shrank"


DEFAULT_RULES = GrowthRules()
