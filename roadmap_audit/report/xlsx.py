"""The workbook report: a copy of the plan with a Findings sheet and every flagged cell marked.

For an .xlsx plan, the user's workbook is read and a copy is written with, first:

* an `Audit` sheet: the verdict, then one row per team (capacity, load, risk, and
  when its open work is done);
* a `What to change` sheet: the actions by owner, what each closes, its effect;
* a `Findings` sheet (rule, severity, subject, team, message, evidence, fix), each
  evidence cell linked to the cell it names;
* a `Forecast` sheet: each open item's chance to land by its date, committed
  items least likely first;
* every cell a finding rests on filled in its severity's colour, with a comment
  naming the rule(s).

Numbers are numbers (shares as percentages, weeks with one decimal, dates as
dates), so they sort; every table has a frozen header row and a filter.

For a CSV, Jira or JSON plan there is no workbook to copy, so a new one holds the
same sheets plus an Items sheet built from the plan, marked the same way.

The plan file is only read, never written. Text that starts with `=`, `+`, `-` or
`@` is stored as text, never as a formula. Same input, same bytes: timestamps are
pinned.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..model import Audit, Evidence, Finding, Forecast, Item, Plan
from ..score import score_basis
from .view import day, pct, severity_rank
from .view_model import ReportView, build_report_view

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell, MergedCell
    from openpyxl.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from ..redact import Redactor

FILLS = {
    "critical": "F4B6BC",
    "high": "F9C9A8",
    "medium": "FFE699",
    "low": "CFE1F7",
    "info": "E7EAEE",
}
FORMULA_STARTS = ("=", "+", "-", "@")
# Pinned into every workbook this writes, so the same input gives the same bytes.
FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)
_CELL = re.compile(r"^(?P<col>[A-Z]{1,3})(?P<row>[0-9]+)$")
# our sheets, in this order, ahead of the plan's own: Audit, What to change, Findings, Forecast
# ("Actions" would meet a plan's sheet of postmortem actions)
_NAMES = {
    "findings": "Findings",
    "audit": "Audit",
    "actions": "What to change",
    "forecast": "Forecast",
    "items": "Items",
}
_FINDING_COLUMNS = (
    ("rule", 9),
    ("severity", 10),
    ("title", 34),
    ("subject", 24),
    ("team", 16),
    ("owner unit", 14),
    ("message", 70),
    ("evidence", 36),
    ("why it matters", 60),
    ("fix", 60),
)


@dataclass
class _Mark:
    """What to write on one flagged cell."""

    severity: str = "info"
    notes: list[str] = field(default_factory=list)

    def add(self, f: Finding, note: str | None) -> None:
        if severity_rank(f.severity) < severity_rank(self.severity):
            self.severity = f.severity
        line = f"{f.rule} ({f.severity}): {f.title}" + (f" — {note}" if note else "")
        if line not in self.notes:
            self.notes.append(line)


def put(cell: Cell | MergedCell, value: Any) -> None:
    """Write a value; text is always text, even when it looks like a formula."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True  # Excel keeps it text when the cell is edited


def _unique_title(wb: Workbook, wanted: str) -> str:
    taken = {ws.title.casefold() for ws in wb.worksheets}
    title, n = wanted, 2
    while title.casefold() in taken:
        title, n = f"{wanted} ({n})", n + 1
    return title


def _header(
    ws: Worksheet, names: list[str] | tuple[str, ...], widths: list[int] | None = None
) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    for col, name in enumerate(names, start=1):
        cell = ws.cell(row=1, column=col)
        put(cell, name)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="18202B")
        cell.alignment = Alignment(vertical="center")
        if widths:
            ws.column_dimensions[get_column_letter(col)].width = widths[col - 1]
    ws.freeze_panes = "A2"


