"""The nightly flow on the bundled editions with its warehouse, outbox and reports in one
test folder: the call the flow's tests share."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flows.nightly import nightly


def bundled_nightly(folder: Path, **extra: Any) -> dict:
    """Run the nightly flow on the bundled editions, everything it writes under `folder`."""
    return nightly(
        source="bundled",
        db_path=str(folder / "cw.duckdb"),
        outbox_dir=str(folder / "outbox"),
        reports_dir=str(folder / "reports"),
        **extra,
    )
