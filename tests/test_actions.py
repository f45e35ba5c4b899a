"""What to change, as actions by owner: one action per cause, each with what it closes and its effect."""

from __future__ import annotations

import pytest

from roadmap_audit.report.actions import SERIOUS, build_actions, owner_of
from roadmap_audit.report.view import verdict_line


@pytest.fixture(scope="module")
def owners(sample_audit):
    return build_actions(sample_audit)


def _closes(action) -> set[tuple[str, str]]:
    return {(r.rule, r.subject) for r in action.resolves}


def _all(owners):
    return [a for o in owners for a in o.actions]


def test_the_person_who_alone_knows_three_services_is_one_action(owners):
    mine = [a for a in _all(owners) if ("ONC003", "Tomasz K.") in _closes(a)]
    assert len(mine) == 1
    assert _closes(mine[0]) == {
        ("ONC003", "Tomasz K."),
        ("ONC003", "public-api"),
        ("ONC003", "rate-limiter"),
        ("ONC003", "billing-integration"),
    }
    assert mine[0].owner == "api" and mine[0].resolves[0].kind == "person"
    # the services under the person are in no other action
    others = [a for a in _all(owners) if a is not mine[0]]
    assert not any(
        ("ONC003", s) in _closes(a) for a in others for s in ("public-api", "rate-limiter")
    )
    # two people who each know a service are not one cause: ledger and payments-gateway stay apart
    assert ("ONC003", "ledger") not in _closes(mine[0]) and (
        "ONC003",
        "payments-gateway",
    ) not in _closes(mine[0])


def test_northwinds_actions_are_grouped_by_owner(sample_audit, owners):
    assert [o.owner for o in owners] == [
        "api",
        "payments",
        "search",
        "data-platform",
        "engineering",
    ]
    assert {o.owner: o.is_team for o in owners}[
        "engineering"
    ] is False  # an org unit owns the cross-team ones
    by_index = dict(enumerate(sample_audit.findings))
    for o in owners:
        for a in o.actions:
            if a.kind == "change":
                assert owner_of(by_index[a.resolves[0].index]) == o.owner
    engineering = next(o for o in owners if o.owner == "engineering")
    assert [_closes(a) for a in engineering.actions] == [
        {("DEP002", "DATA-21"), ("DEP002", "DATA-22")}
    ]


def test_the_same_fix_on_several_subjects_is_one_action(owners):
    data = next(o for o in owners if o.owner == "data-platform")
    slo = [a for a in data.actions if "SLO003" in a.rules]
    assert len(slo) == 1 and _closes(slo[0]) == {("SLO003", "job-queue"), ("SLO003", "warehouse")}
    search = next(o for o in owners if o.owner == "search")
    rel = [a for a in search.actions if "REL001" in a.rules]
    assert len(rel) == 1 and _closes(rel[0]) == {("REL001", "SRCH-44"), ("REL001", "SRCH-47")}
    # the same advice for three teams stays with each team: each owner acts on its own
    rel3 = [(o.owner, a) for o in owners for a in o.actions if "REL003" in a.rules]
    assert sorted(owner for owner, _ in rel3) == ["api", "data-platform", "search"]


def test_every_serious_finding_is_closed_by_exactly_one_action(sample_audit, owners):
    closed = [r.index for a in _all(owners) for r in a.resolves]
    assert len(closed) == len(set(closed))
    serious = {i for i, f in enumerate(sample_audit.findings) if f.severity in SERIOUS}
    assert serious <= set(closed)


def test_the_deferral_carries_its_effect_on_load_and_delivery(owners):
    payments = next(o for o in owners if o.owner == "payments")
    defer = [a for a in payments.actions if a.kind == "defer"]
    assert len(defer) == 1 and defer[0].items == ["PAY-107", "PAY-106"]
    assert _closes(defer[0]) == {("CAP001", "payments")}
    assert (defer[0].load_before, defer[0].load_after) == (1.196, 0.927)
    assert defer[0].chance_before is not None and defer[0].chance_after > defer[0].chance_before
    assert defer[0].effect_text().startswith("load 120% → 93%; done by the quarter's end ")
    # the team's capacity finding is not a second action
    assert not [a for a in payments.actions if a.kind == "change" and "CAP001" in a.rules]


def test_the_verdict_names_problems_in_plain_words(sample_audit):
    line = verdict_line(sample_audit)
    assert line.lead == "2 critical problems must change before the quarter starts"
    assert [(p.words, p.subjects, p.rule) for p in line.problems] == [
        ("migration with no rollback plan", ("PAY-102",), "MIG001"),
        ("ambitious target with nothing behind it", ("public-api",), "SLO004"),
    ]
    assert "finding(s)" not in line.plain()


