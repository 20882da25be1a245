"""Subscriptions: a strict settings file, and per recipient the digest of what they follow,
on the real diff between the 2018 and 2022 editions."""

from __future__ import annotations

from pathlib import Path

import pytest
from warehouse_editions import enriched_editions, load_editions

from common.errors import SettingsError
from notify.digest import build_digest
from notify.subscriptions import (
    Subscriber,
    Subscriptions,
    digests_for,
    filter_diff,
    load_subscriptions,
    parse_subscriptions,
    plan_digests,
)
from warehouse.diff.change_events import ChangeEvent
from warehouse.diff.edition_diff import diff_editions
from warehouse.report_queries import organization_names, trajectory

SUBSCRIPTIONS = """\
# Who gets which digest.
default:
  - desk@example.org
recipients:
  oecd-watch@example.org:
    organizations: [OECD]
  portugal@example.org:
    organizations: [CPLP]
  health@example.org:
    areas: [health]
  west-africa@example.org:
    organizations: [ECOWAS, EAC]
"""
ORGANIZATIONS = {"AU", "OECD", "CPLP", "ECOWAS", "EAC"}
AREAS = {"health", "peace_security"}


@pytest.fixture(scope="module")
def diff():
    return diff_editions(*enriched_editions())


@pytest.fixture(scope="module")
def subscriptions(tmp_path_factory) -> Subscriptions:
    path = tmp_path_factory.mktemp("subscriptions") / "subscriptions.yaml"
    path.write_text(SUBSCRIPTIONS, encoding="utf-8")
    return load_subscriptions(path)


def test_file_is_read_against_the_reference_data(subscriptions) -> None:
    assert subscriptions.default == ("desk@example.org",)
    assert subscriptions.subscribers[0] == Subscriber(
        "oecd-watch@example.org", frozenset({"OECD"}), frozenset()
    )
    assert subscriptions.subscribers[2].areas == frozenset({"health"})
    assert len(subscriptions.recipients) == 5


def test_each_recipient_gets_what_they_follow_or_nothing(diff, subscriptions) -> None:
    digests = digests_for(diff, subscriptions)
    # ECOWAS and EAC are named in neither edition: nothing they follow changed.
    assert set(digests) == {
        "desk@example.org",
        "oecd-watch@example.org",
        "portugal@example.org",
        "health@example.org",
    }
    assert digests["desk@example.org"] is diff
    oecd = digests["oecd-watch@example.org"]
    assert {e.subject.split("|")[0] for e in oecd.events} == {"OECD"}
    assert ("organization", "OECD", "appeared") in {
        (e.kind, e.subject, e.change) for e in oecd.events
    }
    portugal = digests["portugal@example.org"]
    assert ("organization", "CPLP", "vanished") in {
        (e.kind, e.subject, e.change) for e in portugal.events
    }
    assert all("CPLP" in e.subject for e in portugal.events)
    health = digests["health@example.org"]
    assert all(e.subject == "health" or e.subject.endswith("|health") for e in health.events)
    assert health.redlines == ()


def test_digests_differ_per_recipient(tmp_path, diff, subscriptions) -> None:
    con = load_editions(tmp_path / "w.duckdb")
    data = {"trajectory": trajectory(con, "fr"), "names": organization_names(con, "fr")}
    digests = digests_for(diff, subscriptions)
    oecd = build_digest(digests["oecd-watch@example.org"], **data)
    portugal = build_digest(digests["portugal@example.org"], **data)
    assert oecd.change_set_id != portugal.change_set_id
    assert "1 new section (OECD)" in oecd.subject
    assert "CPLP" not in oecd.text
    assert "1 section vanished (CPLP)" in portugal.subject
    assert "OECD" not in portugal.subject


def test_recipients_of_the_same_cut_share_one_digest(diff) -> None:
    subscriptions = Subscriptions(
        default=("desk@example.org",),
        subscribers=(
            Subscriber("a@example.org", frozenset({"OECD"})),
            Subscriber("b@example.org", frozenset({"OECD"})),
            Subscriber("c@example.org", frozenset({"EAC"})),
        ),
    )
    plans = plan_digests(diff, subscriptions)
    assert [plan.recipients for plan in plans] == [
        ("desk@example.org",),
        ("a@example.org", "b@example.org"),
    ]
    assert len({plan.change_set_id for plan in plans}) == 2


def test_no_change_no_digest(diff) -> None:
    quiet = diff_editions(enriched_editions()[1], enriched_editions()[1])
    assert quiet.changed_events == ()
    subscriptions = Subscriptions(
        ("desk@example.org",), (Subscriber("a@example.org", frozenset({"AU"})),)
    )
    assert digests_for(quiet, subscriptions) == {}
    assert filter_diff(diff, Subscriber("x@example.org", frozenset({"ECOWAS"}))) is None


@pytest.mark.parametrize(
    ("text", "line", "field", "cause"),
    [
        (
            "recipients:\n  a@example.org:\n    organizations: [AU, NOPE]\n",
            3,
            "recipients.a@example.org.organizations[2]",
            "unknown organization id 'NOPE'",
        ),
        (
            "recipients:\n  a@example.org:\n    areas:\n      - health\n      - weather\n",
            5,
            "recipients.a@example.org.areas[2]",
            "unknown area id 'weather'",
        ),
        (
            "default: [desk@example.org, not-an-address]\n",
            1,
            "default[2]",
            "is not an email address",
        ),
        (
            "default: [a@example.org]\nrecipients:\n  A@example.org:\n    areas: [health]\n",
            3,
            "recipients.A@example.org",
            "listed twice (also at line 1)",
        ),
        (
            "recipients:\n  a@example.org:\n    organisations: [AU]\n",
            3,
            "recipients.a@example.org.organisations",
            "unknown key",
        ),
        ("recipients:\n  a@example.org: {}\n", 2, "recipients.a@example.org", "follows nothing"),
        ("recipients:\n  - a@example.org\n", 1, "recipients", "must be a mapping"),
        ("defaults: [a@example.org]\n", 1, "defaults", "unknown key"),
        ("default: a@example.org\n", 1, "default", "must be a list"),
        ("default: []\n", 1, "(top level)", "no recipients"),
    ],
)
def test_bad_subscriptions_name_file_line_and_field(
    text: str, line: int, field: str, cause: str
) -> None:
    with pytest.raises(SettingsError) as raised:
        parse_subscriptions(
            text, path="subscriptions.yaml", organization_ids=ORGANIZATIONS, area_ids=AREAS
        )
    error = raised.value
    assert (error.path, error.line, error.field) == ("subscriptions.yaml", line, field)
    assert cause in error.cause
    assert str(error).startswith(f"subscriptions.yaml:{line}: {field}: ")


def test_empty_or_missing_file_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing yet\n")
    with pytest.raises(SettingsError, match="empty.yaml: the file is empty"):
        load_subscriptions(empty)
    with pytest.raises(SettingsError, match="no such file"):
        load_subscriptions(tmp_path / "absent.yaml")


def test_following_a_broad_area_follows_its_sub_areas(tmp_path: Path) -> None:
    path = tmp_path / "subscriptions.yaml"
    path.write_text("recipients:\n  peace@example.org:\n    areas: [peace_security]\n")
    (subscriber,) = load_subscriptions(path).subscribers
    assert {"peace_security", "electoral_assistance", "peacekeeping"} <= subscriber.areas
    assert "health" not in subscriber.areas
    electoral = ChangeEvent("area", "electoral_assistance", "grew", old_count=1, new_count=9)
    assert subscriber.follows(electoral)
    assert not subscriber.follows(ChangeEvent("area", "health", "grew"))
