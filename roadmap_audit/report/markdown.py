"""The Markdown report, to paste into a wiki (GitHub, GitLab, Confluence's Markdown macro).

All input text is escaped: a plan's text can never become markup, a link or HTML.
Only the characters that could start markup are escaped, so the text stays readable.
"""

from __future__ import annotations

import re

from ..model import Audit
from .forecast_view import finish_text, team_finish
from .templating import environment
from .view import strip_controls
from .view_model import build_report_view, template_names

_INLINE = re.compile(r"([\\`*_{}\[\]|~])")
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])")
_ICON = {"critical": "🔴", "high": "🟠", "medium": "🟡", "low": "🔵", "info": "⚪"}


def esc(text: object) -> str:
    """Markdown- and HTML-safe inline text."""
    s = " ".join(str(text).split())
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _INLINE.sub(r"\\\1", s)
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), s)


def code(text: object) -> str:
    """Inline code that no backtick in the text can break out of."""
    s = " ".join(str(text).split()).replace("`", "'")
    return f"`{s}`"


def render_markdown(audit: Audit) -> str:
    env = environment(autoescape=False)
    env.filters.update(esc=esc, code=code)
    env.globals.update(
        icon=_ICON, untagged=lambda rule: "", team_finish=team_finish, finish_text=finish_text
    )
    text = env.get_template("report.md.j2").render(
        build_report_view(audit).context(template_names(env, "report.md.j2"))
    )
    return strip_controls(text)  # markdown is often read in a terminal
