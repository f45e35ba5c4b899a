"""Jira REST search responses: /rest/api/2|3/search and /rest/api/3/search/jql.

A plan is one page or a folder of pages. Pages are checked for gaps (offset
style: `startAt`/`total`; token style: a page that says `isLast`). Custom fields
are named through a field list (`/rest/api/2/field`) or a response's `names`
(`expand=names`), never by a fixed customfield id, because every Jira site
numbers them differently.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from ..config import JiraConfig, Limits
from ..errors import InputError
from ..model import DataIssue, Plan, SourceRef
from . import tables
from .effort import HOURS_PER_WEEK
from .jira_common import Issue, Link, add_issues, configured_names, custom_role

# System fields read from `fields`, by JSON field id.
_ESTIMATES = {
    "timeoriginalestimate": "original_estimate",
    "aggregatetimeoriginalestimate": "aggregate_estimate",
    "timeestimate": "remaining_estimate",
    "aggregatetimeestimate": "aggregate_remaining",
}
_DONE_CATEGORY_NAMES = frozenset({"done", "complete"})  # an old Cloud response called it "Complete"
# ADF nodes that end a line of text when flattened.
_ADF_BLOCKS = frozenset(
    {
        "paragraph",
        "heading",
        "blockquote",
        "listItem",
        "codeBlock",
        "rule",
        "tableRow",
        "panel",
        "taskItem",
        "decisionItem",
        "mediaSingle",
    }
)
_SITE_SAMPLE = 2000  # issues of a page looked at to tell its site and which field list fits it
_SPRINT_NAME = re.compile(r"[\[,]name=([^,\]]*)")


@dataclass
class Page:
    display: str
    data: dict[str, Any]
    bad_bytes: bool = False

    @property
    def issues(self) -> list[Any]:
        return self.data.get("issues") or []

    @property
    def offset_style(self) -> bool:
        return isinstance(self.data.get("startAt"), int) and isinstance(self.data.get("total"), int)

    @cached_property
    def site(self) -> str | None:
        """The Jira site the page came from: the host in its issues' `self` links, when they have one."""
        for raw in self.issues[:_SITE_SAMPLE]:
            link = raw.get("self") if isinstance(raw, dict) else None
            if isinstance(link, str) and "://" in link:
                return link.split("://", 1)[1].split("/", 1)[0].casefold() or None
        return None

    @property
    def says_last(self) -> bool:
        # The last search/jql page has isLast: true, or simply no nextPageToken.
        return self.data.get("isLast") is True or not self.data.get("nextPageToken")


# ---------------------------------------------------------------- files


def _read(
    path: Path, display: str, limits: Limits | None = None
) -> tuple[Any, str | None, list[str]]:
    """The parsed JSON, a note when bytes were not UTF-8 (decoded with U+FFFD, not a crash), and notes on
    values JSON should not hold (see _parse)."""
    tables.check_file(path, display, limits)
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    note = None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        note = f"the file has bytes that are not UTF-8 (first at byte {exc.start}); they show as \ufffd"
    try:
        data, odd = _parse(text)
        return data, note, odd
    except json.JSONDecodeError as exc:
        cut = bool(text.strip()) and (
            exc.pos >= len(text.rstrip()) - 1 or exc.msg.startswith("Unterminated")
        )
        raise InputError(
            f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
            + ("; it ends in the middle, so it was probably cut short" if cut else ""),
            where=display,
            hint="save the REST response again, whole",
        ) from exc
    except RecursionError as exc:
        raise InputError("is nested too deeply to be a Jira response", where=display) from exc


_STRAYS_ONE_BY_ONE = (
    20  # more entries of 'issues' than this that are no issue: one note, not one each
)
_INT_DIGITS = 4300  # Python's own cap on the digits of an int read from text (sys.int_info)


