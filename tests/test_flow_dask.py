"""The nightly flow on the Dask task runner loads the same warehouse as the default runner."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from flows.nightly import nightly

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]

# Everything a parse derives, and the diffs built on it; run ids and timestamps differ by design.
COMPARED_TABLES = [
    "documents",
    "editions",
    "chapters",
    "sections",
    "paragraphs",
    "paragraph_organizations",
    "paragraph_un_entities",
    "paragraph_areas",
    "citations",
    "edition_diffs",
    "change_events",
    "redlines",
]


def _run(folder: Path, **extra) -> dict:
    return nightly(
        source="bundled",
        db_path=str(folder / "cw.duckdb"),
        outbox_dir=str(folder / "outbox"),
        reports_dir=str(folder / "reports"),
        **extra,
    )


def _content(db: Path) -> dict[str, list[tuple]]:
    """Every row of the compared tables, sorted, without run ids and timestamps."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        content = {}
        for table in COMPARED_TABLES:
            columns = [
                name
                for (name,) in con.execute(
                    "SELECT column_name FROM information_schema.columns"
                    " WHERE table_name = ? ORDER BY ordinal_position",
                    [table],
                ).fetchall()
                if name != "run_id" and not name.endswith("_at")
            ]
            selected = ", ".join(f'"{name}"' for name in columns)
            content[table] = con.execute(f"SELECT {selected} FROM {table} ORDER BY ALL").fetchall()
        return content
    finally:
        con.close()


@pytest.fixture(scope="module")
def default_content(tmp_path_factory, prefect_harness) -> dict[str, list[tuple]]:
    """The warehouse a default-runner run loads from the bundled editions."""
    folder = tmp_path_factory.mktemp("default-runner")
    result = _run(folder)
    assert result["counts"]["parsed"] == 2
    return _content(folder / "cw.duckdb")


def test_default_run_fills_the_compared_tables(default_content) -> None:
    for table in ("documents", "sections", "paragraphs", "change_events"):
        assert default_content[table], f"{table} is empty: the comparison below would prove nothing"


def test_dask_local_cluster_loads_the_same_warehouse(default_content, tmp_path: Path) -> None:
    result = _run(tmp_path, task_runner="dask")
    assert result["counts"]["parsed"] == 2
    assert _content(tmp_path / "cw.duckdb") == default_content


def test_dask_scheduler_address_parses_on_that_cluster(default_content, tmp_path: Path) -> None:
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True) as cluster:
        result = _run(tmp_path, task_runner="dask", dask_address=cluster.scheduler_address)
        with Client(cluster.scheduler_address) as client:
            prefixes = client.run_on_scheduler(
                lambda dask_scheduler: sorted(dask_scheduler.task_prefixes)
            )
    assert "parse_batch" in prefixes
    assert result["counts"]["parsed"] == 2
    assert _content(tmp_path / "cw.duckdb") == default_content
