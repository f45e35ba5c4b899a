"""People as the plan uses them: who owns which open items, who is the only expert
of which service, and how much planned work one person does.

These facts exist so checks can say where a plan or a service depends on one
person; they are never a ranking of people.

"Owns" and "does" are apart. A person owns every open item that names them (the
owner cell, "Ann Lee; Bob Ray" naming two); the work they do is their share of it:

    item of W engineer-weeks naming k people, in a team of H people,
    lead = lead_share x one person's quarter:
        W / k <= lead     each named person does W / k             (their own work)
        W / k >  lead     each does max(lead, W / max(H, k))       (a team effort they lead:
                                                                     the rest is spread over the team)
    person capacity = weeks x availability x focus factor
    person load     = engineer-weeks they do / person capacity

The share never exceeds W / k and never falls as W grows, so a larger item never
makes its lead look less busy; an engineer named on a 14-week epic in a 12-person
team does the lead's share of it, not all 14 weeks.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..load.cells import ParseError
from ..load.words import normalize_name, parse_list
from ..model import Item, Service, Team
from .capacity import item_weeks

if TYPE_CHECKING:
    from .facts import Facts


LEAD_SHARE = (
    0.5  # of one person's quarter: the most of one item its named people are taken to do alone
)


@dataclass
class Person:
    name: str  # as first written in the plan
    items: list[Item] = field(default_factory=list)  # open items they own (are named on)
    item_weeks: dict[str, float] = field(
        default_factory=dict
    )  # what they do of each estimated open item
    owned_weeks: dict[str, float] = field(default_factory=dict)  # the whole estimate of those items
    shared: dict[str, str] = field(
        default_factory=dict
    )  # why not all theirs: "with Bob", "led with ..."
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


def named(item: Item, known: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """The people an item's owner cell names ("Ann Lee, Bob Ray; Cy" is three), each once.

    Two single words around one comma are one person written surname first ("Doe, Jane"),
    unless the plan names one of them alone elsewhere (`known`, normalized names).
    """
    if not item.owner:
        return []
    try:
        names = parse_list(item.owner)
    except ParseError:
        names = [item.owner]
    if (
        len(names) == 2
        and item.owner.count(",") == 1
        and not any(c in item.owner for c in ";|\t\r\n")
        and all(len(n.split()) == 1 for n in names)
        and not any(normalize_name(n) in known for n in names)
    ):
        names = [item.owner]
    return list({normalize_name(n): n.strip() for n in names if normalize_name(n)}.values())


def person_weeks(facts: Facts, team: Team | None) -> float:
    """One person's quarter: weeks x availability x focus factor (the team's availability when known)."""
    availability = (
        team.availability
        if team is not None and team.availability is not None
        else facts.params.availability
    )
    return facts.quarter.weeks * availability * facts.params.focus_factor


def share_of(weeks: float, names: int, headcount: float | None, lead: float) -> float:
    """What each of the `names` people named on an item of `weeks` engineer-weeks does of it."""
    own = weeks / names
    if own <= lead:
        return own
    spread = (
        weeks / max(headcount, names) if headcount else 0.0
    )  # no headcount: the lead's share alone
    return min(own, max(lead, spread))


def people(facts: Facts, lead_share: float = LEAD_SHARE) -> dict[str, Person]:
    """Everyone named as an item owner or a service expert, keyed by a normalized name."""
    found: dict[str, Person] = {}

    def person(name: str) -> Person:
        key = normalize_name(name)
        known = found.get(key)
        if known is None:  # built once per person, not once per item that names them
            known = found[key] = Person(name=name.strip())
        return known

    owners = {i.owner for i in facts.plan.items if i.owner}  # many items, few distinct cells
    known = {normalize_name(o) for o in owners if not any(c in o for c in ",;|")}
    known |= {normalize_name(e) for s in facts.services.values() for e in s.experts}
    names_in: dict[str, list[str]] = {}  # owner cell -> the people it names, read once per cell
    for item in facts.open_items():
        cell = item.owner or ""
        if cell not in names_in:
            names_in[cell] = named(item, known)
        names = names_in[cell]
        if not names:
            continue
        team_name = facts.team_of(item)
        team = facts.teams.get(team_name or "")
        weeks = item_weeks(item, team, facts.params.size_weeks)
        lead = lead_share * person_weeks(facts, team)
        share = (
            None
            if weeks is None
            else share_of(weeks, len(names), team.headcount if team else None, lead)
        )
        for name in names:
            p = person(name)
            p.items.append(item)
            if team_name:
                p.teams.append(team_name)
            if share is None or weeks is None:
                continue
            p.item_weeks[item.key] = share
            p.owned_weeks[item.key] = weeks
            others = [n for n in names if n != name]
            why = [f"with {', '.join(others)}"] if others else []
            if share < weeks / len(names) - 1e-9:
                why.append(f"led with the rest of {team_name or 'the team'}")
            if why:
                p.shared[item.key] = "; ".join(why)
    for service in facts.services.values():
        experts = list(
            dict.fromkeys(normalize_name(e) for e in service.experts if normalize_name(e))
        )
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
        availability = (
            team.availability
            if team is not None and team.availability is not None
            else facts.params.availability
        )
        p.capacity_weeks = person_weeks(facts, team)
        p.capacity_basis = (
            f"{facts.quarter.weeks:g} weeks x availability {availability:g} x focus "
            f"{facts.params.focus_factor:g}"
        )
    return found


@functools.lru_cache(maxsize=64)
def _normalized(names: tuple[str, ...]) -> frozenset[str]:
    """A rule's list of names (priorities), normalized once rather than for every item."""
    return frozenset(normalize_name(n) for n in names)


def critical_reason(
    facts: Facts, item: Item, *, priorities: list[str], max_tier: int | None, committed: bool
) -> str | None:
    """Why an item counts as critical work (its priority, a committed date, a critical
    service it touches), or None."""
    reasons = []
    wanted = _normalized(tuple(priorities))
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
