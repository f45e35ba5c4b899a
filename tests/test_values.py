"""Tests for the cell readers (load/cells, numeric, dates, words): reading cells the way people write them."""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmap_audit.load.cells import (
    NONE_MARKERS,
    ParseError,
    fold,
    is_blank,
    is_none_marker,
    parse_text,
)
from roadmap_audit.load.dates import MONTH_NAMES, parse_date, parse_quarter, quarter_bounds
from roadmap_audit.load.numeric import parse_number, parse_percent, parse_tier
from roadmap_audit.load.words import (
    normalize_name,
    parse_bool,
    parse_bool_or_link,
    parse_commitment,
    parse_list,
)

D = dt.date
NAN = float("nan")
INF = float("inf")
LONG = "x" * 100_000
HUGE_INT = pytest.param(10**5000, id="huge-int")  # str() of it fails, so give pytest an id


# ---------------------------------------------------------------------------
# Blanks and none markers
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "v", [None, "", " ", "   ", "\t", "\n", "\u00a0", "\u2009 ", "\ufeff", "\u200b"]
)
def test_is_blank_true(v):
    assert is_blank(v)


@pytest.mark.parametrize("v", ["x", "0", " - ", 0, 0.0, False, D(2026, 1, 1), "n/a"])
def test_is_blank_false(v):
    assert not is_blank(v)


@pytest.mark.parametrize(
    "v",
    [
        None,
        "",
        "  ",
        "n/a",
        "N/A",
        " N / A ",
        "na",
        "NA",
        "none",
        "None",
        "tbd",
        "TBD",
        "tba",
        "-",
        "—",
        "–",
        "null",
        "NULL",
        "nil",
        "?",
        "no",
        "No",
        "not applicable",
        "Not  Applicable",
        "TODO",
        "todo",
        "\uff2e/\uff21",  # full-width N/A
    ],
)
def test_is_none_marker_true(v):
    assert is_none_marker(v)


@pytest.mark.parametrize(
    "v", ["yes", "0", "--x", "nothing", "n/a plan", "https://wiki/rollback", 0, False, 1.5]
)
def test_is_none_marker_false(v):
    assert not is_none_marker(v)


def test_none_markers_are_stored_normalized():
    assert "notapplicable" in NONE_MARKERS
    assert all(m == m.casefold() and " " not in m for m in NONE_MARKERS)
    assert {
        "",
        "n/a",
        "na",
        "none",
        "tbd",
        "tba",
        "-",
        "—",
        "–",
        "null",
        "nil",
        "?",
        "no",
        "todo",
    } <= NONE_MARKERS


# ---------------------------------------------------------------------------
# normalize_name
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, key",
    [
        ("Owner team", "ownerteam"),
        ("Estimación original", "estimacionoriginal"),
        ("Σ Original Estimate", "originalestimate"),
        ("depends_on", "dependson"),
        ("Component/s", "components"),
        ("  OWNER-Team  ", "ownerteam"),
        ("Straße", "strasse"),
        ("Zeitschätzung", "zeitschatzung"),
        ("Tier (1-4)", "tier14"),
        ("Q3 2026", "q32026"),
        ("Custom field (Story Points)", "customfieldstorypoints"),
        ("\ufeffKey", "key"),
        ("Ｏｗｎｅｒ", "owner"),
        ("", ""),
        ("ΣΣΣ", ""),
    ],
)
def test_normalize_name(raw, key):
    assert normalize_name(raw) == key


