"""What to change, as actions grouped by the owner who has to act.

Built once from the Audit's findings and recommendations (structured fields only,
never their prose) and presented by every formatter:

- a defer recommendation is one action for its team, with the load and the delivery
  forecast before and after, and it resolves the team's finding of the same rule;
- every critical or high finding needs a change; findings of one rule and one owner
  that rest on the same cell (a person who alone knows three services: the person's
  finding and each service's cite the same experts cell) are one action, and so are
  findings of one rule for one owner whose fix reads the same once the subject's
  name is set aside (three services that must apply their error-budget policy);
- a lower-severity finding joins an action when it shares its cause, never alone.

The owner is the finding's owning org unit when it spans teams, else its team.
Owners are listed by their most serious action, then by name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

from ..model import Audit, Finding, Recommendation
from .view import NO_TEAM, SEVERITY_ORDER, first_sentence, is_over, listed, pct, severity_rank

_new = object.__new__
SERIOUS = ("critical", "high")  # the findings "what to change" must clear (as score.change_advice)


@dataclass(frozen=True)
class Resolved:
    """One finding an action closes: plain words first, the rule id as a tag."""

    rule: str
    severity: str
    title: str
    kind: str  # subject kind: item, service, team, person ...
    subject: str
    index: int  # its position in audit.findings (the HTML anchor is f{index + 1})


@dataclass
class Action:
    owner: str
    kind: str  # "defer" or "change"
    severity: str  # the worst finding it resolves
    text: str  # what to do, one or two sentences
    resolves: list[Resolved] = field(default_factory=list)
    items: list[str] = field(default_factory=list)  # items to defer (defer actions)
    rec: Recommendation | None = None  # the defer recommendation, for its details
    load_before: float | None = None
    load_after: float | None = None
    chance_before: float | None = (
        None  # chance all the team's open work is done by the quarter's end
    )
    chance_after: float | None = None
    p50_before: dt.date | None = None
    p50_after: dt.date | None = None

    @property
    def subjects(self) -> list[str]:
        return list(dict.fromkeys(r.subject for r in self.resolves))

    @property
    def rules(self) -> list[str]:
        return list(dict.fromkeys(r.rule for r in self.resolves))

    @property
    def by_title(self) -> list[tuple[str, str, list[Resolved]]]:
        """What it resolves, one line per kind of problem: (title, rule, the findings)."""
        lines: dict[tuple[str, str], list[Resolved]] = {}
        for r in self.resolves:
            lines.setdefault((r.title, r.rule), []).append(r)
        return [(title, rule, rows) for (title, rule), rows in lines.items()]

    def effect_text(self) -> str:
        """ "load 120% → 93%; done by the quarter's end 7% → 38%", or "" when it changes no figure."""
        parts = []
        if self.load_before is not None:
            parts.append(f"load {pct(self.load_before)} → {pct(self.load_after)}")
        if self.chance_before is not None and self.chance_after is not None:
            parts.append(
                f"done by the quarter's end {pct(self.chance_before)} → {pct(self.chance_after)}"
            )
        return "; ".join(parts)

    def resolves_text(self, tag=lambda rule: f" [{rule}]") -> str:
        """ "Key-person risk: Tomasz K., public-api, rate-limiter [ONC003]" and so on, one per kind."""
        return "; ".join(
            f"{title}: {', '.join(r.subject for r in rows)}{tag(rule)}"
            for title, rule, rows in self.by_title
        )

    @property
    def has_effect(self) -> bool:
        return self.load_before is not None or self.chance_before is not None


@dataclass
class OwnerActions:
    owner: str
    is_team: bool
    actions: list[Action]

    @property
    def severity(self) -> str:
        return min((a.severity for a in self.actions), key=severity_rank)


def owner_of(f: Finding) -> str:
    return f.owner_unit or f.team or (f.teams[0] if f.teams else NO_TEAM)


def _resolved(f: Finding, index: int) -> Resolved:
    """The Resolved line of a finding (a frozen dataclass's own __init__ sets each field through
    object.__setattr__: at tens of thousands of findings, its fields are set at once)."""
    made = _new(Resolved)
    subject = f.subject
    made.__dict__.update(
        rule=f.rule,
        severity=f.severity,
        title=f.title,
        kind=subject.kind,
        subject=subject.id,
        index=index,
    )
    return made


class _Read(NamedTuple):
    """What the actions need of each finding, read in one pass over the findings: its cause (owner,
    rule, fix shape: findings with one cause are one action), its lead key (an action's lead is the
    most serious, a person before the things they hold, then the first), and the findings about
    each team by rule and team (a deferral closes them)."""

    causes: list[tuple[str, str, str]]
    leads: list[tuple[int, bool, int]]
    about_teams: dict[tuple[str | None, str], list[int]]


def _read(findings: list[Finding]) -> _Read:
    rank, unknown = SEVERITY_ORDER.get, len(SEVERITY_ORDER)  # severity_rank, inline
    single: dict[str, str] = {}
    read = _Read([], [], {})
    causes, leads, about_teams = read
    for i, f in enumerate(findings):
        subject, rule = f.subject, f.rule
        kind = subject.kind
        causes.append((owner_of(f), rule, _fix_shape(f.fix, subject.id, single)))
        leads.append((rank(f.severity, unknown), kind != "person", i))
        if kind == "team":
            about_teams.setdefault((rule, subject.id), []).append(i)
    return read


def _fix_shape(fix: str, subject: str, single: dict[str, str]) -> str:
    """The fix with the subject's own name set aside, spaces made single: equal for the same advice
    on another subject. A rule words its fix alike for every subject, so each distinct fix's spaces
    are made single once (kept in `single`); a name with no space in it lies within a word of the
    fix, and is set aside after that."""
    if subject.split() == [subject]:
        spaced = single.get(fix)
        if spaced is None:
            spaced = single[fix] = " ".join(fix.split())
        return spaced.replace(subject, "\0")
    return " ".join(fix.replace(subject, "\0").split())


def _causes(keys: list[tuple[str, str, str]], findings: list[Finding]) -> list[list[int]]:
    """Findings that share a cause, as groups of indexes in the audit's order; `keys` are their
    causes as `_read` reads them. Never across owners (each owner acts on its own) nor rules:
    findings of one owner and rule whose fixes read alike are one cause, and so are those that rest
    on one cell."""
    alike: dict[tuple[str, str, str], list[int]] = {}
    for i, key in enumerate(keys):
        alike.setdefault(key, []).append(i)
    by_owner_rule: dict[tuple[str, str], list[list[int]]] = {}
    for (owner, rule, _), group in alike.items():
        by_owner_rule.setdefault((owner, rule), []).append(group)
    causes: list[list[int]] = []
    for groups in by_owner_rule.values():
        # one fix for the owner's findings of the rule: one cause, whatever cells they rest on
        causes += groups if len(groups) == 1 else _joined_by_cells(findings, groups)
    causes.sort(key=lambda group: group[0])
    return causes


def _joined_by_cells(findings: list[Finding], groups: list[list[int]]) -> list[list[int]]:
    """`groups` (of one owner and rule) joined where their findings cite the same cell (union-find)."""
    parent = list(range(len(groups)))

    def root(g: int) -> int:
        while parent[g] != g:
            parent[g] = parent[parent[g]]
            g = parent[g]
        return g

    first_citing: dict[tuple[str, str], int] = {}
    for g, group in enumerate(groups):
        for i in group:
            for e in findings[i].evidence:
                other = first_citing.setdefault((e.source, e.location), g)
                if other != g:
                    a, b = root(other), root(g)
                    parent[max(a, b)] = min(a, b)
    joined: dict[int, list[int]] = {}
    for g, group in enumerate(groups):
        joined.setdefault(root(g), []).extend(group)
    return [sorted(group) for group in joined.values()]


def _lead_sentences(fix: str) -> str:
    """The fix's first sentence, and the next one too when the first is only a heading ("Either back the
    target or lower it.")."""
    head = first_sentence(fix, 320)
    if len(head) < 60 and not head.endswith("…"):
        rest = " ".join(fix.split())[len(head) :].strip()
        if rest:
            return head + " " + first_sentence(rest, 320)
    return head


