"""The change digest: one readable summary of an EditionDiff (subject, plain text, HTML
and chart), grouped by change type with counts and paragraph evidence for each item."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from extractors.enrich.reference_data import load_reference
from extractors.normalize import normal_name
from notify.chart import (
    TrendPanel,
    editions_in,
    recent_editions,
    render_chart,
    select_organizations,
)
from notify.digest_email import embed_chart
from notify.report_paths import (
    AREAS_DIR,
    ORGANIZATIONS_DIR,
    BrowseTargets,
    browse_base,
    browse_href,
    report_link,
)
from warehouse.diff.change_events import ChangeEvent, EditionDiff
from warehouse.diff.change_vocabulary import change_label
from warehouse.diff.snapshot import HEADING_PREFIX
from warehouse.runs.mandate_coverage import MANDATED_NOT_REPORTED, CoverageItem

if TYPE_CHECKING:
    from warehouse.diff.similarity import EditionSimilarity, SimilarityScore

TEMPLATES = Path(__file__).parent / "templates"
UNDOCS = "https://undocs.org"
REDLINE_CHARS = 400
# The most of one sentence the report and its Prefect artifact quote: a 10 MB paragraph made
# a 30 MB report and a 14 MB artifact.
QUOTE_CHARS = 2000
SUBJECT_PHRASES = 3
SUBJECT_NAMES = 3


@dataclass(frozen=True)
class Limits:
    """How much of each list a rendering shows; None shows everything (the report).

    `material_only` keeps the judged groups (areas, areas per organization, partnerships) to
    their material changes; `explain` shows each judged event's rule and, for a material
    area change, the trigger phrases behind it in both editions.
    """

    items_per_group: int | None = None
    redline_organizations: int | None = None
    sentences: int | None = None
    material_only: bool = False
    explain: bool = True


# An email is read on a phone: at most one screen per kind, the most material first, the
# rest in the report.
EMAIL_LIMITS = Limits(
    items_per_group=3, redline_organizations=1, sentences=1, material_only=True, explain=False
)
REPORT_LIMITS = Limits()

# (group key, title) in the order readers see them.
GROUPS = (
    ("new", "New sections and organizations"),
    ("vanished", "Vanished sections and organizations"),
    ("size", "Sections that grew or shrank"),
    ("areas", "Cooperation areas"),
    ("organization_areas", "Areas per organization"),
    ("mentions", "Organizations named more or less often"),
    ("renamed", "Renamed"),
    ("partnerships", "Partnerships"),
    ("citations", "Citations"),
    ("other", "Other changes"),
)
# Groups whose events carry a score and a materiality (warehouse/diff/materiality.py).
JUDGED_GROUPS = ("areas", "organization_areas", "partnerships")
KIND_GROUPS = {
    "area": "areas",
    "organization_area": "organization_areas",
    "partnership": "partnerships",
    "citation": "citations",
}
CHANGE_GROUPS = {
    "appeared": "new",
    "first_named": "new",
    "vanished": "vanished",
    "no_longer_named": "vanished",
    "section_vanished_still_mentioned": "vanished",
    "grew": "size",
    "shrank": "size",
    "renamed": "renamed",
}
UNITS = {
    "organization": ("paragraph", "paragraphs"),
    "mention": ("mention", "mentions"),
    "area": ("paragraph", "paragraphs"),
    "organization_area": ("paragraph", "paragraphs"),
    "partnership": ("mention", "mentions"),
    "citation": ("citation", "citations"),
}


@dataclass(frozen=True)
class Phrase:
    """One headline phrase: which events it counts and how it reads."""

    matches: Callable[[ChangeEvent], bool]
    singular: str
    plural: str
    names_subjects: bool = False


HEADLINE = (
    Phrase(
        lambda e: e.kind == "organization" and e.change == "appeared",
        "new section",
        "new sections",
        names_subjects=True,
    ),
    Phrase(
        lambda e: (
            e.kind == "organization"
            and e.change in ("vanished", "section_vanished_still_mentioned")
        ),
        "section vanished",
        "sections vanished",
        names_subjects=True,
    ),
    Phrase(
        lambda e: e.kind == "area" and bool(e.material),
        "material area change",
        "material area changes",
        names_subjects=True,
    ),
    Phrase(
        lambda e: e.kind == "mention" and e.change == "first_named",
        "organization named for the first time",
        "organizations named for the first time",
        names_subjects=True,
    ),
    Phrase(
        lambda e: e.kind == "mention" and e.change == "no_longer_named",
        "organization no longer named",
        "organizations no longer named",
        names_subjects=True,
    ),
    Phrase(
        lambda e: e.kind == "organization" and e.change == "grew", "section grew", "sections grew"
    ),
    Phrase(
        lambda e: e.kind == "organization" and e.change == "shrank",
        "section shrank",
        "sections shrank",
    ),
    Phrase(lambda e: e.change == "renamed", "organization renamed", "organizations renamed"),
    Phrase(
        lambda e: e.kind == "mention" and e.change in ("grew", "shrank"),
        "organization named more or less often",
        "organizations named more or less often",
    ),
    Phrase(
        lambda e: e.kind == "organization_area" and bool(e.material),
        "material change in an organization's areas",
        "material changes in organizations' areas",
    ),
    Phrase(
        lambda e: e.kind == "partnership" and bool(e.material),
        "material partnership change",
        "material partnership changes",
    ),
    Phrase(lambda e: e.kind == "citation", "citation change", "citation changes"),
)


@dataclass(frozen=True)
class Digest:
    """A rendered digest: what the email carries and what the outbox stores."""

    subject: str
    text: str
    html: str
    chart_png: bytes | None
    change_set_id: str
    context: Mapping[str, Any] | None = field(default=None, repr=False, compare=False)

    @property
    def stored_html(self) -> str:
        """The HTML with the chart embedded as a data: URI: what the outbox stores."""
        return embed_chart(self.html, self.chart_cid, self.chart_png)

    @property
    def chart_cid(self) -> str:
        """Content-ID (without brackets) the HTML uses for the inline chart."""
        return chart_cid(self.change_set_id)


def chart_cid(change_set_id: str) -> str:
    """Content-ID of a change set's chart; derived from its id so message and HTML agree."""
    return f"chart-{change_set_id[:16]}@coopwatch"


