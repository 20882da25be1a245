"""Discovery of new editions against the Digital Library stand-in, and the editions list."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from defusedxml import DTDForbidden

from common.errors import CorruptDocument
from extractors.fetch.http_client import PoliteClient
from extractors.fetch.library_discovery import (
    CHALLENGE_MESSAGE,
    discover_editions,
    is_companion_record,
    is_edition_record,
    parse_marcxml,
)
from extractors.report.editions import (
    add_edition,
    load_companions,
    load_editions,
    series_titles,
    year_of,
)
from tests.test_http import test_config
from tests.unserver import ENTITY_ATTACK, LibraryRecord, UNServer, marcxml

TITLE = "Cooperation between the United Nations and regional and other organizations"
KNOWN = [edition.symbol for edition in load_editions()]

# Laid out like a real Library answer: a comment, ns0-prefixed records, joint symbol in two
# 191 fields, 245 split over $a/$b, mojibake language labels in 856 $y.
MARC_FIXTURE = b"""<?xml version="1.0" encoding="UTF-8"?>
<!-- Search-Engine-Total-Number-Of-Results: 2 -->
<collection xmlns="http://www.loc.gov/MARC21/slim">
<ns0:record xmlns:ns0="http://www.loc.gov/MARC21/slim">
  <ns0:controlfield tag="001">4059123</ns0:controlfield>
  <ns0:datafield tag="191" ind1=" " ind2=" "><ns0:subfield code="a">A/79/302</ns0:subfield>
  <ns0:subfield code="c">79</ns0:subfield></ns0:datafield>
  <ns0:datafield tag="191" ind1=" " ind2=" "><ns0:subfield code="a">S/2024/600</ns0:subfield>
  </ns0:datafield>
  <ns0:datafield tag="245" ind1="1" ind2="0">
    <ns0:subfield code="a">Cooperation between the United Nations and regional and other
    organizations :</ns0:subfield>
    <ns0:subfield code="b">report of the Secretary-General</ns0:subfield></ns0:datafield>
  <ns0:datafield tag="269" ind1=" " ind2=" "><ns0:subfield code="a">2024-08-05</ns0:subfield>
  </ns0:datafield>
  <ns0:datafield tag="856" ind1="4" ind2=" "><ns0:subfield code="y">Fran\xc3\x83\xc2\xa7ais</ns0:subfield>
  <ns0:subfield code="u">https://digitallibrary.un.org/record/4059123/files/A_79_302-FR.pdf</ns0:subfield>
  </ns0:datafield>
</ns0:record>
<ns0:record xmlns:ns0="http://www.loc.gov/MARC21/slim">
  <ns0:controlfield tag="001">4026910</ns0:controlfield>
  <ns0:datafield tag="191" ind1=" " ind2=" "><ns0:subfield code="a">A/RES/79/10</ns0:subfield>
  </ns0:datafield>
  <ns0:datafield tag="245" ind1="1" ind2="0"><ns0:subfield code="a">Cooperation between the
  United Nations and the Collective Security Treaty Organization :</ns0:subfield>
  <ns0:subfield code="b">resolution /</ns0:subfield></ns0:datafield>
