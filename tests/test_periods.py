"""Dates a quarter plan writes as a month, a quarter or a week."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roadmap_audit.load.cells import ParseError
from roadmap_audit.load.periods import parse_period

D = dt.date


@pytest.mark.parametrize(
    ("text", "last", "first"),
    [
        ("Aug 2026", D(2026, 8, 31), D(2026, 8, 1)),
        ("August 2026", D(2026, 8, 31), D(2026, 8, 1)),
        ("Sept 2026", D(2026, 9, 30), D(2026, 9, 1)),
        ("septiembre 2026", D(2026, 9, 30), D(2026, 9, 1)),
        ("Feb 2028", D(2028, 2, 29), D(2028, 2, 1)),
        ("Aug '26", D(2026, 8, 31), D(2026, 8, 1)),
        ("2026-08", D(2026, 8, 31), D(2026, 8, 1)),
        ("08/2026", D(2026, 8, 31), D(2026, 8, 1)),
        ("2026-Q3", D(2026, 9, 30), D(2026, 7, 1)),
        ("Q4 2026", D(2026, 12, 31), D(2026, 10, 1)),
        ("2026-W32", D(2026, 8, 7), D(2026, 8, 3)),  # an ISO week: its Friday, its Monday
        ("CW 32 2026", D(2026, 8, 7), D(2026, 8, 3)),
        ("end of Aug 2026", D(2026, 8, 31), D(2026, 8, 31)),  # the words win over the field
        ("early August 2026", D(2026, 8, 1), D(2026, 8, 1)),
        ("mid-Aug 2026", D(2026, 8, 15), D(2026, 8, 15)),
    ],
)
def test_a_period_is_its_last_day_for_a_due_date_and_its_first_for_a_start(text, last, first):
    assert parse_period(text, end=True) == last
    assert parse_period(text, end=False) == first


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Aug", "'Aug' names a month but no year; write it with the year, like 'Aug {year}'"),
        (
            "end of August",
            "'end of August' names a month but no year; write it with the year, like 'end of August {year}'",
        ),
        ("Q3", "'Q3' names a quarter but no year; write it with the year, like '{year}-Q3'"),
        ("W32", "'W32' names a week but no year; write it with the year, like '{year}-W32'"),
        ("2025-W53", "'2025-W53' is not a week of 2025"),
    ],
)
def test_a_period_without_a_year_is_refused_with_the_fix(text, reason):
    with pytest.raises(ParseError) as caught:
        parse_period(text, end=True)
    assert str(caught.value) == reason.format(year=dt.date.today().year)


@pytest.mark.parametrize(
    "text", ["15 Aug", "Aug 26", "26 Aug 2026", "13/2026", "hello", "Q3 FY26", "", 45123]
)
def test_what_is_no_period_is_left_to_the_date_reader(text):
    assert parse_period(text, end=True) is None


@given(st.text(max_size=40))
def test_any_text_is_a_date_none_or_a_parse_error(text):
    try:
        day = parse_period(text, end=True)
    except ParseError as exc:
        assert "\n" not in str(exc)
        return
    assert day is None or isinstance(day, dt.date)
