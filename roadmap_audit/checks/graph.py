"""Check kinds over the dependency graph of plan items: single points of failure, schedule
inversions, cycles, and long chains of hand-offs between teams.

Every kind walks the graph of open items once (cycles condensed first), so a plan of
20,000 items costs about as much as reading it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from pydantic import Field

from ..analyze import servicemap
from ..analyze.capacity import share_text
from ..analyze.dependencies import (
    FanIn,
    OpenGraph,
    committed_fan_in,
    cross_team_chains,
    cut_points,
    due_paths,
    latest_due_below,
    natural_key,
    on_chains,
    shortest_cycle_through,
)
from ..analyze.facts import Facts
from ..model import Evidence, Item, Severity
from .base import Hit, Params, check, item_subject, team_subject
from .reliability import missing_plan_fields
from .services import possessive, service_subject


def _team_list(counts: Counter) -> str:
    return ", ".join(
        f"{team} {n}" for team, n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))
    )


def _depends_on_evidence(facts: Facts, item: Item, note: str) -> Evidence:
    return Evidence.of(item.cell("depends_on"), note)


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
    escalate_to: Severity | None = None  # when what everything hangs on is itself fragile
    # an item fewer than min_fan_in committed items wait on, on a chain through this many teams, is
    # the chain's link: DEP004 reports the chain once (None: report it here too)
    chain_min_teams: int | None = Field(ge=2)


def _dependents_text(fan: FanIn, mask: int, whose: str = "") -> tuple[str, tuple[str, ...], int]:
    """'5 committed items{whose} (a 3, b 2: A-1, A-2, …)', the teams named, and the count."""
    counts, first = fan.summary(mask)
    total = sum(counts.values())
    shown = ", ".join(first) + (", …" if total > len(first) else "")
    teams = ", ".join(f"{team or 'no team'} {n}" for team, n in list(counts.items())[:6])
    if len(counts) > 6:
        teams += f" and {len(counts) - 6} more teams"
    text = f"{total} committed item{'s' if total != 1 else ''}{whose} ({teams}: {shown})"
    return text, tuple(t for t in counts if t), total


def _item_spofs(
    facts: Facts, p: FanInParams, og: OpenGraph, fan: FanIn, cuts: set[str]
) -> Iterator[Hit]:
    """Items many committed items wait on (min_fan_in), and cut points of the committed work that
    committed items of another team wait on. A cut point with few dependents on a cross-team chain is
    one of the chain's links: DEP004 reports the chain, once."""
    linked: set[str] = set()
    if p.chain_min_teams is not None and any(fan.count[k] < p.min_fan_in for k in fan.kept):
        linked = on_chains(*cross_team_chains(og, p.chain_min_teams))
    for key in og.by_key(fan.kept):
        item = facts.items[key]
        text, teams, total = _dependents_text(fan, fan.kept[key])
        many = total >= p.min_fan_in
        if not many:
            own_team = fan.team_mask(facts.team_of(item) or "")
            if key in linked or not fan.kept[key] & ~own_team:
                continue  # a link of a chain DEP004 reports, or the team's own sequencing
        cut = key in cuts and total >= p.min_cut_point_fan_in
        message = f"{item.key} '{item.title}' is waited on, directly or not, by {text}. If it slips, they slip"
        if cut:
            message += "; it is also the only link between parts of the committed work"
        fragile = []
        missing = missing_plan_fields(item)
        if missing:
            fragile.append(
                "it has no " + ", no ".join(m if m != "due" else "due date" for m in missing)
            )
        load = _overloaded(facts, facts.team_of(item), p.max_load)
        if load is not None:
            fragile.append(f"{facts.team_of(item)} is planned at {share_text(load)} of capacity")
        if not item.committed:
            fragile.append("it is not committed itself, so nothing protects its date")
        if fragile:
            message += "; " + "; ".join(fragile)
        direct = sorted(og.graph.predecessors(key), key=natural_key)[:5]
        evidence = [Evidence.of(item.ref, f"{key}: needed by {total} committed item(s)")]
        evidence += [
            _depends_on_evidence(facts, facts.items[d], f"{d} depends on it") for d in direct
        ]
        yield Hit(
            subject=item_subject(key),
            message=message,
            evidence=tuple(evidence),
            teams=(facts.team_of(item) or "", *teams),
            # only what many committed items hang on is escalated: a cut point two or three items need is medium
            severity=p.escalate_to
            if p.escalate_to and many and (missing or load is not None)
            else None,
            impact=float(total),
            likelihood=1.0 + len(fragile),
        )


