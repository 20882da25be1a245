"""Read a local document whole, as an HTTP body is read: never past a size limit.

The limit is $COOPWATCH_MAX_FILE_BYTES, by default the HTTP client's body limit (64 MiB),
so a file given to `parse` or `ingest`, or laid in a corpus folder, costs no more memory
than a fetched one would.
"""

from __future__ import annotations

import os
from pathlib import Path

from common.errors import DocumentError, DocumentTooLarge
from common.settings import read_whole_number

MAX_FILE_BYTES_VARIABLE = "COOPWATCH_MAX_FILE_BYTES"
DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024


def max_file_bytes() -> int:
    """The size limit: $COOPWATCH_MAX_FILE_BYTES, else 64 MiB."""
    return read_whole_number(
        MAX_FILE_BYTES_VARIABLE, DEFAULT_MAX_FILE_BYTES, least=1, expected="a positive byte count"
    )


def read_local_file(path: Path, *, name: str | None = None, limit: int | None = None) -> bytes:
    """The bytes of `path`, or a DocumentError naming it: missing, a folder, unreadable, or
    larger than `limit` (else `max_file_bytes()`), checked before reading and while reading."""
    name = name or str(path)
    limit = limit if limit is not None else max_file_bytes()
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            data = handle.read(limit + 1) if size <= limit else b""
    except FileNotFoundError:
        raise DocumentError(name, "no such file") from None
    except IsADirectoryError:
        raise DocumentError(name, "is a directory, not a file") from None
    except OSError as error:
        raise DocumentError(name, f"cannot be read ({error.strerror})") from None
    if size > limit or len(data) > limit:
        raise DocumentTooLarge(
            name,
            f"the file is {max(size, len(data))} bytes, over the {limit}-byte limit "
            f"({MAX_FILE_BYTES_VARIABLE})",
        )
    return data
