"""Deriving kinds at org scale: a label, a kind column value, a component and a title are read
once however many items repeat them, and what is read once is what each item would get alone;
the faster keyword matching finds what the slower one found."""

from __future__ import annotations

import csv
import io
import re

from hypothesis import given, settings
from hypothesis import strategies as st

import roadmap_audit.analyze.facts as facts_module
from roadmap_audit.analyze.facts import Vocabulary
from roadmap_audit.analyze.words import PhraseSet, fold
from roadmap_audit.engine import builtin_rules_dir

from .conftest import facts_of

HEADER = ["Summary", "Issue key", "Issue id", "Issue Type", "Status", "Labels", "Description"]
# (title, Issue Type, label, description): the same title under different signals
SHAPES = [
    ("Migrate the ledger to Aurora", "Story", "q3", "Scope agreed; see the design doc."),
    ("Migrate the ledger to Aurora", "Bug", "q3", ""),
    ("Migrate the ledger to Aurora", "Story", "docs", ""),
    ("Update the runbook", "Task", "migration", "Load test at 2x peak first."),
    ("Update the runbook", "Task", "", ""),
    ("Price alerts", "Story", "q3", "No rehearsal planned yet; load test at 2x peak."),
    ("Price alerts", "Story", "q3", "Release notes for the Q3 launch."),
    ("Roll out smart filters to all sellers", "Story", "launch", "Feature flag first."),
    ("Roll out smart filters to all sellers", "Epic", "q3", "For the Q3 launch."),
    ("As a seller, I want to roll out promo codes", "Story", "q3", ""),
    ("Write the migration guide", "Story", "migration", ""),
    ("Hardening", "Story", "reliability", ""),
]


def _export(tmp_path, copies: int):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    n = 0
    for _ in range(copies):
        for title, kind, label, description in SHAPES:
            n += 1
            writer.writerow([title, f"P-{n}", str(n), kind, "To Do", label, description])
    path = tmp_path / f"export-{copies}.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_repeated_signals_are_read_once(tmp_path, monkeypatch):
    """Twice the items with the same titles, labels and Issue Types fold no more text:
    the derive step's work grows with what is distinct, not with the number of items."""
    calls = []
    real = facts_module.fold

    def counting(text: str) -> str:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(facts_module, "fold", counting)
    counts = []
    for copies in (10, 20):
        calls.clear()
        facts = facts_of(_export(tmp_path, copies))
        assert len(facts.kinds) == copies * len(SHAPES)
        counts.append(len(calls))
    assert counts[0] > 0
    assert counts[1] == counts[0]


def test_what_is_read_once_is_what_each_item_gets_alone(tmp_path):
    """Every item's kind and reason equal those of the item classified by a fresh vocabulary
    (nothing remembered from another item with the same title or label)."""
    facts = facts_of(_export(tmp_path, 2))
    path = builtin_rules_dir() / "vocabulary.toml"
    for item in facts.plan.items:
        alone = Vocabulary.from_file(path)
        assert (facts.kinds[item.key], facts.kind_reasons[item.key]) == alone.classify(item), (
            item.key
        )
        assert (item.key in facts.defect_work) == Vocabulary.from_file(path).is_defect(item)
    # the same title reads differently under different signals
    assert facts.kinds["P-1"].value == "migration"
    assert facts.kinds["P-2"].value == "ktlo"
    assert facts.kind_reasons["P-3"] == "kind from the label 'docs': documentation"
    assert {facts.kind_reasons["P-6"], facts.kind_reasons["P-7"]} != {facts.kind_reasons["P-6"]}


# ------------------------------------------------------------------ words, as they were read

_ASCII = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=127), max_size=40)
_WORDS = ["migrat*", "roll back", "load test", "release notes", "doc", "x", "go live"]
_TEXT = st.lists(
    st.sampled_from(["migration", "rollback", "roll", "back", "load", "test", "release", "notes"])
    | st.sampled_from(["docs", "doc", "x", "go", "live", "golive", "immigration", "a", "b"]),
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(_ASCII)
def test_fold_of_ascii_is_lowercase_words_between_single_spaces(text):
    assert fold(text) == " " + re.sub(r"[^a-z0-9]+", " ", text.lower()).strip() + " "


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_phrases_are_found_where_a_look_behind_for_the_space_finds_them(words):
    """The keyword pattern matches the space before a phrase; what it finds, where, and what
    taking phrases out leaves are those of the look-behind it replaced."""
    phrases = PhraseSet(_WORDS)
    assert phrases._regex is not None
    behind = re.compile("(?<= )" + phrases._regex.pattern[1:])
    text = fold(" ".join(words))
    assert phrases.find_all_folded(text) == [m.group(0) for m in behind.finditer(text)]
    assert phrases.blank_folded(text) == behind.sub(" ", text)
    first = behind.search(text)
    assert phrases.find_folded(text) == (first.group(0) if first else None)