# ---------------------------------------------------------------------------
# parse_text
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "v, expected",
    [
        (None, None),
        ("", None),
        ("   ", None),
        ("  Payments  ", "Payments"),
        ("line 1\r\nline 2", "line 1\nline 2"),
        ("line 1\rline 2", "line 1\nline 2"),
        ("n/a", "n/a"),  # text keeps markers; the caller decides what they mean
        (12, "12"),
        (12.0, "12"),
        (-3.0, "-3"),
        (12.5, "12.5"),
        (0.1 + 0.2, "0.3"),
        (True, "True"),
        (dt.datetime(2026, 7, 1), "2026-07-01"),
        (dt.datetime(2026, 7, 1, 10, 30), "2026-07-01 10:30:00"),
        (D(2026, 7, 1), "2026-07-01"),
        (dt.time(9, 30), "09:30:00"),
        ("\ufeffPAY-12\u200b", "PAY-12"),
    ],
)
def test_parse_text(v, expected):
    assert parse_text(v) == expected


@pytest.mark.parametrize("v", [NAN, INF, -INF, HUGE_INT, object(), [1, 2]])
def test_parse_text_errors(v):
    with pytest.raises(ParseError):
        parse_text(v)


# ---------------------------------------------------------------------------
# parse_number
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "v, expected",
    [
        ("3", 3.0),
        ("3.5", 3.5),
        ("1,000.5", 1000.5),
        ("1,000", 1000.0),
        ("1,000,000", 1_000_000.0),
        ("1 000", 1000.0),
        ("1 000 000,25", 1_000_000.25),
        ("1.000,5", 1000.5),
        ("1.000.000", 1_000_000.0),
        ("1'000", 1000.0),
        ("3,5", 3.5),
        ("3,50", 3.5),
        ("1,00", 1.0),
        ("9" * 99, 1e99),
        ("3,5000", 3.5),
        ("0,125", 0.125),
        (",5", 0.5),
        (".5", 0.5),
        ("  4 ", 4.0),
        ("+2", 2.0),
        ("-1", -1.0),
        ("- 1", -1.0),
        ("\u22121", -1.0),
        ("4w", 4.0),
        ("4 weeks", 4.0),
        ("2 eng-weeks", 2.0),
        ("2.5 person days", 2.5),
        ("5d", 5.0),
        ("3 pts.", 3.0),
        ("1\u00a0000", 1000.0),
        ("1\u2009000", 1000.0),
        ("1\u202f000,5", 1000.5),
        ("\u00a04\u00a0", 4.0),
        ("007", 7.0),
        ("1.5E+11", 1.5e11),
        ("2e3", 2000.0),
        (3, 3.0),
        (3.5, 3.5),
        (-2, -2.0),
        (Fraction(1, 4), 0.25),
        (10**20, 1e20),
        ("~4", 4.0),  # what is written around a number without changing it
        ("approx. 3", 3.0),
        ("4?", 4.0),
        ("6 (2 new)", 6.0),
        ("10/week", 10.0),
    ],
)
def test_parse_number(v, expected):
    assert parse_number(v) == expected


@pytest.mark.parametrize("v", [None, "", "  ", "n/a", "TBD", "-", "?", "—"])
def test_parse_number_empty(v):
    assert parse_number(v) is None


@pytest.mark.parametrize(
    "v",
    [
        "abc",
        "1.2.3",
        "1,2,3",
        "12,34,567",
        "1 00",
        "3-4",
        "~",
        "(4)",
        "4 (",
        "$5",
        "20%",
        "1e999",
        LONG,
        "1" * 400,
        "nan",
        "inf",
        "-inf",
        "Infinity",
        "10k",
        "3.",
        "+-5",
        "4 is roughly the estimate we think",
        "1,000.000.5",
        "1.000,000,5",
        "1 000.000,5",
        "²",
        "١٢",  # superscript and Arabic-Indic digits are not plain digits
        True,
        False,
        NAN,
        INF,
        -INF,
        10**400,
        D(2026, 1, 1),
        dt.time(1, 0),
        object(),
        [1],
    ],
)
def test_parse_number_errors(v):
    with pytest.raises(ParseError):
        parse_number(v)


def test_parse_number_error_message_is_short_and_quotes_the_value():
    with pytest.raises(ParseError) as err:
        parse_number("abc")
    assert str(err.value) == "'abc' is not a number"
    with pytest.raises(ParseError) as err:
        parse_number(LONG)
    assert len(str(err.value)) < 100


