"""Check kinds over services: SLOs, error budgets, and the dependencies between services."""

from __future__ import annotations

import math
from collections.abc import Iterator

from pydantic import Field

from ..analyze import servicemap
from ..analyze.capacity import estimated, item_weeks
from ..analyze.facts import Facts
from ..model import Evidence, ItemKind, Service, Severity, Subject
from .base import Hit, Params, check

MINUTES_PER_30_DAYS = 30 * 24 * 60
_EPSILON = 1e-9  # 1 - 0.9999 is not exactly 0.0001 in floating point


def slo_text(share: float, digits: int = 4) -> str:
    """0.9995 -> '99.95%'; computed values pass fewer digits."""
    return f"{share * 100:.{digits}f}".rstrip("0").rstrip(".") + "%"


def possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def pct(share: float) -> str:
    return f"{share:.0%}"


def downtime(share: float) -> str:
    """What an availability allows in 30 days, in words: '21.6 min a month'."""
    minutes = (1 - share) * MINUTES_PER_30_DAYS
    return f"{minutes / 60:.1f} h a month" if minutes >= 120 else f"{minutes:.1f} min a month"


def service_subject(name: str) -> Subject:
    return Subject(kind="service", id=name)


def _teams(facts: Facts, svc: Service) -> tuple[str, ...]:
    owner = servicemap.owner(facts, svc)
    return (owner,) if owner else ()


def _n(x: float) -> str:
    return f"{x:g}"


# ------------------------------------------------------------------ SLO001


class CriticalNoSloParams(Params):
    max_tier: int = Field(ge=0, le=10)


@check("critical_service_without_slo", CriticalNoSloParams)
def critical_service_without_slo(facts: Facts, p: CriticalNoSloParams) -> Iterator[Hit]:
    """Services of tier max_tier or more critical that have no SLO."""
    touched = facts.open_items_by_service
    for svc in facts.services.values():
        if svc.tier is None or svc.tier > p.max_tier or svc.slo is not None:
            continue
        items = touched.get(svc.service, [])
        changes = f"; {len(items)} open item(s) of this plan change it" if items else ""
        yield Hit(
            subject=service_subject(svc.service),
            message=(
                f"{svc.service} is tier {svc.tier} but has no SLO: nobody has written down how available "
                f"it must be, so there is no error budget to say when reliability work comes before "
                f"features{changes}"
            ),
            evidence=(
                Evidence.of(svc.cell("slo"), "slo is empty"),
                Evidence.of(svc.cell("tier"), f"tier {svc.tier}"),
            ),
            teams=_teams(facts, svc),
            impact=2.0 if svc.tier <= 1 else 1.0,
            likelihood=1.0 + len(items) / 10,
        )


# ------------------------------------------------------------------ SLO002


class UnmeasuredSloParams(Params):
    escalate_to: Severity | None = None
    escalate_if_tier_at_most: int | None = Field(None, ge=0)


