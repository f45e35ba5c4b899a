"""Workbooks read by python-calamine: the same rows as the own reader, and what calamine cannot see kept.

Each workbook here is written part by part with zipfile, as Excel lays it out (xl/workbook.xml,
xl/sharedStrings.xml ...), so calamine can read it; a test that must be read by calamine makes the
own reader fail if it is asked."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roadmap_audit.errors import InputError
from roadmap_audit.load import calamine_reader, load_plan, xlsx_reader
from roadmap_audit.load.tables import _read_streaming, read_workbook

from .conftest import SAMPLES, run_cli, write_xlsx

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
STYLES = (
    f'<styleSheet xmlns="{NS}"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs>'
    "</styleSheet>"
)


def text(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def sheet_xml(*rows: str, tail: str = "") -> str:
    return f'<worksheet xmlns="{NS}"><sheetData>{"".join(rows)}</sheetData>{tail}</worksheet>'


def book(
    path: Path,
    sheets: dict[str, str],
    *,
    strings: str | None = None,
    styles: str | None = STYLES,
    hidden: tuple[str, ...] = (),
    date1904: bool = False,
) -> Path:
    """An .xlsx as Excel lays it out: `sheets` maps titles to sheet XML, `strings` is the sst part."""
    entries = "".join(
        f'<sheet name="{title}" sheetId="{i}" r:id="rId{i}"'
        + (' state="hidden"' if title in hidden else "")
        + "/>"
        for i, title in enumerate(sheets, start=1)
    )
    rels = [
        f'<Relationship Id="rId{i}" Type="{RNS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    ]
    if strings is not None:
        rels.append(
            f'<Relationship Id="rIdS" Type="{RNS}/sharedStrings" Target="sharedStrings.xml"/>'
        )
    if styles is not None:
        rels.append(f'<Relationship Id="rIdY" Type="{RNS}/styles" Target="styles.xml"/>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{RNS}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{NS}" xmlns:r="{RNS}">'
            + ('<workbookPr date1904="1"/>' if date1904 else "")
            + f"<sheets>{entries}</sheets></workbook>",
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{PKG}">{"".join(rels)}</Relationships>',
        )
        for i, xml in enumerate(sheets.values(), start=1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", xml)
        if strings is not None:
            z.writestr("xl/sharedStrings.xml", strings)
        if styles is not None:
            z.writestr("xl/styles.xml", styles)
    return path


@pytest.fixture
def calamine_only(monkeypatch):
    """The own reader fails if it is asked: what the test reads, calamine read."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("the own reader was asked to read a workbook calamine should read")

    monkeypatch.setattr(calamine_reader, "read_own", refuse)


@pytest.fixture
def own_only(monkeypatch):
    """Calamine fails if it is asked: what the test reads, the own reader read."""
    import python_calamine

    def refuse(*_args, **_kwargs):
        raise AssertionError("calamine was asked to open a workbook the survey should have refused")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", refuse)


def _same(rows):
    """Rows as both readers give them: a date cell as its date, no trailing empty cells."""
    out = []
    for number, values in rows:
        values = [
            v.date() if isinstance(v, dt.datetime) and v.time() == dt.time(0) else v for v in values
        ]
        while values and values[-1] is None:
            values.pop()
        out.append((number, values))
    return out