def _findings_sheet(wb: Workbook, audit: Audit, link_sheets: dict[tuple[str, str], str]) -> None:
    from openpyxl.styles import Alignment, PatternFill

    ws = wb.create_sheet(_unique_title(wb, _NAMES["findings"]), 2)
    _header(ws, [c for c, _ in _FINDING_COLUMNS], [w for _, w in _FINDING_COLUMNS])
    wrap = Alignment(wrap_text=True, vertical="top")
    for row, f in enumerate(audit.findings, start=2):
        evidence = "\n".join(
            f"{e.location}" + (f" ({e.note})" if e.note else "") + f" in {e.source}"
            for e in f.evidence
        )
        values = [
            f.rule,
            f.severity,
            f.title,
            f"{f.subject.kind} {f.subject.id}",
            ", ".join(f.teams),
            f.owner_unit or "",
            f.message,
            evidence,
            f.why,
            f.fix,
        ]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=col)
            put(cell, value)
            cell.alignment = wrap
        ws.cell(row=row, column=2).fill = PatternFill("solid", fgColor=FILLS[f.severity])
        target = _first_link(f, link_sheets)
        if target:
            _link(ws.cell(row=row, column=8), target)
    if not audit.findings:
        put(ws.cell(row=2, column=1), "no findings")
    ws.auto_filter.ref = f"A1:J{max(2, len(audit.findings) + 1)}"


def _first_link(f: Finding, link_sheets: dict[tuple[str, str], str]) -> str | None:
    """An in-workbook link to the first evidence cell that lives in this workbook."""
    for e in f.evidence:
        place = _split(e.location)
        if place and (e.source, place[0]) in link_sheets:
            sheet = link_sheets[(e.source, place[0])]
            return f"'{sheet}'!{place[1]}"
    return None


def _link(cell: Cell | MergedCell, location: str) -> None:
    """A link to a cell of this workbook (never to a file or a web address)."""
    from openpyxl.styles import Font
    from openpyxl.worksheet.hyperlink import Hyperlink

    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=location)
    cell.font = Font(color="2557C7", underline="single")


def _copy(path: Path, shown: str) -> tuple[Workbook | None, str | None]:
    """The plan workbook opened to be copied, or None and why it could not be (a new workbook is written)."""
    import openpyxl

    from ..load import xlsx_reader

    try:
        # openpyxl caps nothing: the loader's size checks first (zip bombs), the same it read the plan under
        xlsx_reader.check_archive(
            path, max(xlsx_reader.MAX_INFLATED_BYTES, 5 * path.stat().st_size)
        )
    except (xlsx_reader.Hostile, xlsx_reader.Unsupported) as exc:
        raise InputError(f"cannot copy the workbook ({exc})", where=shown) from exc
    try:
        return openpyxl.load_workbook(path, data_only=False, keep_links=False), None
    except (
        Exception
    ) as exc:  # openpyxl is stricter than the loader's reader (and raises many kinds)
        return None, (
            f"{shown} could not be copied ({type(exc).__name__}: openpyxl does not open it), so the "
            "Items sheet here is built from the plan as read"
        )


# number formats: a number stays a number (it sorts and sums), shown as people read it
PERCENT, WEEKS, DATE, COUNT = "0%", "0.0", "yyyy-mm-dd", "0"


def _finite(x: float | None) -> float | None:
    return x if x is not None and math.isfinite(x) else None


def _table(
    ws: Worksheet,
    top: int,
    names: list[str],
    rows: list[list[Any]],
    formats: list[str | None],
    widths: list[int],
) -> None:
    """A table whose header is row `top`: bold header, frozen under it, a filter over it, and each
    column's number format on its numbers (dates as dates, shares as percentages)."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    for col, name in enumerate(names, start=1):
        cell = ws.cell(row=top, column=col)
        put(cell, name)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="18202B")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = widths[col - 1]
    for r, values in enumerate(rows, start=top + 1):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c)
            put(cell, value)
            fmt = formats[c - 1]
            if fmt and isinstance(value, (int, float, dt.date)) and not isinstance(value, bool):
                cell.number_format = fmt
    ws.freeze_panes = f"A{top + 1}"
    ws.auto_filter.ref = f"A{top}:{get_column_letter(len(names))}{top + max(1, len(rows))}"


def _delivery_line(fc: Forecast | None) -> str:
    """The forecast in one cell: its runs, the quarter's end, when the plan is done, and its notes."""
    if fc is None:
        return ""
    done = (
        f"; the whole plan is done by {day(fc.plan.p50_date)} in half the runs, {pct(fc.plan.p_by_end)} by the "
        "quarter's end"
        if fc.plan.items
        else ""
    )
    ends = fc.end.isoformat() if fc.end else f"week {fc.end_weeks:g}"
    notes = "".join(f"; {n}" for n in fc.notes)
    return f"{fc.runs:,} simulated quarters (seed {fc.seed}); the quarter ends {ends}{done}{notes}"


