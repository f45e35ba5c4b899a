"""Facts: what the checks reason about, derived once from the Plan.

Item kinds, team names resolved against the staffing model, each team's
capacity, the dependency graphs and the org tree. Checks read Facts and never
a file; nothing here judges.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ..load.dates import quarter_bounds, required_quarter
from ..load.effort import SIZES
from ..load.words import normalize_name
from ..model import DataIssue, Item, ItemKind, Plan, Service, Team
from .capacity import CapacityParams, TeamCapacity, points_notes, team_capacity
from .planning import first_planned_notes
from .words import PhraseSet, fold

if TYPE_CHECKING:
    from ..model import Forecast
    from .dependencies import OpenGraph


_EMPTY = PhraseSet(())
_KEY, _SIZE = attrgetter("key"), attrgetter("estimate_size")
# The kinds whose rules a mention can set off wrongly: a document about a migration is no migration.
_CHANGE_KINDS = frozenset({ItemKind.migration, ItemKind.launch, ItemKind.tech_debt})
_WHAT_IT_IS = {
    "docs": "documentation",
    "tests": "a test or a verification",
    "investigation": "an investigation",
    "preparation": "preparation or review",
    "runbooks": "a runbook",
}
# Markers that make an item "other" only when it mentions a change (a migration, a launch, tech
# debt): a load test or an on-call runbook is reliability work, a migration runbook is not the
# migration.
_ONLY_ABOUT_CHANGES = frozenset({"tests", "runbooks"})
# "As a product manager, I want to roll out ... so that ...": what a user wants to do, not a change the team makes.
_USER_STORY = re.compile(
    r"^ (?:as an? |como |en tant que |als |jako )(?:\S+ ){1,6}?(?:i want|i need|i would like|"
    r"i can|quiero|necesito|je veux|ich mochte|ich will|chce) "
)
# how a kind read from a description's words is reasoned: the weakest signal (`Facts.kind_guessed`)
_FROM_DESCRIPTION = "kind from the description word '"
_DESCRIPTION_OPENING = (
    300  # characters of the description read for kind words: where people say what the work is
)


# (kind, reason, the label to weigh against the title's words) read from the kind column, a label
# or a component
_Said = tuple[ItemKind, str, str | None]


@dataclass(frozen=True)
class Reading:
    """An item's kind and the signal that decided it, for the report."""

    kind: ItemKind
    reason: str


