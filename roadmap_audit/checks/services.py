"""Check kinds over services: SLOs, error budgets, and the dependencies between services."""

from __future__ import annotations

import math
from collections.abc import Iterator

from pydantic import Field

from ..analyze import servicemap
from ..analyze.capacity import estimated, item_weeks
from ..analyze.facts import Facts
from ..analyze.wording import pct, slo_text
from ..model import Evidence, Incident, Item, ItemKind, Service, Severity
from .base import Hit, Params, check, flag, number, service_subject
from .texts import services as texts

_EPSILON = 1e-9  # 1 - 0.9999 is not exactly 0.0001 in floating point
# DEP005 ranks a caller of this tier or a more critical one first (convention of this project:
# tier 1 is the most critical tier most plans use, )
_RANK_FIRST_TIER = 1
TIER = number("the service's tier (0 and 1 the most critical)", min_bound=0)


def _teams(facts: Facts, svc: Service) -> tuple[str, ...]:
    owner = servicemap.owner(facts, svc)
    return (owner,) if owner else ()


def _said(value: bool | None) -> str:
    """How a yes/no cell that is not yes reads: 'no' or 'empty'."""
    return "no" if value is False else "empty"


# ------------------------------------------------------------------ SLO001


class CriticalNoSloParams(Params):
    max_tier: int = Field(ge=0, le=10)


def critical_service_without_slo(facts: Facts, p: CriticalNoSloParams) -> Iterator[Hit]:
    """Services of tier max_tier or more critical that have no SLO."""
    touched = facts.open_items_by_service
    for svc in facts.services.values():
        if svc.tier is None or svc.tier > p.max_tier or svc.slo is not None:
            continue
        items = touched.get(svc.service, [])
        yield Hit(
            subject=service_subject(svc.service),
            message=texts.without_slo(svc, len(items)),
            evidence=(
                Evidence.cell(svc, "slo", "slo is empty"),
                Evidence.cell(svc, "tier", f"tier {svc.tier}"),
            ),
            teams=_teams(facts, svc),
            impact=2.0 if svc.tier <= 1 else 1.0,
            likelihood=1.0 + len(items) / 10,
        )


# ------------------------------------------------------------------ SLO002


class UnmeasuredSloParams(Params):
    pass


def slo_unmeasured(facts: Facts, p: UnmeasuredSloParams) -> Iterator[Hit]:
    """Services with an SLO whose SLI is not instrumented (slo_measured false or empty)."""
    for svc in facts.services.values():
        if svc.slo is None or svc.slo_measured:
            continue
        said = _said(svc.slo_measured)
        yield Hit(
            subject=service_subject(svc.service),
            message=texts.unmeasured(svc, said),
            evidence=(
                Evidence.cell(svc, "slo_measured", f"slo_measured: {said}"),
                Evidence.cell(svc, "slo", f"slo {slo_text(svc.slo)}"),
            ),
            teams=_teams(facts, svc),
            impact=1.0 / max(1 - svc.slo, 1e-6) / 1000,
            measured={"tier": svc.tier},
            notes={"tier": texts.tier_note(svc)},
        )


# ------------------------------------------------------------------ SLO003


class BudgetSpentParams(Params):
    max_budget_remaining: float = Field(
        ge=-100, le=1
    )  # a share of the budget; below 0 is overspent
    feature_kinds: list[ItemKind] = Field(min_length=1)
    reliability_kinds: list[ItemKind] = Field(min_length=1)
    budget_window_days: int = Field(gt=0, le=366)
    big_incident_share: float = Field(gt=0, le=1)


