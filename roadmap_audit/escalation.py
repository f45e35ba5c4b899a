"""One escalation mechanism for every rule: the [escalate] table of a rule file.

    [escalate]
    to = "critical"
    source = "convention of this project: ..."
    when = ["committed"]            # a measured yes/no fact is true
    at_most = { tier = 1 }          # a measured number is at or below its bound
    at_least = { stack_size = 3 }   # at or above it
    below = { chance = 0.3 }        # strictly below it
    above = { ops_share = 0.5 }     # strictly above it

A finding takes the severity `to` when any condition holds. A check measures the facts on
each subject (`Hit.measured`) under the names its kind declares (`check(..., measures=)`);
the engine decides. A condition naming a fact the check does not measure, or a yes/no fact
given a bound, is an error naming the rule file and the key.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .checks.base import Fact, Hit, Measured
from .errors import did_you_mean
from .model import Severity

# condition key -> (how the measured number compares with its bound, in words)
BOUNDS: dict[str, tuple[Callable[[Any, Any], bool], str]] = {
    "at_most": (operator.le, "at or below"),
    "at_least": (operator.ge, "at or above"),
    "below": (operator.lt, "below"),
    "above": (operator.gt, "above"),
}


class Escalation(BaseModel):
    """[escalate]: the severity a finding takes when any of the conditions holds."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    to: Severity
    source: str = Field(min_length=3)
    when: list[str] = Field(default_factory=list)
    at_most: dict[str, int | float] = Field(default_factory=dict)
    at_least: dict[str, int | float] = Field(default_factory=dict)
    below: dict[str, int | float] = Field(default_factory=dict)
    above: dict[str, int | float] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _some_condition(self) -> Escalation:
        if not any(self.conditions()):
            raise ValueError(
                "names no condition: give `when` (yes/no facts) or a bound "
                "(at_most, at_least, below, above)"
            )
        return self

    def conditions(self) -> Iterator[tuple[str, str, int | float | None]]:
        """(condition key, fact, bound) of every condition; a `when` fact has no bound."""
        for fact in self.when:
            yield "when", fact, None
        for key in BOUNDS:
            for fact, bound in getattr(self, key).items():
                yield key, fact, bound

    def holds(self, fact: str, measured: Measured) -> bool:
        """Whether a condition on this fact holds for the measured value (None never does)."""
        if measured is None:
            return False
        if isinstance(measured, bool):
            return measured and fact in self.when
        return any(
            compare(measured, getattr(self, key)[fact])
            for key, (compare, _) in BOUNDS.items()
            if fact in getattr(self, key)
        )

    def described(self) -> str:
        """The conditions in words, for `rules explain`: 'committed, or tier at or below 1'."""
        parts = [
            fact if key == "when" else f"{fact} {BOUNDS[key][1]} {bound:g}"
            for key, fact, bound in self.conditions()
            if bound is not None or key == "when"
        ]
        return ", or ".join(parts)


def fact_error(escalation: Escalation, measures: Mapping[str, Fact]) -> tuple[str, str] | None:
    """(key, what is wrong) for the first condition the check kind cannot decide, else None."""
    known = sorted(measures)
    for key, fact, bound in escalation.conditions():
        where = "escalate.when" if key == "when" else f"escalate.{key}.{fact}"
        spec = measures.get(fact)
        if spec is None:
            near = did_you_mean(fact, known, "the facts it measures")
            return where, f"'{fact}' is not a fact the check measures ({near})"
        if key == "when" and spec.kind != "flag":
            return where, f"'{fact}' is a number; give it a bound (at_most, at_least, below, above)"
        if key != "when" and spec.kind != "number":
            return where, f"'{fact}' is yes or no; name it in escalate.when"
        if bound is not None and spec.min_bound is not None and bound < spec.min_bound:
            return where, f"{bound:g} is below {spec.min_bound:g}, the least {fact} can be"
    return None


def escalated(escalation: Escalation | None, hit: Hit) -> tuple[str | None, str | None]:
    """(the severity the rule's [escalate] gives this hit, the note its message gains), or
    (None, None) when no condition holds."""
    if escalation is None:
        return None, None
    firing = [fact for fact, value in hit.measured.items() if escalation.holds(fact, value)]
    if not firing:
        return None, None
    note = next((text for fact, text in hit.notes.items() if fact in firing and text), None)
    return escalation.to, note
