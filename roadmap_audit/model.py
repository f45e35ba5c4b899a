"""The data model: what a plan is made of, and what an audit says about it.

Every object read from a source keeps a `SourceRef`, so a finding can cite the
exact cell (`Items!B14`) or Jira key it rests on, and the workbook writer can mark it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from enum import Enum
from typing import Annotated, Any, ClassVar, Literal, Self, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    SkipValidation,
    computed_field,
)

# 2: the JSON report writes each rule's title, why and fix once, in `rules`, not on every finding
SCHEMA_VERSION = 2


_ROUNDED_KEPT = 1 << 16


class _Rounded(dict[float, float]):
    """Figures -> their 4 decimals: most figures repeat (a spread, a chance out of 1,000 runs, an
    estimate). A figure seen before is one lookup in C, with no Python call (the JSON serializer
    asks for every figure of the report: about 300,000 at 50,000 items)."""

    def __missing__(self, value: float) -> float | None:
        """A figure not seen before, rounded: round() to 4 decimals is exact and costs a conversion
        to decimal digits; null for a value that is not finite (JSON has no Infinity: a load
        against zero capacity). Zero is never kept (0.0 and -0.0 are equal keys but are written
        differently), nor anything past _ROUNDED_KEPT figures."""
        if not math.isfinite(value):
            return None
        rounded = round(float(value), 4)
        if value and len(self) < _ROUNDED_KEPT:
            self[value] = rounded
        return rounded


_ROUNDED = _Rounded()
# A float as the JSON report writes it, once, as it is serialized: 4 decimals, null when not finite.
_json_number: Callable[[float], float | None] = _ROUNDED.__getitem__


# A figure of the audit: exact in the model (every report computes from the same value), rounded
# to 4 decimals where it becomes JSON.
Num = Annotated[float, PlainSerializer(_json_number, return_type=float | None, when_used="json")]
# A figure its maker already rounded to at most 4 decimals (the forecast rounds each item's weeks,
# chance and estimate once per distinct value): rounding it again changes nothing, so it is
# written as it is, with no call per figure (at 50k items, 150,000 of the report's 300,000
# figures); null when not finite, as a Num.
Rounded = float

# What _Lean relies on of pydantic's BaseModel: the three per-instance slots pydantic 2 keeps (the
# fields set, extra and private values). Checked once: were a later pydantic to keep them otherwise,
# every model falls back to pydantic's own construction and copies, slower and still right.
_PYDANTIC_SLOTS = {"__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__"}
_LEAN = set(getattr(BaseModel, "__slots__", ())) >= _PYDANTIC_SLOTS
_MISSING: Any = object()
_T = TypeVar("_T", bound=BaseModel)
_set = object.__setattr__
_new = (
    object.__new__
)  # what cls.__new__ is for every model here (BaseModel defines none), looked up once
if _LEAN:  # pydantic's per-instance slots, set through their descriptors (no lookup by name)
    _set_dict = BaseModel.__dict__["__dict__"].__set__  # bypasses the model's own __setattr__
    _set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
    _set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
    _set_private = BaseModel.__dict__["__pydantic_private__"].__set__


def _assemble(cls: type[_T], data: dict[str, Any], fields_set: set[str]) -> _T:
    """An instance of `cls` holding `data` as its fields, put together slot by slot (only when
    _LEAN): what every lean constructor and copy below ends with."""
    made = _new(cls)
    _set_dict(made, data)
    _set_fields_set(made, fields_set)
    _set_extra(made, None)
    _set_private(made, None)
    return made


class _EveryField(set[str]):
    """Every field name of one model class: the "fields set" all its instances share.

    pydantic adds a field's name when it is assigned (already here: nothing changes). A name that
    is not a field would change every instance's set at once, so it is refused.
    """

    def add(self, name: str) -> None:
        if name not in self:
            raise TypeError(f"{name!r} is not a field of this model")

    def update(self, *names: Iterable[Any]) -> None:
        for group in names:
            for name in group:
                self.add(name)

    def _refuse(self, *args: Any) -> None:
        raise TypeError("the fields set is shared by every instance of the model")

    discard = remove = pop = clear = _refuse  # type: ignore[assignment]
    difference_update = intersection_update = symmetric_difference_update = _refuse
    __ior__ = __iand__ = __isub__ = __ixor__ = _refuse  # type: ignore[assignment]


class _Made:
    """How `made` builds instances of one class: its fields' defaults, factories and shared set."""

    __slots__ = ("defaults", "factories", "required", "count", "fields_set")

    def __init__(self, cls: type[BaseModel]) -> None:
        self.defaults: dict[str, Any] = {}
        self.factories: list[tuple[str, Callable[[], Any]]] = []
        self.required: set[str] = set()
        for name, info in cls.model_fields.items():
            if info.default_factory is not None:
                self.defaults[name] = _MISSING
                self.factories.append((name, info.default_factory))  # type: ignore[arg-type]
            elif info.is_required():
                self.defaults[name] = _MISSING
                self.required.add(name)
            else:
                self.defaults[name] = info.default
        self.count = len(self.defaults)
        self.fields_set = _EveryField(cls.model_fields) if _LEAN else None


