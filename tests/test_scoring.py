"""Accountability and advice: who owns a finding, and what to defer."""

from __future__ import annotations

import json

import pytest

from roadmap_audit.analyze.capacity import load_of
from roadmap_audit.analyze.priority import priority_rank
from roadmap_audit.score import verdict

from .conftest import FIXTURES, audit_of, facts_of, pairs

ORG = FIXTURES / "org"


@pytest.fixture(scope="module")
def org_audit():
    return audit_of(ORG)


def test_a_finding_involving_teams_of_two_groups_belongs_to_their_common_parent():
    facts = facts_of(ORG)
    assert facts.owner_unit(["web", "search"]) == "engineering"  # commerce and discovery
    assert facts.owner_unit(["web", "pay"]) == "commerce"
    assert facts.owner_unit(["pay"]) == "pay"
    assert facts.owner_unit(["pay", "nobody-knows"]) is None


def test_single_team_findings_are_owned_by_the_team(org_audit):
    cap = next(f for f in org_audit.findings if f.rule == "CAP001")
    assert (cap.subject.id, cap.owner_unit) == ("pay", "pay")


def test_org_rollup_counts_what_each_unit_controls(org_audit):
    units = {u.unit: u for u in org_audit.org}
    assert units["commerce"].teams == ["pay", "web"]
    assert units["engineering"].teams == ["pay", "search", "web"]
    assert units["commerce"].findings_by_severity == units["engineering"].findings_by_severity
    assert units["discovery"].findings_by_severity == {}
    assert units["commerce"].worst_team == "pay"


def test_defer_advice_aims_at_the_buffer_line_and_says_when_it_cannot_get_there(org_audit):
    # pay: team time 5 x 13 x 1.0 = 65; operations 0.2 x 65 = 13; (65 - 13) x 0.7 = 36.4 weeks for planned work
    rec = next(r for r in org_audit.recommendations if r.action == "defer" and r.team == "pay")
    assert rec.load_before == pytest.approx(54 / 36.4, abs=1e-3)
    assert rec.target_load == pytest.approx(0.85)  # CAP002's 15 % buffer, not 100 %
    # P-1 is needed by web's committed W-1 and P-4 is compliance: neither may be deferred.
    # Lowest priority first (P4, then P3, largest first): P-2 (6), P-3 (8), P-5 (4): 36 / 36.4 = 0.989,
    # still above the buffer line, and the advice says so.
    assert rec.items == ["P-2", "P-3", "P-5"]
    assert rec.kept == {
        "reliability, postmortem or compliance work": ["P-4"],
        "needed by committed work": ["P-1"],
    }
    remaining = 54 - 6 - 8 - 4
    assert rec.load_after == pytest.approx(load_of(remaining, 36.4), abs=1e-3)
    assert rec.reaches_target is False and "still above the 85% buffer line" in rec.text
    # and the audit of the plan without those items agrees
    team = next(t for t in org_audit.teams if t.team == "pay")
    assert team.planned_weeks - 18 == pytest.approx(remaining)


def test_verdict_follows_the_worst_severity(org_audit):
    assert ("team", "pay") in pairs(org_audit, "CAP001")
    assert verdict([])[0] == "go"


def test_the_verdict_reason_counts_in_words_one_finding_or_several(org_audit):
    one = [f.model_copy(update={"severity": "high"}) for f in org_audit.findings[:1]]
    two = [f.model_copy(update={"severity": "high"}) for f in org_audit.findings[:2]]
    assert verdict(one)[1] == "no critical findings; 1 high finding needs a change in the plan"
    assert verdict(two)[1] == "no critical findings; 2 high findings need a change in the plan"
    critical = [f.model_copy(update={"severity": "critical"}) for f in org_audit.findings[:1]]
    word, reason = verdict(critical)
    assert word == "replan"
    assert reason.startswith("1 critical finding must change before the quarter starts: ")