def _mixed(path: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Items"
    ws.append(["key", "title", "team", "estimate", "due", "committed", "depends_on"])
    ws.append(["A-1", "Ünïcode — title", "core", 2.5, dt.date(2026, 8, 1), True, None])
    ws.append(["A-2", "Int estimate", "core", 3, dt.datetime(2026, 9, 1, 14, 5), False, "A-1"])
    ws.append([None] * 7)
    ws.append(["A-4", "After a blank row", "core", "2 weeks", "15/09/2026", None, "A-1, A-2"])
    ws["D6"] = "=1+1"  # openpyxl saves no cached value
    ws["A6"], ws["B6"] = "A-5", "Formula row"
    ws.merge_cells("C2:C3")
    other = wb.create_sheet("Teams")
    other["C3"], other["D3"], other["C4"], other["D4"] = "team", "headcount", "core", 5
    wb.create_sheet("Secret").sheet_state = "hidden"
    wb.save(path)
    return path


@pytest.mark.parametrize(
    "make", [lambda tmp: SAMPLES / "northwind-2026-Q3.xlsx", lambda tmp: _mixed(tmp / "m.xlsx")]
)
def test_calamine_and_the_own_reader_give_the_same_sheets(tmp_path, make, calamine_only):
    path = make(tmp_path)
    fast = calamine_reader.read_sheets(path)
    own = xlsx_reader.read_sheets(path)
    for a, b in zip(fast, own, strict=True):
        rows_a, rows_b = list(a.rows), list(b.rows)
        assert (a.title, a.hidden, a.merged, a.formulas_without_value) == (
            b.title,
            b.hidden,
            b.merged,
            b.formulas_without_value,
        )
        assert _same(rows_a) == _same(rows_b), a.title
    # and the sheets made of them (header, rows, notes) are the same
    made_a = _read_streaming(calamine_reader.read_sheets(path), str(path))
    made_b = _read_streaming(xlsx_reader.read_sheets(path), str(path))
    for a, b in zip(made_a, made_b, strict=True):
        assert (a.header_row, a.headers, a.notes) == (b.header_row, b.headers, b.notes)


def test_what_calamine_cannot_see_is_kept(tmp_path, calamine_only):
    """Merged ranges, hidden sheets, a formula without a saved value: noted as the own reader notes them."""
    plan = load_plan(_mixed(tmp_path / "m.xlsx"))
    problems = {i.ref.location: i.problem for i in plan.issues}
    assert "formula with no saved value" in problems["Items!D6"]
    assert any("Secret is hidden" in p for p in problems.values())
    assert "C2:C3 are merged" in problems["Items!C2"]
    assert [(i.key, i.team, i.ref.location) for i in plan.items] == [
        ("A-1", "core", "Items!A2"),
        ("A-2", "core", "Items!A3"),
        ("A-4", "core", "Items!A5"),
        ("A-5", None, "Items!A6"),
    ]
    assert plan.items[0].due == dt.date(2026, 8, 1) and plan.items[1].due == dt.date(2026, 9, 1)
    assert {(t.team, t.headcount, t.ref.location) for t in plan.teams} == {
        ("core", 5, "Teams!C4")
    }  # a sheet starting at C3 keeps its references


def test_shared_strings_with_rich_text_runs_are_read(tmp_path, calamine_only):
    """How Excel and LibreOffice store text: a string table, some strings in formatted runs, with phonetic
    guides and OOXML escapes. The title of PAY-1 is three runs; PAY-2's has a reading guide not read."""
    strings = (
        f'<sst xmlns="{NS}" count="9" uniqueCount="9">'
        "<si><t>key</t></si><si><t>title</t></si><si><t>team</t></si>"
        "<si><t>PAY-1</t></si>"
        '<si><r><t xml:space="preserve">Migrate </t></r><r><rPr><b/><sz val="11"/></rPr><t>the</t></r>'
        '<r><t xml:space="preserve"> ledger</t></r></si>'
        "<si><t>payments</t></si>"
        "<si><t>PAY-2_x000D_</t></si>"
        '<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/></si>'
        "<si><r><t>pay</t></r><r><rPr><i/></rPr><t>ments</t></r></si>"
        "</sst>"
    )

    def s(ref: str, index: int) -> str:
        return f'<c r="{ref}" t="s"><v>{index}</v></c>'

    sheet = sheet_xml(
        f'<row r="1">{s("A1", 0)}{s("B1", 1)}{s("C1", 2)}</row>',
        f'<row r="2">{s("A2", 3)}{s("B2", 4)}{s("C2", 5)}</row>',
        f'<row r="3">{s("A3", 6)}{s("B3", 7)}{s("C3", 8)}</row>',
    )
    path = book(tmp_path / "strings.xlsx", {"Items": sheet}, strings=strings)
    plan = load_plan(path)
    assert [(i.key, i.title, i.team, i.ref.location) for i in plan.items] == [
        ("PAY-1", "Migrate the ledger", "payments", "Items!A2"),
        ("PAY-2", "東京", "payments", "Items!A3"),
    ]
    own = _read_streaming(xlsx_reader.read_sheets(path), str(path))
    fast = _read_streaming(calamine_reader.read_sheets(path), str(path))
    assert (
        fast[0].rows
        == own[0].rows
        == [
            (2, ["PAY-1", "Migrate the ledger", "payments"]),
            (3, ["PAY-2\r", "東京", "payments"]),
        ]
    )


def test_error_values_and_formulas_without_a_value_are_noted_where_they_are(
    tmp_path, calamine_only
):
    """calamine shows a cached #REF! and a formula never calculated as empty cells: the survey finds them.
    The sheet starts at B3, so every reference is checked away from A1."""
    sheet = sheet_xml(
        f'<row r="3">{text("B3", "key")}{text("C3", "title")}{text("D3", "team")}'
        f"{text('E3', 'estimate')}</row>",
        f'<row r="4">{text("B4", "A-1")}{text("C4", "One")}'
        '<c r="D4" t="e"><f>Teams!#REF!</f><v>#REF!</v></c><c r="E4"><v>2</v></c></row>',
        f'<row r="5">{text("B5", "A-2")}{text("C5", "Two")}{text("D5", "core")}'
        '<c r="E5"><f>E4*2</f></c></row>',
        f'<row r="7">{text("B7", "A-3")}{text("C7", "Three")}{text("D7", "core")}'
        '<c r="E7" t="e"><v>#DIV/0!</v></c></row>',
    )
    plan = load_plan(book(tmp_path / "errors.xlsx", {"Items": sheet}))
    problems = {i.ref.location: i.problem for i in plan.issues}
    assert "spreadsheet error #REF!" in problems["Items!D4"]
    assert "spreadsheet error #DIV/0!" in problems["Items!E7"]
    assert "cell E5 has a formula with no saved value" in problems["Items!E5"]
    assert [(i.key, i.team, i.estimate_weeks, i.ref.location) for i in plan.items] == [
        ("A-1", None, 2, "Items!B4"),
        ("A-2", "core", None, "Items!B5"),
        ("A-3", "core", None, "Items!B7"),
    ]


@pytest.mark.parametrize("date1904", [False, True])
def test_dates_are_read_in_the_workbooks_own_epoch(tmp_path, date1904, calamine_only):
    """A date cell (a serial with a date format) in the 1900 or 1904 system, and a bare serial number."""
    serial = 46265 - (1462 if date1904 else 0)  # 31 Aug 2026
    sheet = sheet_xml(
        f'<row r="1">{text("A1", "key")}{text("B1", "title")}{text("C1", "team")}{text("D1", "due")}'
        "</row>",
        f'<row r="2">{text("A2", "A-1")}{text("B2", "One")}{text("C2", "core")}'
        f'<c r="D2" s="1"><v>{serial}</v></c></row>',
        f'<row r="3">{text("A3", "A-2")}{text("B3", "Two")}{text("C3", "core")}'
        f'<c r="D3" s="1"><v>{serial}.75</v></c></row>',
        f'<row r="4">{text("A4", "A-3")}{text("B4", "Three")}{text("C4", "core")}'
        '<c r="D4"><v>46265</v></c></row>',
    )
    plan = load_plan(book(tmp_path / "dates.xlsx", {"Items": sheet}, date1904=date1904))
    assert [(i.key, i.due) for i in plan.items] == [
        ("A-1", dt.date(2026, 8, 31)),
        ("A-2", dt.date(2026, 8, 31)),
        ("A-3", dt.date(2026, 8, 31)),  # a number in a General cell is a 1900-system serial
    ]


def test_far_apart_cells_never_reach_calamine(tmp_path, own_only):
    """Two cells at A1 and XFD1048576 (calamine would lay out 17 billion cells between them and end the
    process): the survey leaves the sheet to the own reader, which holds no gap."""
    sheet = sheet_xml(
        f'<row r="1">{text("A1", "key")}{text("B1", "title")}</row>',
        f'<row r="2">{text("A2", "A-1")}{text("B2", "One")}</row>',
        '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
    )
    path = book(tmp_path / "far.xlsx", {"Items": sheet})
    sheets = read_workbook(path, "far.xlsx")
    assert sheets[0].rows[0] == (2, ["A-1", "One"])


@pytest.mark.parametrize(
    "odd",
    [
        '<c r="a3" t="inlineStr"><is><t>A-2</t></is></c>',  # lowercase reference
        '<c t="inlineStr"><is><t>A-2</t></is></c>',  # no reference
        '<x:c r="A3" t="inlineStr"><x:is><x:t>A-2</x:t></x:is></x:c>',  # a namespace prefix
        '<c r="A2" t="inlineStr"><is><t>A-2</t></is></c>',  # the cell of the row above, again
        '<c r="A3"><v>NaN</v></c>',  # a number that is not finite
    ],
)
def test_an_odd_sheet_is_read_by_the_own_reader(tmp_path, odd):
    """What no spreadsheet program writes goes to the reader that names every odd cell."""
    sheet = sheet_xml(
        f'<row r="1">{text("A1", "key")}{text("B1", "title")}</row>',
        f'<row r="2">{text("A2", "A-1")}{text("B2", "One")}</row>',
        f'<row r="3">{odd}{text("B3", "Two")}</row>',
    ).replace("<worksheet ", f'<worksheet xmlns:x="{NS}" ')
    path = book(tmp_path / "odd.xlsx", {"Items": sheet})
    assert calamine_reader._read_surveyed(path, None) is None
    fast = _read_streaming(calamine_reader.read_sheets(path), str(path))
    own = _read_streaming(xlsx_reader.read_sheets(path), str(path))
    assert [(s.rows, s.notes) for s in fast] == [(s.rows, s.notes) for s in own]


def test_the_survey_counts_strings_and_cells_against_the_allowance(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_reader, "ELEMENTS_FREE", 10)
    strings = f'<sst xmlns="{NS}">' + "<si><t>a</t></si>" * 5000 + "</sst>"
    sheet = sheet_xml(f'<row r="1">{text("A1", "key")}{text("B1", "title")}</row>')
    path = book(tmp_path / "dense.xlsx", {"Items": sheet}, strings=strings)
    with pytest.raises(xlsx_reader.Hostile, match="found in the shared strings"):
        calamine_reader.read_sheets(path)


@pytest.mark.parametrize("limit", [1, 9, 10, 26, 99, 100, 407, 1000, 50_001, 1_048_576])
def test_the_survey_bounds_rows_and_columns_exactly(limit):
    numbers = re.compile(calamine_reader._up_to_number(limit))
    for n in {1, 2, 9, 10, 11, limit - 1, limit, limit + 1, 10 * limit, 99, 100, 101} - {0}:
        assert bool(numbers.fullmatch(str(n).encode())) == (1 <= n <= limit), (limit, n)
    assert not numbers.fullmatch(b"0") and not numbers.fullmatch(b"01")
    letters = xlsx_reader.column_letter(limit - 1)
    columns = re.compile(calamine_reader._up_to_column(letters))
    for index in {0, 1, 25, 26, 27, 701, 702, limit - 2, limit - 1, limit, 16_383}:
        if index >= 0:
            name = xlsx_reader.column_letter(index).encode()
            assert bool(columns.fullmatch(name)) == (index <= limit - 1), (letters, name)


def test_the_survey_finds_text_with_unpreserved_spaces_as_a_backtracking_search_does():
    """The survey's search for `<t>` text with a space at an end and no xml:space takes each text
    whole (no backtracking over it): it finds what the plain pattern finds, and nothing else."""
    import random

    plain = re.compile(rb"<t>(?:\s|[^<]*\s</t>)")
    pieces = [b"<t>", b"</t>", b" ", b"a", b"<", b"\n", b"t>", b'<t xml:space="preserve">', b"\t"]
    chance = random.Random(21)
    for _ in range(5000):
        xml = b"".join(chance.choice(pieces) for _ in range(chance.randint(0, 12)))
        assert bool(calamine_reader._UNPRESERVED.search(xml)) == bool(plain.search(xml)), xml
    assert calamine_reader._UNPRESERVED.search(b"<t>ledger </t>")
    assert not calamine_reader._UNPRESERVED.search(b'<t xml:space="preserve">ledger </t><t>a</t>')


# ------------------------------------------------------------------ other formats


def ods(path: Path, tables: dict[str, list[list[object]]]) -> Path:
    """An OpenDocument spreadsheet written by hand: text, numbers (office:value) and dates (office:date-value),
    an empty cell repeated, and the trailing empty rows LibreOffice writes."""

    def cell(value: object) -> str:
        if value is None:
            return '<table:table-cell table:number-columns-repeated="2"/>'
        if isinstance(value, dt.date):
            return (
                f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
                f"<text:p>{value.isoformat()}</text:p></table:table-cell>"
            )
        if isinstance(value, (int, float)):
            return (
                f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>"
            )
        return f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'

    body = "".join(
        f'<table:table table:name="{name}">'
        + "".join(f"<table:table-row>{''.join(map(cell, row))}</table:table-row>" for row in rows)
        + '<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
        'table:number-columns-repeated="1024"/></table:table-row></table:table>'
        for name, rows in tables.items()
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )  # stored first, as the format asks
        z.writestr("META-INF/manifest.xml", manifest)
        z.writestr("content.xml", content)
    return path


def test_an_ods_plan_is_read_with_its_cells_where_they_are(tmp_path):
    path = ods(
        tmp_path / "plan.ods",
        {
            "Items": [
                ["key", "title", "team", "estimate", "due"],
                ["A-1", "Migrate ledger", "core", 3, dt.date(2026, 8, 31)],
                [None, None, None],
                ["A-2", "Second", "core", 2.5, None],
            ],
            "Teams": [["team", "headcount"], ["core", 5]],
        },
    )
    plan = load_plan(path)
    assert [(i.key, i.estimate_weeks, i.due, i.ref.location) for i in plan.items] == [
        ("A-1", 3, dt.date(2026, 8, 31), "Items!A2"),
        ("A-2", 2.5, None, "Items!A4"),
    ]
    assert [(t.team, t.headcount) for t in plan.teams] == [("core", 5)]
    result = run_cli("validate", str(path), "--format", "json")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-2000:]


