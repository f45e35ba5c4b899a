"""Wording of the team checks (CAP001-005, ONC001-002): load, operations, on-call, ramp-up
and the end-of-quarter crunch."""

from __future__ import annotations

import datetime as dt

from ...analyze.capacity import TeamCapacity, share_text
from ...analyze.numbers import plural
from ...model import Item, Team


def ops_text(cap: TeamCapacity) -> str:
    """Where the capacity came from, in one clause: team time less operations (and which measure
    set them)."""
    basis = {
        "admitted": "the admitted share",
        "on-call": "the on-call shift, which holds the pages and toil",
        "observed": "observed pages, toil and incidents",
    }[cap.ops_basis]
    return (
        f"{cap.team_weeks:.1f} engineer-weeks of team time less {cap.ops_weeks:.1f} of operations "
        f"({share_text(cap.ops_share)}, {basis}) and the focus factor"
    )


def load_above(name: str, cap: TeamCapacity) -> str:
    message = (
        f"{name} is planned at {share_text(cap.load)} of capacity: {cap.planned_weeks:.1f} planned "
        f"engineer-weeks against {cap.capacity_weeks:.1f} engineer-weeks of capacity for planned "
        f"work ({ops_text(cap)})"
    )
    if cap.unestimated:
        message += f"; {len(cap.unestimated)} more items have no estimate"
    return message


def ops_above(name: str, cap: TeamCapacity, ceiling: float | None) -> str:
    """`ceiling`: the ceiling for operational work, when the team is above it."""
    parts = ", ".join(
        f"{d.label} {d.weeks:.1f}"
        for d in cap.ops_breakdown
        if d.weeks > 0 and d.label in ("pages", "toil", "incidents")
    )
    message = (
        f"{name}'s operations take {share_text(cap.ops_observed)} of its team time "
        f"({cap.ops_observed_weeks:.1f} of {cap.team_weeks:.1f} engineer-weeks: {parts}), but its "
        f"staffing model admits {share_text(cap.ops_admitted)} of team time"
    )
    if ceiling is not None:
        message += f"; that is above the {share_text(ceiling)} ceiling for operational work"
    return message


def no_rotation(name: str, tier: int | None, services: list[str]) -> str:
    return (
        f"{name} owns tier-{tier} {plural(len(services), 'service', bare=True)} {', '.join(services)} "
        "but has no on-call rotation in the staffing model"
    )


def small_rotation(
    name: str, rotation: float, sites: int, per_site: int, needed: int, weeks: float
) -> str:
    site_text = "one site" if sites == 1 else f"{sites} sites ({per_site} per site)"
    return (
        f"{name}'s on-call rotation has {rotation:g} engineers for {site_text}; a sustainable "
        f"rotation needs {needed}. Each engineer is on call about {weeks / rotation:.1f} weeks of "
        f"the {weeks:g}-week quarter"
    )


def buffer_below(name: str, cap: TeamCapacity, min_buffer: float) -> str:
    left = max(0.0, cap.buffer) * cap.capacity_weeks
    message = (
        f"{name} is planned at {share_text(cap.load)} of capacity ({cap.planned_weeks:.1f} planned "
        f"engineer-weeks against {cap.capacity_weeks:.1f} for planned work: {ops_text(cap)}); "
        f"that leaves {share_text(max(0.0, cap.buffer))} ({left:.1f} engineer-weeks) for "
        f"incidents, compliance requests and other work nobody has asked for yet, under the "
        f"{share_text(min_buffer)} floor"
    )
    if cap.unestimated:
        message += (
            f"; {len(cap.unestimated)} more items ({', '.join(cap.unestimated[:5])}) have no "
            "estimate, so the real buffer is smaller still"
        )
    return message


def ramping(
    name: str,
    team: Team,
    share: float,
    min_share: float,
    ramp: tuple[float, ...] | list[float],
    critical: list[tuple[Item, str]],
    max_listed: int,
) -> str:
    listed = "; ".join(f"{i.key} ({why})" for i, why in critical[:max_listed])
    more = f" and {len(critical) - max_listed} more" if len(critical) > max_listed else ""
    hires = "new hire" if team.new_hires == 1 else "new hires"
    things = "item" if len(critical) == 1 else "items"
    return (
        f"{name} has {team.new_hires:g} {hires} among {team.headcount:g} engineers "
        f"({share_text(share)}, at or above {share_text(min_share)}); new engineers deliver about "
        f"{'/'.join(f'{r:.0%}' for r in ramp)} in their first three months and take time from the "
        f"people who mentor them, yet the team carries {len(critical)} critical or committed "
        f"{things}: {listed}{more}"
    )


def crunch(
    name: str,
    late: list[tuple[Item, float]],
    totals: tuple[float, float],
    max_share: float,
    window: tuple[float, dt.date, dt.date],
    undated: int,
    max_listed: int,
) -> str:
    """`totals`: (late engineer-weeks, all of them); `window`: (weeks, first day, last day)."""
    late_weeks, total = totals
    weeks, start, end = window
    listed = ", ".join(
        f"{i.key} ({w:g} wk, due {i.due.isoformat() if i.due else ''})"
        for i, w in late[:max_listed]
    )
    message = (
        f"{name} has {late_weeks:.1f} of its {total:.1f} planned engineer-weeks "
        f"({share_text(late_weeks / total)}, above {share_text(max_share)}) due in the last "
        f"{weeks:g} weeks of the quarter ({start.isoformat()} to {end.isoformat()}): {listed}"
    )
    if undated:
        message += f"; {undated} more estimated items have no due date and were not counted as late"
    return message


def pager(
    name: str,
    pages: float,
    per_shift: float,
    shift_hours: float,
    verdict: str,
    held: tuple[float, float, float],
    hours_per_page: float,
) -> str:
    """`held`: (shifts a week, shifts the primary holds a week, pages they take a week)."""
    shifts_per_week, shifts_held, per_engineer_week = held
    return (
        f"{name} is paged {pages:g} times a week: {per_shift:.2f} pages per {shift_hours:g}-hour "
        f"shift ({shifts_per_week:g} shifts a week), {verdict}. The primary engineer holding the "
        f"pager for a week ({shifts_held:g} shifts) takes about {per_engineer_week:g} pages, "
        f"{per_engineer_week * hours_per_page:.0f} h of interrupted work at {hours_per_page:g} h "
        "per page"
    )


def pager_verdict(over_bound: bool, bound: float, quiet: float | None) -> str:
    if over_bound:
        return (
            f"above the bound of {bound:g} per shift: more than one shift "
            "can absorb, so pages queue up or go unanswered"
        )
    return (
        f"within the bound of {bound:g} per shift, but above "
        f"{quiet or 0:g}, the mean at which a typical shift still passes without "
        "a page; most shifts are interrupted, which is how alerts stop being read"
    )


def pager_rotation(rotation: float, weeks_each: float, per_engineer_week: float) -> str:
    return (
        f"; with {rotation:g} engineers in the rotation each carries the pager "
        f"about {weeks_each:.1f} weeks this quarter, about {weeks_each * per_engineer_week:.0f} "
        "pages"
    )
