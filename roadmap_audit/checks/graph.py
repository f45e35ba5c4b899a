"""Check kinds over the dependency graph of plan items: single points of failure, schedule
inversions, cycles, and long chains of hand-offs between teams.

Every kind walks the graph of open items once (cycles condensed first), so a plan of
20,000 items costs about as much as reading it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from itertools import compress

from pydantic import Field

from ..analyze import servicemap
from ..analyze.dependencies import (
    FanIn,
    OpenGraph,
    Walks,
    committed_fan_in,
    cross_team_chains,
    cut_points,
    due_paths,
    latest_due_below,
    named_bits,
    natural_key,
    on_chains,
    reach_and_callers,
    shortest_cycle_through,
)
from ..analyze.facts import Facts
from ..analyze.numbers import plural
from ..analyze.planning import missing_plan_fields
from ..model import Evidence, Item
from .base import (
    Hit,
    Params,
    check,
    flag,
    item_subject,
    number,
    once_per_run,
    service_subject,
    team_subject,
)
from .texts import graph as texts


def _depends_on_evidence(item: Item, note: str) -> Evidence:
    return Evidence.cell(item, "depends_on", note)


def _chains(facts: Facts, min_teams: int) -> tuple[list[tuple[str, int]], Walks]:
    """`cross_team_chains` of the open work, found once per run for DEP001 and DEP004."""
    return once_per_run(
        facts,
        f"cross_team_chains {min_teams}",
        lambda f: cross_team_chains(f.open_graph, min_teams),
    )


def _overloaded(facts: Facts, team: str | None, max_load: float) -> float | None:
    cap = facts.capacity.get(team or "")
    return cap.load if cap is not None and cap.known and cap.load > max_load else None


# ------------------------------------------------------------------ DEP001


class FanInParams(Params):
    min_fan_in: int = Field(ge=1)
    min_cut_point_fan_in: int = Field(ge=1)
    min_team_fan_in: int = Field(ge=1)
    min_service_fan_in: int = Field(ge=1)
    max_load: float = Field(gt=0, le=100)
    min_experts: int = Field(ge=1)
    # an item fewer than min_fan_in committed items wait on, on a chain through this many teams, is
    # the chain's link: DEP004 reports the chain once (None: report it here too)
    chain_min_teams: int | None = Field(ge=2)


def _dependents(fan: FanIn, mask: int, whose: str = "") -> tuple[str, tuple[str, ...], int]:
    """The dependents of a mask in words, the teams named, and the count."""
    counts, first = fan.summary(mask)
    return (
        texts.dependents(counts, first, whose),
        tuple(t for t in counts if t),
        sum(counts.values()),
    )


def _reported_items(facts: Facts, p: FanInParams, og: OpenGraph, fan: FanIn) -> Iterator[str]:
    """Items many committed items wait on (min_fan_in), and the cut-point candidates that
    committed items of another team wait on, in key order. A candidate with few dependents on a
    cross-team chain is one of the chain's links: DEP004 reports the chain, once."""
    linked: set[str] = set()
    if p.chain_min_teams is not None and any(fan.count[k] < p.min_fan_in for k in fan.kept):
        linked = on_chains(*_chains(facts, p.chain_min_teams))
    for key in og.by_key(fan.kept):
        if fan.kept[key].bit_count() >= p.min_fan_in:
            yield key
            continue
        own_team = fan.team_mask(facts.team_of(facts.items[key]) or "")
        if key not in linked and fan.kept[key] & ~own_team:
            yield key  # not a link of a chain DEP004 reports, nor the team's own sequencing


def _item_spofs(
    facts: Facts, p: FanInParams, og: OpenGraph, fan: FanIn, cuts: set[str]
) -> Iterator[Hit]:
    for key in _reported_items(facts, p, og, fan):
        item = facts.items[key]
        text, teams, total = _dependents(fan, fan.kept[key])
        many = total >= p.min_fan_in
        missing = missing_plan_fields(item)
        team = facts.team_of(item)
        load = _overloaded(facts, team, p.max_load)
        fragile = texts.item_fragile(item, missing, team, load)
        cut = key in cuts and total >= p.min_cut_point_fan_in
        direct = sorted(og.pred[key], key=natural_key)[:5]
        evidence = [Evidence.of(item.ref, f"{key}: needed by {plural(total, 'committed item')}")]
        evidence += [_depends_on_evidence(facts.items[d], f"{d} depends on it") for d in direct]
        yield Hit(
            subject=item_subject(key),
            message=texts.item_spof(item, text, cut, fragile),
            evidence=tuple(evidence),
            teams=(team or "", *teams),
            impact=float(total),
            likelihood=1.0 + len(fragile),
            # only what many committed items hang on is escalated: a cut point two or three
            # items need is not
            measured={"fragile": many and bool(missing or load is not None)},
        )


