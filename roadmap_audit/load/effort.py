"""Read an estimate cell the way planners write it: "3", "3 days", "2w 3d", "1-2 weeks", "~5 pts", "M".

A number with a unit is converted by that unit, whatever the column says; a bare
number takes the column's unit (engineer-weeks in `estimate`, days in
`Estimate (days)` ...). A unit that is a whole team's time (a sprint, a quarter)
cannot become one engineer's weeks and is refused with the reason, as is any word
that is not a unit: "3 days" must never count as 3 weeks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .cells import ParseError, is_none_marker, show
from .numeric import MULTIPLIERS, parse_number, split_number, split_range, unhedged

WEEKS_PER_MONTH = 52 / 12
DAYS_PER_WEEK = 5
# One engineer-week in hours when nothing says otherwise. The setting in force is
# [capacity] hours_per_week (rules/capacity.toml); the loaders take it as `hours_per_week`,
# so hours in estimates, Jira's seconds, pages and toil are all counted in one working week.
HOURS_PER_WEEK = 40.0


def _spellings(value, *names: str) -> dict:
    return {name: value for name in names}


# Engineer-weeks in one unit, by spelling (compared in lower case, "-" and "_" read as spaces).
UNITS: dict[str, float] = {
    **_spellings(
        1.0,
        "w",
        "wk",
        "wks",
        "week",
        "weeks",
        "ew",
        "pw",
        "eng week",
        "eng weeks",
        "engineer week",
        "engineer weeks",
        "person week",
        "person weeks",
        "man week",
        "man weeks",
        "dev week",
        "dev weeks",
        "developer weeks",
    ),
    **_spellings(
        1 / DAYS_PER_WEEK,
        "d",
        "day",
        "days",
        "pd",
        "md",
        "person day",
        "person days",
        "man day",
        "man days",
        "eng day",
        "eng days",
        "engineer day",
        "engineer days",
        "dev day",
        "dev days",
        "working days",
        "work days",
    ),
    **_spellings(
        WEEKS_PER_MONTH,
        "mo",
        "mos",
        "month",
        "months",
        "person month",
        "person months",
        "man month",
        "man months",
        "eng month",
        "eng months",
        "engineer month",
        "engineer months",
    ),
}
# Hours in one unit of clock time, by spelling: engineer-weeks once divided by the working week.
HOUR_UNITS: dict[str, float] = {
    **_spellings(1.0, "h", "hr", "hrs", "hour", "hours"),
    **_spellings(1 / 60, "m", "min", "mins", "minute", "minutes"),  # Jira: "1w 2d 3h 30m"
}
POINT_UNITS = frozenset(
    {"pt", "pts", "point", "points", "sp", "sps", "story point", "story points", "story pts"}
)
# Units of a whole team's time, by spelling, with the name a message uses.
TEAM_UNITS: dict[str, str] = {
    **_spellings("sprints", "sprint", "sprints"),
    **_spellings("iterations", "iteration", "iterations"),
    **_spellings("quarters", "quarter", "quarters", "qtr", "qtrs"),
    **_spellings("team weeks", "team week", "team weeks", "squad week", "squad weeks"),
}

# T-shirt sizes, by spelling; the capacity model turns them into engineer-weeks ([capacity] size_weeks).
SIZES = ("XS", "S", "M", "L", "XL", "XXL")
SIZE_SPELLINGS: dict[str, str] = {
    **_spellings("XS", "xs", "x small", "extra small"),
    **_spellings("S", "s", "small", "sm"),
    **_spellings("M", "m", "medium", "med"),
    **_spellings("L", "l", "large", "lg"),
    **_spellings("XL", "xl", "x large", "extra large"),
    **_spellings("XXL", "xxl", "xx large", "2xl", "extra extra large"),
}

_NUMBER = r"[0-9]+(?:[.,][0-9]+)?"
_PART = re.compile(rf"({_NUMBER})\s*([^\W\d_]+)")  # one "2w" of "2w 3d 4h"


@dataclass(frozen=True)
class Effort:
    weeks: float | None = None  # engineer-weeks
    points: float | None = None  # story points, converted per team later
    reading: str | None = None  # how the text was read, when a reader could doubt it
    bare: bool = False  # no unit written: the column's unit applies
    size: str | None = None  # a T-shirt size (XS ... XXL), weighed by the capacity model


def _unit(word: str) -> str:
    return " ".join(word.casefold().rstrip(".").replace("-", " ").replace("_", " ").split())


def _per_unit(unit: str, v: Any, hours_per_week: float) -> float | None:
    """Engineer-weeks in one `unit`; None for story points; ParseError for anything else."""
    if unit in UNITS:
        return UNITS[unit]
    if unit in HOUR_UNITS:
        return HOUR_UNITS[unit] / hours_per_week
    if unit in POINT_UNITS:
        return None
    if unit in TEAM_UNITS:
        raise ParseError(
            f"{show(v)} is in {TEAM_UNITS[unit]}, a whole team's time, not one engineer's; "
            "write engineer-weeks (or days)"
        )
    raise ParseError(
        f"{show(v)}: '{unit}' is not a unit of effort (weeks, days, hours, months or points)"
    )


def t_shirt_size(text: str) -> str | None:
    """The T-shirt size a cell names ("M", "Medium", "x-large", "~L"), or None."""
    return SIZE_SPELLINGS.get(_unit(unhedged(text)))


def _amount(
    number: float, unit: str, default_weeks: float, hours_per_week: float, v: Any
) -> Effort:
    if not unit:
        return Effort(weeks=number * default_weeks, bare=True)
    per = _per_unit(_unit(unit), v, hours_per_week)
    return Effort(points=number) if per is None else Effort(weeks=number * per)


def parse_effort(
    v: Any, default_weeks: float = 1.0, hours_per_week: float = HOURS_PER_WEEK
) -> Effort | None:
    """An estimate cell as engineer-weeks, story points or a T-shirt size; None when empty.

    `default_weeks` is what one bare unit of the column is worth: 1 for a column in
    weeks, 1/5 for days, 1 / hours_per_week for hours; "3 h" is 3 / hours_per_week.
    """
    if not isinstance(v, str) or is_none_marker(v):
        number = parse_number(v)
        return None if number is None else Effort(weeks=number * default_weeks, bare=True)
    # "~3", "approx. 2 wks", "3?", "L (maybe XL)": an estimate is approximate anyway
    text = unhedged(v)
    size = t_shirt_size(text)
    if size:
        return Effort(size=size)
    span = split_range(text)
    if span:
        low, high = split_number(span[0], "a number")[0], split_number(span[1], "a number")[0]
        if high < low:
            raise ParseError(f"{show(v)} is not a range from low to high")
        middle = _amount((low + high) / 2, span[2], default_weeks, hours_per_week, v)
        return Effort(
            middle.weeks,
            middle.points,
            f"the range {text} read as its middle, {(low + high) / 2:g}",
            middle.bare,
        )
    parts = _PART.findall(text)
    if len(parts) > 1 and "".join(n + u for n, u in parts) == text.replace(" ", ""):
        weeks = 0.0
        for number, unit in parts:
            per = _per_unit(_unit(unit), v, hours_per_week)
            if per is None:
                raise ParseError(f"{show(v)} mixes story points with other units")
            weeks += split_number(number, "a number")[0] * per
        return Effort(weeks=weeks)
    value, unit = split_number(text or v, "a number")  # "3", "3 days", "1,5 w"; else ParseError
    if unit.casefold() in MULTIPLIERS:
        raise ParseError(f"{show(v)} uses a multiplier; write the whole number")
    return _amount(value, unit, default_weeks, hours_per_week, v)
