"""Check kinds over ownership: work and services nobody owns, and owners the
staffing model does not know."""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import cast

from pydantic import Field

from ..analyze.capacity import item_weeks
from ..analyze.facts import Facts
from ..load.values import normalize_name
from ..model import Evidence, Item, Subject
from .base import Hit, Params, check, flag, item_subject, number, team_subject


class OwnershipParams(Params):
    items: bool  # open items with no team
    services: bool  # services with no owner_team
    unknown_teams: bool  # teams named on items or services but absent from the Teams sheet
    max_evidence: int = Field(10, ge=1, le=10_000)


@check(
    "missing_owner",
    OwnershipParams,
    measures={
        "committed": flag("the item's date, or one of the team's items', is committed"),
        "tier": number("the service's tier", min_bound=0),
    },
)
def missing_owner(facts: Facts, p: OwnershipParams) -> Iterator[Hit]:
    """Items and services with no owning team, and owning teams missing from the staffing model."""
    if p.items:
        for item in facts.open_items():
            if facts.team_of(item):
                continue
            yield Hit(
                subject=item_subject(item.key),
                message=(
                    f"{item.key} '{item.title}' has no owning team: its estimate counts against nobody's "
                    "capacity, and when it slips or breaks there is no team to ask"
                    + ("; its date is committed outside the team" if item.committed else "")
                ),
                evidence=(Evidence.of(item.cell("team"), "team: empty"),),
                impact=2.0 if item.committed else 1.0,
                likelihood=1.0 + (item.estimate_weeks or 0) / 10,
                measured={"committed": item.committed},
            )
    if p.services:
        for service in facts.services.values():
            if facts.team_name(service.owner_team):
                continue
            tier = f"tier-{service.tier} " if service.tier is not None else ""
            yield Hit(
                subject=Subject(kind="service", id=service.service),
                message=(
                    f"{tier}service {service.service} has no owning team: nobody is on call for it by "
                    "design, and its SLO, runbook and fixes have no team to plan them"
                ),
                evidence=(Evidence.of(service.cell("owner_team"), "owner_team: empty"),),
                # ranking only: tier 0 and 1 first, as SLO001 ranks them
                impact=2.0 if service.tier is not None and service.tier <= 1 else 1.0,
                measured={"tier": service.tier},
            )
    # Without a Teams sheet there is no staffing model to compare against.
    if not p.unknown_teams or not facts.teams:
        return
    refs: dict[str, list[Evidence]] = defaultdict(list)
    items: dict[str, list[Item]] = defaultdict(list)
    services: dict[str, list[str]] = defaultdict(list)
    for item in facts.open_items():
        team = facts.team_of(item)
        if team and team not in facts.teams:
            items[team].append(item)
            refs[team].append(Evidence.of(item.cell("team"), f"{item.key}: team {item.team}"))
    for service in facts.services.values():
        team = facts.team_name(service.owner_team)
        if team and team not in facts.teams:
            services[team].append(service.service)
            refs[team].append(
                Evidence.of(
                    service.cell("owner_team"),
                    f"{service.service}: owner_team {service.owner_team}",
                )
            )
    staffed = {normalize_name(t): t for t in facts.teams}
    sizes = cast("Mapping[str, float]", facts.params.size_weeks)
    for team in sorted(refs):
        weeks = sum((item_weeks(i, None, sizes) or 0.0 for i in items[team]), 0.0)
        keys = [i.key for i in items[team]]
        parts = []
        if keys:
            parts.append(
                f"{len(keys)} open {'item' if len(keys) == 1 else 'items'} ({', '.join(keys[:6])}{', ...' if len(keys) > 6 else ''}; "
                f"{weeks:g} estimated engineer-weeks)"
            )
        if services[team]:
            parts.append(
                f"{'service' if len(services[team]) == 1 else 'services'} {', '.join(services[team])}"
            )
        any_committed = any(i.committed for i in items[team])
        yield Hit(
            subject=team_subject(team),
            message=(
                f"team '{team}' owns {' and '.join(parts)} but is not in the staffing model (Teams sheet): "
                "its capacity, on-call rotation and operational load are unknown, so none of this work is "
                "checked against what the team can carry" + _spelled_like(team, staffed)
            ),
            evidence=tuple(refs[team][: p.max_evidence]),
            teams=(team,),
            impact=1.0 + weeks / 10,
            measured={"committed": any_committed},
        )


def _spelled_like(team: str, staffed: dict[str, str]) -> str:
    """A hint when the Teams sheet has a team spelled almost the same ("Payments Team", "paymnets")."""
    key = normalize_name(team)
    inside = [name for k, name in staffed.items() if k and key and (k in key or key in k)]
    close = (
        inside
        if len(inside) == 1
        else [staffed[k] for k in difflib.get_close_matches(key, staffed, n=1, cutoff=0.8)]
    )
    if not close:
        return ""
    return f"; the Teams sheet has '{close[0]}': if that is this team, spell it the same way in both places"
