"""What every cell reader shares: blanks and "n/a" markers, a cell as text, how a value is quoted.

Cells arrive from the xlsx reader or the csv module as None, str, int, float, bool,
datetime.datetime, datetime.date or datetime.time.  Each ``parse_*`` function of the
load package (here, in :mod:`.numeric`, :mod:`.dates` and :mod:`.words`) turns one
cell into a typed value, returns None when the cell is empty (or says "n/a", "TBD",
...), and raises :class:`ParseError` -- and nothing else -- with a short reason a
planner can act on when the cell cannot be read.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
import unicodedata
from functools import lru_cache
from typing import Any


class ParseError(ValueError):
    """A value that cannot be read; str(e) is a short user-facing reason like "'abc' is not a number"."""


# ---------------------------------------------------------------------------
# Quoting and folding
# ---------------------------------------------------------------------------

# Zero-width spaces, byte-order marks and bidi marks ride along when text is
# pasted from web pages or RTL documents; they are never meant as content.
# ZWJ/ZWNJ (U+200C/D) are left alone: they matter inside emoji and Persian words.
_INVISIBLE = re.compile("[\u00ad\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")

_SHOW_LIMIT = 40


def strip_invisible(text: str) -> str:
    """The text without invisible formatting characters."""
    # every invisible character is outside ASCII, and isascii() is a flag lookup: most
    # cells of a 100,000-row export skip the regex altogether
    return text if text.isascii() else _INVISIBLE.sub("", text)


def show(v: Any) -> str:
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
def fold(text: str) -> str:
    """Lookup key for a word: accents and case dropped, spaces collapsed ("Sí " -> "si")."""
    decomposed = unicodedata.normalize("NFKD", strip_invisible(text))
    # Dropping the marks (category Mn) removes accents and emoji variation selectors.
    bare = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(bare.casefold().split())


def finite_float(v: Any, what: str) -> float:
    """A numeric cell as a float; ParseError for booleans, NaN, infinities and overflow."""
    if isinstance(v, bool):
        raise ParseError(f"{v} is a yes/no value, not {what}")
    if type(v) is not float and type(v) is not int and not isinstance(v, numbers.Real):
        raise ParseError(f"{show(v)} is not {what}")
    try:
        x = float(v)
    except (OverflowError, ValueError):
        raise ParseError(f"{show(v)} is too large to be {what}") from None
    if not math.isfinite(x):
        raise ParseError(f"{show(v)} is not {what}")
    return x


# ---------------------------------------------------------------------------
# Blanks and "nothing here" markers
# ---------------------------------------------------------------------------


@lru_cache(maxsize=4096)  # a plan repeats the same few statuses and markers in every row
def _marker_key(text: str) -> str:
    """Case- and space-insensitive form of a cell, for comparing against NONE_MARKERS."""
    folded = unicodedata.normalize("NFKC", strip_invisible(text)).casefold()
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
    return isinstance(v, str) and not strip_invisible(v).strip()


def all_blank(values: list[Any]) -> bool:
    """is_blank of every cell, with the common cells (empty, a number, plain text) decided inline."""
    for v in values:
        if v is None:
            continue
        if v.__class__ is str:
            if (v if v.isascii() else strip_invisible(v)).strip():
                return False
            continue
        if not is_blank(v):
            return False
    return True


def is_none_marker(v: Any) -> bool:
    """True for an empty cell or one that says there is nothing, like "n/a", "TBD" or "-"."""
    return is_blank(v) or (isinstance(v, str) and _marker_key(v) in NONE_MARKERS)


# ---------------------------------------------------------------------------
# Text and spreadsheet error codes
# ---------------------------------------------------------------------------


def number_text(v: Any) -> str:
    """A numeric cell as people see it in the sheet: 12.0 -> "12", 0.1 + 0.2 -> "0.3"."""
    if type(v) is int or isinstance(
        v, numbers.Integral
    ):  # the ABC check is slow; most are plain ints
        if int(v).bit_length() > 1000:  # str() refuses ints with thousands of digits
            raise ParseError("the number is too long to show as text")
        return str(int(v))
    x = finite_float(v, "a readable value")
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return format(x, ".15g")  # Excel shows 15 significant digits; so do we


def cell_text(v: Any) -> str:
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
        return number_text(v)
    raise ParseError(f"cannot read {show(v)} as text")


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
    text = strip_invisible(cell_text(v))
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return text or None
