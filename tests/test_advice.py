"""The defer advice is safe to follow: apply it to the plan, audit again, and nothing new and
serious appears for that team; what it will not propose, it never proposes."""

from __future__ import annotations

import pytest

from roadmap_audit.pipeline import Options, load, run
from roadmap_audit.score import with_deferrals

from .conftest import SAMPLES

JIRA = SAMPLES / "jira"
# Every sample plan, as the README audits it: (plan, context)
SAMPLE_PLANS = [
    pytest.param((SAMPLES / "northwind-2026-Q3.xlsx", []), id="northwind"),
    pytest.param((JIRA / "tidewater-2026-Q3.csv", [JIRA / "context.xlsx"]), id="tidewater-csv"),
    pytest.param(
        (JIRA / "json", [JIRA / "context.xlsx", JIRA / "json" / "fields.json"]), id="tidewater-json"
    ),
    # the Jira samples fit, so a generated plan with teams at 60-130 % gives the advice something to do
    pytest.param(("generated", []), id="generated-realistic"),
]


def _serious(audit, team: str) -> set[tuple[str, str]]:
    return {
        (f.rule, f.subject.id)
        for f in audit.findings
        if f.severity in ("critical", "high") and team in f.teams
    }


@pytest.fixture(scope="module", params=SAMPLE_PLANS)
def audited(request, tmp_path_factory):
    plan, context = request.param
    if plan == "generated":
        import sys

        sys.path.insert(0, str(SAMPLES.parent / "benchmarks"))
        import generate

        plan = tmp_path_factory.mktemp("generated") / "plan.xlsx"
        generate.write_xlsx(generate.build(300, 15, seed=7, profile="realistic"), plan)
    options = Options(plan=str(plan), context=[str(c) for c in context])
    loaded = load(options)
    return options, loaded, run(options, loaded)


def test_following_each_deferral_adds_no_serious_finding_and_reaches_the_buffer_line_or_says_why_not(
    audited,
):
    options, loaded, audit = audited
    defers = [r for r in audit.recommendations if r.action == "defer"]
    for rec in defers:
        after = run(options, with_deferrals(loaded, [rec]))
        new = _serious(after, rec.team) - _serious(audit, rec.team)
        assert new == set(), (rec.team, rec.items, new)
        team = next(t for t in after.teams if t.team == rec.team)
        assert team.load == pytest.approx(rec.load_after, abs=1e-3), rec.team
        if rec.reaches_target:
            assert team.load <= rec.target_load + 1e-9, rec.team
        else:
            assert "still above" in rec.text or "no open item can be deferred" in rec.text, rec.text


def test_following_all_the_advice_at_once_adds_no_serious_finding(audited):
    options, loaded, audit = audited
    defers = [r for r in audit.recommendations if r.action == "defer"]
    if not defers:
        return
    after = run(options, with_deferrals(loaded, defers))
    for rec in defers:
        assert _serious(after, rec.team) - _serious(audit, rec.team) == set(), rec.team


def test_advice_never_proposes_started_committed_or_reliability_work(audited):
    from roadmap_audit.load.schema import is_in_progress

    _, loaded, audit = audited
    kinds = {i.key: i.kind for i in audit.items}
    items = {i.key: i for i in loaded.items}
    for rec in (r for r in audit.recommendations if r.action == "defer"):
        for key in rec.items:
            item = items[key]
            assert not item.done and not item.committed and not is_in_progress(item.status), key
            assert kinds[key] not in ("reliability", "action_item", "compliance"), key


def test_payments_in_progress_backfill_is_never_proposed(sample_audit):
    defer = {r.team: r for r in sample_audit.recommendations if r.action == "defer"}
    assert all("PAY-103" not in r.items for r in sample_audit.recommendations)
    assert "PAY-103" in defer["payments"].kept["in progress"]
    assert "PAY-103" in defer["payments"].text.split("Not proposed:")[1]


def test_the_advice_shows_capacity_and_forecast_before_and_after(sample_audit):
    rec = next(
        r for r in sample_audit.recommendations if r.action == "defer" and r.team == "payments"
    )
    assert rec.load_before > 1.0 > rec.load_after
    assert rec.p50_date_before and rec.p50_date_after and rec.p50_date_after <= rec.p50_date_before
    assert rec.p_by_end_after >= rec.p_by_end_before
    assert "forecast: half the runs done by" in rec.text


def test_data_platform_does_not_read_fits_while_its_committed_launch_cannot_land(sample_audit):
    from roadmap_audit.report import render

    team = next(t for t in sample_audit.teams if t.team == "data-platform")
    data21 = next(c for c in team.delivery.committed if c.key == "DATA-21")
    assert (
        data21.p_on_time < 0.01
        and data21.waits_on == ["DATA-22"]
        and "payments" in data21.waits_on_teams
    )
    assert team.status == "committed work at risk" and "fits" not in team.status_text
    assert (
        "waits on another team" in team.status_text
        and "DATA-22 → PAY-108 (payments)" in team.status_text
    )
    html = render("html", sample_audit)
    page = html[html.index('id="team-data-platform"') :]
    page = page[: page.index("</article>")]
    assert "Fits its capacity" not in page and "Committed work at risk" in page
    assert "Delivery forecast" in page and "DATA-21" in page
    # the verdict card has a delivery line
    assert '<div class="delivery-line"><dt>Delivery</dt>' in html
    # and the JSON entry carries the forecast
    import json

    doc = {t["team"]: t for t in json.loads(render("json", sample_audit))["teams"]}
    assert doc["data-platform"]["delivery"]["committed"][0]["key"] == "DATA-21"
    assert doc["data-platform"]["status"] == "committed work at risk"


def test_a_team_fits_only_when_load_and_committed_work_both_do(sample_audit):
    for t in sample_audit.teams:
        if t.status == "fits":
            assert t.load <= 0.85 and all(
                c.p_on_time is None or c.p_on_time >= 0.5 for c in t.delivery.committed
            )


def test_for001_ranks_a_committed_item_waiting_on_another_team_near_the_top(sample_audit):
    ranked = [(f.rule, f.subject.id) for f in sample_audit.findings]
    high = [f for f in sample_audit.findings if f.severity == "high"]
    at = ranked.index(("FOR001", "DATA-21"))
    assert (
        at < ranked.index(("REL001", "SRCH-44"))
        and high.index(next(f for f in high if f.subject.id == "DATA-21" and f.rule == "FOR001"))
        < 5
    )


def test_a_plan_past_the_forecast_budget_is_forecast_once_and_the_advice_says_so(tmp_path):
    from roadmap_audit.config import load_config

    from .conftest import audit_of

    (tmp_path / "roadmap-audit.toml").write_text("[forecast]\nmax_item_runs = 1000\n")
    audit = audit_of(SAMPLES / "northwind-2026-Q3.xlsx", config=load_config(cwd=tmp_path))
    assert audit.forecast.runs < 1000
    rec = next(r for r in audit.recommendations if r.action == "defer" and r.team == "payments")
    assert rec.p50_date_after is None and rec.p50_date_before is not None
    assert "not re-run after the deferrals" in rec.text
