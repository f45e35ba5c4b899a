"""The workbook report: a copy of the plan with a Findings sheet and every flagged cell marked.

For an .xlsx plan, the user's workbook is read and a copy is written with:

* a `Findings` sheet (rule, severity, subject, team, message, evidence, fix), each
  evidence cell linked to the cell it names;
* an `Audit` sheet with the verdict and each team's load;
* a `Forecast` sheet: when each team finishes (P50/P85) and each item's chance
  to land by its date, committed items least likely first;
* every cell a finding rests on filled in its severity's colour, with a comment
  naming the rule(s).

For a CSV, Jira or JSON plan there is no workbook to copy, so a new one holds the
Findings and Audit sheets plus an Items sheet built from the plan, marked the same way.

The plan file is only read, never written. Text that starts with `=`, `+`, `-` or
`@` is stored as text, never as a formula. Same input, same bytes: timestamps are
pinned.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..model import SEVERITIES, Audit, Finding, Item, Plan
from ..score import score_basis
from .forecast_view import finish_text
from .view import VERDICT_TEXT, pct, planned, severity_rank, weeks

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from ..redact import Redactor

FILLS = {"critical": "F4B6BC", "high": "F9C9A8", "medium": "FFE699", "low": "CFE1F7", "info": "E7EAEE"}
FORMULA_STARTS = ("=", "+", "-", "@")
# Pinned into every workbook this writes, so the same input gives the same bytes.
FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)
_CELL = re.compile(r"^(?P<col>[A-Z]{1,3})(?P<row>[0-9]+)$")
_NAMES = {"findings": "Findings", "audit": "Audit", "forecast": "Forecast", "items": "Items"}
_FINDING_COLUMNS = (("rule", 9), ("severity", 10), ("title", 34), ("subject", 24), ("team", 16),
                    ("owner unit", 14), ("message", 70), ("evidence", 36), ("why it matters", 60), ("fix", 60))


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


def put(cell: Cell, value: Any) -> None:
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


def _header(ws: Worksheet, names: list[str] | tuple[str, ...], widths: list[int] | None = None) -> None:
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

    ws = wb.create_sheet(_unique_title(wb, _NAMES["findings"]), 0)
    _header(ws, [c for c, _ in _FINDING_COLUMNS], [w for _, w in _FINDING_COLUMNS])
    wrap = Alignment(wrap_text=True, vertical="top")
    for row, f in enumerate(audit.findings, start=2):
        evidence = "\n".join(f"{e.location}" + (f" ({e.note})" if e.note else "") + f" in {e.source}"
                             for e in f.evidence)
        values = [f.rule, f.severity, f.title, f"{f.subject.kind} {f.subject.id}", ", ".join(f.teams),
                  f.owner_unit or "", f.message, evidence, f.why, f.fix]
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


def _link(cell: Cell, location: str) -> None:
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
        xlsx_reader.check_archive(path, max(xlsx_reader.MAX_INFLATED_BYTES, 5 * path.stat().st_size))
    except (xlsx_reader.Hostile, xlsx_reader.Unsupported) as exc:
        raise InputError(f"cannot copy the workbook ({exc})", where=shown) from exc
    try:
        return openpyxl.load_workbook(path, data_only=False, keep_links=False), None
    except Exception as exc:  # openpyxl is stricter than the loader's reader (and raises many kinds)
        return None, (f"{shown} could not be copied ({type(exc).__name__}: openpyxl does not open it), so the "
                      "Items sheet here is built from the plan as read")


def _audit_sheet(wb: Workbook, audit: Audit, note: str | None = None) -> None:
    from openpyxl.styles import Font

    ws = wb.create_sheet(_unique_title(wb, _NAMES["audit"]), 1)
    rows: list[list[Any]] = [
        ["verdict", VERDICT_TEXT[audit.verdict]],
        ["why", audit.verdict_reason],
        ["quarter", audit.plan.quarter or ""],
        ["sources", ", ".join(audit.plan.sources)],
        ["findings", ", ".join(f"{sum(1 for f in audit.findings if f.severity == s)} {s}" for s in SEVERITIES
                               if any(f.severity == s for f in audit.findings)) or "none"],
        ["note", note] if note else [],
        ["team", "capacity (eng-weeks)", "planned", "ops admitted", "ops observed", "load", "risk", "findings",
         "risk is"],
    ]
    rows += [[t.team, weeks(t.capacity_weeks), planned(t), pct(t.ops_admitted), pct(t.ops_observed),
              pct(t.load) if t.capacity_weeks else "—", t.score, t.findings, score_basis(t.findings_by_severity)]
             for t in audit.teams]
    if audit.recommendations:
        rows += [[], ["recommendation", "team", "rule"]]
        rows += [[r.text, r.team, r.rule or ""] for r in audit.recommendations]
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            put(ws.cell(row=r, column=c), value)
    for r in (1, 7):
        for c in range(1, 10):
            ws.cell(row=r, column=c).font = Font(bold=True)
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 60


def _forecast_sheet(wb: Workbook, audit: Audit) -> None:
    """When each team finishes its open items (P50/P85), and each item's chance to land by its date.

    Every forecast item is listed (a spreadsheet can sort and filter them): committed
    items first, least likely first, then the rest by key."""
    from openpyxl.styles import Font, PatternFill

    fc = audit.forecast
    if fc is None or not fc.items:
        return
    ws = wb.create_sheet(_unique_title(wb, _NAMES["forecast"]), 2)
    end = fc.end.isoformat() if fc.end else f"week {fc.end_weeks:g}"
    rows: list[list[Any]] = [
        ["delivery forecast", f"{fc.runs:,} simulated quarters (seed {fc.seed}); the quarter ends {end}"],
        *[["note", note] for note in fc.notes],
        [],
        ["team", "open items", "eng-weeks a week", "unplanned share", "half the runs done by", "85 % done by",
         "done by the quarter's end"],
    ]
    team_header = len(rows)
    for t in [*fc.teams, fc.plan]:
        rows.append([t.team, t.items, t.pace_weeks, pct(t.unplanned_share), finish_text(t.p50_weeks, t.p50_date),
                     finish_text(t.p85_weeks, t.p85_date), pct(t.p_by_end) if t.p_by_end is not None else "—"])
    rows += [[], ["item", "team", "committed", "held to", "chance on time", "half the runs done by",
                  "85 % done by", "effort drawn around (eng-weeks)"]]
    item_header = len(rows)
    items = sorted(fc.items, key=lambda i: (not i.committed, i.p_on_time if i.p_on_time is not None else 2.0,
                                            i.key))
    for i in items:
        held = f"{i.due.isoformat()} ({i.due_basis})" if i.due else "—"
        rows.append([i.key, i.team, "yes" if i.committed else "", held,
                     pct(i.p_on_time) if i.p_on_time is not None else "—", finish_text(i.p50_weeks, i.p50_date),
                     finish_text(i.p85_weeks, i.p85_date), i.estimate_weeks if i.estimated else
                     f"{i.estimate_weeks:g} (no estimate)"])
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            put(ws.cell(row=r, column=c), value)
    for r in (1, team_header, item_header):
        for c in range(1, 9):
            ws.cell(row=r, column=c).font = Font(bold=True)
    for r, i in enumerate(items, start=item_header + 1):
        if i.committed and i.p_on_time is not None and i.p_on_time < 0.5:
            ws.cell(row=r, column=5).fill = PatternFill("solid", fgColor=FILLS["high" if i.p_on_time < 0.2
                                                                               else "medium"])
    for letter, width in zip("ABCDEFGH", (28, 16, 16, 26, 16, 24, 24, 18)):
        ws.column_dimensions[letter].width = width


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
REDACTED_COPY = ("--redact-people: names were replaced in every cell, formula, link, comment, sheet name, header "
                 "and footer, defined name and document property, on every sheet (names in person columns of "
                 "sheets the audit does not read too); pictures, charts and pivot tables were left out of this "
                 "copy, since their names cannot be checked")


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
        for cell in list(ws._cells.values()):  # the cells there are, not every position up to the last one
            if isinstance(cell.value, str):
                new = redactor.text(cell.value)
                if new != cell.value:
                    if cell.data_type == "f":
                        cell.value = new  # a formula stays one: names in its text and its sheet names replaced
                    else:
                        put(cell, new)
            if cell.hyperlink is not None:
                for name in ("target", "display", "tooltip", "location"):
                    value = getattr(cell.hyperlink, name, None)
                    if isinstance(value, str):
                        setattr(cell.hyperlink, name, redactor.text(value))
            if cell.comment is not None:
                cell.comment = type(cell.comment)(redactor.text(cell.comment.text or ""), "roadmap-audit")
        for part in (ws.oddHeader, ws.oddFooter, ws.evenHeader, ws.evenFooter, ws.firstHeader, ws.firstFooter):
            for side in (part.left, part.center, part.right):
                if side.text:
                    side.text = redactor.text(side.text)
        ws._images, ws._charts, ws._pivots = [], [], []
        title = redactor.text(ws.title)
        if title != ws.title:
            ws.title = _unique_title(wb, title[:31])
    for name in list(wb.defined_names.values()) if hasattr(wb.defined_names, "values") else []:
        if isinstance(name.attr_text, str):
            name.attr_text = redactor.text(name.attr_text)
    props = wb.properties
    props.creator = props.lastModifiedBy = "roadmap-audit"
    for name in ("title", "subject", "description", "keywords", "category"):
        value = getattr(props, name, None)
        if isinstance(value, str):
            setattr(props, name, redactor.text(value))


# ----------------------------------------------------------------- a plan without a workbook

_ITEM_FIELDS = ("key", "title", "team", "kind_raw", "estimate_raw", "start", "due", "depends_on", "services",
                "rollback_plan", "rehearsal", "labels", "owner", "priority", "status", "committed", "description",
                "first_planned", "parent")
_ITEM_HEADERS = {"kind_raw": "kind", "estimate_raw": "estimate"}


def _item_value(item: Item, name: str) -> Any:
    value = getattr(item, name)
    if isinstance(value, list):
        return ", ".join(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def _items_sheet(wb: Workbook, plan: Plan, audit: Audit) -> None:
    """The plan's items as a sheet, marked where findings point at their source rows."""
    from openpyxl.styles import Alignment

    ws = wb.create_sheet(_unique_title(wb, _NAMES["items"]))
    headers = [_ITEM_HEADERS.get(n, n) for n in _ITEM_FIELDS] + ["read from"]
    _header(ws, headers, [12, 44, 16, 12, 10, 11, 11, 18, 18, 30, 30, 18, 16, 9, 12, 10, 44, 12, 12, 18])
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
        put(ws.cell(row=row, column=len(_ITEM_FIELDS) + 1), f"{item.ref.source} {item.ref.location}")
        ws.cell(row=row, column=2).alignment = Alignment(wrap_text=False)
        where[(item.ref.source, item.ref.sheet, item.ref.row)] = row
        by_key[item.key] = row
        letters[row] = {letter: name for name, letter in item.columns.items()}
    from openpyxl.utils import get_column_letter

    column_of = {name: get_column_letter(i) for i, name in enumerate(_ITEM_FIELDS, start=1)}
    alias = {"kind": "kind_raw", "estimate": "estimate_raw", "estimate_days": "estimate_raw",
             "estimate_hours": "estimate_raw", "story_points": "estimate_raw", "original_estimate": "estimate_raw"}
    marks: dict[tuple[str, str], _Mark] = defaultdict(_Mark)
    for f in audit.findings:
        for e in f.evidence:
            row = None
            column = "A"
            place = e.location.rsplit("!", 1) if "!" in e.location else None
            if place:
                match = re.match(r"^([A-Z]{0,3})([0-9]+)$", place[1])
                if match:
                    row = where.get((e.source, place[0], int(match.group(2))))
                    if row and match.group(1):
                        name = letters[row].get(match.group(1))
                        column = column_of.get(alias.get(name or "", name or ""), "A")
            elif e.location in by_key:
                row = by_key[e.location]
            if row:
                marks[(ws.title, f"{column}{row}")].add(f, e.note)
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
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>" + stamp + rb"\g<2>",
                                 content)
            fixed = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, content)
    return out.getvalue()


def _is_workbook(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm")


def render_xlsx(audit: Audit, plan_path: str | Path | None, plan: Plan | None,
                redactor: Redactor | None = None) -> bytes:
    """The plan workbook (or a new one) with a Findings sheet and the flagged cells marked."""
    import openpyxl

    path = Path(plan_path) if plan_path is not None else None
    wb, not_copied = (_copy(path, str(plan_path)) if path is not None and _is_workbook(path) else (None, None))
    if wb is not None:
        if redactor is not None:
            _redact_workbook(wb, redactor)
        source = str(plan_path)
        _mark_cells(wb, _marks(audit, source))
        link_sheets = {(source, ws.title): ws.title for ws in wb.worksheets}
        _findings_sheet(wb, audit, link_sheets)
        _audit_sheet(wb, audit, REDACTED_COPY if redactor is not None else None)
        _forecast_sheet(wb, audit)
        wb.active = 0
    else:
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        wb.properties.creator = "roadmap-audit"
        wb.properties.created = FIXED_TIME
        if plan is not None:
            _items_sheet(wb, plan, audit)
        items_title = wb.worksheets[0].title if wb.worksheets else None
        _findings_sheet(wb, audit, {})
        _audit_sheet(wb, audit, not_copied)
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
