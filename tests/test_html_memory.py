"""The HTML page leaves nothing for the cyclic collector: the view it was made from is freed by
reference counting as soon as the page is made (the template's macros hold their context in a
reference cycle, so the page empties the context)."""

from __future__ import annotations

import gc

from roadmap_audit.report.html import render_html
from roadmap_audit.report.view_model import FindingView, TeamView


def test_the_page_leaves_no_view_behind(sample_audit):
    assert sample_audit.findings and sample_audit.teams
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        page = render_html(sample_audit)
        left = [o for o in gc.get_objects() if isinstance(o, (FindingView, TeamView))]
    finally:
        if enabled:
            gc.enable()
    assert 'class="team-page"' in page
    assert left == []
