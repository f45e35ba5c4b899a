"""The jinja2 environment every report template renders in, with the same filters in each format.

HTML escapes everything it prints (autoescape); Markdown and text do not, and escape or strip what
they print themselves (the Markdown `esc` filter, `strip_controls` on the whole text).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..analyze.numbers import listed, pct, plural
from ..score import SCORE_RULE, score_basis
from .view import (
    day,
    family_name,
    first_sentence,
    in_sentence,
    is_over,
    number,
    planned,
    severity_rank,
    span,
    teams_text,
    weeks,
)

if TYPE_CHECKING:
    import jinja2


def environment(autoescape: bool) -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("roadmap_audit.report", "templates"),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        in_sentence=in_sentence,
        pct=pct,
        plural=plural,
        listed=listed,
        weeks=weeks,
        planned=planned,
        number=number,
        day=day,
        family_name=family_name,
        first_sentence=first_sentence,
        score_basis=score_basis,
    )
    env.globals.update(
        span=span,
        is_over=is_over,
        severity_rank=severity_rank,
        teams_text=teams_text,
        score_rule=SCORE_RULE,
    )
    return env
