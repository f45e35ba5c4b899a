"""Per-person load measures what a person does, not what they own (ONC003)."""

from __future__ import annotations

import pytest

from roadmap_audit.analyze.people import people, share_of

from .conftest import audit_of, facts_of

# one person's quarter in these plans: 13 weeks x availability 0.85 x focus 0.7 = 7.735 engineer-weeks;
# the lead's share of a large item is half of it, 3.8675


def _plan(folder, rows: list[str], headcount: int = 12):
    folder.mkdir()
    (folder / "settings.csv").write_text("key,value\nquarter,2026-Q3\n")
    (folder / "teams.csv").write_text(f"team,headcount,oncall_rotation\ncore,{headcount},0\n")
    (folder / "items.csv").write_text(
        "key,title,team,estimate,owner,priority\n" + "\n".join(rows) + "\n"
    )
    return folder


# A normal plan: ten engineers of a 12-person team each named on two or three items, the leads on epics.
NORMAL = [
    "E-1,Checkout epic,core,14,Ada,P1",
    "E-2,Checkout copy,core,2,Ada,P2",
    "E-3,Search epic,core,10,Ben,P1",
    "E-4,Search tweaks,core,3,Ben,P2",
    "E-5,Ledger work,core,6,Cam,P2",
    "E-6,Ledger report,core,4,Cam,P3",
    "E-7,Wallets,core,5,Dev,P2",
    "E-8,Wallet refunds,core,5,Dev,P2",
    "E-9,Orders epic,core,8,Eli,P2",
    "E-10,Order notes,core,1,Eli,P3",
    "E-11,Fraud epic,core,9,Fei,P2",
    "E-12,Fraud rules,core,2,Fei,P3",
    "E-13,Platform epic,core,12,Gus,P2",
    "E-14,Alert tuning,core,1,Gus,P3",
    "E-15,Billing,core,7,Hal,P2",
    "E-16,Billing export,core,3,Hal,P3",
    "E-17,Quotas,core,3,Ivy,P2",
    "E-18,Pagination,core,3,Ivy,P2",
    "E-19,Webhooks,core,3,Ivy,P3",
    "E-20,Docs fix,core,2,Jon,P3",
    "E-21,Docs search,core,1,Jon,P3",
]


def test_in_a_normal_plan_only_the_person_who_does_more_than_a_quarter_is_flagged(tmp_path):
    plan = _plan(tmp_path / "normal", NORMAL)
    facts = facts_of(plan)
    everyone = people(facts)
    owned = {p.name: sum(p.owned_weeks.values()) for p in everyone.values()}
    # by what they own, 9 of the 10 are over one person's quarter
    assert sum(1 for w in owned.values() if w > 7.735) == 9
    audit = audit_of(plan, select=["ONC003"])
    flagged = {(f.rule, f.subject.id) for f in audit.findings if f.subject.kind == "person"}
    assert flagged == {("ONC003", "Ivy")}  # 3 + 3 + 3 weeks, all her own
    for name in ("Ada", "Ben", "Cam", "Dev", "Eli", "Fei", "Gus", "Hal", "Jon"):
        assert ("ONC003", name) not in flagged
    ivy = next(f for f in audit.findings if f.subject.id == "Ivy")
    assert "does 9.0 engineer-weeks" in ivy.message and ivy.severity == "medium"
    # Ada leads the 14-week epic: she does half a quarter of it, and her own 2 weeks
    ada = everyone["ada"]
    assert ada.item_weeks == {"E-1": pytest.approx(3.8675), "E-2": 2.0}
    assert ada.owned_weeks == {"E-1": 14.0, "E-2": 2.0}
    assert ada.load == pytest.approx((3.8675 + 2) / 7.735)


def test_an_item_naming_two_people_is_split_between_them(tmp_path):
    plan = _plan(
        tmp_path / "pair",
        [
            'P-1,Search rewrite,core,6,"Ann, Bob",P2',
            "P-2,Index,core,3,Ann,P2",
            "P-3,Facets,core,2.5,Ann,P3",
        ],
    )
    everyone = people(facts_of(plan))
    assert everyone["ann"].item_weeks == {"P-1": 3.0, "P-2": 3.0, "P-3": 2.5}
    assert (
        everyone["bob"].item_weeks == {"P-1": 3.0} and "with Ann" in everyone["bob"].shared["P-1"]
    )
    audit = audit_of(plan, select=["ONC003"])
    assert {(f.rule, f.subject.id) for f in audit.findings} == {("ONC003", "Ann")}  # 8.5 of 7.7