def _team_spofs(facts: Facts, p: FanInParams, og: OpenGraph, fan: FanIn) -> Iterator[Hit]:
    needed: dict[str, list[str]] = {}
    for key in compress(fan.count, fan.count.values()):  # needed by some, in og.order
        needed.setdefault(og.team[key] or "", []).append(key)
    for team in sorted(fan.by_team):
        mask = fan.by_team[team] & ~fan.team_mask(team)
        if mask.bit_count() < p.min_team_fan_in:
            continue
        text, teams, total = _dependents(fan, mask, " of other teams")
        # most needed first, then in key order
        mine = sorted(og.by_key(needed.get(team, [])), key=lambda k: -fan.count[k])
        load = _overloaded(facts, team, p.max_load)
        evidence = []
        if team in facts.teams:
            evidence.append(Evidence.of(facts.teams[team].ref, "staffing model"))
        evidence += [
            Evidence.of(
                facts.items[k].ref, f"{k}: needed by {plural(fan.count[k], 'committed item')}"
            )
            for k in mine[:5]
        ]
        yield Hit(
            subject=team_subject(team),
            message=texts.team_spof(team, text, mine[:3], load),
            evidence=tuple(evidence),
            teams=(team, *teams),
            impact=float(total),
            likelihood=load or 1.0,
            measured={"fragile": load is not None},
        )


def _service_spofs(facts: Facts, p: FanInParams, fan: FanIn) -> Iterator[Hit]:
    """Committed items of other teams that touch a service, or a service that calls it."""
    graph = servicemap.service_graph(facts)
    committed = servicemap.committed_keys_by_service(facts)
    seeds = {
        name: fan.mask_of(committed.get(name, ()))
        for name in facts.open_items_by_service
        if name in graph
    }
    reach, callers, names = reach_and_callers(graph, seeds)
    for name in names:
        svc = facts.services[name]
        owner = servicemap.owner(facts, svc)
        mask = reach[name] & ~(fan.team_mask(owner) if owner else 0)
        if mask.bit_count() < p.min_service_fan_in:
            continue
        text, teams, total = _dependents(fan, mask, " of teams other than its owner")
        load = _overloaded(facts, owner, p.max_load)
        fragile = texts.service_fragile(
            len(svc.experts), p.min_experts, svc.error_budget_remaining, owner, load
        )
        evidence = [
            Evidence.of(svc.ref, f"{name}: {plural(total, 'committed item')} of other teams")
        ]
        if len(svc.experts) < p.min_experts:
            evidence.append(Evidence.cell(svc, "experts", f"{len(svc.experts)} expert(s)"))
        yield Hit(
            subject=service_subject(name),
            message=texts.service_spof(name, text, named_bits(callers[name], names, 5), fragile),
            evidence=tuple(evidence),
            teams=(owner or "", *teams),
            impact=float(total),
            likelihood=1.0 + len(fragile),
            measured={"fragile": bool(fragile)},
        )


def single_point_of_failure(facts: Facts, p: FanInParams) -> Iterator[Hit]:
    """Items, teams and services that many committed items depend on (transitive fan-in over
    open work), and cut points of the committed work that at least two committed items need."""
    og = facts.open_graph
    committed = og.committed
    cuts = cut_points(og, committed)

    def keep(key: str, n: int) -> bool:
        return n >= p.min_fan_in or (key in cuts and n >= p.min_cut_point_fan_in)

    fan = committed_fan_in(og, committed, og.team.__getitem__, keep)
    yield from _item_spofs(facts, p, og, fan, cuts)
    yield from _team_spofs(facts, p, og, fan)
    yield from _service_spofs(facts, p, fan)


# ------------------------------------------------------------------ DEP002


class InversionParams(Params):
    min_days_late: int = Field(ge=1)
    max_listed: int = Field(ge=2)


