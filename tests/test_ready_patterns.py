"""Patterns kept compiled between runs: each behaves as `re.compile` makes it, whether
compiled now or taken from the kept file; a file of another Python, or damaged, is not read;
nothing is written where bytecode is not; the second start of a command compiles nothing."""

from __future__ import annotations

import marshal
import re
import sys
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import common.ready_patterns as ready_patterns
from common.ready_patterns import PatternStore, compiled_code, ready_compile
from extractors.enrich.matchers import phrase_pattern
from tests.bytecode_cache import fresh_starts

WORDS = st.sampled_from(
    ["Union", "africaine", "l'Union", "AU", "OSCE", "peace", "paix", "Conseil", "d'Europe", "-"]
)
TEXTS = st.lists(
    st.sampled_from(
        ["Union", "africaine", "l’Union", "l' Union", "AU", "AUs", "OSCE", "Peace", " ", "\n"]
        + ["paix", "conseil", "d’Europe", "-", "–", "(", ")", "é", "Ünion"]
    ),
    max_size=25,
).map("".join)


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PatternStore:
    """A store of the test's own, written even where the environment turns bytecode off."""
    kept = PatternStore(tmp_path / "patterns.marshal")
    monkeypatch.setattr(ready_patterns, "_STORE", kept)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    return kept


def behaves_alike(ready: re.Pattern[str], plain: re.Pattern[str], texts: list[str]) -> None:
    assert (ready.pattern, ready.flags, ready.groups, ready.groupindex) == (
        plain.pattern,
        plain.flags,
        plain.groups,
        plain.groupindex,
    )
    for text in texts:
        assert [m.span() for m in ready.finditer(text)] == [m.span() for m in plain.finditer(text)]
        assert [m.groups() for m in ready.finditer(text)] == [
            m.groups() for m in plain.finditer(text)
        ]


@settings(max_examples=60, deadline=None)
@given(
    phrase=st.lists(WORDS, min_size=1, max_size=4).map(" ".join),
    ignore_case=st.booleans(),
    texts=st.lists(TEXTS, max_size=4),
)
@example(phrase="l'Union africaine", ignore_case=True, texts=["de l’Union  africaine."])
def test_a_kept_pattern_matches_as_re_compile_makes_it(
    phrase: str, ignore_case: bool, texts: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    source = f"(?P<start>{phrase_pattern(phrase, wildcard=True)})|(x)"
    flags = re.IGNORECASE if ignore_case else 0
    plain = re.compile(source, flags)
    kept = PatternStore(tmp_path_factory.mktemp("store") / "patterns.marshal")
    original = ready_patterns._STORE
    ready_patterns._STORE = kept
    try:
        behaves_alike(ready_compile(source, flags), plain, texts)  # compiled now
        kept.get((source, int(flags)))  # (reads the empty file, as a first use does)
        kept.write()
        ready_patterns._STORE = PatternStore(kept.path)
        assert ready_patterns._STORE.get((source, int(flags))) is not None
        behaves_alike(ready_compile(source, flags), plain, texts)  # from the file
    finally:
        ready_patterns._STORE = original


def test_the_kept_code_is_what_cpython_compiles(store: PatternStore) -> None:
    source = r"(?<!\w)(?=((?:Union\s+africaine|OSCE)?))(?P<noun>Commission)\b"
    ready_compile(source, re.IGNORECASE)
    store.write()
    (stamp, patterns) = marshal.loads(store.path.read_bytes())
    assert stamp[1] == sys.implementation.cache_tag
    assert patterns[(source, int(re.IGNORECASE))] == compiled_code(source, int(re.IGNORECASE))


def test_a_file_of_another_python_or_damaged_is_not_read(store: PatternStore) -> None:
    source = r"\bAU\b"
    wrong = ("coopwatch-patterns-1", "cpython-299", 0, 4)
    store.path.write_bytes(marshal.dumps((wrong, {(source, 0): (0, [0], 0, {}, ())})))
    assert PatternStore(store.path).get((source, 0)) is None
    for damaged in (b"", b"\x00garbage", marshal.dumps("text")):
        store.path.write_bytes(damaged)
        assert PatternStore(store.path).get((source, 0)) is None
        assert ready_compile(source).findall("AU and AUs") == ["AU"]


def test_nothing_is_written_where_bytecode_is_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = PatternStore(tmp_path / "patterns.marshal")
    monkeypatch.setattr(ready_patterns, "_STORE", kept)
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    ready_compile(r"\bOSCE\b")
    assert kept.added  # compiled, kept for this run only
    assert not kept.path.exists()


def test_debug_patterns_are_refused() -> None:
    with pytest.raises(ValueError, match="re.DEBUG"):
        compiled_code("a", int(re.DEBUG))


def test_the_second_start_of_a_parse_compiles_nothing(tmp_path: Path) -> None:
    """What the kept file is for: a command's second start finds every pattern kept."""
    script = (
        "import common.ready_patterns as kept\n"
        "from extractors.derive import derive_document\n"
        "from tests.conftest import EDITION_2022\n"
        "derive_document(EDITION_2022.read_bytes(), name='A-77-277', gate=False)\n"
        "print(len(kept._STORE.added), len(kept._STORE.known or {}))\n"
    )
    runs = [printed.split() for printed in fresh_starts(script, tmp_path)]
    first_added, _ = map(int, runs[0])
    second_added, second_known = map(int, runs[1])
    assert first_added > 50
    assert second_added == 0 and second_known >= first_added
