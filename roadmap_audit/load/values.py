"""Read spreadsheet cell values the way people really write them.

Cells arrive from openpyxl or the csv module as None, str, int, float, bool,
datetime.datetime, datetime.date or datetime.time.  Each ``parse_*`` function
turns one cell into a typed value, returns None when the cell is empty (or says
"n/a", "TBD", ...), and raises :class:`ParseError` -- and nothing else -- with a
short reason a planner can act on when the cell cannot be read.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
import unicodedata
from functools import lru_cache
from typing import Any

__all__ = [
    "MONTH_NAMES",
    "NONE_MARKERS",
    "ParseError",
    "is_blank",
    "is_none_marker",
    "normalize_name",
    "parse_bool",
    "parse_bool_or_link",
    "parse_commitment",
    "parse_date",
    "parse_list",
    "parse_number",
    "parse_percent",
    "parse_quarter",
    "parse_text",
    "parse_tier",
    "split_range",
    "unhedged",
    "quarter_bounds",
]


class ParseError(ValueError):
    """A value that cannot be read; str(e) is a short user-facing reason like "'abc' is not a number"."""


# ---------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------

# Zero-width spaces, byte-order marks and bidi marks ride along when text is
# pasted from web pages or RTL documents; they are never meant as content.
# ZWJ/ZWNJ (U+200C/D) are left alone: they matter inside emoji and Persian words.
_INVISIBLE = re.compile("[\u00ad\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")

_SHOW_LIMIT = 40


def _strip_invisible(text: str) -> str:
    """The text without invisible formatting characters."""
    # every invisible character is outside ASCII, and isascii() is a flag lookup: most
    # cells of a 100,000-row export skip the regex altogether
    return text if text.isascii() else _INVISIBLE.sub("", text)


def _show(v: Any) -> str:
    """The value as quoted in an error message, shortened so messages stay one line."""
    if isinstance(v, str):
        if len(v) > _SHOW_LIMIT:
            v = v[: _SHOW_LIMIT - 3] + "..."
        return repr(v)
    if isinstance(v, int) and not isinstance(v, bool) and v.bit_length() > 64:
        return "a very large number"  # str() of a huge int can itself fail
    if isinstance(v, (dt.date, dt.time)):
        return v.isoformat()
    return str(v) if isinstance(v, numbers.Real) else f"a {type(v).__name__} value"


@lru_cache(maxsize=4096)
def _fold(text: str) -> str:
    """Lookup key for a word: accents and case dropped, spaces collapsed ("Sí " -> "si")."""
    decomposed = unicodedata.normalize("NFKD", _strip_invisible(text))
    # Dropping the marks (category Mn) removes accents and emoji variation selectors.
    bare = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(bare.casefold().split())


def _finite_float(v: Any, what: str) -> float:
    """A numeric cell as a float; ParseError for booleans, NaN, infinities and overflow."""
    if isinstance(v, bool):
        raise ParseError(f"{v} is a yes/no value, not {what}")
    if type(v) is not float and type(v) is not int and not isinstance(v, numbers.Real):
        raise ParseError(f"{_show(v)} is not {what}")
    try:
        x = float(v)
    except (OverflowError, ValueError):
        raise ParseError(f"{_show(v)} is too large to be {what}") from None
    if not math.isfinite(x):
        raise ParseError(f"{_show(v)} is not {what}")
    return x


# ---------------------------------------------------------------------------
# Blanks and "nothing here" markers
# ---------------------------------------------------------------------------


@lru_cache(maxsize=4096)  # a plan repeats the same few statuses and markers in every row
def _marker_key(text: str) -> str:
    """Case- and space-insensitive form of a cell, for comparing against NONE_MARKERS."""
    folded = unicodedata.normalize("NFKC", _strip_invisible(text)).casefold()
    return "".join(folded.split())


# What people type to say "there is nothing here".  Stored in _marker_key form,
# so "Not Applicable" and "N / A" match too.
NONE_MARKERS: frozenset[str] = frozenset(
    _marker_key(m)
    for m in (
        "",
        "n/a",
        "na",
        "none",
        "tbd",
        "tba",
        "-",
        "\u2014",
        "\u2013",
        "null",
        "nil",
        "?",
        "no",
        "not applicable",
        "todo",
    )
)


def is_blank(v: Any) -> bool:
    """True for an empty cell: None, "" or only spaces."""
    if v is None or v == "":
        return True
    return isinstance(v, str) and not _strip_invisible(v).strip()


def is_none_marker(v: Any) -> bool:
    """True for an empty cell or one that says there is nothing, like "n/a", "TBD" or "-"."""
    return is_blank(v) or (isinstance(v, str) and _marker_key(v) in NONE_MARKERS)


# ---------------------------------------------------------------------------
# Names and text
# ---------------------------------------------------------------------------

_NOT_NAME_CHAR = re.compile("[^a-z0-9]+")


def normalize_name(s: str) -> str:
    """Key for matching headers and sheet names: "Estimación original" -> "estimacionoriginal"."""
    text = s if isinstance(s, str) else ("" if s is None else _show(s))
    return _name_key(text)


@lru_cache(maxsize=8192)  # team and person names are looked up again for every item and finding
def _name_key(text: str) -> str:
    return _NOT_NAME_CHAR.sub("", _fold(text))


def _format_number(v: Any) -> str:
    """A numeric cell as people see it in the sheet: 12.0 -> "12", 0.1 + 0.2 -> "0.3"."""
    if type(v) is int or isinstance(
        v, numbers.Integral
    ):  # the ABC check is slow; most are plain ints
        if int(v).bit_length() > 1000:  # str() refuses ints with thousands of digits
            raise ParseError("the number is too long to show as text")
        return str(int(v))
    x = _finite_float(v, "a readable value")
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return format(x, ".15g")  # Excel shows 15 significant digits; so do we


def _cell_text(v: Any) -> str:
    """Any supported cell value as raw text."""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, dt.datetime):
        # Date-only cells come back from openpyxl as midnight datetimes.
        if v.time() == dt.time(0) and v.tzinfo is None:
            return v.date().isoformat()
        return v.isoformat(sep=" ")
    if isinstance(v, (dt.date, dt.time)):
        return v.isoformat()
    if type(v) is int or type(v) is float or isinstance(v, numbers.Real):
        return _format_number(v)
    raise ParseError(f"cannot read {_show(v)} as text")


# What a spreadsheet caches for a formula that failed: never a title, a team or a number.
SPREADSHEET_ERRORS = frozenset(
    {
        "#REF!",
        "#NAME?",
        "#DIV/0!",
        "#VALUE!",
        "#N/A",
        "#NUM!",
        "#NULL!",
        "#SPILL!",
        "#CALC!",
        "#GETTING_DATA",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
        "#N/A!",
    }
)


def spreadsheet_error(v: Any) -> str | None:
    """The error code a cell holds (`#REF!`), or None."""
    if isinstance(v, str) and v[:1] == "#" and len(v) <= 16:
        code = v.strip().upper()
        return code if code in SPREADSHEET_ERRORS else None
    return None


def parse_text(v: Any) -> str | None:
    """The cell as trimmed text, or None when it is empty. 12.0 reads as "12"."""
    if v is None:
        return None
    text = _strip_invisible(_cell_text(v))
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return text or None


# ---------------------------------------------------------------------------
# Numbers and percentages
# ---------------------------------------------------------------------------

# Longest text we try to read as a number; anything longer is prose.
_MAX_NUMBER_TEXT = 100

# Sign, then digits with separators (must end on a digit), then whatever follows.
_NUMBER_HEAD = re.compile(r"([+-]?) *([0-9.,' ]*[0-9])(.*)", re.DOTALL)
_EXPONENT = re.compile(r"[eE][+-]?[0-9]{1,3}")
# One to three words such as "w", "weeks", "eng-weeks", "story points".
_UNIT_WORD = re.compile(
    r"(?:/ ?)?[^\W\d_]+(?:[ ./-][^\W\d_]+){0,2}\.?"
)  # "w", "eng-weeks", "/week"
# What people write around a number that does not change it: "~10", "approx. 3", "4?", "6 (2 new)".
_APPROXIMATE = re.compile(r"^(?:~|≈|ca\.|c\.|about |approx\.? |around |roughly )\s*", re.IGNORECASE)
_REMARK = re.compile(r"\s*(?:\?|\([^()]*\))$")
# "10k" must not silently read as 10.
_MULTIPLIERS = frozenset({"k", "bn"})


def _number_text(v: str) -> str:
    """The cell's text, trimmed, with every kind of space as a plain space and U+2212 as '-'."""
    text = re.sub(r"\s", " ", _strip_invisible(v)).strip()
    return text.replace("\u2212", "-")


