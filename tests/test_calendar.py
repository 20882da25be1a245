"""The edition calendar: rhythm and next edition from the loaded editions, overdue given a
day, and a settings file whose errors name file, line and field."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from warehouse_editions import load_editions

from common.errors import SettingsError
from warehouse.runs.edition_calendar import (
    CalendarSettings,
    EditionPoint,
    derive_calendar,
    edition_calendar,
    load_calendar_settings,
    series_points,
)


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    con = load_editions(tmp_path_factory.mktemp("calendar") / "w.duckdb")
    yield con
    con.close()


def test_series_points_are_the_loaded_editions_and_the_ones_they_cite(con) -> None:
    # 2018 is dated 17 August 2018 on its cover; 2022's text has no cover; each cites the
    # edition before it (A/71/160-S/2016/621 and A/75/345-S/2020/898).
    assert series_points(con) == [
        EditionPoint("A/71/160", 2016, None, False),
        EditionPoint("A/73/328", 2018, 8, True),
        EditionPoint("A/75/345", 2020, None, False),
        EditionPoint("A/77/277", 2022, None, True),
    ]


def test_calendar_of_the_real_editions_is_biennial(con) -> None:
    calendar = edition_calendar(con, date(2024, 9, 30))
    assert calendar.rhythm == "biennial" and calendar.rhythm_months == 24
    assert calendar.last_symbol == "A/77/277"
    # Undated editions take the month of the dated one (August): 2022-08 + 24 months.
    assert calendar.next_expected == "2024-08"
    assert not calendar.overdue


def test_overdue_after_the_grace_months(con) -> None:
    assert not edition_calendar(con, date(2024, 10, 31)).overdue
    late = edition_calendar(con, date(2024, 11, 1))
    assert late.overdue and late.months_overdue == 1
    strict = edition_calendar(con, date(2024, 9, 1), CalendarSettings(grace_months=0))
    assert strict.overdue


def test_settings_fix_the_rhythm_and_the_usual_month() -> None:
    points = [EditionPoint("A/1", 2020, None, True), EditionPoint("A/2", 2021, None, True)]
    derived = derive_calendar(points, date(2021, 6, 1))
    assert (derived.rhythm, derived.next_expected) == ("annual", "2022-12")
    fixed = derive_calendar(
        points, date(2021, 6, 1), CalendarSettings(rhythm_months=24, usual_month=3)
    )
    assert (fixed.rhythm, fixed.next_expected) == ("biennial", "2023-03")


def test_one_edition_gives_no_expectation() -> None:
    calendar = derive_calendar([EditionPoint("A/1", 2020, 5, True)], date(2030, 1, 1))
    assert (calendar.rhythm, calendar.next_expected, calendar.overdue) == ("unknown", None, False)
    assert derive_calendar([], date(2030, 1, 1)).last_symbol is None


def test_settings_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "calendar.yaml"
    path.write_text("# the series\nrhythm_months: 24\ngrace_months: 1\nno_success_days: 5\n")
    assert load_calendar_settings(path) == CalendarSettings(
        rhythm_months=24, grace_months=1, no_success_days=5
    )


@pytest.mark.parametrize(
    ("text", "line", "field", "cause"),
    [
        ("grace_months: 2\nrhythm: 24\n", 2, "rhythm", "unknown key"),
        ("grace_months: 2\nusual_month: 13\n", 2, "usual_month", "must be at most 12"),
        ("rhythm_months: two\n", 1, "rhythm_months", "must be a whole number"),
        ("grace_months: 1\ngrace_months: 2\n", 2, "grace_months", "appears twice"),
        ("- 24\n", 1, "(top level)", "must be a mapping"),
        ("grace_months: [1\n", 2, None, "not valid YAML"),
    ],
)
def test_bad_settings_name_file_line_and_field(
    tmp_path: Path, text: str, line: int, field: str | None, cause: str
) -> None:
    path = tmp_path / "calendar.yaml"
    path.write_text(text)
    with pytest.raises(SettingsError) as raised:
        load_calendar_settings(path)
    error = raised.value
    assert (error.path, error.line, error.field) == (str(path), line, field)
    assert cause in error.cause
    assert str(error).startswith(f"{path}:{line}: ")


def test_missing_settings_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="no such file"):
        load_calendar_settings(tmp_path / "absent.yaml")
