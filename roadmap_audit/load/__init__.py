"""Loaders: every input format becomes one `Plan` plus data-quality notes.

A loader never judges; it reads, keeps the origin of every value, and reports
what it could not read.
"""

from __future__ import annotations

from pathlib import Path

from ..config import JiraConfig, Limits
from ..model import DataIssue, Plan
from .jira_common import roll_up_to_epics
from .workbook import _Loader, read_sheets


def load_plan(
    plan: str | Path,
    context: list[str | Path] | None = None,
    mapping: dict[str, dict[str, str]] | None = None,
    *,
    jira: JiraConfig | None = None,
    level: str = "issue",
    limits: Limits | None = None,
) -> Plan:
    """Read a plan (workbook, CSV, folder of CSVs, or a Jira export) and optional context workbooks.

    With level "epic", child issues roll up into their epics (see jira_common.roll_up_to_epics).
    `limits` caps file size, rows per sheet or export, and characters per cell ([limits] in the config).
    """
    limits = limits or Limits()
    loader = _Loader(mapping)
    plan_path = Path(plan)
    context = [str(c) for c in context or []]
    if _read_jira(plan_path, str(plan), context, loader.plan, jira or JiraConfig(), limits):
        context = [c for c in context if Path(c).suffix.lower() != ".json"]  # field lists, already read
    else:
        loader.add_sheets(read_sheets(plan_path, str(plan), limits), str(plan), require_items=True)
    for extra in context:
        loader.add_sheets(read_sheets(Path(extra), str(extra), limits), str(extra), require_items=False)
    if level == "epic":
        loader.plan = roll_up_to_epics(loader.plan)
    check_references(loader.plan)
    return loader.plan


def check_references(plan: Plan) -> None:
    """Note every dependency on a key that no source has (after plan and context are read)."""
    keys = {item.key for item in plan.items}
    for item in plan.items:
        column = item.columns.get("depends_on")
        where = item.ref.at(column) if column else item.ref
        for dep in item.depends_on:
            if dep == item.key:
                plan.issues.append(DataIssue(ref=where, subject_id=item.key,
                                             problem="depends on itself; the dependency was ignored"))
            elif dep not in keys:
                plan.issues.append(DataIssue(ref=where, subject_id=item.key,
                                             problem=f"depends on {dep}, which is not in the plan; "
                                                     "the dependency was not followed"))


def _read_jira(path: Path, display: str, context: list[str], plan: Plan, config: JiraConfig,
               limits: Limits) -> bool:
    """Read the plan as a Jira export if it is one (.json pages, or a CSV with Jira's headers)."""
    from .jira_csv import looks_like_jira_csv, read_jira_csv
    from .jira_json import is_jira_json, read_jira_json

    if is_jira_json(path):
        field_lists = [c for c in context if Path(c).suffix.lower() == ".json"]
        read_jira_json(path, display, plan, config, field_lists, limits)
        return True
    if path.is_file() and path.suffix.lower() in (".csv", ".tsv", ".txt") and looks_like_jira_csv(path, config):
        read_jira_csv(path, display, plan, config, limits)
        return True
    return False
