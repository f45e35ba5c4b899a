"""What one file from a system of record says, before it is merged into the plan.

Each reader of a context file (a Backstage catalog, an SLO spec, a PagerDuty or Opsgenie
export) turns it into a ContextPart: whole rows it knows in full (teams, org units,
services, incidents) and single values it derived (a team's pages per week, a service's
SLO target), each with the place it came from. The merge step then fills the plan with
them: a value typed in a workbook wins, and a disagreement beyond a tolerance is noted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...model import DataIssue, Incident, OrgUnit, Service, SourceRef, Team


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
