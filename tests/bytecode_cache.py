"""What the tests of ready-made copies share: where Python's bytecode (and what is kept
beside it) goes and whether it is written, and new interpreters started one after another
on one such folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent


def keep_bytecode_under(
    monkeypatch: pytest.MonkeyPatch, folder: Path, *, written: bool = True
) -> Path:
    """Bytecode and ready-made copies under `folder` (as PYTHONPYCACHEPREFIX sets), written
    or not (as PYTHONDONTWRITEBYTECODE says) whatever the environment running the tests."""
    monkeypatch.setattr(sys, "dont_write_bytecode", not written)
    monkeypatch.setattr(sys, "pycache_prefix", str(folder))
    return folder


def fresh_starts(script: str, cache: Path, times: int = 2) -> list[str]:
    """What `script` prints in `times` new interpreters started one after another in the
    project, all keeping their bytecode under `cache`."""
    env = {"PYTHONPYCACHEPREFIX": str(cache), "PATH": "/usr/bin:/bin"}
    return [
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env=env,
            cwd=PROJECT,
        ).stdout
        for _ in range(times)
    ]
