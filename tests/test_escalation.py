"""One escalation mechanism: a rule file's [escalate] table, decided by the engine from the
facts each check measures on a finding's subject; and the capacity line as a property of
the rule that declares it (CAP001), not an id in the pipeline."""

from __future__ import annotations

import math
import shutil
import tomllib

import pytest

from roadmap_audit.checks import REGISTRY
from roadmap_audit.config import Config, load_config
from roadmap_audit.engine import builtin_rules_dir, capacity_rule, decided, load_rules
from roadmap_audit.errors import InputError
from roadmap_audit.escalation import Escalation, escalated
from roadmap_audit.pipeline import Options, run

from .conftest import FIXTURES, SAMPLES, audit_of, facts_of

RULES = {r.id: r for r in load_rules([builtin_rules_dir()])}


def below(x: float) -> float:
    return math.nextafter(x, -math.inf)


def above(x: float) -> float:
    return math.nextafter(x, math.inf)


# ---------------------------------------------------------------- each condition at its bound


@pytest.mark.parametrize(
    "key, holds_at, holds_past, past",
    [
        ("at_most", True, True, below),  # at the bound and just under it
        ("at_least", True, True, above),
        ("below", False, True, below),  # strictly: not at the bound, just under it
        ("above", False, True, above),
    ],
)
def test_a_bound_holds_exactly_as_its_name_says(key, holds_at, holds_past, past):
    esc = Escalation(to="high", source="test", **{key: {"x": 3}})
    assert esc.holds("x", 3) is holds_at
    assert esc.holds("x", past(3.0)) is holds_past
    other = above if past is below else below  # one step the other way never holds
    assert esc.holds("x", other(3.0)) is False
    assert esc.holds("x", None) is False  # not measured on this subject


def test_a_yes_no_fact_holds_only_when_true_and_named():
    esc = Escalation(to="high", source="test", when=["committed"])
    assert esc.holds("committed", True)
    assert not esc.holds("committed", False)
    assert not esc.holds("carried_over", True)


def test_any_condition_escalates_and_the_first_note_of_one_that_holds_is_added():
    from roadmap_audit.checks.base import Hit
    from roadmap_audit.model import Subject

    esc = Escalation(to="critical", source="test", when=["committed"], at_most={"tier": 1})
    notes = {"tier": "it touches tier-1 service ledger", "committed": "its date is committed"}

    def hit(committed: bool, tier: int | None) -> Hit:
        return Hit(
            Subject(kind="item", id="A-1"),
            "A-1 has no rollback",
            measured={"committed": committed, "tier": tier},
            notes=notes,
        )

    assert escalated(esc, hit(False, 2)) == (None, None)
    assert escalated(esc, hit(True, 2)) == ("critical", "its date is committed")
    assert escalated(esc, hit(False, 1)) == ("critical", "it touches tier-1 service ledger")
    assert escalated(esc, hit(True, 0)) == ("critical", "it touches tier-1 service ledger")
    assert escalated(None, hit(True, 0)) == (None, None)
    rule = RULES["MIG001"]
    assert decided(rule, hit(True, 0)) == (
        "critical",
        "A-1 has no rollback; it touches tier-1 service ledger",
    )
    assert decided(rule, hit(False, None)) == ("high", "A-1 has no rollback")


# ---------------------------------------------------------------- the shipped rules' escalations


def test_the_shipped_escalations_are_declared_in_their_rule_files():
    tables = {rid: r.escalation for rid, r in RULES.items() if r.escalation}
    assert {rid: (t.to, t.described()) for rid, t in tables.items() if rid in MINE} == MINE


MINE = {
    "LCH001": ("high", "committed, or tier at or below 1"),
    "MIG001": ("critical", "committed, or tier at or below 1"),
    "MIG002": ("high", "committed, or tier at or below 1"),
    "MIG003": ("high", "stack_dated at or above 3"),
    "OWN001": ("high", "committed, or tier at or below 1"),
    "REL001": ("high", "carried_over, or postmortem_action"),
    "REL003": ("high", "budget_spent"),
}


