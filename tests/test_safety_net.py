"""Safety-net cells (rollback plan, rehearsal, flag or rollout) read as a person reads them,
through the workbook path (xlsx and CSV) and the Jira path (CSV and JSON), and children
counting for their parents at issue and epic level."""

from __future__ import annotations

import csv
import io
import json
import tomllib

import pytest
from openpyxl import Workbook

from roadmap_audit.analyze import safety
from roadmap_audit.analyze.safety import PracticeReader, practice_named, read_cell
from roadmap_audit.analyze.words import PhraseSet
from roadmap_audit.config import Config
from roadmap_audit.engine import builtin_rules_dir
from roadmap_audit.pipeline import Options, run

from .conftest import SAMPLES

RULES = builtin_rules_dir()


def _params(rule_id):
    return {
        k: v["value"]
        for k, v in tomllib.loads((RULES / f"{rule_id}.toml").read_text())["params"].items()
    }


def _audit(plan, select, level="issue", context=()):
    return run(
        Options(
            plan=str(plan),
            context=[str(c) for c in context],
            select=list(select),
            level=level,
            config=Config(),
        )
    )


def _found(audit, rule):
    return {f.subject.id: f for f in audit.findings if f.rule == rule}


# ------------------------------------------------------------------ the reader, on the rule file's examples

MIG001 = _params("MIG001")
WAY_BACK = PhraseSet(MIG001["evidence_words"])
PLACEHOLDERS = PhraseSet(MIG001["placeholder_words"])
REFUSALS = PhraseSet(MIG001["refusal_words"])
POINTERS = PhraseSet(MIG001["pointer_words"])


@pytest.mark.parametrize("cell", MIG001["examples"]["counts"])
def test_a_rollback_cell_the_rule_file_says_counts_is_a_plan(cell):
    reading = read_cell(cell, WAY_BACK, PLACEHOLDERS, REFUSALS, POINTERS)
    assert reading.verdict == "plan", reading
    assert (
        reading.words and reading.words.lower() in cell.lower()
    )  # the words that decided, as written


@pytest.mark.parametrize("cell", MIG001["examples"]["does_not_count"])
def test_a_rollback_cell_the_rule_file_says_does_not_count_is_missing(cell):
    assert read_cell(cell, WAY_BACK, PLACEHOLDERS, REFUSALS, POINTERS).verdict == "missing"


def test_words_that_are_neither_a_placeholder_nor_a_way_back_are_unclear_not_missing():
    assert (
        read_cell(
            "Coordinate with the DBA team", WAY_BACK, PLACEHOLDERS, REFUSALS, POINTERS
        ).verdict
        == "unclear"
    )
    assert (
        read_cell(
            "Runbook: https://wiki.example.com/x", WAY_BACK, PLACEHOLDERS, REFUSALS, POINTERS
        ).verdict
        == "unclear"
    )


def test_the_reader_quotes_the_deciding_words():
    assert read_cell("TBD - see doc", WAY_BACK, PLACEHOLDERS, REFUSALS, POINTERS).words == "TBD"
    assert (
        read_cell("N/A - one-way migration", WAY_BACK, PLACEHOLDERS, REFUSALS, POINTERS).words
        == "N/A"
    )
    assert (
        read_cell(
            "Reads switch back to the old bucket", WAY_BACK, PLACEHOLDERS, REFUSALS, POINTERS
        ).words
        == "switch back"
    )