def _spent_services(
    facts: Facts, p: BudgetSpentParams
) -> Iterator[tuple[Service, list[Item], list[Item]]]:
    """(service, its open items, their features and launches) of every service whose budget is
    spent, that the plan changes with features and holds no estimated reliability work on."""
    touched = facts.open_items_by_service
    features_kinds, reliability_kinds = set(p.feature_kinds), set(p.reliability_kinds)
    for svc in facts.services.values():
        budget = svc.error_budget_remaining
        if budget is None or budget > p.max_budget_remaining:
            continue
        items = touched.get(svc.service, [])
        features = [i for i in items if facts.kind(i) in features_kinds]
        if not features or any(facts.kind(i) in reliability_kinds and estimated(i) for i in items):
            continue
        features.sort(key=lambda i: (not i.committed, i.key))
        yield svc, items, features


def _big_incidents(
    incidents: list[Incident], window_minutes: float, share: float
) -> list[Incident]:
    """The incidents that each used more than `share` of the budget's window, longest first."""
    big = (
        i for i in incidents if i.duration_minutes and i.duration_minutes > share * window_minutes
    )
    return sorted(big, key=lambda i: -(i.duration_minutes or 0))


def _weeks(facts: Facts, items: list[Item]) -> float:
    """Engineer-weeks of the items (an unestimated one counts 0)."""
    sizes = facts.params.size_weeks
    return sum(item_weeks(i, facts.teams.get(facts.team_of(i) or ""), sizes) or 0.0 for i in items)


def _budget_incidents(
    svc: Service, incidents: list[Incident], p: BudgetSpentParams
) -> tuple[str, list[Evidence]]:
    """What the service's big incidents add to the message, and their evidence."""
    if svc.slo is None:
        return "", []
    window = p.budget_window_days * 24 * 60 * (1 - svc.slo)
    big = _big_incidents(incidents, window, p.big_incident_share)
    if not big:
        return "", []
    text = texts.big_incidents(big, p.big_incident_share, p.budget_window_days, window, svc.slo)
    return text, [Evidence.of(i.ref, texts.incident_note(i)) for i in big[:3]]


def budget_spent_feature_work(facts: Facts, p: BudgetSpentParams) -> Iterator[Hit]:
    """Services whose error budget is spent while the plan changes them with features or launches
    and holds no estimated reliability work on them."""
    incidents = servicemap.incidents_by_service(facts)
    reliability_kinds = set(p.reliability_kinds)
    for svc, items, features in _spent_services(facts, p):
        budget = svc.error_budget_remaining or 0.0
        committed = sum(1 for i in features if i.committed)
        unestimated = [
            i.key for i in items if facts.kind(i) in reliability_kinds and not estimated(i)
        ]
        big, big_evidence = _budget_incidents(svc, incidents.get(svc.service, []), p)
        evidence = [
            Evidence.cell(svc, "error_budget_remaining", f"error budget remaining {pct(budget)}"),
            *big_evidence,
        ]
        evidence += [
            Evidence.of(i.ref, texts.feature_note(i, facts.kind(i).value)) for i in features[:5]
        ]
        yield Hit(
            subject=service_subject(svc.service),
            message=texts.budget_spent(
                svc, features, _weeks(facts, features), committed, unestimated
            )
            + big,
            evidence=tuple(evidence),
            teams=(*_teams(facts, svc), *(facts.team_of(i) or "" for i in features)),
            impact=1.0 + committed,
            likelihood=1.0 + max(0.0, -budget),
        )


# ------------------------------------------------------------------ SLO004


class AmbitiousSloParams(Params):
    min_slo: float = Field(gt=0, lt=1)
    require_policy: bool
    min_rotation_single_site: int = Field(ge=1)
    min_rotation_per_site: int = Field(ge=1)
    min_experts: int = Field(ge=1)
    rotation_only_severity: Severity | None = None  # when a small rotation is the only gap


Gap = tuple[str, Evidence]  # what is missing behind a promise, and the cell that shows it


def _policy_gap(svc: Service, p: AmbitiousSloParams) -> Gap | None:
    if not p.require_policy or svc.error_budget_policy:
        return None
    said = _said(svc.error_budget_policy)
    return texts.policy_gap(), Evidence.cell(
        svc, "error_budget_policy", f"error_budget_policy: {said}"
    )


