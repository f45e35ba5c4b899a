"""The command line as a user meets it: exit codes, one-line errors, the JSON contract."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from .conftest import SAMPLES, run_cli, run_process

SAMPLE = str(SAMPLES / "northwind-2026-Q3.xlsx")


@pytest.fixture(scope="module")
def html_run(tmp_path_factory):
    """`audit SAMPLE -o r.html`, run once for the tests that read what it did: the command's
    result, the report's path and the plan's bytes before the run."""
    before = (SAMPLES / "northwind-2026-Q3.xlsx").read_bytes()
    out = tmp_path_factory.mktemp("html") / "r.html"
    return run_cli("audit", SAMPLE, "-o", str(out)), out, before


@pytest.fixture(scope="module")
def fail_on_critical(tmp_path_factory):
    out = tmp_path_factory.mktemp("fail") / "r.json"
    return run_cli("audit", SAMPLE, "-o", str(out), "--fail-on", "critical")


def test_json_report_follows_the_contract(tmp_path):
    """Through the installed command, in its own process: the one test of the real entry point
    (the rest of the command line is run in-process by run_cli)."""
    out = tmp_path / "out.json"
    command = Path(sys.executable).with_name("roadmap-audit")
    assert command.exists(), f"{command}: the package's entry point is not installed"
    result = subprocess.run(
        [str(command), "audit", SAMPLE, "--format", "json", "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    doc = json.loads(out.read_text())
    assert doc["schema_version"] == 2
    assert (
        doc["plan"]["quarter"] == "2026-Q3"
        and doc["plan"]["items"] == 54
        and doc["plan"]["teams"] == 8
    )
    assert doc["verdict"] in ("go", "go-with-changes", "replan")
    team = next(t for t in doc["teams"] if t["team"] == "payments")
    for key in (
        "capacity_weeks",
        "planned_weeks",
        "ops_admitted",
        "ops_observed",
        "load",
        "score",
        "findings",
    ):
        assert isinstance(team[key], (int, float)), key
    finding = next(f for f in doc["findings"] if f["rule"] == "MIG001")
    assert finding["subject"] == {"kind": "item", "id": "PAY-102"}
    # the rule's words once, in `rules`, not on each of its findings
    assert doc["rules"]["MIG001"]["title"] == "Migration with no rollback plan"
    assert {"title", "why", "fix"} == set(doc["rules"]["MIG001"])
    assert not {"title", "why", "fix"} & set(finding)
    assert finding["severity"] in ("critical", "high")
    assert {"source": SAMPLE, "location": "Items!J3", "note": "rollback plan: empty"} in finding[
        "evidence"
    ]
    dq = doc["data_quality"]
    assert dq["rows_read"] == dq["rows_used"] + sum(1 for i in dq["issues"] if i["row_dropped"])
    assert all({"source", "location", "problem"} <= set(i) for i in dq["issues"])


def test_html_report_is_written_where_asked(html_run):
    result, out, _ = html_run
    assert result.returncode == 0, result.stderr
    html = out.read_text()
    assert "PAY-102" in html and "Replan" in html
    assert "verdict: replan" in result.stderr


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"this is not a workbook\n", "is not an .xlsx workbook"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
            "old-style .xls or a password-protected workbook",
        ),
        (b"", "the file is empty"),
    ],
)
def test_a_file_that_is_not_a_workbook_exits_2_with_one_line(tmp_path, content, expected):
    bad = tmp_path / "plan.xlsx"
    bad.write_bytes(content)
    result = run_cli("audit", str(bad))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(bad) in lines[0] and expected in lines[0]
    assert "Traceback" not in result.stderr


def test_a_truncated_workbook_exits_2_naming_the_file(tmp_path):
    data = (SAMPLES / "northwind-2026-Q3.xlsx").read_bytes()
    for cut in (200, len(data) // 2, len(data) - 30):
        bad = tmp_path / f"cut{cut}.xlsx"
        bad.write_bytes(data[:cut])
        result = run_cli("audit", str(bad))
        assert result.returncode == 2, cut
        assert len(result.stderr.strip().splitlines()) == 1 and str(bad) in result.stderr
        assert "Traceback" not in result.stderr


def test_a_workbook_with_a_damaged_sheet_exits_2(tmp_path):
    bad = tmp_path / "damaged.xlsx"
    with (
        zipfile.ZipFile(SAMPLES / "northwind-2026-Q3.xlsx") as src,
        zipfile.ZipFile(bad, "w") as dst,
    ):
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/sheet2"):
                data = data[: len(data) // 2]
            dst.writestr(info, data)
    result = run_cli("audit", str(bad))
    assert result.returncode == 2 and str(bad) in result.stderr and "Traceback" not in result.stderr


def test_missing_file_and_unknown_type_exit_2(tmp_path):
    # in a process of its own, through `python -m roadmap_audit`: one line, no traceback
    missing = run_process("audit", str(tmp_path / "nope.xlsx"))
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1
    assert "nope.xlsx" in missing.stderr and "Traceback" not in missing.stderr
    odd = tmp_path / "plan.pdf"
    odd.write_text("x")
    result = run_cli("audit", str(odd))
    assert result.returncode == 2 and "unknown file type" in result.stderr


def test_fail_on_gives_exit_1_when_findings_reach_the_severity(tmp_path, fail_on_critical):
    out = str(tmp_path / "r.json")
    assert fail_on_critical.returncode == 1
    assert (
        run_cli("audit", SAMPLE, "-o", out, "--select", "ONC001", "--fail-on", "high").returncode
        == 0
    )


def test_input_file_is_never_modified(html_run):
    result, _, before = html_run
    assert result.returncode == 0, result.stderr
    assert (SAMPLES / "northwind-2026-Q3.xlsx").read_bytes() == before


def test_validate_lists_data_problems_with_locations():
    result = run_cli("validate", SAMPLE)
    assert result.returncode == 0
    assert "Items!E35" in result.stdout and "111 rows read, 111 used" in result.stdout


def test_validate_lists_the_same_notes_as_the_audits_data_quality(tmp_path):
    (tmp_path / "items.csv").write_text(
        "key,title,team,estimate,due\nA-1,One,web,M,Aug 2026\nA-2,Two,web,1-2,\n", encoding="utf-8"
    )
    (tmp_path / "teams.csv").write_text("team,headcount\nweb,3-5\n", encoding="utf-8")
    args = (
        str(tmp_path / "items.csv"),
        "--context",
        str(tmp_path / "teams.csv"),
        "--format",
        "json",
    )
    listed = json.loads(run_cli("validate", *args).stdout)["issues"]
    audited = json.loads(run_cli("audit", *args).stdout)["data_quality"]["issues"]
    assert (
        listed == audited and len(listed) == 4
    )  # T-shirt sizes are read in derive, and still listed


def test_help_and_rules_list_work():
    assert run_cli("--help").returncode == 0
    listing = run_cli("rules", "list")
    assert listing.returncode == 0 and "MIG001" in listing.stdout
    explain = run_cli("rules", "explain", "ONC001")
    assert "Google SRE book, 'Being On-Call'" in explain.stdout
    assert run_cli("rules", "explain", "NOPE001").returncode == 2


def test_bad_quarter_option_is_a_usage_error():
    result = run_cli("audit", SAMPLE, "--quarter", "summer")
    assert result.returncode == 2 and "--quarter" in result.stderr


def test_reports_get_ordinary_file_permissions(html_run):
    import os
    import stat

    _, out, _ = html_run
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask
    assert not list(out.parent.glob(".r.html.*"))  # no temporary file left behind


SPEC_RULE_IDS = [
    "MIG001",
    "MIG002",
    "MIG003",
    "LCH001",
    "CAP001",
    "CAP002",
    "CAP003",
    "CAP004",
    "CAP005",
    "ONC001",
    "ONC002",
    "ONC003",
    "SLO001",
    "SLO002",
    "SLO003",
    "SLO004",
    "SLO005",
    "REL001",
    "REL002",
    "REL003",
    "DEP001",
    "DEP002",
    "DEP003",
    "DEP004",
    "DEP005",
    "OWN001",
    "DQ001",
]


def test_rules_list_shows_every_rule_of_the_spec():
    listed = {
        line.split()[0] for line in run_cli("rules", "list").stdout.splitlines() if line.strip()
    }
    assert len(SPEC_RULE_IDS) == 27 and set(SPEC_RULE_IDS) <= listed


def test_rules_explain_names_the_source_of_every_parameter():
    from roadmap_audit.engine import builtin_rules_dir, load_rules

    for rule in load_rules([builtin_rules_dir()]):
        text = run_cli("rules", "explain", rule.id).stdout
        params = rule.params.model_dump(mode="json")
        assert text.count("source: ") >= len(params), rule.id
        lines = {
            line.split(" = ", 1)[0].strip(): line
            for line in text.splitlines()
            if line.startswith("  ")
        }
        for name, value in params.items():
            assert f"  {name} = " in text, (rule.id, name)
            if (
                value is not None
            ):  # the line is what a config file would say: copy it and the value is the same
                assert tomllib.loads(lines[name].strip()) == {name: value}, (rule.id, name)
        for spec in rule.spec.params.values():
            assert spec.source in text, rule.id


def test_json_is_written_as_it_is_made_with_the_same_bytes_everywhere(
    tmp_path, sample_audit, monkeypatch
):
    from roadmap_audit.report import json_report, render, stream

    written = render("json", sample_audit)
    monkeypatch.setattr(json_report, "CHUNK", 4)  # a few elements per piece, as at org scale
    pieces = list(stream("json", sample_audit))
    assert (
        len(pieces) > len(sample_audit.findings) / 4
    )  # a piece per 4 list elements, not one string
    assert all(isinstance(p, bytes) for p in pieces)  # UTF-8, as the serializer wrote it
    assert b"".join(pieces).decode() == written == render("json", sample_audit)
    # the same data as dumping the whole audit at once, each rule's words moved to `rules`
    whole = json.loads(sample_audit.model_dump_json())
    doc = json.loads(b"".join(pieces))
    rules = doc.pop("rules")
    for finding in doc["findings"]:
        for key, text in rules[finding["rule"]].items():
            finding.setdefault(key, text)
    assert json.dumps(doc, sort_keys=True) == json.dumps(whole, sort_keys=True)
    # no piece is a whole section (the largest: the rules section, one entry per rule)
    assert max(len(p) for p in pieces) < len(written) / 8
    out = tmp_path / "out.json"
    to_file = run_cli("audit", SAMPLE, "--format", "json", "-o", str(out))
    to_stdout = run_cli("audit", SAMPLE, "--format", "json")
    assert to_file.returncode == to_stdout.returncode == 0
    assert out.read_text() == to_stdout.stdout
    assert json.loads(to_stdout.stdout)["plan"]["items"] == 54


def test_a_report_that_fails_while_being_written_leaves_no_file(tmp_path):
    from roadmap_audit.report import write_atomic

    def pieces():
        yield "{"
        raise RuntimeError("renderer broke")

    target = tmp_path / "report.json"
    with pytest.raises(RuntimeError):
        write_atomic(target, pieces())
    assert list(tmp_path.iterdir()) == []


def test_fail_on_names_the_findings_that_tripped_it(fail_on_critical):
    result = fail_on_critical
    assert result.returncode == 1
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("--fail-on critical: 2 findings at or above critical: ")
    assert "MIG001 PAY-102" in line and "SLO004 public-api" in line


def test_the_summary_line_says_when_no_team_load_was_checked(tmp_path):
    """A plan with no staffing model never reads as a bare 'go' on the terminal."""
    plan = tmp_path / "items.csv"
    plan.write_text("key,title,team,estimate\nA-1,Add invoice export,billing,2\n", encoding="utf-8")
    result = run_cli("audit", str(plan), "-o", str(tmp_path / "r.json"))
    assert result.returncode == 0, result.stderr
    assert "load not checked for 1 of 1 team: no headcount" in result.stderr


def test_the_summary_line_of_a_staffed_plan_says_nothing_of_unchecked_load(html_run):
    checked, _, _ = html_run
    assert checked.returncode == 0 and "verdict: " in checked.stderr
    assert "not checked" not in checked.stderr
