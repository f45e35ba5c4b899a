"""The dependency picture: which items to draw and where, as plain geometry.

Items sit in one horizontal lane per team. Columns are topological generations:
the work that must finish first on the left, what waits for it to the right
(items in a dependency cycle share a column and are joined by a loop). At most
`LIMIT` items are drawn: those on findings first, then the ends of cross-team
edges, then their neighbours, then the rest by how connected they are.

Only layout happens here; which edges exist and which cross teams comes from
the Audit.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, compress
from operator import attrgetter, methodcaller
from typing import NamedTuple

from ..analyze.dependencies import condense
from ..model import Audit, Finding, ItemSummary
from .view import NO_TEAM, severity_rank, shorten

LIMIT = 50
NEIGHBOURS_DRAWN = (
    2  # with each chosen item, up to this many of the items it waits for or that wait for it
)
NODE_W, NODE_H = 156, 40
COL_GAP, ROW_GAP = 52, 10
LANE_PAD, LABEL_W, MARGIN = 10, 132, 12
LOOP_ROOM = 36  # room on the right for the loops that draw cycles
LINE_CHARS = 23  # characters of a title on one line of a box (11 px text in 140 px)
LINE_H = 13  # px between the lines of a title
MAX_LINES = (
    6  # a title longer than this many lines ends in "…"; the box's <title> and label hold it whole
)


def title_lines(title: str, width: int = LINE_CHARS, most: int = MAX_LINES) -> list[str]:
    """A title wrapped at words onto at most `most` lines; only a title longer than that is cut, with "…"."""
    import textwrap

    lines = textwrap.wrap(
        " ".join(title.split()), width, break_long_words=True, break_on_hyphens=True
    ) or [""]
    if len(lines) <= most:
        return lines
    return [*lines[: most - 1], shorten(" ".join(lines[most - 1 :]), width)]


@dataclass
class Node:
    key: str
    label: str  # title, shortened to fit the box
    title: str  # full title, for the tooltip
    team: str
    x: float
    y: float
    severity: str | None  # worst finding on the item
    anchor: str | None  # the finding to jump to
    committed: bool
    done: bool
    w: float = NODE_W
    h: float = NODE_H
    lines: list[str] = field(
        default_factory=list
    )  # the title wrapped to the box: in full up to MAX_LINES


@dataclass
class Edge:
    item: str  # the item that waits
    depends_on: str  # the item it needs first
    path: str  # SVG path from depends_on to item
    cross_team: bool
    flagged: bool  # a dependency finding (inversion, cycle, chain) names both ends


@dataclass
class Lane:
    team: str
    y: float
    h: float
    label: str


@dataclass
class GraphView:
    nodes: list[Node]
    edges: list[Edge]
    lanes: list[Lane]
    width: float
    height: float
    shown: int  # items drawn
    total: int  # items with at least one dependency
    cross_team: list[tuple[str, str, str, str]] = field(
        default_factory=list
    )  # (item, team, depends_on, team)


_DIGITS = "0123456789"
_LOCATION, _KEY, _RULE = attrgetter("location"), attrgetter("key"), attrgetter("rule")
_ITEM, _DEPENDS_ON = attrgetter("item"), attrgetter("depends_on")
_CROSS_TEAM = attrgetter("cross_team")
_DEPENDENCY_RULE = methodcaller("startswith", "DEP")
_START = methodcaller("start")


class _Links(NamedTuple):
    """The plan's dependencies, read once: what waits, on what, and whether they cross teams."""

    waiting: list[str]
    needed: list[str]
    crossing: list[bool]

    @classmethod
    def of(cls, audit: Audit) -> _Links:
        deps = audit.dependencies
        return cls(
            list(map(_ITEM, deps)), list(map(_DEPENDS_ON, deps)), list(map(_CROSS_TEAM, deps))
        )

    def cross_team(self) -> list[tuple[str, str]]:
        """(item, depends on) of each dependency between teams, in the plan's order."""
        return list(compress(zip(self.waiting, self.needed, strict=True), self.crossing))


