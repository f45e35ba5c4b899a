"""Workbooks read by python-calamine (Rust, wheels for every platform): .xlsx, .xlsm, .xlsb, .xls, .ods.

Which reader reads what, and why:
- calamine reads the cells of every workbook: about 4 times faster than the own streaming reader
  (xlsx_reader) and 10-20 times faster than openpyxl.
- It cannot see everything, and it trusts the file: it gives a cached error (#REF!) and a formula with
  no saved value as an empty cell, and it lays every sheet out as one dense grid from its first to its
  last value (two cells at A1 and XFD1048576 ask for 17 billion cells and end the process). So before
  calamine opens an .xlsx or .xlsm, the archive's declared sizes are checked (xlsx_reader.check_sizes)
  and every part it will parse is inflated through zipfile (which stops at the declared size and checks
  the CRC), counted against the element allowance, and each sheet's XML surveyed with byte patterns:
  every cell must be written as Excel, LibreOffice and openpyxl write it (`<c r="B14"`, no namespace
  prefix, no DTD), inside a grid small enough for its values. The survey also finds what calamine does
  not show: the error values and the formulas without a saved value.
- Anything else (a sheet the survey finds odd, a workbook part in a non-standard place, a cell
  calamine placed over another) is read by the own streaming reader, which names every odd cell and
  bounds every cost itself. The two give the same rows for a workbook both can read.
- .xls, .xlsb and .ods cannot be surveyed that way (binary records, or repeat counts), so calamine
  reads them in a child process with a memory and CPU cap: a file that would take more is refused.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

from .cells import all_blank
from .xlsx_reader import (
    MAX_CELL_CHARS,
    MAX_COLUMN,
    MAX_ROW,
    PAD_FREE,
    Archive,
    Hostile,
    SheetData,
    Unsupported,
    check_archive,
    column_index,
    column_letter,
    workbook_parts,
)
from .xlsx_reader import read_sheets as read_own

# Calamine's grid holds every position between a sheet's first and last value (32 bytes each): a sheet
# may span PAD_FREE positions, plus GRID_PER_VALUE per value (convention of this project: a plan's sheet
# is dense, one value in two positions or more; a sparser one is read by the own reader, which does not
# hold the gaps).
GRID_PER_VALUE = 8
SURVEY_EDGE = 1 << 16  # bytes at each end of a sheet's XML read to guess its last row and column
GRID_GROWTHS = 8  # times the guessed grid may grow to take a cell past it
# The child process that reads .xls, .xlsb and .ods: memory and CPU it may use (convention of this
# project: a 100,000-row workbook takes under 1 GiB and 20 s).
CHILD_MEMORY = 4 << 30
CHILD_SECONDS = 300
OTHER_FORMATS = (".xls", ".xlsb", ".ods")

_MAIN = "xl/workbook.xml"  # calamine finds the workbook only here
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)")
_PREFIXED = re.compile(rb":(?:c|row|v|is|f|sheetData)[\s>/]")
_ROW_REF = re.compile(rb'<row r="(\d+)"')
_CELL_REF = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,10})"')
_DIMENSION = re.compile(rb'<dimension ref="[A-Z]{1,3}\d{1,10}:([A-Z]{1,3})(\d{1,10})"')
_ERROR = re.compile(rb't="e"')
_FORMULA = re.compile(rb"<f[\s>/]")
_VALUE = re.compile(rb"<v>([^<]*)</v>")
# Text with spaces at an end and no xml:space="preserve" (Excel and LibreOffice always write it): calamine
# trims them, so two runs of rich text would lose the space between their words.
# ([^<]*+ takes a text whole, once: a backtracking [^<]* would go back over every text char by char)
_UNPRESERVED = re.compile(rb"<t>(?:\s|[^<]*+(?<=\s)</t>)")


def _up_to_number(limit: int) -> bytes:
    """A pattern for the whole numbers 1..limit (no leading zero)."""
    text = str(limit)
    alternatives = []
    for i, digit in enumerate(text):
        low = 1 if i == 0 else 0
        if int(digit) > low:
            alternatives.append(
                text[:i].encode()
                + b"[%d-%d]" % (low, int(digit) - 1)
                + (rb"\d{%d}" % (len(text) - i - 1) if i < len(text) - 1 else b"")
            )
    alternatives.append(text.encode())
    # fewer digits last (most rows of a large sheet have as many as the last), taken whole (a row
    # number never gives back a digit)
    if len(text) > 1:
        alternatives.append(rb"[1-9]\d{0,%d}+" % (len(text) - 2))
    return b"(?:" + b"|".join(alternatives) + b")"


def _up_to_column(letters: str) -> bytes:
    """A pattern for the column letters A..letters."""
    alternatives = []
    if len(letters) > 1:
        alternatives.append(b"[A-Z]{1,%d}" % (len(letters) - 1))
    for i, ch in enumerate(letters):
        if ch > "A":
            alternatives.append(
                letters[:i].encode()
                + b"[A-%s]" % chr(ord(ch) - 1).encode()
                + (b"[A-Z]{%d}" % (len(letters) - i - 1) if i < len(letters) - 1 else b"")
            )
    alternatives.append(letters.encode())
    return b"(?:" + b"|".join(alternatives) + b")"


def _edge_guess(xml: bytes) -> tuple[int, int]:
    """The last row and the widest column the sheet seems to have (its dimension, its first and last
    cells): a guess the survey then holds every cell to."""
    rows, cols = 1, 0
    dimension = _DIMENSION.search(xml, 0, SURVEY_EDGE)
    if dimension:
        cols, rows = column_index(dimension[1].decode()), int(dimension[2])
    for part in (xml[:SURVEY_EDGE], xml[-SURVEY_EDGE:]):
        for letters, number in _CELL_REF.findall(part):
            cols, rows = max(cols, column_index(letters.decode())), max(rows, int(number))
    tail = xml.rfind(b'<row r="', len(xml) - SURVEY_EDGE)
    if tail >= 0 and (last := _ROW_REF.match(xml, tail)):
        rows = max(rows, int(last[1]))
    return rows, cols


class _Misread(Exception):
    """calamine's rows do not add up (a version that counts them otherwise): the own reader reads it."""


