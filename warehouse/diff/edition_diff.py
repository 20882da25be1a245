"""Diff two editions into typed change events with evidence.

Each edition becomes a snapshot (plain data, every unit with its paragraph numbers);
DeepDiff compares the snapshots and says which units were added, removed or touched;
this module turns those raw differences into labelled `ChangeEvent`s, applies the growth
rules, adds section redlines and lets the degradation guard mark doubtful diffs.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from deepdiff import DeepDiff

from extractors.enrich.reference_data import load_reference
from extractors.model import Report
from extractors.report.editions import load_editions
from extractors.symbols import split_joint_symbol
from warehouse.diff.change_events import ChangeEvent, EditionDiff, EventKind, Redline
from warehouse.diff.degradation import assess_degradation
from warehouse.diff.growth import DEFAULT_RULES, GrowthRules
from warehouse.diff.materiality import JudgedKind, Materiality, Share, default_materiality, judge
from warehouse.diff.redline import redline_section
from warehouse.diff.snapshot import normalize_heading, snapshot

_ADDED = "dictionary_item_added"
_REMOVED = "dictionary_item_removed"
# How many path steps below the category name identify one unit.
_UNIT_DEPTH = {
    "sections": 1,
    "mentions": 1,
    "named": 1,
    "areas": 1,
    "organization_areas": 2,
    "partnerships": 1,
    "citations": 1,
}


@dataclass(frozen=True)
class _Sizes:
    """What shares are measured against in one edition, and the phrases behind its tags."""

    paragraphs: int
    words: int
    paragraph_words: dict[int, int]
    sections: dict[str, tuple[int, int]]  # section key -> (paragraphs, words)
    phrases: dict[tuple[str, int], str]  # (area, paragraph) -> the phrase that tagged it

    @classmethod
    def of(cls, report: Report, snap: dict[str, Any]) -> _Sizes:
        words = {p.number: p.word_count for p in report.paragraphs}
        return cls(
            paragraphs=len(report.paragraphs),
            words=sum(words.values()),
            paragraph_words=words,
            sections={
                key: (len(entry["paragraphs"]), entry["words"])
                for key, entry in snap["sections"].items()
            },
            phrases={
                (tag.id, p.number): tag.phrase.casefold()
                for p in report.paragraphs
                for tag in p.areas
            },
        )

    def base(self, kind: JudgedKind, subject: str, on_section: bool) -> tuple[int, int]:
        """(paragraphs, words) a unit's share is taken of: its organization's section for an
        organization area or a partnership when the rule says so, else the whole edition."""
        if on_section and kind != "area":
            return self.sections.get(subject.partition("|")[0], (0, 0))
        return self.paragraphs, self.words

    def words_of(self, numbers: Iterable[int]) -> int:
        return sum(self.paragraph_words.get(n, 0) for n in numbers)

    def phrases_of(self, area: str, numbers: Iterable[int]) -> tuple[str, ...]:
        """The distinct trigger phrases that tagged `area` in `numbers`, most used first."""
        counts = Counter(self.phrases[(area, n)] for n in numbers if (area, n) in self.phrases)
        return tuple(phrase for phrase, _ in sorted(counts.items(), key=lambda c: (-c[1], c[0])))


@dataclass(frozen=True)
class _Judge:
    """Scores area, organization-area and partnership events against both editions' sizes."""

    old: _Sizes
    new: _Sizes
    materiality: Materiality
    levels: dict[str, str]

    def values(
        self, kind: JudgedKind, subject: str, old: list[int], new: list[int], changed: bool = True
    ) -> dict[str, Any]:
        """The event fields a judgement adds: score, material, shares, detail, and for
        areas their level and trigger phrases."""
        rule = self.materiality.rule(kind)
        on_section = rule.base == "section"
        old_total, old_total_words = self.old.base(kind, subject, on_section)
        new_total, new_total_words = self.new.base(kind, subject, on_section)
        share = Share(
            old_count=len(old),
            old_total=old_total,
            new_count=len(new),
            new_total=new_total,
            old_words=self.old.words_of(old),
            old_total_words=old_total_words,
            new_words=self.new.words_of(new),
            new_total_words=new_total_words,
        )
        verdict = judge(share, rule, changed=changed)
        values: dict[str, Any] = {
            "score": verdict.score,
            "material": verdict.material,
            "detail": verdict.detail,
            "old_words": share.old_words,
            "new_words": share.new_words,
            "old_share": round(share.old_share, 4),
            "new_share": round(share.new_share, 4),
            "old_word_share": round(share.old_word_share, 4),
            "new_word_share": round(share.new_word_share, 4),
        }
        if kind in ("area", "organization_area"):
            area = subject.rpartition("|")[2]
            values["level"] = self.levels.get(area)
            values["phrases_old"] = self.old.phrases_of(area, old)
            values["phrases_new"] = self.new.phrases_of(area, new)
        return values

    def totals(self, kind: JudgedKind, subject: str) -> tuple[int, int]:
        """The paragraph bases of `subject` in the older and newer edition."""
        on_section = self.materiality.rule(kind).base == "section"
        return (
            self.old.base(kind, subject, on_section)[0],
            self.new.base(kind, subject, on_section)[0],
        )


