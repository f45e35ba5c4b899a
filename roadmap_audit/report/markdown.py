"""The Markdown report, to paste into a wiki (GitHub, GitLab, Confluence's Markdown macro).

All input text is escaped: a plan's text can never become markup, a link or HTML.
Only the characters that could start markup are escaped, so the text stays readable.
"""

from __future__ import annotations

import re

from ..model import Audit
from ..score import SCORE_RULE
from .actions import build_actions
from .forecast_view import at_risk, finish_text, team_finish
from .glossary import report_terms
from .view import (
    FAMILY_NAMES,
    NO_TEAM,
    ORG_DEPTH_SHOWN,
    VERDICT_TEXT,
    day,
    first_sentence,
    heat,
    is_over,
    org_depth_note,
    org_outline,
    pct,
    planned,
    severity_counts,
    span,
    strip_controls,
    teams_text,
    unchecked_teams,
    verdict_line,
    weeks,
)

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
    p = audit.plan
    counts = severity_counts(audit.findings)
    out: list[str] = [f"# Roadmap audit — {esc(p.quarter or 'plan')}", ""]
    when = span(p.start, p.end)
    out += [
        f"{esc(', '.join(p.sources))} · {p.items} items · {teams_text(p.teams)} · {p.weeks:g} weeks"
        + (f" ({when})" if when else ""),
        "",
    ]
    line = verdict_line(audit)
    out += [
        f"> **Verdict: {VERDICT_TEXT[audit.verdict]}** — {esc(line.plain(tag=lambda r: ''))}"
        + "".join(f" {code(p.rule)}" for p in line.problems),
        ">",
        "> Findings: "
        + (" · ".join(f"{_ICON[s]} {n} {s}" for s, n in counts.items() if n) or "none")
        + "  ",
    ]
    over = [r for r in audit.recommendations if r.action == "defer"]
    if over:
        out.append(
            "> Over the line: "
            + ", ".join(f"{esc(r.team)} {pct(r.load_before)}" for r in over)
            + "  "
        )
    fc = audit.forecast
    if fc is not None and fc.teams:
        committed = sum(1 for i in fc.items if i.committed and i.p_on_time is not None)
        risky = at_risk(fc)
        out.append(
            f"> Delivery: whole plan done by {day(fc.plan.p50_date)} in half the runs, {pct(fc.plan.p_by_end)} "
            f"by the quarter's end; "
            + (
                f"{len(risky)} of {committed} committed items under an even chance"
                if risky
                else f"every committed item ({committed}) at an even chance or better"
            )
        )
    out.append("")

    # the pre-read: what to change, capacity, delivery; the rest follows as an appendix
    out += _actions_markdown(audit, over)
    out += _capacity_markdown(audit)
    out += _forecast_markdown(audit)
    terms = report_terms(audit)
    if terms:
        out += ["## Terms used", ""]
        out += [f"- **{esc(t.term)}**: {esc(t.meaning)}" for t in terms]
        out.append("")

    out += [
        "---",
        "",
        "# Appendix: the full report",
        "",
        "Top risks, findings by team and area, the org roll-up, cross-team dependencies, every finding with "
        "its evidence, and data quality.",
        "",
    ]
    top = [f for f in audit.findings if f.severity in ("critical", "high")][:8] or audit.findings[
        :5
    ]
    out += ["## Top risks", ""]
    if not top:
        out += ["No risks found by the rules that ran.", ""]
    for i, f in enumerate(top, start=1):
        out.append(
            f"{i}. {_ICON[f.severity]} **{f.severity}** {code(f.rule)} **{esc(f.title)}** — "
            f"{esc(f.subject.kind)} {esc(f.subject.id)}: {esc(f.message)}  "
        )
        out.append(f"   *Why it matters:* {esc(first_sentence(f.why, 400))}")
    out.append("")

    _, grid = heat(audit)
    if grid and audit.findings:
        out += ["## Findings by team and area", ""]
        for name, cells in grid.items():
            found = [
                f"{_ICON[c.severity]} {FAMILY_NAMES.get(fam, fam)} {c.count}"
                for fam, c in cells.items()
                if c.severity
            ]
            out.append(f"- **{esc(name)}**: " + (" · ".join(found) if found else "no findings"))
        out.append("")

    teams = {t.team: t for t in audit.teams}
    if any(u.unit not in teams for u in audit.org):
        out += ["## Org roll-up", ""]
        outline = org_outline(audit.org, teams)
        for u, depth in outline:
            sev = ", ".join(f"{n} {s}" for s, n in u.findings_by_severity.items()) or "no findings"
            kind = "" if u.unit in teams else f" ({len(u.teams)} teams)"
            out.append(
                f"{'  ' * min(depth, ORG_DEPTH_SHOWN)}- **{esc(u.unit)}**{kind} — load {pct(u.load)}; {sev}"
            )
        note = org_depth_note(outline)
        out += ["", note, ""] if note else [""]

    cross = [d for d in audit.dependencies if d.cross_team]
    if cross:
        team_of = {i.key: i.team or NO_TEAM for i in audit.items}
        out += ["## Cross-team dependencies", ""]
        out += [
            f"- {esc(d.item)} ({esc(team_of.get(d.item, NO_TEAM))}) waits for {esc(d.depends_on)} "
            f"({esc(team_of.get(d.depends_on, NO_TEAM))})"
            for d in cross
        ]
        out.append("")

    out += [f"## Findings ({len(audit.findings)})", ""]
    if not audit.findings:
        out += ["No findings.", ""]
    for f in audit.findings:
        involved = f" · {esc(', '.join(f.teams))}" if f.teams else ""
        out += [
            f"### {_ICON[f.severity]} {f.severity.upper()} {f.rule} — {esc(f.title)}: {esc(f.subject.id)}",
            "",
            esc(f.message),
            "",
            f"- **Subject:** {esc(f.subject.kind)} {esc(f.subject.id)}{involved}"
            + (f" · owner: {esc(f.owner_unit)}" if f.owner_unit else ""),
            "- **Evidence:** "
            + (
                "; ".join(
                    code(e.location) + (f" {esc(e.note)}" if e.note else "") + f" ({esc(e.source)})"
                    for e in f.evidence
                )
                or "the plan as a whole"
            ),
            f"- **Why it matters:** {esc(f.why)}",
            f"- **Fix:** {esc(f.fix)}",
            "",
        ]

    dq = audit.data_quality
    out += [
        "## Data quality",
        "",
        f"{dq.rows_read} rows read, {dq.rows_used} used, {len(dq.issues)} notes.",
        "",
    ]
    if dq.issues:
        out += ["| location | problem | source |", "|---|---|---|"]
        out += [
            f"| {code(i['location'])} | {esc(i['problem'])}{' (row not used)' if i.get('row_dropped') else ''} "
            f"| {esc(i['source'])} |"
            for i in dq.issues
        ]
        out.append("")
    out += [
        "---",
        "",
        f"Rules that ran: {esc(', '.join(audit.rules_run) or 'none')}. "
        "`roadmap-audit rules explain ID` gives each rule's reasoning and sources.",
    ]
    return strip_controls("\n".join(out) + "\n")  # markdown is often read in a terminal