class _Survey:
    """What one sheet's XML holds that calamine does not show, or None when it is odd (read by the own reader)."""

    def __init__(self) -> None:
        self.values = 0  # value elements (<v> with text, inline strings)
        self.errors: dict[tuple[int, int], str] = {}  # (row, column index) -> "#REF!"
        self.formulas_without_value: list[str] = []


def _survey(xml: bytes, archive: Archive, title: str) -> _Survey | None:
    """What calamine will not show of one sheet, or None when the sheet is odd. Each test is one pass of
    a byte pattern over the sheet's XML (a few hundredths of a second for 50,000 rows)."""
    inline = xml.count(b"<is>")
    if (
        _DTD.search(xml, 0, SURVEY_EDGE)  # a DTD stands before the root element
        or _PREFIXED.search(xml)
        or (inline and _UNPRESERVED.search(xml))
    ):
        return None
    archive.spend(xml.count(b"<c ") + xml.count(b"<row"), f"sheet {title}")
    survey = _Survey()
    formulas = [found.end() for found in _FORMULA.finditer(xml)]
    survey.values = xml.count(b"<v>") + inline - (xml.count(b"<v></v>") if formulas else 0)
    if not _within_grid(xml, survey.values):
        return None
    for found in _ERROR.finditer(xml):
        cell, value = _cell_value(xml, found.end())
        if cell and value:
            survey.errors[(int(cell[2]), column_index(cell[1].decode()))] = value.decode(
                "utf-8", "replace"
            )
    for after in formulas:
        cell, value = _cell_value(xml, after)
        if cell and not value:
            survey.formulas_without_value.append((cell[1] + cell[2]).decode())
    return survey


def _within_grid(xml: bytes, values: int) -> bool:
    """Every cell written as spreadsheet programs write it (`<c r="B14"`), inside a grid of at most
    PAD_FREE + GRID_PER_VALUE * values positions. The grid is guessed from the sheet's ends and grown
    when a cell lies past it (a wide row in the middle), a few times at most."""
    rows, cols = _edge_guess(xml)
    position = 0
    for _ in range(GRID_GROWTHS):
        if rows > MAX_ROW or cols >= MAX_COLUMN:
            return False
        if rows * (cols + 1) > PAD_FREE + GRID_PER_VALUE * values:
            return False
        odd = re.compile(
            rb'<c(?! r="' + _up_to_column(column_letter(cols)) + _up_to_number(rows) + rb'")[\s>/]'
        )
        found = odd.search(xml, position)
        if found is None:
            return True
        cell = _CELL_REF.match(xml, found.start())
        if cell is None or cell[2].startswith(b"0"):
            return False  # written as no spreadsheet program writes it
        rows, cols = max(rows, int(cell[2])), max(cols, column_index(cell[1].decode()))
        position = found.start()
    return False


