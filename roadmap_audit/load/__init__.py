"""Loaders: every input format becomes one `Plan` plus data-quality notes.

A loader never judges; it reads, keeps the origin of every value, and reports
what it could not read.
"""

from __future__ import annotations

from pathlib import Path

from ..config import ContextConfig, JiraConfig, Limits
from ..model import DataIssue, Item, Plan, SourceRef
from .effort import HOURS_PER_WEEK
from .words import normalize_name


def load_plan(
    plan: str | Path,
    context: list[str | Path] | None = None,
    mapping: dict[str, dict[str, str]] | None = None,
    *,
    jira: JiraConfig | None = None,
    level: str = "issue",
    limits: Limits | None = None,
    context_config: ContextConfig | None = None,
    quarter: str | None = None,
    hours_per_week: float = HOURS_PER_WEEK,
) -> Plan:
    """Read a plan (workbook, CSV, folder of CSVs, or a Jira export) and optional context workbooks.

    With level "epic", child issues roll up into their epics (see jira_common.roll_up_to_epics).
    `limits` caps file size, rows per sheet or export, and characters per cell ([limits] in the config).
    `hours_per_week` is one engineer-week in hours ([capacity] hours_per_week): hours and minutes in
    estimates, an hours column and Jira's seconds are counted in it.
    """
    # the readers are imported here, not above: `rules list` and the checks import the cell readers only;
    # the Jira and context readers only for a run that has such files (a workbook alone needs neither)
    from .workbook import WORKBOOK_SUFFIXES, _Loader, read_sheets

    limits = limits or Limits()
    context_config = context_config or ContextConfig()
    loader = _Loader(mapping, hours_per_week)
    plan_path = Path(plan)
    files = [str(c) for c in context or []]
    # a Jira plan borrows the field lists among the .json context files; the systems of record are read below
    field_lists = _jira_field_lists(files)
    jira = jira or JiraConfig()
    workbook = plan_path.suffix.lower() in WORKBOOK_SUFFIXES and plan_path.is_file()  # not Jira's
    if not workbook and _read_jira(
        plan_path, str(plan), field_lists, loader.plan, jira, limits, hours_per_week
    ):
        files = [c for c in files if c not in field_lists]  # already read
    else:
        loader.add_sheets(read_sheets(plan_path, str(plan), limits), str(plan), require_items=True)
    records = _context_records(files)
    for extra in files:
        path = Path(extra)
        if extra not in records or (
            path.is_dir() and any(p.suffix.lower() == ".csv" for p in path.iterdir())
        ):
            loader.add_sheets(
                read_sheets(path, str(extra), limits), str(extra), require_items=False
            )
    loader.unused_map_notes()
    if records:
        from .context import merge, read_context

        parts = read_context(
            records,
            loader.plan,
            quarter=quarter,
            window_weeks=context_config.window_weeks,
            limits=limits,
        )
        merge(loader.plan, parts, context_config.tolerance)
    if level == "epic":
        from .jira_common import roll_up_to_epics

        loader.plan = roll_up_to_epics(loader.plan)
    check_references(loader.plan)
    return loader.plan


def _jira_field_lists(files: list[str]) -> list[str]:
    """The Jira field lists among the .json files (the Jira reader imported only when there is one)."""
    json_files = [c for c in files if Path(c).suffix.lower() == ".json"]
    if not json_files:
        return []
    from .jira_json import is_jira_field_list

    return [c for c in json_files if is_jira_field_list(Path(c))]


def _context_records(files: list[str]) -> list[str]:
    """The files read as systems of record (the context reader imported only when there are files)."""
    if not files:
        return []
    from .context import is_context_path

    return [c for c in files if is_context_path(Path(c))]


