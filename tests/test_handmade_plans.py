"""Hand-made roadmaps read as written: the names people give their columns, a column map for the
rest, and the columns nothing reads kept and shown.

Fixtures are written here, with the header names and value shapes of real hand-made roadmaps
(a `Key` like E1-F1-S1 beside an `Id` that is a ULID, `EstHours`, `start` + `durationWeeks`).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from roadmap_audit.errors import InputError
from roadmap_audit.load import load_plan

from .conftest import audit_of, rule_pairs, run_cli, write_xlsx

ULIDS = ["01J0ZK3Y8W4Q9S2M5N7P1R3T6V", "01J0ZK3Y8XB2C4D6F8G0H1J3K5", "01J0ZK3Y8YQ1W3E5R7T9Y2U4I6"]


def roadmap_csv(path):
    path.write_text(
        "Id,Key,Subject,Team,EstHours,start,durationWeeks,Sponsor\n"
        f"{ULIDS[0]},E1-F1-S1,Ledger double-entry model,payments,80,2026-07-06,2,Finance\n"
        f"{ULIDS[1]},E1-F1-S2,Migrate ledger tables to the new schema,payments,120,2026-07-20,3,Finance\n"
        f"{ULIDS[2]},E1-F2-S1,Reconciliation report,payments,40,2026-08-10,1,\n",
        encoding="utf-8",
    )
    return path


def test_key_beside_an_id_is_the_key_and_the_id_is_kept(tmp_path):
    plan = load_plan(roadmap_csv(tmp_path / "roadmap.csv"))
    assert [(i.key, i.title) for i in plan.items] == [
        ("E1-F1-S1", "Ledger double-entry model"),
        ("E1-F1-S2", "Migrate ledger tables to the new schema"),
        ("E1-F2-S1", "Reconciliation report"),
    ]
    assert plan.items[0].extra == {"Id": ULIDS[0], "Sponsor": "Finance"}
    assert plan.items[0].ref.location == "roadmap!B2"  # the Key cell, not the Id cell
    # findings cite the key people use, never the ULID
    audit = audit_of(tmp_path / "roadmap.csv", select=["MIG001"])
    assert ("MIG001", "item", "E1-F1-S2") in rule_pairs(audit)
    assert not any(u in f.subject.id for f in audit.findings for u in ULIDS)


def test_estimates_in_hours_or_weeks_come_from_the_header(tmp_path):
    plan = load_plan(roadmap_csv(tmp_path / "roadmap.csv"))
    assert [(i.estimate_weeks, i.estimate_raw) for i in plan.items] == [
        (2.0, "80 hours"),
        (3.0, "120 hours"),
        (1.0, "40 hours"),
    ]
    weeks = tmp_path / "weeks.csv"
    weeks.write_text(
        "Key,Name,Est. (wks),Effort (person-days),Story pts\nA-1,One,3,,\nA-2,Two,,10,\n"
        "A-3,Three,,,5\n",
        encoding="utf-8",
    )
    got = {i.key: (i.estimate_weeks, i.estimate_points) for i in load_plan(weeks).items}
    assert got == {"A-1": (3.0, None), "A-2": (2.0, None), "A-3": (None, 5.0)}


def test_a_due_date_from_start_and_duration(tmp_path):
    plan = load_plan(roadmap_csv(tmp_path / "roadmap.csv"))
    assert [i.due for i in plan.items] == [
        dt.date(2026, 7, 19),
        dt.date(2026, 8, 9),
        dt.date(2026, 8, 16),
    ]
    assert [(i.ref.location, i.problem) for i in plan.issues] == [
        (
            "roadmap",
            "3 due dates made from start + durationWeeks (no due date given), each the last day of the "
            "span: the first, start 2026-07-06 + 2 weeks, is 2026-07-19",
        )
    ]
    other = tmp_path / "other.csv"
    other.write_text(
        "Key,Task,Start date,Due date,Duration\nA-1,One,2026-07-01,,10 days\n"
        "A-2,Two,2026-07-01,2026-07-31,3 weeks\nA-3,Three,2026-07-01,,4\n",
        encoding="utf-8",
    )
    loaded = load_plan(other)
    assert [i.due for i in loaded.items] == [
        dt.date(2026, 7, 14),
        dt.date(2026, 7, 31),
        None,
    ]  # a due date wins
    assert "duration 4 has no unit (write 3 weeks or 10 days); no due date was made from it" in [
        i.problem for i in loaded.issues
    ]


@pytest.mark.parametrize("title", ["Subject", "Name", "Task", "Initiative", "Epic", "Summary"])
def test_title_aliases(tmp_path, title):
    plan = tmp_path / "p.csv"
    plan.write_text(f"Key,{title},Team\nA-1,Move the ledger,core\n", encoding="utf-8")
    assert [(i.key, i.title) for i in load_plan(plan).items] == [("A-1", "Move the ledger")]


@pytest.mark.parametrize("key", ["Key", "Epic ID", "Jira key", "Ticket", "Issue key", "ID"])
def test_key_aliases(tmp_path, key):
    plan = tmp_path / "p.csv"
    plan.write_text(f"{key},Title\nPAY-7,Move the ledger\n", encoding="utf-8")
    loaded = load_plan(plan)
    assert [i.key for i in loaded.items] == ["PAY-7"] and loaded.issues == []


def test_a_title_column_wins_over_an_epic_column(tmp_path):
    plan = tmp_path / "p.csv"
    plan.write_text("Epic,Key,Title\nLedger v2,E1-S1,Write the dual-write path\n", encoding="utf-8")
    item = load_plan(plan).items[0]
    assert (item.title, item.extra) == ("Write the dual-write path", {"Epic": "Ledger v2"})


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Headcount (FTE)", "headcount"),
        ("Team size", "headcount"),
        ("Eng headcount", "headcount"),
        ("Engineers", "headcount"),
        ("On-call size", "oncall_rotation"),
    ],
)
def test_teams_aliases(tmp_path, header, field):
    path = write_xlsx(
        tmp_path / "p.xlsx",
        {
            "Items": [["Key", "Title", "Team"], ["A-1", "One", "core"]],
            "Teams": [["Team", header], ["core", 6]],
        },
    )
    plan = load_plan(path)
    assert getattr(plan.teams[0], field) == 6


# ---------------------------------------------------------------- the column map


def test_columns_in_the_config_and_map_on_the_command_line(tmp_path):
    plan = tmp_path / "p.csv"
    plan.write_text(
        "Ref,Deliverable headline,Owning pod,Cost (eng-months)\nA-1,Move the ledger,core,2\n",
        encoding="utf-8",
    )
    config = tmp_path / "roadmap-audit.toml"
    config.write_text(
        '[columns]\n"Owning pod" = "team"\n"Cost (eng-months)" = "estimate"\n', encoding="utf-8"
    )
    result = run_cli(
        "validate",
        str(plan),
        "--config",
        str(config),
        "--map",
        "Deliverable headline=title",
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["items"] == 1
    assert data["headers"][0]["columns"] == [
        {"column": "A", "header": "Ref", "read_as": "key"},
        {
            "column": "B",
            "header": "Deliverable headline",
            "read_as": "title (set in the column map)",
        },
        {"column": "C", "header": "Owning pod", "read_as": "team (set in the column map)"},
        {
            "column": "D",
            "header": "Cost (eng-months)",
            "read_as": "estimate (set in the column map)",
        },
    ]


def test_a_map_names_its_sheet(tmp_path):
    path = write_xlsx(
        tmp_path / "p.xlsx",
        {
            "Items": [["Key", "Title", "Team"], ["A-1", "One", "core"]],
            "Teams": [["Team", "Bodies"], ["core", 7]],
        },
    )
    plan = load_plan(path, mapping={"*": {"Bodies": "teams.headcount"}})
    assert plan.teams[0].headcount == 7


def test_a_map_whose_header_no_sheet_has_is_noted(tmp_path):
    plan = tmp_path / "p.csv"
    plan.write_text("Key,Title,Owning pod\nA-1,One,core\n", encoding="utf-8")
    loaded = load_plan(plan, mapping={"*": {"Owning pod": "team", "Owing pod": "owner"}})
    assert loaded.items[0].team == "core"
    assert [i.problem for i in loaded.issues] == [
        "the column map names 'Owing pod', which no sheet read has as a header; not used (check the spelling)"
    ]


def test_a_map_to_a_field_that_does_not_exist_is_exit_2_naming_the_fields(tmp_path):
    plan = tmp_path / "p.csv"
    plan.write_text("Key,Title,Squad lead\nA-1,One,core\n", encoding="utf-8")
    result = run_cli("audit", str(plan), "--format", "json", "--map", "Squad lead=teem")
    assert result.returncode == 2 and result.stdout == ""
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1
    assert (
        "the column map reads 'Squad lead' as 'teem', which is no field ([columns]); did you mean 'team'?"
        in line
    )
    assert "items: key, title, team, kind, estimate" in line
    with pytest.raises(InputError, match=r"\[mapping.items\]\); did you mean 'owner'"):
        load_plan(plan, mapping={"items": {"Squad lead": "ownr"}})
    with pytest.raises(InputError, match="names a sheet 'squads' that does not exist"):
        load_plan(plan, mapping={"*": {"Squad lead": "squads.team"}})
    bad = run_cli("validate", str(plan), "--map", "no equals sign")
    assert bad.returncode == 2 and "is not HEADER=FIELD" in bad.stderr


# ---------------------------------------------------------------- unknown columns shown


def test_unknown_columns_are_in_the_json_items_and_the_html_item_details(tmp_path):
    plan = roadmap_csv(tmp_path / "roadmap.csv")
    out = tmp_path / "r.json"
    result = run_cli("audit", str(plan), "-o", str(out))
    assert result.returncode == 0, result.stderr
    items = {i["key"]: i for i in json.loads(out.read_text(encoding="utf-8"))["items"]}
    assert items["E1-F1-S1"]["extra"] == {"Id": ULIDS[0], "Sponsor": "Finance"}
    assert items["E1-F2-S1"]["extra"] == {"Id": ULIDS[2]}
    html = tmp_path / "r.html"
    assert run_cli("audit", str(plan), "-o", str(html)).returncode == 0
    text = html.read_text(encoding="utf-8")
    assert (
        f'<span class="nowrap">Id:</span> {ULIDS[0]}; <span class="nowrap">Sponsor:</span> Finance'
        in text
    )
