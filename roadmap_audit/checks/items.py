"""Check kinds over plan items."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain
from typing import Literal

from pydantic import Field

from ..analyze.facts import Facts
from ..analyze.safety import (
    MAX_DEPTH,
    PracticeReader,
    Reading,
    child_texts,
    descendants,
    read_cell,
)
from ..analyze.words import PhraseSet
from ..model import Evidence, Item, ItemKind
from .base import (
    Hit,
    Params,
    check,
    flag,
    item_subject,
    number,
    once_per_run,
    open_items_of_kinds,
)
from .texts import items as texts

# The item fields a practice may also be written in (text or lists of words).
ItemTextField = Literal[
    "title", "description", "rollback_plan", "rehearsal", "labels", "services", "owner"
]


class ItemWithoutParams(Params):
    kinds: list[ItemKind] = Field(min_length=1)
    field: Literal["rollback_plan", "rehearsal", "owner", "due", "estimate", "services"]
    # If set, the field (or one of `also_in`) must name one of these; else any value counts.
    evidence_words: list[str] = Field(default_factory=list)
    also_in: list[ItemTextField] = Field(default_factory=list)
    # A child item (an epic's story, a story's sub-task) that names the practice is the plan
    # doing it: "Feature flag and staged rollout for refunds" under the refunds launch epic.
    children_count: bool = False
    # Further phrases a child's title may name to be the practice ("Rollback runbook for ..."); an
    # item whose own title names one is the practice too, when the field is the plan itself.
    children_words: list[str] = Field(default_factory=list)
    # Words that leave a cell without a plan: a practice named in the same clause is not planned
    # ("Feature flag TBD"), and a cell with one and no way back elsewhere is missing.
    placeholder_words: list[str] = Field(default_factory=list)
    refusal_words: list[str] = Field(default_factory=list)
    # "see doc": missing when it is all a cell says, but it does not undo a way back beside it.
    pointer_words: list[str] = Field(default_factory=list)
    # A practice named in a clause with one of `small_scale_words` ("load test in staging", "shadow
    # reads on a sample") counts only if the clause also names one of `production_words`.
    small_scale_words: list[str] = Field(default_factory=list)
    production_words: list[str] = Field(default_factory=list)
    # The field is the plan itself (a rollback cell): words that are neither a placeholder nor a
    # named practice count as a plan, since a guess must not raise a false finding.
    unclear_counts: bool = False
    # Fields where a practice named holds the finding at medium rather than ending it: a way back
    # written only in the description is a plan nobody finds in the rollback cell at 2 a.m., and
    # a description's words are read more loosely than the cell's.
    held_by: list[ItemTextField] = Field(default_factory=list)
    # How cells read, for people and for the tests: {"counts": [...], "does_not_count": [...]}.
    examples: dict[Literal["counts", "does_not_count"], list[str]] = Field(default_factory=dict)


def _text(item: Item, field: str) -> str | None:
    value = getattr(item, field, None)
    if isinstance(value, list):
        return " ".join(value) or None
    return None if value is None else str(value)


def most_critical_service(facts: Facts, item: Item) -> tuple[int | None, str | None]:
    """(tier, name) of the most critical service (the lowest tier) the item touches, the first
    named of equals; (None, None) when none of its services has a tier."""
    best: tuple[int | None, str | None] = (None, None)
    for name in item.services:
        service = facts.services.get(facts.service_name(name) or "")
        if service and service.tier is not None and (best[0] is None or service.tier < best[0]):
            best = (service.tier, service.service)
    return best


def _children(facts: Facts) -> dict[str, list[Item]]:
    """Every item below each item: the plan's own, and at epic level the children folded into it.
    Found once per run, for every rule that reads it. Only an item with a parent is below
    another (most plans have few): the walk reads those, not every item of the plan."""
    return once_per_run(
        facts,
        "children",
        lambda f: descendants([i for i in chain(f.plan.items, f.plan.rolled_up) if i.parent]),
    )


def _enclosing(facts: Facts, item: Item, kinds: list[ItemKind]) -> Item | None:
    """The nearest item above this one (its epic, its story) whose kind is one of `kinds`."""
    seen, key = {item.key}, item.parent
    while key and key not in seen and len(seen) <= MAX_DEPTH:
        above = facts.items.get(key)
        if above is None:
            return None
        if facts.kind(above).value in kinds:
            return above
        seen.add(key)
        key = above.parent
    return None


@dataclass(frozen=True)
class _Reader:
    """A rule's words, each read once: what names the practice, what leaves it open or rules it
    out, and the items under each item."""

    words: PhraseSet
    placeholders: PhraseSet
    refusals: PhraseSet
    pointers: PhraseSet
    missing: PhraseSet  # placeholders and refusals: a practice named beside one is not planned
    child_words: PhraseSet
    own_words: PhraseSet
    scale: dict[str, PhraseSet] = field(default_factory=dict)
    children: dict[str, list[Item]] = field(default_factory=dict)
    # each distinct text read once: the cell and its other fields, the item's own title, a child
    practice: PracticeReader = field(init=False)
    unscaled: PracticeReader = field(init=False)  # the practice at any scale
    own: PracticeReader = field(init=False)
    child: PracticeReader = field(init=False)
    cells: dict[str | None, Reading] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        small, production = self.scale.get("small"), self.scale.get("production")
        readers = {
            "practice": PracticeReader(self.words, self.missing, small, production),
            "unscaled": PracticeReader(self.words, self.missing),
            "own": PracticeReader(self.own_words, self.missing),
            "child": PracticeReader(self.child_words, self.missing, small, production),
        }
        for name, reader in readers.items():
            object.__setattr__(self, name, reader)

    def cell(self, value: str | None) -> Reading:
        """How a person reads the rollback cell (read_cell), once per distinct cell."""
        reading = self.cells.get(value)
        if reading is None:
            reading = self.cells[value] = read_cell(
                value, self.words, self.placeholders, self.refusals, self.pointers
            )
        return reading

    @classmethod
    def of(cls, facts: Facts, p: ItemWithoutParams) -> _Reader:
        scale = (
            {"small": PhraseSet(p.small_scale_words), "production": PhraseSet(p.production_words)}
            if p.small_scale_words
            else {}
        )
        return cls(
            PhraseSet(p.evidence_words),
            PhraseSet(p.placeholder_words),
            PhraseSet(p.refusal_words),
            PhraseSet(p.pointer_words),
            PhraseSet([*p.placeholder_words, *p.refusal_words]),
            PhraseSet([*p.evidence_words, *p.children_words]),
            PhraseSet(p.children_words),
            scale,
            _children(facts) if p.children_count else {},
        )

    def small_scale(self, text: str) -> bool:
        return bool(
            self.scale
            and self.scale["small"].find(text)
            and not self.scale["production"].find(text)
        )


def _named(
    item: Item, value: str | None, r: _Reader, p: ItemWithoutParams
) -> tuple[bool, str | None, str | None] | None:
    """(a practice is named, the words that name one only to deny it, why the cell itself does
    not count), or None when the cell is a plan (or too unclear to call missing)."""
    also = [_text(item, f) for f in p.also_in]
    if not p.unclear_counts:
        found, denied = r.practice.named(value, *also)
        return bool(found), denied, None
    reading = r.cell(value)
    if reading.verdict in ("plan", "unclear"):
        return None
    said = f"'{reading.words}': {reading.reason}" if reading.verdict == "missing" else None
    found, denied = r.unscaled.named(*also)
    # an item whose title says it is the way back ("Dual write lets us switch back") is one
    found = found or r.own.named(item.title)[0]
    return bool(found), denied, said


def _planned_beside(facts: Facts, item: Item, r: _Reader, p: ItemWithoutParams) -> bool:
    """An item under this one is the practice; or, for a step of a larger change of the same kind
    ("Cut over order reads" under the storage migration), the safety work planned beside it
    ("Shadow-read comparison for order reads"): the epic's plan is one plan."""
    extra = () if p.unclear_counts else ("rehearsal",)

    def practice(c: Item) -> bool:
        texts_of = (*child_texts(c), *(_text(c, f) for f in extra))
        return r.child.named(*texts_of)[0] is not None

    if any(practice(c) for c in r.children.get(item.key, [])):
        return True
    above = _enclosing(facts, item, p.kinds)
    if above is None:
        return False
    # the larger change's own plan covers its steps ("Cut over billing reads" under a migration
    # epic whose rollback cell names the way back)
    own = _named(above, _text(above, p.field), r, p)
    return (
        own is None
        or own[0]
        or any(practice(c) for c in r.children.get(above.key, []) if c.key != item.key)
    )


