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
from .forecast_view import team_finish
from .templating import environment
from .view import strip_controls
from .view_model import build_report_view, template_names

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
    view = build_report_view(audit)
    known = [t.load for t in audit.teams if t.capacity_weeks > 0 and t.load is not None]
    scale = min(2.0, max([1.0, *known]))
    env = environment(autoescape=False)
    env.filters.update(
        c=(lambda s, key: f"\ue000{nonce}{key}\ue001{s}\ue000{nonce}\ue001")
        if colour
        else (lambda s, key: s),
        bar=lambda load: _bar(load, scale),
        wrapped=lambda s, first, rest: textwrap.wrap(
            s, WIDTH, initial_indent=first, subsequent_indent=rest
        ),
    )
    env.globals.update(team_finish=team_finish)
    text = env.get_template("report.txt.j2").render(
        view.context(template_names(env, "report.txt.j2")),
        limit=limit,
        bar_cells=round(BAR_WIDTH * scale),
    )
    text = strip_controls(text)
    if colour:
        text = re.sub(
            f"\ue000{nonce}([a-z-]*)\ue001", lambda m: _COLOURS.get(m.group(1), "\033[0m"), text
        )
    return text
