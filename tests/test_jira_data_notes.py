"""Data no longer lost without a note: story points with no points_per_week, two Jira sites' pages
in one folder, and one note per cause instead of one per row."""

from __future__ import annotations

import csv
import io
import json

import openpyxl

from roadmap_audit.load import load_plan

from .conftest import audit_of, run_cli

JIRA = [
    "Summary",
    "Issue key",
    "Issue id",
    "Issue Type",
    "Status",
    "Custom field (Team)",
    "Custom field (Story Points)",
]


def write_csv(path, rows):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def points_export(tmp_path):
    rows = [JIRA] + [
        [f"Work {n}", f"PAY-{n}", str(100 + n), "Story", "To Do", "payments", str(3 * n)]
        for n in range(1, 6)
    ]
    rows += [["Ledger", "LED-1", "201", "Story", "To Do", "ledger", ""]]
    rows += [
        ["Old work", "PAY-9", "109", "Story", "Done", "payments", "8"]
    ]  # done: not planned work
    return write_csv(tmp_path / "Jira.csv", rows)


def problems(audit):
    return [i["problem"] for i in audit.data_quality.issues]


# ------------------------------------------------------------------ story points, no points_per_week


def test_jira_story_points_without_points_per_week_are_noted_per_team_and_planned_is_unknown(
    tmp_path,
):
    audit = audit_of(points_export(tmp_path))
    notes = [p for p in problems(audit) if "story points" in p]
    assert notes == [
        "team payments: 5 open items are estimated only in story points (45 points: PAY-1, PAY-2, PAY-3, PAY-4, "
        "PAY-5) and the team has no points_per_week to turn points into engineer-weeks: they count as "
        "unestimated and the team's planned work is not known; add a row for payments with its headcount and "
        "points_per_week (story points one engineer finishes in a week) to a Teams sheet (roadmap-audit template "
        "teams.xlsx --from PLAN writes one to fill in) and audit with --context teams.xlsx"
    ]
    teams = {t.team: t for t in audit.teams}
    pay, ledger = teams["payments"], teams["ledger"]
    assert (pay.planned_known, pay.points_unconverted) == (
        False,
        ["PAY-1", "PAY-2", "PAY-3", "PAY-4", "PAY-5"],
    )
    assert "planned work not known" in pay.status_text and pay.status == "not checked"
    assert (ledger.planned_known, ledger.points_unconverted) == (
        True,
        [],
    )  # no points: nothing to convert
    data = json.loads(audit.model_dump_json())
    assert {t["team"]: t["planned_known"] for t in data["teams"]} == {
        "payments": False,
        "ledger": True,
    }


def test_the_text_report_shows_unknown_planned_work_not_zero(tmp_path):
    result = run_cli(
        "audit", str(points_export(tmp_path)), "--format", "text", "-o", str(tmp_path / "r.txt")
    )
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "r.txt").read_text(encoding="utf-8")
    payments = next(line for line in text.splitlines() if line.startswith("payments "))
    assert "unknown" in payments.split() and " 0.0 " not in payments
    html = run_cli("audit", str(points_export(tmp_path)), "-o", str(tmp_path / "r.html"))
    assert html.returncode == 0, html.stderr
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "5 in story points, not converted" in page


def test_validate_says_the_points_are_not_converted(tmp_path):
    result = run_cli("validate", str(points_export(tmp_path)))
    assert "team payments: 5 open items are estimated only in story points" in result.stdout
    assert "no data problems" not in result.stdout


def _workbook(tmp_path, teams_header, teams_row):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Items"
    ws.append(["key", "title", "team", "points", "estimate"])
    ws.append(["W-1", "Checkout", "web", 13, None])
    ws.append(["W-2", "Search", "web", 8, None])
    ws.append(["W-3", "Cart", "web", None, "2w"])
    teams = wb.create_sheet("Teams")
    teams.append(teams_header)
    teams.append(teams_row)
    path = tmp_path / "plan.xlsx"
    wb.save(path)
    return path