def _selected(links: _Links, flagged: dict[str, str], limit: int) -> tuple[list[str], int]:
    """The items to draw, most important first, and how many were candidates."""
    waiting, needed, crossing = links
    degree = Counter(waiting)
    degree.update(needed)
    neighbours: dict[str, set[str]] = defaultdict(set)
    for a, b in zip(waiting, needed, strict=True):
        neighbours[a].add(b)
        neighbours[b].add(a)
    cross = set(compress(waiting, crossing)) | set(compress(needed, crossing))
    universe = sorted(degree)
    first = {k for k in universe if k in flagged or k in cross}
    severity = {s: severity_rank(s) for s in {"info", *flagged.values()}}

    def rank(key: str) -> tuple:
        if key in flagged:
            tier = 0
        elif key in cross:
            tier = 1
        else:  # next to an item of the first two tiers, or not
            tier = 3 if first.isdisjoint(neighbours[key]) else 2
        return tier, severity[flagged.get(key, "info")], -degree[key], key

    # Each item comes with its most important neighbours, so that what is drawn has its
    # arrows: at org scale the flagged items alone would fill the picture as lone boxes.
    # Each key read below is drawn or was drawn already: at most 2 * limit + 1 are read.
    chosen: dict[str, None] = {}
    for key in heapq.nsmallest(2 * limit + 1, universe, key=rank):
        if len(chosen) >= limit:
            break
        if key in chosen:
            continue
        chosen[key] = None
        for other in sorted(neighbours[key] - chosen.keys(), key=rank)[:NEIGHBOURS_DRAWN]:
            if len(chosen) < limit:
                chosen[other] = None
    return list(chosen), len(universe)


_CELL = re.compile(r"^(?P<sheet>.*)!\$?[A-Z]{1,3}\$?(?P<row>[0-9]+)$")


def _row_of(location: str) -> tuple[str, str] | None:
    """("Items", "14") for the cell Items!H14: the row an item was read from."""
    m = _CELL.match(location)
    return (m.group("sheet"), m.group("row")) if m else None


def _drawn_cited(
    audit: Audit, drawn: set[str], asked: set[str], by_key: dict[str, ItemSummary]
) -> dict[str, str]:
    """Each location in `asked` that is about a drawn item -> that item. A location is about the
    item read from it (its own cell or Jira key) or, for any other cell, the item on its row.

    Rows are indexed only where a drawn item sits (`drawn`): a location on any other row names
    an item that is not drawn either. The last item read from a cell or row keeps it, as for
    every row; an item's key comes before a cell. `by_key`: each item by its key. Every item's
    location is read once, by one call."""
    items = audit.items
    locations = list(map(_LOCATION, items))
    by_location = {
        locations[j]: items[j].key
        for j in compress(range(len(items)), map(asked.__contains__, locations))
    }
    by_location.update({key: key for key in asked & by_key.keys()})  # a key before a cell
    rows = _drawn_rows(audit, locations, drawn, by_key)
    numbers = {number for _, number in rows}  # a cell's row number is its trailing digits
    on_rows = [  # the other cells asked for that may sit on a drawn item's row
        loc
        for loc in asked
        if loc not in by_location and loc[len(loc.rstrip(_DIGITS)) :] in numbers
    ]
    by_row = _last_on_rows(locations, {row for loc in on_rows if (row := _row_of(loc)) in rows})
    cited = {loc: key for loc, key in by_location.items() if key in drawn}
    for loc in on_rows:
        j = by_row.get(_row_of(loc))  # type: ignore[arg-type]
        if j is not None and (key := items[j].key) in drawn:
            cited[loc] = key
    return cited


def _drawn_rows(
    audit: Audit, locations: list[str], drawn: set[str], by_key: dict[str, ItemSummary]
) -> set[tuple[str, str]]:
    """The rows the drawn items were read from (`locations`: every item's, in order)."""
    if len(by_key) == len(audit.items):  # no key given twice: a drawn key is its one item
        drawn_at = [by_key[key].location for key in drawn if key in by_key]
    else:
        drawn_at = list(compress(locations, map(drawn.__contains__, map(_KEY, audit.items))))
    return set(filter(None, map(_row_of, drawn_at)))


