"""Check kinds over the data itself: what the sources did not say clearly."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from ..analyze.facts import Facts
from ..model import DataIssue, Evidence, Subject
from .base import Hit, Params, check
from .texts import data as texts


class DataIssueParams(Params):
    max_evidence: int = Field(ge=1, le=10_000)


def _plan_source(source: str, sources: list[str]) -> str:
    """The plan source a file belongs to: itself, the folder it was read from (a CSV in a
    plan folder), else the plan's first source (a file in a Jira folder that was not read)."""
    for plan_source in sources:
        if source == plan_source or source.startswith(plan_source.rstrip("/\\") + "/"):
            return plan_source
    return sources[0] if sources else source


def _subject(facts: Facts, issue: DataIssue) -> tuple[str, str]:
    """(kind, id) of what a data problem is about: an item, team or service, else the plan."""
    sid = issue.subject_id
    for kind, known in (("item", facts.items), ("team", facts.teams), ("service", facts.services)):
        if sid and sid in known:
            return kind, sid
    return "plan", _plan_source(issue.ref.source, facts.plan.sources)


def _teams(facts: Facts, kind: str, sid: str) -> tuple[str, ...]:
    item = facts.items.get(sid) if kind == "item" else None
    if item is not None:
        return (facts.team_of(item) or "",)
    return (sid,) if kind == "team" else ()


def data_issues(facts: Facts, p: DataIssueParams) -> Iterator[Hit]:
    """One finding per subject (item, team, service, or the plan) with data problems."""
    grouped: dict[tuple[str, str], list[DataIssue]] = {}
    for issue in facts.issues:
        grouped.setdefault(_subject(facts, issue), []).append(issue)
    for (kind, sid), issues in grouped.items():
        yield Hit(
            subject=Subject(kind=kind, id=sid),
            message=texts.first_and_more(issues[0].problem, len(issues) - 1),
            evidence=tuple(Evidence.of(i.ref, i.problem) for i in issues[: p.max_evidence]),
            teams=_teams(facts, kind, sid),
            impact=len(issues),
        )


# Registered by a call, not a decorator: mutation testing (tools/mutation.py) reaches
# only undecorated functions.
check("data_issues", DataIssueParams)(data_issues)