@dataclass(frozen=True)
class Vocabulary:
    """How kinds are read: the lists of rules/vocabulary.toml (and any extra rule folders)."""

    kinds: tuple[tuple[ItemKind, PhraseSet], ...]
    kind_values: dict[str, ItemKind]
    defect_types: PhraseSet = _EMPTY
    any_kind: PhraseSet | None = None  # every kind's words in one pattern: most items match none
    defect_exact: frozenset[str] = frozenset()
    subtask_types: PhraseSet = _EMPTY
    subtask_exact: frozenset[str] = frozenset()
    not_the_work: tuple[tuple[str, PhraseSet], ...] = ()
    mentions: PhraseSet = _EMPTY
    occasions: re.Pattern[str] | None = None
    label_prefixes: frozenset[str] = frozenset()
    label_markers: dict[str, frozenset[str]] = field(default_factory=dict)
    label_loose: frozenset[str] = frozenset()
    _defects: dict[str, bool] = field(
        default_factory=dict, compare=False, repr=False
    )  # kind_raw -> is a defect
    # Labels and components repeat across a plan ("q3" on every issue): each is read once.
    _markers: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)
    _label_kinds: dict[str, ItemKind | None] = field(
        default_factory=dict, compare=False, repr=False
    )
    # a kind column value (and whether the plan is Jira's), a label, a component -> what it says
    _raw_said: dict[tuple[str, bool], _Said | None] = field(
        default_factory=dict, compare=False, repr=False
    )
    _label_said: dict[str, _Said | None] = field(default_factory=dict, compare=False, repr=False)
    _component_said: dict[str, _Said | None] = field(
        default_factory=dict, compare=False, repr=False
    )
    # (kind column value, whether the plan is Jira's, *labels) -> what they say and whether they
    # call the item a defect report: a plan repeats a few combinations ("Story" and "q3")
    _signals: dict[tuple[str | bool | None, ...], tuple[_Said | None, bool]] = field(
        default_factory=dict, compare=False, repr=False
    )
    _subtasks: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)
    _word_kinds: dict[str, frozenset[ItemKind]] = field(
        default_factory=dict, compare=False, repr=False
    )  # a kind word found -> the kinds whose phrase it is
    _titles: dict[str, _TitleWords] = field(default_factory=dict, compare=False, repr=False)
    _title_kinds: dict[str, tuple[ItemKind, str] | None] = field(
        default_factory=dict, compare=False, repr=False
    )
    _worded: dict[tuple[str, str | None], tuple[ItemKind, str]] = field(
        default_factory=dict, compare=False, repr=False
    )  # (title, description opening) -> what their words say
    # made from the lists above once, in __post_init__
    _any_kind: PhraseSet = field(init=False, compare=False, repr=False)
    _telling: PhraseSet = field(init=False, compare=False, repr=False)
    _feature: PhraseSet = field(init=False, compare=False, repr=False)
    _any_marker: PhraseSet = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        any_kind = self.any_kind
        if any_kind is None:
            any_kind = PhraseSet(phrase for _, phrases in self.kinds for phrase in phrases.phrases)
            object.__setattr__(self, "any_kind", any_kind)
        object.__setattr__(self, "_any_kind", any_kind)
        # Most titles hold no word of a kind beyond feature's and no marker: one search settles them.
        telling = PhraseSet(
            [
                *(
                    p
                    for kind, phrases in self.kinds
                    if kind is not ItemKind.feature
                    for p in phrases.phrases
                ),
                *(p for _, phrases in self.not_the_work for p in phrases.phrases),
            ]
        )
        object.__setattr__(self, "_telling", telling)
        object.__setattr__(
            self, "_feature", next((ph for k, ph in self.kinds if k is ItemKind.feature), _EMPTY)
        )
        object.__setattr__(
            self,
            "_any_marker",
            PhraseSet(p for _, phrases in self.not_the_work for p in phrases.phrases),
        )

    @classmethod
    def from_file(cls, path: Path) -> Vocabulary:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        kinds = tuple(
            (ItemKind(k), PhraseSet(v["words"])) for k, v in data.get("kinds", {}).items()
        )
        values = {
            normalize_name(text): ItemKind(k)
            for k, texts in data.get("kind_values", {}).items()
            for text in texts
        }
        defects, subtasks = data.get("defect_types", {}), data.get("subtask_types", {})
        work = data.get("not_the_work", {})
        mentions = data.get("mentions", {})
        occasions = None
        if mentions.get("occasions") and mentions.get("occasion_of"):
            before = "|".join(re.escape(fold(w).strip()) for w in mentions["occasions"])
            change = "|".join(re.escape(fold(w).strip()) for w in mentions["occasion_of"])
            occasions = re.compile(rf"(?<= )(?:{before})(?: [a-z0-9]+){{0,3}}? (?:{change})(?= )")
        markers = data.get("label_markers", {})
        return cls(
            kinds,
            values,
            PhraseSet(defects.get("words", ())),
            defect_exact=frozenset(w.casefold() for w in defects.get("exact", ())),
            subtask_types=PhraseSet(subtasks.get("words", ())),
            subtask_exact=frozenset(w.casefold() for w in subtasks.get("exact", ())),
            not_the_work=tuple((name, PhraseSet(words)) for name, words in work.items()),
            mentions=PhraseSet(
                [*mentions.get("words", ()), *data.get("practices", {}).get("words", ())]
            ),
            occasions=occasions,
            label_prefixes=frozenset(markers.get("prefixes", ())),
            label_markers={
                k: frozenset(v) for k, v in markers.items() if k not in ("prefixes", "loose")
            },
            label_loose=frozenset(normalize_name(w) for w in markers.get("loose", ())),
        )

    def _is_defect_name(self, text: str) -> bool:
        known = self._defects.get(text)
        if known is None:
            known = self._defects[text] = (
                text.strip().casefold() in self.defect_exact
                or self.defect_types.find(text) is not None
            )
        return known

    def is_defect(self, item: Item) -> bool:
        """Whether the kind column (Issue Type) or a label calls the item a defect report (Bug, Error, C-bug)."""
        return self._signals_of(item)[1]

    def is_subtask(self, item: Item) -> bool:
        raw = item.kind_raw
        if not raw:
            return False
        try:
            return self._subtasks[raw]
        except KeyError:
            said = self._subtasks[raw] = (
                raw.strip().casefold() in self.subtask_exact
                or self.subtask_types.find(raw) is not None
            )
            return said

    def _label_marker(self, label: str) -> str | None:
        """ "docs", "tests", "investigation" or "defects" when every word of the label says so."""
        try:
            return self._markers[label]
        except KeyError:
            marker = self._markers[label] = self._read_marker(label)
            return marker

    def _read_marker(self, label: str) -> str | None:
        words = [w for w in fold(label).split() if w not in self.label_prefixes]
        if not words:
            return None
        for name, vocabulary in self.label_markers.items():
            if all(w in vocabulary for w in words):
                return name
        return None

    def _label_kind(self, label: str) -> ItemKind | None:
        """The kind a label or component names (never "feature": too loose to decide)."""
        try:
            return self._label_kinds[label]
        except KeyError:
            kind = self._label_kinds[label] = self._read_label_kind(label)
            return kind

    def _read_label_kind(self, label: str) -> ItemKind | None:
        words = [w for w in fold(label).split() if w not in self.label_prefixes]
        if normalize_name(label) in self.label_loose or "".join(words) in self.label_loose:
            return None
        kind = self.kind_values.get(normalize_name(label)) or self.kind_values.get("".join(words))
        return (
            kind if kind not in (None, ItemKind.feature) else None
        )  # a "feature" label is too loose to decide

    def classify(
        self, item: Item, parent: tuple[str, Reading] | None = None
    ) -> tuple[ItemKind, str]:
        """The item's kind and the signal that decided it (for the report).

        Structure first: the kind column / Issue Type, a label or component, the parent of a
        sub-task; then the title's words, then the opening of the description.
        """
        said = self._signals_of(item)[0] or self._component(item.services)
        if said is not None:
            return self._said(item, said)
        if parent is not None and self.is_subtask(item):
            key, reading = parent
            if reading.kind not in (
                ItemKind.migration,
                ItemKind.launch,
            ) and not reading.reason.startswith("no kind"):
                return (
                    reading.kind,
                    f"kind from its parent {key}, a sub-task being a step of it ({reading.reason})",
                )
        return self._from_words(item)

    def read(self, item: Item) -> tuple[ItemKind, str, bool]:
        """`classify` and `is_defect` of an item with no parent, in one pass over its values
        (called for every item: each step is one lookup of what was read before)."""
        raw, labels = item.kind_raw, item.labels
        if raw or labels:
            key = (raw, bool(item.ref.key), *labels)
            try:
                said, defect = self._signals[key]
            except KeyError:
                said, defect = self._signals_of(item)
        else:  # no kind column value and no label: nothing said, no defect (most plans' items)
            said, defect = None, False
        if said is None and item.services:
            said = self._component(item.services)
        if said is not None:
            kind, reason = self._said(item, said)
            return kind, reason, defect
        description = item.description
        words = (item.title, description[:_DESCRIPTION_OPENING] if description else None)
        try:
            kind, reason = self._worded[words]
        except KeyError:
            kind, reason = self._worded[words] = self._read_words(*words)
        return kind, reason, defect

    def _said(self, item: Item, said: _Said) -> tuple[ItemKind, str]:
        """The kind the structure says, unless the title says the work is about the change its
        label names ("Write the migration guide" under the label "migration")."""
        kind, reason, label = said
        if label is not None and (in_title := self._title_words(item.title).marker):
            name, word = in_title
            return ItemKind.other, (
                f"kind from the title word '{word}': {_WHAT_IT_IS[name]} about the "
                f"{kind.value} its label '{label}' names, not the {kind.value} itself"
            )
        return kind, reason

    def _signals_of(self, item: Item) -> tuple[_Said | None, bool]:
        """What the kind column or a label says, and whether either calls the item a defect
        report: read once per distinct combination (a plan repeats them on every issue)."""
        keyed = bool(item.ref.key)
        key = (item.kind_raw, keyed, *item.labels)
        try:
            return self._signals[key]
        except KeyError:
            found = self._signals[key] = self._read_signals(item.kind_raw, keyed, item.labels)
            return found

    def _read_signals(
        self, raw: str | None, keyed: bool, labels: list[str]
    ) -> tuple[_Said | None, bool]:
        said = None
        if raw:
            raw_key = (raw, keyed)
            try:
                said = self._raw_said[raw_key]
            except KeyError:
                said = self._raw_said[raw_key] = self._read_raw(raw, keyed)
        for label in labels if said is None else ():
            try:
                said = self._label_said[label]
            except KeyError:
                said = self._label_said[label] = self._read_label(label)
            if said is not None:
                break
        defect = bool(raw and self._is_defect_name(raw)) or any(
            self._label_marker(label) == "defects" for label in labels
        )
        return said, defect

    def _component(self, components: list[str]) -> _Said | None:
        """What the first component naming a kind says: each distinct component is read once."""
        for component in components:
            try:
                said = self._component_said[component]
            except KeyError:
                kind = self._label_kind(component)
                said = self._component_said[component] = (
                    None if kind is None else (kind, f"kind from the component '{component}'", None)
                )
            if said is not None:
                return said
        return None

    def _read_raw(self, raw: str, keyed: bool) -> _Said | None:
        column = "Issue Type" if keyed else "kind column"
        kind = self.kind_values.get(normalize_name(raw))
        if kind is not None:
            said = f"kind from Issue Type '{raw}'" if keyed else f"kind column says '{raw}'"
            return kind, said, None
        if self._is_defect_name(raw):
            said = f"kind from Issue Type '{raw}'" if keyed else f"{column} says '{raw}'"
            return ItemKind.ktlo, f"{said}, a defect report: fixing it is KTLO", None
        return None

    def _read_label(self, label: str) -> _Said | None:
        marker = self._label_marker(label)
        if marker == "defects":
            return (
                ItemKind.ktlo,
                f"kind from the label '{label}', a defect report: fixing it is KTLO",
                None,
            )
        if marker:
            return ItemKind.other, f"kind from the label '{label}': {_WHAT_IT_IS[marker]}", None
        kind = self._label_kind(label)
        if kind is None:
            return None
        return kind, f"kind from the label '{label}'", label if kind in _CHANGE_KINDS else None

    def _clean(self, folded: str) -> str:
        """Folded text without the phrases that only mention a change ("release notes", "for the Q3 launch")."""
        text = self.mentions.blank_folded(folded)
        if self.occasions is not None:
            text = self.occasions.sub(" ", text)
        return text

    def _marker(self, title: str) -> tuple[str, str] | None:
        """(category, word) when the folded title says it is documentation, a test, an investigation or
        preparation; the first category listed wins (one search, then each word found told apart)."""
        words = self._any_marker.find_all_folded(title)
        if not words:
            return None
        for name, phrases in self.not_the_work:
            for word in words:
                if phrases.find_folded(f" {word} ") == word:
                    return name, word
        return None

    def _kind_word(self, text: str) -> tuple[ItemKind, str] | None:
        """The first kind listed any of whose words the folded text holds, and that word."""
        return self._first_kind(self._any_kind.find_all_folded(text))

    def _first_kind(self, words: list[str]) -> tuple[ItemKind, str] | None:
        for kind, _ in self.kinds:
            for word in words:
                # the whole phrase is this kind's ("move to production")
                if kind in self._kinds_of(word):
                    return kind, word
        return None

    def _kinds_of(self, word: str) -> frozenset[ItemKind]:
        """The kinds one of whose phrases is the whole word found, read once per word."""
        try:
            return self._word_kinds[word]
        except KeyError:
            kinds = self._word_kinds[word] = frozenset(
                kind for kind, phrases in self.kinds if phrases.find_folded(f" {word} ") == word
            )
            return kinds

    def _clean_kind_word(self, folded: str) -> tuple[ItemKind, str] | None:
        """`_kind_word` of the text once cleaned of mentions. A text with no kind word has none
        once cleaned (taking phrases out joins no words), so most texts are not cleaned."""
        words = self._any_kind.find_all_folded(folded)
        if not words:
            return None
        cleaned = self._clean(folded)
        if cleaned != folded:
            words = self._any_kind.find_all_folded(cleaned)
        return self._first_kind(words)

    def _from_words(self, item: Item) -> tuple[ItemKind, str]:
        """The kind the title's words (then the description's opening) say; read once per
        distinct title and opening (plans repeat titles: "QA", "Release notes", one per service)."""
        opening = item.description[:_DESCRIPTION_OPENING] if item.description else None
        key = (item.title, opening)
        try:
            return self._worded[key]
        except KeyError:
            found = self._worded[key] = self._read_words(item.title, opening)
            return found

    def _title_words(self, raw: str) -> _TitleWords:
        """What a title's words say, read once per distinct title."""
        try:
            return self._titles[raw]
        except KeyError:
            title = fold(raw)
            if self._telling.find_folded(title) is None:  # most titles
                # every marker is a telling word: a title with none has no marker
                said = _TitleWords(title, False, None, self._feature.find_folded(title))
            else:
                said = _TitleWords(title, True, self._marker(title), None)
            self._titles[raw] = said
            return said

    def _feature_words(self, t: _TitleWords, opening: str | None) -> tuple[ItemKind, str]:
        """A feature: neither the title nor the folded opening holds a word of another kind."""
        if t.feature:
            return ItemKind.feature, f"kind from the title word '{t.feature}'"
        word = self._feature.find_folded(opening) if opening else None
        if word:
            return ItemKind.feature, f"{_FROM_DESCRIPTION}{word}'"
        return ItemKind.feature, "no kind given and no keyword matched; taken as a feature"

    def _title_kind(self, t: _TitleWords) -> tuple[ItemKind, str] | None:
        """The first kind word of a title, once mentions are taken out (read when asked for)."""
        try:
            return self._title_kinds[t.folded]
        except KeyError:
            found = self._title_kinds[t.folded] = self._clean_kind_word(t.folded)
            return found

    def _read_words(self, raw_title: str, raw_opening: str | None) -> tuple[ItemKind, str]:
        """What a title and a description's opening say; the opening is folded only when it is
        read (not when the title's own kind word settles it)."""
        t = self._title_words(raw_title)
        opening = None
        if not t.telling:
            opening = fold(raw_opening) if raw_opening else None
            if opening is None or self._telling.find_folded(opening) is None:
                return self._feature_words(t, opening)
        marker = t.marker
        found = None
        in_title = self._title_kind(t)
        if in_title:
            found = (*in_title, "title")
        elif raw_opening:  # the description is read only when the title names no kind
            hit = self._clean_kind_word(opening if opening is not None else fold(raw_opening))
            if hit:
                found = (*hit, "description")
        if marker:
            name, word = marker
            what = _WHAT_IT_IS[name]
            if found is not None and (
                found[0] in _CHANGE_KINDS
                or (found[0] is ItemKind.reliability and name not in _ONLY_ABOUT_CHANGES)
            ):
                mentioned, mention = found[0].value, found[1]
                return ItemKind.other, (
                    f"kind from the title word '{word}': {what} about the {mentioned} "
                    f"it mentions ('{mention}'), not the {mentioned} itself"
                )
            if name not in _ONLY_ABOUT_CHANGES and (found is None or found[0] is ItemKind.feature):
                return ItemKind.other, f"kind from the title word '{word}': {what}"
        if found is None:
            return ItemKind.feature, "no kind given and no keyword matched; taken as a feature"
        kind, word, where = found
        if kind in (ItemKind.migration, ItemKind.launch) and _USER_STORY.match(t.folded):
            return ItemKind.feature, (
                f"a user story: '{word}' says what its user wants to do, "
                f"not a {kind.value} the team makes"
            )
        return kind, f"kind from the {where} word '{word}'"


