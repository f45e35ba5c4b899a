"""Check kinds over plan items."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import Field

from ..analyze.facts import Facts
from ..analyze.safety import MAX_DEPTH, child_texts, descendants, practice_named, read_cell
from ..analyze.words import PhraseSet
from ..model import Evidence, Item, ItemKind
from .base import Hit, Params, check, flag, item_subject, number

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
    """Every item below each item: the plan's own, and at epic level the children folded into it."""
    return descendants([*facts.plan.items, *facts.plan.rolled_up])


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


def _listed(items: list[Item], limit: int = 5) -> str:
    shown = ", ".join(f"{c.key} '{c.title}'" for c in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


@check(
    "item_without",
    ItemWithoutParams,
    measures={
        "committed": flag("the item's date is committed outside the team"),
        "tier": number("the lowest tier of the services the item touches", min_bound=0),
    },
)
def item_without(facts: Facts, p: ItemWithoutParams) -> Iterator[Hit]:
    """Open items of the given kinds that lack a field, or lack evidence words in it."""
    words = PhraseSet(p.evidence_words) if p.evidence_words else None
    placeholders = PhraseSet(p.placeholder_words)
    refusals = PhraseSet(p.refusal_words)
    pointers = PhraseSet(p.pointer_words)
    missing = PhraseSet([*p.placeholder_words, *p.refusal_words])
    child_words = PhraseSet([*p.evidence_words, *p.children_words])
    own_words = PhraseSet(p.children_words)
    scale = (
        {"small": PhraseSet(p.small_scale_words), "production": PhraseSet(p.production_words)}
        if p.small_scale_words
        else {}
    )
    children = _children(facts) if words is not None and p.children_count else {}
    for item in facts.open_items():
        kind = facts.kind(item).value
        if kind not in p.kinds:
            continue
        value = _text(item, p.field)
        if words is None and value:
            continue
        label = p.field.replace("_", " ")
        said = None  # why the cell does not count, quoting the words that decided
        if words is not None:
            also = [_text(item, f) for f in p.also_in]
            if p.unclear_counts:
                reading = read_cell(value, words, placeholders, refusals, pointers)
                if reading.verdict in ("plan", "unclear"):
                    continue
                if reading.verdict == "missing":
                    said = f"'{reading.words}': {reading.reason}"
                found, denied = practice_named(words, missing, *also)
                # an item whose title says it is the way back ("Dual write lets us switch back") is one
                found = found or practice_named(own_words, missing, item.title)[0]
            else:
                found, denied = practice_named(words, missing, value, *also, **scale)
            if found:
                continue
            kids = children.get(item.key, [])
            extra = () if p.unclear_counts else ("rehearsal",)

            def practice(c: Item) -> bool:
                return (
                    practice_named(
                        child_words,
                        missing,
                        *child_texts(c),
                        *(_text(c, f) for f in extra),
                        **scale,
                    )[0]
                    is not None
                )

            if any(practice(c) for c in kids):
                continue
            # A step of a larger change of the same kind ("Cut over order reads" under the storage
            # migration) is covered by the safety work planned beside it ("Shadow-read comparison for
            # order reads"): the epic's plan is one plan.
            above = _enclosing(facts, item, p.kinds)
            if above is not None and any(
                practice(c) for c in children.get(above.key, []) if c.key != item.key
            ):
                continue
            if denied and not said:
                quoted = denied if len(denied) <= 80 else denied[:79].rstrip() + "…"
                left_open = placeholders.find(denied) is not None
                small = (
                    scale and scale["small"].find(denied) and not scale["production"].find(denied)
                )
                said = (
                    f"'{quoted}' is not at production scale"
                    if small
                    else f"'{quoted}' names a practice only to {'leave it open' if left_open else 'rule it out'}"
                )
        else:
            kids = []
        where = item.cell(p.field)
        shown = f"'{value}'" if value else "empty"
        reason = facts.kind_reasons[item.key]
        message = f"{item.key} '{item.title}' is a {kind} ({reason}); its {label} is {shown}"
        if said:
            message += f" ({said})"
        elif value and words:
            message += " and names none of the practices looked for"
        if kids:
            message += (
                f"; the items under it were considered and none is the practice: {_listed(kids)}"
            )
        tier, service = most_critical_service(facts, item)
        yield Hit(
            subject=item_subject(item.key),
            message=message,
            evidence=(Evidence.of(where, f"{label}: {value or 'empty'}"),),
            teams=(facts.team_of(item) or "",),
            impact=2.0 if item.committed else 1.0,
            likelihood=1.0 + (item.estimate_weeks or 0) / 10,
            measured={"committed": item.committed, "tier": tier},
            notes={
                "tier": f"it touches tier-{tier} service {service}",
                "committed": "its date is committed outside the team",
            },
        )
