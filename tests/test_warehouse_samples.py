"""Small hand-built editions, reference data and diffs for the warehouse tests.

Two editions laid out like the real ones (an AU section that grows, a CPLP section that
vanishes, an OECD section that appears, a joint OPCW/CTBTO chapter), every field of the
model filled, so a round trip through the warehouse exercises every column.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import duckdb

from extractors.model import AreaTag, Chapter, DroppedBlock, Paragraph, Report, Section
from warehouse.diff.change_events import ChangeEvent, EditionDiff, Redline

OLD = "A/73/328"
NEW = "A/77/277"


@dataclass(frozen=True)
class _Organization:
    id: str
    name_en: str
    name_fr: str
    kind: str
    region: str


@dataclass(frozen=True)
class _Entity:
    id: str
    name_en: str
    name_fr: str


@dataclass(frozen=True)
class _Alias:
    owner_id: str
    alias: str
    language: str
    is_acronym: bool


@dataclass(frozen=True)
class _Area:
    id: str
    name_en: str
    name_fr: str
    triggers_fr: tuple[str, ...]
    triggers_en: tuple[str, ...]
    parent: str | None = None


@dataclass(frozen=True)
class SampleReference:
    """Shaped like extractors.enrich.reference_data.ReferenceData (the fields the warehouse reads)."""

    organizations: tuple[_Organization, ...]
    organization_aliases: tuple[_Alias, ...]
    un_entities: tuple[_Entity, ...]
    un_entity_aliases: tuple[_Alias, ...]
    areas: tuple[_Area, ...]


def sample_reference() -> SampleReference:
    """Five organizations, two UN entities, two areas, a few aliases."""
    return SampleReference(
        organizations=(
            _Organization("AU", "African Union", "Union africaine", "regional", "Africa"),
            _Organization(
                "CPLP",
                "Community of Portuguese-speaking Countries",
                "Communauté des pays de langue portugaise",
                "other",
                "",
            ),
            _Organization(
                "OECD",
                "Organisation for Economic Co-operation and Development",
                "Organisation de coopération et de développement économiques",
                "other",
                "",
            ),
            _Organization(
                "OPCW",
                "Organisation for the Prohibition of Chemical Weapons",
                "Organisation pour l'interdiction des armes chimiques",
                "other",
                "",
            ),
            _Organization(
                "CTBTO",
                "CTBTO Preparatory Commission",
                "Commission préparatoire de l'OTICE",
                "other",
                "",
            ),
        ),
        organization_aliases=(
            _Alias("AU", "UA", "fr", True),
            _Alias("AU", "AU", "en", True),
            _Alias("OECD", "OCDE", "fr", True),
        ),
        un_entities=(
            _Entity(
                "UNDP",
                "United Nations Development Programme",
                "Programme des Nations Unies pour le développement",
            ),
            _Entity(
                "DPPA",
                "Department of Political and Peacebuilding Affairs",
                "Département des affaires politiques et de la consolidation de la paix",
            ),
        ),
        un_entity_aliases=(_Alias("UNDP", "PNUD", "fr", True),),
        areas=(
            _Area(
                "peace_security",
                "Peace and security",
                "Paix et sécurité",
                ("paix", "sécurité"),
                ("peace", "security"),
            ),
            _Area("health", "Health", "Santé", ("santé",), ("health",)),
        ),
    )


def _paragraph(
    number: int,
    section: int | None,
    chapter: str,
    text: str,
    tags: tuple[tuple[str, str], ...] = (),
    **named: tuple,
) -> Paragraph:
    """A paragraph; `tags` are (area id, phrase) pairs, located in the text like the matcher."""
    areas = tuple(AreaTag(area, phrase, text.index(phrase)) for area, phrase in tags)
    return Paragraph(
        number=number,
        text=text,
        section_index=section,
        chapter=chapter,
        page=1 + number // 3,
        areas=areas,
        **named,
    )


def _section(
    index: int,
    chapter: str,
    heading: str,
    paragraphs: list[Paragraph],
    organization: str | None,
    organizations: tuple[str, ...] = (),
) -> Section:
    own = [p for p in paragraphs if p.section_index == index]
    return Section(
        chapter=chapter,
        heading=heading,
        first_paragraph=own[0].number if own else None,
        last_paragraph=own[-1].number if own else None,
        paragraph_count=len(own),
        word_count=sum(p.word_count for p in own),
        organization=organization,
        organizations=organizations,
        unregistered=organization is None and not organizations,
    )


def old_edition(parser_version: str = "report-1.0") -> Report:
    """The 2018-like edition: AU (2 paragraphs), CPLP (2), OPCW/CTBTO chapter (1), intro (1)."""
    paragraphs = [
        _paragraph(
            1,
            None,
            "I",
            "Le présent rapport est soumis en application de la résolution 71/17.",
            citations=("A/RES/71/17",),
        ),
        _paragraph(
            2,
            0,
            "II",
            "L'ONU et l'Union africaine ont oeuvré pour la paix au Soudan.",
            organizations=("AU",),
            un_entities=("DPPA",),
            tags=(("peace_security", "paix"),),
            links=("https://undocs.org/fr/S/RES/2378(2017)",),
            citations=("S/RES/2378(2017)",),
        ),
        _paragraph(
            3,
            0,
            "II",
            "Le PNUD a appuyé la Commission de l'Union africaine.",
            organizations=("AU",),
            un_entities=("UNDP",),
        ),
        _paragraph(
            4,
            1,
            "II",
            "La Communauté des pays de langue portugaise a tenu un sommet.",
            organizations=("CPLP",),
        ),
        _paragraph(
            5,
            1,
            "II",
            "La CPLP et le PNUD ont coopéré dans le domaine de la santé.",
            organizations=("CPLP",),
            un_entities=("UNDP",),
            tags=(("health", "santé"),),
        ),
        _paragraph(
            6,
            2,
            "III",
            "L'OIAC et l'OTICE ont renforcé leur coopération avec l'ONU.",
            organizations=("OPCW", "CTBTO"),
        ),
    ]
    sections = [
        _section(0, "II", "Union africaine", paragraphs, "AU"),
        _section(1, "II", "Communauté des pays de langue portugaise", paragraphs, "CPLP"),
        _section(
            2,
            "III",
            "OIAC et Commission préparatoire de l'OTICE",
            paragraphs,
            None,
            ("OPCW", "CTBTO"),
        ),
    ]
    return Report(
        symbols=(OLD, "S/2018/592"),
        language="fr",
        date="2018-08-17",
        title="Coopération entre l'Organisation des Nations Unies et les organisations "
        "régionales ou autres",
        previous_report=("A/71/160", "S/2016/621"),
        chapters=(
            Chapter("I", "Introduction"),
            Chapter("II", "Coopération régionale"),
            Chapter("III", "Autres organisations"),
        ),
        sections=tuple(sections),
        paragraphs=tuple(paragraphs),
        parser_version=parser_version,
        citations=("A/71/160", "A/RES/71/17"),
        warnings=("numbering gap after 6",),
        blocks_in=9,
        dropped=(
            DroppedBlock("A/73/328", "running header", 2),
            DroppedBlock("18-13617", "job number", None),
        ),
    )


def new_edition(parser_version: str = "report-1.0") -> Report:
    """The 2022-like edition: AU grows to 3 paragraphs, OECD appears, CPLP and the chapter go."""
    paragraphs = [
        _paragraph(
            1,
            None,
            "I",
            "Le présent rapport fait suite au rapport A/75/345.",
            citations=("A/75/345",),
        ),
        _paragraph(
            2,
            0,
            "II",
            "L'Union africaine et l'ONU ont tenu leur conférence annuelle.",
            organizations=("AU",),
            un_entities=("DPPA",),
        ),
        _paragraph(
            3,
            0,
            "II",
            "Le Conseil de paix et de sécurité de l'Union africaine s'est réuni.",
            organizations=("AU",),
            tags=(("peace_security", "paix"), ("peace_security", "sécurité")),
        ),
        _paragraph(
            4,
            0,
            "II",
            "Le PNUD a aidé l'Union africaine dans le domaine de la santé.",
            organizations=("AU",),
            un_entities=("UNDP",),
            tags=(("health", "santé"),),
        ),
        _paragraph(
            5,
            1,
            "II",
            "L'OCDE et l'ONU ont publié des statistiques communes.",
            organizations=("OECD",),
            un_entities=("UNDP",),
        ),
    ]
    sections = [
        _section(0, "II", "Union africaine", paragraphs, "AU"),
        _section(
            1,
            "II",
            "Organisation de coopération et de développement économiques",
            paragraphs,
            "OECD",
        ),
    ]
    return Report(
        symbols=(NEW, "S/2022/606"),
        language="fr",
        date=None,
        title="Coopération entre l'Organisation des Nations Unies et les organisations "
        "régionales ou autres",
        previous_report=("A/75/345", "S/2020/898"),
        chapters=(Chapter("I", "Introduction"), Chapter("II", "Coopération régionale")),
        sections=tuple(sections),
        paragraphs=tuple(paragraphs),
        parser_version=parser_version,
        citations=("A/75/345",),
        blocks_in=5,
    )


def sample_diff() -> EditionDiff:
    """A diff between the two sample editions with every field of ChangeEvent used."""
    return EditionDiff(
        old=OLD,
        new=NEW,
        events=(
            ChangeEvent(
                "organization",
                "AU",
                "grew",
                2,
                3,
                23,
                33,
                (2, 3),
                (2, 3, 4),
                name="Union africaine",
            ),
            ChangeEvent(
                "organization",
                "CPLP",
                "vanished",
                2,
                0,
                20,
                0,
                (4, 5),
                (),
                name="Communauté des pays de langue portugaise",
                uncertain=True,
            ),
            ChangeEvent("organization", "OECD", "appeared", 0, 1, 0, 9, (), (5,), name="OCDE"),
            ChangeEvent("organization", "X", "unchanged", 1, 1, 5, 5, (9,), (9,)),
            ChangeEvent(
                "citation",
                "A/75/345",
                "added",
                None,
                None,
                None,
                None,
                (),
                (1,),
                detail="Rapport du Secrétaire général",
                reissue=True,
            ),
        ),
        uncertain=False,
        uncertain_reasons=("numbering gap after 6",),
        redlines=(
            Redline("AU", added=("Le Conseil de paix s'est réuni.",), removed=("Au Soudan.",)),
            Redline("OPCW", moved=("Coopération renforcée.",)),
        ),
    )


def table_contents(con: duckdb.DuckDBPyConnection, skip: tuple[str, ...] = ()) -> dict[str, list]:
    """Every table's rows, sorted, without the columns that record wall-clock time."""
    clock = {
        "applied_at",
        "stored_at",
        "detected_at",
        "fetched_at",
        "created_at",
        "sent_at",
        "started_at",
        "finished_at",
    }
    contents: dict[str, list] = {}
    tables = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND NOT internal "
        "ORDER BY table_name"
    ).fetchall()
    for (table,) in tables:
        if table in skip:
            continue
        columns = [
            name
            for (name,) in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = ? "
                "ORDER BY column_index",
                [table],
            ).fetchall()
            if name not in clock
        ]
        rows = con.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
        contents[table] = sorted(rows, key=repr)
    return contents


def test_samples_have_the_shape_the_warehouse_tests_rely_on() -> None:
    def counts(report: Report) -> dict[str, int]:
        return {
            (s.organization or "+".join(s.organizations)): s.paragraph_count
            for s in report.sections
        }

    assert counts(old_edition()) == {"AU": 2, "CPLP": 2, "OPCW+CTBTO": 1}
    assert counts(new_edition()) == {"AU": 3, "OECD": 1}
    assert sum(len(p.areas) for p in new_edition().paragraphs) == 3


def reissued(report: Report, text: str) -> Report:
    """`report` with its last paragraph's text replaced (a reissue that changes content)."""
    last = report.paragraphs[-1]
    return replace(report, paragraphs=(*report.paragraphs[:-1], replace(last, text=text)))


def file_bytes(path: Path) -> bytes:
    """The bytes of a file, for byte-for-byte comparisons."""
    return Path(path).read_bytes()
