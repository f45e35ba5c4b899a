"""What Jira's CSV and JSON exports have in common: turning issues into plan items.

Both readers hand over `Issue` records (a field name -> raw value dict, the links
as Jira stores them, and where each value sits). This module decides what those
values mean for a plan: which custom field is the team, how seconds become
engineer-weeks, which end of a link depends on which, how a parent is found, and,
with `--level epic`, how children roll up into their epic.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..config import JiraConfig
from ..model import DataIssue, Item, Plan, SourceRef
from . import schema
from .cells import ParseError, is_none_marker, parse_text
from .dates import parse_date
from .effort import HOURS_PER_WEEK, t_shirt_size
from .notes import Note, one_note_per_cause
from .numeric import parse_number
from .words import parse_bool_or_link, parse_commitment, parse_list

# ---------------------------------------------------------------- data tables

# Custom fields by display name, in order of preference, for every language seen
# in real exports (the display name is what the CSV header holds inside
# "Custom field (...)" and what /rest/api/2/field calls `name`). A system column
# for the same field (a plain "Team" header) always wins over these.
CUSTOM_FIELDS: dict[str, tuple[str, ...]] = {
    # Jira Cloud's Team field shows as "Team" or "Team[Team]"; the others are names teams give their own field.
    "team": ("Team", "Team[Team]", "Squad", "Equipo", "Équipe", "Equipe", "Zespół"),
    "story_points": (
        "Story Points",
        "Story point estimate",
        "Story Point",
        "Story Point Estimate",
        "Story Points Estimate",
        "Puntos de Historia",
        "Estimación de puntos de historia",
        "Story Point-Schätzung",
    ),
    "rollback_plan": (
        "Rollback plan",
        "Backout plan",
        "Rollback",
        "Plan de reversión",
        "Plan de vuelta atrás",
    ),
    "rehearsal": ("Rehearsal", "Load test", "Dry run"),
    "start": ("Start date", "Target start", "Fecha de inicio"),
    "due": ("Target end",),  # Advanced Roadmaps; the system Due date column wins
    "epic_link": ("Epic Link",),
    "committed": ("Committed", "Commitment"),
    "size": ("T-Shirt Size", "T-shirt size", "Tshirt Size", "Epic Size", "Talla"),
}

# Any other custom field whose name holds one of these words ("Size", "Custom field (Effort size)",
# "Taille") is read as the T-shirt size only when its values in the export are sizes (XS ... XXL):
# a "Company size" holding 50 or 200 is not an estimate.
SIZE_WORDS = ("size", "taille", "tamano", "tamanho", "grosse", "rozmiar", "talla", "サイズ")
_SIZE_SHARE = 0.8  # share of a size-named field's values that must be T-shirt sizes

# Link types that are dependencies, by normalized name (custom names keep stray
# spaces, "Depende "; normalizing drops them). The value says what the outward
# end means: "blocks" -- "X blocks Y", so Y depends on X; "depends" -- "X depends
# on Y". Every other link type (Relates, Cloners, Duplicate ...) is kept as a link.
DEPENDENCY_LINK_TYPES: dict[str, str] = {
    "blocks": "blocks",
    "blocker": "blocks",
    "blocking": "blocks",
    "bloquea": "blocks",
    "depends": "depends",
    "dependson": "depends",
    "dependency": "depends",
    "dependencies": "depends",
    "depende": "depends",
    "dependencia": "depends",
    "requires": "depends",
}

# Outward phrases (JSON `type.outward`) that reveal a custom dependency type.
_OUTWARD_PHRASES: dict[str, str] = {
    "blocks": "blocks",
    "isblockerfor": "blocks",
    "bloquea": "blocks",
    "dependson": "depends",
    "dependsupon": "depends",
    "isblockedby": "depends",
    "dependede": "depends",
    "requires": "depends",
    "needs": "depends",
}

# Issue types that are epics in the UI languages seen (Jira Cloud kept "Epic" in Spanish).
EPIC_TYPES = frozenset({"epic", "epica", "epik", "epique"})

# Status category names that mean done ("Complete" in an old Cloud response, "Listo" in Spanish;
# "Itens concluídos" and "Tamamlandı" as the Brazilian and Turkish exports of jira_fields.toml write it).
_DONE_CATEGORIES = frozenset(
    {"done", "complete", "listo", "hecho", "finalizado", "gotowe", "termine"}
    | {"itensconcluidos", "tamamlandı"}
)

# A Jira issue key is the project key, a hyphen and a number: PAY-12, CARNICORE_2-7.
_ISSUE_KEY = re.compile(r"([A-Za-z][A-Za-z0-9_]*)-[0-9]+")

# Fields whose every value is its issue's own (a summary, a description, a key): not remembered.
_DISTINCT_FIELDS = frozenset({"key", "issue_id", "title", "description"})

_SECONDS_PER_HOUR = 3600
_MAX_WEEKS = 520  # ten engineer-years: anything larger is a unit mistake


# ---------------------------------------------------------------- records


@dataclass
class Link:
    """One issue link as Jira stores it on issue X: `X <outward> other` or `X <inward> other`."""

    type_name: str
    direction: str  # "inward" | "outward"
    other: str  # the other issue's key
    ref: SourceRef
    outward_phrase: str | None = None  # JSON only: type.outward, e.g. "blocks"


@dataclass(slots=True)
class Issue:
    """One exported issue before it becomes an Item: raw values by field name."""

    ref: SourceRef  # the row (CSV) or the issue (JSON)
    fields: dict[str, Any] = field(default_factory=dict)
    cells: dict[str, str] = field(
        default_factory=dict
    )  # field -> CSV column letter or JSON field id
    links: list[Link] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)

    def text(self, name: str) -> str | None:
        value = self.fields.get(name)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value if v not in (None, ""))
        return parse_text(value)

    def cell(self, name: str) -> SourceRef:
        return self.ref.at(self.cells.get(name)) if self.cells.get(name) else self.ref


def project_of_key(key: str) -> str | None:
    """The project key inside an issue key ("CARNICORE" of "CARNICORE-12"): exports of
    the current fields often have no Project column, but every key still names its project."""
    match = _ISSUE_KEY.fullmatch(key)
    return match.group(1) if match else None


def name_key(text: str) -> str:
    """Key for comparing Jira names: case, accents, spaces and punctuation ignored, every script kept.

    "Catégorie d'état" -> "categoriedetat", "Id. zgłoszenia" -> "idzgłoszenia", "課題キー" stays itself,
    and "Σ Original Estimate" keeps its sigma apart from "Original estimate"."""
    folded = unicodedata.normalize("NFKD", str(text)).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def _norm(text: str) -> str:
    return name_key(text)


def split_header(header: str) -> tuple[str, str] | None:
    """ "Custom field (Story Points (SP))" -> ("Custom field", "Story Points (SP)"); None without brackets.

    The prefixes never hold a bracket, so the first "(" starts the name.
    """
    text = header.strip()
    start = text.find("(")
    if start < 0 or not text.endswith(")"):
        return None
    return text[:start].strip(), text[start + 1 : -1]


def inner_name(header: str) -> str | None:
    """ "Custom field (Squad)" -> "Squad"; None when there are no brackets."""
    parts = split_header(header)
    return parts[1] if parts else None


_CUSTOM_LOOKUP: dict[str, tuple[str, int]] = {
    _norm(name): (role, rank)
    for role, names in CUSTOM_FIELDS.items()
    for rank, name in enumerate(names, start=1)
}

_CONFIG_ROLES = {
    "team_field": "team",
    "story_points_field": "story_points",
    "points_field": "story_points",
    "rollback_plan_field": "rollback_plan",
    "rehearsal_field": "rehearsal",
    "start_field": "start",
}


def configured_names(config: JiraConfig) -> dict[str, str]:
    """Normalized field names from [jira] -> the role they play. Both the header
    form and the bare display name are accepted."""
    found: dict[str, str] = {}
    for option, role in _CONFIG_ROLES.items():
        name = getattr(config, option)
        if not name:
            continue
        found[_norm(name)] = role
        if inner := inner_name(name):
            found[_norm(inner)] = role
    return found


def custom_role(display_name: str, config: JiraConfig, *aliases: str) -> tuple[str, int] | None:
    """The role a custom field plays, from its display name (or id), and its rank.

    Rank 0 is a field named in the config (it beats every default); lower ranks
    win when several fields fill the same role.
    """
    configured = configured_names(config)
    for name in (display_name, *aliases):
        if name and _norm(name) in configured:
            return configured[_norm(name)], -1
    found = _CUSTOM_LOOKUP.get(_norm(display_name))
    if found is None and is_size_name(display_name):
        return "size_named", len(CUSTOM_FIELDS["size"]) + 1
    return found


def is_size_name(display_name: str) -> bool:
    """True for a field named like a size ("Size", "Effort size", "Taille") that is not a team's size."""
    key = _norm(display_name)
    return any(word in key for word in SIZE_WORDS) and "team" not in key and "equipe" not in key


