"""Bad input is normal input: a corpus of malformed and hostile plans, generated here.

Each case either runs cleanly, with data-quality notes that name file, sheet, row
and column, or exits 2 with one line saying what is wrong. Never a traceback, and
the accounting always holds: rows_read = rows_used + rows reported as not used.
Workbooks and plan CSVs first, then Jira CSV exports and Jira REST JSON, then the
configurable limits ([limits] in the config).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import socket
import zipfile
from pathlib import Path

import pytest

from roadmap_audit.errors import InputError

from .conftest import SAMPLES, run_cli, write_xlsx

SAMPLE = SAMPLES / "northwind-2026-Q3.xlsx"
HEADER = ["key", "title", "team", "estimate", "due", "depends_on", "rollback_plan"]


xlsx = write_xlsx  # the shared workbook writer, with a per-sheet edit


def items(*rows: list) -> dict[str, list[list]]:
    return {"Items": [HEADER, *rows], "Teams": [["team", "headcount"], ["core", 6]]}


def rewrite(path: Path, member: str, change) -> Path:
    out = path.with_name("x-" + path.name)
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, change(data) if info.filename == member else data)
    return out


def text(path: Path, content: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(content.encode(encoding))
    return path


def limited(path: Path, **limits) -> tuple[Path, Path]:
    """The plan with a config beside it that sets [limits]."""
    config = path.parent / "limits.toml"
    config.write_text("[limits]\n" + "".join(f"{k} = {v}\n" for k, v in limits.items()))
    return path, config


# ------------------------------------------------------------------ Jira

JIRA = [
    "Summary",
    "Issue key",
    "Issue id",
    "Issue Type",
    "Status",
    "Custom field (Team)",
    "Original estimate",
]


def jira_row(n: int, title: str | None = None, **over) -> list[str]:
    row = [
        title or f"Migrate ledger step {n}",
        f"TW-{n}",
        str(1000 + n),
        "Story",
        "To Do",
        "core",
        "144000",
    ]
    for pos, value in over.items():
        row[int(pos[1:])] = value
    return row


def jira_csv(path: Path, rows: list[list], *, encoding: str = "utf-8", bom: bool = False) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode(encoding))
    return path


def jira_issue(n: int, **fields) -> dict:
    base = {
        "summary": f"Migrate ledger step {n}",
        "issuetype": {"name": "Story"},
        "status": {"name": "To Do", "statusCategory": {"key": "new"}},
        "components": [{"name": "core"}],
        "timeoriginalestimate": 144000,
    }
    return {"id": str(1000 + n), "key": f"TW-{n}", "fields": base | fields}


def page(path: Path, issues: list, **extra) -> Path:
    path.write_text(
        json.dumps({"startAt": 0, "maxResults": 50, "total": len(issues), "issues": issues} | extra)
    )
    return path


def raw(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# name -> (builder(tmp) -> path, expected exit code, a phrase the message or a note must contain)
CASES = {
    "text renamed .xlsx": (
        lambda t: text(t / "p.xlsx", "key,title\nA,B\n"),
        2,
        "not an .xlsx workbook",
    ),
    "truncated xlsx": (
        lambda t: Path(t / "p.xlsx").write_bytes(SAMPLE.read_bytes()[:4000]) and t / "p.xlsx",
        2,
        "truncated or damaged",
    ),
    "password-protected xlsx": (
        lambda t: (
            Path(t / "p.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
            and t / "p.xlsx"
        ),
        2,
        "password-protected",
    ),
    "an .xls with an OLE header and no workbook": (
        lambda t: (
            Path(t / "p.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
            and t / "p.xls"
        ),
        2,
        "cannot be opened as a workbook",
    ),
    "empty file": (lambda t: text(t / "p.xlsx", ""), 2, "empty"),
    "empty workbook": (lambda t: xlsx(t / "p.xlsx", {"Sheet": []}), 2, "every sheet is empty"),
    "no Items sheet": (
        lambda t: xlsx(t / "p.xlsx", {"Teams": [["team"], ["core"]]}),
        2,
        "no Items sheet",
    ),
    "headers only": (
        lambda t: xlsx(t / "p.xlsx", items()),
        2,
        "has a header row but no rows under it",
    ),
    "no title column": (
        lambda t: xlsx(t / "p.xlsx", {"Items": [["key", "team"], ["A-1", "core"]]}),
        2,
        "no header reads as 'title'",
    ),
    "merged cells": (
        lambda t: xlsx(
            t / "p.xlsx",
            items(["A-1", "One", "core", 1], ["A-2", "Two", None, 2]),
            edit=lambda ws: ws.title == "Items" and ws.merge_cells("C2:C3"),
        ),
        0,
        "merged",
    ),
    "hidden sheet": (
        lambda t: xlsx(
            t / "p.xlsx",
            items(["A-1", "One", "core", 1]),
            edit=lambda ws: setattr(ws, "sheet_state", "hidden") if ws.title == "Teams" else None,
        ),
        0,
        "hidden",
    ),
    "formula without cached value": (
        lambda t: xlsx(t / "p.xlsx", items(["A-1", "One", "core", "=2*3"])),
        0,
        "formula with no saved value",
    ),
    "duplicate keys": (
        lambda t: xlsx(t / "p.xlsx", items(["A-1", "One", "core", 1], ["A-1", "Two", "core", 1])),
        0,
        "duplicate key",
    ),
    "unknown dependency keys": (
        lambda t: xlsx(t / "p.xlsx", items(["A-1", "One", "core", 1, None, "NOPE-1"])),
        0,
        "not in the plan",
    ),
    "dependency cycle": (
        lambda t: xlsx(
            t / "p.xlsx",
            items(["A-1", "One", "core", 1, None, "A-2"], ["A-2", "Two", "core", 1, None, "A-1"]),
        ),
        0,
        None,
    ),
    "self dependency": (
        lambda t: xlsx(t / "p.xlsx", items(["A-1", "One", "core", 1, None, "A-1"])),
        0,
        "depends on itself",
    ),
    "negative estimate": (
        lambda t: xlsx(t / "p.xlsx", items(["A-1", "One", "core", -4])),
        0,
        "negative",
    ),
    "NaN estimate": (
        lambda t: xlsx(t / "p.xlsx", items(["A-1", "One", "core", "NaN"])),
        0,
        "estimate",
    ),
    "huge estimate": (
        lambda t: xlsx(t / "p.xlsx", items(["A-1", "One", "core", 1e300])),
        0,
        "ten engineer-years",
    ),
    "text estimate": (
        lambda t: xlsx(t / "p.xlsx", items(["A-1", "One", "core", "big"])),
        0,
        "not a number",
    ),
    "dates as text in several formats": (
        lambda t: xlsx(
            t / "p.xlsx",
            items(
                ["A-1", "One", "core", 1, "2026-08-01"],
                ["A-2", "Two", "core", 1, "01/08/2026"],
                ["A-3", "Three", "core", 1, "12/Mar/26 10:15 AM"],
                ["A-4", "Four", "core", 1, "Aug 1, 2026"],
            ),
        ),
        0,
        None,
    ),
    "impossible dates": (
        lambda t: xlsx(
            t / "p.xlsx",
            items(["A-1", "One", "core", 1, "31/02/2026"], ["A-2", "Two", "core", 1, "2026-13-01"]),
        ),
        0,
        "due",
    ),
    "percentages written three ways": (
        lambda t: xlsx(
            t / "p.xlsx",
            {
                "Items": [HEADER, ["A-1", "One", "a", 1]],
                "Teams": [
                    ["team", "headcount", "ops_allocation"],
                    ["a", 5, 20],
                    ["b", 5, "20%"],
                    ["c", 5, 0.2],
                ],
            },
        ),
        0,
        None,
    ),
    "percent over 100": (
        lambda t: xlsx(
            t / "p.xlsx",
            {
                "Items": [HEADER, ["A-1", "One", "a", 1]],
                "Teams": [["team", "headcount", "ops_allocation"], ["a", 5, 250]],
            },
        ),
        0,
        "ops_allocation",
    ),
    "csv utf-8 with BOM": (
        lambda t: text(t / "p.csv", "\ufeffkey,title,team\nA-1,Café,core\n"),
        0,
        None,
    ),
    "csv cp1252": (
        lambda t: text(t / "p.csv", "key,title,team\nA-1,Café crème,core\n", "cp1252"),
        0,
        "cp1252",
    ),
    "csv utf-16": (
        lambda t: text(t / "p.csv", "key,title,team\nA-1,Café,core\n", "utf-16"),
        0,
        None,
    ),
    "csv semicolons": (
        lambda t: text(t / "p.csv", "key;title;team\nA-1;One;core\nA-2;Two;core\n"),
        0,
        None,
    ),
    "csv tabs": (lambda t: text(t / "p.csv", "key\ttitle\tteam\nA-1\tOne\tcore\n"), 0, None),
    "csv ragged rows": (
        lambda t: text(t / "p.csv", "key,title,team\nA-1,One\nA-2,Two,core,extra,more\n"),
        0,
        None,
    ),
    "csv unbalanced quote": (
        lambda t: text(t / "p.csv", 'key,title\nA-1,"One\nA-2,Two\n'),
        0,
        None,
    ),
    "csv binary garbage": (
        lambda t: Path(t / "p.csv").write_bytes(bytes(range(256)) * 4) and t / "p.csv",
        2,
        "binary",
    ),
    "very long cell": (
        lambda t: xlsx(t / "p.xlsx", items(["A-1", "x" * 40000, "core", 1])),
        0,
        None,
    ),
    "1000 columns": (
        lambda t: xlsx(
            t / "p.xlsx",
            {
                "Items": [
                    HEADER + [f"extra {n}" for n in range(993)],
                    ["A-1", "One", "core", 1] + ["v"] * 996,
                ]
            },
        ),
        0,
        None,
    ),
    "xml entity bomb": (
        lambda t: rewrite(
            xlsx(t / "p.xlsx", items(["A-1", "One", "core", 1])),
            "xl/worksheets/sheet1.xml",
            lambda d: b'<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>' + d,
        ),
        2,
        "DTD",
    ),
    "script payload in text": (
        lambda t: xlsx(
            t / "p.xlsx",
            items(
                [
                    "A-1",
                    "<script>alert(1)</script> migrate ledger",
                    "core",
                    1,
                    None,
                    None,
                    "<img src=x onerror=alert(1)>",
                ]
            ),
        ),
        0,
        None,
    ),
    "formula payload in text": (
        lambda t: text(t / "p.csv", 'key,title,team\nA-1,"=HYPERLINK(""http://x"",""y"")",core\n'),
        0,
        None,
    ),
    "title row above header": (
        lambda t: xlsx(
            t / "p.xlsx", {"Items": [["Plan Q3 (draft)"], HEADER, ["A-1", "One", "core", 1]]}
        ),
        0,
        "skipped",
    ),
    "unknown sheet beside Items": (
        lambda t: xlsx(
            t / "p.xlsx", {**items(["A-1", "One", "core", 1]), "Notes": [["a", "b"], [1, 2]]}
        ),
        0,
        "not a plan sheet",
    ),
    "team without headcount": (
        lambda t: xlsx(
            t / "p.xlsx",
            {
                "Items": [HEADER, ["A-1", "One", "core", 1]],
                "Teams": [["team", "headcount"], ["core", None]],
            },
        ),
        0,
        "no headcount",
    ),
    "new hires above headcount": (
        lambda t: xlsx(
            t / "p.xlsx",
            {
                "Items": [HEADER, ["A-1", "One", "core", 1]],
                "Teams": [["team", "headcount", "new_hires"], ["core", 3, 9]],
            },
        ),
        0,
        "more than headcount",
    ),
    "directory with no csv": (lambda t: (t / "empty").mkdir() or t / "empty", 2, "no .csv files"),
    "missing file": (lambda t: t / "nope.xlsx", 2, "not found"),
    "unknown extension": (lambda t: text(t / "plan.docx", "hello"), 2, "unknown file type"),
    "csv delimiter inside quoted cells": (
        lambda t: text(t / "p.csv", 'key;title;team\nA-1;"a, b, c";core\nA-2;"x, y, z";core\n'),
        0,
        None,
    ),
    "settings weeks negative": (
        lambda t: xlsx(
            t / "p.xlsx", {**items(["A-1", "One", "core", 1]), "Settings": [["weeks", -3]]}
        ),
        0,
        "planning window",
    ),
    "settings end before start": (
        lambda t: xlsx(
            t / "p.xlsx",
            {
                **items(["A-1", "One", "core", 1]),
                "Settings": [["start", dt.date(2026, 9, 1)], ["end", dt.date(2026, 7, 1)]],
            },
        ),
        0,
        "not after the start",
    ),
    "every item due before it starts": (
        lambda t: xlsx(
            t / "p.xlsx",
            {
                "Items": [
                    ["key", "title", "team", "estimate", "start", "due"],
                    ["A-1", "One", "core", 1, dt.date(2026, 9, 6), dt.date(2026, 9, 5)],
                ]
            },
        ),
        0,
        "before start date",
    ),
}

JIRA_CASES = {
    # Jira CSV exports
    "jira csv broken quote": (
        lambda t: raw(
            t / "Jira.csv",
            (
                ",".join(JIRA)
                + "\r\n"
                + ",".join(jira_row(1))
                + "\r\n"
                + '"Cut over ledger, step 2,TW-2,1002,Story,To Do,core,144000\r\n'
                + ",".join(jira_row(3))
                + "\r\n"
                + ",".join(jira_row(4))
                + "\r\n"
            ).encode(),
        ),
        0,
        "never closed",
    ),
    "jira csv stray quote inside a cell": (
        lambda t: raw(
            t / "Jira.csv",
            (
                ",".join(JIRA)
                + "\r\n"
                + '"Ledger "v2" cutover",TW-1,1001,Story,To Do,core,144000\r\n'
            ).encode(),
        ),
        0,
        "quoting of this row is broken",
    ),
    "jira csv with BOM": (
        lambda t: jira_csv(t / "Jira.csv", [JIRA, jira_row(1, "Café migration")], bom=True),
        0,
        None,
    ),
    "jira csv cp1252": (
        lambda t: jira_csv(
            t / "Jira.csv", [JIRA, jira_row(1, "Migración del núcleo")], encoding="cp1252"
        ),
        0,
        "cp1252",
    ),
    "jira csv broken utf-8": (
        lambda t: raw(
            t / "Jira.csv",
            ",".join(JIRA).encode()
            + b"\r\n"
            + b"Caf\xc3 \xe2\x80,TW-1,1001,Story,To Do,core,144000\r\n",
        ),
        0,
        "not UTF-8",
    ),
    "jira csv utf-16": (
        lambda t: jira_csv(t / "Jira.csv", [JIRA, jira_row(1)], encoding="utf-16"),
        0,
        None,
    ),
    "jira csv duplicated Issue key column": (
        lambda t: jira_csv(
            t / "Jira.csv",
            [
                JIRA + ["Issue key"],
                jira_row(1) + ["TW-99"],
                jira_row(2) + ["TW-2"],
                jira_row(3, o1="") + ["TW-3"],
            ],
        ),
        0,
        "both named 'Issue key'",
    ),
    "jira csv 1000 columns": (
        lambda t: jira_csv(
            t / "Jira.csv",
            [
                JIRA + [f"Custom field (Field {n})" for n in range(993)],
                jira_row(1) + ["v"] * 993,
                jira_row(2) + [""] * 993,
            ],
        ),
        0,
        None,
    ),
    "jira csv rows of different lengths": (
        lambda t: jira_csv(
            t / "Jira.csv",
            [JIRA, jira_row(1)[:3], jira_row(2) + ["extra", "more"], jira_row(3)[:1], jira_row(4)],
        ),
        0,
        "beyond the last header",
    ),
    "jira csv duplicate issue keys": (
        lambda t: jira_csv(t / "Jira.csv", [JIRA, jira_row(1), jira_row(1)]),
        0,
        "appears again",
    ),
    "jira csv without Issue key": (
        lambda t: jira_csv(
            t / "Jira.csv",
            [
                ["Summary", "Issue id", "Status Category", "Issue Type"],
                ["Only a title", "7", "To Do", "Story"],
            ],
        ),
        0,
        None,
    ),
    "jira csv only headers": (lambda t: jira_csv(t / "Jira.csv", [JIRA]), 2, "holds no issues"),
    "jira csv bad values": (
        lambda t: jira_csv(
            t / "Jira.csv",
            [
                JIRA + ["Due date", "Custom field (Start date)"],
                jira_row(1, o6="lots") + ["31/Feb/26 9:00 AM", "yesterday"],
                jira_row(2, o6="-5") + ["", ""],
                jira_row(3, o6="1e300") + ["", ""],
            ],
        ),
        0,
        "original estimate",
    ),
    "jira csv links to unknown issues": (
        lambda t: jira_csv(
            t / "Jira.csv",
            [
                JIRA + ["Inward issue link (Blocks)", "Outward issue link (Blocks)"],
                jira_row(1) + ["NOPE-1", "GONE-2"],
                jira_row(2) + ["TW-2", ""],
            ],
        ),
        0,
        "not in",
    ),
    # Jira REST JSON
    "jira json not json": (
        lambda t: text(t / "search.json", "<html>Session expired</html>"),
        2,
        "is not valid JSON",
    ),
    "jira json truncated": (
        lambda t: text(
            t / "search.json", json.dumps({"issues": [jira_issue(n) for n in range(1, 6)]})[:-40]
        ),
        2,
        "cut short",
    ),
    "jira json issues not a list": (
        lambda t: text(
            t / "search.json",
            json.dumps({"startAt": 0, "total": 1, "issues": {"TW-1": jira_issue(1)}}),
        ),
        2,
        "not a list",
    ),
    "jira json issues null": (
        lambda t: text(t / "search.json", json.dumps({"issues": None})),
        2,
        "not a list",
    ),
    "jira json top-level string": (lambda t: text(t / "search.json", '"issues"'), 2, "a string"),
    "jira json issues without key or fields": (
        lambda t: page(
            t / "search.json",
            [
                {"id": "1", "fields": {"summary": "no key"}},
                {"key": "TW-2"},
                {"key": "TW-3", "fields": None},
                42,
                None,
                jira_issue(4),
            ],
        ),
        0,
        "has no fields",
    ),
    "jira json odd field shapes": (
        lambda t: page(
            t / "search.json",
            [
                jira_issue(
                    1,
                    summary=None,
                    issuetype="Story",
                    status=["x"],
                    components={"name": "core"},
                    labels="one",
                    duedate=20260701,
                    timeoriginalestimate="lots",
                    issuelinks=[None, {"type": "Blocks"}, {}],
                ),
                jira_issue(
                    2,
                    summary={"text": 5},
                    timeoriginalestimate=-1,
                    parent="TW-1",
                    assignee=[],
                    description={
                        "type": "doc",
                        "content": [None, 3, {"type": "text", "text": None}],
                    },
                ),
                jira_issue(3, summary="   ", timeoriginalestimate=1e308, duedate="someday"),
            ],
        ),
        0,
        None,
    ),
    "jira json invalid utf-8": (
        lambda t: raw(
            t / "search.json",
            json.dumps({"issues": [jira_issue(1, summary="Caf\udcff")]})
            .encode()
            .replace(b"\\udcff", b"\xe9\xff"),
        ),
        0,
        "not UTF-8",
    ),
    "jira json 50 MB string field": (
        lambda t: page(
            t / "search.json", [jira_issue(1, description="x" * 50_000_000), jira_issue(2)]
        ),
        0,
        "over the limit of 32,767",
    ),
    "jira json nested too deeply": (
        lambda t: text(t / "search.json", '{"issues": [' + "[" * 5000 + "]" * 5000 + "]}"),
        2,
        "nested too deeply",
    ),
    "jira json gap in pages": (
        lambda t: (
            page(t / "p1.json", [jira_issue(1)], total=3, maxResults=1),
            page(t / "p3.json", [jira_issue(3)], total=3, startAt=2, maxResults=1),
            t,
        )[-1],
        0,
        "missing",
    ),
    "jira json folder with a stranger": (
        lambda t: (page(t / "p1.json", [jira_issue(1)]), text(t / "notes.json", '{"hello": 1}'), t)[
            -1
        ],
        0,
        "not a Jira search page",
    ),
    "jira json folder with a broken page": (
        lambda t: (
            page(t / "p1.json", [jira_issue(1)]),
            text(t / "p2.json", '{"issues": [{"key": "TW-'),
            t,
        )[-1],
        2,
        "p2.json: is not valid JSON",
    ),
    "jira json dependency cycle and self link": (
        lambda t: page(
            t / "search.json",
            [
                jira_issue(
                    1,
                    issuelinks=[
                        {
                            "type": {"name": "Blocks", "outward": "blocks"},
                            "outwardIssue": {"key": "TW-2"},
                        }
                    ],
                ),
                jira_issue(
                    2,
                    issuelinks=[
                        {
                            "type": {"name": "Blocks", "outward": "blocks"},
                            "outwardIssue": {"key": "TW-1"},
                        },
                        {
                            "type": {"name": "Blocks", "outward": "blocks"},
                            "inwardIssue": {"key": "TW-2"},
                        },
                    ],
                ),
            ],
        ),
        0,
        None,
    ),
}

LIMIT_CASES = {
    "xlsx over max_rows": (
        lambda t: limited(
            xlsx(t / "p.xlsx", items(*[[f"A-{n}", "One", "core", 1] for n in range(5)])), max_rows=3
        ),
        2,
        "sheet Items has more than 3 rows",
    ),
    "csv over max_rows": (
        lambda t: limited(
            text(t / "p.csv", "key,title\n" + "".join(f"A-{n},T\n" for n in range(9))), max_rows=5
        ),
        2,
        "p.csv: the file has more than 5 rows",
    ),
    "jira csv over max_rows": (
        lambda t: limited(
            jira_csv(t / "Jira.csv", [JIRA, *[jira_row(n) for n in range(4)]]), max_rows=2
        ),
        2,
        "the export has more than 2 rows",
    ),
    "jira json over max_rows": (
        lambda t: limited(page(t / "search.json", [jira_issue(n) for n in range(4)]), max_rows=3),
        2,
        "the export has more than 3 issues",
    ),
    "xlsx over max_file_mb": (
        lambda t: limited(xlsx(t / "p.xlsx", items(["A-1", "One", "core", 1])), max_file_mb=0.001),
        2,
        "max_file_mb",
    ),
    "jira json over max_file_mb": (
        lambda t: limited(page(t / "search.json", [jira_issue(1)]), max_file_mb=0.0001),
        2,
        "max_file_mb",
    ),
    "xlsx cell over max_cell_chars": (
        lambda t: limited(
            xlsx(t / "p.xlsx", items(["A-1", "A title that is long", "core", 1])), max_cell_chars=8
        ),
        0,
        "cell B2 has 20 characters",
    ),
    "csv cell over max_cell_chars": (
        lambda t: limited(
            text(t / "p.csv", "key,title\nA-1," + "y" * 500 + "\n"), max_cell_chars=100
        ),
        0,
        "over the limit of 100",
    ),
    "jira csv cell over max_cell_chars": (
        lambda t: limited(
            jira_csv(t / "Jira.csv", [JIRA, jira_row(1, "z" * 300)]), max_cell_chars=50
        ),
        0,
        "cell A2 has 300 characters",
    ),
    "jira json field over max_cell_chars": (
        lambda t: limited(
            page(
                t / "search.json",
                [
                    jira_issue(
                        1,
                        description={
                            "type": "doc",
                            "content": [{"type": "text", "text": "w" * 300}],
                        },
                    )
                ],
            ),
            max_cell_chars=50,
        ),
        0,
        "field description",
    ),
    "unknown limit key": (
        lambda t: limited(xlsx(t / "p.xlsx", items(["A-1", "One", "core", 1])), max_row=3),
        2,
        "limits.max_row",
    ),
    "limit that is not positive": (
        lambda t: limited(xlsx(t / "p.xlsx", items(["A-1", "One", "core", 1])), max_rows=0),
        2,
        "limits.max_rows",
    ),
}

CASES |= JIRA_CASES | LIMIT_CASES


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_handled(tmp_path, name):
    build, code, phrase = CASES[name]
    path = build(tmp_path)
    path, config = path if isinstance(path, tuple) else (path, None)
    options = ["--config", str(config)] if config else []
    result = run_cli("validate", str(path), "--format", "json", *options)
    assert "Traceback" not in result.stderr
    assert result.returncode == code, (result.stdout, result.stderr)
    if code == 2:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("roadmap-audit: error: "), lines
        assert phrase in lines[0]
        return
    report = json.loads(result.stdout)
    dropped = sum(1 for i in report["issues"] if i["row_dropped"])
    assert report["rows_read"] == report["rows_used"] + dropped
    for issue in report["issues"]:
        assert issue["source"] and issue["location"] and issue["problem"]
    if phrase:
        assert any(phrase in i["problem"] for i in report["issues"]), report["issues"]
    # the audit too: the command's own error guard, every phase, the JSON report
    audit = run_cli("audit", str(path), "--format", "json", *options, cwd=tmp_path)
    assert audit.returncode == 0, (audit.stdout, audit.stderr)
    json.loads(audit.stdout)
    assert_findings_name_real_subjects(path, config)


def assert_findings_name_real_subjects(path: Path, config_file: Path | None = None) -> None:
    """Every finding is about something that exists in the plan."""
    from roadmap_audit.config import load_config
    from roadmap_audit.pipeline import Options, load, run

    options = Options(plan=str(path), config=load_config(config_file, cwd=path.parent))
    plan = load(options)
    audit = run(options, plan)
    known = {
        "item": {i.key for i in plan.items},
        "team": {t.team for t in plan.teams}
        | {i.team for i in plan.items if i.team}
        | {s.owner_team for s in plan.services if s.owner_team},
        "service": {s.service for s in plan.services} | {n for i in plan.items for n in i.services},
        "person": {i.owner for i in plan.items if i.owner}
        | {e for s in plan.services for e in s.experts},
        "plan": set(plan.sources),
    }
    for f in audit.findings:
        if f.subject.kind in known:
            assert f.subject.id in known[f.subject.kind], (f.rule, f.subject)


def test_the_corpus_has_at_least_forty_cases():
    assert len(CASES) >= 40


def test_an_audit_never_touches_the_network(tmp_path, monkeypatch):
    """Nothing reaches the network at run time: with every socket refused, whole audits in
    every format (and a validate) pass, and nothing even tried to open one."""
    from click.testing import CliRunner

    from roadmap_audit.cli import main

    attempts: list[tuple] = []

    class NoSocket(socket.socket):
        def __init__(self, *args, **kwargs):
            attempts.append(args)
            raise OSError("an audit tried to open a network socket")

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("an audit tried to reach the network")

    monkeypatch.setattr(socket, "socket", NoSocket)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    jira = SAMPLES / "jira"
    runner = CliRunner()
    for plan, more in (
        (SAMPLE, []),
        (jira / "tidewater-2026-Q3.csv", ["--context", str(jira / "context.xlsx")]),
        (jira / "json", ["--context", str(jira / "context.xlsx"), "--level", "epic"]),
    ):
        for ext in ("html", "json", "md", "txt", "xlsx") if plan == SAMPLE else ("html", "json"):
            result = runner.invoke(
                main, ["audit", str(plan), *more, "-o", str(tmp_path / f"report.{ext}")]
            )
            assert result.exit_code == 0, (plan, ext, result.output)
        result = runner.invoke(main, ["validate", str(plan), *more])
        assert result.exit_code == 0, (plan, result.output)
    assert attempts == []


def test_the_delimiter_is_the_one_that_splits_the_header(tmp_path):
    from roadmap_audit.load import load_plan

    path = text(tmp_path / "p.csv", 'key;title;team\nA-1;"a, b, c";core\nA-2;"x, y, z";core\n')
    assert [(i.key, i.title, i.team) for i in load_plan(path).items] == [
        ("A-1", "a, b, c", "core"),
        ("A-2", "x, y, z", "core"),
    ]


def test_a_quote_never_closed_does_not_swallow_the_rows_after_it(tmp_path):
    from roadmap_audit.load import load_plan

    plan = load_plan(CASES["jira csv broken quote"][0](tmp_path))
    got = {i.key: i.title for i in plan.items}
    assert got == {
        "TW-1": "Migrate ledger step 1",
        "TW-2": "Cut over ledger, step 2",
        "TW-3": "Migrate ledger step 3",
        "TW-4": "Migrate ledger step 4",
    }
    note = next(i for i in plan.issues if "never closed" in i.problem)
    assert note.ref.location == "Jira.csv!3" and not note.row_dropped


def test_a_long_jira_field_is_cut_where_it_is_named(tmp_path):
    from roadmap_audit.config import Limits
    from roadmap_audit.load import load_plan

    path = page(
        tmp_path / "search.json", [jira_issue(1, summary="s" * 90, labels=["l" * 70, "ok"])]
    )
    plan = load_plan(path, limits=Limits(max_cell_chars=50))
    item = plan.items[0]
    assert item.title == "s" * 50 and item.labels == ["l" * 50, "ok"]
    cut = sorted(
        (i.ref.key, i.ref.column) for i in plan.issues if "over the limit of 50" in i.problem
    )
    assert cut == [("TW-1", "labels"), ("TW-1", "summary")]


def test_limits_have_one_home_and_reach_every_loader(tmp_path):
    from roadmap_audit.config import Config, Limits
    from roadmap_audit.pipeline import Options, load

    assert Limits() == Config().limits
    assert (Limits().max_file_mb, Limits().max_rows, Limits().max_cell_chars) == (
        200,
        1_000_000,
        32_767,
    )
    config = Config().merged({"limits": {"max_rows": 1}}, "test")
    for plan in (
        jira_csv(tmp_path / "Jira.csv", [JIRA, jira_row(1), jira_row(2)]),
        page(tmp_path / "search.json", [jira_issue(1), jira_issue(2)]),
        xlsx(tmp_path / "p.xlsx", items(["A-1", "One", "core", 1], ["A-2", "Two", "core", 1])),
    ):
        with pytest.raises(InputError, match="max_rows"):
            load(Options(plan=str(plan), config=config))


def test_input_files_are_never_modified(tmp_path):
    path = xlsx(tmp_path / "p.xlsx", items(["A-1", "Migrate ledger", "core", 1]))
    before = path.read_bytes()
    for fmt in ("html", "json", "md", "text"):
        run_cli("audit", str(path), "--format", fmt, "-o", str(tmp_path / f"r.{fmt}"))
    assert path.read_bytes() == before
