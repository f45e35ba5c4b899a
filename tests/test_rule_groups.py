"""What the checks share within one run: the open items of a kind are grouped once, and a rule
over one kind reads its group, in plan order, not every open item of the plan."""

from __future__ import annotations

from roadmap_audit.checks import base
from roadmap_audit.checks.base import Hit, item_subject, open_items_of_kinds, open_items_with_kind

from .conftest import SAMPLES, facts_of


def test_the_open_items_of_kinds_are_those_of_every_open_item_in_plan_order():
    facts = facts_of(SAMPLES / "northwind-2026-Q3.xlsx")
    every = open_items_with_kind(facts)
    for kinds in ({"migration"}, {"launch"}, {"migration", "launch"}, {"no such kind"}):
        expected = [(i.key, k) for i, k in every if k in kinds]
        assert [(i.key, k) for i, k in open_items_of_kinds(facts, kinds)] == expected
    assert any(k == "migration" for _, k in every)  # the plan has some of them


def test_a_rule_over_one_kind_does_not_read_every_open_item_again(monkeypatch):
    facts = facts_of(SAMPLES / "northwind-2026-Q3.xlsx")
    built: list[str] = []
    once = base.once_per_run

    def counted(facts, name, build):
        if name not in facts.__dict__.get("_per_run", {}):
            built.append(name)
        return once(facts, name, build)

    monkeypatch.setattr(base, "once_per_run", counted)
    for _ in range(3):  # three rules over migrations
        list(open_items_of_kinds(facts, {"migration"}))
    assert built == ["open_items_by_kind", "open_items_with_kind"]


def test_a_hit_is_immutable_and_carries_no_measured_facts_unless_given():
    hit = Hit(subject=item_subject("PAY-1"), message="m")
    assert dict(hit.measured) == {} and dict(hit.notes) == {}
    try:
        hit.measured["committed"] = True
    except TypeError:
        pass
    else:  # pragma: no cover - the shared empty mapping must not take a value
        raise AssertionError("a hit's default measured facts took a value")
    assert Hit(subject=item_subject("PAY-1"), message="m").measured == {}
