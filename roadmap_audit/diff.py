"""Two plans compared: what changed between them, and what it did to the audit.

Both plans are audited with the same options (rules, config, quarter, forecast
seed); `compare` then lines the two up. Findings are matched by rule and subject
(a finding about the plan file itself matches whatever the file is called), items
by key, teams by name.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .model import (
    SCHEMA_VERSION,
    SEVERITIES,
    Audit,
    Finding,
    Item,
    ItemSummary,
    Plan,
    Severity,
    Subject,
    TeamReport,
    Verdict,
)

PLAN_SUBJECT = "(the plan)"  # a finding about the plan file, whichever file it is
ITEM_FIELDS = (
    "team",
    "status",
    "start",
    "due",
    "estimate_weeks",
    "priority",
    "committed",
    "depends_on",
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DiffSide(_Model):
    """One of the two plans, as its audit summed it up."""

    sources: list[str]
    quarter: str | None = None
    items: int
    teams: int
    verdict: Verdict
    verdict_reason: str
    findings_by_severity: dict[str, int] = Field(default_factory=dict)
    forecast_p50_weeks: float | None = None  # the whole plan, from the delivery forecast
    forecast_p85_weeks: float | None = None


class FindingChange(_Model):
    """A finding matched by (rule, subject): resolved, new, or in both plans."""

    rule: str
    subject: Subject
    title: str
    severity_before: Severity | None = None
    severity_after: Severity | None = None
    teams: tuple[str, ...] = ()
    message: str  # the later plan's wording (the earlier one's for a resolved finding)


class TeamChange(_Model):
    """A team's load and forecast in both plans; None where the team is absent from one."""

    team: str
    capacity_weeks_before: float | None = None
    capacity_weeks_after: float | None = None
    planned_weeks_before: float | None = None
    planned_weeks_after: float | None = None
    load_before: float | None = None
    load_after: float | None = None
    load_change: float | None = None
    score_before: int | None = None
    score_after: int | None = None
    p85_weeks_before: float | None = None
    p85_weeks_after: float | None = None

    @property
    def changed(self) -> bool:
        """Whether the team's capacity, load, score or forecast differs between the two plans."""
        return any(
            getattr(self, f"{f}_before") != getattr(self, f"{f}_after")
            for f in ("capacity_weeks", "planned_weeks", "load", "score", "p85_weeks")
        )


class ItemRef(_Model):
    key: str
    title: str
    team: str | None = None
    status: str | None = None
    estimate_weeks: float | None = None
    due: dt.date | None = None
    committed: bool = False


class FieldChange(_Model):
    field: str
    before: str | float | bool | None = None
    after: str | float | bool | None = None


class ItemChange(_Model):
    """An item in both plans whose team, dates, status, estimate, priority, commitment or dependencies differ."""

    key: str
    title: str
    team_before: str | None = None
    team_after: str | None = None
    moved: bool = False  # from one team to another (not merely given a team, or losing one)
    changes: list[FieldChange] = Field(default_factory=list)

    def change(self, field: str) -> FieldChange | None:
        return next((c for c in self.changes if c.field == field), None)


class PlanDiff(_Model):
    """The comparison of an earlier and a later plan."""

    schema_version: int = SCHEMA_VERSION
    before: DiffSide
    after: DiffSide
    verdict_changed: bool
    findings_resolved: list[FindingChange] = Field(default_factory=list)
    findings_new: list[FindingChange] = Field(default_factory=list)
    findings_unchanged: list[FindingChange] = Field(default_factory=list)
    teams: list[TeamChange] = Field(default_factory=list)
    items_added: list[ItemRef] = Field(default_factory=list)
    items_removed: list[ItemRef] = Field(default_factory=list)
    items_changed: list[ItemChange] = Field(default_factory=list)

    @property
    def items_moved(self) -> list[ItemChange]:
        return [c for c in self.items_changed if c.moved]

    def worsened_at(self, severity: str) -> list[FindingChange]:
        """Findings of the later plan at or above `severity` that are new, or were below it before."""
        limit = SEVERITIES.index(severity)

        def reaches(s: str | None) -> bool:
            return s is not None and SEVERITIES.index(s) <= limit

        return [
            c
            for c in [*self.findings_new, *self.findings_unchanged]
            if reaches(c.severity_after) and not reaches(c.severity_before)
        ]

    def status_changes(self) -> list[tuple[str, Any, Any]]:
        """(key, status before, status after) of every item whose status changed."""
        return [(c.key, s.before, s.after) for c in self.items_changed if (s := c.change("status"))]


# ------------------------------------------------------------------ building it


def _side(audit: Audit) -> DiffSide:
    counts: dict[str, int] = {}
    for f in audit.findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    fc = audit.forecast
    return DiffSide(
        sources=audit.plan.sources,
        quarter=audit.plan.quarter,
        items=audit.plan.items,
        teams=audit.plan.teams,
        verdict=audit.verdict,
        verdict_reason=audit.verdict_reason,
        findings_by_severity=counts,
        forecast_p50_weeks=fc.plan.p50_weeks if fc else None,
        forecast_p85_weeks=fc.plan.p85_weeks if fc else None,
    )


