"""The plan workbook (SPEC §2.1): .xlsx, a CSV file, or a folder of CSV files.

Every data row ends up in the plan or in `plan.issues` with its location and a
reason. A value that cannot be parsed leaves its field empty and is reported;
the row is still used.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..config import Limits
from ..errors import InputError
from ..model import (
    Action,
    DataIssue,
    Incident,
    Item,
    OrgUnit,
    Plan,
    Service,
    SheetHeader,
    SourceRef,
    Team,
)
from . import dates, numeric, schema, words
from .cells import (
    ParseError,
    is_blank,
    is_none_marker,
    number_text,
    parse_text,
    spreadsheet_error,
    strip_invisible,
)
from .cells import show as show_value
from .effort import DAYS_PER_WEEK, HOURS_PER_WEEK, Effort, parse_effort
from .notes import one_note_per_cause
from .notes import rows_text as _rows_text
from .periods import parse_period
from .schema import SheetSpec
from .tables import RawSheet, column_letter, read_csv, read_workbook

_PARSERS: dict[str, Callable[[Any], Any]] = {
    "text": parse_text,
    "number": numeric.parse_number,
    "percent": numeric.parse_percent,
    "date": dates.parse_date,
    "bool": words.parse_bool,
    "commitment": words.parse_commitment,
    "link": words.parse_bool_or_link,
    "list": words.parse_list,
    "tier": numeric.parse_tier,
    "int": lambda v: None if (n := numeric.parse_number(v)) is None else int(round(n)),
}


# Workbooks calamine reads (see calamine_reader): Excel's, Excel's binary and old formats, OpenDocument.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")


def read_sheets(path: Path, display: str, limits: Limits | None = None) -> list[RawSheet]:
    """The raw sheets of a workbook, a CSV file, or a folder of CSV files."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in (".csv", ".tsv", ".txt"))
        if not files:
            raise InputError(
                "the folder has no .csv files",
                where=display,
                hint="put one CSV per sheet in it (items.csv, teams.csv, ...)",
            )
        sheets = [
            read_csv(p, f"{display.rstrip('/')}/{p.name}", title=p.stem, limits=limits)
            for p in files
        ]
        for other in sorted(
            p for p in path.iterdir() if p not in files and not p.name.startswith(".")
        ):
            what = (
                (
                    f"the folder {other.name}/ in the plan folder was not read (only the folder's own .csv files "
                    "are; pass a file in it with --context, or move it up)"
                )
                if other.is_dir()
                else (
                    f"the file {other.name} in the plan folder was not read (only .csv files are; pass "
                    f"{'it with --context' if other.suffix.lower() in WORKBOOK_SUFFIXES else 'it as CSV'})"
                )
            )
            sheets[0].notes.append((None, None, what))
        return sheets
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        return read_workbook(path, display, limits)
    if suffix in (".csv", ".tsv", ".txt"):
        return [read_csv(path, display, title=path.stem, limits=limits)]
    raise InputError(
        f"unknown file type '{suffix or 'none'}'",
        where=display,
        hint="give a workbook (.xlsx, .xlsm, .xlsb, .xls, .ods), a .csv file, a folder of CSV files, "
        "or a Jira export",
    )


class Row:
    """One data row mapped to canonical field names, parsing values on request."""

    __slots__ = ("sheet", "number", "raw", "letters", "extra", "loader")

    def __init__(self, sheet: _MappedSheet, number: int, cells: list[Any], loader: _Loader):
        self.sheet = sheet
        self.loader = loader
        self.number = number
        raw: dict[str, Any] = {}
        letters: dict[str, str] = {}
        extra: dict[str, str] = {}
        self.raw, self.letters, self.extra = raw, letters, extra
        # one pass over the cells, each placed by its column's plan, decided once per sheet
        places = sheet.places
        if len(cells) > len(places):
            places = sheet.widen(len(cells))
        for (name, letter, extra_name, listed), cell in zip(places, cells, strict=False):
            if cell is None:
                continue
            if isinstance(cell, str):  # (a str subclass too, as is_blank reads it)
                if cell[:1] == "#" and (code := spreadsheet_error(cell)) is not None:
                    self._error_cell(letter, code)  # never a title, team or number
                    continue
                if not (cell if cell.isascii() else strip_invisible(cell)).strip():
                    continue  # blank
            elif cell == "":
                continue
            if name is None:
                if listed is None:  # past the header row's last column
                    extra[extra_name] = str(cell)
                else:
                    extra[extra_name] = cell if isinstance(cell, str) else _shown(cell)
            elif name not in raw:  # a repeated header keeps its first value
                raw[name] = cell
                letters[name] = letter
            elif listed:
                raw[name] = f"{raw[name]},{cell}"

    @property
    def ref(self) -> SourceRef:
        """The row's reference (no column)."""
        return self.at(None)

    def at(self, column: str | None) -> SourceRef:
        """The sheet's reference at this row and `column`: one copy (most rows need one, their item's)."""
        ref = self.sheet.row_ref.__copy__()
        fields = ref.__dict__
        fields["row"] = self.number
        fields["column"] = column
        return ref

    def _error_cell(self, letter: str, code: str) -> None:
        self.loader.issue(
            self.at(letter),
            f"the cell holds the spreadsheet error {code} (a "
            "broken formula or reference); it was read as empty",
        )

    def cell(self, name: str) -> SourceRef:
        return self.at(self.letters.get(name) or self.sheet.columns.get(name))

    def get(self, name: str, subject: str | None = None) -> Any:
        """The parsed value of a field; a bad value is reported and read as empty."""
        raw = self.raw.get(name)
        kind = self.sheet.kinds[name]
        if raw is None:
            return [] if kind == "list" else None
        try:
            if kind == "date":
                if raw.__class__ is dt.date:  # a date cell, as most are: no period to read
                    return dates.check_year(raw, raw)
                return self.loader.date(self, name, raw, end=name in _PERIOD_END_FIELDS)
            return self.loader.parsed(kind, raw)
        except ParseError as exc:
            middle = (
                self._middle(name, kind, raw, subject)
                if kind in ("number", "int", "percent")
                else None
            )
            if middle is not None:
                return middle
            self.loader.issue(
                self.cell(name), f"{name}: {exc}; the value was left out", subject=subject
            )
            return [] if kind == "list" else None

    def _middle(self, name: str, kind: str, raw: Any, subject: str | None) -> float | None:
        """A range such as "3-5" or "20-30%" read as its middle, with a note; None if it is no range."""
        span = numeric.split_range(raw)
        if span is None:
            return None
        try:
            low, high = (_PARSERS[kind](f"{end} {span[2]}".strip()) for end in span[:2])
        except ParseError:
            return None
        if low is None or high is None or high < low:
            return None
        middle = round((low + high) / 2) if kind == "int" else (low + high) / 2
        shown = f"{middle:.0%}" if kind == "percent" else f"{middle:g}"
        self.loader.issue(
            self.cell(name),
            f"{name}: the range {parse_text(raw)} read as its middle, {shown}",
            subject=subject,
        )
        return middle

    def text(self, name: str) -> str | None:
        v = self.raw.get(name)
        return None if v is None else cell_text_of(v)


