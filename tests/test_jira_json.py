"""Jira REST search JSON: both pagination styles, custom fields named through a
field list or `names`, ADF text, link direction, and the real Server responses."""

from __future__ import annotations

import datetime as dt
import json
import zlib

import pytest

from roadmap_audit.config import JiraConfig
from roadmap_audit.errors import InputError
from roadmap_audit.load import load_plan
from roadmap_audit.load.jira_json import adf_text

from .conftest import REAL_EXPORTS

FIELDS = [
    {"id": "summary", "name": "Summary", "custom": False},
    {"id": "customfield_10301", "name": "Squad", "custom": True},
    {"id": "customfield_10500", "name": "Story point estimate", "custom": True},
    {"id": "customfield_10777", "name": "Backout plan", "custom": True},
    {"id": "customfield_10015", "name": "Start date", "custom": True},
]


def issue(key, **fields):
    base = {
        "summary": f"Issue {key}",
        "issuetype": {"name": "Story"},
        "status": {"name": "To Do", "statusCategory": {"id": 2, "key": "new", "name": "To Do"}},
    }
    return {"id": str(zlib.crc32(key.encode())), "key": key, "fields": base | fields}


def blocks(direction, other, name="Blocks", outward="blocks", inward="is blocked by"):
    return {
        "id": "1",
        "type": {"name": name, "inward": inward, "outward": outward},
        f"{direction}Issue": {"key": other, "fields": {"summary": other}},
    }


def save(folder, name, data):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def items(plan):
    return {i.key: i for i in plan.items}


def real(name):
    if not REAL_EXPORTS.is_dir():
        pytest.skip("../shared/real-exports is not beside the project")
    return REAL_EXPORTS / "json" / name


# ------------------------------------------------------------------ pagination


def test_offset_pages_in_a_folder_are_read_together(tmp_path):
    save(
        tmp_path,
        "p1.json",
        {"startAt": 0, "maxResults": 2, "total": 3, "issues": [issue("A-1"), issue("A-2")]},
    )
    save(tmp_path, "p2.json", {"startAt": 2, "maxResults": 2, "total": 3, "issues": [issue("A-3")]})
    plan = load_plan(tmp_path)
    assert [i.key for i in plan.items] == ["A-1", "A-2", "A-3"] and plan.rows_read == 3
    assert not [i for i in plan.issues if "missing" in i.problem]


def test_a_gap_in_offset_pages_is_reported(tmp_path):
    save(
        tmp_path,
        "p1.json",
        {"startAt": 0, "maxResults": 2, "total": 6, "issues": [issue("A-1"), issue("A-2")]},
    )
    save(
        tmp_path,
        "p3.json",
        {"startAt": 4, "maxResults": 2, "total": 6, "issues": [issue("A-5"), issue("A-6")]},
    )
    problems = [i.problem for i in load_plan(tmp_path).issues]
    assert any("issues 3-4 of 6" in p and "startAt=2" in p for p in problems)


def test_token_pages_with_their_last_page_are_complete(tmp_path):
    save(
        tmp_path,
        "page-1.json",
        {"issues": [issue("B-1")], "nextPageToken": "tok-2", "isLast": False},
    )
    save(tmp_path, "page-2.json", {"issues": [issue("B-2")], "isLast": True})
    plan = load_plan(tmp_path)
    assert [i.key for i in plan.items] == ["B-1", "B-2"]
    assert not [i for i in plan.issues if "missing" in i.problem]


def test_token_pages_without_a_last_page_are_reported(tmp_path):
    save(
        tmp_path,
        "page-1.json",
        {"issues": [issue("B-1")], "nextPageToken": "tok-2", "isLast": False},
    )
    problems = [i.problem for i in load_plan(tmp_path).issues]
    assert any("isLast" in p and "tok-2" in p for p in problems)


