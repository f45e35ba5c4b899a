"""Bad input is normal input: a corpus of malformed and hostile plans, generated here.

Each case either runs cleanly, with data-quality notes that name file, sheet, row
and column, or exits 2 with one line saying what is wrong. Never a traceback, and
the accounting always holds: rows_read = rows_used + rows reported as not used.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest

from .conftest import SAMPLES, run_cli

SAMPLE = SAMPLES / "northwind-2026-Q3.xlsx"
HEADER = ["key", "title", "team", "estimate", "due", "depends_on", "rollback_plan"]


def xlsx(path: Path, sheets: dict[str, list[list]], edit=None) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        if edit:
            edit(ws)
    wb.save(path)
    return path


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


# name -> (builder(tmp) -> path, expected exit code, a phrase the message or a note must contain)
CASES = {
    "text renamed .xlsx": (lambda t: text(t / "p.xlsx", "key,title\nA,B\n"), 2, "not an .xlsx workbook"),
    "truncated xlsx": (lambda t: Path(t / "p.xlsx").write_bytes(SAMPLE.read_bytes()[:4000]) and t / "p.xlsx", 2,
                       "truncated or damaged"),
    "password-protected xlsx": (lambda t: Path(t / "p.xlsx").write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)) and t / "p.xlsx", 2, "password-protected"),
    "old .xls": (lambda t: Path(t / "p.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
                 and t / "p.xls", 2, "old-style .xls"),
    "empty file": (lambda t: text(t / "p.xlsx", ""), 2, "empty"),
    "empty workbook": (lambda t: xlsx(t / "p.xlsx", {"Sheet": []}), 2, "every sheet is empty"),
    "no Items sheet": (lambda t: xlsx(t / "p.xlsx", {"Teams": [["team"], ["core"]]}), 2, "no Items sheet"),
    "headers only": (lambda t: xlsx(t / "p.xlsx", items()), 0, None),
    "no title column": (lambda t: xlsx(t / "p.xlsx", {"Items": [["key", "team"], ["A-1", "core"]]}), 0,
                        "no 'title' column"),
    "merged cells": (lambda t: xlsx(t / "p.xlsx", items(["A-1", "One", "core", 1], ["A-2", "Two", None, 2]),
                                    edit=lambda ws: ws.title == "Items" and ws.merge_cells("C2:C3")), 0, "merged"),
    "hidden sheet": (lambda t: xlsx(t / "p.xlsx", items(["A-1", "One", "core", 1]),
                                    edit=lambda ws: setattr(ws, "sheet_state", "hidden") if ws.title == "Teams"
                                    else None), 0, "hidden"),
    "formula without cached value": (lambda t: xlsx(t / "p.xlsx", items(["A-1", "One", "core", "=2*3"])), 0,
                                     "formula with no saved value"),
    "duplicate keys": (lambda t: xlsx(t / "p.xlsx", items(["A-1", "One", "core", 1], ["A-1", "Two", "core", 1])),
                       0, "duplicate key"),
    "unknown dependency keys": (lambda t: xlsx(t / "p.xlsx", items(["A-1", "One", "core", 1, None, "NOPE-1"])),
                                0, "not in the plan"),
    "dependency cycle": (lambda t: xlsx(t / "p.xlsx", items(["A-1", "One", "core", 1, None, "A-2"],
                                                          ["A-2", "Two", "core", 1, None, "A-1"])), 0, None),
    "self dependency": (lambda t: xlsx(t / "p.xlsx", items(["A-1", "One", "core", 1, None, "A-1"])), 0,
                        "depends on itself"),
    "negative estimate": (lambda t: xlsx(t / "p.xlsx", items(["A-1", "One", "core", -4])), 0, "negative"),
    "NaN estimate": (lambda t: xlsx(t / "p.xlsx", items(["A-1", "One", "core", "NaN"])), 0, "estimate"),
    "huge estimate": (lambda t: xlsx(t / "p.xlsx", items(["A-1", "One", "core", 1e300])), 0, "ten engineer-years"),
    "text estimate": (lambda t: xlsx(t / "p.xlsx", items(["A-1", "One", "core", "big"])), 0, "not a number"),
    "dates as text in several formats": (lambda t: xlsx(t / "p.xlsx", items(
        ["A-1", "One", "core", 1, "2026-08-01"], ["A-2", "Two", "core", 1, "01/08/2026"],
        ["A-3", "Three", "core", 1, "12/Mar/26 10:15 AM"], ["A-4", "Four", "core", 1, "Aug 1, 2026"])), 0, None),
    "impossible dates": (lambda t: xlsx(t / "p.xlsx", items(["A-1", "One", "core", 1, "31/02/2026"],
                                                           ["A-2", "Two", "core", 1, "2026-13-01"])), 0, "due"),
    "percentages written three ways": (lambda t: xlsx(t / "p.xlsx", {
        "Items": [HEADER, ["A-1", "One", "a", 1]],
        "Teams": [["team", "headcount", "ops_allocation"], ["a", 5, 20], ["b", 5, "20%"], ["c", 5, 0.2]]}), 0, None),
    "percent over 100": (lambda t: xlsx(t / "p.xlsx", {
        "Items": [HEADER, ["A-1", "One", "a", 1]], "Teams": [["team", "headcount", "ops_allocation"], ["a", 5, 250]]}),
        0, "ops_allocation"),
    "csv utf-8 with BOM": (lambda t: text(t / "p.csv", "\ufeffkey,title,team\nA-1,Café,core\n"), 0, None),
    "csv cp1252": (lambda t: text(t / "p.csv", "key,title,team\nA-1,Café crème,core\n", "cp1252"), 0, "cp1252"),
    "csv utf-16": (lambda t: text(t / "p.csv", "key,title,team\nA-1,Café,core\n", "utf-16"), 0, None),
    "csv semicolons": (lambda t: text(t / "p.csv", "key;title;team\nA-1;One;core\nA-2;Two;core\n"), 0, None),
    "csv tabs": (lambda t: text(t / "p.csv", "key\ttitle\tteam\nA-1\tOne\tcore\n"), 0, None),
    "csv ragged rows": (lambda t: text(t / "p.csv", "key,title,team\nA-1,One\nA-2,Two,core,extra,more\n"), 0, None),
    "csv unbalanced quote": (lambda t: text(t / "p.csv", 'key,title\nA-1,"One\nA-2,Two\n'), 0, None),
    "csv binary garbage": (lambda t: Path(t / "p.csv").write_bytes(bytes(range(256)) * 4) and t / "p.csv", 2,
                           "binary"),
    "very long cell": (lambda t: xlsx(t / "p.xlsx", items(["A-1", "x" * 40000, "core", 1])), 0, None),
    "1000 columns": (lambda t: xlsx(t / "p.xlsx", {"Items": [HEADER + [f"extra {n}" for n in range(993)],
                                                              ["A-1", "One", "core", 1] + ["v"] * 996]}), 0, None),
    "xml entity bomb": (lambda t: rewrite(xlsx(t / "p.xlsx", items(["A-1", "One", "core", 1])),
                                          "xl/worksheets/sheet1.xml",
                                          lambda d: b'<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>' + d),
                            2, "DTD"),
    "script payload in text": (lambda t: xlsx(t / "p.xlsx", items(
        ["A-1", "<script>alert(1)</script> migrate ledger", "core", 1, None, None, "<img src=x onerror=alert(1)>"])),
        0, None),
    "formula payload in text": (lambda t: text(t / "p.csv", 'key,title,team\nA-1,"=HYPERLINK(""http://x"",""y"")",core\n'),
                                0, None),
    "title row above header": (lambda t: xlsx(t / "p.xlsx", {"Items": [["Plan Q3 (draft)"], HEADER,
                                                                     ["A-1", "One", "core", 1]]}), 0, "skipped"),
    "unknown sheet beside Items": (lambda t: xlsx(t / "p.xlsx", {**items(["A-1", "One", "core", 1]),
                                                                 "Notes": [["a", "b"], [1, 2]]}), 0, "not a plan sheet"),
    "team without headcount": (lambda t: xlsx(t / "p.xlsx", {"Items": [HEADER, ["A-1", "One", "core", 1]],
                                                             "Teams": [["team", "headcount"], ["core", None]]}), 0,
                               "no headcount"),
    "new hires above headcount": (lambda t: xlsx(t / "p.xlsx", {
        "Items": [HEADER, ["A-1", "One", "core", 1]],
        "Teams": [["team", "headcount", "new_hires"], ["core", 3, 9]]}), 0, "more than headcount"),
    "directory with no csv": (lambda t: (t / "empty").mkdir() or t / "empty", 2, "no .csv files"),
    "missing file": (lambda t: t / "nope.xlsx", 2, "not found"),
    "unknown extension": (lambda t: text(t / "plan.docx", "hello"), 2, "unknown file type"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_handled(tmp_path, name):
    build, code, phrase = CASES[name]
    path = build(tmp_path)
    result = run_cli("validate", str(path), "--format", "json")
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
    audit = run_cli("audit", str(path), "--format", "json")
    assert audit.returncode == 0 and "Traceback" not in audit.stderr, audit.stderr
    assert_findings_name_real_subjects(path)


def assert_findings_name_real_subjects(path: Path) -> None:
    """Every finding is about something that exists in the plan."""
    from roadmap_audit.pipeline import Options, load, run

    options = Options(plan=str(path))
    plan = load(options)
    audit = run(options, plan)
    known = {
        "item": {i.key for i in plan.items},
        "team": {t.team for t in plan.teams} | {i.team for i in plan.items if i.team}
        | {s.owner_team for s in plan.services if s.owner_team},
        "service": {s.service for s in plan.services} | {n for i in plan.items for n in i.services},
        "person": {i.owner for i in plan.items if i.owner} | {e for s in plan.services for e in s.experts},
        "plan": set(plan.sources),
    }
    for f in audit.findings:
        if f.subject.kind in known:
            assert f.subject.id in known[f.subject.kind], (f.rule, f.subject)


def test_the_corpus_has_at_least_forty_cases():
    assert len(CASES) >= 40


def test_input_files_are_never_modified(tmp_path):
    path = xlsx(tmp_path / "p.xlsx", items(["A-1", "Migrate ledger", "core", 1]))
    before = path.read_bytes()
    for fmt in ("html", "json", "md", "text"):
        run_cli("audit", str(path), "--format", fmt, "-o", str(tmp_path / f"r.{fmt}"))
    assert path.read_bytes() == before
