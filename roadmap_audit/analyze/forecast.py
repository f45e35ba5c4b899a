"""Delivery forecast: a seeded Monte Carlo of the quarter, per team and for the plan.

Each run draws every open item's effort and every team's share of unplanned work,
then plays the quarter out:

    effort     ~ lognormal, median = the estimate (engineer-weeks), sigma = the spread
                 (wider for migrations; unestimated items get a default estimate and
                 the widest spread)
    unplanned  ~ lognormal, median = the operations share of team time (capacity.py), capped
    pace       = team time x focus / weeks x (1 - unplanned)  engineer-weeks per week
                 (at the median, capacity_weeks / weeks)

A team is one pool of engineer-weeks: it works on one item at a time, the most
urgent ready one (priority, then due date, then plan order), and an item is ready
when everything it depends on has finished, in any team. A team with nothing ready
waits. Items inside one dependency cycle do not wait for each other (the cycle is
DEP003's to report), and an item does not wait for done work or for work of a
team whose capacity is unknown.

The simplification: a whole team can swarm one item, and switching costs nothing.
Real teams run several items side by side, so here the first items in a team's
order finish earlier than they would, and the last ones at about the same time:
a team's completion is its total work over its pace either way, plus any time it
waits for another team.

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
import random
from array import array
from bisect import bisect_right
from collections.abc import Iterator
from heapq import heappop, heappush
from pathlib import Path
from statistics import NormalDist
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from ..model import Forecast, ForecastItem, ForecastTeam, ItemKind
from .capacity import item_weeks

if TYPE_CHECKING:
    from .facts import Facts


class ForecastParams(BaseModel):
    """The Monte Carlo's parameters (rules/forecast.toml, then [forecast] in the config)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    runs: int = Field(
        1000, ge=1, le=100_000
    )  # each run keeps a finish time per item (8 bytes): bounded memory
    seed: int = 2026
    effort_spread: float = Field(0.35, ge=0, le=3)
    migration_spread: float = Field(0.6, ge=0, le=3)
    unestimated_spread: float = Field(0.8, ge=0, le=3)
    unestimated_weeks: float = Field(3.0, gt=0)
    unplanned_spread: float = Field(0.3, ge=0, le=3)
    max_unplanned_share: float = Field(0.9, ge=0, lt=1)
    max_item_runs: int = Field(1_000_000, ge=1, le=10_000_000)


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


class _Setup:
    """Everything a run needs, as flat lists indexed by item, in each team's working order."""

    def __init__(self, facts: Facts, p: ForecastParams):
        from .priority import priority_rank

        q = facts.quarter
        weeks = q.weeks if q.weeks and q.weeks > 0 else facts.params.weeks
        self.weeks = weeks
        self.teams: list[str] = []
        self.base_pace: list[float] = []  # engineer-weeks per week before unplanned work
        self.unplanned: list[float] = []  # median share of unplanned work
        rows: list[tuple] = []
        seen: set[str] = set()
        position = {id(item): n for n, item in enumerate(facts.plan.items)}
        for name in sorted(facts.capacity):
            cap = facts.capacity[name]
            if not cap.known:
                continue
            t = len(self.teams)
            self.teams.append(name)
            # team time after focus, less a drawn share of operations: the median pace is capacity_weeks / weeks
            self.base_pace.append(max(0.0, cap.team_weeks) * cap.focus_factor / weeks)
            self.unplanned.append(min(max(cap.ops_share, 0.0), p.max_unplanned_share))
            team = facts.teams[name]
            for item in facts.items_by_team.get(name, []):
                if item.done or item.key in seen or facts.items.get(item.key) is not item:
                    continue
                seen.add(item.key)
                estimate = item_weeks(item, team, facts.params.size_weeks)
                if estimate is not None and not (math.isfinite(estimate) and estimate >= 0):
                    estimate = None  # a value no schedule can use counts as no estimate
                spread = p.effort_spread
                if facts.kind(item) == ItemKind.migration:
                    spread = max(spread, p.migration_spread)
                if estimate is None:
                    spread = max(spread, p.unestimated_spread)
                order = (
                    t,
                    priority_rank(item.priority),
                    item.due or dt.date.max,
                    position[id(item)],
                )
                rows.append((order, item, estimate, spread))
        rows.sort(key=lambda r: r[0])
        self.keys = [r[1].key for r in rows]
        self.items = [r[1] for r in rows]
        self.team_of = [r[0][0] for r in rows]
        self.estimated = [r[2] is not None for r in rows]
        self.median = [r[2] if r[2] is not None else p.unestimated_weeks for r in rows]
        self.spread = [r[3] for r in rows]
        index = {key: i for i, key in enumerate(self.keys)}
        self.dependents: list[list[int]] = [[] for _ in rows]
        self.waits: list[int] = [0] * len(rows)
        self.not_waited: set[str] = set()  # dependencies on work outside the forecast
        if rows:
            graph = facts.open_graph
            for i, key in enumerate(self.keys):
                for dep in graph.waits_on(key):
                    j = index.get(dep)
                    if j is None:
                        self.not_waited.add(dep)
                        continue
                    self.waits[i] += 1
                    self.dependents[j].append(i)
            self.in_cycles = sum(len(c) for c in graph.cycles() if any(k in index for k in c))
        else:
            self.in_cycles = 0
        # Work ready at the start, per team, lowest index (most urgent) first: already a heap.
        self.ready_at_start: list[list[int]] = [[] for _ in self.teams]
        for i, waits in enumerate(self.waits):
            if waits == 0:
                self.ready_at_start[self.team_of[i]].append(i)


