"""Shared presentation helpers: grouping and wording that every text view uses.

Only arrangement and formatting happens here; every number comes from the Audit.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from ..analyze.numbers import listed, pct, plural
from ..model import SEVERITIES, Audit, Finding, OrgRollup

__all__ = ["pct", "plural", "listed"]  # the one formatter of each, for every format

FAMILIES = ("MIG", "LCH", "CAP", "ONC", "SLO", "REL", "DEP", "OWN", "FOR", "DQ")
FAMILY_NAMES = {
    "MIG": "Migrations",
    "LCH": "Launches",
    "CAP": "Capacity",
    "ONC": "On-call",
    "SLO": "SLOs & budgets",
    "REL": "Reliability work",
    "DEP": "Dependencies",
    "OWN": "Ownership",
    "FOR": "Forecast",
    "DQ": "Data",
}
VERDICT_TEXT = {
    "go": "Go",
    "go-with-changes": "Go, with changes",
    "replan": "Replan before committing",
}
NO_TEAM = "(no team)"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
SEVERITY_ORDER = {s: i for i, s in enumerate(SEVERITIES)}


def family(rule: str) -> str:
    return rule.rstrip("0123456789")


def family_name(fam: str) -> str:
    return FAMILY_NAMES.get(fam, fam)


def severity_rank(severity: str) -> int:
    return SEVERITY_ORDER.get(severity, len(SEVERITIES))


def severity_counts(findings: list[Finding]) -> dict[str, int]:
    counts = {s: 0 for s in SEVERITIES}
    for f in findings:
        counts[f.severity] += 1
    return counts


def families_of(audit: Audit) -> list[str]:
    """The rule families that ran or found something, in the report's fixed order."""
    seen = {family(r) for r in audit.rules_run} | {family(f.rule) for f in audit.findings}
    return [f for f in FAMILIES if f in seen] + sorted(seen - set(FAMILIES))


@dataclass(frozen=True)
class HeatCell:
    severity: str | None  # the worst severity found there; None when clean
    count: int  # findings in the cell


def heat(audit: Audit) -> tuple[list[str], dict[str, dict[str, HeatCell]]]:
    """Team x rule family -> the worst severity found there and how many findings.

    Rows are the audit's teams, plus `NO_TEAM` when a finding names no team.
    """
    used = families_of(audit)
    # team -> family -> [worst severity's rank, findings, worst severity]; a rule's family once
    grouped: dict[str, dict[str, list]] = defaultdict(dict)
    family_of: dict[str, str] = {}
    rank = SEVERITY_ORDER
    unknown = len(SEVERITIES)
    for f in audit.findings:
        fam = family_of.get(f.rule)
        if fam is None:
            fam = family_of[f.rule] = family(f.rule)
        sev = rank.get(f.severity, unknown)
        for team in f.teams or (NO_TEAM,):
            cell = grouped[team].get(fam)
            if cell is None:
                grouped[team][fam] = [sev, 1, f.severity]
            else:
                cell[1] += 1
                if sev < cell[0]:  # the first of the worst, as min() keeps it
                    cell[0], cell[2] = sev, f.severity
    rows = [t.team for t in audit.teams]
    listed = set(rows)
    rows += sorted(t for t in grouped if t not in listed)
    clean = HeatCell(None, 0)
    grid: dict[str, dict[str, HeatCell]] = {}
    for team in rows:
        cells = grouped.get(team, {})
        grid[team] = {
            fam: HeatCell(cell[2], cell[1]) if (cell := cells.get(fam)) else clean for fam in used
        }
    return used, grid


