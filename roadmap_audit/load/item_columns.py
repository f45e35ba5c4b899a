"""The plan's Items sheet read column by column: each distinct cell of a column is read once.

A plan repeats its teams, statuses, owners, dates and estimates in every row, and a row reader
pays for every cell of every row. Here each column is read as a whole: its distinct cells are read
once each, by the same functions the row reader uses (`_Loader.kept_cell`, `estimate_cell`,
`parsed`, `cell_text_of`), and an item is put together from its row's values.

Only rows that read cleanly are made here. A row with anything to say (a spreadsheet error in a
cell, no title or key, a key seen before, a value that cannot be read, a month for a date, a due
date made from a duration, a due date before the start) is read by the row reader (`Row` and
`_Loader._item`), in its turn, so every note and its place are what the row reader gives.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from itertools import zip_longest
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from ..model import Item
from . import dates, schema
from .cells import spreadsheet_error, strip_invisible

if TYPE_CHECKING:
    from .workbook import _Loader, _MappedSheet

_BLANK = object()  # an empty cell, as the row reader leaves it out
_ERROR = object()  # a spreadsheet error (#REF!): the row reader gives the note
_UNREAD = object()  # a value the row reader would give a note for, or cannot read
_OTHER = object()  # a text cell that is not plain ASCII text: read the long way

# the types a cell comes in from the readers; another one (a str subclass, a time) leaves the sheet
# to the row reader
_CELL_TYPES = frozenset({type(None), str, int, float, bool, dt.date, dt.datetime})
_NUMBERS = frozenset({int, float, bool})

# text fields read as `Row.text`, repeated ones as `_Loader.kept` (one object per distinct text)
_TEXTS = ("key", "title", "description", "first_planned", "parent")
_KEPT = ("team", "kind", "owner", "priority", "status")
_PLANS = ("rollback_plan", "rehearsal")
_PARSED = ("start", "due", "depends_on", "services", "labels", "committed")


def _state(v: Any) -> object:
    """What the row reader makes of a cell before reading it: _BLANK, _ERROR, or the cell itself."""
    if v is None:
        return _BLANK
    if v.__class__ is str:
        if v[:1] == "#" and spreadsheet_error(v) is not None:
            return _ERROR
        if not (v if v.isascii() else strip_invisible(v)).strip():
            return _BLANK
    elif v == "":
        return _BLANK
    return v


def _distinct(column: tuple[Any, ...]) -> set[Any] | None:
    """The column's distinct cells, or None when two cells that differ compare equal (1, 1.0 and
    True are one key of a dict) or a cell is of a type the readers do not give."""
    try:
        distinct = set(column)
    except TypeError:
        return None
    types = set(map(type, distinct))
    if not types <= _CELL_TYPES:
        return None
    if types & _NUMBERS:
        types = set(map(type, column))  # the column's: a 1.0 may hide behind a 1
        if len(types & _NUMBERS) > 1 and len(
            set(zip(map(type, column), column, strict=True))
        ) != len(distinct):
            return None
    return distinct


def _read_one(v: Any, read: Callable[[Any], Any], blank: Any) -> Any:
    """One distinct cell of a column: `blank` when empty, _ERROR, its value, or _UNREAD."""
    state = _state(v)
    if state is _BLANK:
        return blank
    if state is _ERROR:
        return _ERROR
    try:
        return read(v)
    except Exception:  # the row reader reads it, and says why it cannot
        return _UNREAD


_Values = tuple[list[Any], Iterable[Any]]  # each row's value, and the distinct values read


def _text_values(column: tuple[Any, ...], read: Callable[[Any], Any], blank: Any) -> _Values | None:
    """A text column's values, plain ASCII text read inline (cell_text_of's answer; None for a
    blank cell too), any other cell one by one; None when a cell is of a type the readers do not
    give."""
    values = [
        None
        if v is None
        else (v.strip() or None)
        if v.__class__ is str and v.isascii() and "\r" not in v and v[:1] != "#"
        else _OTHER
        for v in column
    ]
    read_apart: dict[int, Any] = {}
    if _OTHER in values:
        for i, v in enumerate(column):
            if values[i] is _OTHER:
                if type(v) not in _CELL_TYPES:
                    return None
                values[i] = read_apart[i] = _read_one(v, read, blank)
    return values, read_apart.values()


def _distinct_values(
    column: tuple[Any, ...], read: Callable[[Any], Any], blank: Any
) -> _Values | None:
    """A column's values, each distinct cell read once; None when its cells cannot be told apart
    as dict keys (see `_distinct`)."""
    distinct = _distinct(column)
    if distinct is None:
        return None
    known = {v: _read_one(v, read, blank) for v in distinct}
    return list(map(known.__getitem__, column)), known.values()


class ItemColumns:
    """The Items sheet's rows as columns of read values; `rows()` makes the clean rows' items."""

    def __init__(self, loader: _Loader, sheet: _MappedSheet, rows: list[tuple[int, list[Any]]]):
        self.loader = loader
        self.sheet = sheet
        self.raw_rows = rows
        self.count = len(rows)
        self.unread = bytearray(self.count)  # rows left to the row reader, whatever their values
        self.values: dict[str, list[Any]] = {}  # field -> its value in each row
        self.extras: list[tuple[str, list[Any]]] = []  # extra columns: (name, value in each row)

    @classmethod
    def read(
        cls, loader: _Loader, sheet: _MappedSheet, rows: list[tuple[int, list[Any]]]
    ) -> ItemColumns | None:
        """The sheet read by columns, or None when the row reader must read it all (a list field
        read from two columns, or cells of unusual types)."""
        names = [name for name in sheet.fields if name is not None]
        if len(names) != len(set(names)):
            return None  # labels from two columns: the row reader joins them
        lists = list(map(itemgetter(1), rows))
        width = max(map(len, lists), default=0)
        places = sheet.widen(width) if width > len(sheet.places) else sheet.places
        out = cls(loader, sheet, rows)
        # a workbook's rows are as wide as its grid: zip them as they are (zip_longest pays per cell)
        even = width == min(map(len, lists), default=0)
        columns = zip(*lists, strict=True) if even else zip_longest(*lists, fillvalue=None)
        del lists
        for (name, _letter, extra_name, listed), column in zip(places, columns, strict=False):
            if not out._column(name, extra_name, listed, column):
                return None
        return out

    def _column(self, name: str | None, extra_name: str, listed: bool | None, column: Any) -> bool:
        read = self._reader(name, listed)
        blank = None if name != "duration" else False
        # a title or key: most are distinct, and the common one is read inline
        found = (_text_values if name in _TEXTS else _distinct_values)(column, read, blank)
        if found is None:
            return False
        values, marks = found
        # a later estimate column is read only when the ones before it are empty: its unread
        # value is seen when the row's estimate is (`estimates`); any other field is always read
        later = name in _ESTIMATES
        if any(m is _ERROR or (m is _UNREAD and not later) for m in marks):
            unread = self.unread
            for i, v in enumerate(values):
                if v is _ERROR or (v is _UNREAD and not later):
                    unread[i] = 1
        if name is None:
            self.extras.append((extra_name, values))
        else:
            self.values[name] = values
        return True

    def _reader(self, name: str | None, listed: bool | None) -> Callable[[Any], Any]:
        """How a filled cell of the column is read (raising where the row reader gives a note)."""
        loader = self.loader
        if name is None:  # an extra column: kept as the sheet shows it
            from .workbook import _shown

            return str if listed is None else (lambda v: v if v.__class__ is str else _shown(v))
        if name in _TEXTS:
            from .workbook import cell_text_of

            return cell_text_of
        if name in _KEPT:
            return loader.kept_cell
        if name in _PLANS:
            return lambda v: loader.kept_cell(v, True)
        if name in _PARSED:
            kind = self.sheet.kinds[name]
            if kind == "date":
                return _date
            return lambda v: loader.parsed(kind, v)
        if name in _ESTIMATES:
            return self._estimate_reader(name)
        # a field the item does not read (a duration): only whether it is filled
        return lambda v: True

    def _estimate_reader(self, name: str) -> Callable[[Any], Any]:
        loader = self.loader
        units = {unit[0]: unit for unit in loader.unit_columns}

        def reader(v: Any) -> Any:
            if name == "story_points":
                found, notes = loader.points_cell(v)
            else:
                found, notes = loader.estimate_cell(*units[name], v)
            return _UNREAD if notes else found

        return reader

    def estimates(self) -> list[Any]:
        """Each row's estimate: the first estimate column (in the row reader's order) that decides."""
        order = [name for name, _, _ in self.loader.unit_columns] + ["story_points"]
        found: list[Any] = [None] * self.count
        for name in reversed(order):
            column = self.values.get(name)
            if column is not None:
                found = [
                    v if v is not None else later for v, later in zip(column, found, strict=True)
                ]
        return found

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """Make the item of every clean row, in order; yield each other row for the row reader,
        in its turn (so notes keep the sheet's order)."""
        loader, sheet, values, count = self.loader, self.sheet, self.values, self.count
        seen = loader.seen_keys
        append = loader.plan.items.append
        made = Item._fresh
        nothing = [None] * count

        def column(name: str, default: Any = None) -> list[Any]:
            return values.get(name) or ([default] * count if default is not None else nothing)

        key_letter = sheet.columns.get("key")
        row_ref = sheet.row_ref
        copy_ref = row_ref.__copy__
        extras = self.extras
        statuses = column("status")
        # (a status that is no text marks a row the row reader reads)
        out_of_plan = {
            s: schema.is_out_of_plan(s) for s in set(statuses) if s is None or s.__class__ is str
        }
        durations = column("duration", False)
        unread = self.unread
        columns_of = sheet.columns
        for i, (
            (number, _cells),
            title,
            key,
            team,
            kind,
            estimate,
            start,
            due,
            depends_on,
            services,
            rollback_plan,
            rehearsal,
            labels,
            owner,
            priority,
            status,
            committed,
            description,
            first_planned,
            parent,
            duration,
        ) in enumerate(
            zip(
                self.raw_rows,
                column("title"),
                column("key"),
                column("team"),
                column("kind"),
                self.estimates(),
                column("start"),
                column("due"),
                column("depends_on"),
                column("services"),
                column("rollback_plan"),
                column("rehearsal"),
                column("labels"),
                column("owner"),
                column("priority"),
                statuses,
                column("committed"),
                column("description"),
                column("first_planned"),
                column("parent"),
                durations,
                strict=True,
            )
        ):
            if (
                unread[i]
                or not title
                or not key
                or key in seen
                or estimate is _UNREAD
                or (due is None and start is not None and duration)
                or (start and due and due < start)
            ):
                yield self.raw_rows[i]
                continue
            ref = copy_ref()
            fields = ref.__dict__
            fields["row"] = number
            fields["column"] = key_letter
            seen[key] = ref
            weeks, points, size, raw_estimate = estimate or _NO_ESTIMATE
            append(
                made(
                    {
                        "key": key,
                        "title": title,
                        "team": team,
                        "kind_raw": kind,
                        "estimate_weeks": weeks,
                        "estimate_points": points,
                        "estimate_size": size,
                        "estimate_raw": raw_estimate,
                        "start": start,
                        "due": due,
                        "depends_on": [] if depends_on is None else depends_on.copy(),
                        "services": [] if services is None else services.copy(),
                        "rollback_plan": rollback_plan,
                        "rehearsal": rehearsal,
                        "labels": [] if labels is None else labels.copy(),
                        "owner": owner,
                        "priority": priority,
                        "status": status,
                        "done": out_of_plan[status],
                        "committed": bool(committed),
                        "description": description,
                        "first_planned": first_planned,
                        "parent": parent,
                        "links": [],
                        "extra": {
                            name: column_values[i]
                            for name, column_values in extras
                            if column_values[i] is not None
                        }
                        if extras
                        else {},
                        "ref": ref,
                        "columns": columns_of,
                    }
                )
            )


_ESTIMATES = frozenset(
    {"estimate", "estimate_days", "estimate_hours", "original_estimate", "story_points"}
)
_NO_ESTIMATE = (None, None, None, None)


def _date(v: Any) -> dt.date | None:
    """A date cell as `Row.get` reads it, when it is a date (a month or quarter raises: the row
    reader notes how it was read)."""
    if v.__class__ is dt.date:
        return dates.check_year(v, v)
    return dates.parse_date(v)