def _finding_key(f: Finding, plan_source: str) -> tuple[str, str, str]:
    sid = PLAN_SUBJECT if f.subject.kind == "plan" and f.subject.id == plan_source else f.subject.id
    return f.rule, f.subject.kind, sid


def _findings(
    before: Audit, after: Audit
) -> tuple[list[FindingChange], list[FindingChange], list[FindingChange]]:
    old = {_finding_key(f, before.plan.sources[0]): f for f in before.findings}
    new = {_finding_key(f, after.plan.sources[0]): f for f in after.findings}
    resolved = [
        FindingChange(
            rule=f.rule,
            subject=f.subject,
            title=f.title,
            severity_before=f.severity,
            teams=f.teams,
            message=f.message,
        )
        for k, f in old.items()
        if k not in new
    ]
    added: list[FindingChange] = []
    unchanged: list[FindingChange] = []
    for k, f in new.items():
        was = old.get(k)
        change = FindingChange(
            rule=f.rule,
            subject=f.subject,
            title=f.title,
            severity_after=f.severity,
            severity_before=was.severity if was else None,
            teams=f.teams,
            message=f.message,
        )
        (unchanged if was else added).append(change)
    return resolved, added, unchanged


def _teams(before: Audit, after: Audit) -> list[TeamChange]:
    old = {t.team: t for t in before.teams}
    new = {t.team: t for t in after.teams}
    p85 = [
        {t.team: t.p85_weeks for t in a.forecast.teams} if a.forecast else {}
        for a in (before, after)
    ]
    out = []
    for name in sorted(old.keys() | new.keys()):
        a, b = old.get(name), new.get(name)
        load_a, load_b = _known_load(a), _known_load(b)
        out.append(
            TeamChange(
                team=name,
                capacity_weeks_before=a.capacity_weeks if a else None,
                capacity_weeks_after=b.capacity_weeks if b else None,
                planned_weeks_before=a.planned_weeks if a else None,
                planned_weeks_after=b.planned_weeks if b else None,
                load_before=load_a,
                load_after=load_b,
                load_change=round(load_b - load_a, 3)
                if load_a is not None and load_b is not None
                else None,
                score_before=a.score if a else None,
                score_after=b.score if b else None,
                p85_weeks_before=p85[0].get(name),
                p85_weeks_after=p85[1].get(name),
            )
        )
    return out


def _known_load(team: TeamReport | None) -> float | None:
    """The team's load, None when the team or its capacity is unknown."""
    return team.load if team is not None and team.capacity_weeks > 0 else None


def _values(item: Item, summary: ItemSummary | None) -> dict[str, Any]:
    """The compared fields of one item, as plain values (dates as ISO text)."""
    estimate = summary.estimate_weeks if summary else item.estimate_weeks
    return {
        "team": summary.team if summary else item.team,
        "status": item.status,
        "start": item.start.isoformat() if item.start else None,
        "due": item.due.isoformat() if item.due else None,
        "estimate_weeks": round(estimate, 3) if estimate is not None else None,
        "priority": item.priority,
        "committed": item.committed,
        "depends_on": ", ".join(sorted(set(item.depends_on))) or None,
    }


def _first(plan: Plan) -> dict[str, Item]:
    items: dict[str, Item] = {}
    for item in plan.items:
        items.setdefault(item.key, item)
    return items


def _ref(item: Item, summary: ItemSummary | None) -> ItemRef:
    return ItemRef(
        key=item.key,
        title=item.title,
        team=summary.team if summary else item.team,
        status=item.status,
        estimate_weeks=summary.estimate_weeks if summary else item.estimate_weeks,
        due=item.due,
        committed=item.committed,
    )


def compare(before: Audit, before_plan: Plan, after: Audit, after_plan: Plan) -> PlanDiff:
    """What changed from the earlier plan to the later one, and what it did to the audit."""
    resolved, added, unchanged = _findings(before, after)
    old_items, new_items = _first(before_plan), _first(after_plan)
    old_summary = {i.key: i for i in reversed(before.items)}  # the first of a duplicated key wins
    new_summary = {i.key: i for i in reversed(after.items)}
    changed = []
    for key, item in new_items.items():
        was = old_items.get(key)
        if was is None:
            continue
        a, b = _values(was, old_summary.get(key)), _values(item, new_summary.get(key))
        changes = [
            FieldChange(field=f, before=a[f], after=b[f]) for f in ITEM_FIELDS if a[f] != b[f]
        ]
        if changes:
            changed.append(
                ItemChange(
                    key=key,
                    title=item.title,
                    team_before=a["team"],
                    team_after=b["team"],
                    moved=bool(a["team"] and b["team"] and a["team"] != b["team"]),
                    changes=changes,
                )
            )
    return PlanDiff(
        before=_side(before),
        after=_side(after),
        verdict_changed=before.verdict != after.verdict,
        findings_resolved=resolved,
        findings_new=added,
        findings_unchanged=unchanged,
        teams=_teams(before, after),
        items_added=[
            _ref(i, new_summary.get(k)) for k, i in new_items.items() if k not in old_items
        ],
        items_removed=[
            _ref(i, old_summary.get(k)) for k, i in old_items.items() if k not in new_items
        ],
        items_changed=changed,
    )
