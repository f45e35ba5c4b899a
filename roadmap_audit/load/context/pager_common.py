"""What the PagerDuty and Opsgenie readers share: instants, the observation window, pages per week,
rotation size and sites, and notes said once per cause.

A page is one incident (PagerDuty, high urgency) or one alert (Opsgenie) that notified someone.
Pages per week are counted over the `window_weeks` weeks before the quarter starts; with no
quarter start, over the span of the data, and the note says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Protocol

from ...config import Limits
from ...errors import InputError
from ...model import DataIssue, SourceRef
from ..dates import MAX_YEAR, MIN_YEAR
from .part import ContextPart, Derived


class ReadContextLike(Protocol):
    """What a reader needs from the run (the merge's ReadContext has at least these; `limits`, a
    Limits, is read when present)."""

    quarter_start: dt.date | None
    window_weeks: int


def limits_of(ctx: Any) -> Limits:
    got = getattr(ctx, "limits", None)
    return got if isinstance(got, Limits) else Limits()


def window_weeks_of(ctx: Any) -> int:
    weeks = getattr(ctx, "window_weeks", 13)
    return weeks if isinstance(weeks, int) and not isinstance(weeks, bool) and weeks > 0 else 13


def check_rows(n: int, what: str, source: str, ctx: Any) -> None:
    """More entries than [limits] max_rows is exit 2, as for a sheet or a Jira export."""
    cap = limits_of(ctx).max_rows
    if n > cap:
        raise InputError(
            f"has {n} {what}, more than the limit of {cap}",
            where=source,
            hint="raise [limits] max_rows or export a shorter period",
        )


def as_list(v: Any) -> list[Any]:
    """A JSON array, or [] for anything else (null, a string, an object): garbage is no list."""
    return v if isinstance(v, list) else []


def text(v: Any, ctx: Any = None) -> str | None:
    """A name or id as text: strings stripped, numbers shown, anything else None; cut at max_cell_chars."""
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, int | float):
        return f"{v:g}" if isinstance(v, float) else str(v)
    if not isinstance(v, str):
        return None
    v = v.strip()
    cap = limits_of(ctx).max_cell_chars
    return (v[:cap] if len(v) > cap else v) or None


def ref_name(v: Any, ctx: Any = None) -> str | None:
    """The name of a PagerDuty/Opsgenie reference object ({"summary"}, {"name"}) or a plain string."""
    if isinstance(v, dict):
        return (
            text(v.get("summary"), ctx) or text(v.get("name"), ctx) or text(v.get("username"), ctx)
        )
    return text(v, ctx)


def ref_id(v: Any, ctx: Any = None) -> str | None:
    if isinstance(v, dict):
        return text(v.get("id"), ctx)
    return text(v, ctx)


def parse_instant(v: Any, default_tz: dt.tzinfo | None = None) -> dt.datetime | None:
    """An ISO-8601 timestamp ("2015-10-06T21:30:42Z", "...-05:00", "...T04:45:32.4Z"); None when empty.

    One without an offset is read in `default_tz` (UTC when none is given). Garbage raises ValueError.
    """
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if not isinstance(v, str):
        raise ValueError(f"{v!r} is not a date and time")
    s = v.strip()
    if s.endswith(("Z", "z")):
        s = s[:-1] + "+00:00"
    # fromisoformat wants 3 or 6 fraction digits before 3.11; 3.11 takes any, but be explicit
    try:
        when = dt.datetime.fromisoformat(s)
    except ValueError:
        raise ValueError(f"'{v}' is not an ISO-8601 date and time") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=default_tz or dt.UTC)
    if not MIN_YEAR <= when.year <= MAX_YEAR:
        raise ValueError(f"'{v}' has year {when.year}, outside {MIN_YEAR}-{MAX_YEAR}")
    return when


def zone(name: Any) -> dt.tzinfo | None:
    """A time zone by IANA name ("Etc/UTC"), or None when unknown."""
    if not isinstance(name, str) or not name.strip():
        return None
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name.strip())
    except Exception:  # noqa: BLE001 - an unknown or malformed zone name is no zone
        return None


@dataclass
class Notes:
    """Data-quality notes, one per cause: repeated causes are counted, not repeated."""

    source: str
    _by_cause: dict[str, list[Any]] = field(default_factory=dict)

    def add(
        self,
        cause: str,
        key: str | None,
        subject: str | None = None,
        problem: str | None = None,
        *,
        row_dropped: bool = False,
    ) -> None:
        entry = self._by_cause.get(cause)
        if entry is None:
            self._by_cause[cause] = [key, subject, problem or cause, row_dropped, 1, []]
        else:
            entry[4] += 1
            if key and len(entry[5]) < 5:
                entry[5].append(key)

    def into(self, part: ContextPart) -> None:
        for key, subject, problem, dropped, count, others in self._by_cause.values():
            if count > 1:
                shown = ", ".join([k for k in [key, *others] if k])
                more = count - 1 - len(others)
                problem += f" ({count} times: {shown}{f' and {more} more' if more > 0 else ''})"
            part.issues.append(
                DataIssue(
                    ref=SourceRef(source=self.source, key=key),
                    problem=problem,
                    row_dropped=dropped,
                    subject_id=subject,
                )
            )


@dataclass(frozen=True)
class Page:
    """One page: the team it reached, when, and the entity that says so."""

    team: str
    when: dt.date
    key: str  # "Incident PT4KHLK", "Alert 163"
    service: str | None = None


def _fmt_weeks(w: float) -> str:
    shown = f"{w:g}" if w == int(w) else f"{w:.1f}"
    return f"{shown} week" if shown == "1" else f"{shown} weeks"


# With no quarter start the rate is taken over the span of the data; a burst of a few days is no rate.
# Convention of this project: at least four weeks of data (one month) before a rate is given.
MIN_SPAN_WEEKS = 4


def window(ctx: Any) -> tuple[dt.date, dt.date] | None:
    """The `window_weeks` weeks before the quarter starts, as [start, end); None with no quarter start."""
    quarter_start = getattr(ctx, "quarter_start", None)
    if isinstance(quarter_start, dt.datetime):
        quarter_start = quarter_start.date()
    if not isinstance(quarter_start, dt.date):
        return None
    return quarter_start - dt.timedelta(weeks=window_weeks_of(ctx)), quarter_start


class Listed:
    """Which incidents become Incident rows: with a quarter start, those of the window only, because the
    Incidents sheet is the last quarter's (the capacity model counts its rows as such)."""

    def __init__(self, ctx: Any, noun: str) -> None:
        self.bounds = window(ctx)
        self.weeks = window_weeks_of(ctx)
        self.noun = noun
        self.left_out = 0

    def keep(self, started: dt.date | None) -> bool:
        if self.bounds is None or (
            started is not None and self.bounds[0] <= started < self.bounds[1]
        ):
            return True
        self.left_out += 1
        return False

    def note(self, notes: Notes) -> None:
        if self.left_out and self.bounds:
            start, end = self.bounds
            notes.add(
                f"{self.left_out} {self.noun} outside the {self.weeks} weeks before the quarter ({start} to "
                f"{end - dt.timedelta(days=1)}), or with no start, are not listed as incidents: the "
                "Incidents sheet holds the last quarter's",
                None,
            )