# ---------------------------------------------------------------------------
# parse_percent
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "v, expected",
    [
        ("20%", 0.2),
        ("20 %", 0.2),
        ("20\u00a0%", 0.2),
        ("12.5%", 0.125),
        ("12,5 %", 0.125),
        ("0%", 0.0),
        ("100%", 1.0),
        ("150%", 1.5),
        ("-5%", -0.05),
        ("20 percent", 0.2),
        ("20 pct", 0.2),
        ("20\uff05", 0.2),
        ("0.2", 0.2),
        ("20", 0.2),
        ("1", 1.0),
        ("100", 1.0),
        ("0", 0.0),
        ("-5", -0.05),
        ("-0.05", -0.05),
        (0.2, 0.2),
        (20, 0.2),
        (1, 1.0),
        (1.0, 1.0),
        (100, 1.0),
        (0, 0.0),
        (-0.05, -0.05),
    ],
)
def test_parse_percent(v, expected):
    assert parse_percent(v) == pytest.approx(expected)


@pytest.mark.parametrize("v", [None, "", "n/a", "tbd", "-"])
def test_parse_percent_empty(v):
    assert parse_percent(v) is None


@pytest.mark.parametrize(
    "v",
    [
        "150",
        150,
        101,
        -200,
        "abc",
        "20 weeks",
        "%20",
        "20%%",
        "nan%",
        True,
        NAN,
        INF,
        D(2026, 1, 1),
        LONG,
    ],
)
def test_parse_percent_errors(v):
    with pytest.raises(ParseError):
        parse_percent(v)


# ---------------------------------------------------------------------------
# parse_bool and parse_bool_or_link
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "v",
    [
        True,
        1,
        1.0,
        "yes",
        "YES",
        " Yes ",
        "y",
        "Y",
        "true",
        "TRUE",
        "t",
        "x",
        "X",
        "✓",
        "✔",
        "✔\ufe0f",
        "✅",
        "on",
        "si",
        "sí",
        "Sí",
        "oui",
        "ja",
        "done",
        "Done",
        "1",
    ],
)
def test_parse_bool_true(v):
    assert parse_bool(v) is True


@pytest.mark.parametrize(
    "v",
    [
        False,
        0,
        0.0,
        "no",
        "NO",
        "n",
        "false",
        "False",
        "f",
        "✗",
        "✘",
        "❌",
        "off",
        "non",
        "nein",
        "0",
    ],
)
def test_parse_bool_false(v):
    assert parse_bool(v) is False


@pytest.mark.parametrize("v", [None, "", "  ", "n/a", "TBD", "-", "?"])
def test_parse_bool_empty(v):
    assert parse_bool(v) is None


@pytest.mark.parametrize(
    "v",
    [
        "https://wiki/policy",
        "policy doc",
        "maybe",
        "yes!",
        "2",
        2,
        0.5,
        -1,
        NAN,
        INF,
        D(2026, 1, 1),
        LONG,
        object(),
    ],
)
def test_parse_bool_errors(v):
    with pytest.raises(ParseError):
        parse_bool(v)


@pytest.mark.parametrize(
    "v, expected",
    [
        ("https://wiki/policy", True),
        ("policy doc", True),
        ("See runbook RB-12", True),
        ("yes", True),
        ("x", True),
        (True, True),
        (1, True),
        ("no", False),
        ("n/a", False),
        ("N/A", False),
        ("none", False),
        ("TBD", False),
        ("todo", False),
        ("-", False),
        ("not applicable", False),
        (False, False),
        (0, False),
        (None, None),
        ("", None),
        ("   ", None),
    ],
)
def test_parse_bool_or_link(v, expected):
    assert parse_bool_or_link(v) is expected


@pytest.mark.parametrize("v", [2, NAN, D(2026, 1, 1)])
def test_parse_bool_or_link_errors(v):
    with pytest.raises(ParseError):
        parse_bool_or_link(v)


