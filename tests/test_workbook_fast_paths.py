"""The plan loader's shortcuts for the common cell give what the general readers give.

Each row is placed by its columns' plan (decided once per sheet), a repeated text is parsed once
per load, and a numeric estimate skips the text parsers: the values, notes and cells must be the
ones the general path gives.
"""

from __future__ import annotations

import datetime as dt

import pytest

from roadmap_audit.load import load_plan

from .conftest import write_xlsx


def test_a_value_repeated_in_many_rows_is_read_and_noted_in_each_row(tmp_path):
    rows = [["key", "title", "team", "services", "committed"]]
    rows += [[f"A-{n}", f"Item {n}", "core", "auth; billing", "perhaps"] for n in range(1, 4)]
    rows += [["A-4", "Item 4", "core", "auth; billing", "yes"]]
    plan = load_plan(write_xlsx(tmp_path / "p.xlsx", {"Items": rows}))
    noted = {
        (row, i.subject_id if i.count == 1 else None)
        for i in plan.issues
        if i.problem.startswith("committed:")
        for row in (i.rows or (i.ref.row,))
    }
    assert {row for row, _ in noted} == {
        2,
        3,
        4,
    }  # each row that says "perhaps", not only the first
    assert all(i.ref.column == "E" for i in plan.issues if i.problem.startswith("committed:"))
    assert [i.committed for i in plan.items] == [False, False, False, True]
    first, second = plan.items[0], plan.items[1]
    assert first.services == second.services == ["auth", "billing"]
    first.services.append("search")  # each item has its own list, not one shared by the cache
    assert second.services == ["auth", "billing"]


def test_a_number_in_an_estimate_column_is_that_many_of_the_columns_unit(tmp_path):
    path = write_xlsx(
        tmp_path / "p.xlsx",
        {
            "Items": [
                ["key", "title", "estimate", "estimate (days)"],
                ["A-1", "Weeks", 3, None],
                ["A-2", "Days", None, 2.5],
                ["A-3", "Negative", -2, None],
                ["A-4", "Too long", None, 3000],
                ["A-5", "Huge", 1e20, None],
                ["A-6", "Fraction", 0.1 + 0.2, None],
                ["A-7", "Days again", None, 2.5],  # a repeated number: its text kept per load
                ["A-8", "Weeks again", 3.0, None],
            ],
        },
    )
    plan = load_plan(path)
    got = {i.key: (i.estimate_weeks, i.estimate_raw) for i in plan.items}
    assert got["A-1"] == (3.0, "3") and isinstance(got["A-1"][0], float)
    assert got["A-2"] == (pytest.approx(0.5), "2.5 days")
    assert got["A-3"] == (None, "-2")
    assert got["A-4"] == (None, "3000")
    assert got["A-5"] == (None, "1e+20")
    assert got["A-6"] == (pytest.approx(0.3), "0.3")
    assert got["A-7"] == (pytest.approx(0.5), "2.5 days")
    assert got["A-8"] == (3.0, "3")
    notes = {(i.ref.location, i.problem) for i in plan.issues}
    assert notes == {
        ("Items!C4", "estimate -2 is negative; the item counts as unestimated"),
        (
            "Items!D5",
            "estimate 3000 days is over ten engineer-years; the item counts as unestimated "
            "(check the unit)",
        ),
        (
            "Items!C6",
            "estimate 1e+20 is over ten engineer-years; the item counts as unestimated "
            "(check the unit)",
        ),
    }


