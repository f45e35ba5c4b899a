"""The terminal summary: verdict, top risks, team loads. Colour only on a terminal."""

from __future__ import annotations

import os
import sys

from ..model import Audit
from .view import VERDICT_TEXT, pct, severity_counts, weeks

_COLOURS = {"critical": "\033[1;31m", "high": "\033[31m", "medium": "\033[33m", "low": "\033[36m",
            "info": "\033[2m", "replan": "\033[1;31m", "go-with-changes": "\033[33m", "go": "\033[32m"}


def render_text(audit: Audit, colour: bool | None = None, limit: int = 15) -> str:
    if colour is None:
        colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    c = (lambda key, s: f"{_COLOURS[key]}{s}\033[0m") if colour else (lambda key, s: s)
    p = audit.plan
    out = [f"roadmap-audit: {', '.join(p.sources)} — {p.quarter or 'quarter not set'}, {p.weeks:g} weeks, "
           f"{p.items} items, {p.teams} teams",
           f"Verdict: {c(audit.verdict, VERDICT_TEXT[audit.verdict])} — {audit.verdict_reason}"]
    counts = severity_counts(audit.findings)
    out.append("Findings: " + ", ".join(f"{n} {s}" for s, n in counts.items() if n) if audit.findings
               else "Findings: none")
    out.append("")
    out.append(f"{'team':<20} {'capacity':>9} {'planned':>8} {'ops adm':>8} {'ops obs':>8} {'load':>6}  risk")
    for t in audit.teams:
        flag = " !" if t.load > 1 else ""
        out.append(f"{t.team[:20]:<20} {weeks(t.capacity_weeks):>9} {weeks(t.planned_weeks):>8} "
                   f"{pct(t.ops_admitted):>8} {pct(t.ops_observed):>8} {pct(t.load):>6}  {t.score:>3}{flag}")
    out.append("")
    out.append(f"Top risks ({min(limit, len(audit.findings))} of {len(audit.findings)}):")
    for f in audit.findings[:limit]:
        where = ", ".join(e.location for e in f.evidence[:3])
        out.append(f"  {c(f.severity, f'{f.severity:<8}')} {f.rule}  {f.subject.id}: {f.message}")
        out.append(f"           evidence: {where}")
    defer = [r for r in audit.recommendations if r.action == "defer"]
    if defer:
        out.append("")
        out.append("To get teams back under the line:")
        out.extend(f"  - {r.text}" for r in defer)
    dq = audit.data_quality
    out.append("")
    out.append(f"Data: {dq.rows_read} rows read, {dq.rows_used} used, {len(dq.issues)} notes")
    return "\n".join(out) + "\n"