class _Lean(BaseModel):
    """Every instance shares one "fields set" per class, and the program's own objects skip validation.

    pydantic keeps, on each instance, the set of fields the caller passed (used only
    by `exclude_unset`, which nothing here calls). For a 25-field plan item that set
    is 2.2 KB, half the item: at 100,000 items, 220 MB of identical sets. We say
    every field was set, once per class (an `_EveryField`, which no assignment can change).
    """

    # How instances of the class are made without validation: its own, set as pydantic finishes
    # the class (one attribute lookup per instance made, no registry to consult)
    __made__: ClassVar[_Made]

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls.__made__ = _Made(cls)

    def model_post_init(self, context: Any, /) -> None:
        shared = type(self).__made__.fields_set
        if shared is not None:
            _set(self, "__pydantic_fields_set__", shared)

    @classmethod
    def made(cls, **values: Any) -> Self:
        """An instance from values the program made itself, already of the fields' types: not
        validated again (a finding: about 1.5 us instead of 10). A missing required field or a
        name that is not a field is still refused; defaults are filled in as pydantic would."""
        plan = cls.__made__
        fields_set = plan.fields_set
        if fields_set is None:  # not lean: pydantic's own construction, validated
            return cls(**values)
        data = plan.defaults.copy()
        data.update(values)  # the fields keep their declared order (the JSON's order)
        if len(data) != plan.count or not plan.required <= values.keys():
            unknown = sorted(values.keys() - plan.defaults.keys())
            missing = sorted(plan.required - values.keys())
            raise TypeError(f"{cls.__name__}.made: unknown fields {unknown}, missing {missing}")
        for name, factory in plan.factories:
            if data[name] is _MISSING:
                data[name] = factory()
        return _assemble(cls, data, fields_set)

    @classmethod
    def _fresh(cls, data: dict[str, Any]) -> Self:
        """An instance from a dict that already holds every field, in declared order, of the
        fields' types (the few hot constructors below build it): `made` without its checks."""
        fields_set = cls.__made__.fields_set
        if fields_set is None:  # not lean: pydantic's own construction, validated
            return cls(**data)
        return _assemble(cls, data, fields_set)

    @classmethod
    def _fresh_all(cls, datas: Iterable[dict[str, Any]]) -> list[Self]:
        """`_fresh` of many dicts of one class, the class's plan looked up once (a plan's item
        summaries: one per item)."""
        fields_set = cls.__made__.fields_set
        if fields_set is None:  # not lean: pydantic's own construction, validated
            return [cls(**data) for data in datas]
        return [_assemble(cls, data, fields_set) for data in datas]

    def __copy__(self) -> Self:
        """A shallow copy (what model_copy makes) that keeps sharing the fields set.

        No model here has extra or private attributes (extra="forbid", no PrivateAttr).
        """
        if not _LEAN:
            return super().__copy__()
        return _assemble(type(self), self.__dict__.copy(), self.__pydantic_fields_set__)


class _Model(_Lean):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class _Frozen(_Lean):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# ---------------------------------------------------------------- provenance


