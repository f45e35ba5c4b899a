"""The rules at scale: work that grows with the plan, not with its square; and the shortcuts the
engine takes (evidence cited without copying the cell's reference) give what the long way gives."""

from __future__ import annotations

from roadmap_audit.analyze.dependencies import OpenGraph
from roadmap_audit.analyze.forecast import ForecastParams, forecast
from roadmap_audit.engine import builtin_rules_dir, load_rules, run_rules
from roadmap_audit.model import Evidence, Item, SourceRef, Team

from .conftest import facts_of

STILL = dict(effort_spread=0, migration_spread=0, unestimated_spread=0, unplanned_spread=0)


def chain_plan(tmp_path, n: int):
    """n committed items of team a, each waiting on the next, the last on team b's B-1: every one
    of them late (due in the first week), every one waiting on b's work at the end of the chain."""
    folder = tmp_path / f"chain-{n}"
    folder.mkdir()
    (folder / "settings.csv").write_text("key,value\nstart,2026-07-06\nend,2026-10-04\nweeks,13\n")
    (folder / "teams.csv").write_text(
        "team,headcount,oncall_rotation,ops_allocation,availability\na,5,0,0,100%\nb,5,0,0,100%\n"
    )
    rows = [
        f"A-{i},Step {i},a,0.5,2026-07-08,P1,yes,{f'A-{i + 1}' if i < n else 'B-1'}"
        for i in range(1, n + 1)
    ]
    rows.append("B-1,Tax service,b,2,,P2,no,")
    (folder / "items.csv").write_text(
        "key,title,team,estimate,due,priority,committed,depends_on\n" + "\n".join(rows) + "\n"
    )
    facts = facts_of(folder)
    facts.forecast = forecast(facts, ForecastParams(runs=5, **STILL))
    return facts


def late_findings(facts, monkeypatch) -> tuple[list, int]:
    """FOR001's findings on the plan, and how many times it asked what an item waits on."""
    calls = 0
    waits_on = OpenGraph.waits_on

    def counted(self, key):
        nonlocal calls
        calls += 1
        return waits_on(self, key)

    rules = load_rules([builtin_rules_dir()], select=["FOR001"])
    with monkeypatch.context() as m:
        m.setattr(OpenGraph, "waits_on", counted)
        findings = run_rules(facts, rules)
    return findings, calls


def test_a_long_chain_of_late_promises_is_read_once_not_once_per_item_above(tmp_path, monkeypatch):
    small, small_calls = late_findings(chain_plan(tmp_path, 40), monkeypatch)
    large, large_calls = late_findings(chain_plan(tmp_path, 80), monkeypatch)
    # every item of the chain is a late promise that waits, at the end, on another team's work
    assert {("FOR001", f.subject.id) for f in large} == {("FOR001", f"A-{i}") for i in range(1, 81)}
    assert all(f.impact == 3.0 for f in large)  # 2 (committed) + 1 (waits on team b's work)
    assert ("FOR001", "B-1") not in {(f.rule, f.subject.id) for f in large}
    assert len(small) == 40
    # reading what each item waits on, transitively, per item was quadratic: 4x at twice the chain
    assert large_calls <= 2.2 * small_calls


def test_evidence_of_a_cell_is_the_cells_reference_cited():
    sheet_ref = SourceRef(source="plan.xlsx", sheet="Items", row=14)
    whole_row = SourceRef(source="plan.xlsx", sheet="Items", row=15, column="C")
    jira = SourceRef(source="export.csv", key="PAY-12")
    columns = {"due": "F", "owner": "G"}
    items = [
        Item(key="A-1", title="t", ref=sheet_ref, columns=columns),
        Item(key="A-2", title="t", ref=whole_row, columns=columns),
        Item(key="PAY-12", title="t", ref=jira, columns={"due": "Due date"}),
        Item(key="A-3", title="t", ref=SourceRef(source="plan.csv"), columns=columns),
    ]
    derived = SourceRef(source="hris.csv", sheet="People", row=3, column="B")
    team = Team(team="a", ref=sheet_ref, columns={"headcount": "B"}, derived={"headcount": derived})
    cases = [(i, f) for i in items for f in ("due", "owner", "estimate")]
    cases += [(team, "headcount"), (team, "oncall_rotation")]
    for row, field in cases:
        assert Evidence.cell(row, field, "note") == Evidence.of(row.cell(field), "note")
    assert Evidence.cell(items[0], "due").location == "Items!F14"
    assert Evidence.cell(items[1], "estimate").location == "Items!C15"  # no column: the ref's own
    assert Evidence.cell(items[2], "due").location == "PAY-12"
    assert Evidence.cell(team, "headcount").model_dump() == {
        "source": "hris.csv",
        "location": "People!B3",
        "note": None,
    }