# ---------------------------------------------------------------------------
# parse_list
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "v, expected",
    [
        (None, []),
        ("", []),
        ("   ", []),
        ("n/a", []),
        ("auth", ["auth"]),
        ("auth, billing", ["auth", "billing"]),
        ("auth;billing|search", ["auth", "billing", "search"]),
        ("auth\nbilling\r\nsearch", ["auth", "billing", "search"]),
        ("auth\tbilling", ["auth", "billing"]),
        ("auth,,  , billing,", ["auth", "billing"]),
        ("auth, n/a, -, billing, TBD", ["auth", "billing"]),
        ("b, a, b, c, a", ["b", "a", "c"]),
        ("  PAY-1 ;  PAY-2  ", ["PAY-1", "PAY-2"]),
        ("Team A, Team  B", ["Team A", "Team  B"]),
        (12.0, ["12"]),
        (12, ["12"]),
        (12.5, ["12.5"]),
        (D(2026, 7, 1), ["2026-07-01"]),
        (["a, b", "b", None, "c"], ["a", "b", "c"]),
        (("x",), ["x"]),
    ],
)
def test_parse_list(v, expected):
    assert parse_list(v) == expected


@pytest.mark.parametrize("v", [True, NAN, INF, object()])
def test_parse_list_errors(v):
    with pytest.raises(ParseError):
        parse_list(v)


