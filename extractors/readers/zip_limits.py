"""Limits on what a ZIP archive (a DOCX) may inflate to, checked before any member is read.

`zipfile` never inflates a member past the size its central directory declares (a member
that lies fails its CRC check), so checking the declared sizes bounds the memory a reader
can spend: each member at most `max_member_bytes`, all of them `max_total_bytes`, and no
member above `ratio_floor_bytes` inflating more than `max_ratio` times its compressed size
(what a real Word document never does and a zip bomb always does).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from common.errors import CorruptDocument
from common.settings import read_number, read_whole_number

MEMBER_BYTES_VARIABLE = "COOPWATCH_ARCHIVE_MEMBER_BYTES"
RATIO_VARIABLE = "COOPWATCH_ARCHIVE_RATIO"


@dataclass(frozen=True)
class ArchiveLimits:
    """How far an archive may inflate: per member, in all, and relative to its compressed size."""

    max_member_bytes: int = 32 * 1024 * 1024
    max_total_bytes: int = 128 * 1024 * 1024
    max_ratio: float = 100.0
    ratio_floor_bytes: int = 1024 * 1024


def limits_from_env() -> ArchiveLimits:
    """ArchiveLimits defaults, with $COOPWATCH_ARCHIVE_MEMBER_BYTES and _RATIO when set
    (the total is four members' worth)."""
    defaults = ArchiveLimits()
    member = read_whole_number(
        MEMBER_BYTES_VARIABLE, defaults.max_member_bytes, least=1, expected="a byte count"
    )
    ratio = read_number(RATIO_VARIABLE, defaults.max_ratio, above=0)
    return ArchiveLimits(
        max_member_bytes=member,
        max_total_bytes=max(member * 4, defaults.max_total_bytes),
        max_ratio=ratio,
    )


def check_archive(data: bytes, name: str, limits: ArchiveLimits | None = None) -> None:
    """Raise CorruptDocument naming `name` and the member when the archive in `data` would
    inflate past `limits` (else $COOPWATCH_ARCHIVE_* or the defaults); read nothing else."""
    limits = limits or limits_from_env()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as error:
        raise CorruptDocument(name, f"not a readable DOCX ({error})") from None
    total = 0
    for member in members:
        size = member.file_size
        total += size
        if size > limits.max_member_bytes:
            raise CorruptDocument(
                name,
                f"archive member {member.filename} inflates to {size} bytes, over the "
                f"{limits.max_member_bytes}-byte limit per member",
            )
        ratio = size / max(member.compress_size, 1)
        if size > limits.ratio_floor_bytes and ratio > limits.max_ratio:
            raise CorruptDocument(
                name,
                f"archive member {member.filename} inflates {ratio:.0f} times its "
                f"{member.compress_size} compressed bytes, over the {limits.max_ratio:g}:1 "
                "limit (a zip bomb)",
            )
        if total > limits.max_total_bytes:
            raise CorruptDocument(
                name,
                f"archive members inflate to more than {limits.max_total_bytes} bytes in all",
            )