def _ungroup(whole: str) -> str | None:
    """Digits of an integer part written with thousands separators ("1,000" -> "1000"); None if malformed."""
    separators = set(re.findall(r"[^0-9]", whole))
    if not separators:
        return whole
    if len(separators) > 1:
        return None
    groups = whole.split(separators.pop())
    if not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:]):
        return None
    return "".join(groups)


def _comma_is_decimal(body: str) -> bool:
    """For a number with a single comma and no dot: is the comma a decimal comma?"""
    before, _, after = body.partition(",")
    # "3,5" and "3,50" are decimals; "1,000" is a thousand -- unless nothing but
    # zeros stands before the comma ("0,125"), which no one writes for 125.
    return len(after) != 3 or not re.sub(r"[ '0]", "", before)


def _decimal_separator(body: str) -> str | None:
    """Which of '.' and ',' (if any) marks the decimals in a number like "1.000,5"."""
    last_dot, last_comma = body.rfind("."), body.rfind(",")
    if last_dot >= 0 and last_comma >= 0:
        return "." if last_dot > last_comma else ","  # the later one is the decimal mark
    if last_comma >= 0:
        return "," if body.count(",") == 1 and _comma_is_decimal(body) else None
    if last_dot >= 0:
        # One dot is a decimal point; several ("1.000.000") can only be grouping.
        return "." if body.count(".") == 1 else None
    return None