def _team_spofs(facts: Facts, p: FanInParams, og: OpenGraph, fan: FanIn) -> Iterator[Hit]:
    needed: dict[str, list[str]] = {}
    for key in og.order:
        if fan.count.get(key):
            needed.setdefault(facts.team_of(facts.items[key]) or "", []).append(key)
    for team in sorted(fan.by_team):
        mask = fan.by_team[team] & ~fan.team_mask(team)
        if mask.bit_count() < p.min_team_fan_in:
            continue
        text, teams, total = _dependents_text(fan, mask, " of other teams")
        mine = sorted(needed.get(team, []), key=lambda k: (-fan.count[k], og.rank[k]))
        message = (
            f"{possessive(team)} open work is waited on by {text}: {team} is a bottleneck the plan "
            f"routes through, most of all at {', '.join(mine[:3])}"
        )
        load = _overloaded(facts, team, p.max_load)
        if load is not None:
            message += f"; {team} is planned at {share_text(load)} of capacity"
        evidence = []
        if team in facts.teams:
            evidence.append(Evidence.of(facts.teams[team].ref, "staffing model"))
        evidence += [
            Evidence.of(facts.items[k].ref, f"{k}: needed by {fan.count[k]} committed item(s)")
            for k in mine[:5]
        ]
        yield Hit(
            subject=team_subject(team),
            message=message,
            evidence=tuple(evidence),
            teams=(team, *teams),
            severity=p.escalate_to if p.escalate_to and load is not None else None,
            impact=float(total),
            likelihood=load or 1.0,
        )


def _service_spofs(facts: Facts, p: FanInParams, fan: FanIn) -> Iterator[Hit]:
    """Committed items of other teams that touch a service, or a service that calls it."""
    import networkx as nx

    graph = servicemap.service_graph(facts)
    seeds: dict[str, int] = {}
    for name, items in facts.open_items_by_service.items():
        if name in graph:
            seeds[name] = fan.mask_of(i.key for i in items if i.committed)
    condensed = nx.condensation(graph)
    members = {c: sorted(condensed.nodes[c]["members"]) for c in condensed}
    reach: dict[int, int] = {}
    for c in nx.topological_sort(condensed):  # callers before what they call
        mask = 0
        for caller in condensed.predecessors(c):
            mask |= reach[caller]
        for name in members[c]:
            mask |= seeds.get(name, 0)
        reach[c] = mask
    mapping = condensed.graph["mapping"]
    names = sorted(graph)
    bit = {name: 1 << i for i, name in enumerate(names)}
    above: dict[int, int] = {}  # component -> the services that call it, directly or not
    for c in nx.topological_sort(condensed):
        mask = 0
        for caller in condensed.predecessors(c):
            mask |= above[caller]
            for name in members[caller]:
                mask |= bit[name]
        above[c] = mask
    for name in names:
        svc = facts.services[name]
        owner = servicemap.owner(facts, svc)
        mask = reach[mapping[name]] & ~(fan.team_mask(owner) if owner else 0)
        if mask.bit_count() < p.min_service_fan_in:
            continue
        text, teams, total = _dependents_text(fan, mask, " of teams other than its owner")
        c = mapping[name]
        callers = _first_bits((above[c] | sum(bit[m] for m in members[c])) & ~bit[name], names, 5)
        message = f"{name} is needed by {text}"
        if callers:
            message += f", directly or through the services that call it ({', '.join(callers)})"
        message += ". If it fails or its team slips, they all do"
        fragile = []
        if len(svc.experts) < p.min_experts:
            fragile.append(
                {0: "no named expert", 1: "only one named expert"}.get(
                    len(svc.experts), f"only {len(svc.experts)} named experts"
                )
            )
        if svc.error_budget_remaining is not None and svc.error_budget_remaining <= 0:
            fragile.append(f"its error budget is spent ({svc.error_budget_remaining:.0%} left)")
        load = _overloaded(facts, owner, p.max_load)
        if load is not None:
            fragile.append(f"{owner} is planned at {share_text(load)} of capacity")
        if fragile:
            message += "; " + "; ".join(fragile)
        evidence = [Evidence.of(svc.ref, f"{name}: {total} committed item(s) of other teams")]
        if len(svc.experts) < p.min_experts:
            evidence.append(Evidence.of(svc.cell("experts"), f"{len(svc.experts)} expert(s)"))
        yield Hit(
            subject=service_subject(name),
            message=message,
            evidence=tuple(evidence),
            teams=(owner or "", *teams),
            severity=p.escalate_to if p.escalate_to and fragile else None,
            impact=float(total),
            likelihood=1.0 + len(fragile),
        )


