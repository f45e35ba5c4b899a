"""Wording of the service checks (SLO001-005, DEP005): SLOs, error budgets and the
dependencies between services."""

from __future__ import annotations

from ...analyze.numbers import plural
from ...analyze.wording import downtime, number, pct, possessive, slo_text
from ...model import Incident, Item, Service


def without_slo(svc: Service, open_items: int) -> str:
    changes = (
        f"; {plural(open_items, 'open item')} of this plan "
        f"{'changes' if open_items == 1 else 'change'} it"
        if open_items
        else ""
    )
    return (
        f"{svc.service} is tier {svc.tier} but has no SLO: nobody has written down how available "
        f"it must be, so there is no error budget to say when reliability work comes before "
        f"features{changes}"
    )


def unmeasured(svc: Service, said: str) -> str:
    message = (
        f"{svc.service} promises {slo_text(svc.slo or 0.0)} but its SLI is not measured "
        f"(slo_measured is {said}): nobody can tell whether the promise is kept or how much error "
        "budget is left"
    )
    if svc.error_budget_remaining is not None:
        message += (
            f"; the {pct(svc.error_budget_remaining)} error budget written next to it cannot come "
            "from a measurement"
        )
    return message


def tier_note(svc: Service) -> str:
    """The clause an escalation on the tier adds: 'it is tier 1'."""
    return f"it is tier {svc.tier}"


def budget_spent(
    svc: Service,
    features: list[Item],
    weeks: float,
    committed: int,
    unestimated: list[str],
) -> str:
    budget = svc.error_budget_remaining or 0.0
    names = ", ".join(i.key for i in features[:6]) + (" …" if len(features) > 6 else "")
    message = (
        f"{possessive(svc.service)} error budget is spent ({pct(budget)} left), yet the plan puts "
        f"{plural(len(features), 'feature or launch item')} on it ({names}; {weeks:g} engineer-weeks"
        + (f", {committed} committed" if committed else "")
        + ") and no estimated reliability work"
    )
    if unestimated:
        message += (
            f" ({', '.join(unestimated)} {'has' if len(unestimated) == 1 else 'have'} no estimate)"
        )
    return message


def big_incidents(
    big: list[Incident], share: float, window_days: int, window_minutes: float, slo: float
) -> str:
    worst = big[0]
    return (
        f"; {plural(len(big), 'incident')} {'each ' if len(big) > 1 else ''}used more than {pct(share)} of a "
        f"{window_days}-day budget ({window_minutes:.0f} min at {slo_text(slo)}), "
        f"{worst.id} alone {number(worst.duration_minutes or 0)} min"
    )


def incident_note(incident: Incident) -> str:
    return f"{incident.id}: {number(incident.duration_minutes or 0)} min"


def feature_note(item: Item, kind: str) -> str:
    return f"{item.key}: {kind}" + (", committed" if item.committed else "")


def policy_gap() -> str:
    return "no error-budget policy says what happens when the budget runs out"


def rotation_gap(owner: str, rotation: float, needed: int) -> str:
    have = f"{rotation:g} engineers" if rotation else "no rotation"
    return f"{possessive(owner)} on-call rotation has {have} where {needed} are needed"


def experts_gap(experts: list[str], min_experts: int) -> str:
    if not experts:
        who = "no named expert"
    elif len(experts) == 1:
        who = f"one expert ({experts[0]})"
    else:
        who = f"{len(experts)} experts ({', '.join(experts)})"
    return f"{who} can fix it at 3 a.m., where {min_experts} are needed"


def outside_plan() -> tuple[str, str]:
    """The ceiling of a finding on a service this plan neither owns nor changes."""
    return (
        "medium",
        "held at medium: no team of this plan owns it and no open item changes it, so the "
        "quarter's plan neither adds to nor pays for the promise; raise it with the SLO's owner",
    )


def unbacked(svc: Service, gaps: list[str], spent: bool) -> str:
    slo = svc.slo or 0.0
    behind = "nothing" if not svc.error_budget_policy else "too little"
    message = (
        f"{svc.service} promises {slo_text(slo)} ({downtime(slo)} of downtime) with "
        f"{behind} behind it: {'; '.join(gaps)}"
    )
    if spent:
        message += (
            f". Its error budget is already spent ({pct(svc.error_budget_remaining or 0)} left)"
        )
    return message


def above_dependencies(
    svc: Service,
    known: list[Service],
    unknown: list[str],
    weak: list[Service],
    bound: float,
    needed: float,
    impossible: bool,
) -> str:
    slo = svc.slo or 0.0
    arithmetic = " x ".join(slo_text(d.slo or 1.0) for d in known)
    deps = ", ".join(f"{d.service} ({slo_text(d.slo or 1.0)})" for d in known)
    message = f"{svc.service} promises {slo_text(slo)} and needs {deps} to answer"
    if impossible:
        message += (
            f": even if {svc.service} itself never failed, it could be up at most "
            f"{arithmetic + ' = ' if len(known) > 1 else ''}{slo_text(bound, 3)} "
            f"({downtime(bound)} of downtime against the {downtime(slo)} promised)"
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
        message += f" ({', '.join(unknown)} has no SLO in the Services sheet and is not counted)"
    return message


def unprotected(svc: Service, calls: list[str], said: str) -> str:
    return (
        f"{svc.service} calls {', '.join(calls)} with no timeouts, circuit breakers or fallbacks "
        f"recorded (dependency_protection is {said}): a slow dependency holds "
        f"{possessive(svc.service)} threads and connections until it fails too, and the outage "
        "spreads to its callers"
    )


def caller_tier_note(svc: Service) -> str:
    return f"{svc.service} is tier {svc.tier}"