def link_sense(type_name: str, outward_phrase: str | None = None) -> str | None:
    """ "blocks", "depends", or None when the link type is not a dependency."""
    sense = DEPENDENCY_LINK_TYPES.get(_norm(type_name))
    if sense is None and outward_phrase:
        sense = _OUTWARD_PHRASES.get(_norm(outward_phrase))
    return sense


def dependency_edge(issue_key: str, link: Link) -> tuple[str, str] | None:
    """(dependent, dependency) for a dependency link on `issue_key`, else None.

    Jira reads a link as "subject <outward phrase> object": stored outward on X it
    is "X blocks Y"; stored inward on X it is the same sentence seen from the
    other end, "Y blocks X".
    """
    sense = link_sense(link.type_name, link.outward_phrase)
    if sense is None:
        return None
    subject, obj = (
        (issue_key, link.other) if link.direction == "outward" else (link.other, issue_key)
    )
    return (obj, subject) if sense == "blocks" else (subject, obj)


def is_done(status: str | None, category: str | None, done: bool | None) -> bool:
    """Done by Jira's own status category when the export has it, else by the status word."""
    if done is not None:
        return done
    if category:
        return _norm(category) in _DONE_CATEGORIES or schema.is_done(category)
    return schema.is_out_of_plan(status)


