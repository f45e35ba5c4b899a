"""The capacity model: a team's staffing in engineer-weeks, what operations take of
it, and how loaded its quarter is. Every rule and every report reuses this.
Each hour is counted once:

    staffed        = headcount x weeks
    - leave        = staffed x (1 - availability)
    - ramp         = new_hires x weeks x availability x (1 - mean ramp over the quarter)
    = team time                                   the base of every operations share
    - operations   = the largest of three measures of the same time, never their sum:
                       admitted  = ops_allocation x team time
                       on-call   = weeks x primary engineers per week  (when the team runs a rotation;
                                   the primary does no project work, and handles the pages and toil)
                       observed  = weeks x (pages/week x hours/page + toil hours/week) / hours per week
                                   + incidents last quarter x hours per incident / hours per week
    = project time
    - focus loss   = project time x (1 - focus factor)
    = capacity_weeks                              engineer-weeks for planned work

    ops_observed   = observed / team time         (what CAP003 compares with ops_allocation)
    load           = planned_weeks / capacity_weeks
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, TypeGuard, get_args

from pydantic import BaseModel, ConfigDict, Field

from ..load.effort import HOURS_PER_WEEK
from ..model import DataIssue, Deduction, Item, Team

Share = Annotated[float, Field(ge=0, le=1)]
Size = Literal["XS", "S", "M", "L", "XL", "XXL"]  # the spellings of load/effort.py, canonical
_SIZES: frozenset[str] = frozenset(get_args(Size))
_DEFAULT_SIZE_WEEKS: dict[Size, float] = {
    "XS": 0.5,
    "S": 1.0,
    "M": 3.0,
    "L": 6.0,
    "XL": 13.0,
    "XXL": 26.0,
}


def is_size(text: str) -> TypeGuard[Size]:
    """Whether the text is one of the canonical T-shirt sizes (XS ... XXL)."""
    return text in _SIZES


class CapacityParams(BaseModel):
    """The capacity model's coefficients (rules/capacity.toml, then [capacity] in the config)."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, defer_build=True, allow_inf_nan=False
    )  # `rules list` never builds it

    weeks: float = Field(13.0, gt=0, le=53)
    availability: float = Field(0.85, gt=0, le=1)
    focus_factor: float = Field(0.7, gt=0, le=1)
    new_hire_ramp: tuple[Share, ...] = (0.25, 0.5, 0.75)
    oncall_primary_per_week: float = Field(1.0, ge=0)
    # one engineer-week in hours, for every conversion: pages, toil, incidents, and (read by the
    # loader before the plan is) hours in estimates and Jira's seconds
    hours_per_week: float = Field(HOURS_PER_WEEK, gt=0, le=168)
    hours_per_page: float = Field(1.0, ge=0)
    hours_per_incident: float = Field(6.0, ge=0)
    default_ops_allocation: Share = 0.0
    size_weeks: dict[Size, Annotated[float, Field(ge=0, le=520)]] = Field(
        default_factory=lambda: dict(_DEFAULT_SIZE_WEEKS)
    )

    @property
    def ramp_mean(self) -> float:
        """A new hire's mean productivity over the quarter: 3 months, ramp per month."""
        months = list(self.new_hire_ramp[:3]) + [1.0] * max(0, 3 - len(self.new_hire_ramp))
        return sum(months) / 3


