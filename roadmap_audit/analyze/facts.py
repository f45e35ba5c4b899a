"""Facts: what the checks reason about, derived once from the Plan.

Item kinds, team names resolved against the staffing model, each team's
capacity, the dependency graphs and the org tree. Checks read Facts and never
a file; nothing here judges.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..load.effort import SIZES
from ..load.values import normalize_name, parse_quarter, quarter_bounds
from ..model import DataIssue, Item, ItemKind, Plan, Service, Team
from .capacity import CapacityParams, TeamCapacity, team_capacity
from .words import PhraseSet, fold

if TYPE_CHECKING:
    import networkx as nx

    from ..model import Forecast
    from .dependencies import OpenGraph


@dataclass(frozen=True)
class Vocabulary:
    """Keyword lists from rules/vocabulary.toml (and any extra rule folders)."""

    kinds: tuple[tuple[ItemKind, PhraseSet], ...]
    kind_values: dict[str, ItemKind]
    defect_types: PhraseSet = field(default_factory=lambda: PhraseSet(()))
    any_kind: PhraseSet | None = None  # every kind's words in one pattern: most items match none
    _defects: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)  # kind_raw -> is a defect

    def __post_init__(self) -> None:
        if self.any_kind is None:
            everything = PhraseSet(phrase for _, phrases in self.kinds for phrase in phrases.phrases)
            object.__setattr__(self, "any_kind", everything)

    @classmethod
    def from_file(cls, path: Path) -> Vocabulary:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        kinds = tuple((ItemKind(k), PhraseSet(v["words"])) for k, v in data.get("kinds", {}).items())
        values = {normalize_name(text): ItemKind(k) for k, texts in data.get("kind_values", {}).items()
                  for text in texts}
        return cls(kinds, values, PhraseSet(data.get("defect_types", {}).get("words", ())))

    def is_defect(self, item: Item) -> bool:
        """Whether the kind column calls the item a defect report (Bug, Sprint Defect, Error)."""
        raw = item.kind_raw
        if not raw:
            return False
        known = self._defects.get(raw)
        if known is None:
            known = self._defects[raw] = self.defect_types.find(raw) is not None
        return known

    def classify(self, item: Item) -> tuple[ItemKind, str]:
        """The item's kind and how it was decided (for the report)."""
        if item.kind_raw:
            kind = self.kind_values.get(normalize_name(item.kind_raw))
            if kind is not None:
                return kind, f"kind column says '{item.kind_raw}'"
            if self.is_defect(item):
                return ItemKind.ktlo, f"kind column says '{item.kind_raw}', a defect report: fixing it is KTLO"
        texts = tuple(fold(t) for t in (item.title, " ".join(item.labels), item.description) if t)
        # one search per text settles most items: a text no kind's words match in is no kind's
        if texts and self.any_kind.find_folded(*texts) is None:
            texts = ()
        for kind, phrases in self.kinds:
            word = phrases.find_folded(*texts)
            if word:
                return kind, f"'{word}' in its title, labels or description"
        return ItemKind.feature, "no kind given and no keyword matched; taken as a feature"


@dataclass
class Quarter:
    label: str | None
    start: dt.date | None
    end: dt.date | None
    weeks: float


def quarter_of(plan: Plan, override: str | None, default_weeks: float) -> Quarter:
    """The planning window: --quarter, then the Settings sheet, then the item dates."""
    s = plan.settings
    label = s.quarter
    start, end = s.start, s.end
    if override:
        year, q = parse_quarter(override)  # validated by the CLI
        label = f"{year}-Q{q}"
        start, end = quarter_bounds(year, q)
    elif label and not (start and end):
        year, q = parse_quarter(label)
        start, end = start or quarter_bounds(year, q)[0], end or quarter_bounds(year, q)[1]
    if not (start and end):
        starts = [i.start for i in plan.items if i.start]
        dues = [i.due for i in plan.items if i.due]
        if starts and dues:
            start, end = start or min(starts), end or max(dues)
    if start and end and end <= start:
        start = end = None  # items that all start after they are due, or a start past the quarter: no window
    if s.weeks and not override:
        weeks = s.weeks
    elif start and end and end > start:
        weeks = max(1.0, float(round(((end - start).days + 1) / 7)))
    else:
        weeks = default_weeks
    return Quarter(label, start, end, weeks)


