"""The HTML report's repeated parts, written in Python rather than by template macros.

At org scale a page repeats a few shapes tens of thousands of times (a finding's line on every
team page it involves, a team's item rows); a jinja2 macro call per repeat costs more than the
rest of the page. These return the same markup the template would, each value escaped once;
a finding's line is made once per report and reused on every team page that lists it.
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape

from .view_model import FindingView


def pill(severity: str) -> str:
    sev = escape(severity)
    return f'<span class="pill {sev}">{sev}</span>'


class HtmlParts:
    """One report's repeated parts; a finding's team-page line is made once per report."""

    def __init__(self, linkify) -> None:
        self._linkify = linkify
        self._team_lines: dict[int, Markup] = {}

    def team_finding(self, fv: FindingView) -> Markup:
        """A finding's line on a team page: a link to it in the findings list, or, when the list
        does not show it, its message."""
        cached = self._team_lines.get(fv.order)
        if cached is not None:
            return cached
        f = fv.f
        title = escape(f.title)
        head = f'<a href="#{escape(fv.anchor)}">{title}</a>' if fv.shown else title
        line = (
            f'<li>{pill(f.severity)} <span class="rule">{escape(f.rule)}</span> {head}'
            f' <span class="muted small">{escape(f.subject.kind)} {escape(f.subject.id)}</span>'
        )
        if not fv.shown:
            line += f'<br><span class="small">{self._linkify(f.message)}</span>'
        self._team_lines[fv.order] = made = Markup(line + "</li>")
        return made

    def team_findings(self, findings: Iterable[FindingView]) -> Markup:
        """The lines of a team page's list, one string (the template puts it at a line's start)."""
        return Markup("".join([self.team_finding(fv) for fv in findings]))