def change_set_id(diff: EditionDiff) -> str:
    """sha256 of the edition pair and the sorted changed events as JSON: the outbox key,
    identical across runs that find the same changes."""
    events = sorted(
        json.dumps(e.to_dict(), sort_keys=True, ensure_ascii=False) for e in diff.changed_events
    )
    payload = json.dumps({"old": diff.old, "new": diff.new, "events": events}, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def undocs_url(symbol: str, language: str) -> str:
    """Link to a document on the UN's document resolver."""
    return f"{UNDOCS}/{language}/{symbol}"


def evidence_url(
    symbol: str,
    language: str,
    numbers: Iterable[int],
    pages: Mapping[tuple[str, int], int] | None = None,
) -> str | None:
    """Link to an edition's evidence on undocs.org: the document, at the page of its first
    evidence paragraph (`#page=N`) where `pages` ((symbol, paragraph) -> page) knows it;
    None without evidence."""
    ordered = sorted(set(numbers))
    if not ordered:
        return None
    url = undocs_url(symbol, language)
    page = (pages or {}).get((symbol, ordered[0]))
    return f"{url}#page={page}" if page else url


def paragraph_ranges(numbers: Iterable[int]) -> str:
    """Compact paragraph numbers: (12, 13, 14, 20) -> '12–14, 20'."""
    ordered = sorted(set(numbers))
    spans: list[str] = []
    start = previous = None
    for number in ordered + [None]:
        if start is not None and (number is None or number != previous + 1):
            spans.append(str(start) if start == previous else f"{start}–{previous}")
            start = None
        if number is not None and start is None:
            start = number
        previous = number
    return ", ".join(spans)


def organization_label(org_id: str, names: Mapping[str, str], fallback: str | None = None) -> str:
    """'Display name (ID)' when a display name is known, else the id; apostrophes and spaces
    normalized, so a name copied from the email finds its rows."""
    name = normal_name(names.get(org_id) or fallback or "")
    return f"{name} ({org_id})" if name and name != org_id else org_id


def english_names() -> dict[str, str]:
    """Organization and UN entity id -> English name, from the reference data: the digest's
    labels are English whatever the edition's language (its quotations are not)."""
    reference = load_reference()
    return {
        **{entity.id: entity.name_en for entity in reference.un_entities},
        **{organization.id: organization.name_en for organization in reference.organizations},
    }


def area_names(language: str = "en") -> dict[str, str]:
    """Area id -> its name in `language` (English unless French), from the reference data."""
    return {
        area.id: area.name_fr if language == "fr" else area.name_en
        for area in load_reference().areas
    }


def event_label(
    event: ChangeEvent, names: Mapping[str, str], areas: Mapping[str, str] | None = None
) -> str:
    """How an event's subject reads to a person, by kind; `areas` names area ids."""
    areas = areas or {}
    if event.kind == "organization" and event.subject.startswith(HEADING_PREFIX):
        if event.organizations:
            members = " and ".join(organization_label(o, names) for o in event.organizations)
            return f"Joint section on {members}"
        return normal_name(event.name or event.subject.removeprefix(HEADING_PREFIX))
    if event.kind in ("organization", "mention"):
        return organization_label(event.subject, names, event.name)
    org, _, other = event.subject.partition("|")
    if event.kind == "organization_area":
        area = event.name or areas.get(other) or names.get(other) or other
        return f"{organization_label(org, names)} — {area}"
    if event.kind == "area" and not event.name and event.subject in areas:
        return areas[event.subject]
    if event.kind == "partnership":
        return f"{organization_label(org, names)} with {names.get(other) or event.name or other}"
    return event.name or names.get(event.subject) or event.subject


def group_of(event: ChangeEvent) -> str:
    """Which digest group an event belongs to."""
    if event.kind == "mention" and event.family in ("grew", "shrank"):
        return "mentions"
    return KIND_GROUPS.get(event.kind) or CHANGE_GROUPS.get(event.change, "other")


def short_subject(event: ChangeEvent) -> str:
    """The id a reader sees: a joint section's organizations ("OPCW + CTBTO"), else the
    subject."""
    if event.subject.startswith(HEADING_PREFIX) and event.organizations:
        return " + ".join(event.organizations)
    return event.subject


def headline_phrases(
    events: Iterable[ChangeEvent],
    *,
    with_names: bool,
    limit: int | None = None,
    areas: Mapping[str, str] | None = None,
) -> list[str]:
    """Headline numbers ('1 new section', '3 sections vanished'), counting distinct
    subjects; with_names adds the organization ids (or area names) the phrase is about."""
    events = tuple(events)
    areas = areas if areas is not None else area_names()
    phrases = []
    named: set[str] = set()
    for phrase in HEADLINE:
        subjects = list(
            dict.fromkeys(
                areas.get(e.subject, e.subject) if e.kind == "area" else short_subject(e)
                for e in events
                if phrase.matches(e)
            )
        )
        if phrase.names_subjects:
            # An organization whose section appeared is also "named for the first time":
            # count it once, under the section.
            subjects = [s for s in subjects if s not in named]
            named.update(subjects)
        if not subjects:
            continue
        noun = phrase.singular if len(subjects) == 1 else phrase.plural
        text = f"{len(subjects)} {noun}"
        if with_names and phrase.names_subjects:
            shown = ", ".join(subjects[:SUBJECT_NAMES])
            more = len(subjects) - SUBJECT_NAMES
            text += f" ({shown}{f', +{more} more' if more > 0 else ''})"
        phrases.append(text)
    return phrases[:limit] if limit is not None else phrases


def build_subject(diff: EditionDiff) -> str:
    """Subject naming both editions and the headline (the material news first), on one line."""
    phrases = headline_phrases(diff.changed_events, with_names=True, limit=SUBJECT_PHRASES)
    headline = ", ".join(phrases) if phrases else "no change"
    subject = f"CoopWatch: {diff.new} vs {diff.old} — {headline}"
    if diff.uncertain:
        subject += " (some matches uncertain)"
    return " ".join(subject.split())


def item_context(
    event: ChangeEvent,
    names: Mapping[str, str],
    language: str,
    section: SimilarityScore | None = None,
    areas: Mapping[str, str] | None = None,
    pages: Mapping[tuple[str, int], int] | None = None,
    editions: tuple[str, str] | None = None,
    browse: BrowseTargets | None = None,
) -> dict[str, Any]:
    """Template data for one change event; `section` is the similarity of the organization's
    section when the event is about an organization and one was computed; with the
    `editions` (old, new) its evidence links to them on undocs.org, at the paragraph's page
    where `pages` knows it."""
    unit = UNITS.get(event.kind, ("", ""))
    if event.kind == "mention" and event.family in ("grew", "shrank"):
        unit = ("paragraph naming it", "paragraphs naming it")
    change = change_label(event)
    if event.change == "renamed" and event.old_name:
        change = f"renamed (was {normal_name(event.old_name)})"
    judged = group_of(event) in JUDGED_GROUPS
    return {
        **judged_context(event, judged),
        "label": event_label(event, names, areas),
        "subject": event.subject,
        "short": short_subject(event),
        "kind": event.kind,
        "family": event.family,
        "magnitude": abs((event.new_count or 0) - (event.old_count or 0)),
        "change_size": section.changed_words if section is not None else None,
        "text_change": section_text_change(section),
        "change": change,
        "old": count_text(event.old_count, event.old_words, unit),
        "new": count_text(event.new_count, event.new_words, unit),
        "evidence_old": paragraph_ranges(event.evidence_old),
        "evidence_new": paragraph_ranges(event.evidence_new),
        "evidence_old_url": evidence_url(editions[0], language, event.evidence_old, pages)
        if editions
        else None,
        "evidence_new_url": evidence_url(editions[1], language, event.evidence_new, pages)
        if editions
        else None,
        "link": undocs_url(event.subject, language) if event.kind == "citation" else None,
        "browse": browse_links(event, browse),
        "detail": None if judged else event.detail,
        "uncertain": event.uncertain,
        "reissue": event.reissue,
    }


def browse_links(event: ChangeEvent, browse: BrowseTargets | None) -> list[dict[str, str]]:
    """The browse pages of an event's organizations and area that exist in `browse`, as
    {label, href} with href relative to the reports folder ('organizations/AU.html')."""
    if browse is None or event.kind == "citation":
        return []
    owner, area = event.subject, ""
    if event.kind == "area":
        owner, area = "", event.subject
    elif event.kind == "organization_area":
        owner, _, area = event.subject.rpartition("|")
    elif event.kind == "partnership":
        owner = event.subject.partition("|")[0]
    owners = list(event.organizations) if event.organizations else [owner] if owner else []
    links = [
        {"label": org, "href": browse_href(ORGANIZATIONS_DIR, org)}
        for org in owners
        if org in browse.organizations
    ]
    if area and area in browse.areas:
        links.append({"label": "area", "href": browse_href(AREAS_DIR, area)})
    return links


def judged_context(event: ChangeEvent, judged: bool) -> dict[str, Any]:
    """Score, materiality, shares and phrases of an area, organization-area or partnership
    event, as the templates show them (empty values for other events)."""
    base = "section" if event.kind == "organization_area" else "edition"
    material = bool(event.material)
    return {
        "judged": judged,
        "material": material,
        "score": score_value(event.score),
        "level": (event.level or "").replace("_", "-") or None,
        "share": share_text(event, base) if judged and event.old_share is not None else None,
        "rule": event.detail if judged else None,
        "phrases_old": ", ".join(event.phrases_old) if material else "",
        "phrases_new": ", ".join(event.phrases_new) if material else "",
    }


def score_value(score: float | None) -> str | None:
    """A materiality score with two decimals, or None for events without one."""
    return None if score is None else f"{score:.2f}"


def share_text(event: ChangeEvent, base: str) -> str:
    """'1.0% -> 15.6% of the edition's paragraphs (words 1.7% -> 18.8%)'."""
    return (
        f"{event.old_share or 0:.1%} -> {event.new_share or 0:.1%} of the {base}'s paragraphs"
        f" (words {event.old_word_share or 0:.1%} -> {event.new_word_share or 0:.1%})"
    )


def section_text_change(section: SimilarityScore | None) -> str | None:
    """'similarity 0.38, 412 content words changed, 2 paragraphs moved' for a section present in both
    editions; None otherwise (a new or vanished section says so in its change already)."""
    if section is None or not section.old_paragraphs or not section.new_paragraphs:
        return None
    words = section.changed_words
    text = f"similarity {score_text(section.similarity)}, {words:,} content word"
    text += f"{'' if words == 1 else 's'} changed"
    moved = len(section.moved)
    if moved:
        text += f", {moved} paragraph{'' if moved == 1 else 's'} moved"
    return text


def percent(share: float) -> str:
    """A share as a whole percentage that never rounds a difference away: 0.996 reads
    'over 99%', 0.004 'under 1%'."""
    if 0 < share < 0.005:
        return "under 1%"
    if 0.995 <= share < 1:
        return "over 99%"
    return f"{share:.0%}"


def score_text(score: float) -> str:
    """A similarity score with two decimals, kept off 0.00 and 1.00 unless exact."""
    if 0 < score < 1:
        score = min(max(score, 0.01), 0.99)
    return f"{score:.2f}"


def overall_similarity_context(similarity: EditionSimilarity | None) -> dict[str, Any] | None:
    """How similar the newer edition is to the older one overall, as the digest words it;
    None without a similarity."""
    if similarity is None:
        return None
    overall = similarity.overall
    carried = len(overall.aligned)
    sentence = (
        f"{similarity.new} is {percent(overall.similarity)} similar to {similarity.old} overall "
        f"(similarity {score_text(overall.similarity)}; {overall.changed_words:,} of "
        f"{overall.old_words + overall.new_words:,} content words changed)."
    )
    moved = len(overall.moved)
    paragraphs = (
        f"Paragraphs: {carried} of {overall.old_paragraphs} carried over"
        + (f" ({moved} moved)" if moved else "")
        + f", {len(overall.added)} added, {len(overall.removed)} removed."
    )
    return {
        "score": overall.similarity,
        "changed_words": overall.changed_words,
        "sentence": sentence,
        "paragraphs": paragraphs,
    }


def count_text(count: int | None, words: int | None, unit: tuple[str, str]) -> str:
    """'5 paragraphs, 612 words', or '—' when the edition has none."""
    if count is None and words is None:
        return "—"
    parts = [f"{count} {unit[count != 1]}".strip()] if count is not None else []
    if words is not None:
        parts.append(f"{words} word{'' if words == 1 else 's'}")
    return ", ".join(parts)


def clip(sentence: str, limit: int = REDLINE_CHARS) -> str:
    """Shorten a long sentence for the email (the report quotes more), and any sentence for
    the report to QUOTE_CHARS: the warehouse keeps the whole paragraph."""
    sentence = " ".join(sentence.split())
    return sentence if len(sentence) <= limit else sentence[: limit - 1] + "…"


def bound(sentence: str) -> str:
    """A sentence as the report and its artifact quote it: whole up to QUOTE_CHARS."""
    return clip(sentence, QUOTE_CHARS)


def redline_context(
    diff: EditionDiff,
    names: Mapping[str, str],
    first: Iterable[str] = (),
    change_sizes: Mapping[str, int] | None = None,
) -> list[dict[str, Any]]:
    """Sentences added, removed and moved per organization: organizations in `first`
    (new and vanished sections) lead, then the most changed: by the section's changed words
    when `change_sizes` gives them, then by sentences added and removed."""
    rank = {org: index for index, org in enumerate(dict.fromkeys(first))}
    sizes = change_sizes or {}
    redlines = [r for r in diff.redlines if r.added or r.removed or r.moved]
    redlines.sort(
        key=lambda r: (
            rank.get(r.organization, len(rank)),
            -sizes.get(r.organization, 0),
            -len(r.added) - len(r.removed),
        )
    )
    return [
        {
            "label": organization_label(r.organization, names),
            "added": list(r.added),
            "removed": list(r.removed),
            "moved": len(r.moved),
        }
        for r in redlines
    ]


def merge_organization_items(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One line per organization in a group: a section event absorbs the mention event of
    the same organization (OECD 'new section' + 'named for the first time')."""
    sections = {i["subject"]: i for i in items if i["kind"] == "organization"}
    merged = []
    for item in items:
        section = sections.get(item["subject"])
        if item["kind"] == "mention" and section is not None:
            section["change"] = f"{section['change']}; {item['change']}"
            continue
        merged.append(item)
    return merged


def limit_view(context: Mapping[str, Any], limits: Limits) -> dict[str, Any]:
    """The context cut to `limits`: each group's first items and how many are left out,
    the first redlines with their first sentences (clipped when limited)."""
    groups = _limited_groups(context, limits)
    sections_moved, more_sections = _cut(
        list(context.get("sections_moved", ())),
        SECTION_ROWS if limits.items_per_group is not None else None,
    )
    redlines, more_redlines = _cut(context["redlines"], limits.redline_organizations)
    trimmed = _trimmed_redlines(redlines, limits)
    coverage = context.get("coverage") or {"mandated": [], "unmandated": []}
    mandated, more_mandated = _cut(coverage["mandated"], limits.items_per_group)
    unmandated, more_unmandated = _cut(coverage["unmandated"], limits.items_per_group)
    return {
        **context,
        "coverage": {
            "mandated": mandated,
            "unmandated": unmandated,
            "more_mandated": more_mandated,
            "more_unmandated": more_unmandated,
        },
        "groups": groups,
        "sections_moved": sections_moved,
        "more_sections": more_sections,
        "sections_table": text_table(
            ["Section", context["old"], context["new"], "change"],
            [
                [row["short"], str(row["old"]), str(row["new"]), row["change"]]
                for row in sections_moved
            ],
        ),
        "trend_table": text_table(
            ["Organization", *context["trend"]["editions"]],
            [
                [org, *map(str, row["counts"])]
                for org, row in zip(
                    context["trend"]["organizations"], context["trend"]["rows"], strict=True
                )
            ],
        ),
        "left_out": sum(len(g["items"]) for g in context["groups"])
        - sum(len(g["shown"]) for g in groups),
        "redlines": trimmed,
        "more_redlines": more_redlines,
        "explain": limits.explain,
        "material_only": limits.material_only,
    }


def _cut(values: list, limit: int | None) -> tuple[list, int]:
    """The first `limit` values (all when None) and how many are left out."""
    return (values, 0) if limit is None else (values[:limit], max(0, len(values) - limit))


def _limited_groups(context: Mapping[str, Any], limits: Limits) -> list[dict[str, Any]]:
    """Each group with the items it shows and how many it leaves out; when only the material
    is shown, without what the news block already says and without empty groups."""
    # The email says each claim once: what the news block shows (a section that appeared
    # or vanished with its first or last naming, a material area change) leaves its group.
    news = context.get("news", ())
    in_news = {(item["kind"], item["short"]) for item in news} | {
        ("mention", item["short"]) for item in news if item["kind"] == "organization"
    }

    def repeated(item: dict[str, Any]) -> bool:
        counted = item["kind"] == "mention" and item["family"] in ("grew", "shrank")
        return (item["kind"], item["short"]) in in_news and not counted

    groups = []
    for group in context["groups"]:
        items = group["items"]
        material = [item for item in items if item["material"]]
        candidates = items
        if limits.material_only:
            candidates = without_echoes(material) if group["judged"] else items
            candidates = [item for item in candidates if not repeated(item)]
        shown, _ = _cut(candidates, limits.items_per_group)
        if limits.material_only and not shown:
            continue  # a heading over nothing tells a reader nothing
        groups.append(
            {
                **group,
                "shown": shown,
                "more": len(items) - len(shown),
                "material_count": len(material),
            }
        )
    return groups


def _trimmed_redlines(redlines: list[dict[str, Any]], limits: Limits) -> list[dict[str, Any]]:
    """Each redline with its first sentences, clipped when limited (else only bounded)."""
    trimmed = []
    for redline in redlines:
        added, more_added = _cut(redline["added"], limits.sentences)
        removed, more_removed = _cut(redline["removed"], limits.sentences)
        shorten = clip if limits.sentences is not None else bound
        trimmed.append(
            {
                **redline,
                "added": [shorten(s) for s in added],
                "removed": [shorten(s) for s in removed],
                "more_added": more_added,
                "more_removed": more_removed,
            }
        )
    return trimmed


def without_echoes(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The items without a broad area that only repeats one of its sub-areas: same
    organization, same change, same evidence (COE's displacement paragraphs are all of its
    humanitarian ones); the report keeps both."""

    def key(item: dict[str, Any]) -> tuple[str, ...]:
        owner = item["subject"].partition("|")[0] if "|" in item["subject"] else ""
        return (owner, item["change"], item["evidence_old"], item["evidence_new"])

    sub_areas = {key(item) for item in items if item["level"] == "sub-area"}
    return [item for item in items if item["level"] != "area" or key(item) not in sub_areas]


def chart_context(
    diff: EditionDiff, trajectory: Mapping[str, Mapping[str, int]], names: Mapping[str, str]
) -> dict[str, Any]:
    """Which organizations the chart shows, and the same numbers as a table."""
    changed = [e.subject for e in diff.changed_events if e.kind in ("organization", "mention")]
    organizations = select_organizations(trajectory, first=changed)
    editions = recent_editions({org: trajectory[org] for org in organizations})
    rows = [
        {
            "label": organization_label(org, names),
            "counts": [trajectory[org].get(edition, 0) for edition in editions],
        }
        for org in organizations
    ]
    return {"organizations": organizations, "editions": editions, "rows": rows}


# Organizations in the email's trend panel: the few that changed most, across every edition.
TREND_ORGANIZATIONS = 5


def trend_context(
    diff: EditionDiff, trajectory: Mapping[str, Mapping[str, int]], names: Mapping[str, str]
) -> dict[str, Any]:
    """For a new edition (not a reissue): the organizations whose section changed most in
    paragraphs, with their section size in every edition of the trajectory."""
    if diff.old == diff.new:
        return {"organizations": [], "editions": [], "rows": []}
    magnitude: dict[str, int] = {}
    for event in diff.changed_events:
        if event.kind == "organization" and event.subject in trajectory:
            change = abs((event.new_count or 0) - (event.old_count or 0))
            magnitude[event.subject] = max(magnitude.get(event.subject, 0), change)
    ranked = sorted((org for org in magnitude if magnitude[org]), key=lambda o: (-magnitude[o], o))
    organizations = ranked[:TREND_ORGANIZATIONS]
    editions = editions_in({org: trajectory[org] for org in organizations})
    rows = [
        {
            "label": organization_label(org, names),
            "counts": [trajectory[org].get(edition, 0) for edition in editions],
        }
        for org in organizations
    ]
    return {"organizations": organizations, "editions": editions, "rows": rows}


def coverage_context(coverage: Sequence[CoverageItem], names: Mapping[str, str]) -> dict[str, Any]:
    """The new edition's mandate coverage: what a current resolution asked for that it does
    not report, and what it reports that no current resolution asked for, with evidence."""

    def entry(item: CoverageItem) -> dict[str, Any]:
        return {
            "label": organization_label(item.organization_id, names),
            "resolution": item.resolution_symbol,
            "paragraph": item.request_paragraph,
            "session": item.requested_session,
            "evidence": paragraph_ranges(item.paragraph_numbers),
        }

    mandated = [entry(i) for i in coverage if i.status == MANDATED_NOT_REPORTED]
    unmandated = [entry(i) for i in coverage if i.status != MANDATED_NOT_REPORTED]
    return {"mandated": mandated, "unmandated": unmandated}


def text_table(headers: list[str], rows: list[list[str]]) -> str:
    """Fixed-width table for the plain part: numbers right, words left."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: list[str]) -> str:
        first, *rest = cells
        padded = [str(first).ljust(widths[0])]
        padded += [
            str(c).rjust(w) if str(c).isdigit() else str(c).ljust(w)
            for c, w in zip(rest, widths[1:], strict=True)
        ]
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def digest_context(
    diff: EditionDiff,
    *,
    trajectory: Mapping[str, Mapping[str, int]],
    names: Mapping[str, str],
    language: str = "fr",
    similarity: EditionSimilarity | None = None,
    coverage: Sequence[CoverageItem] = (),
    reports_dir: Path | None = None,
    pages: Mapping[tuple[str, int], int] | None = None,
    browse: BrowseTargets | None = None,
) -> dict[str, Any]:
    """Everything the digest and report templates render, computed once; `pages` ((symbol,
    paragraph) -> page of its PDF) puts the page in each evidence link where known. With `similarity`
    (of the same two editions) organizations sort by their section's changed words and the
    digest says how similar the editions are overall; without it, by paragraph-count change.
    `coverage` is the new edition's mandate coverage (warehouse.runs.mandate_coverage), shown when any."""
    sections = _similar_sections(diff, similarity)
    grouped: dict[str, list[dict[str, Any]]] = {key: [] for key, _ in GROUPS}
    areas = area_names()
    names = {**{k: normal_name(v) for k, v in names.items()}, **english_names()}
    news = news_context(diff, names, language, areas, pages, browse)
    _fill_groups(grouped, diff, names, language, sections, areas, pages, browse)
    chart = chart_context(diff, trajectory, names)
    moved = moved_sections(diff)
    trend = trend_context(diff, trajectory, names)
    phrases = headline_phrases(diff.changed_events, with_names=True, areas=areas)
    return {
        "old": diff.old,
        "new": diff.new,
        "old_url": undocs_url(diff.old, language),
        "new_url": undocs_url(diff.new, language),
        "report_url": report_link(diff.old, diff.new, reports_dir),
        "browse_base": browse_base(reports_dir),
        "subject": build_subject(diff),
        "headline": ", ".join(phrases) if phrases else "no change",
        "news": news,
        "sections_moved": moved,
        "uncertain": diff.uncertain or any(e.uncertain for e in diff.changed_events),
        "groups": [
            {"key": key, "title": title, "items": grouped[key], "judged": key in JUDGED_GROUPS}
            for key, title in GROUPS
            if grouped[key]
        ],
        "similarity": overall_similarity_context(similarity),
        "redlines": redline_context(
            diff,
            names,
            _leading_organizations(diff),
            {key: s.changed_words for key, s in sections.items()},
        ),
        "chart": chart,
        "coverage": coverage_context(coverage, names),
        "trend": trend,
        "change_set_id": change_set_id(diff),
    }


def _similar_sections(
    diff: EditionDiff, similarity: EditionSimilarity | None
) -> dict[str, SimilarityScore]:
    """Organization id -> its section's similarity, checked to be of the diff's two editions."""
    if similarity is not None and (similarity.old, similarity.new) != (diff.old, diff.new):
        raise ValueError(
            f"similarity of {similarity.old} -> {similarity.new} given for the diff "
            f"{diff.old} -> {diff.new}"
        )
    return {
        s.organization: s for s in (similarity.sections if similarity else ()) if s.organization
    }


def _leading_organizations(diff: EditionDiff) -> list[str]:
    """The organizations whose section appeared or vanished, which the redlines show first."""
    return [
        e.subject
        for e in diff.changed_events
        if e.kind == "organization" and group_of(e) in ("new", "vanished")
    ]


def _fill_groups(
    grouped: dict[str, list[dict[str, Any]]],
    diff: EditionDiff,
    names: Mapping[str, str],
    language: str,
    sections: Mapping[str, Any],
    areas: Mapping[str, str],
    pages: Mapping[tuple[str, int], int] | None,
    browse: BrowseTargets | None,
) -> None:
    """Put each changed event's item in its group, then order each group (see `_sort_groups`)."""
    editions = (diff.old, diff.new)
    for event in diff.changed_events:
        section = sections.get(event.subject) if event.kind in ("organization", "mention") else None
        grouped[group_of(event)].append(
            item_context(event, names, language, section, areas, pages, editions, browse)
        )
    _sort_groups(grouped)


def _sort_groups(grouped: dict[str, list[dict[str, Any]]]) -> None:
    """Order each group's items: judged groups by materiality and score, the others by changed
    words (organization items merged)."""
    for key, items in grouped.items():
        if key in JUDGED_GROUPS:
            # The most material first: material before not, then by score (|z|).
            items.sort(
                key=lambda item: (
                    not item["material"],
                    -float(item["score"] or 0),
                    -item["magnitude"],
                    item["label"].casefold(),
                )
            )
            continue
        # Changed words measure rewriting a paragraph count misses; items without a section
        # (citations, or no similarity given) keep the paragraph-count order.
        items.sort(
            key=lambda item: (
                -(item["change_size"] or 0),
                -item["magnitude"],
                item["label"].casefold(),
            )
        )
        grouped[key] = merge_organization_items(items)


def news_context(
    diff: EditionDiff,
    names: Mapping[str, str],
    language: str,
    areas: Mapping[str, str],
    pages: Mapping[tuple[str, int], int] | None = None,
    browse: BrowseTargets | None = None,
) -> list[dict[str, Any]]:
    """The material news, what the first screen carries: sections that appeared or vanished,
    then the material area changes, most material first, each with its evidence."""
    sections = [
        item_context(event, names, language, None, areas, pages, (diff.old, diff.new), browse)
        for event in diff.changed_events
        if event.kind == "organization" and event.family in ("appeared", "vanished")
    ]
    namings = {
        event.subject: change_label(event).partition("(")[2].rstrip(")")
        for event in diff.changed_events
        if event.kind == "mention" and event.family in ("appeared", "vanished")
    }
    for item in sections:
        if item["short"] in namings:
            item["change"] = item["change"].rstrip(")") + f"; {namings[item['short']]})"
    sections.sort(key=lambda item: (item["family"] != "appeared", item["label"].casefold()))
    material = [
        item_context(event, names, language, None, areas, pages, (diff.old, diff.new), browse)
        for event in diff.changed_events
        if event.kind == "area" and event.material
    ]
    material.sort(key=lambda item: -float(item["score"] or 0))
    return sections + material


# Rows of the email's table of sections whose paragraph count moved.
SECTION_ROWS = 5


def moved_sections(diff: EditionDiff) -> list[dict[str, Any]]:
    """Every section whose paragraph count moved, the largest move first, with its change
    word from the one vocabulary (so the table and the lists above never disagree)."""
    rows = [
        {
            "short": short_subject(event),
            "old": event.old_count or 0,
            "new": event.new_count or 0,
            "change": change_label(event),
        }
        for event in diff.events
        if event.kind == "organization"
        and event.change != "renamed"
        and (event.old_count or 0) != (event.new_count or 0)
    ]
    rows.sort(key=lambda row: (-abs(row["new"] - row["old"]), row["short"]))
    return rows


@cache
def environment() -> Environment:
    """Jinja environment: HTML templates autoescaped, text and Markdown not."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=lambda name: bool(name) and name.endswith(".html.j2"),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = markdown_escape
    # Word joiners keep "88–91" on one line; the list may still wrap after its commas.
    env.filters["keep_ranges"] = lambda ranges: str(ranges).replace("–", "\u2060–\u2060")
    return env


def markdown_escape(text: object) -> str:
    """Escape document text for Markdown (tables and Prefect artifacts): HTML-significant
    characters become entities so a `<script>` in a paragraph stays text."""
    value = str(text).replace("\\", "\\\\")
    for raw, escaped in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        value = value.replace(raw, escaped)
    for char in "|`*_[]#":
        value = value.replace(char, "\\" + char)
    return " ".join(value.split())


def render(
    template: str, context: Mapping[str, Any], limits: Limits = REPORT_LIMITS, **extra: Any
) -> str:
    """Render one template of notify/templates with the digest context cut to `limits`."""
    return environment().get_template(template).render({**limit_view(context, limits), **extra})


def build_digest(
    diff: EditionDiff,
    *,
    trajectory: dict[str, dict[str, int]],
    names: dict[str, str],
    language: str = "fr",
    similarity: EditionSimilarity | None = None,
    coverage: Sequence[CoverageItem] = (),
    reports_dir: Path | None = None,
    pages: Mapping[tuple[str, int], int] | None = None,
    browse: BrowseTargets | None = None,
) -> Digest:
    """Build the email digest for a diff: subject, plain text, HTML with the chart
    referenced by Content-ID, the chart PNG and the change set id. With the editions'
    `similarity` it says how similar they are and orders organizations by changed words."""
    context = digest_context(
        diff,
        trajectory=trajectory,
        names=names,
        language=language,
        similarity=similarity,
        coverage=coverage,
        reports_dir=reports_dir,
        pages=pages,
        browse=browse,
    )
    chart = context["chart"]
    trend = context["trend"]
    png = render_chart(
        trajectory,
        chart["organizations"],
        labels={org: org for org in chart["organizations"]},
        trend=TrendPanel(
            {
                org: dict(zip(trend["editions"], row["counts"], strict=True))
                for org, row in zip(trend["organizations"], trend["rows"], strict=True)
            },
            trend["editions"],
            "Organizations that changed most, across every edition",
        )
        if trend["organizations"]
        else None,
    )
    cid = chart_cid(context["change_set_id"])
    return Digest(
        subject=context["subject"],
        text=render("digest.txt.j2", context, EMAIL_LIMITS),
        html=render(
            "digest.html.j2", context, EMAIL_LIMITS, chart_src=f"cid:{cid}" if png else None
        ),
        chart_png=png,
        change_set_id=context["change_set_id"],
        context=context,
    )
