"""The capacity model against numbers worked out by hand, one deduction at a time."""

from __future__ import annotations

import pytest

from roadmap_audit.analyze.capacity import CapacityParams, item_weeks, load_of, team_capacity
from roadmap_audit.model import Item, SourceRef, Team

REF = SourceRef(source="hand.xlsx", sheet="Teams", row=2)
P = (
    CapacityParams()
)  # weeks 13, availability 0.85, focus 0.7, ramp 25/50/75, 1 primary, 40 h, 1 h/page, 6 h/incident


def team(**kw) -> Team:
    base = dict(team="t", headcount=6.0, ref=REF)
    return Team(**{**base, **kw})


def item(key: str, weeks: float | None = None, **kw) -> Item:
    return Item(key=key, title=key, team="t", estimate_weeks=weeks, ref=REF, **kw)


def lines(cap):
    return {d.label: d.weeks for d in cap.breakdown}


def test_staffed_is_headcount_times_weeks():
    cap = team_capacity(team(headcount=6), [], P, weeks=13)
    assert lines(cap)["staffed"] == pytest.approx(78.0)  # 6 x 13


def test_leave_takes_one_minus_availability():
    cap = team_capacity(team(headcount=6), [], P, weeks=13)
    assert lines(cap)["leave and holidays"] == pytest.approx(-11.7)  # 78 x 0.15
    own = team_capacity(team(headcount=6, availability=0.9), [], P, weeks=13)
    assert lines(own)["leave and holidays"] == pytest.approx(-7.8)  # 78 x 0.10


def test_new_hire_ramp_takes_half_of_each_new_engineer_over_the_quarter():
    # mean ramp (0.25 + 0.5 + 0.75) / 3 = 0.5; 2 new x 13 weeks x 0.85 x 0.5 = 11.05
    cap = team_capacity(team(headcount=5, new_hires=2), [], P, weeks=13)
    assert P.ramp_mean == pytest.approx(0.5)
    assert lines(cap)["new-hire ramp"] == pytest.approx(-11.05)


def ops_lines(cap):
    return {d.label: d.weeks for d in cap.ops_breakdown}


def test_on_call_shift_is_one_primary_engineer_every_week_only_with_a_rotation():
    with_rotation = team_capacity(team(oncall_rotation=6), [], P, weeks=13)
    without = team_capacity(team(oncall_rotation=0), [], P, weeks=13)
    assert ops_lines(with_rotation)["on-call shift"] == pytest.approx(13.0)
    assert ops_lines(without)["on-call shift"] == 0


def test_focus_factor_applies_to_project_time_after_operations():
    # team time 78 - 11.7 leave = 66.3; operations = the on-call shift 13 (admitted 0, observed 0)
    # project time 53.3; focus loss 53.3 x 0.3 = 15.99; capacity 37.31
    cap = team_capacity(team(headcount=6, oncall_rotation=6), [], P, weeks=13)
    assert lines(cap)["team time"] == pytest.approx(66.3)
    assert lines(cap)["operations"] == pytest.approx(-13.0)
    assert lines(cap)["focus factor"] == pytest.approx(-15.99)
    assert cap.capacity_weeks == pytest.approx(37.31)
    assert cap.ops_basis == "on-call"


def test_the_api_team_of_the_seeds_worked_by_hand():
    # 5 engineers, 2 new, rotation 5: team time 65 - 9.75 - 11.05 = 44.2
    # operations: admitted 0.2 x 44.2 = 8.84, on-call 13, observed (4 pages + 6 h toil) x 13 / 40 + 4 x 6 / 40 = 3.85
    # -> 13 (the shift holds the pages and toil); project time 31.2; x 0.7 = 21.84
    cap = team_capacity(
        team(
            headcount=5,
            new_hires=2,
            oncall_rotation=5,
            ops_allocation=0.2,
            pages_per_week=4,
            toil_hours_per_week=6,
            incidents_last_quarter=4,
        ),
        [],
        P,
        weeks=13,
    )
    assert cap.team_weeks == pytest.approx(44.2)
    assert cap.ops_weeks == pytest.approx(13.0)
    assert cap.ops_observed == pytest.approx(
        3.85 / 44.2
    )  # a share of team time, like ops_allocation
    assert cap.capacity_weeks == pytest.approx(21.84)