def _summary_rows(view: ReportView, note: str | None) -> list[list[Any]]:
    """The Audit sheet's head: the verdict and why, the plan, the findings and the forecast."""
    audit = view.audit
    counts = ", ".join(f"{n} {s}" for s, n in view.counts.items() if n)
    return [
        ["verdict", view.verdict_text],
        ["why", view.verdict_line.plain()],
        ["quarter", audit.plan.quarter or ""],
        ["sources", ", ".join(audit.plan.sources)],
        ["findings", counts or "none"],
        ["delivery forecast", _delivery_line(audit.forecast)],
        *([["note", note]] if note else []),
    ]


def _audit_sheet(wb: Workbook, view: ReportView, note: str | None = None) -> None:
    """The verdict, then one row per team: capacity, load, risk and when its open work is done."""
    from openpyxl.styles import Font

    audit = view.audit
    ws = wb.create_sheet(_unique_title(wb, _NAMES["audit"]), 0)
    fc = audit.forecast
    summary = _summary_rows(view, note)
    for r, values in enumerate(summary, start=1):
        for c, value in enumerate(values, start=1):
            put(ws.cell(row=r, column=c), value)
        ws.cell(row=r, column=1).font = Font(bold=True)
    delivery = {t.team: t for t in fc.teams} if fc is not None else {}
    rows = []
    for t in audit.teams:
        d = delivery.get(t.team)
        known = t.capacity_weeks > 0
        rows.append(
            [
                t.team,
                t.parent or "",
                t.capacity_weeks if known else None,
                t.planned_weeks if t.planned_known else None,
                t.ops_admitted if t.in_staffing_model else None,
                t.ops_observed if t.in_staffing_model else None,
                _finite(t.load) if known else None,
                t.score,
                t.findings,
                d.p50_date if d else None,
                d.p85_date if d else None,
                d.p_by_end if d else None,
                score_basis(t.findings_by_severity),
            ]
        )
    _table(
        ws,
        len(summary) + 2,
        [
            "team",
            "org unit",
            "capacity (eng-weeks)",
            "planned (eng-weeks)",
            "ops admitted",
            "ops observed",
            "load",
            "risk",
            "findings",
            "half the runs done by",
            "85 % done by",
            "done by the quarter's end",
            "risk is",
        ],
        rows,
        [
            None,
            None,
            WEEKS,
            WEEKS,
            PERCENT,
            PERCENT,
            PERCENT,
            COUNT,
            COUNT,
            DATE,
            DATE,
            PERCENT,
            None,
        ],
        [24, 14, 12, 12, 10, 10, 9, 8, 9, 13, 13, 12, 40],
    )
    ws.column_dimensions["B"].width = 14


def _actions_sheet(wb: Workbook, view: ReportView) -> None:
    """What to change, by owner: one row per action, with what it closes and its effect."""
    rows = [
        [
            o.owner,
            "team" if o.is_team else "org unit",
            a.severity,
            a.text,
            a.resolves_text(tag=lambda r: ""),
            ", ".join(a.rules),
            a.load_before,
            a.load_after,
            a.chance_before,
            a.chance_after,
        ]
        for o in view.owners
        for a in o.actions
    ]
    ws = wb.create_sheet(_unique_title(wb, _NAMES["actions"]), 1)
    _table(
        ws,
        1,
        [
            "owner",
            "owner is",
            "severity",
            "action",
            "closes",
            "rules",
            "load before",
            "load after",
            "done by the quarter's end before",
            "after",
        ],
        rows,
        [None, None, None, None, None, None, PERCENT, PERCENT, PERCENT, PERCENT],
        [18, 10, 10, 70, 50, 14, 10, 10, 14, 10],
    )
    from openpyxl.styles import Alignment, PatternFill

    for r, values in enumerate(rows, start=2):
        ws.cell(row=r, column=3).fill = PatternFill("solid", fgColor=FILLS[str(values[2])])
        for c in (4, 5):
            ws.cell(row=r, column=c).alignment = Alignment(wrap_text=True, vertical="top")