@dataclass
class PageTally:
    """The pages of every file of a run, so a list saved as several pages gives one rate per team, held
    by the first file that has any (the note names the others)."""

    what: str  # "high-urgency incidents", "alerts"
    pages: list[Page] = field(default_factory=list)
    starts: list[dt.date] = field(default_factory=list)
    holders: list[tuple[ContextPart, Notes]] = field(default_factory=list)

    def add(
        self, part: ContextPart, notes: Notes, pages: list[Page], starts: list[dt.date]
    ) -> None:
        if starts:
            self.pages += pages
            self.starts += starts
            self.holders.append((part, notes))

    def derive(self, ctx: Any) -> None:
        if self.holders:
            part, notes = self.holders[0]
            derive_pages_per_week(
                part,
                self.pages,
                self.starts,
                ctx,
                self.what,
                notes,
                files=[p.source for p, _ in self.holders],
            )


def derive_pages_per_week(
    part: ContextPart,
    pages: list[Page],
    every_start: list[dt.date],
    ctx: Any,
    what: str,
    notes: Notes,
    files: list[str] | None = None,
) -> None:
    """team_values[team]["pages_per_week"] from the pages, over the window before the quarter.

    `every_start` holds the start of every event read (paged or not), to tell whether the data reaches
    the window at all: a team with no page in a window the data does not cover is not "0 a week".
    """
    if not every_start:
        return
    first, last = min(every_start), max(every_start)
    weeks_n = window_weeks_of(ctx)
    bounds = window(ctx)
    if bounds is not None:
        start, end = bounds
        weeks = float(weeks_n)
        how = f"before the quarter ({start.isoformat()} to {(end - dt.timedelta(days=1)).isoformat()})"
        if last < start or first >= end:
            notes.add(
                f"no {what} falls in the {weeks_n} weeks before the quarter ({start} to "
                f"{end - dt.timedelta(days=1)}); the data runs from {first} to {last}, so no pages per week "
                "were derived from it",
                None,
            )
            return
        if first > start + dt.timedelta(days=7):
            notes.add(
                f"the first of the {what} is on {first}, more than a week into the window that starts on "
                f"{start}; if the export begins there, pages per week are understated",
                None,
            )
    else:
        start, end = first, last + dt.timedelta(days=1)
        weeks = (end - start).days / 7
        if weeks < MIN_SPAN_WEEKS:
            notes.add(
                f"the data spans {(end - start).days} day(s) ({first} to {last}) and no quarter start was "
                f"given; fewer than {MIN_SPAN_WEEKS} weeks is no weekly rate, so no pages per week were "
                "derived (give the quarter)",
                None,
            )
            return
        how = f"from {first.isoformat()} to {last.isoformat()} (the span of the data: no quarter start was given)"
    counted: dict[str, list[Page]] = {}
    for page in pages:
        if start <= page.when < end:
            counted.setdefault(page.team, []).append(page)
    teams = sorted({p.team for p in pages})
    for team in teams:
        inside = counted.get(team, [])
        services = sorted({p.service for p in inside if p.service})
        key = (
            f"Service {services[0]} / Team {team}"
            if len(services) == 1
            else f"Services {', '.join(services)} / Team {team}"
            if services
            else f"Team {team}"
        )
        value = round(len(inside) / weeks, 2)
        note = f"{len(inside)} {what} over {_fmt_weeks(weeks)} {how}"
        if files and len(files) > 1:
            note += f", read across {len(files)} files ({', '.join(files)})"
        part.team_values.setdefault(team, {})["pages_per_week"] = Derived(
            value, SourceRef(source=part.source, key=key), note
        )


