"""Property tests: random tables through the loaders, random plans through the whole pipeline.

- CSV: random cells (text, numbers, dates, percentages, blanks, unicode, delimiters,
  quotes and newlines inside cells) written by the csv module in a random encoding
  and delimiter, read as a plan folder.
- Workbooks: random sheets written by openpyxl, with merged ranges and formulas.
- Plans: random items, teams, services, actions, incidents and org trees (cycles,
  unknown keys, loops, missing parents) run through load, derive, rules, score and
  every text renderer.

Whatever comes in: no crash, rows_read = rows_used + rows reported as not used,
every item points at the row it came from, and every finding is about something
the plan names. Examples are few and the deadline is off, to keep the suite fast.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import os
import re
import shutil
import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roadmap_audit.config import Config, Limits
from roadmap_audit.errors import InputError
from roadmap_audit.load import load_plan
from roadmap_audit.load.cells import is_blank, parse_text, spreadsheet_error
from roadmap_audit.load.words import normalize_name
from roadmap_audit.model import Plan

# ROADMAP_AUDIT_EXAMPLES=2000 python -m pytest tests/test_properties.py  hunts longer than the suite does.
EXAMPLES = int(os.environ.get("ROADMAP_AUDIT_EXAMPLES", "60"))
FAST = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# ---------------------------------------------------------------------------- cells

# Text a person might type, with the characters that break CSV files: the delimiters,
# quotes, both line ends, tabs, non-Latin scripts, emoji, invisible spaces.
_PUNCT = ",;|\t\"'\r\n =+-@%"
_NASTY = _PUNCT + "\u00a0\u200b\ufeff"
text_cells = st.text(
    alphabet=st.one_of(st.characters(blacklist_categories=("Cs", "Cc")), st.sampled_from(_NASTY)),
    max_size=40,
)
# cp1252 can only hold some characters, and a cp1252 file is told from UTF-8 by its bytes;
# keep to letters that cannot be mistaken for UTF-8 (no byte 0x80-0xBF after a 0xC2-0xF4).
cp1252_cells = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=32, max_codepoint=126), st.sampled_from("éèàçüñßÅÉÖ" + _PUNCT)
    ),
    max_size=40,
)

estimates = st.one_of(
    st.none(), st.integers(0, 400), st.floats(0, 400, allow_nan=False).map(lambda f: round(f, 3))
)
dates = st.one_of(st.none(), st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)))
percents = st.one_of(st.none(), st.integers(0, 100))
_JUNK = [
    "NaN",
    "inf",
    "-1",
    "1e309",
    "31/02/2026",
    "2026-13-01",
    "n/a",
    "TBD",
    "12/Mar/26 10:15 AM",
    "20%",
    "0.2",
    "yes",
    "-",
]


def _write_csv(path: Path, rows: list[list[str]], delimiter: str, encoding: str) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


def _dropped(plan: Plan) -> int:
    return sum(i.count for i in plan.issues if i.row_dropped)  # one note may stand for many rows


def _titled(titles) -> int:
    """How many of these title cells can be an item's title."""
    return sum(1 for t in titles if parse_text(t) is not None and spreadsheet_error(t) is None)


def _load_unless_unread(load, titles):
    """The loaded plan, or None when the run refused it as not read (no verdict): only a plan with
    no item rows, no titled row, or fewer than one titled row in ten may be refused."""
    try:
        return load()
    except InputError as exc:
        assert "no verdict is given" in exc.line() or "no item could be read" in exc.line(), (
            exc.line()
        )
        usable, rows = _titled(titles), len(titles)
        assert usable == 0 or (rows >= 10 and usable * 10 < rows), (usable, rows, exc.line())
        return None


def _assert_accounting(plan: Plan) -> None:
    assert plan.rows_read == plan.rows_used + _dropped(plan), (
        plan.rows_read,
        plan.rows_used,
        _dropped(plan),
    )
    for issue in plan.issues:
        assert issue.ref.source and issue.ref.location and issue.problem, issue