def test_every_format_shows_the_actions_by_owner(sample_audit):
    from roadmap_audit.report import render

    html = render("html", sample_audit)
    assert '<th scope="col">owner</th>' in html
    assert "in the findings filter" not in html
    assert (
        "2 critical problems must change before the quarter starts: migration with no rollback plan"
        in html
    )
    md = render("md", sample_audit)
    assert (
        "## What to change, by owner" in md
        and "### api (team)" in md
        and "### engineering (org unit)" in md
    )
    assert (
        "*Closes:* Key-person risk: Tomasz K., public-api, rate-limiter, billing-integration `ONC003`"
        in md
    )
    text = render("text", sample_audit, colour=False)
    assert "What to change, by owner:" in text
    assert (
        "closes: Key-person risk: Tomasz K., public-api, rate-limiter, billing-integration [ONC003]"
        in text
    )


def test_a_shared_cell_never_joins_the_actions_of_two_owners(sample_audit):
    """Two teams' committed items that cite the same cell (the quarter's end, say) stay two actions, one each."""
    findings = list(sample_audit.findings)
    data = next(
        i for i, f in enumerate(findings) if (f.rule, f.subject.id) == ("FOR001", "DATA-21")
    )
    api = next(i for i, f in enumerate(findings) if (f.rule, f.subject.id) == ("FOR001", "API-9"))
    findings[api] = findings[api].model_copy(
        update={"severity": "high", "evidence": findings[data].evidence}
    )
    owners = build_actions(sample_audit.model_copy(update={"findings": findings}))
    for08 = {
        (o.owner, frozenset(_closes(a))) for o in owners for a in o.actions if "FOR001" in a.rules
    }
    assert for08 == {
        ("data-platform", frozenset({("FOR001", "DATA-21")})),
        ("api", frozenset({("FOR001", "API-9")})),
    }


def test_a_medium_finding_alone_is_no_action(owners):
    assert not [a for a in _all(owners) if ("FOR001", "API-9") in _closes(a)]
    assert not [a for a in _all(owners) if ("ONC003", "ledger") in _closes(a)]


def test_a_finding_title_keeps_its_acronym_inside_a_sentence(sample_audit):
    """The team page's 'closes …' once read 'closes slo above what its dependencies can give'."""
    from roadmap_audit.report.html import render_html
    from roadmap_audit.report.view import in_sentence

    assert (
        in_sentence("SLO above what its dependencies can give")
        == "SLO above what its dependencies can give"
    )
    assert in_sentence("Key-person risk") == "key-person risk"
    html = render_html(sample_audit)
    assert (
        "closes SLO above what its dependencies can give" in html and "closes slo above" not in html
    )


def _finding(rule: str, team: str, subject: str, fix: str, *cells: str):
    from roadmap_audit.model import Evidence, Finding, Subject

    return Finding(
        rule=rule,
        severity="high",
        title=f"{rule} finding",
        subject=Subject(kind="item", id=subject),
        team=team,
        teams=(team,),
        message=f"{subject} is at risk.",
        why="Because.",
        fix=fix,
        evidence=tuple(Evidence(source="plan.xlsx", location=c) for c in cells),
    )


def test_causes_join_by_the_same_fix_and_through_shared_cells_within_one_owner_and_rule(
    sample_audit,
):
    """One owner's findings of one rule join when their fixes read alike once the subject is set aside,
    and when they cite one cell, also through a third finding; another owner or rule stays apart."""
    findings = [
        _finding("DEP001", "a", "X-1", "Move X-1 ahead.", "Items!B2"),
        _finding("DEP001", "a", "X-2", "Split the work.", "Items!B3"),
        _finding("DEP001", "a", "X-3", "Ask the other team.", "Items!B2", "Items!B3"),
        _finding("DEP001", "b", "Y-1", "Move Y-1 ahead.", "Items!B2"),
        _finding("DEP002", "a", "X-4", "Move X-4 ahead.", "Items!B2"),
        _finding("DEP001", "a", "X-5", "Move X-5 ahead.", "Items!B9"),
        _finding("DEP001", "a", "X-6", "Cut the scope.", "Items!B7"),
    ]
    audit = sample_audit.model_copy(update={"findings": findings, "recommendations": []})
    actions = [a for o in build_actions(audit) for a in o.actions]
    assert sorted((a.owner, [r.subject for r in a.resolves]) for a in actions) == [
        ("a", ["X-1", "X-2", "X-3", "X-5"]),
        ("a", ["X-4"]),
        ("a", ["X-6"]),
        ("b", ["Y-1"]),
    ]
