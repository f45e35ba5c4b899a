"""SLO, reliability and dependency rules: the graph algorithms against brute force, the
arithmetic in the messages, the sample plan's stories, and the cost on a large plan."""

from __future__ import annotations

import datetime as dt
import random
from itertools import pairwise

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from roadmap_audit.analyze.capacity import CapacityParams
from roadmap_audit.analyze.dependencies import (
    _components_below,
    _strongly_connected,
    _topological,
    articulation_points,
    committed_fan_in,
    cut_points,
    latest_due_below,
    natural_key,
    path_to,
    plain_keys,
    team_handoffs,
)
from roadmap_audit.analyze.facts import Vocabulary, derive
from roadmap_audit.checks.reliability import ActionParams, _similar, _stems
from roadmap_audit.engine import builtin_rules_dir, decided, load_rules
from roadmap_audit.model import Action, Item, Plan, Service, Settings, SourceRef

from .conftest import rule_pairs

HEALTHY = {"checkout", "seller-tools", "recommendations", "identity"}
MY_FAMILIES = ("SLO", "REL", "DEP")


def _ref(sheet: str, row: int) -> SourceRef:
    return SourceRef(source="plan.xlsx", sheet=sheet, row=row)


def _facts(items, teams=(), services=(), actions=(), quarter="2026-Q3"):
    plan = Plan(
        sources=["plan.xlsx"],
        settings=Settings(quarter=quarter),
        items=list(items),
        teams=list(teams),
        services=list(services),
        actions=list(actions),
    )
    vocabulary = Vocabulary.from_file(builtin_rules_dir() / "vocabulary.toml")
    return derive(plan, CapacityParams(), vocabulary)


def _item(key, team="t", deps=(), committed=False, due=None, done=False, row=2, **extra):
    return Item(
        key=key,
        title=f"Work {key}",
        team=team,
        depends_on=list(deps),
        committed=committed,
        due=due,
        done=done,
        status="Done" if done else None,
        estimate_weeks=1.0,
        owner="Ann",
        ref=_ref("Items", row),
        columns={"key": "A"},
        **extra,
    )


