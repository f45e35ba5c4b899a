"""Jira CSV exports ("all fields" and "current fields"), read as Jira writes them.

Columns are found by name in the exporting user's UI language, never by
position (jira_fields.toml holds the names, one table per language). An export
in a language with no table is still recognised by its shape -- a column of
unique issue keys like PAY-12 beside Jira's numeric issue ids or its dates --
and read with a note naming every header that could not be placed.
Multi-valued fields arrive as several columns with the same header, packed from
the left; they are read back into lists. Each row is one issue, and every value
keeps the cell it came from (`Jira.csv!C14`).
"""

from __future__ import annotations

import itertools
import re
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import JiraConfig, Limits
from ..model import DataIssue, Plan, SourceRef
from . import schema, tables
from .cells import is_blank
from .effort import HOURS_PER_WEEK
from .jira_common import (
    Issue,
    Link,
    add_issues,
    configured_names,
    custom_role,
    link_sense,
    name_key,
    split_header,
)

# System columns by field and UI language, as they appear in the header row of real
# exports: roadmap_audit/load/jira_fields.toml holds one table per language, each
# with the source it was taken from. Adding a language is adding its table there.
_FIELDS_FILE = Path(__file__).with_name("jira_fields.toml")
# Forms of header, not fields: "Custom field (Team)", "Inward issue link (Blocks)".
_HEADER_FORMS = {"custom_prefix", "inward_link", "outward_link"}
# Known system columns that no plan field uses: recognised (so never "not placed"), not read.
UNUSED_FIELDS = frozenset(
    {"reporter", "created", "updated", "resolved", "time_spent", "aggregate_time_spent"}
)
FIELDS = (
    frozenset(
        {
            "key",
            "issue_id",
            "title",
            "kind",
            "status",
            "status_category",
            "project",
            "priority",
            "owner",
            "due",
            "resolution",
            "description",
            "original_estimate",
            "remaining_estimate",
            "aggregate_estimate",
            "aggregate_remaining",
            "services",
            "labels",
            "sprint",
            "fix_versions",
            "parent_key",
            "parent_id",
            "team",
        }
    )
    | UNUSED_FIELDS
)


def load_languages(path: Path = _FIELDS_FILE) -> dict[str, dict[str, Any]]:
    """The language tables of the data file: language -> {"source": ..., field -> [names]}."""
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    for lang, table in data.items():
        unknown = set(table) - FIELDS - _HEADER_FORMS - {"source", "missing"}
        if unknown or not str(table.get("source", "")).strip():
            raise ValueError(f"{path.name} [{lang}]: unknown fields {sorted(unknown)} or no source")
    return data


LANGUAGES = load_languages()

LIST_FIELDS = frozenset({"labels", "services", "sprint", "fix_versions"})
# Read and shown with the item, but not used by any rule.
EXTRA_FIELDS = {"sprint": "Sprint", "fix_versions": "Fix versions", "resolution": "Resolution"}
# With the key, one of these marks a CSV as a Jira export rather than a plan sheet.
_JIRA_MARKERS = frozenset({"issue_id", "status_category", "aggregate_estimate", "parent_key"})


def _lookup(form: str | None = None) -> dict[str, tuple[str, str]]:
    """Header key -> (field or header form, language), over every language table."""
    found: dict[str, tuple[str, str]] = {}
    for lang, table in LANGUAGES.items():
        for field_name, names in table.items():
            if field_name in ("source", "missing") or (field_name in _HEADER_FORMS) != (
                form is not None
            ):
                continue
            if form is not None and field_name != form:
                continue
            for name in names:
                key = name_key(name)
                if key in found and found[key][0] != field_name:
                    raise ValueError(
                        f"{_FIELDS_FILE.name}: '{name}' ({lang}) means {field_name} but also "
                        f"{found[key][0]} ({found[key][1]})"
                    )
                found.setdefault(key, (field_name, lang))
    return found