def _forecast_sheet(wb: Workbook, audit: Audit) -> None:
    """Each open item's chance to land by its date, committed items first, least likely first
    (each team's finish is on the Audit sheet)."""
    from openpyxl.styles import PatternFill

    fc = audit.forecast
    if fc is None or not fc.items:
        return
    ws = wb.create_sheet(_unique_title(wb, _NAMES["forecast"]), 3)
    items = sorted(
        fc.items,
        key=lambda i: (not i.committed, i.p_on_time if i.p_on_time is not None else 2.0, i.key),
    )
    rows = [
        [
            i.key,
            i.team,
            "yes" if i.committed else "",
            i.due,
            i.due_basis if i.due else "",
            i.p_on_time,
            i.p50_date,
            _finite(i.p50_weeks),
            i.p85_date,
            _finite(i.p85_weeks),
            i.estimate_weeks,
            "" if i.estimated else "no estimate",
        ]
        for i in items
    ]
    _table(
        ws,
        1,
        [
            "item",
            "team",
            "committed",
            "held to",
            "date from",
            "chance on time",
            "half the runs done by",
            "week",
            "85 % done by",
            "week",
            "effort drawn around (eng-weeks)",
            "note",
        ],
        rows,
        [None, None, None, DATE, None, PERCENT, DATE, WEEKS, DATE, WEEKS, WEEKS, None],
        [12, 16, 10, 12, 14, 10, 13, 7, 13, 7, 14, 14],
    )
    for r, i in enumerate(items, start=2):
        if i.committed and i.p_on_time is not None and i.p_on_time < 0.5:
            ws.cell(row=r, column=6).fill = PatternFill(
                "solid", fgColor=FILLS["high" if i.p_on_time < 0.2 else "medium"]
            )


def _split(location: str) -> tuple[str, str] | None:
    """`Items!B14` -> ("Items", "B14"); `Items!14` -> ("Items", "A14"); anything else -> None."""
    if "!" not in location:
        return None
    sheet, cell = location.rsplit("!", 1)
    if cell.isdigit():
        return sheet, f"A{cell}"
    return (sheet, cell) if _CELL.match(cell) else None


def _marks(audit: Audit, source: str) -> dict[tuple[str, str], _Mark]:
    """(sheet, cell) -> the findings that rest on it, for evidence in this source."""
    marks: dict[tuple[str, str], _Mark] = defaultdict(_Mark)
    for f in audit.findings:
        for e in f.evidence:
            place = _split(e.location) if e.source == source else None
            if place:
                marks[place].add(f, e.note)
    return marks


def _mark_cells(wb: Workbook, marks: dict[tuple[str, str], _Mark]) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    sheets = {ws.title: ws for ws in wb.worksheets}
    for (sheet, ref), mark in sorted(marks.items()):
        ws = sheets.get(sheet)
        if ws is None:
            continue
        cell = ws[ref]
        cell.fill = PatternFill("solid", fgColor=FILLS[mark.severity])
        text = "roadmap-audit:\n" + "\n".join(mark.notes)
        if cell.comment is not None and cell.comment.text:
            text = f"{cell.comment.text}\n\n{text}"
        comment = Comment(text, "roadmap-audit")
        comment.width, comment.height = 360, 40 + 30 * len(mark.notes)
        cell.comment = comment


# What --redact-people does to the copy of the plan workbook, said on its Audit sheet.
REDACTED_COPY = (
    "--redact-people: names were replaced in every cell, formula, link, comment, sheet name, header "
    "and footer, defined name and document property, on every sheet (names in person columns of "
    "sheets the audit does not read too); pictures, charts and pivot tables were left out of this "
    "copy, since their names cannot be checked"
)


def _redact_cell(cell: Any, redactor: Redactor) -> None:
    """A cell's text, link and comment with every known name replaced."""
    if isinstance(cell.value, str):
        new = redactor.text(cell.value)
        if new != cell.value:
            if cell.data_type == "f":
                cell.value = (
                    new  # a formula stays one: names in its text and its sheet names replaced
                )
            else:
                put(cell, new)
    if cell.hyperlink is not None:
        for name in ("target", "display", "tooltip", "location"):
            value = getattr(cell.hyperlink, name, None)
            if isinstance(value, str):
                setattr(cell.hyperlink, name, redactor.text(value))
    if cell.comment is not None:
        cell.comment = type(cell.comment)(redactor.text(cell.comment.text or ""), "roadmap-audit")


