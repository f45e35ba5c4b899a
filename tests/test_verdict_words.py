"""A "go" says in its own words when some team's load could not be weighed: no finding is not the
same as a plan that fits ("Go, load unchecked"), and the page does not show it green."""

from __future__ import annotations

import pytest

from .conftest import audit_of

ITEMS = (
    "key,title,team,estimate,due\n"
    "A-1,Saved searches,alpha,2,2026-08-14\n"
    "B-1,Export to CSV,beta,2,2026-08-21\n"
)


def _view(tmp_path, teams: str | None):
    from roadmap_audit.report.view_model import ReportView

    (tmp_path / "items.csv").write_text(ITEMS, encoding="utf-8")
    (tmp_path / "settings.csv").write_text("key,value\nquarter,2026-Q3\n", encoding="utf-8")
    if teams is not None:
        (tmp_path / "teams.csv").write_text(teams, encoding="utf-8")
    audit = audit_of(tmp_path)
    assert audit.verdict == "go"
    return ReportView(audit)


@pytest.mark.parametrize(
    ("teams", "text", "css"),
    [
        ("team,headcount\nalpha,6\nbeta,6\n", "Go", "go"),
        ("team,headcount\nalpha,6\n", "Go, load unchecked for 1 of 2 teams", "go unchecked"),
        (None, "Go, load unchecked", "go unchecked"),
    ],
)
def test_a_go_names_the_teams_whose_load_was_not_checked(tmp_path, teams, text, css):
    view = _view(tmp_path, teams)
    assert view.verdict_text == text
    assert view.verdict_class == css


def test_every_format_says_it(tmp_path):
    from roadmap_audit.report import stream

    view = _view(tmp_path, None)
    page = "".join(stream("html", view.audit))
    assert '<span class="chip go unchecked">Go, load unchecked</span>' in page
    assert '<section class="verdict go unchecked" id="verdict"' in page
    text = "".join(stream("text", view.audit))
    assert "Verdict: Go, load unchecked — " in text