def _first_bits(mask: int, names: list[str], n: int) -> list[str]:
    """The names of the first n bits set in a mask (bit i is names[i])."""
    found = []
    while mask and len(found) < n:
        low = mask & -mask
        found.append(names[low.bit_length() - 1])
        mask ^= low
    return found


@check("single_point_of_failure", FanInParams)
def single_point_of_failure(facts: Facts, p: FanInParams) -> Iterator[Hit]:
    """Items, teams and services that many committed items depend on (transitive fan-in over
    open work), and cut points of the committed work that at least two committed items need."""
    og = facts.open_graph
    committed = [k for k in og.order if facts.items[k].committed]
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
    escalate_to: Severity | None = None
    escalate_if_committed: bool = False


@check("schedule_inversion", InversionParams)
def schedule_inversion(facts: Facts, p: InversionParams) -> Iterator[Hit]:
    """Items due before something they depend on, directly or through undated items, is due."""
    og = facts.open_graph
    due = {k: facts.items[k].due for k in og.order if facts.items[k].due is not None}
    best = latest_due_below(og, due)  # type: ignore[arg-type]
    paths = due_paths(best, lambda k: og.team[k] or "")
    for key in og.by_key(due):
        if key not in best:
            continue
        latest, target, _ = best[key]
        late = (latest - due[key]).days
        if late < p.min_days_late:
            continue
        item, blocker = facts.items[key], facts.items[target]
        path = paths.first(key, p.max_listed + 2)
        inner = paths.length(key) - 2  # items between the item and the one holding the date
        middle = path[1 : 1 + inner]
        if inner > p.max_listed:
            middle = [*middle[: p.max_listed - 1], f"… {inner - p.max_listed + 1} more"]
        through = f" (through {', '.join(middle)})" if middle else ""
        message = (
            f"{item.key} '{item.title}' is due {due[key].isoformat()}, but it depends{through} on "
            f"{blocker.key} '{blocker.title}' ({facts.team_of(blocker) or 'no team'}), due "
            f"{latest.isoformat()}, {late} day{'s' if late != 1 else ''} later"
        )
        if item.committed:
            message += f"; {possessive(item.key)} date is committed outside the team"
        evidence = [
            Evidence.of(item.cell("due"), f"{item.key} due {due[key].isoformat()}"),
            Evidence.of(blocker.cell("due"), f"{blocker.key} due {latest.isoformat()}"),
            _depends_on_evidence(facts, item, f"{item.key} depends on {path[1]}"),
        ]
        evidence += [
            _depends_on_evidence(facts, facts.items[k], f"{k} depends on {n}")
            for k, n in zip(path[1 : p.max_listed], path[2:])
        ]
        yield Hit(
            subject=item_subject(key),
            message=message,
            evidence=tuple(evidence),
            teams=paths.teams(key),
            severity=p.escalate_to
            if p.escalate_to and p.escalate_if_committed and item.committed
            else None,
            impact=2.0 if item.committed else 1.0,
            likelihood=1.0 + late / 7,
        )


