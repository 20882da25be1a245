"""Schema: applied idempotently, versioned with forward migrations, documented inside DuckDB."""

from __future__ import annotations

import duckdb
import pytest
from test_warehouse_samples import file_bytes, new_edition, old_edition, sample_diff

from common.errors import SchemaVersionError
from warehouse.db.dictionary import data_dictionary, dictionary_markdown
from warehouse.db.schema import (
    SCHEMA_VERSION,
    SQL_DIR,
    connect,
    migrations,
    schema_version,
    user_objects,
)
from warehouse.diff.diff_store import store_diff
from warehouse.export import export_parquet
from warehouse.load.loader import load_report

TABLES = {
    "schema_migrations",
    "schema_state",
    "runs",
    "fetches",
    "documents",
    "editions",
    "chapters",
    "sections",
    "paragraphs",
    "organizations",
    "organization_aliases",
    "un_entities",
    "un_entity_aliases",
    "areas",
    "area_triggers",
    "paragraph_organizations",
    "paragraph_un_entities",
    "paragraph_areas",
    "citations",
    "edition_diffs",
    "change_events",
    "redlines",
    "edition_similarity",
    "run_manifests",
    "outbox",
    "parses",
    "reissues",
    "alerts",
    "unresolved_citations",
    "edition_companions",
    "resolutions",
    "resolution_paragraphs",
    "resolution_organizations",
    "footnotes",
}
VIEWS = {
    "section_organizations",
    "organizations_by_edition",
    "areas_by_edition",
    "organization_trajectory",
    "partnerships_by_edition",
    "citation_graph",
    "latest_change_events",
    "mandates",
    "mandate_coverage",
    "mandate_check",
    "paragraph_details",
    "organization_sections_aligned",
}


def test_new_file_gets_every_table_and_view_at_the_latest_version(tmp_path) -> None:
    con = connect(tmp_path / "w.duckdb")
    assert (
        schema_version(con)
        == SCHEMA_VERSION
        == len(list((SQL_DIR / "migrations").glob("*.sql"))) + 1
    )
    objects = user_objects(con)
    assert {name for name, kind in objects if kind == "table"} == TABLES
    assert {name for name, kind in objects if kind == "view"} == VIEWS
    log = con.execute("SELECT version, name FROM schema_migrations ORDER BY 1").fetchall()
    assert log == [(m.version, m.name) for m in migrations()]


def test_connecting_again_applies_nothing_and_writes_nothing(tmp_path) -> None:
    path = tmp_path / "w.duckdb"
    connect(path).close()
    before = file_bytes(path)
    con = connect(path)
    assert con.execute("SELECT count(*) FROM schema_migrations").fetchall() == [(SCHEMA_VERSION,)]
    con.close()
    assert file_bytes(path) == before


def test_file_at_version_1_is_migrated_forward(tmp_path) -> None:
    path = tmp_path / "old.duckdb"
    raw = duckdb.connect(str(path))
    raw.execute(migrations()[0].sql)
    raw.execute("INSERT INTO schema_migrations VALUES (1, 'schema.sql', now()::TIMESTAMP)")
    raw.close()
    con = connect(path)
    assert schema_version(con) == SCHEMA_VERSION
    assert con.execute("SELECT count(*) FROM parses").fetchall() == [(0,)]
    assert con.execute("SELECT count(*) FROM organizations_by_edition").fetchall() == [(0,)]


def test_file_from_a_newer_coopwatch_is_refused(tmp_path) -> None:
    path = tmp_path / "w.duckdb"
    con = connect(path)
    con.execute(
        "INSERT INTO schema_migrations VALUES (?, 'future.sql', now()::TIMESTAMP)",
        [SCHEMA_VERSION + 1],
    )
    con.close()
    with pytest.raises(SchemaVersionError, match="newer"):
        connect(path)


def test_changed_views_file_is_reapplied(tmp_path) -> None:
    path = tmp_path / "w.duckdb"
    con = connect(path)
    con.execute("DROP VIEW latest_change_events")
    con.execute("UPDATE schema_state SET value = 'stale' WHERE key = 'views_sha256'")
    con.close()
    con = connect(path)
    assert ("latest_change_events", "view") in user_objects(con)


def test_read_only_connection_needs_an_existing_file_and_writes_nothing(tmp_path) -> None:
    with pytest.raises(FileNotFoundError, match="no warehouse"):
        connect(tmp_path / "missing.duckdb", read_only=True)
    path = tmp_path / "w.duckdb"
    connect(path).close()
    before = file_bytes(path)
    con = connect(path, read_only=True)
    with pytest.raises(duckdb.Error):
        con.execute("DELETE FROM runs")
    con.close()
    assert file_bytes(path) == before


def test_every_table_view_and_column_has_a_comment(tmp_path) -> None:
    con = connect(tmp_path / "w.duckdb")
    bare_columns = con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() "
        "WHERE schema_name = 'main' AND NOT internal AND coalesce(trim(comment), '') = ''"
    ).fetchall()
    bare_tables = con.execute(
        "SELECT table_name FROM duckdb_tables() "
        "WHERE schema_name = 'main' AND coalesce(trim(comment), '') = ''"
    ).fetchall()
    bare_views = con.execute(
        "SELECT view_name FROM duckdb_views() "
        "WHERE schema_name = 'main' AND NOT internal AND coalesce(trim(comment), '') = ''"
    ).fetchall()
    assert (bare_columns, bare_tables, bare_views) == ([], [], [])
    described = con.execute(
        "SELECT count(*) FROM duckdb_columns() WHERE schema_name = 'main' AND NOT internal"
    ).fetchall()[0][0]
    assert described > 200


def test_data_dictionary_lists_every_column_with_its_comment(tmp_path) -> None:
    con = connect(tmp_path / "w.duckdb")
    docs = data_dictionary(con)
    columns = con.execute(
        "SELECT count(*) FROM duckdb_columns() WHERE schema_name = 'main' AND NOT internal"
    ).fetchall()[0][0]
    assert len(docs) == columns
    sha = next(d for d in docs if (d.object_name, d.column_name) == ("documents", "sha256"))
    assert sha.object_type == "table" and sha.data_type == "VARCHAR"
    assert "SHA-256" in (sha.comment or "")
    markdown = dictionary_markdown(con)
    for name in TABLES:
        assert f"## table `{name}`" in markdown
    for name in VIEWS:
        assert f"## view `{name}`" in markdown
    assert "| `evidence_old` | INTEGER[] | Paragraph numbers of the older edition" in markdown
    assert f"schema version {SCHEMA_VERSION}" in markdown


def test_export_writes_every_table_and_view_as_parquet(tmp_path) -> None:
    con = connect(tmp_path / "w.duckdb")
    load_report(con, old_edition(), run_id="r", sha256="a", source_url=None)
    load_report(con, new_edition(), run_id="r", sha256="b", source_url=None)
    store_diff(con, sample_diff(), run_id="r")
    paths = export_parquet(con, tmp_path / "export")
    assert sorted(p.stem for p in paths) == sorted(TABLES | VIEWS)
    for path in paths:
        exported = con.execute(f"SELECT count(*) FROM read_parquet('{path}')").fetchall()
        stored = con.execute(f'SELECT count(*) FROM "{path.stem}"').fetchall()
        assert exported == stored, path.stem
    evidence = con.execute(
        f"SELECT evidence_new FROM read_parquet('{tmp_path / 'export' / 'change_events.parquet'}') "
        "WHERE subject = 'AU'"
    ).fetchall()
    assert evidence == [([2, 3, 4],)]
