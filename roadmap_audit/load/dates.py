"""Dates as people and spreadsheets write them: date cells, Excel day numbers, text in many
languages and orders, and calendar quarters."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from functools import lru_cache
from typing import Any

from .cells import ParseError, finite_float, fold, is_none_marker, show, strip_invisible

# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------

# Month names and abbreviations in every language we read, keyed by their
# fold form (lower case, no accents, no trailing dot).  Adding a language means
# adding its names here.  en = English, es = Spanish, fr = French,
# pt = Portuguese, de = German, pl = Polish (nominative and genitive),
# ru = Russian: the abbreviations Jira writes in "15/мар/25" (those a public
# converter of Russian Jira CSV exports reads, and Unicode CLDR's "февр.",
# "сент.", "нояб.", "мая"); "май" folds to "маи".
MONTH_NAMES: dict[str, int] = {
    # January
    "jan": 1,
    "january": 1,  # en, de, fr, pt
    "ene": 1,
    "enero": 1,  # es
    "janv": 1,
    "janvier": 1,  # fr
    "janeiro": 1,  # pt
    "januar": 1,
    "janner": 1,  # de, at
    "sty": 1,
    "styczen": 1,
    "stycznia": 1,  # pl
    "янв": 1,  # ru
    # February
    "feb": 2,
    "february": 2,  # en, es, de
    "febrero": 2,  # es
    "fev": 2,
    "fevr": 2,
    "fevrier": 2,  # fr, pt
    "fevereiro": 2,  # pt
    "februar": 2,  # de
    "lut": 2,
    "luty": 2,
    "lutego": 2,  # pl
    "фев": 2,
    "февр": 2,  # ru
    # March
    "mar": 3,
    "march": 3,  # en, es, pt, pl; also de "Mär"
    "marzo": 3,  # es
    "mars": 3,  # fr
    "marco": 3,  # pt "março"
    "marz": 3,
    "mrz": 3,  # de "März"
    "marzec": 3,
    "marca": 3,  # pl
    "мар": 3,  # ru
    # April
    "apr": 4,
    "april": 4,  # en, de
    "abr": 4,
    "abril": 4,  # es, pt
    "avr": 4,
    "avril": 4,  # fr
    "kwi": 4,
    "kwiecien": 4,
    "kwietnia": 4,  # pl
    "апр": 4,  # ru
    # May
    "may": 5,
    "mayo": 5,  # en, es
    "mai": 5,  # fr, pt, de
    "maio": 5,  # pt
    "maj": 5,
    "maja": 5,  # pl
    "маи": 5,
    "мая": 5,  # ru
    # June
    "jun": 6,
    "june": 6,  # en, es, pt, de
    "junio": 6,  # es
    "juin": 6,  # fr
    "junho": 6,  # pt
    "juni": 6,  # de
    "cze": 6,
    "czerwiec": 6,
    "czerwca": 6,  # pl
    "июн": 6,  # ru
    # July
    "jul": 7,
    "july": 7,  # en, es, pt, de
    "julio": 7,  # es
    "juil": 7,
    "juillet": 7,  # fr
    "julho": 7,  # pt
    "juli": 7,  # de
    "lip": 7,
    "lipiec": 7,
    "lipca": 7,  # pl
    "июл": 7,  # ru
    # August
    "aug": 8,
    "august": 8,  # en, de
    "ago": 8,
    "agosto": 8,  # es, pt
    "aout": 8,  # fr "août"
    "sie": 8,
    "sierpien": 8,
    "sierpnia": 8,  # pl
    "авг": 8,  # ru
    # September
    "sep": 9,
    "sept": 9,
    "september": 9,  # en, es, fr, de
    "septiembre": 9,
    "setiembre": 9,  # es
    "septembre": 9,  # fr
    "set": 9,
    "setembro": 9,  # pt, es
    "wrz": 9,
    "wrzesien": 9,
    "wrzesnia": 9,  # pl
    "сен": 9,
    "сент": 9,  # ru
    # October
    "oct": 10,
    "october": 10,  # en, es, fr
    "octubre": 10,  # es
    "octobre": 10,  # fr
    "out": 10,
    "outubro": 10,  # pt
    "okt": 10,
    "oktober": 10,  # de
    "paz": 10,
    "pazdziernik": 10,
    "pazdziernika": 10,  # pl
    "окт": 10,  # ru
    # November
    "nov": 11,
    "november": 11,  # en, es, fr, pt, de
    "noviembre": 11,  # es
    "novembre": 11,  # fr
    "novembro": 11,  # pt
    "lis": 11,
    "listopad": 11,
    "listopada": 11,  # pl
    "ноя": 11,
    "нояб": 11,  # ru
    # December
    "dec": 12,
    "december": 12,  # en, fr "déc"
    "dic": 12,
    "diciembre": 12,  # es
    "decembre": 12,  # fr
    "dez": 12,
    "dezembro": 12,  # pt
    "dezember": 12,  # de
    "gru": 12,
    "grudzien": 12,
    "grudnia": 12,  # pl
    "дек": 12,  # ru
}
# tr = Turkish, as Jira writes it ("26/Eyl/26 4:35 PM" in a Turkish Cloud export): the locale's
# abbreviations (glibc's and Unicode CLDR's tr: Oca Şub Mar Nis May Haz Tem Ağu Eyl Eki Kas Ara;
# "Mar" and "May" are already above).
MONTH_NAMES.update(
    {
        "oca": 1,
        "sub": 2,
        "nis": 4,
        "haz": 6,
        "tem": 7,
        "agu": 8,
        "eyl": 9,
        "eki": 10,
        "kas": 11,
        "ara": 12,
    }
)

MIN_YEAR, MAX_YEAR = 1900, 2200
_MAX_DATE_TEXT = 60

# Excel stores a date as a day number, its fraction the time of day.  In the 1900 date
# system (Windows, the default) day 1 is 1900-01-01, but Excel believes 1900 was a leap
# year (as Lotus 1-2-3 did): day 60 is the 29 February 1900 that never was, and from day
# 61 on the days count from 1899-12-30.  In the 1904 date system (old Mac workbooks;
# `date1904` in workbook.xml) day 0 is 1904-01-01 and there is no such day.
# https://learn.microsoft.com/en-us/office/troubleshoot/excel/wrongly-assumes-1900-is-leap-year
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_EXCEL_EPOCH_1904 = dt.datetime(1904, 1, 1)
_EXCEL_PHANTOM_LEAP_DAY = 60
EXCEL_MAX_SERIAL = 2958465  # 9999-12-31, Excel's last day (1900 system)
_EXCEL_1904_OFFSET = 1462  # days from the 1900 system's serials to the 1904 system's
_MS_PER_DAY = 86_400_000

# A clock time at the end of a date: " 9:26 AM", "T10:00:00.000+0000", " 18:45:55.01".
_TIME_CORE = r"(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?\s*([ap]\.?m\.?)?"
_TIME_SUFFIX = re.compile(
    r"(?:t|\s+|,\s*)" + _TIME_CORE + r"\s*(?:z|utc|gmt|[+-]\d{2}(?::?\d{2})?)?$"
)
_TIME_ONLY = re.compile(_TIME_CORE + r"\s*(?:z|utc|gmt|[+-]\d{2}(?::?\d{2})?)?")
_ORDINAL = re.compile(r"(?<=\d)(?:st|nd|rd|th|er)\b")  # "1st July", "1er juillet"
_NOT_DATE_CHAR = re.compile(r"[^\w\s/.,'-]|_")
_DATE_TOKEN = re.compile(r"[0-9]+|[^\W\d_]+")
_FILLER_WORDS = frozenset({"de", "del", "of"})  # "1 de julio de 2026", "1st of July"


def check_year(d: dt.date, v: Any) -> dt.date:
    """The date, if its year is plausible for a plan."""
    if not MIN_YEAR <= d.year <= MAX_YEAR:
        raise ParseError(f"{show(v)} has year {d.year}, outside {MIN_YEAR}-{MAX_YEAR}")
    return d


def from_excel_serial(serial: Any, *, date1904: bool = False) -> dt.datetime:
    """The moment an Excel date serial stands for, to the millisecond as Excel shows it.

    1900 system: 59 is 1900-02-28, 61 is 1900-03-01, and 60 -- Excel's 29 February 1900 --
    is refused, as is anything below 1 (a time of day alone).  1904 system (``date1904``):
    0 is 1904-01-01.  ParseError for a serial that names no day Excel can show.
    """
    x = finite_float(serial, "a date")
    day = math.floor(x)
    ms = round((x - day) * _MS_PER_DAY)  # 14:05 stays 14:05, not 14:04:59.999999
    if ms == _MS_PER_DAY:
        day, ms = day + 1, 0
    first, last = (0, EXCEL_MAX_SERIAL - _EXCEL_1904_OFFSET) if date1904 else (1, EXCEL_MAX_SERIAL)
    if not date1904 and 0 < x < 1:
        raise ParseError(f"{show(serial)} is a time of day, not a date")
    if not first <= day <= last:
        raise ParseError(f"{show(serial)} is not a date")
    if date1904:
        return _EXCEL_EPOCH_1904 + dt.timedelta(days=day, milliseconds=ms)
    if day == _EXCEL_PHANTOM_LEAP_DAY:
        raise ParseError(f"{show(serial)} is Excel's 29 Feb 1900, a day that never existed")
    if day < _EXCEL_PHANTOM_LEAP_DAY:
        day += 1  # before the phantom day the count starts a day later
    return _EXCEL_EPOCH + dt.timedelta(days=day, milliseconds=ms)


def _drop_time(text: str, v: Any) -> str:
    """The text without a trailing clock time; ParseError if that time is impossible."""
    match = _TIME_SUFFIX.search(text)
    if not match:
        return text
    hour, minute, second, ampm = match.groups()
    hours_ok = 1 <= int(hour) <= 12 if ampm else int(hour) <= 23
    if not hours_ok or int(minute) > 59 or int(second or 0) > 60:
        raise ParseError(f"{show(v)} has an impossible time of day")
    return text[: match.start()]


def _year(token: str, v: Any) -> int:
    """A four-digit year, or a two-digit one taken as 20yy."""
    if len(token) == 2:
        return 2000 + int(token)
    if len(token) == 4:
        return int(token)
    raise ParseError(f"{show(v)} has no clear year")


def _day_or_month(token: str, v: Any) -> int:
    """A one- or two-digit day or month number."""
    if len(token) > 2:
        raise ParseError(f"{show(v)} is not a date")
    return int(token)


def _parts_with_month_name(nums: list[str], word: str, v: Any) -> tuple[int, int, int]:
    """Year, month, day of "1 Jul 2026", "Jul 1, 2026" or "12/Mar/24"."""
    month = MONTH_NAMES.get(fold(word))
    if month is None:
        raise ParseError(f"{show(v)} is not a date ({word!r} is not a month)")
    if len(nums) != 2:
        raise ParseError(f"{show(v)} needs a day, a month and a year")
    # The year is the four-digit number; with two short numbers it comes last.
    year_at = next((i for i, n in enumerate(nums) if len(n) == 4), 1)
    day = _day_or_month(nums[1 - year_at], v)
    return _year(nums[year_at], v), month, day


def _parts_all_numbers(nums: list[str], dayfirst: bool, v: Any) -> tuple[int, int, int]:
    """Year, month, day of "2026-07-01", "01/07/2026", "1.7.26" or "20260701"."""
    if len(nums) == 1 and len(nums[0]) == 8:
        nums = [nums[0][:4], nums[0][4:6], nums[0][6:]]
    if len(nums) != 3:
        raise ParseError(f"{show(v)} needs a day, a month and a year")
    if len(nums[0]) == 4:
        return int(nums[0]), _day_or_month(nums[1], v), _day_or_month(nums[2], v)
    first, second = _day_or_month(nums[0], v), _day_or_month(nums[1], v)
    day, month = (first, second) if dayfirst else (second, first)
    if month > 12 >= day:  # "31/12/2026" can only mean one thing, whatever dayfirst says
        day, month = month, day
    return _year(nums[2], v), month, day


def _make_date(year: int, month: int, day: int, v: Any) -> dt.date:
    """The date, or ParseError saying which part is impossible."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ParseError(f"{show(v)} has year {year}, outside {MIN_YEAR}-{MAX_YEAR}")
    if not 1 <= month <= 12:
        raise ParseError(f"{show(v)} is not a real date (there is no month {month})")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ParseError(
            f"{show(v)} is not a real date ({year}-{month:02d} has no day {day})"
        ) from None