_SYSTEM_LOOKUP = _lookup()
_CUSTOM_PREFIX_KEYS = {key: lang for key, (_, lang) in _lookup("custom_prefix").items()}
_LINK_LOOKUP = {
    key: ("inward" if form == "inward_link" else "outward", lang)
    for form in ("inward_link", "outward_link")
    for key, (_, lang) in _lookup(form).items()
}


@dataclass(frozen=True)
class Column:
    """What one CSV column holds: a field (with its rank among columns for the same field) or a link."""

    field: str | None = None
    rank: int = 0
    link_direction: str | None = None
    link_type: str | None = None
    language: str | None = None  # the language table that named it, when one did
    by_shape: bool = False  # placed by what its values look like, not by its name


def classify(header: str, config: JiraConfig) -> Column | None:
    """The meaning of one header, or None for a column the plan does not use."""
    text = header.strip()
    if not text:
        return None
    configured = configured_names(config)
    if name_key(text) in configured:
        return Column(configured[name_key(text)], -1)
    parts = split_header(text)
    if parts is not None:
        prefix, inner = name_key(parts[0]), parts[1]
        if prefix in _LINK_LOOKUP:
            direction, lang = _LINK_LOOKUP[prefix]
            return Column(link_direction=direction, link_type=inner, language=lang)
        if prefix in _CUSTOM_PREFIX_KEYS:
            found = custom_role(inner, config)
            return (
                Column(found[0], found[1], language=_CUSTOM_PREFIX_KEYS[prefix]) if found else None
            )
    system = _SYSTEM_LOOKUP.get(name_key(text))
    return Column(system[0], 0, language=system[1]) if system else None


def _is_jira(columns: list[Column | None]) -> bool:
    """The issue key beside a field only Jira writes (an issue id, a Σ sum, a link column), or beside
    Jira's own names for the summary, the issue type and the status in one language."""
    fields = {c.field for c in columns if c and c.field}
    links = any(c and c.link_direction for c in columns)
    named = {
        c.field
        for c in columns
        if c and c.field in ("key", "title", "kind", "status") and c.rank == 0
    }
    return "key" in fields and bool(fields & _JIRA_MARKERS or links or len(named) == 4)


# ---------------------------------------------------------------- shape

_KEY_SHAPE = re.compile(r"[A-Z][A-Z0-9_]*-[1-9][0-9]*")
# Jira's own date cells: "22/Sep/25 9:26 AM", "06/août/15 12:00 PM", "30/Jul/18 23:33" (any month word).
_JIRA_DATE = re.compile(
    r"\d{1,2}/[^\W\d_]{2,}\.?/\d{2}(?:\d{2})? \d{1,2}:\d{2}(?: ?[AaPp]\.?[Mm]\.?)?"
)
_SHAPE_SAMPLE = 200  # rows looked at to place columns by their values
_MIN_ISSUE_ID = 10000  # Jira numbers issues from 10000: a hand-made "Id" 1, 2, 3 is not an issue id


def _filled(sample: list[list[Any]], pos: int) -> list[str]:
    return [str(row[pos]).strip() for row in sample if pos < len(row) and not is_blank(row[pos])]


def _share(texts: list[str], test) -> float:
    return sum(1 for t in texts if test(t)) / len(texts) if texts else 0.0


def _unique(texts: list[str]) -> bool:
    return len(set(texts)) == len(texts)


def _is_issue_id(text: str) -> bool:
    return text.isdigit() and int(text) >= _MIN_ISSUE_ID