def check_references(plan: Plan) -> None:
    """Resolve each dependency to an item key, after plan and context are read, and note what cannot be.

    A key written in another case ("pay-12") is that key. A dependency written as an item's title
    ("Ledger migration") is that item when exactly one item has the title, with a note saying so.
    """
    keys = {item.key for item in plan.items}
    by_case: dict[str, list[str]] = {}
    by_title: dict[str, list[str]] = {}

    def lookups() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        if not by_case:  # built on the first dependency that is no key: most plans never need them
            for other in plan.items:
                by_case.setdefault(other.key.casefold(), []).append(other.key)
                by_title.setdefault(normalize_name(other.title), []).append(other.key)
        return by_case, by_title

    def note(item: Item, where: SourceRef, problem: str) -> None:
        plan.issues.append(DataIssue(ref=where, subject_id=item.key, problem=problem))

    for item in plan.items:
        deps = item.depends_on
        if not deps or (
            # the common list: keys of the plan, each once, not the item's own (nothing to note)
            keys.issuperset(deps) and item.key not in deps and len(set(deps)) == len(deps)
        ):
            continue
        column = item.columns.get("depends_on")
        where = item.ref.at(column) if column else item.ref
        resolved: list[str] = []
        for dep in item.depends_on:
            target = dep
            if dep not in keys:
                cases, titles = lookups()
                same_key = cases.get(dep.casefold(), [])
                titled = titles.get(normalize_name(dep), []) if normalize_name(dep) else []
                if len(same_key) == 1:
                    target = same_key[0]
                elif len(titled) == 1:
                    target = titled[0]
                    note(
                        item,
                        where,
                        f"depends on '{dep}', read as {target}, the one item with that title",
                    )
                elif titled:
                    note(
                        item,
                        where,
                        f"depends on '{dep}', the title of {', '.join(titled)}; "
                        "the dependency was not followed (write the key)",
                    )
                else:
                    note(
                        item,
                        where,
                        f"depends on {dep}, which is not in the plan; the dependency was not followed",
                    )
            if target == item.key:
                note(item, where, "depends on itself; the dependency was ignored")
            if target not in resolved:
                resolved.append(target)
        if resolved != item.depends_on:
            item.depends_on = resolved


def _read_jira(
    path: Path,
    display: str,
    context: list[str],
    plan: Plan,
    config: JiraConfig,
    limits: Limits,
    hours_per_week: float,
) -> bool:
    """Read the plan as a Jira export if it is one (.json pages, or a CSV with Jira's headers)."""
    from .jira_csv import looks_like_jira_csv, read_jira_csv
    from .jira_json import is_jira_json, read_jira_json
    from .notes import one_note_per_cause

    first = len(plan.issues)
    if is_jira_json(path):
        field_lists = [c for c in context if Path(c).suffix.lower() == ".json"]
        read_jira_json(path, display, plan, config, field_lists, limits, hours_per_week)
    elif (
        path.is_file()
        and path.suffix.lower() in (".csv", ".tsv", ".txt")
        and looks_like_jira_csv(path, config)
    ):
        read_jira_csv(path, display, plan, config, limits, hours_per_week)
    else:
        return False
    plan.issues[first:] = one_note_per_cause(
        plan.issues[first:]
    )  # the readers' notes too: one per cause
    if (
        not plan.items
    ):  # a Jira export that holds no issue gets no verdict: nothing of the plan was read
        from ..errors import InputError
        from .jira_json import is_jira_field_list

        if path.is_file() and is_jira_field_list(path):
            raise InputError(
                "is Jira's field list (/rest/api/2/field), not issues; no verdict is given",
                where=display,
                hint="give the search pages as the plan, and this file with --context",
            )
        if plan.rows_read == 0:
            raise InputError(
                "the Jira export holds no issues, so there is no plan to audit; no verdict is given",
                where=display,
                hint="export the issues of the quarter's filter, or check the JQL",
            )
        first_note = next((i for i in plan.issues if i.row_dropped), None)
        why = f"; {first_note.ref.location}: {first_note.problem}" if first_note else ""
        raise InputError(
            f"none of its {plan.rows_read} entries could be read as an issue{why}; no verdict is given",
            where=display,
            hint="`roadmap-audit validate` lists every entry and why",
        )
    return True
