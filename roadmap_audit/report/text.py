"""The terminal summary: verdict, top risks, team loads, what to change.

Colour only on a terminal (and never with NO_COLOR set); plain text in a file or a pipe.
"""

from __future__ import annotations

import os
import re
import secrets
import sys
import textwrap

from ..model import Audit
from .actions import build_actions
from .forecast_view import at_risk, team_finish
from .view import (
    VERDICT_TEXT,
    day,
    is_over,
    pct,
    planned,
    severity_counts,
    span,
    strip_controls,
    teams_text,
    verdict_line,
    weeks,
)

_COLOURS = {
    "critical": "\033[1;31m",
    "high": "\033[31m",
    "medium": "\033[33m",
    "low": "\033[36m",
    "info": "\033[2m",
    "replan": "\033[1;31m",
    "go-with-changes": "\033[1;33m",
    "go": "\033[1;32m",
    "bold": "\033[1m",
    "dim": "\033[2m",
    "over": "\033[31m",
}
BAR_WIDTH = 20  # characters for 100 % of capacity
WIDTH = 100  # wrap messages here, the same in a terminal and in a file


def _bar(load: float, scale: float) -> str:
    """A load bar; `|` marks 100 %."""
    cells = round(BAR_WIDTH * scale)
    filled = round(BAR_WIDTH * min(load, scale))
    line = [("█" if i < filled else "·") for i in range(cells)]
    if cells > BAR_WIDTH:
        line.insert(BAR_WIDTH, "|")
    else:
        line.append("|")
    return "".join(line)


def render_text(audit: Audit, colour: bool | None = None, limit: int = 15) -> str:
    if colour is None:
        colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    # Colours go in as markers no cell can hold (a fresh nonce), so that every escape sequence a cell
    # holds can be stripped from the text before the colours become escape sequences themselves.
    nonce = secrets.token_hex(8)
    c = (
        (lambda key, s: f"\ue000{nonce}{key}\ue001{s}\ue000{nonce}\ue001")
        if colour
        # noqa: E731
        else (lambda key, s: s)
    )
    p = audit.plan
    when = span(p.start, p.end)
    out = [
        c("bold", f"Roadmap audit — {p.quarter or 'quarter not set'}")
        + f"  ({', '.join(p.sources)}; "
        f"{p.weeks:g} weeks{', ' + when if when else ''}; {p.items} items, {teams_text(p.teams)})",
        "",
        f"Verdict: {c(audit.verdict, VERDICT_TEXT[audit.verdict])} — {verdict_line(audit).plain()}",
    ]
    counts = severity_counts(audit.findings)
    out.append(
        "Findings: " + (", ".join(c(s, f"{n} {s}") for s, n in counts.items() if n) or "none")
    )
    out.append("")

    known = [t for t in audit.teams if t.capacity_weeks > 0]
    scale = min(2.0, max([1.0, *(t.load for t in known)]))
    if audit.teams:
        out.append(
            c(
                "bold",
                f"{'team':<20} {'capacity':>8} {'planned':>8} {'ops adm':>7} {'ops obs':>7} "
                f"{'load':>6}  {'':<{round(BAR_WIDTH * scale) + 1}}  risk",
            )
        )
    for t in audit.teams:
        if t.capacity_weeks > 0:
            load = pct(t.load)
            bar = _bar(t.load, scale)
            load_text = c("over", f"{load:>6}") if is_over(t.load) else f"{load:>6}"
            bar_text = c("over", bar) if is_over(t.load) else bar
        else:
            note = "not in the staffing model" if not t.in_staffing_model else "capacity unknown"
            load_text, bar_text = f"{'—':>6}", f"{note:<{round(BAR_WIDTH * scale) + 1}}"
        out.append(
            f"{t.team[:20]:<20} {weeks(t.capacity_weeks) if t.capacity_weeks else '—':>8} "
            f"{planned(t):>8} {pct(t.ops_admitted):>7} {pct(t.ops_observed):>7} "
            f"{load_text}  {bar_text}  {t.score:>4}"
        )
    if audit.teams:
        out.append("")
        for t in audit.teams:
            if t.status_text:
                out.extend(
                    textwrap.wrap(
                        f"{t.team}: {t.status_text}",
                        WIDTH,
                        initial_indent="  ",
                        subsequent_indent="    ",
                    )
                )
        out.append("")

    shown = audit.findings[:limit]
    out.append(
        c("bold", f"Top risks ({len(shown)} of {len(audit.findings)}):")
        if audit.findings
        else "No risks found by the rules that ran."
    )
    for f in shown:
        cells = list(
            dict.fromkeys(e.location for e in f.evidence)
        )  # an empty field of a short row cites the row
        where = ", ".join(cells[:4]) + (" …" if len(cells) > 4 else "")
        out.append(f"  {c(f.severity, f'{f.severity:<8}')} {f.rule:<7} {f.subject.id}: {f.title}")
        out.extend(
            textwrap.wrap(f.message, WIDTH, initial_indent=" " * 19, subsequent_indent=" " * 19)
        )
        if where:
            out.append(c("dim", f"  {'':<8} {'':<7} evidence: {where}"))
    fc = audit.forecast
    if fc is not None and fc.teams:
        out.append("")
        out.append(
            c(
                "bold",
                f"Delivery forecast ({fc.runs:,} runs, seed {fc.seed}; the quarter ends in week "
                f"{fc.end_weeks:.1f}):",
            )
        )
        for row in (fc.plan, *fc.teams):
            name = "whole plan" if row is fc.plan else row.team
            late = row.items > 0 and (row.p85_weeks is None or row.p85_weeks > fc.end_weeks)
            p85 = team_finish(row, "p85")
            out.append(
                f"  {name[:20]:<20} P50 {team_finish(row, 'p50'):<26} "
                f"P85 {c('over', f'{p85:<26}') if late else f'{p85:<26}'} "
                f"done by quarter end {pct(row.p_by_end)}"
            )
        for i in at_risk(fc):
            out.append(
                f"  {c('over', 'at risk')} {i.key} ({i.team}): {pct(i.p_on_time)} chance to land by "
                f"{day(i.due)}"
            )
    out += _actions_text(audit, c)
    dq = audit.data_quality
    out.append("")
    out.append(
        f"Data: {dq.rows_read} rows read, {dq.rows_used} used, {len(dq.issues)} notes"
        + (" (see the HTML report's data quality section)" if dq.issues else "")
    )
    text = strip_controls("\n".join(out) + "\n")
    if colour:
        text = re.sub(
            f"\ue000{nonce}([a-z-]*)\ue001", lambda m: _COLOURS.get(m.group(1), "\033[0m"), text
        )
    return text


def _actions_text(audit: Audit, c) -> list[str]:
    """What to change, by owner: each action, what it closes and its effect."""
    owners = build_actions(audit)
    if not owners:
        return []
    out = ["", c("bold", "What to change, by owner:")]
    for o in owners:
        out.append(f"  {c('bold', o.owner)} ({'team' if o.is_team else 'org unit'})")
        for a in o.actions:
            out.extend(
                textwrap.wrap(
                    f"{a.severity}: {a.text}",
                    WIDTH,
                    initial_indent="    - ",
                    subsequent_indent="      ",
                )
            )
            out.extend(
                textwrap.wrap(
                    f"closes: {a.resolves_text()}",
                    WIDTH,
                    initial_indent="      ",
                    subsequent_indent="        ",
                )
            )
            if a.effect_text():
                out.append(f"      effect: {a.effect_text()}")
    return out
