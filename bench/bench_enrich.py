"""Time enriching each bundled edition (organizations, UN entities, areas, citations).

For each edition: `enrich_report` on the parsed report with the language's matcher already
built (what every document after the first pays), the first enrichment in a fresh process
(matcher built, caches empty), and the matcher stages alone (mentions, then areas given the
mentions, over every paragraph). Areas are also found the plain way, one finditer per
trigger and exclude phrase, to show the gain and to check both give the same tags.
Medians of several runs after a warm-up. `--write` records the figures in bench/RESULTS.md,
section "Enrichment".
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.results import write_section
from extractors.enrich.enrich_report import enrich_report
from extractors.enrich.matchers import Matcher, Mention, matcher_for, phrase_pattern
from extractors.enrich.reference_data import ReferenceData, load_reference
from extractors.model import AreaTag, Report
from extractors.report.report_parser import parse_report_file

PROJECT_DIR = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
SECTION = "## Enrichment"
EDITIONS = (
    ("A/73/328-S/2018/592", PROJECT_DIR / "corpus" / "A-73-328_fr.md"),
    ("A/77/277-S/2022/606", PROJECT_DIR / "corpus" / "A-77-277_fr.pdf.txt"),
)
RUNS = 15
FEW_RUNS = 5
BUDGET_MS = 100.0
# Run in a fresh interpreter: prints the milliseconds of the first enrich_report call.
FIRST_CALL = """
import sys, time
from extractors.enrich.enrich_report import enrich_report
from extractors.enrich.reference_data import load_reference
from extractors.report.report_parser import parse_report_file
reference = load_reference()
report = parse_report_file(sys.argv[1], symbol=sys.argv[2])
start = time.perf_counter()
enrich_report(report, reference)
print((time.perf_counter() - start) * 1000)
"""


def median_ms(action: Callable[[], object], runs: int = RUNS) -> float:
    """Median wall time of `action` in milliseconds, after one untimed warm-up call."""
    action()
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000


def _stage_actions(
    report: Report, matcher: Matcher, plain: PerPhraseAreas
) -> tuple[Callable[[], list[object]], ...]:
    """Mentions over every paragraph, areas given those mentions, and the same areas found
    one phrase at a time."""
    texts = [paragraph.text for paragraph in report.paragraphs]
    mentions = [matcher.mentions(text) for text in texts]

    def find_mentions() -> list[object]:
        return [matcher.mentions(text) for text in texts]

    def find_areas() -> list[object]:
        return [matcher.areas(text, found) for text, found in zip(texts, mentions, strict=True)]

    def find_areas_per_phrase() -> list[object]:
        return [plain.areas_in(text, found) for text, found in zip(texts, mentions, strict=True)]

    return find_mentions, find_areas, find_areas_per_phrase


def first_call_ms(symbol: str, path: Path) -> float:
    """Median over fresh interpreters of the first `enrich_report` (matcher built, caches
    empty): what a run pays for its first document in a language."""
    timings = [
        float(
            subprocess.run(
                [sys.executable, "-c", FIRST_CALL, str(path), symbol],
                cwd=PROJECT_DIR,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        for _ in range(FEW_RUNS)
    ]
    return statistics.median(timings)


class PerPhraseAreas:
    """Areas found the plain way: one finditer per trigger and exclude phrase of each area."""

    def __init__(self, reference: ReferenceData, language: str) -> None:
        languages = (language,) if language in ("fr", "en") else ("en", "fr")

        def compiled(french: tuple[str, ...], english: tuple[str, ...]) -> list[re.Pattern[str]]:
            return [
                re.compile(phrase_pattern(phrase, wildcard=True), re.IGNORECASE)
                for code in languages
                for phrase in (french if code == "fr" else english)
            ]

        self.areas = tuple(
            (
                area.id,
                compiled(area.triggers_fr, area.triggers_en),
                compiled(area.excludes_fr, area.excludes_en),
            )
            for area in reference.areas
        )
        self.parents = {area.id: area.parent for area in reference.areas}
        self.bodies = [
            re.compile(phrase_pattern(body.name), re.IGNORECASE)
            for body in reference.organization_bodies
            if body.language in languages
        ]

    def areas_in(self, text: str, mentions: tuple[Mention, ...]) -> tuple[AreaTag, ...]:
        """One tag per area: its first trigger outside entity and body names and excludes; a
        sub-area's first trigger also counts for its broad area."""
        masked = [(m.offset, m.offset + len(m.phrase)) for m in mentions]
        masked += [m.span() for regex in self.bodies for m in regex.finditer(text)]
        firsts: dict[str, re.Match[str]] = {}
        for area_id, triggers, excludes in self.areas:
            blocked = masked + [m.span() for regex in excludes for m in regex.finditer(text)]
            hits = [
                match
                for regex in triggers
                for match in regex.finditer(text)
                if not any(match.start() < end and start < match.end() for start, end in blocked)
            ]
            if hits:
                firsts[area_id] = min(hits, key=_reading_order)
        for area_id, first in list(firsts.items()):
            parent = self.parents[area_id]
            if parent and (
                parent not in firsts or _reading_order(first) < _reading_order(firsts[parent])
            ):
                firsts[parent] = first
        tags = [AreaTag(id=a, phrase=m.group(), offset=m.start()) for a, m in firsts.items()]
        return tuple(sorted(tags, key=lambda tag: (tag.offset, tag.id)))