def cell_text_of(v: Any) -> str | None:
    """parse_text of a filled cell, the common cell (plain ASCII text) without its steps."""
    if _plain(v):
        return v.strip() or None
    return parse_text(v)


def _plain(v: Any) -> bool:
    """A cell parse_text would only strip: a plain str, ASCII, without a carriage return."""
    return v.__class__ is str and v.isascii() and "\r" not in v


def _shown(cell: Any) -> str:
    """A number or date of an extra column as the sheet shows it (12.0 is "12", a date ISO)."""
    try:
        return parse_text(cell) or str(cell)
    except ParseError:
        return str(cell)


class _MappedSheet:
    """A sheet's header row read against its spec: which field each column is, and why.

    When two columns mean one field (`Key` and `Id`, or `Title` twice), the better name is read
    (the field's own name, then its aliases in order, then the leftmost) and the other is kept as
    an extra column, with one note. A list field (labels, services) reads every such column."""

    def __init__(self, raw: RawSheet, spec: SheetSpec, mapping: dict[str, str]):
        self.raw = raw
        self.spec = spec
        self.location_name = raw.title
        self._columns: dict[str, str] | None = None
        self.fields: list[str | None] = []
        self.how: list[str | None] = []  # per column: how an unlisted header was placed
        self.extra_names: list[str] = []  # per column: its name among an item's extra fields
        self.conflicts: list[
            tuple[int, int, str]
        ] = []  # (column kept as extra, column read, field)
        ranks: list[int] = []
        name: str | None
        how: str | None
        for header in raw.headers:
            mapped = mapping.get(words.normalize_name(header)) if header else None
            if mapped is not None and mapped in spec.by_name:
                name, rank, how = mapped, -1, "set in the column map"
            else:
                name, rank, how = spec.read(header) if header else (None, 0, None)
            self.fields.append(name)
            self.how.append(how)
            ranks.append(rank)
        best: dict[str, int] = {}
        for pos, name in enumerate(self.fields):
            if name is None or spec.column(name).kind == "list":
                continue
            if name not in best or ranks[pos] < ranks[best[name]]:
                best[name] = pos
        for pos, name in enumerate(self.fields):
            if name is not None and name in best and best[name] != pos:
                self.conflicts.append((pos, best[name], name))
                self.fields[pos] = None
        shown = [h or f"column {self.letter(i)}" for i, h in enumerate(raw.headers)]
        twice = {h for h, n in Counter(shown).items() if n > 1}
        self.extra_names = [
            f"{h} ({self.letter(i)})" if h in twice else h for i, h in enumerate(shown)
        ]
        self.kinds = {name: column.kind for name, column in spec.by_name.items()}
        self.row_ref = SourceRef(source=raw.source, sheet=self.location_name)
        self.places: list[tuple[str | None, str, str, bool | None]] = []
        self.place()

    def place(self) -> None:
        """Where each column's cells go, decided once for the sheet (not per cell): (field or None,
        column letter, name among the extra fields, whether the field is a list; None past the
        header, see `widen`)."""
        self.places = [
            (
                name,
                self.letter(pos),
                self.extra_names[pos] if pos < len(self.extra_names) else "",
                self.kinds.get(name or "") == "list",
            )
            for pos, name in enumerate(self.fields)
        ]
        self._columns = None

    def widen(self, width: int) -> list[tuple[str | None, str, str, bool | None]]:
        """The places, grown to `width` columns: a cell past the header row's last column is an
        extra field named by its letter (`column G`), its value shown as str() shows it."""
        for pos in range(len(self.places), width):
            letter = self.letter(pos)
            self.places.append((None, letter, f"column {letter}", None))
        return self.places

    def readings(self) -> list[tuple[str, str, str]]:
        """(column letter, header, what it was read as) for every named or filled header cell."""
        lost = {pos: (kept, name) for pos, kept, name in self.conflicts}
        out = []
        for pos, header in enumerate(self.raw.headers):
            name = self.fields[pos]
            if name is not None:
                reading = name + (f" ({self.how[pos]})" if self.how[pos] else "")
            elif pos in lost:
                kept, field_name = lost[pos]
                reading = f"kept, not used ({field_name} is read from column {self.letter(kept)})"
            elif header:
                reading = "kept, not used"
            else:
                continue
            out.append((self.letter(pos), header, reading))
        return out

    def letter(self, pos: int) -> str:
        return self.raw.letters[pos] if pos < len(self.raw.letters) else column_letter(pos)

    @property
    def columns(self) -> dict[str, str]:
        """Field -> column letter for every mapped column (the first, for a repeated header)."""
        if self._columns is None:
            self._columns = {}
            for pos, name in enumerate(self.fields):
                if name is not None:
                    self._columns.setdefault(name, self.letter(pos))
        return self._columns

    def letter_of(self, name: str) -> str | None:
        return next((self.letter(i) for i, f in enumerate(self.fields) if f == name), None)

    def has(self, name: str) -> bool:
        return name in self.fields


_EXACT = 1 << 53  # whole numbers up to this are exact as floats

# (engineer-weeks, story points, T-shirt size, as written): an item's estimate
_Estimate = tuple[float | None, float | None, str | None, str | None]
_NO_ESTIMATE: _Estimate = (None, None, None, None)

# Distinct cell texts whose parsed value is kept per load (a bound on memory; a plan repeats far fewer).
_PARSED_TEXTS = 1 << 14

# Date fields where a month, quarter or week stands for its last day; elsewhere, its first.
_PERIOD_END_FIELDS = frozenset({"due", "end"})