def _redact_headers(ws: Worksheet, redactor: Redactor) -> None:
    """The printed headers and footers of a sheet."""
    parts = (
        ws.oddHeader,
        ws.oddFooter,
        ws.evenHeader,
        ws.evenFooter,
        ws.firstHeader,
        ws.firstFooter,
    )
    for part in (p for p in parts if p is not None):
        for side in (part.left, part.center, part.right):
            if side is not None and side.text:
                side.text = redactor.text(side.text)


def _redact_properties(wb: Workbook, redactor: Redactor) -> None:
    """Defined names and the document's properties."""
    for name in list(wb.defined_names.values()) if hasattr(wb.defined_names, "values") else []:
        if isinstance(name.attr_text, str):
            name.attr_text = redactor.text(name.attr_text)
    props = wb.properties
    props.creator = props.lastModifiedBy = "roadmap-audit"
    for field_name in ("title", "subject", "description", "keywords", "category"):
        value = getattr(props, field_name, None)
        if isinstance(value, str):
            setattr(props, field_name, redactor.text(value))


def _redact_workbook(wb: Workbook, redactor: Redactor) -> None:
    from ..redact import Redactor as _Redactor
    from ..redact import names_in_columns

    # the person columns of every sheet, read by the audit or not, name people too
    found: set[str] = set()
    for ws in wb.worksheets:
        found |= names_in_columns(ws)
    if found - set(redactor.mapping):
        redactor = _Redactor.for_names(set(redactor.mapping) | found, redactor.key)
    for ws in wb.worksheets:
        # the cells there are, not every position up to the last one
        for cell in list(ws._cells.values()):
            _redact_cell(cell, redactor)
        _redact_headers(ws, redactor)
        for private in ("_images", "_charts", "_pivots"):  # pictures and charts are not copied
            setattr(ws, private, [])
        title = redactor.text(ws.title)
        if title != ws.title:
            ws.title = _unique_title(wb, title[:31])
    _redact_properties(wb, redactor)


# ----------------------------------------------------------------- a plan without a workbook

_ITEM_FIELDS = (
    "key",
    "title",
    "team",
    "kind_raw",
    "estimate_raw",
    "start",
    "due",
    "depends_on",
    "services",
    "rollback_plan",
    "rehearsal",
    "labels",
    "owner",
    "priority",
    "status",
    "committed",
    "description",
    "first_planned",
    "parent",
)
_ITEM_HEADERS = {"kind_raw": "kind", "estimate_raw": "estimate"}


def _item_value(item: Item, name: str) -> Any:
    value = getattr(item, name)
    if isinstance(value, list):
        return ", ".join(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


_ITEM_ALIAS = {
    "kind": "kind_raw",
    "estimate": "estimate_raw",
    "estimate_days": "estimate_raw",
    "estimate_hours": "estimate_raw",
    "story_points": "estimate_raw",
    "original_estimate": "estimate_raw",
}


def _item_cell(
    e: Evidence,
    where: dict[tuple[str, str | None, int | None], int],
    by_key: dict[str, int],
    letters: dict[int, dict[str, str]],
    column_of: dict[str, str],
) -> str | None:
    """The cell of the Items sheet we wrote that a piece of evidence is about, or None."""
    if "!" not in e.location:
        return f"A{by_key[e.location]}" if e.location in by_key else None
    sheet, cell = e.location.rsplit("!", 1)
    match = re.match(r"^([A-Z]{0,3})([0-9]+)$", cell)
    row = where.get((e.source, sheet, int(match.group(2)))) if match else None
    if not match or not row:
        return None
    field_name = letters[row].get(match.group(1)) or "" if match.group(1) else ""
    column = column_of.get(_ITEM_ALIAS.get(field_name, field_name), "A")
    return f"{column}{row}"


def _item_row_marks(
    audit: Audit,
    title: str,
    where: dict[tuple[str, str | None, int | None], int],
    by_key: dict[str, int],
    letters: dict[int, dict[str, str]],
) -> dict[tuple[str, str], _Mark]:
    """The cells of the Items sheet we wrote that findings rest on: the evidence's row (or Jira
    key) and, when the evidence names a column, the same field's column here."""
    from openpyxl.utils import get_column_letter

    column_of = {name: get_column_letter(i) for i, name in enumerate(_ITEM_FIELDS, start=1)}
    marks: dict[tuple[str, str], _Mark] = defaultdict(_Mark)
    for f in audit.findings:
        for e in f.evidence:
            cell = _item_cell(e, where, by_key, letters, column_of)
            if cell is not None:
                marks[(title, cell)].add(f, e.note)
    return marks


def _items_sheet(wb: Workbook, plan: Plan, audit: Audit) -> None:
    """The plan's items as a sheet, marked where findings point at their source rows."""
    from openpyxl.styles import Alignment

    ws = wb.create_sheet(_unique_title(wb, _NAMES["items"]))
    headers = [_ITEM_HEADERS.get(n, n) for n in _ITEM_FIELDS] + ["read from"]
    _header(
        ws, headers, [12, 44, 16, 12, 10, 11, 11, 18, 18, 30, 30, 18, 16, 9, 12, 10, 44, 12, 12, 18]
    )
    where: dict[tuple[str, str | None, int | None], int] = {}
    by_key: dict[str, int] = {}
    letters: dict[int, dict[str, str]] = {}
    for row, item in enumerate(plan.items, start=2):
        for col, name in enumerate(_ITEM_FIELDS, start=1):
            value = _item_value(item, name)
            cell = ws.cell(row=row, column=col)
            put(cell, value)
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
        put(
            ws.cell(row=row, column=len(_ITEM_FIELDS) + 1), f"{item.ref.source} {item.ref.location}"
        )
        ws.cell(row=row, column=2).alignment = Alignment(wrap_text=False)
        where[(item.ref.source, item.ref.sheet, item.ref.row)] = row
        by_key[item.key] = row
        letters[row] = {letter: name for name, letter in item.columns.items()}
    from openpyxl.utils import get_column_letter

    marks = _item_row_marks(audit, ws.title, where, by_key, letters)
    _mark_cells(wb, marks)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(2, len(plan.items) + 1)}"


