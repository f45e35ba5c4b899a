"""Shared presentation helpers: grouping and wording that every text view uses.

Only arrangement and formatting happens here; every number comes from the Audit.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from ..model import SEVERITIES, Audit, Finding

FAMILIES = ("MIG", "LCH", "CAP", "ONC", "SLO", "REL", "DEP", "OWN", "FOR", "DQ")
FAMILY_NAMES = {
    "MIG": "Migrations", "LCH": "Launches", "CAP": "Capacity", "ONC": "On-call", "SLO": "SLOs & budgets",
    "REL": "Reliability work", "DEP": "Dependencies", "OWN": "Ownership", "FOR": "Forecast", "DQ": "Data",
}
VERDICT_TEXT = {
    "go": "Go",
    "go-with-changes": "Go, with changes",
    "replan": "Replan before committing",
}


def family(rule: str) -> str:
    return rule.rstrip("0123456789")


def severity_counts(findings: list[Finding]) -> dict[str, int]:
    counts = Counter(f.severity for f in findings)
    return {s: counts[s] for s in SEVERITIES}


def heat(audit: Audit) -> tuple[list[str], dict[str, dict[str, str | None]]]:
    """Team x rule family -> the worst severity found there (None when clean)."""
    used = [f for f in FAMILIES if any(family(x.rule) == f for x in audit.findings)]
    worst: dict[str, dict[str, str | None]] = defaultdict(dict)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    for t in audit.teams:
        worst[t.team] = {f: None for f in used}
    for f in audit.findings:
        for team in f.teams:
            cell = worst.setdefault(team, {x: None for x in used})
            fam = family(f.rule)
            if cell.get(fam) is None or order[f.severity] < order[cell[fam]]:
                cell[fam] = f.severity
    return used, dict(worst)


def pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.0%}"


def weeks(x: float | None) -> str:
    return "—" if x is None else f"{x:.1f}"
