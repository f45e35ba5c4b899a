"""Raw tables out of files: workbook sheets and CSV files as rows of cell values.

This layer knows file formats, not meanings. It finds the header row, gives every
value its row number and column letter, and turns an unreadable file into one
`InputError` line that says what is wrong and what to do.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import Limits
from ..errors import InputError
from .cells import all_blank, is_blank
from .xlsx_reader import (
    column_letter,  # one converter of column numbers to letters, beside the reader
)

# Openpyxl and the csv module cap nothing by default; the caps on file size, rows
# per sheet and characters per cell come from [limits] in the config
# (config.Limits holds the defaults) and are passed down as `limits`.
HEADER_SCAN_ROWS = 10

_UTF8_PAIR = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")
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
    # (row, column letter, problem) found while reading: encoding, merged ranges, cut cells
    notes: list[tuple[int | None, str | None, str]]


def check_file(path: Path, display: str, limits: Limits | None = None) -> bytes:
    """The first 8 bytes of an input file (its magic number), after refusing a missing file, a
    folder, an empty file or one over [limits] max_file_mb with one InputError naming it."""
    limits = limits or Limits()
    if not path.exists():
        raise InputError("file not found", where=display, hint="check the path")
    if path.is_dir():
        raise InputError("is a folder, not a file", where=display)
    size = path.stat().st_size
    if size == 0:
        raise InputError("the file is empty", where=display, hint="export the plan again")
    if size > limits.max_file_bytes:
        raise InputError(
            f"the file is {_mb(size)} MB, over the limit of {_mb(limits.max_file_bytes)} MB set by "
            "[limits] max_file_mb",
            where=display,
            hint="raise it in the config, e.g. [limits] max_file_mb = "
            f"{max(int(size / 1024 / 1024) + 1, 2 * int(limits.max_file_mb))}, or split the plan",
        )
    with path.open("rb") as fh:
        return fh.read(8)


def _mb(size: float) -> str:
    mb = size / 1024 / 1024
    return f"{mb:.0f}" if mb >= 10 else f"{mb:.2g}"


def read_workbook(path: Path, display: str, limits: Limits | None = None) -> list[RawSheet]:
    """Every sheet of an .xlsx file, read with cached values (not formulas)."""
    limits = limits or Limits()
    magic = check_file(path, display, limits)
    if magic.startswith(_OLE_MAGIC) and path.suffix.lower() != ".xls":
        raise InputError(
            "is an old-style .xls or a password-protected workbook, which cannot be read",
            where=display,
            hint="open it in a spreadsheet program, remove the password and save as .xlsx",
        )
    if not magic.startswith(_ZIP_MAGIC) and path.suffix.lower() != ".xls":
        raise InputError(
            "is not an .xlsx workbook (it is not a zip archive)",
            where=display,
            hint="save it as .xlsx, or pass a .csv file",
        )
    from . import calamine_reader, xlsx_reader

    try:
        return _read_streaming(
            calamine_reader.read_sheets(path, limits.max_inflated_bytes, limits.max_cell_chars),
            display,
            limits,
        )
    except xlsx_reader.Hostile as exc:
        raise InputError(
            f"was refused: {exc}",
            where=display,
            hint="open it in a spreadsheet program and save a clean copy",
        ) from exc
    except xlsx_reader.Unsupported as exc:
        # No fallback to another reader: openpyxl caps neither the XML it inflates nor the empty rows
        # and cells it makes of a gap, so it would undo every bound above.
        raise InputError(
            f"cannot be opened as a workbook ({_short(exc)})",
            where=display,
            hint="the file may be truncated or damaged: open it in a spreadsheet program and save "
            "it again as .xlsx",
        ) from exc
    except InputError:
        raise
    except Exception as exc:  # expat, zlib, CRC and truncation errors of a damaged archive
        raise InputError(
            f"could not be read to the end ({_short(exc)})",
            where=display,
            hint="the file may be truncated or damaged: export or save it again",
        ) from exc


def _read_streaming(sheets, display: str, limits: Limits | None = None) -> list[RawSheet]:
    limits = limits or Limits()
    result = []
    for data in sheets:
        # rows a reader checked against this cap (none blank, no text over it) are taken as they are
        checked = data.checked == limits.max_cell_chars
        sheet = _sheet_from_rows(
            data.title, display, data.rows, limits, numbered=True, checked=checked
        )
        sheet.notes.extend(data.notes)
        if data.hidden:
            sheet.notes.append(
                (
                    None,
                    None,
                    f"sheet {data.title} is hidden in the workbook; it was read like any other",
                )
            )
        for ref in data.formulas_without_value:
            letters = ref.rstrip("0123456789")
            row = int(ref[len(letters) :] or 0) or None
            sheet.notes.append(
                (
                    row,
                    letters or None,
                    f"cell {ref} has a formula with no saved value (the workbook "
                    "was never recalculated and saved); it was read as empty",
                )
            )
        if data.merged:
            _fill_merged(sheet, data.merged)
        result.append(sheet)
    return result


def _fill_merged(sheet: RawSheet, ranges: list[str]) -> None:
    """A merged range shows one value across its cells: give each data row that value.

    A row whose only content is a merged cell (blank in the file, not on screen) is a data
    row too, up to the sheet's last row with content of its own."""
    from .xlsx_reader import _CELL_REF, PAD_FREE, column_index

    by_row = {number: values for number, values in sheet.rows}
    last = max(by_row, default=0)
    budget = (
        PAD_FREE  # cells a sheet's merged ranges may fill: a range over a whole sheet costs no more
    )
    skipped: list[str] = []
    for ref in ranges:
        corners = [_CELL_REF.fullmatch(part) for part in ref.split(":")]
        first, last_corner = corners if len(corners) == 2 else (None, None)
        if first is None or last_corner is None:
            continue
        c1, r1 = column_index(first.group(1)), int(first.group(2))
        c2, r2 = column_index(last_corner.group(1)), int(last_corner.group(2))
        top = by_row.get(r1)
        if top is None or c1 >= len(top) or is_blank(top[c1]):
            continue
        # only the rows and header columns the sheet has: a range to XFD1048576 fills no more
        r2, c2 = min(r2, last), min(c2, max(c1, len(sheet.headers) - 1))
        budget -= max(0, r2 - r1 + 1) * max(0, c2 - c1 + 1)
        if budget < 0:
            skipped.append(ref)
            continue
        filled = []
        for r in range(r1, r2 + 1):
            row = by_row.get(r)
            if row is None:
                if not sheet.header_row < r <= last:
                    continue
                row = by_row[r] = []
                sheet.rows.append((r, row))
            for c in range(c1, c2 + 1):
                if (r, c) == (r1, c1):
                    continue
                if c >= len(row):
                    row.extend([None] * (c + 1 - len(row)))
                if is_blank(row[c]):
                    row[c] = top[c1]
                    filled.append(r)
        if filled:
            sheet.notes.append(
                (
                    r1,
                    column_letter(c1),
                    f"cells {ref} are merged; the value of {ref.split(':')[0]} "
                    f"was used for rows {min(filled)}-{max(filled)}",
                )
            )
    if skipped:
        sheet.notes.append(
            (
                None,
                None,
                f"{len(skipped):,} merged ranges ({', '.join(skipped[:5])}"
                f"{' and more' if len(skipped) > 5 else ''}) would fill more than "
                f"{PAD_FREE:,} cells; their value was left in their first cell only",
            )
        )
    sheet.rows.sort(key=lambda numbered: numbered[0])


