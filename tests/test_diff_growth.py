"""Growth rules: the 25% and one-paragraph thresholds, and config loading."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from warehouse.diff.growth import DEFAULT_RULES, GrowthRules


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (4, 5, "grew"),  # +1 paragraph is exactly 25% of 4
        (5, 6, "unchanged"),  # +1 is 20% of 5
        (4, 3, "shrank"),
        (5, 4, "unchanged"),
        (1, 2, "grew"),
        (0, 1, "grew"),
        (3, 3, "unchanged"),
        (10, 28, "grew"),
        (0, 0, "unchanged"),
    ],
)
def test_default_rules_classify_paragraph_counts(old: int, new: int, expected: str) -> None:
    assert DEFAULT_RULES.classify(old, new) == expected


def test_min_paragraphs_applies_beside_the_ratio() -> None:
    rules = GrowthRules(min_ratio=0.25, min_paragraphs=2)
    assert rules.classify(2, 3) == "unchanged"
    assert rules.classify(2, 4) == "grew"


def test_words_decide_only_when_a_word_ratio_is_configured() -> None:
    assert DEFAULT_RULES.classify(5, 5, 100, 300) == "unchanged"
    rules = GrowthRules(min_word_ratio=0.5)
    assert rules.classify(5, 5, 100, 300) == "grew"
    assert rules.classify(5, 5, 300, 100) == "shrank"
    assert rules.classify(5, 5, 100, 120) == "unchanged"


def test_rules_load_from_a_mapping_and_refuse_unknown_keys() -> None:
    assert GrowthRules.from_mapping({"min_ratio": 0.5}) == GrowthRules(min_ratio=0.5)
    with pytest.raises(ValueError, match="min_percent"):
        GrowthRules.from_mapping({"min_percent": 10})


@pytest.mark.parametrize(
    ("old", "old_total", "new", "new_total", "expected"),
    [
        (33, 101, 50, 127, "unchanged"),  # 32.7% -> 39.4%: x1.2, a longer edition
        (1, 101, 20, 127, "grew"),  # 1.0% -> 15.7%
        (10, 100, 10, 140, "shrank"),  # same count, 10% -> 7.1% (-29%), 4 below the old share
        (10, 100, 10, 130, "unchanged"),  # 10% -> 7.7% is -23%, under 25%
        (10, 100, 13, 130, "unchanged"),  # same share
        (1, 10, 1, 15, "unchanged"),  # 10% -> 6.7% (-33%) but only 0.5 paragraph below
    ],
)
def test_shares_decide_growth_relative_to_the_edition(
    old: int, old_total: int, new: int, new_total: int, expected: str
) -> None:
    assert DEFAULT_RULES.classify_share(old, old_total, new, new_total) == expected


@given(st.integers(0, 80), st.integers(0, 80), st.integers(1, 60))
def test_between_editions_of_one_size_shares_and_counts_agree(
    old: int, new: int, rest: int
) -> None:
    size = max(old, new) + rest
    assert DEFAULT_RULES.classify_share(old, size, new, size) == DEFAULT_RULES.classify(old, new)