def _parse(text: str) -> tuple[Any, list[str]]:
    """json.loads, with a note for what JSON should not hold: NaN or Infinity (read as empty),
    an integer of more than 4,300 digits (read as empty), a second 'issues' key in one object
    (the last one is read, as every JSON reader does; the note says how many issues the others held)."""
    odd: dict[str, int] = {}

    def constant(name: str) -> None:
        odd[name] = odd.get(name, 0) + 1
        return None

    def big_int(digits: str) -> int | None:
        if len(digits.lstrip("-")) > _INT_DIGITS:
            odd["long"] = odd.get("long", 0) + 1
            return None
        return int(digits)

    def big_float(digits: str) -> float | None:
        value = float(digits)
        if math.isfinite(value):
            return value
        odd["long"] = odd.get("long", 0) + 1
        return None

    try:
        data = json.loads(text, parse_constant=constant, parse_float=big_float)
    except ValueError as exc:
        if isinstance(exc, json.JSONDecodeError):
            raise
        # an integer over Python's digit cap (the only other ValueError json raises); read it as empty
        data = json.loads(text, parse_constant=constant, parse_float=big_float, parse_int=big_int)
    notes = []
    constants = sum(n for k, n in odd.items() if k != "long")
    if constants:
        notes.append(
            f"{constants:,} values are NaN or Infinity, which are not JSON numbers; they were read as empty"
        )
    if odd.get("long"):
        notes.append(
            f"{odd['long']:,} numbers are too long or too large to be a number (over {_INT_DIGITS:,} "
            "digits, or past 1e308); they were read as empty"
        )
    if text.count('"issues"') > 1:
        lost: list[int] = []

        def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
            seen = [v for k, v in items if k == "issues"]
            lost.extend(len(v) if isinstance(v, list) else 1 for v in seen[:-1])
            return dict(items)

        json.loads(
            text,
            object_pairs_hook=pairs,
            parse_constant=constant,
            parse_float=big_float,
            parse_int=big_int,
        )
        if lost:
            notes.append(
                f"the key 'issues' appears {len(lost) + 1} times in one object; only the last was read, "
                f"so {sum(lost):,} entries of the others were not (save each search page as its own file)"
            )
    return data, notes


def _kind(data: Any) -> str | None:
    """ "page", "fields" (a /rest/api/2/field list), or None."""
    if isinstance(data, dict) and isinstance(data.get("issues"), list):
        return "page"
    if isinstance(data, list):
        if data and all(isinstance(x, dict) and "key" in x and "fields" in x for x in data):
            return "issues"
        if all(isinstance(x, dict) and "id" in x and "name" in x for x in data):
            return "fields"
    return None


def _starts_with_bracket(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(64).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"[")
    except OSError:
        return False


def is_jira_field_list(path: Path) -> bool:
    """A .json file that is Jira's field list (/rest/api/2/field): a list of {id, name, ...}."""
    if not path.is_file() or not _starts_with_bracket(path):
        return False
    try:
        return _kind(_read(path, str(path))[0]) == "fields"
    except InputError:
        return False


def is_jira_json(path: Path) -> bool:
    """A .json file, or a folder holding .json files: read as Jira REST responses."""
    if path.is_dir():
        return any(p.suffix.lower() == ".json" for p in path.iterdir())
    return path.suffix.lower() == ".json"


_JSON_TYPES = {
    dict: "an object",
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "true or false",
    type(None): "null",
}


def _not_a_page(data: Any) -> str:
    """Why a JSON document is not a search page, in a few words."""
    if isinstance(data, dict) and "issues" in data:
        return f"its 'issues' is {_JSON_TYPES.get(type(data['issues']), 'a value')}, not a list"
    if isinstance(data, dict):
        return f"no 'issues' list; keys found: {', '.join(str(k)[:40] for k in list(data)[:8]) or 'none'}"
    return f"no 'issues' list; the document is {_JSON_TYPES.get(type(data), 'a value')}"


def _cut_long_strings(fields: dict[str, Any], cap: int) -> list[tuple[str, int]]:
    """Cut, in place, every string longer than `cap` inside an issue's fields: (field id, length) of each.

    Iterative, so a deeply nested value cannot exhaust the stack."""
    cut: list[tuple[str, int]] = []
    stack: list[tuple[Any, str]] = [(fields, "")]
    while stack:
        node, field_id = stack.pop()
        entries = node.items() if isinstance(node, dict) else enumerate(node)
        for name, value in entries:
            top = field_id or str(name)
            if isinstance(value, str):
                if len(value) > cap:
                    node[name] = value[:cap]
                    cut.append((top, len(value)))
            elif isinstance(value, (dict, list)):
                stack.append((value, top))
    return cut


def _field_names(data: list[dict[str, Any]]) -> dict[str, str]:
    return {str(f["id"]): str(f["name"]) for f in data if f.get("id") and f.get("name")}


# ---------------------------------------------------------------- values