def test_no_converted_check_kind_keeps_a_parameter_of_its_own_for_escalation():
    for rid in MINE:
        fields = RULES[rid].kind.params.model_fields
        assert not [f for f in fields if f.startswith("escalate")], rid


STACK_ITEMS = (
    "key,title,team,kind,estimate,start,due\n"
    "S-1,Orders table to v2,s,migration,2,2026-07-06,2026-08-28\n"
    "S-2,Refunds go-live,s,launch,2,2026-07-06,2026-08-28\n"
    "S-3,Ledger cutover,s,migration,2,2026-07-06,2026-08-28\n"
)


@pytest.fixture(scope="module")
def stack_facts(tmp_path_factory):
    plan = tmp_path_factory.mktemp("stack")
    (plan / "items.csv").write_text(STACK_ITEMS)
    (plan / "settings.csv").write_text("setting,value\nquarter,2026-Q3\n")
    return facts_of(plan)


def _severities(rule_id: str, facts, **table) -> dict[str, str]:
    rule = RULES[rule_id]
    esc = Escalation(**{**rule.escalation.model_dump(), **table}) if table else rule.escalation
    out = {}
    for hit in rule.kind.run(facts, rule.params):
        severity = escalated(esc, hit)[0] or hit.severity or rule.severity
        out[hit.subject.id] = severity
    return out


def test_mig003_escalates_a_stack_at_its_bound_and_not_one_short_of_it(stack_facts):
    assert _severities("MIG003", stack_facts) == {"s": "high"}  # 3 in flight, the shipped 3
    assert _severities("MIG003", stack_facts, at_least={"stack_size": 3}) == {"s": "high"}
    assert _severities("MIG003", stack_facts, at_least={"stack_size": 4}) == {"s": "medium"}


TIER_ITEMS = (
    "key,title,team,kind,estimate,rollback_plan,services,committed\n"
    "M-1,Ledger cutover to the new cluster,core,migration,3,,ledger,\n"
    "M-2,Orders table to v2,core,migration,3,,orders,\n"
    "M-3,Refund reasons backfill,core,migration,1,,,yes\n"
)
TIER_SERVICES = "service,owner_team,tier\nledger,core,1\norders,core,2\n"


@pytest.fixture(scope="module")
def tier_facts(tmp_path_factory):
    plan = tmp_path_factory.mktemp("tier")
    (plan / "items.csv").write_text(TIER_ITEMS)
    (plan / "services.csv").write_text(TIER_SERVICES)
    (plan / "settings.csv").write_text("setting,value\nquarter,2026-Q3\n")
    return facts_of(plan)


def test_mig001_escalates_a_service_of_exactly_the_tier_and_not_one_tier_less_critical(tier_facts):
    # M-1 touches tier-1 ledger, M-2 tier-2 orders, M-3 is committed
    assert _severities("MIG001", tier_facts) == {
        "M-1": "critical",
        "M-2": "high",
        "M-3": "critical",
    }
    assert _severities("MIG001", tier_facts, at_most={"tier": 2}) == {
        "M-1": "critical",
        "M-2": "critical",
        "M-3": "critical",
    }
    assert _severities("MIG001", tier_facts, at_most={"tier": 0}) == {
        "M-1": "high",
        "M-2": "high",
        "M-3": "critical",
    }
    assert _severities("MIG001", tier_facts, when=[]) == {
        "M-1": "critical",
        "M-2": "high",
        "M-3": "high",
    }


def test_an_escalated_finding_says_why_in_its_message(tier_facts, tmp_path):
    plan = tmp_path / "plan"
    plan.mkdir()
    (plan / "items.csv").write_text(TIER_ITEMS)
    (plan / "services.csv").write_text(TIER_SERVICES)
    audit = audit_of(plan, select=["MIG001"], quarter="2026-Q3")
    messages = {f.subject.id: f.message for f in audit.findings}
    assert messages["M-1"].endswith("; it touches tier-1 service ledger")
    assert messages["M-3"].endswith("; its date is committed outside the team")
    assert "tier-" not in messages["M-2"] and "committed" not in messages["M-2"]


