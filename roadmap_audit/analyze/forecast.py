"""Delivery forecast: a seeded Monte Carlo of the quarter, per team and for the plan.

Each run draws every open item's effort and every team's share of unplanned work:

    effort     ~ lognormal, median = the estimate (engineer-weeks), sigma = the spread
                 (wider for migrations; unestimated items get a default estimate and
                 the widest spread)
    unplanned  ~ lognormal, median = the operations share of team time (capacity.py), capped
    pace       = team time x focus / weeks x (1 - unplanned)  engineer-weeks per week
                 (at the median, capacity_weeks / weeks)

A team is one pool of engineer-weeks that works through its open items in one
order: the order they take in the median quarter (every effort at its estimate,
every team at its median pace), played out once event by event with the team
always taking its most urgent ready item (priority, then due date, then plan
order), an item ready when everything it depends on has finished, in any team.
In every run the team keeps that order, and an item finishes when the team's
queue reaches it (the sum of the efforts up to it, over the team's pace) or,
when it waits for other work, that work's finish plus its own effort, whichever
is later. Items inside one dependency cycle do not wait for each other (the
cycle is DEP003's to report), and an item does not wait for done work or for
work of a team whose capacity is unknown.

The simplifications: a whole team can swarm one item, and switching costs
nothing; a waiting item does not hold up the rest of the team's queue (the team
works on meanwhile), so two items waiting for the same work can finish
together. A team's completion is its total work over its pace, or the last
wait plus the effort after it.

Every run is computed at once for a block of runs with numpy, and only what the
report states is kept: each item's, team's and the plan's finish rounded to
1/100 week (2 bytes a run), from which P50 and P85 are read, and the count of
runs on time. numpy is imported only when a forecast runs.

Common random numbers: every item draws its efforts from its own stream, seeded
by (seed, item key), and every team its unplanned shares from (seed, team name).
An item's draw in run r does not depend on the other items, their order or how
many there are, so two plans audited with the same seed (`diff`) give the same
figures to every team whose own items, capacity and dependencies did not change.

Results are stated as weeks from the quarter's start (week 13.0 is the end of a
13-week quarter) and as dates, and each item's chance to land by its due date
(committed items with no due date are held to the quarter's end).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from bisect import bisect_right
from collections.abc import Mapping
from functools import lru_cache
from heapq import heappop, heappush, heapreplace
from itertools import compress, filterfalse, repeat
from operator import attrgetter, itemgetter, not_
from pathlib import Path
from statistics import NormalDist
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from ..model import Forecast, ForecastItem, ForecastTeam, ItemKind
from .capacity import item_weeks

if TYPE_CHECKING:
    import numpy as np

    from .facts import Facts


class ForecastParams(BaseModel):
    """The Monte Carlo's parameters (rules/forecast.toml, then [forecast] in the config)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    runs: int = Field(1000, ge=1, le=100_000)  # each run keeps 2 bytes per item, team and the plan
    seed: int = 2026
    effort_spread: float = Field(0.35, ge=0, le=3)
    migration_spread: float = Field(0.6, ge=0, le=3)
    unestimated_spread: float = Field(0.8, ge=0, le=3)
    unestimated_weeks: float = Field(3.0, gt=0)
    unplanned_spread: float = Field(0.3, ge=0, le=3)
    max_unplanned_share: float = Field(0.9, ge=0, lt=1)
    max_item_runs: int = Field(100_000_000, ge=1, le=1_000_000_000)


def load_forecast_params(
    files: list[Path], overrides: dict[str, Any]
) -> tuple[ForecastParams, dict[str, dict]]:
    """Parameters from forecast.toml files, then config overrides; each with where it came from."""
    from .packparams import read_pack_params, validated

    values, described, where = read_pack_params(
        files, overrides, "forecast", set(ForecastParams.model_fields)
    )
    params = validated(
        ForecastParams, values, where, "forecast", "see the Delivery forecast section of the README"
    )
    return params, described


# ------------------------------------------------------------------ the model, prepared once


# of a team's rows: (rank, due or the latest date, *row)
_URGENCY, _ROW = itemgetter(0, 1), itemgetter(2, 3, 4, 5, 6, 7, 8)
_KEY, _DONE = attrgetter("key"), attrgetter("done")


def _spreads(p: ForecastParams) -> dict[tuple[bool, bool], float]:
    """(a migration, not estimated) -> the spread of the item's effort."""
    spreads = {}
    for moved in (False, True):
        for unestimated in (False, True):
            spread = p.effort_spread
            if moved:
                spread = max(spread, p.migration_spread)
            if unestimated:
                spread = max(spread, p.unestimated_spread)
            spreads[moved, unestimated] = spread
    return spreads