def adf_text(node: Any) -> str:
    """Plain text of an Atlassian Document Format tree (v3 descriptions), one line per block."""
    parts: list[str] = []

    def walk(n: Any) -> None:
        if isinstance(n, list):
            for child in n:
                walk(child)
            return
        if not isinstance(n, dict):
            return
        kind = n.get("type")
        given = n.get("attrs")
        attrs = given if isinstance(given, dict) else {}
        if kind == "text" and isinstance(n.get("text"), str):
            parts.append(n["text"])
        elif kind == "hardBreak":
            parts.append("\n")
        elif (
            kind == "mention"
        ):  # written as Jira's wiki markup writes one, so --redact-people knows it
            name = str(attrs.get("text") or attrs.get("id") or "").lstrip("@")
            parts.append(f"[~{name}]" if name else "")
        elif kind in ("emoji", "status", "inlineCard"):
            parts.append(str(attrs.get("text") or attrs.get("shortName") or attrs.get("url") or ""))
        walk(n.get("content"))
        if kind in _ADF_BLOCKS:
            parts.append("\n")

    walk(node)
    return re.sub(r"\n{3,}", "\n\n", "".join(parts)).strip()


def plain(value: Any) -> Any:
    """A field value as text, a number, or a list of texts: what the plan needs of it."""
    if value is None or isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        if value.get("type") == "doc":
            return adf_text(value) or None
        for name in ("value", "name", "displayName", "title", "key"):
            if isinstance(value.get(name), str):
                return value[name]
        return None  # e.g. an unlicensed Parent Link object
    if isinstance(value, list):
        texts = [plain(v) for v in value]
        return [str(t) for t in texts if t not in (None, "")]
    return None


def _texts(value: Any) -> list[str]:
    """A multi-valued field as a list of texts, whatever shape it arrived in."""
    found = plain(value)
    if isinstance(found, list):
        return found
    return [] if found in (None, "") else [str(found)]


def _has_bad_bytes(value: Any) -> bool:
    stack = [value]  # iterative: a deeply nested value cannot exhaust the stack
    while stack:
        value = stack.pop()
        if isinstance(value, str) and "\ufffd" in value:
            return True
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return False


# ---------------------------------------------------------------- issues


def _issue(
    raw: dict[str, Any],
    page: Page,
    names: dict[str, str],
    config: JiraConfig,
    roles: dict[str, Any] | None = None,
) -> Issue:
    """One issue object as an issue record. `roles` remembers, across the issues of one site, what
    each field id is (see _custom_fields)."""
    fields: dict[str, Any] = raw["fields"]
    key = raw.get("key") if isinstance(raw.get("key"), str) else None
    issue = Issue(ref=SourceRef.made(source=page.display, key=key))

    def put(name: str, value: Any, field_id: str) -> None:
        if value not in (None, "", []):
            issue.fields[name] = value
            issue.cells[name] = field_id

    put("key", key, "key")
    put("issue_id", str(raw["id"]) if raw.get("id") is not None else None, "id")
    put("title", plain(fields.get("summary")), "summary")
    put("kind", plain(fields.get("issuetype")), "issuetype")
    put("priority", plain(fields.get("priority")), "priority")
    put(
        "project",
        plain(
            (fields.get("project") or {}).get("key")
            if isinstance(fields.get("project"), dict)
            else None
        ),
        "project",
    )
    assignee = fields.get("assignee")
    if isinstance(assignee, dict):
        put("owner", plain(assignee.get("displayName")) or plain(assignee.get("name")), "assignee")
    status = fields.get("status")
    if isinstance(status, dict):
        put("status", plain(status), "status")
        category = status.get("statusCategory")
        if isinstance(category, dict) and (category.get("key") or category.get("name")):
            issue.fields["done"] = (
                str(category.get("key", "")).casefold() == "done"
                or str(category.get("name", "")).casefold() in _DONE_CATEGORY_NAMES
            )
    put("due", plain(fields.get("duedate")), "duedate")
    put("description", plain(fields.get("description")), "description")
    put("labels", _texts(fields.get("labels")), "labels")
    put("services", _texts(fields.get("components")), "components")
    for field_id, name in _ESTIMATES.items():
        put(name, plain(fields.get(field_id)), field_id)
    if isinstance(fields.get("parent"), dict):
        put("parent_key", plain(fields["parent"].get("key")), "parent")
    if isinstance(fields.get("epic"), dict):  # the agile API's epic object
        put("epic_link", plain(fields["epic"].get("key")), "epic")
    _custom_fields(issue, fields, names, config, {} if roles is None else roles)
    links = fields.get("issuelinks")
    for link in links if isinstance(links, list) else []:
        if not isinstance(link, dict) or not isinstance(link.get("type"), dict):
            continue
        for direction in ("inward", "outward"):
            other = link.get(f"{direction}Issue")
            if isinstance(other, dict) and isinstance(other.get("key"), str):
                outward = link["type"].get("outward")
                issue.links.append(
                    Link(
                        str(link["type"].get("name") or ""),
                        direction,
                        other["key"],
                        issue.ref.at("issuelinks"),
                        outward if isinstance(outward, str) else None,
                    )
                )
    return issue