class _TitleWords(NamedTuple):
    """A folded title and what its words say: read once per distinct title (a named tuple: made
    for every distinct title of a plan, and a tuple is made at C speed)."""

    folded: str
    telling: bool  # a word of a kind other than feature, or a marker (docs, tests...)
    marker: tuple[str, str] | None  # (category, word): documentation, a test...
    feature: str | None  # the first feature word of a title with no telling word


class ItemGraph:
    """Items and their dependencies as adjacency lists: an edge A -> B means A depends on B.

    Every item's key is a node, in the plan's order; each node's successors are the keys it
    depends on, in the order first written, each once, never itself. The calls are networkx's
    (`successors`, `adjacency`, `edges`, `in`): a plan of 100,000 items is a dict of tuples,
    not a graph object of 100,000 dicts."""

    __slots__ = ("succ", "_pred")

    def __init__(self, succ: dict[str, tuple[str, ...]]) -> None:
        self.succ = succ
        self._pred: dict[str, list[str]] | None = None

    def __contains__(self, key: object) -> bool:
        return key in self.succ

    def successors(self, key: str) -> Iterator[str]:
        return iter(self.succ[key])

    @property
    def pred(self) -> dict[str, list[str]]:
        """Each item that others depend on -> those items (the reverse lists, made when first
        asked for; an item nothing depends on is not a key)."""
        if self._pred is None:
            pred: dict[str, list[str]] = {}
            for a, deps in self.succ.items():
                for b in deps:
                    pred.setdefault(b, []).append(a)
            self._pred = pred
        return self._pred

    def predecessors(self, key: str) -> Iterator[str]:
        """The items that depend on this one."""
        if key not in self.succ:
            raise KeyError(key)
        return iter(self.pred.get(key, ()))

    def adjacency(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        return iter(self.succ.items())

    @property
    def edges(self) -> Iterator[tuple[str, str]]:
        return ((a, b) for a, deps in self.succ.items() for b in deps)


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
        year, q = required_quarter(override)  # validated by the CLI
        label = f"{year}-Q{q}"
        start, end = quarter_bounds(year, q)
    elif label and not (start and end):
        year, q = required_quarter(label)
        start, end = start or quarter_bounds(year, q)[0], end or quarter_bounds(year, q)[1]
    if not (start and end):
        starts = [i.start for i in plan.items if i.start]
        dues = [i.due for i in plan.items if i.due]
        if starts and dues:
            start, end = start or min(starts), end or max(dues)
    if start and end and end <= start:
        start = end = (
            None  # items that all start after they are due, or a start past the quarter: no window
        )
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
    defect_work: set[str] = field(default_factory=set)  # defect reports and their sub-tasks
    items: dict[str, Item] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)  # canonical name -> team
    services: dict[str, Service] = field(default_factory=dict)
    items_by_team: dict[str, list[Item]] = field(default_factory=dict)
    capacity: dict[str, TeamCapacity] = field(default_factory=dict)
    issues: list[DataIssue] = field(default_factory=list)  # the loader's, plus what derive found
    _team_names: dict[str, str] = field(default_factory=dict)
    # names as written -> canonical (a cache; no team stays no team)
    _resolved: dict[str | None, str | None] = field(default_factory=lambda: {None: None})
    _service_names: dict[str, str] = field(default_factory=dict)
    _service_resolved: dict[str, str] = field(default_factory=dict)  # as written -> canonical
    # a unit or team -> its chain of units upwards and the same as a set (ancestors, owner_unit)
    _chains: dict[str, tuple[tuple[str, ...], frozenset[str]]] = field(default_factory=dict)
    forecast: Forecast | None = (
        None  # the delivery forecast, set by the pipeline before the rules run
    )

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
        known = self._service_resolved.get(name)
        if known is None:  # each spelling normalized once (called for every item's services)
            known = self._service_resolved[name] = self._service_names.get(
                normalize_name(name), name
            )
        return known

    def team_of(self, item: Item) -> str | None:
        """The item's team as the staffing model spells it (one dict lookup once a name is seen)."""
        try:
            return self._resolved[item.team]
        except KeyError:
            return self.team_name(item.team)

    def kind(self, item: Item) -> ItemKind:
        return self.kinds[item.key]

    def kind_guessed(self, key: str) -> bool:
        """Whether only words of the item's description say its kind: no kind column, label,
        component, parent or title word does. Descriptions tell the background too ("clients
        migrated last quarter"), so a check holds a finding that rests on such a kind below
        its loudest severity."""
        return self.kind_reasons[key].startswith(_FROM_DESCRIPTION)

    def open_items(self) -> list[Item]:
        return [i for i in self.plan.items if not i.done]

    @cached_property
    def item_graph(self) -> ItemGraph:
        """Items and their dependencies: an edge A -> B means A depends on B."""
        items = self.items
        none: tuple[str, ...] = ()
        succ = dict.fromkeys(items, none)
        for item in self.plan.items:
            if item.depends_on:  # most items depend on nothing: one attribute read each
                key = item.key
                deps = [d for d in item.depends_on if d in items and d != key]
                if deps:
                    succ[key] = tuple(dict.fromkeys((*succ[key], *deps)))
        return ItemGraph(succ)

    @cached_property
    def open_graph(self) -> OpenGraph:
        """Open items and their dependencies with cycles condensed, for the dependency rules."""
        from .dependencies import open_graph

        return open_graph(self)

    @cached_property
    def open_items_by_service(self) -> dict[str, list[Item]]:
        """Open items per service they touch, in plan order: read by several rules, built once."""
        from .servicemap import open_items_by_service

        return open_items_by_service(self)

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

    def _chain(self, node: str) -> tuple[tuple[str, ...], frozenset[str]]:
        """The node's chain of units upwards, and the same as a set: walked once per node."""
        try:
            return self._chains[node]
        except KeyError:
            chain: list[str] = []
            seen: set[str] = set()
            current: str | None = node
            parent = self.org_parent
            while current is not None and current not in seen:
                chain.append(current)
                seen.add(current)
                current = parent.get(current)
            found = self._chains[node] = (tuple(chain), frozenset(seen))
            return found

    def ancestors(self, node: str) -> tuple[str, ...]:
        """The node and every unit above it, nearest first (stops at a loop)."""
        return self._chain(node)[0]

    def owner_unit(self, teams: list[str] | tuple[str, ...]) -> str | None:
        """The lowest org unit that controls every one of these teams."""
        named = list(dict.fromkeys(t for t in teams if t))
        if len(named) <= 1:
            return named[0] if named else None
        first, common = self._chain(named[0])
        for team in named[1:]:
            common = common & self._chain(team)[1]
            if not common:
                return None
        for node in first:
            if node in common:
                return node
        return None