def schedule_inversion(facts: Facts, p: InversionParams) -> Iterator[Hit]:
    """Items due before something they depend on, directly or through undated items, is due."""
    og = facts.open_graph
    items = facts.items
    # only an item linked to another can be due before what it waits on
    due = {k: d for k in og.linked if (d := items[k].due) is not None}
    best = latest_due_below(og, due)
    paths = due_paths(best, lambda k: og.team[k] or "")
    for key in og.by_key(k for k in due if k in best):
        latest, target, _ = best[key]
        late = (latest - due[key]).days
        if late < p.min_days_late:
            continue
        item, blocker = facts.items[key], facts.items[target]
        path = paths.first(key, p.max_listed + 2)
        inner = paths.length(key) - 2  # the items between the item and the one holding the date
        through = texts.listed_path(path[1 : 1 + inner], inner, p.max_listed)
        evidence = [
            Evidence.cell(item, "due", f"{item.key} due {due[key].isoformat()}"),
            Evidence.cell(blocker, "due", f"{blocker.key} due {latest.isoformat()}"),
            _depends_on_evidence(item, f"{item.key} depends on {path[1]}"),
        ]
        evidence += [
            _depends_on_evidence(facts.items[k], f"{k} depends on {n}")
            for k, n in zip(path[1 : p.max_listed], path[2:], strict=False)
        ]
        yield Hit(
            subject=item_subject(key),
            message=texts.inversion(item, blocker, facts.team_of(blocker), through, late),
            evidence=tuple(evidence),
            teams=paths.teams(key),
            impact=2.0 if item.committed else 1.0,
            likelihood=1.0 + late / 7,
            measured={"committed": item.committed},
        )


# ------------------------------------------------------------------ DEP003


class CycleParams(Params):
    max_listed: int = Field(ge=2)


def dependency_cycle(facts: Facts, p: CycleParams) -> Iterator[Hit]:
    """Each set of items that depend on each other in a circle (a strongly connected component),
    once, under its smallest key."""
    og = facts.open_graph
    for members in sorted(og.cycles(), key=lambda m: natural_key(m[0])):
        start = members[0]
        loop = shortest_cycle_through(og.succ, start, set(members))
        teams = Counter(og.team[k] or "no team" for k in members)
        evidence = [
            _depends_on_evidence(facts.items[a], f"{a} depends on {b}")
            for a, b in zip(loop, loop[1:], strict=False)
        ]
        yield Hit(
            subject=item_subject(start),
            message=texts.cycle(members, loop, teams, p.max_listed),
            evidence=tuple(evidence[: p.max_listed]),
            teams=tuple(og.team[k] or "" for k in members),
            impact=float(len(members)),
            likelihood=float(len(teams)),
        )


# ------------------------------------------------------------------ DEP004


class ChainParams(Params):
    min_teams: int = Field(ge=2)
    max_listed: int = Field(ge=2)


def cross_team_chain(facts: Facts, p: ChainParams) -> Iterator[Hit]:
    """Items at the head of a dependency chain that hands work between min_teams teams or more
    (longest path on the graph of open work, cycles condensed)."""
    og = facts.open_graph
    heads, chains = _chains(facts, p.min_teams)
    for key, handoffs in heads:
        chain = chains.first(key, p.max_listed + 1)
        links = [texts.chain_link(k, og.team[k], facts.items[k]) for k in chain[: p.max_listed]]
        last = chains.last(key)
        links.append(texts.chain_link(last, og.team[last], facts.items[last]))
        head = facts.items[key]
        teams = chains.teams(key)
        evidence = [
            _depends_on_evidence(facts.items[a], f"{a} depends on {b}")
            for a, b in zip(chain[: p.max_listed], chain[1:], strict=False)
        ]
        # the item the chain ends on, so every hop it names is cited (the dependency picture
        # marks an arrow when both its items are cited)
        evidence.append(Evidence.cell(facts.items[last], "key", f"{last} ends the chain"))
        yield Hit(
            subject=item_subject(key),
            message=texts.chain(
                head, links, chains.length(key), handoffs, len(teams), p.max_listed
            ),
            evidence=tuple(evidence),
            teams=teams,
            impact=float(handoffs + 1),
            likelihood=2.0 if head.committed else 1.0,
            measured={"teams": handoffs + 1},
        )


# Registered by a call, not a decorator: mutation testing (tools/mutation.py) reaches
# only undecorated functions.
check(
    "single_point_of_failure",
    FanInParams,
    measures={
        "fragile": flag(
            "what the committed items hang on is itself fragile: an item many of them wait on "
            "with no estimate, owner or due date or an overloaded team; a team over max_load; a "
            "service with too few experts, a spent error budget or an overloaded owner"
        )
    },
)(single_point_of_failure)
check(
    "schedule_inversion",
    InversionParams,
    measures={"committed": flag("the item's date is committed outside the team")},
)(schedule_inversion)
check("dependency_cycle", CycleParams)(dependency_cycle)
check(
    "cross_team_chain",
    ChainParams,
    measures={"teams": number("how many teams the chain hands work between", min_bound=2)},
)(cross_team_chain)
