"""Build the Tidewater Jira samples in ``sample_plans/jira/``.

Run ``python sample_plans/build_jira_samples.py``. The data below is the sample;
edit it here, never in the generated files. Two runs write identical bytes.

Tidewater is a fictional parcel-delivery company: three teams (orders, payments,
platform) under two org units. Its quarter lives in Jira, and the same 25 issues
are written two ways:

* ``tidewater-2026-Q3.csv`` -- an English "Export CSV (all fields)" as Jira Cloud
  writes it: repeated headers (Labels, Components, Sprint, Watchers, Blocks
  links), ``Custom field (...)`` names, estimates in seconds, ``22/Sep/25 9:26 AM``
  dates, Epic Link for the orders stories, Parent (the numeric issue id) and
  Parent key for the others, Parent alone for sub-tasks.
* ``json/`` -- the same issues as two pages of ``/rest/api/3/search/jql``
  (``nextPageToken`` / ``isLast``), ADF descriptions, and ``fields.json``, the
  site's ``/rest/api/2/field`` list that names the custom fields.
* ``context.xlsx`` -- Teams, Services, Org and Settings, for ``--context``.

The stories the audit should find:

* ORD-1, the order-storage migration epic, has no rollback cell of its own, but its
  stories are its safety net: a dual write behind a flag (the way back), a throttled,
  idempotent backfill with checkpoints and a pause on replica lag, shadow reads. Neither
  MIG001 nor MIG002 fires on it, at issue or epic level, and its stories are steps of
  it, not migrations stacked on it (MIG003); PAY-3, the refunds flag and staged
  rollout, is not a launch stacked on PAY-1. ORD-5, the cutover story, is a step of
  ORD-1 rehearsed by its sibling ORD-4's shadow reads; PAY-7, a migration of its own
  with no rehearsal on a tier-1 service, is MIG002's finding.
* PAY-2 (refund endpoints, due 14 Aug) is blocked by PLAT-2 (mesh sidecars, due
  25 Sep): a schedule inversion for DEP002.
* PLAT-3 blocks ORD-5 and PAY-7 in the right order; PAY-8 depends on PAY-2 through a
  custom "Depends" link; ORD-8 only relates to PAY-4 (not a dependency).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from roadmap_audit.report.xlsx import pinned

HERE = Path(__file__).resolve().parent
OUT = HERE / "jira"
CSV_FILE = OUT / "tidewater-2026-Q3.csv"
JSON_DIR = OUT / "json"
CONTEXT_FILE = OUT / "context.xlsx"
FIXED_TIMESTAMP = dt.datetime(2026, 6, 1, 0, 0, 0)
SITE = "https://tidewater.atlassian.net"
WEEK = 40 * 3600  # seconds in one engineer-week, as Jira counts estimates

D = dt.date

# --------------------------------------------------------------------------
# The org (context workbook)
# --------------------------------------------------------------------------

SETTINGS = [
    ("quarter", "2026-Q3"),
    ("start", D(2026, 7, 6)),
    ("end", D(2026, 10, 2)),
    ("weeks", 13),
]

TEAM_COLUMNS = [
    "team",
    "parent",
    "headcount",
    "new_hires",
    "oncall_rotation",
    "ops_allocation",
    "pages_per_week",
    "toil_hours_per_week",
    "incidents_last_quarter",
    "points_per_week",
]
TEAMS = [
    ("orders", "commerce", 6, 1, 6, 0.2, 3, 10, 4, 3),
    ("payments", "commerce", 5, 0, 5, 0.25, 2, 8, 3, 3),
    ("platform", "infrastructure", 7, 2, 8, 0.3, 4, 20, 5, 2.5),
]

SERVICE_COLUMNS = [
    "service",
    "owner_team",
    "tier",
    "slo",
    "slo_measured",
    "error_budget_remaining",
    "error_budget_policy",
    "experts",
    "runbook",
    "depends_on",
    "dependency_protection",
]
SERVICES = [
    (
        "orders-api",
        "orders",
        1,
        "99.9%",
        "yes",
        0.4,
        "yes",
        "Ana Ruiz, Tom Becker",
        "wiki/orders-api-runbook",
        "orders-db, payments-api",
        "yes",
    ),
    (
        "orders-db",
        "orders",
        1,
        "99.95%",
        "yes",
        0.1,
        "yes",
        "Tom Becker, Lena Fischer",
        "wiki/orders-db-runbook",
        "",
        "",
    ),
    (
        "payments-api",
        "payments",
        1,
        "99.95%",
        "yes",
        0.6,
        "yes",
        "Priya Nair, Omar Haddad",
        "wiki/payments-runbook",
        "ledger",
        "yes",
    ),
    (
        "ledger",
        "payments",
        1,
        "99.99%",
        "yes",
        0.8,
        "yes",
        "Omar Haddad, Priya Nair",
        "wiki/ledger-runbook",
        "",
        "",
    ),
    (
        "service-mesh",
        "platform",
        1,
        "99.99%",
        "yes",
        0.5,
        "yes",
        "Kenji Sato, Maria Costa",
        "wiki/mesh-runbook",
        "",
        "",
    ),
    ("ci-runners", "platform", 3, "99.5%", "no", "", "", "Kenji Sato", "", "", ""),
]

ORG = [("engineering", None), ("commerce", "engineering"), ("infrastructure", "engineering")]

# --------------------------------------------------------------------------
# The issues
# --------------------------------------------------------------------------

PROJECTS = {"ORD": "Orders", "PAY": "Payments", "PLAT": "Platform"}

# key, type, summary, team, assignee, status, due, start, estimate (weeks) or points,
# components, labels, parent key, rollback plan, description
ISSUES: list[dict] = [
    dict(
        key="ORD-1",
        type="Epic",
        summary="Migrate order storage from MySQL 5.7 to Aurora PostgreSQL",
        team="orders",
        assignee="Ana Ruiz",
        status="In Progress",
        due=D(2026, 9, 25),
        start=D(2026, 7, 6),
        components=["orders-db", "orders-api"],
        labels=["q3-2026", "storage"],
        description="Move every order read and write to Aurora.\nMySQL 5.7 leaves support in October.",
    ),
    dict(
        key="ORD-2",
        type="Story",
        summary="Dual-write orders to MySQL and Aurora behind a flag",
        team="orders",
        assignee="Tom Becker",
        status="In Progress",
        due=D(2026, 7, 31),
        start=D(2026, 7, 6),
        weeks=3,
        left=2,
        components=["orders-api"],
        labels=["q3-2026"],
        parent="ORD-1",
        rollback="Turn the dual-write flag off; MySQL stays the source of truth.",
    ),
    dict(
        key="ORD-3",
        type="Story",
        summary="Backfill 40M historical orders in throttled batches",
        team="orders",
        assignee="Lena Fischer",
        status="To Do",
        due=D(2026, 8, 21),
        start=D(2026, 8, 3),
        weeks=2,
        components=["orders-db"],
        labels=["q3-2026"],
        parent="ORD-1",
        rollback="Batches are idempotent: drop the Aurora copy and start again.",
    ),
    dict(
        key="ORD-4",
        type="Story",
        summary="Shadow-read comparison dashboard for order reads",
        team="orders",
        assignee="Ana Ruiz",
        status="To Do",
        due=D(2026, 8, 28),
        weeks=1.5,
        components=["orders-api"],
        labels=["q3-2026"],
        parent="ORD-1",
    ),
    dict(
        key="ORD-5",
        type="Story",
        summary="Cut over order reads to Aurora",
        team="orders",
        assignee="Tom Becker",
        status="To Do",
        due=D(2026, 9, 18),
        start=D(2026, 9, 7),
        weeks=1,
        components=["orders-api", "orders-db"],
        labels=["q3-2026"],
        parent="ORD-1",
        rollback="Flip the read flag back to MySQL; takes under five minutes.",
        blocked_by=["PLAT-3"],
    ),
    dict(
        key="ORD-6",
        type="Sub-task",
        summary="Checkpoint each batch so a rerun resumes where it stopped",
        team="orders",
        assignee="Lena Fischer",
        status="To Do",
        weeks=1,
        components=["orders-db"],
        parent="ORD-3",
    ),
    dict(
        key="ORD-7",
        type="Sub-task",
        summary="Pause the copy when replica lag passes 30 s",
        team="orders",
        assignee="Lena Fischer",
        status="To Do",
        weeks=0.5,
        components=["orders-db"],
        parent="ORD-3",
    ),
    dict(
        key="ORD-8",
        type="Story",
        summary="Order export API for partners",
        team="orders",
        assignee="Ana Ruiz",
        status="To Do",
        due=D(2026, 9, 11),
        weeks=3,
        components=["orders-api"],
        labels=["partners"],
        relates=["PAY-4"],
        description='Partners asked for a "pull" API.\tCSV export stays as is.',
    ),
    dict(
        key="ORD-9",
        type="Task",
        summary="Harden order status webhooks",
        team="orders",
        status="To Do",
        components=["orders-api"],
    ),
    dict(
        key="ORD-10",
        type="Bug",
        summary="Order totals off by one cent on split shipments",
        team="orders",
        assignee="Tom Becker",
        status="Done",
        weeks=0.5,
        components=["orders-api"],
    ),
    dict(
        key="PAY-1",
        type="Epic",
        summary="Launch refunds on Ledger API v2",
        team="payments",
        assignee="Priya Nair",
        status="To Do",
        due=D(2026, 9, 4),
        components=["payments-api", "ledger"],
        labels=["q3-2026"],
        description="Self-service refunds for merchants, on the new ledger API.",
    ),
    dict(
        key="PAY-2",
        type="Story",
        summary="Refund endpoints on Ledger API v2",
        team="payments",
        assignee="Omar Haddad",
        status="To Do",
        due=D(2026, 8, 14),
        start=D(2026, 7, 13),
        points=13,
        components=["payments-api"],
        labels=["q3-2026"],
        parent="PAY-1",
        blocked_by=["PLAT-2"],
    ),
    dict(
        key="PAY-3",
        type="Story",
        summary="Feature flag and staged rollout for refunds",
        team="payments",
        assignee="Priya Nair",
        status="To Do",
        due=D(2026, 8, 28),
        points=5,
        components=["payments-api"],
        labels=["q3-2026"],
        parent="PAY-1",
    ),
    dict(
        key="PAY-4",
        type="Story",
        summary="Reconciliation job for refund ledger entries",
        team="payments",
        assignee="Omar Haddad",
        status="To Do",
        due=D(2026, 9, 4),
        points=8,
        components=["ledger"],
        labels=["q3-2026"],
        parent="PAY-1",
    ),
    dict(
        key="PAY-5",
        type="Bug",
        summary="Duplicate refund webhook on retry",
        team="payments",
        assignee="Priya Nair",
        status="Done",
        points=2,
        components=["payments-api"],
        parent="PAY-1",
    ),
    dict(
        key="PAY-6",
        type="Story",
        summary="PCI evidence for the refunds flow",
        team="payments",
        assignee="Priya Nair",
        status="To Do",
        due=D(2026, 9, 25),
        points=5,
        components=["payments-api"],
        labels=["compliance"],
    ),
    dict(
        key="PAY-7",
        type="Story",
        summary="Migrate card vault tokens to the new KMS key",
        team="payments",
        assignee="Omar Haddad",
        status="To Do",
        due=D(2026, 8, 21),
        points=8,
        components=["payments-api"],
        rollback="Keep the old key active for 30 days; tokens re-encrypt back in one job.",
        blocked_by=["PLAT-3"],
    ),
    dict(
        key="PAY-8",
        type="Story",
        summary="Refund notifications by e-mail",
        team="payments",
        status="To Do",
        due=D(2026, 9, 18),
        points=3,
        components=["payments-api"],
        depends=["PAY-2"],
    ),
    dict(
        key="PLAT-1",
        type="Epic",
        summary="Upgrade the service mesh to Istio 1.22",
        team="platform",
        assignee="Kenji Sato",
        status="In Progress",
        due=D(2026, 9, 30),
        components=["service-mesh"],
        labels=["q3-2026"],
    ),
    dict(
        key="PLAT-2",
        type="Story",
        summary="Roll the 1.22 sidecars out to the production clusters",
        team="platform",
        assignee="Kenji Sato",
        status="To Do",
        due=D(2026, 9, 25),
        start=D(2026, 8, 31),
        weeks=4,
        components=["service-mesh"],
        labels=["q3-2026"],
        parent="PLAT-1",
    ),
    dict(
        key="PLAT-3",
        type="Story",
        summary="mTLS between orders-api and the Aurora proxy",
        team="platform",
        assignee="Maria Costa",
        status="In Progress",
        due=D(2026, 8, 7),
        start=D(2026, 7, 13),
        weeks=2,
        components=["service-mesh"],
        labels=["q3-2026"],
        parent="PLAT-1",
    ),
    dict(
        key="PLAT-4",
        type="Story",
        summary="Runbooks and alerts for the mesh control plane",
        team="platform",
        assignee="Maria Costa",
        status="To Do",
        due=D(2026, 9, 11),
        weeks=1.5,
        components=["service-mesh"],
        parent="PLAT-1",
    ),
    dict(
        key="PLAT-5",
        type="Task",
        summary="Certificate rotation for CI runners",
        team="platform",
        assignee="Kenji Sato",
        status="To Do",
        due=D(2026, 7, 31),
        weeks=0.5,
        components=["ci-runners"],
    ),
    dict(
        key="PLAT-6",
        type="Sub-task",
        summary="Canary the 1.22 sidecar on the staging cluster",
        team="platform",
        assignee="Kenji Sato",
        status="To Do",
        weeks=1,
        components=["service-mesh"],
        parent="PLAT-2",
    ),
    dict(
        key="PLAT-7",
        type="Story",
        summary="Capacity plan and load test for peak season",
        team="platform",
        assignee="Maria Costa",
        status="To Do",
        due=D(2026, 9, 30),
        weeks=2,
        components=["service-mesh"],
        labels=["peak-2026"],
    ),
]

STATUS_CATEGORY = {
    "To Do": ("new", "To Do", 2),
    "In Progress": ("indeterminate", "In Progress", 4),
    "Done": ("done", "Done", 3),
}
# Orders stories point at their epic through Epic Link (the older field); the others through Parent.
EPIC_LINK_PROJECTS = {"ORD"}

# --------------------------------------------------------------------------
# Derived values
# --------------------------------------------------------------------------


def _issue_id(key: str) -> int:
    project, number = key.split("-")
    return {"ORD": 10100, "PAY": 10200, "PLAT": 10300}[project] + int(number)


def _account_id(name: str) -> str:
    return "712020:" + hashlib.sha256(name.encode()).hexdigest()[:32]


def _created(key: str) -> dt.datetime:
    number = int(key.split("-")[1])
    return dt.datetime(2026, 6, 2, 9, 26) + dt.timedelta(days=number % 9, minutes=37 * number)


def _jira_date(when: dt.datetime | dt.date) -> str:
    """``22/Sep/25 9:26 AM``: zero-padded day, English month, unpadded 12-hour clock."""
    if not isinstance(when, dt.datetime):
        when = dt.datetime(when.year, when.month, when.day)
    hour = when.hour % 12 or 12
    return f"{when.day:02d}/{when:%b}/{when:%y} {hour}:{when:%M} {'AM' if when.hour < 12 else 'PM'}"


def _iso(when: dt.datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.000+0000")


def _own_seconds(issue: dict) -> int | None:
    return int(issue["weeks"] * WEEK) if "weeks" in issue else None


def _left(issue: dict, seconds: int | None) -> int | None:
    """Remaining Estimate: the estimate less the work logged ("left" weeks remain), 0 once the issue is done."""
    if seconds is None or issue["status"] == "Done":
        return None if seconds is None else 0
    return seconds - int((issue["weeks"] - issue["left"]) * WEEK) if "left" in issue else seconds


def _sum_seconds(issue: dict) -> int | None:
    """Σ Original Estimate: the issue's own estimate plus its sub-tasks' (not its stories')."""
    parts = [_own_seconds(issue)] + [
        _own_seconds(i)
        for i in ISSUES
        if i.get("parent") == issue["key"] and i["type"] == "Sub-task"
    ]
    parts = [p for p in parts if p is not None]
    return sum(parts) if parts else None


def _by_key() -> dict[str, dict]:
    return {i["key"]: i for i in ISSUES}


def _blocks(issue: dict) -> list[str]:
    """Keys this issue blocks (the other side of every blocked_by)."""
    return [i["key"] for i in ISSUES if issue["key"] in i.get("blocked_by", [])]


def _depended_by(issue: dict) -> list[str]:
    return [i["key"] for i in ISSUES if issue["key"] in i.get("depends", [])]


def _related_by(issue: dict) -> list[str]:
    return [i["key"] for i in ISSUES if issue["key"] in i.get("relates", [])]


def _watchers(issue: dict) -> list[str]:
    people = [
        issue.get("assignee"),
        "Dana Brooks" if issue["key"].startswith(("ORD", "PAY")) else "Kenji Sato",
    ]
    return list(dict.fromkeys(p for p in people if p))


# --------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------


def _repeat(name: str, values_by_issue: list[list[str]]) -> list[str]:
    """A multi-valued field takes as many columns as its fullest issue needs (at least one)."""
    return [name] * max(1, max(len(v) for v in values_by_issue))


def _csv_rows() -> list[list[str]]:
    by_key = _by_key()
    multi = {
        "Watchers": [_watchers(i) for i in ISSUES],
        "Labels": [i.get("labels", []) for i in ISSUES],
        "Components": [i.get("components", []) for i in ISSUES],
        "Sprint": [_sprints(i) for i in ISSUES],
        "Inward issue link (Blocks)": [i.get("blocked_by", []) for i in ISSUES],
        "Outward issue link (Blocks)": [_blocks(i) for i in ISSUES],
        "Inward issue link (Depends)": [_depended_by(i) for i in ISSUES],
        "Outward issue link (Depends)": [i.get("depends", []) for i in ISSUES],
        "Inward issue link (Relates)": [_related_by(i) for i in ISSUES],
        "Outward issue link (Relates)": [i.get("relates", []) for i in ISSUES],
    }
    layout: list[tuple[str, object]] = [
        ("Summary", lambda i: i["summary"]),
        ("Issue key", lambda i: i["key"]),
        ("Issue id", lambda i: str(_issue_id(i["key"]))),
        ("Issue Type", lambda i: i["type"]),
        ("Status", lambda i: i["status"]),
        ("Project key", lambda i: i["key"].split("-")[0]),
        ("Project name", lambda i: PROJECTS[i["key"].split("-")[0]]),
        ("Priority", lambda i: "High" if i["type"] == "Epic" else "Medium"),
        ("Resolution", lambda i: "Done" if i["status"] == "Done" else ""),
        ("Assignee", lambda i: i.get("assignee", "")),
        ("Assignee Id", lambda i: _account_id(i["assignee"]) if i.get("assignee") else ""),
        ("Reporter", lambda i: "Dana Brooks"),
        ("Reporter Id", lambda i: _account_id("Dana Brooks")),
        ("Created", lambda i: _jira_date(_created(i["key"]))),
        ("Updated", lambda i: _jira_date(_created(i["key"]) + dt.timedelta(days=3, hours=5))),
        (
            "Resolved",
            lambda i: (
                _jira_date(_created(i["key"]) + dt.timedelta(days=6))
                if i["status"] == "Done"
                else ""
            ),
        ),
        ("Due date", lambda i: _jira_date(i["due"]) if i.get("due") else ""),
        ("Labels", "Labels"),
        ("Description", lambda i: i.get("description", "")),
        ("Watchers", "Watchers"),
        ("Watchers Id", lambda i: [_account_id(w) for w in _watchers(i)]),
        ("Original estimate", lambda i: _str(_own_seconds(i))),
        ("Remaining Estimate", lambda i: _str(_left(i, _own_seconds(i)))),
        ("Time Spent", lambda i: ""),
        ("Σ Original Estimate", lambda i: _str(_sum_seconds(i))),
        ("Σ Remaining Estimate", lambda i: _str(_left(i, _sum_seconds(i)))),
        ("Σ Time Spent", lambda i: ""),
        ("Components", "Components"),
        ("Inward issue link (Blocks)", "Inward issue link (Blocks)"),
        ("Outward issue link (Blocks)", "Outward issue link (Blocks)"),
        ("Inward issue link (Depends)", "Inward issue link (Depends)"),
        ("Outward issue link (Depends)", "Outward issue link (Depends)"),
        ("Inward issue link (Relates)", "Inward issue link (Relates)"),
        ("Outward issue link (Relates)", "Outward issue link (Relates)"),
        ("Custom field (Epic Link)", lambda i: i["parent"] if _uses_epic_link(i) else ""),
        ("Custom field (Rank)", lambda i: f"0|i00{_issue_id(i['key']) % 1000:03d}:"),
        ("Sprint", "Sprint"),
        ("Custom field (Start date)", lambda i: _jira_date(i["start"]) if i.get("start") else ""),
        ("Custom field (Story Points)", lambda i: f"{i['points']:.1f}" if "points" in i else ""),
        ("Custom field (Story point estimate)", lambda i: ""),
        ("Custom field (Team)", lambda i: i["team"]),
        ("Custom field (Rollback plan)", lambda i: i.get("rollback", "")),
        (
            "Parent",
            lambda i: (
                str(_issue_id(i["parent"])) if i.get("parent") and not _uses_epic_link(i) else ""
            ),
        ),
        (
            "Parent key",
            lambda i: (
                i["parent"]
                if i.get("parent") and not _uses_epic_link(i) and i["type"] != "Sub-task"
                else ""
            ),
        ),
        (
            "Parent summary",
            lambda i: (
                by_key[i["parent"]]["summary"] if i.get("parent") and not _uses_epic_link(i) else ""
            ),
        ),
        ("Status Category", lambda i: STATUS_CATEGORY[i["status"]][1]),
        (
            "Status Category Changed",
            lambda i: _jira_date(_created(i["key"]) + dt.timedelta(days=3, hours=5)),
        ),
    ]
    header: list[str] = []
    for name, how in layout:
        if isinstance(how, str):
            header += _repeat(name, multi[how])
        elif name == "Watchers Id":
            header += _repeat(name, multi["Watchers"])
        else:
            header.append(name)
    rows = [header]
    for n, issue in enumerate(ISSUES):
        row: list[str] = []
        for name, how in layout:
            if isinstance(how, str):
                width = len(_repeat(name, multi[how]))
                row += (multi[how][n] + [""] * width)[:width]  # packed from the left, as Jira does
            elif name == "Watchers Id":
                width = len(_repeat(name, multi["Watchers"]))
                row += (how(issue) + [""] * width)[:width]
            else:
                row.append(how(issue))
        rows.append(row)
    return rows


def _uses_epic_link(issue: dict) -> bool:
    return (
        bool(issue.get("parent"))
        and issue["key"].split("-")[0] in EPIC_LINK_PROJECTS
        and issue["type"] != "Sub-task"
    )


def _sprints(issue: dict) -> list[str]:
    if issue["type"] in ("Epic", "Sub-task"):
        return []
    project = issue["key"].split("-")[0]
    due = issue.get("due")
    first = f"{project} Sprint 14"
    return [first, f"{project} Sprint 15"] if due and due > D(2026, 8, 15) else [first]


def _str(value: int | None) -> str:
    return "" if value is None else str(value)


def write_csv(path: Path = CSV_FILE) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")  # Jira writes LF and quotes only when needed
    writer.writerows(_csv_rows())
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")


# --------------------------------------------------------------------------
# JSON (/rest/api/3/search/jql and /rest/api/2/field)
# --------------------------------------------------------------------------

# The site's custom field ids. Only fields.json says which is which; the loader
# must never assume these numbers.
CUSTOM = {
    "team": "customfield_10001",
    "start": "customfield_10015",
    "points": "customfield_10016",
    "rank": "customfield_10019",
    "rollback": "customfield_10210",
}

FIELD_LIST = [
    {
        "id": "summary",
        "name": "Summary",
        "custom": False,
        "schema": {"type": "string", "system": "summary"},
    },
    {
        "id": "issuetype",
        "name": "Issue Type",
        "custom": False,
        "schema": {"type": "issuetype", "system": "issuetype"},
    },
    {
        "id": "status",
        "name": "Status",
        "custom": False,
        "schema": {"type": "status", "system": "status"},
    },
    {
        "id": "assignee",
        "name": "Assignee",
        "custom": False,
        "schema": {"type": "user", "system": "assignee"},
    },
    {
        "id": "duedate",
        "name": "Due date",
        "custom": False,
        "schema": {"type": "date", "system": "duedate"},
    },
    {
        "id": "components",
        "name": "Components",
        "custom": False,
        "schema": {"type": "array", "items": "component", "system": "components"},
    },
    {
        "id": "labels",
        "name": "Labels",
        "custom": False,
        "schema": {"type": "array", "items": "string", "system": "labels"},
    },
    {
        "id": "timeoriginalestimate",
        "name": "Original estimate",
        "custom": False,
        "schema": {"type": "number", "system": "timeoriginalestimate"},
    },
    {
        "id": "timeestimate",
        "name": "Remaining Estimate",
        "custom": False,
        "schema": {"type": "number", "system": "timeestimate"},
    },
    {
        "id": "parent",
        "name": "Parent",
        "custom": False,
        "schema": {"type": "issuelink", "system": "parent"},
    },
    {
        "id": "issuelinks",
        "name": "Linked Issues",
        "custom": False,
        "schema": {"type": "array", "items": "issuelinks", "system": "issuelinks"},
    },
    {
        "id": CUSTOM["team"],
        "name": "Team",
        "custom": True,
        "schema": {
            "type": "team",
            "custom": "com.atlassian.jira.plugin.system.customfieldtypes:atlassian-team",
            "customId": 10001,
        },
    },
    {
        "id": CUSTOM["start"],
        "name": "Start date",
        "custom": True,
        "schema": {
            "type": "date",
            "custom": "com.atlassian.jira.plugin.system.customfieldtypes:datepicker",
            "customId": 10015,
        },
    },
    {
        "id": CUSTOM["points"],
        "name": "Story point estimate",
        "custom": True,
        "schema": {
            "type": "number",
            "custom": "com.pyxis.greenhopper.jira:jsw-story-points",
            "customId": 10016,
        },
    },
    {
        "id": CUSTOM["rank"],
        "name": "Rank",
        "custom": True,
        "schema": {
            "type": "any",
            "custom": "com.pyxis.greenhopper.jira:gh-lexo-rank",
            "customId": 10019,
        },
    },
    {
        "id": CUSTOM["rollback"],
        "name": "Rollback plan",
        "custom": True,
        "schema": {
            "type": "string",
            "custom": "com.atlassian.jira.plugin.system.customfieldtypes:textarea",
            "customId": 10210,
        },
    },
]


def _adf(text: str | None) -> dict | None:
    if not text:
        return None
    paragraphs = [
        {"type": "paragraph", "content": [{"type": "text", "text": line}]}
        for line in text.split("\n")
        if line
    ]
    return {"type": "doc", "version": 1, "content": paragraphs}


def _ref(key: str) -> dict:
    issue = _by_key()[key]
    return {
        "id": str(_issue_id(key)),
        "key": key,
        "self": f"{SITE}/rest/api/3/issue/{_issue_id(key)}",
        "fields": {
            "summary": issue["summary"],
            "status": _status(issue),
            "issuetype": _issuetype(issue),
        },
    }


def _status(issue: dict) -> dict:
    key, name, number = STATUS_CATEGORY[issue["status"]]
    return {
        "name": issue["status"],
        "id": str(number * 1000 + 1),
        "statusCategory": {"id": number, "key": key, "colorName": "blue-gray", "name": name},
    }


def _issuetype(issue: dict) -> dict:
    level = {"Epic": 1, "Sub-task": -1}.get(issue["type"], 0)
    return {"name": issue["type"], "subtask": issue["type"] == "Sub-task", "hierarchyLevel": level}


def _link_id(a: str, b: str, kind: str) -> str:
    return str(20000 + int(hashlib.sha256(f"{kind}:{a}:{b}".encode()).hexdigest()[:4], 16) % 9000)


LINK_TYPES = {
    "Blocks": ("is blocked by", "blocks", "10000"),
    "Depends": ("is depended on by", "depends on", "10300"),
    "Relates": ("relates to", "relates to", "10003"),
}


def _links(issue: dict) -> list[dict]:
    """Each link as Jira shows it on this issue; the other issue shows the mirror image."""
    found = []
    pairs = (
        [("Blocks", b, "inward") for b in issue.get("blocked_by", [])]
        + [("Blocks", b, "outward") for b in _blocks(issue)]
        + [("Depends", b, "outward") for b in issue.get("depends", [])]
        + [("Depends", b, "inward") for b in _depended_by(issue)]
        + [("Relates", b, "outward") for b in issue.get("relates", [])]
        + [("Relates", b, "inward") for b in _related_by(issue)]
    )
    for kind, other, direction in pairs:
        inward, outward, type_id = LINK_TYPES[kind]
        ends = (
            sorted([issue["key"], other])
            if direction == "outward"
            else sorted([other, issue["key"]])
        )
        found.append(
            {
                "id": _link_id(*ends, kind),
                "type": {"id": type_id, "name": kind, "inward": inward, "outward": outward},
                f"{direction}Issue": _ref(other),
            }
        )
    return found


def _json_issue(issue: dict) -> dict:
    created = _created(issue["key"])
    project = issue["key"].split("-")[0]
    fields = {
        "summary": issue["summary"],
        "issuetype": _issuetype(issue),
        "status": _status(issue),
        "priority": {"name": "High" if issue["type"] == "Epic" else "Medium"},
        "project": {"key": project, "name": PROJECTS[project]},
        "assignee": (
            {
                "accountId": _account_id(issue["assignee"]),
                "accountType": "atlassian",
                "displayName": issue["assignee"],
                "active": True,
            }
            if issue.get("assignee")
            else None
        ),
        "created": _iso(created),
        "updated": _iso(created + dt.timedelta(days=3, hours=5)),
        "duedate": issue["due"].isoformat() if issue.get("due") else None,
        "labels": issue.get("labels", []),
        "components": [
            {"id": str(10500 + n), "name": name}
            for n, name in enumerate(issue.get("components", []))
        ],
        "description": _adf(issue.get("description")),
        "timeoriginalestimate": _own_seconds(issue),
        "aggregatetimeoriginalestimate": _sum_seconds(issue),
        "timeestimate": _left(issue, _own_seconds(issue)),
        "aggregatetimeestimate": _left(issue, _sum_seconds(issue)),
        "issuelinks": _links(issue),
        CUSTOM["team"]: {
            "id": hashlib.sha256(issue["team"].encode()).hexdigest()[:8],
            "name": issue["team"],
            "title": issue["team"],
            "isVisible": True,
        },
        CUSTOM["start"]: issue["start"].isoformat() if issue.get("start") else None,
        CUSTOM["points"]: float(issue["points"]) if "points" in issue else None,
        CUSTOM["rank"]: f"0|i00{_issue_id(issue['key']) % 1000:03d}:",
        CUSTOM["rollback"]: _adf(issue.get("rollback")),
    }
    if issue.get("parent"):
        fields["parent"] = _ref(issue["parent"])
    return {
        "expand": "",
        "id": str(_issue_id(issue["key"])),
        "self": f"{SITE}/rest/api/3/issue/{_issue_id(issue['key'])}",
        "key": issue["key"],
        "fields": fields,
    }


def write_json(folder: Path = JSON_DIR) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    issues = [_json_issue(i) for i in ISSUES]
    split = 13
    pages = [
        {"issues": issues[:split], "nextPageToken": "CAEaAggD", "isLast": False},
        {"issues": issues[split:], "isLast": True},
    ]
    for number, page in enumerate(pages, start=1):
        (folder / f"search-page-{number}.json").write_text(
            json.dumps(page, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    (folder / "fields.json").write_text(json.dumps(FIELD_LIST, indent=2) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------
# Context workbook
# --------------------------------------------------------------------------


def _sheet(wb: Workbook, title: str, columns: list[str], rows: list) -> None:
    ws = wb.create_sheet(title)
    ws.append(columns)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(list(row))


def write_context(path: Path = CONTEXT_FILE) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = wb.properties.lastModifiedBy = "Tidewater engineering planning"
    wb.properties.created = wb.properties.modified = FIXED_TIMESTAMP
    _sheet(wb, "Settings", ["key", "value"], SETTINGS)
    _sheet(wb, "Teams", TEAM_COLUMNS, TEAMS)
    _sheet(wb, "Services", SERVICE_COLUMNS, SERVICES)
    _sheet(wb, "Org", ["unit", "parent"], ORG)
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(pinned(buffer.getvalue(), FIXED_TIMESTAMP))


# --------------------------------------------------------------------------


def _check_data() -> None:
    """Catch editing slips that would break a story by accident."""
    keys = [i["key"] for i in ISSUES]
    assert len(keys) == len(set(keys)), "duplicate keys"
    teams = {t[0] for t in TEAMS}
    services = {s[0] for s in SERVICES}
    for issue in ISSUES:
        assert issue["team"] in teams, issue["key"]
        assert set(issue.get("components", [])) <= services, issue["key"]
        for other in (
            issue.get("parent"),
            *issue.get("blocked_by", []),
            *issue.get("depends", []),
            *issue.get("relates", []),
        ):
            assert other is None or other in keys, (issue["key"], other)
    by_key = _by_key()
    assert not by_key["ORD-1"].get("rollback"), "the migration epic must have no rollback plan"
    assert by_key["PAY-2"]["due"] < by_key["PLAT-2"]["due"], "PAY-2 must be due before its blocker"


def build() -> None:
    _check_data()
    OUT.mkdir(parents=True, exist_ok=True)
    write_csv()
    write_json()
    write_context()


if __name__ == "__main__":
    build()
    print(
        f"wrote {CSV_FILE.relative_to(HERE.parent)}, {JSON_DIR.relative_to(HERE.parent)}/ and "
        f"{CONTEXT_FILE.relative_to(HERE.parent)} ({len(ISSUES)} issues)"
    )
