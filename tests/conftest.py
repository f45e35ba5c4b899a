"""Shared helpers: run the pipeline on a fixture and name what it found."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLES = ROOT / "sample_plans"
SHARED = ROOT.parent / "shared"
REAL_EXPORTS = SHARED / "real-exports"


def audit_of(plan, *, context=(), select=(), quarter=None, config=None):
    from roadmap_audit.config import Config
    from roadmap_audit.pipeline import Options, run

    return run(
        Options(
            plan=str(plan),
            context=[str(c) for c in context],
            select=list(select),
            quarter=quarter,
            config=config or Config(),
        )
    )


def facts_of(plan):
    """The derived facts of a plan, with the built-in rule pack's vocabulary and coefficients."""
    from roadmap_audit.analyze.capacity import CapacityParams
    from roadmap_audit.analyze.facts import Vocabulary, derive
    from roadmap_audit.engine import builtin_rules_dir
    from roadmap_audit.load import load_plan

    return derive(
        load_plan(plan),
        CapacityParams(),
        Vocabulary.from_file(builtin_rules_dir() / "vocabulary.toml"),
    )


def pairs(audit, rule: str | None = None) -> set[tuple[str, str]]:
    """(kind, id) of every finding's subject, for one rule or all."""
    return {
        (f.subject.kind, f.subject.id) for f in audit.findings if rule is None or f.rule == rule
    }


def rule_pairs(audit) -> set[tuple[str, str, str]]:
    return {(f.rule, f.subject.kind, f.subject.id) for f in audit.findings}


@pytest.fixture(scope="session")
def sample_audit():
    return audit_of(SAMPLES / "northwind-2026-Q3.xlsx")


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None):
    """Run the command line in this process, as `roadmap-audit ARGS` would run in `cwd`.

    Returns what a subprocess would (returncode, stdout, stderr), without starting a
    Python and importing the package again for every call. The environment is the test
    run's, without a pseudonym key the developer may have set, plus `env`. An exception
    that escapes the command is raised here: a user would have seen a traceback.
    Tests about the process itself (the installed entry point, pipes, /dev/stdout) use
    `run_process`."""
    import os
    import subprocess

    from click.testing import CliRunner

    from roadmap_audit.cli import main

    before = os.getcwd()
    os.chdir(cwd or ROOT)
    try:
        result = CliRunner().invoke(
            main,
            list(args),
            env={"ROADMAP_AUDIT_REDACT_KEY": None, **(env or {})},
            prog_name="roadmap-audit",
        )
    finally:
        os.chdir(before)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return subprocess.CompletedProcess(
        ["roadmap-audit", *args], result.exit_code, result.stdout, result.stderr
    )


def run_process(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None):
    """Run the installed command line in a subprocess: what a user sees, process and all.

    The environment is the test run's, without a pseudonym key the developer may
    have set, plus `env`."""
    import os
    import subprocess

    base = {k: v for k, v in os.environ.items() if k != "ROADMAP_AUDIT_REDACT_KEY"}
    return subprocess.run(
        [sys.executable, "-m", "roadmap_audit", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        timeout=300,
        env={**base, **(env or {})},
    )


def write_xlsx(path, sheets: dict[str, list[list]], edit=None):
    """A workbook with these sheets and rows, as a user's spreadsheet would hold them; `edit(ws)`
    may then change each sheet (merge cells, hide it ...)."""
    import openpyxl

    wb = openpyxl.Workbook()
    for blank in list(wb.worksheets):
        wb.remove(blank)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        if edit:
            edit(ws)
    wb.save(path)
    return path
