"""`roadmap-audit template PATH`: a blank plan workbook to start from (SPEC §2.1).

With `--from PLAN` it is the context workbook that plan lacks instead: no Items
sheet, one row per team that owns items but has no staffing row, and one per
service the items name that no Services row describes, each waiting for its
numbers (headcount first). No example rows, since they would be read as real.

Sheets and columns come from `load/schema.py`, the one table of what the loader
reads, so the template can never drift from it. Each header carries a note (what
the column means, its unit, the forms accepted, the other header names that work);
row 2 of every sheet is one example that loads and audits cleanly; cells have
data validation (kinds, dates, shares, yes/no, tiers) that warns without blocking,
because the loader accepts more forms than a spreadsheet list can show.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from pathlib import Path
from typing import Any

from .errors import InputError
from .load import schema
from .load.words import normalize_name
from .model import ItemKind, Plan

VALIDATED_ROWS = 1000  # validation and formats reach this far down each sheet

# Share columns that may go below zero or need more decimals than a whole percent.
_SHARE_RANGE = {("Services", "error_budget_remaining"): (-10, 1)}
_SHARE_FORMAT = {("Services", "slo"): "0.000%"}


def _quarter_after(today: dt.date) -> tuple[int, int, dt.date, dt.date]:
    """The next planning quarter: its year, number, first and last day."""
    q = (today.month - 1) // 3 + 2
    year = today.year + (q > 4)
    q = q - 4 if q > 4 else q
    first = dt.date(year, 3 * q - 2, 1)
    last = (dt.date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)) - dt.timedelta(days=1)
    return year, q, first, last


def examples(today: dt.date) -> dict[str, dict[str, Any]]:
    """One example row per sheet, consistent across sheets, that audits with no findings."""
    year, q, first, last = _quarter_after(today)
    label = f"{year}-Q{q}"
    day = lambda n: first + dt.timedelta(days=n)  # noqa: E731
    return {
        "Items": {
            "key": "EX-1",
            "title": "Add timeouts and a circuit breaker to checkout's calls to pricing",
            "team": "example-team",
            "kind": "reliability",
            "estimate": 3,
            "start": day(7),
            "due": day(42),
            "services": "example-service",
            "rollback_plan": "Feature flag checkout.pricing_breaker, off by default",
            "rehearsal": "Staged rollout behind the flag, load test at peak",
            "labels": "reliability",
            "owner": "Example Owner",
            "priority": "P2",
            "status": "To do",
            "committed": "no",
            "description": "Done when p99 checkout latency stays under 800 ms with pricing down",
            "first_planned": label,
        },
        "Teams": {
            "team": "example-team",
            "parent": "example-group",
            "headcount": 8,
            "new_hires": 0,
            "oncall_rotation": 8,
            "oncall_sites": 1,
            "ops_allocation": 0.25,
            "pages_per_week": 2,
            "toil_hours_per_week": 4,
            "incidents_last_quarter": 1,
            "points_per_week": 5,
            "availability": 0.85,
        },
        "Services": {
            "service": "example-service",
            "owner_team": "example-team",
            "tier": 2,
            "slo": 0.999,
            "slo_measured": "yes",
            "error_budget_remaining": 0.6,
            "error_budget_policy": "yes",
            "experts": "Example Expert A, Example Expert B, Example Expert C",
            "runbook": "Runbook: example-service",
            "dependency_protection": "yes",
        },
        "Org": {"unit": "example-group", "parent": ""},
        "Actions": {
            "key": "ACT-1",
            "title": "Add an alert on checkout's pricing error rate",
            "team": "example-team",
            "service": "example-service",
            "postmortem": "INC-1",
            "raised": day(-40),
            "due": day(28),
            "status": "Open",
            "times_deferred": 0,
            "scheduled_as": "EX-1",
        },
        "Incidents": {
            "id": "INC-1",
            "service": "example-service",
            "team": "example-team",
            "severity": "SEV3",
            "started": day(-45),
            "duration_minutes": 35,
            "responders": "Example Expert A",
        },
        "Settings": {"rows": [("quarter", label), ("start", None), ("end", None), ("weeks", 13)]},
    }


def rows_for(plan: Plan) -> dict[str, list[dict[str, Any]]]:
    """The Teams and Services rows the plan lacks: teams that own items with no staffing row, and
    services named on items with no Services row (owned by the team whose items name them most).

    Teams and services a system of record gave (a Backstage catalog, SLO files: rows with no sheet)
    start filled with what it said (parent, headcount, owner, tier, SLO ...), left for the planner
    to check and complete with what only the staffing model knows (the ops allocation)."""
    staffed = {normalize_name(t.team) for t in plan.teams if t.ref.sheet is not None}
    described = {normalize_name(s.service) for s in plan.services if s.ref.sheet is not None}
    teams: dict[str, dict[str, Any]] = {}
    services: dict[str, dict[str, Any]] = {}
    owners: dict[str, Counter[str]] = {}
    for team in plan.teams:
        if team.ref.sheet is None:
            teams[normalize_name(team.team)] = {"team": team.team, **_recorded(team)}
    for svc in plan.services:
        if svc.ref.sheet is None:
            services[normalize_name(svc.service)] = {"service": svc.service, **_recorded(svc)}
    for item in plan.items:
        if item.team and normalize_name(item.team) and normalize_name(item.team) not in staffed:
            teams.setdefault(normalize_name(item.team), {"team": item.team})
        for name in item.services:
            key = normalize_name(name)
            if key and key not in described:
                services.setdefault(key, {"service": name})
                if item.team:
                    owners.setdefault(key, Counter())[item.team] += 1
    for key, row in services.items():
        if not row.get("owner_team") and key in owners:
            row["owner_team"] = owners[key].most_common(1)[0][0]
    return {
        "Teams": sorted(teams.values(), key=lambda r: r["team"].casefold()),
        "Services": sorted(services.values(), key=lambda r: r["service"].casefold()),
    }


def _recorded(row: Any) -> dict[str, Any]:
    """The fields a system of record gave a row, as cells (a list as comma-separated names)."""
    out: dict[str, Any] = {}
    for field in row.derived:
        if field not in type(row).model_fields:
            continue
        value = getattr(row, field)
        out[field] = ", ".join(value) if isinstance(value, list) else value
    return out


def _note(sheet: schema.SheetSpec, column: schema.Column) -> str:
    parts = [column.note]
    if column.name in sheet.required:
        parts.append("Required.")
    parts.append(schema.KIND_FORMS.get(column.kind, ""))
    if column.aliases:
        parts.append("Also read under: " + ", ".join(column.aliases[:8]) + ".")
    return "\n".join(p for p in parts if p)


def _validation(sheet: schema.SheetSpec, column: schema.Column):
    from openpyxl.worksheet.datavalidation import DataValidation

    def make(**kw: Any) -> DataValidation:
        dv = DataValidation(
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle=column.name,
            error=schema.KIND_FORMS.get(column.kind, ""),
            showInputMessage=False,
            **kw,
        )
        return dv

    if (sheet.name, column.name) == ("Items", "kind"):
        return make(type="list", formula1='"' + ",".join(k.value for k in ItemKind) + '"')
    if column.kind == "date":
        return make(type="date", operator="greaterThan", formula1="DATE(2000,1,1)")
    if column.kind == "percent":
        low, high = _SHARE_RANGE.get((sheet.name, column.name), (0, 1))
        return make(type="decimal", operator="between", formula1=str(low), formula2=str(high))
    if column.kind in ("bool", "commitment", "link") and (sheet.name, column.name) != (
        "Services",
        "error_budget_policy",
    ):
        return make(type="list", formula1='"yes,no"')
    if column.kind == "tier":
        return make(type="list", formula1='"1,2,3,4,critical,high,medium,low"')
    if column.kind == "number":
        return make(type="decimal", operator="greaterThanOrEqual", formula1="0")
    if column.kind == "int":
        return make(type="whole", operator="greaterThanOrEqual", formula1="0")
    return None


def build_template(
    today: dt.date | None = None, rows: dict[str, list[dict[str, Any]]] | None = None
):
    """The template as an openpyxl Workbook; with `rows` (see rows_for), the context workbook of a plan."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from .report.xlsx import FIXED_TIME, put

    example_rows = examples(today or dt.date.today())
    if rows is not None:  # a plan's context: its own rows, no examples, settings left to fill
        example_rows = {
            "Settings": {"rows": [(key, None) for key, _ in example_rows["Settings"]["rows"]]}
        }
    wb = Workbook()
    for blank in wb.worksheets:  # the sheet a new workbook starts with
        wb.remove(blank)
    wb.properties.creator = "roadmap-audit"
    wb.properties.title = "Engineering plan"
    wb.properties.created = FIXED_TIME
    head_fill = PatternFill("solid", fgColor="18202B")
    required_fill = PatternFill("solid", fgColor="B7791F")
    for sheet in schema.SHEETS:
        if rows is not None and sheet is schema.ITEMS:
            continue
        ws = wb.create_sheet(sheet.name)
        for col, column in enumerate(sheet.columns, start=1):
            letter = get_column_letter(col)
            cell = ws.cell(row=1, column=col)
            put(cell, column.name)
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = required_fill if column.name in sheet.required else head_fill
            cell.alignment = Alignment(vertical="center")
            note = _note(sheet, column)
            comment = Comment(note, "roadmap-audit")
            comment.width, comment.height = 320, 70 + 18 * (len(note) // 45)
            cell.comment = comment
            ws.column_dimensions[letter].width = max(12, min(40, len(column.name) + 6))
            span = f"{letter}2:{letter}{VALIDATED_ROWS}"
            dv = _validation(sheet, column)
            if dv is not None:
                dv.add(span)
                ws.add_data_validation(dv)
            fmt = (
                "yyyy-mm-dd"
                if column.kind == "date"
                else _SHARE_FORMAT.get((sheet.name, column.name), "0%")
                if column.kind == "percent"
                else None
            )
            if fmt:
                for r in range(2, 3):
                    ws.cell(row=r, column=col).number_format = fmt
        ws.freeze_panes = "A2"
        if sheet is schema.SETTINGS:
            for r, (key, value) in enumerate(example_rows["Settings"]["rows"], start=2):
                put(ws.cell(row=r, column=1), key)
                if value is not None:
                    put(ws.cell(row=r, column=2), value)
            continue
        filled = (
            (rows or {}).get(sheet.name) if rows is not None else [example_rows.get(sheet.name, {})]
        )
        for r, row in enumerate(filled or [], start=2):
            for col, column in enumerate(sheet.columns, start=1):
                value = row.get(column.name)
                if value not in (None, ""):
                    put(ws.cell(row=r, column=col), value)
    wb.active = wb.sheetnames.index("Items" if "Items" in wb.sheetnames else "Teams")
    return wb


def write_template(
    path: Path, today: dt.date | None = None, rows: dict[str, list[dict[str, Any]]] | None = None
) -> None:
    """Write the blank plan workbook (or, with `rows`, a plan's context workbook); never overwrite a file."""
    from .report import write_atomic
    from .report.xlsx import pinned

    if path.exists():
        raise InputError(
            "already exists; the template never overwrites a file",
            where=str(path),
            hint="choose a new file name",
        )
    if path.suffix.lower() != ".xlsx":
        raise InputError("the template is a workbook: give a name ending in .xlsx", where=str(path))
    buffer = io.BytesIO()
    build_template(today, rows).save(buffer)
    write_atomic(path, pinned(buffer.getvalue()))
