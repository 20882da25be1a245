"""Precision and recall of English organization and UN entity recognition on the labelled
paragraphs of nine real 2025 reports (tests/fixtures/knowledge/en_entities.json), read from
../shared/corpus/real_pdfs by a plain per-page extraction (tests/real_paragraphs.py).

Micro-averaged over (paragraph, id) pairs, per kind and per report, with every disagreement
listed; targets 0.95 for organizations and 0.9 for UN entities. `--write` records the
figures in bench/RESULTS.md, section "English organizations and UN entities".
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bench.results import write_section
from extractors.enrich.matchers import Matcher
from extractors.enrich.reference_data import load_reference
from tests.real_paragraphs import REAL_PDFS, numbered_paragraphs, real_pdf_path

LABELS = (
    Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "knowledge" / "en_entities.json"
)
SECTION = "## English organizations and UN entities"
KINDS = ("organizations", "un_entities")
TARGETS = {"organizations": 0.95, "un_entities": 0.9}


@dataclass
class Tally:
    """Ids found and labelled, found and not labelled, labelled and not found."""

    right: int = 0
    extra: int = 0
    missed: int = 0

    @property
    def precision(self) -> float:
        """Share of the ids found that the labels give (1.0 when none were found)."""
        return self.right / (self.right + self.extra) if self.right + self.extra else 1.0

    @property
    def recall(self) -> float:
        """Share of the labelled ids that were found (1.0 when none are labelled)."""
        return self.right / (self.right + self.missed) if self.right + self.missed else 1.0


@dataclass
class Scores:
    """Tallies per kind, per (report, kind), the paragraphs the PDF lacked, and each
    disagreement as a line."""

    totals: dict[str, Tally] = field(default_factory=lambda: {k: Tally() for k in KINDS})
    reports: dict[tuple[str, str], Tally] = field(default_factory=lambda: defaultdict(Tally))
    not_found: list[str] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)


def load_labels(path: Path = LABELS) -> dict[str, dict[int, dict]]:
    """The labels by symbol, then paragraph number."""
    by_symbol: dict[str, dict[int, dict]] = defaultdict(dict)
    for row in json.loads(path.read_text(encoding="utf-8")):
        by_symbol[row["symbol"]][row["paragraph"]] = row
    return dict(by_symbol)


def score_labels(labels: dict[str, dict[int, dict]] | None = None) -> Scores:
    """Recognise each labelled paragraph's text and compare with its labels."""
    labels = load_labels() if labels is None else labels
    matcher = Matcher(load_reference(), "en")
    scores = Scores()
    for symbol, paragraphs in labels.items():
        texts = numbered_paragraphs(real_pdf_path(symbol), paragraphs)
        scores.not_found.extend(f"{symbol} ¶{n}" for n in sorted(set(paragraphs) - set(texts)))
        for number, row in sorted(paragraphs.items()):
            text = texts.get(number, "")
            found = {
                "organizations": set(matcher.organizations_in(text)),
                "un_entities": set(matcher.un_entities_in(text)),
            }
            for kind in KINDS:
                expected = set(row[kind])
                extra, missed = found[kind] - expected, expected - found[kind]
                for tally in (scores.totals[kind], scores.reports[(symbol, kind)]):
                    tally.right += len(expected & found[kind])
                    tally.extra += len(extra)
                    tally.missed += len(missed)
                if extra or missed:
                    scores.disagreements.append(
                        f"{symbol} ¶{number} {kind}: found, not labelled "
                        f"{sorted(extra) or '-'}; labelled, not found {sorted(missed) or '-'}"
                    )
    return scores


def render(scores: Scores) -> str:
    """The RESULTS.md section: totals, per report, then every disagreement."""
    lines = [
        SECTION,
        "",
        "`extractors.enrich.matchers.Matcher` (English) against the organizations and UN "
        "entities labelled by reading in the numbered paragraphs of nine 2025 reports "
        "(`tests/fixtures/knowledge/en_entities.json`). The English reference data was "
        "completed with these paragraphs in view, so the figures say how well it agrees "
        "with the labels it was fitted to, not how it does on new reports. Targets: "
        "organizations 0.95, UN entities 0.9; `python -m bench.bench_entities_en --write` "
        "updates this section.",
        "",
        "| kind | right | extra | missed | precision | recall |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for kind in KINDS:
        t = scores.totals[kind]
        lines.append(
            f"| {kind} | {t.right} | {t.extra} | {t.missed} | {t.precision:.3f} | {t.recall:.3f} |"
        )
    lines += ["", "| report | kind | precision | recall |", "|---|---|---:|---:|"]
    for (symbol, kind), t in scores.reports.items():
        lines.append(f"| {symbol} | {kind} | {t.precision:.2f} | {t.recall:.2f} |")
    lines += ["", "Disagreements:", ""]
    lines += [f"- {line}" for line in scores.disagreements] or ["- none"]
    lines += [f"- paragraph not found in the PDF: {where}" for where in scores.not_found]
    return "\n".join(lines) + "\n"


def main() -> int:
    """Print the figures (and record them with --write); non-zero below a target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="record in bench/RESULTS.md")
    arguments = parser.parse_args()
    if not REAL_PDFS.is_dir():
        print(f"skipped: {REAL_PDFS} is absent")
        return 0
    scores = score_labels()
    text = render(scores)
    print(text)
    if arguments.write:
        write_section(SECTION, text)
    below = [
        kind
        for kind, floor in TARGETS.items()
        if min(scores.totals[kind].precision, scores.totals[kind].recall) < floor
    ]
    return 1 if below or scores.not_found else 0


if __name__ == "__main__":
    sys.exit(main())
