"""The item dependency graph as the dependency rules read it.

Only open work counts (a finished item blocks nobody). Cycles are condensed into
their strongly connected components, so every pass below is one walk over the
items and their dependencies, whatever the size of the plan.

Edges keep the direction of `Facts.item_graph`: A -> B means A depends on B, so
what A *waits on* are its successors and what *needs* A are its predecessors.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import chain, compress, filterfalse
from operator import attrgetter, not_
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx


if TYPE_CHECKING:
    from .facts import Facts

_DIGITS = re.compile(r"(\d+)")
_DONE, _COMMITTED, _TEAM = attrgetter("done"), attrgetter("committed"), attrgetter("team")


@lru_cache(maxsize=1 << 17)  # several rules sort the same keys
def natural_key(key: str) -> tuple[str | tuple[int, str], ...]:
    """Sort keys the way people read them: PAY-9 before PAY-10.

    A run of digits sorts by its length without leading zeros, then its digits: the
    order of the numbers, with no int() (which refuses more than 4,300 digits)."""
    return tuple(
        _number_key(t) if i % 2 else t.casefold() for i, t in enumerate(_DIGITS.split(key))
    )


def _number_key(digits: str) -> tuple[int, str]:
    digits = digits.lstrip("0")
    return len(digits), digits


_ASCII_DIGITS = "0123456789"


def plain_keys(keys: list[str]) -> list[int] | None:
    """Sort keys in the order `natural_key` gives where every key reads LETTERS-DIGITS or
    LETTERSDIGITS-DIGITS (ASCII, as Jira's PAY-123 or T006-12): one number per key, cheaper
    to make and compare; None if one key does not.

    natural_key gives ("l-", n(D), "") for L-D and ("l", n(N), "-", n(D), "") for LN-D (l: the
    letters casefolded, n: a number's order). "-" sorts before every letter, so the letters
    decide as they do alone, except that with the same letters LN-D comes before L-D (as "l"
    before "l-"); then N and D decide, as numbers (18 digits at most, so int() reads them).
    A project's part is read once per project, not once per key; its place among the
    projects' parts is the high bits of the key's number, D the low bits."""
    heads: dict[str, tuple[str, int, int] | None] = {}
    projects: list[str] = []
    numbers: list[int] = []
    for key in keys:
        head, dash, digits = key.partition("-")
        if head in heads:
            part = heads[head]
        else:
            part = heads[head] = _plain_head(head)
        if part is None or not (
            dash and digits.isdigit() and digits.isascii() and len(digits) <= 18
        ):
            return None
        projects.append(head)
        numbers.append(int(digits))
    width = max(numbers, default=0).bit_length()  # small numbers compare fastest
    parts = sorted({part for part in heads.values() if part is not None})
    places = {part: i << width for i, part in enumerate(parts)}
    place = {head: places[part] for head, part in heads.items() if part is not None}
    return [place[head] | n for head, n in zip(projects, numbers, strict=True)]


def _plain_head(head: str) -> tuple[str, int, int] | None:
    """(letters casefolded, 0 if digits follow them else 1, those digits' number) of LETTERS or
    LETTERSDIGITS; None for anything else."""
    letters = head.rstrip(_ASCII_DIGITS)
    number = head[len(letters) :]
    if not (letters.isalpha() and letters.isascii() and len(number) <= 18):
        return None
    return letters.casefold(), 0 if number else 1, int(number or 0)


class _TeamNames(dict[str | None, str | None]):
    """Team names as written -> the staffing model's spelling, each resolved when first asked."""

    def __init__(self, resolve: Callable[[str | None], str | None]) -> None:
        super().__init__()
        self.resolve = resolve

    def __missing__(self, name: str | None) -> str | None:
        spelled = self[name] = self.resolve(name)
        return spelled


@dataclass
class OpenGraph:
    """Open items and their dependencies, with cycles condensed.

    The dependencies are plain adjacency: `succ` maps every open item, in plan order, to
    what it depends on among open items, in the item graph's order. The rules read these
    lists; a networkx graph of the same nodes and edges is made only when one is asked for
    (`graph`)."""

    succ: dict[str, tuple[str, ...]]  # item -> its open dependencies (an edge A -> B: A on B)
    component: dict[str, int]  # item -> id of its strongly connected component
    components: dict[int, list[str]]  # id -> members, in natural key order
    below: list[tuple[int, ...]]  # component id -> the components it waits on (cycles condensed)
    levels: list[int]  # component ids in topological order, dependents first
    order: list[str]  # every item, dependents before what they wait on
    team: dict[str, str | None]  # item -> owning team, as the staffing model spells it
    # item -> its direct dependencies outside its own cycle (`succ` itself where no cycle is)
    waits: dict[str, tuple[str, ...]]
    committed: list[str]  # the committed open items, in plan order

    def waits_on(self, key: str) -> tuple[str, ...]:
        """Direct dependencies of an item outside its own cycle."""
        return self.waits[key]

    def needed_by(self, key: str) -> tuple[str, ...]:
        """Items that depend directly on this one, outside its own cycle."""
        return self.needs[key]

    @cached_property
    def pred(self) -> dict[str, tuple[str, ...]]:
        """Item -> the open items that depend on it directly (its own cycle's included), in the
        order of their edges, as a networkx graph's predecessors come."""
        found: dict[str, list[str]] = {}
        for a in compress(self.succ, self.succ.values()):  # the items that wait on something
            for b in self.succ[a]:
                if b in found:
                    found[b].append(a)
                else:
                    found[b] = [a]
        none: tuple[str, ...] = ()
        pred = dict.fromkeys(self.succ, none)
        for key, needed in found.items():
            pred[key] = tuple(needed)
        return pred

    @cached_property
    def needs(self) -> dict[str, tuple[str, ...]]:
        """Item -> `needed_by`, for every open item."""
        return _outside_cycles(self.pred, self.component, self.components)

    @cached_property
    def waiting(self) -> list[str]:
        """The items that wait on something outside their own cycle, in `order`: the only ones
        a walk up from what they wait on has to visit (most open items wait on nothing)."""
        return list(filter(self.waits.__getitem__, self.order))

    @cached_property
    def linked(self) -> set[str]:
        """The items that wait on something outside their own cycle, and what they wait on."""
        found = set(self.waiting)
        found.update(chain.from_iterable(map(self.waits.__getitem__, self.waiting)))
        return found

    @cached_property
    def linked_levels(self) -> list[int]:
        """`levels` without the components of one item linked to no other (most)."""
        ids = set(map(self.component.__getitem__, self.linked))
        if len(self.component) > len(self.components):  # a cycle's items wait on each other
            ids.update(c for c, members in self.components.items() if len(members) > 1)
        return list(filter(ids.__contains__, self.levels))

    @cached_property
    def graph(self) -> nx.DiGraph:
        """The open items and their dependencies as a networkx graph, for an algorithm that
        needs one: the same nodes and edges, in the same order, as `succ`."""
        import networkx as nx

        graph: nx.DiGraph[str] = nx.DiGraph()
        graph.add_nodes_from(self.succ)
        graph.add_edges_from((a, b) for a, deps in self.succ.items() for b in deps)
        return graph

    def cycles(self) -> list[list[str]]:
        """Every strongly connected component of two or more items."""
        return [members for members in self.components.values() if len(members) > 1]

    @cached_property
    def rank(self) -> dict[str, int]:
        """Each open item's place in natural key order (PAY-9 before PAY-10), computed once:
        the rules sort by it, comparing numbers rather than key tuples. Keys that read the
        same keep their order in `order`, as a stable sort by `natural_key` would."""
        keys = self.order
        plain = plain_keys(keys)
        if plain is None:
            return {key: i for i, key in enumerate(sorted(keys, key=natural_key))}
        places = sorted(range(len(keys)), key=plain.__getitem__)  # stable, as above
        return {keys[j]: i for i, j in enumerate(places)}

    def by_key(self, keys: Iterable[str]) -> list[str]:
        """Open items in natural key order, as `rank` orders them. Most rules sort a few of the
        plan's keys: keys like PAY-123 that all read differently are sorted by themselves,
        without a rank of every open item."""
        keys = list(keys)
        plain = plain_keys(keys)
        if plain is not None and len(set(plain)) == len(plain):  # none reads as another does
            return [keys[i] for i in sorted(range(len(keys)), key=plain.__getitem__)]
        return sorted(keys, key=self.rank.__getitem__)

    @cached_property
    def handoffs(self) -> tuple[dict[str, int], dict[str, str]]:
        """`team_handoffs` by the owning teams, computed once for the rules that read it."""
        return team_handoffs(self, self.team.__getitem__)


def open_graph(facts: Facts) -> OpenGraph:
    """Built once per run: use `facts.open_graph`.

    Most open items wait on nothing, so every pass over all of them below is one call
    (map, filter, zip) and the loops visit only the items linked to another."""
    items = facts.items  # by key, in the plan's order
    done = list(map(_DONE, items.values()))
    open_items = list(compress(items.values(), map(not_, done)))
    keys = list(compress(items, map(not_, done)))  # the open items' keys, in the plan's order
    closed = set(compress(items, done))
    committed = list(compress(keys, map(_COMMITTED, open_items)))
    none: tuple[str, ...] = ()
    succ = dict.fromkeys(keys, none)
    graph = facts.item_graph.succ
    for a in compress(graph, graph.values()):  # the items that wait on something
        if a not in closed:
            deps = graph[a]
            succ[a] = deps if closed.isdisjoint(deps) else tuple(b for b in deps if b in succ)
    walk = _strongly_connected_walk(succ)
    component, components = walk.component, walk.components
    below = _components_below(succ, component, components)
    levels = _topological(below)
    if len(components) == len(component):  # no cycle: each component is its first member
        order = list(map(walk.first.__getitem__, levels))
    else:
        order = list(chain.from_iterable(map(components.__getitem__, levels)))
    named = _TeamNames(facts.team_name)  # each team's name resolved once
    team = dict(zip(keys, map(named.__getitem__, map(_TEAM, open_items)), strict=True))
    waits = _outside_cycles(succ, component, components)
    return OpenGraph(succ, component, components, below, levels, order, team, waits, committed)


def condense(
    succ: dict[str, tuple[str, ...]],
) -> tuple[dict[str, int], dict[int, list[str]], list[tuple[int, ...]], list[int]]:
    """A graph of adjacency lists (each node's successors, each once, never itself) with its
    cycles condensed: node -> component id, id -> members, what each component points to, and
    the components in topological order (those pointing first), as `nx.condensation` and
    `nx.topological_sort` give them."""
    component, components = _strongly_connected(succ)
    below = _components_below(succ, component, components)
    return component, components, below, _topological(below)


def _strongly_connected(
    succ: dict[str, tuple[str, ...]],
) -> tuple[dict[str, int], dict[int, list[str]]]:
    """Item -> component id, and id -> members in natural key order, numbered in the order
    `nx.strongly_connected_components` finds them (and `nx.condensation` numbers them):
    the same walk (Tarjan's, with Nuutila's change), items in the order of `succ`,
    dependencies in their order. An item that waits on nothing is a component of its own,
    found as soon as the walk reaches it: those the walk starts from are numbered in one
    call between the walks from the items that wait on something."""
    walk = _strongly_connected_walk(succ)
    return walk.component, walk.components


def _strongly_connected_walk(succ: dict[str, tuple[str, ...]]) -> _Tarjan:
    """`_strongly_connected`'s walk, done: its components and each one's first member."""
    walk = _Tarjan(succ)
    keys = list(succ)
    walked = 0  # keys[:walked] are each in a component
    for i in compress(range(len(keys)), succ.values()):  # the items that wait on something
        if keys[i] in walk.component:  # reached from an item before it
            continue
        if walked < i:
            walk.alone(keys[walked:i])
        walk.start(keys[i])
        walked = i + 1
    walk.alone(keys[walked:])
    return walk


class _Tarjan:
    """The state of `_strongly_connected`'s walk."""

    def __init__(self, succ: dict[str, tuple[str, ...]]) -> None:
        self.succ = succ
        self.component: dict[str, int] = {}
        self.components: dict[int, list[str]] = {}
        self.first: list[str] = []  # component id -> its first member
        self.preorder: dict[str, int] = {}  # of the items walked through
        self.lowlink: dict[str, int] = {}  # of those whose component is not closed yet
        self.pending: list[str] = []  # those, in the order they were finished

    def alone(self, keys: list[str]) -> None:
        """Items that wait on nothing, each a component of its own, in order (those not
        reached yet)."""
        new = list(filterfalse(self.component.__contains__, keys))
        ids = range(len(self.components), len(self.components) + len(new))
        self.component.update(zip(new, ids, strict=True))
        self.components.update(zip(ids, [[key] for key in new], strict=True))
        self.first += new

    def start(self, source: str) -> None:
        """Walk from an item not reached yet, closing each component as its walk ends."""
        succ, component, components = self.succ, self.component, self.components
        preorder = self.preorder
        preorder[source] = len(preorder)
        stack = [(source, iter(succ[source]))]
        while stack:
            v, deps = stack[-1]
            for w in deps:
                if w not in component and w not in preorder:
                    if succ[w]:
                        preorder[w] = len(preorder)
                        stack.append((w, iter(succ[w])))
                        break
                    component[w] = c = len(components)  # its walk ends at once
                    components[c] = [w]
                    self.first.append(w)
            else:  # every dependency of v walked
                stack.pop()
                self.finish(v)

    def finish(self, v: str) -> None:
        """Close v's component if v is its root, else leave v pending."""
        component, preorder, pending = self.component, self.preorder, self.pending
        low = mine = preorder[v]
        for w in self.succ[v]:
            if w not in component:
                seen = preorder[w]
                if seen > mine:
                    seen = self.lowlink[w]
                if seen < low:
                    low = seen
        if low != mine:
            self.lowlink[v] = low
            pending.append(v)
            return
        c = len(self.components)
        if pending and preorder[pending[-1]] > mine:
            members = [v]
            while pending and preorder[pending[-1]] > mine:
                members.append(pending.pop())
            for key in members:
                component[key] = c
            self.components[c] = members = sorted(members, key=natural_key)
            self.first.append(members[0])
        else:  # most
            component[v] = c
            self.components[c] = [v]
            self.first.append(v)


def _components_below(
    succ: dict[str, tuple[str, ...]], component: dict[str, int], components: dict[int, list[str]]
) -> list[tuple[int, ...]]:
    """What each component waits on, each once, in the order of the graph's edges (the
    order `nx.condensation` gives its edges)."""
    below: list[tuple[int, ...]] = [()] * len(components)
    cycles: dict[int, dict[int, None]] = {}
    for a in compress(succ, succ.values()):  # the items that wait on something
        deps = succ[a]
        ca = component[a]
        if len(components[ca]) == 1:  # none of its dependencies is in its component
            if len(deps) == 1:
                below[ca] = (component[deps[0]],)
            else:
                below[ca] = tuple(dict.fromkeys([component[b] for b in deps]))
            continue
        into = cycles.setdefault(ca, {})
        for b in deps:
            cb = component[b]
            if cb != ca:
                into[cb] = None
    for c, into in cycles.items():
        below[c] = tuple(into)
    return below


def _outside_cycles(
    adjacent: dict[str, tuple[str, ...]],
    component: dict[str, int],
    components: dict[int, list[str]],
) -> dict[str, tuple[str, ...]]:
    """The adjacency without the links inside a cycle (itself when there is no cycle)."""
    cycles = [members for members in components.values() if len(members) > 1]
    if not cycles:
        return adjacent
    out = dict(adjacent)
    for members in cycles:
        own = component[members[0]]
        for key in members:
            out[key] = tuple(k for k in adjacent[key] if component[k] != own)
    return out


def _topological(below: list[tuple[int, ...]]) -> list[int]:
    """Components in topological order, dependents first: Kahn's walk generation by
    generation, the order `nx.topological_sort` gives the condensation."""
    waiting = [0] * len(below)
    for deps in filter(None, below):  # most components wait on nothing
        for c in deps:
            waiting[c] += 1
    ready = list(compress(range(len(below)), map(not_, waiting)))
    order: list[int] = []
    while ready:
        generation, ready = ready, []
        for c in filter(below.__getitem__, generation):
            for d in below[c]:
                waiting[d] -= 1
                if not waiting[d]:
                    ready.append(d)
        order += generation
    return order


# ------------------------------------------------------------------ fan-in


@dataclass
class FanIn:
    """Which committed items depend, directly or not, on each item.

    Sets are bit masks over `committed` (bit i is committed[i]): one OR per
    dependency edge, done in C on machine words, so 20,000 items cost a few
    million word operations rather than a transitive closure in Python. Bits are
    ordered by team, then key, so a team's items are one contiguous range.
    """

    committed: list[str]
    index: dict[str, int]
    team_ranges: dict[str, tuple[int, int]]  # team -> [first bit, last bit + 1)
    count: dict[str, int] = field(default_factory=dict)  # item -> committed items that depend on it
    kept: dict[str, int] = field(default_factory=dict)  # bit masks kept for the items asked for
    by_team: dict[str, int] = field(
        default_factory=dict
    )  # team -> mask of what depends on its items
    _starts: list[tuple[int, int, str]] = field(
        init=False, default_factory=list
    )  # ranges by first bit

    def __post_init__(self) -> None:
        self._starts = sorted((lo, hi, team) for team, (lo, hi) in self.team_ranges.items())

    def mask_of(self, keys: Iterable[str]) -> int:
        mask = 0
        for key in keys:
            if key in self.index:
                mask |= 1 << self.index[key]
        return mask

    def team_mask(self, team: str) -> int:
        lo, hi = self.team_ranges.get(team, (0, 0))
        return ((1 << (hi - lo)) - 1) << lo

    def summary(self, mask: int, shown: int = 6) -> tuple[dict[str, int], list[str]]:
        """Committed items in a mask per team (largest first), and the first few keys, team by team."""
        bits = format(mask, "b")[::-1]
        counts = {}
        starts = self._starts
        pos = bits.find("1")
        while pos >= 0:  # one jump per team present, not one per team in the plan
            lo, hi, team = starts[bisect_right(starts, (pos, float("inf"), "")) - 1]
            counts[team] = bits.count("1", lo, hi)
            pos = bits.find("1", hi)
        first: list[str] = []
        pos = bits.find("1")
        while pos >= 0 and len(first) < shown:
            first.append(self.committed[pos])
            pos = bits.find("1", pos + 1)
        return dict(sorted(counts.items(), key=lambda x: (-x[1], x[0]))), first


def _fan_in_bits(
    og: OpenGraph, committed: Iterable[str], team_of: Callable[[str], str | None]
) -> FanIn:
    """An empty FanIn over the committed open items: bits by team, then key."""
    component = og.component
    by_team: dict[str, list[str]] = {}
    for key in committed:
        if key in component:
            team = team_of(key) or ""
            if team in by_team:
                by_team[team].append(key)
            else:
                by_team[team] = [key]
    chosen: list[str] = []
    ranges: dict[str, tuple[int, int]] = {}
    for team in sorted(by_team):
        keys = og.by_key(by_team[team])
        ranges[team] = (len(chosen), len(chosen) + len(keys))
        chosen += keys
    return FanIn(chosen, {k: i for i, k in enumerate(chosen)}, ranges)


def committed_fan_in(
    og: OpenGraph,
    committed: Iterable[str],
    team_of: Callable[[str], str | None],
    keep: Callable[[str, int], bool],
) -> FanIn:
    """Committed dependents of every open item; masks kept where `keep(key, count)` says so.
    Items with no team are grouped under the team ''."""
    result = _fan_in_bits(og, committed, team_of)
    index = result.index
    result.count = count = dict.fromkeys(og.order, 0)
    kept, by_team = result.kept, result.by_team
    components, below = og.components, og.below
    incoming: dict[int, int] = {}  # component -> what depends on it, read from its dependents
    for c in og.linked_levels:  # an item linked to no other has no committed dependents
        above = incoming.pop(c) if c in incoming else 0
        deps = below[c]
        members = components[c]
        if len(members) == 1:  # no other member depends on it
            key = members[0]
            own = 1 << index[key] if key in index else 0
            masks = [(key, above)]
        else:
            own = result.mask_of(members)
            masks = [
                (key, above | (own & ~(1 << index[key]) if key in index else own))
                for key in members
            ]
        for key, mask in masks:  # what depends on the item: its count, mask, team's mask
            if not mask:
                continue
            n = count[key] = mask.bit_count()
            if keep(key, n):
                kept[key] = mask
            owner = team_of(key)
            if owner:
                by_team[owner] = by_team[owner] | mask if owner in by_team else mask
        if deps:
            out = above | own
            for d in deps:
                incoming[d] = incoming[d] | out if d in incoming else out
    return result


def cut_points(og: OpenGraph, committed: Iterable[str]) -> set[str]:
    """Articulation points of the committed work: committed items and everything they wait on,
    as an undirected graph. Removing one splits that work in two."""
    succ = og.succ
    seen = {k for k in committed if k in og.component}
    stack = list(seen)
    while stack:
        for dep in succ[stack.pop()]:
            if dep not in seen:
                seen.add(dep)
                stack.append(dep)
    return articulation_points(seen, succ, og.pred)


def articulation_points(
    nodes: set[str], succ: dict[str, tuple[str, ...]], pred: dict[str, tuple[str, ...]]
) -> set[str]:
    """The articulation points of `nodes` with the links between them, either way round, as
    one undirected graph (the set `nx.articulation_points` gives): Hopcroft and Tarjan's
    depth-first walk, without recursion. A link is followed from either of its items."""
    discovered: dict[str, int] = {}
    low: dict[str, int] = {}
    cuts: set[str] = set()
    for root in nodes:
        if root in discovered or not (succ[root] or pred[root]):  # walked, or linked to none
            continue
        discovered[root] = low[root] = len(discovered)
        children = 0  # of the root in the walk: two or more make it a cut point
        stack = [(root, root, chain(succ[root], pred[root]))]
        while stack:
            parent, v, near = stack[-1]
            for w in near:
                if w in discovered:
                    if w != parent and discovered[w] < low[v]:
                        low[v] = discovered[w]
                elif w in nodes:
                    discovered[w] = low[w] = len(discovered)
                    stack.append((v, w, chain(succ[w], pred[w])))
                    break
            else:  # every neighbour of v walked
                stack.pop()
                if parent == v:  # the root
                    continue
                if parent == root:
                    children += 1
                elif low[v] >= discovered[parent]:
                    cuts.add(parent)
                if low[v] < low[parent]:
                    low[parent] = low[v]
        if children > 1:
            cuts.add(root)
    return cuts


# ------------------------------------------------------------------ dates and chains


def latest_due_below(og: OpenGraph, due: dict[str, dt.date]) -> dict[str, tuple[dt.date, str, str]]:
    """For each item, the latest due date among everything it waits on, directly or not:
    (that date, the item that has it, the direct dependency the path goes through)."""
    best: dict[str, tuple[dt.date, str, str]] = {}
    waits = og.waits
    for key in reversed(og.waiting):
        deps = waits[key]
        found: tuple[dt.date, str, str] | None = None
        for dep in deps:
            own = due.get(dep)
            if own is not None and (found is None or own > found[0]):
                found = (own, dep, dep)
            below = best.get(dep)
            if below is not None and (found is None or below[0] > found[0]):
                found = (below[0], below[1], dep)
        if found is not None:
            best[key] = found
    return best


def path_to(best: dict[str, tuple[dt.date, str, str]], start: str) -> list[str]:
    """The items from `start` to the one holding the latest date, following `latest_due_below`."""
    path, current = [start], start
    target = best[start][1]
    while current != target:
        current = best[current][2]
        path.append(current)
    return path


def team_handoffs(
    og: OpenGraph, team_of: Callable[[str], str | None]
) -> tuple[dict[str, int], dict[str, str]]:
    """Longest chain of hand-offs between teams below each item (longest path on the DAG of
    components, edges weighted 1 where the team changes): (hand-offs, next item on that chain)."""
    hops = dict.fromkeys(og.order, 0)  # an item that waits on nothing hands nothing on
    nxt: dict[str, str] = {}
    waits = og.waits
    for key in reversed(og.waiting):
        deps = waits[key]
        mine = team_of(key)
        best, via = -1, ""
        for dep in deps:
            theirs = team_of(dep)
            hop = hops[dep] + 1 if mine and theirs and mine != theirs else hops[dep]
            if hop > best:
                best, via = hop, dep
        hops[key] = best
        nxt[key] = via
    return hops, nxt


def shortest_cycle_through(
    succ: Mapping[str, Sequence[str]], start: str, members: set[str]
) -> list[str]:
    """A shortest dependency cycle from `start` back to itself, inside one component (BFS)."""
    parent: dict[str, str] = {}
    queue = deque([start])
    seen = {start}
    while queue:
        node = queue.popleft()
        for dep in succ[node]:
            if dep == start:
                path = [node]
                while path[-1] != start:
                    path.append(parent[path[-1]])
                return [*reversed(path), start]
            if dep in members and dep not in seen:
                seen.add(dep)
                parent[dep] = node
                queue.append(dep)
    return [start]


class Walks:
    """Paths that leave every item by one fixed link, read from any item.

    `step(key)` gives the next item and whether the path ends there, or None where the
    path ends at `key`. The length, last item and teams (each once, in path order; a
    team of None is skipped) of the path from an item are remembered, so reading the
    paths of every item visits each item once, not once per path through it: a plan
    of long chains costs what a plan of short ones does.
    """

    def __init__(
        self,
        step: Callable[[str], tuple[str, bool] | None],
        team: Callable[[str], str | None],
    ) -> None:
        self._step = step
        self._team = team
        self._length: dict[str, int] = {}
        self._last: dict[str, str] = {}
        self._teams: dict[str, tuple[str, ...]] = {}

    def next(self, key: str) -> str | None:
        link = self._step(key)
        return None if link is None else link[0]

    def first(self, start: str, n: int) -> list[str]:
        """The first n items of the path from `start` (the whole path if shorter)."""
        path, key = [start], start
        while len(path) < n and (link := self._step(key)) is not None:
            key, ends = link
            path.append(key)
            if ends:
                break
        return path

    def length(self, start: str) -> int:
        self._remember(start)
        return self._length[start]

    def last(self, start: str) -> str:
        self._remember(start)
        return self._last[start]

    def teams(self, start: str) -> tuple[str, ...]:
        self._remember(start)
        return self._teams[start]

    def _own(self, key: str, below: tuple[str, ...]) -> tuple[str, ...]:
        team = self._team(key)
        return below if team is None else (team, *(t for t in below if t != team))

    def _remember(self, start: str) -> None:
        above: list[str] = []
        key = start
        while key not in self._length:
            link = self._step(key)
            if link is None:
                self._length[key], self._last[key], self._teams[key] = 1, key, self._own(key, ())
                break
            nxt, ends = link
            if ends:
                self._length[key], self._last[key] = 2, nxt
                self._teams[key] = self._own(key, self._own(nxt, ()))
                break
            above.append(key)
            key = nxt
        for key in reversed(above):
            nxt = self._step(key)[0]  # type: ignore[index]
            self._length[key] = 1 + self._length[nxt]
            self._last[key] = self._last[nxt]
            self._teams[key] = self._own(key, self._teams[nxt])


def due_paths(
    best: dict[str, tuple[dt.date, str, str]], team: Callable[[str], str | None]
) -> Walks:
    """The paths `path_to` follows, from every item of `latest_due_below`, as `Walks`."""

    def step(key: str) -> tuple[str, bool] | None:
        found = best.get(key)
        return None if found is None else (found[2], found[2] == found[1])

    return Walks(step, team)


def cross_team_chains(og: OpenGraph, min_teams: int) -> tuple[list[tuple[str, int]], Walks]:
    """(head, hand-offs) of every chain of open work that hands work between min_teams teams or
    more, each once, at the head of its longest stretch (longest path on the graph of open work,
    cycles condensed), in natural key order; and the chains as `Walks` from their heads."""
    hops, nxt = og.handoffs
    team = og.team

    def step(a: str, b: str) -> int:
        return 1 if team[a] and team[b] and team[a] != team[b] else 0

    chained = og.waiting if min_teams > 1 else og.order  # a chain of two teams waits on one
    heads = [
        (key, hops[key])
        for key in og.by_key(k for k in chained if hops[k] + 1 >= min_teams)
        # not inside a longer chain that starts above it
        if not any(hops[up] == hops[key] + step(up, key) for up in og.needed_by(key))
    ]
    chains = Walks(lambda k: (nxt[k], False) if hops[k] > 0 else None, lambda k: team[k] or None)
    return heads, chains


def on_chains(heads: list[tuple[str, int]], chains: Walks) -> set[str]:
    """Every item on one of the chains: each item walked once, where chains share a tail."""
    seen: set[str] = set()
    for head, _ in heads:
        key: str | None = head
        while key is not None and key not in seen:
            seen.add(key)
            key = chains.next(key)
    return seen


def reach_and_callers(
    graph: dict[str, tuple[str, ...]], seeds: dict[str, int]
) -> tuple[dict[str, int], dict[str, int], list[str]]:
    """Over a graph of what calls what (S -> D: S calls D), for every node: the OR of the seed
    masks of the node and everything that calls it, directly or not; and a mask of those callers
    (bit i is names[i], the nodes in sorted order; the node itself left out). Both by one walk of
    the condensed graph, so a map of thousands of services costs no walk per service."""
    component, components, below, order = condense(graph)
    names = sorted(graph)
    bit = {name: 1 << i for i, name in enumerate(names)}
    own = [sum(map(bit.__getitem__, components[c])) for c in range(len(below))]
    callers_of: list[list[int]] = [[] for _ in below]
    for c, called in enumerate(below):
        for d in called:
            callers_of[d].append(c)
    reach = [0] * len(below)
    above = [0] * len(below)  # component -> the nodes that call it, directly or not
    for c in order:  # callers before what they call
        mask, callers = 0, 0
        for caller in callers_of[c]:
            mask |= reach[caller]
            callers |= above[caller] | own[caller]
        for name in components[c]:
            mask |= seeds.get(name, 0)
        reach[c], above[c] = mask, callers
    return (
        {name: reach[component[name]] for name in names},
        {name: (above[component[name]] | own[component[name]]) & ~bit[name] for name in names},
        names,
    )


def named_bits(mask: int, names: list[str], limit: int) -> list[str]:
    """The names of the first `limit` bits set in a mask (bit i is names[i])."""
    found: list[str] = []
    while mask and len(found) < limit:
        low = mask & -mask
        found.append(names[low.bit_length() - 1])
        mask ^= low
    return found