class _Loader:
    """Builds one Plan from any number of sources (a plan and its context)."""

    def __init__(
        self,
        mapping: dict[str, dict[str, str]] | None = None,
        hours_per_week: float = HOURS_PER_WEEK,
    ):
        self.plan = Plan(sources=[])
        self.hours_per_week = hours_per_week  # one engineer-week: [capacity] hours_per_week
        # per sheet (items, teams, ...): normalized header -> field, from [mapping.SHEET], [columns] and --map
        self.mapping = column_map(mapping)
        self.map_headers = {
            words.normalize_name(h): h for cols in (mapping or {}).values() for h in (cols or {})
        }
        self.mapped_seen: set[str] = set()  # headers of the column map found in a sheet
        self.seen_keys: dict[str, SourceRef] = {}
        self.team_names: set[str] = set()  # casefolded, to find a team named twice in one pass
        # due dates made from start + duration, per (source, sheet): count, first cell, header, example
        self.dues: dict[tuple[str, str], list[Any]] = {}
        # dates written as a month, quarter or week, per (sheet, field): how many, and the first one
        self.periods: dict[tuple[str, str, str], list[Any]] = {}
        # (kind, text) -> (value, reason it could not be read): a plan repeats its teams, services,
        # statuses and yes/no words in every row; each is parsed once
        self.parsed_texts: dict[tuple[str, str], tuple[Any, str | None]] = {}
        self.unit_columns = self._units()
        self.shared_texts: dict[str, str] = {}  # one object per distinct team, status, owner ...
        # a row's repeated text fields by cell text: as read (`kept_texts`), a none marker None (`kept_plans`)
        self.kept_texts: dict[str, str | None] = {}
        self.kept_plans: dict[str, str | None] = {}
        self.number_texts: dict[float, str] = {}  # an estimate's number -> as the sheet shows it

    def shared(self, text: str | None) -> str | None:
        """The text, as one object per distinct value: a spreadsheet reader makes a new string for
        every cell, and 100,000 items repeat a few hundred teams, statuses and owners."""
        if text is None:
            return None
        kept = self.shared_texts.get(text)
        if kept is not None:
            return kept
        if len(self.shared_texts) < _PARSED_TEXTS:
            self.shared_texts[text] = text
        return text

    def number_text(self, number: float) -> str:
        """`number_text` of a finite number, kept per load for the positive ones under 1e15 (an
        estimate column repeats a few values; there, 3 and 3.0 read alike, as "3")."""
        if not 0 < number < 1e15:
            return number_text(number)
        text = self.number_texts.get(number)
        if text is None:
            text = number_text(number)
            if len(self.number_texts) < _PARSED_TEXTS:
                self.number_texts[number] = text
        return text

    def kept(self, raw: dict[str, Any], name: str, *, plan: bool = False) -> str | None:
        """A repeated text field of a row (team, status, owner, a rollback plan) as `Row.text` reads
        it, one object per distinct value (`shared`); with `plan`, a none marker ("n/a", "-") is
        None. Each distinct cell text is read once per load."""
        cell = raw.get(name)
        if cell is None:
            return None
        return self.kept_cell(cell, plan)

    def kept_cell(self, cell: Any, plan: bool = False) -> str | None:
        """`kept` of one filled cell."""
        known = self.kept_plans if plan else self.kept_texts
        if cell.__class__ is str and cell in known:
            return known[cell]
        text = cell_text_of(cell)
        value = None if plan and is_none_marker(text) else self.shared(text)
        if cell.__class__ is str and len(known) < _PARSED_TEXTS:
            known[cell] = value
        return value

    def parsed(self, kind: str, raw: Any) -> Any:
        """The value of a cell read as `kind` (no dates); ParseError with the reason when it cannot be read."""
        if raw.__class__ is not str:
            return _PARSERS[kind](raw)
        known = self.parsed_texts.get((kind, raw))
        if known is None:
            try:
                known = (_PARSERS[kind](raw), None)
            except ParseError as exc:
                known = (None, str(exc))
            if len(self.parsed_texts) < _PARSED_TEXTS:
                self.parsed_texts[(kind, raw)] = known
        if known[1] is not None:
            raise ParseError(known[1])
        value: Any = known[0]
        return value.copy() if kind == "list" else value  # every item its own list

    def date(
        self, row: Row, name: str, raw: Any, *, end: bool, label: str | None = None
    ) -> dt.date | None:
        """A date cell; a month, quarter or week ("Aug 2026", "2026-Q3") is read as its last or first day."""
        try:
            return dates.parse_date(raw)
        except ParseError:
            day = parse_period(
                raw, end=end
            )  # a period without a year raises its own, better reason
            if day is None:
                raise
        seen = self.periods.setdefault(
            (row.sheet.raw.source, row.sheet.location_name, label or name),
            [0, row.cell(name), parse_text(raw), day, end],
        )
        seen[0] += 1
        return day

    def period_notes(self, source: str, sheet: str) -> None:
        """One note per field of the sheet that had dates written as periods: how they were read."""
        for (src, title, label), (count, first, text, day, end) in list(self.periods.items()):
            if (src, title) != (source, sheet):
                continue
            del self.periods[(src, title, label)]
            side = "last day (a week's Friday" if end else "first day (a week's Monday"
            rule = f"read as its {side}; mid-month is the 15th)"
            if count == 1:
                self.issue(
                    first,
                    f"{label} '{text}' is a month, quarter or week, {rule}: {day.isoformat()}",
                )
            else:
                self.issue(
                    first.model_copy(update={"row": None}),
                    f"{count} {label} dates are a month, quarter or week, each {rule}; the first, "
                    f"'{text}' in {first.location}, is {day.isoformat()}",
                )

    def unused_map_notes(self) -> None:
        """A column-map header no sheet of the plan has is said, not silently ignored (a typo in it)."""
        missing = [h for key, h in self.map_headers.items() if key not in self.mapped_seen]
        if missing and self.plan.sources:
            self.issue(
                SourceRef(source=self.plan.sources[0]),
                f"the column map names {', '.join(repr(h) for h in missing)}, which no sheet read has as a "
                "header; not used (check the spelling)",
            )

    def issue(
        self,
        ref: SourceRef,
        problem: str,
        *,
        dropped: bool = False,
        subject: str | None = None,
        rows: tuple[int, ...] = (),
    ) -> None:
        self.plan.issues.append(
            DataIssue(ref=ref, problem=problem, row_dropped=dropped, subject_id=subject, rows=rows)
        )

    # ----------------------------------------------------------- sheets

    def add_sheets(self, sheets: list[RawSheet], display: str, *, require_items: bool) -> None:
        self.plan.sources.append(display)
        if require_items and not any(raw.headers for raw in sheets):
            raise InputError(
                "has no data: every sheet is empty",
                where=display,
                hint="start from `roadmap-audit template plan.xlsx`",
            )
        known: list[tuple[RawSheet, SheetSpec]] = []
        for raw in sheets:
            spec = schema.sheet_for(raw.title)
            if spec is None and len(sheets) == 1 and require_items:
                spec = schema.ITEMS  # a lone CSV file is the Items sheet
            start = len(self.plan.issues)
            for row, column, note in raw.notes:
                self.issue(
                    SourceRef(source=raw.source, sheet=raw.title, row=row, column=column), note
                )
            self.plan.issues[start:] = one_note_per_cause(self.plan.issues[start:])
            if spec is None:
                if raw.rows:
                    self.issue(
                        SourceRef(source=raw.source, sheet=raw.title),
                        f"sheet '{raw.title}' is not a plan sheet; its {len(raw.rows)} rows were not read "
                        "(rename it to Items, Teams, Services, Org, Actions, Incidents or Settings)",
                    )
                continue
            known.append((raw, spec))
        if require_items and not any(spec is schema.ITEMS for _, spec in known):
            names = ", ".join(f"'{r.title}'" for r in sheets) or "none"
            raise InputError(
                f"has no Items sheet (sheets found: {names})",
                where=display,
                hint="name the plan's sheet Items (or Plan, Roadmap, Epics, Backlog)",
            )
        item_sheets = sum(1 for _, spec in known if spec is schema.ITEMS)
        for raw, spec in known:
            self.add_sheet(
                raw, spec, plan=require_items and spec is schema.ITEMS and item_sheets == 1
            )
        if require_items and not self.plan.items:
            names = ", ".join(raw.title for raw, spec in known if spec is schema.ITEMS)
            raise InputError(
                f"no item could be read from its Items sheets ({names}); no verdict is given on a "
                "plan that was not read",
                where=display,
                hint="`roadmap-audit validate` shows each sheet's notes",
            )

    def add_sheet(self, raw: RawSheet, spec: SheetSpec, *, plan: bool = False) -> None:
        """Read one sheet. For the plan's Items sheet (`plan`), a header row with no title column is
        looked for further down (a header on row 12, a two-row header); when none is found, or almost
        no row can be used, the run stops (InputError): no verdict on a plan that was not read."""
        mapping = self.mapping.get(spec.name.lower(), {})
        self.mapped_seen.update(words.normalize_name(h) for h in raw.headers if h)
        sheet = _MappedSheet(raw, spec, mapping)
        builder = _BUILDERS[spec.name]
        if spec is schema.SETTINGS and not sheet.has("key") and raw.headers:
            # A Settings sheet is often bare key/value rows with no header row.
            raw.rows.insert(0, (raw.header_row, list(raw.headers)))
            sheet.fields = ["key", "value"] + [None] * max(0, len(raw.headers) - 2)
            sheet.place()
        missing = [r for r in spec.required if not sheet.has(r)]
        if raw.rows and spec is not schema.SETTINGS:
            for row, note in find_header(raw, spec, mapping, bool(missing)):
                self.issue(SourceRef(source=raw.source, sheet=raw.title, row=row), note)
                sheet = _MappedSheet(raw, spec, mapping)
                missing = [r for r in spec.required if not sheet.has(r)]
        if spec is not schema.SETTINGS and raw.headers:
            self.plan.headers.append(
                SheetHeader(
                    source=raw.source, sheet=raw.title, row=raw.header_row, columns=sheet.readings()
                )
            )
        if missing and (raw.rows or plan):
            if plan:
                raise unread_sheet(raw, sheet, f"no header reads as '{missing[0]}'")
            where = SourceRef(source=raw.source, sheet=raw.title, row=raw.header_row or None)
            self.plan.rows_read += len(raw.rows)
            self.issue(
                where,
                f"{_rows_text([n for n, _ in raw.rows])} not read: the sheet has no '{missing[0]}' "
                f"column ({header_text(sheet)})",
                dropped=True,
                rows=tuple(n for n, _ in raw.rows),
            )
            return
        repeated = [
            c
            for c in sheet.conflicts  # `Key` twice; `Id` beside `Key` shows in validate's header row
            if words.normalize_name(raw.headers[c[0]]) == words.normalize_name(raw.headers[c[1]])
        ]
        if repeated:
            self.issue(
                SourceRef(source=raw.source, sheet=raw.title, row=raw.header_row),
                "; ".join(_conflict_text(sheet, lost, kept, name) for lost, kept, name in repeated),
            )
        start = len(self.plan.issues)
        before = len(self.plan.items)
        self.plan.rows_read += len(raw.rows)
        for number, cells in self._rows_to_read(raw, spec, sheet):
            builder(self, Row(sheet, number, cells, self))
        self.period_notes(raw.source, sheet.location_name)
        self.due_notes(raw.source, sheet.location_name)
        self.plan.issues[start:] = one_note_per_cause(self.plan.issues[start:])
        if plan:
            used, rows = len(self.plan.items) - before, len(raw.rows)
            if used == 0 or (rows >= 10 and used * 10 < rows):
                raise unread_sheet(
                    raw,
                    sheet,
                    f"{'no' if used == 0 else f'only {used} of {rows}'} rows could be "
                    "used as items"
                    + (f" ({_causes(self.plan.issues[start:])})" if used < rows else ""),
                )
        settings = self.plan.settings
        if (
            spec is schema.SETTINGS
            and settings.start
            and settings.end
            and settings.end <= settings.start
        ):
            self.issue(
                SourceRef(source=raw.source, sheet=raw.title),
                f"the end {settings.end} is not after the start {settings.start}; neither was used",
            )
            settings.start = settings.end = None

    def _rows_to_read(
        self, raw: RawSheet, spec: SheetSpec, sheet: _MappedSheet
    ) -> Iterable[tuple[int, list[Any]]]:
        """The rows for the row reader: every row, or on an Items sheet read by columns, the rows
        with something to note (the clean ones are made into items as the rows go by)."""
        if spec is schema.ITEMS:
            from .item_columns import ItemColumns

            columns = ItemColumns.read(self, sheet, raw.rows)
            if columns is not None:
                return columns.rows()
        return raw.rows

    # ----------------------------------------------------------- builders

    def _item(self, row: Row) -> None:
        title = row.text("title")
        key = row.text("key")
        if not title:
            self.issue(
                row.cell("title"), "row not used: it has no title", dropped=True, subject=key
            )
            return
        if not key:
            key = f"{row.sheet.location_name}-{row.number}"
            self.issue(
                row.cell("key"),
                f"no key; one was made of the sheet name and row number "
                f"({row.sheet.location_name}-ROW)",
                subject=key,
            )
        elif key in self.seen_keys:
            first = self.seen_keys[key]
            new_key = f"{key}~{row.number}"
            self.issue(
                row.cell("key"),
                f"duplicate key {key} (first at {first.location}); this row was kept as {new_key}",
                subject=new_key,
            )
            key = new_key
        letters = row.letters
        ref = row.at(letters.get("key") or letters.get("title"))
        self.seen_keys[key] = ref if "key" in letters else row.cell("key")
        weeks, points, size, raw_estimate = self._estimate(row, key)
        raw, kept = row.raw, self.kept
        status = kept(raw, "status")
        get = row.get
        # every field, in declared order (the JSON's), each already of its type: not validated again
        item = Item._fresh(
            {
                "key": key,
                "title": title,
                "team": kept(raw, "team"),
                "kind_raw": kept(raw, "kind"),
                "estimate_weeks": weeks,
                "estimate_points": points,
                "estimate_size": size,
                "estimate_raw": raw_estimate,
                "start": get("start", key),
                "due": get("due", key),
                "depends_on": get("depends_on", key),
                "services": get("services", key),
                "rollback_plan": kept(raw, "rollback_plan", plan=True),
                "rehearsal": kept(raw, "rehearsal", plan=True),
                "labels": get("labels", key),
                "owner": kept(raw, "owner"),
                "priority": kept(raw, "priority"),
                "status": status,
                "done": schema.is_out_of_plan(status),
                "committed": bool(get("committed", key)),
                "description": row.text("description"),
                "first_planned": row.text("first_planned"),
                "parent": row.text("parent"),
                "links": [],
                "extra": row.extra,
                "ref": ref,
                "columns": row.sheet.columns,
            }
        )
        if item.due is None and item.start is not None:
            item.due = self._due_from_duration(row, key, item.start)
        if item.start and item.due and item.due < item.start:
            self.issue(
                row.cell("due"),
                f"due date {item.due} is before start date {item.start}",
                subject=key,
            )
        self.plan.items.append(item)

    def _due_from_duration(self, row: Row, key: str, start: dt.date) -> dt.date | None:
        """A due date from start + duration (`durationWeeks`, `Duration (days)`, `Length: 3 weeks`):
        the last day of the span, counted in calendar weeks (a day is a working day: 5 to a week)."""
        raw = row.raw.get("duration")
        if raw is None:
            return None
        header = row.sheet.raw.headers[row.sheet.fields.index("duration")]
        unit = schema.header_unit(header)
        factor = {"weeks": 1.0, "days": 1 / DAYS_PER_WEEK}.get(unit or "")
        name = "duration"
        try:
            effort = parse_effort(raw, factor or 1.0, self.hours_per_week)
        except ParseError as exc:
            self.issue(
                row.cell(name), f"duration: {exc}; no due date was made from it", subject=key
            )
            return None
        if effort is None:
            return None
        if (
            effort.weeks is None
            or effort.weeks <= 0
            or effort.weeks > 520
            or (factor is None and effort.bare)
        ):
            why = (
                "has no unit (write 3 weeks or 10 days)"
                if effort.weeks and effort.bare
                else "is not a length"
            )
            self.issue(
                row.cell(name),
                f"duration {parse_text(raw)} {why}; no due date was made from it",
                subject=key,
            )
            return None
        due = start + dt.timedelta(days=max(1, round(effort.weeks * 7)) - 1)
        seen = self.dues.setdefault(
            (row.sheet.raw.source, row.sheet.location_name),
            [
                0,
                row.cell(name),
                header,
                start,
                f"{parse_text(raw)} {unit}" if effort.bare and unit else parse_text(raw),
                due,
            ],
        )
        seen[0] += 1
        return due

    def due_notes(self, source: str, sheet: str) -> None:
        """One note per sheet whose due dates were made from start + duration."""
        seen = self.dues.pop((source, sheet), None)
        if seen:
            count, first, header, start, text, due = seen
            self.issue(
                first.model_copy(update={"row": None}) if count > 1 else first,
                f"{'the due date' if count == 1 else f'{count} due dates'} made from start + {header} "
                f"(no due date given), each the last day of the span: the first, start {start.isoformat()} + "
                f"{text}, is {due.isoformat()}",
            )

    def _units(self) -> tuple[tuple[str, float, str], ...]:
        """The unit columns, and how many engineer-weeks one unit is."""
        hours = self.hours_per_week
        return (
            ("estimate", 1.0, "weeks"),
            ("estimate_days", 1 / DAYS_PER_WEEK, "days"),
            ("estimate_hours", 1 / hours, "hours"),
            ("original_estimate", 1 / (3600 * hours), "seconds"),
        )

    def _estimate(
        self, row: Row, key: str
    ) -> tuple[float | None, float | None, str | None, str | None]:
        """(engineer-weeks, story points, T-shirt size, as written) from whichever estimate column is filled."""
        for name, factor, unit in self.unit_columns:
            raw = row.raw.get(name)
            if raw is None:
                continue
            found, notes = self.estimate_cell(name, factor, unit, raw)
            for note in notes:
                self.issue(row.cell(name), note, subject=key)
            if found is not None:
                return found
        raw = row.raw.get("story_points")
        if raw is not None:
            found, notes = self.points_cell(raw)
            for note in notes:
                self.issue(row.cell("story_points"), note, subject=key)
            if found is not None:
                return found
        return _NO_ESTIMATE

    def estimate_cell(
        self, name: str, factor: float, unit: str, raw: Any
    ) -> tuple[_Estimate | None, tuple[str, ...]]:
        """One filled estimate cell of the unit column `name` read alone: the estimate, or None when
        the next column decides; with the notes to give at the cell. The same cell reads the same way
        in every row (the column reader reads each distinct cell once)."""
        if (raw.__class__ is int and -_EXACT < raw < _EXACT) or (
            raw.__class__ is float and math.isfinite(raw)
        ):
            # a number of the column's unit, as most estimates are: what parse_text and
            # parse_effort make of it, without their steps
            bare = Effort(weeks=raw * factor, bare=True)
            return self._weeks(name, unit, self.number_text(raw), bare)
        text = parse_text(raw)
        try:
            effort = parse_effort(raw, factor, self.hours_per_week)
        except ParseError as exc:
            return (None, None, None, text), (f"estimate: {exc}; the item counts as unestimated",)
        if effort is None:
            return None, ()
        notes: tuple[str, ...] = (f"estimate: {effort.reading}",) if effort.reading else ()
        if effort.size is not None:
            return (None, None, effort.size, text), notes
        if effort.points is not None:
            shown = f"{text} {unit}" if effort.bare and name != "estimate" else text
            return (None, effort.points, None, shown), notes
        if effort.weeks is None:
            return None, notes
        found, more = self._weeks(name, unit, text, effort)
        return found, notes + more

    def points_cell(self, raw: Any) -> tuple[_Estimate | None, tuple[str, ...]]:
        """A filled story-points cell read alone, as `estimate_cell` reads a unit column's."""
        try:
            points = numeric.parse_number(raw)
        except ParseError as exc:
            return (None, None, None, parse_text(raw)), (
                f"story points: {exc}; the item counts as unestimated",
            )
        if points is not None and points >= 0:
            return (None, points, None, f"{parse_text(raw)} points"), ()
        return None, ()

    def _weeks(
        self, name: str, unit: str, text: str | None, effort: Effort
    ) -> tuple[_Estimate, tuple[str, ...]]:
        """An estimate in engineer-weeks; a negative one, or one over ten engineer-years, is reported."""
        weeks = effort.weeks
        assert weeks is not None
        shown = f"{text} {unit}" if effort.bare and name != "estimate" else text
        if weeks < 0:
            return (None, None, None, text), (
                f"estimate {text} is negative; the item counts as unestimated",
            )
        if weeks > 520:
            return (None, None, None, text), (
                f"estimate {shown} is over ten engineer-years; "
                "the item counts as unestimated (check the unit)",
            )
        return (weeks, None, None, shown), ()

    def _team(self, row: Row) -> None:
        name = row.text("team")
        if not name:
            self.issue(row.cell("team"), "row not used: it has no team name", dropped=True)
            return
        if name.casefold() in self.team_names:
            self.issue(
                row.cell("team"),
                f"team {name} appears twice; this row was not used",
                dropped=True,
                subject=name,
            )
            return
        num = lambda f, default=None: v if (v := row.get(f, name)) is not None else default  # noqa: E731
        sites = num("oncall_sites", 1)
        team = Team(
            team=name,
            parent=row.text("parent"),
            headcount=num("headcount"),
            new_hires=num("new_hires", 0.0),
            oncall_rotation=num("oncall_rotation", 0.0),
            oncall_sites=max(1, sites),
            ops_allocation=num("ops_allocation"),
            pages_per_week=num("pages_per_week", 0.0),
            toil_hours_per_week=num("toil_hours_per_week", 0.0),
            incidents_last_quarter=num("incidents_last_quarter"),
            points_per_week=num("points_per_week"),
            availability=num("availability"),
            extra=row.extra,
            ref=row.cell("team"),
            columns=row.sheet.columns,
        )
        for field in (
            "headcount",
            "new_hires",
            "oncall_rotation",
            "pages_per_week",
            "toil_hours_per_week",
        ):
            value = getattr(team, field)
            if value is not None and value < 0:
                self.issue(
                    row.cell(field), f"{field} is negative ({value:g}); read as 0", subject=name
                )
                team = team.model_copy(update={field: 0.0})
        if team.headcount is None:
            self.issue(
                row.cell("headcount"),
                f"team {name} has no headcount; its capacity is unknown",
                subject=name,
            )
        elif team.new_hires > team.headcount:
            self.issue(
                row.cell("new_hires"),
                f"new_hires ({team.new_hires:g}) is more than headcount "
                f"({team.headcount:g}); read as {team.headcount:g}",
                subject=name,
            )
            team = team.model_copy(update={"new_hires": team.headcount})
        if team.availability is not None and not 0 < team.availability <= 1:
            self.issue(
                row.cell("availability"),
                f"availability {team.availability:.0%} is not between 0 and "
                "100%; the default is used",
                subject=name,
            )
            team = team.model_copy(update={"availability": None})
        self.plan.teams.append(team)
        self.team_names.add(name.casefold())

    def _service(self, row: Row) -> None:
        name = row.text("service")
        if not name:
            self.issue(row.cell("service"), "row not used: it has no service name", dropped=True)
            return
        slo = row.get("slo", name)
        if slo is not None and not 0 < slo < 1:
            self.issue(
                row.cell("slo"),
                f"SLO {slo:.4%} is not a share below 100%; it was left out",
                subject=name,
            )
            slo = None
        self.plan.services.append(
            Service(
                service=name,
                owner_team=row.text("owner_team"),
                tier=row.get("tier", name),
                slo=slo,
                slo_measured=row.get("slo_measured", name),
                error_budget_remaining=row.get("error_budget_remaining", name),
                error_budget_policy=row.get("error_budget_policy", name),
                experts=row.get("experts", name),
                runbook=row.text("runbook"),
                depends_on=row.get("depends_on", name),
                dependency_protection=row.get("dependency_protection", name),
                extra=row.extra,
                ref=row.cell("service"),
                columns=row.sheet.columns,
            )
        )

    def _org(self, row: Row) -> None:
        unit = row.text("unit")
        if not unit:
            self.issue(row.cell("unit"), "row not used: it has no unit name", dropped=True)
            return
        self.plan.org.append(OrgUnit(unit=unit, parent=row.text("parent"), ref=row.cell("unit")))

    def _action(self, row: Row) -> None:
        title = row.text("title")
        key = row.text("key") or f"{row.sheet.location_name}-{row.number}"
        if not title:
            self.issue(
                row.cell("title"),
                "row not used: the action has no title",
                dropped=True,
                subject=key,
            )
            return
        status = row.text("status")
        deferred = row.get("times_deferred", key)
        self.plan.actions.append(
            Action(
                key=key,
                title=title,
                team=row.text("team"),
                service=row.text("service"),
                postmortem=row.text("postmortem"),
                raised=row.get("raised", key),
                due=row.get("due", key),
                status=status,
                done=schema.is_done(status),
                times_deferred=max(0, deferred or 0),
                scheduled_as=None
                if is_none_marker(row.text("scheduled_as"))
                else row.text("scheduled_as"),
                ref=row.cell("key") if row.letters.get("key") else row.cell("title"),
                columns=row.sheet.columns,
            )
        )

    def _incident(self, row: Row) -> None:
        ident = row.text("id") or f"{row.sheet.location_name}-{row.number}"
        self.plan.incidents.append(
            Incident(
                id=ident,
                service=row.text("service"),
                team=row.text("team"),
                severity=row.text("severity"),
                started=row.get("started", ident),
                duration_minutes=row.get("duration_minutes", ident),
                responders=row.get("responders", ident),
                ref=row.cell("id"),
            )
        )

    def _setting(self, row: Row) -> None:
        key = words.normalize_name(row.text("key") or "")
        value = row.raw.get("value")
        try:
            if key == "quarter":
                parsed = dates.parse_quarter(value)
                self.plan.settings.quarter = f"{parsed[0]}-Q{parsed[1]}" if parsed else None
            elif key in ("start", "startdate"):
                self.plan.settings.start = (
                    None
                    if value is None
                    else self.date(row, "value", value, end=False, label="start")
                )
            elif key in ("end", "enddate"):
                self.plan.settings.end = (
                    None if value is None else self.date(row, "value", value, end=True, label="end")
                )
            elif key == "weeks":
                weeks = numeric.parse_number(value)
                if weeks is not None and not 0 < weeks <= 104:
                    raise ParseError(
                        f"{weeks:g} weeks is not a planning window (more than 0, at most 104)"
                    )
                self.plan.settings.weeks = weeks
            else:
                self.issue(
                    row.cell("key"),
                    f"unknown setting '{row.text('key')}' was not used "
                    "(known: quarter, start, end, weeks)",
                    dropped=True,
                )
        except ParseError as exc:
            self.issue(row.cell("value"), f"setting {key}: {exc}; it was not used", dropped=True)