@dataclass
class _Touched:
    """Units DeepDiff found added, removed, or changed inside, per snapshot category."""

    added: dict[str, set[tuple[str, ...]]] = field(default_factory=lambda: defaultdict(set))
    removed: dict[str, set[tuple[str, ...]]] = field(default_factory=lambda: defaultdict(set))
    changed: dict[str, set[tuple[str, ...]]] = field(default_factory=lambda: defaultdict(set))


def diff_editions(
    old: Report,
    new: Report,
    rules: GrowthRules | None = None,
    citation_titles: dict[str, str] | None = None,
    materiality: Materiality | None = None,
) -> EditionDiff:
    """Everything that changed from `old` to `new`, each event with counts and evidence;
    area, organization-area and partnership events judged relative to size (`materiality`,
    the bundled warehouse/diff/materiality.yaml by default)."""
    rules = rules or DEFAULT_RULES
    before, after = snapshot(old), snapshot(new)
    judged = _Judge(
        _Sizes.of(old, before),
        _Sizes.of(new, after),
        materiality or default_materiality(),
        {area.id: area.level for area in load_reference().areas},
    )
    # threshold_to_diff_deeper=0: otherwise DeepDiff reports a dict sharing few keys (the
    # citations of two editions) as one replaced value instead of items added and removed.
    old_differing, new_differing = _differing(_opaque_evidence(before), _opaque_evidence(after))
    raw = DeepDiff(old_differing, new_differing, view="tree", threshold_to_diff_deeper=0)
    touched = _touched_units(raw)
    events = [
        *_organization_events(before, after, touched, rules),
        *_mention_events(before, after, touched),
        *_mention_count_events(before, after, touched, rules),
        *_area_events(before, after, touched, rules, judged),
        *_organization_area_events(before, after, touched, rules, judged),
        *_partnership_events(before, after, touched, judged),
        *_citation_events(before, after, touched, citation_titles or {}),
    ]
    degradation = assess_degradation(old, new)
    if degradation.is_degraded:
        events = [replace(event, uncertain=True) for event in events]
    return EditionDiff(
        old=old.symbol,
        new=new.symbol,
        events=tuple(events),
        uncertain=degradation.is_degraded,
        redlines=_redlines(old, new, before, after),
        uncertain_reasons=degradation.reasons,
    )


