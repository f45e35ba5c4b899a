"""What one file from a system of record says, before it is merged into the plan.

Each reader of a context file (a Backstage catalog, an SLO spec, a PagerDuty or Opsgenie
export) turns it into a ContextPart: whole rows it knows in full (teams, org units,
services, incidents) and single values it derived (a team's pages per week, a service's
SLO target), each with the place it came from. The merge step then fills the plan with
them: a value typed in a workbook wins, and a disagreement beyond a tolerance is noted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ...model import DataIssue, Incident, OrgUnit, Service, SourceRef, Team


def table_at(data: Any, key: str) -> dict[str, Any]:
    """The object (mapping) a JSON or YAML document holds under `key`; {} when it holds none."""
    found = data.get(key) if isinstance(data, dict) else None
    return found if isinstance(found, dict) else {}


@dataclass(frozen=True)
class Derived:
    """One value a context file gives for a team or service field, and where it came from.

    `ref.source` is the file as the user named it; `ref.key` names the entity
    ("Group team-a", "Schedule P1ABCD"); `note` says how it was derived
    ("5 members", "3 active layers", "22 incidents over 13 weeks").
    """

    value: Any
    ref: SourceRef
    note: str = ""


@dataclass
class ContextPart:
    source: str
    kind: str  # "backstage", "openslo", "sloth", "pyrra", "slo-generator", "pagerduty", "opsgenie", ...
    teams: list[Team] = field(default_factory=list)
    org: list[OrgUnit] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    # team name -> Team field name (headcount, parent, oncall_rotation, oncall_sites, pages_per_week,
    # incidents_last_quarter) -> the derived value
    team_values: dict[str, dict[str, Derived]] = field(default_factory=dict)
    # service name -> Service field name (owner_team, tier, slo, slo_measured, depends_on, ...) -> value
    service_values: dict[str, dict[str, Derived]] = field(default_factory=dict)
    issues: list[DataIssue] = field(default_factory=list)


@dataclass(frozen=True)
class Document:
    """One document of a context file: a JSON file is one, a YAML file one per `---`.

    A YAML or JSON list of entities (`- apiVersion: ...`, or `kind: List` with `items`) is
    split into one Document per entity; `index` counts documents from 0 within the file.
    """

    source: str  # the file as the user named it (a file of a folder: "catalog/team-a.yaml")
    index: int
    data: Any


@dataclass(frozen=True)
class ReadContext:
    """What a reader may need beyond its own document.

    `quarter_start` is the first day of the planning quarter when the plan or the options
    say it (None otherwise); observed figures are counted over the `window_weeks` weeks
    before it. `documents` holds every document of every --context file of the run, so a
    reader can follow a reference into another file (a schedule's escalation policy, an
    SLO's indicatorRef).
    """

    quarter_start: dt.date | None = None
    window_weeks: float = 13.0
    documents: tuple[Document, ...] = ()


def as_documents(pairs: list[tuple[Any, str]]) -> list[Document]:
    """(data, source) pairs, as the dispatcher hands them to `read_all`, as Documents numbered per file."""
    counts: dict[str, int] = {}
    out = []
    for data, source in pairs:
        out.append(Document(source, counts.get(source, 0), data))
        counts[source] = counts.get(source, 0) + 1
    return out