def _rotation_gap(facts: Facts, svc: Service, p: AmbitiousSloParams) -> Gap | None:
    owner = servicemap.owner(facts, svc)
    team = facts.teams.get(owner or "")
    if team is None:
        return None
    sites = max(1, team.oncall_sites)
    needed = p.min_rotation_single_site if sites == 1 else p.min_rotation_per_site * sites
    if team.oncall_rotation >= needed:
        return None
    return texts.rotation_gap(owner or "", team.oncall_rotation, needed), Evidence.cell(
        team, "oncall_rotation", f"oncall_rotation {team.oncall_rotation:g}"
    )


def _experts_gap(svc: Service, p: AmbitiousSloParams) -> Gap | None:
    if len(svc.experts) >= p.min_experts:
        return None
    return texts.experts_gap(svc.experts, p.min_experts), Evidence.cell(
        svc, "experts", f"{len(svc.experts)} expert(s)"
    )


def ambitious_slo_unbacked(facts: Facts, p: AmbitiousSloParams) -> Iterator[Hit]:
    """Services promising at least min_slo with no error-budget policy, or whose owning team's
    on-call rotation or bench of experts is below what the promise needs."""
    for svc in facts.services.values():
        if svc.slo is None or svc.slo + _EPSILON < p.min_slo:
            continue
        policy, rotation = _policy_gap(svc, p), _rotation_gap(facts, svc, p)
        gaps = [g for g in (policy, rotation, _experts_gap(svc, p)) if g is not None]
        if not gaps:
            continue
        budget = svc.error_budget_remaining
        spent = budget is not None and budget <= 0
        evidence = [Evidence.cell(svc, "slo", f"slo {slo_text(svc.slo)}")]
        evidence += [e for _, e in gaps]
        if spent:
            evidence.append(
                Evidence.cell(
                    svc, "error_budget_remaining", f"error budget remaining {pct(budget or 0)}"
                )
            )
        only_rotation = len(gaps) == 1 and rotation is not None
        teams = _teams(facts, svc)
        yield Hit(
            subject=service_subject(svc.service),
            message=texts.unbacked(svc, [g for g, _ in gaps], spent),
            evidence=tuple(evidence),
            teams=teams,
            severity=p.rotation_only_severity if only_rotation else None,
            impact=float(len(gaps)),
            likelihood=1.0 / max(1 - svc.slo, 1e-6) / 2000,
            measured={"spent_without_policy": spent and policy is not None},
            ceiling=texts.outside_plan() if _outside_plan(facts, svc, teams) else None,
        )


def _outside_plan(facts: Facts, svc: Service, owners: tuple[str, ...]) -> bool:
    """No team of the plan owns the service (a staffing-model team or one that owns items) and
    no open item touches it: an SLO the context brought, which the quarter does not change."""
    planned = any(t in facts.teams or t in facts.items_by_team for t in owners)
    return not planned and svc.service not in servicemap.open_items_by_service(facts)


# ------------------------------------------------------------------ SLO005


class DependencySloParams(Params):
    nines_factor: float = Field(gt=1, le=1_000_000)


def _dependency_slos(facts: Facts, svc: Service) -> tuple[list[Service], list[str]]:
    """The hard dependencies of a service with an SLO, and the names of those without one."""
    known: list[Service] = []
    unknown: list[str] = []
    for name in dict.fromkeys(svc.depends_on):
        dep = servicemap.service(facts, name)
        if dep is not None and dep.service == svc.service:
            continue
        if dep is not None and dep.slo is not None:
            known.append(dep)
        else:
            unknown.append(name)
    return known, unknown


def _slo_evidence(svc: Service, deps: list[Service]) -> tuple[Evidence, ...]:
    return (
        Evidence.cell(svc, "slo", f"slo {slo_text(svc.slo or 0.0)}"),
        Evidence.cell(svc, "depends_on", "depends_on: " + ", ".join(svc.depends_on)),
        *(Evidence.cell(d, "slo", f"{d.service}: slo {slo_text(d.slo or 1.0)}") for d in deps),
    )


