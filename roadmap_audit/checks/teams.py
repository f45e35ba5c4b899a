"""Check kinds over teams: load, operations, on-call."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping

from pydantic import Field

from ..analyze.capacity import TeamCapacity, item_weeks, share_text
from ..analyze.facts import Facts
from ..analyze.people import CriticalWork
from ..model import Evidence, Item, Team
from .base import Hit, Params, check, flag, team_subject
from .texts import teams as texts


def _largest_items(facts: Facts, cap: TeamCapacity, n: int = 5) -> list[Evidence]:
    """The team's largest estimated items, as evidence."""
    return [
        Evidence.cell(
            facts.items[key], "estimate", f"{key}: {cap.item_weeks[key]:.1f} engineer-weeks"
        )
        # largest first, equals in plan order (a sort in reverse keeps their order)
        for key in sorted(cap.item_weeks, key=cap.item_weeks.__getitem__, reverse=True)[:n]
    ]


# ------------------------------------------------------------------ CAP001


class TeamLoadParams(Params):
    max_load: float = Field(gt=0, le=100)  # a share of capacity: 1.0 is all of it
    critical_load: float | None = Field(None, gt=0, le=100)


def team_load_above(facts: Facts, p: TeamLoadParams) -> Iterator[Hit]:
    """Teams whose planned work plus operational load exceeds their capacity."""
    for name, cap in facts.capacity.items():
        if not cap.known or cap.load <= p.max_load:
            continue
        team = facts.teams[name]
        yield Hit(
            subject=team_subject(name),
            message=texts.load_above(name, cap),
            evidence=(Evidence.of(team.ref, "staffing model"), *_largest_items(facts, cap)),
            teams=(name,),
            severity="critical"
            if p.critical_load is not None and cap.load > p.critical_load
            else None,
            impact=cap.load,
            likelihood=cap.load,
        )


# ------------------------------------------------------------------ CAP003


class OpsParams(Params):
    tolerance: float = Field(ge=0, le=1)
    max_ops_share: float = Field(gt=0, le=1)
    # a gap (observed minus admitted share of team time) below this is medium: within the error
    # of the hours per page and per incident the observed share is estimated from
    material_gap: float = Field(default=0.0, ge=0, le=1)


_OPS_FIELDS = ("pages_per_week", "toil_hours_per_week", "incidents_last_quarter")


def _ops_evidence(team: Team, cap: TeamCapacity) -> list[Evidence]:
    evidence = [
        Evidence.cell(team, "ops_allocation", f"ops_allocation {share_text(cap.ops_admitted)}")
    ]
    for field in _OPS_FIELDS:
        if (team.columns.get(field) or field in team.derived) and getattr(team, field):
            # a typed cell, or the file and entity a system of record gave the value from
            evidence.append(Evidence.cell(team, field, f"{field} {getattr(team, field):g}"))
    return evidence


def team_ops_above_admitted(facts: Facts, p: OpsParams) -> Iterator[Hit]:
    """Teams whose real operational load exceeds the share their staffing model admits."""
    for name, cap in facts.capacity.items():
        if not cap.known or cap.ops_observed <= cap.ops_admitted + p.tolerance:
            continue
        over_cap = cap.ops_observed > p.max_ops_share
        small = cap.ops_observed - cap.ops_admitted < p.material_gap
        yield Hit(
            subject=team_subject(name),
            message=texts.ops_above(name, cap, p.max_ops_share if over_cap else None),
            evidence=tuple(_ops_evidence(facts.teams[name], cap)),
            teams=(name,),
            severity="medium" if small else None,
            impact=cap.ops_observed / max(cap.ops_admitted, 0.05),
            likelihood=1.0,
            measured={"above_ceiling": over_cap},
        )


# ------------------------------------------------------------------ ONC001


class RotationParams(Params):
    min_single_site: int = Field(ge=1)
    min_per_site: int = Field(ge=1)
    required_for_tier: int | None = Field(
        ge=0
    )  # a team owning a service this critical needs a rotation


def _critical_services(facts: Facts, max_tier: int | None) -> dict[str, list[str]]:
    """Team -> the services of tier max_tier or more critical it owns."""
    owned: dict[str, list[str]] = {}
    if max_tier is None:
        return owned
    for svc in facts.services.values():
        owner = facts.team_name(svc.owner_team)
        if owner and svc.tier is not None and svc.tier <= max_tier:
            owned.setdefault(owner, []).append(svc.service)
    return owned