@pytest.mark.parametrize(
    "name, data",
    [
        (
            "plan.xls",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
        ),  # an OLE header, no workbook
        ("plan.xls", b"key,title\nA-1,One\n"),  # a CSV saved with the wrong name
        ("plan.xlsb", b"PK\x03\x04 not a zip at all"),
        ("plan.ods", b"<office:document/>"),
    ],
)
def test_a_broken_xls_xlsb_or_ods_is_one_clear_line(tmp_path, name, data):
    """No .xls writer is maintained, so a real .xls is not made here: calamine's .xls reading is its own
    tested code; what is tested is that such files reach it and a broken one is exit 2, one line."""
    path = tmp_path / name
    path.write_bytes(data)
    result = run_cli("validate", str(path))
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert len(lines) == 1 and lines[0].startswith("roadmap-audit: error: ") and name in lines[0]


def test_a_workbook_under_another_name_still_says_what_it_is(tmp_path):
    path = write_xlsx(tmp_path / "plan.xlsx", {"Items": [["key", "title"], ["A-1", "One"]]})
    with pytest.raises(InputError, match="unknown file type '.numbers'"):
        load_plan(path.rename(tmp_path / "plan.numbers"))


def test_a_row_wider_than_the_sheets_ends_is_still_read_by_calamine(tmp_path, calamine_only):
    """The survey guesses the grid from the sheet's first and last cells, and grows it for a wider row in
    the middle (a note in column H of row 1,500 of 3,000) instead of leaving the sheet to the slow reader."""
    rows = [f'<row r="1">{text("A1", "key")}{text("B1", "title")}{text("C1", "team")}</row>']
    for n in range(2, 3002):
        note = text(f"H{n}", "see the design doc") if n == 1500 else ""
        rows.append(
            f'<row r="{n}">{text(f"A{n}", f"A-{n}")}{text(f"B{n}", "Item")}{text(f"C{n}", "core")}'
            f"{note}</row>"
        )
    path = book(tmp_path / "wide.xlsx", {"Items": sheet_xml(*rows)})
    assert len(path.read_bytes()) > 0
    sheets = calamine_reader.read_sheets(path)
    read = dict(sheets[0].rows)
    assert read[1500] == ["A-1500", "Item", "core", None, None, None, None, "see the design doc"]
    assert read[3001] == ["A-3001", "Item", "core", None, None, None, None, None]


