"""Wording of key_person_risk (ONC003): services too few people can fix, and plans that route
critical work through one person. About the risk to a service or to the plan, never a
judgement of the person."""

from __future__ import annotations

import functools

from ...analyze.people import Person
from ...model import Incident, Item, Service


def thin_service(service: Service, experts: list[str], max_experts: int) -> str:
    tier = f"tier-{service.tier}" if service.tier is not None else "untiered"
    names = ", ".join(experts)
    if len(experts) == 1:
        return (
            f"{service.service} ({tier}) has one person who can fix it at 3 a.m. ({names}): "
            "when that person is asleep, on leave or gone, an incident on it has nobody to route "
            "to, and every incident until then trains the team to wait for them"
        )
    return (
        f"{service.service} ({tier}) has only {len(experts)} people who can fix it ({names}); "
        f"a {tier} service needs more than {max_experts} so that one absence or "
        "departure does not leave a single person holding it"
    )


def routed(expert: str, routed_to: int, total: int) -> str:
    return f". Last quarter {routed_to} of its {total} incidents had {expert} among the responders"


def responders(incident: Incident) -> str:
    return f"{incident.id}: responders {', '.join(incident.responders)}"


def no_runbook() -> str:
    return "; it has no runbook"


def thin_fix(service: Service, people: int) -> str:
    return (
        f"For {service.service}: bring the people who can fix it to at least {people}, with the "
        "pairing scheduled in this quarter's plan."
    )


def sole_expert(services: list[Service], tier: int) -> str:
    return (
        f"is the only listed expert of {len(services)} tier-{tier} services "
        f"({', '.join(s.service for s in services)})"
    )


def owns_critical(items: list[tuple[Item, str]]) -> str:
    return (
        f"owns {len(items)} critical or committed items "
        f"({'; '.join([f'{i.key}: {r}' for i, r in items])})"
    )


@functools.lru_cache(maxsize=4096)
def _rounded(weeks: float, digits: int) -> str:
    return f"{round(weeks, digits):g}"


def _shown(weeks: float, digits: int = 2) -> str:
    """Engineer-weeks as a share shows them ('3.25', '1'), formatted once per value: a plan's
    items are mostly of a few sizes. 0.0 and -0.0 are one key but print apart: not looked up."""
    return _rounded(weeks, digits) if weeks else f"{round(weeks, digits):g}"


def share(person: Person, key: str) -> str:
    """'API-12 1' for work all theirs, 'API-7 3.9 of 5, led with the rest of api' for a share."""
    done = person.item_weeks[key]
    if key not in person.shared:
        return f"{key} {_shown(done)}"
    return f"{key}{_part(done, person.owned_weeks[key], person.shared[key])}"


@functools.lru_cache(maxsize=4096)
def _part_of(done: float, owned: float, why: str) -> str:
    return f" {_shown(done, 1)} of {_shown(owned)}, {why}"


def _part(done: float, owned: float, why: str) -> str:
    """' 3.9 of 5, led with the rest of api': worded once per distinct share (a plan's items are
    of a few sizes, in a few hundred teams); a share of 0 is not looked up (see _shown)."""
    return (
        _part_of(done, owned, why)
        if done and owned
        else f" {_shown(done, 1)} of {_shown(owned)}, {why}"
    )


def _shares(person: Person) -> str:
    """Every item's `share`, in the person's order: most are all theirs (one look-up each)."""
    shared, owned = person.shared, person.owned_weeks
    return "; ".join(
        [
            f"{key}{_part(done, owned[key], shared[key])}"
            if key in shared
            else f"{key} {_rounded(done, 2) if done else _shown(done)}"
            for key, done in person.item_weeks.items()
        ]
    )


def overloaded(person: Person) -> str:
    planned = person.planned_weeks
    load = planned / person.capacity_weeks if person.capacity_weeks > 0 else 0.0  # person.load
    return (
        f"does {planned:.1f} engineer-weeks of open work "
        f"({_shares(person)}) against "
        f"{person.capacity_weeks:.1f} that one person can deliver this quarter "
        f"({person.capacity_basis}), {load:.0%} of it"
    )


def also_sole_expert(services: list[str]) -> str:
    return f"is also the only expert of {', '.join(services)}"


def concentrated(person: Person, reasons: list[str]) -> str:
    what = (
        "this work and these services stop together" if person.sole_expert_of else "this work stops"
    )
    return (
        f"The plan routes through one person: {person.name} "
        + "; ".join(reasons)
        + f". If that person is pulled into an incident, is on leave or leaves, {what}, and nothing "
        "in the plan covers it"
    )


def person_fix(person: Person, items: list[Item], services: list[Service]) -> str:
    steps = []
    if items:
        steps.append(f"give some of {', '.join(i.key for i in items)} other owners")
    if services:
        steps.append(f"pair a second engineer on {', '.join(s.service for s in services)}")
    if not steps:
        steps.append(f"spread the items owned by {person.name} over more owners")
    return "Before the quarter starts: " + "; ".join(steps) + "."
