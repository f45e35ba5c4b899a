"""REL001's first_planned: a quarter written so it cannot be read is a data note naming the cell,
never silently 'not carried over'."""

from __future__ import annotations

from .conftest import audit_of

ITEMS = (
    "key,title,team,kind,estimate,owner,due,services,description,first_planned\n"
    "R-1,Indexing hardening,search,reliability,,,,indexer,Make the pipeline more robust.,2025-Q4\n"
    "R-2,Queue hardening,search,reliability,,,,indexer,Make the queue more robust.,last spring\n"
    "R-3,Cache hardening,search,reliability,,,,indexer,Make the cache more robust.,FY26 Q1\n"
    "R-4,Crawler hardening,search,reliability,,,,indexer,Make the crawler more robust.,\n"
)


def test_an_unreadable_first_planned_is_a_note_on_its_cell_and_does_not_escalate(tmp_path):
    plan = tmp_path / "plan"
    plan.mkdir()
    (plan / "items.csv").write_text(ITEMS)
    audit = audit_of(plan, select=["REL001", "DQ001"], quarter="2026-Q3")
    rel = {f.subject.id: f for f in audit.findings if f.rule == "REL001"}
    assert {k: f.severity for k, f in rel.items()} == {
        "R-1": "high",  # carried over from 2025-Q4
        "R-2": "medium",  # not known: not raised for it
        "R-3": "medium",
        "R-4": "medium",
    }
    assert "in the plan since 2025-Q4" in rel["R-1"].message
    dq = {f.subject.id: f for f in audit.findings if f.rule == "DQ001"}
    assert set(dq) == {"R-2", "R-3"}
    assert dq["R-2"].message == (
        "first_planned: 'last spring' is not a quarter (write it like 2026-Q3); the value was left "
        "out, so whether R-2 was carried over from an earlier quarter is not known"
    )
    assert "fiscal quarter" in dq["R-3"].message
    assert [e.location for e in dq["R-2"].evidence] == ["items!J3"]