def _lacking(
    facts: Facts, item: Item, value: str | None, r: _Reader, p: ItemWithoutParams
) -> tuple[str | None, list[Item]] | None:
    """(why the cell does not count, quoting the words that decided; the items under it that
    were considered) when the practice is not planned, else None."""
    named = _named(item, value, r, p)
    if named is None or named[0] or _planned_beside(facts, item, r, p):
        return None
    _, denied, said = named
    if denied and not said:
        left_open = r.placeholders.find(denied) is not None
        said = texts.denied(denied, r.small_scale(denied), left_open)
    return said, r.children.get(item.key, [])


def item_without(facts: Facts, p: ItemWithoutParams) -> Iterator[Hit]:
    """Open items of the given kinds that lack a field, or lack evidence words in it."""
    reader = _Reader.of(facts, p) if p.evidence_words else None
    kinds = {k.value for k in p.kinds}
    for item, kind in open_items_of_kinds(facts, kinds):
        value = _text(item, p.field)
        if reader is None:
            if value:
                continue
            lacking: tuple[str | None, list[Item]] | None = (None, [])
        else:
            lacking = _lacking(facts, item, value, reader, p)
        if lacking is None:
            continue
        said, kids = lacking
        reason = facts.kind_reasons[item.key]
        tier, service = most_critical_service(facts, item)
        yield Hit(
            subject=item_subject(item.key),
            message=texts.message(
                item, kind, reason, p.field, value, said, reader is not None, kids
            ),
            evidence=(Evidence.cell(item, p.field, texts.evidence_note(p.field, value)),),
            teams=(facts.team_of(item) or "",),
            impact=2.0 if item.committed else 1.0,
            likelihood=1.0 + (item.estimate_weeks or 0) / 10,
            measured={"committed": item.committed, "tier": tier},
            notes=texts.notes(tier, service),
            ceiling=_ceiling(facts, item, kind, reader, p),
        )


def _ceiling(
    facts: Facts, item: Item, kind: str, reader: _Reader | None, p: ItemWithoutParams
) -> tuple[str, str] | None:
    """How far the finding may go when the check doubts it: the practice is written elsewhere
    (`held_by`), or only the item's description says what kind of work it is."""
    if reader is not None and p.held_by:
        # the item's own texts, then those of the larger change it is a step of
        above = _enclosing(facts, item, p.kinds)
        for one in (item,) if above is None else (item, above):
            found = reader.unscaled.named(*(_text(one, f) for f in p.held_by))[0]
            if found:
                return texts.held(found, p.held_by, p.field, None if one is item else one.key)
    return texts.guessed(kind) if facts.kind_guessed(item.key) else None


# Registered by a call, not a decorator: mutation testing (tools/mutation.py) reaches
# only undecorated functions.
check(
    "item_without",
    ItemWithoutParams,
    measures={
        "committed": flag("the item's date is committed outside the team"),
        "tier": number("the lowest tier of the services the item touches", min_bound=0),
    },
)(item_without)