@dataclass
class TeamCapacity:
    team: str
    capacity_weeks: float  # engineer-weeks for planned work, after operations and focus
    planned_weeks: float
    ops_admitted: float  # share of team time
    ops_observed: float  # share of team time: pages, toil and incidents
    ops_observed_weeks: float
    team_weeks: float = 0.0  # staffed - leave - ramp: the base of the operations shares
    oncall_weeks: float = 0.0  # the on-call shift: primaries x weeks
    focus_factor: float = 0.7
    breakdown: list[Deduction] = field(default_factory=list)
    ops_breakdown: list[Deduction] = field(default_factory=list)
    unestimated: list[str] = field(default_factory=list)
    item_weeks: dict[str, float] = field(default_factory=dict)  # open item key -> engineer-weeks
    known: bool = True  # False when headcount is missing: capacity is unknown
    # open items estimated in story points the team has no points_per_week for: planned work is only a floor
    unconverted_points: list[str] = field(default_factory=list)
    # open items estimated only in story points (whatever the team's points_per_week): read by
    # points_notes, found in the same pass over the team's items
    points_only: list[Item] = field(default_factory=list)

    @property
    def ops_weeks(self) -> float:
        """Engineer-weeks of team time operations take: the largest of admitted, on-call and observed."""
        return min(
            max(self.ops_admitted * self.team_weeks, self.oncall_weeks, self.ops_observed_weeks),
            self.team_weeks,
        )

    @property
    def ops_share(self) -> float:
        """Operations as a share of team time (what the forecast draws unplanned work around)."""
        return self.ops_weeks / self.team_weeks if self.team_weeks > 0 else 0.0

    @property
    def ops_basis(self) -> str:
        """Which measure sets the operations: "admitted", "on-call" or "observed"."""
        measures = {
            "admitted": self.ops_admitted * self.team_weeks,
            "on-call": self.oncall_weeks,
            "observed": self.ops_observed_weeks,
        }
        return max(measures, key=lambda k: measures[k])

    @property
    def load(self) -> float:
        return load_of(self.planned_weeks, self.capacity_weeks)

    @property
    def buffer(self) -> float:
        return 1.0 - self.load


def share_text(share: float) -> str:
    """A load as a percentage for a message: planned work and no capacity at all is a load of ∞%."""
    return "∞%" if share == float("inf") else f"{share:.0%}"


def load_of(planned_weeks: float, capacity_weeks: float) -> float:
    """Share of the capacity for planned work (operations already taken out) that the plan asks for."""
    if capacity_weeks <= 0:
        return float("inf") if planned_weeks > 0 else 0.0
    return planned_weeks / capacity_weeks


def estimated(item: Item) -> bool:
    """Whether the plan gives the item any estimate: engineer-weeks, story points or a T-shirt size."""
    return (
        item.estimate_weeks is not None
        or item.estimate_points is not None
        or item.estimate_size is not None
    )


def item_weeks(item: Item, team: Team | None, sizes: Mapping[Any, float]) -> float | None:
    """Engineer-weeks of an item; story points go through the team's points_per_week, T-shirt sizes
    through the capacity model's size_weeks."""
    if item.estimate_weeks is not None:
        return item.estimate_weeks
    if item.estimate_points is not None and team is not None and team.points_per_week:
        return item.estimate_points / team.points_per_week
    if item.estimate_size is not None and is_size(item.estimate_size):
        return sizes.get(item.estimate_size)
    return None


def points_unconverted(item: Item, team: Team | None) -> bool:
    """An open item estimated in story points only, whose team has no points_per_week to make them weeks."""
    return (
        not item.done
        and item.estimate_weeks is None
        and item.estimate_points is not None
        and (team is None or not team.points_per_week)
    )