def test_each_operations_hour_is_counted_once():
    """Pages inside the on-call shift cost nothing more; only work beyond the shift adds."""
    quiet = team_capacity(team(oncall_rotation=6, pages_per_week=4), [], P, weeks=13)
    silent = team_capacity(team(oncall_rotation=6, pages_per_week=0), [], P, weeks=13)
    assert quiet.capacity_weeks == pytest.approx(silent.capacity_weeks)
    # 14 pages + 45 h toil a week: 59 h against a 40 h shift; the 20.075 weeks observed exceed the 13 of the shift
    loud = team_capacity(
        team(
            oncall_rotation=6, pages_per_week=14, toil_hours_per_week=45, incidents_last_quarter=6
        ),
        [],
        P,
        weeks=13,
    )
    assert loud.ops_weeks == pytest.approx(20.075) and loud.ops_basis == "observed"
    assert loud.capacity_weeks == pytest.approx((66.3 - 20.075) * 0.7)


def test_observed_ops_from_pages_toil_and_incidents():
    # pages 14/week x 1 h x 13 / 40 = 4.55; toil 45 h x 13 / 40 = 14.625; incidents 6 x 6 h / 40 = 0.9
    cap = team_capacity(
        team(pages_per_week=14, toil_hours_per_week=45, incidents_last_quarter=6), [], P, weeks=13
    )
    ops = ops_lines(cap)
    assert {k: ops[k] for k in ("pages", "toil", "incidents")} == pytest.approx(
        {"pages": 4.55, "toil": 14.625, "incidents": 0.9}
    )
    assert cap.ops_observed_weeks == pytest.approx(20.075)
    # a share of team time: 78 x 0.85 = 66.3
    assert cap.ops_observed == pytest.approx(20.075 / 66.3)


def test_incident_rows_count_when_the_teams_sheet_has_no_incident_number():
    cap = team_capacity(team(), [], P, weeks=13, incidents=3)
    assert ops_lines(cap)["incidents"] == pytest.approx(0.45)


def test_load_is_planned_work_over_the_capacity_left_after_operations():
    items = [
        item("A", 20.0),
        item("B", 10.0),
        item("C", 8.0),
        item("D", 30.0, status="Done", done=True),
    ]
    cap = team_capacity(
        team(headcount=5, new_hires=1, availability=1.0, ops_allocation=0.2), items, P, weeks=13
    )
    # team time 65 - 0 leave - 6.5 ramp = 58.5; operations 0.2 x 58.5 = 11.7; (58.5 - 11.7) x 0.7 = 32.76
    assert cap.team_weeks == pytest.approx(58.5)
    assert cap.ops_weeks == pytest.approx(11.7)
    assert cap.capacity_weeks == pytest.approx(32.76)
    assert cap.planned_weeks == pytest.approx(38.0)  # D is done
    assert cap.load == pytest.approx(38 / 32.76)


def test_story_points_convert_through_points_per_week_and_unestimated_items_are_listed():
    t = team(points_per_week=4.0)
    items = [Item(key="S", title="s", estimate_points=10.0, ref=REF), item("U", None)]
    cap = team_capacity(t, items, P, weeks=13)
    assert cap.planned_weeks == pytest.approx(2.5)
    assert cap.unestimated == ["U"]
    assert (
        item_weeks(items[0], team(), P.size_weeks) is None
    )  # no points_per_week: unknown, not zero


def test_load_of_zero_capacity_is_infinite_when_work_is_planned():
    assert load_of(5, 0) == float("inf")
    assert load_of(0, 0) == 0.0


@pytest.mark.parametrize(
    ("setting", "named"),
    [
        (
            'focus_factor = "high"',
            "key 'capacity.focus_factor' = 'high': input should be a valid number",
        ),
        ("focus_factor = -3", "key 'capacity.focus_factor' = -3: input should be greater than 0"),
        (
            "availability = 1.5",
            "key 'capacity.availability' = 1.5: input should be less than or equal to 1",
        ),
        (
            "new_hire_ramp = [0.5, 2]",
            "key 'capacity.new_hire_ramp.1' = 2: input should be less than or equal to 1",
        ),
        ("hours_per_week = 0", "key 'capacity.hours_per_week' = 0: input should be greater than 0"),
        ("focus = 0.6", "unknown key 'capacity.focus' (did you mean 'focus_factor'?"),
        (
            "size_weeks = { XXXL = 40 }",
            "key 'capacity.size_weeks.XXXL' = 'XXXL': input should be 'XS', 'S', 'M', 'L', 'XL' or",
        ),
        (
            "size_weeks = { M = -1 }",
            "key 'capacity.size_weeks.M' = -1: input should be greater than or equal to 0",
        ),
        ("weeks = nan", "key 'capacity.weeks' = nan: must be a finite number"),
    ],
)
def test_a_bad_capacity_coefficient_in_the_config_is_one_line_and_exit_2(tmp_path, setting, named):
    from .conftest import SAMPLES, run_cli

    config = tmp_path / "audit.toml"
    config.write_text(f"[capacity]\n{setting}\n", encoding="utf-8")
    result = run_cli(
        "audit",
        str(SAMPLES / "northwind-2026-Q3.xlsx"),
        "--config",
        str(config),
        "--format",
        "json",
    )
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and named in lines[0] and "unexpected" not in lines[0], lines
    assert lines[0].startswith(
        f"roadmap-audit: error: {config}: "
    )  # the user's file, not capacity.toml


