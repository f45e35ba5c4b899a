"""Build the Harbor sample: a plan as CSV files, and its context from the systems of record.

Run ``python sample_plans/build_harbor.py``; it writes ``sample_plans/harbor/``. The data
below is the sample; edit it here, never in the files.

Harbor is a fictional port-logistics company with three platform teams. The plan is a
folder of CSV files (items, a Teams sheet that states only what the staffing model admits
for operations, settings); everything else comes from where such an organisation keeps
it:

* ``context/catalog/``: a Backstage catalog: the org tree (harbor > platform > berth,
  cargo, tides), 15 users, five services and a database with owners, dependencies
  (``dependsOn``, and ``consumesApis`` to the component that provides the API) and tiers.
* ``context/slo/``: OpenSLO and Sloth specs: berth-api 99.95 % over 28 days, manifest
  99.9 % (Sloth's 30 days), tide-tables 99.5 % with no indicator (not measured).
* ``context/pagerduty/incidents.json``: a PagerDuty REST v2 ``/incidents`` page for the
  13 weeks before the quarter (2026-04-01 to 2026-06-30): berth is paged about 18 times a
  week while its Teams row says 5; cargo 11 a week with nothing typed; tides once a week.

The audit shows berth's typed 5 pages against the 18 PagerDuty observed (the typed value
is used, and the data-quality section says so), and cargo's observed operations (11 pages
a week from PagerDuty, 3 incidents typed) against the 5 % its staffing model admits: CAP003.
The Teams sheet types the incidents of last quarter (those with a postmortem): a PagerDuty
incident is a page, and without that column every one would also count as an incident.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent / "harbor"
QUARTER_START = dt.date(2026, 7, 1)
WEEKS = 13

ITEMS = [
    # key, title, team, kind, estimate (weeks), due, services, rollback, depends_on
    ("HB-1", "Berth booking v2 API", "berth", "feature", 8, "2026-08-28", "berth-api", "", ""),
    (
        "HB-2",
        "Move berth-db to the managed cluster",
        "berth",
        "migration",
        6,
        "2026-09-11",
        "berth-db",
        "",
        "",
    ),
    ("HB-3", "Crane schedule import", "berth", "feature", 5, "2026-09-25", "berth-api", "", "HB-5"),
    (
        "HB-4",
        "Alert tuning for berth-api pages",
        "berth",
        "reliability",
        2,
        "2026-07-31",
        "berth-api",
        "",
        "",
    ),
    ("HB-5", "Manifest events stream", "cargo", "feature", 6, "2026-08-14", "manifest", "", ""),
    (
        "HB-6",
        "Customs declarations export",
        "cargo",
        "compliance",
        4,
        "2026-09-18",
        "manifest",
        "",
        "",
    ),
    ("HB-7", "Manifest search", "cargo", "feature", 5, "2026-09-25", "manifest", "", ""),
    ("HB-8", "Tide model refresh", "tides", "feature", 4, "2026-08-21", "tide-tables", "", ""),
    (
        "HB-9",
        "Tide tables SLI instrumentation",
        "tides",
        "reliability",
        2,
        "2026-07-24",
        "tide-tables",
        "",
        "",
    ),
]

# team, ops_allocation, pages_per_week typed (empty: not typed), oncall_rotation, incidents_last_quarter.
# The incidents are the ones with a postmortem: every PagerDuty incident is a page, few are incidents.
TEAMS = [
    ("berth", "10%", "5", "6", "4"),
    ("cargo", "5%", "", "4", "3"),
    ("tides", "10%", "", "5", "0"),
]

PAGES_PER_WEEK = {"berth": 18, "cargo": 11, "tides": 1}
SERVICE_OF = {
    "berth": ["berth-api", "berth-api", "berth-db"],
    "cargo": ["manifest"],
    "tides": ["tide-tables"],
}
PEOPLE = {
    "berth": ["Ana Ruiz", "Ben Okafor", "Chen Wei"],
    "cargo": ["Dara Novak", "Eli Haddad"],
    "tides": ["Fay Lund", "Gus Mori"],
}


def _group(name: str, kind: str, parent: str | None, children: list[str]) -> str:
    parent_line = f"  parent: {parent}\n" if parent else ""
    return (
        f"apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: {name}\nspec:\n  type: {kind}\n"
        f"{parent_line}  children: [{', '.join(children)}]\n"
    )


def _user(name: str, team: str) -> str:
    return (
        f"apiVersion: backstage.io/v1alpha1\nkind: User\nmetadata:\n  name: {name}\nspec:\n"
        f"  memberOf: [{team}]\n"
    )


CATALOG = {
    "org.yaml": "---\n".join(
        [
            _group("harbor", "organization", None, ["platform"]),
            _group("platform", "department", "harbor", ["berth", "cargo", "tides"]),
        ]
    ),
    "berth.yaml": "---\n".join(
        [_group("berth", "team", "platform", [])]
        + [
            _user(u, "berth")
            for u in ("ana.ruiz", "ben.okafor", "chen.wei", "ines.costa", "jon.berg", "kai.ito")
        ]
    ),
    "cargo.yaml": "---\n".join(
        [_group("cargo", "team", "platform", [])]
        + [
            _user(u, "group:default/cargo")
            for u in ("dara.novak", "eli.haddad", "lia.moreau", "max.stone")
        ]
    ),
    "tides.yaml": "---\n".join(
        [_group("tides", "team", "platform", [])]
        + [
            _user(u, "group:tides")
            for u in ("fay.lund", "gus.mori", "hal.pike", "ivy.chen", "ole.dahl")
        ]
    ),
    "components.yaml": textwrap.dedent("""\
        apiVersion: backstage.io/v1alpha1
        kind: Component
        metadata:
          name: berth-api
          labels: {tier: "1"}
          annotations: {pagerduty.com/service-id: PHB0001}
        spec:
          type: service
          lifecycle: production
          owner: group:default/berth
          dependsOn: [resource:berth-db]
          consumesApis: [manifest-api]
        ---
        apiVersion: backstage.io/v1alpha1
        kind: Component
        metadata:
          name: manifest
          tags: [tier-2, java]
        spec:
          type: service
          lifecycle: production
          owner: cargo
          providesApis: [manifest-api]
        ---
        apiVersion: backstage.io/v1alpha1
        kind: Component
        metadata:
          name: tide-tables
          labels: {tier: "2"}
        spec:
          type: service
          lifecycle: production
          owner: tides
        ---
        apiVersion: backstage.io/v1alpha1
        kind: Component
        metadata:
          name: harbor-portal
        spec:
          type: website
          lifecycle: production
          owner: web-guild
          consumesApis: [manifest-api]
        ---
        apiVersion: backstage.io/v1alpha1
        kind: Resource
        metadata:
          name: berth-db
          labels: {tier: "1"}
        spec:
          type: database
          owner: berth
        """),
}

SLO_FILES = {
    "berth-api.openslo.yaml": textwrap.dedent("""\
        apiVersion: openslo/v1
        kind: SLO
        metadata:
          name: berth-api-availability
        spec:
          service: berth-api
          indicator:
            metadata: {name: berth-api-good-requests}
            spec:
              ratioMetric:
                counter: true
                good:
                  metricSource: {type: Prometheus, spec: {query: 'sum(http_requests_total{job="berth-api",code!~"5.."})'}}
                total:
                  metricSource: {type: Prometheus, spec: {query: 'sum(http_requests_total{job="berth-api"})'}}
          timeWindow:
            - duration: 28d
              isRolling: true
          budgetingMethod: Occurrences
          objectives:
            - displayName: Good requests
              target: 0.9995
        ---
        apiVersion: openslo/v1
        kind: SLO
        metadata:
          name: tide-tables-availability
        spec:
          service: tide-tables
          timeWindow:
            - duration: 28d
              isRolling: true
          budgetingMethod: Occurrences
          objectives:
            - displayName: Available
              target: 0.995
        """),
    "manifest.sloth.yaml": textwrap.dedent("""\
        version: "prometheus/v1"
        service: "manifest"
        labels:
          owner: "cargo"
          tier: "2"
        slos:
          - name: "requests-availability"
            objective: 99.9
            sli:
              events:
                error_query: sum(rate(http_requests_total{job="manifest",code=~"5.."}[{{.window}}]))
                total_query: sum(rate(http_requests_total{job="manifest"}[{{.window}}]))
            alerting:
              page_alert: {labels: {severity: page}}
              ticket_alert: {labels: {severity: ticket}}
        """),
}


def _ref(kind: str, ident: str, summary: str) -> dict:
    return {"id": ident, "type": f"{kind}_reference", "summary": summary}


def _incidents() -> dict:
    rng = random.Random(2026)
    start = dt.datetime.combine(QUARTER_START - dt.timedelta(weeks=WEEKS), dt.time(), dt.UTC)
    rows = []
    number = 4100
    for team, per_week in PAGES_PER_WEEK.items():
        for week in range(WEEKS):
            for _ in range(per_week):
                number += 1
                created = start + dt.timedelta(weeks=week, seconds=rng.randrange(7 * 86400))
                minutes = rng.choice([12, 18, 25, 40, 55, 90, 140])
                service = rng.choice(SERVICE_OF[team])
                who = rng.choice(PEOPLE[team])
                ident = f"Q{number:05d}HB"
                resolved = created + dt.timedelta(minutes=minutes)
                rows.append(
                    {
                        "id": ident,
                        "type": "incident",
                        "incident_number": number,
                        "title": f"{service}: error rate above threshold",
                        "summary": f"[#{number}] {service} alert",
                        "status": "resolved",
                        "urgency": "high",
                        "created_at": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        "resolved_at": resolved.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        "last_status_change_at": resolved.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        "service": _ref(
                            "service", f"PHB{SERVICE_OF[team].index(service) + 1:04d}", service
                        ),
                        "escalation_policy": _ref(
                            "escalation_policy", f"PEP{team[:3].upper()}", f"{team} escalation"
                        ),
                        "teams": [_ref("team", f"PT{team[:3].upper()}", team)],
                        "assignments": [
                            {
                                "at": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
                                "assignee": _ref(
                                    "user",
                                    f"PU{team[:3].upper()}{PEOPLE[team].index(who) + 1}",
                                    who,
                                ),
                            }
                        ],
                        "acknowledgements": [],
                        "priority": None,
                        "html_url": f"https://harbor.pagerduty.com/incidents/{ident}",
                    }
                )
    rows.sort(key=lambda r: r["created_at"])
    return {"incidents": rows, "limit": len(rows), "offset": 0, "total": len(rows), "more": False}


def build() -> None:
    plan = HERE / "plan"
    plan.mkdir(parents=True, exist_ok=True)
    lines = ["key,title,team,kind,estimate,due,services,rollback_plan,depends_on"]
    lines += [",".join(str(v) for v in row) for row in ITEMS]
    (plan / "items.csv").write_text("\n".join(lines) + "\n")
    lines = ["team,ops_allocation,pages_per_week,oncall_rotation,incidents_last_quarter"] + [
        ",".join(row) for row in TEAMS
    ]
    (plan / "teams.csv").write_text("\n".join(lines) + "\n")
    (plan / "settings.csv").write_text("key,value\nquarter,2026-Q3\n")
    for folder, files in (("catalog", CATALOG), ("slo", SLO_FILES)):
        out = HERE / "context" / folder
        out.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (out / name).write_text(text)
    out = HERE / "context" / "pagerduty"
    out.mkdir(parents=True, exist_ok=True)
    page = _incidents()
    rows = ",\n".join(json.dumps(row) for row in page.pop("incidents"))  # one incident a line
    tail = json.dumps(page)[1:]
    (out / "incidents.json").write_text(f'{{"incidents": [\n{rows}\n], {tail}\n')


if __name__ == "__main__":
    build()
    print(f"written: {HERE}")
