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
from ..load.words import normalize_name
from ..model import Evidence, Item
from .base import (
    Hit,
    Params,
    check,
    flag,
    item_subject,
    number,
    service_subject,
    team_subject,
)
from .texts import ownership as texts


class OwnershipParams(Params):
    items: bool  # open items with no team
    services: bool  # services with no owner_team
    unknown_teams: bool  # teams named on items or services but absent from the Teams sheet
    max_evidence: int = Field(10, ge=1, le=10_000)


def missing_owner(facts: Facts, p: OwnershipParams) -> Iterator[Hit]:
    """Items and services with no owning team, and owning teams missing from the staffing model."""
    if p.items:
        yield from _unowned_items(facts)
    if p.services:
        yield from _unowned_services(facts)
    # Without a Teams sheet there is no staffing model to compare against.
    if p.unknown_teams and facts.teams:
        yield from _unknown_teams(facts, p)


def _unowned_items(facts: Facts) -> Iterator[Hit]:
    if sum(map(len, facts.items_by_team.values())) == len(facts.plan.items):
        return  # every item is in its team's list: none is without a team
    for item in facts.open_items():
        if facts.team_of(item):
            continue
        yield Hit(
            subject=item_subject(item.key),
            message=texts.unowned_item(item),
            evidence=(Evidence.cell(item, "team", "team: empty"),),
            impact=2.0 if item.committed else 1.0,
            likelihood=1.0 + (item.estimate_weeks or 0) / 10,
            measured={"committed": item.committed},
        )


def _unowned_services(facts: Facts) -> Iterator[Hit]:
    for service in facts.services.values():
        if facts.team_name(service.owner_team):
            continue
        yield Hit(
            subject=service_subject(service.service),
            message=texts.unowned_service(service.service, service.tier),
            evidence=(Evidence.cell(service, "owner_team", "owner_team: empty"),),
            # ranking only: tier 0 and 1 first, as SLO001 ranks them
            impact=2.0 if service.tier is not None and service.tier <= 1 else 1.0,
            measured={"tier": service.tier},
        )


def _unstaffed(
    facts: Facts,
) -> tuple[dict[str, list[Evidence]], dict[str, list[Item]], dict[str, list[str]]]:
    """Teams named on open items or services but not in the Teams sheet: (their cells, their
    items, their services), by team."""
    refs: dict[str, list[Evidence]] = defaultdict(list)
    items: dict[str, list[Item]] = defaultdict(list)
    services: dict[str, list[str]] = defaultdict(list)
    for team, its_items in facts.items_by_team.items():  # only the teams the sheet lacks are read
        if team in facts.teams:
            continue
        for item in its_items:
            if not item.done:
                items[team].append(item)
                refs[team].append(Evidence.cell(item, "team", f"{item.key}: team {item.team}"))
    for service in facts.services.values():
        owner = facts.team_name(service.owner_team)
        if owner and owner not in facts.teams:
            services[owner].append(service.service)
            refs[owner].append(
                Evidence.cell(
                    service,
                    "owner_team",
                    f"{service.service}: owner_team {service.owner_team}",
                )
            )
    return refs, items, services


def _unknown_teams(facts: Facts, p: OwnershipParams) -> Iterator[Hit]:
    refs, items, services = _unstaffed(facts)
    staffed = {normalize_name(t): t for t in facts.teams}
    sizes = cast("Mapping[str, float]", facts.params.size_weeks)
    for team in sorted(refs):
        weeks = sum((item_weeks(i, None, sizes) or 0.0 for i in items[team]), 0.0)
        keys = [i.key for i in items[team]]
        yield Hit(
            subject=team_subject(team),
            message=texts.unknown_team(
                team, keys, weeks, services[team], _spelled_like(team, staffed)
            ),
            evidence=tuple(refs[team][: p.max_evidence]),
            teams=(team,),
            impact=1.0 + weeks / 10,
            measured={"committed": any(i.committed for i in items[team])},
        )


def _spelled_like(team: str, staffed: dict[str, str]) -> str | None:
    """The Teams sheet's team spelled almost the same ("Payments Team", "paymnets"), if one is."""
    key = normalize_name(team)
    inside = [name for k, name in staffed.items() if k and key and (k in key or key in k)]
    close = (
        inside
        if len(inside) == 1
        else [staffed[k] for k in difflib.get_close_matches(key, staffed, n=1, cutoff=0.8)]
    )
    return close[0] if close else None


# Registered by a call, not a decorator: mutation testing (tools/mutation.py) reaches
# only undecorated functions.
check(
    "missing_owner",
    OwnershipParams,
    measures={
        "committed": flag("the item's date, or one of the team's items', is committed"),
        "tier": number("the service's tier", min_bound=0),
    },
)(missing_owner)
