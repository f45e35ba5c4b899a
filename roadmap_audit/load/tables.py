"""Raw tables out of files: workbook sheets and CSV files as rows of cell values.

This layer knows file formats, not meanings. It finds the header row, gives every
value its row number and column letter, and turns an unreadable file into one
`InputError` line that says what is wrong and what to do.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from .values import is_blank

# Openpyxl and the csv module both cap nothing by default; these keep a hostile
# file from eating the machine. Config can raise them.
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
HEADER_SCAN_ROWS = 10

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, or an encrypted .xlsx
_ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class RawSheet:
    """One sheet or CSV file: header cells and the data rows under them."""

    title: str  # sheet name, or the CSV file name
    source: str  # file name as the user gave it
    header_row: int  # 1-based; 0 when the sheet is empty
    headers: list[str]  # header text per column position ("" where blank)
    letters: list[str]  # spreadsheet column letter per position
    rows: list[tuple[int, list[Any]]]  # (1-based row number, values), blank rows left out
    notes: list[tuple[int | None, str]]  # (row, problem) found while reading (encoding, cut cells)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _check_file(path: Path, display: str) -> bytes:
    if not path.exists():
        raise InputError("file not found", where=display, hint="check the path")
    if path.is_dir():
        raise InputError("is a folder, not a file", where=display)
    size = path.stat().st_size
    if size == 0:
        raise InputError("the file is empty", where=display, hint="export the plan again")
    if size > MAX_FILE_BYTES:
        raise InputError(
            f"the file is {size / 1e6:.0f} MB, over the {MAX_FILE_BYTES / 1e6:.0f} MB limit",
            where=display,
            hint="split the plan, or raise limits.max_file_mb in the config",
        )
    with path.open("rb") as fh:
        return fh.read(8)


def read_workbook(path: Path, display: str) -> list[RawSheet]:
    """Every sheet of an .xlsx file, read with cached values (not formulas)."""
    magic = _check_file(path, display)
    if magic.startswith(_OLE_MAGIC):
        raise InputError(
            "is an old-style .xls or a password-protected workbook, which cannot be read",
            where=display,
            hint="open it in a spreadsheet program, remove the password and save as .xlsx",
        )
    if not magic.startswith(_ZIP_MAGIC):
        raise InputError(
            "is not an .xlsx workbook (it is not a zip archive)",
            where=display,
            hint="save it as .xlsx, or pass a .csv file",
        )
    from . import xlsx_reader

    try:
        return _read_streaming(xlsx_reader.read_sheets(path), display)
    except xlsx_reader.Hostile as exc:
        raise InputError(f"was refused: {exc}", where=display,
                         hint="open it in a spreadsheet program and save a clean copy") from exc
    except xlsx_reader.Unsupported:
        return _read_openpyxl(path, display)
    except InputError:
        raise
    except Exception as exc:  # expat, zlib, CRC and truncation errors of a damaged archive
        raise InputError(
            f"could not be read to the end ({_short(exc)})",
            where=display,
            hint="the file may be truncated or damaged: export or save it again",
        ) from exc


def _read_streaming(sheets, display: str) -> list[RawSheet]:
    result = []
    for data in sheets:
        sheet = _sheet_from_rows(data.title, display, (values for _, values in _numbered(data.rows)))
        if data.hidden:
            sheet.notes.append((None, f"sheet {data.title} is hidden in the workbook; it was read like any other"))
        for ref in data.formulas_without_value:
            row = int(ref[len(ref.rstrip("0123456789")):] or 0) or None
            sheet.notes.append((row, f"cell {ref} has a formula with no saved value (the workbook was never "
                                     "recalculated and saved); it was read as empty"))
        if data.merged:
            _fill_merged(sheet, data.merged)
        result.append(sheet)
    return result


def _numbered(rows):
    """Rows with gaps filled by empty rows, so enumerate() in _sheet_from_rows keeps exact numbers."""
    expected = 1
    for number, values in rows:
        while expected < number:
            yield expected, []
            expected += 1
        yield number, values
        expected = number + 1


def _fill_merged(sheet: RawSheet, ranges: list[str]) -> None:
    """A merged range shows one value across its cells: give each data row that value."""
    from .xlsx_reader import _CELL_REF, column_index

    by_row = {number: values for number, values in sheet.rows}
    for ref in ranges:
        corners = [_CELL_REF.match(part) for part in ref.split(":")]
        if len(corners) != 2 or not all(corners):
            continue
        c1, r1 = column_index(corners[0].group(1)), int(corners[0].group(2))
        c2, r2 = column_index(corners[1].group(1)), int(corners[1].group(2))
        top = by_row.get(r1)
        if top is None or c1 >= len(top) or is_blank(top[c1]):
            continue
        filled = []
        for r in range(r1, r2 + 1):
            row = by_row.get(r)
            if row is None:
                continue
            for c in range(c1, c2 + 1):
                if (r, c) == (r1, c1):
                    continue
                if c >= len(row):
                    row.extend([None] * (c + 1 - len(row)))
                if is_blank(row[c]):
                    row[c] = top[c1]
                    filled.append(r)
        if filled:
            sheet.notes.append((r1, f"cells {ref} are merged; the value of {ref.split(':')[0]} was used for "
                                    f"rows {min(filled)}-{max(filled)}"))


def _read_openpyxl(path: Path, display: str) -> list[RawSheet]:
    import openpyxl  # imported here so `--help` stays instant

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for broken archives
        raise InputError(
            f"cannot be opened as a workbook ({_short(exc)})",
            where=display,
            hint="the file may be truncated or damaged: export or save it again",
        ) from exc
    try:
        sheets = []
        for ws in wb.worksheets:
            # A workbook without a <dimension> record would otherwise be parsed twice
            # (once to size it); rows still come with their exact numbers.
            ws.reset_dimensions()
            sheets.append(_sheet_from_rows(ws.title, display, ws.iter_rows(values_only=True)))
        return sheets
    except InputError:
        raise
    except Exception as exc:
        raise InputError(
            f"could not be read to the end ({_short(exc)})",
            where=display,
            hint="the file may be truncated or damaged: export or save it again",
        ) from exc
    finally:
        wb.close()


def _decode(data: bytes, display: str) -> tuple[str, str | None]:
    """Text of a CSV file, and a note when it was not plain UTF-8."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        try:
            return data.decode("cp1252"), "the file is not UTF-8; it was read as Windows-1252 (cp1252)"
        except UnicodeDecodeError:
            text = data.decode("utf-8", errors="replace")
            return text, f"the file has bytes that are not UTF-8 (first at byte {exc.start}); they show as �"


