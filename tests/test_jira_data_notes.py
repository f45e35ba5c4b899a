"""Data no longer lost without a note: story points with no points_per_week, two Jira sites' pages
in one folder, and one note per cause instead of one per row."""

from __future__ import annotations

import csv
import io
import json

import openpyxl

from roadmap_audit.load import load_plan

from .conftest import audit_of, run_cli

JIRA = ["Summary", "Issue key", "Issue id", "Issue Type", "Status", "Custom field (Team)",
        "Custom field (Story Points)"]


def write_csv(path, rows):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def points_export(tmp_path):
    rows = [JIRA] + [[f"Work {n}", f"PAY-{n}", str(100 + n), "Story", "To Do", "payments", str(3 * n)]
                     for n in range(1, 6)]
    rows += [["Ledger", "LED-1", "201", "Story", "To Do", "ledger", ""]]
    rows += [["Old work", "PAY-9", "109", "Story", "Done", "payments", "8"]]  # done: not planned work
    return write_csv(tmp_path / "Jira.csv", rows)


def problems(audit):
    return [i["problem"] for i in audit.data_quality.issues]


# ------------------------------------------------------------------ story points, no points_per_week


def test_jira_story_points_without_points_per_week_are_noted_per_team_and_planned_is_unknown(tmp_path):
    audit = audit_of(points_export(tmp_path))
    notes = [p for p in problems(audit) if "story points" in p]
    assert notes == [
        "team payments: 5 open items are estimated only in story points (45 points: PAY-1, PAY-2, PAY-3, PAY-4, "
        "PAY-5) and the team has no points_per_week to turn points into engineer-weeks: they count as "
        "unestimated and the team's planned work is not known; add a row for payments with its headcount and "
        "points_per_week (story points one engineer finishes in a week) to a Teams sheet (roadmap-audit template "
        "teams.xlsx --from PLAN writes one to fill in) and audit with --context teams.xlsx"]
    teams = {t.team: t for t in audit.teams}
    pay, ledger = teams["payments"], teams["ledger"]
    assert (pay.planned_known, pay.points_unconverted) == (False, ["PAY-1", "PAY-2", "PAY-3", "PAY-4", "PAY-5"])
    assert "planned work not known" in pay.status_text and pay.status == "not checked"
    assert (ledger.planned_known, ledger.points_unconverted) == (True, [])  # no points: nothing to convert
    data = json.loads(audit.model_dump_json())
    assert {t["team"]: t["planned_known"] for t in data["teams"]} == {"payments": False, "ledger": True}


def test_the_text_report_shows_unknown_planned_work_not_zero(tmp_path):
    result = run_cli("audit", str(points_export(tmp_path)), "--format", "text", "-o", str(tmp_path / "r.txt"))
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
    assert (web.planned_weeks, web.planned_known, web.points_unconverted) == (2.0, False, ["W-1", "W-2"])
    assert web.status == "not checked" and web.status_text.startswith("load not checked: at least ")
    note = next(i for i in audit.data_quality.issues if "story points" in i["problem"])
    assert note["location"] == "Teams!A2"
    assert note["problem"].endswith("add a column points_per_week (story points one engineer finishes in a week) "
                                    "to the Teams sheet and fill it in for web")


def test_an_empty_points_per_week_cell_is_named_and_a_filled_one_converts(tmp_path):
    audit = audit_of(_workbook(tmp_path, ["team", "headcount", "points_per_week"], ["web", 4, None]))
    note = next(i for i in audit.data_quality.issues if "story points" in i["problem"])
    assert note["location"] == "Teams!C2" and "fill in points_per_week" in note["problem"]
    converted = audit_of(_workbook(tmp_path, ["team", "headcount", "points_per_week"], ["web", 4, 7]))
    web = converted.teams[0]
    assert (web.planned_weeks, web.planned_known, web.points_unconverted) == (5.0, True, [])
    assert not [i for i in converted.data_quality.issues if "story points" in i["problem"]]
    assert web.status != "not checked"
