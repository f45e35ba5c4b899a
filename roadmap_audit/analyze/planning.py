"""What an item lacks to be scheduled, as the reliability and dependency rules read it."""

from __future__ import annotations

from ..model import Item
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