def _plain_number(body: str) -> float | None:
    """Value of unsigned digits with separators ("1 000,5" -> 1000.5); None if malformed."""
    decimal = _decimal_separator(body)
    whole, frac = body.rsplit(decimal, 1) if decimal else (body, "")
    if (decimal and decimal in whole) or (frac and not frac.isdigit()):
        return None
    digits = _ungroup(whole)
    if digits is None or not (digits or frac):
        return None
    return float(f"{digits or '0'}.{frac or '0'}")


def unhedged(v: str) -> str:
    """The text without what people write around a number: "~10", "approx. 3", "4?", "6 (2 new)"."""
    return _REMARK.sub("", _APPROXIMATE.sub("", _number_text(v)))


def _split_number(v: str, what: str) -> tuple[float, str]:
    """Read the number at the start of the text; return it and the rest of the text."""
    text = unhedged(v)
    if len(text) > _MAX_NUMBER_TEXT:
        raise ParseError(f"{_show(v)} is too long to be {what}")
    match = _NUMBER_HEAD.fullmatch(text)
    if not match:
        raise ParseError(f"{_show(v)} is not {what}")
    sign, body, rest = match[1], match[2].strip(), match[3].strip()
    value = _plain_number(body)
    if value is not None and _EXPONENT.fullmatch(rest) and re.fullmatch(r"[0-9.]+", body):
        value, rest = float(body + rest), ""  # "1.5E+11", as csv exports write big numbers
    if value is None:
        raise ParseError(f"{_show(v)} is not {what}")
    if not math.isfinite(value):
        raise ParseError(f"{_show(v)} is too large to be {what}")
    return (-value if sign == "-" else value), rest


