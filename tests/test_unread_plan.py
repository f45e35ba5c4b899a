"""A plan that was not read gets no verdict, and nothing a plan holds is lost without a note.

Every fixture is written by the test, with the header names and value shapes people use.
"""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import openpyxl
import pytest

from roadmap_audit.errors import InputError
from roadmap_audit.load import load_plan

from .conftest import run_cli


def write_xlsx(
    path: Path, rows: list[list], *, title: str = "Items", merged: tuple[str, ...] = ()
) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    for ref in merged:
        ws.merge_cells(ref)
    wb.save(path)
    return path


def raw_xlsx(path: Path, sheet_xml: str) -> Path:
    """A one-sheet workbook written XML by hand: rows, cell types and numbers exactly as given."""
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
        '+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
        'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet '
        'name="Items" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main"><sheetData>{sheet_xml}</sheetData></worksheet>',
    }
    with zipfile.ZipFile(path, "w") as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return path


def row_xml(number: int, *cells: str | tuple[str, str]) -> str:
    """`<row r=...>` of inline strings; a ("e", "#REF!") cell is a cached spreadsheet error."""
    out = []
    for i, cell in enumerate(cells):
        ref = f"{chr(65 + i)}{number}"
        if isinstance(cell, tuple):
            out.append(f'<c r="{ref}" t="{cell[0]}"><v>{cell[1]}</v></c>')
        else:
            out.append(f'<c r="{ref}" t="inlineStr"><is><t>{cell}</t></is></c>')
    return f'<row r="{number}">{"".join(out)}</row>'


def refused(*args: str) -> str:
    """Run the command line; it must stop with exit 2 and one line on stderr, and print no report."""
    result = run_cli(*args)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert result.stdout == ""
    return lines[0]


# ---------------------------------------------------------------- no verdict on a plan that was not read


def test_a_roadmap_whose_title_column_is_not_recognised_gets_exit_2_naming_its_headers(tmp_path):
    plan = tmp_path / "roadmap.csv"
    plan.write_text(
        "Ref No,Subjekt,Owner,Effort\n"
        + "".join(f"{n},Ship thing {n},core,3\n" for n in range(1, 50)),
        encoding="utf-8",
    )
    line = refused("validate", str(plan))
    assert "roadmap.csv: the file was not read as a plan: no header reads as 'title'" in line
    assert "header row 1:" in line
    assert "B 'Subjekt' kept, not used (closest known name: 'subject', read as title)" in line
    assert "C 'Owner' as owner" in line and "D 'Effort' as estimate" in line
    assert "no verdict is given" in line and "--map" in line
    # --fail-on cannot pass it: the audit stops the same way, before any report
    line = refused("audit", str(plan), "--format", "json", "--fail-on", "high")
    assert "no header reads as 'title'" in line


def test_the_column_map_reads_what_no_alias_covers(tmp_path):
    plan = tmp_path / "roadmap.csv"
    plan.write_text("Ref No,Subjekt,Owner\n1,Ship thing,core\n", encoding="utf-8")
    result = run_cli("validate", str(plan), "--map", "Subjekt=title", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert '"items": 1' in result.stdout


def test_random_bytes_named_csv_get_exit_2(tmp_path):
    data = bytes(
        b or 0x41 for b in random.Random(7).randbytes(3000)
    )  # no NUL: not caught as binary
    plan = tmp_path / "plan.csv"
    plan.write_bytes(data)
    line = refused("audit", str(plan), "--format", "json")
    assert "plan.csv:" in line and "no verdict is given" in line


def test_an_items_sheet_that_is_a_chart_sheet_gets_exit_2(tmp_path):
    from openpyxl.chart import BarChart, Reference

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Teams"
    ws.append(["Team", "Headcount"])
    ws.append(["core", 5])
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=2))
    wb.create_chartsheet("Items").add_chart(chart)
    wb.save(tmp_path / "chart.xlsx")
    line = refused("audit", str(tmp_path / "chart.xlsx"), "--format", "json")
    assert "chart.xlsx:" in line and "Items" in line and "no verdict is given" in line


