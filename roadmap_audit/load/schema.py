"""The plan workbook's sheets and columns (SPEC §2.1), with the aliases people use.

This table is the one place that says which header means which field, of what kind, and
what it means in the planner's words (the template's notes). Names are
compared with `normalize_name`, so case, spaces and punctuation never matter.
A mapping file can add aliases on top of these (see `with_mapping`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .words import normalize_name


@dataclass(frozen=True)
class Column:
    name: str  # canonical field name
    kind: str  # which parser reads it: text, number, percent, date, bool, commitment, link, list, tier, int
    aliases: tuple[str, ...] = ()
    note: str = ""  # what it means, in the planner's words (the template's cell comment)


# What a cell of each kind may hold, in the planner's words (the template's cell comments).
KIND_FORMS = {
    "text": "Text.",
    "number": "A number, e.g. 6 or 6.5.",
    "int": "A whole number.",
    "percent": "A share: 20%, 0.2 or 20 all mean 20 %.",
    "date": "A date: a spreadsheet date, 2026-07-01, 01/07/2026 (day first) or 12/Mar/26.",
    "bool": "yes or no (also y/n, true/false, x, 1/0).",
    "commitment": "yes or no (also committed / stretch, or the date that was promised).",
    "link": "yes, no, or a link to the document.",
    "list": "Several values separated by commas, semicolons or new lines.",
    "tier": "1 to 4, Tier 1, or critical / high / medium / low.",
}
NUMBER_KINDS = frozenset({"number", "int", "percent", "tier"})  # read as numbers


@dataclass(frozen=True)
class SheetSpec:
    name: str  # canonical sheet name, as shown in messages
    aliases: tuple[str, ...]
    columns: tuple[Column, ...]
    required: tuple[str, ...] = ()
    lookup: dict[str, str] = field(default_factory=dict, compare=False)
    rank: dict[str, int] = field(default_factory=dict, compare=False)
    by_name: dict[str, Column] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        for col in self.columns:
            self.by_name.setdefault(col.name, col)
            for rank, alias in enumerate((col.name, *col.aliases)):
                self.lookup.setdefault(normalize_name(alias), col.name)
                self.rank.setdefault(normalize_name(alias), rank)

    def column(self, name: str) -> Column:
        return self.by_name[name]

    def match(self, header: str) -> str | None:
        """The canonical field a header means, or None for an extra column."""
        return self.read(header)[0]

    def read(self, header: str) -> tuple[str | None, int, str | None]:
        """(field, rank, how) for a header: rank 0 is the field's own name, then its aliases in order
        (when two columns mean one field, the lower rank is read); `how` says how an unlisted header
        was placed ("hours, from the header"), else None."""
        key = normalize_name(header)
        name = self.lookup.get(key)
        if name is not None:
            return name, self.rank[key], None
        if self is ITEMS:
            guessed = unit_header(header)
            if guessed is not None:
                return guessed[0], 50, guessed[1]
        bare = _PARENTHESES.sub(" ", header)  # "Headcount (FTE)" is headcount
        if bare != header and (name := self.lookup.get(normalize_name(bare))) is not None:
            return name, 60, None
        return None, 0, None

    def fields(self) -> list[str]:
        return list(self.by_name)


ITEMS = SheetSpec(
    "Items",
    ("items", "plan", "roadmap", "epics", "backlog", "initiatives", "projects", "work items"),
    (
        # the order is the rank: with both `Key` and `Id` (a ULID, a row number), `Key` is read and `Id` kept
        Column(
            "key",
            "text",
            (
                "issue key",
                "item key",
                "jira key",
                "jira",
                "jira id",
                "jira ticket",
                "ticket",
                "ticket id",
                "epic id",
                "epic key",
                "initiative id",
                "ref",
                "id",
            ),
            note="Unique id of the item (a Jira key works). Left empty, one is generated from the row.",
        ),
        Column(
            "title",
            "text",
            (
                "summary",
                "subject",
                "name",
                "task",
                "task name",
                "item",
                "item name",
                "work item",
                "initiative",
                "initiative name",
                "epic name",
                "epic",
                "feature name",
                "deliverable",
                "project",
            ),
            note="What the work is, in a few words.",
        ),
        Column(
            "team",
            "text",
            ("owner team", "owning team", "squad", "group", "team name"),
            note="The team that owns the item, spelled as in the Teams sheet.",
        ),
        Column(
            "kind",
            "text",
            ("type", "issue type", "category", "work type", "item type"),
            note="feature, migration, launch, reliability, compliance, ktlo, tech-debt, action-item or other. Free text is mapped; left empty, the kind is inferred from the title, labels and description.",
        ),
        Column(
            "estimate",
            "text",
            (
                "estimate weeks",
                "estimate (weeks)",
                "effort",
                "effort weeks",
                "engineer weeks",
                "eng weeks",
                "size weeks",
                "weeks",
                "est",
                "estimation",
                "t shirt size",
                "t shirt",
            ),
            note="Effort in engineer-weeks (one engineer, one week), or with a unit: 3 days, 2w 3d, 5 pts, or a T-shirt size (S, M, L, XL). Fill one estimate column only.",
        ),
        Column(
            "estimate_days",
            "text",
            (
                "estimate (days)",
                "estimate days",
                "days",
                "effort days",
                "person days",
                "man days",
                "engineer days",
            ),
            note="Instead of estimate: effort in engineer-days (5 days = 1 week).",
        ),
        Column(
            "estimate_hours",
            "text",
            ("estimate (hours)", "estimate hours", "hours"),
            note="Instead of estimate: effort in engineer-hours (40 hours = 1 week).",
        ),
        Column(
            "story_points",
            "text",
            ("story points", "points", "sp", "story point estimate"),
            note="Instead of estimate: story points, converted with the team's points_per_week.",
        ),
        Column(
            "original_estimate",
            "text",
            ("original estimate", "time original estimate", "estimate (seconds)"),
            note="Instead of estimate: seconds, as Jira exports Original Estimate.",
        ),
        Column(
            "start",
            "date",
            ("start date", "starts", "begin", "target start"),
            note="When work starts.",
        ),
        Column(
            "due",
            "date",
            (
                "due date",
                "end",
                "end date",
                "deadline",
                "target date",
                "target end",
                "finish",
                "date",
            ),
            note="When the work must be done.",
        ),
        Column(
            "depends_on",
            "list",
            ("dependencies", "depends", "blocked by", "predecessors", "needs"),
            note="Keys of the items this one needs first, separated by commas, semicolons or new lines.",
        ),
        Column(
            "services",
            "list",
            ("service", "systems", "system", "components", "component"),
            note="Services the work changes, spelled as in the Services sheet; separated by commas.",
        ),
        Column(
            "rollback_plan",
            "text",
            ("rollback", "backout plan", "back out plan", "roll back plan", "rollback strategy"),
            note="How to go back if it goes wrong (needed for migrations). Empty, n/a, none, tbd or - mean there is none.",
        ),
        Column(
            "rehearsal",
            "text",
            (
                "load test",
                "dry run",
                "rehearsal evidence",
                "rehearsed",
                "safety net",
                "rollout plan",
            ),
            note="Evidence of a production-scale rehearsal or safety net: shadow reads, dual writes, load test, feature flag, canary, staged rollout.",
        ),
        Column("labels", "list", ("label", "tags", "tag"), note="Labels, separated by commas."),
        Column(
            "owner",
            "text",
            ("assignee", "dri", "lead", "responsible"),
            note="The person responsible (DRI). --redact-people replaces names in every report.",
        ),
        Column(
            "priority",
            "text",
            ("prio",),
            note="P1/P2, 1/2 or High/Medium/Low. Lowest priority is deferred first.",
        ),
        Column(
            "status",
            "text",
            ("state", "stage"),
            note="e.g. To do, In progress, Done. Done, closed, resolved, cancelled, dropped or deferred items are not counted.",
        ),
        Column(
            "committed",
            "commitment",
            ("commitment", "promised", "external commitment", "committed date"),
            note="yes when a date was promised outside the team; committed items are never proposed for deferral.",
        ),
        Column(
            "description",
            "text",
            ("details", "notes", "scope", "desc"),
            note="Longer description; also used to infer the kind.",
        ),
        Column(
            "first_planned",
            "text",
            ("first planned", "first quarter", "originally planned", "planned since"),
            note="The quarter the item first appeared in a plan, e.g. 2025-Q4.",
        ),
        Column(
            "parent",
            "text",
            ("parent key", "epic link", "parent epic"),
            note="Key of the epic or parent item, when items roll up into epics.",
        ),
        # calendar time from `start`: with no due date, due = start + duration (a note says so); a bare
        # number takes the unit of the header (`durationWeeks`, `Duration (days)`), else needs its own
        Column(
            "duration",
            "text",
            (
                "duration weeks",
                "duration (weeks)",
                "weeks duration",
                "length weeks",
                "duration days",
                "duration (days)",
                "days duration",
                "length",
                "span",
            ),
            note="Calendar time from start, when there is no due date: the due date is start + duration (3 weeks, 10 days; Duration (weeks) takes a bare number as weeks).",
        ),
    ),
    required=("title",),
)

TEAMS = SheetSpec(
    "Teams",
    ("teams", "staffing", "capacity", "team capacity"),
    (
        Column(
            "team",
            "text",
            ("name", "team name", "squad"),
            note="Team name, as the Items sheet spells it.",
        ),
        Column(
            "parent",
            "text",
            ("org", "group", "unit", "org unit", "department", "reports to"),
            note="The org unit above the team (builds the org tree).",
        ),
        Column(
            "headcount",
            "number",
            (
                "engineers",
                "hc",
                "size",
                "people",
                "fte",
                "headcount fte",
                "team size",
                "eng headcount",
                "engineering headcount",
                "engineer headcount",
                "number of engineers",
                "engineer count",
                "eng count",
                "developers",
                "devs",
                "ftes",
                "staff",
            ),
            note="Engineers on the team, including new hires.",
        ),
        Column(
            "new_hires",
            "number",
            ("new hires", "ramping", "new", "new joiners", "onboarding"),
            note="Engineers still ramping up (counted at 25/50/75 % in months 1-3).",
        ),
        Column(
            "oncall_rotation",
            "number",
            (
                "on call rotation",
                "oncall",
                "on call",
                "rotation",
                "rotation size",
                "on-call engineers",
                "on call size",
                "on call rotation size",
                "oncall rotation size",
                "on call engineers",
                "pager rotation",
            ),
            note="Engineers in the on-call rotation.",
        ),
        Column(
            "oncall_sites",
            "int",
            ("on call sites", "sites", "oncall locations"),
            note="Sites (time zones) the rotation spans: 1 or 2.",
        ),
        Column(
            "ops_allocation",
            "percent",
            (
                "ops share",
                "ops",
                "ktlo",
                "ktlo allocation",
                "operations allocation",
                "admitted ops",
            ),
            note="Share of capacity the staffing model admits for operations / KTLO.",
        ),
        Column(
            "pages_per_week",
            "number",
            ("pages", "pages week", "pager load", "alerts per week"),
            note="Pages the team receives in an average week.",
        ),
        Column(
            "toil_hours_per_week",
            "number",
            ("toil", "toil hours", "toil hours week"),
            note="Hours of manual, repetitive operational work in an average week.",
        ),
        Column(
            "incidents_last_quarter",
            "number",
            ("incidents", "incidents last q", "incidents previous quarter"),
            note="Incidents the team handled last quarter.",
        ),
        Column(
            "points_per_week",
            "number",
            ("velocity", "points week", "story points per week"),
            note="Story points one engineer finishes in a week (converts story_points).",
        ),
        Column(
            "availability",
            "percent",
            ("available", "availability share"),
            note="Share of time not lost to leave and holidays (default 85 %).",
        ),
    ),
    required=("team",),
)

SERVICES = SheetSpec(
    "Services",
    ("services", "systems", "slos", "slo", "service catalog", "catalog"),
    (
        Column(
            "service",
            "text",
            ("name", "system", "service name"),
            note="Service name, as the Items sheet spells it.",
        ),
        Column(
            "owner_team",
            "text",
            ("owner", "team", "owning team", "owner team"),
            note="The team that owns and operates the service.",
        ),
        Column(
            "tier",
            "tier",
            ("criticality", "priority", "tier level"),
            note="Criticality: 1 is most critical (or critical / high / medium / low).",
        ),
        Column(
            "slo",
            "percent",
            ("availability target", "slo target", "target", "uptime target"),
            note="Availability target, e.g. 99.9%.",
        ),
        Column(
            "slo_measured",
            "bool",
            ("measured", "sli", "sli instrumented", "instrumented"),
            note="yes when the SLI behind the SLO is instrumented and measured.",
        ),
        Column(
            "error_budget_remaining",
            "percent",
            ("error budget", "budget remaining", "budget left"),
            note="Share of the error budget left; negative when overspent.",
        ),
        Column(
            "error_budget_policy",
            "link",
            ("budget policy", "eb policy", "policy"),
            note="yes (or a link) when a written policy says what happens when the budget runs out.",
        ),
        Column(
            "experts",
            "list",
            ("expert", "sme", "smes", "knows it"),
            note="People who can fix it at 3 a.m., separated by commas.",
        ),
        Column("runbook", "text", ("runbooks", "playbook"), note="Link or name of the runbook."),
        Column(
            "depends_on",
            "list",
            ("dependencies", "downstream", "calls", "depends"),
            note="Services this one calls, separated by commas.",
        ),
        Column(
            "dependency_protection",
            "bool",
            ("protection", "circuit breakers", "timeouts", "fallbacks", "resilience"),
            note="yes when its downstream calls have timeouts, circuit breakers and fallbacks.",
        ),
    ),
    required=("service",),
)

ORG = SheetSpec(
    "Org",
    ("org", "org chart", "organization", "organisation", "orgchart", "hierarchy"),
    (
        Column(
            "unit",
            "text",
            ("name", "org unit", "group", "department"),
            note="An org unit (group, department).",
        ),
        Column(
            "parent",
            "text",
            ("reports to", "parent unit"),
            note="The unit above it; empty at the top.",
        ),
    ),
    required=("unit",),
)

ACTIONS = SheetSpec(
    "Actions",
    (
        "actions",
        "postmortem actions",
        "action items",
        "postmortem action items",
        "follow ups",
        "followups",
    ),
    (
        Column(
            "key",
            "text",
            ("id", "action", "action id", "issue key"),
            note="Id of the postmortem action.",
        ),
        Column("title", "text", ("summary", "name", "description"), note="What the action is."),
        Column("team", "text", ("owner team", "squad"), note="Team that owns the action."),
        Column("service", "text", ("system",), note="Service it protects."),
        Column(
            "postmortem",
            "text",
            ("incident", "postmortem id", "source"),
            note="The incident or postmortem that raised it.",
        ),
        Column("raised", "date", ("created", "opened", "raised on"), note="When it was raised."),
        Column("due", "date", ("due date", "target date"), note="When it was due."),
        Column("status", "text", ("state",), note="e.g. Open, In progress, Done."),
        Column(
            "times_deferred",
            "int",
            ("deferred", "deferrals", "times deferred", "slipped"),
            note="How many planning cycles it has been deferred.",
        ),
        Column(
            "scheduled_as",
            "text",
            ("scheduled", "plan item", "planned as", "item"),
            note="Key of the plan item that does it this quarter; empty when it is not scheduled.",
        ),
    ),
    required=("title",),
)

INCIDENTS = SheetSpec(
    "Incidents",
    ("incidents", "incident log", "outages"),
    (
        Column("id", "text", ("key", "incident", "incident id"), note="Incident id."),
        Column("service", "text", ("system",), note="Service that failed."),
        Column("team", "text", ("owner team",), note="Team that handled it."),
        Column("severity", "text", ("sev", "priority"), note="e.g. SEV1, SEV2."),
        Column(
            "started", "date", ("start", "date", "opened", "started at"), note="When it started."
        ),
        Column(
            "duration_minutes",
            "number",
            ("duration", "minutes", "duration (minutes)"),
            note="How long it lasted, in minutes.",
        ),
        Column(
            "responders",
            "list",
            ("responder", "people", "on call"),
            note="People who responded, separated by commas.",
        ),
    ),
)

SETTINGS = SheetSpec(
    "Settings",
    ("settings", "plan settings", "config", "quarter"),
    (
        Column(
            "key",
            "text",
            ("setting", "name"),
            note="quarter, start, end or weeks: one setting per row.",
        ),
        Column(
            "value",
            "text",
            (),
            note="quarter as 2026-Q3; start and end as dates (default: the quarter's bounds); weeks as a number (default: from the dates). Command-line options win.",
        ),
    ),
)

_PARENTHESES = re.compile(r"\([^()]*\)")
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_EFFORT_WORDS = frozenset(
    {
        "est",
        "estimate",
        "estimated",
        "estimation",
        "effort",
        "work",
        "cost",
        "size",
        "sizing",
        "story",
    }
)
_DURATION_WORDS = frozenset({"duration", "length", "span"})
_UNIT_WORDS = {
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), "hours"),
    **dict.fromkeys(("d", "day", "days", "pd", "md"), "days"),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks", "ew", "pw"), "weeks"),
    **dict.fromkeys(("pt", "pts", "point", "points", "sp"), "points"),
}
_UNIT_FIELDS = {
    "hours": "estimate_hours",
    "days": "estimate_days",
    "weeks": "estimate",
    "points": "story_points",
}


def header_unit(header: str) -> str | None:
    """The unit a header names (`EstHours`: hours, `Duration (days)`: days), or None."""
    units = {_UNIT_WORDS[w.lower()] for w in _WORDS.findall(header) if w.lower() in _UNIT_WORDS}
    return units.pop() if len(units) == 1 else None


def unit_header(header: str) -> tuple[str, str] | None:
    """An estimate or duration column named with its unit in a way no alias lists: `EstHours`,
    `Est. (wks)`, `Effort [days]`, `durationWeeks`. (field, how it was read) or None."""
    words = [w.lower() for w in _WORDS.findall(header)]
    units = {_UNIT_WORDS[w] for w in words if w in _UNIT_WORDS}
    if len(units) != 1 or len(words) > 4:
        return None
    unit = units.pop()
    if any(w in _DURATION_WORDS for w in words) and unit in ("weeks", "days"):
        return "duration", f"a duration in {unit}, from the header"
    if any(w in _EFFORT_WORDS for w in words):
        return _UNIT_FIELDS[unit], f"an estimate in {unit}, from the header"
    return None


SHEETS: tuple[SheetSpec, ...] = (ITEMS, TEAMS, SERVICES, ORG, ACTIONS, INCIDENTS, SETTINGS)
_BY_ALIAS = {normalize_name(a): s for s in SHEETS for a in (s.name, *s.aliases)}


def sheet_for(name: str) -> SheetSpec | None:
    """The sheet a workbook tab or CSV file stem stands for, if any."""
    return _BY_ALIAS.get(normalize_name(name))


# Status words that mean the work is finished (any language a team writes in).
DONE_STATUSES = frozenset(
    normalize_name(s)
    for s in (
        "done",
        "closed",
        "resolved",
        "complete",
        "completed",
        "shipped",
        "released",
        "cancelled",
        "canceled",
        "won't do",
        "wont do",
        "duplicate",
        "hecho",
        "finalizado",
        "finalizada",
        "cerrado",
        "cerrada",
        "listo",
        "resuelto",
        "resuelta",
        "terminé",
        "terminado",
        "fait",
        "terminé",
        "fermé",
        "résolu",
        "gotowe",
        "zamknięte",
        "erledigt",
        "concluído",
        "feito",
    )
)


# Item statuses that take the work out of this quarter's plan without finishing it. Items only: a
# postmortem action "dropped" has died, which REL002 is there to see, so actions never read these.
OUT_OF_PLAN_STATUSES = frozenset(
    normalize_name(s)
    for s in (
        "dropped",
        "descoped",
        "de-scoped",
        "out of scope",
        "removed",
        "abandoned",
        "obsolete",
        "rejected",
        "deferred",
        "postponed",
        "moved to next quarter",
        "next quarter",
        "on ice",
        "descartado",
        "pospuesto",
        "abandonné",
        "reporté",
    )
)


# Item statuses that say the work has started: deferring it would leave a change half made.
IN_PROGRESS_STATUSES = frozenset(
    normalize_name(s)
    for s in (
        "in progress",
        "in-progress",
        "started",
        "doing",
        "in development",
        "in dev",
        "in review",
        "code review",
        "in testing",
        "testing",
        "in qa",
        "qa",
        "in flight",
        "rolling out",
        "running",
        "ongoing",
        "wip",
        "work in progress",
        "en curso",
        "en progreso",
        "en cours",
        "in bearbeitung",
        "w trakcie",
        "em andamento",
    )
)


def is_in_progress(status: str | None) -> bool:
    return status is not None and normalize_name(status) in IN_PROGRESS_STATUSES


def is_done(status: str | None) -> bool:
    return status is not None and normalize_name(status) in DONE_STATUSES


def is_out_of_plan(status: str | None) -> bool:
    """An item finished, or taken out of the quarter (dropped, deferred): no work it still asks for."""
    return status is not None and (
        normalize_name(status) in DONE_STATUSES or normalize_name(status) in OUT_OF_PLAN_STATUSES
    )