def parse_number(v: Any) -> float | None:
    """A number such as an estimate: "1,000.5", "3,5", "1 000", "4 weeks" -> float; empty -> None."""
    if is_none_marker(v):
        return None
    if not isinstance(v, str):
        return _finite_float(v, "a number")
    value, rest = _split_number(v, "a number")
    if rest.casefold() in _MULTIPLIERS:
        raise ParseError(f"{_show(v)} uses a multiplier; write the whole number")
    if rest and not _UNIT_WORD.fullmatch(rest):
        raise ParseError(f"{_show(v)} is not a number")
    return value


_RANGE = re.compile(
    r"([0-9]+(?:[.,][0-9]+)?)\s*(?:-|–|—|to)\s*([0-9]+(?:[.,][0-9]+)?)\s*(.*)", re.IGNORECASE
)


def split_range(v: Any) -> tuple[str, str, str] | None:
    """A range written in a cell, "3-5", "20-30%", "1 to 2 weeks": (low, high, what follows both); else None."""
    if not isinstance(v, str) or len(v) > _MAX_NUMBER_TEXT:
        return None
    match = _RANGE.fullmatch(unhedged(v))
    return (match[1], match[2], match[3]) if match else None


_PERCENT_SIGNS = frozenset({"%", "\uff05", "percent", "per cent", "pct"})


def _bare_share(x: float, v: Any) -> float:
    """A number written without a % sign as a share: 0.2 and 20 both mean 20%."""
    if abs(x) <= 1:
        return x
    if abs(x) <= 100:
        return x / 100
    raise ParseError(f"{_show(v)} is above 100; add a % sign if you mean {x:g}%")


def parse_percent(v: Any) -> float | None:
    """A share: "20%", 0.2 and 20 all read as 0.2; "150%" is 1.5 and "-5%" is -0.05."""
    if is_none_marker(v):
        return None
    if not isinstance(v, str):
        return _bare_share(_finite_float(v, "a percentage"), v)
    value, rest = _split_number(v, "a percentage")
    if " ".join(rest.casefold().split()) in _PERCENT_SIGNS:
        return value / 100
    if rest:
        raise ParseError(f"{_show(v)} is not a percentage")
    return _bare_share(value, v)


# ---------------------------------------------------------------------------
# Yes / no
# ---------------------------------------------------------------------------

# Compared after _fold, so "Sí", "YES" and "✔️" match.
_TRUE_WORDS = frozenset(
    {
        "yes",
        "y",
        "true",
        "t",
        "x",
        "1",
        "\u2713",
        "\u2714",
        "\u2705",
        "\u2611",
        "on",
        "si",
        "oui",
        "ja",
        "done",
    }
)
_FALSE_WORDS = frozenset(
    {"no", "n", "false", "f", "0", "\u2717", "\u2718", "\u274c", "off", "non", "nein"}
)


def _bool_word(text: str) -> bool | None:
    """True or False for a yes/no word, None for any other text."""
    key = _fold(text)
    if key in _TRUE_WORDS:
        return True
    if key in _FALSE_WORDS:
        return False
    return None


def parse_bool(v: Any) -> bool | None:
    """A yes/no cell: "yes", "x", "✓", 1 -> True; "no", "off", 0 -> False; empty or "n/a" -> None."""
    if isinstance(v, bool):
        return v
    if isinstance(v, str):
        word = _bool_word(v)
        if word is not None:
            return word
        if is_none_marker(v):
            return None
        raise ParseError(f"{_show(v)} is not a yes/no value")
    if v is None:
        return None
    x = _finite_float(v, "a yes/no value")
    if x in (0, 1):
        return x == 1
    raise ParseError(f"{_show(v)} is not a yes/no value (use 1 or 0)")


def parse_bool_or_link(v: Any) -> bool | None:
    """Like parse_bool, but any other text (a link, a doc name) means yes and "n/a" means no."""
    if is_blank(v):
        return None
    if isinstance(v, str):
        word = _bool_word(v)
        if word is not None:
            return word
        return not is_none_marker(v)
    return parse_bool(v)


