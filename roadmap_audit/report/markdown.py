"""The Markdown report, to paste into a wiki. All input text is escaped."""

from __future__ import annotations

import re

from ..model import Audit
from .view import FAMILY_NAMES, VERDICT_TEXT, heat, pct, severity_counts, weeks

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~])")


def esc(text: object) -> str:
    """Markdown- and HTML-safe: a plan's text can never become markup or a link."""
    s = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _SPECIAL.sub(r"\\\1", s)
    return " ".join(s.split())


def render_markdown(audit: Audit) -> str:
    p = audit.plan
    lines = [f"# Roadmap audit — {esc(p.quarter or 'plan')}", "",
             f"**Verdict: {VERDICT_TEXT[audit.verdict]}** — {esc(audit.verdict_reason)}", "",
             f"Sources: {esc(', '.join(p.sources))} · {p.items} items · {p.teams} teams · {p.weeks:g} weeks", ""]
    counts = severity_counts(audit.findings)
    lines.append("Findings: " + (", ".join(f"{n} {s}" for s, n in counts.items() if n) or "none"))
    lines += ["", "## Top risks", ""]
    for f in audit.findings[:10]:
        lines.append(f"1. **{f.severity}** `{f.rule}` {esc(f.subject.id)} — {esc(f.message)}")
    families, grid = heat(audit)
    lines += ["", "## Teams", "",
              "| team | capacity (eng-weeks) | planned | ops admitted | ops observed | load | risk | "
              + " | ".join(FAMILY_NAMES[f] for f in families) + " |",
              "|---|---:|---:|---:|---:|---:|---:|" + "---|" * len(families)]
    for t in audit.teams:
        cells = " | ".join(grid.get(t.team, {}).get(f) or "·" for f in families)
        lines.append(f"| {esc(t.team)} | {weeks(t.capacity_weeks)} | {weeks(t.planned_weeks)} | "
                     f"{pct(t.ops_admitted)} | {pct(t.ops_observed)} | {pct(t.load)} | {t.score} | {cells} |")
    recs = audit.recommendations
    if recs:
        lines += ["", "## What to change", ""]
        lines += [f"- **{esc(r.team)}** ({r.action}): {esc(r.text)}" for r in recs]
    lines += ["", "## Findings", ""]
    for f in audit.findings:
        lines += [f"### {f.severity.upper()} {f.rule} — {esc(f.title)}: {esc(f.subject.id)}", "",
                  esc(f.message), "",
                  f"- **Owner:** {esc(f.owner_unit or '—')}",
                  "- **Evidence:** " + "; ".join(
                      f"`{e.location.replace('`', '')}`" + (f" ({esc(e.note)})" if e.note else "") for e in f.evidence),
                  f"- **Why it matters:** {esc(f.why)}",
                  f"- **Fix:** {esc(f.fix)}", ""]
    dq = audit.data_quality
    lines += ["## Data quality", "", f"{dq.rows_read} rows read, {dq.rows_used} used.", ""]
    lines += [f"- `{esc(i['source'])}` {esc(i['location'])}: {esc(i['problem'])}" for i in dq.issues]
    return "\n".join(lines) + "\n"