# ---------------------------------------------------------------------------
# parse_date
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "v, expected",
    [
        # date and datetime cells
        (D(2026, 7, 1), D(2026, 7, 1)),
        (dt.datetime(2026, 7, 1, 23, 59), D(2026, 7, 1)),
        (dt.datetime(2026, 7, 1, tzinfo=dt.UTC), D(2026, 7, 1)),
        # Excel serial numbers, 1900 system with the leap-year bug
        (1, D(1900, 1, 1)),
        (59, D(1900, 2, 28)),
        (61, D(1900, 3, 1)),
        (45000, D(2023, 3, 15)),
        (45000.75, D(2023, 3, 15)),
        (46204, D(2026, 7, 1)),
        # ISO
        ("2026-07-01", D(2026, 7, 1)),
        ("2026-7-1", D(2026, 7, 1)),
        ("2026/07/01", D(2026, 7, 1)),
        ("20260701", D(2026, 7, 1)),
        ("2026-07-01 10:00", D(2026, 7, 1)),
        ("2026-07-01T10:00:00.000+0000", D(2026, 7, 1)),
        ("2026-07-01T10:00:00Z", D(2026, 7, 1)),
        ("2026-07-01T10:00:00+02:00", D(2026, 7, 1)),
        ("2026-07-01 10:00:00 UTC", D(2026, 7, 1)),
        ("2025-12-22 18:45:55.01", D(2025, 12, 22)),
        ("  2026-07-01  ", D(2026, 7, 1)),
        ("\ufeff2026-07-01", D(2026, 7, 1)),
        # day first by default
        ("01/07/2026", D(2026, 7, 1)),
        ("1/7/2026", D(2026, 7, 1)),
        ("31/12/2026", D(2026, 12, 31)),
        ("1.7.2026", D(2026, 7, 1)),
        ("01.07.2026", D(2026, 7, 1)),
        ("01-07-2026", D(2026, 7, 1)),
        ("01/07/26", D(2026, 7, 1)),
        ("01/07/2026 14:30", D(2026, 7, 1)),
        # English month names
        ("12/Mar/24", D(2024, 3, 12)),
        ("1 Jul 2026", D(2026, 7, 1)),
        ("Jul 1, 2026", D(2026, 7, 1)),
        ("July 1 2026", D(2026, 7, 1)),
        ("July 1st, 2026", D(2026, 7, 1)),
        ("1st of July 2026", D(2026, 7, 1)),
        ("1-Jul-2026", D(2026, 7, 1)),
        ("1-JUL-26", D(2026, 7, 1)),
        ("2026 Jul 1", D(2026, 7, 1)),
        ("Sept 3, 2026", D(2026, 9, 3)),
        ("3 September 2026", D(2026, 9, 3)),
        # Jira
        ("22/Sep/25 9:26 AM", D(2025, 9, 22)),
        ("18/Sep/25 12:00 AM", D(2025, 9, 18)),
        ("30/Jul/18 23:33", D(2018, 7, 30)),
        ("01/Feb/26 11:59 PM", D(2026, 2, 1)),
        ("01/Feb/26 11:59 p.m.", D(2026, 2, 1)),
        # Spanish
        ("15 ene 2026", D(2026, 1, 15)),
        ("15-abr-2026", D(2026, 4, 15)),
        ("3 ago. 2026", D(2026, 8, 3)),
        ("3 sept 2026", D(2026, 9, 3)),
        ("3 set 2026", D(2026, 9, 3)),
        ("31 dic 2026", D(2026, 12, 31)),
        ("1 de julio de 2026", D(2026, 7, 1)),
        ("1 de Septiembre de 2026", D(2026, 9, 1)),
        ("10 DICIEMBRE 2026", D(2026, 12, 10)),
        # French
        ("15 janv. 2026", D(2026, 1, 15)),
        ("15 févr. 2026", D(2026, 2, 15)),
        ("15 fevr 2026", D(2026, 2, 15)),
        ("2 mars 2026", D(2026, 3, 2)),
        ("2 avr. 2026", D(2026, 4, 2)),
        ("2 mai 2026", D(2026, 5, 2)),
        ("2 juin 2026", D(2026, 6, 2)),
        ("14 juil. 2026", D(2026, 7, 14)),
        ("15 août 2026", D(2026, 8, 15)),
        ("15 AOÛT 2026", D(2026, 8, 15)),
        ("1 sept. 2026", D(2026, 9, 1)),
        ("1 oct. 2026", D(2026, 10, 1)),
        ("25 déc. 2026", D(2026, 12, 25)),
        ("1er juillet 2026", D(2026, 7, 1)),
        ("25 décembre 2026", D(2026, 12, 25)),
        ("11 février 2026", D(2026, 2, 11)),
        # Portuguese
        ("5 fev 2026", D(2026, 2, 5)),
        ("5 abr 2026", D(2026, 4, 5)),
        ("5 mai 2026", D(2026, 5, 5)),
        ("5 ago 2026", D(2026, 8, 5)),
        ("5 set 2026", D(2026, 9, 5)),
        ("5 out 2026", D(2026, 10, 5)),
        ("5 dez 2026", D(2026, 12, 5)),
        ("5 de março de 2026", D(2026, 3, 5)),
        ("5 de outubro de 2026", D(2026, 10, 5)),
        # German
        ("1. Jan 2026", D(2026, 1, 1)),
        ("1. Mär 2026", D(2026, 3, 1)),
        ("1 Mrz 2026", D(2026, 3, 1)),
        ("1. März 2026", D(2026, 3, 1)),
        ("1 Mai 2026", D(2026, 5, 1)),
        ("3. Okt 2026", D(2026, 10, 3)),
        ("24. Dez. 2026", D(2026, 12, 24)),
        ("24. Dezember 2026", D(2026, 12, 24)),
        ("1. Oktober 2026", D(2026, 10, 1)),
        # Polish
        ("1 sty 2026", D(2026, 1, 1)),
        ("1 lut 2026", D(2026, 2, 1)),
        ("1 mar 2026", D(2026, 3, 1)),
        ("1 kwi 2026", D(2026, 4, 1)),
        ("1 maj 2026", D(2026, 5, 1)),
        ("1 cze 2026", D(2026, 6, 1)),
        ("1 lip 2026", D(2026, 7, 1)),
        ("1 sie 2026", D(2026, 8, 1)),
        ("1 wrz 2026", D(2026, 9, 1)),
        ("1 paź 2026", D(2026, 10, 1)),
        ("1 PAŹ 2026", D(2026, 10, 1)),
        ("1 lis 2026", D(2026, 11, 1)),
        ("1 gru 2026", D(2026, 12, 1)),
        ("1 października 2026", D(2026, 10, 1)),
        # edges of the allowed year range
        ("1900-01-01", D(1900, 1, 1)),
        ("2200-12-31", D(2200, 12, 31)),
        ("29/02/2024", D(2024, 2, 29)),
    ],
)
def test_parse_date(v, expected):
    assert parse_date(v) == expected