def _change_text(lead: Finding, same_fix: bool) -> str:
    """What to do, from the lead finding's fix; for one fix on several subjects (`same_fix`), said
    once for all."""
    if same_fix:
        return _lead_sentences(
            lead.fix.replace(f"For {lead.subject.id}: ", "").replace(lead.subject.id, "each")
        )
    return _lead_sentences(lead.fix)


def _defer_text(r: Recommendation) -> str:
    """Defer these items, and what is left when even that does not bring the team under the line."""
    if not r.items:
        return first_sentence(r.text, 260)
    text = f"Defer {listed(r.items, 8)}"
    if is_over(r.load_after):
        return text + (
            "; still over capacity with every deferrable item out: renegotiate a committed item or "
            "add capacity"
        )
    if r.reaches_target is False:
        return (
            text
            + f"; still above the {pct(r.target_load)} buffer line with every deferrable item out"
        )
    return text


def _defer_actions(
    audit: Audit, claimed: set[int], about_teams: dict[tuple[str | None, str], list[int]]
) -> list[Action]:
    """One action per defer recommendation; it closes its team's finding of the advice's rule
    (`about_teams`: the findings about each team, by rule and team)."""
    findings = audit.findings
    actions = []
    for r in (r for r in audit.recommendations if r.action == "defer"):
        resolves = about_teams.get((r.rule, r.team), [])
        claimed.update(resolves)
        worst = min((findings[i].severity for i in resolves), key=severity_rank, default="high")
        actions.append(
            Action(
                owner=r.team,
                kind="defer",
                severity=worst,
                text=_defer_text(r),
                items=list(r.items),
                rec=r,
                resolves=[_resolved(findings[i], i) for i in resolves],
                load_before=r.load_before,
                load_after=r.load_after if r.items else None,
                chance_before=r.p_by_end_before,
                chance_after=r.p_by_end_after,
                p50_before=r.p50_date_before,
                p50_after=r.p50_date_after,
            )
        )
    return actions