def test_an_issue_on_two_pages_is_used_once(tmp_path):
    save(
        tmp_path,
        "p1.json",
        {"startAt": 0, "maxResults": 2, "total": 3, "issues": [issue("A-1"), issue("A-2")]},
    )
    save(
        tmp_path,
        "p2.json",
        {"startAt": 1, "maxResults": 2, "total": 3, "issues": [issue("A-2"), issue("A-3")]},
    )
    plan = load_plan(tmp_path)
    assert plan.rows_read == 4 and plan.rows_used == 3 and len(plan.items) == 3


def test_an_entry_without_fields_is_counted_and_reported(tmp_path):
    path = save(tmp_path, "p.json", {"issues": [issue("A-1"), {"key": "A-2"}, "junk"]})
    plan = load_plan(path)
    assert plan.rows_read == 3 and plan.rows_used == 1


# ------------------------------------------------------------------ custom fields


def _custom_page(**extra):
    return {
        "issues": [
            issue(
                "C-1",
                customfield_10301={"value": "squad-a"},
                customfield_10500=5.0,
                customfield_10777="restore the snapshot",
                customfield_10015="2026-07-06",
                components=[{"name": "billing"}],
            )
        ],
        **extra,
    }


def test_custom_fields_are_named_by_a_field_list_in_the_same_folder(tmp_path):
    page = save(tmp_path, "search.json", _custom_page())
    save(tmp_path, "fields.json", FIELDS)
    item = load_plan(page).items[0]
    assert (item.team, item.estimate_points, item.rollback_plan, item.start) == (
        "squad-a",
        5.0,
        "restore the snapshot",
        dt.date(2026, 7, 6),
    )
    assert item.columns["team"] == "customfield_10301"


def test_custom_fields_are_named_by_a_field_list_given_as_context(tmp_path):
    page = save(tmp_path / "pages", "search.json", _custom_page())
    fields = save(tmp_path / "meta", "field-list.json", FIELDS)
    plan = load_plan(page, [fields])
    assert plan.items[0].team == "squad-a" and str(fields) in plan.sources


def test_custom_fields_are_named_by_expand_names(tmp_path):
    names = {f["id"]: f["name"] for f in FIELDS}
    item = load_plan(save(tmp_path, "search.json", _custom_page(names=names))).items[0]
    assert (item.team, item.estimate_points) == ("squad-a", 5.0)


def test_without_names_custom_fields_are_not_guessed(tmp_path):
    plan = load_plan(save(tmp_path, "search.json", _custom_page()))
    item = plan.items[0]
    assert item.estimate_points is None and item.rollback_plan is None
    assert item.team == "C" and item.services == [
        "billing"
    ]  # a component is a service; the team is the project
    assert any("customfield_10301" in i.problem and "no name" in i.problem for i in plan.issues)


def test_the_config_may_name_a_field_by_its_id(tmp_path):
    plan = load_plan(
        save(tmp_path, "search.json", _custom_page()),
        jira=JiraConfig(team_field="customfield_10301"),
    )
    assert plan.items[0].team == "squad-a"


def test_a_context_json_that_is_not_a_field_list_is_an_error(tmp_path):
    page = save(tmp_path / "a", "search.json", _custom_page())
    other = save(tmp_path / "b", "other.json", {"issues": []})
    with pytest.raises(InputError, match="field list"):
        load_plan(page, [other])


# ------------------------------------------------------------------ values