</ns0:record>
</collection>
"""


@pytest.fixture
def server() -> Iterator[UNServer]:
    with UNServer() as running:
        for record_id, symbol, year in [
            (1, "A/77/277-S/2022/606", 2022),
            (2, "A/79/302-S/2024/600", 2024),
            (3, "A/81/312-S/2026/640", 2026),
        ]:
            running.add_record(
                LibraryRecord(
                    record_id,
                    symbol,
                    f"{TITLE} : report of the Secretary-General",
                    f"{year}-08-05",
                    (f"{running.base_url}/record/{record_id}/files/report-EN.pdf",),
                )
            )
        running.add_record(
            LibraryRecord(4, "A/RES/79/10", f"{TITLE}: cooperation with the CSTO", "2024-11-18")
        )
        running.add_record(LibraryRecord(5, "A/81/400", "Report on something else", "2026-09-01"))
        yield running


@pytest.fixture
def client(server: UNServer) -> Iterator[PoliteClient]:
    with PoliteClient(test_config(server.base_url)) as polite:
        yield polite


def test_parse_marcxml_reads_real_layout() -> None:
    edition, resolution = parse_marcxml(MARC_FIXTURE)
    assert edition.record_id == "4059123"
    assert edition.symbol == "A/79/302-S/2024/600"
    assert edition.title == f"{TITLE} : report of the Secretary-General"
    assert edition.date == "2024-08-05"
    assert edition.files[0].url.endswith("A_79_302-FR.pdf")
    assert is_edition_record(edition, [TITLE])
    assert resolution.symbol == "A/RES/79/10" and not is_edition_record(resolution, [TITLE])


# Laid out like the real Third Committee drafts answer: 191 $a/$b/$c, a revised draft.
DRAFT_RECORD = b"""<collection xmlns="http://www.loc.gov/MARC21/slim">
<ns0:record xmlns:ns0="http://www.loc.gov/MARC21/slim">
  <ns0:controlfield tag="001">4100001</ns0:controlfield>
  <ns0:datafield tag="191" ind1=" " ind2=" "><ns0:subfield code="a">A/C.3/80/L.12/Rev.1</ns0:subfield>
  <ns0:subfield code="b">A/</ns0:subfield><ns0:subfield code="c">80</ns0:subfield></ns0:datafield>
  <ns0:datafield tag="245" ind1="1" ind2="0"><ns0:subfield code="a">Rights of the child :</ns0:subfield>
  <ns0:subfield code="b">revised draft resolution /</ns0:subfield></ns0:datafield>
</ns0:record>
<ns0:record xmlns:ns0="http://www.loc.gov/MARC21/slim">
  <ns0:controlfield tag="001">4100002</ns0:controlfield>
  <ns0:datafield tag="191" ind1=" " ind2=" "><ns0:subfield code="a">A/ES-11/L.7</ns0:subfield>
  </ns0:datafield>
</ns0:record>
<ns0:record xmlns:ns0="http://www.loc.gov/MARC21/slim">
  <ns0:controlfield tag="001">4100003</ns0:controlfield>
  <ns0:datafield tag="191" ind1=" " ind2=" "><ns0:subfield code="a">AA/80/481/Add.2</ns0:subfield>
  </ns0:datafield>
