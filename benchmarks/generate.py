"""Generate large, realistic plans for the benchmark: an org of N teams and M items,
as a plan workbook (.xlsx) and as a Jira "all fields" style CSV export.

    python benchmarks/generate.py --items 50000 --teams 300 --out benchmarks/data [--profile realistic]

The generator is seeded, so the same arguments give the same plan.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import random
import zlib
from pathlib import Path

QUARTER_START = dt.date(2026, 7, 6)
WEEKS = 13

_FEATURES = [
    "Saved searches",
    "Bulk export",
    "Seller badges",
    "Dark mode",
    "Order notes",
    "Price alerts",
    "Team invites",
    "Usage dashboard",
    "Smart filters",
    "Audit log view",
    "Webhooks v2",
    "Promo codes",
]
_MIGRATIONS = [
    "Migrate {s} table to the v2 schema",
    "Backfill {s} history",
    "Cut over {s} to the new cluster",
    "Re-platform {s} onto the shared queue",
]
_LAUNCHES = ["Launch {s} in Brazil", "Roll out {s} to all sellers", "General availability of {s}"]
_RELIABILITY = [
    "Add circuit breakers to {s} calls",
    "Runbook and alert tuning for {s}",
    "Hardening",
    "Load shedding for {s}",
]
_COMPLIANCE = ["PCI evidence for {s}", "GDPR data request tooling for {s}"]


def _org(teams: int) -> tuple[list[tuple[str, str]], list[str]]:
    """(unit, parent) rows: divisions of groups of about 8 teams."""
    units = [("engineering", "")]
    groups = max(1, teams // 8)
    divisions = max(1, groups // 6)
    for d in range(divisions):
        units.append((f"division-{d:02d}", "engineering"))
    group_names = []
    for g in range(groups):
        name = f"group-{g:03d}"
        units.append((name, f"division-{g % divisions:02d}"))
        group_names.append(name)
    return units, group_names


PROFILES = ("stress", "realistic")


def _estimate(rng: random.Random, profile: str, mean_weeks: float) -> float:
    """An item's engineer-weeks: "stress" sizes every item in whole weeks, so every team is many times
    over capacity and the rules write tens of thousands of findings; "realistic" sizes items so each
    team's plan is 60-130% of what its staffing can deliver, as a story-level export of a real org."""
    if profile == "stress":
        return rng.choice([1, 2, 3, 5, 8])
    return max(0.1, round(rng.lognormvariate(math.log(mean_weeks), 0.6), 1))


