"""Wording of missing_owner (OWN001): work and services nobody owns, owners the staffing model
does not know."""

from __future__ import annotations

from ...model import Item

# how many item keys a team's message names before "..."
KEYS_SHOWN = 6


def unowned_item(item: Item) -> str:
    return (
        f"{item.key} '{item.title}' has no owning team: its estimate counts against nobody's "
        "capacity, and when it slips or breaks there is no team to ask"
        + ("; its date is committed outside the team" if item.committed else "")
    )


def unowned_service(service: str, tier: int | None) -> str:
    shown = f"tier-{tier} " if tier is not None else ""
    return (
        f"{shown}service {service} has no owning team: nobody is on call for it by "
        "design, and its SLO, runbook and fixes have no team to plan them"
    )


def unknown_team(
    team: str, keys: list[str], weeks: float, services: list[str], near: str | None
) -> str:
    """'team 'X' owns 3 open items (…; 12 estimated engineer-weeks) and service s but is not in
    the staffing model …'."""
    parts = []
    if keys:
        more = ", ..." if len(keys) > KEYS_SHOWN else ""
        parts.append(
            f"{len(keys)} open {'item' if len(keys) == 1 else 'items'} "
            f"({', '.join(keys[:KEYS_SHOWN])}{more}; {weeks:g} estimated engineer-weeks)"
        )
    if services:
        parts.append(f"{'service' if len(services) == 1 else 'services'} {', '.join(services)}")
    spelled = (
        f"; the Teams sheet has '{near}': if that is this team, spell it the same way in both places"
        if near
        else ""
    )
    return (
        f"team '{team}' owns {' and '.join(parts)} but is not in the staffing model (Teams sheet): "
        "its capacity, on-call rotation and operational load are unknown, so none of this work is "
        "checked against what the team can carry" + spelled
    )
