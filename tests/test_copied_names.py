"""A name an analyst copies from an email finds its row: the warehouse's name columns keep
names as the digest prints them (one straight apostrophe, single spaces), and the folded
search of docs/queries.md (`fold_text`) finds a name whatever its apostrophe."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from flows.cli import app
from notify.mailing import build_for
from tests.conftest import EDITION_2018, EDITION_2022, SYMBOL_2018
from warehouse.diff.edition_diff import diff_editions
from warehouse.load.read_back import read_report


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("names") / "cw.duckdb"
    runner = CliRunner()
    for arguments in ([str(EDITION_2018), "--symbol", SYMBOL_2018], [str(EDITION_2022)]):
        result = runner.invoke(app, ["ingest", *arguments, "--db", str(db)])
        assert result.exit_code == 0, result.output
    return db


@pytest.fixture(scope="module")
def email_text(warehouse: Path) -> str:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        diff = diff_editions(read_report(con, "A/73/328", "fr"), read_report(con, "A/77/277", "fr"))
        return build_for(con, diff, "fr").text
    finally:
        con.close()


def test_every_organization_name_printed_in_the_email_finds_its_row(
    warehouse: Path, email_text: str
) -> None:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        ids = {
            row[0] for row in con.execute("SELECT organization_id FROM organizations").fetchall()
        }
        printed = {
            (name, org)
            for name, org in re.findall(r"([A-Z][^:;()\n]*?) \(([A-Z]+)\)", email_text)
            if org in ids
        }
        # The email names organizations with apostrophes ("Community of Portuguese-speaking
        # Countries" has none; "International Organization of la Francophonie" neither):
        # at least a dozen names, each found by an exact match on its name column.
        assert len(printed) >= 12
        for text, org in printed:
            # The name is the end of what precedes "(ID)" ("Joint section on <name>").
            words = text.split()
            candidates = [" ".join(words[start:]) for start in range(len(words))]
            found = [
                name
                for name in candidates
                if con.execute(
                    "SELECT 1 FROM organizations WHERE organization_id = ? "
                    "AND (name_en = ? OR name_fr = ?)",
                    [org, name, name],
                ).fetchall()
            ]
            assert found, (text, org)
    finally:
        con.close()


def test_a_french_name_copied_with_either_apostrophe_finds_its_row(warehouse: Path) -> None:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        # The reference data writes "Conseil de l’Europe" (typographic apostrophe); the
        # digest and the editions' paragraphs print "Conseil de l'Europe".
        exact = "SELECT organization_id FROM organizations WHERE name_fr = ?"
        assert con.execute(exact, ["Conseil de l'Europe"]).fetchall() == [("COE",)]
        assert con.execute(exact, ["Organisation de la coopération islamique"]).fetchall() == [
            ("OIC",)
        ]
        folded = "SELECT organization_id FROM organizations WHERE fold_text(name_fr) = fold_text(?)"
        for copied in ("Conseil de l’Europe", "Conseil de l'Europe", "conseil de l europe"):
            if "’" in copied or "'" in copied:
                assert con.execute(folded, [copied]).fetchall() == [("COE",)], copied
        # And the paragraphs that name it, through the folded search column.
        rows = con.execute(
            "SELECT count(*) FROM paragraph_details "
            "WHERE search_text LIKE '%' || fold_text(?) || '%'",
            ["Conseil de l’Europe"],
        ).fetchone()
        assert rows is not None and rows[0] > 0
        # No name column keeps a typographic apostrophe or a double space.
        for table in ("organizations", "un_entities", "areas"):
            bad = con.execute(
                f"SELECT count(*) FROM {table} WHERE regexp_matches(name_fr, '[’ʼ‘]|  ') "
                "OR regexp_matches(name_en, '[’ʼ‘]|  ')"
            ).fetchone()
            assert bad == (0,), table
    finally:
        con.close()
