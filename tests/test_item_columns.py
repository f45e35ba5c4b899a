"""The Items sheet read by columns gives exactly what the row reader gives.

The column reader reads each distinct cell of a column once and leaves every row with something to
note to the row reader, in its turn. Each test loads a plan twice, once as the loader does and once
with the column reader turned off, and asserts the same items, the same notes at the same cells, in
the same order.
"""

from __future__ import annotations

import datetime as dt

import pytest

from roadmap_audit.load import item_columns, load_plan
from roadmap_audit.load.workbook import _Loader

from .conftest import write_xlsx


def write_csv(path, rows):
    import csv

    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return path


def _both(path, monkeypatch):
    by_columns = load_plan(path)
    with monkeypatch.context() as m:
        m.setattr(item_columns.ItemColumns, "read", classmethod(lambda cls, *a: None))
        by_rows = load_plan(path)
    return by_columns, by_rows


def _same(by_columns, by_rows):
    assert [i.model_dump() for i in by_columns.items] == [i.model_dump() for i in by_rows.items]
    assert [
        (i.ref.location, i.problem, i.subject_id, i.rows, i.row_dropped) for i in by_columns.issues
    ] == [(i.ref.location, i.problem, i.subject_id, i.rows, i.row_dropped) for i in by_rows.issues]
    assert by_columns.rows_read == by_rows.rows_read
    assert by_columns.model_dump() == by_rows.model_dump()


_HEADER = [
    "key",
    "title",
    "team",
    "kind",
    "estimate",
    "estimate (days)",
    "story points",
    "start",
    "due",
    "depends on",
    "services",
    "rollback plan",
    "rehearsal",
    "labels",
    "owner",
    "priority",
    "status",
    "committed",
    "description",
    "Squad notes",
]

# fmt: off
_MESSY = [
    # a clean row, and rows each with one thing the row reader notes (A-3: no title, not used)
    ["A-1", "Clean", "core", "feature", 2, None, None, dt.date(2026, 7, 6), dt.date(2026, 8, 1), "A-2", "auth; billing", "Revert the flag", "n/a", "q3, infra", "ana", "P1", "To Do", "yes", "Some words", "keep"],
    ["A-2", "Error cell", "#REF!", None, 1, None, None, None, None, None, None, None, None, None, None, None, "Done", None, None, None],
    ["A-3", "   ", "core", None, 1, None, None, None, None, None, None, None, None, None, None, None, None, None, None, None],
    [None, "No key", "core", None, 1, None, None, None, None, None, None, None, None, None, None, None, None, None, None, None],
    ["A-1", "Duplicate key", "core", None, 1, None, None, None, None, None, None, None, None, None, None, None, None, None, None, None],
    ["A-6", "Month start", "core", None, "3w", None, None, "Aug 2026", "2026-Q3", None, None, None, None, None, None, None, "In progress", "perhaps", None, 12.0],
    ["A-7", "Due before start", "edge", None, "M", None, None, dt.date(2026, 9, 1), dt.date(2026, 8, 1), None, None, "-", "Game day", None, 42, None, "Dropped", "no", None, None],
    ["A-8", "Negative", "edge", None, -2, None, None, None, None, None, None, None, None, None, None, None, "#DIV/0!", None, None, None],
    ["A-9", "Days", "edge", None, None, 2.5, None, None, None, None, None, None, None, None, None, None, None, True, None, None],
    ["A-10", "Points", "edge", None, None, None, 5, None, None, None, None, None, None, None, None, None, None, 1, None, None],
    ["A-11", "Bad points", "edge", None, None, None, "lots", None, None, None, None, None, None, None, None, None, None, None, None, None],
    ["A-12", "Text estimate beats points", "edge", None, "5 pts", None, "lots", None, None, None, None, None, None, None, None, None, None, None, None, None],
    ["A-13", "Caf\xe9\u200b ", "Caf\xe9", None, "2 days", None, None, dt.datetime(2026, 7, 7, 9, 30), None, "A-1, A-99", None, "TBD", None, None, "Ana\r\nLi", None, " Done ", "  ", "x" * 50, "\u200b"],
    ["A-14", "Wide row", "core", None, 1.0, None, None, None, None, None, None, None, None, None, None, None, None, None, None, None, "stray", None, "#N/A"],
    ["A-15", "Huge estimate", "core", None, 1e+20, None, None, None, None, None, None, None, None, None, None, None, None, None, None, None],
    ["A-16", "Range estimate", "core", None, "3-5", None, None, None, None, None, None, None, None, None, None, None, None, None, None, None],
]
# fmt: on


