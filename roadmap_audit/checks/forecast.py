"""Check kinds over the delivery forecast (analyze/forecast.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from pydantic import Field

from ..analyze.dependencies import OpenGraph
from ..analyze.facts import Facts
from ..model import Evidence, ForecastItem, ForecastTeam
from .base import Hit, Params, check, item_subject, number


class OnTimeParams(Params):
    min_probability: float = Field(gt=0, le=1)


def committed_item_unlikely_on_time(facts: Facts, p: Params) -> Iterator[Hit]:
    """Committed items that land by their due date in fewer runs of the forecast than the threshold."""
    assert isinstance(p, OnTimeParams)
    fc = facts.forecast
    if fc is None:
        return
    teams = {t.team: t for t in fc.teams}
    by_key = _ByKey(fc.items)
    below: dict[str, tuple[str, ...]] = {}  # item -> teams it waits on (_teams_below)
    said: dict[str, tuple[str, Evidence]] = {}  # team -> its pace in words, its staffing cell
    words = _Words(fc.runs)
    least = p.min_probability
    for f in fc.items:
        chance = f.p_on_time
        if f.committed and f.due is not None and chance is not None and chance < least:
            team = said.get(f.team)
            if team is None:
                team = said[f.team] = _team(facts, teams[f.team])
            yield _hit(facts, f, f.due, chance, team, by_key, below, words)


def _team(facts: Facts, team: ForecastTeam) -> tuple[str, Evidence]:
    """What a message says of a team's pace, and the team's row cited (once per team: every
    finding of its items cites the same row)."""
    staffing = Evidence.of(facts.teams[team.team].ref, f"{team.team}: staffing model")
    return _pace(team), staffing


class _ByKey:
    """The forecast's items by key, indexed on the first look-up (only an item that waits needs it)."""

    def __init__(self, items: list[ForecastItem]):
        self.items = items
        self.index: dict[str, ForecastItem] | None = None

    def get(self, key: str) -> ForecastItem | None:
        if self.index is None:
            self.index = {f.key: f for f in self.items}
        return self.index.get(key)


def _pace(team: ForecastTeam) -> str:
    return f"{team.team} has {team.pace_weeks:.1f} engineer-weeks a week{_unplanned(team)}"


class _Words:
    """The parts of a message that many findings share, each worded once per distinct value: the
    date an item is held to, its chance out of the runs, its size (a plan's items have a few due
    dates and sizes; the runs give a few hundred chances)."""

    def __init__(self, runs: int):
        self.runs = runs
        self._held: dict[tuple[dt.date, str | None], tuple[str, str]] = {}
        self._odds: dict[float, str] = {}
        self._size: dict[tuple[bool, float], str] = {}

    def held(self, f: ForecastItem, due: dt.date) -> tuple[str, str]:
        """(the date the item is held to and why that one, the date in ISO form)."""
        key = (due, f.due_basis)
        found = self._held.get(key)
        if found is None:
            day = due.isoformat()
            found = self._held[key] = (_held(f, day), day)
        return found

    def odds(self, chance: float) -> str:
        """'12% of 1,000'; 0.0 is not kept (it is one key with -0.0)."""
        found = self._odds.get(chance) if chance else None
        if found is None:
            found = f"{_chance(chance)} of {self.runs:,}"
            if chance:
                self._odds[chance] = found
        return found

    def size(self, f: ForecastItem) -> str:
        key = (f.estimated, f.estimate_weeks)
        found = self._size.get(key) if f.estimate_weeks else None
        if found is None:
            found = _size(f)
            if f.estimate_weeks:
                self._size[key] = found
        return found


def _hit(
    facts: Facts,
    f: ForecastItem,
    due: dt.date,
    chance: float,
    team: tuple[str, Evidence],
    by_key: _ByKey,
    below: dict[str, tuple[str, ...]],
    words: _Words,
) -> Hit:
    """One finding: what was promised, how the runs play it out, and what it waits on (`team`:
    what the message says of its team's pace, and the team's row)."""
    graph = facts.open_graph
    key = f.key
    direct = graph.waits_on(key)
    waits = sorted(direct) if direct else []
    size = words.size(f)
    held, day = words.held(f, due)  # the day is said in the message and in the due cell's note
    message = (
        f"{key} is committed for {held}, but lands by then in {words.odds(chance)} "
        f"simulated quarters: {_finish(f)}. It is {size}; {team[0]}"
    )
    if waits:
        message += f"; it waits for {_waits_text(waits, by_key)}"
    return Hit(
        subject=item_subject(key),
        message=message,
        evidence=_evidence(facts, f, day, size, waits, team[1]),
        teams=(f.team,),
        measured={"chance": chance},
        impact=_impact(graph, f, below) if direct or graph.needed_by(key) else 2.0,
        likelihood=1.0 + 3.0 * (1.0 - chance),
    )