def points_notes(
    items_by_team: Mapping[str, list[Item]],
    teams: Mapping[str, Team],
    capacity: Mapping[str, TeamCapacity] | None = None,
) -> list[DataIssue]:
    """One note per team whose story points cannot become engineer-weeks: its planned work is not known.

    Without it, points read as "no estimate" and a team's planned work as 0.0 while the data looks clean.
    `capacity`: the teams' capacity, whose pass over their items found those estimated only in points."""
    notes = []
    for name, items in sorted(items_by_team.items()):
        team = teams.get(name)
        if team is not None and team.points_per_week:  # its points become weeks
            continue
        cap = capacity.get(name) if capacity is not None else None
        stuck = cap.points_only if cap is not None else _points_only(items)
        if not stuck:
            continue
        points = sum(i.estimate_points or 0.0 for i in stuck)
        keys = ", ".join(i.key for i in stuck[:5]) + (
            f" and {len(stuck) - 5} more" if len(stuck) > 5 else ""
        )
        what = "points_per_week (story points one engineer finishes in a week)"
        if team is None:
            where = stuck[0].ref.model_copy(update={"row": None, "column": None, "key": None})
            fix = (
                f"add a row for {name} with its headcount and {what} to a Teams sheet (roadmap-audit template "
                "teams.xlsx --from PLAN writes one to fill in) and audit with --context teams.xlsx"
            )
        else:
            column = team.columns.get("points_per_week")
            where = team.ref.at(column) if column else team.ref
            fix = (
                f"fill in {what} for {name} in the Teams sheet"
                if column
                else f"add a column {what} to the Teams sheet and fill it in for {name}"
            )
        notes.append(
            DataIssue(
                ref=where,
                subject_id=name,
                problem=(
                    f"team {name}: {len(stuck)} open item{'s are' if len(stuck) > 1 else ' is'} estimated only in story "
                    f"points ({points:g} points: {keys}) and the team has no points_per_week to turn points into "
                    f"engineer-weeks: {'they count' if len(stuck) > 1 else 'it counts'} as unestimated and the team's "
                    f"planned work is not known; {fix}"
                ),
            )
        )
    return notes


def _points_only(items: list[Item]) -> list[Item]:
    """The open items estimated in story points only: `points_unconverted` of the items of a team
    that has no points_per_week, in one pass."""
    return [
        i
        for i in items
        if i.estimate_points is not None and i.estimate_weeks is None and not i.done
    ]


def _n(x: float) -> str:
    return f"{x:g}" if abs(x - round(x, 2)) < 1e-9 else f"{x:.2f}"