def _last_on_rows(locations: list[str], rows: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """Each of `rows` -> the index of the last location on it (one search of the locations
    joined, for the cells whose trailing digits are a row's number)."""
    if not rows:
        return {}
    numbers = "|".join(sorted({number for _, number in rows}))
    text = "\n".join(locations)
    ends = re.compile(rf"!\$?[A-Z]{{1,3}}\$?(?:{numbers})$", re.MULTILINE)
    if text.count("\n") != len(locations) - 1:  # a location of more than one line: one by one
        places: Iterable[int] = (j for j, loc in enumerate(locations) if ends.search(loc))
    else:
        places = _lines_at(text, map(_START, ends.finditer(text)))
    found: dict[tuple[str, str], int] = {}
    for j in places:
        if (row := _row_of(locations[j])) in rows:
            found[row] = j
    return found


def _lines_at(text: str, offsets: Iterable[int]) -> Iterator[int]:
    """The line (from 0) of each offset of `text`, offsets in increasing order."""
    line = at = 0
    for offset in offsets:
        line += text.count("\n", at, offset)
        at = offset
        yield line


def _named(f: Finding, cited: dict[str, str]) -> set[str]:
    """The drawn items a finding names, and its subject when an item: those its evidence cites."""
    named = {cited[loc] for e in f.evidence if (loc := e.location) in cited}
    if f.subject.kind == "item":
        named.add(f.subject.id)
    return named


def _edges_on_dependency_findings(
    audit: Audit, edges: set[tuple[str, str]], by_key: dict[str, ItemSummary] | None = None
) -> set[tuple[str, str]]:
    """Edges whose two items are both cited by one dependency finding: its subject, or the cells and
    keys of its evidence (structured fields; the message is never read). `by_key`: each item by
    its key (the last read, for a key given twice), when the caller has them so."""
    waits_for: dict[str, list[str]] = defaultdict(list)
    for a, b in edges:
        waits_for[a].append(b)
    if not waits_for:
        return set()
    found = audit.findings
    findings = list(compress(found, map(_DEPENDENCY_RULE, map(_RULE, found))))
    if not findings:
        return set()
    asked = {e.location for f in findings for e in f.evidence}
    if by_key is None:
        by_key = {i.key: i for i in audit.items}
    cited = _drawn_cited(audit, {k for edge in edges for k in edge}, asked, by_key)
    marked: set[tuple[str, str]] = set()
    for f in findings:
        named = _named(f, cited)
        marked |= {(a, b) for a in named if a in waits_for for b in waits_for[a] if b in named}
    return marked


def _layers(keys: list[str], edges: list[tuple[str, str]]) -> dict[str, int]:
    """Column of each item: 0 for work that needs nothing drawn, then one more than what it needs
    (the items of a cycle share a column)."""
    waits: dict[str, dict[str, None]] = {key: {} for key in keys}
    for a, b in edges:
        waits.setdefault(b, {})
        if a != b:
            waits.setdefault(a, {})[b] = None
    component, _, below, order = condense({k: tuple(deps) for k, deps in waits.items()})
    column = [0] * len(below)
    for c in reversed(order):  # what an item needs before the item
        if below[c]:
            column[c] = 1 + max(map(column.__getitem__, below[c]))
    return {key: column[component[key]] for key in keys}


def _lane_order(by_risk: list[str], links: list[tuple[str, str]]) -> list[str]:
    """Lanes top to bottom: the riskiest team first, then each time the team with the most arrows to
    the lane just placed (then to any placed lane, then by risk), so arrows between lanes stay short."""
    if len(by_risk) <= 2:
        return by_risk
    weight: dict[tuple[str, str], int] = defaultdict(int)
    for a, b in links:
        if a != b:
            weight[(a, b)] += 1
            weight[(b, a)] += 1
    rank = {t: i for i, t in enumerate(by_risk)}
    placed = [by_risk[0]]
    left = set(by_risk[1:])
    while left:
        last = placed[-1]
        nxt = max(
            left, key=lambda t: (weight[(t, last)], sum(weight[(t, p)] for p in placed), -rank[t])
        )
        placed.append(nxt)
        left.remove(nxt)
    return placed


def _sweep(
    cells: dict[tuple[str, int], list[str]],
    edges: list[tuple[str, str]],
    lane_index: dict[str, int],
    n_cols: int,
) -> None:
    """Order the items of each cell so that edges cross as little as a few sweeps manage."""
    waits_for: dict[str, list[str]] = defaultdict(list)
    needed_by: dict[str, list[str]] = defaultdict(list)
    for a, b in edges:
        waits_for[a].append(b)
        needed_by[b].append(a)
    for sweep in range(4):
        pos = {
            k: lane_index[t] * 1000 + i for (t, _), ks in cells.items() for i, k in enumerate(ks)
        }
        near = waits_for if sweep % 2 == 0 else needed_by
        cols = range(n_cols) if sweep % 2 == 0 else range(n_cols - 1, -1, -1)

        def centre(k: str, near=near, pos=pos) -> tuple[float, str]:
            others = [pos[o] for o in near[k]]
            return (sum(others) / len(others) if others else pos[k]), k

        for col in cols:
            for (_team, c), ks in cells.items():
                if c == col:
                    ks.sort(key=centre)


@dataclass
class _Layout:
    """Where the lanes sit and how tall their boxes are."""

    lanes: list[Lane]
    rows: dict[str, int]  # the most boxes in one column of the lane
    node_h: dict[str, int]
    step: dict[str, int]
    bottom: int


def _lane_layout(
    cells: dict[tuple[str, int], list[str]],
    lanes_order: list[str],
    wrapped: dict[str, list[str]],
) -> _Layout:
    # the boxes of a lane are as tall as its longest title needs, so every title is read whole
    rows: dict[str, int] = defaultdict(int)
    longest: dict[str, int] = defaultdict(int)
    for (team, _), ks in cells.items():
        rows[team] = max(rows[team], len(ks))
        longest[team] = max([longest[team], *(len(wrapped[k]) for k in ks)])
    node_h = {t: NODE_H + LINE_H * (longest[t] - 1) for t in lanes_order}
    step = {t: node_h[t] + ROW_GAP for t in lanes_order}
    lanes: list[Lane] = []
    top = MARGIN
    for team in lanes_order:
        h = rows[team] * step[team] - ROW_GAP + 2 * LANE_PAD
        lanes.append(Lane(team=team, y=top, h=h, label=shorten(team, 18)))
        top += h + 4
    return _Layout(lanes=lanes, rows=dict(rows), node_h=node_h, step=step, bottom=top)


def _nodes(
    cells: dict[tuple[str, int], list[str]],
    layout: _Layout,
    items: dict[str, ItemSummary],
    wrapped: dict[str, list[str]],
    flagged: dict[str, str],
    anchors: dict[str, str],
) -> dict[str, Node]:
    lane_top = {lane.team: lane.y for lane in layout.lanes}
    nodes: dict[str, Node] = {}
    for (team, col), ks in cells.items():
        step = layout.step[team]
        offset = (layout.rows[team] - len(ks)) * step / 2
        for i, key in enumerate(ks):
            item = items.get(key)
            title = item.title if item else key
            nodes[key] = Node(
                key=key,
                label=shorten(title, 24),
                title=title,
                team=team,
                x=MARGIN + LABEL_W + col * (NODE_W + COL_GAP),
                y=lane_top[team] + LANE_PAD + offset + i * step,
                severity=flagged.get(key),
                anchor=anchors.get(key),
                committed=bool(item and item.committed),
                done=bool(item and item.done),
                h=layout.node_h[team],
                lines=wrapped[key],
            )
    return nodes


def _path(waiter: Node, first: Node) -> str:
    """An arrow from the work that must finish first to the item that waits for it."""
    x1, y1 = first.x + first.w, first.y + first.h / 2
    if waiter.x > first.x:
        x2, y2 = waiter.x, waiter.y + waiter.h / 2
        bend = max(24.0, (x2 - x1) / 2)
        return f"M{x1:.1f},{y1:.1f} C{x1 + bend:.1f},{y1:.1f} {x2 - bend:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
    # same column (a cycle): a loop out to the right and back
    x2, y2 = waiter.x + waiter.w, waiter.y + waiter.h / 2
    reach = LOOP_ROOM + abs(y2 - y1) / 6
    return f"M{x1:.1f},{y1:.1f} C{x1 + reach:.1f},{y1:.1f} {x2 + reach:.1f},{y2:.1f} {x2 + 3:.1f},{y2:.1f}"


def _team_of(items: dict[str, ItemSummary]) -> Callable[[str], str]:
    def team_of(key: str) -> str:
        item = items.get(key)
        return item.team if item and item.team else NO_TEAM

    return team_of


def _lanes_top_down(
    audit: Audit, keys: list[str], edges: list[tuple[str, str]], team_of: Callable[[str], str]
) -> list[str]:
    """The teams drawn, as lanes: riskiest first, then by the arrows between them."""
    order = [t.team for t in audit.teams]
    teams_here = {team_of(k) for k in keys}
    by_risk = [t for t in order if t in teams_here] + sorted(teams_here - set(order))
    return _lane_order(by_risk, [(team_of(a), team_of(b)) for a, b in edges])


def _edges(
    links: _Links, chosen: set[str], on_finding: Callable[[set[tuple[str, str]]], set]
) -> tuple[list[tuple[str, str]], set[tuple[str, str]]]:
    """The edges between drawn items, and those on a dependency finding."""
    edges = [
        (a, b)
        for a, b in zip(links.waiting, links.needed, strict=True)
        if a in chosen and b in chosen
    ]
    return edges, on_finding(set(edges))


def dependency_view(
    audit: Audit,
    flagged: dict[str, str],
    anchors: dict[str, str],
    limit: int = LIMIT,
    items: dict[str, ItemSummary] | None = None,
) -> GraphView | None:
    """The picture of the item dependency graph, or None when no item depends on another.

    `flagged` is each item's worst finding severity, `anchors` the finding to link to, `items` each
    item by its key when the caller has them so.
    """
    if not audit.dependencies:
        return None
    if items is None:
        items = {i.key: i for i in audit.items}
    links = _Links.of(audit)
    keys, total = _selected(links, flagged, limit)
    edges, on_finding = _edges(
        links, set(keys), lambda e: _edges_on_dependency_findings(audit, e, items)
    )
    crossing = links.cross_team()
    cross = set(crossing)
    column = _layers(keys, edges)
    team_of = _team_of(items)
    lanes_order = _lanes_top_down(audit, keys, edges, team_of)

    # cells: (team, column) -> items
    cells: dict[tuple[str, int], list[str]] = defaultdict(list)
    for key in sorted(keys):
        cells[(team_of(key), column[key])].append(key)
    lane_index = {t: i for i, t in enumerate(lanes_order)}
    n_cols = max(column.values(), default=0) + 1
    _sweep(cells, edges, lane_index, n_cols)

    wrapped = {k: title_lines(items[k].title if k in items else k) for k in keys}
    layout = _lane_layout(cells, lanes_order, wrapped)
    nodes = _nodes(cells, layout, items, wrapped, flagged, anchors)
    drawn = [
        Edge(
            item=a,
            depends_on=b,
            path=_path(nodes[a], nodes[b]),
            cross_team=(a, b) in cross,
            flagged=(a, b) in on_finding,
        )
        for a, b in edges
    ]
    # cross-team edges last, so they are drawn on top
    drawn.sort(key=lambda e: (e.cross_team, e.flagged, e.item, e.depends_on))
    team = {key: team_of(key) for key in set(chain.from_iterable(crossing))}  # each item's once
    listed = [(a, team[a], b, team[b]) for a, b in crossing]
    return GraphView(
        nodes=sorted(nodes.values(), key=lambda n: (lane_index[n.team], n.x, n.y)),
        edges=drawn,
        lanes=layout.lanes,
        width=MARGIN * 2 + LABEL_W + n_cols * (NODE_W + COL_GAP) - COL_GAP + LOOP_ROOM,
        height=layout.bottom + MARGIN - 4,
        shown=len(nodes),
        total=total,
        cross_team=listed,
    )