@lru_cache(maxsize=8192)  # due dates repeat across thousands of rows; errors are not cached
def _date_from_text(v: str, dayfirst: bool) -> dt.date:
    """The date written in a text cell."""
    text = unicodedata.normalize("NFKC", strip_invisible(v)).casefold().strip()
    if len(text) > _MAX_DATE_TEXT:
        raise ParseError(f"{show(v)} is too long to be a date")
    if _TIME_ONLY.fullmatch(text):
        raise ParseError(f"{show(v)} is a time of day, not a date")
    text = _ORDINAL.sub("", _drop_time(text, v))
    if _NOT_DATE_CHAR.search(text):
        raise ParseError(f"{show(v)} is not a date")
    tokens = [t for t in _DATE_TOKEN.findall(text) if t not in _FILLER_WORDS]
    nums = [t for t in tokens if t.isascii() and t.isdigit()]
    words = [t for t in tokens if not (t.isascii() and t.isdigit())]
    if len(words) > 1:
        raise ParseError(f"{show(v)} is not a date")
    if words:
        year, month, day = _parts_with_month_name(nums, words[0], v)
    else:
        year, month, day = _parts_all_numbers(nums, dayfirst, v)
    return _make_date(year, month, day, v)


def parse_date(v: Any, *, dayfirst: bool = True) -> dt.date | None:
    """A calendar date from a date cell, an Excel day number or text like "01/07/2026" or "22/Sep/25 9:26 AM".

    Numeric dates are read day first ("01/07/2026" is 1 July) unless dayfirst=False;
    a time of day, if any, is ignored.  Empty -> None.
    """
    if isinstance(v, bool):
        raise ParseError(f"{v} is a yes/no value, not a date")
    if is_none_marker(v):
        return None
    if isinstance(v, dt.datetime):
        return check_year(v.date(), v)
    if isinstance(v, dt.date):
        return check_year(v, v)
    if isinstance(v, dt.time):
        raise ParseError(f"{show(v)} is a time of day, not a date")
    if isinstance(v, str):
        return _date_from_text(v, dayfirst)
    return check_year(from_excel_serial(v).date(), v)


