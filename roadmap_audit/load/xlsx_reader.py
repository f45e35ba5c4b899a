"""A streaming .xlsx reader: cell values with their exact row and column, every odd cell named.

Workbooks are read by python-calamine (calamine_reader.py); this reader reads what that module's survey
finds odd (references no spreadsheet program writes, rows out of order, far-apart cells, a DTD, a workbook
part in another place), and its archive checks and workbook parts serve the survey.

Why not only openpyxl: in read-only mode it hides merged ranges and cannot tell a
formula with no cached value from an empty cell, and it builds an element tree
for every cell. This reader feeds each sheet's XML to expat in chunks, keeps
cached values (never evaluates formulas), and reports what it saw: merged ranges,
formulas without values, hidden sheets, and every cell it could not read (named,
one note per cause). An archive that is no workbook at all raises `Unsupported`.

Safety, in bytes, time and memory alike (a small hostile file must not cost more
than a large honest one):
- a DTD or entity declaration is refused (a workbook never needs one);
- before anything is inflated, the archive's members may declare at most
  `max_inflated` bytes in all, and none may inflate more than MAX_RATIO times its
  compressed size (zipfile never inflates a member past its declared size, so the
  check also holds for openpyxl when the xlsx report copies the workbook);
- rows missing between two row numbers are skipped, never produced one by one;
- emptiness is counted: the empty positions a row holds before its last value, and
  the XML rows and cells that hold no value. A sheet with more than PAD_FREE of
  them, plus PAD_PER_CELL per value, is refused (a few values far apart, or
  millions of empty rows from a small file);
- rows, cells and shared strings count against an allowance of ELEMENTS_FREE plus
  ELEMENTS_PER_BYTE per byte of the file: reading costs time in proportion to it;
- a cell or shared string over `max_cell_chars` is counted as it is read, never
  held whole.
"""

from __future__ import annotations

import datetime as dt
import math
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.parsers import expat

MAX_INFLATED_BYTES = (
    1 << 30
)  # 1 GiB of XML across the archive, when the caller gives no cap (config.Limits does)
CHUNK = 1 << 16
# Convention of this project: Excel's own workbooks deflate 4-15x (the benchmark's 10k-item plan: 10x);
# a member that inflates more than 100x its compressed size (a zip bomb reaches 1,000x) is refused once
# it holds more than RATIO_FREE bytes; small members may compress as well as they like.
MAX_RATIO = 100
RATIO_FREE = 32 << 20
# Excel's sheet size (Excel specifications and limits): columns A..XFD, rows 1..1,048,576.
MAX_COLUMN = 16_384
MAX_ROW = 1_048_576
# Emptiness a sheet may hold (empty positions left of a row's values, XML rows and cells with no value):
# PAD_FREE, plus PAD_PER_CELL per value (convention of this project: a 60-column sheet with one value per
# row at its far end, or a million formatted empty rows, stays under it).
PAD_FREE = 2_000_000
PAD_PER_CELL = 64
NOTE_REFS = 5  # cells named in a note that gathers many
MAX_CELL_CHARS = 32_767  # when the caller gives no cap (config.Limits does)
# Rows and cells a workbook may hold: ELEMENTS_FREE, plus ELEMENTS_PER_BYTE per byte of its file. Saved
# workbooks hold 0.1-0.3 per byte (the sample plan, the benchmark's plans); a file packed 3x denser is made
# to cost time (each cell costs microseconds to read and model), so it is refused. Convention of this project.
ELEMENTS_FREE = 500_000
ELEMENTS_PER_BYTE = 1

_BUILTIN_DATE_FORMATS = {
    14,
    15,
    16,
    17,
    18,
    19,
    20,
    21,
    22,
    27,
    28,
    29,
    30,
    31,
    32,
    33,
    34,
    35,
    36,
    45,
    46,
    47,
    50,
    51,
    52,
    53,
    54,
    55,
    56,
    57,
    58,
}
_FORMAT_NOISE = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')
_CELL_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")


class Unsupported(Exception):
    """The archive is not a workbook this reader can find its way through (no workbook part, no sheets)."""


class Hostile(Exception):
    """The archive tries something no workbook needs (DTDs, entity expansion, a bomb)."""


