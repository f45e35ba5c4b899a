"""The forecast and the dependency rules read the plan's dependencies as plain adjacency
(`Facts.item_graph`'s lists), without building a networkx graph."""

from __future__ import annotations

from roadmap_audit.analyze.forecast import Forecaster, ForecastParams

from .test_forecast import plan


def test_a_dependency_written_twice_or_on_itself_counts_once_or_not(tmp_path):
    facts = plan(
        tmp_path,
        [
            'A-1,One,a,3,,P1,no,"B-1,A-2,B-1,A-1"',
            "A-2,Two,a,3,,P2,no,",
            "B-1,Three,b,3,,P1,no,A-2",
        ],
    )
    assert facts.open_graph.succ == {"A-1": ("B-1", "A-2"), "A-2": (), "B-1": ("A-2",)}


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
    assert "graph" not in vars(facts.open_graph)