def test_a_workbooks_points_column_without_points_per_week_never_reads_as_fits(tmp_path):
    audit = audit_of(_workbook(tmp_path, ["team", "headcount"], ["web", 4]))
    web = audit.teams[0]
    # the 2 weeks of W-3 are a floor, not the team's planned work: the load is not checked
    assert (web.planned_weeks, web.planned_known, web.points_unconverted) == (
        2.0,
        False,
        ["W-1", "W-2"],
    )
    assert web.status == "not checked" and web.status_text.startswith("load not checked: at least ")
    note = next(i for i in audit.data_quality.issues if "story points" in i["problem"])
    assert note["location"] == "Teams!A2"
    assert note["problem"].endswith(
        "add a column points_per_week (story points one engineer finishes in a week) "
        "to the Teams sheet and fill it in for web"
    )


def test_an_empty_points_per_week_cell_is_named_and_a_filled_one_converts(tmp_path):
    audit = audit_of(
        _workbook(tmp_path, ["team", "headcount", "points_per_week"], ["web", 4, None])
    )
    note = next(i for i in audit.data_quality.issues if "story points" in i["problem"])
    assert note["location"] == "Teams!C2" and "fill in points_per_week" in note["problem"]
    converted = audit_of(
        _workbook(tmp_path, ["team", "headcount", "points_per_week"], ["web", 4, 7])
    )
    web = converted.teams[0]
    assert (web.planned_weeks, web.planned_known, web.points_unconverted) == (5.0, True, [])
    assert not [i for i in converted.data_quality.issues if "story points" in i["problem"]]
    assert web.status != "not checked"


# ------------------------------------------------------------------ two Jira sites in one folder

ALPHA_FIELDS = [
    {"id": "customfield_10001", "name": "Team", "custom": True, "schema": {"type": "option"}},
    {
        "id": "customfield_10002",
        "name": "Story Points",
        "custom": True,
        "schema": {"type": "number"},
    },
    {"id": "customfield_10003", "name": "Rank", "custom": True, "schema": {"type": "any"}},
]
# The same ids on another site mean other fields: Jira numbers every site's custom fields from 10000.
BETA_FIELDS = [
    {"id": "customfield_10001", "name": "Flagged", "custom": True, "schema": {"type": "array"}},
    {"id": "customfield_10002", "name": "Rank", "custom": True, "schema": {"type": "string"}},
    {"id": "customfield_10003", "name": "Epic Link", "custom": True, "schema": {"type": "any"}},
    {"id": "customfield_10100", "name": "Team", "custom": True, "schema": {"type": "option"}},
    {
        "id": "customfield_10101",
        "name": "Story point estimate",
        "custom": True,
        "schema": {"type": "number"},
    },
]


def jira_issue(site, key, **custom):
    number = key.split("-")[1]
    return {
        "id": number,
        "key": key,
        "self": f"https://{site}/rest/api/2/issue/{number}",
        "fields": {
            "summary": f"Work {key}",
            "issuetype": {"name": "Story"},
            "status": {"name": "To Do", "statusCategory": {"key": "new", "name": "To Do"}},
            **custom,
        },
    }


def page(*issues):
    return {"startAt": 0, "maxResults": 50, "total": len(issues), "issues": list(issues)}


def save(folder, name, data):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps(data), encoding="utf-8")
    return folder / name


def alpha_page(site="alpha.atlassian.net"):
    return page(
        jira_issue(
            site,
            "PAY-1",
            customfield_10001={"value": "payments"},
            customfield_10002=5,
            customfield_10003="0|i0001:",
        ),
        jira_issue(
            site,
            "PAY-2",
            customfield_10001={"value": "payments"},
            customfield_10002=3,
            customfield_10003="0|i0002:",
        ),
    )


