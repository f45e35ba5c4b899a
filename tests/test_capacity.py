"""The capacity model against numbers worked out by hand, one deduction at a time."""

from __future__ import annotations

import pytest

from roadmap_audit.analyze.capacity import CapacityParams, item_weeks, load_of, team_capacity
from roadmap_audit.model import Item, SourceRef, Team

REF = SourceRef(source="hand.xlsx", sheet="Teams", row=2)
P = CapacityParams()  # weeks 13, availability 0.85, focus 0.7, ramp 25/50/75, 1 primary, 40 h, 1 h/page, 6 h/incident


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


def test_on_call_tax_is_one_primary_engineer_every_week_only_with_a_rotation():
    with_rotation = team_capacity(team(oncall_rotation=6), [], P, weeks=13)
    without = team_capacity(team(oncall_rotation=0), [], P, weeks=13)
    assert lines(with_rotation)["on-call tax"] == pytest.approx(-13.0)
    assert lines(without)["on-call tax"] == 0


def test_focus_factor_keeps_seventy_percent_of_what_is_available():
    # 78 - 11.7 leave - 13 on-call = 53.3 available; focus loss 53.3 x 0.3 = 15.99; capacity 37.31
    cap = team_capacity(team(headcount=6, oncall_rotation=6), [], P, weeks=13)
    assert lines(cap)["focus factor"] == pytest.approx(-15.99)
    assert cap.capacity_weeks == pytest.approx(37.31)


def test_the_api_team_of_the_seeds_worked_by_hand():
    # 5 engineers, 2 new, rotation 5: 65 - 9.75 - 11.05 - 13 = 31.2 available; x 0.7 = 21.84
    cap = team_capacity(team(headcount=5, new_hires=2, oncall_rotation=5), [], P, weeks=13)
    assert cap.capacity_weeks == pytest.approx(21.84)


def test_observed_ops_from_pages_toil_and_incidents():
    # pages 14/week x 1 h x 13 / 40 = 4.55; toil 45 h x 13 / 40 = 14.625; incidents 6 x 6 h / 40 = 0.9
    cap = team_capacity(team(pages_per_week=14, toil_hours_per_week=45, incidents_last_quarter=6), [], P, weeks=13)
    ops = {d.label: d.weeks for d in cap.ops_breakdown}
    assert ops == pytest.approx({"pages": 4.55, "toil": 14.625, "incidents": 0.9})
    assert cap.ops_observed_weeks == pytest.approx(20.075)
    # capacity without rotation: 78 x 0.85 x 0.7 = 46.41
    assert cap.ops_observed == pytest.approx(20.075 / 46.41)


def test_incident_rows_count_when_the_teams_sheet_has_no_incident_number():
    cap = team_capacity(team(), [], P, weeks=13, incidents=3)
    assert {d.label: d.weeks for d in cap.ops_breakdown}["incidents"] == pytest.approx(0.45)


def test_load_adds_the_larger_of_admitted_and_observed_ops_to_planned_work():
    items = [item("A", 20.0), item("B", 10.0), item("C", 8.0), item("D", 30.0, status="Done", done=True)]
    cap = team_capacity(team(headcount=5, new_hires=1, availability=1.0, ops_allocation=0.2), items, P, weeks=13)
    # 65 - 0 leave - 6.5 ramp = 58.5; x 0.7 = 40.95; planned 38 (D is done)
    assert cap.capacity_weeks == pytest.approx(40.95)
    assert cap.planned_weeks == pytest.approx(38.0)
    assert cap.load == pytest.approx(38 / 40.95 + 0.2)
    assert cap.ops_weeks == pytest.approx(0.2 * 40.95)


def test_story_points_convert_through_points_per_week_and_unestimated_items_are_listed():
    t = team(points_per_week=4.0)
    items = [Item(key="S", title="s", estimate_points=10.0, ref=REF), item("U", None)]
    cap = team_capacity(t, items, P, weeks=13)
    assert cap.planned_weeks == pytest.approx(2.5)
    assert cap.unestimated == ["U"]
    assert item_weeks(items[0], team(), P.size_weeks) is None  # no points_per_week: unknown, not zero