def _cell_value(xml: bytes, inside: int) -> tuple[re.Match[bytes] | None, bytes]:
    """The cell (its reference's letters and row) around position `inside`, and its <v> text."""
    cell = _CELL_REF.match(xml, xml.rfind(b"<c ", 0, inside))
    end = xml.find(b"</c>", inside)
    value = _VALUE.search(xml, inside, end) if cell and end > 0 else None
    return cell, value[1] if value else b""


def read_sheets(
    path: Path, max_inflated_bytes: int | None = None, max_cell_chars: int | None = None
) -> list[SheetData]:
    """Every sheet of the workbook, read by calamine where the survey allows it, else by the own reader.

    Raises xlsx_reader.Hostile or Unsupported as the own reader does."""
    path = Path(path)
    if path.suffix.lower() in OTHER_FORMATS:
        if path.suffix.lower() != ".xls":
            check_archive(path, max_inflated_bytes)
        return _read_in_child(path)
    sheets = _read_surveyed(path, max_inflated_bytes, max_cell_chars)
    return sheets if sheets is not None else read_own(path, max_inflated_bytes, max_cell_chars)


def _read_surveyed(
    path: Path, max_inflated: int | None, max_cell_chars: int | None = None
) -> list[SheetData] | None:
    """The sheets read by calamine, or None when the own reader must read the workbook."""
    archive = Archive(path, max_inflated)  # the declared sizes are checked before anything inflates
    with archive.zip:
        titles, _, parts = workbook_parts(archive)
        if archive.find(_MAIN) != _MAIN or not _plain_parts(archive, parts):
            return None
        surveys = []
        for title, member, _hidden in titles:
            found = archive.find(member) if member else None
            survey = _survey(archive.read(found), archive, title) if found else None
            if survey is None:
                return None  # an odd sheet, or a missing one the own reader names
            surveys.append(survey)
    return _from_calamine(path, titles, surveys, max_cell_chars or MAX_CELL_CHARS)


def _plain_parts(archive: Archive, parts: dict[str, str]) -> bool:
    """The string table and the styles inflate as declared and hold no DTD; the strings are counted."""
    for kind in ("sharedStrings", "styles"):
        if kind in parts:
            xml = archive.read(parts[kind])
            if _DTD.search(xml) or _UNPRESERVED.search(xml):
                return False
            if kind == "sharedStrings":
                archive.spend(xml.count(b"<si"), "the shared strings")
    return True


def _from_calamine(
    path: Path, titles: list[tuple[str, str, bool]], surveys: list[_Survey], cap: int
) -> list[SheetData] | None:
    try:
        import python_calamine
    except ImportError:  # the dependency is missing: the own reader reads everything
        return None
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError as exc:
        raise Unsupported("it is password-protected") from exc
    except python_calamine.CalamineError:
        return None  # the own reader names what is wrong
    with book:
        if book.sheet_names != [title for title, _, _ in titles]:
            return None
        result = []
        for (title, _, hidden), survey in zip(titles, surveys, strict=True):
            try:
                sheet = book.get_sheet_by_name(title)
                rows, values, checked = _rows(sheet, survey.errors, cap)
            except (python_calamine.CalamineError, _Misread):
                return None  # the own reader names what is wrong
            if values != survey.values:
                return None  # a cell calamine placed over another, or a value it read as empty
            data = SheetData(
                title=title, hidden=hidden, rows=iter(rows), merged=_merged(sheet), checked=checked
            )
            data.formulas_without_value = survey.formulas_without_value
            result.append(data)
    return result


def _merged(sheet: Any) -> list[str]:
    """The sheet's merged ranges as Excel names them ("B2:B4"); none where calamine cannot see them (.ods)."""
    return [
        f"{column_letter(c1)}{r1 + 1}:{column_letter(c2)}{r2 + 1}"
        for (r1, c1), (r2, c2) in sheet.merged_cell_ranges or []
    ]