@dataclass
class SheetData:
    title: str
    hidden: bool
    rows: Iterator[tuple[int, list]]  # (1-based row number, values by column), in order
    merged: list[str] = field(default_factory=list)  # filled while rows are read
    formulas_without_value: list[str] = field(default_factory=list)  # cell refs
    # (row, column letters, problem) for cells that could not be read, one per cause; complete once
    # the rows have been read
    notes: list[tuple[int | None, str | None, str]] = field(default_factory=list)
    # the rows are lists, none blank, no text over this many characters (the cell cap they were checked
    # against; None: not checked): the table reader takes them as they are when its cap is this one
    checked: int | None = None


def column_index(letters: str) -> int:
    index = 0
    for ch in letters.upper():
        index = index * 26 + (ord(ch) - 64)
    return index - 1


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


class _Odd:
    """Cells that could not be read, gathered per cause: one note each, naming the first cells."""

    def __init__(self) -> None:
        self.causes: dict[str, list[tuple[int, str]]] = {}
        self.counts: dict[str, int] = {}

    def add(self, cause: str, row: int, letters: str) -> None:
        refs = self.causes.setdefault(cause, [])
        self.counts[cause] = self.counts.get(cause, 0) + 1
        if len(refs) < NOTE_REFS:
            refs.append((row, letters))

    def notes(self) -> list[tuple[int | None, str | None, str]]:
        out: list[tuple[int | None, str | None, str]] = []
        for cause, refs in self.causes.items():
            count = self.counts[cause]
            row, letters = refs[0]
            named = ", ".join(f"{c}{r}" if c else f"row {r}" for r, c in refs)
            if count == 1:
                out.append(
                    (
                        row,
                        letters or None,
                        f"{'cell ' + letters + str(row) if letters else f'row {row}'}: {cause}",
                    )
                )
            else:
                more = f" and {count - len(refs):,} more" if count > len(refs) else ""
                what = "cells" if letters else "rows"
                out.append((row, letters or None, f"{count:,} {what} ({named}{more}): {cause}"))
        return out


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _is_date_format(code: str) -> bool:
    code = _FORMAT_NOISE.sub("", code).lower()
    return any(ch in code for ch in "dmyhs") and "general" not in code


class Archive:
    def __init__(self, path, max_inflated: int | None = None) -> None:
        self.max_inflated = max_inflated or MAX_INFLATED_BYTES
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise Unsupported(str(exc) or type(exc).__name__) from exc
        self.names = {i.filename: i for i in self.zip.infolist()}
        self.folded = {name.casefold(): name for name in self.names}
        self.inflated = 0
        check_sizes(self.zip.infolist(), self.max_inflated)
        self.allowance = ELEMENTS_FREE + ELEMENTS_PER_BYTE * sum(
            i.compress_size for i in self.zip.infolist()
        )
        self.elements = 0

    def spend(self, elements: int, where: str) -> None:
        """Count rows, cells and strings read; Hostile past the allowance for a file of this size."""
        self.elements += elements
        if self.elements > self.allowance:
            size = sum(i.compress_size for i in self.zip.infolist())
            raise Hostile(
                f"it packs more than {self.allowance:,} rows, cells and strings into {size / (1 << 20):,.1f} "
                f"MB (found in {where}): a saved workbook holds 0.1-0.3 per byte of its file, this one "
                f"more than {ELEMENTS_PER_BYTE} (a file generated to cost time?)"
            )

    def find(self, name: str) -> str | None:
        """The member of that name; zip names are case-sensitive, but Excel does not care."""
        return name if name in self.names else self.folded.get(name.casefold())

    def stream(self, name: str) -> Iterator[bytes]:
        member = self.find(name)
        if member is None:
            raise Unsupported(f"no {name} in the archive")
        with self.zip.open(self.names[member]) as fh:
            while chunk := fh.read(CHUNK):
                self.inflated += len(chunk)
                if self.inflated > self.max_inflated:
                    raise Hostile(_too_big(self.max_inflated))
                yield chunk

    def read(self, name: str) -> bytes:
        """One member whole: what `stream` gives, in one read (a sheet's XML inflated in 64 KiB
        chunks and joined costs a third more). zipfile inflates no more than the size the member
        declares (which check_sizes bounded) and checks its CRC at the end, as for `stream`."""
        member = self.find(name)
        if member is None:
            raise Unsupported(f"no {name} in the archive")
        info = self.names[member]
        with self.zip.open(info) as fh:
            data = fh.read(info.file_size)
            data += fh.read(
                CHUNK
            )  # nothing past the declared size: reaches the end and its CRC check
        self.inflated += len(data)
        if self.inflated > self.max_inflated:
            raise Hostile(_too_big(self.max_inflated))
        return data

    def parse(self, name: str, start=None, end=None, text=None) -> None:
        """Feed one member to expat with the given handlers."""
        parser = _parser()
        if start:
            parser.StartElementHandler = start
        if end:
            parser.EndElementHandler = end
        if text:
            parser.CharacterDataHandler = text
        for chunk in self.stream(name):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)