def test_an_items_sheet_with_a_header_and_no_rows_gets_exit_2(tmp_path):
    path = write_xlsx(tmp_path / "p.xlsx", [["Key", "Title", "Team"]])
    with pytest.raises(
        InputError, match="sheet Items was not read as a plan: it has a header row but no rows"
    ):
        load_plan(path)


def test_almost_nothing_used_is_no_verdict_either(tmp_path):
    rows = [["Key", "Title", "Team"], ["A-1", "Only titled row", "core"]]
    rows += [[f"A-{n}", None, "core"] for n in range(2, 21)]
    with pytest.raises(
        InputError,
        match=r"only 1 of 20 rows could be used as items \(row not used: it has no "
        r"title: 19\)",
    ):
        load_plan(write_xlsx(tmp_path / "p.xlsx", rows))


def test_a_header_on_row_12_is_found_and_read_with_a_note(tmp_path):
    rows = [[f"Q3 roadmap, page note {n}"] for n in range(1, 12)]
    rows += [["Key", "Title", "Team", "Estimate", "Due"]]
    rows += [[f"A-{n}", f"Item {n}", "core", 2, "2026-08-01"] for n in range(1, 6)]
    plan = load_plan(write_xlsx(tmp_path / "p.xlsx", rows))
    assert [i.key for i in plan.items] == ["A-1", "A-2", "A-3", "A-4", "A-5"]
    assert plan.items[0].ref.location == "Items!A13"
    assert (plan.rows_read, plan.rows_used) == (5, 5)
    notes = {i.ref.location: i.problem for i in plan.issues}
    assert notes == {
        "Items!12": "the header is on row 12; rows 1-11 above it were not read as data (titles or notes)"
    }


def test_a_two_row_merged_header_is_read_together(tmp_path):
    rows = [["Key", "Title", "Team", "Dates", None], [None, None, None, "Start", "Due"]]
    rows += [[f"A-{n}", f"Item {n}", "core", "2026-07-01", "2026-08-01"] for n in range(1, 4)]
    path = write_xlsx(tmp_path / "p.xlsx", rows, merged=("A1:A2", "B1:B2", "C1:C2", "D1:E1"))
    plan = load_plan(path)
    assert [(i.key, i.title, i.team, str(i.start), str(i.due)) for i in plan.items][0] == (
        "A-1",
        "Item 1",
        "core",
        "2026-07-01",
        "2026-08-01",
    )
    assert len(plan.items) == 3 and plan.items[0].ref.location == "Items!A3"
    assert [i.problem for i in plan.issues] == [
        "the header is two rows, 1 and 2, read together: 'Key', 'Title', 'Team', 'Start', 'Due'"
    ]


def test_validate_shows_the_header_row_it_read_first(tmp_path):
    plan = tmp_path / "plan.csv"
    plan.write_text(
        "Id,Key,Subject,Team,Colour\n01J0ZK3Y8W,E1-F1-S1,Build ledger,core,blue\n", encoding="utf-8"
    )
    result = run_cli("validate", str(plan))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1] == (
        f"  {plan} plan!1 (header row): A 'Id' kept, not used (key is read from column B); "
        "B 'Key' → key; C 'Subject' → title; D 'Team' → team; E 'Colour' kept, not used"
    )


# ---------------------------------------------------------------- one note per cause


def test_the_same_note_on_many_rows_is_one_note_with_the_count_and_rows(tmp_path):
    rows = [["Title", "Team"]] + [[f"Item {n}", "core"] for n in range(1, 40)]
    rows.insert(10, [None, "core"])  # row 11: no title
    rows.insert(20, [None, "core"])  # row 21
    plan = load_plan(write_xlsx(tmp_path / "p.xlsx", rows))
    problems = [i.problem for i in plan.issues]
    assert problems == [
        "no key; one was made of the sheet name and row number (Items-ROW) (39 rows alike: rows 2-10, 12-20, 22-42)",
        "row not used: it has no title (2 rows alike: column A, rows 11, 21)",
    ]
    assert [i.ref.location for i in plan.issues] == ["Items!2", "Items!A11"]
    assert (plan.rows_read, plan.rows_used) == (41, 39)
    assert {i.key for i in plan.items} >= {"Items-2", "Items-42"}


