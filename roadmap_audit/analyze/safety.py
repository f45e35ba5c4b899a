"""Reading safety-net cells (rollback plan, rehearsal, flag or rollout) as a person reads them.

"TBD - see doc", "Rollback plan TBD", "N/A - one-way migration" and a bare link
say there is no plan; "turn the flag off", "restore from the snapshot" and "reads
switch back to the old store" name a way back. The words are data in the rule
files (what counts, what does not); this module only applies them, and says which
words decided so a finding can quote them. Nothing here judges an item or formats
a report.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from ..model import Item
from .words import PhraseSet, fold

# Clauses end where find_affirmed ends them (. , ; ! ? a line break, "but"); not at a colon or
# a dash, which join a practice to what is said of it: "Revert: not possible", "load test - TBD".
_CLAUSES = re.compile(r"[.,;!?\n]+|\bbut\b", re.IGNORECASE)
_LINK = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w.-]+\.(?:atlassian\.net|com|org|io|net)/\S*", re.IGNORECASE
)
# What a cell holding a link may say around it and still be "a bare link with no words".
_LINK_FILLER = frozenset(
    {
        "see",
        "link",
        "doc",
        "docs",
        "here",
        "url",
        "the",
        "in",
        "at",
        "on",
        "wiki",
        "confluence",
        "page",
        "this",
        "ticket",
    }
)
# Words that make a way back a guess rather than a plan: "maybe revert", "probably restore".
_HEDGES = frozenset({"maybe", "probably", "possibly", "perhaps", "hopefully", "might"})

MAX_DEPTH = (
    20  # levels of parents walked up from an item: initiative > epic > story > sub-task, with room
)

Verdict = Literal["empty", "plan", "missing", "unclear"]


@dataclass(frozen=True)
class Reading:
    """What a safety-net cell says: a plan, missing, or words this reader cannot place."""

    verdict: Verdict
    words: str | None = None  # the phrase or clause that decided, as written in the cell
    reason: str = ""  # "a placeholder", "a bare link with no words", "names a way back" ...


def _clauses(text: str) -> list[str]:
    return [" ".join(c.split()) for c in _CLAUSES.split(text) if c and c.strip()]


def _as_written(clause: str, folded_phrase: str) -> str:
    """The words of `clause` that fold to `folded_phrase` ('TBD', 'N/A'), else the phrase."""
    words = clause.split()
    target = folded_phrase.split()
    for i in range(len(words)):
        for j in range(i + 1, min(len(words), i + len(target) + 3) + 1):
            if fold(" ".join(words[i:j])).split() == target:
                return " ".join(words[i:j]).strip("()[]{}\"'.,;:!?")
    return folded_phrase


def _affirmed_in(phrases: PhraseSet, clause: str) -> str | None:
    """A phrase of `phrases` the clause names without denying it (find_affirmed) or hedging it."""
    found = phrases.find_affirmed(clause).word
    if found is None:
        return None
    folded = fold(clause)
    before = folded[: folded.find(f" {found} ") + 1].split()[-3:]
    return None if not _HEDGES.isdisjoint(before) else found


def practice_named(
    phrases: PhraseSet,
    placeholders: PhraseSet | None,
    *texts: str | None,
    small: PhraseSet | None = None,
    production: PhraseSet | None = None,
) -> tuple[str | None, str | None]:
    """(phrase, None) for the first practice a text affirms in a clause free of placeholders,
    else (None, the first clause that names a practice only to deny it or leave it open).

    "Feature flag TBD", "canary: not yet" and "no shadow reads" name a practice without
    planning it; "Feature flag per seller; load test TBD" plans the flag. With `small`, a
    clause that names a small scale ("load test in staging", "on a sample") counts only if
    it also names production (`production`): "replay production traffic against staging".
    """
    return PracticeReader(phrases, placeholders, small, production).named(*texts)


class PracticeReader:
    """practice_named with its word lists fixed, each distinct text read once: a rule asks of
    thousands of items, and many share a title, a description or a cell ("TBD")."""

    def __init__(
        self,
        phrases: PhraseSet,
        placeholders: PhraseSet | None,
        small: PhraseSet | None = None,
        production: PhraseSet | None = None,
    ):
        self.phrases, self.placeholders = phrases, placeholders
        self.small, self.production = small, production
        self._read: dict[str, tuple[str | None, str | None]] = {}

    def named(self, *texts: str | None) -> tuple[str | None, str | None]:
        """What practice_named says of the texts, in order: the first affirmed practice, else
        the first clause that names one only to deny it or leave it open."""
        denied = None
        for text in texts:
            if not text:
                continue
            read = self._read.get(text)
            if read is None:
                read = self._read[text] = self._in(text)
            if read[0]:
                return read
            denied = denied or read[1]
        return None, denied

    def _in(self, text: str) -> tuple[str | None, str | None]:
        """(the practice one text affirms, None), else (None, its first clause that denies one)."""
        # An ASCII text that names no practice as a whole names none in any clause (a clause's
        # words are a run of the text's words): one search instead of one per clause.
        if text.isascii() and self.phrases.find(text) is None:
            return None, None
        denied = None
        small, production, placeholders = self.small, self.production, self.placeholders
        for clause in _clauses(text):
            if self.phrases.find(clause) is None:
                continue
            found = _affirmed_in(self.phrases, clause)
            if (
                found
                and small is not None
                and small.find(clause)
                and not (production and production.find(clause))
            ):
                found = None
            if found and (placeholders is None or placeholders.find(clause) is None):
                return found, None
            denied = denied or clause
        return None, denied


def read_cell(
    text: str | None,
    way_back: PhraseSet,
    placeholders: PhraseSet,
    refusals: PhraseSet,
    pointers: PhraseSet | None = None,
) -> Reading:
    """How a person reads a rollback cell.

    A way back named in a clause with no placeholder or refusal is a plan ("Restore from
    the nightly snapshot; runbook TBD"). Otherwise a placeholder ("Rollback plan TBD",
    "TBD (Olu to write)", "see doc") or a refusal ("N/A - one-way migration", "none
    planned") anywhere makes it missing, and so does a way back named only to rule it out
    ("we cannot restore from backup"), a bare link or a cell with no words. A pointer
    (`pointers`: "see doc") is missing when it is all the cell says, but does not undo a way
    back beside it ("Revert per the runbook (see doc)"). Anything else is words this reader
    cannot place: "unclear".
    """
    if text is None or not text.strip():
        return Reading("empty")
    clauses = _clauses(text)
    for clause in clauses:
        found = _affirmed_in(way_back, clause)
        if found and placeholders.find(clause) is None and refusals.find(clause) is None:
            return Reading("plan", _as_written(clause, found), "names a way back")
    for clause in clauses:
        marker = refusals.find(clause)
        if marker:
            return Reading("missing", _as_written(clause, marker), "says there is no way back")
    for clause in clauses:
        marker = placeholders.find(clause)
        if marker:
            return Reading("missing", _as_written(clause, marker), "a placeholder")
    for clause in clauses:
        marker = pointers.find(clause) if pointers is not None else None
        if marker and not way_back.find(clause):
            return Reading(
                "missing",
                _as_written(clause, marker),
                "a pointer elsewhere, with no way back in the cell",
            )
    for clause in clauses:
        if way_back.find(clause):
            return Reading(
                "missing", clause, "names a way back only to rule it out or leave it open"
            )
    unlinked = _LINK.sub(" ", text)
    words = set(fold(unlinked).split())
    if unlinked != text and words <= _LINK_FILLER:
        return Reading("missing", text.strip(), "a bare link with no words")
    if not words:
        return Reading("missing", text.strip(), "no words")
    return Reading("unclear", None, "names no way back this reader knows")


def descendants(items: Iterable[Item]) -> dict[str, list[Item]]:
    """Each key -> every item below it (children, their sub-tasks ...), in plan order.

    Works on the issues of a plan and on the children an epic-level plan folded into its
    epics alike: both keep each child's parent key. A loop in the parent links stops the walk,
    and so does MAX_DEPTH (no plan nests deeper; a chain of thousands of parents would otherwise
    cost quadratic time).
    """
    items = list(items)
    parent = {i.key: i.parent for i in items if i.parent and i.parent != i.key}
    below: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        seen, current = {item.key}, parent.get(item.key)
        while current is not None and current not in seen and len(seen) <= MAX_DEPTH:
            below[current].append(item)
            seen.add(current)
            current = parent.get(current)
    return dict(below)


def child_texts(child: Item) -> tuple[str | None, ...]:
    """What a child says about itself: its title and description."""
    return child.title, child.description
