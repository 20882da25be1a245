"""The text-preservation gate aligns a long document in bounded windows, not all at once.

The exact alignment of the independent words with the parse's words keeps a bit matrix of
both lengths multiplied: 5.4 GB for a 750-page PDF of repeated pages. Here no single
alignment may cover more than EXACT_CELLS, whatever the length, and the windowed alignment
must find what the exact one finds: every word of an intact long text, and a lost block as
a long run of missing words (bench/bench_gate_memory.py measures the memory itself).
"""

from __future__ import annotations

import random

import pytest
from rapidfuzz.distance import LCSseq

from extractors import gate

VOCABULARY = [f"mot{i}" for i in range(2000)]


def _words(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [rng.choice(VOCABULARY) for _ in range(count)]


@pytest.fixture
def alignment_sizes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The cells (words x words) of every exact alignment the gate asks rapidfuzz for."""
    sizes: list[int] = []
    opcodes = LCSseq.opcodes

    def counted(a, b, **kwargs):  # type: ignore[no-untyped-def]
        sizes.append(len(a) * len(b))
        return opcodes(a, b, **kwargs)

    monkeypatch.setattr(gate.LCSseq, "opcodes", counted)
    return sizes


def test_a_long_document_is_aligned_window_by_window(alignment_sizes: list[int]) -> None:
    independent = _words(120_000, seed=1)  # some 240 pages of content words
    placed = [word for index, word in enumerate(independent) if index % 700]

    missing, _ = gate._missing_flags(independent, placed, [])

    assert alignment_sizes and max(alignment_sizes) <= gate.EXACT_CELLS
    assert sum(missing) == len(independent) - len(placed)
    assert gate._longest_run(missing) == 1


def test_a_block_lost_deep_in_a_long_document_is_found() -> None:
    independent = _words(60_000, seed=2)
    lost = range(41_000, 41_040)
    placed = [word for index, word in enumerate(independent) if index not in lost]

    missing, _ = gate._missing_flags(independent, placed, [])

    assert gate._longest_run(missing) == len(lost)
    assert [index for index, flag in enumerate(missing) if flag] == list(lost)
