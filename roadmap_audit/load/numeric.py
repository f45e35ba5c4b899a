"""Numbers as people write them in a plan: "1,000.5", "3,5", "~4 weeks", "20%", "3-5", "Tier 2"."""

from __future__ import annotations

import math
import re
from typing import Any

from .cells import ParseError, finite_float, fold, is_none_marker, show, strip_invisible

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
MULTIPLIERS = frozenset({"k", "bn"})


def _number_text(v: str) -> str:
    """The cell's text, trimmed, with every kind of space as a plain space and U+2212 as '-'."""
    text = re.sub(r"\s", " ", strip_invisible(v)).strip()
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


def split_number(v: str, what: str) -> tuple[float, str]:
    """Read the number at the start of the text; return it and the rest of the text."""
    text = unhedged(v)
    if len(text) > _MAX_NUMBER_TEXT:
        raise ParseError(f"{show(v)} is too long to be {what}")
    match = _NUMBER_HEAD.fullmatch(text)
    if not match:
        raise ParseError(f"{show(v)} is not {what}")
    sign, body, rest = match[1], match[2].strip(), match[3].strip()
    value = _plain_number(body)
    if value is not None and _EXPONENT.fullmatch(rest) and re.fullmatch(r"[0-9.]+", body):
        value, rest = float(body + rest), ""  # "1.5E+11", as csv exports write big numbers
    if value is None:
        raise ParseError(f"{show(v)} is not {what}")
    if not math.isfinite(value):
        raise ParseError(f"{show(v)} is too large to be {what}")
    return (-value if sign == "-" else value), rest


def parse_number(v: Any) -> float | None:
    """A number such as an estimate: "1,000.5", "3,5", "1 000", "4 weeks" -> float; empty -> None."""
    if is_none_marker(v):
        return None
    if not isinstance(v, str):
        return finite_float(v, "a number")
    value, rest = split_number(v, "a number")
    if rest.casefold() in MULTIPLIERS:
        raise ParseError(f"{show(v)} uses a multiplier; write the whole number")
    if rest and not _UNIT_WORD.fullmatch(rest):
        raise ParseError(f"{show(v)} is not a number")
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
    raise ParseError(f"{show(v)} is above 100; add a % sign if you mean {x:g}%")


def parse_percent(v: Any) -> float | None:
    """A share: "20%", 0.2 and 20 all read as 0.2; "150%" is 1.5 and "-5%" is -0.05."""
    if is_none_marker(v):
        return None
    if not isinstance(v, str):
        return _bare_share(finite_float(v, "a percentage"), v)
    value, rest = split_number(v, "a percentage")
    if " ".join(rest.casefold().split()) in _PERCENT_SIGNS:
        return value / 100
    if rest:
        raise ParseError(f"{show(v)} is not a percentage")
    return _bare_share(value, v)


# ---------------------------------------------------------------------------
# Tiers and quarters
# ---------------------------------------------------------------------------

_TIER_WORDS = {"critical": 1, "high": 2, "medium": 3, "med": 3, "low": 4}
_TIER_CODE = re.compile(r"(?:tier|t|p)?[\s_-]*([0-9]{1,3})(?:\.0+)?")


def _tier_number(n: float, v: Any) -> int:
    """The tier 1-4, or ParseError."""
    if n.is_integer() and 1 <= n <= 4:
        return int(n)
    raise ParseError(f"{show(v)} is not a tier (use 1-4)")


def parse_tier(v: Any) -> int | None:
    """A service tier 1-4 from 1, "Tier-2", "T1", "P1" or "critical"/"high"/"medium"/"low"."""
    if is_none_marker(v):
        return None
    if not isinstance(v, str):
        return _tier_number(finite_float(v, "a tier"), v)
    key = fold(v)
    if key in _TIER_WORDS:
        return _TIER_WORDS[key]
    match = _TIER_CODE.fullmatch(key)
    if not match:
        raise ParseError(f"{show(v)} is not a tier (use 1-4, 'Tier 1' or critical/high/medium/low)")
    return _tier_number(float(match[1]), v)