def _config(tmp_path, text: str) -> Config:
    path = tmp_path / "c.toml"
    path.write_text(text)
    return load_config(path, cwd=tmp_path)


def test_a_config_turns_an_escalation_off_or_changes_its_bound(tmp_path):
    fixture = FIXTURES / "rules" / "MIG003"
    plan = tmp_path / "plan"
    shutil.copytree(fixture, plan)
    (plan / "expect.toml").unlink()
    expected = tomllib.loads((fixture / "expect.toml").read_text())["severity"]
    assert expected["dated"] == "high" and expected["core"] == "medium"

    def severities(config: Config) -> dict[str, str]:
        audit = audit_of(plan, select=["MIG003"], config=config)
        return {f.subject.id: f.severity for f in audit.findings}

    shipped = severities(Config())
    assert shipped["dated"] == "high" and shipped["core"] == "medium"
    off = severities(_config(tmp_path, "[rules.MIG003]\nescalate = false\n"))
    assert off["dated"] == "medium" and set(off.values()) == {"medium"}
    two = severities(_config(tmp_path, "[rules.MIG003.escalate]\nat_least = { stack_size = 2 }\n"))
    assert two["core"] == "high" and set(two.values()) == {"high"}
    rule = load_rules(
        [builtin_rules_dir()], {"MIG003": {"escalate": {"to": "critical"}}}, set_in={}
    )
    table = next(r for r in rule if r.id == "MIG003").escalation
    assert table is not None and table.to == "critical" and table.at_least == {"stack_dated": 3}
    assert table.source == "set in the config"


# ---------------------------------------------------------------- every measured fact is declared


def test_every_fact_a_check_measures_is_one_its_kind_declares(sample_audit):
    plans = [
        (SAMPLES / "northwind-2026-Q3.xlsx", []),
        *((p, []) for p in sorted((FIXTURES / "rules").iterdir()) if p.is_dir()),
    ]
    measured: dict[str, set[str]] = {}
    for plan, _ in plans:
        facts = _facts(plan)
        for rule in RULES.values():
            if rule.id == "FOR001":
                continue  # the forecast runs in the pipeline, not in facts_of
            for hit in rule.kind.run(facts, rule.params):
                measured.setdefault(rule.kind.name, set()).update(hit.measured)
    for kind, names in measured.items():
        assert names <= set(REGISTRY[kind].measures), (kind, names - set(REGISTRY[kind].measures))
    for rid in MINE:  # the converted checks measure every fact they declare somewhere
        kind = RULES[rid].kind
        assert set(kind.measures) <= measured.get(kind.name, set()) | {"tier"}, kind.name


def _facts(plan):
    if plan.is_dir() and (plan / "expect.toml").exists():
        import tempfile
        from pathlib import Path

        folder = Path(tempfile.mkdtemp())
        for csv in plan.glob("*.csv"):
            shutil.copyfile(csv, folder / csv.name)
        return facts_of(folder)
    return facts_of(plan)


# ---------------------------------------------------------------- the capacity line


def test_the_capacity_line_is_declared_by_cap001_and_read_from_it():
    rule = capacity_rule(list(RULES.values()))
    assert rule is not None and rule.id == "CAP001"
    assert rule.spec.capacity_line == "max_load" and rule.capacity_line == rule.params.max_load
    assert capacity_rule([r for r in RULES.values() if r.id != "CAP001"]) is None


OVER_TEAMS = (
    "team,headcount,new_hires,oncall_rotation,ops_allocation,availability\nt,2,0,0,0%,100%\n"
)
OVER_ITEMS = (
    "key,title,team,estimate,priority,committed\n"
    "A-1,Search facets,t,8,P1,yes\n"
    "A-2,Saved filters,t,6,P3,\n"
    "A-3,Export to CSV,t,6,P3,\n"
)