def test_a_go_never_hides_teams_whose_load_was_not_checked(tmp_path):
    from roadmap_audit.report import render

    # A Jira export alone: the teams come from the project keys and nobody has a headcount.
    export = tmp_path / "jira.csv"
    export.write_text(
        "Summary,Issue key,Issue id,Issue Type\nSearch box,WEB-1,1,Story\nRefunds,PAY-2,2,Story\n",
        encoding="utf-8",
    )
    audit = audit_of(export)
    assert audit.verdict == "go"
    assert audit.verdict_reason == (
        "no critical or high findings; load not checked for 2 of 2 teams (PAY, WEB): no headcount in the "
        "staffing model (run roadmap-audit template teams.xlsx --from PLAN to list the teams, fill in their "
        "headcount, and audit with --context teams.xlsx)"
    )
    html = render("html", audit)
    assert (
        "Every team fits its capacity" not in html
        and '<span class="warn-note">not checked</span>' in html
    )
    assert "<b>Load not checked</b> for" in html
    assert (
        render("text", audit, colour=False).splitlines()[0].endswith("2 items, no staffing model)")
    )
    doc = json.loads(render("json", audit))
    assert [(t["team"], t["load"], t["buffer"], t["capacity_known"]) for t in doc["teams"]] == [
        ("PAY", None, None, False),
        ("WEB", None, None, False),
    ]
    md = render("md", audit)
    assert "**Load not checked** for PAY, WEB:" in md and "Nothing needs to change" not in md
    assert f"<code>roadmap-audit template teams.xlsx --from {export}</code>" in html
    # a staffing model that covers one of two teams: the verdict names the other, the report says which fit
    (tmp_path / "teams.csv").write_text(
        "team,headcount,oncall_rotation\nWEB,6,6\n", encoding="utf-8"
    )
    partly = audit_of(export, context=[tmp_path / "teams.csv"])
    assert partly.verdict_reason.endswith(
        "; load not checked for 1 of 2 teams (PAY): no headcount in the staffing "
        "model (add its row to the Teams sheet, or spell its name as it does)"
    )
    html = render("html", partly)
    assert "No team with a known capacity is over it." in html and "of 1 checked" in html
    assert (
        "Add its row (headcount, on-call rotation, ops allocation) to the Teams sheet, or spell its name"
        in html
    )
    # the sample plan staffs every team: nothing to say
    assert "not checked" not in audit_of(FIXTURES / "org").verdict_reason


def test_priority_words_and_numbers_rank():
    assert [priority_rank(p) for p in ("P1", "2", "High", "Low", None, "lowest")] == [
        1,
        2,
        1,
        3,
        2,
        4,
    ]
    # MoSCoW, as roadmaps rank
    assert [
        priority_rank(p)
        for p in ("Must have", "must", "Should", "Could-have", "Won't", "Won\u2019t have")
    ] == [1, 1, 2, 3, 4, 4]


def test_defer_advice_names_the_open_items_that_wait_on_a_deferred_one(tmp_path):
    """W-2 (open) waits on P-2 and moves with it; W-3 is done and P-3 is deferred too: neither is
    named. A dependency written twice, or on the item itself, names nobody twice."""
    plan = tmp_path / "org"
    plan.mkdir()
    for name in ("org.csv", "teams.csv"):
        (plan / name).write_text((ORG / name).read_text(encoding="utf-8"), encoding="utf-8")
    items = (ORG / "items.csv").read_text(encoding="utf-8").splitlines()
    header = items[0] + ",status"
    rows = [row + "," for row in items[1:]]
    rows = [
        "P-3,Fraud rules UI,pay,8,2026-09-15,P-2;P-3,P3,," if r.startswith("P-3,") else r
        for r in rows
    ]
    rows += [
        "W-2,Refund button,web,1,2026-09-15,P-2;P-2,P2,,",
        "W-3,Refund copy,web,1,2026-09-15,P-2,P2,,Done",
    ]
    (plan / "items.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    audit = audit_of(plan)
    rec = next(r for r in audit.recommendations if r.action == "defer" and r.team == "pay")
    assert rec.items == ["P-2", "P-3", "P-5"]
    assert rec.dependents == {"P-2": ["W-2"]}
    assert "W-2 waits on P-2: it moves with it" in rec.text
    deps = {(d.item, d.depends_on) for d in audit.dependencies}
    assert deps == {("W-1", "P-1"), ("P-3", "P-2"), ("W-2", "P-2"), ("W-3", "P-2")}
    assert len(audit.dependencies) == 4