@dataclass
class Facts:
    plan: Plan
    quarter: Quarter
    params: CapacityParams
    vocabulary: Vocabulary
    kinds: dict[str, ItemKind] = field(default_factory=dict)
    kind_reasons: dict[str, str] = field(default_factory=dict)
    items: dict[str, Item] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)  # canonical name -> team
    services: dict[str, Service] = field(default_factory=dict)
    items_by_team: dict[str, list[Item]] = field(default_factory=dict)
    capacity: dict[str, TeamCapacity] = field(default_factory=dict)
    issues: list[DataIssue] = field(default_factory=list)  # the loader's, plus what derive found
    _team_names: dict[str, str] = field(default_factory=dict)
    _resolved: dict[str, str] = field(default_factory=dict)  # names as written -> canonical (a cache)
    _service_names: dict[str, str] = field(default_factory=dict)
    forecast: Forecast | None = None  # the delivery forecast, set by the pipeline before the rules run

    def team_name(self, name: str | None) -> str | None:
        """The staffing model's spelling of a team name, or the name as written."""
        if name is None:
            return None
        known = self._resolved.get(name)
        if known is None:
            known = self._resolved[name] = self._team_names.get(normalize_name(name), name)
        return known

    def service_name(self, name: str | None) -> str | None:
        if name is None:
            return None
        return self._service_names.get(normalize_name(name), name)

    def team_of(self, item: Item) -> str | None:
        return self.team_name(item.team)

    def kind(self, item: Item) -> ItemKind:
        return self.kinds[item.key]

    def open_items(self) -> list[Item]:
        return [i for i in self.plan.items if not i.done]

    @cached_property
    def item_graph(self) -> nx.DiGraph:
        """Items and their dependencies: an edge A -> B means A depends on B."""
        import networkx as nx

        graph = nx.DiGraph()
        graph.add_nodes_from(self.items)
        for item in self.plan.items:
            for dep in item.depends_on:
                if dep in self.items and dep != item.key:
                    graph.add_edge(item.key, dep)
        return graph

    @cached_property
    def open_graph(self) -> OpenGraph:
        """Open items and their dependencies with cycles condensed, for the dependency rules."""
        from .dependencies import open_graph

        return open_graph(self)

    @cached_property
    def org_parent(self) -> dict[str, str | None]:
        """Unit or team -> the unit above it (None at a root)."""
        parent: dict[str, str | None] = {}
        for unit in self.plan.org:
            parent.setdefault(unit.unit, unit.parent)
        for team in self.teams.values():
            if team.parent:
                parent[team.team] = team.parent
            else:
                parent.setdefault(team.team, None)
        for p in list(parent.values()):
            if p is not None:
                parent.setdefault(p, None)
        return parent

    def ancestors(self, node: str) -> list[str]:
        """The node and every unit above it, nearest first (stops at a loop)."""
        chain, seen = [], set()
        current: str | None = node
        while current is not None and current not in seen:
            chain.append(current)
            seen.add(current)
            current = self.org_parent.get(current)
        return chain

    def owner_unit(self, teams: list[str] | tuple[str, ...]) -> str | None:
        """The lowest org unit that controls every one of these teams."""
        teams = [t for t in teams if t]
        if not teams:
            return None
        if len(set(teams)) == 1:
            return teams[0]
        chains = [self.ancestors(t) for t in teams]
        common = set(chains[0]).intersection(*map(set, chains[1:]))
        for node in chains[0]:
            if node in common:
                return node
        return None


def derive(plan: Plan, params: CapacityParams, vocabulary: Vocabulary, quarter: str | None = None) -> Facts:
    """Everything the checks need, computed once."""
    q = quarter_of(plan, quarter, params.weeks)
    facts = Facts(plan=plan, quarter=q, params=params, vocabulary=vocabulary)
    for team in plan.teams:
        facts.teams[team.team] = team
        facts._team_names[normalize_name(team.team)] = team.team
    for service in plan.services:
        facts.services.setdefault(service.service, service)
        facts._service_names[normalize_name(service.service)] = service.service
    by_team: dict[str, list[Item]] = defaultdict(list)
    for item in plan.items:
        facts.items.setdefault(item.key, item)
        kind, reason = vocabulary.classify(item)
        facts.kinds[item.key] = kind
        facts.kind_reasons[item.key] = reason
        team = facts.team_of(item)
        if team:
            by_team[team].append(item)
    facts.items_by_team = dict(by_team)
    facts.issues = list(plan.issues)
    sizes_note = _sizes_note(plan.items, params)
    if sizes_note:
        facts.issues.append(sizes_note)
    incidents: dict[str, float] = defaultdict(float)
    for incident in plan.incidents:
        owner = facts.team_name(incident.team)
        if owner is None and incident.service:
            svc = facts.services.get(facts.service_name(incident.service) or "")
            owner = facts.team_name(svc.owner_team) if svc else None
        if owner:
            incidents[owner] += 1
    for name, team in facts.teams.items():
        facts.capacity[name] = team_capacity(
            team, facts.items_by_team.get(name, []), params, weeks=q.weeks, incidents=incidents.get(name)
        )
    return facts


def _sizes_note(items: list[Item], params: CapacityParams) -> DataIssue | None:
    """One note saying how T-shirt sizes became engineer-weeks: the reader must know it is a convention."""
    sized = [i for i in items if i.estimate_size]
    if not sized:
        return None
    used = sorted({i.estimate_size for i in sized}, key=SIZES.index)
    table = ", ".join(f"{s} = {params.size_weeks[s]:g}" if s in params.size_weeks else f"{s} = no value (unestimated)"
                      for s in used)
    where = sized[0].ref.model_copy(update={"row": None, "column": None, "key": None})
    return DataIssue(ref=where, problem=(
        f"{len(sized)} item{'s are' if len(sized) > 1 else ' is'} estimated in T-shirt sizes, counted as "
        f"engineer-weeks: {table}; say what your sizes mean under [capacity] size_weeks in the config"))


def load_params(files: list[Path], overrides: dict[str, Any]) -> tuple[CapacityParams, dict[str, dict[str, Any]]]:
    """Capacity coefficients from capacity.toml files, then config overrides."""
    from .packparams import read_pack_params, validated

    values, described, where = read_pack_params(files, overrides, "capacity", set(CapacityParams.model_fields))
    params = validated(CapacityParams, values, where, "capacity",
                       "`roadmap-audit rules explain CAP001` shows every capacity coefficient")
    return params, described
