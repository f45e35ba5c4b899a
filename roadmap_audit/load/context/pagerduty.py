"""PagerDuty REST responses: incidents (v2 lists, one page or many; the legacy v1 shape; analytics raw
incidents), schedules with their layers, and the escalation policies, services, teams and users that
link a schedule or an incident to a team.

- An incident becomes an Incident row (service, team, severity = priority or urgency, start, duration
  to resolution, responders = assignees and acknowledgers). A high-urgency incident is a page;
  low-urgency ones are listed but not counted as pages (PagerDuty notifies for them by the user's
  low-urgency rules, usually not by phone), and the note says how many were left out.
- A team's pages per week: its pages in the `window_weeks` weeks before the quarter starts. Only the
  incidents of that window become Incident rows (the Incidents sheet is the last quarter's); the
  others are counted in a note. With no quarter start, all are listed and the rate is taken over the
  span of the data (at least four weeks of it).
- A schedule's rotation: the distinct people in its active layers (a layer whose `end` is before the
  quarter starts, or before today when no quarter is given, has ended and does not count); its sites:
  the distinct time zones of those people, when the users list gives every one of them.
- Teams: the incident's or schedule's own `teams`, else through its escalation policy (`teams` of the
  policy, or the policy a service uses, and that service's `teams`). What names no team is noted once
  per cause, never guessed.

Files are read together (`read_all`), so a folder holding /schedules, /escalation_policies and
/services responses links them; `read` reads one response on its own.
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
    zone,
)
from .part import ContextPart

_LISTS = (
    "incidents",
    "schedules",
    "escalation_policies",
    "services",
    "teams",
    "users",
    "members",
    "oncalls",
)
_SINGLE = {
    "incident": "incidents",
    "schedule": "schedules",
    "escalation_policy": "escalation_policies",
    "service": "services",
    "team": "teams",
    "user": "users",
}
_TYPES = {
    "incidents": ("incident",),
    "schedules": ("schedule",),
    "escalation_policies": ("escalation_policy",),
    "services": ("service",),
    "teams": ("team",),
    "users": ("user",),
    "oncalls": (),
}
_ANALYTICS_FIELDS = frozenset(
    {
        "seconds_to_resolve",
        "service_name",
        "escalation_policy_id",
        "team_name",
        "assigned_user_names",
        "engaged_seconds",
    }
)


def _sample(items: list[Any]) -> list[dict[str, Any]]:
    return [x for x in items[:20] if isinstance(x, dict)]


def _kind(doc: Any) -> str | None:
    """Which PagerDuty response this is, or None."""
    if not isinstance(doc, dict) or "requestId" in doc:
        return None
    paged = "limit" in doc and "offset" in doc
    for key in _LISTS:
        items = doc.get(key)
        if not isinstance(items, list):
            continue
        sample = _sample(items)
        if not items:
            if paged:
                return key
            continue
        if key == "members":
            if (
                sample
                and all(isinstance(x.get("user"), dict) for x in sample)
                and any(str(x["user"].get("type", "")).startswith("user") for x in sample)
            ):
                return key
            continue
        if key == "oncalls":
            if sample and any("escalation_policy" in x and "user" in x for x in sample):
                return key
            continue
        types = _TYPES[key]
        if any(x.get("type") in types or x.get("type") == f"{types[0]}_reference" for x in sample):
            return key
        if key == "incidents" and any("incident_number" in x for x in sample):
            return key  # the legacy v1 shape has no "type"
        if paged and sample and all("id" in x for x in sample):
            return key
    for key, kind in _SINGLE.items():
        one = doc.get(key)
        if isinstance(one, dict) and (
            one.get("type") in (key, f"{key}_reference")
            or (key == "incident" and "incident_number" in one)
        ):
            return kind
    data = doc.get("data")
    if isinstance(data, list):
        sample = _sample(data)
        if sample and any(_ANALYTICS_FIELDS & x.keys() for x in sample):
            return "analytics"
        if not data and ("order_by" in doc or "starting_after" in doc):
            return "analytics"
    return None


def sniff(doc: Any) -> bool:
    """Does this parsed JSON look like a PagerDuty REST response this module reads?"""
    return _kind(doc) is not None


def _items(doc: dict[str, Any], kind: str) -> list[Any]:
    if kind == "analytics":
        return as_list(doc.get("data"))
    if isinstance(doc.get(kind), list):
        return doc[kind]
    for key, k in _SINGLE.items():
        if k == kind and isinstance(doc.get(key), dict):
            return [doc[key]]
    return []


def _names(refs: Any, ctx: Any) -> list[str]:
    out: list[str] = []
    if isinstance(refs, list):
        for r in refs:
            name = ref_name(r, ctx)
            if name and name not in out:
                out.append(name)
    return out


@dataclass
class _Index:
    """What all the files of a run say about teams, services, escalation policies and users, by id."""

    teams: dict[str, str] = field(default_factory=dict)  # id -> name
    services: dict[str, tuple[str | None, list[str], str | None]] = field(
        default_factory=dict
    )  # name, teams, EP
    policies: dict[str, tuple[str | None, list[str], list[str]]] = field(
        default_factory=dict
    )  # name, teams, schedules
    users: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)  # name, time zone

    def team_name(self, ref: Any, ctx: Any) -> str | None:
        rid = ref_id(ref, ctx)
        return ref_name(ref, ctx) or (self.teams.get(rid) if rid else None)

    def team_names(self, refs: Any, ctx: Any) -> list[str]:
        out: list[str] = []
        for r in refs if isinstance(refs, list) else []:
            name = self.team_name(r, ctx)
            if name and name not in out:
                out.append(name)
        return out

    def add(self, kind: str, items: list[Any], ctx: Any) -> None:
        for x in items:
            if not isinstance(x, dict):
                continue
            xid = ref_id(x, ctx)
            if kind == "teams" and xid:
                self.teams[xid] = ref_name(x, ctx) or xid
            elif kind == "users" and xid:
                self.users[xid] = (
                    text(x.get("name"), ctx) or ref_name(x, ctx),
                    text(x.get("time_zone"), ctx),
                )
        # teams first, so the names of services' and policies' team references resolve in any file order
        for x in items:
            if not isinstance(x, dict):
                continue
            xid = ref_id(x, ctx)
            if kind == "services" and xid:
                self.services[xid] = (
                    text(x.get("name"), ctx) or ref_name(x, ctx),
                    self.team_names(x.get("teams"), ctx),
                    ref_id(x.get("escalation_policy"), ctx),
                )
            elif kind == "escalation_policies" and xid:
                schedules = []
                for rule in as_list(x.get("escalation_rules")):
                    for target in as_list(rule.get("targets") if isinstance(rule, dict) else None):
                        if isinstance(target, dict) and str(target.get("type", "")).startswith(
                            "schedule"
                        ):
                            sid = ref_id(target, ctx)
                            if sid:
                                schedules.append(sid)
                        if isinstance(target, dict) and str(target.get("type", "")) == "user":
                            uid = ref_id(target, ctx)  # a user object in full (include[]=targets)
                            if uid and uid not in self.users:
                                self.users[uid] = (
                                    ref_name(target, ctx),
                                    text(target.get("time_zone"), ctx),
                                )
                self.policies[xid] = (
                    text(x.get("name"), ctx) or ref_name(x, ctx),
                    self.team_names(x.get("teams"), ctx),
                    schedules,
                )

    def policy_teams(self, policy_ids: list[str]) -> tuple[list[str], str]:
        """Teams of escalation policies, directly or through the services that use them, and how."""
        teams: list[str] = []
        for pid in policy_ids:
            for t in self.policies.get(pid, (None, [], []))[1]:
                if t not in teams:
                    teams.append(t)
        if teams:
            return teams, "its escalation policy's team"
        for _name, steams, sep in self.services.values():
            if sep and sep in policy_ids:
                for t in steams:
                    if t not in teams:
                        teams.append(t)
        return teams, "the team of a service using its escalation policy"


def read(doc: Any, source: str, ctx: ReadContextLike) -> ContextPart:
    """One PagerDuty response on its own."""
    return read_all([(doc, source)], ctx)[0]


def read_all(docs: list[tuple[Any, str]], ctx: ReadContextLike) -> list[ContextPart]:
    """Several PagerDuty responses read together (a folder), one ContextPart each, in the same order."""
    kinds = [_kind(doc) for doc, _ in docs]
    index = _Index()
    for order in (("teams", "users"), ("services", "escalation_policies")):
        for (doc, source), kind in zip(docs, kinds, strict=True):
            if kind in order:
                items = _items(doc, kind)
                check_rows(len(items), kind.replace("_", " "), source, ctx)
                index.add(kind, items, ctx)
    seen: set[str] = set()
    tally = PageTally("high-urgency incidents")
    parts = []
    all_notes = []
    for (doc, source), kind in zip(docs, kinds, strict=True):
        part = ContextPart(source=source, kind="pagerduty")
        notes = Notes(source)
        if kind is None:
            notes.add("not a PagerDuty response this tool reads; not used", None)
        else:
            items = _items(doc, kind)
            check_rows(len(items), kind.replace("_", " "), source, ctx)
            _paging_note(doc, kind, notes)
            if kind in ("incidents", "analytics"):
                _read_incidents(part, items, kind, doc, index, seen, ctx, notes, tally)
            elif kind == "schedules":
                _read_schedules(part, items, index, ctx, notes)
            elif kind == "members":
                notes.add(
                    "a team's members list does not say which team it is; not used (the users list "
                    "gives each user's teams)",
                    None,
                )
            elif kind == "oncalls":
                notes.add(
                    "an on-call list says who is on call now, not who is in the rotation; not used "
                    "(export /schedules?include[]=schedule_layers)",
                    None,
                )
        parts.append(part)
        all_notes.append(notes)
    tally.derive(ctx)
    for part, notes in zip(parts, all_notes, strict=True):
        notes.into(part)
    return parts


def _paging_note(doc: dict[str, Any], kind: str, notes: Notes) -> None:
    if doc.get("more") is True:
        where = (
            f"offset {doc.get('offset')}, limit {doc.get('limit')}"
            if "offset" in doc
            else f"after {doc.get('last')}"
            if doc.get("last")
            else ""
        )
        notes.add(
            f"this is one page of a longer {kind.replace('_', ' ')} list ({where}{', ' if where else ''}"
            "more: true); only what it holds was read; save every page into the context folder",
            None,
        )


# ---------------------------------------------------------------- incidents


def _when(v: Any, tz: dt.tzinfo | None, what: str, key: str, notes: Notes) -> dt.datetime | None:
    try:
        return parse_instant(v, tz)
    except ValueError as exc:
        notes.add(f"{what}: {exc}; not used", key)
        return None


def _read_incidents(
    part: ContextPart,
    items: list[Any],
    kind: str,
    doc: dict[str, Any],
    index: _Index,
    seen: set[str],
    ctx: Any,
    notes: Notes,
    tally: PageTally,
) -> None:
    tz = zone(doc.get("time_zone")) if kind == "analytics" else None
    pages: list[Page] = []
    starts: list[dt.date] = []
    low = 0
    listed = Listed(ctx, "incident(s)")
    for n, x in enumerate(items, start=1):
        if not isinstance(x, dict):
            notes.add(f"entry {n} of the list is not an incident; not used", None, row_dropped=True)
            continue
        number = text(x.get("incident_number"), ctx)
        iid = text(x.get("id"), ctx) or (f"#{number}" if number else None)
        if not iid:
            notes.add(
                f"entry {n} has neither an id nor an incident number; not used",
                None,
                row_dropped=True,
            )
            continue
        key = f"Incident {iid}"
        if iid in seen:
            notes.add("appears twice (pages that overlap); read once", key)
            continue
        seen.add(iid)
        if kind == "analytics":
            service = text(x.get("service_name"), ctx) or text(x.get("service_id"), ctx)
            sid = text(x.get("service_id"), ctx)
            own_teams = [
                t
                for t in [
                    text(x.get("team_name"), ctx)
                    or index.teams.get(text(x.get("team_id"), ctx) or "")
                ]
                if t
            ]
            policy = text(x.get("escalation_policy_id"), ctx)
            severity = (
                text(x.get("priority_name"), ctx)
                or ("major" if x.get("major") is True else None)
                or text(x.get("urgency"), ctx)
            )
            created_raw, resolved_raw = x.get("created_at"), x.get("resolved_at")
            responders = _names(x.get("assigned_user_names"), ctx) + _names(
                x.get("acknowledged_user_names"), ctx
            )
        else:
            svc = x.get("service")
            sid = ref_id(svc, ctx)
            service = ref_name(svc, ctx) or (index.services.get(sid or "", (None,))[0]) or sid
            own_teams = index.team_names(x.get("teams"), ctx)
            policy = ref_id(x.get("escalation_policy"), ctx)
            prio = x.get("priority")
            severity = ref_name(prio, ctx) if isinstance(prio, dict) else text(prio, ctx)
            severity = severity or text(x.get("urgency"), ctx)
            created_raw = (
                x.get("created_at") if "created_at" in x else x.get("created_on")
            )  # v2, v1
            resolved_raw = x.get("resolved_at")
            status = text(x.get("status"), ctx)
            if not resolved_raw and status == "resolved":
                resolved_raw = x.get("last_status_change_at") or x.get("last_status_change_on")
            responders = []
            for a in as_list(x.get("assignments")):
                if isinstance(a, dict):
                    responders += _names([a.get("assignee")], ctx)
            for a in as_list(x.get("acknowledgements")):
                if isinstance(a, dict):
                    responders += _names([a.get("acknowledger")], ctx)
            responders += _names([x.get("assigned_to_user"), x.get("resolved_by_user")], ctx)  # v1
            for a in as_list(x.get("assigned_to")):
                if isinstance(a, dict):
                    responders += _names([a.get("object")], ctx)
        responders = list(dict.fromkeys(r for r in responders if r))
        team = _incident_team(own_teams, sid, policy, index)
        if len(own_teams) > 1:
            notes.add(
                f"an incident names {len(own_teams)} teams ({', '.join(own_teams)}); it is counted for "
                f"the first, {own_teams[0]}",
                key,
                own_teams[0],
            )
        if team is None:
            cause = (
                f"incidents of service {service} name no team, and no team is linked to the service or its "
                "escalation policy in the context (add the /services?include[]=teams response, or "
                "/teams); they are listed but count for no team's pages"
                if service
                else "incidents name neither a service nor a team; they are listed but count for no team's pages"
            )
            notes.add(cause, key, service)
        started = _when(created_raw, tz, "the start", key, notes)
        resolved = _when(resolved_raw, tz, "the resolution", key, notes)
        minutes = None
        if (
            kind == "analytics"
            and isinstance(x.get("seconds_to_resolve"), int | float)
            and not isinstance(x.get("seconds_to_resolve"), bool)
            and x["seconds_to_resolve"] >= 0
        ):
            minutes = round(x["seconds_to_resolve"] / 60, 1)
        elif started and resolved:
            if resolved < started:
                notes.add(
                    f"resolved ({resolved_raw}) before it was created ({created_raw}); no duration",
                    key,
                )
            else:
                minutes = round((resolved - started).total_seconds() / 60, 1)
        if started is None and created_raw in (None, ""):
            notes.add("has no creation time; listed without a start and not counted as a page", key)
        if listed.keep(started.date() if started else None):
            part.incidents.append(
                Incident(
                    id=iid,
                    service=service,
                    team=team,
                    severity=severity,
                    started=started.date() if started else None,
                    duration_minutes=minutes,
                    responders=responders,
                    paged=True,
                    ref=SourceRef(source=part.source, key=key),
                )
            )
        if started is None:
            continue
        starts.append(started.date())
        urgency = text(x.get("urgency"), ctx)
        if urgency and urgency.lower() == "low":
            low += 1
            continue
        if team:
            pages.append(Page(team, started.date(), key, service))
    listed.note(notes)
    if low:
        notes.add(f"{low} low-urgency incident(s) are not counted as pages", None)
    tally.add(part, notes, pages, starts)


def _incident_team(
    own: list[str], service_id: str | None, policy: str | None, index: _Index
) -> str | None:
    """The incident's own team, else its service's, else its escalation policy's."""
    if own:
        return own[0]
    if service_id and service_id in index.services:
        steams = index.services[service_id][1]
        if steams:
            return steams[0]
        policy = policy or index.services[service_id][2]
    if policy:
        teams, _ = index.policy_teams([policy])
        if teams:
            return teams[0]
    return None


