"""How the forecast lays out and sums a block of runs changes no figure: every team's queue
summed place by place across teams gives, bit for bit, the running sum of that queue alone."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from roadmap_audit.analyze import forecast as fc_module
from roadmap_audit.analyze.forecast import (
    Forecaster,
    ForecastParams,
    _Arrays,
    _Setup,
    simulate,
    team_finish,
)

from .test_forecast import plan

RUNS = 48


def uneven_plan(tmp_path):
    """Teams of 40, 12, 3 and 1 open items and more, waits across teams (one into a team with no
    capacity) and a cycle."""
    rows = [
        f"A-{n},Work {n},a,{1 + n % 5},,P{1 + n % 3},{'yes' if n % 4 else 'no'}," for n in range(40)
    ]
    rows += [f"B-{n},Work {n},b,{2 + n % 3},,P2,no,{'A-7' if n == 3 else ''}" for n in range(12)]
    rows += [
        "C-0,Top,c,3,,P1,yes,B-3",
        "C-1,Loop one,c,2,,P2,no,C-2",
        "C-2,Loop two,c,2,,P2,no,C-1",
        "D-0,Alone,d,4,,P1,yes,E-0",
        "E-0,Stuck,e,1,,P1,no,",
        # f works F-1 while F-0 waits for G-0 (0.8 week), then F-0, then F-2: in the runs where
        # G-0 runs long, F-0 (not the last of f's queue) finishes after the queue's end
        "F-0,Waits,f,0.07,,P1,no,G-0",
        "F-1,First,f,0.7,,P2,no,",
        "F-2,Last,f,0.07,,P3,no,",
        "G-0,Feeds,g,0.56,,P1,no,",
    ]
    teams = ["a,5,0,0,100%", "b,4,0,20%,100%", "c,2,0,0,100%", "d,1,0,0,100%", "e,0,0,0,100%"]
    teams += ["f,1,0,0,100%", "g,1,0,0,100%"]
    return plan(tmp_path, rows, teams=teams)


def finishes(setup: _Setup, params: ForecastParams):
    """Each item's finish (in the setup's item order) and each team's, in every run."""
    arrays = _Arrays(setup, params)
    done = simulate(arrays, params, 0, RUNS)
    teams = np.empty((arrays.n_teams, RUNS))
    team_finish(arrays, done, teams)
    return done[arrays.position], teams, arrays


@pytest.mark.parametrize("head", [0, 1, 2, 5, 10_000])
def test_queues_summed_side_by_side_or_alone_give_the_same_finishes(tmp_path, monkeypatch, head):
    facts = uneven_plan(tmp_path)
    params = ForecastParams(runs=RUNS, effort_spread=0.5, unplanned_spread=0.4)
    setup = _Setup(facts, params)
    alone, alone_teams, arrays = finishes(setup, params)
    # 0 places side by side: one running sum (np.cumsum) per team queue, as a plain reading says
    monkeypatch.setattr(fc_module, "_head_places", lambda across, runs: 0)
    reference, reference_teams, plain = finishes(setup, params)
    assert not plain.steps and len(plain.tails) == 7
    monkeypatch.setattr(fc_module, "_head_places", lambda across, runs: min(head, len(across)))
    side, side_teams, laid = finishes(setup, params)
    assert np.array_equal(side, reference) and np.array_equal(side_teams, reference_teams)
    assert np.array_equal(alone, reference) and np.array_equal(alone_teams, reference_teams)
    if head == 10_000:
        assert not laid.tails and len(laid.steps) == 39  # 40 places, the first needs no sum
    # every team's finish is its latest item's (the team with no capacity never finishes)
    for t, name in enumerate(setup.teams):
        mine = [i for i, team in enumerate(setup.team_of) if team == t]
        assert np.array_equal(reference_teams[t], reference[mine].max(axis=0)), name
    e, f = setup.teams.index("e"), setup.teams.index("f")
    assert np.isinf(reference_teams[e]).all()
    assert np.isfinite(reference_teams[setup.teams.index("a")]).all()
    last = [i for i in setup.order if setup.team_of[i] == f][-1]
    assert setup.keys[last] == "F-2" and (reference_teams[f] > reference[last]).any()


def test_a_queues_running_sum_never_falls(tmp_path):
    # a running sum never falls: every item of a queue that waits for nothing finishes by the
    # queue's end, so a team's finish is its queue's end or a waiting item's later finish
    facts = uneven_plan(tmp_path)
    params = ForecastParams(runs=RUNS, effort_spread=0.5)
    setup = _Setup(facts, params)
    done, _, arrays = finishes(setup, params)
    for t in range(len(setup.teams)):
        queue = [i for i in setup.order if setup.team_of[i] == t and not setup.waits[i]]
        if len(queue) > 1:
            assert (np.diff(done[queue], axis=0) >= 0).all()


def test_the_deferral_advice_reads_the_committed_items_chances_and_the_teams(tmp_path):
    facts = uneven_plan(tmp_path)
    params = ForecastParams(runs=RUNS, effort_spread=0.5)
    forecaster = Forecaster(facts, params)
    every = forecaster.deferring({"B-0", "B-1"}, {"b", "c"})
    chances = forecaster.chances_deferring({"B-0", "B-1"}, {"b", "c"})
    stated = [(i.key, i.team, i.committed, i.p_on_time) for i in every.items if i.committed]
    assert [tuple(i) for i in chances.items] == stated
    assert [i.key for i in chances.items] == ["C-0"]
    assert chances.teams == every.teams
    assert {i.key for i in every.items} == {f"B-{n}" for n in range(2, 12)} | {"C-0", "C-1", "C-2"}


def test_a_quarter_without_a_start_states_weeks_and_no_chances(tmp_path):
    # due dates cannot be counted in weeks without the quarter's start: no chance is stated
    folder = tmp_path / "plan"
    folder.mkdir()
    (folder / "settings.csv").write_text("key,value\nweeks,13\n")
    (folder / "teams.csv").write_text(
        "team,headcount,oncall_rotation,ops_allocation,availability\na,5,0,0,100%\n"
    )
    (folder / "items.csv").write_text(
        "key,title,team,estimate,due,priority,committed,depends_on\n"
        "A-1,Ledger export,a,7,2026-07-19,P1,yes,\nA-2,Report,a,3.5,,P2,no,A-1\n"
    )
    from .conftest import facts_of

    facts = facts_of(folder)
    assert facts.quarter.start is None
    fc = Forecaster(facts, ForecastParams(runs=RUNS)).forecast()
    assert [(i.key, i.p_on_time, i.due) for i in fc.items] == [
        ("A-1", None, dt.date(2026, 7, 19)),
        ("A-2", None, None),
    ]
    assert all(i.p50_weeks and i.p50_date is None for i in fc.items)
    assert "the quarter has no start date, so due dates cannot be checked: weeks only" in fc.notes
