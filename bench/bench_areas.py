"""Precision and recall of area tagging, per area, on every paragraph of both bundled
editions labelled by reading (tests/fixtures/knowledge/area_sample.json).

Each labelled paragraph says its `set`: `tuning` (the triggers were written and tuned with
these in view) or `held_out` (labelled later and never used to change a trigger); the figures
that say how the tagger does on new text are the held-out ones. A paragraph's expected areas
are its labels plus the broad area of each labelled sub-area. Precision and recall are per
area, and micro-averaged over (paragraph, area) pairs; the target is 0.9 each. `--write`
records the figures in bench/RESULTS.md, section "Area tagging".
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


SETS = ("tuning", "held_out")


def load_sample(path: Path = SAMPLE, subset: str | None = None) -> list[dict]:
    """The labelled paragraphs (edition, paragraph number, set, areas, text); only those of
    `subset` ("tuning" or "held_out") when given."""
    rows = json.loads(path.read_text(encoding="utf-8"))
    return [row for row in rows if subset is None or row["set"] == subset]


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


def render(by_set: dict[str, SampleScores], reference: ReferenceData) -> str:
    """The RESULTS.md section: the held-out table first (how the tagger does on paragraphs
    no trigger was tuned on), then the tuning one."""
    total = sum(scores.paragraphs for scores in by_set.values())
    lines = [
        SECTION,
        "",
        f"Area tags (`extractors.enrich.matchers.Matcher.areas`, French) against all {total} "
        "paragraphs of both bundled editions, labelled by reading them "
        "(`tests/fixtures/knowledge/area_sample.json`). Each paragraph's `set` says whether the "
        "trigger lists were written and tuned with it in view (`tuning`) or it was labelled "
        "later and held out (`held_out`): the held-out figures say how the tagger does on new "
        "text. A paragraph's expected areas are its labels plus the broad area of each labelled "
        f"sub-area. Target {TARGET} each; `python -m bench.bench_areas --write` updates this "
        "section.",
    ]
    for subset in ("held_out", "tuning"):
        lines += ["", *_table(subset, by_set[subset], reference)]
    return "\n".join(lines) + "\n"


def _table(subset: str, scores: SampleScores, reference: ReferenceData) -> list[str]:
    """One set's table, its summary line and its disagreements."""
    levels = {area.id: area for area in reference.areas}
    lines = [
        f"### {subset.replace('_', '-')} paragraphs ({scores.paragraphs}: "
        + ", ".join(f"{count} from {edition}" for edition, count in scores.editions.items())
        + ")",
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
    return lines


def main() -> int:
    """Score the area tags against the labels, print the table and record it with --write."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="record in bench/RESULTS.md")
    args = parser.parse_args()
    reference = load_reference()
    by_set = {subset: score_sample(load_sample(subset=subset), reference) for subset in SETS}
    text = render(by_set, reference)
    print(text)
    if args.write:
        write_section(SECTION, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