def beta_page(site="jira.beta.example.com"):
    return page(
        jira_issue(
            site,
            "LED-7",
            customfield_10001=None,
            customfield_10002="0|hzzz:",
            customfield_10100={"value": "ledger"},
            customfield_10101=8,
        )
    )


def test_two_sites_pages_in_one_folder_each_take_their_own_field_list(tmp_path):
    save(tmp_path, "alpha-search.json", alpha_page())
    save(tmp_path, "beta-search.json", beta_page())
    save(tmp_path, "alpha-fields.json", ALPHA_FIELDS)
    save(tmp_path, "beta-fields.json", BETA_FIELDS)  # read last: it used to name every page
    plan = load_plan(tmp_path)
    got = {i.key: (i.team, i.estimate_points) for i in plan.items}
    assert got == {"PAY-1": ("payments", 5.0), "PAY-2": ("payments", 3.0), "LED-7": ("ledger", 8.0)}
    assert not [i for i in plan.issues if "field list" in i.problem or "no name" in i.problem]


def test_a_field_list_of_another_site_is_not_used_and_says_so(tmp_path):
    folder = tmp_path / "export"
    search = save(folder, "search.json", alpha_page())
    save(folder, "fields.json", BETA_FIELDS)
    plan = load_plan(search)
    assert {i.key: (i.team, i.estimate_points) for i in plan.items} == {
        "PAY-1": ("PAY", None),
        "PAY-2": ("PAY", None),
    }
    notes = [(i.ref.location, i.problem) for i in plan.issues if "does not fit" in i.problem]
    assert notes == [
        (
            str(folder / "fields.json"),
            "this field list does not fit the pages of alpha.atlassian.net: 2 of their 3 custom fields "
            "are missing from it or hold values of another type (customfield_10001, customfield_10002), "
            "so it is from another Jira site and was not used to name them",
        )
    ]


def test_two_field_lists_that_both_fit_and_disagree_are_not_guessed(tmp_path):
    bare = [{k: v for k, v in f.items() if k != "schema"} for f in ALPHA_FIELDS]
    other = [dict(f, name="Flagged") if f["id"] == "customfield_10001" else f for f in bare]
    no_self = alpha_page()
    for raw in no_self["issues"]:
        del raw["self"]
    save(tmp_path, "search.json", no_self)
    save(tmp_path, "fields-1.json", bare)
    save(tmp_path, "fields-2.json", other)
    plan = load_plan(tmp_path)
    assert {i.key: (i.team, i.estimate_points) for i in plan.items} == {
        "PAY-1": ("PAY", 5.0),
        "PAY-2": ("PAY", 3.0),
    }
    assert [i.problem for i in plan.issues if "cannot be told" in i.problem] == [
        f"1 custom field is named differently by field lists that each fit the pages (customfield_10001: 'Team' "
        f"in {tmp_path}/fields-1.json, 'Flagged' in {tmp_path}/fields-2.json), and which list belongs to them "
        "cannot be told; those fields were not read (give only the field list of the pages' own Jira site, or "
        "name the field with [jira] in the config)"
    ]


def test_each_sites_names_from_expand_names_stay_with_its_pages(tmp_path):
    alpha, beta = alpha_page(), beta_page()
    alpha["names"] = {f["id"]: f["name"] for f in ALPHA_FIELDS}
    beta["names"] = {f["id"]: f["name"] for f in BETA_FIELDS}
    save(tmp_path, "1.json", alpha)
    save(tmp_path, "2.json", beta)
    plan = load_plan(tmp_path)
    assert {i.key: (i.team, i.estimate_points) for i in plan.items} == {
        "PAY-1": ("payments", 5.0),
        "PAY-2": ("payments", 3.0),
        "LED-7": ("ledger", 8.0),
    }


# ------------------------------------------------------------------ one note per cause


