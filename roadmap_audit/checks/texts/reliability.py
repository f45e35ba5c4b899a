"""Wording of the reliability checks: vague work (REL001), postmortem actions not scheduled
(REL002) and too little reliability work for a team's incidents (REL003)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ...analyze.capacity import share_text
from ...analyze.numbers import plural
from ...model import Action, Item, Service

# ------------------------------------------------------------------ shared

MISSING = {"estimate": "no estimate", "owner": "no owner", "due": "no due date"}


def missing_words(fields: list[str]) -> str:
    """'no estimate', 'no owner and no due date', 'no estimate, no owner and no due date'."""
    parts = [MISSING[f] for f in fields]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


# ------------------------------------------------------------------ REL001

FAILED = {
    "actionable": "not actionable, no verb says what will change",
    "specific": "not specific, no service or component is named",
    "bounded": "not bounded, no condition says when it is done",
}


def vague_message(
    item: Item,
    kind: str,
    reason: str,
    word: str | None,
    failed: list[str],
    missing: list[str],
    carried_over: bool,
    actions: Sequence[Action],
) -> str:
    text = f"{item.key} '{item.title}' is {kind} work ({reason})"
    if word:
        text += f" described as '{word}'"
    text += f" that fails the actionable / specific / bounded test ({'; '.join(FAILED[f] for f in failed)})"
    text += f". It has {missing_words(missing)}, so no one can schedule it or tell when it is done"
    if carried_over:
        text += f"; it has been in the plan since {item.first_planned}"
    if actions:
        text += (
            f"; postmortem {plural(len(actions), 'action', bare=True)} "
            f"{', '.join(a.key for a in actions)} "
            f"{'counts' if len(actions) == 1 else 'count'} on it as "
            f"{'its' if len(actions) == 1 else 'their'} fix"
        )
    return text


# ------------------------------------------------------------------ REL002

EMPTY = "scheduled_as is empty"


def not_in_plan(key: str) -> str:
    return f"scheduled_as names {key}, which is not in the plan"


def scheduled_without(key: str, missing: list[str]) -> str:
    return f"scheduled as {key}, which has {missing_words(missing)}"


def action_message(
    first: Action,
    group: Sequence[Action],
    postmortems: list[str],
    deferred: int,
    min_deferred: int,
    why_not: str,
) -> str:
    """'A-1 'Add a circuit breaker' (payments) was raised in 2 postmortems (…), has been deferred
    3 times, and is not in this quarter's plan: scheduled_as is empty'."""
    where = f" ({first.service})" if first.service else ""
    parts = []
    if len(postmortems) > 1:
        others = [a.key for a in group if a is not first]
        named = [pm for pm in postmortems if not pm.startswith("#")]
        listed = "; ".join(x for x in (", ".join(named), f"again as {', '.join(others)}") if x)
        parts.append(f"was raised in {len(postmortems)} postmortems ({listed})")
    if deferred >= min_deferred:
        parts.append(f"has been deferred {deferred} time{'s' if deferred != 1 else ''}")
    if parts:
        return f"{first.key} '{first.title}'{where} {', '.join(parts)}, and is not in this quarter's plan: {why_not}"
    return f"{first.key} '{first.title}'{where} is not in this quarter's plan: {why_not}"


def overdue(raised: dt.date, age: float, end: dt.date, target: float, tier: int | None) -> str:
    return (
        f". Raised on {raised.isoformat()}, it will be {age:.0f} weeks old when the quarter "
        f"ends ({end.isoformat()}), against a target of {target:g} weeks for "
        + (f"a tier-{tier} service" if tier is not None else "a service of unknown tier")
    )


# ------------------------------------------------------------------ REL003


def share_message(
    name: str,
    incidents: float | None,
    burned: Sequence[Service],
    weeks: float,
    planned: float,
    share: float,
    min_share: float,
    unestimated: list[str],
) -> str:
    """'t had 6 incidents last quarter, yet only 1.0 of its 20.0 planned engineer-weeks (5%) go
    to reliability …'; `incidents` is None when they are not why the team is named."""
    why = []
    if incidents is not None:
        why.append(f"had {incidents:g} incidents last quarter")
    if burned:
        why.append(
            "has spent the error budget of "
            + ", ".join(f"{s.service} ({budget(s)} left)" for s in burned)
        )
    text = (
        f"{name} {' and '.join(why)}, yet only {weeks:.1f} of its {planned:.1f} planned "
        f"engineer-weeks ({share_text(share)}) go to reliability, postmortem actions or KTLO; the "
        f"line is {share_text(min_share)}, {min_share * planned:.1f} engineer-weeks"
    )
    if unestimated:
        one = len(unestimated) == 1
        text += (
            f". {', '.join(unestimated)} {'is' if one else 'are'} reliability work with no estimate "
            f"and {'counts' if one else 'count'} for nothing"
        )
    return text


def budget(service: Service) -> str:
    return share_text(service.error_budget_remaining or 0.0)
