"""Opsgenie exports as context: alerts as pages, incidents, schedules' rotations and sites.

Real files from ../shared/real-context/opsgenie (skipped when absent), figures counted by hand as the
comments say; edge cases from fixtures written here in the Opsgenie v2 response shapes.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from roadmap_audit.config import Limits
from roadmap_audit.errors import InputError
from roadmap_audit.load.context import opsgenie, pagerduty

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "real-context"
needs_real = pytest.mark.skipif(
    not REAL.is_dir(), reason="../shared/real-context is not beside the project"
)

OPSGENIE = [
    "opsgenie/fh_og_schedule_with_rotations.json",
    "opsgenie/fh_og_team_members.json",
    "opsgenie/fh_og_teams.json",
    "opsgenie/fh_og_users.json",
    "opsgenie/xsoar_og_v2_alerts_list.json",
]


@dataclass
class Ctx:
    quarter_start: dt.date | None = None
    window_weeks: int = 13
    limits: Limits | None = None


def _load(rel: str):
    return json.loads((REAL / rel).read_text(encoding="utf-8"))


def _problems(part):
    return [i.problem for i in part.issues]


def _notes(part):
    """(location, problem) as the data-quality section shows them."""
    return [(i.ref.location, i.problem) for i in part.issues]


@needs_real
def test_every_real_opsgenie_response_is_recognised_and_no_pagerduty_one_is():
    for rel in OPSGENIE:
        assert opsgenie.sniff(_load(rel)), rel
        assert not pagerduty.sniff(_load(rel)), rel
    for rel in [
        "oncall/fh_pd_schedules_with_layers.json",
        "oncall/fh_pd_users.json",
        "oncall/fh_pd_teams.json",
        "pagerduty/xsoar_pd_v2_incidents_list.json",
    ]:
        assert not opsgenie.sniff(_load(rel)), rel


@needs_real
def test_real_opsgenie_files_read_together():
    parts = opsgenie.read_all(
        [(_load(rel), rel) for rel in OPSGENIE], Ctx(quarter_start=dt.date(2022, 1, 1))
    )
    schedule, _members, _teams, _users, alerts = parts
    # By hand, fh_og_schedule_with_rotations.json: ownerTeam "Customer Success"; 4 rotations (Rot1, Daily
    # Length 2, Weekly Length 3, Hourly Length 5), every endDate null, each with the one participant
    # john.doe@opsgenie.com, whose timeZone in fh_og_users.json is America/New_York -> rotation 1, 1 site.
    values = schedule.team_values["Customer Success"]
    assert values["oncall_rotation"].value == 1
    assert values["oncall_rotation"].note == (
        "1 person in active rotation(s) Rot1, Daily Length 2, Weekly Length 3, Hourly Length 5"
    )
    assert values["oncall_rotation"].ref.key == "Schedule Customer Success_schedule"
    assert values["oncall_sites"].value == 1 and "America/New_York" in values["oncall_sites"].note
    # By hand, xsoar_og_v2_alerts_list.json: 1 alert, tinyId 163, P3, created 2021-11-24T12:14:40.926Z,
    # teams [], ownerTeamId "", responders []; paging.next is set (one page of 143).
    [alert] = alerts.incidents
    assert (alert.id, alert.severity, alert.started, alert.team, alert.service) == (
        "163",
        "P3",
        dt.date(2021, 11, 24),
        None,
        None,
    )
    assert alerts.team_values == {}
    problems = _problems(alerts)
    assert any("alerts name no team" in p for p in problems)
    assert any("one page of a longer list" in p for p in problems)
    assert all(not p.incidents and not p.team_values for p in parts[1:4])


def _alert(n, created, *, team_id="t-pay", priority="P2", **extra):
    alert = {
        "id": f"a-{n}",
        "tinyId": str(n),
        "message": f"alert {n}",
        "status": "closed",
        "acknowledged": True,
        "count": 1,
        "createdAt": created,
        "priority": priority,
        "teams": [{"id": team_id}] if team_id else [],
        "responders": [],
        "ownerTeamId": "",
    }
    alert.update(extra)
    return alert


TEAMS = {
    "data": [{"id": "t-pay", "name": "Payments"}, {"id": "t-web", "name": "Web"}],
    "took": 0.01,
    "requestId": "r1",
}


def test_alerts_are_pages_per_week_for_named_teams():
    alerts = [_alert(i, f"2026-05-{1 + i:02d}T08:00:00.123Z") for i in range(13)]
    alerts += [
        _alert(50, "2026-06-01T08:00:00Z", team_id="t-web"),
        _alert(51, "2026-01-01T08:00:00Z"),
    ]
    alerts.append(_alert(52, "2026-06-02T08:00:00Z", team_id="t-unknown"))
    doc = {"data": alerts, "paging": {"first": "x"}, "took": 0.02, "requestId": "r2"}
    parts = opsgenie.read_all(
        [(doc, "alerts.json"), (TEAMS, "teams.json")], Ctx(quarter_start=dt.date(2026, 7, 1))
    )
    part = parts[0]
    assert (
        len(part.incidents) == 15
    )  # alert 51 (2026-01-01) is before the window: counted in a note
    assert any(p.startswith("1 alert(s) outside the 13 weeks") for p in _problems(part))
    assert (
        part.team_values["Payments"]["pages_per_week"].value == 1.0
    )  # 13 in 2026-04-01..06-30, 1 before
    assert part.team_values["Payments"]["pages_per_week"].note.startswith("13 alerts over 13 weeks")
    assert part.team_values["Web"]["pages_per_week"].value == round(1 / 13, 2)
    assert any("team id t-unknown is named by no teams list" in p for p in _problems(part))
    assert "t-unknown" not in part.team_values


def test_alert_duration_and_responders_from_the_report():
    doc = {
        "data": [
            _alert(
                1,
                "2026-05-01T08:00:00Z",
                owner="ana@example.com",
                report={
                    "ackTime": 60000,
                    "closeTime": 5400000,
                    "acknowledgedBy": "ben@example.com",
                    "closedBy": "ana@example.com",
                },
            )
        ],
        "took": 0.01,
        "requestId": "r",
    }
    [inc] = opsgenie.read(doc, "a.json", Ctx()).incidents
    assert inc.duration_minutes == 90.0
    assert inc.responders == ["ana@example.com", "ben@example.com"]


def test_incidents_listed_with_service_and_owner_team_not_counted_as_pages():
    doc = {
        "data": [
            {
                "id": "i-1",
                "tinyId": "7",
                "message": "checkout down",
                "status": "resolved",
                "priority": "P1",
                "createdAt": "2026-05-01T10:00:00Z",
                "ownerTeam": "t-pay",
                "impactedServices": ["s-1"],
                "impactStartDate": "2026-05-01T09:50:00Z",
                "impactEndDate": "2026-05-01T11:20:00Z",
                "responders": [{"type": "user", "id": "u1"}],
            }
        ],
        "took": 0.01,
        "requestId": "r",
    }
    services = {
        "data": [{"id": "s-1", "name": "checkout", "teamId": "t-pay"}],
        "took": 0.01,
        "requestId": "r",
    }
    parts = opsgenie.read_all(
        [(doc, "inc.json"), (services, "svc.json"), (TEAMS, "teams.json")], Ctx()
    )
    [inc] = parts[0].incidents
    assert (inc.id, inc.service, inc.team, inc.severity, inc.started, inc.duration_minutes) == (
        "7",
        "checkout",
        "Payments",
        "P1",
        dt.date(2026, 5, 1),
        90.0,
    )
    assert parts[0].team_values == {}
    assert any("not counted as pages" in p for p in _problems(parts[0]))


def test_ended_rotations_and_team_participants():
    sched = {
        "data": {
            "id": "s1",
            "name": "payments_schedule",
            "timezone": "Europe/Berlin",
            "enabled": True,
            "ownerTeam": {"id": "t-pay", "name": "Payments"},
            "rotations": [
                {
                    "name": "old",
                    "startDate": "2025-01-01T00:00:00Z",
                    "endDate": "2026-02-01T00:00:00Z",
                    "type": "weekly",
                    "participants": [{"type": "user", "username": f"u{i}@x.io"} for i in range(5)],
                },
                {
                    "name": "current",
                    "startDate": "2026-02-01T00:00:00Z",
                    "endDate": None,
                    "type": "weekly",
                    "participants": [
                        {"type": "user", "username": "u0@x.io"},
                        {"type": "user", "username": "u9@x.io"},
                        {"type": "team", "id": "t-web"},
                    ],
                },
            ],
        },
        "took": 0.01,
        "requestId": "r",
    }
    part = opsgenie.read(sched, "s.json", Ctx(quarter_start=dt.date(2026, 7, 1)))
    rot = part.team_values["Payments"]["oncall_rotation"]
    assert rot.value == 2  # u0, u9; u1..u4 only in the rotation that ended 2026-02-01
    problems = _problems(part)
    assert any("old (ended 2026-02-01)" in p for p in problems)
    assert any("takes a team as a participant" in p for p in problems)
    assert any("on-call sites of team Payments not derived" in p for p in problems)


def test_schedule_without_owner_team_or_disabled_is_noted():
    base = {
        "id": "s1",
        "name": "orphan",
        "timezone": "UTC",
        "enabled": True,
        "rotations": [
            {"name": "r", "endDate": None, "participants": [{"type": "user", "username": "a@x"}]}
        ],
    }
    part = opsgenie.read({"data": base, "took": 0.01, "requestId": "r"}, "s.json", Ctx())
    assert part.team_values == {} and any("has no owner team" in p for p in _problems(part))
    part = opsgenie.read(
        {
            "data": {**base, "enabled": False, "ownerTeam": {"name": "Web"}},
            "took": 0.01,
            "requestId": "r",
        },
        "s.json",
        Ctx(),
    )
    assert part.team_values == {} and any("is disabled" in p for p in _problems(part))


def test_garbage_dates_are_notes_and_limits_apply():
    doc = {
        "data": [_alert(1, "31/12/2026"), _alert(2, None), "junk"],
        "took": 0.01,
        "requestId": "r",
    }
    part = opsgenie.read(doc, "a.json", Ctx(quarter_start=dt.date(2026, 7, 1)))
    problems = " | ".join(_problems(part))
    assert "'31/12/2026' is not an ISO-8601 date and time" in problems
    assert (
        "Alert 2",
        "has no creation time; listed without a start and not counted as a page",
    ) in _notes(part)
    assert "entry 3 of the list is not an alert" in problems
    with pytest.raises(InputError, match="more than the limit of 2"):
        opsgenie.read(doc, "a.json", Ctx(limits=Limits(max_rows=2)))


def test_sniff_negatives():
    assert not opsgenie.sniff({"incidents": [], "limit": 1, "offset": 0})
    assert not opsgenie.sniff({"data": [{"id": 1}]})  # no Opsgenie markers
    assert not opsgenie.sniff([{"tinyId": "1"}])
    assert opsgenie.sniff({"data": [{"tinyId": "1", "createdAt": "2026-01-01T00:00:00Z"}]})