def _row_of_key(key: str) -> int | None:
    """Keys are written as K-<row>; a kept duplicate is K-<row>~<row>; a generated key is Items-<row>."""
    m = re.fullmatch(r"(?:K-\d+~|Items-|items-)(\d+)|K-(\d+)", key)
    return int(m.group(1) or m.group(2)) if m else None


@pytest.fixture()
def folder():
    path = Path(tempfile.mkdtemp(prefix="prop-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _fresh(folder: Path) -> Path:
    for child in folder.iterdir():
        shutil.rmtree(child) if child.is_dir() else child.unlink()
    return folder


# ---------------------------------------------------------------------------- CSV


@st.composite
def csv_plans(draw):
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    cells = cp1252_cells if encoding == "cp1252" else text_cells
    junk = st.one_of(cells, st.sampled_from(_JUNK))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    extra_names = ["Sprint notes", "Link", "Größe"] + (
        [] if encoding == "cp1252" else ["Σ", "😀 col"]
    )
    extra = draw(st.lists(st.sampled_from(extra_names), max_size=2, unique=True))
    rows = []
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(["typed", "junk"]))
        rows.append(
            {
                "title": draw(cells),
                "team": draw(cells),
                "estimate": draw(estimates) if kind == "typed" else draw(junk),
                "due": draw(dates) if kind == "typed" else draw(junk),
                "ops": draw(percents),
                "extra": [draw(cells) for _ in extra],
            }
        )
    return encoding, delimiter, extra, rows


def _read(value) -> str | None:
    """A text cell as the loader keeps it: trimmed, and empty when it holds a spreadsheet error."""
    return parse_text(value) if spreadsheet_error(value) is None else None


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


@FAST
@given(csv_plans())
def test_csv_plan_folders_load_whatever_the_cells_hold(folder, case):
    encoding, delimiter, extra, rows = case
    folder = _fresh(folder)
    header = ["key", "title", "team", "estimate", "due", *extra]
    table = [header] + [
        [f"K-{n + 2}", r["title"], r["team"], _cell(r["estimate"]), _cell(r["due"]), *r["extra"]]
        for n, r in enumerate(rows)
    ]
    _write_csv(folder / "items.csv", table, delimiter, encoding)
    teams = [["team", "headcount", "ops_allocation"]] + [
        [f"T{n}", "5", f"{r['ops']}%" if r["ops"] is not None else ""] for n, r in enumerate(rows)
    ]
    _write_csv(folder / "teams.csv", teams, delimiter, encoding)

    plan = _load_unless_unread(lambda: load_plan(folder), [r["title"] for r in rows])
    if plan is None:
        return
    _assert_accounting(plan)
    assert plan.rows_read == 2 * len(rows)
    by_key = {item.key: item for item in plan.items}
    for n, r in enumerate(rows):
        row = n + 2
        title = parse_text(r["title"]) if spreadsheet_error(r["title"]) is None else None
        item = by_key.get(f"K-{row}")
        if title is None:
            assert item is None
            assert any(
                i.row_dropped and row in (i.rows or (i.ref.row,)) and i.ref.sheet == "items"
                for i in plan.issues
            )
            continue
        assert item is not None, (row, r, plan.issues)
        assert (
            item.ref.row == row
            and item.ref.sheet == "items"
            and item.ref.source.endswith("items.csv")
        )
        assert item.title == title
        assert item.team == _read(r["team"])
        if isinstance(r["estimate"], (int, float)) and r["estimate"] is not True:
            assert item.estimate_weeks == pytest.approx(r["estimate"])
        if isinstance(r["due"], dt.date):
            assert item.due == r["due"]
        for name, value in zip(extra, r["extra"], strict=True):
            if _read(value) is not None:
                assert item.extra[name] == value
            else:  # empty, or a spreadsheet error (#CALC!), which is read as empty with a note
                assert name not in item.extra
    for n, r in enumerate(rows):
        team = next(t for t in plan.teams if t.team == f"T{n}")
        assert team.ref.row == n + 2
        if r["ops"] is not None:
            assert team.ops_allocation == pytest.approx(r["ops"] / 100)


# ---------------------------------------------------------------------------- workbooks

# what XML 1.0 (and openpyxl) refuses, and a lone CR, which XML reads back as a line feed
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037\r]")
xlsx_text = text_cells.map(lambda s: _ILLEGAL.sub("", s))
xlsx_values = st.one_of(
    st.none(),
    xlsx_text,
    st.integers(-(10**6), 10**6),
    st.floats(-1e6, 1e6, allow_nan=False),
    st.booleans(),
    st.datetimes(dt.datetime(1950, 1, 1), dt.datetime(2090, 12, 31)).map(
        lambda d: d.replace(microsecond=0)
    ),
    st.sampled_from(["=1+2", "=A1", "=SUM(D2:D9)", "=NOW()", "=1/0"]),
)