def _read_openpyxl(path: Path, display: str, limits: Limits | None = None) -> list[RawSheet]:
    """The same sheets read by openpyxl: the reference the tests hold the streaming reader to.

    Never used to read a plan: openpyxl caps neither the XML it inflates nor the rows and
    cells it makes of a gap (see read_workbook)."""
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
            sheets.append(
                _sheet_from_rows(ws.title, display, ws.iter_rows(values_only=True), limits)
            )
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


def decode_text(data: bytes, *, legacy: str | None = "cp1252") -> tuple[str, str | None]:
    """Text of a CSV file, and a note when it was not plain UTF-8.

    UTF-8 (with or without a BOM) and UTF-16 or UTF-32 with a BOM are read as such. A file that is
    not UTF-8 and shows no trace of UTF-8 was saved by a Windows program and is read as
    `legacy` (cp1252); otherwise bad bytes show as U+FFFD. Never raises.
    """
    if data.startswith(
        (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
    ):  # before UTF-16: FF FE starts both
        text = data.decode("utf-32", errors="replace")
        return text, (
            "the UTF-32 file has bytes that do not decode (cut short?); they show as \ufffd"
            if "\ufffd" in text
            else None
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
        return text, (
            "the UTF-16 file has bytes that do not decode (an odd length: cut short?); "
            "they show as \ufffd"
        ) if "\ufffd" in text else None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        # a lead byte followed by a continuation byte is UTF-8 (perhaps cut); in cp1252 text it is rare
        if legacy and not _UTF8_PAIR.search(data):
            try:
                return data.decode(
                    legacy
                ), f"the file is not UTF-8; it was read as Windows-1252 ({legacy})"
            except UnicodeDecodeError:
                pass
        return (
            text,
            f"the file has bytes that are not UTF-8 (first at byte {exc.start}); they show as \ufffd",
        )


def _sniff_delimiter(sample: str) -> str:
    """The delimiter that splits the first line into cells and cuts the first records into
    the same number of cells most often.

    (csv.Sniffer guesses from character frequencies and is fooled by a delimiter inside
    the quoted cells of a short file.) A first line of one cell (a title above the header)
    decides nothing. Ties go to the comma, then ; tab |."""
    best, best_score = ",", (False, 0, 0)
    for delimiter in ",;\t|":
        try:
            records = [
                r
                for r in itertools.islice(
                    csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter), 20
                )
                if any(c.strip() for c in r)
            ]
        except csv.Error:
            continue
        widths = Counter(len(r) for r in records if len(r) > 1)
        if widths:
            width, count = max(widths.items(), key=lambda wc: (wc[1], wc[0]))
            score = (len(records[0]) > 1, count, width)
            if score > best_score:
                best, best_score = delimiter, score
    return best


def csv_records(
    text: str, delimiter: str, notes: list[tuple[int | None, str | None, str]]
) -> Iterator[list[str]]:
    """The records of CSV text, read strictly; where the quoting is broken, leniently, with a note.

    Cells of any length are read (the file cap bounds the text), so that an over-long cell is
    cut and reported by the row reader rather than refused. A quote that is never closed would
    swallow the rest of the file into one cell: when the lines after it read as records of the
    file's width, its line is read on its own and the lines after it as the rows they are.
    `notes` gets (record number, None, problem) for every repair. Iterative and linear, however
    many lines are broken.
    """
    csv.field_size_limit(max(len(text), 1 << 17))
    lines = io.StringIO(text, newline="").readlines()
    del text  # the lines hold it now; a caller that lets go of the text frees it
    pos, count, width = (
        0,
        0,
        None,
    )  # first line not yet read; records yielded; cells in the first record
    while pos < len(lines):
        reader = csv.reader(
            (lines[i] for i in range(pos, len(lines))), delimiter=delimiter, strict=True
        )
        consumed, error = 0, None
        while True:
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                error = str(exc)
                break
            count, consumed = count + 1, reader.line_num
            width = width or (len(record) if record else None)
            yield record
        pos += consumed
        count += 1  # the broken record, yielded below
        lenient = csv.reader((lines[i] for i in range(pos, len(lines))), delimiter=delimiter)
        record = next(lenient, [])
        spanned = max(1, lenient.line_num)
        if "end of data" in error and spanned > 1:
            after = list(csv.reader(lines[pos + 1 : pos + 51], delimiter=delimiter))
            if width and sum(1 for r in after if len(r) == width) >= max(1, len(after) // 2):
                notes.append(
                    (
                        count,
                        None,
                        f"a quote opened in this row is never closed, so it would swallow the "
                        f"{_lines(spanned - 1)} after it into one cell; the row was read from its "
                        "own line alone and the lines after it as rows (check the quoting)",
                    )
                )
                yield _mend_unclosed(lines[pos], delimiter, width)
                pos += 1
                continue
            notes.append(
                (
                    count,
                    None,
                    f"a quote opened in this row is never closed; the {_lines(spanned)} from "
                    f"there to the end of the file (lines {pos + 1}-{pos + spanned}) were read as "
                    "this one row, so no row after it was read (check the quoting)",
                )
            )
            yield record
            return
        swallowed = (
            f"; lines {pos + 1}-{pos + spanned} of the file were read as this one row, so rows written "
            "on them are in its cells"
            if spanned > 1
            else ""
        )
        notes.append(
            (
                count,
                None,
                f"the quoting of this row is broken ({error}); it was read as written"
                f"{swallowed} (check the quoting)",
            )
        )
        yield record
        pos += spanned


def _lines(n: int) -> str:
    return f"{n} line" if n == 1 else f"{n} lines"


def _mend_unclosed(line: str, delimiter: str, width: int) -> list[str]:
    """One line whose last quoted cell never closes, read as `width` cells if it can be.

    The cells before the open quote are read as written; the quote is taken to close just
    where the cells after it line up with the file's columns."""
    cells = next(csv.reader([line], delimiter=delimiter), [])
    if not cells:
        return cells
    head, tail = cells[:-1], cells[-1].rstrip("\r\n").split(delimiter)
    wanted = width - len(head)
    if wanted < 1 or len(tail) <= wanted:
        return head + tail
    cut = len(tail) - wanted + 1
    return [*head, delimiter.join(tail[:cut]), *tail[cut:]]


def read_csv(
    path: Path, display: str, title: str | None = None, limits: Limits | None = None
) -> RawSheet:
    """One CSV file as a sheet. The delimiter and encoding are detected."""
    check_file(path, display, limits)
    data = path.read_bytes()
    if b"\x00" in data[:4096] and not data.startswith(
        (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
    ):
        raise InputError(
            "is a binary file, not CSV text",
            where=display,
            hint="export the plan as CSV (UTF-8) or .xlsx",
        )
    text, note = decode_text(data)
    notes: list[tuple[int | None, str | None, str]] = []
    records = csv_records(text, _sniff_delimiter(text[:65536]), notes)
    sheet = _sheet_from_rows(title or Path(display).name, display, records, limits, what="the file")
    sheet.notes[:0] = [(None, None, note)] if note else []
    sheet.notes.extend(notes)
    return sheet


def _sheet_from_rows(
    title: str,
    display: str,
    rows: Iterable[Any],
    limits: Limits | None = None,
    *,
    what: str | None = None,
    numbered: bool = False,
    checked: bool = False,
) -> RawSheet:
    """Find the header row and keep the data rows under it, with row numbers.

    More than `limits.max_rows` non-blank rows is an InputError, raised as soon as
    the cap is passed (the rest of the sheet is never read)."""
    sheet, body = sheet_and_rows(
        title, display, rows, limits, what=what, numbered=numbered, checked=checked
    )
    sheet.rows.extend(body)
    return sheet


def sheet_and_rows(
    title: str,
    display: str,
    rows: Iterable[Any],
    limits: Limits | None = None,
    *,
    what: str | None = None,
    numbered: bool = False,
    checked: bool = False,
) -> tuple[RawSheet, Iterator[tuple[int, list[Any]]]]:
    """The sheet with its header, and the data rows still to come, read as they are used.

    A large export is never held as rows: each becomes its record and is gone. The
    rows seen while looking for the header are already in `sheet.rows` (yield them
    first); notes on cut cells reach `sheet.notes` as the rows are read."""
    limits = limits or Limits()
    sheet = RawSheet(title, display, 0, [], [], [], [])
    # `numbered`: rows come as (row number, values) with gaps, as a workbook stores them;
    # `checked`: and as lists, none blank, no cell over the cap (a reader looked as it read them)
    numbered_rows = iter(rows) if numbered else enumerate(rows, start=1)
    read = numbered_rows if checked and numbered else _non_blank(numbered_rows, sheet, limits)
    pending: list[tuple[int, list[Any]]] = []
    for number, values in read:
        pending.append((number, values))
        if len(pending) >= HEADER_SCAN_ROWS or _looks_like_header(values):
            break
    if pending:
        _take_header(sheet, pending)
    return sheet, _capped(read, len(sheet.rows), limits.max_rows, display, what or f"sheet {title}")


def _non_blank(
    rows: Iterator[tuple[int, Any]], sheet: RawSheet, limits: Limits
) -> Iterator[tuple[int, list[Any]]]:
    cap = limits.max_cell_chars
    for number, values in rows:
        if values.__class__ is not list:  # a reader's own new list is used as it is
            values = list(values)
        if all_blank(values):
            continue
        for v in values:  # no cell is over the cap in almost every row: looked for inline
            if isinstance(v, str) and len(v) > cap:
                _cap_cells(values, number, sheet, cap)
                break
        yield number, values


def _capped(
    rows: Iterator[tuple[int, list[Any]]], taken: int, cap: int, display: str, what: str
) -> Iterator[tuple[int, list[Any]]]:
    if taken > cap:  # rows taken with a late header
        raise too_many_rows(display, what, "rows", cap)
    for row in rows:
        taken += 1
        if taken > cap:
            raise too_many_rows(display, what, "rows", cap)
        yield row


def _looks_like_header(values: list[Any]) -> bool:
    """A header row is mostly text and has at least two named cells."""
    filled = [v for v in values if not is_blank(v)]
    texts = [v for v in filled if isinstance(v, str)]
    return len(texts) >= 2 and len(texts) >= 0.8 * len(filled)


def _take_header(sheet: RawSheet, pending: list[tuple[int, list[Any]]]) -> None:
    """The first header-like row of those seen is the header; rows above it are titles."""
    index = next((i for i, (_, v) in enumerate(pending) if _looks_like_header(v)), 0)
    for number, _ in pending[:index]:
        sheet.notes.append((number, None, "row above the header row was skipped (a title or note)"))
    number, values = pending[index]
    sheet.header_row = number
    sheet.headers = ["" if is_blank(v) else str(v).strip() for v in values]
    sheet.letters = [column_letter(i) for i in range(len(values))]
    sheet.rows.extend(pending[index + 1 :])


def too_many_rows(display: str, what: str, unit: str, cap: int) -> InputError:
    """The one-line error for a sheet or export over limits.max_rows."""
    return InputError(
        f"{what} has more than {cap:,} {unit}, the limit set by [limits] max_rows",
        where=display,
        hint=f"raise it in the config, e.g. [limits] max_rows = {2 * cap}, or split the plan",
    )


def cut_note(what: str, length: int, cap: int) -> str:
    """The data-quality note for a value over limits.max_cell_chars."""
    return (
        f"{what} has {length:,} characters, over the limit of {cap:,}; only the first {cap:,} were read "
        "(raise [limits] max_cell_chars in the config to read more)"
    )


def _cap_cells(values: list[Any], number: int, sheet: RawSheet, cap: int) -> None:
    """Cut the row's cells over `cap` characters to it, each with a note."""
    long = [i for i, v in enumerate(values) if isinstance(v, str) and len(v) > cap]
    for i in long:
        v = values[i]
        values[i] = v[:cap]
        sheet.notes.append(
            (number, column_letter(i), cut_note(f"cell {column_letter(i)}{number}", len(v), cap))
        )


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]
