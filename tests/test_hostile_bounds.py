"""Hostile workbooks and JSON: every bound holds in bytes, time and memory, on every reader path.

A corpus generated here, in the style of test_bad_input.py: each case is built as raw
OOXML or JSON (the shapes an attacker writes, which no spreadsheet program saves),
with the outcome it must get: exit 2 with one line naming the file and what is wrong,
or a run that reads the rest and names the odd cell in a data-quality note.
No timings are asserted; the README gives the measured worst case.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from roadmap_audit.load import load_plan

from .conftest import audit_of, run_cli

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def cell(ref: str, value) -> str:
    if isinstance(value, str) and not value.startswith("<"):
        return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'
    if isinstance(value, str):  # raw XML of the cell's inside, e.g. '<v>NaN</v>'
        return f'<c r="{ref}">{value}</c>'
    return f'<c r="{ref}"><v>{value}</v></c>'


def row(number, *values, letters="ABCDEFG") -> str:
    return (
        f'<row r="{number}">'
        + "".join(cell(f"{letters[i]}{number}", v) for i, v in enumerate(values) if v is not None)
        + "</row>"
    )


HEAD = row(1, "key", "title", "team", "estimate")


def items_xml(*rows: str, head: str = HEAD) -> str:
    return f'<worksheet xmlns="{NS}"><sheetData>{head}{"".join(rows)}</sheetData></worksheet>'


def workbook(
    path: Path,
    sheet_xml: str | bytes,
    *,
    folder: str = "xl",
    strings: list[str] | None = None,
    styles: str | None = None,
    extra: dict[str, bytes] | None = None,
    title: str = "Items",
) -> Path:
    """A workbook written part by part: the sheet's XML as given, its workbook part in `folder`."""
    rels = [f'<Relationship Id="rId1" Type="{DOC}/worksheet" Target="sheets/one.xml"/>']
    parts = {
        f"{folder}/sheets/one.xml": sheet_xml
        if isinstance(sheet_xml, bytes)
        else sheet_xml.encode()
    }
    if strings is not None:
        rels.append(f'<Relationship Id="rId2" Type="{DOC}/sharedStrings" Target="strings.xml"/>')
        parts[f"{folder}/strings.xml"] = (
            f'<sst xmlns="{NS}">' + "".join(f"<si><t>{s}</t></si>" for s in strings) + "</sst>"
        ).encode()
    if styles is not None:
        rels.append(f'<Relationship Id="rId3" Type="{DOC}/styles" Target="look.xml"/>')
        parts[f"{folder}/look.xml"] = styles.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        z.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
            f'Type="{DOC}/officeDocument" Target="{folder}/book.xml"/></Relationships>',
        )
        z.writestr(
            f"{folder}/book.xml",
            f'<workbook xmlns="{NS}" xmlns:r="{RNS}"><sheets><sheet name="{title}" '
            'sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            f"{folder}/_rels/book.xml.rels",
            f'<Relationships xmlns="{PKG}">{"".join(rels)}</Relationships>',
        )
        for name, data in {**parts, **(extra or {})}.items():
            z.writestr(name, data)
    return path