@pytest.mark.parametrize(
    "v, expected",
    [
        ("01/07/2026", D(2026, 1, 7)),
        ("07/01/2026", D(2026, 7, 1)),
        ("31/12/2026", D(2026, 12, 31)),
        ("12/31/2026", D(2026, 12, 31)),
        ("1.7.2026", D(2026, 1, 7)),
        ("2026-07-01", D(2026, 7, 1)),
        ("12/Mar/24", D(2024, 3, 12)),
        ("Jul 1, 2026", D(2026, 7, 1)),
    ],
)
def test_parse_date_month_first(v, expected):
    assert parse_date(v, dayfirst=False) == expected


def test_parse_date_day_first_unambiguous_swap():
    assert parse_date("12/31/2026", dayfirst=True) == D(2026, 12, 31)


@pytest.mark.parametrize("v", [None, "", "  ", "n/a", "TBD", "-", "?"])
def test_parse_date_empty(v):
    assert parse_date(v) is None


@pytest.mark.parametrize(
    "v",
    [
        # impossible dates
        "31/02/2026",
        "29/02/2026",
        "2026-13-01",
        "2026-00-10",
        "00/00/0000",
        "32/01/2026",
        "13/13/2026",
        "2026-02-30",
        "31 Apr 2026",
        # years outside 1900-2200
        "1899-12-31",
        "2201-01-01",
        "01/01/1850",
        dt.datetime(1899, 12, 30),
        D(2500, 1, 1),
        2958465,
        # Excel serials out of range or the leap-year bug day
        60,
        0,
        -1,
        0.5,
        2958466,
        1e12,
        NAN,
        INF,
        -INF,
        10**400,
        # time-only values
        "10:00",
        "9:26 AM",
        "23:59:59",
        dt.time(10, 0),
        # bad times attached to dates
        "2026-07-01 25:00",
        "2026-07-01 10:61",
        "22/Sep/25 13:00 PM",
        # garbage and near misses
        "abc",
        "soon",
        "Q3 2026",
        "2026",
        "2026-07",
        "Jul 2026",
        "July",
        "1 Foo 2026",
        "1 Jul Aug 2026",
        "45000",
        "01/07",
        "01/07/2026/01",
        "001/07/2026",
        "01/07/202",
        "2026-07-01?",
        "1 Jul 2026 + 3d",
        "--",
        "/ /",
        "...",
        "2026_07_01",
        LONG,
        "\ud800",
        "1/1/1/1/1/1",
        True,
        False,
        object(),
        [2026, 7, 1],
    ],
)
def test_parse_date_errors(v):
    with pytest.raises(ParseError):
        parse_date(v)


def test_parse_date_error_reasons_are_specific():
    with pytest.raises(ParseError, match="no day 31"):
        parse_date("31/02/2026")
    with pytest.raises(ParseError, match="no month 13"):
        parse_date("2026-13-01")
    with pytest.raises(ParseError, match="1900-2200"):
        parse_date("2201-01-01")
    with pytest.raises(ParseError, match="time of day"):
        parse_date("10:00")
    with pytest.raises(ParseError, match="never existed"):
        parse_date(60)


def test_month_table_keys_are_normalized_and_valid():
    for name, month in MONTH_NAMES.items():
        # the key a month word is looked up by: Latin names fold to ASCII, Cyrillic ones keep their script
        assert (
            name == (normalize_name(name) if name.isascii() else fold(name)) and name.isalpha()
        ), name
        assert 1 <= month <= 12
    for month in range(1, 13):
        assert list(MONTH_NAMES.values()).count(month) >= 6