def _opaque_evidence(value: Any) -> Any:
    """The snapshot with each list of paragraph numbers turned into one string.

    DeepDiff only has to say which units differ (the events read the numbers from the
    snapshots); compared whole, a list costs one string comparison instead of a difflib
    alignment of its items, which made DeepDiff most of a diff's time.
    """
    if isinstance(value, dict):
        return {key: _opaque_evidence(item) for key, item in value.items()}
    if isinstance(value, list):
        return ",".join(map(str, value))
    return value


def _differing(old: dict[str, Any], new: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Both snapshots without the entries they share unchanged, nested dicts pruned alike.

    DeepDiff reports nothing for equal entries, so dropping them first gives the same report
    while it walks only the units that moved (a few percent of an edition).
    """
    old_kept: dict[str, Any] = {}
    new_kept: dict[str, Any] = {}
    for key in old.keys() | new.keys():
        if key not in new:
            old_kept[key] = old[key]
        elif key not in old:
            new_kept[key] = new[key]
        elif old[key] != new[key]:
            if isinstance(old[key], dict) and isinstance(new[key], dict):
                old_kept[key], new_kept[key] = _differing(old[key], new[key])
            else:
                old_kept[key], new_kept[key] = old[key], new[key]
    return old_kept, new_kept


def _touched_units(raw: DeepDiff) -> _Touched:
    touched = _Touched()
    for report_type, levels in raw.items():
        for level in levels:
            path = level.path(output_format="list")
            depth = _UNIT_DEPTH.get(path[0]) if path else None
            if depth is None or len(path) < 1 + depth:
                continue
            category, unit = path[0], tuple(str(step) for step in path[1 : 1 + depth])
            if len(path) > 1 + depth:
                touched.changed[category].add(unit)
            elif report_type == _ADDED:
                touched.added[category].add(unit)
            elif report_type == _REMOVED:
                touched.removed[category].add(unit)
            else:
                touched.changed[category].add(unit)
    return touched


def _event(kind: EventKind, subject: str, change: str, **values: Any) -> ChangeEvent:
    for name in ("evidence_old", "evidence_new", "phrases_old", "phrases_new", "organizations"):
        values[name] = tuple(values.get(name, ()))
    return ChangeEvent(kind=kind, subject=subject, change=change, **values)


def _organization_events(
    before: dict[str, Any], after: dict[str, Any], touched: _Touched, rules: GrowthRules
) -> list[ChangeEvent]:
    old_sections, new_sections = before["sections"], after["sections"]
    events: list[ChangeEvent] = []
    for key in sorted(set(old_sections) | set(new_sections)):
        old, new = old_sections.get(key), new_sections.get(key)
        if new is None and (key,) in touched.removed["sections"]:
            events.append(_vanished_section(key, old, after))
        elif old is None and (key,) in touched.added["sections"]:
            events.append(
                _event(
                    "organization",
                    key,
                    "appeared",
                    name=new["name"],
                    organizations=new["organizations"],
                    old_count=0,
                    new_count=len(new["paragraphs"]),
                    old_words=0,
                    new_words=new["words"],
                    evidence_new=new["paragraphs"],
                )
            )
        else:
            events.extend(
                _kept_section(key, old, new, (key,) in touched.changed["sections"], rules)
            )
    return events


def _vanished_section(key: str, old: dict[str, Any], after: dict[str, Any]) -> ChangeEvent:
    """A section gone from the newer edition; still mentioned when the newer text names one
    of the organizations it covered (the paragraphs that do are the newer evidence)."""
    still_named = sorted(
        {n for org in old["organizations"] for n in after["mentions"].get(org, [])}
    )
    return _event(
        "organization",
        key,
        "section_vanished_still_mentioned" if still_named else "vanished",
        name=old["name"],
        organizations=old["organizations"],
        old_count=len(old["paragraphs"]),
        new_count=0,
        old_words=old["words"],
        new_words=0,
        evidence_old=old["paragraphs"],
        evidence_new=still_named,
        detail=f"still named in {len(still_named)} paragraph(s)" if still_named else None,
    )


def _kept_section(
    key: str, old: dict[str, Any], new: dict[str, Any], changed: bool, rules: GrowthRules
) -> list[ChangeEvent]:
    counts = {
        "name": new["name"],
        "organizations": new["organizations"],
        "old_count": len(old["paragraphs"]),
        "new_count": len(new["paragraphs"]),
        "old_words": old["words"],
        "new_words": new["words"],
        "evidence_old": old["paragraphs"],
        "evidence_new": new["paragraphs"],
    }
    growth = "unchanged"
    if changed:
        growth = rules.classify(
            counts["old_count"], counts["new_count"], old["words"], new["words"]
        )
    events = []
    if is_material_rename(old["name"], new["name"]):
        events.append(_event("organization", key, "renamed", old_name=old["name"], **counts))
    if growth != "unchanged" or not events:
        events.append(_event("organization", key, growth, **counts))
    return events


def is_material_rename(old_name: str, new_name: str) -> bool:
    """True when two headings differ beyond punctuation, dashes, apostrophes, case or spaces.

    Spaces are ignored entirely because PDF text splits words (`Pré sident`, `l ’ONU`).
    """

    def key(name: str) -> str:
        return re.sub(r"\s+", "", normalize_heading(name))

    return key(old_name) != key(new_name)


def _mention_events(
    before: dict[str, Any], after: dict[str, Any], touched: _Touched
) -> list[ChangeEvent]:
    return _presence_events(
        "mention", "named", before, after, touched, ("first_named", "no_longer_named")
    )


def _presence_events(
    kind: EventKind,
    family: str,
    before: dict[str, Any],
    after: dict[str, Any],
    touched: _Touched,
    changes: tuple[str, str],
    values: Callable[[str, list[int], list[int]], dict[str, Any]] | None = None,
    *,
    counted: bool = True,
) -> list[ChangeEvent]:
    """An event for each subject of `family` that appeared (`changes[0]`) or vanished
    (`changes[1]`), with its evidence, its counts when `counted`, and what `values` adds."""
    events = []
    for appeared, change in ((True, changes[0]), (False, changes[1])):
        side = touched.added if appeared else touched.removed
        for (subject,) in sorted(side[family]):
            evidence = (after if appeared else before)[family][subject]
            old, new = ([], evidence) if appeared else (evidence, [])
            fields: dict[str, Any] = (
                {"evidence_new": evidence} if appeared else {"evidence_old": evidence}
            )
            if counted:
                fields.update(old_count=len(old), new_count=len(new))
            if values is not None:
                fields.update(values(subject, old, new))
            events.append(_event(kind, subject, change, **fields))
    return events


def _mention_count_events(
    before: dict[str, Any], after: dict[str, Any], touched: _Touched, rules: GrowthRules
) -> list[ChangeEvent]:
    """An organization named in both editions whose count of paragraphs naming it grew or
    shrank by the growth rule: kind `mention`, change grew or shrank, the paragraphs of each
    edition as evidence."""
    events = []
    for (key,) in sorted(touched.changed["mentions"]):
        old, new = before["mentions"][key], after["mentions"][key]
        change = rules.classify(len(old), len(new))
        if change != "unchanged":
            events.append(
                _event(
                    "mention",
                    key,
                    change,
                    old_count=len(old),
                    new_count=len(new),
                    evidence_old=old,
                    evidence_new=new,
                )
            )
    return events


def _count_events(
    kind: JudgedKind,
    old_units: dict[str, list[int]],
    new_units: dict[str, list[int]],
    added: set[str],
    removed: set[str],
    changed: set[str],
    rules: GrowthRules,
    judged: _Judge,
) -> list[ChangeEvent]:
    """Appeared / vanished / grew / shrank / unchanged for units counted in paragraphs, growth
    judged on the unit's share of its base (edition or section), each event scored."""
    events = []
    for subject in sorted(set(old_units) | set(new_units)):
        old, new = old_units.get(subject, []), new_units.get(subject, [])
        if subject in added:
            change = "appeared"
        elif subject in removed:
            change = "vanished"
        elif subject in changed:
            old_total, new_total = judged.totals(kind, subject)
            change = rules.classify_share(len(old), old_total, len(new), new_total)
        else:
            change = "unchanged"
        values = judged.values(kind, subject, old, new, changed=change != "unchanged")
        events.append(
            _event(
                kind,
                subject,
                change,
                old_count=len(old),
                new_count=len(new),
                evidence_old=old,
                evidence_new=new,
                **values,
            )
        )
    return events


def _flat(units: Iterable[tuple[str, ...]]) -> set[str]:
    return {"|".join(unit) for unit in units}


def _area_events(
    before: dict[str, Any],
    after: dict[str, Any],
    touched: _Touched,
    rules: GrowthRules,
    judged: _Judge,
) -> list[ChangeEvent]:
    return _count_events(
        "area",
        before["areas"],
        after["areas"],
        _flat(touched.added["areas"]),
        _flat(touched.removed["areas"]),
        _flat(touched.changed["areas"]),
        rules,
        judged,
    )


def _organization_area_events(
    before: dict[str, Any],
    after: dict[str, Any],
    touched: _Touched,
    rules: GrowthRules,
    judged: _Judge,
) -> list[ChangeEvent]:
    """Areas per organization, for sections in both editions only: a section that appeared
    or vanished already says so for all its areas at once."""
    kept = set(before["sections"]) & set(after["sections"])

    def units(snap: dict[str, Any]) -> dict[str, list[int]]:
        return {
            f"{org}|{area}": numbers
            for org, areas in snap["organization_areas"].items()
            if org in kept
            for area, numbers in areas.items()
        }

    return _count_events(
        "organization_area",
        units(before),
        units(after),
        _flat(touched.added["organization_areas"]),
        _flat(touched.removed["organization_areas"]),
        _flat(touched.changed["organization_areas"]),
        rules,
        judged,
    )


def _partnership_events(
    before: dict[str, Any], after: dict[str, Any], touched: _Touched, judged: _Judge
) -> list[ChangeEvent]:
    return _presence_events(
        "partnership",
        "partnerships",
        before,
        after,
        touched,
        ("appeared", "vanished"),
        lambda subject, old, new: judged.values("partnership", subject, old, new),
    )


def series_symbols() -> frozenset[str]:
    """Every symbol of the report's own editions (both halves of a joint symbol)."""
    return frozenset(
        part for edition in load_editions() for part in split_joint_symbol(edition.symbol)
    )


def _citation_events(
    before: dict[str, Any], after: dict[str, Any], touched: _Touched, titles: dict[str, str]
) -> list[ChangeEvent]:
    """Citations added and removed; an edition of the report itself is left out: each
    edition cites its predecessor (2018 cites A/71/160, 2022 A/75/345), which is no change."""
    own = series_symbols() | {before["edition"], after["edition"]}
    return [
        event
        for event in _presence_events(
            "citation",
            "citations",
            before,
            after,
            touched,
            ("added", "removed"),
            lambda symbol, _old, _new: {"name": titles.get(symbol)},
            counted=False,
        )
        if event.subject not in own
    ]


def _redlines(
    old: Report, new: Report, before: dict[str, Any], after: dict[str, Any]
) -> tuple[Redline, ...]:
    """A sentence redline for each section present in both editions."""
    old_text = {p.number: p.text for p in old.paragraphs}
    new_text = {p.number: p.text for p in new.paragraphs}
    redlines = []
    for key in sorted(set(before["sections"]) & set(after["sections"])):
        redlines.append(
            redline_section(
                key,
                [old_text[n] for n in before["sections"][key]["paragraphs"]],
                [new_text[n] for n in after["sections"][key]["paragraphs"]],
            )
        )
    return tuple(redlines)