def oncall_rotation_small(facts: Facts, p: RotationParams) -> Iterator[Hit]:
    """On-call rotations too small to be sustainable (or missing where critical services need one)."""
    owned = _critical_services(facts, p.required_for_tier)
    for name, team in facts.teams.items():
        rotation = team.oncall_rotation
        sites = max(1, team.oncall_sites)
        needed = p.min_single_site if sites == 1 else p.min_per_site * sites
        col = team.columns.get("oncall_rotation")
        where = team.ref.at(col) if col else team.ref
        if rotation <= 0 and name in owned:
            yield Hit(
                subject=team_subject(name),
                message=texts.no_rotation(name, p.required_for_tier, owned[name]),
                evidence=(Evidence.of(where, "oncall_rotation empty or 0"),),
                teams=(name,),
            )
        if rotation <= 0 or rotation >= needed:
            continue
        yield Hit(
            subject=team_subject(name),
            message=texts.small_rotation(
                name, rotation, sites, p.min_per_site, needed, facts.quarter.weeks
            ),
            evidence=(Evidence.of(where, f"oncall_rotation {rotation:g}"),),
            teams=(name,),
            impact=needed / rotation,
        )


# ------------------------------------------------------------------ CAP002


class BufferParams(Params):
    min_buffer: float = Field(ge=0, lt=1)
    # Teams above this load are over capacity, which CAP001 reports; they are not
    # reported again as "no buffer".
    skip_above: float | None = Field(gt=0, le=100)


def team_buffer_below(facts: Facts, p: BufferParams) -> Iterator[Hit]:
    """Teams whose plan leaves less than the minimum share of capacity for unplanned work."""
    for name, cap in facts.capacity.items():
        if not cap.known or cap.capacity_weeks <= 0 or cap.buffer >= p.min_buffer:
            continue
        if p.skip_above is not None and cap.load > p.skip_above:
            continue
        team = facts.teams[name]
        yield Hit(
            subject=team_subject(name),
            message=texts.buffer_below(name, cap, p.min_buffer),
            evidence=(Evidence.of(team.ref, "staffing model"), *_largest_items(facts, cap)),
            teams=(name,),
            impact=cap.load,
            likelihood=1.0 + (p.min_buffer - cap.buffer),
        )


# ------------------------------------------------------------------ CAP004


class RampParams(Params):
    min_new_hire_share: float = Field(gt=0, le=1)
    critical_priorities: list[str]
    critical_tier: int | None = Field(ge=0)
    include_committed: bool
    max_listed: int = Field(ge=1)


def _new_hire_share(team: Team) -> float:
    if not team.headcount or team.new_hires <= 0:
        return 0.0
    return min(team.new_hires, team.headcount) / team.headcount


def _critical_work(facts: Facts, name: str, critical: CriticalWork) -> list[tuple[Item, str]]:
    """The team's open items that count as critical work, and why."""
    return [
        (item, reason)
        for item in facts.items_by_team.get(name, [])
        if not item.done and (reason := critical(item))
    ]


def _reason_field(item: Item, why: str) -> str:
    """The cell that shows why an item is critical work."""
    if item.priority and why.startswith(item.priority.strip()):
        return "priority"
    return "committed" if "committed" in why else "services"


def team_ramping_with_critical_work(facts: Facts, p: RampParams) -> Iterator[Hit]:
    """Teams with a large share of new hires that carry critical or committed work."""
    reason = CriticalWork(
        facts,
        priorities=p.critical_priorities,
        max_tier=p.critical_tier,
        committed=p.include_committed,
    )
    for name, team in facts.teams.items():
        share = _new_hire_share(team)
        if not share or share < p.min_new_hire_share:
            continue
        critical = _critical_work(facts, name, reason)
        if not critical:
            continue
        evidence = [
            Evidence.cell(team, "new_hires", f"new_hires {team.new_hires:g}"),
            Evidence.cell(team, "headcount", f"headcount {team.headcount:g}"),
        ]
        evidence += [
            Evidence.cell(item, _reason_field(item, why), f"{item.key}: {why}")
            for item, why in critical[: p.max_listed]
        ]
        yield Hit(
            subject=team_subject(name),
            message=texts.ramping(
                name,
                team,
                share,
                p.min_new_hire_share,
                facts.params.new_hire_ramp,
                critical,
                p.max_listed,
            ),
            evidence=tuple(evidence),
            teams=(name,),
            impact=share * 2,
            likelihood=1.0 + len(critical) / 5,
        )


# ------------------------------------------------------------------ CAP005


class CrunchParams(Params):
    last_weeks: float = Field(gt=0, le=53)
    max_share: float = Field(gt=0, le=1)
    max_listed: int = Field(ge=1)


def _planned_weeks(facts: Facts, name: str, items: list[Item]) -> Mapping[str, float]:
    """Engineer-weeks of the team's estimated open items: the capacity model's, or for a team
    outside the staffing model, its estimates in engineer-weeks."""
    cap = facts.capacity.get(name)
    if cap is not None:
        return cap.item_weeks
    sizes = facts.params.size_weeks
    return {i.key: w for i in items if not i.done and (w := item_weeks(i, None, sizes)) is not None}


def _due_from(
    facts: Facts, weights: Mapping[str, float], start: dt.date
) -> list[tuple[Item, float]]:
    """The weighted items due on or after `start`, heaviest first."""
    items = facts.items
    late = [
        (item, weeks)
        for key, weeks in weights.items()
        if (item := items[key]).due is not None and item.due >= start
    ]
    late.sort(key=lambda iw: (-iw[1], iw[0].key))
    return late


