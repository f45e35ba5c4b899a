"""Work that grows with the plan, not with its square: counted operations, never time.

`counted` runs a call with a line tracer on and counts the lines the package executes
(a loop's every turn, a comprehension's every element): a rescan of every window for each
window shows up as the square of the plan, a sweep as the plan. Each test doubles the
input and asserts the count at most doubles and a bit.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import random
import re
import sys
import tomllib
from pathlib import Path
from types import SimpleNamespace

import pytest

import roadmap_audit
from roadmap_audit.checks.changes import LISTED, StackedParams, _largest_stack, changes_stacked
from roadmap_audit.engine import builtin_rules_dir

from .conftest import facts_of

PACKAGE = str(Path(roadmap_audit.__file__).resolve().parent)
DOUBLED = 2.2  # doubling the input may at most double the work, and a bit (sorting: n log n)


def counted(fn, *args, **kwargs):
    """fn's result and the number of lines the package ran for it."""
    count = 0

    def local(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return local

    def call(frame, event, arg):
        return local if frame.f_code.co_filename.startswith(PACKAGE) else None

    previous = sys.gettrace()
    sys.settrace(call)
    try:
        result = fn(*args, **kwargs)
    finally:
        sys.settrace(previous)
    return result, count


# ---------------------------------------------------------------- MIG003


D = dt.date
MIG003 = {
    k: v["value"]
    for k, v in tomllib.loads((builtin_rules_dir() / "MIG003.toml").read_text())["params"].items()
}


def _stacked_plan(folder: Path, k: int) -> Path:
    """k risky changes on one team: nine in ten share the days from 30 July to 12 August
    (starts from 2 to 30 July, each six weeks long); every tenth (key ...0) runs in late September."""
    folder.mkdir()
    (folder / "settings.csv").write_text("key,value\nquarter,2026-Q3\n")
    (folder / "teams.csv").write_text("team,headcount\ncore,40\n")
    rows = ["key,title,team,kind,estimate,start,due"]
    for n in range(k):
        if n % 10 == 0:
            start, due = D(2026, 9, 15), D(2026, 9, 30)
        else:
            start = D(2026, 7, 1) + dt.timedelta(days=n % 30)
            due = start + dt.timedelta(days=41)
        kind = "migration" if n % 2 else "launch"
        rows.append(f"CH-{n},Change {n},core,{kind},1,{start},{due}")
    (folder / "items.csv").write_text("\n".join(rows) + "\n")
    return folder


def _mig003(facts):
    return list(changes_stacked(facts, StackedParams(**MIG003)))


def test_stacked_changes_are_found_in_one_sweep_and_named_up_to_a_cap(tmp_path):
    counts = {}
    for k in (2500, 5000):
        facts = facts_of(_stacked_plan(tmp_path / f"plan{k}", k))
        _mig003(facts)  # derive what the facts derive lazily, so the count is the check's own
        hits, counts[k] = counted(_mig003, facts)
        assert [(h.subject.kind, h.subject.id) for h in hits] == [("team", "core")]
        hit = hits[0]
        stack = k - k // 10  # every change but the September ones
        assert hit.impact == stack
        assert f"; and {stack - LISTED:,} more. " in hit.message
        assert len(hit.evidence) == LISTED
        named = {e.note.split(":")[0] for e in hit.evidence}
        assert (
            not {f"CH-{n}" for n in range(0, k, 10)} & named
        )  # the September changes are not in the stack
        assert len(hit.message) < 4000 and len(hit.fix) < 1000
        assert "from 2026-07-30 to 2026-08-12" in hit.message
    assert counts[5000] <= DOUBLED * counts[2500], counts


def _deepest_by_definition(windows, min_days):
    """The definition, pair by pair: at each start, the changes whose windows share min_days from it."""
    shrink = dt.timedelta(days=min_days - 1)
    best: list[str] = []
    for start, _ in sorted(windows.values()):
        active = [
            k for k, (s, e) in windows.items() if s <= start and (e == D.max or e - shrink >= start)
        ]
        if len(active) > len(best):
            best = sorted(active)
    return best


@pytest.mark.parametrize("seed", range(40))
def test_the_sweep_finds_the_same_stack_as_the_definition(seed):
    rng = random.Random(seed)
    for _ in range(50):
        min_days = rng.randint(1, 10)
        windows = {}
        for n in range(rng.randint(0, 12)):
            start = D(2026, 7, 1) + dt.timedelta(days=rng.randint(0, 40))
            due = start + dt.timedelta(days=rng.randint(min_days - 1, 30))
            windows[f"K{n}"] = (
                D.min if rng.random() < 0.1 else start,
                D.max if rng.random() < 0.1 else due,
            )
        stack, first, last = _largest_stack(windows, min_days)
        assert stack == _deepest_by_definition(windows, min_days)
        if stack:
            assert (first, last) == (
                max(windows[k][0] for k in stack),
                min(windows[k][1] for k in stack),
            )


# ---------------------------------------------------------------- the heat map and the teams sheet


def _audit_with_teams(n: int) -> SimpleNamespace:
    """What the heat map reads of an audit: n teams, and findings on n more not in the staffing model."""
    finding = lambda team: SimpleNamespace(rule="CAP001", severity="high", teams=(team,))  # noqa: E731
    return SimpleNamespace(
        teams=[SimpleNamespace(team=f"team-{t}") for t in range(n)],
        rules_run=["CAP001"],
        findings=[finding(f"other-{t}") for t in range(n)] + [finding("team-0")],
    )


def test_the_heat_map_lists_each_team_once_in_one_pass():
    from roadmap_audit.report.view import heat

    counts = {}
    for n in (1000, 2000):
        (families, grid), counts[n] = counted(heat, _audit_with_teams(n))
        assert families == ["CAP"]
        assert list(grid)[:2] == ["team-0", "team-1"] and len(grid) == 2 * n
        assert grid["team-0"]["CAP"].count == 1 and grid["team-1"]["CAP"].severity is None
    assert counts[2000] <= DOUBLED * counts[1000], counts


def _teams_plan(folder: Path, n: int) -> Path:
    folder.mkdir()
    (folder / "items.csv").write_text("key,title,team,estimate\nX-1,Work,team-0,1\n")
    (folder / "teams.csv").write_text(
        "team,headcount\n" + "".join(f"team-{t},5\n" for t in range(n)) + "TEAM-0,3\n"
    )
    return folder


def test_a_team_named_twice_is_found_in_one_pass(tmp_path):
    from roadmap_audit.load import load_plan

    counts = {}
    for n in (1000, 2000):
        plan, counts[n] = counted(load_plan, _teams_plan(tmp_path / f"plan{n}", n))
        assert len(plan.teams) == n and plan.teams[0].headcount == 5
        assert [
            (i.problem, i.row_dropped) for i in plan.issues if "appears twice" in i.problem
        ] == [("team TEAM-0 appears twice; this row was not used", True)]
    assert counts[2000] <= DOUBLED * counts[1000], counts


# ---------------------------------------------------------------- the forecast, thinned for a large plan


def test_a_forecast_with_fewer_runs_than_asked_says_how_many_why_and_how_coarse(
    tmp_path, sample_audit
):
    import json

    from roadmap_audit.config import load_config
    from roadmap_audit.report import render
    from roadmap_audit.report.markdown import esc

    from .conftest import SAMPLES, audit_of

    (tmp_path / "roadmap-audit.toml").write_text("[forecast]\nmax_item_runs = 1000\n")
    audit = audit_of(SAMPLES / "northwind-2026-Q3.xlsx", config=load_config(cwd=tmp_path))
    fc = audit.forecast
    items = len(fc.items)
    runs = 1000 // items
    assert (fc.runs, fc.runs_asked) == (runs, 1000) and runs < 100
    note = fc.notes[0]
    assert note.startswith(
        f"{runs} runs instead of 1,000: {items} items x 1,000 runs is above the budget of 1,000"
    )
    assert (
        f"is coarse: a chance near 50 % is known to about +/- {round(98 / runs**0.5)} points"
        in note
    )
    assert "(against +/- 3 with 1,000 runs)" in note
    data = json.loads(render("json", audit))["forecast"]
    assert (data["runs"], data["runs_asked"], data["notes"][0]) == (runs, 1000, note)
    assert f"Only {runs} of the 1,000 runs asked for" in render("html", audit)
    assert esc(note) in render("md", audit)
    # the runs asked for, all run: nothing to say
    assert (sample_audit.forecast.runs, sample_audit.forecast.runs_asked) == (1000, 1000)
    assert not any("runs instead of" in n for n in sample_audit.forecast.notes)
    assert "runs asked for" not in render("html", sample_audit)


# ---------------------------------------------------------------- every phase of a whole audit

_GENERATE = Path(__file__).resolve().parent.parent / "benchmarks" / "generate.py"
# the names a plan's copy must rename so it stands beside the original: teams, their groups and
# divisions, services (team-007-svc1), item and action keys, postmortems, people
_NAME = re.compile(r"(?<![\w-])(team-\d+|group-\d+|division-\d+|T\d{3}-\d+|ACT-\d+|PM-\d+|P\d+)")
_PRIORITY = 12  # the Items column whose P1-P4 are priorities, not people


def _generated(items: int, teams: int) -> dict[str, list[list]]:
    """The benchmark's generated org plan (seeded): teams, services, dependencies, actions, org."""
    spec = importlib.util.spec_from_file_location("roadmap_generate", _GENERATE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build(items, teams, profile="stress")


def _copy(sheets: dict[str, list[list]]) -> dict[str, list[list]]:
    """A second org beside the first, under the same root unit: every name renamed (b...)."""

    def rename(value, column):
        if not isinstance(value, str) or (column == _PRIORITY):
            return value
        return _NAME.sub(lambda m: "b" + m.group(1), value)

    out = {}
    for sheet, rows in sheets.items():
        if sheet == "Settings":
            continue
        body = [
            [rename(v, c if sheet == "Items" else None) for c, v in enumerate(row)]
            for row in rows[1:]
        ]
        if sheet == "Org":
            body = [row for row in body if row[0] != "engineering"]
        out[sheet] = body
    return out


def _write_plan(folder: Path, sheets: dict[str, list[list]], copies: int) -> Path:
    folder.mkdir()
    extra = _copy(sheets) if copies == 2 else {}
    for sheet, rows in sheets.items():
        every = rows + extra.get(sheet, [])
        with (folder / f"{sheet.lower()}.csv").open("w", newline="") as fh:
            csv.writer(fh).writerows(
                [v.isoformat() if isinstance(v, dt.date) else v for v in row] for row in every
            )
    return folder


def _phase_counts(plan: Path, config) -> dict[str, int]:
    """The lines the package runs in each phase of an audit of `plan`, and of its reports."""
    from roadmap_audit.pipeline import Options, load, run
    from roadmap_audit.report import render

    options = Options(plan=str(plan), config=config)
    counts: dict[str, int] = {}
    phase = ["load"]

    def local(frame, event, arg):
        if event == "line":
            counts[phase[0]] = counts.get(phase[0], 0) + 1
        return local

    def call(frame, event, arg):
        return local if frame.f_code.co_filename.startswith(PACKAGE) else None

    def on_phase(name: str) -> None:
        phase[0] = name

    previous = sys.gettrace()
    sys.settrace(call)
    try:
        audit = run(options, load(options), on_phase=on_phase)
        for fmt in ("html", "json", "md"):
            phase[0] = f"render {fmt}"
            render(fmt, audit)
    finally:
        sys.settrace(previous)
    return counts


def test_each_phase_of_an_audit_does_at_most_twice_the_work_on_a_plan_twice_the_size(tmp_path):
    """The same org twice over (teams, services, dependencies, people, actions all renamed):
    load, derive, forecast, rules, score and every report at most double, and a bit."""
    from roadmap_audit.config import load_config

    (tmp_path / "roadmap-audit.toml").write_text("[forecast]\nruns = 20\n")  # the tracer is slow
    config = load_config(cwd=tmp_path)
    sheets = _generated(160, 8)
    plan = _write_plan(tmp_path / "once", sheets, 1)
    _phase_counts(
        plan, config
    )  # once uncounted: imports, schemas and caches are built on first use
    once = _phase_counts(plan, config)
    twice = _phase_counts(_write_plan(tmp_path / "twice", sheets, 2), config)
    phases = ["load", "derive", "forecast", "rules", "score", "render html", "render json"]
    assert set(phases) <= set(once) and set(once) == set(twice), (once, twice)
    ratios = {p: round(twice[p] / once[p], 2) for p in once}
    assert all(ratios[p] <= DOUBLED for p in once), ratios
    # the copy is an audit of its own: twice the work, not the same work (the plan was read); the
    # loader parses a repeated text (a status, "yes") once per load and reads the Items sheet by
    # columns (each distinct cell once, an item in a few lines), so the copy's rows cost less
    assert ratios["load"] >= 1.3 and ratios["rules"] >= 1.6, ratios