def _random_plan(n, teams, seed, window=None, cycles=0):
    rnd = random.Random(seed)
    items = []
    for i in range(n):
        low = 0 if window is None else max(0, i - window)
        deps = [f"K-{rnd.randrange(low, i)}" for _ in range(rnd.choice([0, 1, 1, 2]))] if i else []
        items.append(
            _item(
                f"K-{i}",
                team=f"t{rnd.randrange(teams)}",
                deps=deps,
                committed=rnd.random() < 0.3,
                due=dt.date(2026, 7, 1) + dt.timedelta(days=rnd.randrange(90))
                if rnd.random() < 0.7
                else None,
                done=rnd.random() < 0.05,
                row=i + 2,
            )
        )
    for _ in range(cycles):  # close a few loops: an early item depends on a later one
        a, b = rnd.randrange(n // 2), rnd.randrange(n // 2, n)
        items[a] = items[a].model_copy(update={"depends_on": [*items[a].depends_on, f"K-{b}"]})
    return items


def _rule(rule_id):
    return next(r for r in load_rules([builtin_rules_dir()]) if r.id == rule_id)


def _run(rule_id, facts):
    rule = _rule(rule_id)
    return list(rule.kind.run(facts, rule.params))


# ------------------------------------------------------------------ algorithms


def test_natural_key_sorts_numbers_as_numbers():
    assert sorted(["PAY-10", "PAY-9", "API-1", "pay-2"], key=natural_key) == [
        "API-1",
        "pay-2",
        "PAY-9",
        "PAY-10",
    ]
    huge = "A-" + "9" * 5000  # more digits than int() reads
    assert sorted([huge, "A-0010", "A-9"], key=natural_key) == ["A-9", "A-0010", huge]


_PLAIN = st.builds(
    lambda letters, number, digits: f"{letters}{number}-{digits}",
    st.text("aAbBzZ", min_size=1, max_size=3),
    st.text("0019", max_size=3),
    st.text("0019", min_size=1, max_size=4),
)


@given(st.lists(_PLAIN, max_size=40))
def test_plain_keys_sort_as_natural_key_does(keys):
    plain = plain_keys(keys)
    assert plain is not None
    by_plain = sorted(range(len(keys)), key=plain.__getitem__)
    assert by_plain == sorted(range(len(keys)), key=lambda i: natural_key(keys[i]))


@pytest.mark.parametrize(
    "odd",
    [
        *("PAY1", "-1", "1-1", "PAY-", "PAY-1a", "PAY-1-2", "PA Y-1", "P1A-1", "PÄY-1"),
        *("PAY-\u0661", "PAY\u0661-1", "A-" + "9" * 19, "A" + "9" * 19 + "-1", "MY_PROJ-1"),
    ],
)
def test_keys_not_letters_dash_digits_take_natural_key(odd):
    assert plain_keys(["PAY-1", odd]) is None


def _condensed_the_networkx_way(og):
    """The order, components and ranks nx.condensation and nx.topological_sort give."""
    condensed = nx.condensation(og.graph)
    components = {
        c: sorted(members, key=natural_key) for c, members in condensed.nodes(data="members")
    }
    order = [k for c in nx.topological_sort(condensed) for k in components[c]]
    rank = {k: i for i, k in enumerate(sorted(order, key=natural_key))}
    return condensed.graph["mapping"], components, order, rank


@pytest.mark.parametrize(
    ("seed", "rename", "cycles"),
    [(1, False, 80), (2, False, 80), (3, True, 80), (4, True, 80), (5, False, 0), (6, True, 0)],
)
def test_open_graph_orders_as_networkx_condensation(seed, rename, cycles):
    """With cycles and without (then each component is its one item, read without its list)."""
    items = _random_plan(400, 6, seed, cycles=cycles)
    if rename:  # some keys are not LETTERS-DIGITS: the rank falls back to natural_key
        name = {f"K-{i}": f"K-{i}" if i % 7 else f"k-{i:03d}.x" for i in range(400)}
        items = [
            i.model_copy(update={"key": name[i.key], "depends_on": [name[d] for d in i.depends_on]})
            for i in items
        ]
    og = _facts(items).open_graph
    component, components, order, rank = _condensed_the_networkx_way(og)
    assert (og.component, og.components, og.order, og.rank) == (component, components, order, rank)
    assert any(len(m) > 1 for m in og.components.values()) == (cycles > 0)


def _sparse_graph(seed):
    """A random graph most of whose nodes link to nothing (as in a plan), some in cycles, keys
    in no particular order: adjacency as `OpenGraph.succ` holds it, and the networkx graph."""
    rnd = random.Random(seed)
    keys = [f"K-{i}" for i in range(rnd.randint(1, 60))]
    rnd.shuffle(keys)
    p = rnd.choice([0.01, 0.03, 0.08, 0.2])
    succ = {a: tuple(b for b in keys if b != a and rnd.random() < p) for a in keys}
    graph = nx.DiGraph()
    graph.add_nodes_from(keys)
    graph.add_edges_from((a, b) for a in keys for b in succ[a])
    return succ, graph


@pytest.mark.parametrize("seed", range(60))
def test_components_are_numbered_and_ordered_as_networkx_condenses(seed):
    succ, graph = _sparse_graph(seed)
    component, components = _strongly_connected(succ)
    found = list(nx.strongly_connected_components(graph))
    assert [set(components[c]) for c in range(len(components))] == found
    assert all(component[k] == c for c, members in components.items() for k in members)
    condensed = nx.condensation(graph, scc=found)
    below = _components_below(succ, component, components)
    assert below == [tuple(condensed.successors(c)) for c in range(len(components))]
    assert _topological(below) == list(nx.topological_sort(condensed))


@pytest.mark.parametrize("seed", range(40))
def test_articulation_points_match_networkx(seed):
    succ, graph = _sparse_graph(seed)
    pred = {k: tuple(graph.predecessors(k)) for k in succ}
    nodes = set(random.Random(seed).sample(sorted(succ), len(succ) // 2))
    undirected = nx.Graph(graph.subgraph(nodes))
    assert articulation_points(nodes, succ, pred) == set(nx.articulation_points(undirected))


def test_a_few_keys_sort_as_the_rank_of_every_open_item_does():
    keys = ["PAY-10", "pay-9", "PAY-1", "API-3", "PAY-01", "ABC2-7", "ABC-7", "K-1.x"]
    og = _facts([_item(k) for k in keys]).open_graph
    by_rank = sorted(keys, key=og.rank.__getitem__)
    for subset in (keys[:4], ["PAY-01", "API-3", "PAY-1"], ["ABC-7", "ABC2-7"], keys[::-1]):
        assert og.by_key(subset) == [k for k in by_rank if k in subset], subset
    assert og.by_key(["PAY-10", "pay-9"]) == ["pay-9", "PAY-10"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_committed_fan_in_matches_brute_force(seed):
    facts = _facts(_random_plan(300, 7, seed, cycles=4))
    og = facts.open_graph
    committed = [k for k in og.order if facts.items[k].committed]
    fan = committed_fan_in(og, committed, og.team.__getitem__, lambda key, n: True)
    for key in og.order:
        expected = {a for a in nx.ancestors(og.graph, key) if facts.items[a].committed} - {key}
        assert fan.count[key] == len(expected), key
        if expected:
            counts, _ = fan.summary(fan.kept[key])
            assert sum(counts.values()) == len(expected)
    for team, mask in fan.by_team.items():
        mine = [k for k in og.order if og.team[k] == team]
        expected = set().union(
            *(
                {a for a in nx.ancestors(og.graph, k) if facts.items[a].committed} - {k}
                for k in mine
            )
        )
        assert mask.bit_count() == len(expected), team


def test_cut_points_are_articulation_points_of_the_committed_work():
    items = [
        _item("C-1", deps=["MID"], committed=True),
        _item("C-2", deps=["MID"], committed=True),
        _item("MID", deps=["BASE"]),
        _item("BASE", committed=True),
        _item("LONE"),
    ]
    facts = _facts(items)
    og = facts.open_graph
    assert cut_points(og, ["C-1", "C-2", "BASE"]) == {"MID"}


@pytest.mark.parametrize("seed", [4, 5])
def test_latest_due_below_matches_brute_force(seed):
    facts = _facts(_random_plan(250, 5, seed))
    og = facts.open_graph
    due = {k: facts.items[k].due for k in og.order if facts.items[k].due}
    best = latest_due_below(og, due)
    for key in og.order:
        below = [due[d] for d in nx.descendants(og.graph, key) if d in due]
        assert (best[key][0] if key in best else None) == (max(below) if below else None), key
        if key in best:
            path = path_to(best, key)
            assert path[0] == key and due[path[-1]] == best[key][0]
            assert all(og.graph.has_edge(a, b) for a, b in pairwise(path))


def test_team_handoffs_are_the_longest_path_in_hand_offs():
    facts = _facts(_random_plan(120, 4, 9))
    og = facts.open_graph
    hops, nxt = team_handoffs(og, og.team.__getitem__)
    weight = {
        (a, b): int(bool(og.team[a] and og.team[b] and og.team[a] != og.team[b]))
        for a, b in og.graph.edges
    }
    for key in og.order:
        longest = 0
        for target in nx.descendants(og.graph, key):
            for path in nx.all_simple_paths(og.graph, key, target):
                longest = max(longest, sum(weight[e] for e in pairwise(path)))
        assert hops[key] == longest, key


def test_a_large_cycle_is_one_finding_under_its_smallest_key():
    n = 5000
    items = [
        _item(f"R-{i}", team=f"t{i % 3}", deps=[f"R-{(i + 1) % n}"], row=i + 2) for i in range(n)
    ]
    hits = _run("DEP003", _facts(items))
    assert [h.subject.id for h in hits] == ["R-0"]
    assert "R-0 → R-1 → R-2" in hits[0].message and "5000 items" in hits[0].message


# ------------------------------------------------------------------ messages and matching


def test_dependency_bound_shows_its_arithmetic():
    services = [
        Service(
            service="front",
            owner_team="t",
            slo=0.9995,
            depends_on=["a", "b"],
            ref=_ref("Services", 2),
        ),
        Service(service="a", owner_team="t", slo=0.999, ref=_ref("Services", 3)),
        Service(service="b", owner_team="t", slo=0.9999, ref=_ref("Services", 4)),
    ]
    hits = _run("SLO005", _facts([_item("X-1")], services=services))
    assert [h.subject.id for h in hits] == ["front"]
    assert "99.9% x 99.99% = 99.89%" in hits[0].message
    assert decided(_rule("SLO005"), hits[0])[0] == "high"


def test_the_same_action_raised_twice_is_matched_and_a_different_one_is_not():
    p = ActionParams(
        **{**_rule("REL002").params.model_dump(), "stop_words": ["the", "for", "and", "a"]}
    )
    stop = set(p.stop_words)
    first = _stems(
        "Isolate the warehouse job queue: separate queues for scheduled and ad-hoc jobs", p, stop
    )
    again = _stems(
        "Queue isolation for warehouse jobs (ad-hoc load starves scheduled jobs)", p, stop
    )
    other = _stems("Dashboards for warehouse queue depth", p, stop)
    assert _similar(first, again, p)
    assert not _similar(first, other, p)


def test_action_scheduled_as_a_concrete_item_is_silent():
    actions = [
        Action(
            key="A-1",
            title="Add backpressure",
            team="t",
            service="s",
            times_deferred=3,
            scheduled_as="K-1",
            ref=_ref("Actions", 2),
        )
    ]
    facts = _facts([_item("K-1", due=dt.date(2026, 8, 1))], actions=actions)
    assert _run("REL002", facts) == []
    vague = _facts(
        [Item(key="K-1", title="Hardening", team="t", ref=_ref("Items", 2))], actions=actions
    )
    assert [h.subject.id for h in _run("REL002", vague)] == ["A-1"]


def test_a_defect_report_is_ktlo_whatever_its_title_says():
    def item(key, kind, title):
        return Item(key=key, title=title, team="t", kind_raw=kind, ref=_ref("Items", 2))

    items = [
        item("B-1", "Bug", "Grid differs from the legacy page"),
        item("B-2", "Sprint Defect", "Asset maintenance screen shows no rows"),
        item("B-3", "Error", "Migración de saldos falla con 500"),  # Spanish Jira's name for a bug
        item(
            "B-4", "Debugging guide", "Write the legacy cleanup notes"
        ),  # "bug" only inside a word
        item("B-5", "Story", "Clean up the legacy exporter"),
    ]
    facts = _facts(items)
    assert {k: facts.kinds[k].value for k in facts.kinds} == {
        "B-1": "ktlo",
        "B-2": "ktlo",
        "B-3": "ktlo",
        "B-4": "tech-debt",
        "B-5": "tech-debt",
    }
    assert (
        facts.kind_reasons["B-2"]
        == "kind column says 'Sprint Defect', a defect report: fixing it is KTLO"
    )
    # REL001 judges the tech-debt items, never the defect reports
    assert {h.subject.id for h in _run("REL001", facts)} == {"B-4", "B-5"}


# ------------------------------------------------------------------ the sample plan


SAMPLE_STORIES = {
    ("SLO004", "service", "public-api"),  # 99.95 %, no policy, one expert, a rotation of five
    ("REL002", "item", "ACT-112"),  # queue isolation raised in two postmortems, deferred twice
    ("REL001", "item", "SRCH-44"),  # "Indexing hardening"
    ("SLO003", "service", "search-api"),  # budget spent, features planned
    ("DEP002", "item", "DATA-22"),  # due before PAY-108
    ("DEP004", "item", "DATA-21"),  # DATA-21 -> DATA-22 -> PAY-108 -> API-9 -> IDN-305
}


def test_the_sample_stories_produce_these_rules(sample_audit):
    assert rule_pairs(sample_audit) >= SAMPLE_STORIES


def test_the_queue_isolation_action_is_one_finding(sample_audit):
    found = rule_pairs(sample_audit)
    assert ("REL002", "item", "ACT-139") not in found


def test_healthy_teams_get_no_high_or_critical_slo_rel_or_dep_finding(sample_audit):
    bad = [
        (f.rule, f.subject.id)
        for f in sample_audit.findings
        if f.rule.startswith(MY_FAMILIES)
        and f.severity in ("critical", "high")
        and set(f.teams) & HEALTHY
    ]
    assert bad == []


def test_the_chain_finding_names_every_team_on_it(sample_audit):
    chain = next(
        f for f in sample_audit.findings if f.rule == "DEP004" and f.subject.id == "DATA-21"
    )
    assert set(chain.teams) == {"data-platform", "payments", "api", "identity"}
    assert chain.owner_unit == "engineering"