class SourceRef(_Frozen):
    """Where a value came from: a file, and a sheet/row/column or a Jira key."""

    source: str  # file name as the user gave it (no absolute paths in output)
    sheet: str | None = None
    row: int | None = None  # 1-based, as the spreadsheet shows it
    column: str | None = None  # spreadsheet letter (B) or a header name for CSV
    key: str | None = None  # Jira key, when the source is Jira

    @property
    def location(self) -> str:
        """`Items!B14`, `Items!14` (whole row), `PAY-12`, or the file name."""
        data = self.__dict__
        sheet, row = data["sheet"], data["row"]
        if sheet is not None and row is not None:
            return f"{sheet}!{data['column'] or ''}{row}"
        return data["key"] or (sheet if sheet is not None else data["source"])

    def at(self, column: str | None) -> SourceRef:
        """The same row, pointing at one column."""
        copied = self.__copy__()  # called for most cells of a plan: no model_copy overhead
        copied.__dict__["column"] = column
        return copied


class DataIssue(_Frozen):
    """A source value or row that could not be used as written."""

    ref: SourceRef
    problem: str  # what is wrong and what was done about it
    row_dropped: bool = False  # True when the whole row was not used
    subject_id: str | None = None  # item key, team or service the row was about
    rows: tuple[
        int, ...
    ] = ()  # when one note stands for many rows (one note per cause): every one of them

    @property
    def count(self) -> int:
        """How many rows the note is about."""
        return len(self.rows) or 1


# ---------------------------------------------------------------- plan


class _Row(_Model):
    """A row read from a source: where it is, and the column of each field."""

    def cell(self, field: str) -> SourceRef:
        """The cell of one field of this row, empty or not (the row itself if the sheet has no such column)."""
        derived = self.__dict__.get(
            "derived"
        )  # (a missing attribute costs pydantic a raised error)
        if derived and field in derived:  # a value a system of record gave: its file and entity
            return derived[field]
        column = self.columns.get(field)  # type: ignore[attr-defined]
        return self.ref.at(column) if column else self.ref  # type: ignore[attr-defined]


class ItemKind(str, Enum):  # noqa: UP042 (a StrEnum would print as its value: a change of behaviour)
    feature = "feature"
    migration = "migration"
    launch = "launch"
    reliability = "reliability"
    compliance = "compliance"
    ktlo = "ktlo"
    tech_debt = "tech-debt"
    action_item = "action-item"
    other = "other"


class Item(_Row):
    key: str
    title: str
    team: str | None = None
    kind_raw: str | None = None  # as written; the derive step classifies it
    estimate_weeks: float | None = None  # engineer-weeks, when given in a time unit
    estimate_points: float | None = None  # story points, converted per team later
    estimate_size: str | None = None  # a T-shirt size (XS ... XXL), converted by the capacity model
    estimate_raw: str | None = None  # as written, for the report
    start: dt.date | None = None
    due: dt.date | None = None
    depends_on: list[str] = Field(default_factory=list)
    services: list[str] = Field(default_factory=list)
    rollback_plan: str | None = None  # None when empty or a none marker
    rehearsal: str | None = None
    labels: list[str] = Field(default_factory=list)
    owner: str | None = None
    priority: str | None = None
    status: str | None = None
    done: bool = False
    committed: bool = False
    description: str | None = None
    first_planned: str | None = None
    parent: str | None = None  # epic / parent key (Jira hierarchy)
    links: list[tuple[str, str]] = Field(default_factory=list)  # (link type, key), not dependencies
    extra: dict[str, str] = Field(default_factory=dict)
    ref: SourceRef
    columns: SkipValidation[dict[str, str]] = Field(
        default_factory=dict
    )  # field -> letter; shared per sheet


class Team(_Row):
    team: str
    parent: str | None = None
    headcount: float | None = None
    new_hires: float = 0.0
    oncall_rotation: float = 0.0
    oncall_sites: int = 1
    ops_allocation: float | None = None
    pages_per_week: float = 0.0
    toil_hours_per_week: float = 0.0
    incidents_last_quarter: float | None = None
    points_per_week: float | None = None
    availability: float | None = None
    extra: dict[str, str] = Field(default_factory=dict)
    ref: SourceRef
    columns: SkipValidation[dict[str, str]] = Field(
        default_factory=dict
    )  # shared per sheet, never copied
    # field -> where a value derived from a system of record came from (file, entity, how)
    derived: SkipValidation[dict[str, SourceRef]] = Field(default_factory=dict)