# ---------------------------------------------------------------- issues -> items


class _Builder:
    """Turns the issue records of one export into items, noting what it could not use."""

    def __init__(self, plan: Plan, config: JiraConfig, hours_per_week: float):
        self.plan = plan
        self.config = config
        self.hours_per_week = hours_per_week  # one engineer-week: [capacity] hours_per_week
        self.seen = {item.key: item.ref for item in plan.items}
        self.notes: list[Note] = []  # said once per cause when the export is read (load/notes.py)
        # parser -> {text: what it made}: an export repeats few distinct dates, estimates, statuses
        # and labels across many issues, so each distinct text is parsed once (and the value shared)
        self.parsed: dict[Callable[[Any], Any], dict[Any, Any]] = {}
        self.trimmed: dict[str, str | None] = {}  # parse_text of the repeating fields' values

    def once(self, parse: Callable[[Any], Any], raw: Any) -> Any:
        """parse(raw), worked out once per distinct text of the export. Only text is remembered
        (1 and 1.0 and True are equal keys, and JSON gives numbers); an error is raised each time."""
        if type(raw) is not str and type(raw) is not tuple:
            return parse(raw)
        made = self.parsed.get(parse)
        if made is None:
            made = self.parsed[parse] = {}
        try:
            return made[raw]
        except KeyError:
            value = made[raw] = parse(raw)
            return value

    def text(self, issue: Issue, name: str) -> str | None:
        """issue.text(name); a field whose values repeat (a status, a team, an owner) is trimmed once
        per distinct value rather than once per issue."""
        value = issue.fields.get(name)
        if value.__class__ is not str:
            return None if value is None else issue.text(name)
        if name in _DISTINCT_FIELDS:
            return parse_text(value)
        try:
            return self.trimmed[value]
        except KeyError:
            found = self.trimmed[value] = parse_text(value)
            return found

    def done(self, issue: Issue) -> bool:
        """is_done of the issue's status, category and done flag, worked out once per distinct triple."""
        status, category = self.text(issue, "status"), self.text(issue, "status_category")
        done = issue.fields.get("done")
        if done is not None:
            return is_done(status, category, done)
        return bool(self.once(_done_by_words, (status, category)))

    def listed(self, raw: Any) -> list[str]:
        """parse_list of a field's cells (a new list each time: items own their lists)."""
        if not raw:
            return []
        if type(raw) is list and all(type(cell) is str for cell in raw):
            return list(self.once(_parse_cells, tuple(raw)))
        return parse_list(raw)

    def note(
        self,
        ref: SourceRef,
        problem: str,
        *,
        dropped: bool = False,
        subject: str | None = None,
        cause: str | None = None,
        detail: str | None = None,
    ) -> None:
        """A note on one issue; `cause` is what issues with the same problem share, `detail` this one's value."""
        self.notes.append(
            Note(
                DataIssue(ref=ref, problem=problem, row_dropped=dropped, subject_id=subject),
                cause,
                detail,
            )
        )

    # --- keys, parents

    def keyed(self, issues: list[Issue]) -> list[tuple[str, Issue]]:
        """Each issue with its key; a second copy of a key is not used."""
        kept = []
        for number, issue in enumerate(issues, start=1):
            key = self.text(issue, "key")
            if not key:
                # The issue id is stable across exports; the row (or position in the pages) is the last resort.
                key = (
                    f"id-{self.text(issue, 'issue_id')}"
                    if self.text(issue, "issue_id")
                    else f"{issue.ref.sheet or 'issue'}-{issue.ref.row or number}"
                )
                self.note(
                    issue.cell("key"),
                    f"no issue key; '{key}' was used instead",
                    subject=key,
                    cause="no issue key; a key was made from its issue id, or its row, and is shown "
                    "beside each",
                    detail=key,
                )
            if key in self.seen:
                self.note(
                    issue.cell("key"),
                    f"issue {key} appears again (first at {self.seen[key].location}); "
                    "this copy was not used",
                    dropped=True,
                    subject=key,
                )
                continue
            row = issue.ref
            issue.ref = SourceRef.made(
                source=row.source, sheet=row.sheet, row=row.row, column=row.column, key=key
            )
            self.seen[key] = issue.cell("key")  # also the item's ref: a frozen ref is shared
            kept.append((key, issue))
        return kept

    def parents(self, keyed: list[tuple[str, Issue]]) -> dict[str, str]:
        """Child key -> parent key, from Parent key, Parent / Parent id (joined on Issue id), or Epic Link."""
        by_id = {pid: key for key, issue in keyed if (pid := self.text(issue, "issue_id"))}
        found: dict[str, str] = {}
        for key, issue in keyed:
            parent = self.text(issue, "parent_key")
            pid = self.text(issue, "parent_id")
            if not parent and pid:
                if pid.isdigit():
                    parent = by_id.get(pid)
                    if parent is None and not self.text(issue, "epic_link"):
                        self.note(
                            issue.cell("parent_id"),
                            f"parent issue id {pid} is not in this export; "
                            "the issue has no parent in the plan",
                            subject=key,
                            cause="parent issue id not in this export; these issues have no parent in "
                            "the plan",
                            detail=f"parent {pid}",
                        )
                else:
                    parent = pid  # some exports put the key itself in Parent
            parent = parent or self.text(issue, "epic_link")
            if parent and parent != key:
                found[key] = parent
        return found

    # --- values

    def date(self, issue: Issue, name: str, key: str):
        try:
            return self.once(parse_date, issue.fields.get(name))
        except ParseError as exc:
            self.note(issue.cell(name), f"{name}: {exc}; the date was left out", subject=key)
            return None

    def number(self, issue: Issue, name: str, key: str, what: str) -> float | None:
        raw = issue.fields.get(name)
        try:
            number = self.once(parse_number, raw)
        except ParseError as exc:
            self.note(
                issue.cell(name), f"{what}: {exc}; the issue counts as unestimated", subject=key
            )
            return None
        if number is not None and number < 0:
            self.note(
                issue.cell(name),
                f"{what} {parse_text(raw)} is negative; the issue counts as unestimated",
                subject=key,
            )
            return None
        return number

    def estimate(self, issue: Issue, key: str, has_children: bool):
        """(weeks, points, as written). Jira keeps time in seconds; Σ (the sum over
        sub-tasks) is used only when the sub-tasks are not in the export themselves,
        so no work is counted twice. The remaining estimate, when Jira has one, is
        the work the quarter still holds: an issue half done weighs its other half."""
        pairs = [("original_estimate", "remaining_estimate")]
        if not has_children:
            pairs.append(("aggregate_estimate", "aggregate_remaining"))
        for name, left in pairs:
            original = self.number(issue, name, key, "original estimate")
            remaining = self.number(issue, left, key, "remaining estimate")
            if remaining is not None:
                seconds, used = remaining, left
            elif original is not None:
                seconds, used = original, name
            else:
                continue
            weeks = seconds / _SECONDS_PER_HOUR / self.hours_per_week
            if weeks > _MAX_WEEKS:
                self.note(
                    issue.cell(used),
                    f"estimate of {seconds:g} seconds is over ten engineer-years; "
                    "the issue counts as unestimated (check the unit)",
                    subject=key,
                )
                return None, None, self.text(issue, used)
            if used == left and original is not None and remaining != original:
                return weeks, None, f"{remaining:g} seconds remaining of {original:g}"
            return weeks, None, f"{seconds:g} seconds"
        points = self.number(issue, "story_points", key, "story points")
        if points is not None:
            return None, points, f"{points:g} points"
        return None, None, None

    def size(self, issue: Issue, key: str) -> str | None:
        """A T-shirt size field (XS ... XXL), weighed later by the capacity model's size_weeks."""
        text = self.text(issue, "size")
        if text is None:
            return None
        size = t_shirt_size(text)
        if size is None:
            self.note(
                issue.cell("size"),
                f"size '{text}' is not a T-shirt size (XS, S, M, L, XL, XXL); "
                "the issue counts as unestimated",
                subject=key,
            )
        return size

    def team(self, issue: Issue) -> tuple[str | None, str | None]:
        """The team and where it came from: a team field (or the one [jira] team_field names), else the
        fallbacks of [jira] team_fallback -- by default the project. Components are services: one
        becomes a team only when the config asks for it."""
        team = self.text(issue, "team")
        if team:
            return team, None
        for source in self.config.team_fallback:
            services = issue.fields.get("services")
            if source == "component" and isinstance(services, list) and services:
                return parse_text(services[0]), "component"
            if source == "project":
                # the key as exported: a stand-in key ("id-10001") names no project
                project = self.text(issue, "project") or project_of_key(
                    self.text(issue, "key") or ""
                )
                if project:
                    return project, "project"
        return None, None

    def sizes_from_named_field(self, issues: list[tuple[str, Issue]]) -> None:
        """A field named like a size ("Custom field (Size)") is the T-shirt size when its values are sizes.

        Decided once per export, from all its values: "L, S, M, XS" is an estimate; "50, 200" (a
        company size) is not, and is left out with one note."""
        named = [
            (key, issue)
            for key, issue in issues
            if issue.fields.get("size_named") not in (None, "", [])
        ]
        if not named:
            return
        texts = [self.text(issue, "size_named") or "" for _, issue in named]
        sized = sum(1 for text in texts if t_shirt_size(text))
        first = named[0][1]
        where = first.cells.get("size_named", "")
        if sized >= _SIZE_SHARE * len(texts):
            for _, issue in named:
                if issue.fields.get("size") in (None, "", []):
                    issue.fields["size"] = issue.fields["size_named"]
                    issue.cells["size"] = issue.cells["size_named"]
            return
        ref = first.ref.model_copy(update={"row": None, "column": None, "key": None})
        self.note(
            ref,
            f"the field at {where} is named like a size but only {sized} of its {len(texts)} values are "
            "T-shirt sizes (XS, S, M, L, XL, XXL); it was not read as an estimate",
        )

    # --- the whole export

    def add(self, issues: list[Issue]) -> None:
        self.plan.rows_read += len(issues)
        keyed = self.keyed(issues)
        self.sizes_from_named_field(keyed)
        parents = self.parents(keyed)
        with_children = set(parents.values())
        fallback: Counter[str] = Counter()
        items: dict[str, Item] = {}
        for key, issue in keyed:
            item, source = self.item(key, issue, parents.get(key), key in with_children)
            if source:
                fallback[source] += 1
            items[key] = item
        self.links(keyed, items)
        self.plan.items.extend(items.values())
        if keyed:
            self.export_notes(keyed, items, fallback)
        self.plan.issues.extend(one_note_per_cause(self.notes))
        self.notes = []

    def export_notes(
        self, keyed: list[tuple[str, Issue]], items: dict[str, Item], fallback: Counter[str]
    ) -> None:
        # One note per export, not per issue: it is one mapping decision.
        ref = keyed[0][1].ref.model_copy(update={"row": None, "column": None, "key": None})
        teamless = sum(1 for item in items.values() if not item.team)
        hint = "(name your team field with [jira] team_field in the config; components are read as services)"
        if fallback:
            parts = " and ".join(
                f"from the {'first component' if s == 'component' else 'project key'} "
                f"for {n} issue{'s' if n > 1 else ''}"
                for s, n in sorted(fallback.items())
            )
            self.note(ref, f"no team field filled: the team was taken {parts} {hint}")
        if teamless:
            self.note(
                ref,
                f"{teamless} issue{'s have' if teamless > 1 else ' has'} no team: no team field, "
                f"component or project key to take it from {hint}",
            )

    def item(
        self, key: str, issue: Issue, parent: str | None, has_children: bool
    ) -> tuple[Item, str | None]:
        title = self.text(issue, "title")
        if not title:
            title = key
            self.note(issue.cell("title"), "no summary; the key is used as its title", subject=key)
        weeks, points, raw = self.estimate(issue, key, has_children)
        team, team_source = self.team(issue)
        rollback, rehearsal = self.text(issue, "rollback_plan"), self.text(issue, "rehearsal")
        committed = None
        if issue.fields.get("committed") is not None:
            raw_committed = issue.fields["committed"]
            try:
                committed = parse_commitment(raw_committed)
            except ParseError:
                try:  # a Jira field that names the promise ("Agreed with Sales") is a yes
                    committed = parse_bool_or_link(raw_committed)
                except ParseError as exc:
                    self.note(issue.cell("committed"), f"committed: {exc}; read as no", subject=key)
        extra = issue.extra  # the issue record ends here: its item takes its dict
        if team_source:
            extra["team from"] = "first component" if team_source == "component" else "project key"
        item = Item.made(  # every value below is already of its field's type: not validated again
            key=key,
            title=title,
            team=team,
            kind_raw=self.text(issue, "kind"),
            estimate_weeks=weeks,
            estimate_points=points,
            estimate_size=self.size(issue, key) if weeks is None and points is None else None,
            estimate_raw=raw or self.text(issue, "size"),
            start=self.date(issue, "start", key),
            due=self.date(issue, "due", key),
            services=self.listed(issue.fields.get("services")),
            rollback_plan=None if is_none_marker(rollback) else rollback,
            rehearsal=None if is_none_marker(rehearsal) else rehearsal,
            labels=self.listed(issue.fields.get("labels")),
            owner=self.text(issue, "owner"),
            priority=self.text(issue, "priority"),
            status=self.text(issue, "status"),
            done=self.done(issue),
            committed=bool(committed),
            description=self.text(issue, "description"),
            parent=parent,
            extra=extra,
            ref=self.seen[key],
            # one dict per distinct set of filled columns, shared by the items that have it (as a
            # workbook's items share their sheet's); links() copies it before adding to it
            columns=self.once(_columns, tuple(issue.cells.items())),
        )
        if item.start and item.due and item.due < item.start:
            self.note(
                issue.cell("due"),
                f"due date {item.due} is before start date {item.start}",
                subject=key,
            )
        return item, team_source

    def links(self, keyed: list[tuple[str, Issue]], items: dict[str, Item]) -> None:
        """Dependencies from Blocks/Depends links (a mirrored pair gives one edge); other links kept as links."""
        edges: dict[tuple[str, str], list[tuple[str, Link]]] = {}
        for key, issue in keyed:
            for link in issue.links:
                edge = dependency_edge(key, link)
                if edge is None:
                    pair = (link.type_name.strip(), link.other)
                    if pair not in items[key].links:
                        items[key].links.append(pair)
                elif edge[0] != edge[1]:
                    edges.setdefault(edge, []).append((key, link))
        for (dependent, dependency), stored_on in edges.items():
            if dependent in items:
                item = items[dependent]
                item.depends_on.append(dependency)
                # Evidence points at the dependent's own link cell when its row has one.
                own = next((link for key, link in stored_on if key == dependent), None)
                if own is not None and own.ref.column and "depends_on" not in item.columns:
                    item.columns = {**item.columns, "depends_on": own.ref.column}
                continue
            # Stored on the issue that blocks something outside the export.
            owner, link = stored_on[0]
            pair = (link.type_name.strip(), dependent)
            if pair not in items[owner].links:
                items[owner].links.append(pair)
            self.note(
                link.ref,
                f"{owner} is needed by {dependent} ({link.type_name.strip()} link), which is not "
                "in this export; the dependency was kept as a link",
                subject=owner,
                cause=f"needed by an issue that is not in this export ({link.type_name.strip()} link); the "
                "dependency was kept as a link",
                detail=f"needed by {dependent}",
            )


