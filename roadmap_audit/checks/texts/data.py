"""Wording of data_issues (DQ001): what the sources did not say clearly."""

from __future__ import annotations


def first_and_more(first: str, more: int) -> str:
    """The first problem of a subject, and how many more it has."""
    return first + (f" (and {more} more)" if more > 0 else "")
