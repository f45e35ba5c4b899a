"""Context from the systems of record: what kind each --context file is, who reads it, and the merge.

A --context path that is a .yaml/.yml/.json file, or a folder holding such files, is read
here (a workbook or a folder of CSV files goes to the workbook loader). Each document is
handed to the first reader whose `sniff(data)` claims it, recognised from its content
(`apiVersion`/`kind`, or the JSON shape), never from its file name. A file given by
name of which no document is recognised is exit 2 with one line; in a folder, such a file
is a note.

A reader module exposes `sniff(data) -> bool`, and either
`read(data, source, ctx) -> ContextPart` (one document at a time) or
`read_all(pairs, ctx) -> list[ContextPart]` with every (data, source) pair it claimed (a
catalog whose entities refer to each other across files; PagerDuty schedules, policies and
services). `ctx` is a ReadContext (quarter start, window, every document of the run). Then `merge` fills the plan: a value typed in a workbook wins, and
a derived one that disagrees beyond a tolerance is a note citing both.
"""

from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path
from types import ModuleType
from typing import Any

from ...config import Limits
from ...errors import InputError
from ...model import DataIssue, OrgUnit, Plan, Service, SourceRef, Team
from .. import schema
from ..words import normalize_name
from .files import context_files, has_context_files, read_documents
from .part import ContextPart, Derived, Document, ReadContext

# The readers, in the order they are asked (and their values merged): the catalog is the
# authority on teams and ownership, so it comes first.
READER_MODULES = ("backstage", "slo", "pagerduty", "opsgenie")
_OPTIONAL = frozenset({"pagerduty", "opsgenie"})  # merged in from another branch; absent until then
KNOWN = (
    "a Backstage catalog, OpenSLO, Sloth, Pyrra or slo-generator SLOs, a PagerDuty or Opsgenie export, "
    "a workbook, or beside a Jira JSON plan the Jira field list"
)


def readers() -> list[ModuleType]:
    found = []
    for name in READER_MODULES:
        full = f"{__name__}.{name}"
        try:
            found.append(importlib.import_module(full))
        except ModuleNotFoundError as exc:
            if name in _OPTIONAL and exc.name == full:
                continue
            raise
    return found


def is_context_path(path: Path) -> bool:
    """Whether --context PATH is read here (YAML/JSON files) rather than as a workbook."""
    return path.exists() and has_context_files(path)


def quarter_start(plan: Plan, quarter: str | None) -> dt.date | None:
    """The first day of the planning quarter: --quarter or the config, then the Settings sheet."""
    from ..cells import ParseError
    from ..dates import parse_quarter, quarter_bounds

    for text in (quarter, plan.settings.quarter):
        if text:
            try:
                parsed = parse_quarter(text)
            except ParseError:
                parsed = None
            if parsed:
                if text is plan.settings.quarter and plan.settings.start:
                    return plan.settings.start
                return quarter_bounds(*parsed)[0]
    return plan.settings.start