@check("slo_unmeasured", UnmeasuredSloParams)
def slo_unmeasured(facts: Facts, p: UnmeasuredSloParams) -> Iterator[Hit]:
    """Services with an SLO whose SLI is not instrumented (slo_measured false or empty)."""
    for svc in facts.services.values():
        if svc.slo is None or svc.slo_measured:
            continue
        said = "no" if svc.slo_measured is False else "empty"
        message = (
            f"{svc.service} promises {slo_text(svc.slo)} but its SLI is not measured "
            f"(slo_measured is {said}): nobody can tell whether the promise is kept or how much error "
            "budget is left"
        )
        if svc.error_budget_remaining is not None:
            message += (
                f"; the {pct(svc.error_budget_remaining)} error budget written next to it cannot come "
                "from a measurement"
            )
        critical = (
            p.escalate_if_tier_at_most is not None
            and svc.tier is not None
            and svc.tier <= p.escalate_if_tier_at_most
        )
        if critical:
            message += f"; it is tier {svc.tier}"
        yield Hit(
            subject=service_subject(svc.service),
            message=message,
            evidence=(
                Evidence.of(svc.cell("slo_measured"), f"slo_measured: {said}"),
                Evidence.of(svc.cell("slo"), f"slo {slo_text(svc.slo)}"),
            ),
            teams=_teams(facts, svc),
            severity=p.escalate_to if critical and p.escalate_to else None,
            impact=1.0 / max(1 - svc.slo, 1e-6) / 1000,
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


@check("budget_spent_feature_work", BudgetSpentParams)
def budget_spent_feature_work(facts: Facts, p: BudgetSpentParams) -> Iterator[Hit]:
    """Services whose error budget is spent while the plan changes them with features or launches
    and holds no estimated reliability work on them."""
    touched = facts.open_items_by_service
    incidents = servicemap.incidents_by_service(facts)
    features_kinds, reliability_kinds = set(p.feature_kinds), set(p.reliability_kinds)
    for svc in facts.services.values():
        budget = svc.error_budget_remaining
        if budget is None or budget > p.max_budget_remaining:
            continue
        items = touched.get(svc.service, [])
        features = [i for i in items if facts.kind(i) in features_kinds]
        reliability = [i for i in items if facts.kind(i) in reliability_kinds and estimated(i)]
        if not features or reliability:
            continue
        features.sort(key=lambda i: (not i.committed, i.key))
        weeks = sum(
            item_weeks(i, facts.teams.get(facts.team_of(i) or ""), facts.params.size_weeks) or 0.0
            for i in features
        )
        committed = [i.key for i in features if i.committed]
        names = ", ".join(i.key for i in features[:6]) + (" …" if len(features) > 6 else "")
        message = (
            f"{possessive(svc.service)} error budget is spent ({pct(budget)} left), yet the plan puts "
            f"{len(features)} feature or launch item(s) on it ({names}; {weeks:g} engineer-weeks"
            + (f", {len(committed)} committed" if committed else "")
            + ") and no estimated reliability work"
        )
        unestimated = [
            i.key for i in items if facts.kind(i) in reliability_kinds and not estimated(i)
        ]
        if unestimated:
            message += f" ({', '.join(unestimated)} has no estimate)"
        evidence = [
            Evidence.of(svc.cell("error_budget_remaining"), f"error budget remaining {pct(budget)}")
        ]
        if svc.slo is not None:
            window = p.budget_window_days * 24 * 60 * (1 - svc.slo)
            big = sorted(
                (
                    i
                    for i in incidents.get(svc.service, [])
                    if i.duration_minutes and i.duration_minutes > p.big_incident_share * window
                ),
                key=lambda i: -(i.duration_minutes or 0),
            )
            if big:
                worst = big[0]
                message += (
                    f"; {len(big)} incident(s) each used more than {pct(p.big_incident_share)} of a "
                    f"{p.budget_window_days}-day budget ({window:.0f} min at {slo_text(svc.slo)}), "
                    f"{worst.id} alone {_n(worst.duration_minutes or 0)} min"
                )
                evidence += [
                    Evidence.of(i.ref, f"{i.id}: {_n(i.duration_minutes or 0)} min")
                    for i in big[:3]
                ]
        evidence += [
            Evidence.of(
                i.ref, f"{i.key}: {facts.kind(i).value}" + (", committed" if i.committed else "")
            )
            for i in features[:5]
        ]
        yield Hit(
            subject=service_subject(svc.service),
            message=message,
            evidence=tuple(evidence),
            teams=(*_teams(facts, svc), *(facts.team_of(i) or "" for i in features)),
            impact=1.0 + len(committed),
            likelihood=1.0 + max(0.0, -budget),
        )


# ------------------------------------------------------------------ SLO004


class AmbitiousSloParams(Params):
    min_slo: float = Field(gt=0, lt=1)
    require_policy: bool
    min_rotation_single_site: int = Field(ge=1)
    min_rotation_per_site: int = Field(ge=1)
    min_experts: int = Field(ge=1)
    escalate_to: Severity | None = None  # when the budget is already spent and there is no policy
    rotation_only_severity: Severity | None = None  # when a small rotation is the only gap


@check("ambitious_slo_unbacked", AmbitiousSloParams)
def ambitious_slo_unbacked(facts: Facts, p: AmbitiousSloParams) -> Iterator[Hit]:
    """Services promising at least min_slo with no error-budget policy, or whose owning team's
    on-call rotation or bench of experts is below what the promise needs."""
    for svc in facts.services.values():
        if svc.slo is None or svc.slo + _EPSILON < p.min_slo:
            continue
        gaps: list[str] = []
        evidence = [Evidence.of(svc.cell("slo"), f"slo {slo_text(svc.slo)}")]
        if p.require_policy and not svc.error_budget_policy:
            gaps.append("no error-budget policy says what happens when the budget runs out")
            said = "no" if svc.error_budget_policy is False else "empty"
            evidence.append(
                Evidence.of(svc.cell("error_budget_policy"), f"error_budget_policy: {said}")
            )
        owner = servicemap.owner(facts, svc)
        team = facts.teams.get(owner or "")
        rotation_gap = False
        if team is not None:
            sites = max(1, team.oncall_sites)
            needed = p.min_rotation_single_site if sites == 1 else p.min_rotation_per_site * sites
            if team.oncall_rotation < needed:
                rotation_gap = True
                have = (
                    f"{team.oncall_rotation:g} engineers" if team.oncall_rotation else "no rotation"
                )
                gaps.append(
                    f"{possessive(owner or '')} on-call rotation has {have} where {needed} are needed"
                )
                evidence.append(
                    Evidence.of(
                        team.cell("oncall_rotation"), f"oncall_rotation {team.oncall_rotation:g}"
                    )
                )
        if len(svc.experts) < p.min_experts:
            if not svc.experts:
                who = "no named expert"
            elif len(svc.experts) == 1:
                who = f"one expert ({svc.experts[0]})"
            else:
                who = f"{len(svc.experts)} experts ({', '.join(svc.experts)})"
            gaps.append(f"{who} can fix it at 3 a.m., fewer than {p.min_experts}")
            evidence.append(Evidence.of(svc.cell("experts"), f"{len(svc.experts)} expert(s)"))
        if not gaps:
            continue
        spent = svc.error_budget_remaining is not None and svc.error_budget_remaining <= 0
        behind = "nothing" if not svc.error_budget_policy else "too little"
        message = (
            f"{svc.service} promises {slo_text(svc.slo)} ({downtime(svc.slo)} of downtime) with "
            f"{behind} behind it: {'; '.join(gaps)}"
        )
        if spent:
            message += (
                f". Its error budget is already spent ({pct(svc.error_budget_remaining or 0)} left)"
            )
            evidence.append(
                Evidence.of(
                    svc.cell("error_budget_remaining"),
                    f"error budget remaining {pct(svc.error_budget_remaining or 0)}",
                )
            )
        no_policy = not svc.error_budget_policy
        severity = None
        if p.escalate_to and spent and no_policy and p.require_policy:
            severity = p.escalate_to
        elif p.rotation_only_severity and len(gaps) == 1 and rotation_gap:
            severity = p.rotation_only_severity
        yield Hit(
            subject=service_subject(svc.service),
            message=message,
            evidence=tuple(evidence),
            teams=_teams(facts, svc),
            severity=severity,
            impact=float(len(gaps)),
            likelihood=1.0 / max(1 - svc.slo, 1e-6) / 2000,
        )


# ------------------------------------------------------------------ SLO005


class DependencySloParams(Params):
    nines_factor: float = Field(gt=1, le=1_000_000)
    escalate_to: Severity | None = None  # when the product of the dependencies is below the promise


@check("slo_above_dependencies", DependencySloParams)
def slo_above_dependencies(facts: Facts, p: DependencySloParams) -> Iterator[Hit]:
    """Services promising more than their hard dependencies allow: above the product of the
    dependencies' SLOs, or with a dependency less than nines_factor times as available."""
    for svc in facts.services.values():
        if svc.slo is None or not svc.depends_on:
            continue
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
        if not known:
            continue
        bound = math.prod(d.slo or 1.0 for d in known)
        needed = 1 - (1 - svc.slo) / p.nines_factor
        weak = [
            d for d in known if (1 - (d.slo or 1.0)) > (1 - svc.slo) / p.nines_factor + _EPSILON
        ]
        impossible = bound + _EPSILON < svc.slo
        if not (impossible or weak):
            continue
        arithmetic = " x ".join(slo_text(d.slo or 1.0) for d in known)
        deps = ", ".join(f"{d.service} ({slo_text(d.slo or 1.0)})" for d in known)
        message = f"{svc.service} promises {slo_text(svc.slo)} and needs {deps} to answer"
        if impossible:
            message += (
                f": even if {svc.service} itself never failed, it could be up at most "
                f"{arithmetic} = {slo_text(bound, 3)} ({downtime(bound)} of downtime against the "
                f"{downtime(svc.slo)} promised)"
            )
        elif len(known) > 1:
            message += f"; together they allow {arithmetic} = {slo_text(bound, 3)}"
        if weak:
            message += (
                f". A hard dependency needs about one more nine than its caller, at least "
                f"{slo_text(needed)}: {', '.join(d.service for d in weak)} "
                f"{'falls' if len(weak) == 1 else 'fall'} short"
            )
        if unknown:
            message += (
                f" ({', '.join(unknown)} has no SLO in the Services sheet and is not counted)"
            )
        evidence = [
            Evidence.of(svc.cell("slo"), f"slo {slo_text(svc.slo)}"),
            Evidence.of(svc.cell("depends_on"), "depends_on: " + ", ".join(svc.depends_on)),
        ]
        evidence += [
            Evidence.of(d.cell("slo"), f"{d.service}: slo {slo_text(d.slo or 1.0)}")
            for d in (weak or known)
        ]
        yield Hit(
            subject=service_subject(svc.service),
            message=message,
            evidence=tuple(evidence),
            teams=_teams(facts, svc),
            severity=p.escalate_to if impossible and p.escalate_to else None,
            impact=(1 - bound) / max(1 - svc.slo, 1e-6),
            likelihood=float(len(weak) or 1),
        )


# ------------------------------------------------------------------ DEP005


class UnprotectedParams(Params):
    escalate_to: Severity | None = None
    escalate_if_tier_at_most: int | None = Field(None, ge=0)


@check("dependency_unprotected", UnprotectedParams)
def dependency_unprotected(facts: Facts, p: UnprotectedParams) -> Iterator[Hit]:
    """Services calling others with no timeouts, circuit breakers or fallbacks
    (depends_on set, dependency_protection false or empty)."""
    for svc in facts.services.values():
        deps = [d for d in dict.fromkeys(svc.depends_on) if facts.service_name(d) != svc.service]
        if not deps or svc.dependency_protection:
            continue
        said = "no" if svc.dependency_protection is False else "empty"
        critical = (
            p.escalate_if_tier_at_most is not None
            and svc.tier is not None
            and svc.tier <= p.escalate_if_tier_at_most
        )
        tiers = []
        for name in deps:
            dep = servicemap.service(facts, name)
            tiers.append(
                f"{name} (tier {dep.tier})" if dep is not None and dep.tier is not None else name
            )
        message = (
            f"{svc.service} calls {', '.join(tiers)} with no timeouts, circuit breakers or fallbacks "
            f"recorded (dependency_protection is {said}): a slow dependency holds {possessive(svc.service)} "
            "threads and connections until it fails too, and the outage spreads to its callers"
        )
        if critical:
            message += f"; {svc.service} is tier {svc.tier}"
        yield Hit(
            subject=service_subject(svc.service),
            message=message,
            evidence=(
                Evidence.of(svc.cell("dependency_protection"), f"dependency_protection: {said}"),
                Evidence.of(svc.cell("depends_on"), "depends_on: " + ", ".join(deps)),
            ),
            teams=_teams(facts, svc),
            severity=p.escalate_to if critical and p.escalate_to else None,
            impact=float(len(deps)),
            likelihood=2.0 if critical else 1.0,
        )