# A commitment column in planning words: "Committed" is a promise, "Stretch" is not.
_COMMITTED_WORDS = frozenset(
    {
        "committed",
        "commit",
        "commitment",
        "promised",
        "locked",
        "locked in",
        "contractual",
        "external commitment",
        "hard date",
        "hard deadline",
    }
)
_UNCOMMITTED_WORDS = frozenset(
    {
        "stretch",
        "stretch goal",
        "target",
        "aspirational",
        "best effort",
        "uncommitted",
        "not committed",
        "non committed",
        "nice to have",
        "optional",
        "tentative",
        "maybe",
        "soft date",
        "internal",
    }
)
_LEAD_WORD = re.compile(r"\s*([^\W_]+)\s*(?:[-–—:(,;/]|$)")


def parse_commitment(v: Any) -> bool | None:
    """Whether a date was promised: yes/no, "Committed" or "Stretch", "yes - to Sales", or the promised date."""
    try:
        return parse_bool(v)
    except ParseError:
        if isinstance(v, (dt.date, dt.datetime)):
            return True  # a "committed date" column holds the date that was promised
        if not isinstance(v, str):
            raise
    key = " ".join(_fold(v).replace("-", " ").replace("_", " ").split())
    if key in _COMMITTED_WORDS:
        return True
    if key in _UNCOMMITTED_WORDS:
        return False
    lead = _LEAD_WORD.match(v)
    if lead and lead.end() < len(v.rstrip()):  # "yes - to Sales", "No (stretch)"
        word = _bool_word(lead[1])
        if word is not None:
            return word
    try:
        parse_date(v)
        return True
    except ParseError:
        raise ParseError(
            f"{_show(v)} is not a commitment (yes or no, committed or stretch, or the date "
            "that was promised)"
        ) from None


# ---------------------------------------------------------------------------
# Lists
# ---------------------------------------------------------------------------

_LIST_SEPARATORS = re.compile(r"[,;|\t\r\n]")


def parse_list(v: Any) -> list[str]:
    """Items of a cell like "auth, billing; search": trimmed, no blanks or "n/a", no repeats."""
    if isinstance(v, (list, tuple)):  # several cells, e.g. repeated Jira columns
        items = [item for cell in v for item in parse_list(cell)]
        return list(dict.fromkeys(items))
    if is_blank(v):
        return []
    if isinstance(v, bool):
        raise ParseError(f"{v} is a yes/no value, not a list")
    text = _strip_invisible(_cell_text(v))
    parts = (p.strip() for p in _LIST_SEPARATORS.split(text))
    return list(dict.fromkeys(p for p in parts if not is_none_marker(p)))


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------

# Month names and abbreviations in every language we read, keyed by their
# _fold form (lower case, no accents, no trailing dot).  Adding a language means
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

_MIN_YEAR, _MAX_YEAR = 1900, 2200
_MAX_DATE_TEXT = 60

# Excel counts days from 1900-01-01 = 1, but believes 1900 was a leap year:
# day 60 is the 29 February 1900 that never was, and from day 61 on every
# serial is one more than the true count.
_EXCEL_DAY_ZERO = dt.date(1899, 12, 31)
_EXCEL_LEAP_BUG_DAY = 60
_EXCEL_MAX_SERIAL = 2958465  # 9999-12-31

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


def _check_year(d: dt.date, v: Any) -> dt.date:
    """The date, if its year is plausible for a plan."""
    if not _MIN_YEAR <= d.year <= _MAX_YEAR:
        raise ParseError(f"{_show(v)} has year {d.year}, outside {_MIN_YEAR}-{_MAX_YEAR}")
    return d


def _date_from_serial(v: Any) -> dt.date:
    """The date for an Excel day number, as a date cell stored as a number reads."""
    x = _finite_float(v, "a date")
    if 0 < x < 1:
        raise ParseError(f"{_show(v)} is a time of day, not a date")
    if not 1 <= x < _EXCEL_MAX_SERIAL + 1:
        raise ParseError(f"{_show(v)} is not a date")
    day = int(x)  # the fraction is the time of day
    if day == _EXCEL_LEAP_BUG_DAY:
        raise ParseError(f"{_show(v)} is Excel's 29 Feb 1900, a day that never existed")
    offset = day if day < _EXCEL_LEAP_BUG_DAY else day - 1
    return _check_year(_EXCEL_DAY_ZERO + dt.timedelta(days=offset), v)


