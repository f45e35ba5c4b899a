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
from .view import VERDICT_TEXT, pct

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


# ------------------------------------------------------------------ text


def render_diff_text(diff: PlanDiff, width: int = 100) -> str:
    b, a = diff.before, diff.after
    out = [f"Plan diff — {', '.join(b.sources)} → {', '.join(a.sources)}", ""]
    verdict = (
        f"{VERDICT_TEXT[b.verdict]} → {VERDICT_TEXT[a.verdict]}"
        if diff.verdict_changed
        else f"{VERDICT_TEXT[a.verdict]} (unchanged)"
    )
    out.append(f"Verdict: {verdict} — {a.verdict_reason}")
    out.append(f"Findings: {_counts(diff)}")
    out.append(
        f"Items: {b.items} → {a.items} ({len(diff.items_added)} added, {len(diff.items_removed)} removed, "
        f"{len(diff.items_moved)} moved between teams, {len(diff.items_changed)} changed)"
    )
    if b.forecast_p85_weeks is not None or a.forecast_p85_weeks is not None:
        out.append(
            f"Whole plan done (P85): {week_text(b.forecast_p85_weeks)} → {week_text(a.forecast_p85_weeks)}"
        )
    for title, rows in (
        ("New findings", diff.findings_new),
        ("Resolved findings", diff.findings_resolved),
    ):
        if rows:
            out += ["", f"{title}:"]
            out += [
                f"  {severity_shift(f):<8} {f.rule:<7} {f.subject.kind} {f.subject.id}: {f.title}"
                for f in rows
            ]
    shifted = [f for f in diff.findings_unchanged if f.severity_before != f.severity_after]
    if shifted:
        out += ["", "Findings in both plans with a new severity:"]
        out += [
            f"  {severity_shift(f):<18} {f.rule:<7} {f.subject.kind} {f.subject.id}"
            for f in shifted
        ]
    teams = [t for t in diff.teams if t.changed]
    if diff.teams:
        out += ["", f"Team load ({len(teams)} of {len(diff.teams)} teams changed):"]
        for t in diff.teams:
            out.append(
                f"  {t.team[:20]:<20} load {pct(t.load_before):>5} → {pct(t.load_after):>5} "
                f"{points(t.load_change):>8}   done (P85) {week_text(t.p85_weeks_before)} → "
                f"{week_text(t.p85_weeks_after)}"
            )
    for title, refs in (("Items added", diff.items_added), ("Items removed", diff.items_removed)):
        if refs:
            out += ["", f"{title} ({len(refs)}):"]
            out += [f"  {r.key} {r.title} ({r.team or 'no team'})" for r in refs]
    if diff.items_moved:
        out += ["", f"Moved between teams ({len(diff.items_moved)}):"]
        out += [f"  {c.key} {c.title}: {c.team_before} → {c.team_after}" for c in diff.items_moved]
    if diff.items_changed:
        out += ["", f"Items changed ({len(diff.items_changed)}):"]
        for c in diff.items_changed:
            line = f"{c.key} {c.title}: " + "; ".join(change_text(x) for x in c.changes)
            out.extend(textwrap.wrap(line, width, initial_indent="  ", subsequent_indent="      "))
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------ Markdown


def render_diff_markdown(diff: PlanDiff) -> str:
    from .markdown import code, esc

    b, a = diff.before, diff.after
    out = [f"# Plan diff — {esc(', '.join(b.sources))} → {esc(', '.join(a.sources))}", ""]
    verdict = (
        f"{VERDICT_TEXT[b.verdict]} → **{VERDICT_TEXT[a.verdict]}**"
        if diff.verdict_changed
        else f"**{VERDICT_TEXT[a.verdict]}** (unchanged)"
    )
    out += [
        f"> Verdict: {verdict} — {esc(a.verdict_reason)}",
        ">",
        f"> Findings: {_counts(diff)}",
        f"> Items: {b.items} → {a.items}; {len(diff.items_added)} added, {len(diff.items_removed)} removed, "
        f"{len(diff.items_moved)} moved between teams, {len(diff.items_changed)} changed",
    ]
    if b.forecast_p85_weeks is not None or a.forecast_p85_weeks is not None:
        out.append(
            f"> Whole plan done (P85): {week_text(b.forecast_p85_weeks)} → {week_text(a.forecast_p85_weeks)}"
        )
    out.append("")
    for title, rows in (
        ("New findings", diff.findings_new),
        ("Resolved findings", diff.findings_resolved),
    ):
        out += [f"## {title} ({len(rows)})", ""]
        out += [
            f"- **{esc(severity_shift(f))}** {code(f.rule)} {esc(f.subject.kind)} {esc(f.subject.id)}: "
            f"{esc(f.title)}"
            for f in rows
        ] or ["None."]
        out.append("")
    if diff.teams:
        out += [
            "## Team load",
            "",
            "| team | load before | load after | change | done (P85) before | after |",
            "|---|---:|---:|---:|---|---|",
        ]
        out += [
            f"| {esc(t.team)} | {pct(t.load_before)} | {pct(t.load_after)} | {points(t.load_change)} | "
            f"{week_text(t.p85_weeks_before)} | {week_text(t.p85_weeks_after)} |"
            for t in diff.teams
        ]
        out.append("")
    for title, refs in (("Items added", diff.items_added), ("Items removed", diff.items_removed)):
        if refs:
            out += [f"## {title} ({len(refs)})", ""]
            out += [f"- **{esc(r.key)}** {esc(r.title)} ({esc(r.team or 'no team')})" for r in refs]
            out.append("")
    if diff.items_moved:
        out += [f"## Moved between teams ({len(diff.items_moved)})", ""]
        out += [
            f"- **{esc(c.key)}** {esc(c.title)}: {esc(c.team_before)} → {esc(c.team_after)}"
            for c in diff.items_moved
        ]
        out.append("")
    if diff.items_changed:
        out += [
            f"## Items changed ({len(diff.items_changed)})",
            "",
            "| item | change |",
            "|---|---|",
        ]
        out += [
            f"| **{esc(c.key)}** {esc(c.title)} | "
            + "<br>".join(esc(change_text(x)) for x in c.changes)
            + " |"
            for c in diff.items_changed
        ]
        out.append("")
    return "\n".join(out)


# ------------------------------------------------------------------ HTML


def render_diff_html(diff: PlanDiff) -> str:
    from markupsafe import Markup

    from .. import __version__
    from .html import _environment

    env = _environment()
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
