"""Check kinds over plan items."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from pydantic import Field

from ..analyze.facts import Facts
from ..analyze.words import PhraseSet
from ..model import Evidence, Item
from .base import Hit, Params, check, item_subject


class ItemWithoutParams(Params):
    kinds: list[str] = Field(min_length=1)
    field: str = Field(pattern=r"^(rollback_plan|rehearsal|owner|due|estimate|services)$")
    # If set, the field (or one of `also_in`) must name one of these; else any value counts.
    evidence_words: list[str] = Field(default_factory=list)
    also_in: list[str] = Field(default_factory=list)
    # A child item (an epic's story) that names the practice is the plan doing it: "Feature flag and
    # staged rollout for refunds" under the refunds launch epic.
    children_count: bool = False
    escalate_to: str | None = None
    escalate_if_committed: bool = False
    escalate_if_tier_at_most: int | None = Field(None, ge=0)


def _text(item: Item, field: str) -> str | None:
    value = getattr(item, field, None)
    if isinstance(value, list):
        return " ".join(value) or None
    return None if value is None else str(value)


def _touches_tier(facts: Facts, item: Item, tier: int) -> str | None:
    for name in item.services:
        service = facts.services.get(facts.service_name(name) or "")
        if service and service.tier is not None and service.tier <= tier:
            return service.service
    return None


@check("item_without", ItemWithoutParams)
def item_without(facts: Facts, p: ItemWithoutParams) -> Iterator[Hit]:
    """Open items of the given kinds that lack a field, or lack evidence words in it."""
    words = PhraseSet(p.evidence_words) if p.evidence_words else None
    children: dict[str, list[Item]] = defaultdict(list)
    if words is not None and p.children_count:
        for child in facts.plan.items:
            if child.parent:
                children[child.parent].append(child)
    for item in facts.open_items():
        kind = facts.kind(item).value
        if kind not in p.kinds:
            continue
        value = _text(item, p.field)
        if words is None and value:
            continue
        denied = None
        if words is not None:
            found = words.find_affirmed(value, *(_text(item, f) for f in p.also_in))
            if found.word or any(words.find_affirmed(c.title, c.description, c.rehearsal).word
                                 for c in children.get(item.key, ())):
                continue
            denied = found.denied
        where = item.cell(p.field)
        shown = f"'{value}'" if value else "empty"
        label = p.field.replace("_", " ")
        reason = facts.kind_reasons[item.key]
        message = (f"{item.key} '{item.title}' is a {kind} ({reason}); its {label} is {shown}"
                   + (" and names none of the practices looked for" if value and words else ""))
        if denied:
            quoted = denied if len(denied) <= 80 else denied[:79].rstrip() + "…"
            message += f" ('{quoted}' names a practice only to rule it out)"
        severity = None
        if p.escalate_to:
            tier_service = (_touches_tier(facts, item, p.escalate_if_tier_at_most)
                            if p.escalate_if_tier_at_most is not None else None)
            if (p.escalate_if_committed and item.committed) or tier_service:
                severity = p.escalate_to
                message += (f"; it touches tier-{p.escalate_if_tier_at_most} service {tier_service}"
                            if tier_service else "; its date is committed outside the team")
        yield Hit(
            subject=item_subject(item.key),
            message=message,
            evidence=(Evidence.of(where, f"{label}: {value or 'empty'}"),),
            teams=(facts.team_of(item) or "",),
            severity=severity,
            impact=2.0 if item.committed else 1.0,
            likelihood=1.0 + (item.estimate_weeks or 0) / 10,
        )