def test_a_messy_items_sheet_reads_as_the_row_reader_reads_it(tmp_path, monkeypatch):
    rows = [_HEADER, *_MESSY]
    rows += [
        [
            f"B-{n}",
            f"Item {n}",
            "core",
            None,
            1,
            None,
            None,
            None,
            None,
            None,
            "auth",
            None,
            None,
            None,
            "ana",
            "P2",
            "To Do",
            None,
            None,
            None,
        ]
        for n in range(30)
    ]
    by_columns, by_rows = _both(write_xlsx(tmp_path / "p.xlsx", {"Items": rows}), monkeypatch)
    _same(by_columns, by_rows)
    assert len(by_columns.items) > 40 and len(by_columns.issues) > 8


def test_a_csv_plan_with_a_duration_reads_as_the_row_reader_reads_it(tmp_path, monkeypatch):
    rows = [["Key", "Summary", "Team", "Start", "Duration (weeks)", "Due", "Labels", "Labels"]]
    rows += [
        ["K-1", "Due from duration", "core", "2026-07-06", "3", "", "a", "b"],
        ["K-2", "Due given", "core", "2026-07-06", "3", "2026-08-01", "a", ""],
        ["K-3", "No duration", "core", "2026-07-06", "", "", "", "c"],
        ["K-4", "Blank start", "core", "", "3", "", "", ""],
    ]
    by_columns, by_rows = _both(write_csv(tmp_path / "p.csv", rows), monkeypatch)
    _same(by_columns, by_rows)  # labels from two columns: the whole sheet is the row reader's
    rows = [[cell for pos, cell in enumerate(row) if pos != 7] for row in rows]
    by_columns, by_rows = _both(write_csv(tmp_path / "q.csv", rows), monkeypatch)
    _same(by_columns, by_rows)
    assert by_columns.items[0].due == dt.date(2026, 7, 26)


def test_one_and_true_in_one_column_are_read_apart(tmp_path, monkeypatch):
    rows = [["key", "title", "committed", "Notes"]]
    rows += [["A-1", "One", 1, 1], ["A-2", "True", True, True], ["A-3", "Float", 1.5, 1.5]]
    by_columns, by_rows = _both(write_xlsx(tmp_path / "p.xlsx", {"Items": rows}), monkeypatch)
    _same(by_columns, by_rows)
    assert [i.committed for i in by_columns.items] == [True, True, False]


@pytest.mark.parametrize("size", [200, 400])
def test_each_distinct_cell_of_a_column_is_read_once(tmp_path, monkeypatch, size):
    """Reading a repeated team, status or estimate costs one read per distinct cell, not per row."""
    calls = {"kept": 0, "estimate": 0}
    kept, estimate = _Loader.kept_cell, _Loader.estimate_cell

    def counted_kept(self, cell, plan=False):
        calls["kept"] += 1
        return kept(self, cell, plan)

    def counted_estimate(self, *args):
        calls["estimate"] += 1
        return estimate(self, *args)

    monkeypatch.setattr(_Loader, "kept_cell", counted_kept)
    monkeypatch.setattr(_Loader, "estimate_cell", counted_estimate)
    rows = [["key", "title", "team", "status", "estimate"]]
    rows += [[f"A-{n}", f"Item {n}", f"team-{n % 5}", "To Do", n % 3 + 1] for n in range(size)]
    plan = load_plan(write_xlsx(tmp_path / "p.xlsx", {"Items": rows}))
    assert len(plan.items) == size
    assert calls == {"kept": 5 + 1, "estimate": 3}


def test_a_whole_float_beside_an_int_is_read_apart(tmp_path, monkeypatch):
    """A reader may give a whole number as an int in one row and a float in the next: they are one
    key of a dict, but an int past 2**53 and its float read differently."""
    rows = [["key", "title", "Squad notes"], ["A-1", "One", "x"], ["A-2", "Two", "y"]]
    path = write_xlsx(tmp_path / "p.xlsx", {"Items": rows})
    from roadmap_audit.load import workbook

    real = workbook.read_sheets

    def with_numbers(*args, **kwargs):
        sheets = real(*args, **kwargs)
        for sheet in sheets:
            sheet.rows[0][1][2], sheet.rows[1][1][2] = 2**60, 2.0**60
        return sheets

    monkeypatch.setattr(workbook, "read_sheets", with_numbers)
    by_columns, by_rows = _both(path, monkeypatch)
    _same(by_columns, by_rows)
    assert [i.extra for i in by_columns.items] == [
        {"Squad notes": "1152921504606846976"},
        {"Squad notes": "1.15292150460685e+18"},
    ]
