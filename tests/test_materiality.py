"""The materiality rule (warehouse/diff/materiality.py): hand-worked cases, properties over varying
counts, the settings file's errors, and the thresholds table of docs/changes.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.errors import SettingsError
from warehouse.diff.materiality import (
    MATERIALITY_FILE,
    MaterialityRule,
    Share,
    default_materiality,
    judge,
    load_materiality,
)

DOCS = Path(__file__).resolve().parent.parent / "docs" / "changes.md"
AREA = MaterialityRule(base="edition", min_factor=1.5, min_paragraphs=3, min_z=1.645)


def share(old: int, old_total: int, new: int, new_total: int, words: int = 100) -> Share:
    """A share whose words follow its paragraphs (each paragraph `words` words long)."""
    return Share(
        old,
        old_total,
        new,
        new_total,
        old * words,
        old_total * words,
        new * words,
        new_total * words,
    )


def test_a_topic_from_nothing_to_a_tenth_of_the_edition_is_material() -> None:
    # 0 of 100 -> 10 of 100: pooled share 0.05, variance 0.05 x 0.95 x (1/100 + 1/100) =
    # 0.00095, so z = 0.10 / 0.03082 = 3.24; the share moved by any factor, 10 paragraphs.
    verdict = judge(share(0, 100, 10, 100), AREA)
    assert (verdict.score, verdict.material) == (3.24, True)
    assert "0/100 (0.0%) -> 10/100 (10.0%), xany" in verdict.detail
    assert verdict.detail.endswith(
        "material (rule: share of the edition x1.5 or more, 3+ paragraphs beyond the old "
        "share, z 1.645+, words agree)"
    )


def test_a_count_that_grows_with_the_edition_is_not_material() -> None:
    # 10 of 100 -> 13 of 130: the same 10% share, however the count moved.
    verdict = judge(share(10, 100, 13, 130), AREA)
    assert (verdict.score, verdict.material) == (0.0, False)


def test_each_threshold_alone_can_keep_a_change_from_being_material() -> None:
    # 1 of 100 -> 3 of 100: tripled, but only 2 paragraphs beyond the old share.
    assert not judge(share(1, 100, 3, 100), AREA).material
    # 20 of 100 -> 28 of 100: 8 paragraphs and z 1.33, but x1.4 only.
    assert not judge(share(20, 100, 28, 100), AREA).material
    # 2 of 20 -> 6 of 20: x3 and 4 paragraphs, but z 1.51.
    assert not judge(share(2, 20, 6, 20), AREA).material
    # Paragraphs grew but their words shrank.
    words_shrank = Share(0, 100, 10, 100, 0, 10_000, 0, 10_000)
    assert not judge(words_shrank, AREA).material
    assert judge(words_shrank, MaterialityRule("edition", 1.5, 3, 1.645, False)).material


counts = st.integers(min_value=0, max_value=60)
extras = st.integers(min_value=1, max_value=200)


@given(counts, extras, counts, extras)
def test_swapping_the_editions_keeps_the_score(a: int, x: int, b: int, y: int) -> None:
    forward = judge(share(a, a + x, b, b + y), AREA)
    assert forward.score == judge(share(b, b + y, a, a + x), AREA).score


@given(counts, counts, st.integers(min_value=60, max_value=200))
def test_between_editions_of_one_size_swapping_keeps_materiality(a: int, b: int, size: int) -> None:
    # Between editions of different sizes it need not: "paragraphs beyond the old share" is
    # measured at the newer edition's size.
    forward = judge(share(a, size, b, size), AREA)
    assert forward.material == judge(share(b, size, a, size), AREA).material


@given(st.integers(min_value=0, max_value=50), st.integers(min_value=1, max_value=50),
       st.integers(min_value=2, max_value=5))  # fmt: skip
def test_an_unchanged_share_is_never_material(count: int, rest: int, scale: int) -> None:
    verdict = judge(share(count, count + rest, count * scale, (count + rest) * scale), AREA)
    assert not verdict.material and verdict.score == 0.0


def test_the_bundled_rules_are_the_ones_docs_changes_md_lists() -> None:
    rules = default_materiality()
    table = re.findall(
        r"^\| `(\w+)` \| (\w+) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \| (yes|no) \|$",
        DOCS.read_text(encoding="utf-8"),
        re.M,
    )
    assert [row[0] for row in table] == ["area", "organization_area", "partnership"]
    for kind, base, factor, paragraphs, z, agree in table:
        rule = rules.rule(kind)  # type: ignore[arg-type]
        assert (rule.base, rule.min_factor, rule.min_paragraphs, rule.min_z) == (
            base,
            float(factor),
            float(paragraphs),
            float(z),
        )
        assert rule.words_agree == (agree == "yes")


def test_a_malformed_rules_file_names_file_line_and_field(tmp_path: Path) -> None:
    text = MATERIALITY_FILE.read_text(encoding="utf-8")
    path = tmp_path / "materiality.yaml"
    path.write_text(text.replace("min_z: 1.645", "min_z: high", 1), encoding="utf-8")
    with pytest.raises(SettingsError, match=r"materiality.yaml:\d+: area.min_z: must be a number"):
        load_materiality(path)
    path.write_text(text.replace("  words_agree: true", "  words_agre: true", 1), encoding="utf-8")
    with pytest.raises(SettingsError, match="area.words_agre: unknown key"):
        load_materiality(path)
    path.write_text(text.split("partnership:")[0], encoding="utf-8")
    with pytest.raises(SettingsError, match="missing the rule for partnership"):
        load_materiality(path)


def test_an_area_cannot_be_judged_against_a_section(tmp_path: Path) -> None:
    text = MATERIALITY_FILE.read_text(encoding="utf-8")
    path = tmp_path / "materiality.yaml"
    path.write_text(text.replace("base: edition", "base: section", 1), encoding="utf-8")
    with pytest.raises(SettingsError, match="area.base: must be one of edition, not 'section'"):
        load_materiality(path)