class _Setup:
    """Everything a run needs, as flat lists indexed by item: team by team (`team_of` never
    falls), each team's in its priority order."""

    def __init__(self, facts: Facts, p: ForecastParams):
        q = facts.quarter
        weeks = q.weeks if q.weeks and q.weeks > 0 else facts.params.weeks
        self.weeks = weeks
        self.teams: list[str] = []
        self.base_pace: list[float] = []  # engineer-weeks per week before unplanned work
        self.unplanned: list[float] = []  # median share of unplanned work
        self._ranks: dict[str | None, int] = {}
        rows = self._rows(facts, p)
        team_of, items, keys, estimates, spreads, dues, committed = (
            zip(*rows, strict=True) if rows else ((), (), (), (), (), (), ())
        )
        self.items = list(items)
        self.keys: list[str] = list(keys)
        # each item's due date and commitment, read here once (what it is held to)
        self.due: list[dt.date | None] = list(dues)
        self.committed: list[bool] = list(committed)
        self.streams = _item_streams(p.seed, self.keys)  # each item's draws
        self.team_of = list(team_of)
        self.estimated = [e is not None for e in estimates]
        self.median = [e if e is not None else p.unestimated_weeks for e in estimates]
        self.spread = list(spreads)
        self._dependencies(facts)
        self._prepare(p)

    def _prepare(self, p: ForecastParams) -> None:
        # Work ready at the start, per team, lowest index (most urgent) first: already a heap.
        self.ready_at_start: list[list[int]] = [[] for _ in self.teams]
        for i in compress(range(len(self.waits)), map(not_, self.waits)):
            self.ready_at_start[self.team_of[i]].append(i)
        self.order = self._median_order(p)

    def without(self, facts: Facts, p: ForecastParams, gone: set[str], teams: set[str]) -> _Setup:
        """The setup of the plan with the items `gone` deferred (done), for `teams` and every
        team their work waits on, directly or not; the other teams cannot change their finish.

        The same as a setup of the plan re-derived with those items done: their dependents
        no longer wait on them, a cycle they were in splits into what remains of it, and
        items and teams keep their relative order (so the median quarter breaks ties alike).
        """
        removed = {self.index[k] for k in gone if k in self.index}
        waits_on = self._waits_on_without(facts, gone, removed)
        by_team: list[list[int]] = [[] for _ in self.teams]  # each team's items that wait
        for i in waits_on:
            by_team[self.team_of[i]].append(i)
        names = {name: t for t, name in enumerate(self.teams)}
        need = {names[name] for name in teams if name in names}
        todo = list(need)
        while todo:  # every team the kept teams wait on, directly or not
            for i in by_team[todo.pop()]:
                for j in waits_on[i]:
                    if self.team_of[j] not in need:
                        need.add(self.team_of[j])
                        todo.append(self.team_of[j])
        kept_teams = sorted(need)
        new_team = [-1] * len(self.teams)
        for n, t in enumerate(kept_teams):
            new_team[t] = n
        # the full setup's order: team, then urgency
        kept = [t >= 0 for t in new_team]
        keep = list(
            filterfalse(
                removed.__contains__,
                compress(range(len(self.keys)), map(kept.__getitem__, self.team_of)),
            )
        )
        s = _Setup.__new__(_Setup)
        s.weeks = self.weeks
        s.teams = [self.teams[t] for t in kept_teams]
        s.base_pace = [self.base_pace[t] for t in kept_teams]
        s.unplanned = [self.unplanned[t] for t in kept_teams]
        s.keys, s.streams, s.items, team_of, s.estimated, s.median, s.spread, s.due, s.committed = (
            _picked(values, keep)
            for values in (
                self.keys,
                self.streams,
                self.items,
                self.team_of,
                self.estimated,
                self.median,
                self.spread,
                self.due,
                self.committed,
            )
        )
        s.team_of = list(map(new_team.__getitem__, team_of))
        s.index = dict(zip(s.keys, range(len(keep)), strict=True))
        at = dict(zip(keep, range(len(keep)), strict=True))  # the full setup's index -> this one's
        s.dependents = [[] for _ in keep]
        s.waits = [0] * len(keep)
        for i, on in sorted(waits_on.items()):
            if i in at:
                n = at[i]
                s.waits[n] = len(on)
                for j in on:
                    s.dependents[at[j]].append(n)
        s.not_waited, s.in_cycles = set(), 0  # for the notes, which this setup does not write
        s._prepare(p)
        return s

    def _waits_on_without(
        self, facts: Facts, gone: set[str], removed: set[int]
    ) -> dict[int, list[int]]:
        """What each item that still waits waits on once the items `gone` (at `removed`) are done."""
        index = self.index
        waits_on: dict[int, list[int]] = {}
        for j in filterfalse(
            removed.__contains__, compress(range(len(self.keys)), self.dependents)
        ):
            for i in self.dependents[j]:
                if i not in removed:
                    waits_on.setdefault(i, []).append(j)
        graph = facts.open_graph
        split = {graph.component[k] for k in gone if k in graph.component}
        for c in split:
            if len(graph.components[c]) < 2:
                continue
            from .dependencies import _strongly_connected

            # what is left of a cycle: its items wait on each other unless still in one cycle
            left = set(graph.components[c]) - gone
            rest = {
                a: tuple(b for b in graph.succ[a] if b in left)
                for a in graph.components[c]
                if a in left
            }
            part, _ = _strongly_connected(rest)
            for a, deps in rest.items():
                for b in deps:
                    if part[a] != part[b] and a in index and b in index:
                        waits_on.setdefault(index[a], []).append(index[b])
        return waits_on

    def _rows(self, facts: Facts, p: ForecastParams) -> list[tuple]:
        """(team, item, key, estimate, spread, due, committed) of every open item of a team with
        a known capacity, in the order of work: team, then priority, due date and plan order."""
        rows: list[tuple] = []
        seen: set[str] = set()
        spreads, kept = _spreads(p), facts.items.get
        # each item is in one team's list; with no key written twice, every item is its key's
        repeated = len(facts.items) < len(facts.plan.items)
        for name in sorted(facts.capacity):
            cap = facts.capacity[name]
            if not cap.known:
                continue
            t = len(self.teams)
            self.teams.append(name)
            # team time after focus, less a drawn share of operations: the median pace is capacity_weeks / weeks
            self.base_pace.append(max(0.0, cap.team_weeks) * cap.focus_factor / self.weeks)
            self.unplanned.append(min(max(cap.ops_share, 0.0), p.max_unplanned_share))
            # open, not another team's too, and the item the plan keeps under its key
            mine = list(filterfalse(_DONE, facts.items_by_team.get(name, ())))
            if repeated:
                mine = [item for item in mine if item.key not in seen and kept(item.key) is item]
                seen.update(map(_KEY, mine))
            self._team_rows(facts, (t, facts.teams[name]), mine, spreads, rows)
        return rows

    def _team_rows(
        self,
        facts: Facts,
        at: tuple,
        items: list,
        spreads: dict[tuple[bool, bool], float],
        rows: list,
    ) -> None:
        """A team's rows (`at`: its number and record), each item's estimate and spread, in the
        order of work: priority, due date, plan order (`items` are in the plan's order)."""
        from .priority import priority_rank

        t, team = at
        sizes: Mapping[str, float] = facts.params.size_weeks  # type: ignore[assignment]
        migration, kinds, ranks, latest = ItemKind.migration, facts.kinds, self._ranks, dt.date.max
        mine = []
        for item in items:
            key = item.key
            estimate = item.estimate_weeks  # what item_weeks reads first
            if estimate is None:
                estimate = item_weeks(item, team, sizes)
            if estimate is not None and not (math.isfinite(estimate) and estimate >= 0):
                estimate = None  # a value no schedule can use counts as no estimate
            rank = ranks.get(item.priority)
            if rank is None:
                rank = ranks[item.priority] = priority_rank(item.priority)
            spread = spreads[kinds[key] == migration, estimate is None]
            due = item.due
            mine.append((rank, due or latest, t, item, key, estimate, spread, due, item.committed))
        mine.sort(key=_URGENCY)  # stable: plan order breaks ties
        rows += map(_ROW, mine)

    def _dependencies(self, facts: Facts) -> None:
        """Who waits on whom among the forecast's items; the rest is taken as met."""
        self.index = index = dict(zip(self.keys, range(len(self.keys)), strict=True))
        self.dependents: list[list[int]] = [[] for _ in self.keys]
        self.waits: list[int] = [0] * len(self.keys)
        self.not_waited: set[str] = set()  # dependencies on work outside the forecast
        self.in_cycles = 0
        if not self.keys:
            return
        graph = facts.open_graph
        waits = graph.waits  # an item's direct dependencies outside its own cycle
        for key in graph.waiting:  # the items that wait on something
            i = index.get(key)
            if i is None:
                continue
            for dep in waits[key]:
                j = index.get(dep)
                if j is None:
                    self.not_waited.add(dep)
                    continue
                self.waits[i] += 1
                self.dependents[j].append(i)
        for dependents in self.dependents:
            if len(dependents) > 1:
                dependents.sort()  # in the setup's order
        self.in_cycles = sum(len(c) for c in graph.cycles() if any(k in index for k in c))

    def median_pace(self, t: int, p: ForecastParams) -> float:
        return self.base_pace[t] * (1.0 - min(self.unplanned[t], p.max_unplanned_share))

    def _median_order(self, p: ForecastParams) -> list[int]:
        """Item indexes team by team, each team's in the order the median quarter works them."""
        inverse = [
            1.0 / v if v > 0 else math.inf
            for v in (self.median_pace(t, p) for t in range(len(self.teams)))
        ]
        duration = [
            max(m, 1e-9) * inverse[t] for m, t in zip(self.median, self.team_of, strict=True)
        ]
        self.median_finish = finish = play(self, duration)
        # by team, then finish, then index: each team's items are together, in team order (the
        # rows are laid out team by team), so each team's are sorted alone, stably
        order: list[int] = []
        team_of, lo = self.team_of, 0
        for t in range(len(self.teams)):
            hi = bisect_right(team_of, t, lo)
            order += sorted(range(lo, hi), key=finish.__getitem__)
            lo = hi
        return order


