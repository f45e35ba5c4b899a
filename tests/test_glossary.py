"""The "Terms used" list: exactly the terms the report's tables and findings use."""

from __future__ import annotations

from roadmap_audit.model import Finding, Subject
from roadmap_audit.report.glossary import report_terms


def _finding(rule: str, message: str) -> Finding:
    return Finding(
        rule=rule,
        severity="medium",
        title=f"{rule} finding",
        subject=Subject(kind="service", id="ledger"),
        message=message,
        why="Because.",
        fix="Change it.",
    )


def _terms(sample_audit, *findings: Finding) -> list[str]:
    audit = sample_audit.model_copy(
        update={"teams": [], "forecast": None, "findings": list(findings)}
    )
    return [t.term for t in report_terms(audit)]


def test_a_term_in_a_later_finding_of_a_rule_is_listed(sample_audit):
    """A rule's first finding is read first; a term only a later finding of the rule uses still counts."""
    first = _finding("REL003", "ledger has no runbook.")
    later = _finding("REL003", "ledger spends half its time on KTLO and toil.")
    other = _finding("SLO001", "ledger has no SLO.")
    assert _terms(sample_audit, first, later, other) == ["KTLO", "toil", "SLO"]
    assert _terms(sample_audit, first, other) == ["SLO"]
    assert _terms(sample_audit, first) == []


def test_terms_follow_the_glossarys_order_and_the_tables_own_words(sample_audit):
    """The tables' words count (a plan with teams uses engineer-weeks, load and ops admitted)."""
    f = _finding("SLO001", "ledger's error budget is spent; its SLO is 99.9 % (tier 1).")
    audit = sample_audit.model_copy(update={"forecast": None, "findings": [f]})
    assert [t.term for t in report_terms(audit)] == [
        "engineer-week",
        "load",
        "ops admitted / observed",
        "tier",
        "SLO",
        "error budget",
    ]