def test_a_bad_coefficient_in_a_rule_pack_names_its_file(tmp_path):
    from roadmap_audit.analyze.facts import load_params
    from roadmap_audit.errors import InputError

    pack = tmp_path / "capacity.toml"
    pack.write_text('[params.focus_factor]\nvalue = 7\nsource = "a typo"\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_params([pack], {})
    assert "params.focus_factor" in str(caught.value) and caught.value.where == str(pack)


def test_t_shirt_sizes_count_as_the_capacity_models_weeks_and_a_note_says_so(tmp_path):
    from .conftest import audit_of

    (tmp_path / "items.csv").write_text(
        "key,title,team,estimate\nA-1,Search,web,M\nA-2,Ledger,web,XL\n"
        "A-3,Refunds,web,2w\nA-4,Cart,web,Small\n",
        encoding="utf-8",
    )
    (tmp_path / "teams.csv").write_text("team,headcount\nweb,4\n", encoding="utf-8")
    audit = audit_of(tmp_path / "items.csv", context=[tmp_path / "teams.csv"])
    assert {i.key: i.estimate_weeks for i in audit.items} == {
        "A-1": 3.0,
        "A-2": 13.0,
        "A-3": 2.0,
        "A-4": 1.0,
    }
    assert audit.teams[0].planned_weeks == 19.0 and audit.teams[0].unestimated_items == []
    assert [i["problem"] for i in audit.data_quality.issues] == [
        "3 items are estimated in T-shirt sizes, counted as engineer-weeks: S = 1, M = 3, XL = 13; say what "
        "your sizes mean under [capacity] size_weeks in the config"
    ]
    # the config says what its sizes mean, key by key: M changes, the other sizes keep the pack's value
    config = tmp_path / "audit.toml"
    config.write_text("[capacity]\nsize_weeks = { M = 5 }\n", encoding="utf-8")
    from roadmap_audit.config import load_config

    mine = audit_of(
        tmp_path / "items.csv", context=[tmp_path / "teams.csv"], config=load_config(config)
    )
    assert {i.key: i.estimate_weeks for i in mine.items} == {
        "A-1": 5.0,
        "A-2": 13.0,
        "A-3": 2.0,
        "A-4": 1.0,
    }


def test_a_team_outside_the_staffing_model_still_counts_its_sized_work(tmp_path):
    from .conftest import audit_of

    (tmp_path / "items.csv").write_text(
        "key,title,team,estimate\nA-1,One,web,M\nA-2,Two,web,2w\n", encoding="utf-8"
    )
    team = audit_of(tmp_path / "items.csv").teams[0]
    assert (team.team, team.planned_weeks, team.load, team.capacity_known) == (
        "web",
        5.0,
        None,
        False,
    )


def test_the_readmes_worked_example_is_what_the_json_report_says():
    """Every number in the README's worked capacity example, checked against the api team's JSON breakdown."""
    import json
    import re

    from roadmap_audit.report import render

    from .conftest import ROOT, SAMPLES, audit_of

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(
        r"<!-- worked-example: (\S+) -->\n(.*?)<!-- /worked-example -->", readme, re.S
    )
    assert block, "the README has no worked capacity example"
    team_name, table = block.group(1), block.group(2)
    rows = {}
    for line in table.splitlines()[2:]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        rows[cells[0]] = (float(cells[1]), cells[3])
    doc = json.loads(render("json", audit_of(SAMPLES / "northwind-2026-Q3.xlsx")))
    team = next(t for t in doc["teams"] if t["team"] == team_name)
    breakdown = {d["label"]: d["weeks"] for d in team["breakdown"]}
    assert set(rows) == set(breakdown), set(rows) ^ set(breakdown)
    for label, (weeks, _) in rows.items():
        assert breakdown[label] == pytest.approx(weeks, abs=0.005), label
    assert team["capacity_weeks"] == pytest.approx(rows["capacity"][0], abs=0.005)
    assert team["team_weeks"] == pytest.approx(rows["team time"][0], abs=0.005)
    assert team["ops_weeks"] == pytest.approx(-rows["operations"][0], abs=0.005)
    # the input cells the README names are the cells the report cites
    from .conftest import facts_of

    facts = facts_of(SAMPLES / "northwind-2026-Q3.xlsx")
    t = facts.teams[team_name]
    for label, (_, cells) in rows.items():
        m = re.match(r"(Teams!\w+) (\w+)", cells)
        if m:
            assert t.cell(m.group(2)).location == m.group(1), label
    # the prose figures: observed share, operations share, load
    assert (
        f"{team['ops_observed']:.1%}".replace(".0%", "%") in readme
        or f"{100 * team['ops_observed']:.1f} %" in readme
    )
    assert f"load 20 / 21.84 = {team['load']:.0%}".replace("%", " %") in readme


def test_cap003_compares_observed_and_admitted_on_the_same_base(tmp_path):
    """Observed operations at 19 % of team time against 20 % admitted: no CAP003. The old model divided
    the observed hours by capacity after the on-call tax and focus factor and read 38 %."""
    from .conftest import audit_of, pairs

    # team time 65 - 9.75 - 11.05 = 44.2; toil 25.8 h x 13 / 40 = 8.385 = 19.0 % of it
    (tmp_path / "items.csv").write_text(
        "key,title,team,estimate\nA-1,Search,api,4w\n", encoding="utf-8"
    )
    (tmp_path / "teams.csv").write_text(
        "team,headcount,new_hires,oncall_rotation,ops_allocation,toil_hours_per_week\napi,5,2,5,20%,25.8\n",
        encoding="utf-8",
    )
    audit = audit_of(tmp_path / "items.csv", context=[tmp_path / "teams.csv"])
    team = audit.teams[0]
    assert team.ops_observed == pytest.approx(0.19, abs=0.001)
    assert ("team", "api") not in pairs(audit, "CAP003")
    # 30 h a week is 22 % of team time: above the admitted 20 %, and CAP003 says so in those terms
    (tmp_path / "teams.csv").write_text(
        "team,headcount,new_hires,oncall_rotation,ops_allocation,toil_hours_per_week\napi,5,2,5,20%,30\n",
        encoding="utf-8",
    )
    audit = audit_of(tmp_path / "items.csv", context=[tmp_path / "teams.csv"])
    cap003 = next(f for f in audit.findings if f.rule == "CAP003")
    assert "22% of its team time" in cap003.message and "admits 20% of team time" in cap003.message


def test_points_notes_name_the_open_items_estimated_only_in_points_staffed_or_not():
    """The note of a staffed team (its items found in capacity's pass) and of a team missing
    from the staffing model name the same items: open, in points, with no weeks written (a size
    beside the points does not take an item out); a done item or one with weeks is not named."""
    from roadmap_audit.analyze.capacity import CapacityParams
    from roadmap_audit.analyze.facts import Vocabulary, derive
    from roadmap_audit.engine import builtin_rules_dir
    from roadmap_audit.model import Item, Plan, SourceRef, Team

    ref = SourceRef(source="plan.xlsx", sheet="Items", row=2)
    rows = [
        ("A-1", 3.0, None, None, False),
        ("A-2", 5.0, None, "M", False),
        ("A-3", 8.0, None, None, True),
        ("A-4", 2.0, 1.0, None, False),
        ("A-5", None, None, None, False),
    ]
    items = [
        Item(
            key=f"{owner}{key[1:]}",
            title="Work",
            team=team_name,
            estimate_points=points,
            estimate_weeks=weeks,
            estimate_size=size,
            done=done,
            ref=ref,
        )
        for owner, team_name in (("A", "alpha"), ("B", "beta"))
        for key, points, weeks, size, done in rows
    ]
    alpha = Team(team="alpha", headcount=4, ref=SourceRef(source="plan.xlsx", sheet="Teams", row=2))
    plan = Plan(sources=["plan.xlsx"], items=items, teams=[alpha])
    facts = derive(
        plan, CapacityParams(), Vocabulary.from_file(builtin_rules_dir() / "vocabulary.toml")
    )
    notes = {i.subject_id: i.problem for i in facts.issues if i.subject_id in ("alpha", "beta")}
    assert "2 open items are estimated only in story points (8 points: A-1, A-2)" in notes["alpha"]
    assert "2 open items are estimated only in story points (8 points: B-1, B-2)" in notes["beta"]
    assert [i.key for i in facts.capacity["alpha"].points_only] == ["A-1", "A-2"]