def _too_big(cap: int) -> str:
    return (
        f"it inflates to more than {cap / (1 << 20):,.0f} MB of XML (a zip bomb?; the cap is 5x "
        "[limits] max_file_mb, at least 1 GiB)"
    )


def check_sizes(infos: list[zipfile.ZipInfo], max_inflated: int | None = None) -> None:
    """Hostile when the members declare more than `max_inflated` bytes in all, or one of them
    inflates more than MAX_RATIO times its compressed size; nothing is inflated to tell."""
    cap = max_inflated or MAX_INFLATED_BYTES
    if sum(i.file_size for i in infos) > cap:
        raise Hostile(_too_big(cap))
    for info in infos:
        if info.file_size > RATIO_FREE and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise Hostile(
                f"its part {info.filename} inflates {info.file_size / max(info.compress_size, 1):,.0f} "
                f"times ({info.file_size / (1 << 20):,.0f} MB from {info.compress_size / (1 << 20):,.1f} "
                f"MB; a zip bomb?): a saved workbook compresses 4-15 times, never more than "
                f"{MAX_RATIO} times"
            )


def check_archive(path, max_inflated: int | None = None) -> None:
    """The same size checks, for a reader that opens the archive itself (openpyxl)."""
    try:
        with zipfile.ZipFile(path) as archive:
            check_sizes(archive.infolist(), max_inflated)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise Unsupported(str(exc) or type(exc).__name__) from exc


def _refuse(*_args) -> None:
    raise Hostile("it contains a DTD or entity declarations, which a workbook never needs")


def _parser():
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    return parser


def _relations(archive: Archive, part: str) -> list[tuple[str, str, str]]:
    """(id, type, member path) of the relationships of one part ("" for the package)."""
    folder, _, name = part.rpartition("/")
    rels_path = posixpath.join(folder, "_rels", f"{name}.rels")
    found: list[tuple[str, str, str]] = []
    if archive.find(rels_path) is None:
        return found

    def on_rel(tag, attrs):
        if _local(tag) == "Relationship" and attrs.get("TargetMode") != "External":
            target = attrs.get("Target", "")
            path = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(folder, target))
            )
            found.append((attrs.get("Id", ""), attrs.get("Type", ""), path))

    archive.parse(rels_path, start=on_rel)
    return found


def workbook_parts(archive: Archive) -> tuple[list[tuple[str, str, bool]], bool, dict[str, str]]:
    """(title, member path, hidden) for every sheet in tab order, the 1904 flag, and the workbook's
    parts by kind ("sharedStrings", "styles")."""
    sheets: list[tuple[str, str, bool]] = []
    date1904 = [False]
    # The package's relationships name the workbook part; Excel writes xl/workbook.xml, others need not.
    wb_path = next(
        (
            path
            for _, kind, path in _relations(archive, "")
            if kind.endswith("/officeDocument") and archive.find(path)
        ),
        None,
    ) or archive.find("xl/workbook.xml")
    if wb_path is None:
        raise Unsupported(
            "it has no workbook part (no xl/workbook.xml, and _rels/.rels names none)"
        )
    relations = _relations(archive, wb_path)
    rels = {rid: path for rid, _, path in relations}
    parts = {kind.rpartition("/")[2]: path for _, kind, path in relations if archive.find(path)}

    def on_wb(name, attrs):
        tag = _local(name)
        if tag == "sheet":
            rid = next((v for k, v in attrs.items() if _local(k) == "id"), None)
            sheets.append(
                (
                    attrs.get("name", "?"),
                    rels.get(rid or "", ""),
                    attrs.get("state", "visible") != "visible",
                )
            )
        elif tag == "workbookPr":
            date1904[0] = attrs.get("date1904", "0") in ("1", "true")

    archive.parse(wb_path, start=on_wb)
    return sheets, date1904[0], parts