def test_jira_notes_repeated_per_row_become_one_note_per_cause(tmp_path):
    header = [
        "Summary",
        "Issue key",
        "Issue id",
        "Issue Type",
        "Status",
        "Parent id",
        "Outward issue link (Blocks)",
    ]
    rows = [header, ["Epic", "PAY-1", "100", "Epic", "To Do", "", ""]]
    rows += [
        [f"No key {n}", "", str(200 + n), "Story", "To Do", "100", ""] for n in range(1, 5)
    ]  # rows 3-6
    rows += [
        [f"Orphan {n}", f"PAY-{10 + n}", str(300 + n), "Story", "To Do", str(9000 + n), ""]
        for n in range(1, 4)
    ]  # rows 7-9
    rows += [
        ["Lone orphan", "PAY-20", "400", "Story", "To Do", "100", "OUT-1"]
    ]  # row 10: one of its kind
    plan = load_plan(write_csv(tmp_path / "Jira.csv", rows))
    notes = [(i.ref.location, i.problem) for i in plan.issues]
    assert (
        "Jira.csv!3",
        "no issue key; a key was made from its issue id, or its row, and is shown beside each "
        "(4 rows alike: row 3 (id-201), row 4 (id-202), row 5 (id-203), row 6 (id-204))",
    ) in notes
    assert (
        "Jira.csv!F7",
        "parent issue id not in this export; these issues have no parent in the plan "
        "(3 rows alike: column F, row 7 (parent 9001), row 8 (parent 9002), row 9 (parent 9003))",
    ) in notes
    # a cause met once keeps its own words
    assert (
        "Jira.csv!G10",
        "PAY-20 is needed by OUT-1 (Blocks link), which is not in this export; the dependency "
        "was kept as a link",
    ) in notes
    assert not [p for _, p in notes if p.startswith("no issue key; 'id-")]
    assert plan.rows_read == plan.rows_used == 9


def test_json_notes_name_the_issues_of_a_cause(tmp_path):
    issues = [jira_issue("alpha.atlassian.net", f"PAY-{n}") for n in range(1, 15)]
    for raw in issues:
        del raw["fields"]["summary"]
    plan = load_plan(save(tmp_path, "search.json", page(*issues)))
    assert [i.problem for i in plan.issues if "no summary" in i.problem] == [
        "no summary; the key is used as its title (14 issues alike: PAY-1, PAY-2, PAY-3, PAY-4, PAY-5, PAY-6, PAY-7, "
        "PAY-8, PAY-9, PAY-10, PAY-11, PAY-12 and 2 more)"
    ]


def test_rows_not_used_are_one_note_that_keeps_every_row_so_rows_used_stays_exact(tmp_path):
    rows = [JIRA] + [["Same", "PAY-1", "1", "Story", "To Do", "payments", ""]] * 3
    plan = load_plan(write_csv(tmp_path / "Jira.csv", rows))
    assert [(i.ref.location, i.problem, i.rows) for i in plan.issues if i.row_dropped] == [
        (
            "Jira.csv!B3",
            "issue PAY-1 appears again (first at Jira.csv!B2); this copy was not used "
            "(2 rows alike: column B, rows 3-4)",
            (3, 4),
        )
    ]
    assert (plan.rows_read, plan.rows_used) == (3, 1)


def test_a_floor_already_over_capacity_is_over_capacity_at_least(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Items"
    for row in (
        ["key", "title", "team", "points", "estimate"],
        ["W-1", "Checkout", "web", 13, None],
        ["W-2", "Rewrite", "web", None, "30w"],
    ):
        ws.append(row)
    wb.create_sheet("Teams").append(["team", "headcount"])
    wb["Teams"].append(["web", 1])
    wb.save(tmp_path / "plan.xlsx")
    web = audit_of(tmp_path / "plan.xlsx").teams[0]
    assert web.status == "over capacity" and web.status_text.startswith("over capacity: at least ")
    assert web.planned_known is False and web.points_unconverted == ["W-1"]