def team_capacity(
    team: Team,
    items: list[Item],
    params: CapacityParams,
    *,
    weeks: float,
    incidents: float | None = None,
) -> TeamCapacity:
    """The capacity, demand and operational load of one team for the quarter."""
    headcount = team.headcount or 0.0
    availability = team.availability if team.availability is not None else params.availability
    new_hires = min(team.new_hires, headcount)
    raw = headcount * weeks
    leave = raw * (1 - availability)
    ramp = new_hires * weeks * availability * (1 - params.ramp_mean)
    team_time = max(0.0, raw - leave - ramp)
    admitted = (
        team.ops_allocation if team.ops_allocation is not None else params.default_ops_allocation
    )
    oncall = weeks * params.oncall_primary_per_week if team.oncall_rotation > 0 else 0.0

    page_weeks = weeks * team.pages_per_week * params.hours_per_page / params.hours_per_week
    toil_weeks = weeks * team.toil_hours_per_week / params.hours_per_week
    incident_count = (
        team.incidents_last_quarter
        if team.incidents_last_quarter is not None
        else (incidents or 0.0)
    )
    incident_weeks = incident_count * params.hours_per_incident / params.hours_per_week
    observed_weeks = page_weeks + toil_weeks + incident_weeks
    measures = {"admitted": admitted * team_time, "on-call": oncall, "observed": observed_weeks}
    basis = max(measures, key=lambda k: measures[k])
    ops = min(measures[basis], team_time)
    project = team_time - ops
    focus = project * (1 - params.focus_factor)
    capacity = project - focus
    why = (
        {
            "admitted": f"the admitted share: ops_allocation {_n(admitted)} x {_n(team_time)} team time; it holds "
            f"the on-call shift ({_n(oncall)}) and the observed {_n(observed_weeks)}",
            "on-call": f"the on-call shift: {_n(params.oncall_primary_per_week)} primary x {_n(weeks)} weeks, no "
            f"project work during the shift; it holds the observed {_n(observed_weeks)} and is at "
            f"least the admitted {_n(admitted * team_time)}",
            "observed": f"observed: pages, toil and incidents ({_n(observed_weeks)}), more than the on-call shift "
            f"({_n(oncall)}) and the admitted share ({_n(admitted * team_time)}) can hold",
        }[basis]
        if ops > 0
        else "no operations: no admitted share, on-call rotation, pages, toil or incidents"
    )
    # the lines' values are the floats just computed: made without validating them again
    breakdown = [
        Deduction.made(
            label="staffed", weeks=raw, basis=f"{_n(headcount)} engineers x {_n(weeks)} weeks"
        ),
        Deduction.made(
            label="leave and holidays",
            weeks=-leave,
            basis=f"{_n(raw)} x (1 - availability {_n(availability)})",
        ),
        Deduction.made(
            label="new-hire ramp",
            weeks=-ramp,
            basis=f"{_n(new_hires)} new x {_n(weeks)} weeks x {_n(availability)} x "
            f"(1 - mean ramp {_n(params.ramp_mean)})",
        ),
        Deduction.made(
            label="team time",
            weeks=team_time,
            basis="engineer-weeks at work: the base of every ops share",
        ),
        Deduction.made(
            label="operations",
            weeks=-ops,
            basis=f"the largest of admitted, on-call and observed: {why}" if ops > 0 else why,
        ),
        Deduction.made(
            label="focus factor",
            weeks=-focus,
            basis=f"{_n(project)} project time x (1 - focus {_n(params.focus_factor)})",
        ),
        Deduction.made(label="capacity", weeks=capacity, basis="engineer-weeks for planned work"),
    ]
    ops_breakdown = [
        Deduction.made(
            label="admitted",
            weeks=admitted * team_time,
            basis=f"ops_allocation {_n(admitted)} x {_n(team_time)} team time",
        ),
        Deduction.made(
            label="on-call shift",
            weeks=oncall,
            basis=(
                f"{_n(params.oncall_primary_per_week)} primary x {_n(weeks)} weeks; the pages and toil "
                "fall inside it"
            )
            if oncall
            else "no on-call rotation",
        ),
        Deduction.made(
            label="pages",
            weeks=page_weeks,
            basis=f"{_n(team.pages_per_week)}/week x {_n(params.hours_per_page)} h x {_n(weeks)} weeks "
            f"/ {_n(params.hours_per_week)} h",
        ),
        Deduction.made(
            label="toil",
            weeks=toil_weeks,
            basis=f"{_n(team.toil_hours_per_week)} h/week x {_n(weeks)} weeks / {_n(params.hours_per_week)} h",
        ),
        Deduction.made(
            label="incidents",
            weeks=incident_weeks,
            basis=f"{_n(incident_count)} last quarter x {_n(params.hours_per_incident)} h "
            f"/ {_n(params.hours_per_week)} h",
        ),
    ]

    planned = 0.0
    unestimated: list[str] = []
    unconverted: list[str] = []
    points_only: list[Item] = []
    weights: dict[str, float] = {}
    sizes = params.size_weeks
    for item in items:
        if item.done:
            continue
        w = item.estimate_weeks  # most items: weeks as written, else item_weeks converts
        if w is None:
            if item.estimate_points is not None:
                points_only.append(item)
            w = item_weeks(item, team, sizes)
        if w is None:
            unestimated.append(item.key)
            if points_unconverted(item, team):
                unconverted.append(item.key)
            continue
        weights[item.key] = w
        planned += w

    observed = observed_weeks / team_time if team_time > 0 else (1.0 if observed_weeks > 0 else 0.0)
    return TeamCapacity(
        team=team.team,
        capacity_weeks=capacity,
        planned_weeks=planned,
        ops_admitted=admitted,
        ops_observed=observed,
        ops_observed_weeks=observed_weeks,
        team_weeks=team_time,
        oncall_weeks=oncall,
        focus_factor=params.focus_factor,
        breakdown=breakdown,
        ops_breakdown=ops_breakdown,
        unestimated=unestimated,
        item_weeks=weights,
        known=team.headcount is not None,
        unconverted_points=unconverted,
        points_only=points_only,
    )
