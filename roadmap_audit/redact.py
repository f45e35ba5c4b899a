"""--redact-people: every person's name becomes a stable pseudonym, in every format.

People are the item owners, the service experts, the incident responders, and
the values of any extra column whose header names a person (Reporter, Creator,
Manager, Tech lead ...). Each name becomes `Person-` and a hash of the name, so
the same person gets the same pseudonym in every run and every report. Names are
also replaced wherever they appear inside other text (titles, descriptions,
notes), as whole words and in any case.

A plain hash of a name is a pseudonym, not anonymity: someone who can guess the
names in an organisation can hash them and compare. With a secret key (the
ROADMAP_AUDIT_REDACT_KEY environment variable) the pseudonym is a keyed hash
(HMAC-SHA256): stable for as long as the key stays the same, and not checkable
by anyone who does not hold it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from dataclasses import dataclass
from typing import Any

from .load.values import normalize_name, parse_list
from .model import Plan

# Extra-column headers (normalized) whose values are people.
PERSON_HEADERS = frozenset(normalize_name(h) for h in (
    "reporter", "creator", "assignee", "owner", "manager", "engineering manager", "em", "product manager", "pm",
    "lead", "tech lead", "team lead", "watcher", "watchers", "responder", "responders", "expert", "experts",
    "author", "approver", "approvers", "reviewer", "reviewers", "contact", "dri", "person", "people",
    "on call", "oncall engineer", "incident commander", "sme",
))
_JIRA_CUSTOM = "customfield"
# Fields that name teams, services, keys and units: never rewritten, so references still match.
_IDENTIFIERS = frozenset({"ref", "columns", "key", "kind_raw", "team", "parent", "depends_on", "services",
                          "links", "service", "owner_team", "id", "scheduled_as", "unit"})
_DIGEST_START = 6


KEY_VARIABLE = "ROADMAP_AUDIT_REDACT_KEY"


def pseudonym(name: str, length: int = _DIGEST_START, key: str | None = None) -> str:
    """`Person-` and the start of a hash of the name: SHA-256, or HMAC-SHA256 with `key`."""
    data = " ".join(name.split()).casefold().encode()
    digest = (hmac.new(key.encode(), data, hashlib.sha256) if key else hashlib.sha256(data)).hexdigest()
    return f"Person-{digest[:length].upper()}"


def key_from_environment() -> str | None:
    """The secret key for pseudonyms, if the user set one (an empty value is none)."""
    return os.environ.get(KEY_VARIABLE) or None


def _is_person_header(header: str) -> bool:
    key = normalize_name(header)
    if key.startswith(_JIRA_CUSTOM):
        key = key[len(_JIRA_CUSTOM):]
    return key in PERSON_HEADERS


def _names_in(value: str) -> list[str]:
    try:
        names = parse_list(value)
    except Exception:  # a cell that is not a list is one name
        names = [value]
    return [n for n in (x.strip() for x in names) if n and any(c.isalpha() for c in n)]


def people(plan: Plan) -> set[str]:
    """Every person the plan names."""
    names = {i.owner for i in plan.items if i.owner}
    names |= {n for i in plan.items if i.owner for n in _names_in(i.owner)}  # "Ann, Bob" names two people
    names |= {e for s in plan.services for e in s.experts}
    names |= {r for inc in plan.incidents for r in inc.responders}
    for row in [*plan.items, *plan.teams, *plan.services]:
        for header, value in row.extra.items():
            if _is_person_header(header):
                names.update(_names_in(value))
    return {" ".join(n.split()) for n in names if n and n.strip()}


@dataclass(frozen=True)
class Redactor:
    """Replaces the names it was built with, in any text."""

    mapping: dict[str, str]  # casefolded name -> pseudonym
    pattern: re.Pattern[str] | None

    @classmethod
    def for_names(cls, names: set[str], key: str | None = None) -> Redactor:
        folded = sorted({n.casefold() for n in names})
        length = _DIGEST_START
        while len({pseudonym(n, length, key) for n in folded}) < len(folded):
            length += 2  # two names share a prefix of their hashes: use longer ones for everyone
        mapping = {n: pseudonym(n, length, key) for n in folded}
        if not folded:
            return cls(mapping, None)
        alternatives = "|".join(re.escape(n) for n in sorted(folded, key=len, reverse=True))
        return cls(mapping, re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE))

    def text(self, value: str) -> str:
        if self.pattern is None or not value:
            return value
        exact = self.mapping.get(" ".join(value.split()).casefold())
        if exact:
            return exact
        return self.pattern.sub(lambda m: self.mapping[m.group(0).casefold()], value)

    def value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, tuple):
            return tuple(self.value(v) for v in value)
        if isinstance(value, dict):
            return {k: self.value(v) for k, v in value.items()}
        return value

    def _copy(self, obj: Any) -> Any:
        fields = {k: self.value(getattr(obj, k)) for k in type(obj).model_fields if k not in _IDENTIFIERS}
        return obj.model_copy(update=fields)

    def plan(self, plan: Plan) -> Plan:
        """A copy of the plan with every name replaced, in fields and in text."""
        if self.pattern is None:
            return plan
        return plan.model_copy(update={
            "items": [self._copy(i) for i in plan.items],
            "rolled_up": [self._copy(i) for i in plan.rolled_up],
            "teams": [self._copy(t) for t in plan.teams],
            "services": [self._copy(s) for s in plan.services],
            "incidents": [self._copy(i) for i in plan.incidents],
            "actions": [self._copy(a) for a in plan.actions],
            "issues": [i.model_copy(update={"problem": self.text(i.problem)}) for i in plan.issues],
        })


def redactor_for(plan: Plan, key: str | None = None) -> Redactor:
    return Redactor.for_names(people(plan), key)


def redact_plan(plan: Plan) -> Plan:
    """A copy of the plan with names replaced wherever they appear, in fields and in text."""
    return redactor_for(plan).plan(plan)
