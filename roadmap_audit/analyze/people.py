"""People as the plan uses them: who owns which open items, who is the only expert
of which service, and how much planned work runs through one person.

These facts exist so checks can say where a plan or a service depends on one
person; they are never a ranking of people.

    person capacity = weeks x availability x focus factor
    person load     = engineer-weeks of the open items they own / person capacity
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..load.values import normalize_name
from ..model import Item, Service
from .capacity import item_weeks

if TYPE_CHECKING:
    from .facts import Facts


@dataclass
class Person:
    name: str  # as first written in the plan
    items: list[Item] = field(default_factory=list)  # open items they own
    item_weeks: dict[str, float] = field(default_factory=dict)  # estimated open items only
    sole_expert_of: list[Service] = field(default_factory=list)
    expert_of: list[Service] = field(default_factory=list)
    capacity_weeks: float = 0.0
    capacity_basis: str = ""
    teams: list[str] = field(default_factory=list)  # teams of their items and services

    @property
    def planned_weeks(self) -> float:
        return sum(self.item_weeks.values())

    @property
    def load(self) -> float:
        return self.planned_weeks / self.capacity_weeks if self.capacity_weeks > 0 else 0.0



def people(facts: Facts) -> dict[str, Person]:
    """Everyone named as an item owner or a service expert, keyed by a normalized name."""
    found: dict[str, Person] = {}

    def person(name: str) -> Person:
        key = normalize_name(name)
        return found.setdefault(key, Person(name=name.strip()))

    for item in facts.open_items():
        if item.owner and normalize_name(item.owner):
            p = person(item.owner)
            p.items.append(item)
            if facts.team_of(item):
                p.teams.append(facts.team_of(item) or "")
            team = facts.teams.get(facts.team_of(item) or "")
            weeks = item_weeks(item, team, facts.params.size_weeks)
            if weeks is not None:
                p.item_weeks[item.key] = weeks
    for service in facts.services.values():
        experts = list(dict.fromkeys(normalize_name(e) for e in service.experts if normalize_name(e)))
        for expert in service.experts:
            if normalize_name(expert):
                p = person(expert)
                p.expert_of.append(service)
                if facts.team_name(service.owner_team):
                    p.teams.append(facts.team_name(service.owner_team) or "")
        if len(experts) == 1:
            found[experts[0]].sole_expert_of.append(service)
    for p in found.values():
        p.expert_of = list({s.service: s for s in p.expert_of}.values())
        p.teams = list(dict.fromkeys(p.teams))
        team = facts.teams.get(p.teams[0]) if p.teams else None
        availability = (team.availability if team is not None and team.availability is not None
                        else facts.params.availability)
        weeks = facts.quarter.weeks
        p.capacity_weeks = weeks * availability * facts.params.focus_factor
        p.capacity_basis = (f"{weeks:g} weeks x availability {availability:g} x focus "
                            f"{facts.params.focus_factor:g}")
    return found


def critical_reason(facts: Facts, item: Item, *, priorities: list[str], max_tier: int | None,
                    committed: bool) -> str | None:
    """Why an item counts as critical work (its priority, a committed date, a critical
    service it touches), or None."""
    reasons = []
    wanted = {normalize_name(p) for p in priorities}
    if item.priority and normalize_name(item.priority) in wanted:
        reasons.append(item.priority.strip())
    if committed and item.committed:
        reasons.append("committed")
    if max_tier is not None:
        for name in item.services:
            service = facts.services.get(facts.service_name(name) or "")
            if service is not None and service.tier is not None and service.tier <= max_tier:
                reasons.append(f"touches tier-{service.tier} {service.service}")
                break
    return ", ".join(reasons) or None
