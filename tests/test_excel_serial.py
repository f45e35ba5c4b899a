"""One converter for Excel's date serials (dates.from_excel_serial), for both date systems.

The 1900 system counts 1900-01-01 as day 1 but takes 1900 for a leap year: day 60 is a
29 February 1900 that never was, so 59 and 61 are the real 28 February and 1 March.
The 1904 system (old Mac workbooks) counts 1904-01-01 as day 0.
"""

from __future__ import annotations

import datetime as dt

import pytest

from roadmap_audit.load.cells import ParseError
from roadmap_audit.load.dates import EXCEL_MAX_SERIAL, from_excel_serial, parse_date

T = dt.datetime


@pytest.mark.parametrize(
    "serial, expected",
    [
        (1, T(1900, 1, 1)),
        (59, T(1900, 2, 28)),
        (61, T(1900, 3, 1)),
        (59.5, T(1900, 2, 28, 12)),
        (61.25, T(1900, 3, 1, 6)),
        (45000, T(2023, 3, 15)),
        (46204, T(2026, 7, 1)),
        (
            46204 + (14 * 60 + 5) / 1440,
            T(2026, 7, 1, 14, 5),
        ),  # to the millisecond: 14:05, not 14:04:59.99
        (EXCEL_MAX_SERIAL, T(9999, 12, 31)),
    ],
)
def test_a_1900_serial_is_the_day_excel_shows(serial, expected):
    assert from_excel_serial(serial) == expected


@pytest.mark.parametrize(
    "serial, expected",
    [
        (0, T(1904, 1, 1)),
        (1, T(1904, 1, 2)),
        (59, T(1904, 2, 29)),  # 1904 was a leap year: no phantom day in this system
        (60, T(1904, 3, 1)),
        (61, T(1904, 3, 2)),
        (46204 - 1462, T(2026, 7, 1)),
        (44742.5, T(2026, 7, 1, 12)),
        (EXCEL_MAX_SERIAL - 1462, T(9999, 12, 31)),
    ],
)
def test_a_1904_serial_counts_from_1_january_1904(serial, expected):
    assert from_excel_serial(serial, date1904=True) == expected


@pytest.mark.parametrize("serial", [60, 60.0, 60.5, 59.9999999999])
def test_excel_s_29_february_1900_is_refused(serial):
    with pytest.raises(ParseError, match="29 Feb 1900, a day that never existed"):
        from_excel_serial(serial)


@pytest.mark.parametrize(
    "serial, why",
    [
        (0.5, "is a time of day, not a date"),
        (0, "is not a date"),
        (-1, "is not a date"),
        (EXCEL_MAX_SERIAL + 1, "is not a date"),
        (EXCEL_MAX_SERIAL + 0.9999999999, "is not a date"),  # rounds into the day after the last
        (float("nan"), "is not a date"),
        (float("inf"), "is not a date"),
        (True, "yes/no value"),
        ("45000", "is not a date"),
    ],
)
def test_a_serial_that_names_no_day_is_a_parse_error(serial, why):
    with pytest.raises(ParseError, match=why):
        from_excel_serial(serial)


@pytest.mark.parametrize("serial", [-1, -0.5, EXCEL_MAX_SERIAL - 1462 + 1])
def test_a_1904_serial_outside_excel_s_days_is_refused(serial):
    with pytest.raises(ParseError, match="is not a date"):
        from_excel_serial(serial, date1904=True)


@pytest.mark.parametrize("serial", [1, 59, 61, 366, 45000, 45000.75, 46204, 73050])
def test_a_numeric_date_cell_reads_the_day_of_the_one_converter(serial):
    assert parse_date(serial) == from_excel_serial(serial).date()


def test_a_numeric_date_cell_on_day_60_is_refused_by_parse_date_too():
    with pytest.raises(ParseError, match="29 Feb 1900"):
        parse_date(60)