# ---------------------------------------------------------------------------
# parse_tier
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "v, expected",
    [
        (1, 1),
        (4, 4),
        (2.0, 2),
        ("1", 1),
        ("4", 4),
        ("3.0", 3),
        (" 2 ", 2),
        ("tier 1", 1),
        ("Tier 1", 1),
        ("TIER 3", 3),
        ("Tier-2", 2),
        ("tier_4", 4),
        ("tier1", 1),
        ("T1", 1),
        ("t2", 2),
        ("P1", 1),
        ("p 3", 3),
        ("critical", 1),
        ("Critical", 1),
        ("high", 2),
        ("HIGH", 2),
        ("medium", 3),
        ("med", 3),
        ("Low", 4),
    ],
)
def test_parse_tier(v, expected):
    assert parse_tier(v) == expected


@pytest.mark.parametrize("v", [None, "", "n/a", "tbd", "-"])
def test_parse_tier_empty(v):
    assert parse_tier(v) is None


@pytest.mark.parametrize(
    "v",
    [
        0,
        5,
        1.5,
        -1,
        "0",
        "5",
        "P0",
        "tier 5",
        "T1.5",
        "urgent",
        "gold",
        "tier one",
        True,
        NAN,
        INF,
        "9" * 5000,
        LONG,
        D(2026, 1, 1),
    ],
)
def test_parse_tier_errors(v):
    with pytest.raises(ParseError):
        parse_tier(v)


# ---------------------------------------------------------------------------
# parse_quarter and quarter_bounds
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "v, expected",
    [
        ("2026-Q3", (2026, 3)),
        ("2026 Q3", (2026, 3)),
        ("2026Q3", (2026, 3)),
        ("2026/Q3", (2026, 3)),
        ("2026 - Q3", (2026, 3)),
        ("Q3 2026", (2026, 3)),
        ("q3-2026", (2026, 3)),
        ("Q3/2026", (2026, 3)),
        ("Q32026", (2026, 3)),
        ("Q1 2027", (2027, 1)),
        ("Q4 '26", (2026, 4)),
        ("Q4 26", (2026, 4)),
        ("  2026-q2 ", (2026, 2)),
    ],
)
def test_parse_quarter(v, expected):
    assert parse_quarter(v) == expected


@pytest.mark.parametrize("v", [None, "", "n/a", "TBD"])
def test_parse_quarter_empty(v):
    assert parse_quarter(v) is None


@pytest.mark.parametrize(
    "v",
    [
        "FY26 Q3",
        "Q3 FY26",
        "2026-Q5",
        "Q0 2026",
        "Q3",
        "2026",
        "third quarter",
        "3Q26",
        "1899-Q1",
        "2026-07-01",
        2026,
        3.0,
        True,
        D(2026, 7, 1),
        LONG,
    ],
)
def test_parse_quarter_errors(v):
    with pytest.raises(ParseError):
        parse_quarter(v)


def test_parse_quarter_fiscal_year_reason():
    with pytest.raises(ParseError, match="fiscal"):
        parse_quarter("FY26 Q3")


@pytest.mark.parametrize(
    "year, q, first, last",
    [
        (2026, 1, D(2026, 1, 1), D(2026, 3, 31)),
        (2026, 2, D(2026, 4, 1), D(2026, 6, 30)),
        (2026, 3, D(2026, 7, 1), D(2026, 9, 30)),
        (2026, 4, D(2026, 10, 1), D(2026, 12, 31)),
        (2024, 1, D(2024, 1, 1), D(2024, 3, 31)),
        (9999, 4, D(9999, 10, 1), D(9999, 12, 31)),
    ],
)
def test_quarter_bounds(year, q, first, last):
    assert quarter_bounds(year, q) == (first, last)