def _sniff_delimiter(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def read_csv(path: Path, display: str, title: str | None = None) -> RawSheet:
    """One CSV file as a sheet. The delimiter and encoding are detected."""
    _check_file(path, display)
    data = path.read_bytes()
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            "is a binary file, not CSV text",
            where=display,
            hint="export the plan as CSV (UTF-8) or .xlsx",
        )
    text, note = _decode(data, display)
    delimiter = _sniff_delimiter(text[:65536])
    csv.field_size_limit(MAX_CELL_CHARS * 4)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        sheet = _sheet_from_rows(title or Path(display).name, display, reader)
    except csv.Error as exc:
        raise InputError(
            f"is not valid CSV near record {reader.line_num} ({exc})",
            where=display,
            hint="check the quoting on that line, or export the file again",
        ) from exc
    if note:
        sheet.notes.insert(0, (None, note))
    return sheet


def _sheet_from_rows(title: str, display: str, rows: Iterator[Any]) -> RawSheet:
    """Find the header row and keep the data rows under it, with row numbers."""
    sheet = RawSheet(title, display, 0, [], [], [], [])
    pending: list[tuple[int, list[Any]]] = []
    for number, values in enumerate(rows, start=1):
        values = list(values)
        if all(is_blank(v) for v in values):
            continue
        values = _cap_cells(values, number, sheet)
        if sheet.header_row == 0:
            pending.append((number, values))
            if len(pending) >= HEADER_SCAN_ROWS or _looks_like_header(values):
                _take_header(sheet, pending)
                pending = []
            continue
        sheet.rows.append((number, values))
    if sheet.header_row == 0 and pending:
        _take_header(sheet, pending)
    return sheet


def _looks_like_header(values: list[Any]) -> bool:
    """A header row is mostly text and has at least two named cells."""
    filled = [v for v in values if not is_blank(v)]
    texts = [v for v in filled if isinstance(v, str)]
    return len(texts) >= 2 and len(texts) >= 0.8 * len(filled)


def _take_header(sheet: RawSheet, pending: list[tuple[int, list[Any]]]) -> None:
    """The first header-like row of those seen is the header; rows above it are titles."""
    index = next((i for i, (_, v) in enumerate(pending) if _looks_like_header(v)), 0)
    for number, _ in pending[:index]:
        sheet.notes.append((number, "row above the header row was skipped (a title or note)"))
    number, values = pending[index]
    sheet.header_row = number
    sheet.headers = ["" if is_blank(v) else str(v).strip() for v in values]
    sheet.letters = [column_letter(i) for i in range(len(values))]
    sheet.rows.extend(pending[index + 1 :])


def _cap_cells(values: list[Any], number: int, sheet: RawSheet) -> list[Any]:
    for i, v in enumerate(values):
        if isinstance(v, str) and len(v) > MAX_CELL_CHARS:
            values[i] = v[:MAX_CELL_CHARS]
            sheet.notes.append((number, f"cell {column_letter(i)}{number} was cut to {MAX_CELL_CHARS} characters"))
    return values


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]


def is_zip(path: Path) -> bool:
    return zipfile.is_zipfile(path)