def _picked(values: list, at: list[int]) -> list:
    """values[i] for each i of `at`."""
    if len(at) < 2:
        return [values[i] for i in at]
    return list(itemgetter(*at)(values))


def play(setup: _Setup, duration: list[float]) -> list[float]:
    """One quarter event by event: each team takes its most urgent ready item. Finish of each item; inf = never."""
    team_of, dependents = setup.team_of, setup.dependents
    finish = [math.inf] * len(team_of)
    waits = setup.waits.copy()
    ready = [r.copy() for r in setup.ready_at_start]
    busy = [False] * len(setup.teams)
    events: list[tuple[float, int]] = []

    def start(t: int, now: float) -> None:
        if not busy[t] and ready[t]:
            k = heappop(ready[t])
            heappush(events, (now + duration[k], k))
            busy[t] = True

    for t in range(len(setup.teams)):
        start(t, 0.0)
    while events:
        now, i = events[0]
        finish[i] = now
        t = team_of[i]
        if not dependents[i]:  # the team takes its next ready item, if any
            queue = ready[t]
            if queue:
                k = heappop(queue)
                heapreplace(events, (now + duration[k], k))  # what pops next is the same
            else:
                heappop(events)
                busy[t] = False
            continue
        heappop(events)
        busy[t] = False
        woken = [t]
        for j in dependents[i]:
            waits[j] -= 1
            if waits[j] == 0:
                heappush(ready[team_of[j]], j)
                woken.append(team_of[j])
        for t in woken:
            start(t, now)
    return finish


QUANTILES = 8192  # draws come from this many equally likely quantiles of the normal distribution
LANE_SHIFT = 3  # a draw is the top 13 bits of a 16-bit lane: 2**13 = QUANTILES


@lru_cache(maxsize=16)  # the same few spreads for both forecasts of a plan
def _multipliers(sigma: float) -> tuple[float, ...]:
    """exp(sigma x z) at the midpoint quantiles of the standard normal: a lognormal with median 1.

    Drawing a quantile with one uniform number (inverse transform) is plain
    arithmetic, so the same seed gives the same figures on every machine. The
    tails stop at 3.8 sigma, far past what P85 reads.
    """
    normal = NormalDist()
    return tuple(math.exp(sigma * normal.inv_cdf((k + 0.5) / QUANTILES)) for k in range(QUANTILES))


def _item_streams(seed: int, keys: list[str]) -> list[int]:
    """stream_key(seed, "item", key) of each key."""
    prefix = f"{seed}\x1fitem\x1f"
    blake2b, from_bytes = hashlib.blake2b, int.from_bytes
    return [
        from_bytes(
            blake2b((prefix + key).encode("utf-8", "surrogatepass"), digest_size=8).digest(),
            "little",
        )
        for key in keys
    ]


def stream_key(seed: int, *names: str) -> int:
    """The 64-bit key of the random stream of (seed, names): the same whatever else the plan holds.

    The names are hashed (BLAKE2b), never Python's hash(), so the stream is the same
    in every process and on every machine.
    """
    text = "\x1f".join((str(seed), *names)).encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "little")


GOLDEN = 0x9E3779B97F4A7C15  # SplitMix64 (Steele, Lea and Flood, OOPSLA 2014): the stream's step
MIX1, MIX2 = 0xBF58476D1CE4E5B9, 0x94D049BB133111EB


def draws(keys: np.ndarray, first: int, count: int) -> np.ndarray:
    """Quantile indexes (0..8191) of runs first..first+count-1, one row per stream key.

    Each stream is SplitMix64 seeded with its key; its n-th 64-bit output holds the
    draws of runs 4n..4n+3, one per 16-bit lane, so a run's draw depends only on the
    key and the run's number.
    """
    import numpy as np

    lo, hi = first // 4, (first + count + 3) // 4
    x = keys[:, None] + np.arange(lo + 1, hi + 1, dtype=np.uint64)[None, :] * np.uint64(GOLDEN)
    bits = np.empty_like(x)
    for shift, factor in ((30, MIX1), (27, MIX2), (31, 0)):
        np.right_shift(x, np.uint64(shift), out=bits)
        np.bitwise_xor(x, bits, out=x)
        if factor:
            np.multiply(x, np.uint64(factor), out=x)
    lanes = x.astype("<u8", copy=False).view("<u2")[:, first - 4 * lo : first - 4 * lo + count]
    return lanes >> np.uint16(LANE_SHIFT)


