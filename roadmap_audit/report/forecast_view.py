"""The delivery forecast as the HTML report draws it: rows, and where each mark sits.

Geometry and arrangement only; every figure comes from `Audit.forecast`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..model import Audit, Forecast, ForecastItem, ForecastTeam, ItemSummary

EVEN_CHANCE = 0.5  # committed items below this are highlighted (FOR001's default threshold)
COMMITTED_SHOWN = 200  # least likely first; the JSON report's forecast.items has every one
AXIS_LIMIT = 3.0  # the axis stops at this many quarters; later finishes run off its end


@dataclass
class SpanRow:
    """One team (or the plan): a bar from P50 to P85, in percent of the axis."""

    f: ForecastTeam
    anchor: str | None  # the team page, when there is one
    p50: float | None
    p85: float | None
    past_axis: bool  # P85 beyond the axis, or never within the runs
    late: bool  # P85 after the quarter's end


@dataclass
class ItemRow:
    f: ForecastItem
    title: str
    below: bool  # under an even chance of landing by its date


@dataclass
class ForecastView:
    fc: Forecast
    plan: SpanRow
    teams: list[SpanRow]
    end: float  # where the quarter's end falls, in percent of the axis
    axis: list[tuple[float, str]]
    committed: list[ItemRow]  # the least likely, at most COMMITTED_SHOWN
    below: int  # committed items under an even chance
    committed_total: int = 0
    even: float = EVEN_CHANCE

    @property
    def fewer_runs(self) -> str | None:
        """When the plan was too large for the runs asked: how many ran, and what that does to the figures."""
        from ..analyze.forecast import coarseness

        fc = self.fc
        if not fc.runs_asked or fc.runs >= fc.runs_asked:
            return None
        return (
            f"Only {fc.runs:,} of the {fc.runs_asked:,} runs asked for, because the plan is large "
            f"(forecast.max_item_runs): every P50, P85 and chance below is coarse, a chance near 50 % known to "
            f"about +/- {coarseness(fc.runs)} points."
        )


def _scale(fc: Forecast) -> float:
    ends = [r.p85_weeks for r in (fc.plan, *fc.teams) if r.p85_weeks is not None]
    top = max([fc.end_weeks, *ends]) * 1.04
    top = min(top, fc.end_weeks * AXIS_LIMIT)
    top = max(top, 1.0)  # an axis at least a week long, whatever the window says
    step = _step(top)
    return math.ceil(top / step) * step


def _step(weeks: float) -> int:
    return 2 if weeks <= 20 else 4 if weeks <= 40 else 8


def _row(f: ForecastTeam, scale: float, end_weeks: float, anchor: str | None) -> SpanRow:
    at = lambda w: None if w is None else round(100 * min(w, scale) / scale, 2)  # noqa: E731
    past = f.items > 0 and (f.p85_weeks is None or f.p85_weeks > scale)
    late = f.items > 0 and (f.p85_weeks is None or f.p85_weeks > end_weeks)
    return SpanRow(
        f=f,
        anchor=anchor,
        p50=at(f.p50_weeks),
        p85=at(f.p85_weeks) if f.p85_weeks is not None else (100.0 if f.items else None),
        past_axis=past,
        late=late,
    )


def forecast_view(
    audit: Audit, anchors: dict[str, str], items: dict[str, ItemSummary] | None = None
) -> ForecastView | None:
    """Rows in the order of the report's team list; committed items least likely first. `items` are
    the plan's items by key (the last read, for a key given twice) when the caller has them so."""
    fc = audit.forecast
    if fc is None or not fc.teams:
        return None
    scale = _scale(fc)
    by_team = {t.team: t for t in fc.teams}
    order = [t.team for t in audit.teams if t.team in by_team] + sorted(
        set(by_team) - {t.team for t in audit.teams}
    )
    committed = _committed(fc)
    shown = {i.key for _, i in committed[:COMMITTED_SHOWN]}
    if items is None:
        items = {i.key: i for i in audit.items if i.key in shown}
    titles = {key: items[key].title for key in shown if key in items}
    rows = [
        ItemRow(f=i, title=titles.get(i.key, ""), below=chance < EVEN_CHANCE)
        for chance, i in committed[:COMMITTED_SHOWN]
    ]
    step = _step(scale)
    return ForecastView(
        fc=fc,
        plan=_row(fc.plan, scale, fc.end_weeks, None),
        teams=[_row(by_team[name], scale, fc.end_weeks, anchors.get(name)) for name in order],
        end=round(100 * fc.end_weeks / scale, 2),
        axis=[(round(100 * w / scale, 2), str(w)) for w in range(0, int(scale) + 1, step)],
        committed=rows,
        below=sum(1 for chance, _ in committed if chance < EVEN_CHANCE),
        committed_total=len(committed),
    )


def _committed(fc: Forecast) -> list[tuple[float, ForecastItem]]:
    """Committed items with a chance on time, least likely first."""
    items = fc.items
    chances = [
        (
            i.p_on_time,
            i.key,
            n,
        )  # n: the forecast's order among items alike, as a stable sort keeps it
        for n, i in enumerate(items)
        if i.committed and i.p_on_time is not None
    ]
    chances.sort()
    return [(chance, items[n]) for chance, _, n in chances]


def finish_text(weeks: float | None, date) -> str:
    """`week 9.0 (6 Sep 2026)`, or what a finish beyond every run means."""
    from .view import day

    if weeks is None:
        return "not within the runs"
    return f"week {weeks:.1f}" + (f" ({day(date)})" if date else "")


def team_finish(row: ForecastTeam, which: str) -> str:
    """P50 or P85 (`which`) of a team's completion in words."""
    if not row.items:
        return "no open items"
    return finish_text(getattr(row, f"{which}_weeks"), getattr(row, f"{which}_date"))


def at_risk(fc: Forecast) -> list[ForecastItem]:
    """Committed items under an even chance, least likely first."""
    return [i for chance, i in _committed(fc) if chance < EVEN_CHANCE]