# ---------------------------------------------------------------- data lost with no note


def test_the_second_of_two_duplicate_headers_is_kept_and_noted(tmp_path):
    plan = tmp_path / "plan.csv"
    plan.write_text(
        "Key,Title,TEAM,Estimate,Key,Title,team,estimate\n"
        "A-1,Move ledger,core,2,B-1,Other title,payments,5\n",
        encoding="utf-8",
    )
    loaded = load_plan(plan)
    item = loaded.items[0]
    assert (item.key, item.title, item.team, item.estimate_weeks) == (
        "A-1",
        "Move ledger",
        "core",
        2,
    )
    assert item.extra == {
        "Key (E)": "B-1",
        "Title (F)": "Other title",
        "team": "payments",
        "estimate": "5",
    }
    [note] = [i.problem for i in loaded.issues]
    assert note.startswith(
        "column E repeats the header 'Key' of column A: column A was read as key, and column E "
        "kept as the extra column 'Key (E)' (not used); column F repeats the header 'Title'"
    )
    assert "column H repeats the header 'estimate' of column D" in note


def test_cached_spreadsheet_errors_are_never_titles_or_team_names(tmp_path):
    path = raw_xlsx(
        tmp_path / "p.xlsx",
        "".join(
            [
                row_xml(1, "Key", "Title", "Team"),
                row_xml(2, "A-1", ("e", "#REF!"), "core"),
                row_xml(3, "A-2", "Second", ("e", "#NAME?")),
                row_xml(4, "A-3", "Third", ("e", "#NAME?")),
                row_xml(5, "A-4", "Fourth", ("e", "#DIV/0!")),
            ]
        ),
    )
    plan = load_plan(path)
    assert {(i.key, i.title, i.team) for i in plan.items} == {
        ("A-2", "Second", None),
        ("A-3", "Third", None),
        ("A-4", "Fourth", None),
    }
    notes = [(i.ref.location, i.problem) for i in plan.issues]
    assert notes == [
        (
            "Items!B2",
            "the cell holds the spreadsheet error #REF! (a broken formula or reference); it was read as "
            "empty",
        ),
        ("Items!B2", "row not used: it has no title"),
        (
            "Items!C3",
            "the cell holds the spreadsheet error #NAME? (a broken formula or reference); it was read as "
            "empty (2 rows alike: column C, rows 3-4)",
        ),
        (
            "Items!C5",
            "the cell holds the spreadsheet error #DIV/0! (a broken formula or reference); it was read as "
            "empty",
        ),
    ]


def test_x000d_in_keys_is_decoded_so_dependencies_hold(tmp_path):
    path = raw_xlsx(
        tmp_path / "p.xlsx",
        "".join(
            [
                row_xml(1, "Key", "Title", "Depends on"),
                row_xml(2, "PAY-1_x000D_", "First", ""),
                row_xml(3, "PAY-2", "Second", "PAY-1_x000D_"),
                row_xml(4, "PAY-3", "Under_x005F_x000D_score", ""),
            ]
        ),
    )
    plan = load_plan(path)
    assert [i.key for i in plan.items] == ["PAY-1", "PAY-2", "PAY-3"]
    assert plan.items[1].depends_on == ["PAY-1"]
    assert plan.items[2].title == "Under_x000D_score"  # an escaped underscore stays as written
    assert not [i for i in plan.issues if "not in the plan" in i.problem]


