"""Check kinds over the data itself: what the sources did not say clearly."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from ..analyze.facts import Facts
from ..model import Evidence, Subject
from .base import Hit, Params, check


class DataIssueParams(Params):
    max_evidence: int = Field(ge=1, le=10_000)


def _plan_source(source: str, sources: list[str]) -> str:
    """The plan source a file belongs to: itself, the folder it was read from (a CSV in a
    plan folder), else the plan's first source (a file in a Jira folder that was not read)."""
    for plan_source in sources:
        if source == plan_source or source.startswith(plan_source.rstrip("/\\") + "/"):
            return plan_source
    return sources[0] if sources else source


@check("data_issues", DataIssueParams)
def data_issues(facts: Facts, p: DataIssueParams) -> Iterator[Hit]:
    """One finding per subject (item, team, service, or the plan) with data problems."""
    grouped: dict[tuple[str, str], list] = {}
    for issue in facts.issues:
        sid = issue.subject_id
        if sid and sid in facts.items:
            subject = ("item", sid)
        elif sid and sid in facts.teams:
            subject = ("team", sid)
        elif sid and sid in facts.services:
            subject = ("service", sid)
        else:
            subject = ("plan", _plan_source(issue.ref.source, facts.plan.sources))
        grouped.setdefault(subject, []).append(issue)
    for (kind, sid), issues in grouped.items():
        item = facts.items.get(sid) if kind == "item" else None
        teams = (facts.team_of(item) or "",) if item else ((sid,) if kind == "team" else ())
        first = issues[0].problem
        more = f" (and {len(issues) - 1} more)" if len(issues) > 1 else ""
        yield Hit(
            subject=Subject(kind=kind, id=sid),
            message=f"{first}{more}",
            evidence=tuple(Evidence.of(i.ref, i.problem) for i in issues[: p.max_evidence]),
            teams=teams,
            impact=len(issues),
        )
