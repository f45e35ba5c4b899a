"""What a check kind is: a named function over Facts, with a strict parameter schema.

A rule file names a check kind and sets its parameters; the engine binds them.
Checks return `Hit`s (a subject, a message, evidence, and the facts they measured);
the engine stamps rule id, severity, why and fix into immutable Findings, and decides
from the measured facts whether the rule's [escalate] table raises the severity.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, TypeVar, cast

from pydantic import BaseModel, ConfigDict

from ..model import Evidence, Item, ItemKind, Subject

if TYPE_CHECKING:
    from ..analyze.facts import Facts


class Params(BaseModel):
    """Base of every check kind's parameters: unknown keys are an error, and so is a
    number that is not finite (nan, inf, -inf): no threshold compares sensibly with one."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True, allow_inf_nan=False)


# A fact a check measures on a subject: yes/no (committed, carried over) or a number (a tier,
# a stack size). None: not measured on this subject (a team has no tier).
Measured = bool | int | float | None


@dataclass(frozen=True)
class Fact:
    """A fact a check kind measures, which a rule's [escalate] conditions may name."""

    kind: Literal["flag", "number"]
    says: str  # what it is, for `rules explain` and error lines
    min_bound: float | None = None  # the lowest bound a condition on it may name (a tier is >= 0)


def flag(says: str) -> Fact:
    return Fact("flag", says)


def number(says: str, min_bound: float | None = None) -> Fact:
    return Fact("number", says, min_bound)


# No measured facts, no notes: one empty mapping every hit without them shares (read-only).
_NONE: Mapping[str, Any] = MappingProxyType({})


class Hit(NamedTuple):
    """What a check found on one subject. A named tuple: immutable, and made in a third of the
    time of a frozen dataclass (a large plan's checks make tens of thousands)."""

    subject: Subject
    message: str
    evidence: tuple[Evidence, ...] = ()
    teams: tuple[str, ...] = ()
    # a severity the check decides by its own parameters (CAP001's critical_load); the rule's
    # [escalate] table, decided by the engine from `measured`, comes before it
    severity: str | None = None
    impact: float = 1.0
    likelihood: float = 1.0
    fix: str | None = None  # a concrete fix for this subject, on top of the rule's
    # the facts measured on this subject, by the names the check kind declares
    measured: Mapping[str, Measured] = _NONE
    # fact -> the clause the message gains when that fact is what escalates the finding;
    # the first of them (in this order) whose condition holds is added
    notes: Mapping[str, str] = _NONE
    # (the most severe the finding may be, the clause its message then gains): the check's
    # doubt about its own reading (a kind read only from a description's words), which no
    # escalation overrides
    ceiling: tuple[str, str] | None = None


CheckFn = Callable[["Facts", Params], Iterator[Hit]]


@dataclass(frozen=True)
class CheckKind:
    name: str
    params: type[Params]
    run: CheckFn
    doc: str = ""
    uses: tuple[str, ...] = field(default=())
    measures: Mapping[str, Fact] = field(default_factory=dict)  # facts its hits carry


REGISTRY: dict[str, CheckKind] = {}


P = TypeVar("P", bound=Params)


def check(
    name: str, params: type[P], measures: Mapping[str, Fact] | None = None
) -> Callable[[Callable[[Facts, P], Iterator[Hit]]], Callable[[Facts, P], Iterator[Hit]]]:
    """Register a check kind under the name rule files use, with the facts its hits measure
    (the names a rule's [escalate] conditions may use)."""

    def register(fn: Callable[[Facts, P], Iterator[Hit]]) -> Callable[[Facts, P], Iterator[Hit]]:
        if name in REGISTRY:
            raise RuntimeError(f"check kind {name} registered twice")
        REGISTRY[name] = CheckKind(
            name,
            params,
            cast(CheckFn, fn),  # the engine calls it with an instance of `params`
            (fn.__doc__ or "").strip(),
            measures=dict(measures or {}),
        )
        return fn

    return register


def item_subject(key: str) -> Subject:
    return Subject._fresh({"kind": "item", "id": key})


def team_subject(name: str) -> Subject:
    return Subject._fresh({"kind": "team", "id": name})


def service_subject(name: str) -> Subject:
    return Subject._fresh({"kind": "service", "id": name})


def person_subject(name: str) -> Subject:
    return Subject._fresh({"kind": "person", "id": name})


T = TypeVar("T")


def once_per_run(facts: Facts, name: str, build: Callable[[Facts], T]) -> T:
    """What several rules read of the same facts (open items by kind, ...), built by the first
    rule that asks and kept with the facts of this run: a rule over a group of items reads its
    group, not every item of the plan again."""
    kept = facts.__dict__.setdefault("_per_run", {})
    if name not in kept:
        kept[name] = build(facts)
    return cast(T, kept[name])


def open_items_with_kind(facts: Facts) -> list[tuple[Item, str]]:
    """Every open item, in plan order, with the value of its kind (`migration`)."""
    return once_per_run(facts, "open_items_with_kind", _open_items_with_kind)


def _open_items_with_kind(facts: Facts) -> list[tuple[Item, str]]:
    kinds, value = facts.kinds, {kind: kind.value for kind in ItemKind}  # .value once per kind
    return [(item, value[kinds[item.key]]) for item in facts.plan.items if not item.done]


def open_items_of_kinds(facts: Facts, kinds: set[str]) -> Iterator[tuple[Item, str]]:
    """The open items of these kinds (values, `migration`), in plan order, with their kind: a
    rule over one kind reads that kind's items, not every open item of the plan."""
    if len(kinds) == 1:
        (kind,) = kinds
        return ((item, kind) for item in _open_items_by_kind(facts).get(kind, []))
    return ((item, kind) for item, kind in open_items_with_kind(facts) if kind in kinds)


def _open_items_by_kind(facts: Facts) -> dict[str, list[Item]]:
    """Open items per kind value, in plan order; built once per run."""

    def build(facts: Facts) -> dict[str, list[Item]]:
        grouped: dict[str, list[Item]] = {}
        for item, kind in open_items_with_kind(facts):
            grouped.setdefault(kind, []).append(item)
        return grouped

    return once_per_run(facts, "open_items_by_kind", build)
