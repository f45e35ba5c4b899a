"""Jira CSV exports: columns by name in English and Spanish, repeated headers,
seconds, localized dates, link direction, hierarchy and the epic roll-up."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from roadmap_audit.config import JiraConfig
from roadmap_audit.load import load_plan
from roadmap_audit.load.jira_common import Link, dependency_edge
from roadmap_audit.model import SourceRef

from .conftest import REAL_EXPORTS

D = dt.date
EN = ["Summary", "Issue key", "Issue id", "Issue Type", "Status"]


def write(tmp_path, rows, name="Jira.csv", bom=False):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8"))
    return path


def items(plan):
    return {i.key: i for i in plan.items}


def real(name):
    path = REAL_EXPORTS / "csv" / name
    if not REAL_EXPORTS.is_dir():
        pytest.skip("../shared/real-exports is not beside the project")
    return path


# ------------------------------------------------------------------ columns


def test_columns_are_found_by_name_whatever_their_order_or_case(tmp_path):
    a = write(
        tmp_path,
        [EN + ["Due date"], ["Title A", "AB-1", "10", "Story", "To Do", "22/Sep/25 9:26 AM"]],
        "a.csv",
    )
    b = write(
        tmp_path,
        [
            ["DUE DATE", "issue type", "ISSUE KEY", "summary", "Issue Id", "status"],
            ["22/Sep/25 9:26 AM", "Story", "AB-1", "Title A", "10", "To Do"],
        ],
        "b.csv",
    )
    first, second = items(load_plan(a))["AB-1"], items(load_plan(b))["AB-1"]
    assert (first.title, first.kind_raw, first.due) == (second.title, second.kind_raw, second.due)
    assert first.due == D(2025, 9, 22)


def test_repeated_headers_are_packed_into_lists(tmp_path):
    path = write(
        tmp_path,
        [
            EN + ["Labels", "Labels", "Labels", "Components", "Components", "Sprint", "Sprint"],
            ["T", "AB-1", "1", "Story", "To Do", "a", "b", "", "billing", "ledger", "S1", ""],
            ["U", "AB-2", "2", "Story", "To Do", "c", "", "", "", "", "", ""],
        ],
    )
    got = items(load_plan(path))
    assert got["AB-1"].labels == ["a", "b"] and got["AB-1"].services == ["billing", "ledger"]
    assert got["AB-1"].extra["Sprint"] == "S1"
    assert got["AB-2"].labels == ["c"] and got["AB-2"].services == []


def test_spanish_export_headers_and_dates(tmp_path):
    header = [
        "Resumen",
        "Clave de incidencia",
        "ID de la incidencia",
        "Tipo de Incidencia",
        "Estado",
        "Persona asignada",
        "Fecha de vencimiento",
        "Etiquetas",
        "Etiquetas",
        "Estimación original",
        "Campo personalizado (Fecha de inicio)",
        "Campo personalizado (Team)",
        "Categoría de estado",
        "Enlace a la incidencia interna (Blocks)",
        "Enlace de incidencia saliente (Blocks)",
        "Principal",
        "Clave principal",
    ]
    path = write(
        tmp_path,
        [
            header,
            [
                "Épica de pagos",
                "CAR-1",
                "10011",
                "Epic",
                "Por hacer",
                "",
                "",
                "",
                "",
                "",
                "",
                "pagos",
                "Por hacer",
                "",
                "",
                "",
                "",
            ],
            [
                "Migrar el libro mayor",
                "CAR-2",
                "10012",
                "Historia",
                "Listo",
                "Ana",
                "04/ago/26 11:30 PM",
                "x",
                "y",
                "57600",
                "01/jul/26 9:00 AM",
                "pagos",
                "Listo",
                "CAR-3",
                "",
                "10011",
                "CAR-1",
            ],
            [
                "Conciliación",
                "CAR-3",
                "10013",
                "Historia",
                "En curso",
                "",
                "30/sep/26 12:00 AM",
                "",
                "",
                "",
                "",
                "pagos",
                "En curso",
                "",
                "CAR-2",
                "10011",
                "",
            ],
        ],
    )
    got = items(load_plan(path))
    two = got["CAR-2"]
    assert (two.title, two.owner, two.team, two.labels) == (
        "Migrar el libro mayor",
        "Ana",
        "pagos",
        ["x", "y"],
    )
    assert (two.start, two.due) == (D(2026, 7, 1), D(2026, 8, 4))
    assert two.estimate_weeks == pytest.approx(57600 / 3600 / 40)
    assert two.done and not got["CAR-3"].done
    assert two.depends_on == ["CAR-3"]  # mirrored on CAR-3 as an outward link: still one edge
    assert (
        two.parent == "CAR-1" and got["CAR-3"].parent == "CAR-1"
    )  # Principal joined on the issue id


def test_custom_field_prefix_in_polish(tmp_path):
    path = write(
        tmp_path,
        [
            [
                "Podsumowanie",
                "Klucz zgłoszenia",
                "Id. zgłoszenia",
                "Termin",
                "Pole niestandardowe (Team)",
            ],
            ["Zadanie", "PL-1", "5", "12/lut/21 10:19 PM", "core"],
        ],
    )
    item = items(load_plan(path))["PL-1"]
    assert (item.title, item.team, item.due) == ("Zadanie", "core", D(2021, 2, 12))


def test_evidence_points_at_the_csv_cell_and_carries_the_key(tmp_path):
    path = write(
        tmp_path,
        [
            EN + ["Custom field (Rollback plan)"],
            ["A", "AB-1", "1", "Story", "To Do", ""],
            ["B", "AB-2", "2", "Story", "To Do", "flip the flag back"],
        ],
    )
    item = items(load_plan(path))["AB-2"]
    assert item.ref.location == "Jira.csv!B3" and item.ref.key == "AB-2"
    assert item.rollback_plan == "flip the flag back"
    assert item.ref.at(item.columns["rollback_plan"]).location == "Jira.csv!F3"


# ------------------------------------------------------------------ estimates


def test_seconds_become_engineer_weeks(tmp_path):
    path = write(
        tmp_path,
        [
            EN
            + [
                "Original estimate",
                "Σ Original Estimate",
                "Custom field (Story Points)",
                "Custom field (Story point estimate)",
                "Parent",
            ],
            ["A", "AB-1", "1", "Story", "To Do", "144000", "144000", "", "", ""],
            ["B", "AB-2", "2", "Story", "To Do", "", "288000", "", "", ""],
            ["C", "AB-3", "3", "Story", "To Do", "", "", "", "5.0", ""],
            ["D", "AB-4", "4", "Story", "To Do", "", "216000", "8.0", "", ""],
            ["E", "AB-5", "5", "Sub-task", "To Do", "72000", "72000", "", "", "4"],
        ],
    )
    got = items(load_plan(path))
    assert got["AB-1"].estimate_weeks == 1.0  # 144000 s / 3600 / 40 h
    assert (
        got["AB-2"].estimate_weeks == 2.0
    )  # only Σ given and no sub-task in the export: Σ is used
    assert got["AB-3"].estimate_points == 5.0 and got["AB-3"].estimate_weeks is None
    # AB-4's sub-task AB-5 is in the export: Σ would count AB-5 twice, so AB-4 has no estimate of its own
    assert got["AB-4"].estimate_weeks is None and got["AB-4"].estimate_points == 8.0
    assert got["AB-5"].estimate_weeks == 0.5


def test_the_remaining_estimate_is_the_work_the_quarter_still_holds(tmp_path):
    path = write(
        tmp_path,
        [
            EN
            + [
                "Original estimate",
                "Remaining Estimate",
                "Σ Original Estimate",
                "Σ Remaining Estimate",
            ],
            ["A", "AB-1", "1", "Story", "In Progress", "288000", "144000", "288000", "144000"],
            ["B", "AB-2", "2", "Story", "To Do", "144000", "144000", "", ""],
            ["C", "AB-3", "3", "Story", "To Do", "", "72000", "", ""],
            ["D", "AB-4", "4", "Story", "To Do", "", "", "288000", "216000"],
        ],
    )
    got = items(load_plan(path))
    assert (got["AB-1"].estimate_weeks, got["AB-1"].estimate_raw) == (
        1.0,
        "144000 seconds remaining of 288000",
    )
    assert (got["AB-2"].estimate_weeks, got["AB-2"].estimate_raw) == (1.0, "144000 seconds")
    assert got["AB-3"].estimate_weeks == 0.5  # only a remaining estimate
    assert got["AB-4"].estimate_weeks == 1.5  # Σ remaining, as no sub-task is in the export


def test_a_t_shirt_size_field_is_an_estimate_when_there_is_no_time_or_points(tmp_path):
    path = write(
        tmp_path,
        [
            EN + ["Original estimate", "Custom field (T-Shirt Size)"],
            ["A", "AB-1", "1", "Epic", "To Do", "", "L"],
            ["B", "AB-2", "2", "Epic", "To Do", "144000", "XL"],  # time wins
            ["C", "AB-3", "3", "Epic", "To Do", "", "Huge"],
        ],
    )
    plan = load_plan(path)
    got = {i.key: (i.estimate_weeks, i.estimate_size, i.estimate_raw) for i in plan.items}
    assert got == {
        "AB-1": (None, "L", "L"),
        "AB-2": (1.0, None, "144000 seconds"),
        "AB-3": (None, None, "Huge"),
    }
    assert [(i.ref.location, i.problem) for i in plan.issues if "T-shirt" in i.problem] == [
        (
            "Jira.csv!G4",
            "size 'Huge' is not a T-shirt size (XS, S, M, L, XL, XXL); the issue counts as unestimated",
        )
    ]


def test_jira_seconds_are_weeks_of_the_working_week_given(tmp_path):
    path = write(
        tmp_path, [EN + ["Original estimate"], ["A", "AB-1", "1", "Story", "To Do", "144000"]]
    )
    assert load_plan(path).items[0].estimate_weeks == pytest.approx(144000 / 3600 / 40)
    plan = load_plan(path, hours_per_week=32)
    assert plan.items[0].estimate_weeks == pytest.approx(144000 / 3600 / 32)


def test_an_absurd_estimate_is_reported_not_used(tmp_path):
    path = write(
        tmp_path, [EN + ["Original estimate"], ["A", "AB-1", "1", "Story", "To Do", "99999999999"]]
    )
    plan = load_plan(path)
    assert plan.items[0].estimate_weeks is None
    assert any(
        "ten engineer-years" in i.problem and i.ref.location == "Jira.csv!F2" for i in plan.issues
    )


def test_an_unreadable_date_is_reported_and_left_out(tmp_path):
    path = write(tmp_path, [EN + ["Due date"], ["A", "AB-1", "1", "Story", "To Do", "someday"]])
    plan = load_plan(path)
    assert plan.items[0].due is None
    assert [i.ref.location for i in plan.issues if "due" in i.problem] == ["Jira.csv!F2"]


# ------------------------------------------------------------------ links


def _link_plan(tmp_path, header, rows):
    return items(load_plan(write(tmp_path, [EN + header, *rows])))


def test_inward_blocks_means_the_other_issue_blocks_this_one(tmp_path):
    got = _link_plan(
        tmp_path,
        ["Inward issue link (Blocks)"],
        [["X", "AB-1", "1", "Story", "To Do", "AB-2"], ["Y", "AB-2", "2", "Story", "To Do", ""]],
    )
    assert got["AB-1"].depends_on == ["AB-2"] and got["AB-2"].depends_on == []
    assert got["AB-1"].columns["depends_on"] == "F"


def test_outward_blocks_is_recorded_on_the_blocked_issue(tmp_path):
    got = _link_plan(
        tmp_path,
        ["Outward issue link (Blocks)"],
        [["X", "AB-1", "1", "Story", "To Do", "AB-2"], ["Y", "AB-2", "2", "Story", "To Do", ""]],
    )
    assert got["AB-2"].depends_on == ["AB-1"] and got["AB-1"].depends_on == []


def test_a_mirrored_blocks_link_gives_one_dependency(tmp_path):
    got = _link_plan(
        tmp_path,
        ["Inward issue link (Blocks)", "Outward issue link (Blocks)"],
        [
            ["X", "AB-1", "1", "Story", "To Do", "", "AB-2"],
            ["Y", "AB-2", "2", "Story", "To Do", "AB-1", ""],
        ],
    )
    assert got["AB-2"].depends_on == ["AB-1"] and got["AB-1"].depends_on == []


def test_a_custom_depends_type_with_a_trailing_space_reads_the_other_way(tmp_path):
    got = _link_plan(
        tmp_path,
        ["Enlace de incidencia saliente (Depende )", "Inward issue link (Depends)"],
        [
            ["X", "AB-1", "1", "Story", "To Do", "AB-2", ""],
            ["Y", "AB-2", "2", "Story", "To Do", "", ""],
            ["Z", "AB-3", "3", "Story", "To Do", "", "AB-1"],
        ],
    )
    # outward on AB-1: "AB-1 depends on AB-2"; inward on AB-3 holding AB-1: "AB-1 depends on AB-3"
    assert got["AB-1"].depends_on == ["AB-2", "AB-3"]
    assert got["AB-2"].depends_on == [] and got["AB-3"].depends_on == []


def test_other_link_types_are_links_not_dependencies(tmp_path):
    got = _link_plan(
        tmp_path,
        [
            "Outward issue link (Relates)",
            "Inward issue link (Cloners)",
            "Outward issue link (Duplicate)",
        ],
        [
            ["X", "AB-1", "1", "Story", "To Do", "AB-2", "AB-3", "ENG-9"],
            ["Y", "AB-2", "2", "Story", "To Do", "", "", ""],
        ],
    )
    assert got["AB-1"].depends_on == []
    assert got["AB-1"].links == [("Relates", "AB-2"), ("Cloners", "AB-3"), ("Duplicate", "ENG-9")]


def test_a_blocked_issue_outside_the_export_is_noted(tmp_path):
    plan = load_plan(
        write(
            tmp_path,
            [EN + ["Outward issue link (Blocks)"], ["X", "AB-1", "1", "Story", "To Do", "ENG-7"]],
        )
    )
    item = plan.items[0]
    assert item.depends_on == [] and ("Blocks", "ENG-7") in item.links
    assert any("ENG-7" in i.problem and i.ref.location == "Jira.csv!F2" for i in plan.issues)


def test_link_direction_table():
    ref = SourceRef(source="x")
    assert dependency_edge("X", Link("Blocks", "inward", "Y", ref)) == ("X", "Y")
    assert dependency_edge("X", Link("Blocks", "outward", "Y", ref)) == ("Y", "X")
    assert dependency_edge("X", Link("Depends ", "outward", "Y", ref)) == ("X", "Y")
    assert dependency_edge("X", Link("Depends", "inward", "Y", ref)) == ("Y", "X")
    assert dependency_edge("X", Link("Relates", "outward", "Y", ref)) is None
    # JSON names a custom type by its phrases
    assert dependency_edge("X", Link("Prerequisite", "outward", "Y", ref, "is blocked by")) == (
        "X",
        "Y",
    )


# ------------------------------------------------------------------ hierarchy, teams, status


def test_parents_from_parent_key_parent_id_and_epic_link(tmp_path):
    got = items(
        load_plan(
            write(
                tmp_path,
                [
                    EN + ["Parent", "Parent key", "Custom field (Epic Link)"],
                    ["Epic", "AB-1", "100", "Epic", "To Do", "", "", ""],
                    ["Story by key", "AB-2", "101", "Story", "To Do", "100", "AB-1", ""],
                    ["Story by id", "AB-3", "102", "Story", "To Do", "100", "", ""],
                    ["Story by epic link", "AB-4", "103", "Story", "To Do", "", "", "AB-1"],
                    ["Sub-task", "AB-5", "104", "Sub-task", "To Do", "102", "", ""],
                    ["Orphan", "AB-6", "105", "Sub-task", "To Do", "999", "", ""],
                ],
            )
        )
    )
    assert [got[k].parent for k in ("AB-1", "AB-2", "AB-3", "AB-4", "AB-5", "AB-6")] == [
        None,
        "AB-1",
        "AB-1",
        "AB-1",
        "AB-3",
        None,
    ]


def test_team_prefers_the_team_column_then_custom_fields_then_the_project_never_a_component(
    tmp_path,
):
    path = write(
        tmp_path,
        [
            EN
            + ["Project key", "Components", "Custom field (Squad)", "Custom field (Team)", "Team"],
            [
                "A",
                "AB-1",
                "1",
                "Story",
                "To Do",
                "AB",
                "billing",
                "squad-a",
                "team-a",
                "atlas-team",
            ],
            ["B", "AB-2", "2", "Story", "To Do", "AB", "billing", "squad-b", "team-b", ""],
            ["C", "AB-3", "3", "Story", "To Do", "AB", "billing", "squad-c", "", ""],
            ["D", "AB-4", "4", "Story", "To Do", "AB", "billing", "", "", ""],
            ["E", "AB-5", "5", "Story", "To Do", "AB", "", "", "", ""],
        ],
    )
    plan = load_plan(path)
    got = items(plan)
    # Components are services: AB-4's "billing" is its service, its team is the project's.
    assert [got[f"AB-{n}"].team for n in range(1, 6)] == [
        "atlas-team",
        "team-b",
        "squad-c",
        "AB",
        "AB",
    ]
    assert got["AB-4"].services == ["billing"] and got["AB-4"].extra["team from"] == "project key"
    assert any("project key for 2 issues" in i.problem for i in plan.issues)
    assert not any("component for" in i.problem for i in plan.issues)
    # ...unless the config asks for the component first
    asked = items(load_plan(path, jira=JiraConfig(team_fallback=["component", "project"])))
    assert asked["AB-4"].team == "billing" and asked["AB-4"].extra["team from"] == "first component"


def test_without_a_project_column_the_project_is_the_issue_keys_prefix(tmp_path):
    # An export of the current fields often has no Project column; the key still names the project.
    plan = load_plan(
        write(
            tmp_path,
            [
                EN,
                ["A", "PAY-1", "1", "Story", "To Do"],
                ["B", "DATA_2-14", "2", "Story", "To Do"],
                ["C", "", "3", "Story", "To Do"],  # no key at all: "id-3" names no project
            ],
        )
    )
    got = items(plan)
    assert (got["PAY-1"].team, got["DATA_2-14"].team, got["id-3"].team) == ("PAY", "DATA_2", None)
    assert got["PAY-1"].extra["team from"] == "project key"
    assert any("project key for 2 issues" in i.problem for i in plan.issues)
    assert any(i.problem.startswith("1 issue has no team") for i in plan.issues)
    assert (
        load_plan(
            write(tmp_path, [EN, ["A", "PAY-1", "1", "Story", "To Do"]]),
            jira=JiraConfig(team_fallback=["component"]),
        )
        .items[0]
        .team
        is None
    )


def test_the_config_names_the_team_field(tmp_path):
    path = write(
        tmp_path,
        [
            EN + ["Custom field (Team)", "Custom field (Pod)"],
            ["A", "AB-1", "1", "Story", "To Do", "team-a", "pod-a"],
        ],
    )
    for name in ("Custom field (Pod)", "pod"):
        assert load_plan(path, jira=JiraConfig(team_field=name)).items[0].team == "pod-a"
    assert load_plan(path, jira=JiraConfig(team_fallback=[])).items[0].team == "team-a"


def test_the_jira_section_of_the_config_file(tmp_path):
    from roadmap_audit.config import load_config
    from roadmap_audit.errors import InputError

    good = tmp_path / "good.toml"
    good.write_text('[jira]\nteam_field = "Custom field (Pod)"\n', encoding="utf-8")
    config = load_config(good, cwd=tmp_path)
    assert config.jira.team_field == "Custom field (Pod)"
    assert config.jira.team_fallback == ["project"]
    bad = tmp_path / "bad.toml"
    bad.write_text('[jira]\nteam_feild = "Pod"\n', encoding="utf-8")
    with pytest.raises(InputError, match="jira.team_feild"):
        load_config(bad, cwd=tmp_path)


def test_rollback_from_backout_plan_and_start_from_target_start(tmp_path):
    item = load_plan(
        write(
            tmp_path,
            [
                EN + ["Custom field (Backout plan)", "Custom field (Target start)"],
                ["A", "AB-1", "1", "Story", "To Do", "restore snapshot", "06/Jul/26 12:00 AM"],
            ],
        )
    ).items[0]
    assert (item.rollback_plan, item.start) == ("restore snapshot", D(2026, 7, 6))


def test_done_comes_from_the_status_category_when_there_is_one(tmp_path):
    got = items(
        load_plan(
            write(
                tmp_path,
                [
                    EN + ["Status Category"],
                    ["A", "AB-1", "1", "Story", "Shipped to prod", "Done"],
                    ["B", "AB-2", "2", "Story", "Closed", "In Progress"],
                ],
            )
        )
    )
    assert got["AB-1"].done and not got["AB-2"].done
    plain = items(
        load_plan(
            write(
                tmp_path,
                [EN, ["A", "AB-1", "1", "Story", "Done"], ["B", "AB-2", "2", "Story", "In Review"]],
                "p.csv",
            )
        )
    )
    assert plain["AB-1"].done and not plain["AB-2"].done


def test_two_custom_fields_with_one_name_are_reported_when_they_disagree(tmp_path):
    plan = load_plan(
        write(
            tmp_path,
            [
                EN + ["Custom field (Team)", "Custom field (Team)"],
                ["A", "AB-1", "1", "Story", "To Do", "team-a", "team-b"],
            ],
        )
    )
    assert plan.items[0].team == "team-a"
    assert any(
        "both named 'Custom field (Team)'" in i.problem and i.ref.location == "Jira.csv!G2"
        for i in plan.issues
    )


# ------------------------------------------------------------------ file quirks and accounting


def test_bom_embedded_newlines_and_tabs(tmp_path):
    path = write(
        tmp_path,
        [
            EN + ["Description"],
            ["\tStarts with a tab", "AB-1", "1", "Story", "To Do", 'line one\nline "two"'],
            ["Second", "AB-2", "2", "Story", "To Do", "x"],
        ],
        bom=True,
    )
    plan = load_plan(path)
    got = items(plan)
    assert got["AB-1"].title == "Starts with a tab"
    assert got["AB-1"].description == 'line one\nline "two"'
    assert (
        got["AB-2"].ref.location == "Jira.csv!B3"
    )  # rows count records, as a spreadsheet shows them
    assert plan.rows_read == 2 and not [
        i for i in plan.issues if "UTF-8" in i.problem or i.row_dropped
    ]


def test_invalid_utf8_in_a_csv_survives_with_a_note(tmp_path):
    path = tmp_path / "Jira.csv"
    path.write_bytes(",".join(EN).encode() + b"\nCaf\xe9 \xe2\x80\x3f,AB-1,1,Story,To Do\n")
    plan = load_plan(path)
    assert plan.items[0].title.startswith("Caf\ufffd")
    assert any("not UTF-8" in i.problem for i in plan.issues)


def test_a_repeated_key_is_reported_and_every_row_accounted_for(tmp_path):
    plan = load_plan(
        write(
            tmp_path,
            [
                EN,
                ["A", "AB-1", "1", "Story", "To Do"],
                ["A again", "AB-1", "1", "Story", "To Do"],
                ["", "", "3", "Story", "To Do"],
            ],
        )
    )
    dropped = [i for i in plan.issues if i.row_dropped]
    assert plan.rows_read == 3 and len(dropped) == 1 and dropped[0].ref.location == "Jira.csv!B3"
    assert plan.rows_used == 2 and {i.key for i in plan.items} == {"AB-1", "id-3"}


def test_a_plain_plan_csv_is_not_taken_for_a_jira_export(tmp_path):
    path = write(
        tmp_path,
        [["Issue key", "Summary", "Team", "Estimate"], ["AB-1", "A", "core", "2"]],
        "items.csv",
    )
    item = load_plan(path).items[0]
    assert (
        item.estimate_weeks == 2.0 and item.ref.sheet == "items"
    )  # the workbook reader's estimate in weeks


# ------------------------------------------------------------------ --level epic


def test_children_roll_up_into_their_epic(tmp_path):
    path = write(
        tmp_path,
        [
            EN
            + [
                "Assignee",
                "Due date",
                "Original estimate",
                "Parent",
                "Custom field (Epic Link)",
                "Inward issue link (Blocks)",
            ],
            ["Epic one", "AB-1", "1", "Epic", "To Do", "Lee", "01/Aug/26 12:00 AM", "", "", "", ""],
            [
                "S1",
                "AB-2",
                "2",
                "Story",
                "To Do",
                "Kim",
                "14/Aug/26 12:00 AM",
                "144000",
                "",
                "AB-1",
                "AB-6",
            ],
            [
                "S2",
                "AB-3",
                "3",
                "Story",
                "To Do",
                "Kim",
                "28/Aug/26 12:00 AM",
                "72000",
                "",
                "AB-1",
                "AB-2",
            ],
            ["T1", "AB-4", "4", "Sub-task", "To Do", "Ray", "", "36000", "3", "", ""],
            ["Epic two", "AB-5", "5", "Epic", "To Do", "Sam", "", "", "", "", ""],
            [
                "S3",
                "AB-6",
                "6",
                "Story",
                "To Do",
                "Sam",
                "04/Sep/26 12:00 AM",
                "144000",
                "",
                "AB-5",
                "",
            ],
            ["Loose", "AB-7", "7", "Task", "To Do", "Ann", "", "", "", "", "AB-4"],
        ],
    )
    plan = load_plan(path, level="epic")
    got = items(plan)
    assert set(got) == {"AB-1", "AB-5", "AB-7"}
    one = got["AB-1"]
    assert one.estimate_weeks == pytest.approx(1 + 0.5 + 0.25)  # stories and the sub-task, summed
    assert one.owner == "Kim"  # the most frequent owner among the children
    assert one.due == D(2026, 8, 28)  # the latest due date
    assert one.depends_on == [
        "AB-5"
    ]  # AB-2 waits for AB-6, which belongs to epic AB-5; AB-3 -> AB-2 is inside
    assert got["AB-7"].depends_on == ["AB-1"]  # a dependency on a sub-task points at its epic
    assert got["AB-5"].estimate_weeks == 1.0
    assert plan.rows_read == 7 and plan.rows_used == 7  # rolled-up rows are used, not dropped
    assert load_plan(path).items.__len__() == 7  # the default keeps every issue


# ------------------------------------------------------------------ real exports


def test_real_english_all_fields_export():
    plan = load_plan(real("cloud-en-allfields__ericmedlock_planeso-jira-migration__Jira.csv"))
    got = items(plan)
    assert plan.rows_read == 22 == len(plan.items)
    first = got["TES-25"]
    assert (first.kind_raw, first.status, first.team) == (
        "Task",
        "To Do",
        "TES",
    )  # team from the project key
    assert first.ref.location.endswith("Jira.csv!B2")
    assert any(i.due for i in plan.items)  # "18/Sep/25 12:00 AM" style


def test_real_spanish_all_fields_export_links_and_hierarchy():
    plan = load_plan(real("cloud-es-allfields__EdhuXav_IR_Formativa_ACGaP__Jira-1.csv"))
    got = items(plan)
    assert plan.rows_read == 39
    assert got["CARNICORE-8"].depends_on == ["CARNICORE-6", "CARNICORE-7"]
    assert got["CARNICORE-9"].depends_on == ["CARNICORE-8"]
    assert (
        got["CARNICORE-30"].parent == "CARNICORE-6" and got["CARNICORE-6"].parent == "CARNICORE-1"
    )
    assert got["CARNICORE-1"].labels[:2] == ["CLS_ProveedorController", "CP_TC01"]
    epics = items(
        load_plan(real("cloud-es-allfields__EdhuXav_IR_Formativa_ACGaP__Jira-1.csv"), level="epic")
    )
    assert set(epics) == {f"CARNICORE-{n}" for n in range(1, 6)}
    assert "CARNICORE-30" in epics["CARNICORE-1"].extra["rolled up"]  # sub-task -> story -> epic


def test_both_real_spanish_exports_give_every_issue_the_same_team():
    current = load_plan(real("cloud-es-currentfields__EdhuXav_IR_Formativa_ACGaP__Jira.csv"))
    every = load_plan(real("cloud-es-allfields__EdhuXav_IR_Formativa_ACGaP__Jira-1.csv"))
    assert {i.key: i.team for i in current.items} == {i.key: i.team for i in every.items}
    assert {i.team for i in current.items} == {"CARNICORE"}


def test_rows_under_the_header_are_read_as_they_are_used_not_all_at_once():
    from roadmap_audit.load import tables

    pulled = []

    def rows():
        yield ["Summary", "Issue key"]
        for n in range(1, 1000):
            pulled.append(n)
            yield [f"Item {n}", f"A-{n}"]

    sheet, body = tables.sheet_and_rows("Jira.csv", "Jira.csv", rows())
    assert sheet.headers == ["Summary", "Issue key"] and sheet.rows == [] and pulled == []
    first = next(body)
    assert first == (2, ["Item 1", "A-1"]) and pulled == [1]
    assert sum(1 for _ in body) == 998