def _drop_time(text: str, v: Any) -> str:
    """The text without a trailing clock time; ParseError if that time is impossible."""
    match = _TIME_SUFFIX.search(text)
    if not match:
        return text
    hour, minute, second, ampm = match.groups()
    hours_ok = 1 <= int(hour) <= 12 if ampm else int(hour) <= 23
    if not hours_ok or int(minute) > 59 or int(second or 0) > 60:
        raise ParseError(f"{_show(v)} has an impossible time of day")
    return text[: match.start()]


def _year(token: str, v: Any) -> int:
    """A four-digit year, or a two-digit one taken as 20yy."""
    if len(token) == 2:
        return 2000 + int(token)
    if len(token) == 4:
        return int(token)
    raise ParseError(f"{_show(v)} has no clear year")


def _day_or_month(token: str, v: Any) -> int:
    """A one- or two-digit day or month number."""
    if len(token) > 2:
        raise ParseError(f"{_show(v)} is not a date")
    return int(token)


def _parts_with_month_name(nums: list[str], word: str, v: Any) -> tuple[int, int, int]:
    """Year, month, day of "1 Jul 2026", "Jul 1, 2026" or "12/Mar/24"."""
    month = MONTH_NAMES.get(_fold(word))
    if month is None:
        raise ParseError(f"{_show(v)} is not a date ({word!r} is not a month)")
    if len(nums) != 2:
        raise ParseError(f"{_show(v)} needs a day, a month and a year")
    # The year is the four-digit number; with two short numbers it comes last.
    year_at = next((i for i, n in enumerate(nums) if len(n) == 4), 1)
    day = _day_or_month(nums[1 - year_at], v)
    return _year(nums[year_at], v), month, day


def _parts_all_numbers(nums: list[str], dayfirst: bool, v: Any) -> tuple[int, int, int]:
    """Year, month, day of "2026-07-01", "01/07/2026", "1.7.26" or "20260701"."""
    if len(nums) == 1 and len(nums[0]) == 8:
        nums = [nums[0][:4], nums[0][4:6], nums[0][6:]]
    if len(nums) != 3:
        raise ParseError(f"{_show(v)} needs a day, a month and a year")
    if len(nums[0]) == 4:
        return int(nums[0]), _day_or_month(nums[1], v), _day_or_month(nums[2], v)
    first, second = _day_or_month(nums[0], v), _day_or_month(nums[1], v)
    day, month = (first, second) if dayfirst else (second, first)
    if month > 12 >= day:  # "31/12/2026" can only mean one thing, whatever dayfirst says
        day, month = month, day
    return _year(nums[2], v), month, day


def _make_date(year: int, month: int, day: int, v: Any) -> dt.date:
    """The date, or ParseError saying which part is impossible."""
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise ParseError(f"{_show(v)} has year {year}, outside {_MIN_YEAR}-{_MAX_YEAR}")
    if not 1 <= month <= 12:
        raise ParseError(f"{_show(v)} is not a real date (there is no month {month})")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ParseError(
            f"{_show(v)} is not a real date ({year}-{month:02d} has no day {day})"
        ) from None