# ---------------------------------------------------------------- schedules


def _read_schedules(
    part: ContextPart, items: list[Any], index: _Index, ctx: Any, notes: Notes
) -> None:
    at, when = reference_instant(ctx)
    for n, s in enumerate(items, start=1):
        if not isinstance(s, dict):
            notes.add(f"entry {n} of the list is not a schedule; not used", None, row_dropped=True)
            continue
        sid = ref_id(s, ctx) or f"entry {n}"
        name = text(s.get("name"), ctx) or ref_name(s, ctx)
        key = f"Schedule {sid}" + (f" {name}" if name and name != sid else "")
        layers = s.get("schedule_layers")
        if not isinstance(layers, list):
            notes.add(
                "comes without its layers, so its rotation is unknown (export "
                "/schedules?include[]=schedule_layers)",
                key,
            )
            continue
        users: dict[str, str | None] = {}
        active: list[str] = []
        ended: list[str] = []
        for m, layer in enumerate(layers, start=1):
            if not isinstance(layer, dict):
                notes.add(f"layer {m} is not a layer; not used", key)
                continue
            lname = text(layer.get("name"), ctx) or text(layer.get("id"), ctx) or f"layer {m}"
            try:
                end = parse_instant(layer.get("end"))
            except ValueError as exc:
                notes.add(f"the end of layer {lname}: {exc}; the layer is counted as active", key)
                end = None
            if end is not None and end <= at:
                ended.append(f"{lname} (ended {end.date()})")
                continue
            active.append(lname)
            for entry in as_list(layer.get("users")):
                user = entry.get("user") if isinstance(entry, dict) else None
                uid = ref_id(user, ctx) or ref_name(user, ctx)
                if not uid:
                    continue
                tz = index.users.get(uid, (None, None))[1]
                tz = tz or (text(user.get("time_zone"), ctx) if isinstance(user, dict) else None)
                if uid not in users or tz:
                    users[uid] = tz  # by id: two people may share a display name
        if ended:
            notes.add(f"layer(s) {', '.join(ended)} ended {when} and do not count", key)
        if not active:
            notes.add(f"has no active layer ({when}); no rotation derived from it", key)
            continue
        teams = index.team_names(s.get("teams"), ctx)
        how = "the schedule's team"
        if not teams:
            policies = [
                p for p in (ref_id(e, ctx) for e in as_list(s.get("escalation_policies"))) if p
            ]
            policies += [
                pid
                for pid, (_, _, scheds) in index.policies.items()
                if sid in scheds and pid not in policies
            ]
            teams, how = index.policy_teams(policies)
        if not teams:
            notes.add(
                "names no team, and no escalation policy or service in the context links it to one; "
                "its rotation counts for no team",
                key,
            )
            continue
        if len(teams) > 1:
            notes.add(
                f"belongs to {len(teams)} teams ({', '.join(teams)}); each gets its rotation", key
            )
        for team in teams:
            derive_rotation(
                part,
                team,
                key,
                users,
                active,
                "time zones from the users list",
                notes,
                link=None if how == "the schedule's team" else how,
            )
