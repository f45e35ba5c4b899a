"""The graph walks done without a networkx graph, checked against networkx on random graphs
with cycles: DEP001's walk over the service map (each service's reach: its own seeds and those
of every service calling it, directly or not; and its callers), and the dependency picture's
columns."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from roadmap_audit.analyze.dependencies import named_bits, reach_and_callers


def _reference(graph, seeds):
    g = nx.DiGraph()
    g.add_nodes_from(graph)
    g.add_edges_from((a, b) for a, deps in graph.items() for b in deps)
    names = sorted(graph)
    bit = {n: 1 << i for i, n in enumerate(names)}
    reach, callers = {}, {}
    for n in names:
        up = nx.ancestors(g, n)
        reach[n] = seeds.get(n, 0)
        for a in up:
            reach[n] |= seeds.get(a, 0)
        callers[n] = sum(bit[a] for a in up if a != n)
    return reach, callers, names


def test_a_cycle_of_callers_shares_its_reach():
    # api -> auth -> db, and auth <-> session call each other
    graph = {"api": ("auth",), "auth": ("db", "session"), "session": ("auth",), "db": ()}
    seeds = {"api": 1, "session": 2, "db": 4}
    reach, callers, names = reach_and_callers(graph, seeds)
    assert names == ["api", "auth", "db", "session"]
    assert reach == {"api": 1, "auth": 3, "session": 3, "db": 7}
    assert named_bits(callers["db"], names, 5) == ["api", "auth", "session"]
    assert named_bits(callers["auth"], names, 5) == ["api", "session"]
    assert callers["api"] == 0


@pytest.mark.parametrize("seed", range(30))
def test_random_service_maps_match_networkx(seed):
    rng = random.Random(seed)
    names = [f"s{i}" for i in range(rng.randint(1, 25))]
    graph = {
        n: tuple(dict.fromkeys(d for d in rng.sample(names, rng.randint(0, 3)) if d != n))
        for n in names
    }
    seeds = {n: rng.getrandbits(6) for n in names if rng.random() < 0.5}
    assert reach_and_callers(graph, seeds) == _reference(graph, seeds)


def _layers_by_networkx(keys, edges):
    flow = nx.DiGraph()
    flow.add_nodes_from(keys)
    flow.add_edges_from((b, a) for a, b in edges)
    dag = nx.condensation(flow)
    column = {}
    for comp in nx.topological_sort(dag):
        column[comp] = max((column[p] + 1 for p in dag.predecessors(comp)), default=0)
    return {key: column[dag.graph["mapping"][key]] for key in keys}


def test_the_pictures_columns_put_a_cycle_in_one_column():
    from roadmap_audit.report.graph import _layers

    # C waits on B, B on A, and A and D wait on each other
    edges = [("C", "B"), ("B", "A"), ("A", "D"), ("D", "A"), ("C", "C")]
    assert _layers(["A", "B", "C", "D"], edges) == {"A": 0, "D": 0, "B": 1, "C": 2}


@pytest.mark.parametrize("seed", range(30))
def test_the_pictures_columns_match_networkx(seed):
    from roadmap_audit.report.graph import _layers

    rng = random.Random(seed)
    keys = [f"K-{i}" for i in range(rng.randint(1, 30))]
    edges = [(rng.choice(keys), rng.choice(keys)) for _ in range(rng.randint(0, 40))]
    assert _layers(keys, edges) == _layers_by_networkx(keys, edges)