def test_the_defer_advice_follows_the_rule_that_declares_the_capacity_line(tmp_path):
    plan = tmp_path / "plan"
    plan.mkdir()
    (plan / "teams.csv").write_text(OVER_TEAMS)
    (plan / "items.csv").write_text(OVER_ITEMS)
    (plan / "settings.csv").write_text("setting,value\nquarter,2026-Q3\n")
    shipped = run(Options(plan=str(plan), config=Config()))
    load = next(t.load for t in shipped.teams if t.team == "t")
    assert 1.0 < load < 3.0, load
    assert [r.team for r in shipped.recommendations if r.action == "defer"] == ["t"]
    # our own capacity rule under another id, with a line above the team's load, and CAP001
    # without the property: the advice follows the declared line, not the id
    ours = tmp_path / "ours"
    ours.mkdir()
    text = (builtin_rules_dir() / "CAP001.toml").read_text()
    declared = 'capacity_line = "max_load"\n'
    assert declared in text
    (ours / "CAP001.toml").write_text(text.replace(declared, ""))
    text = text.replace('id = "CAP001"', 'id = "CAP009"')
    text = text.replace(
        "[params.max_load]\nvalue = 1.0", f"[params.max_load]\nvalue = {load + 0.5}"
    )
    (ours / "CAP009.toml").write_text(text)
    raised = run(Options(plan=str(plan), config=Config(), rules_dirs=[str(ours)]))
    assert "CAP009" in raised.rules_run and "CAP001" in raised.rules_run
    assert [r for r in raised.recommendations if r.action == "defer"] == []
    # two rules declaring the line: which one holds would be a guess
    (ours / "CAP001.toml").write_text((builtin_rules_dir() / "CAP001.toml").read_text())
    with pytest.raises(InputError, match="CAP009.toml: key 'capacity_line': CAP001 .* too"):
        run(Options(plan=str(plan), config=Config(), rules_dirs=[str(ours)]))
    chosen = run(
        Options(plan=str(plan), config=Config(), rules_dirs=[str(ours)], ignore=["CAP001"])
    )
    assert [r for r in chosen.recommendations if r.action == "defer"] == []


def test_rules_explain_shows_the_escalation_in_force_and_the_facts_it_may_name(tmp_path):
    from .conftest import run_cli

    out = run_cli("rules", "explain", "MIG003").stdout
    assert "high when stack_dated at or above 3" in out
    assert '  at_least = { "stack_dated" = 3 }' in out
    assert "  stack_size: how many changes are in flight together (a number, for a bound)" in out
    (tmp_path / "c.toml").write_text("[rules.MIG003]\nescalate = false\n")
    out = run_cli("rules", "explain", "MIG003", "--config", str(tmp_path / "c.toml")).stdout
    assert "Escalation" not in out and "stack_size: how many" in out


OWNERLESS = "service,owner_team,tier\nledger,,1\norders,,2\nsearch,,\n"


def test_own001_escalates_an_unowned_service_of_exactly_the_tier_and_not_one_tier_less(tmp_path):
    plan = tmp_path / "plan"
    plan.mkdir()
    (plan / "services.csv").write_text(OWNERLESS)
    (plan / "items.csv").write_text("key,title,team,estimate\nA-1,Search facets,search,2\n")
    (plan / "settings.csv").write_text("setting,value\nquarter,2026-Q3\n")
    facts = facts_of(plan)
    shipped = _severities("OWN001", facts)
    assert {k: v for k, v in shipped.items() if k in ("ledger", "orders", "search")} == {
        "ledger": "high",  # tier 1, the shipped bound
        "orders": "medium",
        "search": "medium",  # no tier: never escalated by one
    }
    two = _severities("OWN001", facts, at_most={"tier": 2})
    assert (two["ledger"], two["orders"], two["search"]) == ("high", "high", "medium")
    zero = _severities("OWN001", facts, at_most={"tier": 0})
    assert (zero["ledger"], zero["orders"]) == ("medium", "medium")
