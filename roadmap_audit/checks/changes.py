"""Check kinds over risky changes (migrations, launches) taken together."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from typing import Literal

from pydantic import Field

from ..analyze.facts import Facts
from ..analyze.safety import MAX_DEPTH, practice_named
from ..analyze.words import PhraseSet
from ..model import Evidence, Item, ItemKind, Subject
from .base import Hit, Params, check, number, team_subject

# A finding names this many changes (in its message, its evidence and its fix) and counts the
# rest: a team with thousands of changes in flight gets a finding a person can read.
# Convention of this project.
LISTED = 20


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
    parent = {i.key: i.parent for i in facts.plan.items}
    keys = {i.key for i in changes}
    safety = PhraseSet(p.safety_words)
    out: dict[str, str] = {}
    for item in changes:
        if not item.parent or item.parent not in parent:
            continue
        if p.steps_count_with_parent:
            seen: set[str] = {item.key}
            current: str | None = item.parent
            while current and current not in seen and len(seen) <= MAX_DEPTH:
                if current in keys:
                    out[item.key] = current
                    break
                seen.add(current)
                current = parent.get(current)
            if item.key in out:
                continue
        if p.safety_words and practice_named(safety, None, item.title)[0]:
            out[item.key] = ""
    return out


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


def _assumed(item: Item) -> str | None:
    if item.start is None and item.due is None:
        return f"{item.key} has no start or due date and counts as the whole quarter"
    if item.start is None:
        return f"{item.key} has no start date; the quarter's start is used"
    if item.due is None:
        return f"{item.key} has no due date; the quarter's end is used"
    return None


def _largest_stack(
    windows: dict[str, tuple[dt.date, dt.date]], min_days: int
) -> tuple[list[str], dt.date, dt.date]:
    """The most changes whose windows all share at least `min_days` days, and that shared span.

    Two windows share d days exactly when the windows shortened by d - 1 days at the
    end still meet; intervals on a line that meet pairwise share a point, so the
    largest stack is the deepest point of the shortened windows. One sweep over the
    starts and the shortened ends, each sorted once: the earliest deepest point wins.
    """
    shrink = dt.timedelta(days=min_days - 1)

    def shortened(end: dt.date) -> dt.date:
        return end if end == dt.date.max else end - shrink

    spans = [(s, shortened(e)) for s, e in windows.values()]
    spans = [
        (s, e) for s, e in spans if s <= e
    ]  # shorter than min_days: shares that many with nothing
    starts = sorted(s for s, _ in spans)
    ends = sorted(e for _, e in spans)
    depth, best_depth, at = 0, 0, dt.date.min
    ended = 0
    for n, start in enumerate(starts):
        if n + 1 < len(starts) and starts[n + 1] == start:
            continue  # every change starting on this day is in flight from it
        while ended < len(ends) and ends[ended] < start:
            ended += 1
        depth = n + 1 - ended
        if depth > best_depth:
            best_depth, at = depth, start
    if not best_depth:
        return [], dt.date.min, dt.date.min
    best = sorted(k for k, (s, e) in windows.items() if s <= at <= shortened(e))
    return best, max(windows[k][0] for k in best), min(windows[k][1] for k in best)


def _some(entries: list[str], sep: str = ", ") -> str:
    """The first LISTED entries, then how many more."""
    shown = sep.join(entries[:LISTED])
    return shown + (f"{sep}and {len(entries) - LISTED:,} more" if len(entries) > LISTED else "")


def _stagger(facts: Facts, stacked: list[Item]) -> str:
    """A concrete order: the change that lands first, then the others; and what could move."""
    from ..analyze.priority import priority_rank

    order = sorted(stacked, key=lambda i: (_shown(facts, i)[1], i.key))
    first, rest = order[0], order[1:]
    fix = (
        f"Sequence them: let {first.key} land first (due {_when(_shown(facts, first)[1])}) and schedule the "
        f"cutover or go-live of {_some([i.key for i in rest])} only after it has settled"
    )
    from ..load.schema import is_in_progress

    movable = sorted(
        (i for i in rest if not i.committed and not is_in_progress(i.status)),
        key=lambda i: (-priority_rank(i.priority), i.key),
    )
    if movable:
        fix += f", or move {movable[0].key} (not committed, not started) to the next quarter."
    elif all(i.committed for i in stacked):
        fix += "; they are all committed, so if they cannot be sequenced, renegotiate one date now."
    else:
        held = [f"{i.key} is {'committed' if i.committed else 'in progress'}" for i in rest]
        fix += f"; {_some(held)}, so if they cannot be sequenced, renegotiate one date now."
    return fix


def _counted(facts: Facts, stacked: list[Item]) -> str:
    """'2 launches are', 'one migration and one launch are', '2 migrations and one launch are'."""
    counts: dict[str, int] = {}
    for item in stacked:
        kind = facts.kind(item).value
        counts[kind] = counts.get(kind, 0) + 1
    plural = {"migration": "migrations", "launch": "launches"}
    ordered = sorted(counts.items(), key=lambda kv: (kv[0] != "migration", kv[0]))
    parts = [
        f"one {kind}" if n == 1 else f"{n} {plural.get(kind, kind + 's')}" for kind, n in ordered
    ]
    return " and ".join(parts) + " are"


def _when(d: dt.date) -> str:
    return "open" if d in (dt.date.min, dt.date.max) else d.isoformat()


@check(
    "changes_stacked",
    StackedParams,
    measures={"stack_size": number("how many changes are in flight together", min_bound=2)},
)
def changes_stacked(facts: Facts, p: StackedParams) -> Iterator[Hit]:
    """Several migrations or launches in flight at once for one team, or on one service."""
    changes = [i for i in facts.open_items() if facts.kind(i).value in p.kinds]
    steps = _steps(facts, changes, p)
    changes = [i for i in changes if i.key not in steps]
    steps_of: dict[str, list[str]] = defaultdict(list)
    for key, parent in steps.items():
        if parent:
            steps_of[parent].append(key)
    windows = {i.key: _window(facts, i, p.min_overlap_days) for i in changes}
    shown = {i.key: _shown(facts, i) for i in changes}
    groups: dict[tuple[str, str], list[Item]] = defaultdict(list)
    for item in changes:
        team = facts.team_of(item)
        if "team" in p.by and team:
            groups[("team", team)].append(item)
        if "service" in p.by:
            for name in dict.fromkeys(facts.service_name(s) or s for s in item.services):
                groups[("service", name)].append(item)
    for (kind, name), items in sorted(groups.items()):
        if len(items) < p.min_stacked:
            continue
        stack, first, last = _largest_stack(
            {i.key: windows[i.key] for i in items}, p.min_overlap_days
        )
        if len(stack) < p.min_stacked:
            continue
        stacked = [facts.items[k] for k in stack]
        teams = tuple(dict.fromkeys(facts.team_of(i) or "" for i in stacked))
        # A service stack inside one team is the team's stack, already reported under the team.
        if (
            kind == "service"
            and "team" in p.by
            and len([t for t in teams if t]) <= 1
            and all(teams)
        ):
            continue
        listed = "; ".join(
            f"{i.key} {facts.kind(i).value} '{i.title}' ({_when(shown[i.key][0])} to {_when(shown[i.key][1])}"
            + (", committed" if i.committed else "")
            + ")"
            for i in stacked[:LISTED]
        )
        if len(stacked) > LISTED:
            listed += f"; and {len(stacked) - LISTED:,} more"
        assumed = [a for a in map(_assumed, stacked) if a]
        where = (
            f"{name}"
            if kind == "team"
            else f"service {name} ({', '.join(t or 'no team' for t in teams)})"
        )
        consequence = (
            "When something breaks in that window nobody can tell which change caused it, and the "
            "same people watch every rollout and run every rollback"
            if kind == "team"
            else "When the service degrades in that window nobody can tell which team's change caused it, "
            "and each rollback has to reckon with the other changes"
        )
        message = (
            f"{_counted(facts, stacked)} in flight together on {where} from "
            f"{_when(first)} to {_when(last)}: {listed}. {consequence}"
        )
        if assumed:
            message += ". " + _some(assumed, "; ")
        folded = [f"{_some(steps_of[i.key])} under {i.key}" for i in stacked if steps_of.get(i.key)]
        if folded:
            message += (
                ". Counted as steps of their parent change, not as changes of their own: "
                + _some(folded, "; ")
            )
        fix = _stagger(facts, stacked)
        evidence = []
        for item in stacked[:LISTED]:
            col = item.columns.get("start") or item.columns.get("due")
            evidence.append(
                Evidence.of(
                    item.ref.at(col) if col else item.ref,
                    f"{item.key}: {facts.kind(item).value}, {_when(shown[item.key][0])} to "
                    f"{_when(shown[item.key][1])}" + (" (dates assumed)" if _assumed(item) else ""),
                )
            )
        yield Hit(
            subject=team_subject(name) if kind == "team" else Subject(kind="service", id=name),
            message=message,
            evidence=tuple(evidence),
            teams=tuple(t for t in teams if t),
            fix=fix,
            impact=len(stacked),
            likelihood=1.0 + sum(1 for i in stacked if i.committed) / len(stacked),
            measured={"stack_size": len(stacked)},
        )
