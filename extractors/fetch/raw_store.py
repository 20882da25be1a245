"""Content-addressed store of every accepted document body, so parses can rerun offline.

Bodies live at <data_dir>/raw/<sha256[:2]>/<sha256> with a <sha256>.json beside them that
lists each fetch that produced the body; files appear only by atomic rename, so a crash
never leaves a half-written body under its hash.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common.atomic_write import write_atomically
from common.errors import CorruptDocument, NotADigest


@dataclass(frozen=True)
class StoredBody:
    """Where a body was stored and what identifies it."""

    sha256: str
    path: Path
    bytes: int


def sha256_hex(body: bytes) -> str:
    """The lower-case hex SHA-256 of a body, the store's key."""
    return hashlib.sha256(body).hexdigest()


class RawStore:
    """The raw store under one data folder; safe to share between threads of one process."""

    def __init__(self, data_dir: Path) -> None:
        self.root = Path(data_dir) / "raw"
        self._lock = threading.Lock()

    def path_for(self, sha256: str) -> Path:
        """Where the body with this hash lives (whether or not it is stored)."""
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise NotADigest(f"not a sha256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        """True when a body with this hash is stored."""
        return self.path_for(sha256).is_file()

    def put(self, body: bytes, fetch: Mapping[str, Any]) -> StoredBody:
        """Store a complete body (once per hash) and append this fetch to its metadata."""
        digest = sha256_hex(body)
        path = self.path_for(digest)
        with self._lock:
            if not path.is_file() or path.stat().st_size != len(body):
                write_atomically(path, body)
            metadata = self._read_metadata(digest) or {
                "sha256": digest,
                "bytes": len(body),
                "fetches": [],
            }
            metadata["fetches"].append(dict(fetch))
            write_atomically(
                self._metadata_path(digest),
                json.dumps(metadata, ensure_ascii=False, indent=1, sort_keys=True).encode(),
            )
        return StoredBody(sha256=digest, path=path, bytes=len(body))

    def read(self, sha256: str) -> bytes:
        """The stored body, verified against its hash."""
        body = self.path_for(sha256).read_bytes()
        if sha256_hex(body) != sha256:
            raise CorruptDocument(str(self.path_for(sha256)), "stored body does not match its hash")
        return body

    def metadata(self, sha256: str) -> dict[str, Any]:
        """The metadata of a stored body: hash, size and every fetch that produced it."""
        found = self._read_metadata(sha256)
        if found is None:
            raise FileNotFoundError(self._metadata_path(sha256))
        return found

    def entries(self) -> Iterator[dict[str, Any]]:
        """Metadata of every stored body, in hash order (for rebuilding the warehouse)."""
        if not self.root.is_dir():
            return
        for metadata_path in sorted(self.root.glob("??/*.json")):
            digest = metadata_path.stem
            if self.has(digest):
                yield json.loads(metadata_path.read_text(encoding="utf-8"))

    def _metadata_path(self, sha256: str) -> Path:
        return self.path_for(sha256).with_name(f"{sha256}.json")

    def _read_metadata(self, sha256: str) -> dict[str, Any] | None:
        path = self._metadata_path(sha256)
        if not path.is_file():
            return None
        return json.loads(path.read_text(encoding="utf-8"))
