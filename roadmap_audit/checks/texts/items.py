"""Wording of item_without (MIG001, MIG002, LCH001): an item lacking a field or a practice."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from types import MappingProxyType

from ...model import Item

# the longest cell quoted whole in a message; a longer one is cut with an ellipsis
QUOTED = 80


def listed(items: list[Item], limit: int = 5) -> str:
    shown = ", ".join(f"{c.key} '{c.title}'" for c in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def denied(words: str, small_scale: bool, left_open: bool) -> str:
    """Why a practice named in the cell does not count, quoting the words."""
    quoted = words if len(words) <= QUOTED else words[: QUOTED - 1].rstrip() + "…"
    if small_scale:
        return f"'{quoted}' is not at production scale"
    return f"'{quoted}' names a practice only to {'leave it open' if left_open else 'rule it out'}"


def message(
    item: Item,
    kind: str,
    reason: str,
    field: str,
    value: str | None,
    said: str | None,
    practices: bool,
    kids: list[Item],
) -> str:
    """'MIG-1 'Orders to v2' is a migration (kind from ...); its rollback plan is empty …'."""
    shown = f"'{value}'" if value else "empty"
    text = f"{item.key} '{item.title}' is a {kind} ({reason}); its {label(field)} is {shown}"
    if said:
        text += f" ({said})"
    elif value and practices:
        text += " and names none of the practices looked for"
    if kids:
        text += f"; the items under it were considered and none is the practice: {listed(kids)}"
    return text


def label(field: str) -> str:
    return field.replace("_", " ")


def evidence_note(field: str, value: str | None) -> str:
    return f"{label(field)}: {value or 'empty'}"


@functools.lru_cache(maxsize=1024)
def notes(tier: int | None, service: str | None) -> Mapping[str, str]:
    """What the message adds when a condition of the rule's [escalate] raises the finding: made
    once per tier and service (a plan's items touch a few hundred services), and read-only."""
    return MappingProxyType(
        {
            "tier": f"it touches tier-{tier} service {service}",
            "committed": "its date is committed outside the team",
        }
    )


@functools.lru_cache(maxsize=16)
def guessed(kind: str) -> tuple[str, str]:
    """The ceiling of a finding on an item whose kind only its description's words say: a
    description tells the background too ("clients migrated last quarter"), so the finding
    stays at medium, whatever escalates it, and says how to make it certain."""
    return (
        "medium",
        f"held at medium: only its description's words say it is a {kind}; write the kind "
        "in its kind column to make the finding certain, or to end it",
    )


def held(found: str, where: Sequence[str], field: str, above: str | None) -> tuple[str, str]:
    """The ceiling of a finding whose practice is named, but not where it belongs: in the item's
    own texts, or in those of the larger change it is a step of (`above`)."""
    fields = " or ".join(label(f) for f in where)
    whose = "its" if above is None else f"{above}'s"
    return (
        "medium",
        f"held at medium: {whose} {fields} names a {label(field)} ('{found}'); write it in the "
        f"{label(field)} cell, with who decides and the signal that triggers it",
    )