def test_load_of_zero_capacity_is_infinite_when_work_is_planned():
    assert load_of(5, 0, 0.2, 0.0) == float("inf")
    assert load_of(0, 0, 0.2, 0.0) == 0.0


@pytest.mark.parametrize(("setting", "named"), [
    ('focus_factor = "high"', "key 'capacity.focus_factor' = 'high': input should be a valid number"),
    ("focus_factor = -3", "key 'capacity.focus_factor' = -3: input should be greater than 0"),
    ("availability = 1.5", "key 'capacity.availability' = 1.5: input should be less than or equal to 1"),
    ("new_hire_ramp = [0.5, 2]", "key 'capacity.new_hire_ramp.1' = 2: input should be less than or equal to 1"),
    ("hours_per_week = 0", "key 'capacity.hours_per_week' = 0: input should be greater than 0"),
    ("focus = 0.6", "unknown key 'capacity.focus' (did you mean 'focus_factor'?"),
    ("size_weeks = { XXXL = 40 }", "key 'capacity.size_weeks.XXXL' = 'XXXL': input should be 'XS', 'S', 'M', 'L', 'XL' or"),
    ("size_weeks = { M = -1 }", "key 'capacity.size_weeks.M' = -1: input should be greater than or equal to 0"),
    ("weeks = nan", "key 'capacity.weeks' = nan: must be a finite number"),
])
def test_a_bad_capacity_coefficient_in_the_config_is_one_line_and_exit_2(tmp_path, setting, named):
    from .conftest import SAMPLES, run_cli

    config = tmp_path / "audit.toml"
    config.write_text(f"[capacity]\n{setting}\n", encoding="utf-8")
    result = run_cli("audit", str(SAMPLES / "northwind-2026-Q3.xlsx"), "--config", str(config), "--format", "json")
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and named in lines[0] and "unexpected" not in lines[0], lines
    assert lines[0].startswith(f"roadmap-audit: error: {config}: ")  # the user's file, not capacity.toml


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

    (tmp_path / "items.csv").write_text("key,title,team,estimate\nA-1,Search,web,M\nA-2,Ledger,web,XL\n"
                                        "A-3,Refunds,web,2w\nA-4,Cart,web,Small\n", encoding="utf-8")
    (tmp_path / "teams.csv").write_text("team,headcount\nweb,4\n", encoding="utf-8")
    audit = audit_of(tmp_path / "items.csv", context=[tmp_path / "teams.csv"])
    assert {i.key: i.estimate_weeks for i in audit.items} == {"A-1": 3.0, "A-2": 13.0, "A-3": 2.0, "A-4": 1.0}
    assert audit.teams[0].planned_weeks == 19.0 and audit.teams[0].unestimated_items == []
    assert [i["problem"] for i in audit.data_quality.issues] == [
        "3 items are estimated in T-shirt sizes, counted as engineer-weeks: S = 1, M = 3, XL = 13; say what "
        "your sizes mean under [capacity] size_weeks in the config"]
    # the config says what its sizes mean, key by key: M changes, the other sizes keep the pack's value
    config = tmp_path / "audit.toml"
    config.write_text("[capacity]\nsize_weeks = { M = 5 }\n", encoding="utf-8")
    from roadmap_audit.config import load_config

    mine = audit_of(tmp_path / "items.csv", context=[tmp_path / "teams.csv"], config=load_config(config))
    assert {i.key: i.estimate_weeks for i in mine.items} == {"A-1": 5.0, "A-2": 13.0, "A-3": 2.0, "A-4": 1.0}


def test_a_team_outside_the_staffing_model_still_counts_its_sized_work(tmp_path):
    from .conftest import audit_of

    (tmp_path / "items.csv").write_text("key,title,team,estimate\nA-1,One,web,M\nA-2,Two,web,2w\n", encoding="utf-8")
    team = audit_of(tmp_path / "items.csv").teams[0]
    assert (team.team, team.planned_weeks, team.load, team.capacity_known) == ("web", 5.0, None, False)
