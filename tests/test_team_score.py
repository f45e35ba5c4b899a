"""The team risk score: a severity-weighted sum with no cap, shown with its parts."""

from __future__ import annotations

from roadmap_audit.score import SCORE_RULE, SEVERITY_WEIGHT, score_basis, team_reports

from .conftest import SAMPLES, facts_of


def _scores(sample_audit):
    return {t.team: t.score for t in sample_audit.teams}


def test_the_score_is_the_weighted_sum_of_the_findings_that_involve_the_team(sample_audit):
    for t in sample_audit.teams:
        mine = [f for f in sample_audit.findings if t.team in f.teams]
        assert t.score == sum(SEVERITY_WEIGHT[f.severity] for f in mine), t.team
        assert sum(t.findings_by_severity.values()) == t.findings == len(mine)
    payments = next(t for t in sample_audit.teams if t.team == "payments")
    assert payments.score > 100  # no cap: four teams used to read 100 alike
    assert score_basis(payments.findings_by_severity).endswith(f"= {payments.score}")


def test_the_score_orders_the_teams_the_cap_tied(sample_audit):
    scores = _scores(sample_audit)
    worst = {"payments", "api", "search", "data-platform"}  # all four read 100 under the old cap
    assert len({scores[t] for t in worst}) == 4  # now they sort apart
    assert (
        min(scores[t] for t in worst)
        > scores["identity"]
        > scores["checkout"]
        > scores["seller-tools"]
    )
    assert {t.team for t in sample_audit.teams[:4]} == worst
    listed = [(-t.score, -(t.load or 0.0)) for t in sample_audit.teams]
    assert listed == sorted(listed)


def test_clearing_two_findings_moves_the_score_by_their_weight(sample_audit):
    cleared = {("MIG001", "PAY-102"), ("CAP001", "payments")}
    severity = {
        (f.rule, f.subject.id): f.severity for f in sample_audit.findings if "payments" in f.teams
    }
    assert (
        severity[("MIG001", "PAY-102")] == "critical" and severity[("CAP001", "payments")] == "high"
    )
    assert [k for k, v in severity.items() if v == "critical"] == [("MIG001", "PAY-102")]
    left = [f for f in sample_audit.findings if (f.rule, f.subject.id) not in cleared]
    facts = facts_of(SAMPLES / "northwind-2026-Q3.xlsx")
    after = {t.team: t for t in team_reports(facts, left)}
    before = _scores(sample_audit)
    assert (
        after["payments"].score
        == before["payments"] - SEVERITY_WEIGHT["critical"] - SEVERITY_WEIGHT["high"]
    )
    assert "critical" not in after["payments"].findings_by_severity
    assert all(after[name].score == score for name, score in before.items() if name != "payments")


def test_the_weights_are_stated_once_and_shown_where_the_score_is(sample_audit):
    from roadmap_audit.report.html import render_html
    from roadmap_audit.report.markdown import render_markdown

    assert (
        SCORE_RULE.count("critical 40") == 1
        and "high 20" in SCORE_RULE
        and "medium 8" in SCORE_RULE
    )
    assert SCORE_RULE in render_markdown(sample_audit)
    html = render_html(sample_audit)
    payments = next(t for t in sample_audit.teams if t.team == "payments")
    assert SCORE_RULE in html and score_basis(payments.findings_by_severity) in html
    assert "0–100" not in html
    assert score_basis({}) == "no weighted findings = 0"
    assert score_basis({"critical": 1, "medium": 2}) == "1 critical × 40 + 2 medium × 8 = 56"


def test_the_report_items_built_without_checks_match_the_checked_build(monkeypatch):
    """item_summaries and team_status build their records from dicts in field order, unchecked;
    the same audit through `made` (every field checked) must read the same, field order included."""
    from roadmap_audit import score

    from .conftest import audit_of

    plan = SAMPLES / "northwind-2026-Q3.xlsx"
    lean = audit_of(plan)
    for flag in ("_SUMMARY_FIELDS_HOLD", "_DEPENDENCY_FIELDS_HOLD", "_DELIVERY_FIELDS_HOLD"):
        monkeypatch.setattr(score, flag, False)
    checked = audit_of(plan)
    assert lean.items and lean.dependencies
    assert any(t.delivery and t.delivery.committed for t in lean.teams)
    assert [i.model_dump_json() for i in lean.items] == [i.model_dump_json() for i in checked.items]
    assert [d.model_dump_json() for d in lean.dependencies] == [
        d.model_dump_json() for d in checked.dependencies
    ]
    assert [t.model_dump_json() for t in lean.teams] == [t.model_dump_json() for t in checked.teams]
