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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx


if TYPE_CHECKING:
    from .facts import Facts

_DIGITS = re.compile(r"(\d+)")


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


def plain_keys(keys: list[str]) -> list[tuple[tuple[str, int, int], int]] | None:
    """Sort keys in the order `natural_key` gives where every key reads LETTERS-DIGITS or
    LETTERSDIGITS-DIGITS (ASCII, as Jira's PAY-123 or T006-12), cheaper to make and compare;
    None if one key does not.

    natural_key gives ("l-", n(D), "") for L-D and ("l", n(N), "-", n(D), "") for LN-D (l: the
    letters casefolded, n: a number's order). "-" sorts before every letter, so the letters
    decide as they do alone, except that with the same letters LN-D comes before L-D (as "l"
    before "l-"); then N and D decide, as numbers (18 digits at most, so int() reads them).
    A project's part is read once per project, not once per key."""
    out: list[tuple[tuple[str, int, int], int]] = []
    heads: dict[str, tuple[str, int, int] | None] = {}
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
        out.append((part, int(digits)))
    return out


def _plain_head(head: str) -> tuple[str, int, int] | None:
    """(letters casefolded, 0 if digits follow them else 1, those digits' number) of LETTERS or
    LETTERSDIGITS; None for anything else."""
    letters = head.rstrip(_ASCII_DIGITS)
    number = head[len(letters) :]
    if not (letters.isalpha() and letters.isascii() and len(number) <= 18):
        return None
    return letters.casefold(), 0 if number else 1, int(number or 0)


@dataclass
class OpenGraph:
    """Open items and their dependencies, with cycles condensed."""

    graph: nx.DiGraph
    component: dict[str, int]  # item -> id of its strongly connected component
    components: dict[int, list[str]]  # id -> members, in natural key order
    below: list[list[int]]  # component id -> the components it waits on (cycles condensed)
    levels: list[int]  # component ids in topological order, dependents first
    order: list[str]  # every item, dependents before what they wait on
    team: dict[str, str | None]  # item -> owning team, as the staffing model spells it

    def waits_on(self, key: str) -> Iterator[str]:
        """Direct dependencies of an item outside its own cycle."""
        own = self.component[key]
        return (s for s in self.graph.successors(key) if self.component[s] != own)

    def needed_by(self, key: str) -> Iterator[str]:
        """Items that depend directly on this one, outside its own cycle."""
        own = self.component[key]
        return (p for p in self.graph.predecessors(key) if self.component[p] != own)

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
        """Open items in natural key order."""
        return sorted(keys, key=self.rank.__getitem__)

    @cached_property
    def handoffs(self) -> tuple[dict[str, int], dict[str, str]]:
        """`team_handoffs` by the owning teams, computed once for the rules that read it."""
        return team_handoffs(self, self.team.__getitem__)


def open_graph(facts: Facts) -> OpenGraph:
    """Built once per run: use `facts.open_graph`."""
    import networkx as nx

    keys = [key for key, item in facts.items.items() if not item.done]
    is_open = set(keys)
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(keys)
    graph.add_edges_from((a, b) for a, b in facts.item_graph.edges if a in is_open and b in is_open)
    component, components = _strongly_connected(graph)
    below = _components_below(graph, component, len(components))
    levels = _topological(below)
    order = [key for c in levels for key in components[c]]
    team = {key: facts.team_of(facts.items[key]) for key in order}
    return OpenGraph(graph, component, components, below, levels, order, team)


def _strongly_connected(graph: nx.DiGraph) -> tuple[dict[str, int], dict[int, list[str]]]:
    """Item -> component id, and id -> members in natural key order, numbered as
    `nx.condensation` numbers them."""
    import networkx as nx

    component: dict[str, int] = {}
    components: dict[int, list[str]] = {}
    for c, members in enumerate(nx.strongly_connected_components(graph)):
        if len(members) == 1:  # most
            (key,) = members
            component[key] = c
            components[c] = [key]
        else:
            component.update(dict.fromkeys(members, c))
            components[c] = sorted(members, key=natural_key)
    return component, components


def _components_below(graph: nx.DiGraph, component: dict[str, int], n: int) -> list[list[int]]:
    """What each component waits on, each once, in the order of the graph's edges (the
    order `nx.condensation` gives its edges)."""
    below: list[dict[int, None]] = [{} for _ in range(n)]
    for a, deps in graph.adjacency():
        ca = component[a]
        for b in deps:
            cb = component[b]
            if cb != ca:
                below[ca][cb] = None
    return [list(d) for d in below]