# What a field id can be besides a (role, rank): the sprint field (read into extra), or a named field
# no role claims (its value is still looked at, as every named field's is).
_SPRINT, _NO_ROLE = "sprint", "no role"


def _role(field_id: str, names: dict[str, str], config: JiraConfig) -> tuple[str, int] | str | None:
    """What a field id of this site is: the sprint field, a (role, rank), no role, or None (unnamed)."""
    name = names.get(field_id)
    if name is None and not configured_names(config):
        return None
    if name and name.casefold() == "sprint":
        return _SPRINT
    return custom_role(name or "", config, field_id) or _NO_ROLE


def _custom_fields(
    issue: Issue,
    fields: dict[str, Any],
    names: dict[str, str],
    config: JiraConfig,
    roles: dict[str, Any],
) -> None:
    """Custom fields by what their display name says they are; the best-ranked one wins.

    A system field already read (duedate) outranks a custom one for the same role (Target end),
    unless the config names the custom field.
    """
    ranks: dict[str, int] = {role: 0 for role in issue.fields}
    for field_id, value in fields.items():
        if field_id in roles:
            found = roles[field_id]
        else:  # decided once per field id of the site, not once per issue
            found = roles[field_id] = _role(field_id, names, config)
        if found is None:
            continue
        if found == _SPRINT:
            sprints = [
                m
                for v in (value if isinstance(value, list) else [value])
                if isinstance(v, str)
                for m in _SPRINT_NAME.findall(v)
            ] or plain(value)
            if sprints:
                issue.extra["Sprint"] = (
                    ", ".join(sprints) if isinstance(sprints, list) else str(sprints)
                )
            continue
        value = plain(value)
        if found == _NO_ROLE or value in (None, "", []):
            continue
        role, rank = found
        if role not in ranks or rank < ranks[role]:
            ranks[role] = rank
            issue.fields[role] = value
            issue.cells[role] = field_id


# ---------------------------------------------------------------- pages


def _gaps(pages: list[Page]) -> list[DataIssue]:
    """Missing pages: holes in startAt..total, or token pages with no last page."""
    notes: list[DataIssue] = []
    by_total: dict[int, list[Page]] = {}
    for page in pages:
        if page.offset_style:
            by_total.setdefault(page.data["total"], []).append(page)
    for total, group in by_total.items():
        spans = sorted((p.data["startAt"], p.data["startAt"] + len(p.issues)) for p in group)
        reach, missing = 0, []
        for start, end in spans:
            if start > reach:
                missing.append((reach, start))
            reach = max(reach, end)
        if total > reach:
            missing.append((reach, total))
        for first, last in missing:
            notes.append(
                DataIssue(
                    ref=SourceRef(source=group[0].display),
                    problem=f"issues {first + 1}-{last} of {total} are not in the files given (a page starting at "
                    f"startAt={first} is missing); the plan holds only the pages given",
                )
            )
    token = [p for p in pages if not p.offset_style]
    if (
        token
        and any("nextPageToken" in p.data or "isLast" in p.data for p in token)
        and not any(p.says_last for p in token)
    ):
        tokens = ", ".join(str(p.data.get("nextPageToken")) for p in token)
        notes.append(
            DataIssue(
                ref=SourceRef(source=token[-1].display),
                problem=f"no page says isLast: true, so at least one page is missing (next page tokens given: "
                f"{tokens[:200]}); the plan holds only the pages given",
            )
        )
    return notes


