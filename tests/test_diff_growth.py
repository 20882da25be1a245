"""Growth rules: the 25% and one-paragraph thresholds, and config loading."""

from __future__ import annotations

import pytest

from warehouse.growth import DEFAULT_RULES, GrowthRules


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