def slo_above_dependencies(facts: Facts, p: DependencySloParams) -> Iterator[Hit]:
    """Services promising more than their hard dependencies allow: above the product of the
    dependencies' SLOs, or with a dependency less than nines_factor times as available."""
    for svc in facts.services.values():
        if svc.slo is None or not svc.depends_on:
            continue
        known, unknown = _dependency_slos(facts, svc)
        if not known:
            continue
        bound = math.prod(d.slo or 1.0 for d in known)
        allowed = (1 - svc.slo) / p.nines_factor  # the unavailability a dependency may have
        weak = [d for d in known if (1 - (d.slo or 1.0)) > allowed + _EPSILON]
        impossible = bound + _EPSILON < svc.slo
        if not (impossible or weak):
            continue
        yield Hit(
            subject=service_subject(svc.service),
            message=texts.above_dependencies(
                svc, known, unknown, weak, bound, 1 - allowed, impossible
            ),
            evidence=_slo_evidence(svc, weak or known),
            teams=_teams(facts, svc),
            impact=(1 - bound) / max(1 - svc.slo, 1e-6),
            likelihood=float(len(weak) or 1),
            measured={"impossible": impossible},
        )


# ------------------------------------------------------------------ DEP005


class UnprotectedParams(Params):
    pass


def _calls(facts: Facts, deps: list[str]) -> list[str]:
    """Each dependency by name, with its tier when the Services sheet gives one."""
    out = []
    for name in deps:
        dep = servicemap.service(facts, name)
        out.append(
            f"{name} (tier {dep.tier})" if dep is not None and dep.tier is not None else name
        )
    return out


def dependency_unprotected(facts: Facts, p: UnprotectedParams) -> Iterator[Hit]:
    """Services calling others with no timeouts, circuit breakers or fallbacks
    (depends_on set, dependency_protection false or empty)."""
    for svc in facts.services.values():
        deps = [d for d in dict.fromkeys(svc.depends_on) if facts.service_name(d) != svc.service]
        if not deps or svc.dependency_protection:
            continue
        said = _said(svc.dependency_protection)
        first = svc.tier is not None and svc.tier <= _RANK_FIRST_TIER
        yield Hit(
            subject=service_subject(svc.service),
            message=texts.unprotected(svc, _calls(facts, deps), said),
            evidence=(
                Evidence.cell(svc, "dependency_protection", f"dependency_protection: {said}"),
                Evidence.cell(svc, "depends_on", "depends_on: " + ", ".join(deps)),
            ),
            teams=_teams(facts, svc),
            impact=float(len(deps)),
            likelihood=2.0 if first else 1.0,
            measured={"tier": svc.tier},
            notes={"tier": texts.caller_tier_note(svc)},
        )


# Registered by a call, not a decorator: mutation testing (tools/mutation.py) reaches
# only undecorated functions.
check("critical_service_without_slo", CriticalNoSloParams)(critical_service_without_slo)
check("slo_unmeasured", UnmeasuredSloParams, measures={"tier": TIER})(slo_unmeasured)
check("budget_spent_feature_work", BudgetSpentParams)(budget_spent_feature_work)
check(
    "ambitious_slo_unbacked",
    AmbitiousSloParams,
    measures={
        "spent_without_policy": flag(
            "the error budget is already spent and no error-budget policy is written down "
            "(when require_policy)"
        )
    },
)(ambitious_slo_unbacked)
check(
    "slo_above_dependencies",
    DependencySloParams,
    measures={
        "impossible": flag("the promise is above the product of its dependencies' SLOs"),
    },
)(slo_above_dependencies)
check("dependency_unprotected", UnprotectedParams, measures={"tier": TIER})(dependency_unprotected)