class Service(_Row):
    service: str
    owner_team: str | None = None
    tier: int | None = None
    slo: float | None = None  # availability as a fraction: 0.9995
    slo_measured: bool | None = None
    error_budget_remaining: float | None = None
    error_budget_policy: bool | None = None
    experts: list[str] = Field(default_factory=list)
    runbook: str | None = None
    depends_on: list[str] = Field(default_factory=list)
    dependency_protection: bool | None = None
    extra: dict[str, str] = Field(default_factory=dict)
    ref: SourceRef
    columns: SkipValidation[dict[str, str]] = Field(
        default_factory=dict
    )  # shared per sheet, never copied
    # field -> where a value derived from a system of record came from (file, entity, how)
    derived: SkipValidation[dict[str, SourceRef]] = Field(default_factory=dict)


class OrgUnit(_Model):
    unit: str
    parent: str | None = None
    ref: SourceRef


class Action(_Row):
    key: str
    title: str
    team: str | None = None
    service: str | None = None
    postmortem: str | None = None
    raised: dt.date | None = None
    due: dt.date | None = None
    status: str | None = None
    done: bool = False
    times_deferred: int = 0
    scheduled_as: str | None = None
    ref: SourceRef
    columns: SkipValidation[dict[str, str]] = Field(
        default_factory=dict
    )  # shared per sheet, never copied


class Incident(_Model):
    id: str
    service: str | None = None
    team: str | None = None
    severity: str | None = None
    started: dt.date | None = None
    duration_minutes: float | None = None
    responders: list[str] = Field(default_factory=list)
    # An alert from a paging system (PagerDuty, Opsgenie): its time counts through the team's pages per
    # week, so the capacity model does not charge it again as an incident.
    paged: bool = False
    ref: SourceRef


class Settings(_Model):
    quarter: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    weeks: float | None = None


class SheetHeader(_Frozen):
    """A sheet's header row and what each header in it was read as (shown by `validate`)."""

    source: str
    sheet: str
    row: int  # 1-based
    columns: list[tuple[str, str, str]] = Field(default_factory=list)  # (letter, header, read as)


class Plan(_Model):
    """Everything read from the sources, plus what could not be read."""

    sources: list[str]
    settings: Settings = Field(default_factory=Settings)
    items: list[Item] = Field(default_factory=list)
    teams: list[Team] = Field(default_factory=list)
    services: list[Service] = Field(default_factory=list)
    org: list[OrgUnit] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)
    incidents: list[Incident] = Field(default_factory=list)
    rows_read: int = 0
    issues: list[DataIssue] = Field(default_factory=list)
    # With --level epic: the child issues folded into their epics, kept (parent keys intact) so a
    # rule can read what an epic's stories say; they are not items of the plan.
    rolled_up: list[Item] = Field(default_factory=list)
    headers: list[SheetHeader] = Field(default_factory=list)  # how each sheet's header row was read

    @property
    def rows_used(self) -> int:
        return self.rows_read - sum(i.count for i in self.issues if i.row_dropped)


# ---------------------------------------------------------------- audit

Severity = Literal["critical", "high", "medium", "low", "info"]
SEVERITIES: tuple[str, ...] = ("critical", "high", "medium", "low", "info")
SubjectKind = Literal["item", "team", "service", "person", "org", "plan"]
Verdict = Literal["go", "go-with-changes", "replan"]


class Subject(_Frozen):
    kind: SubjectKind
    id: str


class Evidence(_Frozen):
    source: str
    location: str
    note: str | None = None  # what this cell shows, e.g. "rollback_plan is empty"

    @classmethod
    def of(cls, ref: SourceRef, note: str | None = None) -> Evidence:
        return cls._fresh({"source": ref.source, "location": ref.location, "note": note})

    @classmethod
    def cell(cls, row: _Row, field: str, note: str | None = None) -> Evidence:
        """`Evidence.of(row.cell(field), note)`, without making the cell's SourceRef: a check
        cites tens of thousands of cells in a large plan."""
        values = row.__dict__
        derived = values.get("derived")
        if derived and field in derived:
            return cls.of(derived[field], note)
        ref: SourceRef = values["ref"]
        column = values["columns"].get(field)
        data = ref.__dict__
        sheet, number = data["sheet"], data["row"]
        if column and sheet is not None and number is not None:
            location = f"{sheet}!{column}{number}"
        else:
            location = ref.location
        fields_set = cls.__made__.fields_set
        if fields_set is None:
            return cls._fresh({"source": data["source"], "location": location, "note": note})
        return _assemble(
            cls, {"source": data["source"], "location": location, "note": note}, fields_set
        )