def _width(text: str) -> int:
    """Columns the text takes on screen: a Hangul or Han character is two, so a Korean or Chinese
    summary ("원장 이전", five characters) counts as the sentence it is."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def place_by_shape(
    headers: list[str], sample: list[list[Any]], columns: list[Column | None]
) -> list[Column | None]:
    """Columns still unplaced, placed by what their values look like: the issue key (every row, unique,
    ABC-123), the issue id (every row, unique, Jira's numbers) and the summary (the first column of
    distinct one-line text). Nothing else is guessed from values: a status, a priority and an issue type
    look alike in any language."""
    placed = list(columns) + [None] * (len(headers) - len(columns))
    # The issue id is looked for even when the key was named: a language table may know the key's
    # name and not the id's (Chinese, Russian), and Jira writes the id in every export.
    have = {c.field for c in placed if c and c.field}
    rows = len(sample)
    if not rows:
        return placed
    for pos, column in enumerate(placed):
        if column is not None:
            continue
        texts = _filled(sample, pos)
        if len(texts) < 0.95 * rows or not _unique(texts):
            continue
        if "key" not in have and _share(texts, _KEY_SHAPE.fullmatch) == 1.0:
            placed[pos], have = Column("key", 1, by_shape=True), have | {"key"}
        elif "issue_id" not in have and _share(texts, _is_issue_id) == 1.0:
            placed[pos], have = Column("issue_id", 1, by_shape=True), have | {"issue_id"}
    if "title" not in have:
        for pos, column in enumerate(placed):
            if column is not None:
                continue
            texts = _filled(sample, pos)
            if len(texts) < 0.8 * rows or len(set(texts)) < 0.8 * len(texts):
                continue
            one_line = _share(texts, lambda t: "\n" not in t) >= 0.9
            wordy = _share(texts, lambda t: any(ch.isalpha() for ch in t)) >= 0.9
            plain = _share(texts, lambda t: _KEY_SHAPE.fullmatch(t) or _JIRA_DATE.fullmatch(t)) == 0
            if one_line and wordy and plain and sum(map(_width, texts)) / len(texts) >= 8:
                placed[pos] = Column("title", 1, by_shape=True)
                break
    return placed


def _looks_like_jira_by_shape(
    headers: list[str], sample: list[list[Any]], columns: list[Column | None]
) -> bool:
    """A unique ABC-123 column beside Jira's issue ids or Jira's own date cells: an export in a language
    with no table. A hand-made plan with keys like PAY-12 has neither, and one whose title column the plan
    reader knows by name ("Title", "Summary") is left to it, even with dates pasted from Jira."""
    if any(schema.ITEMS.match(h) == "title" for h in headers if h):
        return False
    placed = place_by_shape(headers, sample, columns)
    fields = {c.field for c in placed if c and c.field}
    if "key" not in fields:
        return False
    dated = any(
        _share(_filled(sample, pos), _JIRA_DATE.fullmatch) >= 0.9
        for pos in range(len(headers))
        if _filled(sample, pos)
    )
    return "issue_id" in fields or dated


def _language(columns: list[Column | None]) -> str | None:
    """The language whose table named most of the columns."""
    counts = Counter(c.language for c in columns if c and c.language)
    return counts.most_common(1)[0][0] if counts else None


def _records(text: str, notes: list) -> Iterator[list[str]]:
    first_line = text.split("\n", 1)[0]
    # Jira always writes commas; a tab-separated first line means a spreadsheet re-saved it.
    delimiter = "\t" if "," not in first_line and "\t" in first_line else ","
    return tables.csv_records(text, delimiter, notes)


def looks_like_jira_csv(path: Path, config: JiraConfig | None = None) -> bool:
    """True when a CSV file is a Jira export: by its header row, else by the shape of its first rows."""
    try:
        with path.open("rb") as fh:
            head = fh.read(256 * 1024)
        records = _records(tables.decode_text(head)[0], [])
        header = next(records, [])
    except (OSError, StopIteration):
        return False
    config = config or JiraConfig()
    columns = [classify(h, config) for h in header]
    if _is_jira(columns):
        return True
    sample = []
    try:
        for row in records:
            if any(not is_blank(v) for v in row):
                sample.append(row)
            if len(sample) >= _SHAPE_SAMPLE:
                break
    except Exception:  # a row cut off at the end of the 256 KB head: judge by the rows before it
        pass
    return len(sample) >= 2 and _looks_like_jira_by_shape(header, sample, columns)


def read_jira_csv(
    path: Path,
    display: str,
    plan: Plan,
    config: JiraConfig,
    limits: Limits | None = None,
    hours_per_week: float = HOURS_PER_WEEK,
) -> None:
    """Add every issue row of a Jira CSV export to the plan (or to its data-quality notes)."""
    tables.check_file(path, display, limits)
    text, note = tables.decode_text(path.read_bytes())
    sheet_name = Path(display).name
    notes: list = []
    records = _records(text, notes)
    del text  # held by the records from here: each row is read, made an issue and let go
    sheet, body = tables.sheet_and_rows(sheet_name, display, records, limits, what="the export")
    plan.sources.append(display)
    whole_file = SourceRef(source=display, sheet=sheet_name)
    columns = [classify(h, config) for h in sheet.headers]
    fields = {c.field for c in columns if c and c.field}
    head_rows = list(sheet.rows)
    if not {"key", "title"} <= fields:  # place what names did not by the values of the first rows
        head_rows += list(itertools.islice(body, max(0, _SHAPE_SAMPLE - len(head_rows))))
        columns = place_by_shape(sheet.headers, [cells for _, cells in head_rows], columns)
    first = len(plan.issues)  # the file's own notes go before the notes on its rows
    layout = _layout(sheet, columns)
    issues = [
        _issue(sheet, number, cells, layout, plan)
        for number, cells in itertools.chain(head_rows, body)
    ]
    front = [DataIssue(ref=whole_file, problem=note)] if note else []
    for row, column, problem in [*sheet.notes, *notes]:
        front.append(
            DataIssue(
                ref=whole_file.model_copy(update={"row": row, "column": column}), problem=problem
            )
        )
    header_ref = whole_file.model_copy(update={"row": sheet.header_row})
    front += [
        DataIssue(ref=header_ref, problem=problem)
        for problem in _header_notes(sheet, columns, issues)
    ]
    plan.issues[first:first] = front
    add_issues(plan, issues, config, hours_per_week)


def _show(sheet: tables.RawSheet, pos: int) -> str:
    return f"{sheet.letters[pos]} '{sheet.headers[pos][:60]}'"


def _header_notes(
    sheet: tables.RawSheet, columns: list[Column | None], issues: list[Issue]
) -> list[str]:
    """What the header row left unread: a missing key or summary, columns placed by their values, every
    header not placed when the language has no full table, and link columns of unknown direction."""
    found: list[str] = []
    fields = {c.field for c in columns if c and c.field}
    if issues:
        for needed, what in (("key", "Issue key"), ("title", "Summary")):
            if needed not in fields:
                found.append(
                    f"no {what} column (headers found: {', '.join(h for h in sheet.headers if h)[:300]})"
                )
    language = _language(columns)
    shaped = [(pos, c.field) for pos, c in enumerate(columns) if c and c.by_shape]
    missing = LANGUAGES.get(language, {}).get("missing") if language else None
    partial = missing is not None  # a language whose table lacks some of Jira's names
    unplaced = list(
        {
            sheet.headers[pos]: pos
            for pos in reversed(range(len(columns)))  # first of repeats
            if columns[pos] is None
            and sheet.headers[pos]
            and not _is_custom_field_shape(sheet.headers[pos])
        }.values()
    )[::-1]
    if shaped:
        found.append(
            "read as a Jira export by the shape of its values ("
            + (
                f"the header names are mostly not known in any language table; closest: {language}"
                if language
                else "no header is named as in any language table"
            )
            + "): "
            + "; ".join(f"{_show(sheet, pos)} as {field}" for pos, field in shaped)
            + (" -- name the others with [jira] in the config" if unplaced else "")
        )
    if unplaced and (shaped or partial):
        found.append(
            f"{len(unplaced)} header{'s were' if len(unplaced) > 1 else ' was'} not placed"
            + (f" (no {language} name is known for: {missing})" if partial and not shaped else "")
            + ": "
            + ", ".join(_show(sheet, pos) for pos in unplaced)[:1500]
        )
    for pos, header in enumerate(sheet.headers):
        parts = split_header(header) if columns[pos] is None else None
        if parts and link_sense(parts[1]) and not _is_custom_field_shape(header):
            found.append(
                f"column {_show(sheet, pos)} looks like a {parts[1].strip()} link column, but which end "
                "of the link it holds is not known in this language; its links were not read as "
                "dependencies"
            )
    return found


def _is_custom_field_shape(header: str) -> bool:
    """ "Custom field (Team)" in a known language: a custom field no role claimed, not an unknown header."""
    parts = split_header(header)
    return parts is not None and name_key(parts[0]) in _CUSTOM_PREFIX_KEYS


@dataclass(frozen=True)
class _Layout:
    """Where each used field sits, decided once per file from the header row (never per row).

    `used` holds, in column order, every column whose cells a plan reads: (position, letter,
    field ("" for a link), column, how), where how is "link", "list", "one" (the only column of its field) or "ranked"
    (one of several columns for the same field). The other columns of an all-fields export
    (most of them) are never looked at again."""

    used: tuple[tuple[int, str, str, Column, str], ...]
    width: int


def _layout(sheet: tables.RawSheet, columns: list[Column | None]) -> _Layout:
    per_field = Counter(c.field for c in columns if c and c.field)
    used = []
    for pos, column in enumerate(columns):
        if column is None or column.field in UNUSED_FIELDS:
            continue
        if column.link_direction:
            how = "link"
        elif column.field is None:
            continue
        elif column.field in LIST_FIELDS:
            how = "list"
        else:
            how = "one" if per_field[column.field] == 1 else "ranked"
        used.append((pos, sheet.letters[pos], column.field or "", column, how))
    return _Layout(tuple(used), len(columns))


def _issue(sheet: tables.RawSheet, number: int, cells: list, layout: _Layout, plan: Plan) -> Issue:
    """One row as an issue record: repeated columns packed into lists, the best-ranked column per field."""
    ref = SourceRef.made(source=sheet.source, sheet=sheet.title, row=number)
    issue = Issue(ref=ref)
    fields, where = issue.fields, issue.cells
    ranks: dict[str, int] = {}
    count = len(cells)
    for pos, letter, name, column, how in layout.used:
        if pos >= count:
            break
        cell = cells[pos]
        if not cell:
            continue
        cell = cell.strip()
        # plain ASCII holds no invisible character: empty after strip() is is_blank's whole answer
        if not cell or (not cell.isascii() and is_blank(cell)):
            continue
        if how == "one":
            fields[name] = cell
            where[name] = letter
        elif how == "list":
            if name in fields:
                fields[name].append(cell)
            else:
                fields[name] = [cell]
                where[name] = letter
        elif how == "link":
            issue.links.append(
                Link(column.link_type or "", column.link_direction or "", cell, ref.at(letter))
            )
        elif name not in ranks or column.rank < ranks[name]:
            ranks[name] = column.rank
            fields[name] = cell
            where[name] = letter
        elif column.rank == ranks[name] and cell != fields[name]:
            # Two custom fields can share one display name; the CSV cannot tell them apart.
            first = where[name]
            plan.issues.append(
                DataIssue(
                    ref=ref.at(letter),
                    problem=f"columns {first} and {letter} are both named '{sheet.headers[pos]}' and hold "
                    f"different values; {first} was used",
                )
            )
    for pos in range(layout.width, count):
        if not is_blank(cells[pos]):
            plan.issues.append(
                DataIssue(
                    ref=ref.at(tables.column_letter(pos)),
                    problem="value beyond the last header was not read",
                )
            )
    for field, label in EXTRA_FIELDS.items():
        if field in fields:
            value = fields[field]
            issue.extra[label] = ", ".join(value) if isinstance(value, list) else value
    return issue
