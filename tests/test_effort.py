"""Estimate cells as planners write them: units converted, team units and unknown words refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roadmap_audit.load.cells import ParseError
from roadmap_audit.load.effort import Effort, parse_effort


@pytest.mark.parametrize(
    ("text", "column_weeks", "weeks", "points"),
    [
        ("3", 1.0, 3.0, None),
        ("3", 1 / 5, 0.6, None),  # a bare number takes the column's unit: Estimate (days)
        ("3 days", 1.0, 0.6, None),  # a written unit wins over the column's
        ("2 weeks", 1 / 5, 2.0, None),
        ("2w 3d 4h", 1.0, 2.7, None),  # Jira's time-tracking text
        ("1w 30m", 1.0, 1 + 30 / 2400, None),
        ("16 hrs", 1.0, 0.4, None),
        ("2 months", 1.0, 52 / 6, None),
        ("6 person-days", 1.0, 1.2, None),
        ("4 eng-weeks", 1.0, 4.0, None),
        ("1,5 w", 1.0, 1.5, None),
        ("~3", 1.0, 3.0, None),
        ("approx. 2 wks", 1.0, 2.0, None),
        ("3?", 1.0, 3.0, None),
        ("5 pts", 1.0, None, 5.0),
        ("8 story points", 1 / 5, None, 8.0),
        (4, 1 / 40, 0.1, None),  # a number cell in an hours column
    ],
)
def test_an_estimate_is_converted_by_the_unit_it_is_written_in(text, column_weeks, weeks, points):
    effort = parse_effort(text, column_weeks)
    assert (effort.points, effort.reading) == (points, None)
    assert effort.weeks == (None if weeks is None else pytest.approx(weeks))


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("M", "M"),
        ("m", "M"),
        ("Medium", "M"),
        ("XL", "XL"),
        ("x-large", "XL"),
        ("Extra Large", "XL"),
        ("xs", "XS"),
        ("small", "S"),
        ("2XL", "XXL"),
        ("~L", "L"),
        ("L?", "L"),
    ],
)
def test_a_t_shirt_size_is_kept_for_the_capacity_model_to_weigh(text, size):
    assert parse_effort(text) == Effort(size=size)


@pytest.mark.parametrize(
    ("text", "weeks", "reading"),
    [
        ("1-2 weeks", 1.5, "the range 1-2 weeks read as its middle, 1.5"),
        ("2 to 4 days", 0.6, "the range 2 to 4 days read as its middle, 3"),
        ("3–5", 4.0, "the range 3–5 read as its middle, 4"),
    ],
)
def test_a_range_counts_as_its_middle_and_says_so(text, weeks, reading):
    effort = parse_effort(text)
    assert effort.weeks == pytest.approx(weeks) and effort.reading == reading


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2 sprints", "'2 sprints' is in sprints, a whole team's time, not one engineer's"),
        ("1 quarter", "'1 quarter' is in quarters, a whole team's time"),
        (
            "3 bananas",
            "'3 bananas': 'bananas' is not a unit of effort (weeks, days, hours, months or points)",
        ),
        ("XXXL", "'XXXL' is not a number"),
        ("big", "'big' is not a number"),
        ("10k", "'10k' uses a multiplier"),
        ("5-2 weeks", "'5-2 weeks' is not a range from low to high"),
        ("1w 2 pts", "'1w 2 pts' mixes story points with other units"),
    ],
)
def test_what_cannot_be_engineer_weeks_is_refused_with_the_reason(text, reason):
    with pytest.raises(ParseError) as caught:
        parse_effort(text)
    assert str(caught.value).startswith(reason)


@pytest.mark.parametrize("text", [None, "", "  ", "n/a", "TBD", "-"])
def test_an_empty_estimate_is_none(text):
    assert parse_effort(text) is None


@given(st.one_of(st.text(max_size=30), st.floats(allow_nan=True), st.integers()))
def test_any_cell_is_an_effort_none_or_a_parse_error(value):
    try:
        effort = parse_effort(value)
    except ParseError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert effort is None or [effort.weeks, effort.points, effort.size].count(None) == 2