# ------------------------------------------------------------------ DEP003


class CycleParams(Params):
    max_listed: int = Field(ge=2)


@check("dependency_cycle", CycleParams)
def dependency_cycle(facts: Facts, p: CycleParams) -> Iterator[Hit]:
    """Each set of items that depend on each other in a circle (a strongly connected component),
    once, under its smallest key."""
    og = facts.open_graph
    for members in sorted(og.cycles(), key=lambda m: natural_key(m[0])):
        start = members[0]
        loop = shortest_cycle_through(og.graph, start, set(members))
        message = (
            f"{len(members)} items depend on each other in a circle, so none of them can be finished "
            f"first: {' → '.join(loop)}"
        )
        if len(members) > len(loop) - 1:
            shown = ", ".join(members[: p.max_listed]) + (
                " …" if len(members) > p.max_listed else ""
            )
            message += f"; the knot holds {shown}"
        teams = Counter(og.team[k] or "no team" for k in members)
        if len(teams) > 1:
            message += f"; teams involved: {_team_list(teams)}"
        evidence = [
            _depends_on_evidence(facts, facts.items[a], f"{a} depends on {b}")
            for a, b in zip(loop, loop[1:])
        ]
        yield Hit(
            subject=item_subject(start),
            message=message,
            evidence=tuple(evidence[: p.max_listed]),
            teams=tuple(og.team[k] or "" for k in members),
            impact=float(len(members)),
            likelihood=float(len(teams)),
        )


# ------------------------------------------------------------------ DEP004


class ChainParams(Params):
    min_teams: int = Field(ge=2)
    max_listed: int = Field(ge=2)
    escalate_to: Severity | None = None
    escalate_at_teams: int | None = Field(None, ge=2)


@check("cross_team_chain", ChainParams)
def cross_team_chain(facts: Facts, p: ChainParams) -> Iterator[Hit]:
    """Items at the head of a dependency chain that hands work between min_teams teams or more
    (longest path on the graph of open work, cycles condensed)."""
    og = facts.open_graph
    team = og.team.__getitem__
    heads, chains = cross_team_chains(og, p.min_teams)
    for key, handoffs in heads:
        chain = chains.first(key, p.max_listed + 1)
        length = chains.length(key)
        teams = chains.teams(key)
        head = facts.items[key]

        def show(k: str) -> str:
            item = facts.items[k]
            due = f", due {item.due.isoformat()}" if item.due else ""
            return f"{k} ({team(k) or 'no team'}{due})"

        listed = (
            [show(k) for k in chain]
            if length <= p.max_listed
            else [
                *(show(k) for k in chain[: p.max_listed - 1]),
                f"… {length - p.max_listed} more …",
                show(chains.last(key)),
            ]
        )
        message = (
            f"{head.key} '{head.title}' waits on a chain of {length} items with {handoffs} hand-offs "
            f"between {len(teams)} teams: {' → '.join(listed)}. Every hand-off is a queue in another "
            "team's plan, and a slip anywhere reaches the head"
        )
        if head.committed:
            message += f"; {possessive(head.key)} date is committed outside the team"
        evidence = [
            _depends_on_evidence(facts, facts.items[a], f"{a} depends on {b}")
            for a, b in zip(chain[: p.max_listed], chain[1:])
        ]
        big = p.escalate_at_teams is not None and handoffs + 1 >= p.escalate_at_teams
        yield Hit(
            subject=item_subject(key),
            message=message,
            evidence=tuple(evidence),
            teams=teams,
            severity=p.escalate_to if p.escalate_to and big else None,
            impact=float(handoffs + 1),
            likelihood=2.0 if head.committed else 1.0,
        )