def test_a_practice_reader_reads_each_distinct_text_once_and_as_practice_named_does(monkeypatch):
    lch = _params("LCH001")
    words = PhraseSet(lch["evidence_words"])
    missing = PhraseSet([*lch["placeholder_words"], *lch["refusal_words"]])
    texts = [
        "Feature flag TBD",
        "Rollout: not yet, but feature flag per seller",
        "No canary; load test TBD",
        "Ship it",
        "Fläche: Feature-Flag pro Händler",
        None,
        "",
    ]
    reader = PracticeReader(words, missing)
    for a in texts:
        for b in texts:
            assert reader.named(a, b) == practice_named(words, missing, a, b), (a, b)
    assert reader.named("Rollout: not yet, but feature flag per seller")[0] == "feature flag"
    assert reader.named("No canary", "Ship it") == (None, "No canary")
    assert reader.named("Ship it", "Feature flag TBD") == (None, "Feature flag TBD")
    assert reader.named("Fläche: Feature-Flag pro Händler")[0] == "feature flag"
    assert reader.named("No canary; load test TBD", "Feature flag per seller") == (
        "feature flag",
        None,
    )

    calls = []
    clauses = safety._clauses
    monkeypatch.setattr(safety, "_clauses", lambda t: calls.append(t) or clauses(t))
    counted = PracticeReader(words, missing)
    for _ in range(50):  # fifty items with the same cell, and titles naming no practice
        counted.named("Canary: TBD", "Checkout page copy")
    assert calls == ["Canary: TBD"]


def test_a_practice_left_open_in_its_clause_is_not_planned():
    lch = _params("LCH001")
    words = PhraseSet(lch["evidence_words"])
    missing = PhraseSet([*lch["placeholder_words"], *lch["refusal_words"]])
    assert practice_named(words, missing, "Feature flag TBD")[0] is None
    assert practice_named(words, missing, "Canary later")[0] is None
    assert (
        practice_named(words, missing, "Feature flag per seller; load test TBD")[0]
        == "feature flag"
    )
    assert practice_named(words, missing, "load test: not planned")[0] is None
    assert practice_named(words, missing, "Canary: TBD")[0] is None
    assert practice_named(words, missing, "Load test - not planned")[0] is None


# ------------------------------------------------------------------ the workbook path

# (key, title, rollback cell) -- the cells people write; the first group says there is no way back.
ROLLBACK_MISSING = [
    ("R-1", "Migrate invoices to v2", "TBD - see doc"),
    ("R-2", "Migrate payouts to v2", "TBD (Olu to write)"),
    ("R-3", "Migrate refunds to v2", "Rollback plan TBD"),
    ("R-4", "Migrate fees to v2", "We'll figure it out"),
    ("R-5", "Migrate carts to v2", "pending"),
    ("R-6", "Migrate wallets to v2", "not yet"),
    ("R-7", "Migrate coupons to v2", "To be defined"),
    ("R-8", "Migrate sessions to v2", "see doc"),
    ("R-9", "Migrate the ledger to v2", "N/A - one-way migration"),
    ("R-10", "Migrate tokens to v2", "https://wiki.example.com/display/PAY/rollback"),
]
ROLLBACK_PLAN = [
    (
        "R-20",
        "Migrate orders to v2",
        "Turn the dual-write flag off; the old table stays the source of truth",
    ),
    ("R-21", "Migrate search to v2", "Revert the deploy"),
    ("R-22", "Migrate users to v2", "Restore from the pre-migration snapshot"),
    ("R-23", "Migrate prices to v2", "expand/contract: the old schema stays readable until Q4"),
    ("R-24", "Migrate reviews to v2", "Switch traffic back to the old cluster"),
    (
        "R-25",
        "Migrate images to v2",
        "Coordinate with the DBA team",
    ),  # unclear: quiet, not a false high
]
# (key, title, rehearsal cell)
REHEARSED = [
    (
        "P-1",
        "Migrate the catalog to v2",
        "Rehearsed on a production-size mirror cluster with replayed production traffic",
    ),
    ("P-2", "Migrate the ledger to v3", "Shadowed production traffic for two weeks"),
    ("P-3", "Migrate the labels to v2", "Replay production traffic against the staging cluster"),
]
NOT_REHEARSED = [
    ("P-10", "Migrate the inventory to v2", "Dry run in staging"),
    ("P-11", "Migrate the returns to v2", "Tested on a 1 % sample of orders"),
    ("P-12", "Migrate the quotes to v2", "dry run"),
    ("P-13", "Migrate the taxes to v2", "Load test TBD"),
    ("P-14", "Migrate the parcels to v2", "Load test in staging"),
]
HEADER = ["key", "title", "team", "kind", "estimate", "rollback_plan", "rehearsal"]