def test_system_fields_and_adf_description(tmp_path):
    description = {
        "type": "doc",
        "version": 1,
        "content": [
            {
                "type": "paragraph",
                "content": [
                    {"type": "text", "text": "Move the "},
                    {"type": "text", "text": "ledger", "marks": [{"type": "strong"}]},
                ],
            },
            {
                "type": "bulletList",
                "content": [
                    {
                        "type": "listItem",
                        "content": [
                            {
                                "type": "paragraph",
                                "content": [
                                    {"type": "text", "text": "dual writes"},
                                    {"type": "hardBreak"},
                                    {"type": "mention", "attrs": {"text": "@Kim"}},
                                ],
                            }
                        ],
                    }
                ],
            },
        ],
    }
    raw = issue(
        "D-1",
        description=description,
        duedate="2026-09-25",
        timeoriginalestimate=288000,
        assignee={"accountId": "x", "displayName": "Kim Lee"},
        labels=["q3"],
        priority={"name": "High"},
        project={"key": "D"},
        issuetype={"name": "Epic", "hierarchyLevel": 1},
        status={"name": "Closed", "statusCategory": {"id": 3, "key": "done", "name": "Done"}},
    )
    item = load_plan(save(tmp_path, "s.json", {"issues": [raw]})).items[0]
    assert (
        item.description == "Move the ledger\ndual writes\n[~Kim]"
    )  # a mention, as Jira wiki markup writes it
    assert (
        item.due,
        item.estimate_weeks,
        item.owner,
        item.labels,
        item.priority,
        item.kind_raw,
    ) == (dt.date(2026, 9, 25), 2.0, "Kim Lee", ["q3"], "High", "Epic")
    assert item.done and item.team == "D"  # no team field, no component: the project key
    assert item.ref.location == "D-1"


def test_adf_text_ignores_what_it_does_not_know():
    assert (
        adf_text(
            {
                "type": "doc",
                "content": [
                    {"type": "mystery", "content": [{"type": "text", "text": "ok"}]},
                    "not a node",
                    {"type": "text"},
                ],
            }
        )
        == "ok"
    )


def test_mirrored_json_links_make_one_dependency_each_way_right(tmp_path):
    page = {
        "issues": [
            issue("E-1", issuelinks=[blocks("outward", "E-2")]),  # E-1 blocks E-2
            issue(
                "E-2", issuelinks=[blocks("inward", "E-1"), blocks("inward", "E-3")]
            ),  # the mirror, and E-3 blocks E-2
            issue(
                "E-3",
                issuelinks=[
                    blocks("outward", "E-2"),
                    {
                        "id": "9",
                        "type": {"name": "Cloners", "inward": "is cloned by", "outward": "clones"},
                        "outwardIssue": {"key": "E-1"},
                    },
                ],
            ),
        ]
    }
    got = items(load_plan(save(tmp_path, "s.json", page)))
    assert got["E-2"].depends_on == ["E-1", "E-3"]
    assert got["E-1"].depends_on == [] and got["E-3"].depends_on == []
    assert got["E-3"].links == [("Cloners", "E-1")]


def test_a_custom_link_type_is_read_by_its_outward_phrase(tmp_path):
    page = {
        "issues": [
            issue(
                "F-1",
                issuelinks=[
                    blocks(
                        "outward",
                        "F-2",
                        name="Prerequisite",
                        outward="is blocked by",
                        inward="blocks",
                    )
                ],
            ),
            issue("F-2"),
        ]
    }
    assert items(load_plan(save(tmp_path, "s.json", page)))["F-1"].depends_on == ["F-2"]


def test_parent_from_fields_parent_and_epic_roll_up(tmp_path):
    page = {
        "issues": [
            issue("G-1", issuetype={"name": "Epic"}),
            issue(
                "G-2",
                parent={"id": "1", "key": "G-1"},
                timeoriginalestimate=144000,
                assignee={"displayName": "Ann"},
            ),
            issue(
                "G-3",
                parent={"id": "2", "key": "G-2"},
                timeoriginalestimate=72000,
                assignee={"displayName": "Ann"},
            ),
        ]
    }
    path = save(tmp_path, "s.json", page)
    assert items(load_plan(path))["G-3"].parent == "G-2"
    epic = load_plan(path, level="epic").items
    assert (
        [i.key for i in epic] == ["G-1"]
        and epic[0].estimate_weeks == 1.5
        and epic[0].owner == "Ann"
    )


