"""`roadmap-audit template`: the blank plan workbook of SPEC §2.1, derived from load/schema.py."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from roadmap_audit.load import schema
from roadmap_audit.template import write_template

from .conftest import audit_of, run_cli

TODAY = dt.date(2026, 5, 20)


@pytest.fixture
def template(tmp_path: Path) -> Path:
    path = tmp_path / "plan.xlsx"
    write_template(path, today=TODAY)
    return path


def test_every_schema_column_says_what_it_means_and_what_its_cells_may_hold():
    unnoted = {(s.name, c.name) for s in schema.SHEETS for c in s.columns if not c.note.strip()}
    assert unnoted == set(), "columns without a note in load/schema.py"
    kinds = {c.kind for s in schema.SHEETS for c in s.columns}
    assert kinds - set(schema.KIND_FORMS) == set(), "column kinds without a form in KIND_FORMS"


def test_sheets_and_headers_come_from_the_schema(template: Path):
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames == [s.name for s in schema.SHEETS]
    for spec in schema.SHEETS:
        ws = wb[spec.name]
        headers = [c.value for c in ws[1]]
        assert headers == [c.name for c in spec.columns]
        for cell in ws[1]:
            assert cell.comment is not None and len(cell.comment.text) > 20, (spec.name, cell.value)
        assert ws.max_row >= 2, f"{spec.name} has no example row"


def test_header_notes_name_units_and_forms(template: Path):
    ws = openpyxl.load_workbook(template)["Items"]
    notes = {c.value: c.comment.text for c in ws[1]}
    assert "engineer-weeks" in notes["estimate"]
    assert "2026-07-01" in notes["due"]
    assert "Required" in notes["title"]
    assert notes["title"].count("Required") == 1
    assert "summary" in notes["title"]  # the aliases come from the schema


def test_data_validation(template: Path):
    wb = openpyxl.load_workbook(template)

    def rules(sheet: str) -> dict[str, object]:
        ws = wb[sheet]
        letters = {c.column_letter: c.value for c in ws[1]}
        found = {}
        for dv in ws.data_validations.dataValidation:
            for rng in str(dv.sqref).split():
                found[letters[rng.split(":")[0].rstrip("0123456789")]] = dv
        return found

    items = rules("Items")
    assert items["kind"].type == "list" and "migration" in items["kind"].formula1
    assert items["due"].type == "date" and items["start"].type == "date"
    assert items["committed"].type == "list" and "yes" in items["committed"].formula1
    teams = rules("Teams")
    assert teams["ops_allocation"].type == "decimal" and teams["availability"].type == "decimal"
    services = rules("Services")
    assert services["tier"].type == "list" and services["slo_measured"].type == "list"
    assert services["slo"].type == "decimal"


def test_template_loads_back_with_no_data_problems(template: Path):
    result = run_cli("validate", str(template))
    assert result.returncode == 0, result.stderr
    assert "no data problems" in result.stdout


def test_template_audits_cleanly(template: Path):
    audit = audit_of(template)
    assert audit.data_quality.issues == []
    assert audit.findings == [], [(f.rule, f.subject.id, f.message) for f in audit.findings]
    assert audit.verdict == "go"
    assert audit.plan.quarter == "2026-Q3"  # the quarter after TODAY


def test_cli_writes_a_template_and_never_overwrites(tmp_path: Path):
    path = tmp_path / "new-plan.xlsx"
    result = run_cli("template", str(path))
    assert result.returncode == 0, result.stderr
    assert path.is_file()
    again = run_cli("template", str(path))
    assert again.returncode == 2 and "already exists" in again.stderr


def test_template_is_deterministic(tmp_path: Path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_template(a, today=TODAY)
    write_template(b, today=TODAY)
    assert a.read_bytes() == b.read_bytes()


def test_from_a_jira_export_it_writes_the_context_workbook_the_plan_lacks(tmp_path: Path):
    from .conftest import SAMPLES

    plan = SAMPLES / "jira" / "tidewater-2026-Q3.csv"
    out = tmp_path / "teams.xlsx"
    result = run_cli("template", str(out), "--from", str(plan))
    assert result.returncode == 0, result.stderr
    assert "3 teams and 6 services to fill in" in result.stderr
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [s.name for s in schema.SHEETS if s is not schema.ITEMS]

    def rows(name):
        return [[c.value for c in r][:2] for r in wb[name].iter_rows(min_row=2) if r[0].value]

    assert rows("Teams") == [["orders", None], ["payments", None], ["platform", None]]
    assert ["ledger", "payments"] in rows("Services") and ["orders-db", "orders"] in rows(
        "Services"
    )
    assert (
        rows("Org") == rows("Actions") == rows("Incidents") == []
    )  # no example would be read as real
    # as written, nobody has a headcount yet: the audit says so; with headcounts, load is checked
    assert "load not checked for 3 of 3 teams" in audit_of(plan, context=[out]).verdict_reason
    ws = wb["Teams"]
    for row in range(2, 5):
        ws.cell(row=row, column=3, value=5)  # headcount
    wb.save(out)
    audit = audit_of(plan, context=[out])
    assert "not checked" not in audit.verdict_reason and all(t.capacity_known for t in audit.teams)


def test_from_a_plan_with_every_team_staffed_there_is_nothing_to_write(tmp_path: Path):
    from .conftest import SAMPLES

    out = tmp_path / "teams.xlsx"
    result = run_cli("template", str(out), "--from", str(SAMPLES / "northwind-2026-Q3.xlsx"))
    assert result.returncode == 2 and not out.exists()
    assert "every team that owns items already has a staffing row" in result.stderr
    assert (
        run_cli("template", str(out), "--level", "epic").returncode == 2
    )  # --level goes with --from
