"""The item graph is adjacency lists with networkx's calls: the same nodes, edges and order as
the networkx graph it replaced, for dependencies written twice, on the item itself, on a key
no item has, and on a key two items share."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmap_audit.analyze.capacity import CapacityParams
from roadmap_audit.analyze.facts import Facts, Quarter, Vocabulary
from roadmap_audit.model import Item, Plan, SourceRef

KEYS = [f"K-{n}" for n in range(8)]


def _plan(rows: list[tuple[str, list[str]]]) -> Plan:
    ref = SourceRef(source="items.csv", sheet="Items")
    items = [
        Item(key=key, title=f"item {n}", depends_on=deps, ref=ref)
        for n, (key, deps) in enumerate(rows)
    ]
    return Plan(items=items, sources=["items.csv"])


def _facts(plan: Plan) -> Facts:
    facts = Facts(
        plan=plan,
        quarter=Quarter(None, None, None, 13.0),
        params=CapacityParams(),
        vocabulary=Vocabulary((), {}),
    )
    for item in plan.items:
        facts.items.setdefault(item.key, item)
    return facts


def _networkx(facts: Facts) -> nx.DiGraph:
    """The graph as it was built with networkx."""
    graph: nx.DiGraph = nx.DiGraph()
    graph.add_nodes_from(facts.items)
    graph.add_edges_from(
        (item.key, dep)
        for item in facts.plan.items
        for dep in item.depends_on
        if dep in facts.items and dep != item.key
    )
    return graph


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(KEYS), st.lists(st.sampled_from([*KEYS, "GONE-1"]), max_size=5)),
        min_size=1,
        max_size=12,
    )
)
def test_the_item_graph_is_the_networkx_graph_it_replaced(rows):
    facts = _facts(_plan(rows))
    graph, expected = facts.item_graph, _networkx(facts)
    assert [(a, list(deps)) for a, deps in graph.adjacency()] == [
        (a, list(deps)) for a, deps in expected.adjacency()
    ]
    assert list(graph.edges) == list(expected.edges)
    for key in KEYS:
        assert (key in graph) == (key in expected)
        if key in expected:
            assert list(graph.successors(key)) == list(expected.successors(key))
            assert sorted(graph.predecessors(key)) == sorted(expected.predecessors(key))
    assert "GONE-1" not in graph


def test_a_dependency_written_twice_or_on_itself_is_one_edge_or_none():
    facts = _facts(
        _plan(
            [
                ("A-1", ["B-1", "B-1", "A-1", "GONE-1"]),
                ("B-1", []),
                ("A-1", ["C-1", "B-1"]),
                ("C-1", []),
            ]
        )
    )
    graph = facts.item_graph
    assert list(graph.edges) == [("A-1", "B-1"), ("A-1", "C-1")]
    assert list(graph.predecessors("B-1")) == ["A-1"]
    assert list(graph.predecessors("A-1")) == []
