"""Reviewed reference data: organizations, UN entities, their aliases and cooperation areas.

The data lives in CSV/YAML files under extractors/enrich/reference/ (see its README); this module
loads and validates them, so a duplicate id or an alias claimed by two owners fails loudly
with the file and line instead of silently merging two organizations.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from common.errors import ReferenceDataError
from common.ready_made import ready_made
from common.yaml_data import load_yaml, safe_loader

REFERENCE_DIR = Path(__file__).with_name("reference")
LANGUAGES = ("fr", "en")
ORGANIZATION_KINDS = ("regional", "subregional", "other")

_APOSTROPHES = str.maketrans({"'": "’", "ʼ": "’", "‘": "’", "`": "’"})
_DASHES = str.maketrans({dash: "-" for dash in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"})


@dataclass(frozen=True)
class Organization:
    """A regional or other organization the reports have sections on or name."""

    id: str
    name_en: str
    name_fr: str
    kind: str
    region: str


@dataclass(frozen=True)
class UnEntity:
    """A UN system entity (agency, fund, programme, department, office or mission)."""

    id: str
    name_en: str
    name_fr: str


@dataclass(frozen=True)
class Alias:
    """Another name or acronym of an organization or UN entity, in one language."""

    owner_id: str
    alias: str
    language: str
    is_acronym: bool


@dataclass(frozen=True)
class Area:
    """A cooperation area with the phrases that reveal it, per language.

    `excludes_*` are longer phrases containing a trigger that mean something else; a
    sub-area names its broad `parent`, which its tags imply.
    """

    id: str
    name_en: str
    name_fr: str
    triggers_fr: tuple[str, ...]
    triggers_en: tuple[str, ...]
    excludes_fr: tuple[str, ...] = ()
    excludes_en: tuple[str, ...] = ()
    parent: str | None = None

    @property
    def level(self) -> str:
        """`area` for a broad area, `sub_area` for one of its sub-areas."""
        return "area" if self.parent is None else "sub_area"


@dataclass(frozen=True)
class OrganizationBody:
    """The name of an organization's (or UN entity's) own body, such as the AU Peace and
    Security Council: text inside it never tags an area, since naming the body says nothing
    of the topic. A body that `names_owner` (a mission, office or service acting for its
    owner: AUSSOM for the AU, EULEX for the EU) also counts as a mention of its owner."""

    owner_id: str
    name: str
    language: str
    names_owner: bool = False
    is_acronym: bool = False


@dataclass(frozen=True)
class TopicName:
    """A UN or other body whose name is its topic (the Counter-Terrorism Committee, the
    Peacebuilding Commission): unlike an organization's own name, naming it says what the
    paragraph is about, so the area triggers inside its name count. `area` is that topic."""

    owner_id: str
    area: str


@dataclass(frozen=True)
class ReferenceData:
    """Everything the matchers and the warehouse need to name things consistently.

    `organization_short_forms` ("la Commission", "le Forum") only count inside a
    section about their organization.
    """

    organizations: tuple[Organization, ...]
    organization_aliases: tuple[Alias, ...]
    un_entities: tuple[UnEntity, ...]
    un_entity_aliases: tuple[Alias, ...]
    areas: tuple[Area, ...]
    organization_short_forms: tuple[Alias, ...] = ()
    organization_bodies: tuple[OrganizationBody, ...] = ()
    topic_names: tuple[TopicName, ...] = ()


def alias_key(alias: str, is_acronym: bool) -> str:
    """The form two aliases are compared in: acronyms exactly, names ignoring case/variants."""
    text = unicodedata.normalize("NFC", alias).translate(_APOSTROPHES).translate(_DASHES)
    text = re.sub(r"\s*([’-])\s*", r"\1", " ".join(text.split()))
    return text if is_acronym else text.casefold()


def load_reference(directory: Path | None = None) -> ReferenceData:
    """Load and validate the reference files (the bundled ones unless `directory` is given)."""
    if directory is None:
        return _load_bundled()
    return _load(Path(directory))


@lru_cache(maxsize=1)
def _load_bundled() -> ReferenceData:
    """The bundled reference data, ready-made while its files and this module are unchanged
    (reading and checking them costs more than a short parse)."""
    sources = [*bundled_reference_files(), Path(__file__)]
    return ready_made("reference_data", sources, lambda: _load(REFERENCE_DIR))


def bundled_reference_files() -> list[Path]:
    """The bundled reference files, in a fixed order: what a value built from them (the
    reference data, a language's matcher) is kept ready-made against."""
    return sorted(REFERENCE_DIR.glob("*.csv")) + sorted(REFERENCE_DIR.glob("*.yaml"))


def _load(directory: Path) -> ReferenceData:
    organizations = tuple(
        Organization(
            id=row["id"],
            name_en=row["name_en"],
            name_fr=row["name_fr"],
            kind=_choice(row, "kind", ORGANIZATION_KINDS),
            region=row["region"],
        )
        for row in _read_csv(directory / "organizations.csv", ("id", "name_en", "name_fr"))
    )
    un_entities = tuple(
        UnEntity(id=row["id"], name_en=row["name_en"], name_fr=row["name_fr"])
        for row in _read_csv(directory / "un_entities.csv", ("id", "name_en", "name_fr"))
    )
    owners = _check_ids(directory, organizations, un_entities)
    organization_aliases = _read_aliases(directory / "organization_aliases.csv", owners)
    un_entity_aliases = _read_aliases(directory / "un_entity_aliases.csv", owners)
    short_forms_path = directory / "organization_short_forms.csv"
    short_forms = _read_aliases(short_forms_path, owners) if short_forms_path.exists() else ()
    bodies_path = directory / "organization_bodies.csv"
    bodies = _read_bodies(bodies_path, owners)
    # A body that names its owner is one more alias of it, checked like the others.
    body_aliases = [
        (Alias(body.owner_id, body.name, body.language, body.is_acronym), row)
        for body, row in bodies
        if body.names_owner
    ]
    _check_alias_claims(directory, organizations, un_entities, body_aliases)
    _check_short_forms(short_forms_path, organizations)
    areas = _read_areas(directory / "areas.yaml")
    organization_ids = {organization.id for organization in organizations}
    return ReferenceData(
        organizations=organizations,
        organization_aliases=tuple(alias for alias, _ in organization_aliases)
        + tuple(alias for alias, _ in body_aliases if alias.owner_id in organization_ids),
        un_entities=un_entities,
        un_entity_aliases=tuple(alias for alias, _ in un_entity_aliases)
        + tuple(alias for alias, _ in body_aliases if alias.owner_id not in organization_ids),
        areas=areas,
        organization_short_forms=tuple(alias for alias, _ in short_forms),
        organization_bodies=tuple(body for body, _ in bodies),
        topic_names=_read_topic_names(directory / "topic_names.csv", owners, areas),
    )


class _Row(dict[str, str]):
    """A CSV row that remembers its file and line for error messages."""

    path: Path
    line: int


def _read_csv(path: Path, required: tuple[str, ...]) -> list[_Row]:
    if not path.exists():
        raise ReferenceDataError(str(path), None, "file is missing")
    rows: list[_Row] = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        for record in reader:
            row = _Row({key: (value or "").strip() for key, value in record.items() if key})
            row.path, row.line = path, reader.line_num
            if None in record or any(not row.get(name) for name in required):
                raise ReferenceDataError(
                    str(path), row.line, f"expected non-empty {', '.join(required)}"
                )
            rows.append(row)
    return rows


def _choice(row: _Row, name: str, allowed: tuple[str, ...]) -> str:
    value = row.get(name, "")
    if value not in allowed:
        raise ReferenceDataError(
            str(row.path), row.line, f"{name} {value!r} is not one of {', '.join(allowed)}"
        )
    return value


def _check_ids(
    directory: Path, organizations: tuple[Organization, ...], un_entities: tuple[UnEntity, ...]
) -> set[str]:
    seen: dict[str, str] = {}
    for filename, items in (("organizations.csv", organizations), ("un_entities.csv", un_entities)):
        for line, item in enumerate(items, start=2):
            if item.id in seen:
                raise ReferenceDataError(
                    str(directory / filename),
                    _line_of(directory / filename, item.id, line),
                    f"duplicate id {item.id!r} (already defined in {seen[item.id]})",
                )
            seen[item.id] = filename
    return set(seen)


def _line_of(path: Path, first_field: str, fallback: int) -> int:
    """The line of the last row whose first field is `first_field` (the duplicate)."""
    found = fallback
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        for record in reader:
            if record and record[0].strip() == first_field:
                found = reader.line_num
    return found


def _read_aliases(path: Path, owners: set[str]) -> tuple[tuple[Alias, _Row], ...]:
    aliases = []
    for row in _read_csv(path, ("owner_id", "alias", "language", "is_acronym")):
        if row["owner_id"] not in owners:
            raise ReferenceDataError(str(path), row.line, f"unknown owner_id {row['owner_id']!r}")
        language = _choice(row, "language", LANGUAGES)
        flag = _choice(row, "is_acronym", ("true", "false"))
        aliases.append((Alias(row["owner_id"], row["alias"], language, flag == "true"), row))
    return tuple(aliases)


def _check_alias_claims(
    directory: Path,
    organizations: tuple[Organization, ...],
    un_entities: tuple[UnEntity, ...],
    body_aliases: list[tuple[Alias, _Row]],
) -> None:
    """Fail when one name or acronym is claimed by two owners in the same language (bodies
    that name their owner included)."""
    claims: dict[tuple[str, str], tuple[str, str]] = {}

    def claim(owner: str, alias: str, language: str, acronym: bool, where: str, line: int) -> None:
        key = (language, alias_key(alias, acronym))
        previous = claims.get(key)
        if previous is not None and previous[0] != owner:
            raise ReferenceDataError(
                where,
                line,
                f"{language} alias {alias!r} of {owner} is already claimed by "
                f"{previous[0]} ({previous[1]})",
            )
        claims.setdefault(key, (owner, f"{where}:{line}"))

    for filename, items in (("organizations.csv", organizations), ("un_entities.csv", un_entities)):
        for line, item in enumerate(items, start=2):
            where = str(directory / filename)
            claim(item.id, item.name_fr, "fr", False, where, line)
            claim(item.id, item.name_en, "en", False, where, line)
    for filename in ("organization_aliases.csv", "un_entity_aliases.csv"):
        path = directory / filename
        for row in _read_csv(path, ("owner_id", "alias", "language", "is_acronym")):
            acronym = row["is_acronym"] == "true"
            claim(row["owner_id"], row["alias"], row["language"], acronym, str(path), row.line)
    for alias, row in body_aliases:
        claim(
            alias.owner_id, alias.alias, alias.language, alias.is_acronym, str(row.path), row.line
        )


def _check_short_forms(path: Path, organizations: tuple[Organization, ...]) -> None:
    if not path.exists():
        return
    ids = {organization.id for organization in organizations}
    for row in _read_csv(path, ("owner_id", "alias", "language", "is_acronym")):
        if row["owner_id"] not in ids:
            raise ReferenceDataError(
                str(path), row.line, f"short form owner {row['owner_id']!r} is not an organization"
            )


def _flag(row: _Row, name: str) -> bool:
    """An optional true/false column, false when left empty."""
    if not row.get(name):
        return False
    return _choice(row, name, ("true", "false")) == "true"


def _read_bodies(path: Path, owners: set[str]) -> tuple[tuple[OrganizationBody, _Row], ...]:
    """The bodies with their rows; `names_owner` and `is_acronym` are optional (false)."""
    if not path.exists():
        return ()
    bodies = []
    for row in _read_csv(path, ("owner_id", "name", "language")):
        if row["owner_id"] not in owners:
            raise ReferenceDataError(str(path), row.line, f"unknown owner_id {row['owner_id']!r}")
        language = _choice(row, "language", LANGUAGES)
        body = OrganizationBody(
            row["owner_id"],
            row["name"],
            language,
            names_owner=_flag(row, "names_owner"),
            is_acronym=_flag(row, "is_acronym"),
        )
        bodies.append((body, row))
    return tuple(bodies)


def _read_topic_names(
    path: Path, owners: set[str], areas: tuple[Area, ...]
) -> tuple[TopicName, ...]:
    if not path.exists():
        return ()
    known_areas = {area.id for area in areas}
    names = []
    for row in _read_csv(path, ("owner_id", "area")):
        if row["owner_id"] not in owners:
            raise ReferenceDataError(str(path), row.line, f"unknown owner_id {row['owner_id']!r}")
        if row["area"] not in known_areas:
            raise ReferenceDataError(str(path), row.line, f"unknown area {row['area']!r}")
        names.append(TopicName(row["owner_id"], row["area"]))
    return tuple(names)


def _read_areas(path: Path) -> tuple[Area, ...]:
    import yaml  # the areas' lines are read from PyYAML's nodes

    if not path.exists():
        raise ReferenceDataError(str(path), None, "file is missing")
    text = path.read_text(encoding="utf-8")
    # libyaml's loader where built (the pure-Python one took half of a short parse's time).
    try:
        document = yaml.compose(text, Loader=safe_loader())
        values = load_yaml(text)
    except yaml.YAMLError as error:
        raise ReferenceDataError(str(path), None, f"invalid YAML: {error}") from error
    if document is None or not isinstance(document, yaml.SequenceNode):
        raise ReferenceDataError(str(path), None, "expected a list of areas")
    areas: list[Area] = []
    lines: dict[str, int] = {}
    seen: set[str] = set()
    for node, raw in zip(document.value, values, strict=True):
        line = node.start_mark.line + 1
        if not isinstance(raw, dict) or not raw.get("id"):
            raise ReferenceDataError(str(path), line, "an area needs an id and triggers_fr")
        lines[str(raw["id"])] = line
        if raw["id"] in seen:
            raise ReferenceDataError(str(path), line, f"duplicate area id {raw['id']!r}")
        seen.add(raw["id"])
        areas.append(
            Area(
                id=str(raw["id"]),
                name_en=str(raw.get("name_en", "")),
                name_fr=str(raw.get("name_fr", "")),
                triggers_fr=_phrases(raw, "triggers_fr", path, line),
                triggers_en=_phrases(raw, "triggers_en", path, line),
                excludes_fr=_phrases(raw, "excludes_fr", path, line),
                excludes_en=_phrases(raw, "excludes_en", path, line),
                parent=str(raw["parent"]) if raw.get("parent") else None,
            )
        )
    _check_area_levels(path, areas, lines)
    return tuple(areas)


def _check_area_levels(path: Path, areas: list[Area], lines: dict[str, int]) -> None:
    """Two levels only: a parent is a known broad area; an area without triggers of its own
    is a broad area with sub-areas."""
    by_id = {area.id: area for area in areas}
    parents = {area.parent for area in areas if area.parent}
    for area in areas:
        line = lines[area.id]
        if area.parent is not None:
            parent = by_id.get(area.parent)
            if parent is None or parent.parent is not None:
                raise ReferenceDataError(
                    str(path), line, f"parent {area.parent!r} of {area.id!r} is not a broad area"
                )
        if not area.triggers_fr and area.id not in parents:
            raise ReferenceDataError(str(path), line, "an area needs an id and triggers_fr")


def _phrases(raw: dict[str, Any], name: str, path: Path, line: int) -> tuple[str, ...]:
    values = raw.get(name) or []
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise ReferenceDataError(str(path), line, f"{name} must be a list of phrases")
    return tuple(value.strip() for value in values)