def _sources(path: Path, display: str) -> list[tuple[Path, str, bool]]:
    """(file, shown name, is it the plan itself) for a page, or every .json in a folder.

    Beside a single page, field lists in the same folder are picked up too.
    """
    if path.is_dir():
        base = display.rstrip("/\\")
        return [
            (p, f"{base}/{p.name}", True)
            for p in sorted(path.iterdir())
            if p.suffix.lower() == ".json" and p.is_file()
        ]
    found = [(path, display, True)]
    if path.parent.is_dir():
        for sibling in sorted(path.parent.iterdir()):
            if (
                sibling.suffix.lower() == ".json"
                and sibling != path
                and _starts_with_bracket(sibling)
            ):
                found.append((sibling, str(Path(display).parent / sibling.name), False))
    return found


def read_jira_json(
    path: Path,
    display: str,
    plan: Plan,
    config: JiraConfig,
    field_lists: list[str] | None = None,
    limits: Limits | None = None,
    hours_per_week: float = HOURS_PER_WEEK,
) -> None:
    """Add the issues of one search page, or a folder of pages, to the plan."""
    limits = limits or Limits()
    lists: list[tuple[str, list[dict[str, Any]]]] = []  # field lists: (shown name, the fields)
    pages: list[Page] = []
    for file, shown, is_plan in _sources(path, display):
        try:
            data, note, odd = _read(file, shown, limits)
        except InputError:
            if is_plan:
                raise
            continue  # an unreadable neighbour is not the plan's problem
        kind = _kind(data)
        if kind == "fields":
            lists.append((shown, data))
            plan.sources.append(shown)
            if is_plan and not path.is_dir():
                plan.issues.append(
                    DataIssue(
                        ref=SourceRef(source=shown),
                        problem=(
                            f"this is a Jira field list ({len(data)} fields), not a list of issues; give it with "
                            "--context beside the search pages, or put it in the same folder"
                        ),
                    )
                )
            continue
        if kind is None:
            if is_plan and not path.is_dir():
                raise InputError(
                    f"is not a Jira search response ({_not_a_page(data)}) nor a field list",
                    where=shown,
                    hint="save the response of /rest/api/2/search or /rest/api/3/search/jql",
                )
            if is_plan:
                plan.issues.append(
                    DataIssue(
                        ref=SourceRef(source=shown),
                        problem=(
                            f"not a Jira search page ({_not_a_page(data)}) nor a field list; it was not read"
                        ),
                    )
                )
            continue
        if not is_plan:
            continue  # a sibling page of another search: only field lists are borrowed from the folder
        plan.sources.append(shown)
        for problem in [note, *odd] if note else odd:
            plan.issues.append(DataIssue(ref=SourceRef(source=shown), problem=problem))
        pages.append(Page(shown, data if kind == "page" else {"issues": data}, note is not None))
    for extra in field_lists or []:
        data, _, _ = _read(Path(extra), str(extra), limits)
        if _kind(data) != "fields":
            raise InputError(
                "is not a Jira field list (the response of /rest/api/2/field)",
                where=str(extra),
                hint="give --context a workbook, or the field list of the same Jira site",
            )
        lists.append((str(extra), data))
        plan.sources.append(str(extra))
    if sum(len(page.issues) for page in pages) > limits.max_rows:
        raise tables.too_many_rows(display, "the export", "issues", limits.max_rows)
    plan.issues.extend(_gaps(pages))
    names_of = _names_by_site(pages, lists, plan)
    issues = []
    unnamed: dict[str | None, set[str]] = {}
    roles_of: dict[
        str | None, dict[str, Any]
    ] = {}  # per site: field id -> what it is, decided once
    for page in pages:
        names = names_of[page.site]
        roles = roles_of.setdefault(page.site, {})
        # Entries that are no issue at all (a number, a string, an object with no fields) are one note per
        # kind and page, not one each: a million zeros must not become a million notes.
        strays: dict[tuple[str, str], list[int]] = {}
        if (
            page.issues
            and not any(isinstance(raw, dict) for raw in page.issues)
            and len(page.issues) > _STRAYS_ONE_BY_ONE
            and len(pages) == 1
        ):
            raise InputError(
                f"its 'issues' holds {len(page.issues):,} entries and none is an issue object "
                f"(the first is {_JSON_TYPES.get(type(page.issues[0]), 'a value')})",
                where=page.display,
                hint="save the response of /rest/api/2/search or /rest/api/3/search/jql",
            )
        for number, raw in enumerate(page.issues, start=1):
            if not isinstance(raw, dict) or not isinstance(raw.get("fields"), dict):
                what = (
                    ("is not an issue object", "are not issue objects")
                    if not isinstance(raw, dict)
                    else ("has no fields", "have no fields")
                )
                strays.setdefault(what, []).append(number)
                continue
            key = raw.get("key") if isinstance(raw.get("key"), str) else None
            entry = SourceRef(source=page.display, key=key)
            for field_id, length in _cut_long_strings(raw["fields"], limits.max_cell_chars):
                plan.issues.append(
                    DataIssue(
                        ref=entry.at(field_id),
                        subject_id=key,
                        problem=tables.cut_note(
                            f"field {field_id} of entry {number} of 'issues'",
                            length,
                            limits.max_cell_chars,
                        ),
                    )
                )
            try:
                issue = _issue(raw, page, names, config, roles)
            except RecursionError:
                plan.rows_read += 1
                plan.issues.append(
                    DataIssue(
                        ref=entry,
                        row_dropped=True,
                        subject_id=key,
                        problem=(
                            f"entry {number} of 'issues' is nested too deeply to be a Jira issue; it was not read"
                        ),
                    )
                )
                continue
            unnamed.setdefault(page.site, set()).update(
                k
                for k, v in raw["fields"].items()
                if k.startswith("customfield_") and k not in names and v not in (None, [], "")
            )
            if page.bad_bytes and _has_bad_bytes(raw):
                plan.issues.append(
                    DataIssue(
                        ref=issue.ref,
                        subject_id=issue.ref.key,
                        problem=(
                            "its text has bytes that were not valid UTF-8; they show as \ufffd"
                        ),
                    )
                )
            issues.append(issue)
        for (one, many), numbers in strays.items():
            if (
                len(numbers) <= _STRAYS_ONE_BY_ONE
            ):  # a few: each is a row not read, with its own note
                plan.rows_read += len(numbers)
                plan.issues.extend(
                    DataIssue(
                        ref=SourceRef(source=page.display),
                        row_dropped=True,
                        problem=f"entry {n} of 'issues' {one}; it was not read",
                    )
                    for n in numbers
                )
                continue
            shown = ", ".join(map(str, numbers[:5])) + f" and {len(numbers) - 5:,} more"
            plan.issues.append(
                DataIssue(
                    ref=SourceRef(source=page.display),
                    problem=(
                        f"{len(numbers):,} entries of 'issues' ({shown}) {many}, so they are not rows of the "
                        "plan; they were not read"
                    ),
                )
            )
    for site, ids in unnamed.items():
        if not ids:
            continue
        first = next(page for page in pages if page.site == site)
        shown = ", ".join(sorted(ids)[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
        whose = f" in the pages of {site}" if site and len(unnamed) > 1 else ""
        plan.issues.append(
            DataIssue(
                ref=SourceRef(source=first.display),
                problem=(
                    f"{len(ids)} custom fields with values{whose} have no name ({shown}): no field list or 'names' "
                    "of their Jira site names them, so none of them was read as team, story points, rollback plan or "
                    "start date; give that site's /rest/api/2/field response with --context or put it in the same "
                    "folder"
                ),
            )
        )
    add_issues(plan, issues, config, hours_per_week)


# ---------------------------------------------------------------- sites and field lists

# A field list's schema type -> the JSON types a value of the field can have (API v3 sends a text
# area as an ADF document). A field list from another Jira site numbers its custom fields the same
# way (customfield_10000 upwards), so ids alone do not tell sites apart; a value of the wrong type does.
_SCHEMA_TYPES: dict[str, tuple[type, ...]] = {
    "number": (int, float),
    "string": (str, dict),
    "date": (str,),
    "datetime": (str,),
    "array": (list,),
    "option": (dict,),
    "option-with-child": (dict,),
    "user": (dict,),
    "group": (dict,),
    "version": (dict,),
    "project": (dict,),
    "priority": (dict,),
    "issuetype": (dict,),
    "status": (dict,),
    "resolution": (dict,),
    "securitylevel": (dict,),
    "team": (dict, str),
}
# More of a site's custom fields than this unknown to a list, or of another type: the list is another site's.
# Not none at all: a field made after the list was saved is not in it (convention of this project).
_FOREIGN_SHARE = 0.2


def _value_fits(schema: Any, value: Any) -> bool:
    kind = schema.get("type") if isinstance(schema, dict) else None
    allowed = _SCHEMA_TYPES.get(kind) if isinstance(kind, str) else None
    if allowed is None or value is None:
        return True
    return isinstance(value, allowed) and not isinstance(value, bool)


def _foreign(fields: list[dict[str, Any]], ids: set[str], samples: dict[str, Any]) -> list[str]:
    """The custom fields of a site's pages that a field list does not know, or knows as another type."""
    known = {str(f["id"]): f for f in fields if isinstance(f, dict) and f.get("id")}
    return sorted(
        i
        for i in ids
        if i not in known or (i in samples and not _value_fits(known[i].get("schema"), samples[i]))
    )


def _names_by_site(
    pages: list[Page], lists: list[tuple[str, list[dict[str, Any]]]], plan: Plan
) -> dict[str | None, dict[str, str]]:
    """Field names for the pages of each Jira site: its pages' own `names`, and the field lists that fit it.

    A field list fits a site when it knows (nearly) every custom field its pages hold, each with a
    value of the type the list gives. Two fitting lists that name one field differently cannot be told
    apart: that field is not named, and a note says so. A list that fits no site is not used."""
    sites: dict[str | None, list[Page]] = {}
    for page in pages:
        sites.setdefault(page.site, []).append(page)
    named: dict[str | None, dict[str, str]] = {}
    used: set[str] = set()
    misfits: dict[str, tuple[str | None, int, int, list[str]]] = {}
    for site, group in sites.items():
        own: dict[str, str] = {}
        ids: set[str] = set()
        samples: dict[str, Any] = {}
        for page in group:
            if isinstance(page.data.get("names"), dict):
                own.update(
                    {str(k): str(v) for k, v in page.data["names"].items() if isinstance(v, str)}
                )
            for raw in page.issues[:_SITE_SAMPLE]:
                fields = raw.get("fields") if isinstance(raw, dict) else None
                for field_id, value in fields.items() if isinstance(fields, dict) else ():
                    if str(field_id).startswith("customfield_"):
                        ids.add(field_id)
                        if value is not None and field_id not in samples:
                            samples[field_id] = value
        fitting = []
        for shown, fields in lists:
            foreign = _foreign(fields, ids, samples)
            if len(foreign) <= _FOREIGN_SHARE * len(ids):
                fitting.append((shown, _field_names(fields)))
                used.add(shown)
            elif shown not in misfits or len(foreign) < misfits[shown][2]:
                misfits[shown] = (site, len(ids), len(foreign), foreign)
        names: dict[str, str] = {}
        named_by: dict[str, str] = {}
        clashes: dict[str, dict[str, str]] = {}
        for shown, listed in fitting:
            for field_id, name in listed.items():
                if (
                    field_id in names
                    and names[field_id] != name
                    and field_id in ids
                    and field_id not in own
                ):
                    clashes.setdefault(field_id, {}).update(
                        {named_by[field_id]: names[field_id], shown: name}
                    )
                if field_id not in names:
                    names[field_id], named_by[field_id] = name, shown
        for field_id in clashes:
            names.pop(field_id)
        names.update(own)
        named[site] = names
        if clashes:
            said = "; ".join(
                f"{field_id}: " + ", ".join(f"'{n}' in {s}" for s, n in by.items())
                for field_id, by in sorted(clashes.items())[:5]
            )
            plan.issues.append(
                DataIssue(
                    ref=SourceRef(source=group[0].display),
                    problem=(
                        f"{len(clashes)} custom field{'s are' if len(clashes) > 1 else ' is'} named differently by "
                        f"field lists that each fit the pages{' of ' + site if site else ''} ({said}), and which list "
                        "belongs to them cannot be told; those fields were not read (give only the field list of the "
                        "pages' own Jira site, or name the field with [jira] in the config)"
                    ),
                )
            )
    for shown, (site, total, count, foreign) in misfits.items():
        if shown in used:
            continue
        plan.issues.append(
            DataIssue(
                ref=SourceRef(source=shown),
                problem=(
                    f"this field list does not fit the pages{' of ' + site if site else ''}: {count} of their {total} "
                    f"custom fields are missing from it or hold values of another type ({', '.join(foreign[:5])}"
                    f"{', ...' if count > 5 else ''}), so it is from another Jira site and was not used to name them"
                ),
            )
        )
    return named
