"""Check kinds over where a plan or a service depends on one person.

Findings here are about the risk to a service or to the plan, never a judgement
of the person: the same name appears because the plan routes work through it.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

from pydantic import Field

from ..analyze import servicemap
from ..analyze.facts import Facts
from ..analyze.people import CriticalWork, Person, people
from ..load.words import normalize_name
from ..model import Evidence, Incident, Item, Service, Severity
from .base import Hit, Params, check, person_subject, service_subject
from .texts import people as texts


class KeyPersonParams(Params):
    critical_tier: int = Field(ge=1)
    # services of the critical tiers with this many experts or fewer are reported
    critical_max_experts: int = Field(ge=1)
    critical_single_expert_severity: Severity
    other_single_expert_severity: Severity | None  # services of other tiers with one expert
    thin_severity: Severity  # critical services with more than one expert but few
    # one person
    min_sole_expert_services: int = Field(ge=1)  # only expert of this many critical services
    min_critical_items: int = Field(ge=1)  # owner of this many critical or committed open items
    critical_priorities: list[str]
    items_touching_tier: int | None = Field(
        None, ge=0
    )  # also count items touching services of this tier or above
    person_concentration_severity: Severity
    max_person_load: float | None = Field(
        gt=0, le=100
    )  # engineer-weeks they do / one person's capacity
    min_items_for_load: int = Field(ge=1)
    lead_share: float = Field(
        gt=0, le=1
    )  # of one person's quarter: the most of one item they do alone
    person_load_severity: Severity


_ORDER = ("critical", "high", "medium", "low", "info")


def _worst(severities: list[str]) -> str:
    return min(severities, key=_ORDER.index)


def key_person_risk(facts: Facts, p: KeyPersonParams) -> Iterator[Hit]:
    """Services too few people can fix, and plans that route critical work through one person."""
    yield from _thin_services(facts, p)
    yield from _concentrated_people(facts, p)


# ---------------------------------------------------------------- services few people can fix


def _incidents_with(mine: list[Incident], expert: str) -> list[Incident]:
    """The service's incidents last quarter the expert responded to."""
    key = normalize_name(expert)
    return [i for i in mine if any(normalize_name(r) == key for r in i.responders)]


def _thin_severity(critical: bool, experts: int, p: KeyPersonParams) -> Severity | None:
    """The severity of a service with this many experts, or None when it is not thin."""
    if experts == 1:
        return p.critical_single_expert_severity if critical else p.other_single_expert_severity
    if critical and experts <= p.critical_max_experts:
        return p.thin_severity
    return None


def _thin_services(facts: Facts, p: KeyPersonParams) -> Iterator[Hit]:
    by_service = servicemap.incidents_by_service(facts)
    for service in facts.services.values():
        experts = list(dict.fromkeys(e.strip() for e in service.experts if e.strip()))
        # no experts listed is a data gap, not evidence of one person
        critical = service.tier is not None and service.tier <= p.critical_tier
        severity = _thin_severity(critical, len(experts), p) if experts else None
        if severity is None:
            continue
        message = texts.thin_service(service, experts, p.critical_max_experts)
        evidence = [Evidence.cell(service, "experts", f"experts: {', '.join(experts)}")]
        mine = by_service.get(service.service, []) if len(experts) == 1 else []
        if mine:
            routed = _incidents_with(mine, experts[0])
            message += texts.routed(experts[0], len(routed), len(mine))
            evidence += [Evidence.of(i.ref, texts.responders(i)) for i in routed[:5]]
        if service.runbook is None:
            message += texts.no_runbook()
            evidence.append(Evidence.cell(service, "runbook", "runbook: empty"))
        owner = facts.team_name(service.owner_team)
        yield Hit(
            subject=service_subject(service.service),
            message=message,
            evidence=tuple(evidence),
            teams=(owner,) if owner else (),
            severity=severity,
            fix=texts.thin_fix(service, p.critical_max_experts + 1 if critical else 2),
            impact=(3.0 if critical else 2.0) / len(experts),
            likelihood=1.0,
        )


