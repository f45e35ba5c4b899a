"""The delivery forecast on cases small enough to check by hand.

Every team below: 5 engineers x 13 weeks x availability 100 % x focus 0.7 = 45.5
engineer-weeks, so 3.5 engineer-weeks a week; no on-call rotation. The quarter
runs 2026-07-06 (a Monday) to 2026-10-04 (91 days, 13 weeks); capacity is in working
weeks, so week w ends on its Friday, day 7w - 2, and a due date on a weekend
counts as that Friday.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

from roadmap_audit.analyze.forecast import (
    ForecastParams,
    _Arrays,
    _Setup,
    due_weeks,
    forecast,
    load_forecast_params,
    percentile,
    runs_for,
    simulate,
)
from roadmap_audit.engine import builtin_rules_dir
from roadmap_audit.errors import InputError

from .conftest import SAMPLES, audit_of, facts_of

START = dt.date(2026, 7, 6)
STILL = dict(effort_spread=0, migration_spread=0, unestimated_spread=0, unplanned_spread=0)


def plan(tmp_path, items: list[str], teams: list[str] | None = None):
    """A plan folder: items as CSV rows `key,title,team,estimate,due,priority,committed,depends_on`."""
    folder = tmp_path / "plan"
    folder.mkdir(exist_ok=True)
    (folder / "settings.csv").write_text("key,value\nstart,2026-07-06\nend,2026-10-04\nweeks,13\n")
    (folder / "teams.csv").write_text(
        "team,headcount,oncall_rotation,ops_allocation,availability\n"
        + "\n".join(teams or ["a,5,0,0,100%", "b,5,0,0,100%"])
        + "\n"
    )
    (folder / "items.csv").write_text(
        "key,title,team,estimate,due,priority,committed,depends_on\n" + "\n".join(items) + "\n"
    )
    return facts_of(folder)


def by_key(fc):
    return {i.key: i for i in fc.items}


def normal_cdf(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def test_with_no_spread_an_item_finishes_in_a_known_week(tmp_path):
    # 7 engineer-weeks at 3.5 a week: 2.0 weeks, so on the second Friday (2026-07-17), in every run
    facts = plan(
        tmp_path, ["A-1,Ledger export,a,7,2026-07-19,P1,yes,", "A-2,Report,a,3.5,2026-07-19,P2,no,"]
    )
    fc = forecast(facts, ForecastParams(runs=50, **STILL))
    a1, a2 = by_key(fc)["A-1"], by_key(fc)["A-2"]
    assert a1.p50_weeks == a1.p85_weeks == 2.0
    assert a1.p50_date == dt.date(2026, 7, 17) and a1.p_on_time == 1.0
    # A-2 comes after A-1 (priority order): 2.0 + 1.0 weeks, a week past its due date
    assert a2.p50_weeks == 3.0 and a2.p_on_time == 0.0
    team = next(t for t in fc.teams if t.team == "a")
    assert (
        team.pace_weeks == 3.5 and team.p50_weeks == team.p85_weeks == 3.0 and team.p_by_end == 1.0
    )
    assert fc.plan.p50_weeks == 3.0


def test_an_item_as_large_as_the_quarter_lands_half_the_time(tmp_path):
    # effort ~ lognormal with median 45.5 = the whole capacity: P(effort <= 45.5) = 1/2 exactly;
    # a 35-week item (10 weeks of the team) is done by week 13 with P = Phi(ln(13/10) / 0.35) = 0.773
    facts = plan(
        tmp_path,
        ["A-1,Re-platform,a,45.5,2026-10-04,P1,yes,", "B-1,Index rebuild,b,35,2026-10-04,P1,yes,"],
    )
    params = ForecastParams(runs=4000, effort_spread=0.35, unplanned_spread=0)
    fc = by_key(forecast(facts, params))
    assert due_weeks(START, dt.date(2026, 10, 4)) == 13.0
    assert fc["A-1"].p_on_time == pytest.approx(0.5, abs=0.03)
    assert fc["B-1"].p_on_time == pytest.approx(normal_cdf(math.log(1.3) / 0.35), abs=0.03)
    assert fc["A-1"].p50_weeks == pytest.approx(13.0, rel=0.03)


def test_migrations_and_unestimated_work_get_the_wider_spread(tmp_path):
    facts = plan(
        tmp_path,
        [
            "A-1,Ledger data migration,a,7,,P1,no,",
            "A-2,Hardening,a,,,P2,no,",
            "A-3,Profile page,a,7,,P2,no,",
        ],
    )
    params = ForecastParams(
        runs=10,
        effort_spread=0.2,
        migration_spread=0.5,
        unestimated_spread=0.9,
        unestimated_weeks=4,
    )
    fc = by_key(forecast(facts, params))
    assert fc["A-1"].spread == 0.5 and fc["A-3"].spread == 0.2
    assert fc["A-2"].spread == 0.9 and fc["A-2"].estimate_weeks == 4 and not fc["A-2"].estimated


def test_unestimated_work_takes_the_default_estimate(tmp_path):
    facts = plan(tmp_path, ["A-1,Hardening,a,,2026-07-19,P1,yes,"])
    fc = by_key(forecast(facts, ForecastParams(runs=5, unestimated_weeks=7, **STILL)))
    assert fc["A-1"].p50_weeks == 2.0 and fc["A-1"].p_on_time == 1.0


def test_dependencies_are_waited_for_across_teams(tmp_path):
    # a: A-1 takes 3 weeks. b: B-1 (P1, 1 week) waits for A-1; meanwhile b does B-2 (P2, 1 week).
    facts = plan(
        tmp_path,
        [
            "A-1,Tax service,a,10.5,,P2,no,",
            "B-1,Checkout on tax,b,3.5,2026-07-19,P1,yes,A-1",
            "B-2,Receipts,b,3.5,,P2,no,",
        ],
    )
    fc = by_key(forecast(facts, ForecastParams(runs=5, **STILL)))
    assert (fc["A-1"].p50_weeks, fc["B-2"].p50_weeks, fc["B-1"].p50_weeks) == (3.0, 1.0, 4.0)
    assert fc["B-1"].p_on_time == 0.0
    # with spread, in every single run the dependent starts after what it waits for has finished
    params = ForecastParams(runs=300, effort_spread=0.5)
    setup = _Setup(facts, params)
    arrays = _Arrays(setup, params)
    a, b = (arrays.position[setup.keys.index(k)] for k in ("A-1", "B-1"))
    finish = simulate(arrays, params, 0, 300)
    assert finish.shape == (3, 300) and (finish[b] > finish[a]).all()


def test_a_dependency_cycle_does_not_stall_the_forecast(tmp_path):
    facts = plan(tmp_path, ["A-1,One,a,3.5,,P1,no,A-2", "A-2,Two,a,3.5,,P1,no,A-1"])
    fc = by_key(forecast(facts, ForecastParams(runs=5, **STILL)))
    assert {fc["A-1"].p50_weeks, fc["A-2"].p50_weeks} == {1.0, 2.0}


def test_unplanned_work_slows_the_team(tmp_path):
    # ops_allocation 50 % and no spread on it: 1.75 engineer-weeks a week for planned work
    facts = plan(tmp_path, ["A-1,Work,a,7,,P1,no,"], teams=["a,5,0,50%,100%"])
    fc = forecast(facts, ForecastParams(runs=5, **STILL))
    assert by_key(fc)["A-1"].p50_weeks == 4.0
    assert fc.teams[0].unplanned_share == 0.5


def test_a_team_with_no_capacity_never_finishes(tmp_path):
    facts = plan(tmp_path, ["A-1,Work,a,7,2026-09-01,P1,yes,"], teams=["a,0,0,0,100%"])
    item = by_key(forecast(facts, ForecastParams(runs=5)))["A-1"]
    assert item.p_on_time == 0.0 and item.p50_weeks is None and item.p50_date is None


def test_teams_without_a_staffing_row_are_left_out_and_said_so(tmp_path):
    facts = plan(
        tmp_path, ["A-1,Work,a,7,,P1,no,", "Z-1,Other,zed,7,,P1,no,", "N-1,Nobody's,,7,,P1,no,"]
    )
    fc = forecast(facts, ForecastParams(runs=5))
    assert [i.key for i in fc.items] == ["A-1"]
    assert any("zed" in n for n in fc.notes) and any("no team" in n for n in fc.notes)


def test_same_seed_same_forecast_and_another_seed_another(tmp_path):
    items = [
        "A-1,Ledger migration,a,20,2026-09-01,P1,yes,",
        "A-2,Work,a,9,,P2,no,",
        "B-1,Waits,b,12,2026-09-15,P1,yes,A-1",
    ]
    facts = plan(tmp_path, items, teams=["a,5,0,20%,100%", "b,5,0,30%,100%"])
    first = forecast(facts, ForecastParams(runs=500, seed=7))
    again = forecast(
        plan(tmp_path, items, teams=["a,5,0,20%,100%", "b,5,0,30%,100%"]),
        ForecastParams(runs=500, seed=7),
    )
    other = forecast(facts, ForecastParams(runs=500, seed=8))
    assert first.model_dump() == again.model_dump()
    assert first.model_dump() != other.model_dump()


def test_the_same_plan_gives_the_same_json_report_twice():
    from roadmap_audit.report import render

    first = render("json", audit_of(SAMPLES / "northwind-2026-Q3.xlsx"))
    assert first == render("json", audit_of(SAMPLES / "northwind-2026-Q3.xlsx"))
    assert '"forecast": {' in first


def test_weeks_and_dates_count_working_days():
    from roadmap_audit.analyze.forecast import _date

    assert due_weeks(START, dt.date(2026, 10, 2)) == 13.0  # the Friday of week 13
    assert (
        due_weeks(START, dt.date(2026, 7, 6)) == 0.2
        and due_weeks(START, dt.date(2026, 7, 8)) == 0.6
    )
    assert _date(START, 13.0) == dt.date(2026, 10, 2) and _date(START, 1.01) == dt.date(2026, 7, 13)
    assert _date(START, 0.0) == START
    for weeks in (0.2, 0.6, 1.0, 4.4, 13.0):
        assert due_weeks(START, _date(START, weeks)) == pytest.approx(weeks)


def test_percentile_is_a_value_some_run_had():
    values = [float(x) for x in range(1, 11)]
    assert (
        percentile(values, 0.5) == 5.0
        and percentile(values, 0.85) == 9.0
        and percentile(values, 1.0) == 10.0
    )


def test_a_large_plan_gets_fewer_runs_within_the_budget():
    p = ForecastParams(runs=1000, max_item_runs=100_000)
    assert runs_for(p, 50) == 1000 and runs_for(p, 1000) == 100 and runs_for(p, 10**6) == 1


def test_the_pack_file_and_the_defaults_agree():
    params, described = load_forecast_params([builtin_rules_dir() / "forecast.toml"], {})
    assert params == ForecastParams()
    assert all(len(d["source"]) > 10 for d in described.values())


def test_config_overrides_are_checked_and_named():
    pack = [builtin_rules_dir() / "forecast.toml"]
    params, described = load_forecast_params(pack, {"runs": 200, "effort_spread": 0.5})
    assert params.runs == 200 and described["runs"]["source"] == "set in the config"
    with pytest.raises(InputError, match="forecast.run_count"):
        load_forecast_params(pack, {"run_count": 5})
    with pytest.raises(InputError, match="forecast.runs"):
        load_forecast_params(pack, {"runs": 0})


def test_the_config_file_sets_the_forecast(tmp_path):
    from roadmap_audit.config import load_config

    (tmp_path / "roadmap-audit.toml").write_text("[forecast]\nruns = 300\nseed = 11\n")
    config = load_config(cwd=tmp_path)
    audit = audit_of(SAMPLES / "northwind-2026-Q3.xlsx", config=config)
    assert audit.forecast.runs == 300 and audit.forecast.seed == 11


def test_the_sample_plan_forecast_names_the_promises_at_risk(sample_audit):
    fc = sample_audit.forecast
    assert fc.runs == 1000 and {t.team for t in fc.teams} == {t.team for t in sample_audit.teams}
    found = {(f.subject.id, f.severity) for f in sample_audit.findings if f.rule == "FOR001"}
    # DATA-21 waits on a chain through identity, api and payments; API-9 on identity's P2 work
    assert {("DATA-21", "high"), ("API-9", "medium")} <= found
    healthy = {"checkout", "seller-tools", "recommendations", "identity"}
    assert all(i.p_on_time >= 0.5 for i in fc.items if i.committed and i.team in healthy)


def test_rules_explain_shows_the_forecast_parameters_in_force(tmp_path):
    from .conftest import run_cli

    config = tmp_path / "audit.toml"
    config.write_text("[forecast]\neffort_spread = 0.5\n")
    result = run_cli("rules", "explain", "FOR001", "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert "effort_spread = 0.5\n      source: set in the config" in result.stdout
    assert "unestimated_weeks = 3.0" in result.stdout and "min_probability = 0.5" in result.stdout


def test_an_unknown_forecast_key_in_the_config_is_one_line_and_exit_2(tmp_path):
    from .conftest import run_cli

    config = tmp_path / "audit.toml"
    config.write_text("[forecast]\nrunz = 10\n")
    result = run_cli(
        "audit",
        str(SAMPLES / "northwind-2026-Q3.xlsx"),
        "--config",
        str(config),
        "--format",
        "json",
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "forecast.runz" in lines[0] and "Traceback" not in result.stderr


def test_an_items_draws_do_not_depend_on_the_other_items_or_their_order(tmp_path):
    # common random numbers: team a's forecast is the same whether b has one item or three, in any order
    a = ["A-1,Ledger migration,a,20,2026-09-01,P1,yes,", "A-2,Work,a,9,,P2,no,"]
    teams = ["a,5,0,20%,100%", "b,5,0,30%,100%"]
    params = ForecastParams(runs=300, seed=11)
    (tmp_path / "one").mkdir()
    small = forecast(
        plan(tmp_path / "one", [*a, "B-1,Waits,b,12,2026-09-15,P1,yes,"], teams), params
    )
    (tmp_path / "two").mkdir()
    large = forecast(
        plan(
            tmp_path / "two",
            [
                "B-3,Later,b,4,,P3,no,",
                "B-2,More,b,6,,P2,no,",
                *reversed(a),
                "B-1,Waits,b,12,2026-09-15,P1,yes,",
            ],
            teams,
        ),
        params,
    )
    old, new = by_key(small), by_key(large)
    for key in ("A-1", "A-2", "B-1"):
        assert old[key].model_dump() == new[key].model_dump(), key
    assert small.teams[0].model_dump() == large.teams[0].model_dump()
    assert small.teams[1].p85_weeks < large.teams[1].p85_weeks  # b has more to do


# ---------------------------------------------------------------- at scale: arrays, summaries, budget


def test_a_plan_of_100000_open_items_gets_every_run_asked_for():
    p = ForecastParams()
    assert p.max_item_runs == 100_000_000
    assert (
        runs_for(p, 100_000) == 1000 and runs_for(p, 100_001) == 999 and runs_for(p, 10**6) == 100
    )


def dependent_plan(tmp_path):
    return plan(
        tmp_path,
        [
            "A-1,Ledger data migration,a,20,2026-09-01,P1,yes,",
            "A-2,Work,a,9,,P2,no,",
            "A-3,Unsized,a,,2026-08-14,P2,yes,B-2",
            "B-1,Waits,b,12,2026-09-15,P1,yes,A-1",
            "B-2,Also,b,3,,P3,no,",
            "B-3,Chain,b,2,2026-10-01,P2,yes,B-1",
        ],
        teams=["a,5,0,20%,100%", "b,5,0,30%,100%"],
    )


def test_the_figures_do_not_depend_on_how_the_runs_are_split_into_blocks(tmp_path, monkeypatch):
    from roadmap_audit.analyze import forecast as module

    facts = dependent_plan(tmp_path)
    # not a multiple of the 4 draws a stream step holds; in blocks of 4, past the 255 blocks a
    # byte counts runs on time for
    params = ForecastParams(runs=1203, seed=5)
    whole = forecast(facts, params).model_dump()
    monkeypatch.setattr(module, "BLOCK", 1)  # 4 runs a block
    assert forecast(facts, params).model_dump() == whole
    assert forecast(facts, params.model_copy(update={"seed": 6})).model_dump() != whole


def test_runs_on_time_are_counted_past_what_one_byte_holds(tmp_path, monkeypatch):
    from roadmap_audit.analyze import forecast as module

    # a small item due at the quarter's end lands on time in every run: 1,203 runs in blocks of
    # 4 count 301 on time in every column of a block
    facts = plan(tmp_path, ["A-1,Small,a,1,2026-10-02,P1,yes,", "B-1,Also,b,1,,P1,yes,"])
    monkeypatch.setattr(module, "BLOCK", 1)
    fc = forecast(facts, ForecastParams(runs=1203))
    assert by_key(fc)["A-1"].p_on_time == 1.0 and fc.plan.p_by_end == 1.0


def test_a_runs_draw_depends_only_on_its_stream_and_its_number():
    import numpy as np

    from roadmap_audit.analyze.forecast import draws, stream_key

    keys = np.array([stream_key(1, "item", k) for k in ("A-1", "B-7", "C-3")], dtype=np.uint64)
    every = draws(keys, 0, 13)
    assert every.shape == (3, 13) and every.max() < 8192
    assert (draws(keys, 5, 6) == every[:, 5:11]).all()
    assert (draws(keys[1:2], 0, 13) == every[1:2]).all()  # the other streams change nothing
    assert len({tuple(row) for row in every.tolist()}) == 3


def test_every_run_is_kept_as_two_bytes_per_item_team_and_the_plan(tmp_path):
    from roadmap_audit.analyze.forecast import _run_all

    facts = dependent_plan(tmp_path)
    params = ForecastParams(runs=300)
    setup = _Setup(facts, params)
    limits = [math.nan] * (len(setup.keys) + len(setup.teams) + 1)
    tally = _run_all(setup, params, 300, limits)
    assert tally.kept.dtype.itemsize == 2 and tally.kept.shape == (6 + 2 + 1, 300)


def test_rows_read_for_their_chance_only_keep_no_finishes(tmp_path):
    # the forecast after deferring reads its items' chances only: their finishes are not kept,
    # and every figure it does read is the same as a tally that keeps every row's
    from roadmap_audit.analyze.forecast import _run_all

    facts = dependent_plan(tmp_path)
    params = ForecastParams(runs=300)
    setup = _Setup(facts, params)
    n = len(setup.keys)
    height = n + len(setup.teams) + 1
    limits = [4.0] * height
    every = _run_all(setup, params, 300, limits)
    chances = _run_all(setup, params, 300, limits, list(range(height)), timed_from=n)
    assert chances.kept.shape == (len(setup.teams) + 1, 300)
    (a50, a85, a_share), (b50, b85, b_share) = every.read(300, height), chances.read(300, height)
    assert b_share == a_share and 0 < sum(a_share[:n]) < n
    assert b50[n:] == a50[n:] and b85[n:] == a85[n:]
    assert all(math.isnan(x) for x in b50[:n] + b85[:n])


def test_each_team_keeps_the_order_of_the_median_quarter(tmp_path):
    # b's P1 item waits for a's 3-week item: b does its P2 item first, in the median quarter and in every run
    facts = plan(
        tmp_path,
        [
            "A-1,Tax service,a,10.5,,P2,no,",
            "B-1,Checkout on tax,b,3.5,,P1,yes,A-1",
            "B-2,Receipts,b,3.5,,P2,no,",
        ],
    )
    params = ForecastParams(runs=200, effort_spread=0.5)
    setup = _Setup(facts, params)
    assert [setup.keys[i] for i in setup.order] == ["A-1", "B-2", "B-1"]
    arrays = _Arrays(setup, params)
    finish = simulate(arrays, params, 0, 200)
    b1, b2, a1 = (arrays.position[setup.keys.index(k)] for k in ("B-1", "B-2", "A-1"))
    # B-2 lands when b's queue reaches it; B-1 after A-1 and its own effort, and after B-2
    assert (finish[b2] < finish[b1]).all() and (finish[b1] > finish[a1]).all()


def test_numpy_is_imported_only_when_a_forecast_runs(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys\nfrom roadmap_audit.cli import main\n"
        "for cmd in sys.argv[1:]:\n"
        "    try:\n        main(cmd.split())\n    except SystemExit:\n        pass\n"
        "print('numpy' in sys.modules, file=sys.stderr)\n"
    )
    quick = ["--help", "rules list", "rules explain FOR001"]
    result = subprocess.run(
        [sys.executable, "-c", code, *quick], capture_output=True, text=True, timeout=120
    )
    assert result.stderr.strip().splitlines()[-1] == "False"
    audit = f"audit {SAMPLES / 'northwind-2026-Q3.xlsx'} --format json -o {tmp_path / 'a.json'}"
    result = subprocess.run(
        [sys.executable, "-c", code, audit], capture_output=True, text=True, timeout=120
    )
    assert result.stderr.strip().splitlines()[-1] == "True"


def test_two_processes_give_the_same_json_report(tmp_path):
    import os
    import subprocess
    import sys

    outputs = []
    for hash_seed in ("1", "2"):
        out = tmp_path / f"audit-{hash_seed}.json"
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run(
            [
                sys.executable,
                "-m",
                "roadmap_audit",
                "audit",
                str(SAMPLES / "northwind-2026-Q3.xlsx"),
                "--format",
                "json",
                "-o",
                str(out),
            ],
            env=env,
            capture_output=True,
            timeout=300,
        )
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] and b'"forecast": {' in outputs[0]


def test_a_run_past_the_largest_kept_finish_is_kept_as_the_largest():
    """A finite run past what 2 bytes hold (655.35 weeks at 1/100) is kept as that largest, not
    wrapped round: the tally clips only a block that has such a run."""
    import numpy as np

    from roadmap_audit.analyze.forecast import _Tally

    tally = _Tally(4, [math.nan], [10.0], 4)
    tally.rows = np.array([0])
    tally.add(0, np.array([[1.0, 2.0, 1000.0, 5000.0]]))
    (p50,), (p85,), _ = tally.read(4, 1)
    assert (p50, p85) == (2.0, 655.35)


def test_a_key_written_twice_is_forecast_once_as_the_plan_keeps_it(tmp_path):
    # A-1 is written for team a, then again for team b (a plan built with the key repeated: the
    # loader would rename it): the facts keep the first, and the forecast states it once, in
    # team a; team b's queue holds only its own item
    from roadmap_audit.analyze.capacity import CapacityParams
    from roadmap_audit.analyze.facts import Vocabulary, derive

    loaded = plan(
        tmp_path,
        [
            "A-1,Ledger export,a,7,2026-07-19,P1,yes,",
            "A-9,Ledger export again,b,7,2026-07-19,P1,yes,",
            "B-1,Report,b,3.5,2026-07-19,P2,no,",
        ],
    ).plan
    items = [i.model_copy(update={"key": "A-1"}) if i.key == "A-9" else i for i in loaded.items]
    facts = derive(
        loaded.model_copy(update={"items": items}),
        CapacityParams(),
        Vocabulary.from_file(builtin_rules_dir() / "vocabulary.toml"),
    )
    assert [i.team for i in facts.items_by_team["b"]] == ["b", "b"]
    fc = forecast(facts, ForecastParams(runs=50, **STILL))
    assert [(i.key, i.team) for i in fc.items] == [("A-1", "a"), ("B-1", "b")]
    assert {t.team: t.items for t in fc.teams} == {"a": 1, "b": 1}
    assert by_key(fc)["B-1"].p50_weeks == 1.0  # not behind a second A-1 in b's queue