_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(text: str) -> str:
    """OOXML's escapes for characters XML cannot hold: `_x000D_` is a carriage return, `_x005F_` an underscore
    (so `_x005F_x000D_` is the text `_x000D_`), as Excel and openpyxl read them."""
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def _int(text: str | None, default: int = 0) -> int:
    try:
        return int(text) if text else default
    except ValueError:
        return default


def _shared_strings(
    archive: Archive, name: str | None, cap: int, long: dict[int, int]
) -> list[str]:
    """The string table; a string over `cap` characters is cut, and `long` gets its index and length."""
    name = archive.find(name or "xl/sharedStrings.xml")
    if name is None:
        return []
    strings: list[str] = []
    parts: list[str] = []
    state = {"in_t": False, "in_phonetic": 0, "length": 0, "count": 0}

    def start(tag, attrs):
        tag = _local(tag)
        if tag == "si":
            parts.clear()
            state["length"] = 0
            state["count"] += 1
            if (
                state["count"] % 65536 == 0
            ):  # strings cost memory as cells cost time: the same allowance
                archive.spend(65536, "the shared strings")
        elif tag == "rPh":
            state["in_phonetic"] += 1
        elif tag == "t" and not state["in_phonetic"]:
            state["in_t"] = True

    def end(tag):
        tag = _local(tag)
        if tag == "si":
            text = _unescape("".join(parts))
            if state["length"] > cap:
                long[len(strings)] = state["length"]
                text = text[:cap]
            strings.append(text)
        elif tag == "rPh":
            state["in_phonetic"] -= 1
        elif tag == "t":
            state["in_t"] = False

    def text(data):
        if state["in_t"]:
            seen = state["length"]
            state["length"] = seen + len(data)
            if seen <= cap:  # a string of a gigabyte is counted, not held
                parts.append(data)

    archive.parse(name, start, end, text)
    return strings


def _date_styles(archive: Archive, name: str | None) -> set[int]:
    """Indexes of cell styles whose number format shows a date or time."""
    name = archive.find(name or "xl/styles.xml")
    if name is None:
        return set()
    custom: dict[int, str] = {}
    xfs: list[int] = []
    state = {"in_cell_xfs": False}

    def start(tag, attrs):
        tag = _local(tag)
        if tag == "numFmt":
            custom[_int(attrs.get("numFmtId"))] = attrs.get("formatCode", "")
        elif tag == "cellXfs":
            state["in_cell_xfs"] = True
        elif tag == "xf" and state["in_cell_xfs"]:
            xfs.append(_int(attrs.get("numFmtId")))

    def end(tag):
        if _local(tag) == "cellXfs":
            state["in_cell_xfs"] = False

    archive.parse(name, start, end)
    return {
        i
        for i, fmt in enumerate(xfs)
        if fmt in _BUILTIN_DATE_FORMATS or (fmt in custom and _is_date_format(custom[fmt]))
    }


def _from_serial(serial: float, date1904: bool):
    base = dt.datetime(1904, 1, 1) if date1904 else dt.datetime(1899, 12, 30)
    if not date1904 and serial < 61:
        serial += 1  # Excel's phantom 29 Feb 1900
    try:
        # to the millisecond, as Excel shows it: 14:05 stays 14:05, not 14:04:59.999999
        return base + dt.timedelta(milliseconds=round(serial * 86_400_000))
    except OverflowError:
        return serial


