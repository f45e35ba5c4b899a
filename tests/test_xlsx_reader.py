"""The streaming xlsx reader agrees with openpyxl, and sees what openpyxl read-only hides."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from roadmap_audit.config import Limits
from roadmap_audit.errors import InputError
from roadmap_audit.load import load_plan, xlsx_reader
from roadmap_audit.load.tables import _read_openpyxl, _read_streaming, read_workbook

from .conftest import SAMPLES


def _trim(rows):
    out = []
    for number, values in rows:
        values = list(values)
        while values and values[-1] is None:
            values.pop()
        out.append((number, values))
    return out


def _mixed_workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Items"
    ws.append(["key", "title", "team", "estimate", "due", "committed", "depends_on"])
    ws.append(["A-1", "Ünïcode — title", "core", 2.5, dt.date(2026, 8, 1), True, None])
    ws.append(["A-2", "Int estimate", "core", 3, dt.datetime(2026, 9, 1, 14, 5), False, "A-1"])
    ws.append([None] * 7)
    ws.append(["A-4", "After a blank row", "core", "2 weeks", "15/09/2026", None, "A-1, A-2"])
    ws["D6"] = "=1+1"  # a formula; openpyxl saves no cached value
    ws["A6"], ws["B6"] = "A-5", "Formula row"
    other = wb.create_sheet("Teams")
    other.append(["team", "headcount"])
    other.append(["core", 5])
    wb.create_sheet("Secret").sheet_state = "hidden"
    wb.save(path)
    return path


@pytest.mark.parametrize(
    "make",
    [lambda tmp: SAMPLES / "northwind-2026-Q3.xlsx", lambda tmp: _mixed_workbook(tmp / "m.xlsx")],
)
def test_streaming_reader_gives_the_same_cells_as_openpyxl(tmp_path, make):
    path = make(tmp_path)
    fast = _read_streaming(xlsx_reader.read_sheets(path), str(path))
    slow = _read_openpyxl(path, str(path))
    assert [s.title for s in fast] == [s.title for s in slow]
    for a, b in zip(fast, slow, strict=True):
        assert (a.header_row, a.headers) == (b.header_row, b.headers[: len(a.headers)] or b.headers)
        assert _trim(a.rows) == _trim(b.rows), a.title


def test_formula_without_a_saved_value_and_hidden_sheets_are_noted(tmp_path):
    plan = load_plan(_mixed_workbook(tmp_path / "m.xlsx"))
    problems = {i.ref.location: i.problem for i in plan.issues}
    assert "formula with no saved value" in problems["Items!D6"] and "D6" in problems["Items!D6"]
    assert any("hidden" in p for p in problems.values())
    assert [i.key for i in plan.items] == ["A-1", "A-2", "A-4", "A-5"]
    assert plan.items[2].ref.row == 5  # the blank row keeps numbering exact


def test_merged_cells_give_their_value_to_every_row_they_cover(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Items"
    ws.append(["key", "title", "team"])
    for n in range(3):
        ws.append([f"K-{n}", f"Item {n}", "payments" if n == 0 else None])
    ws.merge_cells("C2:C4")
    path = tmp_path / "merged.xlsx"
    wb.save(path)
    plan = load_plan(path)
    assert [i.team for i in plan.items] == ["payments"] * 3
    assert any("C2:C4" in i.problem and i.ref.location == "Items!C2" for i in plan.issues)


def _rewrite(src: Path, dst: Path, member: str, change) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, change(data) if info.filename == member else data)
    return dst


def test_an_entity_expansion_bomb_is_refused(tmp_path):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>'
    )
    path = _rewrite(
        SAMPLES / "northwind-2026-Q3.xlsx",
        tmp_path / "bomb.xlsx",
        "xl/worksheets/sheet1.xml",
        lambda _: bomb,
    )
    with pytest.raises(InputError, match="DTD or entity"):
        read_workbook(path, "bomb.xlsx")


def test_a_sheet_cut_in_the_middle_is_a_clear_error(tmp_path):
    path = _rewrite(
        SAMPLES / "northwind-2026-Q3.xlsx",
        tmp_path / "cut.xlsx",
        "xl/worksheets/sheet2.xml",
        lambda data: data[: len(data) // 2],
    )
    with pytest.raises(InputError, match="could not be read to the end"):
        read_workbook(path, "cut.xlsx")


def test_a_zip_bomb_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(Limits, "max_inflated_bytes", property(lambda self: 50_000))
    with pytest.raises(InputError, match="zip bomb"):
        read_workbook(SAMPLES / "northwind-2026-Q3.xlsx", "big.xlsx")
