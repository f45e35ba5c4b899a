"""What a check kind is: a named function over Facts, with a strict parameter schema.

A rule file names a check kind and sets its parameters; the engine binds them.
Checks return `Hit`s (a subject, a message, evidence); the engine stamps rule id,
severity, why and fix into immutable Findings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from ..model import Evidence, Subject

if TYPE_CHECKING:
    from ..analyze.facts import Facts


class Params(BaseModel):
    """Base of every check kind's parameters: unknown keys are an error, and so is a
    number that is not finite (nan, inf, -inf): no threshold compares sensibly with one."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True, allow_inf_nan=False)


@dataclass(frozen=True)
class Hit:
    subject: Subject
    message: str
    evidence: tuple[Evidence, ...] = ()
    teams: tuple[str, ...] = ()
    severity: str | None = None  # an escalation the rule's parameters allow
    impact: float = 1.0
    likelihood: float = 1.0
    fix: str | None = None  # a concrete fix for this subject, on top of the rule's


CheckFn = Callable[["Facts", Params], Iterator[Hit]]


@dataclass(frozen=True)
class CheckKind:
    name: str
    params: type[Params]
    run: CheckFn
    doc: str = ""
    uses: tuple[str, ...] = field(default=())


REGISTRY: dict[str, CheckKind] = {}


def check(name: str, params: type[Params]) -> Callable[[CheckFn], CheckFn]:
    """Register a check kind under the name rule files use."""

    def register(fn: CheckFn) -> CheckFn:
        if name in REGISTRY:
            raise RuntimeError(f"check kind {name} registered twice")
        REGISTRY[name] = CheckKind(name, params, fn, (fn.__doc__ or "").strip())
        return fn

    return register


def item_subject(key: str) -> Subject:
    return Subject.made(kind="item", id=key)


def team_subject(name: str) -> Subject:
    return Subject.made(kind="team", id=name)