@st.composite
def workbooks(draw):
    n = draw(st.integers(0, 7))
    rows = [
        [
            f"K-{r}",
            draw(xlsx_text),
            draw(xlsx_values),
            draw(st.one_of(estimates, xlsx_values)),
            draw(st.one_of(dates, xlsx_values)),
            draw(xlsx_values),
        ]
        for r in range(2, n + 2)
    ]
    merges = []
    for _ in range(draw(st.integers(0, 3))) if n else []:
        r1 = draw(st.integers(2, n + 1))
        c1 = draw(st.integers(1, 6))
        merges.append((r1, c1, draw(st.integers(r1, n + 1)), draw(st.integers(c1, 6))))
    others = draw(
        st.lists(st.sampled_from(["Teams", "Notes", "Services", "Org"]), max_size=2, unique=True)
    )
    return rows, merges, others, draw(st.booleans())


@FAST
@given(workbooks())
def test_workbooks_load_whatever_the_sheets_hold(folder, case):
    from roadmap_audit.load import xlsx_reader
    from roadmap_audit.load.tables import _read_openpyxl, _read_streaming

    rows, merges, others, hide = case
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Items"
    ws.append(["key", "title", "team", "estimate", "due", "owner"])
    for row in rows:
        ws.append(row)
    merged, applied = set(), []
    for r1, c1, r2, c2 in merges:
        if any((r, c) in merged for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)):
            continue
        if (r1, c1) == (r2, c2):
            continue
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        merged |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
        applied.append((r1, c1, r2, c2))
    for name in others:
        other = wb.create_sheet(name)
        other.append(
            ["team" if name == "Teams" else "service" if name == "Services" else "unit", "parent"]
        )
        other.append(["core", "=B1"])
        other.sheet_state = "hidden" if hide else "visible"
    path = _fresh(folder) / "plan.xlsx"
    wb.save(path)

    def title_as_read(
        number: int,
    ):  # openpyxl empties a merge's other cells; the loader gives them its value
        value = rows[number - 2][1]
        for r1, c1, r2, c2 in applied:
            if r1 <= number <= r2 and c1 <= 2 <= c2:
                value = rows[r1 - 2][c1 - 1]
                break
        # openpyxl writes text that starts with "=" as a formula, never calculated: read as empty
        return None if isinstance(value, str) and value.startswith("=") else value

    plan = _load_unless_unread(
        lambda: load_plan(path), [title_as_read(n) for n in range(2, len(rows) + 2)]
    )
    if plan is None:
        return
    _assert_accounting(plan)
    # every row with a value of its own is read (a merge clears the cells it covers but the first,
    # and a formula never calculated reads as empty, with a note)
    covered = {
        (r, c)
        for r1, c1, r2, c2 in applied
        for r in range(r1, r2 + 1)
        for c in range(c1, c2 + 1)
        if (r, c) != (r1, c1)
    }
    own = [
        r
        for r, row in enumerate(rows, start=2)
        if any(
            (r, c) not in covered
            and not is_blank(v)
            and not (isinstance(v, str) and v.startswith("="))
            for c, v in enumerate(row, start=1)
        )
    ]
    assert plan.rows_read >= len(own)
    for item in plan.items:
        # K-<r> was written on row r; a merged key column copies its first key down the range
        assert 2 <= item.ref.row <= len(rows) + 1 and item.ref.sheet == "Items", item
        row = _row_of_key(item.key)
        if "~" in item.key or item.key.startswith("Items-") or not any(c == 1 for _, c in merged):
            assert item.ref.row == row, item
    by_row = {item.ref.row: item for item in plan.items}
    for r, (_key, title, _team, estimate, due, _owner) in enumerate(rows, start=2):
        item = by_row.get(r)
        if item is None or any((r, c) in merged for c in range(1, 7)):
            continue
        assert item.title == parse_text(title)
        if (
            isinstance(estimate, (int, float))
            and not isinstance(estimate, bool)
            and 0 <= estimate <= 520
        ):
            assert item.estimate_weeks == pytest.approx(estimate)
        if type(due) is dt.date:
            assert item.due == due
    # Without merged ranges, the streaming reader and openpyxl read the same rows.
    if not merged:
        fast = _read_streaming(xlsx_reader.read_sheets(path), str(path))
        slow = _read_openpyxl(path, str(path))

        def trimmed(sheets):  # openpyxl pads rows to the sheet's width with None
            return [(s.title, s.headers, [(n, _trim(v)) for n, v in s.rows]) for s in sheets]

        assert trimmed(fast) == trimmed(slow)