def _rows():
    rows = [
        [k, t, "core", "migration", 2, cell, "Shadow reads for two weeks"]
        for k, t, cell in ROLLBACK_MISSING + ROLLBACK_PLAN
    ]
    rows += [
        [k, t, "core", "migration", 2, "Revert the deploy", cell]
        for k, t, cell in REHEARSED + NOT_REHEARSED
    ]
    return rows


def _xlsx(path):
    wb = Workbook()
    items = wb.active
    items.title = "Items"
    items.append(HEADER)
    for row in _rows():
        items.append(row)
    teams = wb.create_sheet("Teams")
    teams.append(["team", "headcount", "oncall_rotation", "ops_allocation"])
    teams.append(["core", 10, 8, 0.2])
    wb.save(path)
    return path


def _csv_folder(folder):
    folder.mkdir()
    with (folder / "items.csv").open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([HEADER, *_rows()])
    (folder / "teams.csv").write_text(
        "team,headcount,oncall_rotation,ops_allocation\ncore,10,8,20%\n"
    )
    return folder


def _jira_csv(path):
    header = [
        "Summary",
        "Issue key",
        "Issue id",
        "Issue Type",
        "Status",
        "Custom field (Team)",
        "Custom field (Rollback plan)",
        "Custom field (Rehearsal)",
    ]
    rows = [
        [t, k, str(100 + n), "Story", "To Do", "core", rb, rh]
        for n, (k, t, _, _, _, rb, rh) in enumerate(_rows())
    ]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *rows])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _jira_json(path):
    """A /rest/api/2/search page with the site's field names expanded (`expand=names`)."""
    names = {
        "summary": "Summary",
        "customfield_10001": "Team",
        "customfield_10210": "Rollback plan",
        "customfield_10211": "Rehearsal",
    }
    issues = [
        {
            "id": str(100 + n),
            "key": k,
            "fields": {
                "summary": t,
                "issuetype": {"name": "Story"},
                "status": {
                    "name": "To Do",
                    "statusCategory": {"id": 2, "key": "new", "name": "To Do"},
                },
                "customfield_10001": "core",
                "customfield_10210": rb,
                "customfield_10211": rh,
            },
        }
        for n, (k, t, _, _, _, rb, rh) in enumerate(_rows())
    ]
    path.write_text(
        json.dumps(
            {
                "startAt": 0,
                "maxResults": 100,
                "total": len(issues),
                "issues": issues,
                "names": names,
            }
        ),
        encoding="utf-8",
    )
    return path


@pytest.fixture(params=["xlsx", "csv", "jira-csv", "jira-json"])
def cells_plan(request, tmp_path):
    if request.param == "xlsx":
        return _xlsx(tmp_path / "plan.xlsx")
    if request.param == "csv":
        return _csv_folder(tmp_path / "plan")
    if request.param == "jira-json":
        return _jira_json(tmp_path / "search.json")
    return _jira_csv(tmp_path / "Jira.csv")


def test_rollback_cells_that_say_there_is_none_raise_mig001_and_quote_the_words(cells_plan):
    found = _found(_audit(cells_plan, ["MIG001"]), "MIG001")
    for key, _, cell in ROLLBACK_MISSING:
        assert key in found, (key, cell)
    assert "('TBD': a placeholder)" in found["R-1"].message
    assert "('N/A': says there is no way back)" in found["R-9"].message
    assert "a bare link with no words" in found["R-10"].message
    for key, _, cell in ROLLBACK_PLAN:
        assert key not in found, (key, cell)


