"""Precision and recall of area tagging, per area, on the hand-labelled sample of real
paragraphs (tests/fixtures/knowledge/area_sample.json, both bundled editions).

A paragraph's expected areas are its labels plus the broad area of each labelled sub-area
(a sub-area's tag implies its parent's, in the labels as in the tagger). Precision and
recall are per area over the sample's paragraphs, and micro-averaged over (paragraph, area)
pairs; the target is 0.9 each. `--write` records the figures in bench/RESULTS.md, section
"Area tagging".
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench.results import write_section
from extractors.enrich.matchers import matcher_for
from extractors.enrich.reference_data import ReferenceData, load_reference

SAMPLE = (
    Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "knowledge" / "area_sample.json"
)
SECTION = "## Area tagging"
TARGET = 0.9


@dataclass(frozen=True)
class AreaScore:
    """One area's counts on the sample: tagged and labelled, tagged only, labelled only."""

    area: str
    true_positive: int
    false_positive: int
    false_negative: int

    @property
    def precision(self) -> float | None:
        """Share of the tags that the labels confirm; None when nothing was tagged."""
        tagged = self.true_positive + self.false_positive
        return self.true_positive / tagged if tagged else None

    @property
    def recall(self) -> float | None:
        """Share of the labels that the tags found; None when nothing was labelled."""
        labelled = self.true_positive + self.false_negative
        return self.true_positive / labelled if labelled else None


@dataclass(frozen=True)
class SampleScores:
    """Per-area scores, the micro-averaged total, and every disagreement, readable."""

    areas: tuple[AreaScore, ...]
    total: AreaScore
    paragraphs: int
    editions: dict[str, int]
    misses: tuple[str, ...]


def load_sample(path: Path = SAMPLE) -> list[dict]:
    """The labelled paragraphs: edition, paragraph number, areas, text."""
    return json.loads(path.read_text(encoding="utf-8"))


def expected_areas(labels: list[str], reference: ReferenceData) -> set[str]:
    """The labels with the broad area of each labelled sub-area added."""
    parents = {area.id: area.parent for area in reference.areas}
    return set(labels) | {parents[label] for label in labels if parents.get(label)}


def score_sample(sample: list[dict], reference: ReferenceData | None = None) -> SampleScores:
    """Tag every sample paragraph (French matcher) and compare with its labels."""
    reference = reference or load_reference()
    matcher = matcher_for(reference, "fr")
    counts: dict[str, Counter[str]] = {area.id: Counter() for area in reference.areas}
    misses: list[str] = []
    for row in sample:
        expected = expected_areas(row["areas"], reference)
        tags = {tag.id: tag.phrase for tag in matcher.areas(row["text"])}
        where = f"{row['edition']} ¶{row['paragraph']}"
        for area in expected & set(tags):
            counts[area]["tp"] += 1
        for area in sorted(set(tags) - expected):
            counts[area]["fp"] += 1
            misses.append(f"extra {where} {area} ({tags[area]!r})")
        for area in sorted(expected - set(tags)):
            counts[area]["fn"] += 1
            misses.append(f"missed {where} {area}")
    areas = tuple(AreaScore(area, c["tp"], c["fp"], c["fn"]) for area, c in counts.items())
    total = AreaScore(
        "all (micro)",
        sum(a.true_positive for a in areas),
        sum(a.false_positive for a in areas),
        sum(a.false_negative for a in areas),
    )
    editions = Counter(row["edition"] for row in sample)
    return SampleScores(areas, total, len(sample), dict(sorted(editions.items())), tuple(misses))


def _figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _meets(score: AreaScore) -> str:
    values = [v for v in (score.precision, score.recall) if v is not None]
    return "yes" if values and all(v >= TARGET for v in values) else "no"


def render(scores: SampleScores, reference: ReferenceData) -> str:
    """The RESULTS.md section: one row per area (broad areas first in reference order)."""
    levels = {area.id: area for area in reference.areas}
    lines = [
        SECTION,
        "",
        f"Area tags (`extractors.enrich.matchers.Matcher.areas`, French) against "
        f"{scores.paragraphs} paragraphs labelled by reading them ("
        + ", ".join(f"{count} from {edition}" for edition, count in scores.editions.items())
        + "), `tests/fixtures/knowledge/area_sample.json`. A paragraph's expected areas are its "
        "labels plus the broad area of each labelled sub-area. The trigger lists were tuned on "
        "these paragraphs, so the figures say how well the tagger agrees with the labels it was "
        f"fitted to, not how it does on new text. Target {TARGET} each; "
        "`python -m bench.bench_areas --write` updates this section.",
        "",
        "| area | level | labelled | tagged | precision | recall | both >= 0.9 |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for score in scores.areas:
        area = levels[score.area]
        lines.append(
            f"| {score.area} | {area.level.replace('_', '-')} "
            f"| {score.true_positive + score.false_negative} "
            f"| {score.true_positive + score.false_positive} | {_figure(score.precision)} "
            f"| {_figure(score.recall)} | {_meets(score)} |"
        )
    total = scores.total
    lines.append(
        f"| **{total.area}** | | {total.true_positive + total.false_negative} "
        f"| {total.true_positive + total.false_positive} | {_figure(total.precision)} "
        f"| {_figure(total.recall)} | {_meets(total)} |"
    )
    short = [s.area for s in scores.areas if _meets(s) == "no"]
    lines += [
        "",
        f"{len(scores.areas) - len(short)} of {len(scores.areas)} areas reach the target"
        + (f"; below it: {', '.join(short)}." if short else "."),
        f"Disagreements ({len(scores.misses)}): " + "; ".join(scores.misses) + ".",
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    """Score the area tags against the labels, print the table and record it with --write."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="record in bench/RESULTS.md")
    args = parser.parse_args()
    reference = load_reference()
    text = render(score_sample(load_sample(), reference), reference)
    print(text)
    if args.write:
        write_section(SECTION, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
