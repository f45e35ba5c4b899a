"""Jira CSV exports ("all fields" and "current fields"), read as Jira writes them.

Columns are found by name in the exporting user's UI language, never by
position. Multi-valued fields arrive as several columns with the same header,
packed from the left; they are read back into lists. Each row is one issue, and
every value keeps the cell it came from (`Jira.csv!C14`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..config import JiraConfig, Limits
from ..model import DataIssue, Plan, SourceRef
from . import tables, values
from .jira_common import Issue, Link, add_issues, configured_names, custom_role, split_header

# System columns by field and UI language, as they appear in row 1 of real
# exports (JIRA-FORMATS.md §1). Adding a language is adding its names here.
# Compared case-insensitively: one file writes "Original estimate" beside
# "Remaining Estimate". A name starting with "Σ" is the sum over sub-tasks.
SYSTEM_HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "title": {"en": ("Summary",), "es": ("Resumen",), "pl": ("Podsumowanie",)},
    "key": {"en": ("Issue key",), "es": ("Clave de incidencia",), "pl": ("Klucz zgłoszenia",)},
    "issue_id": {"en": ("Issue id",), "es": ("ID de la incidencia",), "pl": ("Id. zgłoszenia",)},
    "kind": {"en": ("Issue Type",), "es": ("Tipo de Incidencia",), "fr": ("Type de demande",)},
    "status": {"en": ("Status",), "es": ("Estado",), "fr": ("Etat", "État")},
    "status_category": {"en": ("Status Category",), "es": ("Categoría de estado",)},
    "project": {"en": ("Project key",), "es": ("Clave del proyecto",)},
    "priority": {"en": ("Priority",), "es": ("Prioridad",), "fr": ("Priorité",)},
    "owner": {"en": ("Assignee",), "es": ("Persona asignada",), "fr": ("Responsable",)},
    "due": {"en": ("Due date",), "es": ("Fecha de vencimiento",), "pl": ("Termin",)},
    "description": {"en": ("Description",), "es": ("Descripción",)},
    "labels": {"en": ("Labels",), "es": ("Etiquetas",)},
    "services": {"en": ("Components", "Component/s"), "es": ("Componentes",)},
    "team": {"en": ("Team",), "es": ("Equipo",)},
    "original_estimate": {"en": ("Original estimate",), "es": ("Estimación original",),
                          "fr": ("Estimation originale",)},
    "aggregate_estimate": {"en": ("Σ Original Estimate",), "es": ("Σ Estimación original",),
                           "pl": ("Σ Pierwotne oszacowanie",)},
    "remaining_estimate": {"en": ("Remaining Estimate",), "es": ("Trabajo restante estimado",)},
    "aggregate_remaining": {"en": ("Σ Remaining Estimate",), "es": ("Σ Trabajo restante estimado",)},
    "parent_key": {"en": ("Parent key",), "es": ("Clave principal",)},
    "parent_id": {"en": ("Parent", "Parent id"), "es": ("Principal",)},
    "sprint": {"en": ("Sprint",)},  # never translated
    "fix_versions": {"en": ("Fix versions", "Fix Version/s"), "es": ("Versiones de corrección",)},
    "resolution": {"en": ("Resolution",), "es": ("Resolución",)},
}

# "Custom field (Team)" in each language (the French Server export kept English).
CUSTOM_PREFIXES: dict[str, str] = {"en": "Custom field", "es": "Campo personalizado", "pl": "Pole niestandardowe"}

# "Inward issue link (Blocks)"; the link type name inside the brackets is never translated.
# Only names seen in real files: the Polish inward header has not been observed.
LINK_PREFIXES: dict[str, dict[str, str]] = {
    "inward": {"en": "Inward issue link", "es": "Enlace a la incidencia interna"},
    "outward": {"en": "Outward issue link", "es": "Enlace de incidencia saliente",
                "pl": "Zewnętrzne łącze do zgłoszenia"},
}

LIST_FIELDS = frozenset({"labels", "services", "sprint", "fix_versions"})
# Read and shown with the item, but not used by any rule.
EXTRA_FIELDS = {"sprint": "Sprint", "fix_versions": "Fix versions", "resolution": "Resolution"}
# With the key, one of these marks a CSV as a Jira export rather than a plan sheet.
_JIRA_MARKERS = frozenset({"issue_id", "status_category", "aggregate_estimate", "parent_key"})

_SUM = "Σ"


def _header_key(header: str) -> str:
    # normalize_name drops "Σ", which would make the Σ column the own-estimate column.
    return ("sum:" if header.strip().startswith(_SUM) else "") + values.normalize_name(header)


_SYSTEM_LOOKUP = {_header_key(name): field for field, langs in SYSTEM_HEADERS.items()
                  for names in langs.values() for name in names}
_CUSTOM_PREFIX_KEYS = {values.normalize_name(p) for p in CUSTOM_PREFIXES.values()}
_LINK_LOOKUP = {values.normalize_name(p): direction for direction, langs in LINK_PREFIXES.items()
                for p in langs.values()}


@dataclass(frozen=True)
class Column:
    """What one CSV column holds: a field (with its rank among columns for the same field) or a link."""

    field: str | None = None
    rank: int = 0
    link_direction: str | None = None
    link_type: str | None = None


def classify(header: str, config: JiraConfig) -> Column | None:
    """The meaning of one header, or None for a column the plan does not use."""
    text = header.strip()
    if not text:
        return None
    configured = configured_names(config)
    if values.normalize_name(text) in configured:
        return Column(configured[values.normalize_name(text)], -1)
    parts = split_header(text)
    if parts is not None:
        prefix, inner = values.normalize_name(parts[0]), parts[1]
        if prefix in _LINK_LOOKUP:
            return Column(link_direction=_LINK_LOOKUP[prefix], link_type=inner)
        if prefix in _CUSTOM_PREFIX_KEYS:
            found = custom_role(inner, config)
            return Column(found[0], found[1]) if found else None
    field = _SYSTEM_LOOKUP.get(_header_key(text))
    return Column(field, 0) if field else None


def _is_jira(columns: list[Column | None]) -> bool:
    fields = {c.field for c in columns if c and c.field}
    links = any(c and c.link_direction for c in columns)
    return "key" in fields and bool(fields & _JIRA_MARKERS or links)


def _records(text: str, notes: list) -> Iterator[list[str]]:
    first_line = text.split("\n", 1)[0]
    # Jira always writes commas; a tab-separated first line means a spreadsheet re-saved it.
    delimiter = "\t" if "," not in first_line and "\t" in first_line else ","
    return tables.csv_records(text, delimiter, notes)


def looks_like_jira_csv(path: Path, config: JiraConfig | None = None) -> bool:
    """True when the first row of a CSV file is a Jira export's header."""
    try:
        with path.open("rb") as fh:
            head = fh.read(256 * 1024)
        header = next(_records(tables.decode_text(head)[0], []), [])
    except OSError:
        return False
    config = config or JiraConfig()
    return _is_jira([classify(h, config) for h in header])


