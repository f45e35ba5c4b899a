"""Coarse dates a quarter plan uses: a month, a quarter or a week, read as a day.

"Aug 2026", "2026-08", "2026-Q3", "2026-W32", "end of Aug 2026", "mid-Aug 2026".
A due date that names a period means its last day (an ISO week's Friday); a start
date, its first day. "mid" is the 15th of the month. A period with no year
("Aug", "Q3", "W32") is refused with the fix: the loader does not know the year
yet, and guessing one would move the date by a year.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

from .cells import ParseError, fold, show
from .dates import MONTH_NAMES, parse_quarter, quarter_bounds

_MAX_TEXT = 40
_YEAR = r"(?P<year>(?:19|20)[0-9]{2}|'[0-9]{2})"  # "26" alone could be a day: "Aug 26" is the 26th
_PREFIX = re.compile(
    r"^(?:(?P<end>(?:by )?(?:the )?end of|end|late|eo)|(?P<mid>mid(?:dle of)?)|"
    r"(?P<start>(?:the )?(?:start|beginning) of|start|early))[\s-]*"
)
_MONTH_YEAR = (
    re.compile(rf"(?P<month>[a-z]+)\.?[\s/,-]*{_YEAR}"),
    re.compile(rf"{_YEAR}[\s/-]*(?P<month>[a-z]+)\.?"),
    re.compile(r"(?P<year>(?:19|20)[0-9]{2})[-/.](?P<num>0?[1-9]|1[0-2])"),  # ISO 2026-08
    re.compile(r"(?P<num>0?[1-9]|1[0-2])[-/.](?P<year>(?:19|20)[0-9]{2})"),
)  # 08/2026
_WEEK = (
    re.compile(r"(?P<year>(?:19|20)[0-9]{2})[\s-]*c?w(?:eek)?[\s-]*(?P<week>[0-9]{1,2})"),
    re.compile(r"c?w(?:eek)?[\s-]*(?P<week>[0-9]{1,2})[\s/,-]*(?P<year>(?:19|20)[0-9]{2})"),
)
_YEARLESS = (
    (re.compile(r"[a-z]+\.?"), "month", "{text} {year}"),
    (re.compile(r"q[1-4]"), "quarter", "{year}-{text}"),
    (re.compile(r"c?w(?:eek)?[\s-]*[0-9]{1,2}"), "week", "{year}-{text}"),
)


def _year(text: str) -> int:
    text = text.lstrip("'")
    return 2000 + int(text) if len(text) == 2 else int(text)


def _month_day(year: int, month: int, how: str) -> dt.date:
    if how == "mid":
        return dt.date(year, month, 15)
    return dt.date(year, month, calendar.monthrange(year, month)[1] if how == "end" else 1)


def parse_period(v: Any, *, end: bool) -> dt.date | None:
    """The day a period stands for, None when the text names no period; ParseError when it names one
    without a year."""
    if not isinstance(v, str) or len(v) > _MAX_TEXT:
        return None
    text = " ".join(fold(v).replace(",", " ").split())
    prefix = _PREFIX.match(text)
    how = "end" if end else "start"
    if prefix and prefix.end() < len(text):
        how = next(name for name in ("end", "mid", "start") if prefix[name])
        text = text[prefix.end() :]
    for pattern in _MONTH_YEAR:
        match = pattern.fullmatch(text)
        if match:
            month = (
                int(match["num"]) if "num" in match.groupdict() else MONTH_NAMES.get(match["month"])
            )
            if month is None:
                continue
            return _month_day(_year(match["year"]), month, how)
    try:
        quarter = parse_quarter(text) if "q" in text else None
    except ParseError:
        quarter = None
    if quarter and how != "mid":
        first, last = quarter_bounds(*quarter)
        return last if how == "end" else first
    for pattern in _WEEK:
        match = pattern.fullmatch(text)
        if match:
            try:
                return dt.date.fromisocalendar(
                    int(match["year"]), int(match["week"]), 5 if how == "end" else 1
                )
            except ValueError:
                raise ParseError(f"{show(v)} is not a week of {match['year']}") from None
    for pattern, kind, example in _YEARLESS:
        if pattern.fullmatch(text) and (kind != "month" or text.rstrip(".") in MONTH_NAMES):
            like = example.format(text=" ".join(v.split()), year=dt.date.today().year)
            raise ParseError(
                f"{show(v)} names a {kind} but no year; write it with the year, like '{like}'"
            )
    return None