def _trim(values: list) -> list:
    values = list(values)
    while values and values[-1] is None:
        values.pop()
    return values


# ---------------------------------------------------------------------------- whole plans

names = st.sampled_from(
    [
        "payments",
        "ledger",
        "Payments",
        "search",
        "infra",
        "mobile",
        "data",
        " ops ",
        "ünïcode",
        "a,b",
        "",
        "n/a",
        "core",
    ]
)
people = st.sampled_from(["Ana", "Bo", "ana", "Chen Wei", "", "—", "Dana O'Neil", "x" * 60])
services = st.sampled_from(["api", "db", "cache", "queue", "API", "search-svc", "", "auth"])
numbers = st.one_of(
    st.none(),
    st.integers(-3, 40).map(str),
    st.floats(-1, 100, allow_nan=False).map(lambda f: f"{f:.2f}"),
    st.sampled_from(["NaN", "inf", "1e309", "20%", "150%", "lots", "-0", "0"]),
)
fuzz_dates = st.one_of(
    st.none(),
    st.dates(dt.date(2025, 1, 1), dt.date(2027, 12, 31)).map(str),
    st.sampled_from(["31/02/2026", "2026-13-01", "someday", "12/Mar/26 10:15 AM"]),
)
kinds = st.sampled_from(
    [
        "migration",
        "launch",
        "feature",
        "reliability",
        "compliance",
        "ktlo",
        "Schema change",
        "backfill",
        "",
        "bug",
        "action-item",
        "Epic",
    ]
)
titles = st.sampled_from(
    [
        "Migrate ledger to Postgres",
        "Launch checkout v2",
        "Hardening",
        "Tech debt follow-up",
        "Backfill orders",
        "Cutover billing",
        "Add rate limits",
        "",
        "Re-platform search",
        "Load test the API",
        "Fix <script>alert(1)</script>",
    ]
)