def derive(
    plan: Plan, params: CapacityParams, vocabulary: Vocabulary, quarter: str | None = None
) -> Facts:
    """Everything the checks need, computed once."""
    q = quarter_of(plan, quarter, params.weeks)
    facts = Facts(plan=plan, quarter=q, params=params, vocabulary=vocabulary)
    for team in plan.teams:
        facts.teams[team.team] = team
        facts._team_names[normalize_name(team.team)] = team.team
    for service in plan.services:
        facts.services.setdefault(service.service, service)
        facts._service_names[normalize_name(service.service)] = service.service
    facts.items = dict(zip(map(_KEY, plan.items), plan.items, strict=True))
    if len(facts.items) < len(plan.items):  # a key written twice: its first item is the item
        facts.items = {}
        for item in plan.items:
            facts.items.setdefault(item.key, item)
    facts.items_by_team = _read_items(facts, vocabulary)
    incidents: dict[str, float] = defaultdict(float)
    for incident in plan.incidents:
        if incident.paged:  # counted once, as a page (pages_per_week), never again as an incident
            continue
        owner = facts.team_name(incident.team)
        if owner is None and incident.service:
            svc = facts.services.get(facts.service_name(incident.service) or "")
            owner = facts.team_name(svc.owner_team) if svc else None
        if owner:
            incidents[owner] += 1
    for name, team in facts.teams.items():
        facts.capacity[name] = team_capacity(
            team,
            facts.items_by_team.get(name, []),
            params,
            weeks=q.weeks,
            incidents=incidents.get(name),
        )
    facts.issues = list(plan.issues)
    sizes_note = _sizes_note(plan.items, params)
    if sizes_note:
        facts.issues.append(sizes_note)
    facts.issues.extend(points_notes(facts.items_by_team, facts.teams, facts.capacity))
    facts.issues.extend(first_planned_notes(plan.items))
    return facts