def _held(f: ForecastItem, day: str) -> str:
    """The date the item is held to (`day`: its ISO form) and why that one."""
    if f.due_basis == "due date":
        return f"its due date {day}"
    return f"the quarter's end {day} (it has no due date)"


def _finish(f: ForecastItem) -> str:
    if f.p85_date and f.p50_date:
        return (
            f"half the runs finish it by {f.p50_date.isoformat()} (week {f.p50_weeks:.1f}) and 85 % by "
            f"{f.p85_date.isoformat()} (week {f.p85_weeks:.1f})"
        )
    return "in most runs it does not finish at all: its team has no capacity for it"


def _size(f: ForecastItem) -> str:
    if f.estimated:
        return f"{f.estimate_weeks:g} engineer-weeks"
    return f"no estimate (counted as {f.estimate_weeks:g} engineer-weeks)"


def _chance(chance: float) -> str:
    return f"{chance:.0%}" if chance >= 0.005 else "fewer than 1 %"


def _unplanned(team: ForecastTeam) -> str:
    if team.unplanned_share > 0:
        return f", less about {team.unplanned_share:.0%} for unplanned work"
    return ""


def _waits_text(waits: list[str], by_key: _ByKey) -> str:
    """Each item it waits for, with its team and when half the runs have it done."""
    parts = []
    for k in waits:
        dep = by_key.get(k)
        if dep is not None and dep.p50_weeks is not None:
            parts.append(f"{k} ({dep.team}, half the runs done by week {dep.p50_weeks:.1f})")
        else:
            parts.append(k)
    return ", ".join(parts)


def _evidence(
    facts: Facts, f: ForecastItem, day: str, size: str, waits: list[str], staffing: Evidence
) -> tuple[Evidence, ...]:
    """The cells a finding cites (`day`: the date it is held to, in ISO form)."""
    item = facts.items[f.key]
    due_note = (
        f"{f.key}: due {day}"
        if f.due_basis == "due date"
        else f"{f.key}: no due date, held to the quarter's end {day}"
    )
    due_cell = Evidence.cell(item, "due", due_note)
    estimate_cell = Evidence.cell(item, "estimate", f"{f.key}: {size}")
    if not waits:
        return due_cell, estimate_cell, staffing
    waits_note = f"{f.key} waits for {', '.join(waits)}"
    return due_cell, estimate_cell, staffing, Evidence.cell(item, "depends_on", waits_note)


def _impact(graph: OpenGraph, f: ForecastItem, below: dict[str, tuple[str, ...]]) -> float:
    """What is at stake ranks it: a promise made outside the team (committed), one that waits on
    another team's work or that other teams' committed work waits on (2.0 for an item that
    neither waits nor is waited on)."""
    cross = any(team != f.team for team in _teams_below(graph, f.key, below))
    needed_by = {graph.team.get(k) for k in graph.needed_by(f.key)} - {None, f.team}
    return 2.0 + (1.0 if cross else 0.0) + 0.5 * len(needed_by)


def _teams_below(graph: OpenGraph, key: str, below: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """Up to two teams of the open items an item waits on, directly or not: enough to tell whether
    one of them is another team's. Remembered in `below` for every item it reads, so the items of
    one long chain are each read once, not once per item above them."""
    stack = [(key, False)]
    while stack:
        current, ready = stack.pop()
        if current in below:
            continue
        if not ready:
            stack.append((current, True))
            stack += [(dep, False) for dep in graph.waits_on(current) if dep not in below]
            continue
        found: list[str] = []
        for dep in graph.waits_on(current):
            for team in (graph.team.get(dep), *below[dep]):
                if team is not None and team not in found and len(found) < 2:
                    found.append(team)
        below[current] = tuple(found)
    return below[key]


# Registered by a call, not a decorator: mutation testing (tools/mutation.py) reaches
# only undecorated functions.
check(
    "committed_item_unlikely_on_time",
    OnTimeParams,
    measures={"chance": number("the share of simulated quarters that land the item by its date")},
)(committed_item_unlikely_on_time)