@st.composite
def whole_plans(draw):
    n_items = draw(st.integers(1, 14))
    keys = [f"P-{n}" for n in range(n_items)]
    key_pool = st.sampled_from(keys + ["NOPE-1", "P-99", ""])
    items = [
        [
            keys[n]
            if draw(st.integers(0, 9))
            else draw(st.sampled_from(keys + [""])),  # duplicates, blanks
            draw(titles),
            draw(names),
            draw(kinds),
            draw(numbers),
            draw(fuzz_dates),
            draw(fuzz_dates),
            ", ".join(draw(st.lists(key_pool, max_size=3))),  # cycles, self and unknown keys
            ", ".join(draw(st.lists(services, max_size=2))),
            draw(st.sampled_from(["", "n/a", "restore snapshot"])),
            draw(st.sampled_from(["", "shadow reads", "-"])),
            draw(people),
            draw(st.sampled_from(["", "P0", "P1", "low"])),
            draw(st.sampled_from(["", "yes", "no", "maybe"])),
            draw(st.sampled_from(["", "Done", "In progress"])),
            draw(key_pool),
        ]  # parent: loops, unknown
        for n in range(n_items)
    ]
    team_names = draw(st.lists(names, max_size=6))
    teams = [
        [
            t,
            draw(names),
            draw(numbers),
            draw(numbers),
            draw(numbers),
            draw(st.sampled_from(["", "1", "2", "0"])),
            draw(numbers),
            draw(numbers),
            draw(numbers),
            draw(numbers),
            draw(numbers),
            draw(numbers),
        ]
        for t in team_names
    ]
    svc = [
        [
            s,
            draw(names),
            draw(st.sampled_from(["", "1", "2", "critical", "low", "9", "x"])),
            draw(numbers),
            draw(st.sampled_from(["", "yes", "no"])),
            draw(numbers),
            draw(st.sampled_from(["", "yes", "no"])),
            ", ".join(draw(st.lists(people, max_size=3))),
            ", ".join(draw(st.lists(services, max_size=3))),
            draw(st.sampled_from(["", "yes", "no"])),
        ]
        for s in draw(st.lists(services, max_size=5))
    ]
    org = [
        [draw(names), draw(names)] for _ in range(draw(st.integers(0, 6)))
    ]  # loops and missing parents
    actions = [
        [
            f"A-{n}",
            draw(titles),
            draw(names),
            draw(services),
            draw(fuzz_dates),
            draw(fuzz_dates),
            draw(st.sampled_from(["", "open", "Done"])),
            draw(numbers),
            draw(key_pool),
        ]
        for n in range(draw(st.integers(0, 4)))
    ]
    incidents = [
        [
            f"I-{n}",
            draw(services),
            draw(names),
            draw(st.sampled_from(["SEV1", "sev2", "", "3"])),
            draw(fuzz_dates),
            draw(numbers),
            ", ".join(draw(st.lists(people, max_size=2))),
        ]
        for n in range(draw(st.integers(0, 4)))
    ]
    settings_rows = draw(
        st.sampled_from(
            [
                [],
                [["quarter", "2026-Q3"]],
                [["quarter", "2026-Q5"]],
                [["start", "2026-07-01"], ["end", "2026-06-01"]],
                [["weeks", "-3"]],
                [["start", "2026-07-01"], ["end", "2026-07-01"]],
                [["weeks", "1e30"]],
                [["quarter", "2026-Q3"], ["start", "2026-10-15"]],
                [["weeks", "0.01"]],
                [["colour", "blue"]],
            ]
        )
    )
    return (
        items,
        teams,
        svc,
        org,
        actions,
        incidents,
        settings_rows,
        draw(st.sampled_from(["issue", "epic"])),
    )


def _known_subjects(plan: Plan) -> dict[str, set[str]]:
    teams = (
        {t.team for t in plan.teams}
        | {i.team for i in plan.items if i.team}
        | {s.owner_team for s in plan.services if s.owner_team}
        | {a.team for a in plan.actions if a.team}
        | {i.team for i in plan.incidents if i.team}
    )
    return {
        "item": {i.key for i in plan.items}
        | {a.key for a in plan.actions},  # postmortem actions are items too
        "team": teams,
        "service": (
            {s.service for s in plan.services}
            | {n for i in plan.items for n in i.services}
            | {d for s in plan.services for d in s.depends_on}
            | {a.service for a in plan.actions if a.service}
            | {i.service for i in plan.incidents if i.service}
        ),
        "person": (
            {i.owner for i in plan.items if i.owner}
            | {e for s in plan.services for e in s.experts}
            | {r for i in plan.incidents for r in i.responders}
        ),
        "org": (
            {u.unit for u in plan.org}
            | {u.parent for u in plan.org if u.parent}
            | {t.parent for t in plan.teams if t.parent}
            | teams
        ),
        "plan": set(plan.sources),
    }