def read_context(
    paths: list[str],
    plan: Plan,
    *,
    quarter: str | None = None,
    window_weeks: float = 13.0,
    limits: Limits | None = None,
) -> list[ContextPart]:
    """Every systems-of-record file or folder in `paths`, read into ContextParts (in reader order)."""
    limits = limits or Limits()
    mods = readers()
    claimed: dict[str, list[Document]] = {m.__name__: [] for m in mods}
    every: list[Document] = []
    notes: list[DataIssue] = []
    for given in paths:
        path = Path(given)
        files = context_files(path, given)
        recognised_here = 0
        for file, shown in files:
            docs = read_documents(file, shown, limits)
            unknown: list[Document] = []
            for doc in docs:
                reader = next((m for m in mods if _sniffs(m, doc.data)), None)
                if reader is None:
                    unknown.append(doc)
                else:
                    claimed[reader.__name__].append(doc)
                    every.append(doc)
            recognised_here += len(docs) - len(unknown)
            if unknown and len(unknown) == len(docs):
                if not path.is_dir():
                    raise InputError(
                        f"is not a file the tool reads as context ({_what(unknown[0].data)})",
                        where=shown,
                        hint=f"give {KNOWN}",
                    )
                notes.append(
                    DataIssue(
                        ref=SourceRef(source=shown),
                        problem=(
                            f"not read: not a systems-of-record file the tool knows ({_what(unknown[0].data)})"
                        ),
                    )
                )
            elif unknown:
                notes.append(
                    DataIssue(
                        ref=SourceRef(source=shown),
                        problem=(
                            f"{len(unknown)} of its {len(docs)} documents were not read: not an entity the tool knows "
                            f"(the first, document {unknown[0].index + 1}: {_what(unknown[0].data)})"
                        ),
                    )
                )
        if not recognised_here:
            raise InputError(
                "has no file the tool reads as context" if path.is_dir() else "has nothing to read",
                where=given,
                hint=f"give {KNOWN}",
            )
    ctx = ReadContext(
        quarter_start=quarter_start(plan, quarter),
        window_weeks=window_weeks,
        documents=tuple(every),
    )
    parts: list[ContextPart] = []
    for mod in mods:
        docs = claimed[mod.__name__]
        if not docs:
            continue
        if hasattr(mod, "read_all"):
            parts.extend(mod.read_all([(doc.data, doc.source) for doc in docs], ctx))
        else:
            parts.extend(mod.read(doc.data, doc.source, ctx) for doc in docs)
    if notes:
        parts.insert(0, ContextPart(source=paths[0], kind="files", issues=notes))
    return parts


def _sniffs(mod: ModuleType, data: Any) -> bool:
    try:
        return bool(mod.sniff(data))
    except Exception:  # noqa: BLE001 - a reader that cannot tell does not claim the document
        return False


def _what(data: Any) -> str:
    if isinstance(data, dict):
        if "apiVersion" in data or "kind" in data:
            return (
                f"apiVersion {str(data.get('apiVersion'))[:60]}, kind {str(data.get('kind'))[:40]}"
            )
        keys = ", ".join(str(k)[:30] for k in list(data)[:6])
        return f"keys {keys}" if keys else "an empty mapping"
    if isinstance(data, list):
        return f"a list of {len(data)}"
    return f"a {type(data).__name__}"


# ---------------------------------------------------------------- merge

# numbers of the Teams and Services sheets (compared within a tolerance), from the schema
_NUMBER_FIELDS = frozenset(
    c.name
    for sheet in (schema.TEAMS, schema.SERVICES)
    for c in sheet.columns
    if c.kind in schema.NUMBER_KINDS
)
# what a team row holds when the sheet gave nothing (0 pages, 1 site): a context file may fill it
_DEFAULTS = {
    name: info.default
    for name, info in Team.model_fields.items()
    if isinstance(info.default, int | float) and not isinstance(info.default, bool)
}