class Finding(_Frozen):
    rule: str
    severity: Severity
    title: str
    subject: Subject
    team: str | None = None
    teams: tuple[str, ...] = ()  # every team the finding involves
    owner_unit: str | None = None
    message: str
    why: str
    evidence: tuple[Evidence, ...] = ()
    fix: str
    impact: Num = 1.0  # tie-breakers within a severity (never rank alone)
    likelihood: Num = 1.0


class Deduction(_Frozen):
    """One line of a capacity breakdown: what was taken away and why."""

    label: str
    weeks: Num
    basis: str  # the arithmetic in words: "6 engineers x 13 weeks x (1 - 0.85)"


class CommittedDelivery(_Model):
    """One committed open item of a team, as the delivery forecast sees it."""

    key: str
    due: dt.date | None = None
    p_on_time: Num | None = None
    waits_on: list[str] = Field(default_factory=list)  # open items it depends on directly
    waits_on_teams: list[str] = Field(
        default_factory=list
    )  # other teams anywhere up its chain of dependencies
    chain: list[str] = Field(
        default_factory=list
    )  # the longest-waiting path up to another team's item


class TeamDelivery(_Model):
    """A team's delivery forecast (analyze/forecast.py), on its page and in its JSON entry."""

    p50_weeks: Num | None = None
    p85_weeks: Num | None = None
    p50_date: dt.date | None = None
    p85_date: dt.date | None = None
    p_by_end: Num | None = None  # chance all its open items are done by the quarter's end
    committed: list[CommittedDelivery] = Field(default_factory=list)


class TeamReport(_Model):
    team: str
    parent: str | None = None
    headcount: Num | None = None
    capacity_weeks: Num
    planned_weeks: Num
    ops_admitted: Num
    ops_observed: Num
    ops_weeks: Num
    load: Num | None  # None when the capacity is unknown: never a load of 0 that reads as "fits"
    buffer: Num | None
    score: int  # the sum of the severity weights of its findings (score.SCORE_RULE), no cap
    findings: int
    findings_by_severity: dict[str, int] = Field(default_factory=dict)  # the score's parts
    breakdown: list[Deduction] = Field(default_factory=list)
    unestimated_items: list[str] = Field(default_factory=list)
    items: list[str] = Field(default_factory=list)
    in_staffing_model: bool = True
    team_weeks: Num = 0.0  # staffed - leave - ramp: the base of ops_admitted and ops_observed
    ops_share: Num = 0.0  # operations (the largest of admitted, on-call, observed) over team time
    ops_basis: str | None = None  # "admitted", "on-call" or "observed"
    delivery: TeamDelivery | None = None
    # "fits", "no buffer", "over capacity", "committed work at risk" or "not checked", and why in words
    status: str = "not checked"
    status_text: str = ""
    # open items estimated in story points with no points_per_week to convert them: planned_weeks leaves them out
    points_unconverted: list[str] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]  # in the JSON too: "fits" told from "not checked"
    @property
    def capacity_known(self) -> bool:
        """Whether the staffing model gives the team a capacity its load can be checked against."""
        return self.in_staffing_model and self.headcount is not None

    @computed_field  # type: ignore[prop-decorator]  # in the JSON: planned_weeks is then a floor
    @property
    def planned_known(self) -> bool:
        """Whether every open estimate of the team could be counted in engineer-weeks."""
        return not self.points_unconverted


class Recommendation(_Model):
    team: str
    action: Literal["defer", "change"]
    # what the advice is about: the finding's subject for a change, the team for a deferral
    subject: Subject | None = None
    items: list[str] = Field(default_factory=list)
    load_before: Num | None = None
    load_after: Num | None = None
    rule: str | None = None
    text: str
    target_load: Num | None = None  # the line the deferrals aim under (CAP002's buffer line)
    reaches_target: bool | None = None
    dependents: dict[str, list[str]] = Field(
        default_factory=dict
    )  # deferred item -> open items that wait on it
    kept: dict[str, list[str]] = Field(
        default_factory=dict
    )  # why an item was not proposed -> its keys
    # the team's delivery forecast with and without the deferrals
    p50_date_before: dt.date | None = None
    p50_date_after: dt.date | None = None
    p_by_end_before: Num | None = None
    p_by_end_after: Num | None = None
    committed_at_risk_before: list[str] = Field(default_factory=list)
    committed_at_risk_after: list[str] = Field(default_factory=list)


