"""The nightly flow end to end on the bundled editions, under Prefect's test harness."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest
from bundled_nightly import bundled_nightly


@pytest.fixture(scope="module")
def first_run(tmp_path_factory, prefect_harness):
    """One cold run, shared by the assertions below (it costs a few seconds)."""
    tmp_path = tmp_path_factory.mktemp("nightly")
    return tmp_path, bundled_nightly(tmp_path)


def test_first_run_loads_both_editions(first_run) -> None:
    tmp_path, result = first_run
    con = duckdb.connect(str(tmp_path / "cw.duckdb"), read_only=True)
    try:
        documents = con.execute("SELECT symbol FROM documents ORDER BY symbol").fetchall()
        paragraphs = con.execute(
            "SELECT symbol, count(*) FROM paragraphs GROUP BY symbol ORDER BY symbol"
        ).fetchall()
        runs = con.execute("SELECT status FROM runs").fetchall()
    finally:
        con.close()
    assert documents == [("A/73/328",), ("A/77/277",)]
    assert paragraphs == [("A/73/328", 101), ("A/77/277", 128)]
    assert runs == [("completed",)]
    assert result["counts"]["parsed"] == 2


def test_first_run_reports_the_real_section_changes(first_run) -> None:
    _, result = first_run
    report = result["report"]
    assert "OECD" in report and "CPLP" in report and "IOM" in report


def test_first_run_writes_one_email_and_the_static_report(first_run) -> None:
    tmp_path, _ = first_run
    emails = list((tmp_path / "outbox").glob("*.eml"))
    assert len(emails) == 1
    text = emails[0].read_text(encoding="utf-8", errors="replace")
    assert "A/77/277" in text and "A/73/328" in text
    assert list((tmp_path / "reports").glob("*.html"))


def test_second_run_is_a_no_op(first_run) -> None:
    tmp_path, _ = first_run
    db = tmp_path / "cw.duckdb"
    tables = ["documents", "sections", "paragraphs", "change_events", "outbox"]

    def counts() -> dict[str, int]:
        con = duckdb.connect(str(db), read_only=True)
        try:
            return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in tables}
        finally:
            con.close()

    before = counts()
    inode = os.stat(db).st_ino
    result = bundled_nightly(tmp_path)
    assert counts() == before
    assert result["counts"].get("parsed", 0) == 0
    assert result["counts"]["unchanged"] == 2
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1
    # Nothing loaded, so no staged copy replaced the file; the run is recorded in it all the same.
    assert os.stat(db).st_ino == inode
    assert not (tmp_path / "cw.duckdb.staging").exists()
    con = duckdb.connect(str(db), read_only=True)
    try:
        runs = con.execute("SELECT run_id, status FROM runs ORDER BY started_at").fetchall()
        manifest = con.execute(
            "SELECT status, unchanged_count FROM run_manifests WHERE run_id = ?",
            [result["run_id"]],
        ).fetchall()
    finally:
        con.close()
    assert [status for _, status in runs] == ["completed", "completed"]
    assert runs[-1][0] == result["run_id"] and manifest == [("completed", 2)]


def test_first_run_publishes_the_change_report_as_a_keyed_artifact(first_run) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    from notify.static_report import artifact_key

    key = artifact_key("A/73/328", "A/77/277")
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key]))
        )
    assert artifacts
    assert "OECD" in str(artifacts[0].data)


def test_run_artifact_shows_the_last_diff_tables_and_says_how_many_it_left_out() -> None:
    from warehouse.runs.run_account import RunSummary

    summary = RunSummary("run-1", diffs=[f"table {n}" for n in range(10)], notes=["a note"])
    whole = summary.render()
    assert all(f"table {n}" in whole for n in range(10)) and "not shown" not in whole
    short = summary.render(max_diffs=4)
    assert [line for line in short.splitlines() if line.startswith("table")] == [
        "table 6",
        "table 7",
        "table 8",
        "table 9",
    ]
    assert "(6 earlier diff tables not shown here:" in short
    assert "NOTE: a note" in short
    assert RunSummary("run-2", diffs=["only"]).render(max_diffs=4).count("not shown") == 0


def _artifacts_of(flow_run_id: str) -> list:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    with get_client(sync_client=True) as client:
        return client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
        )


def test_every_run_publishes_one_artifact_with_its_account_and_manifest(first_run) -> None:
    import json

    from flows.run_artifact import RUN_ARTIFACT_KEY

    tmp_path, first = first_run
    first_keys = sorted(artifact.key for artifact in _artifacts_of(first["run_id"]))
    assert first_keys == ["coopwatch-a-73-328-vs-a-77-277", RUN_ARTIFACT_KEY]
    quiet = bundled_nightly(tmp_path)
    (artifact,) = _artifacts_of(quiet["run_id"])
    rows = artifact.data if isinstance(artifact.data, list) else json.loads(artifact.data)
    assert artifact.key == RUN_ARTIFACT_KEY and artifact.type == "table"
    assert sorted((row["symbol"], row["outcome"]) for row in rows) == [
        ("A/73/328", "unchanged"),
        ("A/77/277", "unchanged"),
    ]
    assert "unchanged 2" in artifact.description


def _quiet_copy(first_run, tmp_path: Path) -> Path:
    """A copy of the first run's warehouse in `tmp_path`, so a failing run there leaves the
    shared one (and its outbox) alone."""
    import shutil

    source, _ = first_run
    shutil.copyfile(source / "cw.duckdb", tmp_path / "cw.duckdb")
    return tmp_path


def _failed_run_id(failure: pytest.ExceptionInfo) -> str:
    import re

    match = re.match(r"run (\S+) finished", str(failure.value))
    assert match, str(failure.value)
    return match.group(1)


def test_a_write_that_fails_after_the_artifact_went_out_turns_it_to_failed(
    first_run, tmp_path, monkeypatch
) -> None:
    import flows.write_tasks
    from flows.nightly import RunFailed
    from flows.run_artifact import RUN_ARTIFACT_KEY

    folder = _quiet_copy(first_run, tmp_path)
    real_record = flows.write_tasks.record_run_in
    calls: list[str] = []

    def record_failing_once(con, run, summary, fetches=()):
        calls.append(run.status)
        if len(calls) == 1:
            raise RuntimeError("disk full while recording")
        real_record(con, run, summary, fetches)

    monkeypatch.setattr(flows.write_tasks, "record_run_in", record_failing_once)
    with pytest.raises(RunFailed, match="disk full while recording") as failure:
        bundled_nightly(folder)
    # The failed record-run task leaves an artifact of Prefect's own (no key) beside the run's.
    artifacts = _artifacts_of(_failed_run_id(failure))
    (artifact,) = [artifact for artifact in artifacts if artifact.key == RUN_ARTIFACT_KEY]
    assert calls == ["completed", "failed"]
    assert artifact.description.startswith(f"run {artifact.flow_run_id} failed")
    assert "disk full while recording" in artifact.description


def test_an_artifact_the_api_refused_ahead_is_created_at_the_end(
    first_run, tmp_path, monkeypatch
) -> None:
    from prefect.client.orchestration import SyncPrefectClient

    folder = _quiet_copy(first_run, tmp_path)
    real_create = SyncPrefectClient.create_artifact
    attempts: list[str | None] = []

    def refuse_once(self, artifact):
        attempts.append(artifact.key)
        if len(attempts) == 1:
            raise RuntimeError("503 from the API")
        return real_create(self, artifact)

    monkeypatch.setattr(SyncPrefectClient, "create_artifact", refuse_once)
    quiet = bundled_nightly(folder)
    (artifact,) = _artifacts_of(quiet["run_id"])
    assert len(attempts) == 2 and "unchanged 2" in artifact.description


def _counting_updates(monkeypatch) -> list:
    """Record every artifact update the run asks of the API (the real one still runs)."""
    from prefect.client.orchestration import SyncPrefectClient

    updates: list = []
    real_update = SyncPrefectClient.update_artifact

    def update_and_count(self, artifact_id, artifact):
        updates.append(artifact_id)
        return real_update(self, artifact_id, artifact)

    monkeypatch.setattr(SyncPrefectClient, "update_artifact", update_and_count)
    return updates


def test_a_quiet_night_publishes_its_artifact_once_and_never_corrects_it(
    first_run, tmp_path, monkeypatch
) -> None:
    updates = _counting_updates(monkeypatch)
    quiet = bundled_nightly(_quiet_copy(first_run, tmp_path))
    (artifact,) = _artifacts_of(quiet["run_id"])
    assert updates == []
    assert "email: nothing to send" in artifact.description


def test_a_quiet_night_that_sends_a_pending_digest_says_so_in_its_artifact(
    first_run, tmp_path, monkeypatch
) -> None:
    folder = _quiet_copy(first_run, tmp_path)
    con = duckdb.connect(str(folder / "cw.duckdb"))
    try:
        con.execute("UPDATE outbox SET status = 'pending', sent_at = NULL")
    finally:
        con.close()
    updates = _counting_updates(monkeypatch)
    quiet = bundled_nightly(folder)
    (artifact,) = _artifacts_of(quiet["run_id"])
    assert quiet["counts"]["unchanged"] == 2 and updates == []
    assert "email: sent 1" in artifact.description
    assert len(list((folder / "outbox").glob("*.eml"))) == 1
