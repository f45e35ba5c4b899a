"""Check kinds over teams: load, operations, on-call."""

from __future__ import annotations

from collections.abc import Iterator

from ..analyze.facts import Facts
from ..model import Evidence
from .base import Hit, Params, check, team_subject


def _pct(x: float) -> str:
    return f"{x:.0%}"


class TeamLoadParams(Params):
    max_load: float = 1.0
    critical_load: float | None = None


@check("team_load_above", TeamLoadParams)
def team_load_above(facts: Facts, p: TeamLoadParams) -> Iterator[Hit]:
    """Teams whose planned work plus operational load exceeds their capacity."""
    for name, cap in facts.capacity.items():
        if not cap.known or cap.load <= p.max_load:
            continue
        team = facts.teams[name]
        ops_basis = "observed" if cap.ops_observed > cap.ops_admitted else "admitted"
        message = (f"{name} is planned at {_pct(cap.load)} of capacity: {cap.planned_weeks:.1f} planned "
                   f"engineer-weeks plus {cap.ops_weeks:.1f} of operations ({ops_basis} share "
                   f"{_pct(max(cap.ops_admitted, cap.ops_observed))}) against {cap.capacity_weeks:.1f} "
                   f"engineer-weeks of capacity")
        if cap.unestimated:
            message += f"; {len(cap.unestimated)} more items have no estimate"
        evidence = [Evidence.of(team.ref, "staffing model")]
        for key in sorted(cap.item_weeks, key=lambda k: -cap.item_weeks[k])[:5]:
            item = facts.items[key]
            col = item.columns.get("estimate")
            evidence.append(Evidence.of(item.ref.at(col) if col else item.ref,
                                        f"{key}: {cap.item_weeks[key]:.1f} engineer-weeks"))
        yield Hit(
            subject=team_subject(name),
            message=message,
            evidence=tuple(evidence),
            teams=(name,),
            severity="critical" if p.critical_load is not None and cap.load > p.critical_load else None,
            impact=cap.load,
            likelihood=cap.load,
        )


class OpsParams(Params):
    tolerance: float = 0.0
    max_ops_share: float = 0.5
    escalate_to: str | None = None


@check("team_ops_above_admitted", OpsParams)
def team_ops_above_admitted(facts: Facts, p: OpsParams) -> Iterator[Hit]:
    """Teams whose real operational load exceeds the share their staffing model admits."""
    for name, cap in facts.capacity.items():
        if not cap.known or cap.ops_observed <= cap.ops_admitted + p.tolerance:
            continue
        team = facts.teams[name]
        parts = ", ".join(f"{d.label} {d.weeks:.1f}" for d in cap.ops_breakdown if d.weeks > 0)
        message = (f"{name}'s operations take {_pct(cap.ops_observed)} of its capacity "
                   f"({cap.ops_observed_weeks:.1f} engineer-weeks: {parts}), but its staffing model admits "
                   f"{_pct(cap.ops_admitted)}")
        over_cap = cap.ops_observed > p.max_ops_share
        if over_cap:
            message += f"; that is above the {_pct(p.max_ops_share)} ceiling for operational work"
        evidence = [Evidence.of(team.ref.at(team.columns.get("ops_allocation")) if team.columns.get("ops_allocation")
                                else team.ref, f"ops_allocation {_pct(cap.ops_admitted)}")]
        for field in ("pages_per_week", "toil_hours_per_week", "incidents_last_quarter"):
            if team.columns.get(field) and getattr(team, field):
                evidence.append(Evidence.of(team.ref.at(team.columns[field]), f"{field} {getattr(team, field):g}"))
        yield Hit(
            subject=team_subject(name),
            message=message,
            evidence=tuple(evidence),
            teams=(name,),
            severity=p.escalate_to if over_cap and p.escalate_to else None,
            impact=cap.ops_observed / max(cap.ops_admitted, 0.05),
            likelihood=1.0,
        )


class RotationParams(Params):
    min_single_site: int = 8
    min_per_site: int = 6
    required_for_tier: int | None = 1  # a team owning a service this critical needs a rotation


@check("oncall_rotation_small", RotationParams)
def oncall_rotation_small(facts: Facts, p: RotationParams) -> Iterator[Hit]:
    """On-call rotations too small to be sustainable (or missing where critical services need one)."""
    owned: dict[str, list[str]] = {}
    for svc in facts.services.values():
        owner = facts.team_name(svc.owner_team)
        if owner and svc.tier is not None and p.required_for_tier is not None and svc.tier <= p.required_for_tier:
            owned.setdefault(owner, []).append(svc.service)
    for name, team in facts.teams.items():
        rotation = team.oncall_rotation
        sites = max(1, team.oncall_sites)
        needed = p.min_single_site if sites == 1 else p.min_per_site * sites
        col = team.columns.get("oncall_rotation")
        where = team.ref.at(col) if col else team.ref
        if rotation <= 0:
            if name in owned:
                yield Hit(
                    subject=team_subject(name),
                    message=(f"{name} owns tier-{p.required_for_tier} service(s) {', '.join(owned[name])} "
                             "but has no on-call rotation in the staffing model"),
                    evidence=(Evidence.of(where, "oncall_rotation empty or 0"),),
                    teams=(name,),
                )
            continue
        if rotation >= needed:
            continue
        site_text = "one site" if sites == 1 else f"{sites} sites ({p.min_per_site} per site)"
        weeks_on = facts.quarter.weeks / rotation
        yield Hit(
            subject=team_subject(name),
            message=(f"{name}'s on-call rotation has {rotation:g} engineers for {site_text}; a sustainable "
                     f"rotation needs {needed}. Each engineer is on call about {weeks_on:.1f} weeks of the "
                     f"{facts.quarter.weeks:g}-week quarter"),
            evidence=(Evidence.of(where, f"oncall_rotation {rotation:g}"),),
            teams=(name,),
            impact=needed / rotation,
        )