# A number printed raw where a reader expects a figure: "inf%", "nan weeks".
_NUMBER_NOISE = re.compile(r"(?<![\w-])-?(inf|nan) ?(%|(engineer-)?weeks|h\b)", re.IGNORECASE)


def _no_constant(name: str):
    raise AssertionError(f"{name} in the JSON report")


def _casefold(names: set[str]) -> set[str]:
    return {normalize_name(n) for n in names}


@settings(FAST, max_examples=max(1, EXAMPLES * 5 // 6))
@given(whole_plans())
def test_random_plans_run_end_to_end(folder, case):
    from roadmap_audit.pipeline import Options, load, run
    from roadmap_audit.report import render

    items, teams, svc, org, actions, incidents, settings_rows, level = case
    folder = _fresh(folder)
    sheets = {
        "items": (
            [
                "key",
                "title",
                "team",
                "kind",
                "estimate",
                "start",
                "due",
                "depends_on",
                "services",
                "rollback_plan",
                "rehearsal",
                "owner",
                "priority",
                "committed",
                "status",
                "parent",
            ],
            items,
        ),
        "teams": (
            [
                "team",
                "parent",
                "headcount",
                "new_hires",
                "oncall_rotation",
                "oncall_sites",
                "ops_allocation",
                "pages_per_week",
                "toil_hours_per_week",
                "incidents_last_quarter",
                "points_per_week",
                "availability",
            ],
            teams,
        ),
        "services": (
            [
                "service",
                "owner_team",
                "tier",
                "slo",
                "slo_measured",
                "error_budget_remaining",
                "error_budget_policy",
                "experts",
                "depends_on",
                "dependency_protection",
            ],
            svc,
        ),
        "org": (["unit", "parent"], org),
        "actions": (
            [
                "key",
                "title",
                "team",
                "service",
                "raised",
                "due",
                "status",
                "times_deferred",
                "scheduled_as",
            ],
            actions,
        ),
        "incidents": (
            ["id", "service", "team", "severity", "started", "duration_minutes", "responders"],
            incidents,
        ),
        "settings": (["key", "value"], settings_rows),
    }
    for name, (header, rows) in sheets.items():
        _write_csv(folder / f"{name}.csv", [header, *rows], ",", "utf-8")

    options = Options(plan=str(folder), config=Config(), level=level)
    plan = _load_unless_unread(lambda: load(options), [row[1] for row in items])
    if plan is None:
        return
    _assert_accounting(plan)
    audit = run(options, plan)
    assert audit.data_quality.rows_read == audit.data_quality.rows_used + _dropped(plan)

    known = _known_subjects(plan)
    for finding in audit.findings:
        kind, sid = finding.subject.kind, finding.subject.id
        assert sid, finding
        assert sid in known[kind] or normalize_name(sid) in _casefold(known[kind]), (
            finding.rule,
            kind,
            sid,
        )
        assert finding.evidence, finding
        for evidence in finding.evidence:
            assert evidence.source and evidence.location, (finding.rule, evidence)
    for team in audit.teams:
        assert math.isfinite(team.capacity_weeks) and math.isfinite(team.planned_weeks), team
    for fmt in ("json", "html", "md", "text"):
        body = render(fmt, audit, plan_path=str(folder), plan=plan, colour=False)
        assert body and not _NUMBER_NOISE.search(body), (fmt, _NUMBER_NOISE.search(body))
        if fmt == "json":
            json.loads(body, parse_constant=_no_constant)  # strict JSON: no NaN or Infinity


# ---------------------------------------------------------------------------- Jira JSON

json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**6), 10**12),
        st.floats(allow_nan=False, allow_infinity=False),
        text_cells,
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(
                [
                    "name",
                    "value",
                    "key",
                    "type",
                    "content",
                    "text",
                    "displayName",
                    "statusCategory",
                    "attrs",
                    "x",
                ]
            ),
            inner,
            max_size=4,
        ),
    ),
    max_leaves=12,
)
jira_fields = st.dictionaries(
    st.sampled_from(
        [
            "summary",
            "issuetype",
            "status",
            "priority",
            "assignee",
            "duedate",
            "description",
            "labels",
            "components",
            "timeoriginalestimate",
            "aggregatetimeoriginalestimate",
            "parent",
            "issuelinks",
            "project",
            "customfield_10001",
            "customfield_10002",
            "epic",
        ]
    ),
    json_values,
    max_size=10,
)
jira_issues = st.one_of(
    st.fixed_dictionaries(
        {
            "key": st.one_of(st.sampled_from(["J-1", "J-2", "J-3"]), json_values),
            "fields": st.one_of(jira_fields, json_values),
        },
        optional={"id": json_values},
    ),
    json_values,
)


