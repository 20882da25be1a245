"""Subscriptions: who follows which organizations and areas, and the digest each one gets.

The file is YAML, checked strictly against the reference data before any work starts::

    default:                       # get every change
      - desk@example.org
    recipients:
      au-watch@example.org:        # get the changes of what they follow, or nothing
        organizations: [AU, ECOWAS]
        areas: [peace_security]

Following a broad area (peace_security) follows its sub-areas too (electoral_assistance, ...).
A recipient's digest is the diff cut to what they follow; recipients whose cut is the same
share one digest (one outbox row, one change set id), so nobody gets a partial or a
duplicate digest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from common.errors import SettingsError
from common.settings_files import Node, SettingsFile
from extractors.enrich.reference_data import ReferenceData, load_reference
from notify.digest import change_set_id
from warehouse.diff.change_events import ChangeEvent, EditionDiff

_ADDRESS = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")


@dataclass(frozen=True)
class Subscriber:
    """One recipient and what they follow (organization ids and area ids)."""

    email: str
    organizations: frozenset[str] = frozenset()
    areas: frozenset[str] = frozenset()

    def follows(self, event: ChangeEvent) -> bool:
        """True when the event is about an organization or an area the recipient follows."""
        if event.kind in ("organization", "mention"):
            return event.subject in self.organizations
        if event.kind == "area":
            return event.subject in self.areas
        first, _, second = event.subject.partition("|")
        if event.kind == "organization_area":
            return first in self.organizations or second in self.areas
        if event.kind == "partnership":
            return first in self.organizations
        return False


@dataclass(frozen=True)
class Subscriptions:
    """Everyone who gets digests: the default list (everything) and the subscribers."""

    default: tuple[str, ...] = ()
    subscribers: tuple[Subscriber, ...] = ()

    @property
    def recipients(self) -> tuple[str, ...]:
        """Every address, default list first."""
        return self.default + tuple(s.email for s in self.subscribers)


@dataclass(frozen=True)
class DigestPlan:
    """One digest to queue: the diff it renders and everyone who gets exactly that diff."""

    recipients: tuple[str, ...]
    diff: EditionDiff
    change_set_id: str


def load_subscriptions(path: Path | str, reference: ReferenceData | None = None) -> Subscriptions:
    """Read and check a subscriptions file; SettingsError names file, line and field of the
    first problem (unknown key, unknown organization or area id, bad address, duplicate)."""
    reference = reference or load_reference()
    sub_areas: dict[str, set[str]] = {}
    for area in reference.areas:
        if area.parent:
            sub_areas.setdefault(area.parent, set()).add(area.id)
    return _parse(
        SettingsFile(path),
        organization_ids={o.id for o in reference.organizations},
        area_ids={a.id for a in reference.areas},
        sub_areas=sub_areas,
    )


def parse_subscriptions(
    text: str, *, path: str, organization_ids: Iterable[str], area_ids: Iterable[str]
) -> Subscriptions:
    """Check subscriptions given as text (`path` names it in errors) against the ids given."""
    return _parse(
        SettingsFile(path, text), organization_ids=set(organization_ids), area_ids=set(area_ids)
    )


def _parse(
    settings: SettingsFile,
    *,
    organization_ids: set[str],
    area_ids: set[str],
    sub_areas: dict[str, set[str]] | None = None,
) -> Subscriptions:
    if settings.root is None:
        raise SettingsError(settings.path, None, None, "the file is empty")
    top = settings.mapping(settings.root, ("default", "recipients"))
    seen: dict[str, Node] = {}
    default = (
        tuple(_address(settings, node, seen) for node in settings.texts(top["default"]))
        if "default" in top
        else ()
    )
    subscribers = []
    recipients = settings.mapping(top.get("recipients"), _any_key(top.get("recipients")))
    for email, node in recipients.items():
        _address(settings, Node(email, node.line, node.field), seen)
        fields = settings.mapping(node, ("organizations", "areas"))
        organizations = _ids(
            settings, fields.get("organizations"), organization_ids, "organization"
        )
        areas = _ids(settings, fields.get("areas"), area_ids, "area")
        areas = areas.union(*((sub_areas or {}).get(area, set()) for area in areas))
        if not organizations and not areas:
            raise settings.error(node, "follows nothing: give organizations or areas (or both)")
        subscribers.append(Subscriber(email.strip(), organizations, areas))
    if not default and not subscribers:
        raise settings.error(settings.root, "no recipients: give default or recipients")
    return Subscriptions(default, tuple(subscribers))


def _any_key(node: Node | None) -> tuple[str, ...]:
    """Every key of a mapping node is allowed (recipient addresses are checked one by one)."""
    return tuple(node.value) if node is not None and isinstance(node.value, dict) else ()


def _address(settings: SettingsFile, node: Node, seen: dict[str, Node]) -> str:
    address = str(node.value).strip()
    if not _ADDRESS.match(address):
        raise settings.error(node, f"{address!r} is not an email address")
    key = address.casefold()
    if key in seen:
        raise settings.error(
            node,
            f"{address} is listed twice (also at line {seen[key].line}): it would get two digests",
        )
    seen[key] = node
    return address


def _ids(settings: SettingsFile, node: Node | None, known: set[str], what: str) -> frozenset[str]:
    if node is None:
        return frozenset()
    ids = []
    for item in settings.texts(node):
        value = settings.text(item)
        if value not in known:
            raise settings.error(item, f"unknown {what} id {value!r}")
        ids.append(value)
    return frozenset(ids)


def filter_diff(diff: EditionDiff, subscriber: Subscriber) -> EditionDiff | None:
    """The diff cut to what `subscriber` follows, or None when none of it changed."""
    events = tuple(event for event in diff.events if subscriber.follows(event))
    if not any(event.change != "unchanged" for event in events):
        return None
    return replace(
        diff,
        events=events,
        redlines=tuple(r for r in diff.redlines if r.organization in subscriber.organizations),
    )


def digests_for(diff: EditionDiff, subscriptions: Subscriptions) -> dict[str, EditionDiff]:
    """Per recipient the diff their digest renders: the whole diff for the default list,
    the cut for each subscriber; recipients with nothing to read are left out."""
    digests: dict[str, EditionDiff] = {}
    if diff.changed_events:
        digests.update(dict.fromkeys(subscriptions.default, diff))
    for subscriber in subscriptions.subscribers:
        cut = filter_diff(diff, subscriber)
        if cut is not None:
            digests[subscriber.email] = cut
    return digests


def plan_digests(diff: EditionDiff, subscriptions: Subscriptions) -> list[DigestPlan]:
    """The digests to queue: one per distinct diff, with all recipients who get it, in the
    order recipients are listed (default first)."""
    plans: dict[str, DigestPlan] = {}
    for recipient, cut in digests_for(diff, subscriptions).items():
        key = change_set_id(cut)
        plan = plans.get(key)
        recipients = (plan.recipients if plan else ()) + (recipient,)
        plans[key] = DigestPlan(recipients, cut, key)
    return list(plans.values())