def _read_items(facts: Facts, vocabulary: Vocabulary) -> dict[str, list[Item]]:
    """Every item's kind (and whether it is defect work), and the items of each team: one pass."""
    by_team: dict[str, list[Item]] = defaultdict(list)
    kinds, reasons, defects = facts.kinds, facts.kind_reasons, facts.defect_work
    read, resolved = vocabulary.read, facts._resolved
    for item in facts.plan.items:
        key = item.key
        if key in kinds:  # a parent read with its sub-task, or a key seen before: read once
            pass
        elif item.parent:
            _classify(facts, vocabulary, item)
        else:  # most items: no chain of parents to walk
            kinds[key], reasons[key], defect = read(item)
            if defect:
                defects.add(key)
        try:  # team_of, without a call per item
            owner = resolved[item.team]
        except KeyError:
            owner = facts.team_name(item.team)
        if owner:
            by_team[owner].append(item)
    return dict(by_team)


def _classify(facts: Facts, vocabulary: Vocabulary, item: Item) -> None:
    """The item's kind, its parents' first (a sub-task takes its parent's kind).

    Walks up the parent chain without recursion, so a chain of any depth or a loop of
    parents cannot crash the audit; then reads kinds from the top down.
    """
    if item.key in facts.kinds:
        return
    chain, seen = [item], {item.key}
    above = facts.items.get(item.parent) if item.parent else None
    while above is not None and above.key not in seen and above.key not in facts.kinds:
        chain.append(above)
        seen.add(above.key)
        above = facts.items.get(above.parent) if above.parent else None
    for current in reversed(chain):
        parent = facts.items.get(current.parent) if current.parent else None
        reading = None
        if parent is not None and parent.key in facts.kinds:
            reading = (parent.key, Reading(facts.kinds[parent.key], facts.kind_reasons[parent.key]))
        kind, reason = vocabulary.classify(current, reading)
        facts.kinds[current.key] = kind
        facts.kind_reasons[current.key] = reason
        # A defect report, or a sub-task of one ("QA - ..." under a Bug), names the failure to fix.
        if vocabulary.is_defect(current) or (
            parent is not None
            and reading is not None
            and parent.key in facts.defect_work
            and vocabulary.is_subtask(current)
        ):
            facts.defect_work.add(current.key)


