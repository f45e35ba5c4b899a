"""Dependency findings once per cause: a chain is DEP004's; DEP001 is for what many committed items
across teams wait on."""

from __future__ import annotations

from .conftest import audit_of

TEAMS = "team,headcount,oncall_rotation,ops_allocation\n" + "".join(
    f"{t},5,0,10%\n" for t in "abcdefgh"
)


def _plan(folder, rows: list[str]):
    folder.mkdir()
    (folder / "settings.csv").write_text("key,value\nquarter,2026-Q3\n")
    (folder / "teams.csv").write_text(TEAMS)
    (folder / "items.csv").write_text(
        "key,title,team,estimate,owner,due,depends_on,committed\n" + "\n".join(rows) + "\n"
    )
    return folder


def _found(audit, *rules):
    return {(f.rule, f.subject.id): f.severity for f in audit.findings if f.rule in rules}


def test_a_chain_is_one_dep004_and_its_links_are_no_dep001(tmp_path):
    # A-1 (a) waits on B-1 (b), which waits on C-1 (c), which waits on D-1 (d): a chain through four teams.
    # C-1 is a cut point of the committed work that 2 committed items wait on, and has no owner: before,
    # DEP001 said "high" on C-1 beside DEP004 on A-1 for the same chain.
    plan = _plan(
        tmp_path / "chain",
        [
            "A-1,Checkout on new tax rules,a,3,Ann,2026-09-15,B-1,yes",
            "B-1,Tax rules API,b,3,Bo,2026-09-01,C-1,yes",
            "C-1,Tax rate tables,c,3,,2026-08-15,D-1,yes",
            "D-1,Tax data import,d,,,2026-08-01,,",
        ],
    )
    found = _found(audit_of(plan, select=["DEP001", "DEP004"]), "DEP001", "DEP004")
    assert found == {("DEP004", "A-1"): "medium"}


def test_what_many_committed_items_across_teams_wait_on_is_still_dep001(tmp_path):
    # HUB-1 (e) heads nothing but five committed items of a, b and c wait on it; it also sits on a chain
    # through four teams (A-1 -> B-1 -> C-1 -> HUB-1). Many dependents and fragile (no owner): high.
    plan = _plan(
        tmp_path / "hub",
        [
            "A-1,Checkout on the SDK,a,3,Ann,2026-09-15,B-1,yes",
            "B-1,Payouts on the SDK,b,3,Bo,2026-09-01,C-1,yes",
            "C-1,Refunds on the SDK,c,3,Cy,2026-08-15,HUB-1,yes",
            "A-2,Wallets on the SDK,a,3,Ann,2026-09-15,HUB-1,yes",
            "B-2,Reports on the SDK,b,3,Bo,2026-09-15,HUB-1,yes",
            "HUB-1,Shared payments SDK,e,4,,2026-08-01,,",
        ],
    )
    found = _found(audit_of(plan, select=["DEP001", "DEP004"]), "DEP001", "DEP004")
    assert found[("DEP001", "HUB-1")] == "high"
    assert found[("DEP004", "A-1")] == "medium"
    assert ("DEP001", "C-1") not in found and ("DEP001", "B-1") not in found


def test_a_cut_point_only_its_own_team_waits_on_is_the_teams_sequencing(tmp_path):
    # F-2 and F-3 wait on F-1 through nothing else: a cut point, but all in team f
    plan = _plan(
        tmp_path / "own",
        [
            "F-1,Schema change,f,2,Fay,2026-08-01,,",
            "F-2,Use the schema,f,2,Fay,2026-09-01,F-1,yes",
            "F-3,Report on it,f,2,Fay,2026-09-01,F-1,yes",
            "G-1,Consumer,g,2,Gus,2026-09-01,H-1,yes",
            "G-2,Second consumer,g,2,Gus,2026-09-01,H-1,yes",
            "H-1,Event feed,h,2,,2026-08-01,,",
        ],
    )
    found = _found(audit_of(plan, select=["DEP001"]), "DEP001")
    # H-1 is what two committed items of another team wait on: medium, never escalated for two
    assert found == {("DEP001", "H-1"): "medium"}