def test_invalid_json_is_one_clear_error(tmp_path):
    path = tmp_path / "s.json"
    path.write_text('{"issues": [', encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON"):
        load_plan(path)


def test_json_that_is_not_a_search_response_is_one_clear_error(tmp_path):
    with pytest.raises(InputError, match="not a Jira search response"):
        load_plan(save(tmp_path, "s.json", {"hello": 1}))


# ------------------------------------------------------------------ real responses


def test_invalid_utf8_in_the_real_iwteih_response_survives_with_notes():
    plan = load_plan(real("server-api2-search__iwteih_planningpoker__jira.json"))
    assert plan.rows_read == 50 == len(plan.items) == plan.rows_used
    problems = {(i.ref.location, i.problem) for i in plan.issues}
    assert any("not UTF-8 (first at byte 388697)" in p for _, p in problems)
    assert [
        p for _, p in problems if "not valid UTF-8" in p
    ] == [  # one note per cause, naming each issue
        "its text has bytes that were not valid UTF-8; they show as \ufffd (2 issues alike: VCOPS-3205, VCOPS-3204)"
    ]
    assert any("issues 51-2802 of 2802" in p for _, p in problems)
    got = items(plan)
    assert "\ufffd" in got["VCOPS-3205"].description
    assert (
        got["VCOPS-3348"].parent == "VCOPS-3346"
        and got["VCOPS-3348"].estimate_weeks == 21600 / 3600 / 40
    )
    assert (
        got["VCOPS-3348"].links == [("Cloners", "VCOPS-3347")]
        and got["VCOPS-3348"].depends_on == []
    )
    assert got["VCOPS-3323"].done and not got["VCOPS-3348"].done  # statusCategory "done"
    assert (
        got["VCOPS-3348"].estimate_points is None
    )  # customfield_10002 is never assumed to be story points


def test_real_perceval_pages_and_field_list():
    page_1 = load_plan(real("server-api2__grimoirelab-perceval__jira_issues_page_1.json"))
    assert page_1.rows_read == 2
    assert any("server-api2__grimoirelab-perceval__jira_fields.json" in s for s in page_1.sources)
    assert any("issues 3-3 of 3" in i.problem for i in page_1.issues)
    got = items(page_1)
    assert got["HELP-6042"].done and not got["HELP-6043"].done
    assert got["HELP-6043"].services == ["FIWARE-LAB-HELP"]
    with pytest.raises(
        InputError, match="holds no issues, so there is no plan to audit; no verdict is given"
    ):
        load_plan(real("server-api2__grimoirelab-perceval__jira_issues_page_empty.json"))
    with pytest.raises(InputError, match="is Jira's field list"):
        load_plan(real("server-api2__grimoirelab-perceval__jira_fields.json"))


def test_the_whole_real_json_folder():
    plan = load_plan(real("server-api2__grimoirelab-perceval__jira_fields.json").parent)
    assert plan.rows_read == 50 + 2 + 1 and plan.rows_used == plan.rows_read
    gaps = [i.problem for i in plan.issues if "are not in the files given" in i.problem]
    assert gaps == [
        "issues 51-2802 of 2802 are not in the files given (a page starting at startAt=50 is missing); "
        "the plan holds only the pages given"
    ]  # perceval's two pages complete each other


def test_the_system_due_date_outranks_a_target_end_field(tmp_path):
    page = {
        "issues": [
            issue("H-1", duedate="2026-09-01", customfield_1="2026-12-01"),
            issue("H-2", customfield_1="2026-12-01"),
        ],
        "names": {"customfield_1": "Target end"},
    }
    got = items(load_plan(save(tmp_path, "s.json", page)))
    assert got["H-1"].due == dt.date(2026, 9, 1) and got["H-2"].due == dt.date(2026, 12, 1)


def test_a_t_shirt_size_select_field_is_an_estimate(tmp_path):
    page = {
        "issues": [issue("E-1", customfield_10900={"value": "Medium", "id": "10021"})],
        "names": {"customfield_10900": "T-Shirt Size"},
    }
    item = load_plan(save(tmp_path, "search.json", page)).items[0]
    assert (item.estimate_size, item.estimate_raw, item.columns["size"]) == (
        "M",
        "Medium",
        "customfield_10900",
    )
