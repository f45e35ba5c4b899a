"""The plan workbook loader: aliases, locations, and every row accounted for."""

from __future__ import annotations

import datetime as dt

import pytest

from roadmap_audit.errors import InputError
from roadmap_audit.load import load_plan

from .conftest import SAMPLES, write_xlsx


def test_aliases_for_sheets_and_headers_are_matched_insensitively(tmp_path):
    path = write_xlsx(
        tmp_path / "p.xlsx",
        {
            "Road-map": [
                [
                    "Issue Key",
                    "Summary",
                    "Owner Team",
                    "Estimate (days)",
                    "Due Date",
                    "Blocked by",
                    "Backout plan",
                    "Squad notes",
                ],
                [
                    "A-1",
                    "Migrate orders",
                    "core",
                    10,
                    dt.date(2026, 8, 1),
                    "A-2; A-3",
                    "n/a",
                    "keep me",
                ],
            ],
            "STAFFING": [["Squad", "HC", "New hires", "On-call", "KTLO"], ["core", 6, 1, 5, "20%"]],
        },
    )
    plan = load_plan(path)
    item = plan.items[0]
    assert (item.key, item.title, item.team) == ("A-1", "Migrate orders", "core")
    assert item.estimate_weeks == pytest.approx(2.0)  # 10 days / 5
    assert item.due == dt.date(2026, 8, 1)
    assert item.depends_on == ["A-2", "A-3"]
    assert item.rollback_plan is None  # "n/a" means no plan
    assert item.extra == {"Squad notes": "keep me"}
    assert item.ref.location == "Road-map!A2"
    team = plan.teams[0]
    assert (team.headcount, team.new_hires, team.oncall_rotation, team.ops_allocation) == (
        6,
        1,
        5,
        0.2,
    )
    assert plan.rows_read == 2 and plan.rows_used == 2
    assert [i.problem for i in plan.issues] == [
        "depends on A-2, which is not in the plan; the dependency was not followed",
        "depends on A-3, which is not in the plan; the dependency was not followed",
    ]
    assert {i.ref.location for i in plan.issues} == {"Road-map!F2"}


def test_an_estimate_counts_in_the_unit_it_is_written_in(tmp_path):
    path = write_xlsx(
        tmp_path / "p.xlsx",
        {
            "Items": [
                ["key", "title", "team", "estimate", "estimate (days)"],
                ["A-1", "One", "core", "3 days", None],  # three days, never three weeks
                ["A-2", "Two", "core", None, 10],
                ["A-3", "Three", "core", None, "2 weeks"],
                ["A-4", "Four", "core", "1-2 weeks", None],
                ["A-5", "Five", "core", "2 sprints", None],
            ],
        },
    )
    plan = load_plan(path)
    got = {i.key: (i.estimate_weeks, i.estimate_raw) for i in plan.items}
    assert got["A-1"] == (pytest.approx(0.6), "3 days")
    assert got["A-2"] == (pytest.approx(2.0), "10 days")
    assert got["A-3"] == (pytest.approx(2.0), "2 weeks")
    assert got["A-4"] == (pytest.approx(1.5), "1-2 weeks")
    assert got["A-5"] == (None, "2 sprints")
    notes = {i.ref.location: i.problem for i in plan.issues}
    assert notes == {
        "Items!D5": "estimate: the range 1-2 weeks read as its middle, 1.5",
        "Items!D6": "estimate: '2 sprints' is in sprints, a whole team's time, not one engineer's; write "
        "engineer-weeks (or days); the item counts as unestimated",
    }