QUANTILES = 8192  # draws come from this many equally likely quantiles of the normal distribution


def _multipliers(sigma: float) -> list[float]:
    """exp(sigma x z) at the midpoint quantiles of the standard normal: a lognormal with median 1.

    Drawing a quantile with one uniform number (inverse transform) is several times
    faster than a Gaussian draw, and plain arithmetic, so the same seed gives the same
    figures on every machine. The tails stop at 3.8 sigma, far past what P85 reads.
    """
    normal = NormalDist()
    return [math.exp(sigma * normal.inv_cdf((k + 0.5) / QUANTILES)) for k in range(QUANTILES)]


def stream(seed: int, *names: str):
    """A uniform random stream of its own for (seed, names): the same numbers whatever else the plan holds.

    The names are hashed (BLAKE2b), never Python's hash(), so the stream is the same
    in every process and on every machine.
    """
    text = "\x1f".join((str(seed), *names)).encode("utf-8", "surrogatepass")
    return random.Random(
        int.from_bytes(hashlib.blake2b(text, digest_size=16).digest(), "big")
    ).random


def simulate(setup: _Setup, p: ForecastParams, runs: int) -> Iterator[list[float]]:
    """Finish time (weeks from the start) of every item, run by run. inf = never."""
    n_teams = len(setup.teams)
    team_of = setup.team_of
    dependents, waits0, ready0 = setup.dependents, setup.waits, setup.ready_at_start
    base_pace, unplanned = setup.base_pace, setup.unplanned
    u_cap = p.max_unplanned_share
    inf = math.inf
    n = len(team_of)
    tables: dict[float, list[float]] = {}
    for sigma in {*setup.spread, p.unplanned_spread}:
        tables[sigma] = _multipliers(sigma)
    share_table = tables[p.unplanned_spread]
    q = QUANTILES
    # Common random numbers: each team's unplanned share and each item's effort, for every run,
    # from a stream of its own (see the module's docstring).
    shares = []
    for t, name in enumerate(setup.teams):
        rand = stream(p.seed, "team", name)
        shares.append(
            array(
                "d", [min(unplanned[t] * share_table[int(rand() * q)], u_cap) for _ in range(runs)]
            )
        )
    efforts = []
    for key, m, sigma in zip(setup.keys, setup.median, setup.spread):
        rand, table = stream(p.seed, "item", key), tables[sigma]
        m = max(m, 1e-9)  # a zero estimate takes no time, even for a team with none
        efforts.append(
            array("d", [m * table[int(rand() * q)] for _ in range(runs)])
        )  # 8 bytes a draw
    share_rows = zip(*shares) if shares else [()] * runs  # run by run, transposed in C
    effort_rows = zip(*efforts) if efforts else [()] * runs
    for share_of_run, effort_of_run in zip(share_rows, effort_rows):
        inverse_pace = []
        for pace0, share in zip(base_pace, share_of_run):
            pace = pace0 * (1.0 - share)
            inverse_pace.append(1.0 / pace if pace > 0 else inf)
        duration = [e * inverse_pace[t] for e, t in zip(effort_of_run, team_of)]
        finish = [inf] * n
        waits = waits0.copy()
        ready = [r.copy() for r in ready0]
        busy = [False] * n_teams
        events: list[tuple[float, int]] = []
        for t in range(n_teams):
            if ready[t]:
                i = heappop(ready[t])
                heappush(events, (duration[i], i))
                busy[t] = True
        while events:
            now, i = heappop(events)
            finish[i] = now
            t = team_of[i]
            busy[t] = False
            woken = []
            for j in dependents[i]:
                waits[j] -= 1
                if waits[j] == 0:
                    tj = team_of[j]
                    heappush(ready[tj], j)
                    if not busy[tj]:
                        woken.append(tj)
            if ready[t]:
                k = heappop(ready[t])
                heappush(events, (now + duration[k], k))
                busy[t] = True
            for tj in woken:
                if not busy[tj] and ready[tj]:
                    k = heappop(ready[tj])
                    heappush(events, (now + duration[k], k))
                    busy[tj] = True
        yield finish


# ------------------------------------------------------------------ summaries


