"""The capacity model's arithmetic with coefficients that are not 1.

The defaults hide mistakes: with one primary a week and one hour a page, `x * 1.0` and
`x / 1.0` agree, and a rotation of one person is the same as none when nothing else is
measured. Each case here sets coefficients that tell them apart and pins every deduction.
(Found by the mutation check, tools/mutation.py: these mutants survived the suite.)"""

from __future__ import annotations

import pytest

from roadmap_audit.analyze.capacity import CapacityParams, team_capacity
from roadmap_audit.model import SourceRef, Team

WEEKS = 13.0
PARAMS = CapacityParams(
    weeks=WEEKS,
    availability=0.8,
    focus_factor=0.7,
    oncall_primary_per_week=0.5,
    hours_per_week=40.0,
    hours_per_page=2.0,
    hours_per_incident=6.0,
)


def _team(**fields) -> Team:
    return Team(team="t", ref=SourceRef(source="plan.xlsx", sheet="Teams", row=2), **fields)


def _capacity(team: Team):
    return team_capacity(team, [], PARAMS, weeks=WEEKS)


def _weeks(cap, label: str) -> float:
    (d,) = [d for d in cap.breakdown + cap.ops_breakdown if d.label == label]
    return d.weeks


def test_observed_pages_set_the_operations_when_they_exceed_the_shift():
    # 6 engineers x 13 weeks = 78; leave 20 % = 15.6; one new hire ramps at half: 13 x 0.8 x 0.5 = 5.2
    cap = _capacity(
        _team(headcount=6, new_hires=1, oncall_rotation=4, ops_allocation=0.1, pages_per_week=12)
    )
    assert cap.team_weeks == pytest.approx(57.2)
    assert cap.oncall_weeks == pytest.approx(6.5)  # 0.5 primary x 13 weeks
    assert _weeks(cap, "pages") == pytest.approx(7.8)  # 12 pages x 2 h x 13 weeks / 40 h
    assert cap.ops_basis == "observed"
    assert cap.ops_weeks == pytest.approx(7.8)
    assert cap.ops_observed == pytest.approx(7.8 / 57.2)
    assert cap.capacity_weeks == pytest.approx((57.2 - 7.8) * 0.7)
    (ops,) = [d for d in cap.breakdown if d.label == "operations"]
    assert ops.basis.startswith("the largest of admitted, on-call and observed: observed")


def test_a_rotation_of_one_still_holds_the_shift():
    cap = _capacity(_team(headcount=6, oncall_rotation=1, ops_allocation=0.1))
    # 78 - 15.6 = 62.4 team time; admitted 6.24 < the shift 6.5
    assert cap.oncall_weeks == pytest.approx(6.5)
    assert cap.ops_basis == "on-call"
    assert cap.ops_weeks == pytest.approx(6.5)
    (shift,) = [d for d in cap.ops_breakdown if d.label == "on-call shift"]
    assert shift.basis.startswith("0.5 primary x 13 weeks")


def test_no_operations_says_so_and_deducts_nothing():
    cap = _capacity(_team(headcount=4))
    assert cap.ops_weeks == 0.0 and cap.oncall_weeks == 0.0
    (ops,) = [d for d in cap.breakdown if d.label == "operations"]
    assert ops.basis.startswith("no operations")
    (shift,) = [d for d in cap.ops_breakdown if d.label == "on-call shift"]
    assert shift.basis == "no on-call rotation"
    assert cap.capacity_weeks == pytest.approx(4 * 13 * 0.8 * 0.7)


def test_a_team_with_no_headcount_has_no_time_and_its_pages_fill_it():
    paged = _capacity(_team(pages_per_week=5))
    assert paged.team_weeks == 0.0 and paged.capacity_weeks == 0.0 and not paged.known
    assert paged.ops_observed == 1.0  # pages with no team time: all of it
    quiet = _capacity(_team())
    assert quiet.team_weeks == 0.0 and quiet.ops_observed == 0.0