class OrgRollup(_Model):
    unit: str
    parent: str | None = None
    teams: list[str] = Field(default_factory=list)  # every team below, at any depth
    findings_by_severity: dict[str, int] = Field(default_factory=dict)
    owned_findings: int = 0  # findings whose owner_unit is this unit itself
    capacity_weeks: Num = 0.0
    planned_weeks: Num = 0.0
    ops_weeks: Num = 0.0
    load: Num | None = None
    worst_team: str | None = None


class PlanSummary(_Model):
    sources: list[str]
    quarter: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    weeks: Num
    items: int
    teams: int


class ItemSummary(_Frozen):
    """One plan item as the reports show it (titles in advice, nodes in the dependency picture)."""

    key: str
    title: str
    team: str | None = None  # the staffing model's spelling
    kind: str
    estimate_weeks: Num | None = None  # story points already converted for the team
    due: dt.date | None = None
    committed: bool = False
    done: bool = False
    priority: str | None = None
    location: str  # where it was read: Items!A14, or a Jira key
    extra: dict[str, str] = Field(
        default_factory=dict
    )  # columns no field reads, by header, kept and shown


class Dependency(_Frozen):
    """An edge of the item dependency graph: `item` needs `depends_on` first."""

    item: str
    depends_on: str
    cross_team: bool = False


class ForecastItem(_Frozen):
    """One open item in the delivery forecast (analyze/forecast.py)."""

    key: str
    team: str
    committed: bool = False
    due: dt.date | None = (
        None  # what it is held to: its due date, or the quarter's end for a committed item
    )
    due_basis: Literal["due date", "quarter end"] | None = None
    estimate_weeks: Rounded  # the median effort drawn around; the default for an unestimated item
    estimated: bool = True
    spread: Num  # sigma of the lognormal effort (a parameter, as configured)
    p_on_time: Rounded | None = None  # share of runs in which it finished by `due`
    p50_weeks: Rounded | None = (
        None  # finish, in weeks from the quarter's start; None: not within the runs
    )
    p85_weeks: Rounded | None = None
    p50_date: dt.date | None = None
    p85_date: dt.date | None = None


class ForecastTeam(_Frozen):
    """When a team (or, as `(plan)`, the whole plan) finishes its open items."""

    team: str
    items: int
    pace_weeks: Num  # engineer-weeks per week before unplanned work: capacity_weeks / weeks
    unplanned_share: Num  # median share of unplanned work drawn around: max(ops admitted, observed)
    p50_weeks: Num | None = None
    p85_weeks: Num | None = None
    p50_date: dt.date | None = None
    p85_date: dt.date | None = None
    p_by_end: Num | None = None  # share of runs finished by the quarter's end


class Forecast(_Model):
    """The seeded Monte Carlo of the quarter: same plan, same seed, same figures."""

    runs: int  # the runs used: fewer than runs_asked when items x runs passes forecast.max_item_runs (see notes)
    runs_asked: int | None = None  # forecast.runs in force
    seed: int
    weeks: Num  # the quarter's length in the capacity model
    end_weeks: Num  # the quarter's last day, in weeks from its start
    start: dt.date | None = None
    end: dt.date | None = None
    params: dict[str, int | Num] = Field(default_factory=dict)  # spreads and defaults in force
    plan: ForecastTeam
    teams: list[ForecastTeam] = Field(default_factory=list)
    items: list[ForecastItem] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)  # what was left out of the forecast, and why


class DataQuality(_Model):
    rows_read: int
    rows_used: int
    issues: list[dict[str, Any]] = Field(default_factory=list)


class Audit(_Model):
    """The result of one run: the single object every formatter presents."""

    schema_version: int = SCHEMA_VERSION
    plan: PlanSummary
    verdict: Verdict
    verdict_reason: str
    teams: list[TeamReport]
    findings: list[Finding]
    recommendations: list[Recommendation] = Field(default_factory=list)
    org: list[OrgRollup] = Field(default_factory=list)
    data_quality: DataQuality
    rules_run: list[str] = Field(default_factory=list)
    items: list[ItemSummary] = Field(default_factory=list)
    dependencies: list[Dependency] = Field(default_factory=list)
    forecast: Forecast | None = None  # None only when the run made no forecast
