"""--redact-people: every person's name becomes a stable pseudonym, in every format.

People are the item owners, the service experts, the incident responders, and
the values of any extra column whose header names a person (Reporter, Creator,
Manager, Tech lead, Backup owner, Stakeholder ...). Each name becomes `Person-`
and a hash of the name, so the same person gets the same pseudonym in every run
and every report. Names are also replaced wherever they appear inside other text
(titles, labels, descriptions, notes, org unit and team names, sheet names), as
whole words, in any case and however they are spaced; so is a first name or a
surname alone ("with Zbigniew", `wilhelmina-review`), and so are Jira mentions
(`[~user]`, which the Jira JSON reader also writes for a mention in a v3
description) and e-mail addresses, whoever they name. A first name or surname
that is also a word ("Will", "Rose") is replaced too: the flag hides people first.

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
from dataclasses import dataclass, field
from typing import Any

from .load.words import normalize_name, parse_list
from .model import Item, Plan, Service, Team

# Extra-column headers (normalized) whose values are people.
PERSON_HEADERS = frozenset(
    normalize_name(h)
    for h in (
        "reporter",
        "creator",
        "assignee",
        "owner",
        "manager",
        "engineering manager",
        "em",
        "product manager",
        "pm",
        "lead",
        "tech lead",
        "team lead",
        "watcher",
        "watchers",
        "responder",
        "responders",
        "expert",
        "experts",
        "author",
        "approver",
        "approvers",
        "reviewer",
        "reviewers",
        "contact",
        "dri",
        "person",
        "people",
        "on call",
        "oncall engineer",
        "incident commander",
        "sme",
        "backup owner",
        "stakeholder",
        "stakeholders",
        "sponsor",
        "requester",
        "requestor",
        "accountable",
        "responsible",
        "consulted",
        "informed",
        "delegate",
    )
)
# A header with one of these words names people ("Backup owner", "Executive sponsor", "QA lead") unless it
# also names a thing a person is not ("Owner team", "Service owner group").
_PERSON_WORDS = frozenset(
    {
        "owner",
        "owners",
        "lead",
        "manager",
        "stakeholder",
        "stakeholders",
        "sponsor",
        "reviewer",
        "reviewers",
        "approver",
        "approvers",
        "assignee",
        "reporter",
        "contact",
        "backup",
        "person",
        "people",
        "champion",
        "requester",
        "requestor",
        "engineer",
        "director",
        "deputy",
        "escalation",
        "oncall",
    }
)
_THING_WORDS = frozenset(
    {
        "team",
        "teams",
        "service",
        "services",
        "unit",
        "org",
        "group",
        "squad",
        "tribe",
        "department",
        "id",
        "key",
        "count",
        "date",
        "email",
        "e-mail",
    }
)
_JIRA_CUSTOM = "customfield"
# Fields that name teams, services, keys and units: never rewritten, so references still match.
# Team, unit and parent names are rewritten: the same name gets the same pseudonym everywhere, so
# references between them still match ("VP Zbigniew Kowalski" is a unit and a parent).
_IDENTIFIERS = frozenset(
    {
        "ref",
        "columns",
        "key",
        "kind_raw",
        "depends_on",
        "services",
        "links",
        "service",
        "id",
        "scheduled_as",
    }
)
_DIGEST_START = 6


KEY_VARIABLE = "ROADMAP_AUDIT_REDACT_KEY"


def pseudonym(name: str, length: int = _DIGEST_START, key: str | None = None) -> str:
    """`Person-` and the start of a hash of the name: SHA-256, or HMAC-SHA256 with `key`."""
    data = " ".join(name.split()).casefold().encode()
    digest = (
        hmac.new(key.encode(), data, hashlib.sha256) if key else hashlib.sha256(data)
    ).hexdigest()
    return f"Person-{digest[:length].upper()}"


def key_from_environment() -> str | None:
    """The secret key for pseudonyms, if the user set one (an empty value is none)."""
    return os.environ.get(KEY_VARIABLE) or None


def _is_person_header(header: str) -> bool:
    key = normalize_name(header)
    if key.startswith(_JIRA_CUSTOM):
        key = key[len(_JIRA_CUSTOM) :]
    if key in PERSON_HEADERS:
        return True
    words = set(re.findall(r"[a-z-]+", header.casefold()))
    return bool(words & _PERSON_WORDS) and not words & _THING_WORDS


def _names_in(value: str) -> list[str]:
    try:
        names = parse_list(value)
    except Exception:  # a cell that is not a list is one name
        names = [value]
    return [n for n in (x.strip() for x in names) if n and any(c.isalpha() for c in n)]


def names_in_columns(ws: Any, header_rows: int = 10) -> set[str]:
    """The names in the person columns of an openpyxl worksheet: its header is the first row (of the
    first `header_rows`) with two or more text cells; a column is a person column by its header."""
    cells = list(ws._cells.values())  # the cells there are (iter_rows would make every empty one)
    texts: dict[int, dict[int, str]] = {}
    for cell in cells:
        if cell.row <= header_rows and isinstance(cell.value, str) and cell.value.strip():
            texts.setdefault(cell.row, {})[cell.column] = cell.value
    header_at = min((r for r, row in texts.items() if len(row) >= 2), default=0)
    columns = {c for c, h in texts.get(header_at, {}).items() if _is_person_header(h)}
    found: set[str] = set()
    for cell in cells if columns else ():
        if cell.row > header_at and cell.column in columns and isinstance(cell.value, str):
            found.update(_names_in(cell.value))
    return {" ".join(n.split()) for n in found}


def people(plan: Plan) -> set[str]:
    """Every person the plan names."""
    names = {i.owner for i in plan.items if i.owner}
    names |= {
        n for i in plan.items if i.owner for n in _names_in(i.owner)
    }  # "Ann, Bob" names two people
    names |= {e for s in plan.services for e in s.experts}
    names |= {r for inc in plan.incidents for r in inc.responders}
    rows: list[Item | Team | Service] = [*plan.items, *plan.teams, *plan.services]
    for row in rows:
        for header, value in row.extra.items():
            if _is_person_header(header):
                names.update(_names_in(value))
    return {" ".join(n.split()) for n in names if n and n.strip()}


_MENTION = re.compile(r"\[~(?:accountid:)?([^\]\n]{1,200})\]")
_EMAIL = re.compile(r"(?<![\w.+-])(?:mailto:)?[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+")
# Name parts too short or too common in names to stand for one person alone.
_NOT_A_PART = frozenset(
    {
        "the",
        "and",
        "van",
        "von",
        "der",
        "den",
        "del",
        "della",
        "das",
        "dos",
        "les",
        "jr",
        "sr",
        "mr",
        "mrs",
        "ms",
        "dr",
    }
)


def _parts(name: str) -> list[str]:
    return [
        p
        for p in re.split(r"[\s.,'’-]+", name)
        if len(p) >= 3 and p.isalpha() and p not in _NOT_A_PART
    ]


@dataclass(frozen=True)
class Redactor:
    """Replaces the names it was built with, in any text, and every mention and e-mail address."""

    mapping: dict[str, str]  # casefolded name -> pseudonym
    pattern: re.Pattern[str] | None
    key: str | None = None
    parts: dict[str, str] = field(
        default_factory=dict
    )  # a first name or surname alone -> pseudonym

    @classmethod
    def for_names(cls, names: set[str], key: str | None = None) -> Redactor:
        folded = sorted({" ".join(n.split()).casefold() for n in names})
        length = _DIGEST_START
        while len({pseudonym(n, length, key) for n in folded}) < len(folded):
            length += 2  # two names share a prefix of their hashes: use longer ones for everyone
        mapping = {n: pseudonym(n, length, key) for n in folded}
        owners: dict[str, set[str]] = {}
        for n in folded:
            for part in _parts(n):
                owners.setdefault(part, set()).add(n)
        # a part two people share stands for neither: it gets its own pseudonym
        parts = {
            part: mapping[next(iter(whose))] if len(whose) == 1 else pseudonym(part, length, key)
            for part, whose in owners.items()
            if part not in mapping
        }
        if not mapping:
            return cls(mapping, None, key)
        # longest first, so a full name wins over its parts; any spacing (two spaces, a non-breaking one)
        alternatives = "|".join(
            r"\s+".join(re.escape(w) for w in n.split())
            for n in sorted([*mapping, *parts], key=len, reverse=True)
        )
        return cls(
            mapping, re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE), key, parts
        )

    def text(self, value: str) -> str:
        if not value:
            return value
        if "@" in value:
            value = _EMAIL.sub(
                lambda m: pseudonym(m.group(0).casefold().removeprefix("mailto:"), key=self.key),
                value,
            )
        if "[~" in value:
            value = _MENTION.sub(lambda m: f"[~{self._one(m.group(1))}]", value)
        if self.pattern is None:
            return value
        exact = self.mapping.get(" ".join(value.split()).casefold())
        if exact:
            return exact
        return self.pattern.sub(lambda m: self._one(m.group(0)), value)

    def _one(self, name: str) -> str:
        """The pseudonym of one name or user id, known or not."""
        folded = " ".join(name.split()).casefold()
        return self.mapping.get(folded) or self.parts.get(folded) or pseudonym(folded, key=self.key)

    def value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, tuple):
            return tuple(self.value(v) for v in value)
        if isinstance(value, dict):  # the keys too: an extra column's header may name its person
            return {
                self.text(k) if isinstance(k, str) else k: self.value(v) for k, v in value.items()
            }
        return value

    def ref(self, ref: Any) -> Any:
        """A source reference whose sheet name is redacted (a sheet may be named after its owner)."""
        if ref is None or not getattr(ref, "sheet", None):
            return ref
        sheet = self.text(ref.sheet)
        return ref if sheet == ref.sheet else ref.model_copy(update={"sheet": sheet})

    def _copy(self, obj: Any) -> Any:
        fields = {
            k: self.value(getattr(obj, k)) for k in type(obj).model_fields if k not in _IDENTIFIERS
        }
        if "ref" in type(obj).model_fields:
            fields["ref"] = self.ref(obj.ref)
        return obj.model_copy(update=fields)

    def plan(self, plan: Plan) -> Plan:
        """A copy of the plan with every name replaced, in fields and in text."""
        return plan.model_copy(
            update={
                "items": [self._copy(i) for i in plan.items],
                "rolled_up": [self._copy(i) for i in plan.rolled_up],
                "teams": [self._copy(t) for t in plan.teams],
                "services": [self._copy(s) for s in plan.services],
                "incidents": [self._copy(i) for i in plan.incidents],
                "actions": [self._copy(a) for a in plan.actions],
                "org": [self._copy(u) for u in plan.org],
                "issues": [
                    i.model_copy(
                        update={
                            "problem": self.text(i.problem),
                            "ref": self.ref(i.ref),
                            "subject_id": self.text(i.subject_id) if i.subject_id else None,
                        }
                    )
                    for i in plan.issues
                ],
            }
        )


def redactor_for(plan: Plan, key: str | None = None) -> Redactor:
    return Redactor.for_names(people(plan), key)


def redact_plan(plan: Plan) -> Plan:
    """A copy of the plan with names replaced wherever they appear, in fields and in text."""
    return redactor_for(plan).plan(plan)
