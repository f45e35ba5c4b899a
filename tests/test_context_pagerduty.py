"""PagerDuty exports as context: incidents, pages per week, schedules' rotations and sites.

The real files are read from ../shared/real-context (skipped when it is not beside the project); the
figures asserted on them were counted by hand in the files, as each comment says. Edge cases use
fixtures written here, in the shapes the PagerDuty REST API returns.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from roadmap_audit.config import Limits
from roadmap_audit.errors import InputError
from roadmap_audit.load.context import pagerduty

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "real-context"
needs_real = pytest.mark.skipif(
    not REAL.is_dir(), reason="../shared/real-context is not beside the project"
)


@dataclass
class Ctx:
    quarter_start: dt.date | None = None
    window_weeks: int = 13
    limits: Limits | None = None


def _load(rel: str):
    return json.loads((REAL / rel).read_text(encoding="utf-8"))


def _values(parts):
    out = {}
    for part in parts:
        for team, fields in part.team_values.items():
            for name, derived in fields.items():
                out[(team, name)] = derived.value
    return out


def _problems(part):
    return [i.problem for i in part.issues]


def _notes(part):
    """(location, problem) as the data-quality section shows them."""
    return [(i.ref.location, i.problem) for i in part.issues]


# ---------------------------------------------------------------- real files

ONCALL = [
    "oncall/fh_pd_escalation_policies_targets.json",
    "oncall/fh_pd_schedules_with_layers.json",
    "oncall/fh_pd_services_with_teams.json",
    "oncall/fh_pd_teams-pteam01-members.json",
    "oncall/fh_pd_teams.json",
    "oncall/fh_pd_users.json",
]


@needs_real
def test_every_real_pagerduty_response_is_recognised():
    for rel in [*ONCALL, "pagerduty/xsoar_pd_v2_incidents_list.json"]:
        assert pagerduty.sniff(_load(rel)), rel
    # the OpenAPI document itself is a spec, not an export: not claimed (its examples are read below)
    assert not pagerduty.sniff(_load("pagerduty/pd_official_openapiv3.json"))


@needs_real
def test_real_schedules_give_rotation_sizes_and_sites():
    parts = pagerduty.read_all(
        [(_load(rel), rel) for rel in ONCALL], Ctx(quarter_start=dt.date(2026, 7, 1))
    )
    values = _values(parts)
    # Counted by hand in fh_pd_schedules_with_layers.json: 5 schedules, each with teams[] naming one team.
    #   P3D7DLW "Jen - primary" (Page Responder Team): Layer 2 = Kiran; Layer 1 = Acme Engineering, Wong -> 3;
    #     fh_pd_users.json: Kiran, Wong America/Los_Angeles, Acme Engineering America/New_York -> 2 zones.
    #   PVJMUIC "CS-on-call" (CS-Team-Test): Layer 1 = Wiley -> 1; Wiley (P1VTA5W) is not in users.json.
    #   P85QTXZ (Jack Team): "Jack retired layer" ended 2020-01-01 (Jack T.), Layer 1 = Jack T. -> 1.
    #   PGR96WL (Service Catalog Team): Layer 1 = Horse -> 1, America/Los_Angeles.
    #   PSCHED01 "weekend-rotation" (acme-platform): Layer 6 = 7 users PU01A..PU01G, all America/Los_Angeles.
    assert values == {
        ("Page Responder Team", "oncall_rotation"): 3,
        ("Page Responder Team", "oncall_sites"): 2,
        ("CS-Team-Test", "oncall_rotation"): 1,
        ("Jack Team", "oncall_rotation"): 1,
        ("Jack Team", "oncall_sites"): 1,
        ("Service Catalog Team", "oncall_rotation"): 1,
        ("Service Catalog Team", "oncall_sites"): 1,
        ("acme-platform", "oncall_rotation"): 7,
        ("acme-platform", "oncall_sites"): 1,
    }
    schedules = parts[1]
    derived = schedules.team_values["Page Responder Team"]["oncall_rotation"]
    assert derived.ref.source == "oncall/fh_pd_schedules_with_layers.json"
    assert derived.ref.key == "Schedule P3D7DLW Jen - primary"
    assert (
        "America/Los_Angeles, America/New_York"
        in schedules.team_values["Page Responder Team"]["oncall_sites"].note
    )
    problems = _problems(schedules)
    assert any("Jack retired layer (ended 2020-01-01)" in p for p in problems)
    assert (
        "on-call sites of team CS-Team-Test not derived: 1 of the 1 rotation member(s) have no time zone in "
        "the export (add the users list)"
    ) in problems  # a count, never the person's name
    # services list says more: true (one page of a longer list); the members list names no team
    assert any("more: true" in p for p in _problems(parts[2]))
    assert any("does not say which team" in p for p in _problems(parts[3]))
    assert all(not p.incidents for p in parts)


@needs_real
def test_real_incident_list_is_read_and_says_it_has_no_team():
    rel = "pagerduty/xsoar_pd_v2_incidents_list.json"
    part = pagerduty.read(_load(rel), rel, Ctx(quarter_start=dt.date(2024, 1, 1)))
    # By hand: 2 incidents, ids emptied by the redaction, incident_number 1578 and 1579, service summary
    # "API Service", teams [], urgency high; created 05:51:15 / 05:52:03 and resolved 13 s later each.
    assert [(i.id, i.service, i.team, i.severity, i.started) for i in part.incidents] == [
        ("#1578", "API Service", None, "high", dt.date(2023, 11, 19)),
        ("#1579", "API Service", None, "high", dt.date(2023, 11, 19)),
    ]
    assert [i.duration_minutes for i in part.incidents] == [0.2, 0.2]
    assert part.team_values == {}  # no team: no team's pages
    problems = _problems(part)
    assert (
        sum("incidents of service API Service name no team" in p for p in problems) == 1
    )  # once per cause
    assert any("offset 0, limit 2, more: true" in p for p in problems)


def _api_example(path: str, method: str, name: str):
    spec = _load("pagerduty/pd_official_openapiv3.json")
    return spec["paths"][path][method]["responses"]["200"]["content"]["application/json"][
        "examples"
    ][name]["value"]


@needs_real
def test_official_examples_incidents_and_analytics():
    # /incidents GET example, by hand: 1 incident PT4KHLK, service "My Mail Service", team Engineering,
    # priority P2, urgency high, created 2015-10-06T21:30:42Z, resolved 21:38:23Z (7 min 41 s = 7.7 min).
    part = pagerduty.read(
        _api_example("/incidents", "get", "response"),
        "incidents.json",
        Ctx(quarter_start=dt.date(2016, 1, 1)),
    )
    [inc] = part.incidents
    assert (inc.id, inc.service, inc.team, inc.severity, inc.duration_minutes) == (
        "PT4KHLK",
        "My Mail Service",
        "Engineering",
        "P2",
        7.7,
    )
    pages = part.team_values["Engineering"]["pages_per_week"]
    assert pages.value == round(1 / 13, 2)  # 1 page in the 13 weeks 2015-10-02 .. 2015-12-31
    assert pages.ref.key == "Service My Mail Service / Team Engineering"
    assert pages.note.startswith(
        "1 high-urgency incidents over 13 weeks before the quarter (2015-10-02"
    )
    # /analytics/raw/incidents example, by hand: 2 incidents, both urgency low, PYC0H08 (service Engineering,
    # no team, 3305 s to resolve) and PCOOHCY (Social media tracking, team_name Marketing, SEV-2, 2029 s).
    part = pagerduty.read(
        _api_example("/analytics/raw/incidents", "post", "Example Response"),
        "raw.json",
        Ctx(quarter_start=dt.date(2023, 7, 1)),
    )
    assert [(i.id, i.team, i.severity, i.duration_minutes) for i in part.incidents] == [
        ("PYC0H08", None, "low", 55.1),
        ("PCOOHCY", "Marketing", "SEV-2", 33.8),
    ]
    assert part.incidents[0].responders == ["John Smith", "Jane Doe"]
    assert part.team_values == {}  # low urgency is no page
    assert any("2 low-urgency incident(s)" in p for p in _problems(part))


@needs_real
def test_official_schedule_examples_active_layers():
    # /schedules "With Schedule Layers": 1 schedule, its only layer "Night Shift" ended 2016-11-06.
    part = pagerduty.read(
        _api_example("/schedules", "get", "With Schedule Layers"),
        "s.json",
        Ctx(quarter_start=dt.date(2026, 7, 1)),
    )
    assert part.team_values == {}
    assert any("no active layer" in p for p in _problems(part))
    # /schedules/{id}: team Engineering, Layer 1 (no end) with Regina Phalange -> 1
    part = pagerduty.read(
        _api_example("/schedules/{id}", "get", "response"),
        "s.json",
        Ctx(quarter_start=dt.date(2026, 7, 1)),
    )
    assert _values([part]) == {("Engineering", "oncall_rotation"): 1}


# ---------------------------------------------------------------- generated fixtures


def _user(uid, name):
    return {"user": {"id": uid, "type": "user_reference", "summary": name}}


def _incident(
    n,
    created,
    *,
    team="Payments",
    service=("PSVC1", "payments-api"),
    urgency="high",
    resolved=None,
    **extra,
):
    inc = {
        "id": f"PINC{n:03d}",
        "type": "incident",
        "incident_number": n,
        "created_at": created,
        "status": "resolved" if resolved else "triggered",
        "urgency": urgency,
        "service": {"id": service[0], "type": "service_reference", "summary": service[1]},
        "escalation_policy": {
            "id": "PEP1",
            "type": "escalation_policy_reference",
            "summary": "Payments EP",
        },
        "teams": [{"id": "PT1", "type": "team_reference", "summary": team}] if team else [],
        "resolved_at": resolved,
    }
    inc.update(extra)
    return inc


def test_pages_per_week_over_the_window_before_the_quarter():
    quarter = dt.date(2026, 7, 1)  # window: 2026-04-01 .. 2026-06-30
    incidents = [_incident(i, f"2026-04-{1 + i % 28:02d}T10:00:00+02:00") for i in range(26)]
    incidents += [_incident(100 + i, "2026-05-10T03:00:00Z", urgency="low") for i in range(3)]
    incidents += [_incident(200, "2026-03-31T23:00:00Z"), _incident(201, "2026-07-01T00:00:00Z")]
    doc = {"incidents": incidents, "limit": 100, "offset": 0, "more": False, "total": None}
    part = pagerduty.read(doc, "pd.json", Ctx(quarter_start=quarter))
    # the Incidents sheet is the last quarter's: the 2 outside the window are counted in a note, not listed
    assert len(part.incidents) == 29
    assert (
        "pd.json",
        "2 incident(s) outside the 13 weeks before the quarter (2026-04-01 to 2026-06-30), or with "
        "no start, are not listed as incidents: the Incidents sheet holds the last quarter's",
    ) in _notes(part)
    pages = part.team_values["Payments"]["pages_per_week"]
    assert (
        pages.value == 2.0
    )  # 26 high-urgency in the window / 13 weeks; 3 low and 2 outside not counted
    assert (
        pages.note
        == "26 high-urgency incidents over 13 weeks before the quarter (2026-04-01 to 2026-06-30)"
    )
    assert pages.ref.key == "Service payments-api / Team Payments"
    # a shorter window is a config setting
    part = pagerduty.read(doc, "pd.json", Ctx(quarter_start=quarter, window_weeks=4))
    assert (
        part.team_values["Payments"]["pages_per_week"].value == 0
    )  # nothing in 2026-06-03 .. 2026-06-30


def test_paged_lists_read_together_count_each_incident_once():
    first = [_incident(i, "2026-05-01T10:00:00Z") for i in range(3)]
    second = [
        _incident(2, "2026-05-01T10:00:00Z"),
        _incident(3, "2026-05-02T10:00:00Z"),
    ]  # 2 overlaps
    docs = [
        ({"incidents": first, "limit": 3, "offset": 0, "more": True}, "page1.json"),
        ({"incidents": second, "limit": 3, "offset": 2, "more": False}, "page2.json"),
    ]
    parts = pagerduty.read_all(docs, Ctx(quarter_start=dt.date(2026, 7, 1)))
    assert [len(p.incidents) for p in parts] == [3, 1]
    assert any("more: true" in p for p in _problems(parts[0]))
    assert ("Incident PINC002", "appears twice (pages that overlap); read once") in _notes(parts[1])
    # one rate over both pages (3 + 1 distinct incidents), held by the first file, never one rate per page
    pages = parts[0].team_values["Payments"]["pages_per_week"]
    assert pages.value == round(4 / 13, 2)
    assert pages.note.endswith("read across 2 files (page1.json, page2.json)")
    assert parts[1].team_values == {}


def test_no_team_found_through_services_and_policies_else_noted_once():
    incidents = [_incident(i, "2026-05-01T10:00:00Z", team=None) for i in range(4)]
    doc = {"incidents": incidents, "limit": 25, "offset": 0, "more": False}
    alone = pagerduty.read(doc, "inc.json", Ctx(quarter_start=dt.date(2026, 7, 1)))
    assert alone.team_values == {}
    assert sum("name no team" in p for p in _problems(alone)) == 1
    assert "(4 times" in next(p for p in _problems(alone) if "name no team" in p)
    services = {
        "services": [
            {
                "id": "PSVC1",
                "type": "service",
                "name": "payments-api",
                "escalation_policy": {"id": "PEP1", "type": "escalation_policy_reference"},
                "teams": [{"id": "PT9", "type": "team_reference", "summary": "Payments Core"}],
            }
        ],
        "limit": 25,
        "offset": 0,
        "more": False,
    }
    parts = pagerduty.read_all(
        [(doc, "inc.json"), (services, "services.json")], Ctx(quarter_start=dt.date(2026, 7, 1))
    )
    assert {i.team for i in parts[0].incidents} == {"Payments Core"}
    assert parts[0].team_values["Payments Core"]["pages_per_week"].value == round(4 / 13, 2)


def test_legacy_v1_incident_shape():
    doc = {
        "incidents": [
            {
                "id": "PIJ90N7",
                "incident_number": 1,
                "created_on": "2012-12-22T00:35:21Z",
                "status": "resolved",
                "last_status_change_on": "2012-12-22T01:35:21Z",
                "urgency": "high",
                "service": {
                    "id": "PBAZLIU",
                    "name": "Checkout",
                    "html_url": "https://acme.pagerduty.com/services/PBAZLIU",
                },
                "escalation_policy": {"id": "PUS0KTE", "name": "Default"},
                "assigned_to_user": {
                    "id": "PPI9KUT",
                    "name": "Alan Kay",
                    "email": "alan@pagerduty.com",
                },
                "trigger_summary_data": {"subject": "45645"},
            }
        ],
        "limit": 100,
        "offset": 0,
        "total": 1,
    }
    assert pagerduty.sniff(doc)
    part = pagerduty.read(doc, "v1.json", Ctx(quarter_start=dt.date(2013, 1, 1)))
    [inc] = part.incidents
    assert (inc.id, inc.service, inc.started, inc.duration_minutes, inc.responders) == (
        "PIJ90N7",
        "Checkout",
        dt.date(2012, 12, 22),
        60.0,
        ["Alan Kay"],
    )


def _schedule(layers, *, teams=("Payments",), eps=()):
    return {
        "id": "PSCH1",
        "type": "schedule",
        "name": "Payments primary",
        "time_zone": "Europe/Berlin",
        "teams": [
            {"id": f"PT{i}", "type": "team_reference", "summary": t} for i, t in enumerate(teams)
        ],
        "escalation_policies": [{"id": e, "type": "escalation_policy_reference"} for e in eps],
        "schedule_layers": layers,
    }


def test_ended_layers_do_not_count():
    old = {
        "name": "Old",
        "start": "2025-01-01T00:00:00+01:00",
        "end": "2026-03-01T00:00:00+01:00",
        "users": [_user("PU1", "Ana"), _user("PU2", "Ben"), _user("PU3", "Cy"), _user("PU4", "Di")],
    }
    later = {
        "name": "Ends in quarter",
        "start": "2026-03-01T00:00:00+01:00",
        "end": "2026-08-01T00:00:00+02:00",
        "users": [_user("PU1", "Ana"), _user("PU5", "Ed")],
    }
    new = {
        "name": "New",
        "start": "2026-03-01T00:00:00+01:00",
        "end": None,
        "users": [_user("PU5", "Ed"), _user("PU6", "Flo")],
    }
    doc = {"schedules": [_schedule([old, later, new])], "limit": 25, "offset": 0, "more": False}
    part = pagerduty.read(doc, "sched.json", Ctx(quarter_start=dt.date(2026, 7, 1)))
    rot = part.team_values["Payments"]["oncall_rotation"]
    assert rot.value == 3  # Ana, Ed, Flo; Ben, Cy, Di only in the layer that ended on 2026-03-01
    assert rot.note == "3 people in active layer(s) Ends in quarter, New"
    assert "oncall_sites" not in part.team_values["Payments"]  # no users list: time zones unknown
    assert any("Old (ended 2026-03-01)" in p for p in _problems(part))
    users = {
        "users": [
            {"id": f"PU{i}", "type": "user", "name": n, "time_zone": z}
            for i, n, z in [
                (1, "Ana", "Europe/Berlin"),
                (5, "Ed", "Asia/Singapore"),
                (6, "Flo", "Europe/Berlin"),
            ]
        ],
        "limit": 25,
        "offset": 0,
        "more": False,
    }
    parts = pagerduty.read_all(
        [(doc, "sched.json"), (users, "users.json")], Ctx(quarter_start=dt.date(2026, 7, 1))
    )
    assert parts[0].team_values["Payments"]["oncall_sites"].value == 2


def test_schedule_team_through_escalation_policy_and_service():
    layer = {
        "name": "L1",
        "start": "2026-01-01T00:00:00Z",
        "users": [_user("PU1", "Ana"), _user("PU2", "Ben")],
    }
    sched = {
        "schedules": [_schedule([layer], teams=(), eps=("PEP1",))],
        "limit": 25,
        "offset": 0,
        "more": False,
    }
    alone = pagerduty.read(sched, "s.json", Ctx(quarter_start=dt.date(2026, 7, 1)))
    assert alone.team_values == {}
    assert any("names no team" in p for p in _problems(alone))
    services = {
        "services": [
            {
                "id": "PSVC1",
                "type": "service",
                "name": "payments-api",
                "escalation_policy": {"id": "PEP1", "type": "escalation_policy_reference"},
                "teams": [{"id": "PT1", "type": "team_reference", "summary": "Payments"}],
            }
        ],
        "limit": 25,
        "offset": 0,
        "more": False,
    }
    parts = pagerduty.read_all(
        [(sched, "s.json"), (services, "svc.json")], Ctx(quarter_start=dt.date(2026, 7, 1))
    )
    rot = parts[0].team_values["Payments"]["oncall_rotation"]
    assert rot.value == 2 and "a service using its escalation policy" in rot.note
    # an escalation policy that targets the schedule and names a team links it, even when the schedule
    # lists no policy (the /schedules response without include[]=escalation_policies)
    bare = {"schedules": [_schedule([layer], teams=())], "limit": 25, "offset": 0, "more": False}
    policies = {
        "escalation_policies": [
            {
                "id": "PEP7",
                "type": "escalation_policy",
                "name": "Ledger EP",
                "teams": [{"id": "PT7", "type": "team_reference", "summary": "Ledger"}],
                "escalation_rules": [
                    {
                        "escalation_delay_in_minutes": 30,
                        "targets": [{"id": "PSCH1", "type": "schedule_reference", "summary": "x"}],
                    }
                ],
            }
        ],
        "limit": 25,
        "offset": 0,
        "more": False,
    }
    parts = pagerduty.read_all(
        [(policies, "ep.json"), (bare, "s.json")], Ctx(quarter_start=dt.date(2026, 7, 1))
    )
    rot = parts[1].team_values["Ledger"]["oncall_rotation"]
    assert rot.value == 2 and rot.note.endswith("(team: its escalation policy's team)")


def test_garbage_is_a_note_never_a_traceback():
    doc = {
        "incidents": [
            _incident(1, "yesterday-ish"),
            "not an incident",
            {"type": "incident"},
            _incident(2, "2026-05-01T10:00:00Z", resolved="2026-04-01T10:00:00Z"),
            _incident(3, 12345),
        ],
        "limit": 25,
        "offset": 0,
        "more": False,
    }
    part = pagerduty.read(doc, "bad.json", Ctx(quarter_start=dt.date(2026, 7, 1)))
    problems = " | ".join(_problems(part))
    assert "'yesterday-ish' is not an ISO-8601 date and time" in problems
    assert "entry 2 of the list is not an incident" in problems
    assert "entry 3 has neither an id nor an incident number" in problems
    assert "resolved (2026-04-01T10:00:00Z) before it was created" in problems
    assert [i.id for i in part.incidents] == [
        "PINC002"
    ]  # the two without a readable start are not listed
    assert any(p.startswith("2 incident(s) outside the 13 weeks") for p in _problems(part))
    assert [i.id for i in pagerduty.read(doc, "bad.json", Ctx()).incidents] == [
        "PINC001",
        "PINC002",
        "PINC003",
    ]
    bad_layers = {
        "schedules": [
            _schedule(
                [{"name": "L", "end": "soon", "users": [_user("PU1", "Ana"), "x", {}]}, "junk"]
            )
        ],
        "limit": 1,
        "offset": 0,
        "more": False,
    }
    part = pagerduty.read(bad_layers, "s.json", Ctx())
    assert part.team_values["Payments"]["oncall_rotation"].value == 1
    assert any("'soon' is not an ISO-8601" in p for p in _problems(part))
    # wrong JSON types where lists are expected, and a year no plan has: notes, not tracebacks
    odd = _schedule([{"name": "L", "users": "Ana"}], teams=())
    odd.update({"escalation_policies": 1.5, "teams": "Payments"})
    part = pagerduty.read({"schedules": [odd], "limit": 1, "offset": 0}, "s.json", Ctx())
    assert part.team_values == {} and any("names no team" in p for p in _problems(part))
    far = {
        "incidents": [_incident(9, "9999-12-31T23:59:59+14:00", assignments="x")],
        "limit": 1,
        "offset": 0,
    }
    part = pagerduty.read(far, "far.json", Ctx())
    assert any("has year 9999, outside 1900-2200" in p for p in _problems(part))


def test_size_limit_is_exit_2():
    doc = {
        "incidents": [_incident(i, "2026-05-01T10:00:00Z") for i in range(5)],
        "limit": 5,
        "offset": 0,
    }
    with pytest.raises(InputError, match="has 5 incidents, more than the limit of 4"):
        pagerduty.read(doc, "big.json", Ctx(limits=Limits(max_rows=4)))


def test_sniff_claims_pagerduty_shapes_only():
    assert pagerduty.sniff({"incidents": [], "limit": 25, "offset": 0, "more": False})
    assert pagerduty.sniff(
        {"data": [{"id": "P1", "seconds_to_resolve": 3, "service_name": "x"}], "more": False}
    )
    assert not pagerduty.sniff(
        {"issues": [{"key": "PAY-1"}], "startAt": 0, "total": 1}
    )  # Jira search
    assert not pagerduty.sniff(
        {"data": [{"id": "x", "tinyId": "1"}], "took": 0.01, "requestId": "r"}
    )  # Opsgenie
    assert not pagerduty.sniff({"teams": [{"name": "a"}]})
    assert not pagerduty.sniff([1, 2])
    assert not pagerduty.sniff({"data": [{"id": 1}]})


def test_no_quarter_start_uses_the_span_of_the_data_when_long_enough():
    incidents = [
        _incident(i, f"2026-0{m}-01T10:00:00Z") for i, m in enumerate((1, 2, 3))
    ]  # 2026-01-01..03-01
    doc = {"incidents": incidents, "limit": 25, "offset": 0, "more": False}
    part = pagerduty.read(doc, "pd.json", Ctx())
    pages = part.team_values["Payments"]["pages_per_week"]
    assert pages.value == round(3 / (60 / 7), 2)  # 60 days from 01-01 to 03-01 inclusive
    assert "no quarter start was given" in pages.note
    short = pagerduty.read(
        {"incidents": incidents[:2][:1], "limit": 25, "offset": 0}, "pd.json", Ctx()
    )
    assert short.team_values == {}
    assert any("no weekly rate" in p for p in _problems(short))


def test_a_paged_alert_is_counted_once_as_a_page_never_again_as_an_incident(tmp_path):
    """Each PagerDuty incident is a page: its time reaches capacity through pages per week, and the
    capacity model's per-incident charge is left to the incidents a workbook types."""
    from roadmap_audit.analyze.capacity import CapacityParams
    from roadmap_audit.analyze.facts import Vocabulary, derive
    from roadmap_audit.engine import builtin_rules_dir
    from roadmap_audit.load import load_plan

    incidents = [
        {
            "id": f"Q{n}",
            "type": "incident",
            "created_at": f"2026-05-{1 + n % 28:02d}T02:00:00+00:00",
            "resolved_at": f"2026-05-{1 + n % 28:02d}T03:00:00+00:00",
            "urgency": "high",
            "service": {"id": "S1", "type": "service_reference", "summary": "payments-api"},
            "teams": [{"id": "T1", "type": "team_reference", "summary": "payments"}],
        }
        for n in range(26)
    ]
    context = tmp_path / "pd"
    context.mkdir()
    (context / "incidents.json").write_text(
        json.dumps({"incidents": incidents, "limit": 100, "offset": 0, "more": False}),
        encoding="utf-8",
    )
    (tmp_path / "items.csv").write_text(
        "key,title,team,estimate\nP-1,Refund export,payments,2\n", encoding="utf-8"
    )
    (tmp_path / "teams.csv").write_text(
        "team,headcount,oncall_rotation\npayments,6,6\n", encoding="utf-8"
    )
    plan = load_plan(tmp_path, [context], quarter="2026-Q3")
    assert len(plan.incidents) == 26 and all(i.paged for i in plan.incidents)
    assert plan.teams[0].pages_per_week == 2.0  # 26 over the 13 weeks before the quarter
    vocabulary = Vocabulary.from_file(builtin_rules_dir() / "vocabulary.toml")
    facts = derive(plan, CapacityParams(), vocabulary, quarter="2026-Q3")
    ops = {d.label: d.weeks for d in facts.capacity["payments"].ops_breakdown}
    assert (
        ops["pages"] > 0 and ops["incidents"] == 0
    )  # 26 alerts: pages, not 26 x 6 h of incidents too
