"""Reader-safe publishing: staged runs swap in atomically; failed or killed runs change nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest
from test_warehouse_samples import NEW, OLD, file_bytes, new_edition, old_edition

from warehouse.db.publish import run_access, staged, staging_path, written
from warehouse.db.schema import connect
from warehouse.db.storage_format import file_storage_version
from warehouse.load.loader import load_report
from warehouse.runs.run_rows import start_run

PROJECT_DIR = Path(__file__).resolve().parent.parent


class InjectedFailure(RuntimeError):
    """Raised by a test in the middle of a load."""


def _documents(path: Path) -> list[str]:
    con = connect(path, read_only=True)
    try:
        return [row[0] for row in con.execute("SELECT symbol FROM documents ORDER BY 1").fetchall()]
    finally:
        con.close()


def _publish_old(db: Path) -> None:
    with staged(db) as con:
        load_report(con, old_edition(), run_id="run-1", sha256="a", source_url=None)


def test_staged_creates_the_warehouse_and_leaves_no_staging_file(tmp_path) -> None:
    db = tmp_path / "coopwatch.duckdb"
    _publish_old(db)
    assert _documents(db) == [OLD]
    assert not staging_path(db).exists()
    assert not db.with_name(db.name + ".wal").exists()


def test_exception_mid_load_leaves_previous_file_byte_for_byte(tmp_path) -> None:
    db = tmp_path / "coopwatch.duckdb"
    _publish_old(db)
    before = file_bytes(db)
    with pytest.raises(InjectedFailure), staged(db) as con:
        load_report(con, new_edition(), run_id="run-2", sha256="b", source_url=None)
        con.execute("DELETE FROM paragraphs WHERE symbol = ?", [OLD])
        raise InjectedFailure("after some inserts")
    assert file_bytes(db) == before
    assert _documents(db) == [OLD]
    assert not staging_path(db).exists()


def test_killed_run_leaves_previous_file_and_next_run_recovers(tmp_path) -> None:
    db = tmp_path / "coopwatch.duckdb"
    _publish_old(db)
    before = file_bytes(db)
    script = textwrap.dedent(
        f"""
        import os, sys
        sys.path[:0] = [{str(PROJECT_DIR)!r}, {str(Path(__file__).parent)!r}]
        from test_warehouse_samples import new_edition
        from warehouse.load.loader import load_report
        from warehouse.db.publish import staged
        with staged({str(db)!r}) as con:
            load_report(con, new_edition(), run_id="run-2", sha256="b", source_url=None)
            os._exit(9)
        """
    )
    killed = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_DIR, timeout=60)
    assert killed.returncode == 9
    assert file_bytes(db) == before
    assert _documents(db) == [OLD]
    with staged(db) as con:
        load_report(con, new_edition(), run_id="run-3", sha256="b", source_url=None)
    assert _documents(db) == [OLD, NEW]
    assert not staging_path(db).exists()


_READER = textwrap.dedent(
    """
    import sys
    import duckdb

    def documents(con):
        return con.execute("SELECT count(*) FROM documents").fetchall()[0][0]

    held = duckdb.connect(sys.argv[1], read_only=True)
    print("before", documents(held), flush=True)
    sys.stdin.readline()
    print("held", documents(held), flush=True)
    held.close()
    fresh = duckdb.connect(sys.argv[1], read_only=True)
    print("fresh", documents(fresh), flush=True)
    fresh.close()
    """
)


def test_reader_in_another_process_keeps_old_content_until_it_reconnects(tmp_path) -> None:
    db = tmp_path / "coopwatch.duckdb"
    _publish_old(db)
    inode_before = os.stat(db).st_ino
    reader = subprocess.Popen(
        [sys.executable, "-c", _READER, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout is not None and reader.stdin is not None
        assert reader.stdout.readline().split() == ["before", "1"]
        with staged(db) as con:
            load_report(con, new_edition(), run_id="run-2", sha256="b", source_url=None)
        assert _documents(db) == [OLD, NEW]
        assert os.stat(db).st_ino != inode_before
        reader.stdin.write("go\n")
        reader.stdin.flush()
        assert reader.stdout.readline().split() == ["held", "1"]
        assert reader.stdout.readline().split() == ["fresh", "2"]
        assert reader.wait(timeout=30) == 0
    finally:
        reader.kill()
        reader.wait()


def test_writer_holding_the_file_makes_staged_fail_without_touching_it(tmp_path) -> None:
    db = tmp_path / "coopwatch.duckdb"
    _publish_old(db)
    script = textwrap.dedent(
        """
        import sys, duckdb
        con = duckdb.connect(sys.argv[1])
        print("open", flush=True)
        sys.stdin.readline()
        """
    )
    writer = subprocess.Popen(
        [sys.executable, "-c", script, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None and writer.stdin is not None
        assert writer.stdout.readline().strip() == "open"
        with pytest.raises(duckdb.IOException), staged(db):
            pytest.fail("staged() must not start while another process writes the file")
        assert not staging_path(db).exists()
    finally:
        writer.kill()
        writer.wait()
    assert _documents(db) == [OLD]


def _runs(path: Path) -> list[str]:
    con = connect(path, read_only=True)
    try:
        return [row[0] for row in con.execute("SELECT run_id FROM runs ORDER BY 1").fetchall()]
    finally:
        con.close()


def test_written_without_copy_commits_in_the_file_itself(tmp_path) -> None:
    db = tmp_path / "coopwatch.duckdb"
    _publish_old(db)
    inode_before = os.stat(db).st_ino
    with written(db, copy=False) as con:
        start_run(con, run_id="quiet", source="bundled", parameters={})
    assert os.stat(db).st_ino == inode_before
    assert not staging_path(db).exists()
    assert _runs(db) == ["quiet"] and _documents(db) == [OLD]


def test_written_without_copy_rolls_back_on_failure(tmp_path) -> None:
    db = tmp_path / "coopwatch.duckdb"
    _publish_old(db)
    with pytest.raises(InjectedFailure), written(db, copy=False) as con:
        start_run(con, run_id="quiet", source="bundled", parameters={})
        con.execute("DELETE FROM paragraphs WHERE symbol = ?", [OLD])
        raise InjectedFailure("after a write")
    assert _runs(db) == [] and _documents(db) == [OLD]
    con = connect(db, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM paragraphs").fetchall()[0][0] > 0
    finally:
        con.close()


def test_written_with_copy_publishes_a_staged_copy(tmp_path) -> None:
    db = tmp_path / "coopwatch.duckdb"
    _publish_old(db)
    inode_before = os.stat(db).st_ino
    with written(db, copy=True) as con:
        load_report(con, new_edition(), run_id="run-2", sha256="b", source_url=None)
    assert os.stat(db).st_ino != inode_before
    assert _documents(db) == [OLD, NEW]


def test_written_falls_back_to_a_copy_while_a_reader_holds_the_file(tmp_path) -> None:
    db = tmp_path / "coopwatch.duckdb"
    _publish_old(db)
    inode_before = os.stat(db).st_ino
    reader = subprocess.Popen(
        [sys.executable, "-c", _READER, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout is not None and reader.stdin is not None
        assert reader.stdout.readline().split() == ["before", "1"]
        with written(db, copy=False) as con:
            start_run(con, run_id="quiet", source="bundled", parameters={})
        assert os.stat(db).st_ino != inode_before
        assert _runs(db) == ["quiet"]
        reader.stdin.write("go\n")
        reader.stdin.flush()
        assert reader.stdout.readline().split() == ["held", "1"]
        assert reader.stdout.readline().split() == ["fresh", "1"]
        assert reader.wait(timeout=30) == 0
    finally:
        reader.kill()
        reader.wait()


def _counting_connects(monkeypatch) -> list[str]:
    """Record every duckdb.connect the code under test makes (the real one still runs)."""
    opened: list[str] = []
    real_connect = duckdb.connect

    def connect_and_count(database: str = ":memory:", *args, **kwargs):
        opened.append(str(database))
        return real_connect(database, *args, **kwargs)

    monkeypatch.setattr(duckdb, "connect", connect_and_count)
    return opened


def test_held_access_reads_and_writes_a_quiet_run_through_one_open(tmp_path, monkeypatch) -> None:
    db = tmp_path / "coopwatch.duckdb"
    _publish_old(db)
    inode_before = os.stat(db).st_ino
    opened = _counting_connects(monkeypatch)
    with run_access(db, hold=True) as access:
        assert [symbol for symbol, _ in access.states()] == [OLD]
        with access.written(copy=False) as con:
            start_run(con, run_id="quiet", source="bundled", parameters={})
    assert opened == [str(db)]
    assert os.stat(db).st_ino == inode_before and _runs(db) == ["quiet"]


def test_unheld_access_reads_read_only_and_writes_apart(tmp_path, monkeypatch) -> None:
    db = tmp_path / "coopwatch.duckdb"
    _publish_old(db)
    opened = _counting_connects(monkeypatch)
    with run_access(db, hold=False) as access:
        assert [symbol for symbol, _ in access.states()] == [OLD]
        with access.written(copy=False) as con:
            start_run(con, run_id="quiet", source="bundled", parameters={})
    assert opened == [str(db), str(db)] and _runs(db) == ["quiet"]


def test_held_access_lets_readers_in_once_released(tmp_path) -> None:
    db = tmp_path / "coopwatch.duckdb"
    _publish_old(db)
    with run_access(db, hold=True) as access:
        access.states()
        access.release()
        assert _documents(db) == [OLD]
        with access.written(copy=True) as con:
            load_report(con, new_edition(), run_id="run-2", sha256="b", source_url=None)
    assert _documents(db) == [OLD, NEW]


def test_held_access_rolls_back_a_failed_write_and_lets_go(tmp_path) -> None:
    db = tmp_path / "coopwatch.duckdb"
    _publish_old(db)
    with run_access(db, hold=True) as access:
        with pytest.raises(InjectedFailure), access.written(copy=False) as con:
            start_run(con, run_id="quiet", source="bundled", parameters={})
            raise InjectedFailure("after a write")
        assert _runs(db) == []
        with access.written(copy=False) as con:
            start_run(con, run_id="recorded", source="bundled", parameters={})
    assert _runs(db) == ["recorded"]


def test_held_access_on_a_new_warehouse_reads_nothing_and_stages(tmp_path) -> None:
    db = tmp_path / "coopwatch.duckdb"
    with run_access(db, hold=True) as access:
        assert access.states() == {}
        with access.written(copy=True) as con:
            load_report(con, old_edition(), run_id="run-1", sha256="a", source_url=None)
    assert _documents(db) == [OLD]


def test_a_quiet_held_write_is_closed_behind_and_checkpointed_by_the_end(tmp_path) -> None:
    db = tmp_path / "coopwatch.duckdb"
    _publish_old(db)
    with run_access(db, hold=True) as access:
        access.states()
        with access.written(copy=False) as con:
            start_run(con, run_id="quiet", source="bundled", parameters={})
    # Released: the file is closed (another connection may write), its WAL checkpointed in.
    assert not db.with_name(db.name + ".wal").exists()
    with written(db, copy=False) as con:
        start_run(con, run_id="next", source="bundled", parameters={})
    assert _runs(db) == ["next", "quiet"]


def test_held_access_opens_in_the_background_and_raises_its_error_at_first_use(
    tmp_path, monkeypatch
) -> None:
    import fcntl

    import warehouse.db.publish

    db = tmp_path / "coopwatch.duckdb"
    _publish_old(db)

    def failing_open(path: Path) -> None:
        raise InjectedFailure(f"cannot open {path.name}")

    monkeypatch.setattr(warehouse.db.publish, "_open_in_place", failing_open)
    with run_access(db, hold=True) as access:
        with pytest.raises(InjectedFailure, match="cannot open coopwatch.duckdb"):
            access.states()
        # The failed opening let go of the writer lock: another writer may take it at once.
        with open(db.with_name(db.name + ".lock"), "a+b") as lock:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)
        # The error is raised once; the run then reads through a read-only connection.
        assert [symbol for symbol, _ in access.states()] == [OLD]


def test_held_access_released_before_use_waits_for_its_opening(tmp_path) -> None:
    db = tmp_path / "coopwatch.duckdb"
    _publish_old(db)
    with run_access(db, hold=True) as access:
        access.release()
        assert _documents(db) == [OLD]
        with written(db, copy=False) as con:
            start_run(con, run_id="other", source="bundled", parameters={})
    assert _runs(db) == ["other"]


def _storage_tag(db: Path) -> str:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return str(file_storage_version(con))
    finally:
        con.close()


def test_every_new_or_rebuilt_file_is_written_in_the_storage_duckdb_1_1_reads(tmp_path) -> None:
    # DuckDB reports storage format 64, what DuckDB 1.0 and 1.1 read, as "v1.0.0+".
    db = tmp_path / "coopwatch.duckdb"
    _publish_old(db)
    assert _storage_tag(db) == "v1.0.0+"
    with staged(db) as con:
        load_report(con, new_edition(), run_id="run-2", sha256="b", source_url=None)
    assert _storage_tag(db) == "v1.0.0+"
    with staged(db, fresh=True) as con:
        load_report(con, old_edition(), run_id="run-3", sha256="a", source_url=None)
    assert _storage_tag(db) == "v1.0.0+"
    with written(db, copy=False) as con:
        start_run(con, run_id="run-4", source="bundled", parameters={})
    assert _storage_tag(db) == "v1.0.0+"


def test_a_file_in_a_newer_storage_is_rewritten_by_the_next_write(tmp_path) -> None:
    db = tmp_path / "coopwatch.duckdb"
    newer = duckdb.connect(str(db))  # DuckDB's own default: its newest storage
    newer.close()
    con = connect(db)  # the schema applied in place, the file keeps its storage
    load_report(con, old_edition(), run_id="run-1", sha256="a", source_url=None)
    con.execute("COMMENT ON TABLE runs IS 'kept by the rewrite'")
    con.close()
    assert _storage_tag(db) != "v1.0.0+"
    with written(db, copy=False) as con:  # a quiet write cannot rewrite in place: it stages
        start_run(con, run_id="run-2", source="bundled", parameters={})
    assert _storage_tag(db) == "v1.0.0+"
    assert _documents(db) == [OLD]
    reader = connect(db, read_only=True)
    try:
        assert reader.execute(
            "SELECT comment FROM duckdb_tables() WHERE table_name = 'runs'"
        ).fetchall() == [("kept by the rewrite",)]
        assert reader.execute("SELECT run_id FROM runs ORDER BY 1").fetchall() == [("run-2",)]
    finally:
        reader.close()