def _rows(
    archive: Archive,
    member: str,
    sheet: SheetData,
    strings: list[str],
    dates: set[int],
    date1904: bool,
    cap: int,
    long: dict[int, int],
) -> Iterator[tuple[int, list]]:
    """(row number, values by column) for every row with a cell, in the file's order.

    Row numbers are the file's own: a gap is a jump in the number, never a run of empty
    rows. A cell that cannot be read is left out and noted; the rest of the sheet is read."""
    # The handlers run once per XML element (several million times for a large plan),
    # so the state lives in closure variables and tag and column names are looked up once.
    parser = _parser()
    odd = _Odd()
    ready: list[tuple[int, list]] = []
    tags: dict[str, str] = {}
    columns: dict[str, int] = {}
    n_strings = len(strings)
    row, values, col, kind, style, ref = 0, None, 0, "n", 0, ""
    parts: list[str] = []
    capture = has_f = has_v = skip = False
    padded = cells = length = 0
    elements = 0  # rows and cells, against the workbook's allowance (see Archive.allowance)

    def empty(count: int) -> None:
        nonlocal padded
        padded += count
        if padded > PAD_FREE + PAD_PER_CELL * cells:
            raise Hostile(
                f"sheet {sheet.title} is mostly emptiness: reading it would hold or pass {padded:,} empty "
                f"cells and rows for {cells:,} values (the last near {column_letter(max(col, 0))}{row}); "
                "delete the stray cells and empty rows and save it again"
            )

    def start(name, attrs):
        nonlocal \
            row, \
            values, \
            col, \
            kind, \
            style, \
            ref, \
            parts, \
            capture, \
            has_f, \
            has_v, \
            skip, \
            length, \
            elements
        tag = tags.get(name) or tags.setdefault(name, _local(name))
        if tag == "c":
            elements += 1
            length = 0
            ref = attrs.get("r") or ""
            skip = False
            if ref:
                letters = ref.rstrip("0123456789")
                col = columns.get(letters)
                if col is None:
                    m = _CELL_REF.fullmatch(ref)
                    if not m:
                        odd.add(
                            "a cell's reference (its r attribute) names no cell; that cell was not read",
                            row,
                            "",
                        )
                        skip, col = True, -1
                    else:
                        col = column_index(m.group(1))
                        if col >= MAX_COLUMN:
                            odd.add(
                                "the column is past Excel's last column, XFD; the cell was not read",
                                row,
                                m.group(1).upper(),
                            )
                            skip = True
                        else:
                            columns[letters] = col
            else:
                col += 1
            kind = attrs.get("t", "n")
            s = attrs.get("s")
            if s:
                try:
                    style = int(s)
                except ValueError:
                    style = 0
                    odd.add(
                        "the cell's style index is not a number; its format was ignored (a date may read as a "
                        "number)",
                        row,
                        column_letter(col),
                    )
            else:
                style = 0
            parts = []
            has_f = has_v = False
        elif tag == "v" or (tag == "t" and kind == "inlineStr"):
            capture = has_v = True
        elif tag == "f":
            has_f = True
        elif tag == "row":
            elements += 1
            r = attrs.get("r")
            if r:
                try:
                    number = int(r)
                except ValueError:
                    number = 0
                if number < 1:
                    odd.add(
                        "the row's number (its r attribute) is not a row number; it was read as the row "
                        "after the one before it",
                        row + 1,
                        "",
                    )
                    number = row + 1
                elif number <= row:
                    odd.add(
                        "the row's number is not above the row before it in the file (rows out of order or "
                        "repeated); its cells are cited with the number the file gives",
                        number,
                        "",
                    )
                elif number > MAX_ROW:
                    odd.add(
                        f"the row's number is past Excel's last row ({MAX_ROW:,}); its cells were read and are "
                        "cited with that number",
                        number,
                        "",
                    )
                row = number
            else:
                row += 1
            values = []
            col = -1
        elif tag == "mergeCell":
            merged = attrs.get("ref")
            if merged:
                sheet.merged.append(merged)

    def end(name):
        nonlocal values, capture, padded, cells
        tag = tags.get(name) or tags.setdefault(name, _local(name))
        if tag == "v" or tag == "t":
            capture = False
        elif tag == "c":
            if skip:
                empty(1)
                return
            text = "".join(parts)
            if length > cap and kind != "s":
                text = text[:cap]
                sheet.notes.append(
                    (row, column_letter(col), _cut(f"{column_letter(col)}{row}", length, cap))
                )
            if not has_v or not text:  # an empty <v/> is no value either
                empty(1)
                if has_f:
                    sheet.formulas_without_value.append(ref or f"{column_letter(col)}{row}")
                return
            if kind == "s":
                index = _int(text, -1) if text.isascii() else -1
                if 0 <= index < n_strings:
                    value = strings[index]
                    if index in long:
                        sheet.notes.append(
                            (
                                row,
                                column_letter(col),
                                _cut(f"{column_letter(col)}{row}", long[index], cap),
                            )
                        )
                else:
                    odd.add(
                        "the cell names a shared string the workbook's string table does not have; it was read as "
                        "empty",
                        row,
                        column_letter(col),
                    )
                    return
            elif kind == "n":
                value = _number(text, style)
            elif kind in ("str", "inlineStr", "e"):
                value = _unescape(text)
            elif kind == "b":
                value = text.strip() in ("1", "true")
            elif kind == "d":
                try:
                    value = dt.datetime.fromisoformat(text.strip().rstrip("Z"))
                except ValueError:
                    value = text
            else:
                value = _number(text, style)
            if value is None:
                return
            if values is None:
                return
            cells += 1
            width = len(values)
            if col >= width:
                if col > width:
                    empty(col - width)
                values.extend([None] * (col + 1 - width))
            values[col] = value
        elif tag == "row":
            if values:
                ready.append((row, values))
            else:
                empty(1)
            values = None

    def _number(text: str, style: int):
        try:
            number = float(text)
        except ValueError:
            return text
        if not math.isfinite(number):
            odd.add(
                "the cell holds a number that is not finite (NaN, infinity, or too many digits; Excel never "
                "writes one); it was read as empty",
                row,
                column_letter(col),
            )
            return None
        if style in dates:
            return _from_serial(number, date1904)
        return int(number) if number.is_integer() and abs(number) < 1e15 else number

    def on_text(data):
        nonlocal length
        if capture:
            seen = length
            length += len(data)
            if seen <= cap:  # a cell of a gigabyte is counted, not held
                parts.append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = on_text
    for chunk in archive.stream(member):
        parser.Parse(chunk, False)
        if elements:
            archive.spend(elements, f"sheet {sheet.title}")
            elements = 0
        if ready:
            yield from ready
            ready.clear()
    parser.Parse(b"", True)
    yield from ready
    sheet.notes.extend(odd.notes())