def percentile(sorted_values: list[float], q: float) -> float:
    """The q-quantile of sorted values (nearest rank: a value some run really had)."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(q * len(sorted_values)))
    return sorted_values[rank - 1]


def _week(x: float) -> float | None:
    return round(x, 2) if math.isfinite(x) else None


# Capacity is counted in working weeks: each 7 days from the quarter's start hold 5
# working days, so the 5th day of a week ends it (a quarter starting on a Monday
# ends its week 13 on the Friday of the 13th week).
WORKDAYS = 5


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


def forecast(facts: Facts, p: ForecastParams) -> Forecast:
    """The delivery forecast of a plan."""
    setup = _Setup(facts, p)
    q = facts.quarter
    start, end = q.start, q.end
    end_weeks = due_weeks(start, end) if start and end else setup.weeks
    runs = runs_for(p, len(setup.keys))
    notes: list[str] = []
    if runs < p.runs:
        notes.append(thinned(runs, p, len(setup.keys)))
    unknown = sorted(n for n, cap in facts.capacity.items() if not cap.known)
    unstaffed = sorted(n for n in facts.items_by_team if n not in facts.capacity)
    if unknown:
        notes.append(f"not forecast, capacity unknown (no headcount): {', '.join(unknown)}")
    if unstaffed:
        notes.append(f"not forecast, not in the staffing model: {', '.join(unstaffed)}")
    no_team = sum(1 for i in facts.plan.items if not i.done and facts.team_of(i) is None)
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
    if start is None:
        notes.append("the quarter has no start date, so due dates cannot be checked: weeks only")

    # Kept per run: each item's finish and each team's and the plan's completion, as C doubles
    # (8 bytes a figure, where a list of floats holds 32), never a table of every run.
    spans = _team_spans(setup)
    by_item = [array("d") for _ in setup.keys]
    team_done = [array("d") for _ in setup.teams]
    plan_done = array("d")
    for finish in simulate(setup, p, runs) if setup.keys else ():
        for column, value in zip(by_item, finish):
            column.append(value)
        last = 0.0
        for done, (lo, hi) in zip(team_done, spans):
            value = max(finish[lo:hi], default=0.0)
            done.append(value)
            last = max(last, value)
        plan_done.append(last)

    items = []
    for i, item in enumerate(setup.items):
        values = sorted(by_item[i])
        due, basis = item.due, "due date"
        if due is None and item.committed and end is not None:
            due, basis = end, "quarter end"
        p_on_time = None
        if due is not None and start is not None:
            limit = due_weeks(start, due)
            p_on_time = (
                round(bisect_right(values, limit + 1e-9) / len(values), 4) if values else None
            )
        p50, p85 = percentile(values, 0.5), percentile(values, 0.85)
        items.append(
            ForecastItem(
                key=item.key,
                team=setup.teams[setup.team_of[i]],
                committed=item.committed,
                due=due,
                due_basis=basis if due is not None else None,
                estimate_weeks=round(setup.median[i], 3),
                estimated=setup.estimated[i],
                spread=setup.spread[i],
                p_on_time=p_on_time,
                p50_weeks=_week(p50),
                p85_weeks=_week(p85),
                p50_date=_date(start, p50),
                p85_date=_date(start, p85),
            )
        )

    teams = []
    for t, name in enumerate(setup.teams):
        lo, hi = spans[t]
        teams.append(
            _completion(
                team_done[t],
                start,
                end_weeks,
                team=name,
                items=hi - lo,
                pace_weeks=round(setup.base_pace[t], 3),
                unplanned_share=round(setup.unplanned[t], 3),
            )
        )
    plan = _completion(
        plan_done,
        start,
        end_weeks,
        team="(plan)",
        items=len(setup.keys),
        pace_weeks=round(sum(setup.base_pace), 3),
        unplanned_share=round(_weighted(setup.unplanned, setup.base_pace), 3),
    )
    return Forecast(
        runs=runs,
        runs_asked=p.runs,
        seed=p.seed,
        weeks=setup.weeks,
        end_weeks=round(end_weeks, 3),
        start=start,
        end=end,
        params={k: v for k, v in p.model_dump().items() if k not in ("runs", "seed")},
        plan=plan,
        teams=teams,
        items=items,
        notes=notes,
    )


def _team_spans(setup: _Setup) -> list[tuple[int, int]]:
    """Each team's items as a range of indexes: the setup lists them team by team."""
    spans = [(0, 0)] * len(setup.teams)
    lo = 0
    for i in range(1, len(setup.team_of) + 1):
        if i == len(setup.team_of) or setup.team_of[i] != setup.team_of[lo]:
            spans[setup.team_of[lo]] = (lo, i)
            lo = i
    return spans


def _weighted(values: list[float], weights: list[float]) -> float:
    total = sum(weights)
    return sum(v * w for v, w in zip(values, weights)) / total if total else 0.0


def _completion(
    done: array | list[float], start: dt.date | None, end_weeks: float, **fields
) -> ForecastTeam:
    """When all of a team's (or the plan's) open items are done: `done` holds one finish per run."""
    values = sorted(done) if fields["items"] else []
    p50, p85 = percentile(values, 0.5), percentile(values, 0.85)
    by_end = round(bisect_right(values, end_weeks + 1e-9) / len(values), 4) if values else None
    return ForecastTeam(
        **fields,
        p50_weeks=_week(p50),
        p85_weeks=_week(p85),
        p50_date=_date(start, p50),
        p85_date=_date(start, p85),
        p_by_end=by_end,
    )
