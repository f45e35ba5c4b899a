"""Services as the SLO, reliability and dependency rules read them: who owns each,
which open items touch it, what it calls, and what incidents it had.

Names are resolved the way `Facts` resolves them (case, spaces and punctuation do
not matter); a name not in the Services sheet stays as written.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from ..model import Incident, Item, Service

if TYPE_CHECKING:
    from .facts import Facts


def service(facts: Facts, name: str | None) -> Service | None:
    return facts.services.get(facts.service_name(name) or "") if name else None


def owner(facts: Facts, svc: Service) -> str | None:
    return facts.team_name(svc.owner_team)


def open_items_by_service(facts: Facts) -> dict[str, list[Item]]:
    """Open items per service they touch (Items.services), in plan order. Worked out once per
    Facts (three rules read it; the facts do not change while the rules run); read-only."""
    cached = facts.__dict__.get("_open_items_by_service")
    if cached is not None and "_committed_keys_by_service" in facts.__dict__:
        return cached
    by_service: dict[str, list[Item]] = defaultdict(list)
    committed: dict[str, list[str]] = defaultdict(list)
    named = facts.service_name
    for item in facts.plan.items:
        services = item.services
        if not services or item.done:
            continue
        if len(services) == 1:  # most
            name = named(services[0])
            if name:
                by_service[name].append(item)
                if item.committed:
                    committed[name].append(item.key)
            continue
        for name in dict.fromkeys([named(s) for s in services]):
            if name:
                by_service[name].append(item)
                if item.committed:
                    committed[name].append(item.key)
    facts.__dict__["_committed_keys_by_service"] = dict(committed)
    facts.__dict__["_open_items_by_service"] = found = dict(by_service)
    return found


def committed_keys_by_service(facts: Facts) -> dict[str, list[str]]:
    """The keys of the committed items of `open_items_by_service`, per service, in plan order
    (read with them: DEP001 reads no item twice); read-only."""
    open_items_by_service(facts)
    return facts.__dict__["_committed_keys_by_service"]


def service_graph(facts: Facts) -> dict[str, tuple[str, ...]]:
    """Services and what they call, as adjacency lists: S -> (D, ...) when S lists D in
    Services.depends_on (each once, in the order written; never itself, never an unknown name)."""
    graph: dict[str, tuple[str, ...]] = {}
    for name, svc in facts.services.items():
        calls = (facts.service_name(dep) for dep in svc.depends_on)
        graph[name] = tuple(
            dict.fromkeys(d for d in calls if d in facts.services and d != svc.service)
        )
    return graph


def incidents_by_service(facts: Facts) -> dict[str, list[Incident]]:
    by_service: dict[str, list[Incident]] = defaultdict(list)
    for incident in facts.plan.incidents:
        name = facts.service_name(incident.service)
        if name:
            by_service[name].append(incident)
    return dict(by_service)


def incident_team(facts: Facts, incident: Incident) -> str | None:
    """The team an incident counts against: its own team, else its service's owner."""
    team = facts.team_name(incident.team)
    if team is None:
        svc = service(facts, incident.service)
        team = owner(facts, svc) if svc else None
    return team


def incidents_by_team(facts: Facts) -> dict[str, float]:
    """Incidents last quarter per team: Teams.incidents_last_quarter, else the Incidents sheet
    (an incident with no team goes to its service's owner), as the capacity model counts them."""
    counted: dict[str, float] = defaultdict(float)
    for incident in facts.plan.incidents:
        team = incident_team(facts, incident)
        if team:
            counted[team] += 1
    out = dict(counted)
    for name, row in facts.teams.items():
        if row.incidents_last_quarter is not None:
            out[name] = row.incidents_last_quarter
    return out