def read_jira_csv(path: Path, display: str, plan: Plan, config: JiraConfig, limits: Limits | None = None) -> None:
    """Add every issue row of a Jira CSV export to the plan (or to its data-quality notes)."""
    tables._check_file(path, display, limits)
    text, note = tables.decode_text(path.read_bytes())
    sheet_name = Path(display).name
    notes: list = []
    records = _records(text, notes)
    del text  # held by the records from here: each row is read, made an issue and let go
    sheet, body = tables.sheet_and_rows(sheet_name, display, records, limits, what="the export")
    plan.sources.append(display)
    whole_file = SourceRef(source=display, sheet=sheet_name)
    columns = [classify(h, config) for h in sheet.headers]
    first = len(plan.issues)  # the file's own notes go before the notes on its rows
    issues = [_issue(sheet, number, cells, columns, plan) for number, cells in itertools.chain(sheet.rows, body)]
    front = [DataIssue(ref=whole_file, problem=note)] if note else []
    for row, column, problem in [*sheet.notes, *notes]:
        front.append(DataIssue(ref=whole_file.model_copy(update={"row": row, "column": column}), problem=problem))
    fields = {c.field for c in columns if c and c.field}
    for needed, what in (("key", "Issue key"), ("title", "Summary")):
        if needed not in fields and issues:
            front.append(DataIssue(ref=whole_file.model_copy(update={"row": sheet.header_row}),
                                   problem=f"no {what} column (headers found: "
                                           f"{', '.join(h for h in sheet.headers if h)[:300]})"))
    plan.issues[first:first] = front
    add_issues(plan, issues, config)


def _issue(sheet: tables.RawSheet, number: int, cells: list, columns: list[Column | None], plan: Plan) -> Issue:
    """One row as an issue record: repeated columns packed into lists, the best-ranked column per field."""
    issue = Issue(ref=SourceRef(source=sheet.source, sheet=sheet.title, row=number))
    ranks: dict[str, int] = {}
    width = len(columns)
    for pos, cell in enumerate(cells):
        if pos >= width:
            if not values.is_blank(cell):
                plan.issues.append(DataIssue(ref=issue.ref.at(tables.column_letter(pos)),
                                             problem="value beyond the last header was not read"))
            continue
        column = columns[pos]
        # most of an all-fields export's columns mean nothing to a plan: skip them before looking at the cell
        if column is None or not cell or values.is_blank(cell):
            continue
        letter = sheet.letters[pos]
        cell = cell.strip()
        if column.link_direction:
            issue.links.append(Link(column.link_type or "", column.link_direction, cell, issue.ref.at(letter)))
        elif column.field in LIST_FIELDS:
            issue.fields.setdefault(column.field, []).append(cell)
            issue.cells.setdefault(column.field, letter)
        elif column.field not in ranks or column.rank < ranks[column.field]:
            ranks[column.field] = column.rank
            issue.fields[column.field] = cell
            issue.cells[column.field] = letter
        elif column.rank == ranks[column.field] and cell != issue.fields[column.field]:
            # Two custom fields can share one display name; the CSV cannot tell them apart.
            first = issue.cells[column.field]
            plan.issues.append(DataIssue(
                ref=issue.ref.at(letter),
                problem=f"columns {first} and {letter} are both named '{sheet.headers[pos]}' and hold "
                        f"different values; {first} was used"))
    for field, label in EXTRA_FIELDS.items():
        if field in issue.fields:
            value = issue.fields[field]
            issue.extra[label] = ", ".join(value) if isinstance(value, list) else value
    return issue
