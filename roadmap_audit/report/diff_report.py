"""Formatters of a plan comparison (`roadmap-audit diff`): HTML, JSON, Markdown, text.

Pure views of a `PlanDiff`; every figure comes from it. The HTML is one
self-contained file with the audit report's stylesheet and no script at all.
"""

from __future__ import annotations

import json
import textwrap
from typing import Any

from ..diff import FieldChange, FindingChange, PlanDiff
from ..errors import InputError
from .view import VERDICT_TEXT, strip_controls

FIELD_NAMES = {
    "team": "team",
    "status": "status",
    "start": "start",
    "due": "due",
    "estimate_weeks": "estimate",
    "priority": "priority",
    "committed": "committed",
    "depends_on": "depends on",
}
FORMATS = ("html", "json", "md", "text")


def render_diff(fmt: str, diff: PlanDiff) -> str:
    if fmt == "json":
        return (
            json.dumps(diff.model_dump(mode="json"), indent=2, ensure_ascii=False, allow_nan=False)
            + "\n"
        )
    if fmt == "html":
        return render_diff_html(diff)
    if fmt == "md":
        return render_diff_markdown(diff)
    if fmt == "text":
        return render_diff_text(diff)
    raise InputError(f"unknown format '{fmt}'", hint=f"use {', '.join(FORMATS)}")


# ------------------------------------------------------------------ wording shared by the formats


def value_text(field: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if field == "estimate_weeks":
        return f"{value:g} wk"
    return str(value)


def change_text(c: FieldChange) -> str:
    return f"{FIELD_NAMES.get(c.field, c.field)} {value_text(c.field, c.before)} → {value_text(c.field, c.after)}"


def week_text(weeks: float | None) -> str:
    return "—" if weeks is None else f"week {weeks:.1f}"


def points(change: float | None) -> str:
    """A load change in percentage points: +12 pts."""
    return "" if change is None else f"{change * 100:+.0f} pts"


def severity_shift(f: FindingChange) -> str:
    if f.severity_before and f.severity_after and f.severity_before != f.severity_after:
        return f"{f.severity_before} → {f.severity_after}"
    return f.severity_after or f.severity_before or ""


def _counts(diff: PlanDiff) -> str:
    return (
        f"{len(diff.findings_new)} new, {len(diff.findings_resolved)} resolved, "
        f"{len(diff.findings_unchanged)} in both"
    )


def summary_line(diff: PlanDiff) -> str:
    verdict = (
        f"{diff.before.verdict} → {diff.after.verdict}"
        if diff.verdict_changed
        else f"{diff.after.verdict} (unchanged)"
    )
    return f"verdict: {verdict}; findings: {_counts(diff)}; {len(diff.items_changed)} items changed"


# ------------------------------------------------------------------ text and Markdown


def _template_environment(markdown: bool):
    from .markdown import code, esc
    from .templating import environment

    env = environment(autoescape=False)
    env.filters.update(week_text=week_text, points=points, change_text=change_text)
    env.globals.update(severity_shift=severity_shift, verdict_text=VERDICT_TEXT)
    if markdown:
        env.filters.update(esc=esc, code=code)
    return env


def render_diff_text(diff: PlanDiff, width: int = 100) -> str:
    env = _template_environment(markdown=False)
    env.filters.update(
        wrapped=lambda s, first, rest: textwrap.wrap(
            s, width, initial_indent=first, subsequent_indent=rest
        )
    )
    shifted = [f for f in diff.findings_unchanged if f.severity_before != f.severity_after]
    text = env.get_template("diff.txt.j2").render(diff=diff, counts=_counts(diff), shifted=shifted)
    return strip_controls(text)  # a plan's text never moves the cursor or retitles the terminal


def render_diff_markdown(diff: PlanDiff) -> str:
    env = _template_environment(markdown=True)
    text = env.get_template("diff.md.j2").render(diff=diff, counts=_counts(diff))
    return strip_controls(
        text.rstrip("\n") + "\n"
    )  # each section ends in a blank line, the file in one newline


# ------------------------------------------------------------------ HTML


def render_diff_html(diff: PlanDiff) -> str:
    from markupsafe import Markup

    from .. import __version__
    from .html import html_environment

    env = html_environment()
    env.filters.update(week_text=week_text, points=points)
    env.globals.update(value_text=value_text)
    assert env.loader is not None
    style = env.loader.get_source(env, "report.css")[0]
    shifted = [f for f in diff.findings_unchanged if f.severity_before != f.severity_after]
    return env.get_template("diff.html.j2").render(
        diff=diff,
        style=Markup(style),
        version=__version__,
        verdict_text=VERDICT_TEXT,
        shifted=shifted,
        field_names=FIELD_NAMES,
    )
