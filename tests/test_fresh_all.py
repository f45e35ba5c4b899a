"""Many instances of one model made at once: each as pydantic would make it from the same values."""

from __future__ import annotations

import datetime as dt

from roadmap_audit.model import Dependency, ItemSummary


def _row(key: str) -> dict:
    return {
        "key": key, "title": f"Item {key}", "team": "Payments", "kind": "feature",
        "estimate_weeks": 2.5, "due": dt.date(2026, 9, 30), "committed": True, "done": False,
        "priority": "P1", "location": f"Items!A{key[-1]}", "extra": {"Theme": "growth"},
    }  # fmt: skip


def test_items_made_at_once_equal_validated_ones_and_share_one_fields_set():
    rows = [_row("PAY-1"), _row("PAY-2")]
    made = ItemSummary._fresh_all([dict(r) for r in rows])
    assert made == [ItemSummary(**r) for r in rows]
    assert [m.key for m in made] == ["PAY-1", "PAY-2"]
    assert made[0].__pydantic_fields_set__ is made[1].__pydantic_fields_set__
    assert made[0].model_dump_json() == ItemSummary(**rows[0]).model_dump_json()


def test_nothing_made_from_no_rows():
    assert Dependency._fresh_all([]) == []