def deflated_member(
    path: Path, member: str, head: bytes, unit: bytes, times: int, tail: bytes
) -> Path:
    """Put in a member (replacing one of that name) that inflates to head + unit * times + tail,
    compressed as it is written."""
    with zipfile.ZipFile(path) as z:
        keep = {i.filename: z.read(i) for i in z.infolist() if i.filename != member}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in keep.items():
            z.writestr(name, data)
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z,
        z.open(member, "w", force_zip64=True) as out,
    ):
        out.write(head)
        block = unit * max(1, (1 << 20) // len(unit))
        done = 0
        while done + (1 << 20) // len(unit) <= times:
            out.write(block)
            done += (1 << 20) // len(unit)
        out.write(unit * (times - done))
        out.write(tail)
    return path


STYLES = (
    f'<styleSheet xmlns="{NS}"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs>'
    "</styleSheet>"
)


def bomb_sheet(path: Path, *, folder: str = "book") -> Path:
    """A non-standard workbook path and lowercase references (the two things that once sent the file to
    openpyxl, which caps nothing), and a sheet that inflates 1,000 times: 64 MB from about 64 KB."""
    workbook(path, items_xml(), folder=folder)
    unit = b'<row><c r="a1"><v>1</v></c></row>'
    return deflated_member(
        path,
        f"{folder}/sheets/one.xml",
        f'<worksheet xmlns="{NS}"><sheetData>'.encode(),
        unit,
        (64 << 20) // len(unit),
        b"</sheetData></worksheet>",
    )


def image_bomb(path: Path) -> Path:
    """A part no reader of the plan parses (a picture), inflating 1,000 times: openpyxl would load it to copy
    the workbook for the xlsx report."""
    workbook(path, items_xml(row(2, "A-1", "One", "core", 1)))
    return deflated_member(
        path, "xl/media/image1.png", b"\x89PNG", b"\0" * 64, (40 << 20) // 64, b""
    )


def strings_bomb(path: Path) -> Path:
    workbook(path, items_xml(row(2, "A-1", "One", "core", 1)))
    unit = b"<si><t>ab</t></si>"
    return deflated_member(
        path,
        "xl/strings.xml",
        f'<sst xmlns="{NS}">'.encode(),
        unit,
        (40 << 20) // len(unit),
        b"</sst>",
    )


def many_strings(path: Path) -> Path:
    """A string table under the zip-bomb checks (30 MB) that once cost 2 GB of memory from a 1.3 MB file."""
    workbook(path, items_xml(row(2, "A-1", "One", "core", 1)), strings=[])
    unit = b"<si><t>ab</t></si>"
    return deflated_member(
        path, "xl/strings.xml", f'<sst xmlns="{NS}">'.encode(), unit, 1_800_000, b"</sst>"
    )


def far_rows(path: Path) -> Path:
    """5 KB: a row numbered two billion. It once ran for hours, making every row in between."""
    return workbook(
        path,
        items_xml(row(2, "A-1", "One", "core", 1), row(2_000_000_000, "A-2", "Two", "core", 2)),
    )


def xfd_cells(path: Path) -> Path:
    """Rows each with one cell in column XFD, 16,383 columns right of the rest: 26 GB once."""
    rows = "".join(f'<row r="{n}"><c r="XFD{n}"><v>1</v></c></row>' for n in range(2, 2002))
    return workbook(path, items_xml(row(2, "A-1", "One", "core", 1), rows))


def empty_rows(path: Path) -> Path:
    """2.1 million XML rows with no value, 18 KB compressed: they were never counted against max_rows,
    and a 4 MB file of them (320 MB of XML, under the zip-bomb checks) once took 100 s."""
    workbook(path, items_xml(), folder="xl")
    return deflated_member(
        path,
        "xl/sheets/one.xml",
        f'<worksheet xmlns="{NS}"><sheetData>{HEAD}'.encode(),
        b"<row/>",
        2_100_000,
        b"</sheetData></worksheet>",
    )


def huge_cell(path: Path, *, shared: bool) -> Path:
    """One title of 30 MB (under the zip-bomb checks): counted as it is read, never held whole."""
    if shared:
        workbook(
            path,
            items_xml(
                '<row r="2"><c r="A2" t="inlineStr"><is><t>A-1</t></is></c><c r="B2" t="s"><v>0</v>'
                "</c></row>"
            ),
            strings=[],
        )
        return deflated_member(
            path,
            "xl/strings.xml",
            f'<sst xmlns="{NS}"><si><t>'.encode(),
            b"x",
            30 << 20,
            b"</t></si></sst>",
        )
    workbook(path, "")
    return deflated_member(
        path,
        "xl/sheets/one.xml",
        f'<worksheet xmlns="{NS}"><sheetData>{HEAD}<row r="2">'
        '<c r="A2" t="inlineStr"><is><t>A-1</t></is></c><c r="B2" t="inlineStr"><is><t>'.encode(),
        b"x",
        30 << 20,
        b"</t></is></c></row></sheetData></worksheet>",
    )


def odd_cells(path: Path) -> Path:
    """One odd cell of each kind among good rows: each is noted with its cell and the rest is read."""
    return workbook(
        path,
        items_xml(
            row(2, "A-1", "One", "core", 1),
            row(3, "A-2", "<v>NaN</v>", "core", 1),  # NaN in the title
            row(4, "A-3", "Three", "<v>INF</v>", 1),  # infinity in the team
            row(5, "A-4", "Four", "core", "<v>-Infinity</v>"),  # in the estimate
            row(6, "A-5", "Five", "core", "<v>" + "9" * 5001 + "</v>"),  # a 5,001-digit number
            '<row r="7"><c r="A7" t="inlineStr"><is><t>A-6</t></is></c><c r="B7" t="s"><v>99</v></c>'
            '<c r="C7" t="inlineStr"><is><t>core</t></is></c></row>',  # a shared string that does not exist
            '<row r="8"><c r="A8" t="inlineStr"><is><t>A-7</t></is></c><c r="B8" t="inlineStr"><is><t>Seven</t></is>'
            '</c><c r="E8" s="1"><v>NaN</v></c></row>',  # a NaN date serial
            '<row r="eight"><c r="A9" t="inlineStr"><is><t>A-8</t></is></c><c r="B9" t="inlineStr"><is><t>Eight</t>'
            "</is></c></row>",  # a row number that is no number
            '<row r="10"><c r="A10" s="x"><v>10</v></c><c r="B10" t="inlineStr"><is><t>Ten</t></is></c></row>',
            '<row r="11"><c r="??" t="inlineStr"><is><t>lost</t></is></c><c r="A11" t="inlineStr"><is><t>A-11</t>'
            '</is></c><c r="B11" t="inlineStr"><is><t>Eleven</t></is></c></row>',  # a reference that names no cell
            head=row(1, "key", "title", "team", "estimate", "due"),
        ),
        strings=["One"],
        styles=STYLES,
    )


def lowercase_refs(path: Path) -> Path:
    """What Excel never writes but reads: lowercase and $-anchored references, the workbook in another folder."""
    sheet = (
        f'<worksheet xmlns="{NS}"><sheetData><row r="1"><c r="a1" t="inlineStr"><is><t>key</t></is></c>'
        '<c r="$B$1" t="inlineStr"><is><t>title</t></is></c><c r="c1" t="inlineStr"><is><t>team</t></is></c>'
        '</row><row r="2"><c r="a2" t="inlineStr"><is><t>A-1</t></is></c><c r="b2" t="inlineStr"><is>'
        '<t>Migrate ledger</t></is></c><c r="c2" t="inlineStr"><is><t>core</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    return workbook(path, sheet, folder="book")


def rows_out_of_order(path: Path) -> Path:
    return workbook(
        path,
        items_xml(
            row(3, "A-3", "Three", "core", 1),
            row(2, "A-2", "Two", "core", 1),
            row(3, "A-9", "Again three", "core", 1),
        ),
    )


def org_chain(path: Path, depth: int) -> Path:
    """An Org sheet whose units form one chain `depth` levels deep, a team at the bottom."""
    org = "".join(
        row(n + 2, f"unit-{n}", f"unit-{n - 1}" if n else None, letters="AB") for n in range(depth)
    )
    org += row(depth + 2, "core", f"unit-{depth - 1}", letters="AB")
    xml = {
        "Items": items_xml(row(2, "A-1", "One", "core", 1)),
        "Org": f'<worksheet xmlns="{NS}"><sheetData>{row(1, "unit", "parent", letters="AB")}{org}'
        "</sheetData></worksheet>",
        "Teams": f'<worksheet xmlns="{NS}"><sheetData>{row(1, "team", "headcount", letters="AB")}'
        f"{row(2, 'core', 5, letters='AB')}</sheetData></worksheet>",
    }
    sheets = "".join(
        f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>' for i, name in enumerate(xml, start=1)
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{DOC}/worksheet" Target="worksheets/s{i}.xml"/>'
        for i in range(1, len(xml) + 1)
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{NS}" xmlns:r="{RNS}"><sheets>{sheets}</sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{PKG}">{rels}</Relationships>'
        )
        for i, data in enumerate(xml.values(), start=1):
            z.writestr(f"xl/worksheets/s{i}.xml", data)
    return path


def jira_page(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


ISSUE = (
    '{"id": "1001", "key": "TW-1", "fields": {"summary": "Migrate ledger", "issuetype": {"name": "Story"}, '
    '"status": {"name": "To Do"}, "timeoriginalestimate": %s}}'
)


def _issues(*issues: str) -> str:
    """A search response holding these issue objects (as JSON text)."""
    return '{"issues": [' + ", ".join(issues) + "]}"


# name -> (builder(tmp) -> path, exit code, phrase in the error line or in a note)
HOSTILE = {
    "zip bomb behind a non-standard workbook path": (
        lambda t: bomb_sheet(t / "p.xlsx"),
        2,
        "zip bomb",
    ),
    "zip bomb in a picture": (
        lambda t: image_bomb(t / "p.xlsx"),
        2,
        "xl/media/image1.png inflates",
    ),
    "zip bomb of shared strings": (
        lambda t: strings_bomb(t / "p.xlsx"),
        2,
        "xl/strings.xml inflates",
    ),
    "1.8 million shared strings in 40 KB": (
        lambda t: many_strings(t / "p.xlsx"),
        2,
        "found in the shared strings",
    ),
    "row two billion": (lambda t: far_rows(t / "p.xlsx"), 0, "past Excel's last row"),
    "cells in column XFD": (lambda t: xfd_cells(t / "p.xlsx"), 2, "mostly emptiness"),
    "millions of empty rows from a small file": (
        lambda t: empty_rows(t / "p.xlsx"),
        2,
        "packs more than",
    ),
    "odd cells among good ones": (lambda t: odd_cells(t / "p.xlsx"), 0, "not finite"),
    "a 30 MB cell": (
        lambda t: huge_cell(t / "p.xlsx", shared=False),
        0,
        "cell B2 has 31,457,280 characters",
    ),
    "a 30 MB shared string": (
        lambda t: huge_cell(t / "p.xlsx", shared=True),
        0,
        "cell B2 has 31,457,280 characters",
    ),
    "lowercase references, workbook in another folder": (
        lambda t: lowercase_refs(t / "p.xlsx"),
        0,
        None,
    ),
    "rows out of order and repeated": (
        lambda t: rows_out_of_order(t / "p.xlsx"),
        0,
        "not above the row before",
    ),
    "org tree 250 deep": (lambda t: org_chain(t / "p.xlsx", 250), 0, None),
    "org tree 3,000 deep": (lambda t: org_chain(t / "p.xlsx", 3000), 0, None),
    "jira json NaN and Infinity": (
        lambda t: jira_page(
            t / "s.json",
            _issues(
                ISSUE % "NaN", ISSUE.replace("TW-1", "TW-2").replace("1001", "1002") % "Infinity"
            ),
        ),
        0,
        "NaN or Infinity",
    ),
    "jira json 5,001-digit number": (
        lambda t: jira_page(t / "s.json", _issues(ISSUE % ("9" * 5001))),
        0,
        "too long or too large",
    ),
    "jira json duplicate issues key": (
        lambda t: jira_page(
            t / "s.json",
            '{"issues": ['
            + ISSUE % 3600
            + '], "issues": ['
            + ISSUE.replace("TW-1", "TW-2").replace("1001", "1002") % 3600
            + "]}",
        ),
        0,
        "'issues' appears 2 times",
    ),
    "jira json a million zeros": (
        lambda t: jira_page(t / "s.json", '{"issues": [' + ",".join(["0"] * 1_000_000) + "]}"),
        2,
        "none is an issue object",
    ),
    "jira json zeros beside an issue": (
        lambda t: jira_page(t / "s.json", _issues(ISSUE % 3600, ",".join(["0"] * 100_000))),
        0,
        "100,000 entries of 'issues' (2, 3, 4",
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_is_bounded_and_named(tmp_path, name):
    build, code, phrase = HOSTILE[name]
    path = build(tmp_path)
    result = run_cli("validate", str(path), "--format", "json")
    assert "Traceback" not in result.stderr
    assert result.returncode == code, (result.stdout[-2000:], result.stderr[-2000:])
    if code == 2:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("roadmap-audit: error: "), lines
        assert str(path.name) in lines[0] and phrase in lines[0], lines[0]
        return
    report = json.loads(result.stdout)
    dropped = sum(
        i["rows"] for i in report["issues"] if i["row_dropped"]
    )  # one note may stand for many rows
    assert report["rows_read"] == report["rows_used"] + dropped
    if phrase:
        assert any(phrase in i["problem"] for i in report["issues"]), [
            i["problem"] for i in report["issues"]
        ]


@pytest.mark.parametrize(
    "name",
    ["org tree 250 deep", "org tree 3,000 deep", "row two billion", "odd cells among good ones"],
)
@pytest.mark.parametrize("fmt", ["html", "md", "text", "xlsx"])
def test_every_report_of_a_hostile_plan_is_written(tmp_path, name, fmt):
    path = HOSTILE[name][0](tmp_path)
    out = tmp_path / f"report.{fmt}"
    result = run_cli("audit", str(path), "--format", fmt, "-o", str(out))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert out.stat().st_size > 0
    if name.startswith("org") and fmt in ("html", "md"):
        assert "deeper than 12 levels" in out.read_text()


def test_odd_cells_are_each_named_and_the_rest_is_read(tmp_path):
    plan = load_plan(odd_cells(tmp_path / "p.xlsx"))
    notes: dict[str, str] = {}
    for i in plan.issues:
        notes[i.ref.location] = notes.get(i.ref.location, "") + " | " + i.problem
    # the five non-finite numbers (the last a date serial) are one note, naming each cell
    assert (
        "5 cells (B3, C4, D5, D6, E8): the cell holds a number that is not finite"
        in notes["Items!B3"]
    ), notes
    assert "shared string" in notes["Items!B7"]
    assert "not a row number" in notes["Items!9"]
    assert "style index" in notes["Items!A10"]
    assert any("names no cell" in p for p in notes.values())
    keys = {i.key: i for i in plan.items}
    assert keys["A-4"].estimate_weeks is None and keys["A-5"].estimate_weeks is None
    assert keys["A-8"].ref.row == 9 and keys["A-11"].title == "Eleven"
    assert "A-2" not in keys  # its title was NaN: the row is not used, and says so
    assert any(i.ref.location == "Items!B3" and i.row_dropped for i in plan.issues)


def test_row_numbers_are_the_files_own(tmp_path):
    plan = load_plan(far_rows(tmp_path / "p.xlsx"))
    assert [(i.key, i.ref.row) for i in plan.items] == [("A-1", 2), ("A-2", 2_000_000_000)]
    plan = load_plan(rows_out_of_order(tmp_path / "q.xlsx"))
    assert [(i.key, i.ref.row) for i in plan.items] == [
        ("A-3", 3),
        ("A-2", 2),
        ("A-9", 3),
    ]  # the file's order


def test_lowercase_references_read_like_excels_own(tmp_path):
    plan = load_plan(lowercase_refs(tmp_path / "p.xlsx"))
    assert [(i.key, i.title, i.team, i.ref.location) for i in plan.items] == [
        ("A-1", "Migrate ledger", "core", "Items!A2")
    ]


def test_the_xlsx_report_checks_the_archive_before_openpyxl_copies_it(tmp_path, monkeypatch):
    from roadmap_audit.errors import InputError
    from roadmap_audit.load import xlsx_reader
    from roadmap_audit.report.xlsx import render_xlsx

    path = image_bomb(tmp_path / "p.xlsx")
    monkeypatch.setattr(xlsx_reader, "MAX_RATIO", 10_000)  # the loader lets it through ...
    audit = audit_of(path)
    monkeypatch.setattr(xlsx_reader, "MAX_RATIO", 100)  # ... and the copy is checked on its own
    with pytest.raises(InputError, match="cannot copy the workbook .*inflates"):
        render_xlsx(audit, path, audit.plan)


def test_a_bomb_is_refused_before_anything_is_inflated(tmp_path, monkeypatch):
    """The archive's declared sizes are checked first: zipfile never inflates past them."""
    path = bomb_sheet(tmp_path / "p.xlsx")
    opened = []
    real = zipfile.ZipFile.open
    monkeypatch.setattr(
        zipfile.ZipFile,
        "open",
        lambda self, name, *a, **k: opened.append(name) or real(self, name, *a, **k),
    )
    from roadmap_audit.errors import InputError

    with pytest.raises(InputError, match="zip bomb"):
        load_plan(path)
    assert opened == []


def test_a_member_cannot_inflate_past_what_it_declares(tmp_path):
    """What the size check rests on: zipfile stops at the declared size and fails the CRC."""
    path = workbook(tmp_path / "p.xlsx", items_xml(row(2, "A-1", "One", "core", 1)))
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("xl/sheets/one.xml")
    # declare half the size, in the central directory and in the local header
    size = info.file_size.to_bytes(4, "little")
    assert data.count(size) >= 2
    bad = tmp_path / "lie.xlsx"
    bad.write_bytes(bytes(data).replace(size, (info.file_size // 2).to_bytes(4, "little")))
    with zipfile.ZipFile(bad) as z, pytest.raises(zipfile.BadZipFile):
        z.read("xl/sheets/one.xml")


def test_a_member_read_whole_is_what_its_chunks_give_and_no_more_than_it_declares(tmp_path):
    """The survey reads each sheet's XML in one read (Archive.read): the same bytes as the chunked
    `stream`, and a member that inflates past its declared size fails its CRC as there."""
    from roadmap_audit.load.xlsx_reader import Archive

    path = workbook(tmp_path / "p.xlsx", items_xml(row(2, "A-1", "One", "core", 1)))
    good = Archive(path)
    with good.zip:
        whole = good.read("xl/sheets/one.xml")
        assert whole == b"".join(good.stream("xl/sheets/one.xml"))
        assert good.inflated == 2 * len(whole)
    data = bytearray(path.read_bytes())
    size = len(whole).to_bytes(4, "little")
    bad = tmp_path / "lie.xlsx"
    bad.write_bytes(bytes(data).replace(size, (len(whole) // 2).to_bytes(4, "little")))
    lying = Archive(bad)
    with lying.zip, pytest.raises(zipfile.BadZipFile):
        lying.read("xl/sheets/one.xml")
    assert lying.inflated == 0


def test_ooxml_escapes_are_read_as_the_characters_they_stand_for(tmp_path):
    """`_x000D_` (a carriage return Excel writes escaped) once stayed in keys and broke dependencies."""
    path = workbook(
        tmp_path / "p.xlsx",
        items_xml(
            row(2, "PAY-1_x000D_", "One", "core", 1),
            row(3, "PAY-2", "Two_x005F_x000D_", "core", 1),
            '<row r="4"><c r="A4" t="s"><v>0</v></c><c r="B4" t="inlineStr"><is><t>Three</t></is></c>'
            '<c r="E4" t="inlineStr"><is><t>PAY-1</t></is></c></row>',
            head=row(1, "key", "title", "team", "estimate", "depends_on"),
        ),
        strings=["PAY-3_x000A_"],
    )
    plan = load_plan(path)
    assert [(i.key, i.title) for i in plan.items] == [
        ("PAY-1", "One"),
        ("PAY-2", "Two_x000D_"),
        ("PAY-3", "Three"),
    ]
    assert plan.items[2].depends_on == ["PAY-1"]
    assert not any("not in the plan" in i.problem for i in plan.issues)


def excel_layout(path: Path) -> Path:
    """The same workbook with its parts where Excel puts them (xl/workbook.xml, xl/sharedStrings.xml,
    xl/styles.xml), so calamine can open it: the survey before calamine must bound it as the own reader did."""
    renames = {
        "xl/book.xml": "xl/workbook.xml",
        "xl/_rels/book.xml.rels": "xl/_rels/workbook.xml.rels",
        "xl/strings.xml": "xl/sharedStrings.xml",
        "xl/look.xml": "xl/styles.xml",
    }
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
        if "xl/book.xml" not in z.namelist():
            return path
        moved = path.with_name("excel-" + path.name)
        with zipfile.ZipFile(moved, "w", zipfile.ZIP_DEFLATED) as out:
            for info in infos:
                name = renames.get(info.filename, info.filename)
                with z.open(info) as src, out.open(name, "w", force_zip64=True) as dst:
                    while chunk := src.read(1 << 20):
                        if info.filename.endswith(".rels"):
                            chunk = chunk.replace(b"book.xml", b"workbook.xml")
                            chunk = chunk.replace(b"strings.xml", b"sharedStrings.xml")
                            chunk = chunk.replace(b"look.xml", b"styles.xml")
                        dst.write(chunk)
    return moved


@pytest.mark.parametrize(
    "name",
    sorted(
        n
        for n in HOSTILE
        if not n.startswith(("jira", "zip bomb behind", "lowercase")) and "org tree" not in n
    ),
)
def test_hostile_workbooks_in_excels_layout_are_bounded_the_same(tmp_path, name):
    """calamine reads a workbook laid out as Excel lays it out: each hostile case again, in that layout,
    gets the same outcome (refused with the same words, or read with the same note)."""
    from roadmap_audit.errors import InputError

    build, code, phrase = HOSTILE[name]
    phrase = phrase and phrase.replace("xl/strings.xml", "xl/sharedStrings.xml")
    path = excel_layout(build(tmp_path))
    assert path.name.startswith("excel-"), "the case is not in the Excel layout"
    if code == 2:
        with pytest.raises(InputError, match=re.escape(phrase)):
            load_plan(path)
        return
    plan = load_plan(path)
    assert plan.items
    if phrase:
        assert any(phrase in i.problem for i in plan.issues), [i.problem for i in plan.issues]
