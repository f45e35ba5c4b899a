"""Check kinds over the delivery forecast (analyze/forecast.py)."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from ..analyze.facts import Facts
from ..model import Evidence, Severity
from .base import Hit, Params, check, item_subject


class OnTimeParams(Params):
    min_probability: float = Field(gt=0, le=1)
    escalate_below: float | None = Field(ge=0, le=1)
    escalate_to: Severity | None


@check("committed_item_unlikely_on_time", OnTimeParams)
def committed_item_unlikely_on_time(facts: Facts, p: OnTimeParams) -> Iterator[Hit]:
    """Committed items that land by their due date in fewer runs of the forecast than the threshold."""
    fc = facts.forecast
    if fc is None:
        return
    teams = {t.team: t for t in fc.teams}
    by_key = {f.key: f for f in fc.items}
    for f in fc.items:
        if not f.committed or f.p_on_time is None or f.p_on_time >= p.min_probability:
            continue
        item = facts.items[f.key]
        team = teams[f.team]
        held = (
            f"its due date {f.due.isoformat()}"
            if f.due_basis == "due date"
            else f"the quarter's end {f.due.isoformat()} (it has no due date)"
        )
        finish = (
            f"half the runs finish it by {f.p50_date.isoformat()} (week {f.p50_weeks:.1f}) and 85 % by "
            f"{f.p85_date.isoformat()} (week {f.p85_weeks:.1f})"
            if f.p85_date and f.p50_date
            else "in most runs it does not finish at all: its team has no capacity for it"
        )
        size = (
            f"{f.estimate_weeks:g} engineer-weeks"
            if f.estimated
            else f"no estimate (counted as {f.estimate_weeks:g} engineer-weeks)"
        )
        waits = sorted(facts.open_graph.waits_on(f.key))
        waits_text = ", ".join(
            f"{k} ({by_key[k].team}, half the runs done by week {by_key[k].p50_weeks:.1f})"
            if k in by_key and by_key[k].p50_weeks is not None
            else k
            for k in waits
        )
        chance = f"{f.p_on_time:.0%}" if f.p_on_time >= 0.005 else "fewer than 1 %"
        unplanned = (
            f", less about {team.unplanned_share:.0%} for unplanned work"
            if team.unplanned_share > 0
            else ""
        )
        message = (
            f"{f.key} is committed for {held}, but lands by then in {chance} of {fc.runs:,} "
            f"simulated quarters: {finish}. It is {size}; {f.team} has {team.pace_weeks:.1f} "
            f"engineer-weeks a week{unplanned}" + (f"; it waits for {waits_text}" if waits else "")
        )
        due_note = (
            f"{f.key}: due {f.due.isoformat()}"
            if f.due_basis == "due date"
            else f"{f.key}: no due date, held to the quarter's end {f.due.isoformat()}"
        )
        evidence = [
            Evidence.of(item.cell("due"), due_note),
            Evidence.of(item.cell("estimate"), f"{f.key}: {size}"),
            Evidence.of(facts.teams[f.team].ref, f"{f.team}: staffing model"),
        ]
        if waits:
            evidence.append(
                Evidence.of(item.cell("depends_on"), f"{f.key} waits for {', '.join(waits)}")
            )
        escalate = (
            p.escalate_below is not None
            and p.escalate_to is not None
            and f.p_on_time < p.escalate_below
        )
        # What is at stake ranks it: a promise made outside the team (committed), one that waits on another
        # team's work or that other teams' committed work waits on, and how small its chance is.
        graph = facts.open_graph
        cross = any(graph.team.get(k) not in (None, f.team) for k in _upstream(graph, f.key))
        needed_by = {graph.team.get(k) for k in graph.needed_by(f.key)} - {None, f.team}
        yield Hit(
            subject=item_subject(f.key),
            message=message,
            evidence=tuple(evidence),
            teams=(f.team,),
            severity=p.escalate_to if escalate else None,
            impact=2.0 + (1.0 if cross else 0.0) + 0.5 * len(needed_by),
            likelihood=1.0 + 3.0 * (1.0 - f.p_on_time),
        )


def _upstream(graph, key: str) -> set[str]:
    """Every open item an item waits on, directly or not."""
    seen: set[str] = set()
    stack = [key]
    while stack:
        for dep in graph.waits_on(stack.pop()):
            if dep not in seen:
                seen.add(dep)
                stack.append(dep)
    return seen
