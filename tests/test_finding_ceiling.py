"""A finding the check doubts is held at medium, whatever escalates it: an item whose kind only
its description's words say ("Clients migrated last quarter"), and a migration whose way back
is written in its description rather than its rollback cell. Plans written as CSV folders."""

from __future__ import annotations

import csv

import pytest

from .conftest import audit_of

HEADER = [
    "key",
    "title",
    "team",
    "kind",
    "estimate",
    "due",
    "committed",
    "rollback_plan",
    "description",
]


def _plan(tmp_path, rows):
    folder = tmp_path / "plan"
    folder.mkdir()
    with (folder / "items.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        writer.writerows(rows)
    (folder / "teams.csv").write_text("team,headcount\npayments,8\n", encoding="utf-8")
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
