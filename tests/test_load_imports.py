"""A workbook plan is read without the Jira and context readers: they are imported only for a run
that has such files (each fresh process would otherwise import them for nothing)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_PROBE = """
import sys
from roadmap_audit.load import load_plan
plan = load_plan(sys.argv[1], [a for a in sys.argv[2:]])
print(len(plan.items))
print(" ".join(sorted(m for m in sys.modules if m.startswith("roadmap_audit.load.")
                      or m in ("pickle", "subprocess"))))
"""


def _loaded(*args: str) -> tuple[int, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, check=True, cwd=ROOT
    )
    count, modules = done.stdout.splitlines()
    return int(count), set(modules.split())


def test_a_workbook_plan_imports_no_jira_or_context_reader():
    count, modules = _loaded("sample_plans/northwind-2026-Q3.xlsx")
    assert count > 0
    assert "roadmap_audit.load.calamine_reader" in modules
    for reader in ("jira_csv", "jira_json", "jira_common", "context"):
        assert f"roadmap_audit.load.{reader}" not in modules
    # nor what reading an .xls, .xlsb or .ods in a child process needs
    assert not {"pickle", "subprocess"} & modules


def test_a_jira_plan_and_context_still_import_their_readers():
    count, modules = _loaded(
        "sample_plans/jira/tidewater-2026-Q3.csv", "sample_plans/jira/context.xlsx"
    )
    assert count > 0
    assert {"roadmap_audit.load.jira_csv", "roadmap_audit.load.context"} <= modules
