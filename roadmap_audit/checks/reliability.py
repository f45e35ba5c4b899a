"""Check kinds over reliability work: vague items, postmortem actions that keep slipping,
and teams whose plan does not answer their incidents."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import Field

from ..analyze import servicemap
from ..analyze.dependencies import natural_key
from ..analyze.facts import Facts
from ..analyze.planning import missing_plan_fields, quarter_of
from ..analyze.words import PhraseSet, fold
from ..model import Action, Evidence, Item, ItemKind, Service, Severity
from .base import Hit, Params, check, flag, item_subject, open_items_with_kind, team_subject
from .texts import reliability as texts

_KEY_SEPARATORS = re.compile(r"[,;\s]+")


# ------------------------------------------------------------------ REL001


class VagueWorkParams(Params):
    kinds: list[ItemKind] = Field(min_length=1)
    vague_words: list[str] = Field(min_length=1)
    action_verbs: list[str] = Field(min_length=1)
    done_words: list[str] = Field(min_length=1)
    skip_defect_reports: bool = False


@dataclass(frozen=True)
class _VagueWords:
    vague: PhraseSet
    verbs: PhraseSet
    done: PhraseSet
    services: PhraseSet  # the services' names: an item naming one is specific


def _failed(item: Item, w: _VagueWords) -> list[str]:
    """Which of the actionable / specific / bounded tests the item fails."""
    failed = []
    if not w.verbs.find(item.title, item.description):
        failed.append("actionable")
    if not item.services and not w.services.find(item.title, item.description):
        failed.append("specific")
    if not w.done.find(item.title, item.description):
        failed.append("bounded")
    return failed


def _standing_in(facts: Facts) -> dict[str, list[Action]]:
    """Item key -> the open postmortem actions scheduled as that item."""
    standing: dict[str, list[Action]] = defaultdict(list)
    for action in facts.plan.actions:
        if not action.done and action.scheduled_as:
            for key in _KEY_SEPARATORS.split(action.scheduled_as):
                standing[key].append(action)
    return standing


def vague_reliability_work(facts: Facts, p: VagueWorkParams) -> Iterator[Hit]:
    """Reliability-type items that fail the actionable / specific / bounded test and lack an
    estimate, an owner or a due date."""
    w = _VagueWords(
        PhraseSet(p.vague_words),
        PhraseSet(p.action_verbs),
        PhraseSet(p.done_words),
        PhraseSet(name for name in facts.services),
    )
    kinds = {k.value for k in p.kinds}
    standing_in = _standing_in(facts)
    this_quarter = quarter_of(facts.quarter.label)
    for item, kind in open_items_with_kind(facts):
        # the cheap tests first: an item with an estimate, an owner and a due date is not read
        missing = missing_plan_fields(item)
        if not missing or (p.skip_defect_reports and item.key in facts.defect_work):
            continue
        word = w.vague.find(item.title, " ".join(item.labels), item.description)
        if kind not in kinds and not word:
            continue
        failed = _failed(item, w)
        if not failed:
            continue
        first = quarter_of(item.first_planned)
        carried_over = bool(first and this_quarter and first < this_quarter)
        actions = standing_in.get(item.key, [])
        reason = facts.kind_reasons[item.key]
        evidence = [Evidence.cell(item, "title", f"title: {item.title}")]
        evidence += [Evidence.cell(item, f, f"{f} is empty") for f in missing]
        evidence += [
            Evidence.cell(a, "scheduled_as", f"{a.key} scheduled as {item.key}") for a in actions
        ]
        yield Hit(
            subject=item_subject(item.key),
            message=texts.vague_message(
                item, kind, reason, word, failed, missing, carried_over, actions
            ),
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
        return False, texts.EMPTY
    reasons = []
    for key in filter(None, _KEY_SEPARATORS.split(action.scheduled_as)):
        item = facts.items.get(key)
        if item is None:
            reasons.append(texts.not_in_plan(key))
            continue
        missing = missing_plan_fields(item)
        if item.done or not missing:
            return True, ""
        reasons.append(texts.scheduled_without(key, missing))
    return False, "; ".join(reasons) or texts.EMPTY


@dataclass(frozen=True)
class _Standing:
    """What a group of open actions (one fix raised again) measures against the targets."""

    opened: list[Action]  # oldest first
    schedules: list[tuple[Action, bool, str]]  # each open action: in the plan?, why not
    deferred: int  # most times any of them was deferred
    postmortems: list[str]  # the postmortems that raised it (or #key of an action without one)
    service: Service | None
    critical: bool
    target: float  # weeks the action may age, by its service's tier
    raised: dt.date | None  # first raised
    age: float | None  # weeks old at the quarter's end

    @property
    def overdue(self) -> bool:
        return self.age is not None and self.age > self.target


def _unscheduled(facts: Facts, p: ActionParams) -> Iterator[tuple[list[Action], _Standing]]:
    """Each group of actions none of whose open actions the plan schedules, measured."""
    for group in _groups(facts, p):
        opened = sorted(
            (a for a in group if not a.done),
            key=lambda a: (a.raised or dt.date.max, natural_key(a.key)),
        )
        schedules = [(a, *_schedule(facts, a)) for a in opened]
        if opened and not any(ok for _, ok, _ in schedules):
            yield group, _standing(facts, p, group, opened, schedules)


def _standing(
    facts: Facts,
    p: ActionParams,
    group: list[Action],
    opened: list[Action],
    schedules: list[tuple[Action, bool, str]],
) -> _Standing:
    end = facts.quarter.end
    svc = servicemap.service(facts, opened[0].service)
    tier = svc.tier if svc else None
    critical = tier is not None and tier <= p.critical_tier
    raised = min((a.raised for a in group if a.raised), default=None)
    return _Standing(
        opened,
        schedules,
        max(a.times_deferred for a in group),
        list(dict.fromkeys(a.postmortem or f"#{a.key}" for a in group)),
        svc,
        critical,
        p.weeks_critical if critical else p.weeks_other,
        raised,
        (end - raised).days / 7 if end and raised else None,
    )


def _action_evidence(s: _Standing) -> tuple[Evidence, ...]:
    evidence = []
    raised_again = len(s.postmortems) > 1
    for action, _, reason in s.schedules:
        evidence.append(Evidence.cell(action, "scheduled_as", f"{action.key}: {reason}"))
        if action.times_deferred:
            evidence.append(
                Evidence.cell(
                    action,
                    "times_deferred",
                    f"{action.key}: deferred {action.times_deferred}",
                )
            )
        if raised_again and action.postmortem:
            evidence.append(
                Evidence.cell(action, "postmortem", f"{action.key}: {action.postmortem}")
            )
    first = s.opened[0]
    if s.overdue and first.raised:
        evidence.append(Evidence.cell(first, "raised", f"raised {first.raised.isoformat()}"))
    return tuple(evidence)


def _overdue_text(s: _Standing, end: dt.date | None) -> str:
    if not (s.overdue and s.raised and end and s.age is not None):
        return ""
    return texts.overdue(s.raised, s.age, end, s.target, s.service.tier if s.service else None)


def postmortem_action_unscheduled(facts: Facts, p: ActionParams) -> Iterator[Hit]:
    """Open postmortem actions deferred or raised again, or past their age target, that the plan
    does not schedule as a concrete item."""
    end = facts.quarter.end
    for group, s in _unscheduled(facts, p):
        repeat = s.deferred >= p.min_deferred or len(s.postmortems) > 1
        if not (repeat or s.overdue):
            continue
        first = s.opened[0]
        message = texts.action_message(
            first, group, s.postmortems, s.deferred, p.min_deferred, s.schedules[0][2]
        ) + _overdue_text(s, end)
        teams = [facts.team_name(a.team) for a in group]
        if s.service is not None:
            teams.append(servicemap.owner(facts, s.service))
        yield Hit(
            subject=item_subject(first.key),
            message=message,
            evidence=_action_evidence(s),
            teams=tuple(t for t in teams if t),
            severity=None if repeat else p.overdue_only_severity,
            impact=2.0 if s.critical else 1.0,
            likelihood=1.0 + s.deferred + len(s.postmortems) - 1,
        )


# ------------------------------------------------------------------ REL003


class ShareParams(Params):
    reliability_kinds: list[ItemKind] = Field(min_length=1)
    min_share: float = Field(ge=0, le=1)
    min_incidents: float = Field(ge=0)
    max_budget_remaining: float = Field(
        ge=-100, le=1
    )  # a share of the budget; below 0 is overspent


def _spent(facts: Facts, p: ShareParams) -> dict[str, list[Service]]:
    """Team -> the services it owns whose error budget is at or below max_budget_remaining."""
    spent: dict[str, list[Service]] = defaultdict(list)
    for svc in facts.services.values():
        owner = servicemap.owner(facts, svc)
        left = svc.error_budget_remaining
        if owner and left is not None and left <= p.max_budget_remaining:
            spent[owner].append(svc)
    return spent


def _share_evidence(
    facts: Facts,
    name: str,
    count: float | None,
    burned: list[Service],
    reliability: dict[str, float],
    unestimated: list[str],
) -> tuple[Evidence, ...]:
    team = facts.teams[name]
    evidence = []
    if count is not None and team.incidents_last_quarter is not None:
        evidence.append(Evidence.cell(team, "incidents_last_quarter", f"{count:g} incidents"))
    elif count is not None:
        evidence += [
            Evidence.of(i.ref, f"incident {i.id}")
            for i in facts.plan.incidents
            if servicemap.incident_team(facts, i) == name
        ][:5]
    evidence += [
        Evidence.cell(s, "error_budget_remaining", f"{s.service}: {texts.budget(s)} left")
        for s in burned
    ]
    evidence += [
        Evidence.cell(facts.items[k], "estimate", f"{k}: {w:g} engineer-weeks")
        for k, w in reliability.items()
    ]
    evidence += [
        Evidence.cell(facts.items[k], "estimate", f"{k}: no estimate") for k in unestimated
    ]
    return tuple(evidence) or (Evidence.of(team.ref, "staffing model"),)


def reliability_share_low(facts: Facts, p: ShareParams) -> Iterator[Hit]:
    """Teams with incidents or a spent error budget whose planned engineer-weeks hold less than
    min_share of reliability, postmortem-action or KTLO work."""
    incidents = servicemap.incidents_by_team(facts)
    spent = _spent(facts, p)
    kinds = set(p.reliability_kinds)
    for name, cap in facts.capacity.items():
        count = incidents.get(name, 0)
        burned = spent.get(name, [])
        if (count < p.min_incidents and not burned) or cap.planned_weeks <= 0:
            continue
        reliability = {k: w for k, w in cap.item_weeks.items() if facts.kinds[k] in kinds}
        weeks = sum(reliability.values())
        share = weeks / cap.planned_weeks
        if share >= p.min_share:
            continue
        named = count if count >= p.min_incidents else None  # incidents are why it is named
        unestimated = [k for k in cap.unestimated if facts.kinds[k] in kinds]
        yield Hit(
            subject=team_subject(name),
            message=texts.share_message(
                name, named, burned, weeks, cap.planned_weeks, share, p.min_share, unestimated
            ),
            evidence=_share_evidence(facts, name, named, burned, reliability, unestimated),
            teams=(name,),
            impact=1.0 + count / 2,
            likelihood=1.0 + (p.min_share - share) * 5,
            measured={"budget_spent": bool(burned)},
        )


# Registered by a call, not a decorator: mutation testing (tools/mutation.py) reaches
# only undecorated functions.
check(
    "vague_reliability_work",
    VagueWorkParams,
    measures={
        "carried_over": flag("first planned in an earlier quarter"),
        "postmortem_action": flag("an open postmortem action is scheduled as this item"),
    },
)(vague_reliability_work)
check("postmortem_action_unscheduled", ActionParams)(postmortem_action_unscheduled)
check(
    "reliability_share_low",
    ShareParams,
    measures={
        "budget_spent": flag(
            "a service the team owns has at most max_budget_remaining of its error budget left"
        )
    },
)(reliability_share_low)
