"""The forecast after the suggested deferrals is the forecast of the plan re-derived with them
done, for the teams the advice names: built from the prepared forecast, not from a second
derive, and running only those teams and the teams they wait on."""

from __future__ import annotations

import pytest

from roadmap_audit.analyze.capacity import CapacityParams
from roadmap_audit.analyze.facts import Vocabulary, derive
from roadmap_audit.analyze.forecast import Forecaster, ForecastParams, forecast
from roadmap_audit.engine import builtin_rules_dir
from roadmap_audit.load import load_plan
from roadmap_audit.model import Recommendation, Subject
from roadmap_audit.score import with_deferrals

from .conftest import SAMPLES
from .test_forecast import by_key
from .test_forecast import plan as small_plan


def _derive(loaded):
    return derive(
        loaded, CapacityParams(), Vocabulary.from_file(builtin_rules_dir() / "vocabulary.toml")
    )


def _defer(team: str, keys: list[str]) -> Recommendation:
    return Recommendation(
        team=team, action="defer", subject=Subject(kind="team", id=team), items=keys, text=""
    )


def _stated(fc, teams: set[str]):
    """What the advice reads of a forecast: each named team's row and its items."""
    rows = {t.team: t.model_dump() for t in fc.teams if t.team in teams}
    items = {i.key: i.model_dump() for i in fc.items if i.team in teams}
    return rows, items


def _both(loaded, defers: dict[str, list[str]], p: ForecastParams):
    """(from the prepared forecast, from the re-derived plan) for the deferring teams."""
    facts = _derive(loaded)
    keys = {k for ks in defers.values() for k in ks}
    quick = Forecaster(facts, p).deferring(keys, set(defers))
    redone = forecast(_derive(with_deferrals(loaded, [_defer(t, k) for t, k in defers.items()])), p)
    return _stated(quick, set(defers)), _stated(redone, set(defers)), quick


def test_northwind_payments_deferral_matches_the_re_derived_plan():
    loaded = load_plan(str(SAMPLES / "northwind-2026-Q3.xlsx"))
    facts = _derive(loaded)
    open_payments = [
        i.key for i in facts.items_by_team["payments"] if not i.done and not i.committed
    ]
    assert len(open_payments) >= 2
    quick, redone, fc = _both(loaded, {"payments": open_payments[:2]}, ForecastParams(runs=300))
    assert quick == redone
    assert set(quick[0]) == {"payments"}
    assert not set(open_payments[:2]) & {i.key for i in fc.items}


def test_a_generated_plan_many_teams_deferring_matches_the_re_derived_plan(tmp_path):
    import sys

    sys.path.insert(0, str(SAMPLES.parent / "benchmarks"))
    import generate

    path = tmp_path / "plan.xlsx"
    generate.write_xlsx(generate.build(400, 12, seed=11, profile="realistic"), path)
    loaded = load_plan(str(path))
    facts = _derive(loaded)
    # every other team defers its two last open uncommitted items
    defers = {}
    for n, name in enumerate(sorted(facts.items_by_team)):
        keys = [i.key for i in facts.items_by_team[name] if not i.done and not i.committed]
        if n % 2 == 0 and len(keys) >= 2:
            defers[name] = keys[-2:]
    assert len(defers) >= 3
    quick, redone, _ = _both(loaded, defers, ForecastParams(runs=200))
    assert quick == redone


def test_only_the_deferring_teams_and_what_they_wait_on_are_run(tmp_path):
    # c waits on b, b on a; d is on its own: deferring in b runs a and b, not c or d
    facts = small_plan(
        tmp_path,
        [
            "A-1,Base,a,3,,P1,yes,",
            "B-1,Middle,b,3,,P1,yes,A-1",
            "B-2,Extra,b,5,,P3,no,",
            "C-1,Top,c,3,,P1,yes,B-1",
            "D-1,Alone,d,3,,P1,yes,",
        ],
        teams=[f"{t},5,0,0,100%" for t in "abcd"],
    )
    p = ForecastParams(runs=20)
    forecaster = Forecaster(facts, p)
    ran = forecaster.setup.without(facts, p, {"B-2"}, {"b"})
    assert ran.teams == ["a", "b"] and set(ran.keys) == {"A-1", "B-1"}
    # both setups lay their items out team by team, as the median order reads them
    assert forecaster.setup.team_of == [0, 1, 1, 2, 3] and ran.team_of == [0, 1]
    assert [ran.keys[i] for i in ran.order] == ["A-1", "B-1"]
    fc = forecaster.deferring({"B-2"}, {"b"})  # states only the team asked for
    assert [t.team for t in fc.teams] == ["b"] and [i.key for i in fc.items] == ["B-1"]


@pytest.mark.parametrize("gone", ["B-1", "A-2"])
def test_a_deferral_that_breaks_a_cycle_makes_what_remains_of_it_wait(tmp_path, gone):
    # A-1 -> B-1 -> A-2 -> A-1 is a cycle (no waits inside it); deferring one member leaves a
    # chain whose items now wait on each other, across teams
    rows = [
        "A-1,One,a,4,2026-08-14,P1,yes,B-1",
        "B-1,Two,b,4,2026-08-14,P2,no,A-2",
        "A-2,Three,a,4,2026-08-14,P2,no,A-1",
        "B-3,Other,b,6,2026-08-14,P1,yes,",
    ]
    facts = small_plan(tmp_path, rows)
    loaded = facts.plan
    p = ForecastParams(runs=100)
    before = {i.key: i.p50_weeks for i in forecast(facts, p).items}
    quick = Forecaster(facts, p).deferring({gone}, {"a", "b"})
    team = "b" if gone.startswith("B") else "a"
    redone = forecast(_derive(with_deferrals(loaded, [_defer(team, [gone])])), p)
    assert _stated(quick, {"a", "b"}) == _stated(redone, {"a", "b"})
    if gone == "A-2":  # A-1 now waits on B-1, of the other team: it finishes later than before
        assert by_key(quick)["A-1"].p50_weeks > before["A-1"]