def test_a_leads_share_spreads_evenly_over_a_small_team_and_never_shrinks_as_the_item_grows():
    lead = 3.8675
    assert share_of(3, 1, 12, lead) == 3  # small: all theirs
    assert share_of(14, 1, 12, lead) == lead  # 14 / 12 is less than the lead's share
    assert share_of(30, 1, 3, lead) == 10  # a 3-person team: an even third
    assert share_of(14, 1, None, lead) == lead  # no headcount: the lead's share
    assert share_of(6, 2, 12, lead) == 3
    shares = [share_of(w / 4, 1, 5, lead) for w in range(0, 200)]
    assert shares == sorted(shares)


def test_key_person_findings_stay_about_knowledge(tmp_path):
    # the only expert of two tier-1 services is high whatever their load; load alone is medium
    folder = _plan(
        tmp_path / "expert", ["X-1,Small fix,core,1,Kai,P3", "X-2,Another,core,1,Kai,P3"]
    )
    (folder / "services.csv").write_text(
        "service,owner_team,tier,experts\npay,core,1,Kai\nauth,core,1,Kai\n"
    )
    audit = audit_of(folder, select=["ONC003"])
    kai = next(f for f in audit.findings if f.subject.id == "Kai")
    assert kai.severity == "high" and "only listed expert of 2 tier-1 services" in kai.message
    assert "engineer-weeks" not in kai.message


def test_a_surname_first_owner_is_one_person(tmp_path):
    # "Doe, Jane" is one person; "Ann, Bob" is two, since Ann owns an item alone
    plan = _plan(
        tmp_path / "names",
        [
            'D-1,Quotas,core,1,"Doe, Jane",P1',
            'D-2,Limits,core,1,"Doe, Jane",P1',
            'D-3,Keys,core,1,"Doe, Jane",P1',
            'A-1,Search,core,2,"Ann, Bob",P3',
            "A-2,Index,core,1,Ann,P3",
        ],
    )
    everyone = people(facts_of(plan))
    assert set(everyone) == {"doejane", "ann", "bob"}
    audit = audit_of(plan, select=["ONC003"])
    assert {(f.rule, f.subject.id) for f in audit.findings} == {
        ("ONC003", "Doe, Jane")
    }  # 3 P1 items


def test_critical_items_come_with_the_people_of_the_same_pass(tmp_path, monkeypatch):
    # what counts as critical work is read with each person's items, once per item, and
    # each distinct priority cell is read once however many items carry it
    plan = _plan(
        tmp_path / "critical",
        [
            'C-1,Cutover,core,20,"Ann, Bob",P1',  # both named; a lead's share for each
            "C-2,Index,core,2,Ann,p1",
            "C-3,Facets,core,2,Ann,P3",
            "C-4,Quotas,core,1,Bob,P1",
            "C-5,Docs,core,1,Cy,P3",
        ],
    )
    facts = facts_of(plan)
    from roadmap_audit.analyze import people as analyzed

    read: list[str] = []
    normalize = analyzed.normalize_name
    monkeypatch.setattr(analyzed, "normalize_name", lambda s: read.append(s) or normalize(s))
    critical = analyzed.CriticalWork(facts, priorities=["P1"], max_tier=None, committed=True)
    read.clear()
    everyone = people(facts, critical=critical)
    priorities = [r for r in read if r.strip().upper() in {"P1", "P3"}]
    assert sorted(priorities) == ["P1", "P3", "p1"]  # one read per distinct cell
    assert [(i.key, why) for i, why in everyone["ann"].critical] == [("C-1", "P1"), ("C-2", "p1")]
    assert [(i.key, why) for i, why in everyone["bob"].critical] == [("C-1", "P1"), ("C-4", "P1")]
    assert everyone["cy"].critical == []
    assert people(facts)["ann"].critical == []  # not asked: not read
    # the shared item: each does a lead's share of their half, and says why
    assert everyone["bob"].shared["C-1"] == "with Ann; led with the rest of core"
    assert everyone["ann"].shared["C-1"] == "with Bob; led with the rest of core"
    assert "C-2" not in everyone["ann"].shared