def _topological(below: list[list[int]]) -> list[int]:
    """Components in topological order, dependents first: Kahn's walk generation by
    generation, the order `nx.topological_sort` gives the condensation."""
    waiting = [0] * len(below)
    for deps in below:
        for c in deps:
            waiting[c] += 1
    ready = [c for c, n in enumerate(waiting) if n == 0]
    order: list[int] = []
    while ready:
        generation, ready = ready, []
        for c in generation:
            for d in below[c]:
                waiting[d] -= 1
                if waiting[d] == 0:
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
    rank = og.rank
    chosen = sorted(
        (k for k in committed if k in og.component),
        key=lambda k: (team_of(k) or "", rank[k]),
    )
    ranges: dict[str, tuple[int, int]] = {}
    for i, key in enumerate(chosen):
        team = team_of(key) or ""
        ranges[team] = (ranges.get(team, (i, i))[0], i + 1)
    return FanIn(chosen, {k: i for i, k in enumerate(chosen)}, ranges)


def _record(
    result: FanIn,
    key: str,
    mask: int,
    team_of: Callable[[str], str | None],
    keep: Callable[[str, int], bool],
) -> None:
    """What depends on one item: its count, its mask where kept, and its team's mask."""
    n = mask.bit_count()
    result.count[key] = n
    if n and keep(key, n):
        result.kept[key] = mask
    owner = team_of(key)
    if owner and mask:
        result.by_team[owner] = result.by_team.get(owner, 0) | mask


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
    components, below = og.components, og.below
    incoming: dict[int, int] = {}  # component -> what depends on it, read from its dependents
    for c in og.levels:
        above = incoming.pop(c, 0)
        members = components[c]
        if len(members) == 1:  # no other member depends on it
            own = 1 << index[members[0]] if members[0] in index else 0
            _record(result, members[0], above, team_of, keep)
        else:
            own = result.mask_of(members)
            for key in members:
                mask = above | (own & ~(1 << index[key]) if key in index else own)
                _record(result, key, mask, team_of, keep)
        if below[c]:
            out = above | own
            for d in below[c]:
                incoming[d] = incoming.get(d, 0) | out
    return result


def cut_points(og: OpenGraph, committed: Iterable[str]) -> set[str]:
    """Articulation points of the committed work: committed items and everything they wait on,
    as an undirected graph. Removing one splits that work in two."""
    import networkx as nx

    seen = {k for k in committed if k in og.component}
    queue = deque(seen)
    while queue:
        for dep in og.graph.successors(queue.popleft()):
            if dep not in seen:
                seen.add(dep)
                queue.append(dep)
    return set(nx.articulation_points(nx.Graph(og.graph.subgraph(seen))))


# ------------------------------------------------------------------ dates and chains


def latest_due_below(og: OpenGraph, due: dict[str, dt.date]) -> dict[str, tuple[dt.date, str, str]]:
    """For each item, the latest due date among everything it waits on, directly or not:
    (that date, the item that has it, the direct dependency the path goes through)."""
    best: dict[str, tuple[dt.date, str, str]] = {}
    for key in reversed(og.order):
        found: tuple[dt.date, str, str] | None = None
        for dep in og.waits_on(key):
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
    hops: dict[str, int] = {}
    nxt: dict[str, str] = {}
    for key in reversed(og.order):
        best, via = 0, None
        mine = team_of(key)
        for dep in og.waits_on(key):
            theirs = team_of(dep)
            step = 1 if mine and theirs and mine != theirs else 0
            if via is None or step + hops[dep] > best:
                best, via = step + hops[dep], dep
        hops[key] = best
        if via is not None:
            nxt[key] = via
    return hops, nxt


def shortest_cycle_through(graph: nx.DiGraph, start: str, members: set[str]) -> list[str]:
    """A shortest dependency cycle from `start` back to itself, inside one component (BFS)."""
    parent: dict[str, str] = {}
    queue = deque([start])
    seen = {start}
    while queue:
        node = queue.popleft()
        for dep in graph.successors(node):
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

    heads = [
        (key, hops[key])
        for key in og.by_key(k for k in og.order if hops[k] + 1 >= min_teams)
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
    graph: nx.DiGraph, seeds: dict[str, int]
) -> tuple[dict[str, int], dict[str, int], list[str]]:
    """Over a graph of what calls what (S -> D: S calls D), for every node: the OR of the seed
    masks of the node and everything that calls it, directly or not; and a mask of those callers
    (bit i is names[i], the nodes in sorted order; the node itself left out). Both by one walk of
    the condensed graph, so a map of thousands of services costs no walk per service."""
    import networkx as nx

    condensed = nx.condensation(graph)
    names = sorted(graph)
    bit = {name: 1 << i for i, name in enumerate(names)}
    own = {c: sum(bit[m] for m in condensed.nodes[c]["members"]) for c in condensed}
    reach: dict[int, int] = {}
    above: dict[int, int] = {}  # component -> the nodes that call it, directly or not
    for c in nx.topological_sort(condensed):  # callers before what they call
        mask, callers = 0, 0
        for caller in condensed.predecessors(c):
            mask |= reach[caller]
            callers |= above[caller] | own[caller]
        for name in condensed.nodes[c]["members"]:
            mask |= seeds.get(name, 0)
        reach[c], above[c] = mask, callers
    mapping = condensed.graph["mapping"]
    return (
        {name: reach[mapping[name]] for name in names},
        {name: (above[mapping[name]] | own[mapping[name]]) & ~bit[name] for name in names},
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
