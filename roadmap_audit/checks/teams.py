"""Check kinds over teams: load, operations, on-call."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from ..analyze.capacity import share_text
from ..analyze.facts import Facts
from ..model import Evidence, Severity
from .base import Hit, Params, check, team_subject


def _pct(x: float) -> str:
    return share_text(x)


def ops_text(cap) -> str:
    """Where the capacity came from, in one clause: team time less operations (and which measure set them)."""
    basis = {
        "admitted": "the admitted share",
        "on-call": "the on-call shift, which holds the pages and toil",
        "observed": "observed pages, toil and incidents",
    }[cap.ops_basis]
    return (
        f"{cap.team_weeks:.1f} engineer-weeks of team time less {cap.ops_weeks:.1f} of operations "
        f"({_pct(cap.ops_share)}, {basis}) and the focus factor"
    )


class TeamLoadParams(Params):
    max_load: float = Field(gt=0, le=100)  # a share of capacity: 1.0 is all of it
    critical_load: float | None = Field(None, gt=0, le=100)


@check("team_load_above", TeamLoadParams)
def team_load_above(facts: Facts, p: TeamLoadParams) -> Iterator[Hit]:
    """Teams whose planned work plus operational load exceeds their capacity."""
    for name, cap in facts.capacity.items():
        if not cap.known or cap.load <= p.max_load:
            continue
        team = facts.teams[name]
        message = (
            f"{name} is planned at {_pct(cap.load)} of capacity: {cap.planned_weeks:.1f} planned "
            f"engineer-weeks against {cap.capacity_weeks:.1f} engineer-weeks of capacity for planned work "
            f"({ops_text(cap)})"
        )
        if cap.unestimated:
            message += f"; {len(cap.unestimated)} more items have no estimate"
        evidence = [Evidence.of(team.ref, "staffing model")]
        for key in sorted(cap.item_weeks, key=lambda k: -cap.item_weeks[k])[:5]:
            item = facts.items[key]
            evidence.append(
                Evidence.of(
                    item.cell("estimate"), f"{key}: {cap.item_weeks[key]:.1f} engineer-weeks"
                )
            )
        yield Hit(
            subject=team_subject(name),
            message=message,
            evidence=tuple(evidence),
            teams=(name,),
            severity="critical"
            if p.critical_load is not None and cap.load > p.critical_load
            else None,
            impact=cap.load,
            likelihood=cap.load,
        )


class OpsParams(Params):
    tolerance: float = Field(ge=0, le=1)
    max_ops_share: float = Field(gt=0, le=1)
    escalate_to: Severity | None = None


@check("team_ops_above_admitted", OpsParams)
def team_ops_above_admitted(facts: Facts, p: OpsParams) -> Iterator[Hit]:
    """Teams whose real operational load exceeds the share their staffing model admits."""
    for name, cap in facts.capacity.items():
        if not cap.known or cap.ops_observed <= cap.ops_admitted + p.tolerance:
            continue
        team = facts.teams[name]
        parts = ", ".join(
            f"{d.label} {d.weeks:.1f}"
            for d in cap.ops_breakdown
            if d.weeks > 0 and d.label in ("pages", "toil", "incidents")
        )
        message = (
            f"{name}'s operations take {_pct(cap.ops_observed)} of its team time "
            f"({cap.ops_observed_weeks:.1f} of {cap.team_weeks:.1f} engineer-weeks: {parts}), but its "
            f"staffing model admits {_pct(cap.ops_admitted)} of team time"
        )
        over_cap = cap.ops_observed > p.max_ops_share
        if over_cap:
            message += f"; that is above the {_pct(p.max_ops_share)} ceiling for operational work"
        evidence = [
            Evidence.of(team.cell("ops_allocation"), f"ops_allocation {_pct(cap.ops_admitted)}")
        ]
        for field in ("pages_per_week", "toil_hours_per_week", "incidents_last_quarter"):
            if (team.columns.get(field) or field in team.derived) and getattr(team, field):
                # a typed cell, or the file and entity a system of record gave the value from
                evidence.append(Evidence.of(team.cell(field), f"{field} {getattr(team, field):g}"))
        yield Hit(
            subject=team_subject(name),
            message=message,
            evidence=tuple(evidence),
            teams=(name,),
            severity=p.escalate_to if over_cap and p.escalate_to else None,
            impact=cap.ops_observed / max(cap.ops_admitted, 0.05),
            likelihood=1.0,
        )


class RotationParams(Params):
    min_single_site: int = Field(ge=1)
    min_per_site: int = Field(ge=1)
    required_for_tier: int | None = Field(
        ge=0
    )  # a team owning a service this critical needs a rotation


@check("oncall_rotation_small", RotationParams)
def oncall_rotation_small(facts: Facts, p: RotationParams) -> Iterator[Hit]:
    """On-call rotations too small to be sustainable (or missing where critical services need one)."""
    owned: dict[str, list[str]] = {}
    for svc in facts.services.values():
        owner = facts.team_name(svc.owner_team)
        if (
            owner
            and svc.tier is not None
            and p.required_for_tier is not None
            and svc.tier <= p.required_for_tier
        ):
            owned.setdefault(owner, []).append(svc.service)
    for name, team in facts.teams.items():
        rotation = team.oncall_rotation
        sites = max(1, team.oncall_sites)
        needed = p.min_single_site if sites == 1 else p.min_per_site * sites
        col = team.columns.get("oncall_rotation")
        where = team.ref.at(col) if col else team.ref
        if rotation <= 0:
            if name in owned:
                yield Hit(
                    subject=team_subject(name),
                    message=(
                        f"{name} owns tier-{p.required_for_tier} service(s) {', '.join(owned[name])} "
                        "but has no on-call rotation in the staffing model"
                    ),
                    evidence=(Evidence.of(where, "oncall_rotation empty or 0"),),
                    teams=(name,),
                )
            continue
        if rotation >= needed:
            continue
        site_text = "one site" if sites == 1 else f"{sites} sites ({p.min_per_site} per site)"
        weeks_on = facts.quarter.weeks / rotation
        yield Hit(
            subject=team_subject(name),
            message=(
                f"{name}'s on-call rotation has {rotation:g} engineers for {site_text}; a sustainable "
                f"rotation needs {needed}. Each engineer is on call about {weeks_on:.1f} weeks of the "
                f"{facts.quarter.weeks:g}-week quarter"
            ),
            evidence=(Evidence.of(where, f"oncall_rotation {rotation:g}"),),
            teams=(name,),
            impact=needed / rotation,
        )


# ---------------------------------------------------------------- buffer, ramp, crunch, pager


class BufferParams(Params):
    min_buffer: float = Field(ge=0, lt=1)
    # Teams above this load are over capacity, which CAP001 reports; they are not
    # reported again as "no buffer".
    skip_above: float | None = Field(gt=0, le=100)


@check("team_buffer_below", BufferParams)
def team_buffer_below(facts: Facts, p: BufferParams) -> Iterator[Hit]:
    """Teams whose plan leaves less than the minimum share of capacity for unplanned work."""
    for name, cap in facts.capacity.items():
        if not cap.known or cap.capacity_weeks <= 0 or cap.buffer >= p.min_buffer:
            continue
        if p.skip_above is not None and cap.load > p.skip_above:
            continue
        team = facts.teams[name]
        left = max(0.0, cap.buffer) * cap.capacity_weeks
        message = (
            f"{name} is planned at {_pct(cap.load)} of capacity ({cap.planned_weeks:.1f} planned "
            f"engineer-weeks against {cap.capacity_weeks:.1f} for planned work: {ops_text(cap)}); "
            f"that leaves {_pct(max(0.0, cap.buffer))} ({left:.1f} engineer-weeks) for incidents, "
            f"compliance requests and other work nobody has asked for yet, under the "
            f"{_pct(p.min_buffer)} floor"
        )
        if cap.unestimated:
            message += (
                f"; {len(cap.unestimated)} more items ({', '.join(cap.unestimated[:5])}) have no "
                "estimate, so the real buffer is smaller still"
            )
        evidence = [Evidence.of(team.ref, "staffing model")]
        for key in sorted(cap.item_weeks, key=lambda k: -cap.item_weeks[k])[:5]:
            item = facts.items[key]
            evidence.append(
                Evidence.of(
                    item.cell("estimate"), f"{key}: {cap.item_weeks[key]:.1f} engineer-weeks"
                )
            )
        yield Hit(
            subject=team_subject(name),
            message=message,
            evidence=tuple(evidence),
            teams=(name,),
            impact=cap.load,
            likelihood=1.0 + (p.min_buffer - cap.buffer),
        )


class RampParams(Params):
    min_new_hire_share: float = Field(gt=0, le=1)
    critical_priorities: list[str]
    critical_tier: int | None = Field(ge=0)
    include_committed: bool
    max_listed: int = Field(ge=1)


@check("team_ramping_with_critical_work", RampParams)
def team_ramping_with_critical_work(facts: Facts, p: RampParams) -> Iterator[Hit]:
    """Teams with a large share of new hires that carry critical or committed work."""
    from ..analyze.people import critical_reason

    for name, team in facts.teams.items():
        if not team.headcount or team.new_hires <= 0:
            continue
        share = min(team.new_hires, team.headcount) / team.headcount
        if share < p.min_new_hire_share:
            continue
        critical = []
        for item in facts.items_by_team.get(name, []):
            if item.done:
                continue
            reason = critical_reason(
                facts,
                item,
                priorities=p.critical_priorities,
                max_tier=p.critical_tier,
                committed=p.include_committed,
            )
            if reason:
                critical.append((item, reason))
        if not critical:
            continue
        ramp = "/".join(f"{r:.0%}" for r in facts.params.new_hire_ramp)
        listed = "; ".join(f"{i.key} ({why})" for i, why in critical[: p.max_listed])
        more = f" and {len(critical) - p.max_listed} more" if len(critical) > p.max_listed else ""
        hires = "new hire" if team.new_hires == 1 else "new hires"
        things = "item" if len(critical) == 1 else "items"
        message = (
            f"{name} has {team.new_hires:g} {hires} among {team.headcount:g} engineers "
            f"({_pct(share)}, at or above {_pct(p.min_new_hire_share)}); new engineers deliver about "
            f"{ramp} in their first three months and take time from the people who mentor them, yet "
            f"the team carries {len(critical)} critical or committed {things}: {listed}{more}"
        )
        evidence = [
            Evidence.of(team.cell("new_hires"), f"new_hires {team.new_hires:g}"),
            Evidence.of(team.cell("headcount"), f"headcount {team.headcount:g}"),
        ]
        for item, why in critical[: p.max_listed]:
            field = (
                "priority"
                if item.priority and why.startswith(item.priority.strip())
                else ("committed" if "committed" in why else "services")
            )
            evidence.append(Evidence.of(item.cell(field), f"{item.key}: {why}"))
        yield Hit(
            subject=team_subject(name),
            message=message,
            evidence=tuple(evidence),
            teams=(name,),
            impact=share * 2,
            likelihood=1.0 + len(critical) / 5,
        )


class CrunchParams(Params):
    last_weeks: float = Field(gt=0, le=53)
    max_share: float = Field(gt=0, le=1)
    max_listed: int = Field(ge=1)


@check("team_crunch_at_end", CrunchParams)
def team_crunch_at_end(facts: Facts, p: CrunchParams) -> Iterator[Hit]:
    """Teams with too much of their planned effort due in the last weeks of the quarter."""
    import datetime as dt

    from ..analyze.capacity import item_weeks

    end = facts.quarter.end
    if end is None:
        return
    window_start = end - dt.timedelta(days=round(7 * p.last_weeks) - 1)
    for name, items in sorted(facts.items_by_team.items()):
        # a team outside the staffing model still has estimates in engineer-weeks
        cap = facts.capacity.get(name)
        sizes = facts.params.size_weeks
        weights = (
            cap.item_weeks
            if cap is not None
            else {
                i.key: w
                for i in items
                if not i.done and (w := item_weeks(i, None, sizes)) is not None
            }
        )
        total = sum(weights.values())
        if total <= 0:
            continue
        late = [
            (facts.items[k], w)
            for k, w in weights.items()
            if facts.items[k].due is not None and facts.items[k].due >= window_start
        ]
        late_weeks = sum(w for _, w in late)
        share = late_weeks / total
        if share <= p.max_share:
            continue
        late.sort(key=lambda iw: (-iw[1], iw[0].key))
        undated = [k for k in weights if facts.items[k].due is None]
        listed = ", ".join(
            f"{i.key} ({w:g} wk, due {i.due.isoformat()})" for i, w in late[: p.max_listed]
        )
        message = (
            f"{name} has {late_weeks:.1f} of its {total:.1f} planned engineer-weeks "
            f"({_pct(share)}, above {_pct(p.max_share)}) due in the last {p.last_weeks:g} weeks of "
            f"the quarter ({window_start.isoformat()} to {end.isoformat()}): {listed}"
        )
        if undated:
            message += f"; {len(undated)} more estimated items have no due date and were not counted as late"
        evidence = [
            Evidence.of(i.cell("due"), f"{i.key}: due {i.due.isoformat()}, {w:g} engineer-weeks")
            for i, w in late[: p.max_listed]
        ]
        yield Hit(
            subject=team_subject(name),
            message=message,
            evidence=tuple(evidence),
            teams=(name,),
            impact=share / p.max_share,
            likelihood=1.0
            + late_weeks / max(cap.capacity_weeks if cap is not None else total, 1.0),
        )


class PagerParams(Params):
    shift_hours: float = Field(gt=0, le=168)
    max_pages_per_shift: float = Field(gt=0)
    # Mean pages per shift above which most shifts are interrupted (see ONC002).
    quiet_shift_max_mean: float | None = Field(None, ge=0)
    escalate_to: Severity | None = None


@check("pager_load_above_shift", PagerParams)
def pager_load_above_shift(facts: Facts, p: PagerParams) -> Iterator[Hit]:
    """Teams paged more often than one on-call shift can absorb."""
    shifts_per_week = 168 / p.shift_hours
    for name, team in facts.teams.items():
        pages = team.pages_per_week
        if pages <= 0:
            continue
        per_shift = pages / shifts_per_week
        over_bound = per_shift > p.max_pages_per_shift
        over_quiet = p.quiet_shift_max_mean is not None and per_shift > p.quiet_shift_max_mean
        if not (over_bound or over_quiet):
            continue
        sites = max(1, team.oncall_sites)
        per_engineer_week = pages / sites  # each site's primary carries its share of the shifts
        page_hours = per_engineer_week * facts.params.hours_per_page
        shifts_held = shifts_per_week / sites
        if over_bound:
            verdict = (
                f"above the bound of {p.max_pages_per_shift:g} per shift: more than one shift "
                "can absorb, so pages queue up or go unanswered"
            )
        else:
            verdict = (
                f"within the bound of {p.max_pages_per_shift:g} per shift, but above "
                f"{p.quiet_shift_max_mean:g}, the mean at which a typical shift still passes without "
                "a page; most shifts are interrupted, which is how alerts stop being read"
            )
        message = (
            f"{name} is paged {pages:g} times a week: {per_shift:.2f} pages per {p.shift_hours:g}-hour "
            f"shift ({shifts_per_week:g} shifts a week), {verdict}. The primary engineer holding the "
            f"pager for a week ({shifts_held:g} shifts) takes about {per_engineer_week:g} pages, "
            f"{page_hours:.0f} h of interrupted work at {facts.params.hours_per_page:g} h per page"
        )
        if team.oncall_rotation > 0:
            weeks_each = facts.quarter.weeks * sites / team.oncall_rotation
            message += (
                f"; with {team.oncall_rotation:g} engineers in the rotation each carries the pager "
                f"about {weeks_each:.1f} weeks this quarter, about {weeks_each * per_engineer_week:.0f} "
                "pages"
            )
        evidence = [Evidence.of(team.cell("pages_per_week"), f"pages_per_week {pages:g}")]
        if team.oncall_rotation > 0:
            evidence.append(
                Evidence.of(
                    team.cell("oncall_rotation"), f"oncall_rotation {team.oncall_rotation:g}"
                )
            )
        yield Hit(
            subject=team_subject(name),
            message=message,
            evidence=tuple(evidence),
            teams=(name,),
            severity=p.escalate_to if over_bound and p.escalate_to else None,
            impact=per_shift / p.max_pages_per_shift,
            likelihood=1.0,
        )