_BUILDERS: dict[str, Callable[[_Loader, Row], None]] = {
    "Items": _Loader._item,
    "Teams": _Loader._team,
    "Services": _Loader._service,
    "Org": _Loader._org,
    "Actions": _Loader._action,
    "Incidents": _Loader._incident,
    "Settings": _Loader._setting,
}


# ------------------------------------------------------------------ header rows and column maps

_SEARCH_COLUMNS = (
    256  # columns of each row weighed while looking for the header row (a header is on the left)
)
HEADER_SEARCH_ROWS = (
    50  # how far down a sheet a header row is looked for when the first one found has no title
)


def column_map(mapping: dict[str, dict[str, str]] | None) -> dict[str, dict[str, str]]:
    """The user's column map, checked: sheet (items, teams ...) -> normalized header -> field.

    `mapping` is [mapping.SHEET] from the config, plus "*" for [columns] and --map, whose field
    may name its sheet ("teams.headcount"); a "*" field applies to every sheet that has it. A sheet
    or field that does not exist is an InputError naming the ones that do."""
    out: dict[str, dict[str, str]] = {}
    for sheet_name, columns in (mapping or {}).items():
        for header, target in (columns or {}).items():
            where, field_name = sheet_name, str(target).strip()
            if where == "*" and "." in field_name:
                where, field_name = field_name.split(".", 1)
            label = "[columns]" if sheet_name == "*" else f"[mapping.{sheet_name}]"
            if where == "*":
                specs = list(schema.SHEETS)
            else:
                spec = schema.sheet_for(where)
                if spec is None:
                    raise InputError(
                        f"the column map names a sheet '{where}' that does not exist ({label} "
                        f"'{header}' = '{target}')",
                        hint="sheets: " + ", ".join(s.name.lower() for s in schema.SHEETS),
                    )
                specs = [spec]
            key = words.normalize_name(field_name)
            hits = [
                (spec, f) for spec in specs for f in spec.by_name if words.normalize_name(f) == key
            ]
            if not hits:
                raise InputError(
                    f"the column map reads '{header}' as '{field_name}', which is no field "
                    f"({label}){_closest_field(field_name, specs)}",
                    hint="fields: "
                    + "; ".join(
                        f"{s.name.lower()}: {', '.join(s.fields())}"
                        for s in specs
                        if s is not schema.SETTINGS
                    ),
                )
            for spec, found in hits:
                out.setdefault(spec.name.lower(), {})[words.normalize_name(header)] = found
    return out