def _clearly_within(
    facts: Facts, weights: Mapping[str, float], start: dt.date, most: float
) -> bool:
    """Whether the weeks due on or after `start` are well under `most`: most teams are, and
    need not have their late items listed and sorted (summed in another order, the weeks may
    differ in the last bits: a team near the line is worked out in full)."""
    items = facts.items
    late = sum(
        w for key, w in weights.items() if (due := items[key].due) is not None and due >= start
    )
    return late < most * (1 - 1e-9)


def team_crunch_at_end(facts: Facts, p: CrunchParams) -> Iterator[Hit]:
    """Teams with too much of their planned effort due in the last weeks of the quarter."""
    end = facts.quarter.end
    if end is None:
        return
    window_start = end - dt.timedelta(days=round(7 * p.last_weeks) - 1)
    for name, items in sorted(facts.items_by_team.items()):
        weights = _planned_weeks(facts, name, items)
        total = sum(weights.values())
        if total <= 0 or _clearly_within(facts, weights, window_start, total * p.max_share):
            continue
        late = _due_from(facts, weights, window_start)
        late_weeks = sum(w for _, w in late)
        if late_weeks / total <= p.max_share:
            continue
        undated = sum(1 for k in weights if facts.items[k].due is None)
        cap = facts.capacity.get(name)
        yield Hit(
            subject=team_subject(name),
            message=texts.crunch(
                name,
                late,
                (late_weeks, total),
                p.max_share,
                (p.last_weeks, window_start, end),
                undated,
                p.max_listed,
            ),
            evidence=tuple(
                Evidence.cell(
                    i,
                    "due",
                    f"{i.key}: due {i.due.isoformat() if i.due else ''}, {w:g} engineer-weeks",
                )
                for i, w in late[: p.max_listed]
            ),
            teams=(name,),
            impact=late_weeks / total / p.max_share,
            likelihood=1.0
            + late_weeks / max(cap.capacity_weeks if cap is not None else total, 1.0),
        )


# ------------------------------------------------------------------ ONC002


class PagerParams(Params):
    shift_hours: float = Field(gt=0, le=168)
    max_pages_per_shift: float = Field(gt=0)
    # Mean pages per shift above which most shifts are interrupted (see ONC002).
    quiet_shift_max_mean: float | None = Field(None, ge=0)


def _pager_evidence(team: Team) -> tuple[Evidence, ...]:
    evidence = [Evidence.cell(team, "pages_per_week", f"pages_per_week {team.pages_per_week:g}")]
    if team.oncall_rotation > 0:
        evidence.append(
            Evidence.cell(team, "oncall_rotation", f"oncall_rotation {team.oncall_rotation:g}")
        )
    return tuple(evidence)


def pager_load_above_shift(facts: Facts, p: PagerParams) -> Iterator[Hit]:
    """Teams paged more often than one on-call shift can absorb."""
    shifts_per_week = 168 / p.shift_hours
    for name, team in facts.teams.items():
        pages = team.pages_per_week
        per_shift = pages / shifts_per_week
        over_bound = per_shift > p.max_pages_per_shift
        over_quiet = p.quiet_shift_max_mean is not None and per_shift > p.quiet_shift_max_mean
        if pages <= 0 or not (over_bound or over_quiet):
            continue
        sites = max(1, team.oncall_sites)
        per_engineer_week = pages / sites  # each site's primary carries its share of the shifts
        message = texts.pager(
            name,
            pages,
            per_shift,
            p.shift_hours,
            texts.pager_verdict(over_bound, p.max_pages_per_shift, p.quiet_shift_max_mean),
            (shifts_per_week, shifts_per_week / sites, per_engineer_week),
            facts.params.hours_per_page,
        )
        if team.oncall_rotation > 0:
            weeks_each = facts.quarter.weeks * sites / team.oncall_rotation
            message += texts.pager_rotation(team.oncall_rotation, weeks_each, per_engineer_week)
        yield Hit(
            subject=team_subject(name),
            message=message,
            evidence=_pager_evidence(team),
            teams=(name,),
            impact=per_shift / p.max_pages_per_shift,
            likelihood=1.0,
            measured={"above_bound": over_bound},
        )


# Registered by a call, not a decorator: mutation testing (tools/mutation.py) reaches
# only undecorated functions.
check("team_load_above", TeamLoadParams)(team_load_above)
check(
    "team_ops_above_admitted",
    OpsParams,
    measures={"above_ceiling": flag("operations take more than max_ops_share of the team's time")},
)(team_ops_above_admitted)
check("oncall_rotation_small", RotationParams)(oncall_rotation_small)
check("team_buffer_below", BufferParams)(team_buffer_below)
check("team_ramping_with_critical_work", RampParams)(team_ramping_with_critical_work)
check("team_crunch_at_end", CrunchParams)(team_crunch_at_end)
check(
    "pager_load_above_shift",
    PagerParams,
    measures={"above_bound": flag("more pages per shift than max_pages_per_shift")},
)(pager_load_above_shift)
