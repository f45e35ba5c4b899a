"""The HTML report: one self-contained file, no network requests, prints cleanly.

A view model is built from the Audit (arrangement only), then a jinja2 template
with autoescape renders it. CSS and the little JavaScript are inlined.
"""

from __future__ import annotations

from ..model import Audit
from .view import FAMILY_NAMES, VERDICT_TEXT, family, heat, pct, severity_counts, weeks


def render_html(audit: Audit) -> str:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("roadmap_audit.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pct"] = pct
    env.filters["weeks"] = weeks
    families, grid = heat(audit)
    max_scale = max([1.0, *(t.load for t in audit.teams if t.capacity_weeks)])
    return env.get_template("report.html.j2").render(
        audit=audit,
        verdict_text=VERDICT_TEXT[audit.verdict],
        counts=severity_counts(audit.findings),
        families=families,
        family_names=FAMILY_NAMES,
        grid=grid,
        family=family,
        top=[f for f in audit.findings if f.severity in ("critical", "high")][:8] or audit.findings[:5],
        defer=[r for r in audit.recommendations if r.action == "defer"],
        changes=[r for r in audit.recommendations if r.action == "change"],
        scale=max_scale,
    )