def test_dates_written_as_a_month_quarter_or_week_are_read_and_noted_once_per_column(tmp_path):
    path = write_xlsx(
        tmp_path / "p.xlsx",
        {
            "Items": [
                ["key", "title", "team", "start", "due"],
                ["A-1", "One", "core", "Jul 2026", "Aug 2026"],
                ["A-2", "Two", "core", None, "2026-Q3"],
                ["A-3", "Three", "core", None, "2026-W32"],
                ["A-4", "Four", "core", None, "Sept"],
            ],
            "Settings": [["key", "value"], ["quarter", "2026-Q3"], ["end", "Sep 2026"]],
        },
    )
    plan = load_plan(path)
    got = {i.key: (i.start, i.due) for i in plan.items}
    assert got == {
        "A-1": (dt.date(2026, 7, 1), dt.date(2026, 8, 31)),
        "A-2": (None, dt.date(2026, 9, 30)),
        "A-3": (None, dt.date(2026, 8, 7)),
        "A-4": (None, None),
    }
    assert plan.settings.end == dt.date(2026, 9, 30)
    year = dt.date.today().year
    assert {i.ref.location: i.problem for i in plan.issues} == {
        "Items!E5": f"due: 'Sept' names a month but no year; write it with the year, like 'Sept {year}'; "
        "the value was left out",
        "Items!D2": "start 'Jul 2026' is a month, quarter or week, read as its first day (a week's Monday; "
        "mid-month is the 15th): 2026-07-01",
        "Items": "3 due dates are a month, quarter or week, each read as its last day (a week's Friday; "
        "mid-month is the 15th); the first, 'Aug 2026' in Items!E2, is 2026-08-31",
        "Settings!B3": "end 'Sep 2026' is a month, quarter or week, read as its last day (a week's Friday; "
        "mid-month is the 15th): 2026-09-30",
    }


def test_a_dependency_written_as_a_title_or_in_another_case_is_that_item(tmp_path):
    path = write_xlsx(
        tmp_path / "p.xlsx",
        {
            "Items": [
                ["key", "title", "team", "depends_on"],
                ["A-1", "Ledger migration", "core", None],
                ["A-2", "Wallet launch", "core", "Ledger migration"],
                ["A-3", "Refunds", "core", "a-1; wallet launch; A-1"],
                ["A-4", "Refunds", "core", "refunds"],  # two items have that title
                ["A-5", "Payouts", "core", "Nothing like it"],
            ],
        },
    )
    plan = load_plan(path)
    got = {i.key: i.depends_on for i in plan.items}
    assert got == {
        "A-1": [],
        "A-2": ["A-1"],
        "A-3": ["A-1", "A-2"],
        "A-4": ["refunds"],
        "A-5": ["Nothing like it"],
    }
    assert sorted((i.ref.location, i.problem) for i in plan.issues) == [
        ("Items!D3", "depends on 'Ledger migration', read as A-1, the one item with that title"),
        ("Items!D4", "depends on 'wallet launch', read as A-2, the one item with that title"),
        (
            "Items!D5",
            "depends on 'refunds', the title of A-3, A-4; the dependency was not followed (write the key)",
        ),
        (
            "Items!D6",
            "depends on Nothing like it, which is not in the plan; the dependency was not followed",
        ),
    ]


def test_staffing_numbers_as_people_write_them(tmp_path):
    path = write_xlsx(
        tmp_path / "p.xlsx",
        {
            "Items": [["key", "title", "team"], ["A-1", "One", "a"]],
            "Teams": [
                [
                    "team",
                    "headcount",
                    "oncall_rotation",
                    "ops_allocation",
                    "pages_per_week",
                    "toil_hours_per_week",
                ],
                ["a", "6 (2 new)", "5 people", "20-30%", "~10", "4 hrs/week"],
                ["b", 5, "yes", "25 %", "3-5", "10/week"],
            ],
        },
    )
    plan = load_plan(path)
    got = {
        t.team: (
            t.headcount,
            t.oncall_rotation,
            t.ops_allocation,
            t.pages_per_week,
            t.toil_hours_per_week,
        )
        for t in plan.teams
    }
    assert got == {
        "a": (6, 5, pytest.approx(0.25), 10, 4),
        "b": (5, 0, pytest.approx(0.25), 4, 10),
    }  # no rotation read
    assert {i.ref.location: i.problem for i in plan.issues} == {
        "Teams!D2": "ops_allocation: the range 20-30% read as its middle, 25%",
        "Teams!C3": "oncall_rotation: 'yes' is not a number; the value was left out",
        "Teams!E3": "pages_per_week: the range 3-5 read as its middle, 4",
    }