def _rows(
    sheet: Any, errors: dict[tuple[int, int], str], cap: int | None = None
) -> tuple[list[tuple[int, list[Any]]], int, int | None]:
    """(row number, values by column) for every row with a value, how many values there are, and
    the cap the rows were checked against: no row blank, no text over `cap` characters (None: not
    checked).

    calamine's grid starts at the sheet's first value: each row keeps its real number and each value its
    real column (B14 stays B14). An empty cell is None, a whole number an int, as the own reader gives;
    an error value (calamine shows it empty) is put back from `errors`. A row of blank text (spaces)
    is left out here when `cap` is given; a text over it is left to the table reader, which cuts it
    with a note (the rows are then not checked)."""
    start = sheet.start
    if start is None:
        return [], 0, cap
    longest = cap if cap is not None else sys.maxsize
    first_col = start[1]
    pad = [None] * first_col
    by_row = _errors_by_row(errors, first_col)
    # an error's text is the file's: any length
    long = any(len(code) > longest for code in errors.values())
    out = []
    total = number = 0
    # iter_rows gives the rows above the first value as empty rows: its rows are counted from row 1
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        values = [
            # "" is an empty cell; a text over the cap is kept (and marks the rows unchecked)
            ((v or None) if len(v) <= longest or not (long := True) else v)
            if v.__class__ is str
            else v
            if v.__class__ is not float
            else int(v)
            if v.is_integer() and -1e15 < v < 1e15
            else v
            if v - v == 0  # NaN and infinities are odd: the count will not match
            else None
            for v in cells
        ]
        if by_row:
            for col, code in by_row.get(number, ()):
                if 0 <= col < len(values):
                    values[col] = code
        count = len(values) - values.count(None)
        if count:
            total += count
            if cap is None or not all_blank(values):
                out.append((number, pad + values if first_col else values))
    if number != sheet.end[0] + 1:
        raise _Misread(
            f"calamine gave {number:,} rows for sheet {sheet.name}, not {sheet.end[0] + 1:,}"
        )
    return out, total, None if long else cap


def _errors_by_row(
    errors: dict[tuple[int, int], str], first_col: int
) -> dict[int, list[tuple[int, str]]]:
    """Row number -> (place in calamine's row, error text) of each error value."""
    by_row: dict[int, list[tuple[int, str]]] = {}
    for (row, col), code in errors.items():
        by_row.setdefault(row, []).append((col - first_col, code))
    return by_row


def _read_in_child(path: Path) -> list[SheetData]:
    """An .xls, .xlsb or .ods read by calamine in a child process capped in memory and CPU time."""
    import pickle  # imported here: an .xlsx never needs a child process
    import subprocess

    def cap() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY, CHILD_MEMORY))
        resource.setrlimit(resource.RLIMIT_CPU, (CHILD_SECONDS, CHILD_SECONDS))

    try:
        done = subprocess.run(
            [sys.executable, "-m", __name__, str(path)],
            capture_output=True,
            preexec_fn=cap if os.name == "posix" else None,  # no resource limits elsewhere
            timeout=2 * CHILD_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise Hostile(f"reading it took more than {2 * CHILD_SECONDS} s") from exc
    if done.returncode == 3:
        raise Unsupported(done.stderr.decode("utf-8", "replace").strip()[:300] or "calamine failed")
    if done.returncode != 0:
        raise Hostile(
            f"reading it needs more than {CHILD_MEMORY >> 30} GB of memory or {CHILD_SECONDS} s "
            "(cells far apart, or repeated millions of times?)"
        )
    return [
        SheetData(title=title, hidden=hidden, rows=iter(rows), merged=merged)
        for title, hidden, rows, merged in pickle.loads(done.stdout)
    ]


def _child(path: str) -> int:
    """Read every sheet with calamine and write them pickled to stdout; exit 3 with the reason on stderr."""
    import pickle

    import python_calamine

    try:
        with python_calamine.CalamineWorkbook.from_path(path) as book:
            out = []
            for meta in book.sheets_metadata:
                sheet = book.get_sheet_by_name(meta.name)
                hidden = meta.visible != python_calamine.SheetVisibleEnum.Visible
                out.append((meta.name, hidden, _rows(sheet, {})[0], _merged(sheet)))
    except python_calamine.PasswordError:
        sys.stderr.write("it is password-protected")
        return 3
    except (python_calamine.CalamineError, _Misread) as exc:
        sys.stderr.write(str(exc) or type(exc).__name__)
        return 3
    sys.stdout.buffer.write(pickle.dumps(out, protocol=pickle.HIGHEST_PROTOCOL))
    return 0


if __name__ == "__main__":
    raise SystemExit(_child(sys.argv[1]))