</ns0:record>
</collection>
"""


def test_parse_marcxml_reads_committee_drafts_and_sessions() -> None:
    draft, emergency, typo = parse_marcxml(DRAFT_RECORD)
    assert draft.symbol == "A/C.3/80/L.12/Rev.1"
    assert draft.title == "Rights of the child : revised draft resolution"
    assert emergency.symbol == "A/ES-11/L.7"
    assert typo.record_id == "4100003" and typo.symbol is None
    assert not is_edition_record(draft, ["Rights of the child"])


def test_corrigendum_record_belongs_to_its_edition(client, server) -> None:
    server.add_record(
        LibraryRecord(
            6,
            "A/77/277/Corr.1-S/2022/606/Corr.1",
            f"{TITLE} : report of the Secretary-General : corrigendum",
            "2022-09-20",
        )
    )
    result = discover_editions(client, server.base_url, titles=[TITLE], known=KNOWN)
    assert result.new_symbols == ("A/81/312-S/2026/640",)
    assert result.companions == ("A/77/277/Corr.1-S/2022/606/Corr.1",)
    (record,) = [r for r in parse_marcxml(marcxml(server.library)) if r.record_id == "6"]
    assert is_companion_record(record, [TITLE]) and not is_edition_record(record, [TITLE])


def test_parse_marcxml_refuses_entity_attack_before_expanding_it() -> None:
    # Refused at its DTD, before any entity is declared, let alone expanded or fetched.
    with pytest.raises(CorruptDocument, match="unsafe or malformed XML") as refused:
        parse_marcxml(ENTITY_ATTACK)
    assert isinstance(refused.value.__cause__, DTDForbidden)


def test_public_search_finds_only_the_new_edition(client, server) -> None:
    result = discover_editions(client, server.base_url, titles=[TITLE], known=KNOWN)
    assert result.new_symbols == ("A/81/312-S/2026/640",)
    assert not result.unavailable and result.messages == ()
    (request,) = server.requests_to("/search")
    assert request.query["of"] == ["xm"]


def test_keyed_api_pages_by_search_id_with_token(client, server) -> None:
    server.api_key = "s3cret"
    result = discover_editions(
        client, server.base_url, titles=[TITLE], known=KNOWN, api_key="s3cret"
    )
    assert result.new_symbols == ("A/81/312-S/2026/640",)
    requests = server.requests_to("/api/v1/search")
    assert all(entry.headers["authorization"] == "Token s3cret" for entry in requests)
    assert [entry.query.get("search_id") for entry in requests] == [
        None,
        ["search-1"],
        ["search-1"],
    ]


def test_keyed_api_with_wrong_key_is_unavailable(client, server) -> None:
    server.api_key = "right"
    result = discover_editions(client, server.base_url, titles=[TITLE], known=KNOWN, api_key="x")
    assert result.unavailable and "HTTP 401" in result.messages[0]


def test_oai_pmh_lists_records_since_a_date(client, server) -> None:
    result = discover_editions(
        client, server.base_url, titles=[TITLE], known=KNOWN, since="2026-01-01"
    )
    assert result.new_symbols == ("A/81/312-S/2026/640",)
    (request,) = server.requests_to("/oai2d")
    assert request.query == {
        "verb": ["ListRecords"],
        "metadataPrefix": ["marcxml"],
        "from": ["2026-01-01"],
    }


@pytest.mark.parametrize("api_key", [None, "s3cret"])
def test_waf_challenge_is_reported_once_without_retry(client, server, api_key) -> None:
    server.library_behaviour = "challenge"
    server.api_key = api_key
    result = discover_editions(
        client, server.base_url, titles=[TITLE], known=KNOWN, api_key=api_key
    )
    assert result.unavailable and result.new_symbols == ()
    assert len(result.messages) == 1 and result.messages[0].startswith(CHALLENGE_MESSAGE)
    assert len(server.log) == 1


def test_entity_attack_answer_makes_discovery_unavailable(client, server) -> None:
    server.library_behaviour = "entity_attack"
    result = discover_editions(client, server.base_url, titles=[TITLE], known=KNOWN)
    assert result.unavailable and "unsafe or malformed XML" in result.messages[0]
    assert result.new_symbols == ()


# --- editions list ------------------------------------------------------------------------


def test_known_editions_are_the_five_of_the_issue() -> None:
    assert [(e.symbol, e.year) for e in load_editions()] == [
        ("A/71/160-S/2016/621", 2016),
        ("A/73/328-S/2018/592", 2018),
        ("A/75/345-S/2020/898", 2020),
        ("A/77/277-S/2022/606", 2022),
        ("A/79/302-S/2024/600", 2024),
    ]
    assert series_titles()[0][0] == TITLE  # the main series, asked for by its English title


def test_add_edition_writes_user_file_once(tmp_path: Path) -> None:
    added = add_edition("A/81/312 – S/2026/640", data_dir=tmp_path)
    assert (added.symbol, added.year, added.origin) == ("A/81/312-S/2026/640", 2026, "user")
    again = add_edition("A/81/312", data_dir=tmp_path)
    assert again.symbol == "A/81/312-S/2026/640"
    assert (tmp_path / "editions.user.yaml").read_text().count("A/81/312") == 1
    assert load_editions(tmp_path)[-1] == added
    assert add_edition("A/79/302", data_dir=tmp_path).origin == "config"


def test_add_corrigendum_lists_a_companion_not_an_edition(tmp_path: Path) -> None:
    add_edition("A/81/312-S/2026/640", data_dir=tmp_path)
    added = add_edition("a/77/277/corr.1 - s/2022/606/corr.1", data_dir=tmp_path)
    assert (added.symbol, added.origin) == (
        "A/77/277/Corr.1-S/2022/606/Corr.1",
        "companion of A/77/277",
    )
    add_edition("A/77/277/Corr.1-S/2022/606/Corr.1", data_dir=tmp_path)
    assert load_companions(tmp_path) == ("A/77/277/Corr.1-S/2022/606/Corr.1",)
    assert [e.symbol for e in load_editions(tmp_path)][-1] == "A/81/312-S/2026/640"
    assert not [e for e in load_editions(tmp_path) if "Corr" in e.symbol]


def test_year_of_uses_council_year_then_session() -> None:
    assert year_of("A/77/277-S/2022/606") == 2022
    assert year_of("A/81/312") == 2026
