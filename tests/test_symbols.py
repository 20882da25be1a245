"""Tests for the UN symbol grammar (extractors/symbols.py, reference/symbol_grammar.yaml).

The table's symbols are real-shaped: each follows a symbol the UN issued (drafts of the Third
Committee in the Digital Library answer, resolutions cited by the editions, general comments of
the treaty bodies), written the way documents print them; the canonical form is the ODS's.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.errors import NotASymbol, ReferenceDataError
from extractors.symbol_grammar import Segment, grammar, load_grammar
from extractors.symbols import (
    Symbol,
    edition_of,
    find_symbols,
    format_symbol,
    is_report_symbol,
    is_symbol,
    normalize_symbol,
    parse_symbol,
    split_joint_symbol,
    symbols_from_link,
)

# (as printed, canonical): every organ, body, series, number prefix and suffix of the grammar.
REAL_SHAPED = [
    ("A/77/277", "A/77/277"),
    ("A/73/328\u2013S/2018/592", "A/73/328-S/2018/592"),
    ("A/77/277/Corr.1", "A/77/277/Corr.1"),
    ("A/79/302/add.1", "A/79/302/Add.1"),
    ("A/77/277/Rectif.1", "A/77/277/Corr.1"),
    ("A/77/277 (OR)", "A/77/277(OR)"),
    ("A/RES/79/10", "A/RES/79/10"),
    ("A/RES/075/001", "A/RES/75/1"),
    ("A/DEC/78/539", "A/DEC/78/539"),
    ("A/INF/78/4", "A/INF/78/4"),
    ("A/C.1/78/L.11", "A/C.1/78/L.11"),
    ("A/C.2/79/L.3", "A/C.2/79/L.3"),
    ("A/C.3/78/L.49/Rev.1", "A/C.3/78/L.49/Rev.1"),
    ("a/c.3/78/l.1/add.1", "A/C.3/78/L.1/Add.1"),
    ("A/C.3/78/L.9/REV.1", "A/C.3/78/L.9/Rev.1"),
    ("A/C.3/78/L.49/R\u00e9v.1", "A/C.3/78/L.49/Rev.1"),
    ("A/C.4/78/L.5", "A/C.4/78/L.5"),
    ("A/C.5/78/L.24", "A/C.5/78/L.24"),
    ("A/C.5/78/Misc.1", "A/C.5/78/Misc.1"),
    ("A/C.6/79/L.2", "A/C.6/79/L.2"),
    ("A/C.3/78/SR.12", "A/C.3/78/SR.12"),
    ("A/79/L.9/Rev.1", "A/79/L.9/Rev.1"),
    ("A/78/L.96", "A/78/L.96"),
    ("A/79/PV.39", "A/79/PV.39"),
    ("A/ES-10/L.1", "A/ES-10/L.1"),
    ("A/ES\u201111/PV.1", "A/ES-11/PV.1"),
    ("A/RES/ES-11/1", "A/RES/ES-11/1"),
    ("A/RES/ES\u201310/21", "A/RES/ES-10/21"),
    ("A/RES/S-27/2", "A/RES/S-27/2"),
    ("A/HRC/RES/52/1", "A/HRC/RES/52/1"),
    ("A/HRC/RES/47/1", "A/HRC/RES/47/1"),
    ("A/HRC/55/23", "A/HRC/55/23"),
    ("A/HRC/52/CRP.1", "A/HRC/52/CRP.1"),
    ("A/HRC/55/NGO/1", "A/HRC/55/NGO/1"),
    ("A/HRC/WG.2/24/1", "A/HRC/WG.2/24/1"),
    ("A/CONF.231/3", "A/CONF.231/3"),
    ("A/AC.105/1260", "A/AC.105/1260"),
    ("A/78/481/Add.2/Corr.1", "A/78/481/Add.2/Corr.1"),
    ("S/2022/606", "S/2022/606"),
    ("S/2024/600/Corr.1", "S/2024/600/Corr.1"),
    ("S/2020/898/Add.1", "S/2020/898/Add.1"),
    ("S/RES/2538 (2020)", "S/RES/2538(2020)"),
    ("s/res/1809(2008)", "S/RES/1809(2008)"),
    ("S/RES/1809 \\(2008\\)", "S/RES/1809(2008)"),
    ("S/PRST/2013/12", "S/PRST/2013/12"),
    ("S/PV.9000", "S/PV.9000"),
    ("S/23500", "S/23500"),
    ("S/INF/69", "S/INF/69"),
    ("S/AC.44/2024/1", "S/AC.44/2024/1"),
    ("E/2024/1", "E/2024/1"),
    ("E/RES/2023/5", "E/RES/2023/5"),
    ("E/DEC/2023/201", "E/DEC/2023/201"),
    ("E/2024/SR.10", "E/2024/SR.10"),
    ("E/CN.6/2024/L.3", "E/CN.6/2024/L.3"),
    ("E/CN.5/2024/1", "E/CN.5/2024/1"),
    ("E/C.12/GC/25", "E/C.12/GC/25"),
    ("E/ESCAP/RES/79/1", "E/ESCAP/RES/79/1"),
    ("E/ICEF/2024/1", "E/ICEF/2024/1"),
    ("ST/SGB/2019/1", "ST/SGB/2019/1"),
    ("ST/SGB/2019/1/Amend.1", "ST/SGB/2019/1/Amend.1"),
    ("ST/AI/2019/3", "ST/AI/2019/3"),
    ("DP/2024/1", "DP/2024/1"),
    ("DP/FPA/2024/1", "DP/FPA/2024/1"),
    ("DP/OPS/2024/1", "DP/OPS/2024/1"),
    ("UNW/2024/1", "UNW/2024/1"),
    ("TD/B/71/1", "TD/B/71/1"),
    ("CRC/C/GC/25", "CRC/C/GC/25"),
    ("CCPR/C/GC/37", "CCPR/C/GC/37"),
    ("CEDAW/C/GC/39", "CEDAW/C/GC/39"),
    ("CERD/C/GC/36", "CERD/C/GC/36"),
    ("CAT/C/GC/4", "CAT/C/GC/4"),
    ("CRPD/C/GC/7", "CRPD/C/GC/7"),
]


@pytest.mark.parametrize(("text", "canonical"), REAL_SHAPED)
def test_real_shaped_symbol_has_its_canonical_form(text: str, canonical: str) -> None:
    assert normalize_symbol(text) == canonical
    assert normalize_symbol(canonical) == canonical


def _segments_used(canonical: str) -> set[str]:
    """The grammar spellings a canonical symbol shows, for the coverage check."""
    found = set()
    for part in split_joint_symbol(canonical):
        symbol = parse_symbol(part)
        found.add(symbol.organ)
        found.update(re.sub(r"\d+$", "", q) for q in symbol.qualifiers)
        found.update(re.sub(r"\d+$", "", s) for s in symbol.suffixes)
        found.add(symbol.prefix)
        if symbol.original:
            found.add(grammar().original_variant)
    return found


def test_table_covers_every_segment_of_the_grammar() -> None:
    rules = grammar()
    used = set().union(*(_segments_used(canonical) for _, canonical in REAL_SHAPED))
    segments = rules.organs + rules.bodies + rules.series + rules.item_prefixes + rules.suffixes
    spelled = {segment.spelling for segment in segments} | {rules.original_variant}
    assert len(REAL_SHAPED) >= 60
    assert spelled - used == set()
    aliases = {alias for segment in segments for alias in segment.aliases}
    printed = " ".join(text for text, _ in REAL_SHAPED)
    assert {alias for alias in aliases if alias in printed} == {"Rectif.", "R\u00e9v."}


def _numbered(segment: Segment) -> st.SearchStrategy[str]:
    if not segment.numbered:
        return st.just(segment.spelling)
    return st.integers(segment.low, segment.high).map(lambda n: f"{segment.spelling}{n}")


@st.composite
def symbols(draw: st.DrawFn) -> Symbol:
    """Any symbol the grammar allows, built from the grammar's own data."""
    rules = grammar()
    organ = draw(st.sampled_from(rules.organs)).spelling
    allowed = [s for s in rules.bodies if not s.organs or organ in s.organs]
    series = [s for s in rules.series if not s.organs or organ in s.organs]
    chosen: list[Segment] = []
    if draw(st.booleans()):
        chosen.append(draw(st.sampled_from(allowed)))
    if draw(st.booleans()):
        chosen.append(draw(st.sampled_from(series)))
    chosen = draw(st.permutations(chosen))
    qualifiers = tuple(draw(_numbered(segment)) for segment in chosen)
    prefix = draw(st.sampled_from(("",) + tuple(p.spelling for p in rules.item_prefixes)))
    dated = any((organ, s.spelling) in rules.dated_series for s in chosen)
    session = any(s.is_session for s in chosen)
    optional = (
        any(s.is_periodless for s in chosen)
        or (not chosen and rules.spelled(rules.organs, organ).is_periodless)
        or (prefix and organ in rules.spelled(rules.item_prefixes, prefix).periodless_organs)
    )
    periods = st.one_of(st.integers(1, 999), st.integers(rules.first_year, rules.last_year))
    period = None
    if not (dated or session):
        period = draw(st.one_of(st.none(), periods) if optional else periods)
    suffixes = draw(
        st.lists(
            st.builds(
                lambda s, n: f"{s.spelling}{n}",
                st.sampled_from(rules.suffixes),
                st.integers(1, 999),
            ),
            max_size=2,
        )
    )
    return Symbol(
        organ=organ,
        number=draw(st.integers(1, 99999)),
        qualifiers=qualifiers,
        period=period,
        prefix=prefix,
        dated_year=draw(st.integers(rules.first_year, rules.last_year)) if dated else None,
        suffixes=tuple(suffixes),
        original=draw(st.booleans()),
    )


