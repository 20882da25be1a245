"""A failure a user can cause is a CoopWatchError naming what was wrong, so the CLI prints
it as one line; none escapes as a bare ValueError."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from common.errors import BadSource, CoopWatchError, NotADigest, UnknownLanguage, UnknownSetting
from extractors.fetch.official_documents import api_language, endpoints_for
from extractors.fetch.raw_store import RawStore
from flows.cli import app
from warehouse.diff.growth import GrowthRules


@pytest.mark.parametrize(
    ("call", "error", "named"),
    [
        (lambda _: endpoints_for("ftp://mirror.example"), BadSource, "ftp://mirror.example"),
        (lambda _: api_language("xx"), UnknownLanguage, "'xx'"),
        (lambda tmp: RawStore(tmp).path_for("not-a-hash"), NotADigest, "not-a-hash"),
        (lambda _: GrowthRules.from_mapping({"min_ratioo": 0.3}), UnknownSetting, "min_ratioo"),
    ],
)
def test_user_caused_failures_are_typed_and_named(
    call, error: type[CoopWatchError], named: str, tmp_path: Path
) -> None:
    with pytest.raises(error) as raised:
        call(tmp_path)
    assert isinstance(raised.value, CoopWatchError) and named in str(raised.value)


def test_a_bad_source_is_one_line_and_a_non_zero_exit(prefect_harness, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "run",
            "--source",
            "ftp://mirror.example",
            "--db",
            str(tmp_path / "cw.duckdb"),
            "--outbox",
            str(tmp_path / "outbox"),
        ],
    )
    assert result.exit_code == 1
    # Prefect logs the failed flow run its own way; the CLI's word on it is one line.
    (said,) = [line for line in result.output.splitlines() if line.startswith("coopwatch: ")]
    assert said.startswith("coopwatch: error: ") and "ftp://mirror.example" in said