def _same_fix(findings: list[Finding], group: list[int], lead: int, shapes: list[str]) -> bool:
    """One fix on several subjects: the group names another subject than the lead's, and every
    fix reads the same once its subject is set aside (`shapes`)."""
    subject, shape = findings[lead].subject.id, shapes[lead]
    return any(findings[i].subject.id != subject for i in group) and all(
        shapes[i] == shape for i in group
    )


def _change_actions(findings: list[Finding], claimed: set[int], read: _Read) -> list[Action]:
    """One action per cause with a critical or high finding that no deferral closes."""
    keys, lead_key = read.causes, read.leads
    shapes = [shape for _, _, shape in keys]
    serious_rank = severity_rank(SERIOUS[-1])
    actions = []
    for group in _causes(keys, findings):
        if claimed:
            group = [i for i in group if i not in claimed]
        serious = [i for i in group if lead_key[i][0] <= serious_rank]
        if not serious:
            continue
        lead = min(serious, key=lead_key.__getitem__)
        f = findings[lead]
        actions.append(
            Action(
                owner=keys[lead][0],
                kind="change",
                severity=f.severity,
                text=_change_text(f, _same_fix(findings, group, lead, shapes)),
                resolves=[
                    _resolved(findings[i], i) for i in [lead, *[j for j in group if j != lead]]
                ],
            )
        )
    return actions


def build_actions(audit: Audit) -> list[OwnerActions]:
    read = _read(audit.findings)
    claimed: set[int] = set()
    actions = _defer_actions(audit, claimed, read.about_teams)
    actions += _change_actions(audit.findings, claimed, read)
    team_names = {t.team for t in audit.teams}
    owners: dict[str, list[Action]] = {}
    for a in actions:
        owners.setdefault(a.owner, []).append(a)
    out = []
    for owner, acts in owners.items():
        acts.sort(
            key=lambda a: (
                severity_rank(a.severity),
                a.kind != "defer",
                min((r.index for r in a.resolves), default=0),
            )
        )
        out.append(OwnerActions(owner=owner, is_team=owner in team_names, actions=acts))
    out.sort(key=lambda o: (severity_rank(o.severity), -len(o.actions), o.owner))
    return out
