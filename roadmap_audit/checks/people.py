"""Check kinds over where a plan or a service depends on one person.

Findings here are about the risk to a service or to the plan, never a judgement
of the person: the same name appears because the plan routes work through it.
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from ..analyze import servicemap
from ..analyze.facts import Facts
from ..analyze.people import critical_reason, people
from ..load.values import normalize_name
from ..model import Evidence, Incident, Severity, Subject
from .base import Hit, Params, check


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


@check("key_person_risk", KeyPersonParams)
def key_person_risk(facts: Facts, p: KeyPersonParams) -> Iterator[Hit]:
    """Services too few people can fix, and plans that route critical work through one person."""
    yield from _thin_services(facts, p)
    yield from _concentrated_people(facts, p)


def _incidents_with(mine: list[Incident], expert: str) -> tuple[int, int, list[Incident]]:
    """Incidents on the service last quarter, and how many the expert responded to."""
    key = normalize_name(expert)
    with_expert = [i for i in mine if any(normalize_name(r) == key for r in i.responders)]
    return len(mine), len(with_expert), with_expert


def _thin_services(facts: Facts, p: KeyPersonParams) -> Iterator[Hit]:
    by_service = servicemap.incidents_by_service(facts)
    for service in facts.services.values():
        experts = list(dict.fromkeys(e.strip() for e in service.experts if e.strip()))
        if not experts:
            continue  # no experts listed is a data gap, not evidence of one person
        critical = service.tier is not None and service.tier <= p.critical_tier
        if len(experts) == 1:
            severity = (
                p.critical_single_expert_severity if critical else p.other_single_expert_severity
            )
        elif critical and len(experts) <= p.critical_max_experts:
            severity = p.thin_severity
        else:
            continue
        if severity is None:
            continue
        tier = f"tier-{service.tier}" if service.tier is not None else "untiered"
        owner = facts.team_name(service.owner_team)
        names = ", ".join(experts)
        if len(experts) == 1:
            message = (
                f"{service.service} ({tier}) has one person who can fix it at 3 a.m. ({names}): "
                "when that person is asleep, on leave or gone, an incident on it has nobody to route "
                "to, and every incident until then trains the team to wait for them"
            )
        else:
            message = (
                f"{service.service} ({tier}) has only {len(experts)} people who can fix it ({names}); "
                f"a {tier} service needs more than {p.critical_max_experts} so that one absence or "
                "departure does not leave a single person holding it"
            )
        evidence = [Evidence.of(service.cell("experts"), f"experts: {names}")]
        if len(experts) == 1:
            total, routed, incidents = _incidents_with(
                by_service.get(service.service, []), experts[0]
            )
            if total:
                message += (
                    f". Last quarter {routed} of its {total} incidents had {experts[0]} among "
                    "the responders"
                )
                evidence += [
                    Evidence.of(i.ref, f"{i.id}: responders {', '.join(i.responders)}")
                    for i in incidents[:5]
                ]
        if service.runbook is None:
            message += "; it has no runbook"
            evidence.append(Evidence.of(service.cell("runbook"), "runbook: empty"))
        yield Hit(
            subject=Subject(kind="service", id=service.service),
            message=message,
            evidence=tuple(evidence),
            teams=(owner,) if owner else (),
            severity=severity,
            fix=(
                f"For {service.service}: bring the people who can fix it to at least "
                f"{p.critical_max_experts + 1 if critical else 2}, with the pairing scheduled in this quarter's "
                "plan."
            ),
            impact=(3.0 if critical else 2.0) / len(experts),
            likelihood=1.0,
        )


def _person_fix(person, items, services) -> str:
    steps = []
    if items:
        steps.append(f"give some of {', '.join(i.key for i in items)} other owners")
    if services:
        steps.append(f"pair a second engineer on {', '.join(s.service for s in services)}")
    if not steps:
        steps.append(f"spread the items owned by {person.name} over more owners")
    return "Before the quarter starts: " + "; ".join(steps) + "."


def _share_text(person, key: str) -> str:
    """'API-12 1' for work all theirs, 'API-7 3.9 of 5, led with the rest of api' for a share."""
    done, whole = person.item_weeks[key], person.owned_weeks[key]
    if key not in person.shared:
        return f"{key} {round(done, 2):g}"
    return f"{key} {round(done, 1):g} of {round(whole, 2):g}, {person.shared[key]}"


def _concentrated_people(facts: Facts, p: KeyPersonParams) -> Iterator[Hit]:
    for person in people(facts, p.lead_share).values():
        reasons: list[str] = []
        severities: list[str] = []
        evidence: list[Evidence] = []
        sole_critical = [
            s for s in person.sole_expert_of if s.tier is not None and s.tier <= p.critical_tier
        ]
        if len(sole_critical) >= p.min_sole_expert_services:
            reasons.append(
                f"is the only listed expert of {len(sole_critical)} tier-{p.critical_tier} services "
                f"({', '.join(s.service for s in sole_critical)})"
            )
            severities.append(p.person_concentration_severity)
            evidence += [
                Evidence.of(s.cell("experts"), f"{s.service}: only expert {person.name}")
                for s in sole_critical
            ]
        critical_items = [
            (i, r)
            for i in person.items
            if (
                r := critical_reason(
                    facts,
                    i,
                    priorities=p.critical_priorities,
                    max_tier=p.items_touching_tier,
                    committed=True,
                )
            )
        ]
        if len(critical_items) >= p.min_critical_items:
            reasons.append(
                f"owns {len(critical_items)} critical or committed items "
                f"({'; '.join(f'{i.key}: {r}' for i, r in critical_items)})"
            )
            severities.append(p.person_concentration_severity)
            evidence += [
                Evidence.of(i.cell("owner"), f"{i.key}: owner {person.name}, {r}")
                for i, r in critical_items[:6]
            ]
        over = (
            p.max_person_load is not None
            and len(person.item_weeks) >= p.min_items_for_load
            and person.capacity_weeks > 0
            and person.load > p.max_person_load
        )
        if over:
            reasons.append(
                f"does {person.planned_weeks:.1f} engineer-weeks of open work "
                f"({'; '.join(_share_text(person, k) for k in person.item_weeks)}) against "
                f"{person.capacity_weeks:.1f} that one person can deliver this quarter "
                f"({person.capacity_basis}), {person.load:.0%} of it"
            )
            severities.append(p.person_load_severity)
            if not critical_items or len(critical_items) < p.min_critical_items:
                evidence += [
                    Evidence.of(
                        facts.items[k].cell("estimate"),
                        f"{k}: {person.owned_weeks[k]:g} engineer-weeks, "
                        f"{person.name} does {w:.1f}",
                    )
                    for k, w in list(person.item_weeks.items())[:6]
                ]
        if not reasons:
            continue
        others = [s.service for s in person.sole_expert_of if s not in sole_critical]
        if others:
            reasons.append(f"is also the only expert of {', '.join(others)}")
            evidence += [
                Evidence.of(s.cell("experts"), f"{s.service}: only expert {person.name}")
                for s in person.sole_expert_of
                if s not in sole_critical
            ]
        what = (
            "this work and these services stop together"
            if person.sole_expert_of
            else "this work stops"
        )
        message = (
            f"The plan routes through one person: {person.name} "
            + "; ".join(reasons)
            + f". If that person is pulled into an incident, is on leave or leaves, {what}, and nothing "
            "in the plan covers it"
        )
        yield Hit(
            subject=Subject(kind="person", id=person.name),
            message=message,
            evidence=tuple(evidence),
            teams=tuple(person.teams),
            severity=_worst(severities),
            fix=_person_fix(
                person,
                [i for i, _ in critical_items]
                if len(critical_items) >= p.min_critical_items
                else [],
                person.sole_expert_of,
            ),
            impact=len(reasons) + len(sole_critical),
            likelihood=max(1.0, person.load),
        )