_QUARTER_PATTERNS = (
    re.compile(r"(?P<year>\d{4}) ?[-/ ]? ?q(?P<q>\d)"),  # 2026-Q3, 2026 Q3, 2026Q3
    re.compile(r"q(?P<q>\d) ?[-/ ]? ?'?(?P<year>\d{4}|\d{2})"),  # Q3 2026, q3-2026, Q3 '26
)
_MAX_QUARTER_TEXT = 30


def parse_quarter(v: Any) -> tuple[int, int] | None:
    """A calendar quarter as (year, quarter) from "2026-Q3", "Q3 2026", "2026Q3" or "q3-2026"."""
    if is_none_marker(v):
        return None
    if not isinstance(v, str):
        raise ParseError(f"{show(v)} is not a quarter (write it like 2026-Q3)")
    key = fold(v)
    if "fy" in key:
        # Fiscal years start in different months at different companies; guessing would shift every date.
        raise ParseError(f"{show(v)} is a fiscal quarter; write the calendar quarter, like 2026-Q3")
    match = None
    if len(key) <= _MAX_QUARTER_TEXT:
        match = next((m for p in _QUARTER_PATTERNS if (m := p.fullmatch(key))), None)
    if not match:
        raise ParseError(f"{show(v)} is not a quarter (write it like 2026-Q3)")
    year_text, q = match["year"], int(match["q"])
    year = 2000 + int(year_text) if len(year_text) == 2 else int(year_text)
    if not 1 <= q <= 4:
        raise ParseError(f"{show(v)} is not a quarter (Q{q} does not exist)")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ParseError(f"{show(v)} has year {year}, outside {MIN_YEAR}-{MAX_YEAR}")
    return year, q


def required_quarter(v: Any) -> tuple[int, int]:
    """Like parse_quarter, for a quarter that must be given (--quarter, the config): empty is a ParseError."""
    parsed = parse_quarter(v)
    if parsed is None:
        raise ParseError("is empty; write the quarter like 2026-Q3")
    return parsed


# Every quarter ends on the same day of its third month, in any year.
_QUARTER_LAST_DAY = {1: 31, 2: 30, 3: 30, 4: 31}


def quarter_bounds(year: int, q: int) -> tuple[dt.date, dt.date]:
    """First and last day of a calendar quarter: (2026, 3) -> 2026-07-01, 2026-09-30."""
    if isinstance(q, bool) or not isinstance(q, int) or q not in _QUARTER_LAST_DAY:
        raise ParseError(f"{show(q)} is not a quarter (use 1-4)")
    if isinstance(year, bool) or not isinstance(year, int) or not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise ParseError(f"{show(year)} is not a year")
    last_month = 3 * q
    return dt.date(year, last_month - 2, 1), dt.date(year, last_month, _QUARTER_LAST_DAY[q])