def build(items: int, teams: int, seed: int = 7, profile: str = "stress") -> dict[str, list[list]]:
    """Every sheet of the plan as rows (header first)."""
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {', '.join(PROFILES)}")
    rng = random.Random(seed)
    units, groups = _org(teams)
    team_names = [f"team-{t:03d}" for t in range(teams)]
    team_rows = [
        [
            "team",
            "parent",
            "headcount",
            "new_hires",
            "oncall_rotation",
            "ops_allocation",
            "pages_per_week",
            "toil_hours_per_week",
            "incidents_last_quarter",
        ]
    ]
    service_rows = [
        [
            "service",
            "owner_team",
            "tier",
            "slo",
            "slo_measured",
            "error_budget_remaining",
            "error_budget_policy",
            "experts",
            "depends_on",
            "dependency_protection",
        ]
    ]
    services: list[str] = []
    mean_weeks: list[float] = []  # per team, for the realistic profile
    per_team = max(1, items // teams)
    for t, name in enumerate(team_names):
        headcount = rng.randint(4, 12)
        # about what the capacity model gives: 13 weeks x 0.85 availability x 0.7 focus, less a quarter for ops
        deliverable = headcount * WEEKS * 0.85 * 0.7 * 0.75
        mean_weeks.append(deliverable * rng.uniform(0.6, 1.3) / per_team)
        team_rows.append(
            [
                name,
                groups[t % len(groups)],
                headcount,
                rng.randint(0, 2),
                rng.choice([0, 4, 6, 8, headcount]),
                rng.choice(["15%", "20%", "25%", "30%"]),
                rng.randint(0, 20),
                rng.randint(0, 40),
                rng.randint(0, 8),
            ]
        )
        for s in range(2):
            svc = f"{name}-svc{s}"
            deps = (
                ", ".join(rng.sample(services, k=min(2, len(services))))
                if services and rng.random() < 0.5
                else ""
            )
            service_rows.append(
                [
                    svc,
                    name,
                    rng.randint(1, 3),
                    rng.choice(["99.9%", "99.95%", "99.99%", ""]),
                    rng.choice(["yes", "no"]),
                    round(rng.uniform(-0.3, 0.9), 2),
                    rng.choice(["yes", ""]),
                    ", ".join(f"P{rng.randint(1, 4 * teams)}" for _ in range(rng.randint(1, 3))),
                    deps,
                    rng.choice(["yes", "no", ""]),
                ]
            )
            services.append(svc)
    item_rows = [
        [
            "key",
            "title",
            "team",
            "kind",
            "estimate",
            "start",
            "due",
            "depends_on",
            "services",
            "rollback_plan",
            "rehearsal",
            "owner",
            "priority",
            "status",
            "committed",
        ]
    ]
    keys: list[str] = []
    for i in range(items):
        t = i % teams
        team = team_names[t]
        svc = f"{team}-svc{rng.randint(0, 1)}"
        roll = rng.random()
        if roll < 0.08:
            title = rng.choice(_MIGRATIONS).format(s=svc)
        elif roll < 0.15:
            title = rng.choice(_LAUNCHES).format(s=svc)
        elif roll < 0.25:
            title = rng.choice(_RELIABILITY).format(s=svc)
        elif roll < 0.29:
            title = rng.choice(_COMPLIANCE).format(s=svc)
        else:
            title = f"{rng.choice(_FEATURES)} for {svc}"
        key = f"T{t:03d}-{i // teams + 1}"
        start = QUARTER_START + dt.timedelta(days=rng.randint(0, 60))
        due = start + dt.timedelta(days=rng.randint(7, 30))
        deps = []
        if keys and rng.random() < 0.15:
            # mostly within the team, sometimes across teams
            window = (
                keys[-teams * 3 :] if rng.random() < 0.3 else keys[max(0, len(keys) - 5 * teams) :]
            )
            deps = [rng.choice(window)]
        item_rows.append(
            [
                key,
                title,
                team,
                "",
                _estimate(rng, profile, mean_weeks[t]),
                start,
                due,
                ", ".join(deps),
                svc,
                rng.choice(["", "flag off, restore snapshot", "TBD"]),
                rng.choice(["", "shadow reads for two weeks", "load test at 2x peak"]),
                f"P{rng.randint(1, 4 * teams)}",
                f"P{rng.randint(1, 4)}",
                rng.choice(["To Do", "To Do", "In Progress", "Done"]),
                rng.choice(["yes", "", ""]),
            ]
        )
        keys.append(key)
    action_rows = [
        [
            "key",
            "title",
            "team",
            "service",
            "postmortem",
            "raised",
            "status",
            "times_deferred",
            "scheduled_as",
        ]
    ]
    for t, team in enumerate(team_names):
        action_rows.append(
            [
                f"ACT-{t}",
                f"Isolate {team}-svc0 queue",
                team,
                f"{team}-svc0",
                f"PM-{t}",
                QUARTER_START - dt.timedelta(days=rng.randint(10, 200)),
                "Open",
                rng.randint(0, 3),
                "",
            ]
        )
    return {
        "Settings": [
            ["key", "value"],
            ["quarter", "2026-Q3"],
            ["start", QUARTER_START],
            ["end", QUARTER_START + dt.timedelta(weeks=WEEKS) - dt.timedelta(days=1)],
        ],
        "Items": item_rows,
        "Teams": team_rows,
        "Services": service_rows,
        "Org": [["unit", "parent"], *units],
        "Actions": action_rows,
    }


def write_xlsx(sheets: dict[str, list[list]], path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)


# The column layout of a Jira Cloud "all fields" export, as in the real exports in
# ../shared/real-exports (56 and 63 columns there, about half of them filled per
# row): repeated Watchers, Labels, link and Comment columns, estimates in seconds.
JIRA_HEADER = [
    "Summary",
    "Issue key",
    "Issue id",
    "Issue Type",
    "Status",
    "Project key",
    "Project name",
    "Project type",
    "Project lead",
    "Project lead id",
    "Project description",
    "Priority",
    "Resolution",
    "Assignee",
    "Assignee Id",
    "Reporter",
    "Reporter Id",
    "Creator",
    "Creator Id",
    "Created",
    "Updated",
    "Last Viewed",
    "Resolved",
    "Due date",
    "Votes",
    "Labels",
    "Labels",
    "Description",
    "Environment",
    "Watchers",
    "Watchers",
    "Watchers Id",
    "Watchers Id",
    "Original estimate",
    "Remaining Estimate",
    "Time Spent",
    "Work Ratio",
    "Σ Original Estimate",
    "Σ Remaining Estimate",
    "Σ Time Spent",
    "Security Level",
    "Attachment",
    "Components",
    "Inward issue link (Blocks)",
    "Inward issue link (Blocks)",
    "Custom field (Development)",
    "Custom field (Issue color)",
    "Custom field (Rank)",
    "Sprint",
    "Custom field (Start date)",
    "Custom field (Story Points)",
    "Custom field (Team)",
    "Custom field (Rollback plan)",
    "Comment",
    "Comment",
    "Status Category",
    "Status Category Changed",
]


def write_jira_csv(sheets: dict[str, list[list]], path: Path) -> None:
    """The Items sheet as a Jira Cloud all-fields export (JIRA_HEADER): English
    headers, dates like 22/Sep/25 9:26 AM, about 45 of 57 cells filled per row."""
    items = sheets["Items"]

    def jira_date(d: dt.date) -> str:
        return d.strftime("%d/%b/%y") + " 12:00 AM"

    def account(person: str) -> str:
        return f"712020:{zlib.crc32(person.encode()) % 10**8:08d}-0000-4000-8000-{person[1:].zfill(12)}"

    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(JIRA_HEADER)
        for n, row in enumerate(items[1:], start=10000):
            (
                key,
                title,
                team,
                _kind,
                estimate,
                start,
                due,
                deps,
                svc,
                rollback,
                rehearsal,
                owner,
                prio,
                status,
                _c,
            ) = row
            blockers = [d.strip() for d in deps.split(",") if d.strip()][:2]
            project = key.split("-")[0]
            done = status == "Done"
            seconds = int(round(estimate * 40 * 3600))
            reporter = f"P{(n * 7) % 997 + 1}"
            category = {"Done": "Done", "In Progress": "In Progress"}.get(status, "To Do")
            description = (
                f"{title}. Scope agreed with {team}; {rehearsal or 'no rehearsal planned yet'}. "
                f"See the design doc for {svc} before starting."
            )
            out.writerow(
                [
                    title,
                    key,
                    n,
                    "Epic" if n % 9 == 0 else "Story",
                    status,
                    project,
                    f"{team} board",
                    "software",
                    "P1",
                    account("P1"),
                    "",
                    prio,
                    "Done" if done else "",
                    owner,
                    account(owner),
                    reporter,
                    account(reporter),
                    reporter,
                    account(reporter),
                    "01/Jun/26 9:26 AM",
                    "18/Jun/26 4:02 PM",
                    "",
                    jira_date(due) if done else "",
                    jira_date(due),
                    0,
                    "q3",
                    svc,
                    description,
                    "",
                    owner,
                    reporter,
                    account(owner),
                    account(reporter),
                    seconds,
                    0 if done else seconds,
                    seconds if done else 0,
                    "100%" if done else "0%",
                    seconds,
                    0 if done else seconds,
                    seconds if done else 0,
                    "",
                    "",
                    svc,
                    *(blockers + ["", ""])[:2],
                    "{}",
                    "",
                    f"0|i{n:05x}:",
                    f"{project} Sprint {n % 6 + 1}",
                    start.isoformat(),
                    "",
                    team,
                    rollback,
                    f"01/Jun/26 9:26 AM;{account(reporter)};Sized in planning",
                    "",
                    category,
                    "18/Jun/26 4:02 PM",
                ]
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--teams", type=int, default=100)
    parser.add_argument("--profile", choices=PROFILES, default="stress")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "data")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    sheets = build(args.items, args.teams, profile=args.profile)
    stem = args.out / f"plan-{args.items}-{args.profile}"
    write_xlsx(sheets, stem.with_suffix(".xlsx"))
    write_jira_csv(sheets, stem.with_name(stem.name + "-jira.csv"))
    print(f"wrote {stem}.xlsx and {stem.name}-jira.csv")


if __name__ == "__main__":
    main()