# ----------------------------------------------------------------- bytes


def pinned(data: bytes, when: dt.datetime = FIXED_TIME) -> bytes:
    """The same workbook with fixed zip dates and document times, so equal input gives equal bytes."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp + rb"\g<2>",
                    content,
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, content)
    return out.getvalue()


def _is_workbook(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm")


def render_xlsx(
    audit: Audit, plan_path: str | Path | None, plan: Plan | None, redactor: Redactor | None = None
) -> bytes:
    """The plan workbook (or a new one) with a Findings sheet and the flagged cells marked."""
    import openpyxl

    view = build_report_view(audit)
    path = Path(plan_path) if plan_path is not None else None
    wb, not_copied = (
        _copy(path, str(plan_path)) if path is not None and _is_workbook(path) else (None, None)
    )
    if wb is not None:
        if redactor is not None:
            _redact_workbook(wb, redactor)
        source = str(plan_path)
        _mark_cells(wb, _marks(audit, source))
        link_sheets = {(source, ws.title): ws.title for ws in wb.worksheets}
        _audit_sheet(wb, view, REDACTED_COPY if redactor is not None else None)
        _actions_sheet(wb, view)
        _findings_sheet(wb, audit, link_sheets)
        _forecast_sheet(wb, audit)
        wb.active = 0
    else:
        wb = openpyxl.Workbook()
        wb.remove(wb.worksheets[0])
        wb.properties.creator = "roadmap-audit"
        wb.properties.created = FIXED_TIME
        if plan is not None:
            _items_sheet(wb, plan, audit)
        items_title = wb.worksheets[0].title if wb.worksheets else None
        _audit_sheet(wb, view, not_copied)
        _actions_sheet(wb, view)
        _findings_sheet(wb, audit, {})
        _forecast_sheet(wb, audit)
        if items_title:
            _link_items(wb, audit, items_title, plan)
        wb.active = 0
    wb.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    return pinned(buffer.getvalue())


def _link_items(wb: Workbook, audit: Audit, items_title: str, plan: Plan | None) -> None:
    """Link each finding about an item to its row in the Items sheet we wrote."""
    if plan is None:
        return
    rows = {item.key: row for row, item in enumerate(plan.items, start=2)}
    ws = wb[_NAMES["findings"]] if _NAMES["findings"] in wb.sheetnames else wb.worksheets[0]
    for r, f in enumerate(audit.findings, start=2):
        if f.subject.kind == "item" and f.subject.id in rows:
            _link(ws.cell(row=r, column=8), f"'{items_title}'!A{rows[f.subject.id]}")
