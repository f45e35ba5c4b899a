"""Check kinds over reliability work: vague items, postmortem actions that keep slipping,
and teams whose plan does not answer their incidents."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterator

from pydantic import Field

from ..analyze import servicemap
from ..analyze.dependencies import natural_key
from ..analyze.facts import Facts
from ..analyze.planning import missing_plan_fields
from ..analyze.wording import pct
from ..analyze.words import PhraseSet, fold
from ..load.values import ParseError, parse_quarter
from ..model import Action, Evidence, ItemKind, Severity
from .base import Hit, Params, check, flag, item_subject, team_subject

_KEY_SEPARATORS = re.compile(r"[,;\s]+")


def _words(fields: list[str]) -> str:
    names = {"estimate": "no estimate", "owner": "no owner", "due": "no due date"}
    parts = [names[f] for f in fields]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _quarter(text: str | None) -> tuple[int, int] | None:
    try:
        return parse_quarter(text) if text else None
    except ParseError:
        return None


# ------------------------------------------------------------------ REL001


class VagueWorkParams(Params):
    kinds: list[ItemKind] = Field(min_length=1)
    vague_words: list[str] = Field(min_length=1)
    action_verbs: list[str] = Field(min_length=1)
    done_words: list[str] = Field(min_length=1)
    skip_defect_reports: bool = False


@check(
    "vague_reliability_work",
    VagueWorkParams,
    measures={
        "carried_over": flag("first planned in an earlier quarter"),
        "postmortem_action": flag("an open postmortem action is scheduled as this item"),
    },
)
def vague_reliability_work(facts: Facts, p: VagueWorkParams) -> Iterator[Hit]:
    """Reliability-type items that fail the actionable / specific / bounded test and lack an
    estimate, an owner or a due date."""
    vague, verbs, done = (
        PhraseSet(p.vague_words),
        PhraseSet(p.action_verbs),
        PhraseSet(p.done_words),
    )
    service_names = PhraseSet(name for name in facts.services)
    kinds = set(p.kinds)
    standing_in: dict[str, list[Action]] = defaultdict(list)
    for action in facts.plan.actions:
        if not action.done and action.scheduled_as:
            for key in _KEY_SEPARATORS.split(action.scheduled_as):
                standing_in[key].append(action)
    this_quarter = _quarter(facts.quarter.label)
    for item in facts.open_items():
        kind = facts.kind(item)
        word = vague.find(item.title, " ".join(item.labels), item.description)
        if kind not in kinds and not word:
            continue
        if p.skip_defect_reports and item.key in facts.defect_work:
            continue
        failed = []
        if not verbs.find(item.title, item.description):
            failed.append("not actionable, no verb says what will change")
        if not item.services and not service_names.find(item.title, item.description):
            failed.append("not specific, no service or component is named")
        if not done.find(item.title, item.description):
            failed.append("not bounded, no condition says when it is done")
        missing = missing_plan_fields(item)
        if not failed or not missing:
            continue
        message = f"{item.key} '{item.title}' is {kind.value} work ({facts.kind_reasons[item.key]})"
        if word:
            message += f" described as '{word}'"
        message += f" that fails the actionable / specific / bounded test ({'; '.join(failed)})"
        message += f". It has {_words(missing)}, so no one can schedule it or tell when it is done"
        first = _quarter(item.first_planned)
        carried_over = bool(first and this_quarter and first < this_quarter)
        if carried_over:
            message += f"; it has been in the plan since {item.first_planned}"
        actions = standing_in.get(item.key, [])
        if actions:
            message += (
                f"; postmortem action(s) {', '.join(a.key for a in actions)} count on it "
                "as their fix"
            )
        evidence = [Evidence.of(item.cell("title"), f"title: {item.title}")]
        evidence += [Evidence.of(item.cell(f), f"{f} is empty") for f in missing]
        evidence += [
            Evidence.of(a.cell("scheduled_as"), f"{a.key} scheduled as {item.key}") for a in actions
        ]
        yield Hit(
            subject=item_subject(item.key),
            message=message,
            evidence=tuple(evidence),
            teams=(facts.team_of(item) or "",),
            impact=1.0 + len(actions),
            likelihood=float(len(missing) + len(failed)),
            measured={"carried_over": carried_over, "postmortem_action": bool(actions)},
        )


# ------------------------------------------------------------------ REL002


class ActionParams(Params):
    min_deferred: int = Field(ge=1)
    similarity: float = Field(gt=0, le=1)
    min_shared_words: int = Field(ge=1)
    stem_length: int = Field(ge=3)
    stop_words: list[str] = Field(default_factory=list)
    critical_tier: int = Field(ge=0)
    weeks_critical: float = Field(gt=0, le=520)
    weeks_other: float = Field(gt=0, le=520)
    overdue_only_severity: Severity | None = None


def _stems(title: str, p: ActionParams, stop: set[str]) -> frozenset[str]:
    """Title words that carry meaning, cut to a common stem: 'Isolation', 'isolate' -> 'isola'."""
    stems = set()
    for word in fold(title).split():
        if word in stop or len(word) < 2 or word.isdigit():
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        stems.add(word[: p.stem_length])
    return frozenset(stems)


def _similar(a: frozenset[str], b: frozenset[str], p: ActionParams) -> bool:
    shared = len(a & b)
    return shared >= p.min_shared_words and shared / min(len(a), len(b)) >= p.similarity


def _groups(facts: Facts, p: ActionParams) -> list[list[Action]]:
    """Actions that are the same fix raised again: same service (or team when no service is
    named) and similar title words. Pairs are compared only inside a service."""
    stop = {fold(w).strip() for w in p.stop_words}
    by_scope: dict[str, list[Action]] = defaultdict(list)
    for action in facts.plan.actions:
        scope = facts.service_name(action.service) or facts.team_name(action.team) or ""
        by_scope[scope.casefold()].append(action)
    parent = {id(a): id(a) for a in facts.plan.actions}

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for actions in by_scope.values():
        stems = [_stems(a.title, p, stop) for a in actions]
        for i in range(len(actions)):
            for j in range(i + 1, len(actions)):
                if stems[i] and stems[j] and _similar(stems[i], stems[j], p):
                    parent[root(id(actions[i]))] = root(id(actions[j]))
    grouped: dict[int, list[Action]] = defaultdict(list)
    for action in facts.plan.actions:
        grouped[root(id(action))].append(action)
    return list(grouped.values())


def _schedule(facts: Facts, action: Action) -> tuple[bool, str]:
    """Whether the action is really in the plan, and if not, why not (in words)."""
    if not action.scheduled_as:
        return False, "scheduled_as is empty"
    reasons = []
    for key in filter(None, _KEY_SEPARATORS.split(action.scheduled_as)):
        item = facts.items.get(key)
        if item is None:
            reasons.append(f"scheduled_as names {key}, which is not in the plan")
            continue
        missing = missing_plan_fields(item)
        if item.done or not missing:
            return True, ""
        reasons.append(f"scheduled as {key}, which has {_words(missing)}")
    return False, "; ".join(reasons) or "scheduled_as is empty"


@check("postmortem_action_unscheduled", ActionParams)
def postmortem_action_unscheduled(facts: Facts, p: ActionParams) -> Iterator[Hit]:
    """Open postmortem actions deferred or raised again, or past their age target, that the plan
    does not schedule as a concrete item."""
    end = facts.quarter.end
    for group in _groups(facts, p):
        opened = sorted(
            (a for a in group if not a.done),
            key=lambda a: (a.raised or dt.date.max, natural_key(a.key)),
        )
        if not opened:
            continue
        schedules = [(a, *_schedule(facts, a)) for a in opened]
        if any(ok for _, ok, _ in schedules):
            continue
        first = opened[0]
        deferred = max(a.times_deferred for a in group)
        postmortems = list(dict.fromkeys(a.postmortem or f"#{a.key}" for a in group))
        raised_again = len(postmortems) > 1
        svc = servicemap.service(facts, first.service)
        tier = svc.tier if svc else None
        critical = tier is not None and tier <= p.critical_tier
        target = p.weeks_critical if critical else p.weeks_other
        raised = min((a.raised for a in group if a.raised), default=None)
        age = (end - raised).days / 7 if end and raised else None
        overdue = age is not None and age > target
        repeat = deferred >= p.min_deferred or raised_again
        if not (repeat or overdue):
            continue
        where = f" ({first.service})" if first.service else ""
        message = f"{first.key} '{first.title}'{where}"
        parts = []
        if raised_again:
            others = [a.key for a in group if a is not first]
            named = [pm for pm in postmortems if not pm.startswith("#")]
            listed = "; ".join(x for x in (", ".join(named), f"again as {', '.join(others)}") if x)
            parts.append(f"was raised in {len(postmortems)} postmortems ({listed})")
        if deferred >= p.min_deferred:
            parts.append(f"has been deferred {deferred} time{'s' if deferred != 1 else ''}")
        if parts:
            message += f" {', '.join(parts)}, and is not in this quarter's plan: {schedules[0][2]}"
        else:
            message += f" is not in this quarter's plan: {schedules[0][2]}"
        if overdue and raised and end:
            message += (
                f". Raised on {raised.isoformat()}, it will be {age:.0f} weeks old when the quarter "
                f"ends ({end.isoformat()}), against a target of {target:g} weeks for "
                + (f"a tier-{tier} service" if tier is not None else "a service of unknown tier")
            )
        evidence = []
        for action, _, reason in schedules:
            evidence.append(Evidence.of(action.cell("scheduled_as"), f"{action.key}: {reason}"))
            if action.times_deferred:
                evidence.append(
                    Evidence.of(
                        action.cell("times_deferred"),
                        f"{action.key}: deferred {action.times_deferred}",
                    )
                )
            if raised_again and action.postmortem:
                evidence.append(
                    Evidence.of(action.cell("postmortem"), f"{action.key}: {action.postmortem}")
                )
        if overdue and first.raised:
            evidence.append(Evidence.of(first.cell("raised"), f"raised {first.raised.isoformat()}"))
        teams = [facts.team_name(a.team) for a in group] or []
        if svc is not None:
            teams.append(servicemap.owner(facts, svc))
        yield Hit(
            subject=item_subject(first.key),
            message=message,
            evidence=tuple(evidence),
            teams=tuple(t for t in teams if t),
            severity=None if repeat else p.overdue_only_severity,
            impact=2.0 if critical else 1.0,
            likelihood=1.0 + deferred + len(postmortems) - 1,
        )


# ------------------------------------------------------------------ REL003


class ShareParams(Params):
    reliability_kinds: list[ItemKind] = Field(min_length=1)
    min_share: float = Field(ge=0, le=1)
    min_incidents: float = Field(ge=0)
    max_budget_remaining: float = Field(
        ge=-100, le=1
    )  # a share of the budget; below 0 is overspent


@check(
    "reliability_share_low",
    ShareParams,
    measures={
        "budget_spent": flag(
            "a service the team owns has at most max_budget_remaining of its error budget left"
        )
    },
)
def reliability_share_low(facts: Facts, p: ShareParams) -> Iterator[Hit]:
    """Teams with incidents or a spent error budget whose planned engineer-weeks hold less than
    min_share of reliability, postmortem-action or KTLO work."""
    incidents = servicemap.incidents_by_team(facts)
    spent: dict[str, list] = defaultdict(list)
    for svc in facts.services.values():
        owner = servicemap.owner(facts, svc)
        if (
            owner
            and svc.error_budget_remaining is not None
            and svc.error_budget_remaining <= p.max_budget_remaining
        ):
            spent[owner].append(svc)
    kinds = set(p.reliability_kinds)
    for name, cap in facts.capacity.items():
        count = incidents.get(name, 0)
        burned = spent.get(name, [])
        if count < p.min_incidents and not burned:
            continue
        if cap.planned_weeks <= 0:
            continue
        reliability = {k: w for k, w in cap.item_weeks.items() if facts.kinds[k] in kinds}
        weeks = sum(reliability.values())
        share = weeks / cap.planned_weeks
        if share >= p.min_share:
            continue
        team = facts.teams[name]
        why = []
        if count >= p.min_incidents:
            why.append(f"had {count:g} incidents last quarter")
        if burned:
            why.append(
                "has spent the error budget of "
                + ", ".join(f"{s.service} ({pct(s.error_budget_remaining)} left)" for s in burned)
            )
        message = (
            f"{name} {' and '.join(why)}, yet only {weeks:.1f} of its {cap.planned_weeks:.1f} planned "
            f"engineer-weeks ({pct(share)}) go to reliability, postmortem actions or KTLO; the line is "
            f"{pct(p.min_share)}, {p.min_share * cap.planned_weeks:.1f} engineer-weeks"
        )
        unestimated = [k for k in cap.unestimated if facts.kinds[k] in kinds]
        if unestimated:
            one = len(unestimated) == 1
            message += (
                f". {', '.join(unestimated)} {'is' if one else 'are'} reliability work with no estimate "
                f"and {'counts' if one else 'count'} for nothing"
            )
        evidence = []
        if count >= p.min_incidents:
            if team.incidents_last_quarter is not None:
                evidence.append(
                    Evidence.of(team.cell("incidents_last_quarter"), f"{count:g} incidents")
                )
            else:
                evidence += [
                    Evidence.of(i.ref, f"incident {i.id}")
                    for i in facts.plan.incidents
                    if servicemap.incident_team(facts, i) == name
                ][:5]
        evidence += [
            Evidence.of(
                s.cell("error_budget_remaining"),
                f"{s.service}: {pct(s.error_budget_remaining)} left",
            )
            for s in burned
        ]
        evidence += [
            Evidence.of(facts.items[k].cell("estimate"), f"{k}: {w:g} engineer-weeks")
            for k, w in reliability.items()
        ]
        evidence += [
            Evidence.of(facts.items[k].cell("estimate"), f"{k}: no estimate") for k in unestimated
        ]
        if not evidence:
            evidence.append(Evidence.of(team.ref, "staffing model"))
        yield Hit(
            subject=team_subject(name),
            message=message,
            evidence=tuple(evidence),
            teams=(name,),
            impact=1.0 + count / 2,
            likelihood=1.0 + (p.min_share - share) * 5,
            measured={"budget_spent": bool(burned)},
        )
