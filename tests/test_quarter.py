"""The planning window: --quarter, then the Settings sheet, then the item dates."""

from __future__ import annotations

import datetime as dt

import pytest

from roadmap_audit.analyze.facts import quarter_of
from roadmap_audit.model import Item, Plan, Settings, SourceRef

REF = SourceRef(source="p.xlsx", sheet="Items", row=2)


def plan(
    settings: Settings | None = None, dates=((dt.date(2026, 7, 1), dt.date(2026, 8, 25)),)
) -> Plan:
    items = [
        Item(key=f"I{n}", title="x", start=s, due=d, ref=REF) for n, (s, d) in enumerate(dates)
    ]
    return Plan(sources=["p.xlsx"], settings=settings or Settings(), items=items)


def test_command_line_quarter_wins_over_settings():
    q = quarter_of(plan(Settings(quarter="2026-Q1", weeks=10)), "2026-Q3", 13)
    assert (q.label, q.start, q.end, q.weeks) == (
        "2026-Q3",
        dt.date(2026, 7, 1),
        dt.date(2026, 9, 30),
        13,
    )


def test_settings_weeks_and_bounds_win_over_item_dates():
    q = quarter_of(
        plan(
            Settings(
                quarter="2026-Q3", start=dt.date(2026, 7, 6), end=dt.date(2026, 10, 2), weeks=12
            )
        ),
        None,
        13,
    )
    assert (q.start, q.end, q.weeks) == (dt.date(2026, 7, 6), dt.date(2026, 10, 2), 12)


def test_settings_quarter_alone_gives_calendar_bounds():
    q = quarter_of(plan(Settings(quarter="2026-Q4")), None, 13)
    assert (q.start, q.end, q.weeks) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31), 13)


def test_item_dates_give_the_window_when_nothing_else_does():
    q = quarter_of(
        plan(
            dates=(
                (dt.date(2026, 7, 6), dt.date(2026, 8, 1)),
                (dt.date(2026, 7, 20), dt.date(2026, 9, 4)),
            )
        ),
        None,
        13,
    )
    assert (q.label, q.start, q.end, q.weeks) == (None, dt.date(2026, 7, 6), dt.date(2026, 9, 4), 9)


def test_no_dates_at_all_falls_back_to_the_default_weeks():
    q = quarter_of(plan(dates=((None, None),)), None, 13)
    assert (q.start, q.end, q.weeks) == (None, None, 13)


def test_unknown_capacity_coefficient_in_config_is_an_error():
    from roadmap_audit.analyze.facts import load_params
    from roadmap_audit.engine import builtin_rules_dir
    from roadmap_audit.errors import InputError

    with pytest.raises(InputError, match="capacity.focus"):
        load_params([builtin_rules_dir() / "capacity.toml"], {"focus": 0.6})
    params, described = load_params([builtin_rules_dir() / "capacity.toml"], {"focus_factor": 0.6})
    assert params.focus_factor == 0.6 and described["focus_factor"]["source"] == "set in the config"
