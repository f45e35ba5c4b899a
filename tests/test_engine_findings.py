"""The engine stamps each check's hits into findings: one per subject, the rule's [escalate]
decided from what the check measured, the concrete fix before the rule's."""

from __future__ import annotations

import dataclasses

from roadmap_audit.checks.base import CheckKind, Hit, item_subject
from roadmap_audit.engine import builtin_rules_dir, load_rules, run_rules
from roadmap_audit.escalation import Escalation

from .conftest import facts_of

OWN001 = next(r for r in load_rules([builtin_rules_dir()]) if r.id == "OWN001")


def _rule(hits: list[Hit], escalation: Escalation | None):
    kind = dataclasses.replace(OWN001.kind, run=lambda facts, params: iter(hits))
    assert isinstance(kind, CheckKind)
    return dataclasses.replace(OWN001, kind=kind, escalation=escalation)


def _facts(tmp_path):
    plan = tmp_path / "plan"
    plan.mkdir()
    (plan / "items.csv").write_text("key,title,team,estimate\nA-1,Search facets,search,2\n")
    (plan / "settings.csv").write_text("setting,value\nquarter,2026-Q3\n")
    return facts_of(plan)


def _hit(key: str, fix: str | None = None, **measured) -> Hit:
    return Hit(
        subject=item_subject(key),
        message=f"{key} is unowned",
        teams=("search", "", "search"),
        fix=fix,
        measured=measured,
        notes={"tier": "it is tier 0", "committed": "it is committed"},
    )


def test_a_tier_of_zero_escalates_and_unmeasured_or_no_facts_never_do(tmp_path):
    hits = [
        _hit("T-0", committed=False, tier=0),  # 0 is a tier, not "not measured"
        _hit("T-1", committed=False, tier=1),
        _hit("T-N", committed=False, tier=None),
        _hit("C-Y", committed=True, tier=None),
        _hit("N-0"),  # nothing measured
        _hit("O-1", committed=1, tier=None),  # a count of 1 is not a yes: decided apart
        _hit("O-Y", committed=True, tier=None),
        _hit("T-0", committed=True, tier=5),  # a second hit on a subject: not a finding
    ]
    escalation = Escalation(to="critical", source="a test", when=["committed"], at_most={"tier": 0})
    facts = _facts(tmp_path)
    findings = run_rules(facts, [_rule(hits, escalation)])
    got = {(f.subject.id, f.severity, f.message) for f in findings}
    assert got == {
        ("T-0", "critical", "T-0 is unowned; it is tier 0"),
        ("C-Y", "critical", "C-Y is unowned; it is committed"),
        ("T-1", OWN001.severity, "T-1 is unowned"),
        ("T-N", OWN001.severity, "T-N is unowned"),
        ("N-0", OWN001.severity, "N-0 is unowned"),
        ("O-1", OWN001.severity, "O-1 is unowned"),
        ("O-Y", "critical", "O-Y is unowned; it is committed"),
    }
    assert all(f.teams == ("search",) and f.team == "search" for f in findings)
    # without an [escalate] table the check's own severity, or the rule's
    plain = run_rules(facts, [_rule(hits[:1], None)])
    assert [(f.subject.id, f.severity) for f in plain] == [("T-0", OWN001.severity)]


def test_a_concrete_fix_comes_first_in_single_spaces(tmp_path):
    hits = [_hit("F-1", fix="  Name an owner\n for  F-1. "), _hit("F-2", fix="   "), _hit("F-3")]
    findings = {f.subject.id: f.fix for f in run_rules(_facts(tmp_path), [_rule(hits, None)])}
    rule_fix = " ".join(OWN001.spec.fix.split())
    assert findings == {
        "F-1": f"Name an owner for F-1. {rule_fix}",
        "F-2": rule_fix,
        "F-3": rule_fix,
    }
