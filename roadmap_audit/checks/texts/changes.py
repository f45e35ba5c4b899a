"""Wording of changes_stacked (MIG003): several risky changes in flight together."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from ...analyze.facts import Facts
from ...model import Evidence, Item

# A finding names this many changes (in its message, its evidence and its fix) and counts the
# rest: a team with thousands of changes in flight gets a finding a person can read.
# Convention of this project.
LISTED = 20

Window = tuple[dt.date, dt.date]

CONSEQUENCE = {
    "team": "When something breaks in that window nobody can tell which change caused it, and the "
    "same people watch every rollout and run every rollback",
    "service": "When the service degrades in that window nobody can tell which team's change "
    "caused it, and each rollback has to reckon with the other changes",
}
PLURAL = {"migration": "migrations", "launch": "launches"}


def when(d: dt.date) -> str:
    return "open" if d in (dt.date.min, dt.date.max) else d.isoformat()


def some(entries: list[str], sep: str = ", ") -> str:
    """The first LISTED entries, then how many more."""
    shown = sep.join(entries[:LISTED])
    return shown + (f"{sep}and {len(entries) - LISTED:,} more" if len(entries) > LISTED else "")


def assumed(item: Item) -> str | None:
    if item.start is None and item.due is None:
        return f"{item.key} has no start or due date and counts as the whole quarter"
    if item.start is None:
        return f"{item.key} has no start date; the quarter's start is used"
    if item.due is None:
        return f"{item.key} has no due date; the quarter's end is used"
    return None


def counted(facts: Facts, stacked: list[Item]) -> str:
    """'2 launches are', 'one migration and one launch are', '2 migrations and one launch are'."""
    counts: dict[str, int] = {}
    for item in stacked:
        kind = facts.kind(item).value
        counts[kind] = counts.get(kind, 0) + 1
    ordered = sorted(counts.items(), key=lambda kv: (kv[0] != "migration", kv[0]))
    parts = [
        f"one {kind}" if n == 1 else f"{n} {PLURAL.get(kind, kind + 's')}" for kind, n in ordered
    ]
    return " and ".join(parts) + " are"


def _listed(facts: Facts, stacked: list[Item], shown: Mapping[str, Window]) -> str:
    listed = "; ".join(
        f"{i.key} {facts.kind(i).value} '{i.title}' ({when(shown[i.key][0])} to "
        f"{when(shown[i.key][1])}" + (", committed" if i.committed else "") + ")"
        for i in stacked[:LISTED]
    )
    if len(stacked) > LISTED:
        listed += f"; and {len(stacked) - LISTED:,} more"
    return listed


def message(
    facts: Facts,
    kind: str,
    name: str,
    stack: tuple[list[Item], dt.date, dt.date, tuple[str, ...]],
    shown: Mapping[str, Window],
    steps_of: Mapping[str, list[str]],
) -> str:
    """What is in flight together, where, from when to when, and what that costs."""
    stacked, first, last, teams = stack
    where = (
        name if kind == "team" else f"service {name} ({', '.join(t or 'no team' for t in teams)})"
    )
    text = (
        f"{counted(facts, stacked)} in flight together on {where} from "
        f"{when(first)} to {when(last)}: {_listed(facts, stacked, shown)}. {CONSEQUENCE[kind]}"
    )
    dates = [a for a in map(assumed, stacked) if a]
    if dates:
        text += ". " + some(dates, "; ")
    folded = [f"{some(steps_of[i.key])} under {i.key}" for i in stacked if steps_of.get(i.key)]
    if folded:
        text += ". Counted as steps of their parent change, not as changes of their own: " + some(
            folded, "; "
        )
    return text


def evidence(
    facts: Facts, stacked: list[Item], shown: Mapping[str, Window]
) -> tuple[Evidence, ...]:
    """Each listed change's start (or due) cell, with its window."""
    out = []
    for item in stacked[:LISTED]:
        col = item.columns.get("start") or item.columns.get("due")
        out.append(
            Evidence.of(
                item.ref.at(col) if col else item.ref,
                f"{item.key}: {facts.kind(item).value}, {when(shown[item.key][0])} to "
                f"{when(shown[item.key][1])}" + (" (dates assumed)" if assumed(item) else ""),
            )
        )
    return tuple(out)


def stagger(facts: Facts, stacked: list[Item], shown: Mapping[str, Window]) -> str:
    """A concrete order: the change that lands first, then the others; and what could move."""
    from ...analyze.priority import priority_rank
    from ...load.schema import is_in_progress

    order = sorted(stacked, key=lambda i: (shown[i.key][1], i.key))
    first, rest = order[0], order[1:]
    fix = (
        f"Sequence them: let {first.key} land first (due {when(shown[first.key][1])}) and schedule "
        f"the cutover or go-live of {some([i.key for i in rest])} only after it has settled"
    )
    movable = sorted(
        (i for i in rest if not i.committed and not is_in_progress(i.status)),
        key=lambda i: (-priority_rank(i.priority), i.key),
    )
    if movable:
        return fix + f", or move {movable[0].key} (not committed, not started) to the next quarter."
    if all(i.committed for i in stacked):
        return (
            fix
            + "; they are all committed, so if they cannot be sequenced, renegotiate one date now."
        )
    held = [f"{i.key} is {'committed' if i.committed else 'in progress'}" for i in rest]
    return fix + f"; {some(held)}, so if they cannot be sequenced, renegotiate one date now."
