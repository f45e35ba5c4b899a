"""Check kinds over risky changes (migrations, launches) taken together."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from typing import Literal

from pydantic import Field

from ..analyze.facts import Facts
from ..analyze.safety import MAX_DEPTH, practice_named
from ..analyze.words import PhraseSet
from ..model import Item, ItemKind
from .base import Hit, Params, check, number, open_items_of_kinds, service_subject, team_subject
from .texts import changes as texts
from .texts.changes import LISTED as LISTED  # how many changes a finding names


class StackedParams(Params):
    kinds: list[ItemKind] = Field(min_length=1)
    min_stacked: int = Field(ge=2)
    # Changes are in flight together when their windows (start to due) share at least
    # this many days; a shorter change counts as lasting this long.
    min_overlap_days: int = Field(ge=1)
    by: list[Literal["team", "service"]] = Field(min_length=1)
    # A change's own stories and sub-tasks are steps of it, not changes stacked on it.
    steps_count_with_parent: bool = False
    # A child item whose title names one of these is the safety practice (the flag, the dual
    # write, the throttled backfill), not a risky change of its own.
    safety_words: list[str] = Field(default_factory=list)


def _steps(facts: Facts, changes: list[Item], p: StackedParams) -> dict[str, str]:
    """Child items that are not changes of their own -> why ("a step of ORD-1", "the safety practice")."""
    parent = _parent_of(facts)
    keys = {i.key for i in changes}
    safety = PhraseSet(p.safety_words)
    out: dict[str, str] = {}
    for item in changes:
        if not item.parent or item.parent not in facts.items:
            continue
        if p.steps_count_with_parent:
            seen: set[str] = {item.key}
            current: str | None = item.parent
            while current and current not in seen and len(seen) <= MAX_DEPTH:
                if current in keys:
                    out[item.key] = current
                    break
                seen.add(current)
                current = parent(current)
            if item.key in out:
                continue
        if p.safety_words and practice_named(safety, None, item.title)[0]:
            out[item.key] = ""
    return out


def _parent_of(facts: Facts) -> Callable[[str], str | None]:
    """Key -> its parent key (the last row's, where two rows have the key); None for a key not
    in the plan. Read from the item when asked: most keys never are."""
    items = facts.items
    if len(items) < len(facts.plan.items):  # a key on two rows
        return {i.key: i.parent for i in facts.plan.items}.get
    return lambda key: items[key].parent if key in items else None


def _window(facts: Facts, item: Item, min_days: int) -> tuple[dt.date, dt.date]:
    """An item's window for overlap: a missing start or due is taken from the quarter's
    bounds, and a change shorter than `min_days` counts as lasting that long."""
    start, due = _shown(facts, item)
    if due < start:
        start, due = due, start
    if due != dt.date.max and (due - start).days + 1 < min_days:
        due = start + dt.timedelta(days=min_days - 1)
    return start, due


def _shown(facts: Facts, item: Item) -> tuple[dt.date, dt.date]:
    q = facts.quarter
    return item.start or q.start or dt.date.min, item.due or q.end or dt.date.max


def _deepest(spans: list[tuple[dt.date, dt.date]]) -> tuple[int, dt.date]:
    """(how many spans, the earliest day) at the day the most spans cover. One sweep over the
    starts and the ends, each sorted once."""
    starts = sorted(s for s, _ in spans)
    ends = sorted(e for _, e in spans)
    best_depth, at, ended = 0, dt.date.min, 0
    for n, start in enumerate(starts):
        if n + 1 < len(starts) and starts[n + 1] == start:
            continue  # every change starting on this day is in flight from it
        while ended < len(ends) and ends[ended] < start:
            ended += 1
        if n + 1 - ended > best_depth:
            best_depth, at = n + 1 - ended, start
    return best_depth, at


def _largest_stack(
    windows: dict[str, tuple[dt.date, dt.date]], min_days: int
) -> tuple[list[str], dt.date, dt.date]:
    """The most changes whose windows all share at least `min_days` days, and that shared span.

    Two windows share d days exactly when the windows shortened by d - 1 days at the
    end still meet; intervals on a line that meet pairwise share a point, so the
    largest stack is the deepest point of the shortened windows: the earliest deepest
    point wins.
    """
    shrink = dt.timedelta(days=min_days - 1)

    def shortened(end: dt.date) -> dt.date:
        return end if end == dt.date.max else end - shrink

    spans = [(s, shortened(e)) for s, e in windows.values()]
    # shorter than min_days: shares that many with nothing
    depth, at = _deepest([(s, e) for s, e in spans if s <= e])
    if not depth:
        return [], dt.date.min, dt.date.min
    best = sorted(k for k, (s, e) in windows.items() if s <= at <= shortened(e))
    return best, max(windows[k][0] for k in best), min(windows[k][1] for k in best)


def _changes(facts: Facts, p: StackedParams) -> tuple[list[Item], dict[str, list[str]]]:
    """The open changes of the kinds, without those that are steps or safety work of another,
    and each change's steps (parent key -> the keys folded into it)."""
    kinds = {k.value for k in p.kinds}
    changes = [i for i, _ in open_items_of_kinds(facts, kinds)]
    steps = _steps(facts, changes, p)
    steps_of: dict[str, list[str]] = defaultdict(list)
    for key, parent in steps.items():
        if parent:
            steps_of[parent].append(key)
    return [i for i in changes if i.key not in steps], steps_of


def _grouped(
    facts: Facts, changes: list[Item], by: Sequence[str]
) -> dict[tuple[str, str], list[Item]]:
    """(team, name) and (service, name) -> the changes of that team, or on that service."""
    groups: dict[tuple[str, str], list[Item]] = defaultdict(list)
    for item in changes:
        team = facts.team_of(item)
        if "team" in by and team:
            groups[("team", team)].append(item)
        if "service" in by:
            for name in dict.fromkeys(facts.service_name(s) or s for s in item.services):
                groups[("service", name)].append(item)
    return groups


Stack = tuple[list[Item], dt.date, dt.date, tuple[str, ...]]  # changes, shared span, teams


def _stack(
    facts: Facts,
    kind: str,
    items: list[Item],
    windows: dict[str, tuple[dt.date, dt.date]],
    p: StackedParams,
) -> Stack | None:
    """The largest stack of a group, if it holds at least min_stacked changes."""
    if len(items) < p.min_stacked:
        return None
    # A service stack inside one team is the team's stack, already reported under the team.
    by_team_too = kind == "service" and "team" in p.by
    if by_team_too and _one_team(facts, items):
        return None  # every stack of it is inside that team: not worked out
    keys, first, last = _largest_stack({i.key: windows[i.key] for i in items}, p.min_overlap_days)
    if len(keys) < p.min_stacked:
        return None
    stacked = [facts.items[k] for k in keys]
    teams = tuple(dict.fromkeys(facts.team_of(i) or "" for i in stacked))
    one_team = len([t for t in teams if t]) <= 1 and all(teams)
    if by_team_too and one_team:
        return None
    return stacked, first, last, teams


def _one_team(facts: Facts, items: list[Item]) -> bool:
    """Whether every one of the items is of the same team (and none is of no team)."""
    first = facts.team_of(items[0])
    return bool(first) and all(facts.team_of(i) == first for i in items)


def changes_stacked(facts: Facts, p: StackedParams) -> Iterator[Hit]:
    """Several migrations or launches in flight at once for one team, or on one service."""
    changes, steps_of = _changes(facts, p)
    windows = {i.key: _window(facts, i, p.min_overlap_days) for i in changes}
    for (kind, name), items in sorted(_grouped(facts, changes, p.by).items()):
        stack = _stack(facts, kind, items, windows, p)
        if stack is None:
            continue
        stacked, teams = stack[0], stack[3]
        shown = {i.key: _shown(facts, i) for i in stacked}
        yield Hit(
            subject=team_subject(name) if kind == "team" else service_subject(name),
            message=texts.message(facts, kind, name, stack, shown, steps_of),
            evidence=texts.evidence(facts, stacked, shown),
            teams=tuple(t for t in teams if t),
            fix=texts.stagger(facts, stacked, shown),
            impact=len(stacked),
            likelihood=1.0 + sum(1 for i in stacked if i.committed) / len(stacked),
            measured={
                "stack_size": len(stacked),
                "stack_dated": sum(1 for i in stacked if texts.assumed(i) is None),
            },
        )


# Registered by a call, not a decorator: mutation testing (tools/mutation.py) reaches
# only undecorated functions.
check(
    "changes_stacked",
    StackedParams,
    measures={
        "stack_size": number("how many changes are in flight together", min_bound=2),
        "stack_dated": number(
            "how many of them have their start and due dates written (not assumed)", min_bound=0
        ),
    },
)(changes_stacked)
