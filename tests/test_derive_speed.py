"""The derive step's shortcuts give what the plain reading gives: an org unit's chain and a
finding's owner from chains walked once per node, an item's kind from signals read once per
distinct combination, a team name resolved once per spelling."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from roadmap_audit.analyze.facts import Vocabulary
from roadmap_audit.engine import builtin_rules_dir
from roadmap_audit.model import ItemKind

from .conftest import FIXTURES, facts_of

NODES = ["a", "b", "c", "d", "e", "f", "g"]


def _chain(parent: dict[str, str | None], node: str) -> list[str]:
    """The node and every unit above it, nearest first, stopping at a loop (the walk as written
    before chains were kept)."""
    chain: list[str] = []
    current: str | None = node
    while current is not None and current not in chain:
        chain.append(current)
        current = parent.get(current)
    return chain


def _owner(parent: dict[str, str | None], teams: list[str]) -> str | None:
    teams = [t for t in teams if t]
    if not teams:
        return None
    if len(set(teams)) == 1:
        return teams[0]
    chains = [_chain(parent, t) for t in teams]
    common = set(chains[0]).intersection(*map(set, chains[1:]))
    return next((node for node in chains[0] if node in common), None)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(st.sampled_from(NODES), st.none() | st.sampled_from(NODES)),
    st.lists(st.lists(st.sampled_from([*NODES, "", "unknown"]), max_size=6), max_size=6),
)
def test_chains_and_owners_are_those_of_the_plain_walk(parent, team_lists):
    """Any org tree, loops and unknown names included: ancestors and owner_unit, asked in any
    order and more than once, equal the walk from scratch."""
    facts = facts_of(FIXTURES / "org")
    facts.__dict__["org_parent"] = parent
    facts._chains.clear()
    for teams in [*team_lists, *team_lists]:
        assert facts.owner_unit(teams) == _owner(parent, teams), teams
        assert facts.owner_unit(tuple(teams)) == _owner(parent, teams), teams
        for team in teams:
            if team:
                assert list(facts.ancestors(team)) == _chain(parent, team)


def test_an_item_read_in_one_pass_gets_what_classify_and_is_defect_say(tmp_path):
    """Kind column, labels and components in every combination, read through the combination's
    memo, equal `classify` and `is_defect` of a fresh vocabulary for each item alone."""
    rows = [["Summary", "Issue key", "Issue Type", "Status", "Labels", "Labels", "Component/s"]]
    n = 0
    for kind in ("Story", "Bug", "Sub-task", "Task", ""):
        for labels in (
            ("q3", ""),
            ("q3", "docs"),
            ("q3", "migration"),
            ("", ""),
            ("launch", "bug"),
        ):
            for component in ("", "payments", "migration"):
                for title in ("Write the migration guide", "Price alerts", "Update the runbook"):
                    n += 1
                    rows.append([title, f"P-{n}", kind, "To Do", *labels, component])
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    path = tmp_path / "export.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    facts = facts_of(path)
    vocabulary = builtin_rules_dir() / "vocabulary.toml"
    assert len(facts.kinds) == n
    for item in facts.plan.items:
        alone = Vocabulary.from_file(vocabulary)
        said = (facts.kinds[item.key], facts.kind_reasons[item.key])
        assert said == alone.classify(item), item.key
        defect = Vocabulary.from_file(vocabulary).is_defect(item)
        assert (item.key in facts.defect_work) == defect, item.key
    # the signals were read once per distinct (kind column, labels), not once per item; an item
    # with neither has nothing to read (no memo entry)
    assert len(facts.vocabulary._signals) == len(
        {(i.kind_raw, *i.labels) for i in facts.plan.items if i.kind_raw or i.labels}
    )
    assert any(not i.kind_raw and not i.labels for i in facts.plan.items)


def test_a_key_written_twice_names_its_first_item():
    """Items are keyed in plan order; a key that two items carry is the first one's."""
    from roadmap_audit.analyze.capacity import CapacityParams
    from roadmap_audit.analyze.facts import derive

    plan = facts_of(FIXTURES / "org").plan
    first = plan.items[0]
    twin = first.model_copy(update={"title": "Another item under the same key"})
    twice = plan.model_copy(update={"items": [*plan.items, twin]})
    facts = derive(
        twice, CapacityParams(), Vocabulary.from_file(builtin_rules_dir() / "vocabulary.toml")
    )
    assert facts.items[first.key] is first
    assert list(facts.items) == [i.key for i in plan.items]
    assert len(facts.kinds) == len(plan.items)


def test_a_keyword_list_is_compiled_only_when_searched(tmp_path):
    """A plan with no kind column and no labels never searches the defect and sub-task lists:
    their patterns are never compiled; the lists it searches are, once."""
    rows = [["Summary", "Issue key", "Status"], ["Migrate the ledger", "P-1", "To Do"]]
    rows += [["Price alerts", "P-2", "To Do"]]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    path = tmp_path / "export.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    facts = facts_of(path)
    vocabulary = facts.vocabulary
    assert facts.kinds == {"P-1": ItemKind.migration, "P-2": ItemKind.feature}
    assert "_regex" not in vars(vocabulary.defect_types)
    assert "_regex" not in vars(vocabulary.subtask_types)
    assert "_regex" in vars(vocabulary._telling)
    assert vocabulary.defect_types.find("Bug") == "bug"  # compiled when asked
    assert "_regex" in vars(vocabulary.defect_types)
