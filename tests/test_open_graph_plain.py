"""The forecast and the dependency rules read the plan's dependencies as plain adjacency:
the same edges, in the same order, as `Facts.item_graph`, without building a networkx graph."""

from __future__ import annotations

import pytest

from roadmap_audit.analyze.dependencies import written_dependencies
from roadmap_audit.analyze.forecast import Forecaster, ForecastParams

from .conftest import SAMPLES, facts_of
from .test_forecast import plan


def _edges_of_the_item_graph(facts) -> dict[str, list[str]]:
    return {a: list(deps) for a, deps in facts.item_graph.adjacency() if deps}


@pytest.mark.parametrize(
    "where", ["northwind-2026-Q3.xlsx", "jira/tidewater-2026-Q3.csv", "harbor/plan"]
)
def test_the_written_dependencies_are_the_item_graphs_edges(where):
    facts = facts_of(SAMPLES / where)
    found = written_dependencies(facts)
    assert found == _edges_of_the_item_graph(facts)
    assert found, "a sample plan with no dependency proves nothing"


def test_a_dependency_written_twice_or_on_itself_counts_once_or_not(tmp_path):
    facts = plan(
        tmp_path,
        [
            'A-1,One,a,3,,P1,no,"B-1,A-2,B-1,A-1"',
            "A-2,Two,a,3,,P2,no,",
            "B-1,Three,b,3,,P1,no,A-2",
        ],
    )
    found = written_dependencies(facts)
    assert found == {"A-1": ["B-1", "A-2"], "B-1": ["A-2"]}
    assert found == _edges_of_the_item_graph(facts)


def test_the_forecast_and_its_deferral_build_no_networkx_graph(tmp_path):
    # A-1 -> B-1 -> A-2 -> A-1 is a cycle: deferring B-1 splits it, read without networkx
    facts = plan(
        tmp_path,
        [
            "A-1,One,a,4,2026-08-14,P1,yes,B-1",
            "B-1,Two,b,4,2026-08-14,P2,no,A-2",
            "A-2,Three,a,4,2026-08-14,P2,no,A-1",
        ],
    )
    forecaster = Forecaster(facts, ForecastParams(runs=20))
    forecaster.forecast()
    after = forecaster.deferring({"B-1"}, {"a", "b"})
    assert {i.key for i in after.items} == {"A-1", "A-2"}
    assert "item_graph" not in vars(facts) and "graph" not in vars(facts.open_graph)