def _closest_field(name: str, specs: list[SheetSpec]) -> str:
    import difflib

    fields = sorted({f for s in specs if s is not schema.SETTINGS for f in s.fields()})
    close = difflib.get_close_matches(name.lower(), fields, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _header_cells(
    top: list[Any] | None, bottom: list[Any], spec: SheetSpec, mapping: dict[str, str]
) -> list[str]:
    """The header texts of one row, or of a two-row header read together: a blank lower cell
    takes the upper one (a merged label), a blank upper cell under a merged group takes the
    group's name when that reads better ("Estimate" over "weeks", "days")."""
    bottom_text = ["" if is_blank(v) else str(v).strip() for v in bottom]
    if top is None:
        return bottom_text
    top_text = ["" if is_blank(v) else str(v).strip() for v in top]
    width = max(len(top_text), len(bottom_text))
    top_text += [""] * (width - len(top_text))
    bottom_text += [""] * (width - len(bottom_text))
    out, group = [], ""
    for upper, lower in zip(top_text, bottom_text, strict=True):
        group = upper or group
        if not lower:
            out.append(upper)
        elif _reads(lower, spec, mapping) or not group:
            out.append(lower)
        else:
            joined = f"{group} {lower}"
            out.append(joined if _reads(joined, spec, mapping) else lower)
    return out


_LONGEST_HEADER = (
    80  # a longer cell is prose, never looked up as a header while searching for the header row
)


def _reads(header: str, spec: SheetSpec, mapping: dict[str, str]) -> bool:
    return 0 < len(header) <= _LONGEST_HEADER and (
        words.normalize_name(header) in mapping or spec.read(header)[0] is not None
    )


def _fields_read(headers: list[str], spec: SheetSpec, mapping: dict[str, str]) -> set[str]:
    out = set()
    for h in headers:
        if 0 < len(h) <= _LONGEST_HEADER:
            name = mapping.get(words.normalize_name(h)) or spec.read(h)[0]
            if name:
                out.add(name)
    return out


def find_header(
    raw: RawSheet, spec: SheetSpec, mapping: dict[str, str], lacks_required: bool
) -> list[tuple[int, str]]:
    """Look further down for a better header row: a header on row 12 under a block of titles, or
    a two-row header (group names over column names). A row, or a pair of rows read together,
    within the first rows of the sheet is taken when it reads as more fields than the header
    found (at least three, or every required one when the header found lacks one). The sheet is
    re-cut under it; returns the notes that say so (none when the header found stands)."""
    rows = [(raw.header_row, list(raw.headers))] + raw.rows[:HEADER_SEARCH_ROWS]
    current = len(_fields_read(raw.headers[:_SEARCH_COLUMNS], spec, mapping))
    best: tuple[int, int, bool] | None = None  # (fields read, -index, read with the row above)
    for index, (number, cells) in enumerate(rows):
        above = rows[index - 1] if index and rows[index - 1][0] == number - 1 else None
        for two_rows in (False, True) if above is not None else (False,):
            top = above[1][:_SEARCH_COLUMNS] if two_rows and above is not None else None
            bottom = cells[:_SEARCH_COLUMNS]
            if not lacks_required and max(len(bottom), len(top or ())) <= current:
                continue  # reads no more fields than it has cells: not more than the header found
            fields = _fields_read(_header_cells(top, bottom, spec, mapping), spec, mapping)
            if not all(r in fields for r in spec.required) or len(fields) < 2:
                continue
            if not lacks_required and (len(fields) <= current or len(fields) < 3):
                continue
            if best is None or (len(fields), -index) > best[:2]:
                best = (len(fields), -index, two_rows)
    if best is None or (best[1] == 0 and not best[2]):
        return []
    index, two_rows = -best[1], best[2]
    number, cells = rows[index]
    headers = _header_cells(rows[index - 1][1] if two_rows else None, cells, spec, mapping)
    two_rows = two_rows and headers != _header_cells(None, cells, spec, mapping)
    skipped = [n for n, _ in rows if n < number and n != 0 and not (two_rows and n == number - 1)]
    raw.header_row = number
    raw.headers = headers
    raw.letters = [column_letter(i) for i in range(len(headers))]
    raw.rows = [(n, cells) for n, cells in raw.rows if n > number]
    notes = []
    if two_rows:
        names = [f"'{h}'" for h in headers if h]
        notes.append(
            (
                number - 1,
                f"the header is two rows, {number - 1} and {number}, read together: "
                + ", ".join(names[:12])
                + (f" and {len(names) - 12} more" if len(names) > 12 else ""),
            )
        )
    if skipped:
        notes.append(
            (
                number,
                f"the header is on row {number}; {_rows_text(skipped)} above it "
                f"{'was' if len(skipped) == 1 else 'were'} not read as data (titles or notes)",
            )
        )
    return notes or [(number, f"the header is on row {number}")]


def header_text(sheet: _MappedSheet, limit: int = 12) -> str:
    """`header row 3: A 'Subject' kept, not used (closest: subject → title), B 'Owner' read as owner, ...`"""
    parts = []
    readings = sheet.readings()
    for letter, header, reading in readings[:limit]:
        shown = show_value(header)
        if reading.startswith("kept, not used"):
            close = _closest_header(header, sheet.spec)
            parts.append(
                f"{letter} {shown} {reading}" + (f" (closest known name: {close})" if close else "")
            )
        else:
            parts.append(f"{letter} {shown} as {reading}")
    more = f", and {len(readings) - limit} more" if len(readings) > limit else ""
    return f"header row {sheet.raw.header_row}: " + (", ".join(parts) or "no names") + more


def _closest_header(header: str, spec: SheetSpec) -> str | None:
    import difflib

    key = words.normalize_name(header)
    if not key:
        return None
    close = difflib.get_close_matches(key, list(spec.lookup), n=1, cutoff=0.7)
    if not close:
        return None
    alias = next(
        (
            a
            for c in spec.columns
            for a in (c.name, *c.aliases)
            if words.normalize_name(a) == close[0]
        ),
        close[0],
    )
    field_name = spec.lookup[close[0]]
    return (
        f"'{alias}', read as {field_name}"
        if words.normalize_name(alias) != field_name
        else f"'{field_name}'"
    )


def unread_sheet(raw: RawSheet, sheet: _MappedSheet, reason: str) -> InputError:
    """The one line for a plan sheet that could not be read: no verdict on it."""
    title = f"sheet {raw.title}" if raw.title != Path(raw.source).stem else "the file"
    if not raw.headers:
        return InputError(
            f"{title} is empty: no header row and no rows; no verdict is given",
            where=raw.source,
            hint="start from `roadmap-audit template plan.xlsx`",
        )
    if not raw.rows and "could be used" in reason:
        reason = "it has a header row but no rows under it"
    return InputError(
        f"{title} was not read as a plan: {reason}; {header_text(sheet)}; no verdict is given",
        where=raw.source,
        hint="name the columns as the README's plan workbook does, or map yours: "
        "--map 'Your header=title' or [columns] in the config",
    )


def _conflict_text(sheet: _MappedSheet, lost: int, kept: int, name: str) -> str:
    """The note for a header written twice: which column was read, and what the other is kept as."""
    return (
        f"column {sheet.letter(lost)} repeats the header '{sheet.raw.headers[lost]}' of column "
        f"{sheet.letter(kept)}: column {sheet.letter(kept)} was read as {name}, and column {sheet.letter(lost)} "
        f"kept as the extra column '{sheet.extra_names[lost]}' (not used)"
    )


def _causes(issues: list[DataIssue]) -> str:
    dropped = [i for i in issues if i.row_dropped]
    return (
        "; ".join(f"{i.problem.split(' (')[0]}: {i.count}" for i in dropped[:3]) or "see validate"
    )
