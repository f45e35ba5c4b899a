"""Opsgenie REST responses: alerts and incidents, schedules with rotations, and the teams, users and
services that name what the others refer to by id.

- An alert or an incident becomes an Incident row (service, team, severity = priority P1-P5, start,
  duration when the response gives one, responders). Every alert is a page (Opsgenie notifies the
  on-call for each); incidents are listed but not counted as pages, since their alerts page.
- A team's pages per week: its alerts in the `window_weeks` weeks before the quarter starts; only
  the alerts and incidents of that window become Incident rows, the others are counted in a note.
- A schedule's rotation: the distinct users of its active rotations (a rotation whose `endDate` is
  before the quarter starts, or before today with no quarter, does not count), for its `ownerTeam`;
  sites: the distinct time zones of those users, when the users list gives every one.
- Teams are named by id in alerts (`teams`, `ownerTeamId`) and incidents (`ownerTeam`): the /v2/teams
  list names them. An id no list names is noted once, never used as a team.

Files are read together (`read_all`); `read` reads one response on its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ...model import Incident, SourceRef
from .pager_common import (
    Listed,
    Notes,
    Page,
    PageTally,
    ReadContextLike,
    as_list,
    check_rows,
    derive_rotation,
    parse_instant,
    ref_id,
    ref_name,
    reference_instant,
    text,
)
from .part import ContextPart, table_at


def _sample(items: list[Any]) -> list[dict[str, Any]]:
    return [x for x in items[:20] if isinstance(x, dict)]


def _kind(doc: Any) -> str | None:
    """Which Opsgenie response this is, or None."""
    if not isinstance(doc, dict) or "data" not in doc:
        return None
    data = doc["data"]
    opsgenie = "requestId" in doc or "took" in doc
    if isinstance(data, dict):
        if "rotations" in data or ("ownerTeam" in data and "timezone" in data):
            return "schedules"
        if "members" in data and "name" in data:
            return "team"
        if "tinyId" in data:
            return "incidents" if "impactedServices" in data else "alerts"
        return "other" if opsgenie else None
    if not isinstance(data, list):
        return None
    sample = _sample(data)
    if not sample:
        return "other" if opsgenie else None
    if all("tinyId" in x for x in sample):
        if any("impactedServices" in x or "ownerTeam" in x for x in sample):
            return "incidents"
        return "alerts"
    if not opsgenie:
        return None
    if any("rotations" in x or ("ownerTeam" in x and "timezone" in x) for x in sample):
        return "schedules"
    if any("username" in x for x in sample):
        return "users"
    if any("participants" in x for x in sample):
        return "rotations"
    if any("teamId" in x for x in sample):
        return "services"
    if all("id" in x and "name" in x for x in sample):
        return "teams"
    return "other"


def sniff(doc: Any) -> bool:
    """Does this parsed JSON look like an Opsgenie REST response this module reads?"""
    return _kind(doc) is not None


def _items(doc: dict[str, Any]) -> list[Any]:
    data = doc.get("data")
    return data if isinstance(data, list) else [data] if isinstance(data, dict) else []


@dataclass
class _Index:
    teams: dict[str, str] = field(default_factory=dict)  # id -> name
    users: dict[str, tuple[str | None, str | None]] = field(
        default_factory=dict
    )  # id or username -> name, zone
    services: dict[str, tuple[str | None, str | None]] = field(
        default_factory=dict
    )  # id -> name, team id

    def add(self, kind: str, items: list[Any], ctx: Any) -> None:
        for x in items:
            if not isinstance(x, dict):
                continue
            xid = text(x.get("id"), ctx)
            if kind in ("teams", "team") and xid:
                self.teams[xid] = text(x.get("name"), ctx) or xid
            elif kind == "users":
                entry = (
                    text(x.get("fullName"), ctx) or text(x.get("username"), ctx),
                    text(x.get("timeZone"), ctx),
                )
                for k in (xid, text(x.get("username"), ctx)):
                    if k:
                        self.users[k] = entry
            elif kind == "services" and xid:
                self.services[xid] = (text(x.get("name"), ctx), text(x.get("teamId"), ctx))

    def team(self, ref: Any, ctx: Any, notes: Notes, key: str) -> str | None:
        """A team reference ({"id"}, {"name"}, or an id) as a team name; an unnamed id is noted."""
        name = text(ref.get("name"), ctx) if isinstance(ref, dict) else None
        tid = ref_id(ref, ctx)
        if name:
            return name
        if tid and tid in self.teams:
            return self.teams[tid]
        if tid:
            notes.add(
                f"team id {tid} is named by no teams list in the context (add the /v2/teams response); "
                "what refers to it counts for no team",
                key,
            )
        return None


def read(doc: Any, source: str, ctx: ReadContextLike) -> ContextPart:
    """One Opsgenie response on its own."""
    return read_all([(doc, source)], ctx)[0]


def read_all(docs: list[tuple[Any, str]], ctx: ReadContextLike) -> list[ContextPart]:
    """Several Opsgenie responses read together (a folder), one ContextPart each, in the same order."""
    kinds = [_kind(doc) for doc, _ in docs]
    index = _Index()
    for (doc, source), kind in zip(docs, kinds, strict=True):
        if kind in ("teams", "team", "users", "services"):
            items = _items(doc)
            check_rows(len(items), kind, source, ctx)
            index.add(kind, items, ctx)
    seen: set[tuple[str, str]] = set()  # (alerts|incidents, id): overlapping pages read once
    tally = PageTally("alerts")
    parts = []
    all_notes = []
    for (doc, source), kind in zip(docs, kinds, strict=True):
        part = ContextPart(source=source, kind="opsgenie")
        notes = Notes(source)
        items = _items(doc) if kind else []
        check_rows(len(items), kind or "entries", source, ctx)
        paging = doc.get("paging") if isinstance(doc, dict) else None
        if isinstance(paging, dict) and paging.get("next"):
            notes.add(
                f"this is one page of a longer list (the next is {text(paging.get('next'), ctx)}); only what "
                "it holds was read; save every page into the context folder",
                None,
            )
        if kind in ("alerts", "incidents"):
            _read_events(part, items, kind, index, seen, ctx, notes, tally)
        elif kind == "schedules":
            _read_schedules(part, items, index, ctx, notes)
        elif kind == "rotations":
            notes.add(
                "a rotations list does not say whose schedule it is; not used (export the schedule: "
                "/v2/schedules/{id}?expand=rotation)",
                None,
            )
        elif kind in (None, "other"):
            notes.add("not an Opsgenie response this tool reads; not used", None)
        parts.append(part)
        all_notes.append(notes)
    tally.derive(ctx)
    for part, notes in zip(parts, all_notes, strict=True):
        notes.into(part)
    return parts


# ---------------------------------------------------------------- alerts and incidents


def _read_events(
    part: ContextPart,
    items: list[Any],
    kind: str,
    index: _Index,
    seen: set[tuple[str, str]],
    ctx: Any,
    notes: Notes,
    tally: PageTally,
) -> None:
    noun = "Alert" if kind == "alerts" else "Incident"
    pages: list[Page] = []
    starts: list[dt.date] = []
    listed = Listed(ctx, "alert(s)" if kind == "alerts" else "incident(s)")
    for n, x in enumerate(items, start=1):
        if not isinstance(x, dict):
            notes.add(
                f"entry {n} of the list is not an {noun.lower()}; not used", None, row_dropped=True
            )
            continue
        xid = text(x.get("tinyId"), ctx) or text(x.get("id"), ctx)
        if not xid:
            notes.add(f"entry {n} has no id; not used", None, row_dropped=True)
            continue
        key = f"{noun} {xid}"
        full_id = text(x.get("id"), ctx) or xid
        if (kind, full_id) in seen:
            notes.add("appears twice (pages that overlap); read once", key)
            continue
        seen.add((kind, full_id))
        team = None
        refs: list[Any] = []
        if kind == "alerts":
            refs = as_list(x.get("teams")) + (
                [x["ownerTeamId"]] if text(x.get("ownerTeamId"), ctx) else []
            )
        else:
            refs = [x["ownerTeam"]] if x.get("ownerTeam") else []
        refs += [
            r
            for r in as_list(x.get("responders"))
            if isinstance(r, dict) and r.get("type") == "team"
        ]
        service = None
        for sid in as_list(x.get("impactedServices")):
            name, steam = index.services.get(text(sid, ctx) or "", (None, None))
            service = service or name or text(sid, ctx)
            if steam:
                refs.append(steam)
        for r in refs:
            team = index.team(r, ctx, notes, key)
            if team:
                break
        if team is None and not refs:
            notes.add(
                f"{noun.lower()}s name no team (no teams, owner team or team responder); they are listed "
                "but count for no team's pages",
                key,
            )
        responders = []
        for r in as_list(x.get("responders")):
            if isinstance(r, dict) and r.get("type") == "user":
                name = ref_name(r, ctx) or index.users.get(ref_id(r, ctx) or "", (None, None))[0]
                if name:
                    responders.append(name)
        report = table_at(x, "report")
        for who in (
            text(x.get("owner"), ctx),
            text(report.get("acknowledgedBy"), ctx),
            text(report.get("closedBy"), ctx),
        ):
            if who and who not in responders:
                responders.append(who)
        created_raw = x.get("impactStartDate") or x.get("createdAt")
        try:
            started = parse_instant(created_raw)
        except ValueError as exc:
            notes.add(f"the start: {exc}; not used", key)
            started = None
        minutes = None
        close_ms = report.get("closeTime")
        if isinstance(close_ms, int | float) and not isinstance(close_ms, bool) and close_ms >= 0:
            minutes = round(close_ms / 60000, 1)  # milliseconds from creation to close
        elif x.get("impactEndDate") and started:
            try:
                ended = parse_instant(x.get("impactEndDate"))
            except ValueError as exc:
                notes.add(f"the end: {exc}; no duration", key)
                ended = None
            if ended and ended >= started:
                minutes = round((ended - started).total_seconds() / 60, 1)
            elif ended:
                notes.add("ends before it starts; no duration", key)
        if listed.keep(started.date() if started else None):
            part.incidents.append(
                Incident(
                    id=xid,
                    service=service,
                    team=team,
                    severity=text(x.get("priority"), ctx),
                    started=started.date() if started else None,
                    duration_minutes=minutes,
                    responders=responders,
                    paged=True,
                    ref=SourceRef(source=part.source, key=key),
                )
            )
        if started is None:
            if not created_raw:
                notes.add(
                    "has no creation time; listed without a start and not counted as a page", key
                )
            continue
        starts.append(started.date())
        if team and kind == "alerts":
            pages.append(Page(team, started.date(), key, service))
    listed.note(notes)
    if kind == "alerts":
        tally.add(part, notes, pages, starts)
    elif items:
        notes.add(
            "incidents are listed but not counted as pages (their alerts page; export /v2/alerts for "
            "pages per week)",
            None,
        )


# ---------------------------------------------------------------- schedules


def _read_schedules(
    part: ContextPart, items: list[Any], index: _Index, ctx: Any, notes: Notes
) -> None:
    at, when = reference_instant(ctx)
    for n, s in enumerate(items, start=1):
        if not isinstance(s, dict):
            notes.add(f"entry {n} of the list is not a schedule; not used", None, row_dropped=True)
            continue
        sid = text(s.get("id"), ctx) or f"entry {n}"
        name = text(s.get("name"), ctx)
        key = f"Schedule {name or sid}"
        if s.get("enabled") is False:
            notes.add("is disabled; its rotations do not count", key)
            continue
        rotations = s.get("rotations")
        if not isinstance(rotations, list):
            notes.add(
                "comes without its rotations, so its rotation size is unknown (export "
                "/v2/schedules/{id}?expand=rotation)",
                key,
            )
            continue
        users: dict[str, str | None] = {}
        active: list[str] = []
        ended: list[str] = []
        for m, rot in enumerate(rotations, start=1):
            if not isinstance(rot, dict):
                notes.add(f"rotation {m} is not a rotation; not used", key)
                continue
            rname = text(rot.get("name"), ctx) or f"rotation {m}"
            try:
                end = parse_instant(rot.get("endDate"))
            except ValueError as exc:
                notes.add(
                    f"the end of rotation {rname}: {exc}; the rotation is counted as active", key
                )
                end = None
            if end is not None and end <= at:
                ended.append(f"{rname} (ended {end.date()})")
                continue
            active.append(rname)
            for p in as_list(rot.get("participants")):
                if not isinstance(p, dict):
                    continue
                ptype = text(p.get("type"), ctx)
                if ptype == "user":
                    pid, uname = text(p.get("id"), ctx), text(p.get("username"), ctx)
                    uid = pid or uname
                    if not uid:
                        continue
                    tz = (
                        index.users.get(pid or "", (None, None))[1]
                        or index.users.get(uname or "", (None, None))[1]
                    )
                    if uid not in users or tz:
                        users[uid] = tz
                elif ptype and ptype != "none":
                    notes.add(
                        f"rotation {rname} takes a {ptype} as a participant; its people are not "
                        "counted",
                        key,
                    )
        if ended:
            notes.add(f"rotation(s) {', '.join(ended)} ended {when} and do not count", key)
        if not active:
            notes.add(f"has no active rotation ({when}); no rotation size derived from it", key)
            continue
        team = index.team(s.get("ownerTeam"), ctx, notes, key) if s.get("ownerTeam") else None
        if team is None:
            if not s.get("ownerTeam"):
                notes.add("has no owner team; its rotation counts for no team", key)
            continue
        derive_rotation(
            part, team, key, users, active, "time zones from the users list", notes, unit="rotation"
        )
