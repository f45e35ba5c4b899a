"""Every threshold at its boundary: a case exactly at the threshold and one just past it.

Each case sets the rule's parameter for itself (the shipped value of every other parameter
stays), as sqlfluff's rule cases do. "Just past" is the next representable number past the
threshold (math.nextafter), so a `<=` turned into `<` (or `>` into `>=`) in a check fails
here: at the bound a rule stays silent, one step past it the rule fires.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

from roadmap_audit import score
from roadmap_audit.analyze.capacity import load_of
from roadmap_audit.engine import builtin_rules_dir, load_rules
from roadmap_audit.escalation import Escalation, escalated

from .conftest import facts_of

RULES = {r.id: r for r in load_rules([builtin_rules_dir()])}

TEAMS = (
    "team,headcount,new_hires,oncall_rotation,ops_allocation,pages_per_week,toil_hours_per_week,availability\n"
    "t,5,1,8,20%,28,30,100%\n"
)
SERVICES = "service,owner_team,tier,slo,error_budget_remaining\nsearch,t,2,,\nfilters,t,3,99.9%,0\n"
# Q3 2026 ends on 2026-09-30; the last 2 weeks start on 2026-09-17.
ITEMS = (
    "key,title,team,kind,estimate,priority,due,depends_on,committed\n"
    "A-1,Search facets,t,feature,6,P3,2026-09-17,,yes\n"
    "A-2,Saved filters,t,feature,6,P3,2026-09-16,,\n"
    "A-3,Export to CSV,t,feature,4,P1,2026-08-01,A-2,\n"
    "R-1,Filters p99 latency under 300 ms,t,reliability,4,P2,,,\n"
)


def below(x: float) -> float:
    return math.nextafter(x, -math.inf)


def above(x: float) -> float:
    return math.nextafter(x, math.inf)


@pytest.fixture(scope="module")
def facts(tmp_path_factory):
    plan = tmp_path_factory.mktemp("plan")
    (plan / "teams.csv").write_text(TEAMS)
    (plan / "items.csv").write_text(ITEMS)
    (plan / "services.csv").write_text(SERVICES)
    (plan / "settings.csv").write_text("setting,value\nquarter,2026-Q3\n")
    return facts_of(plan)


def hits(rule_id: str, facts, escalate=None, **params) -> dict[str, str | None]:
    """Subject id -> escalated severity (None: the rule's own), with these parameters set and
    these keys of the rule's [escalate] table replaced (escalate=False: no escalation)."""
    rule = RULES[rule_id]
    p = type(rule.params)(**{**rule.params.model_dump(), **params})
    table = rule.escalation
    if escalate is False:
        table = None
    elif escalate:
        table = Escalation(**{**(table.model_dump() if table else {}), **escalate})
    return {h.subject.id: escalated(table, h)[0] or h.severity for h in rule.kind.run(facts, p)}


def test_the_plan_is_what_the_cases_assume(facts):
    cap = facts.capacity["t"]
    assert cap.known and 0 < cap.load < 10 and cap.capacity_weeks > 0
    assert facts.quarter.end == dt.date(2026, 9, 30)


# ---------------------------------------------------------------- CAP001 load > max_load


def test_cap001_at_max_load_is_silent_and_just_above_it_fires(facts):
    load = facts.capacity["t"].load
    assert hits("CAP001", facts, max_load=load, critical_load=None) == {}
    assert hits("CAP001", facts, max_load=below(load), critical_load=None) == {"t": None}


def test_cap001_at_critical_load_is_not_critical_and_just_above_it_is(facts):
    load = facts.capacity["t"].load
    assert hits("CAP001", facts, max_load=load / 2, critical_load=load) == {"t": None}
    assert hits("CAP001", facts, max_load=load / 2, critical_load=below(load)) == {"t": "critical"}


# ---------------------------------------------------------------- CAP002 buffer < min_buffer


def test_cap002_at_min_buffer_is_silent_and_just_below_it_fires(facts):
    buffer = facts.capacity["t"].buffer  # about 50 % of capacity left
    assert 0 < buffer < 1
    assert hits("CAP002", facts, min_buffer=buffer, skip_above=None) == {}
    assert hits("CAP002", facts, min_buffer=above(buffer), skip_above=None) == {"t": None}


def test_cap002_skips_a_team_just_above_skip_above_but_not_one_at_it(facts):
    load = facts.capacity["t"].load
    assert hits("CAP002", facts, min_buffer=0.99, skip_above=load) == {"t": None}
    assert hits("CAP002", facts, min_buffer=0.99, skip_above=below(load)) == {}


# ---------------------------------------------------------------- CAP003 observed > admitted + tolerance


def _tolerance_at(admitted: float, observed: float) -> float:
    """The tolerance whose sum with the admitted share is exactly the observed share."""
    t = observed - admitted
    while admitted + t > observed:
        t = below(t)
    while admitted + t < observed:
        t = above(t)
    return t


def test_cap003_at_admitted_plus_tolerance_is_silent_and_just_above_it_fires(facts):
    cap = facts.capacity["t"]
    assert (
        cap.ops_observed > cap.ops_admitted
    )  # 28 pages and 30 h toil a week against 20 % admitted
    t = _tolerance_at(cap.ops_admitted, cap.ops_observed)
    assert cap.ops_admitted + t == cap.ops_observed
    just_past = t
    while cap.ops_admitted + just_past >= cap.ops_observed:
        just_past = below(just_past)
    assert hits("CAP003", facts, tolerance=t, material_gap=0.0) == {}
    assert hits("CAP003", facts, tolerance=just_past, material_gap=0.0) == {
        "t": None
    }  # 32 % observed: under the 50 % ceiling


def test_cap003_escalates_just_above_max_ops_share_and_not_at_it(facts):
    observed = facts.capacity["t"].ops_observed
    assert hits("CAP003", facts, tolerance=0.0, max_ops_share=observed, material_gap=0.0) == {
        "t": None
    }
    assert hits("CAP003", facts, tolerance=0.0, max_ops_share=below(observed)) == {"t": "critical"}


def test_cap003_a_gap_below_material_gap_is_medium_and_at_it_high(facts):
    cap = facts.capacity["t"]
    gap = cap.ops_observed - cap.ops_admitted  # 32 % observed against 20 % admitted
    assert hits("CAP003", facts) == {"t": None}  # 12 points: above the shipped 10, the rule's high
    assert hits("CAP003", facts, material_gap=gap) == {"t": None}
    assert hits("CAP003", facts, material_gap=above(gap)) == {"t": "medium"}


# ---------------------------------------------------------------- CAP005 late share > max_share


def test_cap005_at_max_share_is_silent_and_just_above_it_fires(facts):
    # A-1 (6 of 20 engineer-weeks) is due on the first day of the last 2 weeks
    assert hits("CAP005", facts, last_weeks=2, max_share=6 / 20) == {}
    assert hits("CAP005", facts, last_weeks=2, max_share=below(6 / 20)) == {"t": None}


def test_cap005_an_item_due_on_the_first_day_of_the_window_is_late_and_the_day_before_is_not(facts):
    # 13 days before the end: A-1 (due 09-17) is the window's first day, A-2 (due 09-16) the day before
    assert hits("CAP005", facts, last_weeks=2, max_share=below(6 / 20)) == {"t": None}
    assert hits("CAP005", facts, last_weeks=2, max_share=below(12 / 20)) == {}
    # one day more (15 days): A-2 is in, 12 of 20 late
    assert hits("CAP005", facts, last_weeks=15 / 7, max_share=below(12 / 20)) == {"t": None}


# ---------------------------------------------------------------- CAP004 new-hire share >= min


def test_cap004_at_the_new_hire_share_fires_and_just_below_it_does_not(facts):
    # 1 new hire of 5 is 20 %; A-3 is P1 work
    assert hits("CAP004", facts, min_new_hire_share=0.2) == {"t": None}
    assert hits("CAP004", facts, min_new_hire_share=above(0.2)) == {}


# ---------------------------------------------------------------- ONC001 rotation < needed


def test_onc001_a_rotation_of_exactly_the_minimum_is_silent_and_one_short_fires(facts):
    assert hits("ONC001", facts, min_single_site=8) == {}
    assert hits("ONC001", facts, min_single_site=9) == {"t": None}


# ---------------------------------------------------------------- SLO001 tier <= max_tier


def test_slo001_a_service_of_exactly_max_tier_is_critical_and_one_tier_less_is_not(facts):
    assert hits("SLO001", facts, max_tier=2) == {"search": None}
    assert hits("SLO001", facts, max_tier=1) == {}


# ---------------------------------------------------------------- REL003 share < min_share, budget <= max


def test_rel003_at_min_share_is_silent_and_just_above_it_fires(facts):
    # R-1 is 4 of 20 planned engineer-weeks (20 %); filters' error budget is spent (0 left)
    assert hits("REL003", facts, min_share=0.2, min_incidents=100) == {}
    assert hits("REL003", facts, min_share=above(0.2), min_incidents=100) == {"t": "high"}


def test_rel003_a_budget_of_exactly_max_budget_remaining_is_spent_and_just_above_it_is_not(facts):
    assert hits("REL003", facts, min_share=0.5, min_incidents=100, max_budget_remaining=0.0) == {
        "t": "high"
    }
    assert (
        hits("REL003", facts, min_share=0.5, min_incidents=100, max_budget_remaining=below(0.0))
        == {}
    )


# ---------------------------------------------------------------- ONC002 pages per shift > bound


def test_onc002_at_max_pages_per_shift_is_silent_and_just_above_it_fires(facts):
    # 28 pages a week over 14 twelve-hour shifts: exactly 2 per shift
    assert (
        hits("ONC002", facts, shift_hours=12, max_pages_per_shift=2, quiet_shift_max_mean=None)
        == {}
    )
    assert hits(
        "ONC002", facts, shift_hours=12, max_pages_per_shift=below(2.0), quiet_shift_max_mean=None
    ) == {"t": "high"}


def test_onc002_at_the_quiet_shift_mean_is_silent_and_just_above_it_fires_unescalated(facts):
    assert (
        hits("ONC002", facts, shift_hours=12, max_pages_per_shift=5, quiet_shift_max_mean=2.0) == {}
    )
    assert hits(
        "ONC002", facts, shift_hours=12, max_pages_per_shift=5, quiet_shift_max_mean=below(2.0)
    ) == {"t": None}


# ---------------------------------------------------------------- DEP002 days late >= min_days_late


def test_dep002_at_min_days_late_fires_and_one_day_short_of_it_does_not(facts):
    # A-3 is due 2026-08-01 and depends on A-2, due 2026-09-16: 46 days later
    late = (dt.date(2026, 9, 16) - dt.date(2026, 8, 1)).days
    assert hits("DEP002", facts, min_days_late=late) == {"A-3": None}
    assert hits("DEP002", facts, min_days_late=late + 1) == {}


# ---------------------------------------------------------------- defer advice: load after <= buffer line


def test_the_defer_advice_stops_exactly_at_the_buffer_line(facts):
    cap = facts.capacity["t"]
    first = 6.0  # the advice proposes the lowest priority, largest item first: A-2 (P3, 6 weeks; A-1 is committed)
    line = load_of(cap.planned_weeks - first, cap.capacity_weeks)
    assert line < cap.load
    at = score.defer_advice(facts, max_load=below(cap.load), buffer_line=line)
    assert [len(r.items) for r in at] == [1] and at[0].reaches_target, at[0].text
    past = score.defer_advice(facts, max_load=below(cap.load), buffer_line=below(line))
    assert [len(r.items) for r in past] == [2] and past[0].reaches_target, past[0].text


def test_the_defer_advice_is_for_a_team_just_over_max_load_and_not_one_at_it(facts):
    load = facts.capacity["t"].load
    assert score.defer_advice(facts, max_load=load) == []
    assert [r.team for r in score.defer_advice(facts, max_load=below(load))] == ["t"]


# ---------------------------------------------------------------- DEP001 fan-in, DEP004 teams in a chain

GRAPH_ITEMS = (
    "key,title,team,estimate,due,depends_on,committed\n"
    "G-1,Partner checkout,a,2,2026-09-25,G-2,yes\n"
    "G-2,Payments API v2,b,2,2026-09-11,G-3,no\n"
    "G-3,Ledger schema,c,2,2026-08-28,,no\n"
    "H-1,Refund flow,a,2,2026-09-25,G-3,yes\n"
    "K-1,Search index rebuild,k,2,2026-08-14,,no\n"
    "K-2,Facet counts,k,2,2026-09-18,K-1,yes\n"
    "K-3,Typo tolerance,k,2,2026-09-18,K-1,yes\n"
)


@pytest.fixture(scope="module")
def graph_facts(tmp_path_factory):
    plan = tmp_path_factory.mktemp("graph")
    (plan / "items.csv").write_text(GRAPH_ITEMS)
    (plan / "settings.csv").write_text("setting,value\nquarter,2026-Q3\n")
    return facts_of(plan)


ONLY_ITEM_FAN_IN = {
    "min_cut_point_fan_in": 100,
    "min_team_fan_in": 100,
    "min_service_fan_in": 100,
    "chain_min_teams": None,
}


def test_dep001_at_min_fan_in_fires_and_one_short_of_it_does_not(graph_facts):
    # G-3: G-1 (through G-2) and H-1, both committed, wait on it; K-1: K-2 and K-3 of its own team
    # (below min_fan_in its own team's sequencing, at it a single point of failure)
    assert hits("DEP001", graph_facts, escalate=False, min_fan_in=2, **ONLY_ITEM_FAN_IN) == {
        "G-3": None,
        "K-1": None,
    }
    assert hits("DEP001", graph_facts, escalate=False, min_fan_in=3, **ONLY_ITEM_FAN_IN) == {}


def test_dep004_a_chain_through_exactly_min_teams_fires_and_one_team_short_does_not(graph_facts):
    # G-1 (a) -> G-2 (b) -> G-3 (c): three teams
    assert hits("DEP004", graph_facts, escalate=False, min_teams=3) == {"G-1": None}
    assert hits("DEP004", graph_facts, escalate=False, min_teams=4) == {}


def test_dep004_escalates_at_its_teams_bound_and_not_one_short_of_it(graph_facts):
    at = {"at_least": {"teams": 3}}
    assert hits("DEP004", graph_facts, escalate=at, min_teams=3) == {"G-1": "high"}
    short = {"at_least": {"teams": 4}}
    assert hits("DEP004", graph_facts, escalate=short, min_teams=3) == {"G-1": None}


# ---------------------------------------------------------------- FOR001 p_on_time < min_probability


@pytest.fixture(scope="module")
def forecast_facts(tmp_path_factory):
    from roadmap_audit.analyze.forecast import ForecastParams, forecast

    plan = tmp_path_factory.mktemp("forecast")
    (plan / "teams.csv").write_text(TEAMS)
    (plan / "items.csv").write_text(ITEMS)
    (plan / "settings.csv").write_text("setting,value\nquarter,2026-Q3\n")
    facts = facts_of(plan)
    facts.forecast = forecast(facts, ForecastParams(runs=400, seed=3))
    return facts


def test_for001_at_min_probability_is_silent_and_just_above_it_fires(forecast_facts):
    (a1,) = [f for f in forecast_facts.forecast.items if f.key == "A-1"]
    chance = a1.p_on_time
    assert chance is not None and 0 < chance < 1  # about 72 % of 400 seeded runs
    assert hits("FOR001", forecast_facts, min_probability=chance, escalate=False) == {}
    assert hits("FOR001", forecast_facts, min_probability=above(chance), escalate=False) == {
        "A-1": None
    }


def test_for001_escalates_just_below_its_chance_bound_and_not_at_it(forecast_facts):
    (a1,) = [f for f in forecast_facts.forecast.items if f.key == "A-1"]
    chance = a1.p_on_time
    assert 0 < chance < 1
    assert hits(
        "FOR001", forecast_facts, min_probability=1.0, escalate={"below": {"chance": chance}}
    ) == {"A-1": None}
    assert hits(
        "FOR001", forecast_facts, min_probability=1.0, escalate={"below": {"chance": above(chance)}}
    ) == {"A-1": "high"}