_messy_spaces = st.sampled_from(["", " ", "\u00a0", "\u202f", "\u2009"])


@st.composite
def messy_renderings(draw: st.DrawFn, symbol: Symbol) -> str:
    """Render a canonical symbol the way documents do: odd case, spaces around slashes,
    typographic dashes inside 'ES-10'."""
    text = format_symbol(symbol)
    pieces = []
    for char in text:
        if char in "/(":
            pieces.append(draw(_messy_spaces))
        if char == "-":
            char = draw(st.sampled_from(["-", "\u2011", "\u2013"]))
        pieces.append(char.lower() if draw(st.booleans()) else char)
    return draw(_messy_spaces) + "".join(pieces) + draw(_messy_spaces)


@given(symbols())
def test_normalize_after_format_is_identity(symbol: Symbol) -> None:
    assert normalize_symbol(format_symbol(symbol)) == format_symbol(symbol)
    assert parse_symbol(format_symbol(symbol)) == symbol


@given(st.data(), symbols())
def test_normalize_messy_rendering_gives_canonical(data: st.DataObject, symbol: Symbol) -> None:
    messy = data.draw(messy_renderings(symbol))
    assert normalize_symbol(messy) == format_symbol(symbol)


@given(
    symbols(), symbols(), st.sampled_from(["-", "\u2013", "\u2014", "\u2011", " - ", " \u2013 "])
)
def test_joint_symbol_splits_into_both_parts(first: Symbol, second: Symbol, dash: str) -> None:
    joint = format_symbol(first) + dash + format_symbol(second)
    assert split_joint_symbol(joint) == (format_symbol(first), format_symbol(second))
    assert normalize_symbol(joint) == f"{format_symbol(first)}-{format_symbol(second)}"