def test_blank_invisible_and_error_cells_are_placed_as_the_general_readers_place_them(tmp_path):
    path = write_xlsx(
        tmp_path / "p.xlsx",
        {
            "Items": [
                ["key", "title", "team", "owner", "Squad notes", "due"],
                ["A-1", "Caf\u00e9\u200b ", "   ", "\u200b", "keep", dt.date(2026, 8, 3)],
                ["A-2", "Two", "#REF!", "ana", 12.0, None, "stray"],
            ],
        },
    )
    plan = load_plan(path)
    one, two = plan.items
    assert (one.title, one.team, one.owner, one.due) == (
        "Caf\u00e9",
        None,
        None,
        dt.date(2026, 8, 3),
    )
    assert one.extra == {"Squad notes": "keep"}
    assert (two.team, two.owner) == (None, "ana")
    assert two.extra == {"Squad notes": "12", "column G": "stray"}
    assert [(i.ref.location, i.problem) for i in plan.issues] == [
        (
            "Items!C3",
            "the cell holds the spreadsheet error #REF! (a broken formula or reference); it was "
            "read as empty",
        )
    ]
    assert (one.ref.location, two.ref.location) == ("Items!A2", "Items!A3")


def test_repeated_text_fields_are_read_once_per_text_as_the_general_reader_reads_them(tmp_path):
    rows = [["key", "title", "team", "status", "owner", "rollback plan", "rehearsal"]]
    rows += [
        ["A-1", "One", "n/a", " Done ", "Ana\r\nLi", "n/a", "TBD"],
        ["A-2", "Two", "n/a", " Done ", "Ana\r\nLi", "Revert the flag", "n/a"],
        ["A-3", "Three", "Caf\u00e9\u200b", "In progress", 42, "Revert the flag", " - "],
        ["A-4", "Four", "Caf\u00e9\u200b", "In progress", 42, "-", "Game day"],
    ]
    plan = load_plan(write_xlsx(tmp_path / "p.xlsx", {"Items": rows}))
    got = [(i.team, i.status, i.owner, i.rollback_plan, i.rehearsal) for i in plan.items]
    assert got == [
        ("n/a", "Done", "Ana\nLi", None, None),  # a none marker is None only where it means none
        ("n/a", "Done", "Ana\nLi", "Revert the flag", None),
        ("Caf\u00e9", "In progress", "42", "Revert the flag", None),
        ("Caf\u00e9", "In progress", "42", None, "Game day"),
    ]
    assert [i.done for i in plan.items] == [True, True, False, False]
    one, two, three, four = plan.items
    assert one.team is two.team and three.team is four.team  # one object per distinct text
    assert two.rollback_plan is three.rollback_plan and one.owner is two.owner
    assert [i.links for i in plan.items] == [[], [], [], []]
    one.links.append(("blocks", "A-2"))  # each item its own list
    assert two.links == []


def test_a_header_that_reads_every_column_is_not_searched_under(tmp_path, monkeypatch):
    """A header row reads as many fields as the rows under it have cells: no row can read as more,
    so none is read as a header; a wider row under a narrower header still is, and is taken."""
    from roadmap_audit.load import workbook

    read: list[list[str]] = []
    fields_read = workbook._fields_read

    def counting(headers, spec, mapping):
        read.append(headers)
        return fields_read(headers, spec, mapping)

    monkeypatch.setattr(workbook, "_fields_read", counting)
    rows = [["key", "title", "team"]] + [[f"A-{n}", f"Item {n}", "core"] for n in range(1, 30)]
    plan = load_plan(write_xlsx(tmp_path / "p.xlsx", {"Items": rows}))
    assert len(plan.items) == 29
    assert read == [["key", "title", "team"]]  # the header found, and no row under it

    read.clear()
    rows = [["key", "title", "notes"], ["Key", "Title", "Team", "Estimate", "Status"]]
    rows += [[f"A-{n}", f"Item {n}", "core", 2, "open"] for n in range(1, 30)]
    plan = load_plan(write_xlsx(tmp_path / "q.xlsx", {"Items": rows}))
    assert (plan.items[0].key, plan.items[0].team, plan.items[0].estimate_weeks) == (
        "A-1",
        "core",
        2,
    )
    assert ["Key", "Title", "Team", "Estimate", "Status"] in read