def test_rows_written_twice_or_out_of_order_keep_their_own_numbers(tmp_path):
    path = raw_xlsx(
        tmp_path / "p.xlsx",
        "".join(
            [
                row_xml(1, "Key", "Title"),
                row_xml(2, "A-2", "Two"),
                row_xml(5, "A-5", "Five"),
                row_xml(3, "A-3", "Three"),
                row_xml(5, "A-5b", "Five again"),
                row_xml(7, "A-7", "Seven"),
            ]
        ),
    )
    plan = load_plan(path)
    assert {i.key: i.ref.location for i in plan.items} == {
        "A-2": "Items!A2",
        "A-3": "Items!A3",
        "A-5": "Items!A5",
        "A-5b": "Items!A5",
        "A-7": "Items!A7",
    }
    problems = [i.problem for i in plan.issues]
    # the workbook reader names the rows whose number is not above the one before (3, then the second 5)
    assert any(
        "not above the row before it in the file (rows out of order or repeated)" in p
        for p in problems
    )


def test_utf32_is_read_as_utf32(tmp_path):
    for encoding in ("utf-32", "utf-32-be"):
        plan = tmp_path / f"{encoding}.csv"
        text = "key,title,team\nA-1,Réplica,núcleo\n"
        data = text.encode(encoding)
        plan.write_bytes(data if encoding == "utf-32" else b"\x00\x00\xfe\xff" + data)
        loaded = load_plan(plan)
        assert [(i.key, i.title, i.team) for i in loaded.items] == [("A-1", "Réplica", "núcleo")], (
            encoding
        )
        assert loaded.issues == []


def test_files_a_plan_folder_does_not_read_are_noted(tmp_path):
    folder = tmp_path / "plan"
    (folder / "more").mkdir(parents=True)
    (folder / "items.csv").write_text("key,title,team\nA-1,One,core\n", encoding="utf-8")
    (folder / "more" / "services.csv").write_text("service,tier\nledger,1\n", encoding="utf-8")
    write_xlsx(folder / "teams.xlsx", [["Team", "Headcount"], ["core", 5]], title="Teams")
    plan = load_plan(folder)
    problems = sorted(i.problem for i in plan.issues)
    assert problems == [
        "the file teams.xlsx in the plan folder was not read (only .csv files are; pass it with --context)",
        "the folder more/ in the plan folder was not read (only the folder's own .csv files are; pass a file in "
        "it with --context, or move it up)",
    ]


def test_a_broken_quote_that_swallows_lines_names_them(tmp_path):
    plan = tmp_path / "plan.csv"
    plan.write_text(
        'key,title,team\nA-1,One,core\nA-2,"Two\nstill two" bad,core\nA-3,Three,core\n'
        'A-4,"Four\nA-5,Five,x,y,z\nA-6\n',
        encoding="utf-8",
    )
    loaded = load_plan(plan)
    notes = {i.ref.location: i.problem for i in loaded.issues}
    assert "lines 3-4 of the file were read as this one row" in notes["plan!3"]
    assert "(lines 6-8) were read as this one row, so no row after it was read" in notes["plan!5"]


@pytest.mark.parametrize(
    "content, said",
    [
        ("Summary,Issue key,Issue id,Issue Type,Status\n", "the Jira export holds no issues"),
        (
            '{"startAt": 0, "maxResults": 50, "total": 0, "issues": []}',
            "the Jira export holds no issues",
        ),
        (
            '[{"id": "summary", "name": "Summary", "custom": false, "schema": {"type": "string", "system": "summary"}}]',
            "is Jira's field list (/rest/api/2/field), not issues",
        ),
    ],
    ids=["csv header only", "empty search page", "field list as the plan"],
)
def test_a_jira_export_with_no_issue_gets_exit_2_never_go(tmp_path, content, said):
    """An empty search result or a field list given as the plan once read 'go (no findings)', exit 0."""
    path = tmp_path / ("export.csv" if content.startswith("Summary") else "export.json")
    path.write_text(content, encoding="utf-8")
    result = run_cli("audit", str(path), "--format", "json", "--fail-on", "high")
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and said in lines[0] and "no verdict is given" in lines[0], lines
