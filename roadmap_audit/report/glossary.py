"""The terms the reports use, each explained in one plain sentence.

The HTML report puts them in <abbr title> where a term first appears and in a "Terms used" list;
the Markdown report lists them after the pre-read. Only the terms a report actually uses are listed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..model import Audit, Finding


@dataclass(frozen=True)
class Term:
    term: str
    meaning: str
    pattern: re.Pattern


def _t(term: str, meaning: str, pattern: str) -> Term:
    return Term(term, meaning, re.compile(pattern, re.IGNORECASE))


TERMS: tuple[Term, ...] = (
    _t(
        "engineer-week",
        "One engineer working for one week. Capacity, plans and estimates are all counted in "
        "engineer-weeks (eng-weeks).",
        r"engineer-weeks?|eng-weeks",
    ),
    _t(
        "load",
        "A team's planned engineer-weeks divided by its capacity for planned work; above 100 % the plan "
        "does not fit.",
        r"\bload\b",
    ),
    _t(
        "ops admitted / observed",
        "The share of team time operations take (on-call, pages, toil, incidents): "
        "admitted is what the staffing model sets aside, observed is what the pages, "
        "toil and incidents on record took.",
        r"\bops (?:admitted|observed)\b",
    ),
    _t(
        "KTLO",
        "Keep the lights on: the work that keeps existing systems running (upgrades, patches, defects, "
        "certificates), as opposed to new features.",
        r"\bKTLO\b",
    ),
    _t(
        "toil",
        "Manual, repetitive operational work that grows with the service and leaves nothing lasting "
        "behind (Google SRE book, 'Eliminating Toil').",
        r"\btoil\b",
    ),
    _t(
        "tier",
        "How critical a service is to the business; tier 1 is the most critical.",
        r"\btier\b",
    ),
    _t(
        "SLO",
        "Service level objective: the reliability a service promises, such as 99.9 % of requests served "
        "well over 30 days.",
        r"\bSLOs?\b",
    ),
    _t(
        "error budget",
        "The unreliability an SLO allows (100 % minus the target, e.g. 43 minutes a month at "
        "99.9 %); an error-budget policy says what stops when it is spent.",
        r"error[- ]budget",
    ),
    _t(
        "P50 / P85",
        "The date by which half (P50) or 85 % (P85) of the simulated quarters have finished the "
        "work: P50 is a coin toss, P85 a date to promise.",
        r"\bP(?:50|85)\b",
    ),
)
MEANING = {t.term: t.meaning for t in TERMS}
_KTLO = re.compile(r"\bKTLO\b(?![^<>]*>)")  # not inside a tag


def report_terms(audit: Audit) -> list[Term]:
    """The terms this report uses: the capacity and forecast tables' own, and those in its findings' texts."""
    texts: list[str] = []  # the tables' own words first
    if audit.teams:
        texts.append("engineer-weeks load ops admitted")
    if audit.forecast is not None and audit.forecast.teams:
        texts.append("P50")
    # A rule words each of its findings alike: the texts of its first finding hold most of the
    # terms its others use, so only the terms not found there are looked for in every text.
    first: dict[str, Finding] = {}
    for f in audit.findings:
        if f.rule not in first:
            first[f.rule] = f
    used = _used(TERMS, [*texts, *_texts(first.values())])
    if len(used) < len(TERMS):
        rest = tuple(t for t in TERMS if t not in used)
        used += _used(rest, texts + list(dict.fromkeys(_texts(audit.findings))))
    return [t for t in TERMS if t in used]


def _texts(findings: Iterable[Finding]) -> Iterator[str]:
    return (text for f in findings for text in (f.title, f.message, f.why, f.fix))


def _used(terms: tuple[Term, ...], texts: list[str]) -> list[Term]:
    """The terms that occur in the texts (each text read once by each term's pattern)."""
    blob = "\n".join(texts)
    return [t for t in terms if t.pattern.search(blob)]


def abbr_ktlo(html: str) -> str:
    """Escaped HTML in which KTLO carries its meaning as a tooltip (the acronym no reader can guess)."""
    from markupsafe import escape

    return _KTLO.sub(f'<abbr title="{escape(MEANING["KTLO"])}">KTLO</abbr>', html)
