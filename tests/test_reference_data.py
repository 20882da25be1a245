"""Tests for loading and validating the reference files (extractors/enrich/reference_data.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from common.errors import ReferenceDataError
from extractors.enrich.reference_data import REFERENCE_DIR, Alias, load_reference


@pytest.fixture
def reference_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled reference files."""
    target = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, target, ignore=shutil.ignore_patterns("*.md"))
    return target


def _append(path: Path, line: str) -> int:
    """Append a CSV line and return its line number."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text + line + "\n", encoding="utf-8")
    return text.count("\n") + 1


def test_bundled_reference_loads_with_every_section_organization() -> None:
    reference = load_reference()
    ids = {organization.id for organization in reference.organizations}
    assert {
        "AU", "AALCO", "ASEAN", "BSEC", "CARICOM", "CEI", "CSTO", "CIS", "CPLP", "COE", "ECCAS",
        "ECO", "INTERPOL", "IFAS", "IOM", "OIF", "SELA", "LAS", "GUAM", "OECD", "OSCE", "OAS",
        "OIC", "PIF", "SCO", "OPCW", "CTBTO", "EU", "IGAD", "ECOWAS", "SADC",
    } <= ids  # fmt: skip
    assert {o.kind for o in reference.organizations} <= {"regional", "subregional", "other"}
    broad = {area.id for area in reference.areas if area.parent is None}
    subs = [area for area in reference.areas if area.parent is not None]
    assert len(broad) == 4 and len(subs) >= 21
    assert {area.parent for area in subs} == broad
    assert all(area.triggers_fr and area.triggers_en for area in subs)


def test_bundled_reference_is_cached() -> None:
    assert load_reference() is load_reference()


def test_acronyms_are_language_specific() -> None:
    reference = load_reference()
    aliases = reference.organization_aliases + reference.un_entity_aliases
    assert Alias("CIS", "CEI", "fr", True) in aliases
    assert Alias("CEI", "CEI", "en", True) in aliases
    assert Alias("ECE", "CEE", "fr", True) in reference.un_entity_aliases


def test_every_alias_owner_exists() -> None:
    reference = load_reference()
    organizations = {o.id for o in reference.organizations}
    entities = {e.id for e in reference.un_entities}
    assert {a.owner_id for a in reference.organization_aliases} <= organizations
    assert {a.owner_id for a in reference.un_entity_aliases} <= entities
    assert {a.owner_id for a in reference.organization_short_forms} <= organizations


def test_duplicate_organization_id_fails_naming_file_and_line(reference_copy: Path) -> None:
    path = reference_copy / "organizations.csv"
    line = _append(path, "AU,Another Union,Une autre union,regional,Africa")
    with pytest.raises(ReferenceDataError, match="duplicate id 'AU'") as raised:
        load_reference(reference_copy)
    assert raised.value.path == str(path)
    assert raised.value.line == line


def test_id_shared_by_organization_and_un_entity_fails(reference_copy: Path) -> None:
    _append(reference_copy / "un_entities.csv", "OSCE,Some UN Office,Un bureau de l'ONU")
    with pytest.raises(ReferenceDataError, match="duplicate id 'OSCE'"):
        load_reference(reference_copy)


def test_alias_claimed_by_two_organizations_fails(reference_copy: Path) -> None:
    path = reference_copy / "organization_aliases.csv"
    line = _append(path, "EU,UA,fr,true")
    with pytest.raises(ReferenceDataError, match="'UA' of EU is already claimed by AU") as raised:
        load_reference(reference_copy)
    assert raised.value.path == str(path)
    assert raised.value.line == line
    assert f"{path}:{line}" in str(raised.value)


def test_name_variant_claimed_by_two_owners_fails_ignoring_case_and_apostrophes(
    reference_copy: Path,
) -> None:
    _append(reference_copy / "organization_aliases.csv", "EU,union  Africaine,fr,false")
    with pytest.raises(ReferenceDataError, match="already claimed by AU"):
        load_reference(reference_copy)


def test_acronym_shared_across_organization_and_un_entity_fails(reference_copy: Path) -> None:
    _append(reference_copy / "un_entity_aliases.csv", "UNDP,OEA,fr,true")
    with pytest.raises(ReferenceDataError, match="already claimed by OAS"):
        load_reference(reference_copy)


def test_same_acronym_in_two_languages_is_allowed(reference_copy: Path) -> None:
    _append(reference_copy / "organization_aliases.csv", "OSCE,CEI-X,en,true")
    _append(reference_copy / "organization_aliases.csv", "CIS,CEI-X,fr,true")
    reference = load_reference(reference_copy)
    assert Alias("OSCE", "CEI-X", "en", True) in reference.organization_aliases


def test_alias_of_unknown_owner_fails(reference_copy: Path) -> None:
    _append(reference_copy / "organization_aliases.csv", "NOPE,XYZ,fr,true")
    with pytest.raises(ReferenceDataError, match="unknown owner_id 'NOPE'"):
        load_reference(reference_copy)


def test_bad_language_and_kind_fail(reference_copy: Path) -> None:
    _append(reference_copy / "organization_aliases.csv", "AU,AfU,de,true")
    with pytest.raises(ReferenceDataError, match="language 'de'"):
        load_reference(reference_copy)


def test_bad_organization_kind_fails(reference_copy: Path) -> None:
    _append(reference_copy / "organizations.csv", "NEW,New Org,Nouvelle org,global,World")
    with pytest.raises(ReferenceDataError, match="kind 'global'"):
        load_reference(reference_copy)


def test_duplicate_area_id_fails_with_line(reference_copy: Path) -> None:
    path = reference_copy / "areas.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text + "\n- id: health\n  name_en: Again\n  name_fr: Encore\n  triggers_fr: [santé]\n",
        encoding="utf-8",
    )
    with pytest.raises(ReferenceDataError, match="duplicate area id 'health'") as raised:
        load_reference(reference_copy)
    assert raised.value.line == text.count("\n") + 2


def test_missing_file_fails(reference_copy: Path) -> None:
    (reference_copy / "un_entities.csv").unlink()
    with pytest.raises(ReferenceDataError, match="file is missing"):
        load_reference(reference_copy)


def test_an_area_whose_parent_is_not_a_broad_area_is_refused(reference_copy: Path) -> None:
    path = reference_copy / "areas.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text + "\n- id: ocean\n  parent: health\n  triggers_fr: [océan]\n  triggers_en: [ocean]\n",
        encoding="utf-8",
    )
    with pytest.raises(ReferenceDataError, match="parent 'health' of 'ocean' is not a broad area"):
        load_reference(reference_copy)


def test_a_body_of_an_unknown_owner_is_refused(reference_copy: Path) -> None:
    path = reference_copy / "organization_bodies.csv"
    with path.open("a", encoding="utf-8") as handle:
        handle.write("NOPE,Conseil de la paix,fr\n")
    with pytest.raises(ReferenceDataError, match="unknown owner_id 'NOPE'") as raised:
        load_reference(reference_copy)
    assert str(path) in str(raised.value)


def test_body_that_names_its_owner_is_an_alias_and_others_only_mask(reference_copy: Path) -> None:
    reference = load_reference(reference_copy)
    assert Alias("AU", "AUSSOM", "en", True) in reference.organization_aliases
    assert Alias("WFP", "UNHAS", "en", True) in reference.un_entity_aliases
    masking_only = [
        b for b in reference.organization_bodies if b.name == "Peace and Security Council"
    ]
    assert masking_only and not masking_only[0].names_owner
    assert not any(a.alias == "Peace and Security Council" for a in reference.organization_aliases)


def test_body_naming_an_owner_already_claimed_fails(reference_copy: Path) -> None:
    line = _append(reference_copy / "organization_bodies.csv", "EU,AUSSOM,en,true,true")
    with pytest.raises(ReferenceDataError, match=rf"organization_bodies.csv:{line}.*claimed by AU"):
        load_reference(reference_copy)


def test_body_flag_must_be_true_or_false(reference_copy: Path) -> None:
    _append(reference_copy / "organization_bodies.csv", "EU,EUMM,en,yes,true")
    with pytest.raises(ReferenceDataError, match="names_owner 'yes'"):
        load_reference(reference_copy)
