"""Transition only: the cell readers now live by concern, import them from there.

- :mod:`.cells`: ParseError, blanks and "n/a" markers, a cell as text, spreadsheet error codes;
- :mod:`.numeric`: numbers, shares, ranges and service tiers;
- :mod:`.dates`: dates, Excel day numbers, quarters (coarse periods are in :mod:`.periods`);
- :mod:`.words`: names, lists, yes/no and commitments.

This module re-exports them for the modules not yet moved over (load/workbook.py and three
checks); it goes when they import from the modules above.
"""

from __future__ import annotations

from .cells import (
    NONE_MARKERS,
    SPREADSHEET_ERRORS,
    ParseError,
    is_blank,
    is_none_marker,
    parse_text,
    show,
    spreadsheet_error,
)
from .dates import MONTH_NAMES, parse_date, parse_quarter, quarter_bounds
from .numeric import parse_number, parse_percent, parse_tier, split_range, unhedged
from .words import normalize_name, parse_bool, parse_bool_or_link, parse_commitment, parse_list

_show = show  # load/workbook.py still quotes a header through the old private name

__all__ = [
    "MONTH_NAMES",
    "NONE_MARKERS",
    "SPREADSHEET_ERRORS",
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
    "quarter_bounds",
    "show",
    "split_range",
    "spreadsheet_error",
    "unhedged",
]
