"""Area tagging measured against every paragraph of both bundled editions, labelled by reading.

tests/fixtures/knowledge/area_sample.json holds all 229 numbered paragraphs (101 of A/73/328,
128 of A/77/277), each labelled with the two-level areas by reading it, without looking at
the tagger's output, with this rule: a paragraph has an area when it explicitly describes
cooperation or discussion on that topic; an organization's own name or its own body's name
("Organisation pour la sécurité et la coopération en Europe", "Conseil de paix et de sécurité")
does not count, a body named for its topic ("Comité contre le terrorisme") does. A sub-area's
label implies its broad area's.

Each paragraph says its `set`: the 180 `tuning` ones were labelled first, or were read to fix a
tagger error and moved here, and the trigger lists were tuned on them; the 49 `held_out` ones
were labelled later and no trigger was changed with them in view, so their scores say how the
tagger does on new text (bench/bench_areas.py prints both, bench/RESULTS.md "Area tagging"
records them). Floors: the issue's target of 0.9 on both sets; the held-out set was at
precision 0.94 and recall 0.96 when last measured, so a change that makes new text clearly
worse fails.
"""

from __future__ import annotations

from collections import Counter

import pytest

from bench.bench_areas import expected_areas, load_sample, score_sample
from extractors.enrich.matchers import matcher_for
from extractors.enrich.reference_data import load_reference

MIN_PRECISION = 0.90
MIN_RECALL = 0.90
HELD_OUT_MIN_PRECISION = 0.90
HELD_OUT_MIN_RECALL = 0.90


def test_every_paragraph_of_both_editions_is_labelled_once() -> None:
    sample = load_sample()
    keys = [(row["edition"], row["paragraph"]) for row in sample]
    assert len(keys) == len(set(keys))
    editions = Counter(edition for edition, _ in keys)
    assert editions == {"A/73/328": 101, "A/77/277": 128}
    for edition, count in editions.items():
        assert {n for e, n in keys if e == edition} == set(range(1, count + 1))
    assert Counter(row["set"] for row in sample) == {"tuning": 180, "held_out": 49}
    reference = load_reference()
    labelled = {area for row in sample for area in expected_areas(row["areas"], reference)}
    assert labelled == {area.id for area in reference.areas}


def test_area_tags_reach_precision_and_recall_on_the_tuning_set() -> None:
    scores = score_sample(load_sample(subset="tuning"))
    report = (
        f"precision {scores.total.precision:.3f}, recall {scores.total.recall:.3f}\n"
        + "\n".join(scores.misses)
    )
    assert scores.total.precision >= MIN_PRECISION, report
    assert scores.total.recall >= MIN_RECALL, report


def test_area_tags_reach_precision_and_recall_on_the_held_out_set() -> None:
    scores = score_sample(load_sample(subset="held_out"))
    report = (
        f"precision {scores.total.precision:.3f}, recall {scores.total.recall:.3f}\n"
        + "\n".join(scores.misses)
    )
    assert scores.total.precision >= HELD_OUT_MIN_PRECISION, report
    assert scores.total.recall >= HELD_OUT_MIN_RECALL, report


def test_a_body_named_for_its_topic_tags_it_but_an_organizations_own_name_does_not() -> None:
    # A/77/277 ¶ 80 (INTERPOL's section): "a participé à toutes les visites d'évaluation du
    # Comité contre le terrorisme ... le Bureau de lutte contre le terrorisme et INTERPOL ont
    # lancé une étude conjointe": counter-terrorism, by reading.
    row = next(r for r in load_sample() if (r["edition"], r["paragraph"]) == ("A/77/277", 80))
    assert "counter_terrorism" in row["areas"]
    matcher = matcher_for(load_reference(), "fr")
    assert "counter_terrorism" in {tag.id for tag in matcher.areas(row["text"])}
    own = "L'Organisation pour la sécurité et la coopération en Europe a tenu sa réunion annuelle."
    assert not {tag.id for tag in matcher.areas(own)}
    body = "Le Conseil de paix et de sécurité a tenu une réunion avec le Conseil."
    assert not {tag.id for tag in matcher.areas(body)}


def test_every_topic_name_tags_the_area_it_names() -> None:
    reference = load_reference()
    matcher = matcher_for(reference, "fr")
    names = {entity.id: entity.name_fr for entity in reference.un_entities}
    assert reference.topic_names
    for topic in reference.topic_names:
        tags = {tag.id for tag in matcher.areas(f"Une réunion avec le {names[topic.owner_id]}.")}
        assert topic.area in tags, topic


def test_a_sub_area_tag_brings_its_broad_area_with_the_same_phrase() -> None:
    reference = load_reference()
    parents = {area.id: area.parent for area in reference.areas}
    matcher = matcher_for(reference, "fr")
    for row in load_sample():
        tags = {tag.id: tag for tag in matcher.areas(row["text"])}
        for area, tag in tags.items():
            parent = parents[area]
            if parent is not None:
                assert parent in tags, (row["edition"], row["paragraph"], area)
                assert tags[parent].offset <= tag.offset


@pytest.mark.parametrize(
    "row", load_sample(), ids=lambda row: f"{row['edition']}-{row['paragraph']}"
)
def test_every_tag_points_at_its_phrase(row: dict) -> None:
    for tag in matcher_for(load_reference(), "fr").areas(row["text"]):
        assert row["text"][tag.offset : tag.offset + len(tag.phrase)] == tag.phrase
