"""Reading a Jira export stays linear: what a header or a field id means is decided once per file
(or site), and a value that repeats over many issues (a due date, an estimate, a status) is parsed
once. Counted in calls at n and 2n issues, never timed. And what is shared stays right per issue."""

from __future__ import annotations

import csv
import io
import json

from roadmap_audit.load import jira_common, jira_csv, jira_json, load_plan

HEADER = [
    "Summary",
    "Issue key",
    "Issue id",
    "Issue Type",
    "Status",
    "Due date",
    "Original estimate",
    "Labels",
    "Labels",
    "Inward issue link (Blocks)",
    "Custom field (Team)",
]
DUES = ["01/Aug/26 12:00 AM", "13/Sep/26 12:00 AM", "10/Aug/26 12:00 AM"]


def _csv(tmp_path, n: int):
    rows = [HEADER]
    for i in range(1, n + 1):
        blocks = "" if i % 2 else f"PAY-{i - 1}"  # PAY-1 blocks PAY-2, PAY-3 blocks PAY-4
        rows.append(
            [
                f"Ledger step {i}",
                f"PAY-{i}",
                str(10000 + i),
                "Story",
                "In Progress" if i % 3 else "To Do",
                DUES[i % 3],
                "432000" if i % 2 else "86400",
                "q3",
                "payments" if i % 2 else "",
                blocks,
                "team-pay",
            ]
        )
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path = tmp_path / f"jira-{n}.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _counting(monkeypatch, module, name):
    calls = []
    real = getattr(module, name)

    def counted(*args, **kwargs):
        if args and args[0] is not None:  # an empty field is no parsing
            calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_csv_headers_are_read_once_and_repeated_values_parsed_once(tmp_path, monkeypatch):
    seen = {}
    for n in (40, 80):
        classify = _counting(monkeypatch, jira_csv, "classify")
        dates = _counting(monkeypatch, jira_common, "parse_date")
        numbers = _counting(monkeypatch, jira_common, "parse_number")
        plan = load_plan(_csv(tmp_path, n))
        monkeypatch.undo()
        assert len(plan.items) == n
        seen[n] = (len(classify), len(dates), len(numbers))
    # the header is classified a fixed number of times (the sniff, then the read), whatever n is;
    # three distinct due dates and two distinct estimates are parsed once each, at any size
    assert seen[40] == seen[80]
    assert seen[80][1:] == (3, 2)


def test_csv_values_shared_between_issues_stay_each_issues_own(tmp_path):
    items = {i.key: i for i in load_plan(_csv(tmp_path, 6)).items}
    # PAY-1 blocks PAY-2 (on PAY-2's row): PAY-2's evidence names its link column; PAY-1 and PAY-3,
    # with the same filled columns, depend on nothing and name no link column
    assert items["PAY-2"].depends_on == ["PAY-1"]
    assert items["PAY-2"].columns["depends_on"] == "J"
    assert [items[k].depends_on for k in ("PAY-1", "PAY-3")] == [[], []]
    assert "depends_on" not in items["PAY-1"].columns | items["PAY-3"].columns
    # the same labels on two issues are two lists: changing one leaves the other as read
    items["PAY-1"].labels.append("changed")
    assert items["PAY-3"].labels == ["q3", "payments"]
    assert (items["PAY-1"].due, items["PAY-4"].due) == (items["PAY-4"].due, items["PAY-1"].due)
    assert (items["PAY-1"].estimate_weeks, items["PAY-2"].estimate_weeks) == (3.0, 0.6)
    assert items["PAY-3"].ref.location == "jira-6.csv!B4" and items["PAY-3"].ref.key == "PAY-3"


def test_json_field_ids_are_placed_once_per_site(tmp_path, monkeypatch):
    names = {"customfield_10301": "Squad", "customfield_10500": "Story point estimate"}
    seen = {}
    for n in (30, 60):
        folder = tmp_path / str(n)
        folder.mkdir()
        issues = [
            {
                "id": str(10000 + i),
                "key": f"C-{i}",
                "fields": {
                    "summary": f"Issue {i}",
                    "issuetype": {"name": "Story"},
                    "status": {"name": "To Do", "statusCategory": {"key": "new", "name": "To Do"}},
                    "customfield_10301": {"value": "squad-a"},
                    "customfield_10500": 3.0,
                    "customfield_10999": "not named",
                },
            }
            for i in range(1, n + 1)
        ]
        page = folder / "search.json"
        page.write_text(json.dumps({"issues": issues, "names": names}), encoding="utf-8")
        roles = _counting(monkeypatch, jira_json, "custom_role")
        plan = load_plan(page)
        monkeypatch.undo()
        assert [(i.team, i.estimate_points) for i in plan.items] == [("squad-a", 3.0)] * n
        seen[n] = len(roles)
    assert seen[30] == seen[60] == 2  # Squad and Story point estimate; the unnamed id is not read