def _reading_order(match: re.Match[str]) -> tuple[int, int]:
    return (match.start(), -len(match.group()))


def measure() -> dict[str, object]:
    """Enrichment and matcher timings (ms) per bundled edition, the matcher build time and
    the machine's load average."""
    reference = load_reference()
    rows = []
    for symbol, path in EDITIONS:
        report = parse_report_file(path, symbol=symbol)
        matcher = matcher_for(reference, report.language)
        plain = PerPhraseAreas(reference, report.language)
        find_mentions, find_areas, find_areas_per_phrase = _stage_actions(report, matcher, plain)
        rows.append(
            {
                "symbol": symbol.split("-")[0],
                "language": report.language,
                "paragraphs": len(report.paragraphs),
                "enrich": median_ms(lambda r=report: enrich_report(r, reference)),
                "first": first_call_ms(symbol, path),
                "mentions": median_ms(find_mentions),
                "areas": median_ms(find_areas),
                "plain_areas": median_ms(find_areas_per_phrase, FEW_RUNS),
                "same_tags": find_areas_per_phrase() == find_areas(),
            }
        )
    build = median_ms(lambda: Matcher(reference, "fr"), FEW_RUNS)
    return {"rows": rows, "build": build, "load": os.getloadavg()[0]}


def render(figures: dict[str, object]) -> str:
    """The "Enrichment" section of RESULTS.md."""
    rows: list[dict[str, object]] = figures["rows"]  # type: ignore[assignment]
    lines = [
        SECTION,
        "",
        "`extractors.enrich.enrich_report.enrich_report` on each parsed bundled edition, the language's "
        "matcher already built (`matcher_for` caches it per reference data and language); "
        f"medians of {RUNS} runs after a warm-up (`python -m bench.bench_enrich --write` "
        "updates this section). *First call*: the first enrichment in a fresh interpreter "
        f"(matcher built, caches empty), median of {FEW_RUNS} interpreters. *Mentions* and "
        "*areas*: the matcher stages alone over every paragraph (areas given the paragraph's "
        "mentions). *Areas, per phrase*: the same tags found with one `finditer` per trigger "
        f"and exclude phrase (how areas were found before), median of {FEW_RUNS}; *same tags* "
        "compares the two on every paragraph.",
        "",
        "| edition | language | paragraphs | enrich ms | first call ms | mentions ms | "
        f"areas ms | areas, per phrase ms | same tags | budget: enrich < {BUDGET_MS:.0f} ms |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for row in rows:
        enrich = float(row["enrich"])  # type: ignore[arg-type]
        verdict = "passes" if enrich < BUDGET_MS else "FAILS"
        timings = " | ".join(
            f"{float(row[key]):.1f}"  # type: ignore[arg-type]
            for key in ("first", "mentions", "areas", "plain_areas")
        )
        same = "yes" if row["same_tags"] else "**NO**"
        lines.append(
            f"| {row['symbol']} | {row['language']} | {row['paragraphs']} | {enrich:.1f} | "
            f"{timings} | {same} | {verdict} |"
        )
    lines += [
        "",
        f"Building a matcher (once per language and process): {float(figures['build']):.1f} ms "  # type: ignore[arg-type]
        f"(median of {FEW_RUNS}). Each group of phrases (names, acronyms, area triggers and "
        "excludes) is scanned once per paragraph by one gate regex, a trie of the phrases' "
        "first words, and only the phrases whose first word is found are tried, where it is "
        "found; the matches are those one `finditer` per phrase gives.",
        "",
        f"Machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, load average "
        f"{float(figures['load']):.2f} when the runs ended (other work on the machine slows "  # type: ignore[arg-type]
        "both ways of finding areas alike). Command: "
        "`.venv/bin/python -m bench.bench_enrich --write`.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the figures; with --write, record them in bench/RESULTS.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="record in bench/RESULTS.md")
    arguments = parser.parse_args(argv)
    text = render(measure())
    print(text)
    if arguments.write:
        write_section(SECTION, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