@pytest.mark.parametrize(
    "year, q",
    [(2026, 0), (2026, 5), (2026, 1.0), (2026, "3"), (0, 1), (10000, 1), ("2026", 1), (2026, True)],
)
def test_quarter_bounds_errors(year, q):
    with pytest.raises(ParseError):
        quarter_bounds(year, q)


def test_quarter_bounds_cover_parsed_quarter():
    first, last = quarter_bounds(*parse_quarter("Q3 2026"))
    assert first <= parse_date("15/08/2026") <= last


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------

PARSERS = [
    parse_text,
    parse_number,
    parse_percent,
    parse_bool,
    parse_bool_or_link,
    parse_list,
    parse_date,
    parse_tier,
    parse_quarter,
]

cell_values = st.one_of(
    st.none(),
    st.text(),
    st.text(alphabet="0123456789 .,'+-%eEwk\u00a0\u2009/:TZAPMQq"),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
)


@given(st.text())
def test_parse_number_only_raises_parse_error_on_text(text):
    try:
        result = parse_number(text)
    except ParseError:
        return
    assert result is None or math.isfinite(result)


@given(st.text(alphabet="0123456789 .,'+-eEw\u00a0\u2009", max_size=30))
def test_parse_number_only_raises_parse_error_on_numberish_text(text):
    with contextlib.suppress(ParseError):
        parse_number(text)


@settings(max_examples=300)
@given(cell_values)
def test_every_parser_only_raises_parse_error(v):
    for parse in PARSERS:
        with contextlib.suppress(ParseError):
            parse(v)
    is_blank(v)
    is_none_marker(v)


@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2200, 12, 31)), st.booleans())
def test_parse_date_round_trips_isoformat(d, dayfirst):
    assert parse_date(d.isoformat(), dayfirst=dayfirst) == d


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2099, 12, 31)))  # %y only covers 20yy
def test_parse_date_round_trips_jira_style(d):
    assert parse_date(d.strftime("%d/%b/%y")) == d


@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2200, 12, 31)))
def test_parse_date_reads_both_orders_of_slashed_dates(d):
    assert parse_date(d.strftime("%d/%m/%Y")) == d
    assert parse_date(d.strftime("%m/%d/%Y"), dayfirst=False) == d


@given(
    st.one_of(
        st.text(),
        st.lists(st.text(), max_size=5),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
    )
)
def test_parse_list_never_returns_empty_strings(v):
    items = parse_list(v)
    assert all(item and item == item.strip() for item in items)
    assert len(items) == len(set(items))


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
def test_parse_number_reads_what_text_shows(x):
    assert parse_number(repr(x)) == x


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_parse_number_reads_grouped_thousands(n):
    assert parse_number(f"{n:,}") == n
    assert parse_number(f"{n:,}".replace(",", " ")) == n


@given(st.text())
def test_normalize_name_keeps_only_ascii_letters_and_digits(text):
    key = normalize_name(text)
    assert all(c in "abcdefghijklmnopqrstuvwxyz0123456789" for c in key)
    assert normalize_name(key) == key


@pytest.mark.parametrize(
    ("v", "expected"),
    [
        ("yes", True),
        ("no", False),
        ("x", True),
        (1, True),
        (None, None),
        ("n/a", None),
        ("Committed", True),
        ("commit", True),
        ("Locked in", True),
        ("Promised", True),
        ("Stretch", False),
        ("stretch-goal", False),
        ("Target", False),
        ("Best effort", False),
        ("Nice to have", False),
        ("yes - to Sales", True),
        ("No (stretch)", False),
        ("2026-08-01", True),
        (D(2026, 8, 1), True),  # a "committed date" column holds the promised date
    ],
)
def test_parse_commitment_reads_planning_words(v, expected):
    assert parse_commitment(v) is expected


@pytest.mark.parametrize("v", ["perhaps", "Sales", "yes no"])
def test_parse_commitment_refuses_what_says_neither(v):
    with pytest.raises(ParseError, match="is not a commitment"):
        parse_commitment(v)