_VALUES = st.one_of(
    st.none(),
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(" _x000D_\t"),
        max_size=12,
    ),
    st.integers(-(10**16), 10**16),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.booleans(),
    st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)),
    st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2100, 1, 1)).map(
        lambda d: d.replace(second=0, microsecond=0)
    ),
    st.sampled_from(["=1+1", "=A1", '=""']),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.integers(0, 3),
    st.integers(0, 3),
    st.lists(st.lists(_VALUES, min_size=1, max_size=6), min_size=1, max_size=8),
)
def test_calamine_and_the_own_reader_agree_on_any_saved_workbook(tmp_path, top, left, rows):
    """Whatever a spreadsheet program saves (here openpyxl: text, numbers, dates, formulas never
    calculated), from any first cell: the rows read are the same, or the survey left the sheet to the
    own reader."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Items"
    for r, row in enumerate(rows, start=1 + top):
        for c, value in enumerate(row, start=1 + left):
            ws.cell(row=r, column=c, value=value)
    path = tmp_path / f"any-{top}-{left}-{len(rows)}.xlsx"
    wb.save(path)
    own = xlsx_reader.read_sheets(path)
    fast = calamine_reader.read_sheets(path)
    for a, b in zip(fast, own, strict=True):
        assert _same(list(a.rows)) == _same(list(b.rows))
        assert (a.formulas_without_value, a.merged, a.hidden) == (
            b.formulas_without_value,
            b.merged,
            b.hidden,
        )


def _spaced(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{value}</t></is></c>'


def _blank_and_long_rows(path: Path, title: str) -> Path:
    """Items with a row of spaces only, a row of an invisible mark only, and a title of `title`."""
    return book(
        path,
        {
            "Items": sheet_xml(
                '<row r="1">' + text("A1", "key") + text("B1", "title") + "</row>",
                '<row r="2">' + text("A2", "A-1") + text("B2", title) + "</row>",
                '<row r="3">' + _spaced("A3", "   ") + _spaced("B3", " ") + "</row>",
                '<row r="4">' + text("A4", "\u200b") + "</row>",
                '<row r="5">' + text("A5", "A-2") + text("B5", "Short") + "</row>",
            )
        },
    )


@pytest.mark.parametrize("title", ["A title", "A title far over the cap"])
def test_rows_checked_as_calamine_gives_them_make_the_sheet_the_own_reader_makes(
    tmp_path, title, calamine_only, monkeypatch
):
    """calamine's rows are checked as they are converted (blank rows left out, no text over the
    cap): the sheet made of them is the own reader's, rows and notes; a text over the cap leaves
    the rows to the table reader, which cuts it with its note."""
    from roadmap_audit.config import Limits

    path = _blank_and_long_rows(tmp_path / "b.xlsx", title)
    limits = Limits(max_cell_chars=12)
    sheets = calamine_reader.read_sheets(path, None, 12)
    assert [s.checked for s in sheets] == [12 if len(title) <= 12 else None]
    made = _read_streaming(sheets, "b.xlsx", limits)
    monkeypatch.undo()  # the own reader may read now
    own = _read_streaming(xlsx_reader.read_sheets(path, None, 12), "b.xlsx", limits)
    assert [(n, v[:2]) for n, v in made[0].rows] == [
        (2, ["A-1", title[:12]]),
        (5, ["A-2", "Short"]),
    ]
    assert made[0].rows == own[0].rows
    assert sorted(made[0].notes) == sorted(own[0].notes)
    cut = [(row, letter) for row, letter, note in made[0].notes if "over the limit of 12" in note]
    assert cut == ([] if len(title) <= 12 else [(2, "B")])


def test_an_error_text_over_the_cap_leaves_the_rows_unchecked(tmp_path, calamine_only):
    """An error cell's text is the file's, of any length: over the cap, the table reader checks the rows."""
    path = book(
        tmp_path / "e.xlsx",
        {
            "Items": sheet_xml(
                '<row r="1">' + text("A1", "key") + text("B1", "title") + "</row>",
                '<row r="2">' + text("A2", "A-1") + '<c r="B2" t="e"><v>#VALUE!</v></c></row>',
            )
        },
    )
    assert [s.checked for s in calamine_reader.read_sheets(path, None, 6)] == [None]
    assert [s.checked for s in calamine_reader.read_sheets(path, None, 7)] == [7]


def test_rows_checked_against_a_larger_cap_are_checked_again(tmp_path, calamine_only):
    """Rows calamine's reader checked against one cap are checked again by a table reader with a
    smaller one: the text over it is cut, with its note."""
    from roadmap_audit.config import Limits

    path = _blank_and_long_rows(tmp_path / "b.xlsx", "A title far over the cap")
    sheets = calamine_reader.read_sheets(path, None, 100)
    assert [s.checked for s in sheets] == [100]
    made = _read_streaming(sheets, "b.xlsx", Limits(max_cell_chars=12))
    assert made[0].rows[0] == (2, ["A-1", "A title far "])
    assert [(row, letter) for row, letter, note in made[0].notes if "limit of 12" in note] == [
        (2, "B")
    ]