def test_at_epic_level_t_shirt_sized_children_are_noted_not_silently_dropped(tmp_path):
    path = write_xlsx(
        tmp_path / "p.xlsx",
        {
            "Items": [
                ["key", "title", "team", "estimate", "parent"],
                ["E-1", "Epic", "web", None, None],
                ["S-1", "Story", "web", "M", "E-1"],
                ["S-2", "Story", "web", 2, "E-1"],
            ],
        },
    )
    plan = load_plan(path, level="epic")
    assert [(i.key, i.estimate_weeks) for i in plan.items] == [("E-1", 2.0)]
    assert [(i.ref.location, i.problem) for i in plan.issues] == [
        (
            "Items!A2",
            "1 child issue of E-1 (S-1) is sized in T-shirt sizes, which do not add up into the epic's "
            "estimate; give them weeks or points, or size the epic itself",
        )
    ]


def test_an_item_done_dropped_or_deferred_asks_for_no_more_work(tmp_path):
    statuses = [
        "\u2705 Done",
        "Completed",
        "Cancelled",
        "Dropped",
        "Descoped",
        "Deferred",
        "In progress",
        "Not started",
        "Blocked",
        "Not done",
    ]
    path = write_xlsx(
        tmp_path / "p.xlsx",
        {
            "Items": [
                ["key", "title", "team", "status"],
                *[[f"A-{n}", "Work", "core", status] for n, status in enumerate(statuses)],
            ],
            "Actions": [
                ["key", "title", "team", "status"],
                ["ACT-1", "Add an alert", "core", "Dropped"],
            ],
        },
    )
    plan = load_plan(path)
    assert [i.done for i in plan.items] == [True] * 6 + [False] * 4
    assert (
        plan.actions[0].done is False
    )  # a dropped postmortem action has died: REL002 must still see it


def test_bad_values_are_reported_with_their_cell_and_the_row_is_still_used(tmp_path):
    path = write_xlsx(
        tmp_path / "p.xlsx",
        {
            "Items": [
                ["key", "title", "team", "estimate", "due"],
                ["A-1", "One", "core", "big", "31/02/2026"],
                ["A-2", "Two", "core", "2 weeks", "15/09/2026"],
            ],
        },
    )
    plan = load_plan(path)
    locations = {i.ref.location: i.problem for i in plan.issues}
    assert set(locations) == {"Items!D2", "Items!E2"}
    assert "not a number" in locations["Items!D2"]
    assert plan.items[0].estimate_weeks is None and plan.items[0].due is None
    assert plan.items[1].estimate_weeks == 2.0 and plan.items[1].due == dt.date(2026, 9, 15)
    assert plan.rows_used == 2


def test_rows_without_a_title_are_reported_as_not_used_and_counted(tmp_path):
    path = write_xlsx(
        tmp_path / "p.xlsx",
        {
            "Items": [
                ["key", "title"],
                ["A-1", "One"],
                ["A-2", None],
                [None, None],
                ["A-3", "Three"],
            ],
        },
    )
    plan = load_plan(path)
    assert plan.rows_read == 3  # the blank row is not a data row
    assert plan.rows_used == 2
    dropped = [i for i in plan.issues if i.row_dropped]
    assert [(i.ref.location, i.subject_id) for i in dropped] == [("Items!B3", "A-2")]