def test_a_production_scale_rehearsal_is_read_by_meaning(cells_plan):
    found = _found(_audit(cells_plan, ["MIG002"]), "MIG002")
    for key, _, cell in REHEARSED:
        assert key not in found, (key, cell)
    for key, _, cell in NOT_REHEARSED:
        assert key in found, (key, cell)
    assert "('Load test TBD' names a practice only to leave it open)" in found["P-13"].message
    assert "('Load test in staging' is not at production scale)" in found["P-14"].message


# ------------------------------------------------------------------ children, issue and epic level


def _jira_family(path):
    """Epics whose children are (or are not) their safety net, as a Jira CSV export."""
    header = [
        "Summary",
        "Issue key",
        "Issue id",
        "Issue Type",
        "Status",
        "Custom field (Team)",
        "Parent",
        "Due date",
        "Custom field (Start date)",
    ]
    rows = [
        ["Migrate the ledger to v2", "LED-1", "1", "Epic", "To Do", "ledger", "", "", ""],
        [
            "Rollback runbook for the ledger move",
            "LED-2",
            "2",
            "Story",
            "To Do",
            "ledger",
            "1",
            "",
            "",
        ],
        ["Copy ledger rows to v2", "LED-3", "3", "Story", "To Do", "ledger", "1", "", ""],
        [
            "Migrate invoices to the new store",
            "INV-1",
            "11",
            "Epic",
            "To Do",
            "billing",
            "",
            "",
            "",
        ],
        [
            "Dual write lets us switch back",
            "INV-2",
            "12",
            "Story",
            "To Do",
            "billing",
            "11",
            "",
            "",
        ],
        [
            "Migrate payouts to the new store",
            "POUT-1",
            "21",
            "Epic",
            "To Do",
            "payouts",
            "",
            "",
            "",
        ],
        ["Payout report page", "POUT-2", "22", "Story", "To Do", "payouts", "21", "", ""],
        ["Rollback plan TBD", "POUT-3", "23", "Story", "To Do", "payouts", "21", "", ""],
        [
            "Launch refunds",
            "REF-1",
            "31",
            "Epic",
            "To Do",
            "refunds",
            "",
            "04/Sep/26 12:00 AM",
            "06/Jul/26 12:00 AM",
        ],
        [
            "Feature flag and staged rollout for refunds",
            "REF-2",
            "32",
            "Story",
            "To Do",
            "refunds",
            "31",
            "28/Aug/26 12:00 AM",
            "06/Jul/26 12:00 AM",
        ],
        [
            "Refund endpoints go live",
            "REF-3",
            "33",
            "Story",
            "To Do",
            "refunds",
            "31",
            "14/Aug/26 12:00 AM",
            "13/Jul/26 12:00 AM",
        ],
    ]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *rows])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


@pytest.mark.parametrize("level", ["issue", "epic"])
def test_a_child_that_is_the_way_back_counts_for_its_parent_and_the_finding_lists_the_children(
    tmp_path, level
):
    plan = _jira_family(tmp_path / "Jira.csv")
    found = _found(_audit(plan, ["MIG001", "LCH001"], level=level), "MIG001")
    assert "LED-1" not in found  # "Rollback runbook for the ledger move"
    assert "INV-1" not in found  # "Dual write lets us switch back"
    assert (
        "INV-2" not in found
    )  # and the dual write is its own way back, not a migration without one
    assert "POUT-1" in found  # a report page and a placeholder are no way back
    assert "POUT-2 'Payout report page'" in found["POUT-1"].message
    assert "POUT-3 'Rollback plan TBD'" in found["POUT-1"].message
    launches = _found(_audit(plan, ["LCH001"], level=level), "LCH001")
    assert "REF-1" not in launches


def test_a_safety_child_is_not_a_risky_change_stacked_on_its_parent(tmp_path):
    plan = _jira_family(tmp_path / "Jira.csv")
    audit = _audit(plan, ["MIG003"])
    assert not {f.subject.id for f in audit.findings if f.rule == "MIG003"} & {
        "refunds",
        "ledger",
        "billing",
    }
    for f in audit.findings:
        assert "REF-2" not in f.message.split("Counted as steps")[0]


