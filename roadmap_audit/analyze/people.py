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

from collections.abc import Callable, Container
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

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
    # their open items that count as critical work, and why (with people(critical=...))
    critical: list[tuple[Item, str]] = field(default_factory=list)

    @property
    def planned_weeks(self) -> float:
        return sum(self.item_weeks.values())

    @property
    def load(self) -> float:
        return self.planned_weeks / self.capacity_weeks if self.capacity_weeks > 0 else 0.0


def named(item: Item, known: Container[str] = frozenset()) -> list[str]:
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


def people(
    facts: Facts, lead_share: float = LEAD_SHARE, critical: CriticalWork | None = None
) -> dict[str, Person]:
    """Everyone named as an item owner or a service expert, keyed by a normalized name;
    `critical`: what counts as critical work, read in the same pass (Person.critical)."""
    found: dict[str, Person] = {}

    def person(name: str) -> Person:
        key = normalize_name(name)
        known = found.get(key)
        if known is None:  # built once per person, not once per item that names them
            known = found[key] = Person(name=name.strip())
        return known

    _take_items(facts, person, lead_share, critical)
    _take_services(facts, found, person)
    for p in found.values():
        _finish(facts, p)
    return found


# owner cell -> the people it names, each with whom they share its items
Crew = list[tuple[Person, str]]


class _NamedAlone:
    """The normalized names the plan writes alone (an owner cell naming one person, a service
    expert), which `named` asks of a cell like "Doe, Jane" only: read from every item the first
    time one is asked (most plans write no such cell, and are not read again for them)."""

    def __init__(self, facts: Facts):
        self.facts = facts
        self.names: set[str] | None = None

    def __contains__(self, name: object) -> bool:
        if self.names is None:
            items, services = self.facts.plan.items, self.facts.services.values()
            owners = {i.owner for i in items if i.owner}  # many items, few distinct cells
            self.names = {normalize_name(o) for o in owners if not any(c in o for c in ",;|")}
            self.names |= {normalize_name(e) for s in services for e in s.experts}
        return name in self.names


def _crew(item: Item, known: Container[str], person: Callable[[str], Person]) -> Crew:
    names = named(item, known)
    return [
        (person(n), f"with {', '.join(o for o in names if o != n)}" if len(names) > 1 else "")
        for n in names
    ]


def _take_items(
    facts: Facts,
    person: Callable[[str], Person],
    lead_share: float,
    critical: CriticalWork | None,
) -> None:
    """Each open item to the people its owner cell names: the item, what they do of it and
    why not all of it (Person.shared), and why it is critical work when it is."""
    known = _NamedAlone(facts)
    crews: dict[str, Crew] = {}  # read once per owner cell
    teams = _Teams(facts, lead_share)
    parts = teams.parts  # looked up here first: one call per distinct part, not per item
    sizes = facts.params.size_weeks
    team_of = facts.team_of
    for item in facts.plan.items:
        cell = item.owner
        if item.done or not cell:
            continue
        crew = crews.get(cell)
        if crew is None:
            crew = crews[cell] = _crew(item, known, person)
        if not crew:
            continue
        team_name = team_of(item)
        weeks = item.estimate_weeks
        if weeks is None:
            weeks = item_weeks(item, teams.lead(team_name)[0], sizes)
        reason = critical(item) if critical is not None else None
        part = None if weeks is None else parts.get((team_name, weeks, len(crew)))
        if part is None and weeks is not None:
            part = teams.part(team_name, weeks, len(crew))
        for p, with_others in crew:
            p.items.append(item)
            if reason:
                p.critical.append((item, reason))
            if team_name and (not p.teams or p.teams[-1] != team_name):  # deduplicated later
                p.teams.append(team_name)
            if part is None or weeks is None:
                continue
            key = item.key
            p.item_weeks[key] = part[0]
            p.owned_weeks[key] = weeks
            if with_others or part[1]:  # why not all of it is theirs
                p.shared[key] = (
                    f"{with_others}; {part[1]}"
                    if with_others and part[1]
                    else (with_others or part[1])
                )


# what each named person does of an item, and why a lead does less than their part of it ("")
Part = tuple[float, str]


