"""The HTML report's template ships compiled (report_html_j2.py): it must be the current template's
compilation, and a stale one must never be used."""

from __future__ import annotations

import re

import pytest

from roadmap_audit.report import html as report_html
from roadmap_audit.report import report_html_j2


def test_precompiled_template_is_the_current_templates():
    assert report_html.PRECOMPILED.read_text(encoding="utf-8") == (
        report_html.precompiled_source()
    ), (
        "report.html.j2 changed: run "
        '`python -c "from roadmap_audit.report.html import write_precompiled; write_precompiled()"`'
    )


def _render(audit) -> str:
    """The page without its generated time (two renders may fall in two minutes)."""
    report_html._report_template.cache_clear()
    try:
        page = report_html.render_html(audit)
    finally:
        report_html._report_template.cache_clear()
    return re.sub(r"20\d\d-\d\d-\d\d[ T]\d\d:\d\d(:\d\d)?( UTC|Z)?", "<TIME>", page)


@pytest.mark.parametrize("field", ["SOURCE_SHA256", "JINJA2"])
def test_a_stale_precompiled_template_is_not_used(sample_audit, monkeypatch, field):
    shipped = _render(sample_audit)
    assert report_html._report_template()[0].filename == str(report_html.PRECOMPILED)
    monkeypatch.setattr(report_html_j2, field, "something else")
    stale = report_html._report_template
    stale.cache_clear()
    template, names = stale()
    assert template.filename.endswith("report.html.j2")  # compiled from the template itself
    assert {"findings", "team_views", "graph"} <= names
    assert _render(sample_audit) == shipped