# ------------------------------------------------------------------ the Tidewater samples

JIRA = SAMPLES / "jira"


@pytest.mark.parametrize(
    "plan", [JIRA / "tidewater-2026-Q3.csv", JIRA / "json"], ids=["csv", "json"]
)
@pytest.mark.parametrize("level", ["issue", "epic"])
def test_tidewater_ord1_has_its_safety_net_in_its_children(plan, level):
    audit = _audit(
        plan, ["MIG001", "MIG002", "MIG003", "LCH001"], level=level, context=[JIRA / "context.xlsx"]
    )
    found = {(f.rule, f.subject.id) for f in audit.findings}
    assert not found & {
        ("MIG001", "ORD-1"),
        ("MIG002", "ORD-1"),
        ("LCH001", "PAY-1"),
        ("MIG003", "orders"),
    }
    stacked = " ".join(
        f.message.split(". Counted as steps")[0] for f in audit.findings if f.rule == "MIG003"
    )
    assert "PAY-3" not in stacked and "ORD-2" not in stacked
    assert ("MIG002", "PAY-7") in found  # the vault migration is still unrehearsed


def test_the_examples_are_documented_in_rules_explain():
    from .conftest import run_cli

    result = run_cli("rules", "explain", "MIG001")
    assert result.returncode == 0, result.stderr
    assert "TBD - see doc" in result.stdout and "placeholder" in result.stdout


def test_descendants_walk_deep_chains_and_stop_at_loops():
    from roadmap_audit.analyze.safety import descendants
    from roadmap_audit.model import Item, SourceRef

    ref = SourceRef(source="plan.csv")
    chain = [
        Item(key=f"K-{n}", title=f"step {n}", parent=f"K-{n - 1}" if n else None, ref=ref)
        for n in range(3000)
    ]
    below = descendants(chain)
    assert [i.key for i in below["K-2997"]] == ["K-2998", "K-2999"]
    assert [i.key for i in below["K-0"]] == [f"K-{n}" for n in range(1, 21)]  # MAX_DEPTH levels
    loop = [
        Item(key="A", title="a", parent="B", ref=ref),
        Item(key="B", title="b", parent="A", ref=ref),
    ]
    assert {k: [i.key for i in v] for k, v in descendants(loop).items()} == {"B": ["A"], "A": ["B"]}


def test_a_step_of_a_migration_is_rehearsed_by_the_safety_work_planned_beside_it(tmp_path):
    """'Cut over order reads' under the storage migration is rehearsed by its sibling 'Shadow reads for order
    reads': the epic's plan is one plan. A cutover whose siblings rehearse nothing is still MIG002's."""
    header = [
        "Summary",
        "Issue key",
        "Issue id",
        "Issue Type",
        "Status",
        "Custom field (Team)",
        "Parent",
    ]
    rows = [
        ["Migrate order storage to Aurora", "ORD-1", "1", "Epic", "To Do", "orders", ""],
        ["Shadow reads for order reads", "ORD-2", "2", "Story", "To Do", "orders", "1"],
        ["Cut over order reads to Aurora", "ORD-3", "3", "Story", "To Do", "orders", "1"],
        ["Migrate payouts to the new store", "POUT-1", "11", "Epic", "To Do", "payouts", ""],
        ["Payout report page", "POUT-2", "12", "Story", "To Do", "payouts", "11"],
        ["Cut over payouts to the new store", "POUT-3", "13", "Story", "To Do", "payouts", "11"],
    ]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *rows])
    plan = tmp_path / "Jira.csv"
    plan.write_text(buffer.getvalue(), encoding="utf-8")
    found = set(_found(_audit(plan, ["MIG002"]), "MIG002"))
    assert not found & {"ORD-1", "ORD-3"}
    assert {"POUT-1", "POUT-3"} <= found