def _cut(ref: str, length: int, cap: int) -> str:
    from .tables import cut_note  # one wording for a cut cell, whichever reader cut it

    return cut_note(f"cell {ref}", length, cap)


def read_sheets(
    path, max_inflated_bytes: int | None = None, max_cell_chars: int | None = None
) -> list[SheetData]:
    """Every sheet of the workbook; rows are read lazily, one sheet at a time.

    More than `max_inflated_bytes` of XML inflated from the archive raises Hostile. A cell
    over `max_cell_chars` is cut to it, with a note naming it (its text is never held whole)."""
    archive = Archive(path, max_inflated_bytes)
    cap = max_cell_chars or MAX_CELL_CHARS
    long: dict[int, int] = {}
    try:
        sheets, date1904, parts = workbook_parts(archive)
        strings = _shared_strings(archive, parts.get("sharedStrings"), cap, long)
        dates = _date_styles(archive, parts.get("styles"))
    except expat.ExpatError as exc:
        raise Unsupported(f"its workbook XML is damaged: {exc}") from exc
    result = []
    for title, member, hidden in sheets:
        data = SheetData(title=title, hidden=hidden, rows=iter(()))
        found = archive.find(member) if member else None
        if found is None:
            data.notes.append(
                (
                    None,
                    None,
                    f"sheet {title} has no content in the file (its part "
                    f"{member or 'is not named'} is missing); it was read as empty",
                )
            )
        else:
            data.rows = _rows(archive, found, data, strings, dates, date1904, cap, long)
        result.append(data)
    return result
