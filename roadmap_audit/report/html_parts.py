"""The HTML report's repeated parts, written in Python rather than by template macros.

At org scale a page repeats a few shapes tens of thousands of times (a finding's line on every
team page it involves, a team's item rows); a jinja2 macro call per repeat costs more than the
rest of the page. These return the same markup the template would, each value escaped once;
a finding's line is made once per report and reused on every team page that lists it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from markupsafe import Markup, escape

from ..model import CommittedDelivery, Evidence, ItemSummary
from .actions import Action
from .view import HeatCell, day, family_name, first_sentence, in_sentence, pct, weeks
from .view_model import FindingView, Step

_OPS_ROW = (
    '<tr class="sub"><td colspan="4">Operations: three measures of the same time, the largest counts'
    " (pages and toil fall inside the on-call shift)</td></tr>"
)


def _truncate(text: str, length: int = 120, leeway: int = 5) -> str:
    """jinja2's `truncate(120, true)`: cut to `length` with "..." when longer than length + leeway."""
    return text if len(text) <= length + leeway else text[: length - 3] + "..."


def html(text: object) -> str:
    """`text` as the template's {{ text }} writes it (markupsafe's escape), as a plain string: the
    rows below make tens of thousands, and a Markup apiece costs more than the escaping."""
    if type(text) is not str:
        return str(escape(text))
    return (
        text.replace("&", "&amp;")
        .replace(">", "&gt;")
        .replace("<", "&lt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


def pill(severity: str) -> str:
    sev = html(severity)
    return f'<span class="pill {sev}">{sev}</span>'


class HtmlParts:
    """One report's repeated parts; a finding's team-page line is made once per report."""

    def __init__(self, linkify, gloss=None) -> None:
        self._linkify = linkify
        self._gloss = gloss or linkify
        self._linked: dict[str, Markup] = {}  # a rule's why and fix, an action's text: linked once
        self._team_lines: dict[int, str] = {}
        self._pills: dict[str, str] = {}
        self._days: dict[dt.date | None, str] = {}
        self._escaped: dict[Any, str] = {}

    def team_finding(self, fv: FindingView) -> Markup:
        """A finding's line on a team page: a link to it in the findings list, or, when the list
        does not show it, its message."""
        return Markup(self._team_line(fv))

    def _team_line(self, fv: FindingView) -> str:
        cached = self._team_lines.get(fv.order)
        if cached is not None:
            return cached
        esc = self._esc
        f = fv.f
        subject = f.subject
        title = esc(f.title)
        head = f'<a href="#{html(fv.anchor)}">{title}</a>' if fv.shown else title
        line = (
            f'<li>{self._pill(f.severity)} <span class="rule">{esc(f.rule)}</span> {head}'
            f' <span class="muted small">{esc(subject.kind)} {html(subject.id)}</span>'
        )
        if not fv.shown:
            line += f'<br><span class="small">{self._linkify(f.message)}</span>'
        self._team_lines[fv.order] = made = line + "</li>"
        return made

    def team_findings(self, findings: Iterable[FindingView]) -> Markup:
        """The lines of a team page's list, one string (the template puts it at a line's start)."""
        line = self._team_line
        return Markup("".join([line(fv) for fv in findings]))

    def _pill(self, severity: str) -> str:
        """`pill(severity)`, kept for the next time."""
        made = self._pills.get(severity)
        if made is None:
            made = self._pills[severity] = pill(severity)
        return made

    # -- table rows repeated thousands of times at org scale: one string per table, each value
    # escaped once (a team's or family's name, a kind, a date: escaped once per report)

    def _esc(self, value: object) -> str:
        """`value` escaped as the template's {{ value }} writes it, kept for the next time."""
        made = self._escaped.get(value)
        if made is None:
            made = self._escaped[value] = html(value)
        return made

    def _day(self, due: dt.date | None) -> str:
        """A due date as the template's {{ due | day if due else "—" }} writes it, once per date."""
        made = self._days.get(due)
        if made is None:
            made = self._days[due] = html(day(due) if due else "—")
        return made

    def heat_cells(self, name: str, families: list[str], cells: dict[str, HeatCell]) -> Markup:
        """A heat-map row's cells, one line each."""
        esc = self._esc
        team = html(name)
        out = []
        for fam in families:
            cell = cells[fam]
            if cell.severity:
                sev, fam_e = esc(cell.severity), esc(fam)
                out.append(
                    f'  <td class="cell {sev}"><a href="#findings" data-show-team="{team}"'
                    f' data-show-family="{fam_e}" title="{cell.count} {esc(family_name(fam))}'
                    f' finding(s) for {team}">{cell.count} · {sev}</a></td>\n'
                )
            else:
                out.append('  <td class="cell clean"><span aria-label="clean">✓</span></td>\n')
        return Markup("".join(out))

    def cross_rows(self, cross: Iterable[tuple[str, str, str, str]]) -> Markup:
        """The cross-team dependencies' rows: item, its team, what it waits for, that team."""
        esc = self._esc
        return Markup(
            "".join(
                [
                    f"<tr><td><b>{html(a)}</b></td><td>{esc(ta)}</td>"
                    f"<td><b>{html(b)}</b></td><td>{esc(tb)}</td></tr>"
                    for a, ta, b, tb in cross
                ]
            )
        )

    def waterfall(self, steps: list[Step]) -> Markup:
        """The capacity breakdown's rows, a line each."""
        esc = self._esc
        out = []
        for n, s in enumerate(steps):
            if s.kind == "ops" and (n == 0 or steps[n - 1].kind != "ops"):
                out.append(_OPS_ROW)
            d = s.d
            if s.kind == "minus":
                w = f"−{weeks(abs(d.weeks))}" if d.weeks else "0.0"
            else:
                w = weeks(d.weeks)
            kind = esc(s.kind)
            out.append(
                f'  <tr class="{kind}"><td class="lbl">{esc(d.label)}</td><td class="num w">{w}'
                f'</td><td class="trk"><div class="track"><span class="{kind}"'
                f' style="left:{s.left}%;width:{s.width}%"></span></div></td>'
                f'<td class="basis">{esc(d.basis)}</td></tr>\n'
            )
        return Markup("".join(out))

    def committed_rows(self, committed: Iterable[CommittedDelivery]) -> Markup:
        """A team page's committed items: chance on time, due date, what each waits on."""
        out = []
        for c in committed:
            p = c.p_on_time
            over = "load over" if p is not None and p < 0.5 else ""
            row = (
                f'<tr><td data-label="committed" class="nowrap"><b>{html(c.key)}</b></td>'
                f'<td data-label="chance on time" class="num"><span class="{over}">{pct(p)}</span>'
                f'</td><td data-label="due" class="nowrap muted">{self._day(c.due)}'
                f'</td><td data-label="waits on">{html(", ".join(c.waits_on) or "—")}'
            )
            if c.waits_on_teams:
                row += (
                    f' <span class="muted">(up the chain: {html(" → ".join(c.chain))};'
                    f" {html(', '.join(c.waits_on_teams))})</span>"
                )
            out.append(row + "</td></tr>")
        return Markup("".join(out))

    def item_rows(self, items: Iterable[ItemSummary]) -> Markup:
        """A team page's items: key, title (and the columns no field reads), kind, weeks, due."""
        esc = self._esc
        out = []
        for i in items:
            row = f'<tr><td data-label="key" class="nowrap"><b>{html(i.key)}</b>'
            if i.committed:
                row += " ◆"
            row += f'</td><td data-label="title">{html(i.title)}'
            if i.done:
                row += ' <span class="tag">done</span>'
            if i.extra:
                row += self._extra(i.extra)
            out.append(
                f'{row}</td><td data-label="kind" class="muted">{esc(i.kind)}</td>'
                f'<td data-label="weeks" class="num">{weeks(i.estimate_weeks)}</td>'
                f'<td data-label="due" class="nowrap muted">{self._day(i.due)}'
                "</td></tr>"
            )
        return Markup("".join(out))

    def _extra(self, extra: dict[str, str]) -> str:
        """An item's columns no field reads: the first 8, each value cut at 120 characters."""
        shown = list(extra.items())[:8]
        last = len(extra)
        parts = []
        for n, (k, v) in enumerate(shown, 1):
            parts.append(f'<span class="nowrap">{html(k)}:</span> {html(_truncate(v))}')
            if n != last and n < 8:
                parts.append("; ")
        more = f" (and {last - 8} more columns; the JSON report has all)" if last > 8 else ""
        return f'<div class="small muted extra">{"".join(parts)}{more}</div>'

    def _link(self, text: str) -> Markup:
        """`text | linkify`, kept for the next time: a rule's why and fix repeat on each finding."""
        made = self._linked.get(text)
        if made is None:
            made = self._linked[text] = self._linkify(text)
        return made

    def finding_list(self, findings: Iterable[FindingView]) -> Markup:
        """The findings list: each finding unfoldable, with its evidence, why and fix."""
        return Markup("".join([self._finding(fv) for fv in findings]))

    def _finding(self, fv: FindingView) -> str:
        esc = self._esc
        f = fv.f
        sev, rule, teams, subject = esc(f.severity), esc(f.rule), f.teams, f.subject
        team = html(teams[0]) if teams else ""
        where = f"{esc(subject.kind)} {html(subject.id)}"
        if teams and subject.id not in teams:
            where += f" · {html(', '.join(teams))}"
        owner = f'<span class="owner">owner: {esc(f.owner_unit)}</span>' if f.owner_unit else ""
        if fv.detailed:
            why = f"{self._link(f.why)}</dd>\n<dt>Fix</dt><dd>{self._link(f.fix)}"
        else:
            why = (
                f'{esc(fv.why_line)} <span class="faint small">(`roadmap-audit rules explain {rule}`'
                f" has the whole reasoning)</span></dd>\n<dt>Fix</dt><dd>{esc(first_sentence(f.fix))}"
            )
        return (
            f'<details class="finding {sev}" id="{html(fv.anchor)}" data-severity="{sev}"'
            f' data-rule="{rule}" data-family="{esc(fv.family)}" data-teams="{esc("|".join(teams))}"'
            f' data-team="{team}" data-subject="{html(subject.id)}" data-order="{fv.order}"'
            f'{" open" if fv.open else ""}>\n<summary>{self._pill(f.severity)} <span class="rule">{rule}'
            f'</span> <strong>{esc(f.title)}</strong> <span class="where">{where}</span>{owner}'
            f'</summary>\n<div class="body">\n<p class="msg">{self._gloss(f.message)}</p>\n<dl>\n'
            f"<dt>Evidence</dt><dd>{self._evidence(f.evidence)}</dd>\n<dt>Why it matters</dt>"
            f"<dd>{why}</dd>\n</dl>\n</div>\n</details>\n"
        )

    def _evidence(self, evidence: tuple[Evidence, ...]) -> str:
        if not evidence:
            return '<span class="muted">the plan as a whole</span>'
        esc = self._esc
        out = ['<ul class="evidence">']
        source = None
        for n, e in enumerate(evidence):
            line = f'<li><span class="loc">{html(e.location)}</span>'
            if e.note:
                line += f" {self._link(e.note)}"
            if n == 0 or e.source != source:
                line += f' <span class="faint small">in {esc(e.source)}</span>'
            source = e.source
            out.append(line + "</li>")
        out.append("</ul>")
        return "".join(out)

    def team_actions(self, actions: Iterable[Action]) -> Markup:
        """What a team should change, a line per action: what it closes and its effect on load."""
        esc = self._esc
        out = []
        for a in actions:
            closes = "; ".join(
                f"{esc(in_sentence(title))} on {html(', '.join(r.subject for r in rows))}"
                f' <span class="rule">{esc(rule)}</span>'
                for title, rule, rows in a.by_title
            )
            if a.load_before is not None:
                closes += f"; load {pct(a.load_before)} → {pct(a.load_after)}"
            out.append(
                f"<li>{self._pill(a.severity)} {self._link(a.text)}"
                f' <span class="muted small">— closes {closes}</span></li>'
            )
        return Markup("".join(out))