# ---------------------------------------------------------------- plans routed through one person

Reason = tuple[str, str, list[Evidence]]  # what the plan routes through the person, severity, cells


def _sole_expert_reason(person: Person, sole: list[Service], p: KeyPersonParams) -> Reason | None:
    if len(sole) < p.min_sole_expert_services:
        return None
    evidence = [
        Evidence.cell(s, "experts", f"{s.service}: only expert {person.name}") for s in sole
    ]
    return texts.sole_expert(sole, p.critical_tier), p.person_concentration_severity, evidence


def _critical_items(person: Person, least: int) -> list[tuple[Item, str]]:
    """The person's open items that count as critical work, and why; none below the minimum."""
    return person.critical if len(person.critical) >= least else []


def _critical_items_reason(
    person: Person, items: list[tuple[Item, str]], p: KeyPersonParams
) -> Reason | None:
    if not items:
        return None
    evidence = [
        Evidence.cell(i, "owner", f"{i.key}: owner {person.name}, {r}") for i, r in items[:6]
    ]
    return texts.owns_critical(items), p.person_concentration_severity, evidence


def _load_reason(
    facts: Facts, person: Person, p: KeyPersonParams, with_items: bool
) -> Reason | None:
    """Too much open work for one person; `with_items`: its items are cited already."""
    if p.max_person_load is None or len(person.item_weeks) < p.min_items_for_load:
        return None
    if person.capacity_weeks <= 0 or person.load <= p.max_person_load:
        return None
    evidence = (
        []
        if with_items
        else [
            Evidence.cell(
                facts.items[k],
                "estimate",
                f"{k}: {person.owned_weeks[k]:g} engineer-weeks, {person.name} does {w:.1f}",
            )
            for k, w in islice(person.item_weeks.items(), 6)
        ]
    )
    return texts.overloaded(person), p.person_load_severity, evidence


def _reasons(
    facts: Facts, person: Person, p: KeyPersonParams
) -> tuple[list[Reason], list[Service], list[tuple[Item, str]]]:
    """What routes the plan through the person; the critical services they alone can fix; their
    critical items (when enough to be a reason)."""
    sole = [s for s in person.sole_expert_of if s.tier is not None and s.tier <= p.critical_tier]
    items = _critical_items(person, p.min_critical_items)
    found = (
        _sole_expert_reason(person, sole, p),
        _critical_items_reason(person, items, p),
        _load_reason(facts, person, p, bool(items)),
    )
    return [r for r in found if r is not None], sole, items


def _concentrated_people(facts: Facts, p: KeyPersonParams) -> Iterator[Hit]:
    critical = CriticalWork(
        facts, priorities=p.critical_priorities, max_tier=p.items_touching_tier, committed=True
    )
    for person in people(facts, p.lead_share, critical).values():
        found, sole, items = _reasons(facts, person, p)
        if not found:
            continue
        reasons = [r for r, _, _ in found]
        evidence = [e for _, _, cells in found for e in cells]
        others = [s for s in person.sole_expert_of if s not in sole]
        if others:
            reasons.append(texts.also_sole_expert([s.service for s in others]))
            evidence += [
                Evidence.cell(s, "experts", f"{s.service}: only expert {person.name}")
                for s in others
            ]
        yield Hit(
            subject=person_subject(person.name),
            message=texts.concentrated(person, reasons),
            evidence=tuple(evidence),
            teams=tuple(person.teams),
            severity=_worst([s for _, s, _ in found]),
            fix=texts.person_fix(person, [i for i, _ in items], person.sole_expert_of),
            impact=len(reasons) + len(sole),
            likelihood=max(1.0, person.load),
        )


# Registered by a call, not a decorator: mutation testing (tools/mutation.py) reaches
# only undecorated functions.
check("key_person_risk", KeyPersonParams)(key_person_risk)
