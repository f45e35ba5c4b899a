"""Cells read as words: names matched whatever their case and accents, lists, yes/no and commitments."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

from .cells import (
    NONE_MARKERS,
    ParseError,
    cell_text,
    finite_float,
    fold,
    is_blank,
    is_none_marker,
    show,
    strip_invisible,
)
from .dates import parse_date

# ---------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------

_NOT_NAME_CHAR = re.compile("[^a-z0-9]+")


def normalize_name(s: str) -> str:
    """Key for matching headers and sheet names: "Estimación original" -> "estimacionoriginal"."""
    text = s if isinstance(s, str) else ("" if s is None else show(s))
    return _name_key(text)


@lru_cache(maxsize=8192)  # team and person names are looked up again for every item and finding
def _name_key(text: str) -> str:
    return _NOT_NAME_CHAR.sub("", fold(text))


# ---------------------------------------------------------------------------
# Yes / no
# ---------------------------------------------------------------------------

# Compared after fold, so "Sí", "YES" and "✔️" match.
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
    key = fold(text)
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
        raise ParseError(f"{show(v)} is not a yes/no value")
    if v is None:
        return None
    x = finite_float(v, "a yes/no value")
    if x in (0, 1):
        return x == 1
    raise ParseError(f"{show(v)} is not a yes/no value (use 1 or 0)")


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
    key = " ".join(fold(v).replace("-", " ").replace("_", " ").split())
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
            f"{show(v)} is not a commitment (yes or no, committed or stretch, or the date "
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
    if v.__class__ is str and v.isascii():
        # the common cell: no invisible characters to strip, and a part's none-marker key is its
        # lower case without spaces (what NFKC and casefold make of ASCII)
        parts = (p.strip() for p in _LIST_SEPARATORS.split(v))
        return list(
            dict.fromkeys(p for p in parts if p and "".join(p.lower().split()) not in NONE_MARKERS)
        )
    if is_blank(v):
        return []
    if isinstance(v, bool):
        raise ParseError(f"{v} is a yes/no value, not a list")
    text = strip_invisible(cell_text(v))
    parts = (p.strip() for p in _LIST_SEPARATORS.split(text))
    return list(dict.fromkeys(p for p in parts if not is_none_marker(p)))
