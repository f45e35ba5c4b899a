"""A finding the check doubts is held at medium, whatever escalates it: an item whose kind only
its description's words say ("Clients migrated last quarter"), and a migration whose way back
is written in its description rather than its rollback cell. Plans written as CSV folders."""

from __future__ import annotations

import csv

import pytest

from .conftest import audit_of

HEADER = "key,title,team,kind,estimate,due,committed,rollback_plan,description"


def _plan(tmp_path, rows, header=HEADER, team="payments"):
    """A plan folder: the items under `header` (a CSV header line), one team of 8, the quarter 2026-Q3."""
    folder = tmp_path / "plan"
    folder.mkdir()
    with (folder / "items.csv").open("w", newline="", encoding="utf-8") as f:
        f.write(header + "\n")
        csv.writer(f).writerows(rows)
    (folder / "teams.csv").write_text(f"team,headcount\n{team},8\n", encoding="utf-8")
    (folder / "settings.csv").write_text("key,value\nquarter,2026-Q3\n", encoding="utf-8")
    return folder


def _found(audit, rule):
    return {f.subject.id: f for f in audit.findings if f.rule == rule}


@pytest.fixture(scope="module")
def audit(tmp_path_factory):
    rows = [
        # the kind column names no kind, the title none: only the description says "migrated"
        [
            "PAY-1",
            "Drop legacy v1 payments endpoints",
            "payments",
            "chore",
            "2",
            "2026-08-28",
            "yes",
            "",
            "Clients migrated last quarter; removal is final",
        ],
        # the same promise with the kind in the title: certain, so critical
        ["PAY-2", "Migrate the ledger to Aurora", "payments", "", "3", "2026-08-28", "yes", "", ""],
        # a kind column that says migration, the way back only in the description
        [
            "PAY-3",
            "Move CI pipelines from Jenkins to GitHub Actions",
            "payments",
            "migration",
            "4",
            "2026-09-04",
            "no",
            "",
            "Jenkins stays up until every repo is green on Actions",
        ],
        # a description that names a way back only to rule it out holds nothing
        [
            "PAY-4",
            "Backfill customer_id on orders",
            "payments",
            "migration",
            "1",
            "2026-08-28",
            "no",
            "",
            "No rollback possible once it runs",
        ],
        # the same words in the rollback cell are a plan: no finding
        [
            "PAY-5",
            "Move search indexing to the new cluster",
            "payments",
            "migration",
            "2",
            "2026-09-11",
            "no",
            "The old cluster stays up until the new one is proven",
            "",
        ],
    ]
    return audit_of(_plan(tmp_path_factory.mktemp("ceiling"), rows))


def test_a_kind_read_only_from_the_description_holds_the_finding_at_medium(audit):
    mig001, mig002 = _found(audit, "MIG001"), _found(audit, "MIG002")
    assert mig001["PAY-1"].severity == "medium"  # committed: critical if the kind were certain
    assert mig002["PAY-1"].severity == "medium"  # committed: high if the kind were certain
    assert "held at medium: only its description's words say it is a migration" in (
        mig001["PAY-1"].message
    )
    assert "kind from the description word 'migrated'" in mig001["PAY-1"].message


def test_a_kind_the_title_says_still_escalates(audit):
    finding = _found(audit, "MIG001")["PAY-2"]
    assert finding.severity == "critical"
    assert "held at medium" not in finding.message


def test_a_way_back_written_only_in_the_description_holds_the_finding_at_medium(audit):
    finding = _found(audit, "MIG001")["PAY-3"]
    assert finding.severity == "medium"
    assert "its description names a rollback plan ('stays up')" in finding.message


def test_a_description_that_rules_the_way_back_out_holds_nothing(audit):
    finding = _found(audit, "MIG001")["PAY-4"]
    assert finding.severity == "high"
    assert "held at medium" not in finding.message


def test_the_way_back_in_the_rollback_cell_ends_the_finding(audit):
    assert "PAY-5" not in _found(audit, "MIG001")


# ---------------------------------------------------------------- a migration epic and its steps

EPIC_HEADER = "key,title,team,kind,estimate,due,rollback_plan,description,parent"


def _epic_plan(tmp_path, rows):
    return _plan(tmp_path, rows, EPIC_HEADER, "billing")


def _steps(epic_rollback: str, epic_description: str) -> list[list[str]]:
    return [
        [
            "BIL-1",
            "Migrate billing DB to Postgres 15",
            "billing",
            "",
            "6",
            "2026-09-25",
            epic_rollback,
            epic_description,
            "",
        ],
        [
            "BIL-2",
            "Write the migration runbook",
            "billing",
            "",
            "1",
            "2026-07-17",
            "",
            "Steps, owners, comms.",
            "BIL-1",
        ],
        [
            "BIL-3",
            "Backfill invoice_lines.tax_code",
            "billing",
            "",
            "2",
            "2026-08-14",
            "",
            "",
            "BIL-1",
        ],
        [
            "BIL-4",
            "Cut over billing reads to PG15",
            "billing",
            "",
            "2",
            "2026-09-11",
            "",
            "",
            "BIL-1",
        ],
        # a runbook that mentions no change is reliability work, as before
        [
            "OPS-1",
            "Write runbooks for the invoice job alerts",
            "billing",
            "",
            "1",
            "2026-08-07",
            "",
            "",
            "",
        ],
    ]


def test_the_epics_rollback_plan_covers_its_steps(tmp_path):
    audit = audit_of(
        _epic_plan(tmp_path, _steps("Switch reads back with the pgbouncer config", ""))
    )
    assert set(_found(audit, "MIG001")) == set()


def test_a_way_back_in_the_epics_description_holds_its_steps_at_medium(tmp_path):
    described = "Rollback: the old primary stays as a replica; we switch back with pgbouncer."
    audit = audit_of(_epic_plan(tmp_path, _steps("", described)))
    mig001 = _found(audit, "MIG001")
    assert set(mig001) == {"BIL-1", "BIL-3", "BIL-4"}
    assert {f.severity for f in mig001.values()} == {"medium"}
    assert "held at medium: its description names a rollback plan" in mig001["BIL-1"].message
    assert "held at medium: BIL-1's description names a rollback plan" in mig001["BIL-3"].message


def test_steps_of_an_epic_with_no_way_back_stay_high(tmp_path):
    mig001 = _found(audit_of(_epic_plan(tmp_path, _steps("", ""))), "MIG001")
    assert set(mig001) == {"BIL-1", "BIL-3", "BIL-4"}
    assert {f.severity for f in mig001.values()} == {"high"}


def test_a_migration_runbook_is_documentation_not_the_migration(tmp_path):
    from .conftest import facts_of

    facts = facts_of(_epic_plan(tmp_path, _steps("", "")))
    assert facts.kinds["BIL-2"].value == "other"
    assert "a runbook about the migration it mentions" in facts.kind_reasons["BIL-2"]
    assert facts.kinds["OPS-1"].value == "reliability"


# ---------------------------------------------------------------- a service outside the plan


def test_an_slo_the_plan_neither_owns_nor_changes_is_held_at_medium():
    from .conftest import FIXTURES

    slo004 = _found(audit_of(FIXTURES / "rules" / "SLO004", select=["SLO004"]), "SLO004")
    assert slo004["vendored"].severity == "medium"
    assert "held at medium: no team of this plan owns it and no open item changes it" in (
        slo004["vendored"].message
    )
    assert slo004["touched"].severity == "high"  # no owner, but X-2 changes it
    assert "held at medium" not in slo004["touched"].message
    assert "where 2 are needed" in slo004["gateway"].message  # one expert of the 2 needed
