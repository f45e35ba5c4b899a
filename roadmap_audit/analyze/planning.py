"""What an item needs before it can be scheduled, and the quarter it was first planned in."""

from __future__ import annotations

from collections.abc import Iterable

from ..load.cells import ParseError
from ..load.dates import parse_quarter
from ..model import DataIssue, Item
from .capacity import estimated


def missing_plan_fields(item: Item) -> list[str]:
    """What an item lacks to be scheduled: estimate, owner, due date."""
    missing = []
    if not estimated(item):
        missing.append("estimate")
    if not item.owner:
        missing.append("owner")
    if item.due is None:
        missing.append("due")
    return missing


def quarter_of(text: str | None) -> tuple[int, int] | None:
    """(year, quarter) of a quarter written like 2026-Q3; None when empty or not a quarter (a
    first_planned cell that is not one has its data note from first_planned_notes)."""
    try:
        return parse_quarter(text) if text else None
    except ParseError:
        return None


def first_planned_notes(items: Iterable[Item]) -> list[DataIssue]:
    """A data note for each item whose first_planned is not a quarter: whether it was carried
    over from an earlier quarter cannot be told, so it is said rather than read as 'not'."""
    notes = []
    for item in items:
        if not item.first_planned:
            continue
        try:
            parse_quarter(item.first_planned)
        except ParseError as exc:
            notes.append(
                DataIssue(
                    ref=item.cell("first_planned"),
                    problem=f"first_planned: {exc}; the value was left out, so whether "
                    f"{item.key} was carried over from an earlier quarter is not known",
                    subject_id=item.key,
                )
            )
    return notes