@given(symbols())
def test_companion_belongs_to_the_symbol_without_its_suffixes(symbol: Symbol) -> None:
    base = format_symbol(symbol.base)
    if symbol.suffixes:
        assert edition_of(format_symbol(symbol)) == base
    else:
        assert edition_of(format_symbol(symbol)) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("S/RES/2538 (2020)", "S/RES/2538(2020)"),
        ("s/res/1809(2008)", "S/RES/1809(2008)"),
        ("S/RES/1809 \\(2008\\)", "S/RES/1809(2008)"),
        (" A/RES/58/316 ", "A/RES/58/316"),
        ("A/RES/075/001", "A/RES/75/1"),
        ("S/PRST/2013/12", "S/PRST/2013/12"),
        ("A/75/345", "A/75/345"),
        ("S/2020/898", "S/2020/898"),
        ("A/75/345\u2013S/2020/898", "A/75/345-S/2020/898"),
        ("A/73/328\u2014S/2018/592", "A/73/328-S/2018/592"),
        ("A/71/160-S/2016/621", "A/71/160-S/2016/621"),
        ("A/77/277/add.1", "A/77/277/Add.1"),
        ("S/2022/606/REV.2", "S/2022/606/Rev.2"),
    ],
)
def test_normalize_symbol_messy_inputs(text: str, expected: str) -> None:
    assert normalize_symbol(text) == expected


