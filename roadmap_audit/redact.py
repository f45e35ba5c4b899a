"""--redact-people: every person's name becomes a stable pseudonym, in every format.

The pseudonym comes from a hash of the name, so the same person gets the same
pseudonym in every run and every report, and nothing else about them is kept.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from .model import Plan


def pseudonym(name: str) -> str:
    digest = hashlib.sha256(name.strip().casefold().encode()).hexdigest()
    return f"Person-{digest[:5].upper()}"


def _people(plan: Plan) -> set[str]:
    names = {i.owner for i in plan.items if i.owner}
    names |= {e for s in plan.services for e in s.experts}
    names |= {r for inc in plan.incidents for r in inc.responders}
    return {n for n in names if n.strip()}


def redact_plan(plan: Plan) -> Plan:
    """A copy of the plan with names replaced wherever they appear, in fields and in text."""
    names = _people(plan)
    if not names:
        return plan
    mapping = {n: pseudonym(n) for n in names}
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))

    def scrub(value: Any) -> Any:
        if isinstance(value, str):
            return mapping.get(value, pattern.sub(lambda m: mapping[m.group(0)], value))
        if isinstance(value, list):
            return [scrub(v) for v in value]
        if isinstance(value, tuple):
            return tuple(scrub(v) for v in value)
        if isinstance(value, dict):
            return {k: scrub(v) for k, v in value.items()}
        return value

    def copy(obj: Any) -> Any:
        fields = {k: scrub(getattr(obj, k)) for k in type(obj).model_fields
                  if k not in ("ref", "columns", "key", "kind_raw")}
        return obj.model_copy(update=fields)

    return plan.model_copy(update={
        "items": [copy(i) for i in plan.items],
        "services": [copy(s) for s in plan.services],
        "incidents": [copy(i) for i in plan.incidents],
        "actions": [copy(a) for a in plan.actions],
        "issues": [i.model_copy(update={"problem": scrub(i.problem)}) for i in plan.issues],
    })
