"""Tests for UN symbol parsing and normalization (extractors/symbols.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.errors import NotASymbol
from extractors.symbols import (
    Symbol,
    format_symbol,
    is_symbol,
    normalize_symbol,
    parse_symbol,
    split_joint_symbol,
    symbols_from_link,
)

_years = st.integers(min_value=1946, max_value=2099)
_sessions = st.integers(min_value=1, max_value=120)
_numbers = st.integers(min_value=1, max_value=9999)
_suffixes = st.one_of(
    st.just(""),
    st.builds(
        lambda kind, n: f"{kind}.{n}",
        st.sampled_from(["Add", "Rev", "Corr"]),
        st.integers(min_value=1, max_value=99),
    ),
)

symbols = st.one_of(
    st.builds(Symbol, kind=st.just("ga_resolution"), number=_numbers, session=_sessions),
    st.builds(Symbol, kind=st.just("sc_resolution"), number=_numbers, year=_years),
    st.builds(
        Symbol,
        kind=st.just("presidential_statement"),
        number=st.integers(min_value=1, max_value=999),
        year=_years,
    ),
    st.builds(
        Symbol, kind=st.just("ga_document"), number=_numbers, session=_sessions, suffix=_suffixes
    ),
    st.builds(Symbol, kind=st.just("sc_document"), number=_numbers, year=_years, suffix=_suffixes),
)

_messy_spaces = st.sampled_from(["", " ", "\u00a0", "\u202f", "\u2009"])


@st.composite
def messy_renderings(draw: st.DrawFn, symbol: Symbol) -> str:
    """Render a canonical symbol the way documents do: odd case, spaces around slashes."""
    text = format_symbol(symbol)
    pieces = []
    for char in text:
        if char in "/(":
            pieces.append(draw(_messy_spaces))
        pieces.append(char.lower() if draw(st.booleans()) else char)
    return draw(_messy_spaces) + "".join(pieces) + draw(_messy_spaces)


@given(symbols)
def test_normalize_round_trips_format_for_every_kind(symbol: Symbol) -> None:
    assert normalize_symbol(format_symbol(symbol)) == format_symbol(symbol)
    assert parse_symbol(format_symbol(symbol)) == symbol


@given(st.data(), symbols)
def test_normalize_messy_rendering_gives_canonical(data: st.DataObject, symbol: Symbol) -> None:
    messy = data.draw(messy_renderings(symbol))
    assert normalize_symbol(messy) == format_symbol(symbol)


@given(symbols, symbols, st.sampled_from(["-", "\u2013", "\u2014", "\u2011", " - ", " \u2013 "]))
def test_joint_symbol_splits_into_both_parts(first: Symbol, second: Symbol, dash: str) -> None:
    joint = format_symbol(first) + dash + format_symbol(second)
    assert split_joint_symbol(joint) == (format_symbol(first), format_symbol(second))
    assert normalize_symbol(joint) == f"{format_symbol(first)}-{format_symbol(second)}"


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
    assert parse_symbol("S/RES/1809(2008)") == Symbol("sc_resolution", 1809, year=2008)
    assert parse_symbol("A/RES/58/316") == Symbol("ga_resolution", 316, session=58)
    assert parse_symbol("S/PRST/2013/12") == Symbol("presidential_statement", 12, year=2013)
    assert parse_symbol("A/75/345") == Symbol("ga_document", 345, session=75)
    assert parse_symbol("S/2020/898") == Symbol("sc_document", 898, year=2020)


def test_split_joint_symbol_example() -> None:
    assert split_joint_symbol("A/77/277-S/2022/606") == ("A/77/277", "S/2022/606")
    assert split_joint_symbol("A/77/277") == ("A/77/277",)


@pytest.mark.parametrize(
    "text",
    ["", "58/316", "S/RES/1809", "A/RES/58", "UNDP", "S/RES/12(1820)", "A/75/345-", "S/2020/0"],
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