def test_duplicate_and_missing_keys_are_kept_under_new_keys_with_a_note(tmp_path):
    path = write_xlsx(
        tmp_path / "p.xlsx",
        {
            "Items": [["key", "title"], ["A-1", "One"], ["A-1", "Again"], [None, "No key"]],
        },
    )
    plan = load_plan(path)
    assert [i.key for i in plan.items] == ["A-1", "A-1~3", "Items-4"]
    assert {i.ref.location for i in plan.issues} == {"Items!A3", "Items!A4"}


def test_a_title_row_above_the_header_is_skipped_and_noted(tmp_path):
    path = write_xlsx(
        tmp_path / "p.xlsx",
        {
            "Items": [["Q3 plan — draft"], ["key", "title", "team"], ["A-1", "One", "core"]],
        },
    )
    plan = load_plan(path)
    assert plan.items[0].ref.row == 3
    assert any(i.ref.location == "Items!1" for i in plan.issues)


def test_settings_sheet_sets_the_quarter(tmp_path):
    path = write_xlsx(
        tmp_path / "p.xlsx",
        {
            "Items": [["key", "title"], ["A-1", "One"]],
            "Settings": [["quarter", "2026-Q3"], ["weeks", 12]],
        },
    )
    plan = load_plan(path)
    assert plan.settings.quarter == "2026-Q3" and plan.settings.weeks == 12


def test_unknown_sheets_are_reported_not_silently_dropped(tmp_path):
    path = write_xlsx(
        tmp_path / "p.xlsx",
        {
            "Items": [["key", "title"], ["A-1", "One"]],
            "Scratch": [["a", "b"], [1, 2]],
        },
    )
    plan = load_plan(path)
    assert any("Scratch" in i.problem for i in plan.issues)


def test_a_folder_of_csv_files_is_a_workbook_and_cp1252_is_read_with_a_note(tmp_path):
    (tmp_path / "items.csv").write_bytes(
        "key;title;team\nA-1;Caf\xe9 launch;core\n".encode("cp1252")
    )
    (tmp_path / "teams.csv").write_text("team,headcount\ncore,4\n", encoding="utf-8-sig")
    plan = load_plan(tmp_path)
    assert plan.items[0].title == "Café launch"
    assert plan.items[0].ref.location == "items!A2"
    assert plan.teams[0].headcount == 4
    assert any("cp1252" in i.problem for i in plan.issues)


def test_a_workbook_without_an_items_sheet_is_an_input_error_naming_the_sheets(tmp_path):
    path = write_xlsx(tmp_path / "p.xlsx", {"Teams": [["team"], ["core"]]})
    with pytest.raises(InputError, match="no Items sheet.*'Teams'"):
        load_plan(path)


def test_the_sample_plan_accounts_for_every_row():
    plan = load_plan(SAMPLES / "northwind-2026-Q3.xlsx")
    assert (
        plan.rows_read
        == len(plan.items)
        + len(plan.teams)
        + len(plan.services)
        + len(plan.org)
        + len(plan.actions)
        + len(plan.incidents)
        + 4
    )  # four Settings rows
    assert plan.rows_used == plan.rows_read
    # the estimate typed as "big", and a dependency on a key that does not exist
    assert {i.ref.location for i in plan.issues} == {"Items!E35", "Items!H26"}


def test_items_share_one_fields_set_and_copies_keep_sharing_it():
    """pydantic's per-instance set of passed fields was half of each item's memory (benchmarks/)."""
    from roadmap_audit.pipeline import Options, load

    plan = load(Options(plan=str(SAMPLES / "northwind-2026-Q3.xlsx")))
    first, second = plan.items[0], plan.items[1]
    assert first.__pydantic_fields_set__ is second.__pydantic_fields_set__
    moved = first.ref.at("Z")
    assert moved.column == "Z" and first.ref.column != "Z"  # a copy, not the original changed
    assert moved.__pydantic_fields_set__ is first.ref.__pydantic_fields_set__
    assert first.model_copy(update={"title": "x"}).title == "x" and first.title != "x"