@FAST
@given(
    st.lists(jira_issues, max_size=6),
    st.one_of(
        st.none(),
        st.dictionaries(
            st.sampled_from(["customfield_10001", "customfield_10002"]),
            st.sampled_from(["Team", "Story Points", "Start date", "Rollback plan"]),
        ),
    ),
    st.sampled_from(["issue", "epic"]),
)
def test_jira_json_pages_of_any_shape(folder, issues, names, level):
    """Whatever JSON sits in `issues` and `fields`: every entry is an item or a note saying why not."""
    import json

    page = {"startAt": 0, "maxResults": 50, "total": len(issues), "issues": issues}
    if names is not None:
        page["names"] = names
    path = _fresh(folder) / "search.json"
    path.write_text(json.dumps(page))
    try:
        plan = load_plan(path, level=level)
    except InputError as exc:  # no entry became an item: no plan, no verdict, one line saying why
        assert "no verdict is given" in exc.message
        return
    assert plan.items
    _assert_accounting(plan)
    assert plan.rows_read == len(issues)
    if level == "issue":
        assert len(plan.items) == plan.rows_used


# ---------------------------------------------------------------------------- limits


@FAST
@given(
    st.lists(st.text(alphabet='abc,"\n', max_size=30), min_size=1, max_size=20),
    st.integers(1, 10),
    st.integers(1, 12),
)
def test_limits_are_kept_whatever_the_csv(folder, cells, max_rows, max_cell_chars):
    """Never more rows than max_rows read, never a cell longer than max_cell_chars: over
    the row cap is an InputError naming the file; a long cell is cut with a note."""
    folder = _fresh(folder)
    rows = [["key", "title"]] + [[f"K-{n + 2}", c] for n, c in enumerate(cells)]
    _write_csv(folder / "items.csv", rows, ",", "utf-8")
    limits = Limits(max_rows=max_rows, max_cell_chars=max_cell_chars)
    try:
        plan = load_plan(folder / "items.csv", limits=limits)
    except InputError as exc:
        if "no header reads as 'title'" in exc.line():  # the cap cut the header cell itself
            assert max_cell_chars < len("title"), exc.line()
            return
        if "no verdict is given" in exc.line():  # nothing, or almost nothing, titled: no verdict
            assert _titled(cells) == 0 or (len(cells) >= 10 and _titled(cells) * 10 < len(cells)), (
                exc.line()
            )
            return
        assert "max_rows" in exc.line() and "items.csv" in exc.line()
        assert len(cells) > max_rows
        return
    assert plan.rows_read <= max_rows
    _assert_accounting(plan)
    for item in plan.items:
        assert len(item.title) <= max_cell_chars
    cut = [i for i in plan.issues if "over the limit" in i.problem]
    assert all(i.ref.column and i.ref.row for i in cut)
