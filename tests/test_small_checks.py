"""The service, team, people and dependency checks as small parts: selection and measurement in
the check, wording in checks/texts, escalation in the rule file's [escalate] table, shared
helpers in analyze/; and the dependency walks linear in the plan (counted steps, not time)."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from roadmap_audit.analyze.dependencies import Walks, cross_team_chains
from roadmap_audit.checks import REGISTRY
from roadmap_audit.engine import builtin_rules_dir, decided, load_rules

from .conftest import facts_of

RULES = {r.id: r for r in load_rules([builtin_rules_dir()])}
CHECKS = Path(__file__).resolve().parent.parent / "roadmap_audit" / "checks"

# rule -> (escalated severity, its conditions in words)
CONVERTED = {
    "SLO002": ("high", "tier at or below 1"),
    "SLO004": ("critical", "spent_without_policy"),
    "SLO005": ("high", "impossible"),
    "DEP001": ("high", "fragile"),
    "DEP002": ("high", "committed"),
    "DEP004": ("high", "teams at or above 5"),
    "DEP005": ("high", "tier at or below 1"),
    "CAP003": ("critical", "above_ceiling"),
    "ONC002": ("high", "above_bound"),
}


# ---------------------------------------------------------------- structure


def test_no_check_module_imports_a_sibling_check():
    """Shared helpers live in analyze/ (or base and texts): a check imports no other check."""
    siblings = {p.stem for p in CHECKS.glob("*.py")} - {"__init__", "base"}
    found = []
    for path in sorted(p for p in CHECKS.glob("*.py") if p.stem != "__init__"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                head = (node.module or "").split(".")[0]
                names = {a.name for a in node.names}
                if head in siblings or (not node.module and names & siblings):
                    found.append((path.name, node.module, sorted(names)))
    assert found == []


@pytest.mark.parametrize("rule_id", sorted(CONVERTED))
def test_each_converted_rule_escalates_by_its_rule_file_and_keeps_no_escalate_parameter(rule_id):
    rule = RULES[rule_id]
    fields = rule.kind.params.model_fields
    assert not [f for f in fields if f.startswith("escalate")]
    assert rule.escalation is not None
    assert (rule.escalation.to, rule.escalation.described()) == CONVERTED[rule_id]
    assert "escalate_to" not in rule.spec.evidence


# ---------------------------------------------------------------- escalation at its bound


def _plan(tmp_path, **sheets: str) -> Path:
    plan = tmp_path / "plan"
    plan.mkdir()
    for name, text in sheets.items():
        (plan / f"{name}.csv").write_text(text)
    (plan / "settings.csv").write_text("setting,value\nquarter,2026-Q3\n")
    return plan


def _decided(rule_id: str, facts) -> dict[str, tuple[str, str]]:
    rule = RULES[rule_id]
    return {h.subject.id: decided(rule, h) for h in rule.kind.run(facts, rule.params)}


SERVICES = (
    "service,owner_team,tier,slo,slo_measured,error_budget_remaining,error_budget_policy,"
    "experts,depends_on,dependency_protection\n"
    'one,core,1,99.9%,no,,yes,"A B, C D",two,no\n'
    'two,core,2,99.9%,no,,yes,"A B, C D",one,no\n'
    'spent,core,1,99.99%,yes,-5%,,"A B, C D",,\n'
    'kept,core,1,99.99%,yes,-5%,yes,"A B, C D",,\n'
    'front,core,2,99.95%,yes,,yes,"A B, C D","back1, back2",yes\n'
    'back1,core,2,99.9%,yes,,yes,"A B, C D",,\n'
    'back2,core,2,99.99%,yes,,yes,"A B, C D",,\n'
    'weak,core,2,99.9%,yes,,yes,"A B, C D",back3,yes\n'
    'back3,core,2,99.95%,yes,,yes,"A B, C D",,\n'
)


@pytest.fixture(scope="module")
def service_facts(tmp_path_factory):
    plan = _plan(
        tmp_path_factory.mktemp("services"),
        items="key,title,team,estimate\nC-1,Something,core,1\n",
        teams="team,headcount,oncall_rotation\ncore,8,8\n",
        services=SERVICES,
    )
    return facts_of(plan)


def test_slo002_escalates_a_tier_1_service_and_says_so_and_not_a_tier_2_one(service_facts):
    found = _decided("SLO002", service_facts)
    assert found["one"][0] == "high" and found["one"][1].endswith("; it is tier 1")
    assert found["two"][0] == "medium" and "tier" not in found["two"][1]


def test_dep005_escalates_a_tier_1_caller_and_says_so_and_not_a_tier_2_one(service_facts):
    found = _decided("DEP005", service_facts)
    assert set(found) == {"one", "two"}
    assert found["one"][0] == "high" and found["one"][1].endswith("; one is tier 1")
    assert found["two"][0] == "medium" and not found["two"][1].endswith("is tier 2")


def test_slo004_a_spent_budget_without_a_policy_is_critical_and_with_one_is_not(service_facts):
    found = _decided("SLO004", service_facts)
    assert found["spent"][0] == "critical"
    assert "already spent (-5% left)" in found["spent"][1]
    assert "kept" not in found  # a policy and two experts behind 99.99 %: nothing missing


def test_slo005_above_the_product_is_high_and_a_weak_dependency_alone_medium(service_facts):
    found = _decided("SLO005", service_facts)
    # front: 99.9 % x 99.99 % = 99.89 % < 99.95 %; weak: 99.95 % under 99.99 % needed
    assert found["front"][0] == "high" and "could be up at most" in found["front"][1]
    assert found["weak"][0] == "medium" and "back3 falls short" in found["weak"][1]


# ---------------------------------------------------------------- long chains, read once

N = 40  # items in the chain: longer than any max_listed, so the listing is cut


def _chain_items() -> str:
    rows = ["key,title,team,estimate,due,depends_on,committed"]
    for i in range(1, N + 1):
        team = "abcd"[i % 4]
        due = dt.date(2026, 7, 1) + dt.timedelta(days=i)  # each link due after the one above
        dep = f"L-{i + 1}" if i < N else ""
        rows.append(f"L-{i},Link {i},{team},1,{due},{dep},{'yes' if i == 1 else 'no'}")
    return "\n".join(rows) + "\n"


@pytest.fixture(scope="module")
def chain_facts(tmp_path_factory):
    plan = _plan(tmp_path_factory.mktemp("chain"), items=_chain_items())
    return facts_of(plan)


def test_dep004_reports_a_long_chain_once_at_its_head_with_its_length_and_last_link(chain_facts):
    found = _decided("DEP004", chain_facts)
    assert set(found) == {"L-1"}
    severity, message = found["L-1"]
    assert severity == "high"  # four teams in sequence... and more hand-offs than 5 teams
    assert f"waits on a chain of {N} items with {N - 1} hand-offs between 4 teams" in message
    assert f"… {N - 12} more …" in message and message.count("→") == 12
    assert f"L-{N} (" in message  # the last link is named after the cut


def test_dep002_names_the_path_to_the_latest_date_and_counts_the_rest(chain_facts):
    found = _decided("DEP002", chain_facts)
    severity, message = found["L-1"]
    assert severity == "high"  # L-1 is committed
    # L-1 is due first and waits, through every other link, on L-40, due last
    assert "but it depends (through L-2, " in message
    assert f"… {N - 2 - 12 + 1} more) on L-{N} 'Link {N}'" in message
    rule = RULES["DEP002"]
    hit = next(h for h in rule.kind.run(chain_facts, rule.params) if h.subject.id == "L-1")
    assert hit.teams == ("b", "c", "d", "a")


def test_walks_visit_each_item_once_however_many_paths_run_through_it():
    """Every item of an n-link chain starts a path through the rest: n(n+1)/2 steps if each
    path were walked, about 2n when each is remembered."""
    n = 2000
    calls = 0

    def step(key: str) -> tuple[str, bool] | None:
        nonlocal calls
        calls += 1
        i = int(key)
        return (str(i + 1), False) if i < n else None

    walks = Walks(step, lambda k: "t" if int(k) % 2 else "u")
    lengths = [walks.length(str(i)) for i in range(1, n + 1)]
    assert lengths == [n - i + 1 for i in range(1, n + 1)]
    assert walks.last("1") == str(n) and walks.teams("1") == ("t", "u")
    assert walks.first("1", 3) == ["1", "2", "3"]
    assert calls <= 2 * n + 5


def test_cross_team_chains_of_a_plan_are_its_heads_in_key_order(chain_facts):
    heads, chains = cross_team_chains(chain_facts.open_graph, 3)
    assert heads == [("L-1", N - 1)]
    assert chains.length("L-1") == N and chains.teams("L-1") == ("b", "c", "d", "a")


def test_every_check_kind_of_these_rules_is_registered():
    for rid in CONVERTED:
        assert RULES[rid].kind is REGISTRY[RULES[rid].spec.check]


def test_items_on_chains_are_walked_once_where_many_heads_share_a_tail():
    """k heads each waiting on the top of one L-link chain: k + L steps, not k x L."""
    from roadmap_audit.analyze.dependencies import on_chains

    k, length = 500, 500
    calls = 0
    nxt = {f"H-{i}": "T-1" for i in range(k)} | {f"T-{i}": f"T-{i + 1}" for i in range(1, length)}

    def step(key: str) -> tuple[str, bool] | None:
        nonlocal calls
        calls += 1
        return (nxt[key], False) if key in nxt else None

    heads = [(f"H-{i}", length) for i in range(k)]
    seen = on_chains(heads, Walks(step, lambda key: None))
    assert len(seen) == k + length
    assert calls <= k + length + 5


def test_slo005_text_with_one_dependency_states_its_bound_once_and_with_two_the_product():
    from roadmap_audit.checks.texts.services import above_dependencies
    from roadmap_audit.model import Service, SourceRef

    ref = SourceRef(source="services.csv", sheet="services", row=2)
    front = Service(ref=ref, service="front", slo=0.9995)
    back1 = Service(ref=ref, service="back1", slo=0.999)
    back2 = Service(ref=ref, service="back2", slo=0.9999)
    one = above_dependencies(front, [back1], [], [], 0.999, 0.9995, True)
    assert "it could be up at most 99.9% (43.2 min a month" in one
    assert "99.9% = 99.9%" not in one
    two = above_dependencies(front, [back1, back2], [], [], 0.999 * 0.9999, 0.9995, True)
    assert "it could be up at most 99.9% x 99.99% = 99.89% (" in two


def test_service_texts_count_in_words_one_or_several():
    from roadmap_audit.checks.texts.services import big_incidents, without_slo
    from roadmap_audit.model import Incident, Service, SourceRef

    ref = SourceRef(source="services.csv", sheet="services", row=2)
    svc = Service(ref=ref, service="db", tier=1)
    assert without_slo(svc, 1).endswith("; 1 open item of this plan changes it")
    assert without_slo(svc, 3).endswith("; 3 open items of this plan change it")
    inc = [Incident(ref=ref, id=f"INC-{n}", duration_minutes=30) for n in (1, 2)]
    assert big_incidents(inc[:1], 0.2, 28, 40.3, 0.999).startswith("; 1 incident used more than")
    assert big_incidents(inc, 0.2, 28, 40.3, 0.999).startswith("; 2 incidents each used more than")
