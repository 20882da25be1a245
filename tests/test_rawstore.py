"""RawStore: content-addressed layout, metadata per fetch, atomic writes, integrity."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from common.errors import CorruptDocument
from extractors.fetch.raw_store import RawStore


def test_put_stores_body_under_its_hash(tmp_path: Path) -> None:
    store = RawStore(tmp_path)
    body = b"%PDF-1.7 a document body"
    stored = store.put(body, {"symbol": "A/RES/79/10", "language": "en"})
    digest = hashlib.sha256(body).hexdigest()
    assert stored.sha256 == digest
    assert stored.path == tmp_path / "raw" / digest[:2] / digest
    assert stored.path.read_bytes() == body
    assert store.read(digest) == body
    assert store.metadata(digest)["fetches"] == [{"symbol": "A/RES/79/10", "language": "en"}]


def test_put_same_body_twice_appends_fetch(tmp_path: Path) -> None:
    store = RawStore(tmp_path)
    store.put(b"same bytes", {"language": "fr"})
    stored = store.put(b"same bytes", {"language": "en"})
    languages = [fetch["language"] for fetch in store.metadata(stored.sha256)["fetches"]]
    assert languages == ["fr", "en"]
    assert [entry["sha256"] for entry in store.entries()] == [stored.sha256]


def test_put_leaves_no_temporary_files(tmp_path: Path) -> None:
    store = RawStore(tmp_path)
    stored = store.put(b"x" * 10_000, {})
    assert sorted(path.name for path in stored.path.parent.iterdir()) == [
        stored.sha256,
        f"{stored.sha256}.json",
    ]


def test_put_failing_write_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = RawStore(tmp_path)

    def broken_fsync(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="disk full"):
        store.put(b"half written", {})
    digest = hashlib.sha256(b"half written").hexdigest()
    assert not store.has(digest)
    assert list((tmp_path / "raw").rglob("*")) == [tmp_path / "raw" / digest[:2]]


def test_read_detects_tampered_body(tmp_path: Path) -> None:
    store = RawStore(tmp_path)
    stored = store.put(b"original", {})
    stored.path.write_bytes(b"tampered")
    with pytest.raises(CorruptDocument, match="does not match"):
        store.read(stored.sha256)


def test_path_for_rejects_non_hash(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        RawStore(tmp_path).path_for("../../etc/passwd")