@lru_cache(maxsize=8192)  # due dates repeat across thousands of rows; errors are not cached
def _date_from_text(v: str, dayfirst: bool) -> dt.date:
    """The date written in a text cell."""
    text = unicodedata.normalize("NFKC", _strip_invisible(v)).casefold().strip()
    if len(text) > _MAX_DATE_TEXT:
        raise ParseError(f"{_show(v)} is too long to be a date")
    if _TIME_ONLY.fullmatch(text):
        raise ParseError(f"{_show(v)} is a time of day, not a date")
    text = _ORDINAL.sub("", _drop_time(text, v))
    if _NOT_DATE_CHAR.search(text):
        raise ParseError(f"{_show(v)} is not a date")
    tokens = [t for t in _DATE_TOKEN.findall(text) if t not in _FILLER_WORDS]
    nums = [t for t in tokens if t.isascii() and t.isdigit()]
    words = [t for t in tokens if not (t.isascii() and t.isdigit())]
    if len(words) > 1:
        raise ParseError(f"{_show(v)} is not a date")
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
        return _check_year(v.date(), v)
    if isinstance(v, dt.date):
        return _check_year(v, v)
    if isinstance(v, dt.time):
        raise ParseError(f"{_show(v)} is a time of day, not a date")
    if isinstance(v, str):
        return _date_from_text(v, dayfirst)
    return _date_from_serial(v)


# ---------------------------------------------------------------------------
# Tiers and quarters
# ---------------------------------------------------------------------------

_TIER_WORDS = {"critical": 1, "high": 2, "medium": 3, "med": 3, "low": 4}
_TIER_CODE = re.compile(r"(?:tier|t|p)?[\s_-]*([0-9]{1,3})(?:\.0+)?")


def _tier_number(n: float, v: Any) -> int:
    """The tier 1-4, or ParseError."""
    if n.is_integer() and 1 <= n <= 4:
        return int(n)
    raise ParseError(f"{_show(v)} is not a tier (use 1-4)")


def parse_tier(v: Any) -> int | None:
    """A service tier 1-4 from 1, "Tier-2", "T1", "P1" or "critical"/"high"/"medium"/"low"."""
    if is_none_marker(v):
        return None
    if not isinstance(v, str):
        return _tier_number(_finite_float(v, "a tier"), v)
    key = _fold(v)
    if key in _TIER_WORDS:
        return _TIER_WORDS[key]
    match = _TIER_CODE.fullmatch(key)
    if not match:
        raise ParseError(
            f"{_show(v)} is not a tier (use 1-4, 'Tier 1' or critical/high/medium/low)"
        )
    return _tier_number(float(match[1]), v)


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
        raise ParseError(f"{_show(v)} is not a quarter (write it like 2026-Q3)")
    key = _fold(v)
    if "fy" in key:
        # Fiscal years start in different months at different companies; guessing would shift every date.
        raise ParseError(
            f"{_show(v)} is a fiscal quarter; write the calendar quarter, like 2026-Q3"
        )
    match = None
    if len(key) <= _MAX_QUARTER_TEXT:
        match = next((m for p in _QUARTER_PATTERNS if (m := p.fullmatch(key))), None)
    if not match:
        raise ParseError(f"{_show(v)} is not a quarter (write it like 2026-Q3)")
    year_text, q = match["year"], int(match["q"])
    year = 2000 + int(year_text) if len(year_text) == 2 else int(year_text)
    if not 1 <= q <= 4:
        raise ParseError(f"{_show(v)} is not a quarter (Q{q} does not exist)")
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise ParseError(f"{_show(v)} has year {year}, outside {_MIN_YEAR}-{_MAX_YEAR}")
    return year, q


# Every quarter ends on the same day of its third month, in any year.
_QUARTER_LAST_DAY = {1: 31, 2: 30, 3: 30, 4: 31}


def quarter_bounds(year: int, q: int) -> tuple[dt.date, dt.date]:
    """First and last day of a calendar quarter: (2026, 3) -> 2026-07-01, 2026-09-30."""
    if isinstance(q, bool) or not isinstance(q, int) or q not in _QUARTER_LAST_DAY:
        raise ParseError(f"{_show(q)} is not a quarter (use 1-4)")
    if isinstance(year, bool) or not isinstance(year, int) or not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise ParseError(f"{_show(year)} is not a year")
    last_month = 3 * q
    return dt.date(year, last_month - 2, 1), dt.date(year, last_month, _QUARTER_LAST_DAY[q])