class _Teams:
    """Per team, read once: its record, the most of one item its named people do alone, and why
    a lead does less than their part of a larger one; and each person's part of an item of a size
    named by so many people (a plan's items are of a few sizes: worked out once per size)."""

    def __init__(self, facts: Facts, lead_share: float):
        self.facts = facts
        self.lead_share = lead_share
        self._leads: dict[str | None, tuple[Team | None, float, str]] = {}
        self.parts: dict[tuple[str | None, float, int], Part] = {}

    def lead(self, name: str | None) -> tuple[Team | None, float, str]:
        found = self._leads.get(name)
        if found is None:
            found = self._leads[name] = _lead(self.facts, name, self.lead_share)
        return found

    def part(self, name: str | None, weeks: float, names: int) -> Part:
        """Each of `names` people's part of an item of `weeks` engineer-weeks in team `name`.
        A size of 0 is not kept: 0.0 and -0.0 are one key but a share of them prints apart."""
        key = (name, weeks, names)
        found = self.parts.get(key) if weeks else None
        if found is None:
            team, lead, led_why = self.lead(name)
            share = share_of(weeks, names, team.headcount if team else None, lead)
            if not share < weeks / names - 1e-9:
                led_why = ""  # all of their part of it is theirs
            found = (share, led_why)
            if weeks:
                self.parts[key] = found
        return found


def _lead(facts: Facts, name: str | None, lead_share: float) -> tuple[Team | None, float, str]:
    """A team's record, the most of one item its named people do alone, and why a lead does
    less than their part of a larger one."""
    team = facts.teams.get(name or "")
    lead = lead_share * person_weeks(facts, team)
    return team, lead, f"led with the rest of {name or 'the team'}"


def _take_services(facts: Facts, found: dict[str, Person], person: Callable[[str], Person]) -> None:
    """Each service to its experts; to its only expert as the only one."""
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


def _finish(facts: Facts, p: Person) -> None:
    """A person's services and teams each once, and their quarter (their first team's)."""
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


class CriticalWork:
    """Why an item counts as critical work (its priority, a committed date, a critical service
    it touches) under one rule's parameters: each priority cell and each service name is read
    once, not once per item that names it."""

    def __init__(
        self, facts: Facts, *, priorities: list[str], max_tier: int | None, committed: bool
    ):
        self.facts = facts
        self.wanted = frozenset(normalize_name(n) for n in priorities)
        self.max_tier = max_tier
        self.committed = committed
        self._priority: dict[str, str | None] = {}  # priority cell -> the reason it gives
        self._touches: dict[str, str | None] = {}  # service as written -> the reason it gives

    def _priority_reason(self, priority: str) -> str | None:
        """The reason a priority cell gives, read once per cell (then looked up in _priority)."""
        wanted = normalize_name(priority) in self.wanted
        said = self._priority[priority] = priority.strip() if wanted else None
        return said

    def _service_reason(self, name: str, max_tier: int) -> str | None:
        if name not in self._touches:
            service = self.facts.services.get(self.facts.service_name(name) or "")
            tier = None if service is None else service.tier
            self._touches[name] = (
                f"touches tier-{tier} {service.service}"
                if service is not None and tier is not None and tier <= max_tier
                else None
            )
        return self._touches[name]

    def __call__(self, item: Item) -> str | None:
        """Why the item counts as critical work, or None (its reasons joined as they are found)."""
        priority, said = item.priority, None
        if priority:
            said = self._priority.get(priority, _UNREAD)
            if said is _UNREAD:  # a priority cell not read yet
                said = self._priority_reason(priority)
        if self.committed and item.committed:
            said = "committed" if said is None else f"{said}, committed"
        if self.max_tier is not None and item.services:
            touches = self._touching(item.services, self.max_tier)
            if touches is not None:
                said = touches if said is None else f"{said}, {touches}"
        return said or None

    def _touching(self, services: list[str], max_tier: int) -> str | None:
        """The reason the first of the services of a critical tier gives, or None."""
        for name in services:
            touches = self._service_reason(name, max_tier)
            if touches is not None:
                return touches
        return None


_UNREAD: Any = object()  # a priority cell not read yet
