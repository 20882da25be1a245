"""Generate a large bundled-like corpus by perturbing the two real editions (bench only).

Each generated edition starts from the previous one and drops, adds, grows and shrinks
organization sections, so consecutive editions differ the way real ones do. The output
folder holds Markdown-like report files and a `manifest.yaml` in the format of
`corpus/manifest.yaml`, so the flow can read it as its bundled source.

    python -m bench.generate_corpus [OUT_DIR] [--editions 100] [--languages fr,en] [--seed 7]

The repository ships only French editions: an `en` document is the French text with
its organization headings replaced by the English names from the reference data, so
the English matchers still find the organizations (a synthetic language, not a
translation).
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

PROJECT_DIR = Path(__file__).resolve().parent.parent
REAL_EDITIONS = (
    (PROJECT_DIR / "corpus" / "A-73-328_fr.md", "A/73/328-S/2018/592"),
    (PROJECT_DIR / "corpus" / "A-77-277_fr.pdf.txt", "A/77/277-S/2022/606"),
)
FIRST_YEAR = 1950  # far from the real editions so generated symbols never collide with them
DROP_RATE = 0.04
ADD_COUNT = (1, 3)
GROW_RATE = 0.08
SHRINK_RATE = 0.07
DEFAULT_OUT_DIR = PROJECT_DIR / "data" / "bench-corpus"
MONTHS = {"fr": "août", "en": "August"}


@dataclass(frozen=True)
class Unit:
    """A run of paragraphs under one chapter and (optionally) one organization heading."""

    chapter: str
    heading: str | None
    organization: str | None
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Edition:
    """One generated edition: its units, in reading order, and the chapter titles."""

    units: tuple[Unit, ...]
    chapter_titles: dict[str, str]


def real_units() -> tuple[Edition, list[Unit]]:
    """The 2018 edition as units (the starting point) and every organization unit of both."""
    from extractors.enrich.enrich_report import enrich_report
    from extractors.report.report_parser import parse_report_file

    editions = [
        enrich_report(parse_report_file(path, symbol=symbol)) for path, symbol in REAL_EDITIONS
    ]
    converted = [_to_edition(report) for report in editions]
    pool = [unit for edition in converted for unit in edition.units if unit.heading]
    return converted[0], pool


def _to_edition(report) -> Edition:
    units: list[Unit] = []
    for paragraph in report.paragraphs:
        section = (
            report.sections[paragraph.section_index]
            if paragraph.section_index is not None
            else None
        )
        heading = section.heading if section else None
        chapter = paragraph.chapter or ""
        last = units[-1] if units else None
        if last and last.chapter == chapter and last.heading == heading:
            units[-1] = replace(last, paragraphs=last.paragraphs + (paragraph.text,))
        else:
            organization = section.organization if section else None
            units.append(Unit(chapter, heading, organization, (paragraph.text,)))
    titles = {chapter.number: chapter.title for chapter in report.chapters}
    return Edition(tuple(units), titles)


def perturb(edition: Edition, pool: list[Unit], rng: random.Random) -> Edition:
    """The next edition: some sections dropped, some added from the pool, some grown or shrunk."""
    units = list(edition.units)
    present = {unit.heading for unit in units if unit.heading}
    kept = [u for u in units if not (u.heading and len(present) > 10 and rng.random() < DROP_RATE)]
    candidates = [u for u in pool if u.heading not in {k.heading for k in kept}]
    for unit in rng.sample(candidates, min(len(candidates), rng.randint(*ADD_COUNT))):
        positions = [i for i, k in enumerate(kept) if k.heading and k.chapter == unit.chapter]
        at = rng.choice(positions) + 1 if positions else len(kept)
        kept.insert(at, unit)
    changed = []
    for unit in kept:
        if unit.heading and rng.random() < GROW_RATE:
            extra = rng.choice(unit.paragraphs)
            unit = replace(unit, paragraphs=unit.paragraphs + (_reworded(extra, rng),))
        elif unit.heading and len(unit.paragraphs) > 1 and rng.random() < SHRINK_RATE:
            unit = replace(unit, paragraphs=unit.paragraphs[:-1])
        changed.append(unit)
    return Edition(tuple(changed), edition.chapter_titles)


def _reworded(text: str, rng: random.Random) -> str:
    """A new paragraph made from an old one: its sentences in another order."""
    sentences = [s.strip() for s in text.split(". ") if s.strip()]
    rng.shuffle(sentences)
    return ". ".join(sentences).rstrip(".") + "."


def render(edition: Edition, *, year: int, language: str, english_names: dict[str, str]) -> str:
    """The edition as Markdown-like report text the bundled reader parses."""
    lines = [
        "**Coopération entre l'Organisation des Nations Unies et les organisations régionales ou autres**",
        f"17 {MONTHS[language]} {year}",
        "Rapport du Secrétaire général",
    ]
    number = 0
    chapter = heading = None
    for unit in edition.units:
        if unit.chapter != chapter:
            chapter, heading = unit.chapter, None
            lines.append(f"{chapter}. {edition.chapter_titles.get(chapter, '')}".rstrip())
        if unit.heading and unit.heading != heading:
            heading = unit.heading
            english = english_names.get(unit.organization or "") if language == "en" else None
            lines.append(english or unit.heading)
        for text in unit.paragraphs:
            number += 1
            lines.append(f"{number}. {text}")
    return "\n\n".join(lines) + "\n"


def generate(
    out_dir: Path, *, editions: int = 100, languages: tuple[str, ...] = ("fr", "en"), seed: int = 7
) -> Path:
    """Write `editions` x `languages` report files and their manifest; return the manifest."""
    from extractors.enrich.reference_data import load_reference

    english_names = {o.id: o.name_en for o in load_reference().organizations if o.name_en}
    start, pool = real_units()
    out_dir.mkdir(parents=True, exist_ok=True)
    entries = []
    for language in languages:
        rng = random.Random(f"{seed}-{language}")
        edition = start
        for index in range(editions):
            year = FIRST_YEAR + index
            session = year - 1945
            symbols = [f"A/{session}/{500 + index}", f"S/{year}/{600 + index}"]
            file_name = f"A-{session}-{500 + index}_{language}.md"
            text = render(edition, year=year, language=language, english_names=english_names)
            (out_dir / file_name).write_text(text, encoding="utf-8")
            entries.append(
                {
                    "symbols": symbols,
                    "language": language,
                    "year": year,
                    "file": file_name,
                    "format": "markdown",
                }
            )
            edition = perturb(edition, pool, rng)
    manifest = out_dir / "manifest.yaml"
    manifest.write_text(
        yaml.safe_dump({"editions": entries}, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return manifest


def main(argv: list[str] | None = None) -> int:
    """Command line: generate a corpus into OUT_DIR."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out_dir", type=Path, nargs="?", default=DEFAULT_OUT_DIR)
    parser.add_argument("--editions", type=int, default=100)
    parser.add_argument("--languages", default="fr,en")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    languages = tuple(part.strip() for part in args.languages.split(",") if part.strip())
    manifest = generate(args.out_dir, editions=args.editions, languages=languages, seed=args.seed)
    print(f"{args.editions * len(languages)} documents and {manifest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