class _Arrays:
    """The setup as numpy arrays, one row per item in the order simulate() lays them out.

    Each team's queue is a running sum of its efforts, the team's work order. The rows
    hold, for the first `head` places of every queue, the items at one place of every
    team side by side (the largest teams first), so one addition advances every team's
    queue by one place; a queue longer than that keeps its remaining items together and
    is summed on its own. Either way each finish is the same sum, added in the same
    order, as a running sum of the team's queue alone.
    """

    def __init__(self, setup: _Setup, p: ForecastParams, runs: int | None = None):
        import numpy as np

        self.n, self.n_teams = len(setup.keys), len(setup.teams)
        self.block = max(4, BLOCK // max(1, self.n) // 4 * 4)  # runs simulated at once
        width = min(self.block, runs or self.block)  # of the blocks `runs` runs take
        queues: list[list[int]] = [[] for _ in setup.teams]
        for i in setup.order:
            queues[setup.team_of[i]].append(i)
        self._lay_out(queues)
        at = self.item_at
        self.team = np.array(setup.team_of, dtype=np.intp)[at]
        self.median = np.maximum(np.array(setup.median, dtype=float), 1e-9)[at]
        sigmas = sorted({*setup.spread, p.unplanned_spread})  # at most 4: 4 x 8192 fits 2 bytes
        self.table = np.array([_multipliers(s) for s in sigmas]).ravel()
        table_of = {s: k * QUANTILES for k, s in enumerate(sigmas)}
        self.table_at = np.array([table_of[s] for s in setup.spread], dtype=np.uint16)[at]
        # each row's two repeated for a block's runs: one operation on two arrays of a block's
        # shape is about twice as fast as one that broadcasts a value along each row
        self.median_runs = np.repeat(self.median[:, None], width, axis=1)
        self.table_at_runs = np.repeat(self.table_at[:, None], width, axis=1)
        self.share_at = np.uint16(table_of[p.unplanned_spread])
        self.item_keys = np.array(setup.streams, dtype=np.uint64)[at]
        self.team_keys = np.array(
            [stream_key(p.seed, "team", t) for t in setup.teams], dtype=np.uint64
        )
        self.base_pace = np.array(setup.base_pace, dtype=float)
        self.unplanned = np.array(setup.unplanned, dtype=float)
        self.levels = self._levels(setup)
        self.waiting = np.concatenate([lv[0] for lv in self.levels]) if self.levels else None
        self._team_ends()

    def _lay_out(self, queues: list[list[int]]) -> None:
        """Rows: place by place for the first `head` places (largest teams first), then the rest of each longer queue."""
        import numpy as np

        lanes = sorted(range(len(queues)), key=lambda t: (-len(queues[t]), t))
        sizes = np.array([len(queues[t]) for t in lanes], dtype=np.intp)
        longest = int(sizes[0]) if len(sizes) else 0
        # teams with an item at each place: `across[k]` of them, the first in lane order
        across = len(sizes) - np.searchsorted(sizes[::-1], np.arange(longest), side="right")
        head = _head_places(across, self.block)
        starts = np.concatenate(([0], np.cumsum(across[:head])))
        self.steps = [
            (int(starts[k - 1]), int(starts[k]), int(starts[k] + across[k])) for k in range(1, head)
        ]
        self.lanes = np.array(lanes, dtype=np.intp)
        self.groups: list[tuple[int, int, int]] = []  # (first row, end, teams): places as wide
        k = 0
        while k < head:
            j = k + 1
            while j < head and across[j] == across[k]:
                j += 1
            self.groups.append((int(starts[k]), int(starts[j]), int(across[k])))
            k = j
        self.item_at = np.empty(self.n, dtype=np.intp)
        self.position = np.empty(self.n, dtype=np.intp)
        self.last = np.zeros(len(queues), dtype=np.intp)  # each team's last place
        self.tails: list[tuple[int, int, int, int]] = []  # (row before, first row, end, team)
        row = int(starts[-1])
        for lane, t in enumerate(lanes):
            queue = queues[t]
            placed = starts[: min(head, len(queue))] + lane
            self.item_at[placed] = queue[:head]
            if len(queue) > head:
                end = row + len(queue) - head
                self.item_at[row:end] = queue[head:]
                self.tails.append((int(placed[-1]) if head else -1, row, end, t))
                self.last[t] = end - 1
                row = end
            elif queue:
                self.last[t] = placed[-1]
        self.position[self.item_at] = np.arange(self.n)
        self.busy = np.array([t for t, q in enumerate(queues) if q], dtype=np.intp)

    def _team_ends(self) -> None:
        """A team's finish is its queue's end or a later waiting item's finish."""
        import numpy as np

        self.busy_last = self.last[self.busy]
        self.waiting_by_team = None
        if self.waiting is not None:
            by_team = self.waiting[np.argsort(self.team[self.waiting], kind="stable")]
            teams, cuts = np.unique(self.team[by_team], return_index=True)
            self.waiting_by_team = (by_team, teams, cuts)

    def _levels(self, setup: _Setup) -> list[tuple[np.ndarray, np.ndarray, list]]:
        """Items that wait, by depth (1: on items that wait for nothing), as (items, the first
        item each waits on, then [(which of them, the k-th item they wait on)] for k = 2, 3, ...):
        most items wait on one, and a maximum taken k-th by k-th is the same maximum."""
        import numpy as np

        waits_on: dict[int, list[int]] = {}
        for j in compress(range(len(setup.dependents)), setup.dependents):
            for i in setup.dependents[j]:
                waits_on.setdefault(i, []).append(j)
        by_depth: dict[int, list[int]] = {}
        for i, d in enumerate(_depths(setup)):
            if d:
                by_depth.setdefault(d, []).append(i)
        levels = []
        position = self.position.tolist()
        for d in sorted(by_depth):
            items = sorted(by_depth[d], key=position.__getitem__)
            ons = [[position[j] for j in sorted(waits_on[i])] for i in items]
            more = []
            for k in range(1, max(map(len, ons))):
                rows = [r for r, on in enumerate(ons) if len(on) > k]
                more.append(
                    (
                        np.array(rows, dtype=np.intp),
                        np.array([ons[r][k] for r in rows], dtype=np.intp),
                    )
                )
            first = np.array([on[0] for on in ons], dtype=np.intp)
            levels.append((self.position[items], first, more))
        return levels


CALL_COST, ADD_COST, SUM_COST = (
    4000,
    0.4,
    4.5,
)  # ns: a numpy call, an addition side by side, in a running sum


def _head_places(across: np.ndarray, runs: int) -> int:
    """How many places to advance side by side (one call each, whatever the teams) before the
    longer queues are summed one by one; `across[k]`: the teams with an item at place k."""
    import numpy as np

    if not len(across):
        return 0
    places = np.arange(len(across) + 1)
    added = np.concatenate(([0], np.cumsum(across)))  # items in the first `places` places
    side = CALL_COST * np.maximum(places - 1, 0) + ADD_COST * runs * np.maximum(
        added - across[0], 0
    )
    alone = 2 * CALL_COST * np.append(across, 0) + SUM_COST * runs * (added[-1] - added)
    return int(np.argmin(side + alone))


def _depths(setup: _Setup) -> list[int]:
    """0 for an item that waits for nothing, else 1 + the deepest it waits for (the waits are acyclic)."""
    depth = [0] * len(setup.keys)
    left = setup.waits.copy()
    todo = [
        i for i, w in enumerate(left) if w == 0 and setup.dependents[i]
    ]  # the rest wait for nothing
    while todo:
        j = todo.pop()
        for i in setup.dependents[j]:
            depth[i] = max(depth[i], depth[j] + 1)
            left[i] -= 1
            if left[i] == 0:
                todo.append(i)
    return depth


def simulate(
    a: _Arrays, p: ForecastParams, first: int, count: int, out: np.ndarray | None = None
) -> np.ndarray:
    """Finish (weeks from the start) of every item in the arrays' rows, one column per run; inf = never."""
    import numpy as np

    index = draws(a.item_keys, first, count)
    index += _per_run(a.table_at, a.table_at_runs, count)
    done = np.take(a.table, index, out=out, mode="clip")  # clip: no bounds buffer
    done *= _per_run(a.median, a.median_runs, count)  # each item's effort in engineer-weeks ...
    shares = np.take(a.table, draws(a.team_keys, first, count) + a.share_at, mode="clip")
    shares *= a.unplanned[:, None]
    pace = a.base_pace[:, None] * (1.0 - np.minimum(shares, p.max_unplanned_share))
    with np.errstate(divide="ignore"):
        weeks_per_unit = np.where(pace > 0, 1.0 / np.where(pace > 0, pace, 1.0), np.inf)
    by_lane = weeks_per_unit[a.lanes]
    for lo, hi, across in a.groups:  # ... in weeks of its team, ...
        places = done[lo:hi].reshape(-1, across, count)  # a view: the rows are contiguous
        places *= by_lane[None, :across]
    for _, lo, hi, t in a.tails:
        done[lo:hi] *= weeks_per_unit[t]
    effort = None
    if a.waiting is not None:
        effort = np.take(done, a.waiting, axis=0)
    for before, lo, hi in a.steps:  # ... and where its team's queue reaches it
        done[lo:hi] += done[before : before + hi - lo]
    for before, lo, hi, _ in a.tails:
        if before >= 0:
            done[lo] += done[before]
        np.cumsum(done[lo:hi], axis=0, out=done[lo:hi])
    at = 0
    for items, on, more in a.levels:  # waiting: its dependencies' finish plus its own effort
        ready = np.take(done, on, axis=0)
        for rows, sources in more:  # of the items that wait on more than one
            ready[rows] = np.maximum(ready[rows], np.take(done, sources, axis=0))
        ready += effort[at : at + len(items)]  # type: ignore[index]
        done[items] = np.maximum(ready, np.take(done, items, axis=0), out=ready)
        at += len(items)
    return done


def _per_run(column: np.ndarray, wide: np.ndarray, count: int) -> np.ndarray:
    """A value per row for `count` runs: the prepared block of them, or the column broadcast."""
    return wide[:, :count] if count <= wide.shape[1] else column[:, None]


def team_finish(a: _Arrays, done: np.ndarray, out: np.ndarray) -> None:
    """Each team's finish in each run: the end of its queue, or a waiting item's later finish.

    A queue's running sum of efforts (none negative) never falls, so its end is its
    largest; only an item that waited can finish later.
    """
    import numpy as np

    out[:] = 0.0
    out[a.busy] = done[a.busy_last]
    if a.waiting_by_team is not None:
        rows, teams, cuts = a.waiting_by_team
        latest = np.maximum.reduceat(done[rows], cuts, axis=0)
        out[teams] = np.maximum(out[teams], latest)


class _Tally:
    """Per row (item, team or the plan), over every run: finishes rounded to 1/100 week and the runs by a limit.

    A row holds 2 bytes a run: n/100 weeks, coarser by a power of two for a row whose
    median-quarter finish is past 80 weeks, so that 8x that finish still fits. A row
    that never finishes in the median quarter (a team with no capacity, or work that
    waits on it) never finishes in any run.
    """

    LARGEST = 65535
    rows: np.ndarray  # the setup's row (item, team or the plan) of each row

    def __init__(
        self,
        runs: int,
        limits: list[float],
        typical: list[float],
        block: int,
        timed: np.ndarray | None = None,
    ):
        """`typical`: the median-quarter finish of each row whose finishes are kept, the rows
        `timed` (None: every row); the others keep only their runs by the limit."""
        import numpy as np

        # runs by the limit: a block's in one byte each (added as bytes: numpy's fastest), moved
        # to `counted` before 255 blocks could overflow them
        self.hits = np.zeros((len(limits), min(block, runs)), dtype=np.uint8)
        self.counted = np.zeros(len(limits), dtype=np.int64)
        self.blocks = 0
        self.passed = np.empty(self.hits.shape, dtype=bool)  # a block's finishes by the limit
        self.limits = np.array(limits, dtype=float)  # nan: no limit
        self.timed = timed
        self.kept = np.empty((len(typical), runs), dtype=np.uint16)
        median = np.array(typical, dtype=float)
        self.never = ~np.isfinite(median)
        self.unit = np.ones(len(typical))  # hundredths of a week per kept unit
        self.coarse = np.flatnonzero(
            ~self.never & (800 * median > self.LARGEST)
        )  # the few past 80 weeks
        for r in self.coarse.tolist():
            weeks, step = typical[r], 0
            while self.LARGEST * 2**step < 800 * weeks:
                step += 1
            self.unit[r] = 2.0**step
        self.scale = 100.0 / self.unit
        self.limits += 1e-9  # a finish on the limit, give or take rounding, is on time
        self.limits[np.isnan(self.limits)] = -np.inf  # no limit: counted as never (and not read)
        self.limits_runs = np.repeat(self.limits[:, None], self.hits.shape[1], axis=1)

    def add(self, first: int, values: np.ndarray) -> None:
        import numpy as np

        count = values.shape[1]
        hits, passed = self.hits[:, :count], self.passed[:, :count]
        np.less_equal(values, _per_run(self.limits, self.limits_runs, count), out=passed)
        if self.blocks == 255:
            self.counted += self.hits.sum(axis=1, dtype=np.int64)
            self.hits[:] = 0
            self.blocks = 0
        np.add(hits, passed.view(np.uint8), out=hits)
        self.blocks += 1
        if self.timed is not None:
            values = values[self.timed]  # a copy: the rows whose finishes are kept
        coarse = self.coarse
        if len(coarse):
            rare = values[coarse] * self.scale[coarse, None]
        units = np.multiply(values, 100.0, out=values)  # values are not needed after
        if len(coarse):
            units[coarse] = rare
        if not units.max() <= self.LARGEST:  # rare: a run past 8x its row's median (or never)
            np.minimum(units, self.LARGEST, out=units)  # a pass 4x as long as the max
        units += 0.5
        # rounded: half a unit up, then cut (cast as they are stored: no 2-byte copy in between)
        np.copyto(self.kept[:, first : first + count], units, casting="unsafe")

    def read(self, runs: int, height: int) -> list[list[float]]:
        """[P50s, P85s, shares by the limit] of the setup's `height` rows, nan where not kept
        (P50 and P85: where not timed): P50 and P85 by nearest rank, a value some run had, to
        1/100 week."""
        import numpy as np

        self.kept.sort(axis=1, kind="stable")  # a radix sort for 2-byte values
        out = np.full((3, height), np.nan)  # in the setup's order of rows
        timed = self.rows if self.timed is None else self.rows[self.timed]
        for row, q in enumerate((0.5, 0.85)):
            units = self.kept[:, max(1, math.ceil(q * runs)) - 1].astype(float)
            out[row, timed] = np.where(self.never, np.inf, units * self.unit / 100.0)
        out[2, self.rows] = (self.counted + self.hits.sum(axis=1, dtype=np.int64)) / runs
        return out.tolist()


# ------------------------------------------------------------------ summaries


def percentile(sorted_values: list[float], q: float) -> float:
    """The q-quantile of sorted values (nearest rank: a value some run really had)."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(q * len(sorted_values)))
    return sorted_values[rank - 1]


@lru_cache(maxsize=1 << 16)  # finishes are kept to 1/100 week
def _week(x: float) -> float | None:
    return round(x, 2) if math.isfinite(x) else None


# Capacity is counted in working weeks: each 7 days from the quarter's start hold 5
# working days, so the 5th day of a week ends it (a quarter starting on a Monday
# ends its week 13 on the Friday of the 13th week).
WORKDAYS = 5


@lru_cache(
    maxsize=1 << 16
)  # finishes are kept to 1/100 week: the same few thousand again and again
def _date(start: dt.date | None, weeks: float) -> dt.date | None:
    """The working day on which a finish `weeks` into the quarter falls (week 2.0 ends on day 12)."""
    if start is None or not math.isfinite(weeks):
        return None
    whole = max(0, math.ceil(round(weeks, 9)) - 1)
    day = max(1, math.ceil(round((weeks - whole) * WORKDAYS, 6)))
    return start + dt.timedelta(days=7 * whole + day - 1)


def due_weeks(start: dt.date, due: dt.date) -> float:
    """Working weeks from the quarter's start to the end of the due day (a weekend counts as its Friday)."""
    days = (due - start).days
    if days < 0:
        return days / 7
    return days // 7 + min(days % 7 + 1, WORKDAYS) / WORKDAYS


def runs_for(p: ForecastParams, items: int) -> int:
    """The runs in force: `runs`, fewer for a plan so large that runs x items passes the budget."""
    if items == 0:
        return p.runs
    return max(1, min(p.runs, p.max_item_runs // items))


def coarseness(runs: int) -> int:
    """Points either side of a chance near 50 % that `runs` runs pin it to (95 %): 1.96 x sqrt(1/4 / runs)."""
    return max(1, round(100 * 1.96 * math.sqrt(0.25 / runs)))


def thinned(runs: int, p: ForecastParams, items: int) -> str:
    """Why the forecast ran fewer runs than asked, and what that does to its figures."""
    return (
        f"{runs:,} runs instead of {p.runs:,}: {items:,} items x {p.runs:,} runs is above the budget of "
        f"{p.max_item_runs:,} item-runs (forecast.max_item_runs), which keeps the forecast to seconds. "
        f"With {runs:,} runs every P50, P85 and chance is coarse: a chance near 50 % is known to about "
        f"+/- {coarseness(runs)} points (against +/- {coarseness(p.runs)} with {p.runs:,} runs); "
        "raise forecast.max_item_runs for finer figures at the cost of time"
    )


def _notes(facts: Facts, setup: _Setup, p: ForecastParams, runs: int) -> list[str]:
    """What the forecast left out or took as given, and why; first, fewer runs than asked."""
    notes: list[str] = []
    if runs < p.runs:
        notes.append(thinned(runs, p, len(setup.keys)))
    unknown = sorted(n for n, cap in facts.capacity.items() if not cap.known)
    unstaffed = sorted(n for n in facts.items_by_team if n not in facts.capacity)
    if unknown:
        notes.append(f"not forecast, capacity unknown (no headcount): {', '.join(unknown)}")
    if unstaffed:
        notes.append(f"not forecast, not in the staffing model: {', '.join(unstaffed)}")
    no_team = sum(1 for i in facts.plan.items if not i.done and i.team is None)  # team_of: None
    if no_team:
        notes.append(f"{no_team} open items have no team and are not forecast")
    if setup.not_waited:
        notes.append(
            f"{len(setup.not_waited)} dependencies on work outside the forecast are taken as met"
        )
    if setup.in_cycles:
        notes.append(
            f"{setup.in_cycles} items in dependency cycles do not wait for each other (see DEP003)"
        )
    if facts.quarter.start is None:
        notes.append("the quarter has no start date, so due dates cannot be checked: weeks only")
    return notes


Held = tuple[dt.date | None, Literal["due date", "quarter end"] | None]


def _held_to(due: dt.date | None, committed: bool, end: dt.date | None) -> Held:
    """The date an item is held to and why: its due date, or the quarter's end when committed."""
    if due is not None:
        return due, "due date"
    if committed and end is not None:
        return end, "quarter end"
    return None, None


def _held_all(
    setup: _Setup, stated: list[int] | None, start: dt.date | None, end: dt.date | None
) -> tuple[list[Held], list[float]]:
    """The date each item `stated` (None: every one) is held to and why, and that date in weeks
    from the quarter's start (nan: none, or no start to count from); the others get neither."""
    due, committed = setup.due, setup.committed
    if stated is None:
        held = list(map(_held_to, due, committed, repeat(end)))
    else:
        held = [(None, None)] * len(due)
        for i in stated:
            held[i] = _held_to(due[i], committed[i], end)
    if start is None:  # no date can be checked
        return held, [math.nan] * len(held)
    dates = {due for due, _ in held if due is not None}
    weeks_to: dict[dt.date | None, float] = {None: math.nan}  # each date once
    weeks_to |= {due: due_weeks(start, due) for due in dates}
    return held, [weeks_to[due] for due, _ in held]


BLOCK = (
    1 << 20
)  # finishes computed at once: 8 MB, whatever the plan's size (4x as many cost no more time)


def _run_all(
    setup: _Setup,
    p: ForecastParams,
    runs: int,
    limits: list[float],
    shown: list[int] | None = None,
    timed_from: int = 0,
) -> _Tally:
    """Every run, a block of runs at a time (about 16 MB a block); per item, team and the plan, what is kept.

    The setup's rows are its items, its teams, then the plan (`limits` is one per row);
    `shown` keeps only those rows, and of them only the rows from `timed_from` on keep their
    finishes (for P50 and P85; the others, their runs by the limit). The tally's `rows` names
    the setup's row of each of its rows.
    """
    import numpy as np

    a = _Arrays(setup, p, runs)
    latest = np.zeros(a.n_teams)  # each team's median-quarter finish
    np.maximum.at(latest, np.array(setup.team_of, dtype=np.intp), setup.median_finish)
    median_team = latest.tolist()
    typical = [*setup.median_finish, *median_team, max(median_team, default=0.0)]
    rows = np.concatenate((a.item_at, np.arange(a.n, a.n + a.n_teams + 1)))  # of each value
    pick = None
    if shown is not None:
        wanted = np.zeros(len(rows), dtype=bool)
        wanted[shown] = True
        pick = np.flatnonzero(wanted[rows])
        rows = rows[pick]
    order = rows.tolist()
    timed = None
    if timed_from:
        timed = np.flatnonzero(rows >= timed_from)
        order_timed = timed.tolist()
        typical = [typical[order[r]] for r in order_timed]
    else:
        typical = [typical[r] for r in order]
    tally = _Tally(runs, [limits[r] for r in order], typical, a.block, timed)
    tally.rows = rows
    height = a.n + a.n_teams + 1
    buffer = np.empty(height * min(a.block, runs))  # one for every block: no fresh pages each
    for first in range(0, runs, a.block):
        count = min(a.block, runs - first)
        values = buffer[: height * count].reshape(height, count)  # contiguous, as simulate needs
        done = simulate(a, p, first, count, out=values[: a.n])
        teams = values[a.n : a.n + a.n_teams]
        team_finish(a, done, teams)
        values[-1] = teams.max(axis=0)
        tally.add(first, values if pick is None else values[pick])
    return tally


def forecast(facts: Facts, p: ForecastParams) -> Forecast:
    """The delivery forecast of a plan."""
    return Forecaster(facts, p).forecast()


class Forecaster:
    """A plan's forecast model, prepared once: the plan's forecast, and the forecast of the
    plan with some items deferred, from the same model and the same random streams."""

    def __init__(self, facts: Facts, p: ForecastParams):
        self.facts, self.p = facts, p
        self.setup = _Setup(facts, p)

    def forecast(self) -> Forecast:
        """The delivery forecast of the plan."""
        return _forecast(self.facts, self.setup, self.p)

    def deferring(self, keys: set[str], teams: set[str]) -> Forecast:
        """The forecast of `teams` with the items `keys` deferred (done), as a forecast of the
        plan re-derived with them done would state it, item for item and team for team.

        Only those teams and the teams their work waits on are run (each item keeps its own
        random stream, so leaving the others out changes no figure); `plan` is those teams
        together, not the whole plan.
        """
        setup = self.setup.without(self.facts, self.p, keys, teams)
        note = (
            f"the plan with {len(keys)} items deferred, for {len(teams)} teams and the "
            f"{len(setup.teams) - len(teams)} more they wait on; the plan row is those teams"
        )
        return _forecast(self.facts, setup, self.p, note, teams)

    def chances_deferring(self, keys: set[str], teams: set[str]) -> Deferred:
        """What the deferral advice reads of `deferring(keys, teams)`: the teams' rows and their
        committed items' chances, the same figures; no item's P50 or P85 is computed."""
        setup = self.setup.without(self.facts, self.p, keys, teams)
        figures = _Figures(self.facts, setup, self.p, teams, committed_only=True)
        stated = figures.stated or []
        items = [
            ItemChance(setup.keys[i], setup.teams[setup.team_of[i]], setup.committed[i], chance)
            for i, chance in zip(stated, figures.chances(), strict=True)
        ]
        return Deferred(figures.teams(), items)


class ItemChance(NamedTuple):
    """An item's chance to land by the date it is held to (None: no date), as ForecastItem says it."""

    key: str
    team: str
    committed: bool
    p_on_time: float | None


class Deferred(NamedTuple):
    """The forecast of some teams with items deferred, as the deferral advice reads it."""

    teams: list[ForecastTeam]
    items: list[ItemChance]  # the teams' committed items


class _Figures:
    """A prepared setup's runs, read: each stated row's P50, P85 and chance by its limit.

    With `teams_shown`, only those teams and their items are stated (the others still run);
    with `committed_only`, only their committed items, and then only their chances are read
    (no finishes kept for them).
    """

    def __init__(
        self,
        facts: Facts,
        setup: _Setup,
        p: ForecastParams,
        teams_shown: set[str] | None = None,
        committed_only: bool = False,
    ):
        q = facts.quarter
        self.setup, self.start, self.end = setup, q.start, q.end
        start, end = q.start, q.end
        self.end_weeks = due_weeks(start, end) if start and end else setup.weeks
        n = len(setup.keys)
        self.runs = runs = runs_for(p, n)
        self.shown_team = [teams_shown is None or name in teams_shown for name in setup.teams]
        stated: list[int] | None = None  # the items stated; None: every one
        if teams_shown is not None or committed_only:
            stated = list(compress(range(n), map(self.shown_team.__getitem__, setup.team_of)))
            if committed_only:
                committed = map(setup.committed.__getitem__, stated)
                stated = list(compress(stated, committed))
        self.stated = stated
        self.held, self.limits = _held_all(setup, stated, start, end)
        self.limits += [self.end_weeks] * (len(setup.teams) + 1)
        # each row's P50, P85 and share by its limit: the items', the teams', then the plan's
        self.p50s: list[float] = []
        self.p85s: list[float] = []
        self.shares: list[float] = []
        if n:
            shown = None
            if stated is not None:  # an item's row, its team's row, and the plan's
                shown_teams = (n + t for t, s in enumerate(self.shown_team) if s)
                shown = [*stated, *shown_teams, len(self.limits) - 1]
            # the items' finishes are kept unless only their chances are read
            tally = _run_all(setup, p, runs, self.limits, shown, n if committed_only else 0)
            self.p50s, self.p85s, self.shares = tally.read(runs, len(self.limits))

    def chances(self) -> list[float | None]:
        """Each stated item's chance to land by the date it is held to (None: no date)."""
        setup, stated = self.setup, self.stated
        at = range(len(setup.keys)) if stated is None else stated
        shares, limits = self.shares, self.limits
        return [round(shares[i], 4) if limits[i] == limits[i] else None for i in at]

    def completion(self, at: int, **fields) -> ForecastTeam:
        """A team's (or the plan's) finish and chance by the quarter's end, from setup row `at`."""
        start = self.start
        known = fields["items"] > 0 and bool(self.shares)
        f50, f85, by_end = (
            (self.p50s[at], self.p85s[at], self.shares[at]) if known else (math.nan,) * 3
        )
        return ForecastTeam(
            **fields,
            p50_weeks=_week(f50),
            p85_weeks=_week(f85),
            p50_date=_date(start, f50),
            p85_date=_date(start, f85),
            p_by_end=round(by_end, 4) if known else None,
        )

    def teams(self) -> list[ForecastTeam]:
        """Each shown team's completion."""
        setup, n = self.setup, len(self.setup.keys)
        sizes = [0] * len(setup.teams)
        for t in setup.team_of:
            sizes[t] += 1
        return [
            self.completion(
                n + t,
                team=name,
                items=sizes[t],
                pace_weeks=round(setup.base_pace[t], 3),
                unplanned_share=round(setup.unplanned[t], 3),
            )
            for t, name in enumerate(setup.teams)
            if self.shown_team[t]
        ]


def _forecast(
    facts: Facts,
    setup: _Setup,
    p: ForecastParams,
    note: str | None = None,
    teams_shown: set[str] | None = None,
) -> Forecast:
    """The forecast of a prepared setup; `note`, when given, replaces the notes on what it left out.
    With `teams_shown`, only those teams and their items are stated (the others still run)."""
    f = _Figures(facts, setup, p, teams_shown)
    n = len(setup.keys)
    items = _items(setup, (f.p50s, f.p85s, f.shares), f.held, f.limits, f.start, f.stated)
    plan = f.completion(
        n + len(setup.teams),
        team="(plan)",
        items=n,
        pace_weeks=round(sum(setup.base_pace), 3),
        unplanned_share=round(_weighted(setup.unplanned, setup.base_pace), 3),
    )
    return Forecast(
        runs=f.runs,
        runs_asked=p.runs,
        seed=p.seed,
        weeks=setup.weeks,
        end_weeks=round(f.end_weeks, 3),
        start=f.start,
        end=f.end,
        params={k: v for k, v in p.model_dump().items() if k not in ("runs", "seed")},
        plan=plan,
        teams=f.teams(),
        items=items,
        notes=[note] if note is not None else _notes(facts, setup, p, f.runs),
    )


_ITEM_FIELDS = (
    "key", "team", "committed", "due", "due_basis", "estimate_weeks", "estimated", "spread",
    "p_on_time", "p50_weeks", "p85_weeks", "p50_date", "p85_date",
)  # fmt: skip
_ITEM_FIELDS_HOLD = tuple(ForecastItem.model_fields) == _ITEM_FIELDS


def _items(
    setup: _Setup,
    read: tuple[list[float], list[float], list[float]],
    held: list[Held],
    limits: list[float],
    start: dt.date | None,
    stated: list[int] | None,
) -> list[ForecastItem]:
    """Each open item's P50, P85 and chance by the date it is held to (of the items `stated`,
    None: all); `read`: the tally's P50s, P85s and shares by the limit, the items' first."""
    n = len(setup.keys)
    columns: tuple[list, ...] = (
        setup.keys, setup.committed, setup.team_of, *(column[:n] for column in read), held,
        limits, setup.median, setup.estimated, setup.spread,
    )  # fmt: skip
    if stated is not None:
        columns = tuple(_picked(column, stated) for column in columns)
    keys, committed, team_of, f50s, f85s, chances, held, limits, median, estimated, spread = columns
    # each value converted once, then looked up column by column: finishes are kept to 1/100
    # week, chances are counts of runs, estimates the plan's few sizes
    week = {f: _week(f) for f in {*f50s, *f85s}}
    date = {f: _date(start, f) for f in week}
    chance = {c: round(c, 4) for c in {*chances}}
    on_time = [  # limits: the teams' and the plan's follow the items'; nan: none, no chance
        chance[c] if limit == limit else None for c, limit in zip(chances, limits, strict=False)
    ]
    estimate = {m: round(m, 3) for m in {*median}}
    dues, bases = zip(*held, strict=True) if held else ((), ())
    # every field, in declared order (the JSON's), each already of its type: not validated again;
    # the looked-up columns listed first (a list is walked faster than a lookup per value)
    data = [
        {
            "key": key,
            "team": team,
            "committed": c,
            "due": due,
            "due_basis": basis,
            "estimate_weeks": weeks,
            "estimated": e,
            "spread": s,
            "p_on_time": p,
            "p50_weeks": w50,
            "p85_weeks": w85,
            "p50_date": d50,
            "p85_date": d85,
        }
        for key, team, c, due, basis, weeks, e, s, p, w50, w85, d50, d85 in zip(
            keys,
            list(map(setup.teams.__getitem__, team_of)),
            committed,
            dues,
            bases,
            list(map(estimate.__getitem__, median)),
            estimated,
            spread,
            on_time,
            list(map(week.__getitem__, f50s)),
            list(map(week.__getitem__, f85s)),
            list(map(date.__getitem__, f50s)),
            list(map(date.__getitem__, f85s)),
            strict=True,
        )
    ]
    if _ITEM_FIELDS_HOLD:
        return ForecastItem._fresh_all(data)
    return [ForecastItem.made(**fields) for fields in data]


def _weighted(values: list[float], weights: list[float]) -> float:
    total = sum(weights)
    return sum(v * w for v, w in zip(values, weights, strict=True)) / total if total else 0.0
