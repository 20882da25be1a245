"""Column-wise inserts (warehouse/db/columns.py) into a real DuckDB file: every SQL type the
warehouse writes goes in through Arrow and comes back as it was given."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warehouse.db.columns import Column, Transaction, insert_columns
from warehouse.db.schema import connect

_TABLE = (
    "CREATE TABLE sample (run_id VARCHAR, name VARCHAR, count INTEGER, big BIGINT, "
    "share DOUBLE, flag BOOLEAN, day DATE, stamped_at TIMESTAMP, detail JSON, tags VARCHAR[], "
    "numbers INTEGER[])"
)


@pytest.fixture()
def con(tmp_path):
    connection = connect(tmp_path / "columns.duckdb")
    connection.execute(_TABLE)
    yield connection
    connection.close()


def test_every_type_round_trips_with_nulls_and_empty_lists(con) -> None:
    inserted = insert_columns(
        con,
        "sample",
        {
            "name": Column("VARCHAR", ["Union africaine", None]),
            "count": Column("INTEGER", range(2)),
            "big": Column("BIGINT", [2**40, None]),
            "share": Column("DOUBLE", [0.25, None]),
            "flag": Column("BOOLEAN", [True, None]),
            "day": Column("DATE", [date(2022, 8, 5), None]),
            "stamped_at": Column("TIMESTAMP", [datetime(2022, 8, 5, 10, 30), None]),
            "detail": Column("JSON", [json.dumps({"reason": "en-tête"}, ensure_ascii=False), None]),
            "tags": Column("VARCHAR[]", [["AU", "CEEAC"], []]),
            "numbers": Column("INTEGER[]", [[1, 2], None]),
        },
        {"run_id": "run-1"},
    )
    assert inserted == 2
    rows = con.execute("SELECT * FROM sample ORDER BY count").fetchall()
    assert rows == [
        (
            "run-1",
            "Union africaine",
            0,
            2**40,
            0.25,
            True,
            date(2022, 8, 5),
            datetime(2022, 8, 5, 10, 30),
            '{"reason": "en-tête"}',
            ["AU", "CEEAC"],
            [1, 2],
        ),
        ("run-1", None, 1, None, None, None, None, None, None, [], None),
    ]


def test_no_rows_sends_nothing(con) -> None:
    assert insert_columns(con, "sample", {"name": Column("VARCHAR", [])}) == 0
    assert con.execute("SELECT count(*) FROM sample").fetchone() == (0,)


def test_columns_of_different_lengths_are_refused_naming_the_table(con) -> None:
    with pytest.raises(ValueError, match=r"sample: columns of different lengths \[1, 2\]"):
        insert_columns(
            con,
            "sample",
            {"name": Column("VARCHAR", ["a", "b"]), "count": Column("INTEGER", [1])},
        )


def test_a_type_without_an_arrow_counterpart_is_refused_naming_the_column(con) -> None:
    with pytest.raises(ValueError, match=r"sample\.share: no Arrow type for SQL type DECIMAL"):
        insert_columns(con, "sample", {"share": Column("DECIMAL", [1])})


def test_a_value_that_does_not_fit_its_type_is_refused_naming_the_column(con) -> None:
    with pytest.raises(ValueError, match=r"sample\.count \(INTEGER\): .*str"):
        insert_columns(con, "sample", {"count": Column("INTEGER", [1, "two"])})
    with pytest.raises(ValueError, match=r"sample\.count \(INTEGER\): .*"):
        insert_columns(con, "sample", {"count": Column("INTEGER", [2**40])})
    assert con.execute("SELECT count(*) FROM sample").fetchone() == (0,)


class _TracingConnection:
    """A connection wrapper, as a tracer or a statement counter would put around it."""

    def __init__(self, con) -> None:
        self.con = con
        self.statements: list[str] = []

    def execute(self, sql, *args):
        self.statements.append(sql)
        return self.con.execute(sql, *args)


def test_inserts_work_through_a_wrapped_connection(con) -> None:
    traced = _TracingConnection(con)
    insert_columns(traced, "sample", {"name": Column("VARCHAR", ["OSCE"])})
    assert len(traced.statements) == 1
    assert con.execute("SELECT name FROM sample").fetchall() == [("OSCE",)]


def test_a_transaction_rolls_back_when_its_block_raises(con) -> None:
    with pytest.raises(RuntimeError), Transaction(con):
        insert_columns(con, "sample", {"name": Column("VARCHAR", ["ASEAN"])})
        raise RuntimeError("failed after the insert")
    assert con.execute("SELECT count(*) FROM sample").fetchone() == (0,)


@pytest.fixture(scope="module")
def property_con(tmp_path_factory):
    """One warehouse file for every example: applying the schema per example cost 0.3 s."""
    connection = connect(tmp_path_factory.mktemp("property") / "rows.duckdb")
    yield connection
    connection.close()


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.text(max_size=30)),
            st.integers(min_value=-(2**31), max_value=2**31 - 1),
            st.lists(st.text(max_size=10), max_size=4),
        ),
        max_size=30,
    )
)
def test_any_rows_come_back_in_order_as_given(property_con, rows) -> None:
    con = property_con
    con.execute(_TABLE.replace("CREATE TABLE", "CREATE OR REPLACE TABLE"))
    insert_columns(
        con,
        "sample",
        {
            "name": Column("VARCHAR", [row[0] for row in rows]),
            "count": Column("INTEGER", [row[1] for row in rows]),
            "tags": Column("VARCHAR[]", [row[2] for row in rows]),
            "big": Column("BIGINT", range(len(rows))),
        },
    )
    stored = con.execute("SELECT name, count, tags FROM sample ORDER BY big").fetchall()
    assert stored == [tuple(row) for row in rows]