def merge(plan: Plan, parts: list[ContextPart], tolerance: float = 0.1) -> None:
    """Fill the plan from the parts: rows it lacks, then values its rows lack; typed values win.

    `tolerance` is the share by which a derived number may differ from the typed one before a
    note says so (a convention of this project: 10 %); names, lists and yes/no must agree exactly.
    """
    teams = {normalize_name(t.team): t for t in plan.teams}
    services = {normalize_name(s.service): s for s in plan.services}
    units = {normalize_name(u.unit) for u in plan.org}
    item_teams = {normalize_name(i.team): i.team for i in plan.items if i.team}
    incident_ids = {i.id for i in plan.incidents}
    for part in parts:
        if part.kind != "files" and part.source not in plan.sources:
            plan.sources.append(part.source)
        plan.issues.extend(part.issues)
        for unit in part.org:
            if normalize_name(unit.unit) not in units:
                units.add(normalize_name(unit.unit))
                plan.org.append(unit)
        for new_team in part.teams:
            if normalize_name(new_team.team) not in teams:
                teams[normalize_name(new_team.team)] = new_team
                plan.teams.append(new_team)
        for new_svc in part.services:
            if normalize_name(new_svc.service) not in services:
                services[normalize_name(new_svc.service)] = new_svc
                plan.services.append(new_svc)
        for incident in part.incidents:
            if incident.id in incident_ids:
                continue  # the same incident in two exports (a page and its analytics row)
            incident_ids.add(incident.id)
            plan.incidents.append(incident)
    for part in parts:
        for name, values in part.team_values.items():
            team = teams.get(normalize_name(name))
            if team is None:
                if (
                    normalize_name(name) in item_teams
                ):  # the plan's items name it: the row is made here
                    first = next(iter(values.values()))
                    team = Team(team=item_teams[normalize_name(name)], ref=first.ref)
                    teams[normalize_name(name)] = team
                    plan.teams.append(team)
                else:
                    fields = ", ".join(f"{f} {_show(d.value)}" for f, d in values.items())
                    first = next(iter(values.values()))
                    plan.issues.append(
                        DataIssue(
                            ref=first.ref,
                            subject_id=name,
                            problem=(
                                f"team {name} ({fields}) is not a team of the plan; these values were not used"
                            ),
                        )
                    )
                    continue
            for field, derived in values.items():
                _apply(plan, team, team.team, field, derived, tolerance)
        for name, values in part.service_values.items():
            svc = services.get(normalize_name(name))
            if svc is None:
                first = next(iter(values.values()))
                svc = Service(service=name, ref=first.ref)
                services[normalize_name(name)] = svc
                plan.services.append(svc)
            for field, derived in values.items():
                _apply(plan, svc, svc.service, field, derived, tolerance)


def _apply(
    plan: Plan, row: Team | Service, subject: str, field: str, derived: Derived, tolerance: float
) -> None:
    """Set one derived value on a row, or note how it disagrees with the value already there."""
    cited = derived.ref.model_copy(
        update={"key": ", ".join(x for x in (derived.ref.key, derived.note) if x)}
    )
    if field not in type(row).model_fields:
        text = _show(derived.value)
        if field not in row.extra:
            row.extra[field] = text
            row.derived[field] = cited
        return
    current = getattr(row, field)
    if _empty(field, current):
        setattr(row, field, derived.value)
        row.derived[field] = cited
        if field == "headcount":  # the workbook's "no headcount" note no longer holds
            stale = f"team {subject} has no headcount"
            plan.issues[:] = [
                i
                for i in plan.issues
                if not (i.subject_id == subject and i.problem.startswith(stale))
            ]
        return
    if _agrees(field, current, derived.value, tolerance):
        return
    where = row.cell(field)
    # two systems of record disagree: the first one read was used
    said = f"from {where.source} ({where.key})" if field in row.derived else "typed"
    plan.issues.append(
        DataIssue(
            ref=where,
            subject_id=subject,
            problem=(
                f"{field} of {subject}: {_show(current, field)} {said}, but {_show(derived.value, field)} from "
                f"{derived.ref.source} ({cited.key}); {_show(current, field)} was used"
            ),
        )
    )


def _empty(field: str, value: Any) -> bool:
    if value is None or value == [] or value == "":
        return True
    return field in _DEFAULTS and value == _DEFAULTS[field]


def _agrees(field: str, a: Any, b: Any, tolerance: float) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if field == "slo":
            return abs(a - b) < 1e-6
        if field == "tier":
            return int(a) == int(b)
        return abs(a - b) <= tolerance * max(abs(a), abs(b))
    if isinstance(a, list) and isinstance(b, list):
        return {normalize_name(str(x)) for x in a} == {normalize_name(str(x)) for x in b}
    return normalize_name(str(a)) == normalize_name(str(b))


def _show(value: Any, field: str = "") -> str:
    if field in ("slo", "ops_allocation", "availability") and isinstance(value, float):
        return f"{value * 100:.6g}%"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "none"
    return str(value)


__all__ = [
    "ContextPart",
    "Derived",
    "Document",
    "ReadContext",
    "is_context_path",
    "merge",
    "read_context",
    "readers",
    "OrgUnit",
]