def test_parse_symbol_fields() -> None:
    assert parse_symbol("S/RES/1809(2008)") == Symbol(
        "S", 1809, qualifiers=("RES",), dated_year=2008
    )
    assert parse_symbol("A/RES/58/316") == Symbol("A", 316, qualifiers=("RES",), period=58)
    assert parse_symbol("A/C.3/78/L.49/Rev.1") == Symbol(
        "A", 49, qualifiers=("C.3",), period=78, prefix="L.", suffixes=("Rev.1",)
    )
    assert parse_symbol("A/RES/ES-11/1") == Symbol("A", 1, qualifiers=("RES", "ES-11"))
    assert parse_symbol("S/2020/898").year == 2020
    assert parse_symbol("A/75/345").session == 75
    kinds = [parse_symbol(s).kind for s in ("A/RES/75/1", "S/RES/1(1946)", "S/PRST/2013/12")]
    assert kinds == ["ga_resolution", "sc_resolution", "presidential_statement"]
    assert parse_symbol("A/C.3/78/L.49").kind == "other"


def test_companion_names_its_kind_and_edition() -> None:
    assert parse_symbol("A/77/277/Corr.1").companion == "corrigendum"
    assert parse_symbol("A/79/302/Add.1").companion == "addendum"
    assert parse_symbol("A/77/277/Rev.2").companion == "revision"
    assert parse_symbol("A/77/277").companion is None
    assert edition_of("A/77/277/Corr.1-S/2022/606/Corr.1") == "A/77/277"
    assert edition_of("A/77/277-S/2022/606") is None
    assert is_report_symbol("A/77/277-S/2022/606")
    assert not is_report_symbol("A/77/277/Corr.1")
    assert not is_report_symbol("A/C.3/78/L.49")


def test_find_symbols_keeps_unknown_runs_with_their_text() -> None:
    text = (
        "la résolution S/RES/1809 (2008) et le rapport (A/75/345 – S/2020/898). Voir "
        "A/XYZ/12/3, le projet A/C.3/78/L.49/Rev.1, le communiqué SC/14697 et A/B."
    )
    mentions = find_symbols(text)
    assert [(m.text, m.symbols, m.unknown) for m in mentions] == [
        ("S/RES/1809 (2008)", ("S/RES/1809(2008)",), ()),
        ("A/75/345 – S/2020/898", ("A/75/345", "S/2020/898"), ()),
        ("A/XYZ/12/3", (), ("A/XYZ/12/3",)),
        ("A/C.3/78/L.49/Rev.1", ("A/C.3/78/L.49/Rev.1",), ()),
    ]
    assert text[mentions[2].start :].startswith("A/XYZ/12/3")


def test_malformed_grammar_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "grammar.yaml"
    path.write_text(
        "organs: [{spelling: A}]\nbodies: [{spelling: HRC, organs: [Q]}]\n", encoding="utf-8"
    )
    with pytest.raises(ReferenceDataError) as raised:
        load_grammar(path)
    assert str(path) in str(raised.value) and "'Q'" in str(raised.value)
    path.write_text("organs: [{spelling: A}]\nseries: [{spelling: RES}, {spelling: res}]\n")
    with pytest.raises(ReferenceDataError, match="spelled by two segments"):
        load_grammar(path)


def test_split_joint_symbol_example() -> None:
    assert split_joint_symbol("A/77/277-S/2022/606") == ("A/77/277", "S/2022/606")
    assert split_joint_symbol("A/77/277") == ("A/77/277",)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "58/316",
        "S/RES/1809",
        "A/RES/58",
        "UNDP",
        "S/RES/12(1820)",
        "A/75/345-",
        "S/2020/0",
        "AA/78/481/Add.2",
        "A/C.7/78/L.1",
        "A/RES/78/1(2023)",
        "A/ES-10/12/L.1",
        "A/77/277/Corr.0",
        "A/HRC/HRC/55/1",
    ],
)
def test_not_a_symbol_names_the_text(text: str) -> None:
    with pytest.raises(NotASymbol) as raised:
        normalize_symbol(text)
    assert repr(text) in str(raised.value)
    assert isinstance(raised.value, ValueError)
    assert not is_symbol(text)


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("https://undocs.org/fr/S/RES/2628(2022)", ("S/RES/2628(2022)",)),
        ("https://undocs.org/en/A/RES/75/1", ("A/RES/75/1",)),
        ("undocs.org/fr/A/75/345", ("A/75/345",)),
        ("https://undocs.org/A/71/160-S/2016/621", ("A/71/160", "S/2016/621")),
        ("https://undocs.org/Home/Mobile?FinalSymbol=S%2FPRST%2F2013%2F12", ("S/PRST/2013/12",)),
        ("S/PRST/2013/12", ("S/PRST/2013/12",)),
        ("#", ()),
        ("https://www.un.org/en/", ()),
        ("58/316", ()),
    ],
)
def test_symbols_from_link(target: str, expected: tuple[str, ...]) -> None:
    assert symbols_from_link(target) == expected