def _sizes_note(items: list[Item], params: CapacityParams) -> DataIssue | None:
    """One note saying how T-shirt sizes became engineer-weeks: the reader must know it is a convention."""
    sized = list(filter(_SIZE, items))  # the items with a size written
    if not sized:
        return None
    used = sorted({i.estimate_size for i in sized}, key=SIZES.index)
    table = ", ".join(
        f"{s} = {params.size_weeks[s]:g}"
        if s in params.size_weeks
        else f"{s} = no value (unestimated)"
        for s in used
    )
    where = sized[0].ref.model_copy(update={"row": None, "column": None, "key": None})
    return DataIssue(
        ref=where,
        problem=(
            f"{len(sized)} item{'s are' if len(sized) > 1 else ' is'} estimated in T-shirt sizes, counted as "
            f"engineer-weeks: {table}; say what your sizes mean under [capacity] size_weeks in the config"
        ),
    )


def load_params(
    files: list[Path], overrides: dict[str, Any]
) -> tuple[CapacityParams, dict[str, dict[str, Any]]]:
    """Capacity coefficients from capacity.toml files, then config overrides."""
    from .packparams import read_pack_params, validated

    values, described, where = read_pack_params(
        files, overrides, "capacity", set(CapacityParams.model_fields)
    )
    params = validated(
        CapacityParams,
        values,
        where,
        "capacity",
        "`roadmap-audit rules explain CAP001` shows every capacity coefficient",
    )
    return params, described