def _columns(cells: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """An item's columns: where each field sits, but the key's and the issue id's (its ref's own)."""
    return {name: col for name, col in cells if name not in ("key", "issue_id") and col}


def _done_by_words(status_and_category: tuple[str | None, str | None]) -> bool:
    return is_done(*status_and_category, None)


def _parse_cells(cells: tuple[str, ...]) -> list[str]:
    return parse_list(list(cells))


def add_issues(
    plan: Plan, issues: list[Issue], config: JiraConfig, hours_per_week: float = HOURS_PER_WEEK
) -> None:
    """Every issue becomes an item of the plan, or a data-quality note saying why not; Jira's
    seconds are engineer-weeks of `hours_per_week` hours."""
    _Builder(plan, config, hours_per_week).add(issues)


# ---------------------------------------------------------------- --level epic


def _is_epic(item: Item) -> bool:
    return item.kind_raw is not None and _norm(item.kind_raw) in EPIC_TYPES


def epic_of(items: dict[str, Item]) -> dict[str, str]:
    """Each item's key -> the key of the item it rolls up into.

    That is the nearest epic above it (or itself, for an epic), else the topmost
    ancestor in the export, so sub-tasks of a story with no epic join the story.
    """
    target: dict[str, str] = {}
    for key, item in items.items():
        chain, seen, current = [item], {key}, item
        while current.parent in items and current.parent not in seen and not _is_epic(current):
            current = items[current.parent]
            seen.add(current.key)
            chain.append(current)
        epic = next((c for c in chain if _is_epic(c)), chain[-1])
        target[key] = epic.key
    return target


def _most_common(names: Iterable[str | None]) -> str | None:
    counts = Counter(n for n in names if n)
    return (
        counts.most_common(1)[0][0] if counts else None
    )  # ties: first seen, as Counter keeps order


def _summed(members: list[Item], name: str) -> float | None:
    numbers = [getattr(m, name) for m in members if getattr(m, name) is not None]
    return sum(numbers) if numbers else None


def roll_up_to_epics(plan: Plan) -> Plan:
    """The plan made of epics: every child's estimate, owner, dependencies and due
    date rolled up into its epic (see README, "Jira exports")."""
    items = {i.key: i for i in plan.items}
    target = epic_of(items)
    members: dict[str, list[Item]] = {}
    for key, epic in target.items():
        if key != epic:
            members.setdefault(epic, []).append(items[key])

    def mapped(keys: Iterable[str], own: str) -> list[str]:
        out = [target.get(k, k) for k in keys]
        return list(dict.fromkeys(k for k in out if k != own))

    rolled: list[Item] = []
    notes: list[DataIssue] = []
    for item in plan.items:
        if target[item.key] != item.key:
            continue
        children = members.get(item.key, [])
        everyone = [item, *children]
        update: dict[str, Any] = {
            "depends_on": mapped((d for m in everyone for d in m.depends_on), item.key)
        }
        if children:
            sized = [
                c.key
                for c in children
                if c.estimate_size and c.estimate_weeks is None and c.estimate_points is None
            ]
            if sized:  # a size becomes weeks only in the capacity model, after the roll-up
                notes.append(
                    DataIssue(
                        ref=item.ref,
                        subject_id=item.key,
                        problem=(
                            f"{len(sized)} child issue{'s' if len(sized) > 1 else ''} of {item.key} "
                            f"({', '.join(sized[:5])}{', ...' if len(sized) > 5 else ''}) "
                            f"{'are' if len(sized) > 1 else 'is'} sized in T-shirt sizes, which do not add up into the "
                            "epic's estimate; give them weeks or points, or size the epic itself"
                        ),
                    )
                )
            weeks, points = (
                _summed(children, "estimate_weeks"),
                _summed(children, "estimate_points"),
            )
            if weeks is not None or points is not None:
                update |= {
                    "estimate_weeks": weeks,
                    "estimate_points": points,
                    "estimate_raw": f"sum of {len(children)} child issues",
                }
            dues = [m.due for m in everyone if m.due]
            starts = [m.start for m in everyone if m.start]
            update |= {
                "owner": _most_common(c.owner for c in children) or item.owner,
                "team": item.team or _most_common(c.team for c in children),
                "due": max(dues) if dues else None,
                "start": min(starts) if starts else None,
                "services": list(dict.fromkeys(s for m in everyone for s in m.services)),
                "labels": list(dict.fromkeys(label for m in everyone for label in m.labels)),
                "committed": any(m.committed for m in everyone),
                "links": list(
                    dict.fromkeys(
                        (t, target.get(k, k))
                        for m in everyone
                        for t, k in m.links
                        if target.get(k, k) != item.key
                    )
                ),
                "extra": {**item.extra, "rolled up": ", ".join(c.key for c in children)},
            }
            # The rollback plan and rehearsal stay the epic's own: a child's rollback covers
            # its own step, not the way back from the whole migration. The children themselves
            # stay readable in plan.rolled_up (a child that is the dual write or the flag).
        rolled.append(item.model_copy(update=update))
    folded = [items[key] for key, epic in target.items() if key != epic]
    return plan.model_copy(
        update={"items": rolled, "issues": [*plan.issues, *notes], "rolled_up": folded}
    )