@lru_cache(maxsize=1024)  # the same few rule texts, for thousands of findings
def first_sentence(text: str, limit: int = 220) -> str:
    """The first sentence of a paragraph, cut at a word if it is still long."""
    text = " ".join(text.split())
    match = re.search(r"(?<=[.!?])\s+(?=[A-Z\"'“(])", text)
    head = text[: match.start()] if match else text
    if len(head) <= limit:
        return head
    cut = head[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def weeks(x: float | None) -> str:
    return "—" if x is None or not math.isfinite(x) else f"{x:.1f}"


def planned(t) -> str:
    """A team's planned engineer-weeks; when story points could not be converted, a floor ("≥ 4.0") or
    "unknown": never a 0.0 that reads as "nothing planned"."""
    if getattr(t, "planned_known", True):
        return weeks(t.planned_weeks)
    return f"≥ {weeks(t.planned_weeks)}" if t.planned_weeks > 0 else "unknown"


def number(x: float | None) -> str:
    """A count or size as people write it: 6, 6.5."""
    return "—" if x is None or not math.isfinite(x) else f"{x:g}"


def day(d: dt.date | None) -> str:
    """2 Oct 2026, the same in every locale."""
    return "—" if d is None else f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def span(start: dt.date | None, end: dt.date | None) -> str:
    if start is None or end is None:
        return ""
    if start.year == end.year:
        return f"{start.day} {_MONTHS[start.month - 1]} – {day(end)}"
    return f"{day(start)} – {day(end)}"


def unchecked_teams(audit: Audit) -> list[str]:
    """Teams that own items but have no headcount to weigh their load against."""
    return sorted(t.team for t in audit.teams if t.items and not t.capacity_known)


def teams_text(staffed: int) -> str:
    """How many teams the staffing model has, as a header says it: "8 teams", or that there is none."""
    return "no staffing model" if staffed == 0 else plural(staffed, "team")


def is_over(load: float | None) -> bool:
    return load is not None and load > 1.0


# Deeper org units are shown at this depth (convention of this project: a company's reporting
# lines are a handful of levels; a tree hundreds deep is a data error, and a page cannot indent it).
ORG_DEPTH_SHOWN = 12


def org_outline(units: list[OrgRollup], teams: set[str] | dict) -> list[tuple[OrgRollup, int]]:
    """(unit, depth) for every org unit in outline order: roots by name, children teams last.

    Iterative, so a tree thousands of levels deep costs no more than a wide one; a unit that
    is its own ancestor is shown once. Depth is the true depth: show min(depth, ORG_DEPTH_SHOWN)."""
    names = {u.unit for u in units}
    children: dict[str | None, list] = defaultdict(list)
    for u in units:
        children[u.parent if u.parent in names and u.parent != u.unit else None].append(u)
    order = lambda u: (u.unit in teams, u.unit)  # noqa: E731
    out: list[tuple[OrgRollup, int]] = []
    shown: set[str] = set()
    stack = [(u, 0) for u in sorted(children[None], key=order, reverse=True)]
    while stack:
        u, depth = stack.pop()
        if u.unit in shown:
            continue
        shown.add(u.unit)
        out.append((u, depth))
        stack.extend(
            (c, depth + 1) for c in sorted(children.get(u.unit, []), key=order, reverse=True)
        )
    return out


def org_depth_note(outline: list[tuple[OrgRollup, int]]) -> str | None:
    """What the outline could not indent, in one sentence; None when every unit is at its depth."""
    deep = sum(1 for _, depth in outline if depth > ORG_DEPTH_SHOWN)
    if not deep:
        return None
    return (
        f"The org tree is deeper than {ORG_DEPTH_SHOWN} levels: {deep:,} units below that level are "
        f"shown at level {ORG_DEPTH_SHOWN} (check the Org sheet's parent column)."
    )


# Escape sequences a terminal acts on (CSI such as colours and cursor moves, OSC such as window titles
# and hyperlinks, and the rest), then every other control character but newline and tab.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[P^_X][^\x1b]*(?:\x1b\\)?"
    r"|\x1b.?|\x9b[0-?]*[ -/]*[@-~]|\x9d[^\x07\x9c]*[\x07\x9c]?"
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def strip_controls(text: str) -> str:
    """Text a terminal shows as it is: no escape sequence or control character from a cell reaches it."""
    if not _CONTROLS.search(text):
        return text
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


@dataclass(frozen=True)
class Problem:
    """One kind of problem in the verdict sentence: plain words, where, and the rule as a tag."""

    words: str  # the finding title, as a sentence says it: "migration with no rollback plan"
    subjects: tuple[str, ...]
    teams: tuple[str, ...]
    rule: str

    def text(self) -> str:
        where = listed(self.subjects, 3)
        whose = (
            f" ({', '.join(self.teams[:3])})"
            if self.teams and set(self.teams) != set(self.subjects)
            else ""
        )
        return f"{self.words} on {where}{whose}"


@dataclass(frozen=True)
class VerdictLine:
    """The verdict sentence in words a CTO uses: how many problems, which, and what could not be checked."""

    lead: str  # "2 critical problems must change before the quarter starts"
    problems: tuple[Problem, ...]
    tail: str  # "; load not checked for ..." or ""

    def plain(self, tag=lambda rule: f" [{rule}]") -> str:
        named = "; ".join(p.text() + tag(p.rule) for p in self.problems)
        return self.lead + (": " + named if named else "") + self.tail


def in_sentence(title: str) -> str:
    """A finding's title as the middle of a sentence: "Key-person risk" -> "key-person risk", while
    "SLO above what its dependencies can give" keeps its acronym."""
    return title[:1].lower() + title[1:] if title[1:2].islower() else title


def verdict_line(audit: Audit, limit: int = 3, counts: dict[str, int] | None = None) -> VerdictLine:
    """Built from the findings' titles and subjects (never from the verdict's prose); `counts` are
    the findings' `severity_counts` when the caller has them."""
    from ..score import unchecked_capacity

    if counts is None:
        counts = severity_counts(audit.findings)
    worst = "critical" if counts["critical"] else "high" if counts["high"] else None
    if worst == "critical":
        lead = f"{plural(counts['critical'], 'critical problem')} must change before the quarter starts"
    elif worst == "high":
        lead = f"nothing critical; {plural(counts['high'], 'serious problem')} need a change in the plan"
    else:
        lead = "no critical or serious problem found"
    grouped: dict[tuple[str, str], list[Finding]] = {}
    for f in audit.findings:
        if f.severity == worst:
            grouped.setdefault((f.title, f.rule), []).append(f)
    problems = []
    for (title, rule), fs in list(grouped.items())[:limit]:
        teams = tuple(dict.fromkeys(t for f in fs for t in f.teams))
        words = in_sentence(title)
        problems.append(
            Problem(
                words=words,
                subjects=tuple(dict.fromkeys(f.subject.id for f in fs)),
                teams=teams,
                rule=rule,
            )
        )
    rest = sum(len(fs) for fs in list(grouped.values())[limit:])
    more = f"; and {rest} more" if rest else ""
    return VerdictLine(
        lead=lead[:1].upper() + lead[1:],
        problems=tuple(problems),
        tail=more + unchecked_capacity(audit.teams),
    )