def _people(n: int) -> str:
    return f"{n} person" if n == 1 else f"{n} people"


def reference_instant(ctx: Any) -> tuple[dt.datetime, str]:
    """The moment before which a layer or rotation has ended: the quarter start, else now; and how said."""
    start = getattr(ctx, "quarter_start", None)
    if isinstance(start, dt.datetime):
        start = start.date()
    if isinstance(start, dt.date):
        return dt.datetime.combine(start, dt.time(), dt.UTC), f"before the quarter starts ({start})"
    now = dt.datetime.now(dt.UTC)
    return now, f"before today ({now.date()}; no quarter start was given)"


def derive_rotation(
    part: ContextPart,
    team: str,
    key: str,
    users: dict[str, str | None],
    layer_names: list[str],
    how_zone: str,
    notes: Notes,
    *,
    link: str | None = None,
    unit: str = "layer",
) -> None:
    """team_values[team]["oncall_rotation"] (distinct users) and, when every user's time zone is known,
    ["oncall_sites"] (distinct time zones). A team with several schedules gets the larger rotation."""
    ref = SourceRef(source=part.source, key=key)
    size = len(users)
    values = part.team_values.setdefault(team, {})
    layers = ", ".join(layer_names)
    rot_note = f"{_people(size)} in active {unit}(s) {layers}"
    if link:
        rot_note += f" (team: {link})"
    old = values.get("oncall_rotation")
    if old is not None and old.value >= size:
        notes.add(
            f"team {team} has more than one schedule; the largest rotation ({old.value:g}, "
            f"{old.ref.key}) is used",
            key,
            team,
        )
        return
    if old is not None:
        notes.add(
            f"team {team} has more than one schedule; the largest rotation ({size}, {key}) is used",
            key,
            team,
        )
        values.pop("oncall_sites", None)
    values["oncall_rotation"] = Derived(size, ref, rot_note)
    zones = {z for z in users.values() if z}
    unknown = sum(1 for z in users.values() if not z)
    if size and not unknown:
        values["oncall_sites"] = Derived(
            len(zones),
            ref,
            f"{len(zones)} distinct time zone(s) of the {_people(size)} in the rotation "
            f"({', '.join(sorted(zones))}; {how_zone})",
        )
    elif size:  # people are counted, never named, in notes: --redact-people cannot know these names
        notes.add(
            f"on-call sites of team {team} not derived: {unknown} of the {size} rotation member(s) have no "
            "time zone in the export (add the users list)",
            key,
            team,
        )