def _actions_markdown(audit: Audit, over: list) -> list[str]:
    """What to change, one heading per owner, each action a checklist line with what it closes and its effect."""
    out = ["## What to change, by owner", ""]
    owners = build_actions(audit)
    for o in owners:
        out += [f"### {esc(o.owner)} ({'team' if o.is_team else 'org unit'})", ""]
        for a in o.actions:
            lines = [
                f"{_ICON[a.severity]} **{a.severity}** {esc(a.text)}",
                f"*Closes:* {esc(a.resolves_text(tag=lambda r: ''))} "
                + " ".join(code(r) for r in a.rules),
            ]
            if a.effect_text():
                lines.append(f"*Effect:* {esc(a.effect_text())}")
            if a.rec is not None and a.rec.kept:
                lines.append(
                    "*Not proposed:* "
                    + esc(
                        "; ".join(
                            f"{why}: {', '.join(keys[:6])}"
                            + (f" and {len(keys) - 6} more" if len(keys) > 6 else "")
                            for why, keys in a.rec.kept.items()
                        )
                    )
                )
            out.append("- [ ] " + "  \n  ".join(lines))
        out.append("")
    unchecked = unchecked_teams(audit)
    if unchecked:
        names = ", ".join(esc(t) for t in unchecked[:12]) + (
            f" and {len(unchecked) - 12} more" if len(unchecked) > 12 else ""
        )
        out += [
            f"**Load not checked** for {names}: no headcount in the staffing model, so the audit cannot tell "
            "whether their plan fits.",
            "",
        ]
    elif not owners:
        out += ["Nothing needs to change.", ""]
    return out


def _capacity_markdown(audit: Audit) -> list[str]:
    """Capacity against the staffing model: six columns, so the table fits a wiki page without scrolling."""
    out = ["## Capacity", ""]
    if not audit.teams:
        return out + ["The plan names no team.", ""]
    out += [
        "| team | capacity (eng-weeks) | planned | ops (admitted / observed) | load | risk |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for t in audit.teams:
        load = pct(t.load) if t.capacity_weeks else "—"
        load = f"**{load}**" if is_over(t.load) else load
        staffed = "" if t.in_staffing_model else " (not in the staffing model)"
        out.append(
            f"| {esc(t.team)}{staffed} | {weeks(t.capacity_weeks) if t.capacity_weeks else '—'} | "
            f"{planned(t)} | {pct(t.ops_admitted)} / {pct(t.ops_observed)} | {load} | {t.score} |"
        )
    out += [""]
    out += [f"- **{esc(t.team)}**: {esc(t.status_text)}" for t in audit.teams if t.status_text]
    out += ["", f"Risk is {SCORE_RULE}; severity ranks, the score only summarises.", ""]
    return out


def _forecast_markdown(audit: Audit) -> list[str]:
    fc = audit.forecast
    if fc is None or not fc.teams:
        return []
    out = [
        "## Delivery forecast",
        "",
        f"{fc.runs:,} simulated quarters (seed {fc.seed}); the quarter ends in week {fc.end_weeks:.1f}. "
        "P50: half the runs have finished the open items; P85: 85 % have.",
        "",
        "| team | open items | P50 | P85 | done by quarter end |",
        "|---|---:|---|---|---:|",
    ]
    for row in (fc.plan, *fc.teams):
        name = "**whole plan**" if row is fc.plan else esc(row.team)
        out.append(
            f"| {name} | {row.items} | {esc(team_finish(row, 'p50'))} | {esc(team_finish(row, 'p85'))} | "
            f"{pct(row.p_by_end)} |"
        )
    out.append("")
    risky = at_risk(fc)
    if risky:
        out += ["Committed items with less than an even chance to land by their date:", ""]
        out += [
            f"- **{esc(i.key)}** ({esc(i.team)}, due {esc(day(i.due))}): {pct(i.p_on_time)}; "
            f"P85 {esc(finish_text(i.p85_weeks, i.p85_date))}"
            for i in risky
        ]
        out.append("")
    out += [f"*{esc(n)}*" for n in fc.notes]
    if fc.notes:
        out.append("")
    return out
