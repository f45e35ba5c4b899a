"""A streaming .xlsx reader: cell values with their exact row and column, fast.

Why not only openpyxl: in read-only mode it hides merged ranges and cannot tell a
formula with no cached value from an empty cell, and it builds an element tree
for every cell. This reader feeds each sheet's XML to expat in chunks, keeps
cached values (never evaluates formulas), and reports what it saw: merged ranges,
formulas without values, hidden sheets. Anything it does not understand raises
`Unsupported`, and the caller falls back to openpyxl.

Safety: a DTD or entity declaration is refused (a workbook never needs one), and
the amount of XML inflated from the archive is capped (zip bombs).
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.parsers import expat

MAX_INFLATED_BYTES = 1 << 30  # 1 GiB of XML across the archive, when the caller gives no cap (config.Limits does)
CHUNK = 1 << 16

_BUILTIN_DATE_FORMATS = {14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36,
                         45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58}
_FORMAT_NOISE = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')
_CELL_REF = re.compile(r"([A-Z]{1,3})(\d+)")


class Unsupported(Exception):
    """The archive is a workbook this reader does not handle; use openpyxl instead."""


class Hostile(Exception):
    """The archive tries something no workbook needs (DTDs, entity expansion, a bomb)."""


@dataclass
class SheetData:
    title: str
    hidden: bool
    rows: Iterator[tuple[int, list]]  # (1-based row number, values by column), in order
    merged: list[str] = field(default_factory=list)  # filled while rows are read
    formulas_without_value: list[str] = field(default_factory=list)  # cell refs


def column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + (ord(ch) - 64)
    return index - 1


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _is_date_format(code: str) -> bool:
    code = _FORMAT_NOISE.sub("", code).lower()
    return any(ch in code for ch in "dmyhs") and "general" not in code


class _Archive:
    def __init__(self, path, max_inflated: int | None = None) -> None:
        self.max_inflated = max_inflated or MAX_INFLATED_BYTES
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise Unsupported(str(exc)) from exc
        self.names = {i.filename: i for i in self.zip.infolist()}
        self.inflated = 0

    def stream(self, name: str) -> Iterator[bytes]:
        info = self.names.get(name)
        if info is None:
            raise Unsupported(f"no {name} in the archive")
        with self.zip.open(info) as fh:
            while chunk := fh.read(CHUNK):
                self.inflated += len(chunk)
                if self.inflated > self.max_inflated:
                    raise Hostile(f"it inflates to more than {self.max_inflated / (1 << 20):,.0f} MB of XML "
                                  "(a zip bomb?; the cap is 5x [limits] max_file_mb, at least 1 GiB)")
                yield chunk

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


def _refuse(*_args) -> None:
    raise Hostile("it contains a DTD or entity declarations, which a workbook never needs")


def _parser():
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    return parser


def _workbook(archive: _Archive) -> tuple[list[tuple[str, str, bool]], bool]:
    """(title, member path, hidden) for every sheet in tab order, and the 1904 flag."""
    sheets: list[tuple[str, str, bool]] = []
    rels: dict[str, str] = {}
    date1904 = [False]
    wb_path = "xl/workbook.xml"
    rels_path = "xl/_rels/workbook.xml.rels"

    def on_rel(name, attrs):
        if _local(name) == "Relationship":
            target = attrs.get("Target", "")
            rels[attrs.get("Id", "")] = target.lstrip("/") if target.startswith("/") else \
                posixpath.normpath(posixpath.join("xl", target))

    archive.parse(rels_path, start=on_rel)

    def on_wb(name, attrs):
        tag = _local(name)
        if tag == "sheet":
            rid = next((v for k, v in attrs.items() if _local(k) == "id"), None)
            if rid not in rels:
                raise Unsupported(f"sheet {attrs.get('name')} has no part")
            sheets.append((attrs.get("name", "?"), rels[rid], attrs.get("state", "visible") != "visible"))
        elif tag == "workbookPr":
            date1904[0] = attrs.get("date1904", "0") in ("1", "true")

    archive.parse(wb_path, start=on_wb)
    return sheets, date1904[0]


def _shared_strings(archive: _Archive) -> list[str]:
    name = next((n for n in ("xl/sharedStrings.xml", "xl/SharedStrings.xml") if n in archive.names), None)
    if name is None:
        return []
    strings: list[str] = []
    parts: list[str] = []
    state = {"in_t": False, "in_phonetic": 0}

    def start(tag, attrs):
        tag = _local(tag)
        if tag == "si":
            parts.clear()
        elif tag == "rPh":
            state["in_phonetic"] += 1
        elif tag == "t" and not state["in_phonetic"]:
            state["in_t"] = True

    def end(tag):
        tag = _local(tag)
        if tag == "si":
            strings.append("".join(parts))
        elif tag == "rPh":
            state["in_phonetic"] -= 1
        elif tag == "t":
            state["in_t"] = False

    def text(data):
        if state["in_t"]:
            parts.append(data)

    archive.parse(name, start, end, text)
    return strings


def _date_styles(archive: _Archive) -> set[int]:
    """Indexes of cell styles whose number format shows a date or time."""
    if "xl/styles.xml" not in archive.names:
        return set()
    custom: dict[int, str] = {}
    xfs: list[int] = []
    state = {"in_cell_xfs": False}

    def start(tag, attrs):
        tag = _local(tag)
        if tag == "numFmt":
            custom[int(attrs.get("numFmtId", "0"))] = attrs.get("formatCode", "")
        elif tag == "cellXfs":
            state["in_cell_xfs"] = True
        elif tag == "xf" and state["in_cell_xfs"]:
            xfs.append(int(attrs.get("numFmtId", "0")))

    def end(tag):
        if _local(tag) == "cellXfs":
            state["in_cell_xfs"] = False

    archive.parse("xl/styles.xml", start, end)
    return {i for i, fmt in enumerate(xfs)
            if fmt in _BUILTIN_DATE_FORMATS or (fmt in custom and _is_date_format(custom[fmt]))}


def _from_serial(serial: float, date1904: bool):
    base = dt.datetime(1904, 1, 1) if date1904 else dt.datetime(1899, 12, 30)
    if not date1904 and serial < 61:
        serial += 1  # Excel's phantom 29 Feb 1900
    try:
        # to the millisecond, as Excel shows it: 14:05 stays 14:05, not 14:04:59.999999
        return base + dt.timedelta(milliseconds=round(serial * 86_400_000))
    except OverflowError:
        return serial


def _rows(archive: _Archive, member: str, sheet: SheetData, strings: list[str], dates: set[int],
          date1904: bool) -> Iterator[tuple[int, list]]:
    # The handlers run once per XML element (several million times for a large plan),
    # so the state lives in closure variables and tag and column names are looked up once.
    parser = _parser()
    ready: list[tuple[int, list]] = []
    tags: dict[str, str] = {}
    columns: dict[str, int] = {}
    n_strings = len(strings)
    row, values, col, kind, style, ref = 0, None, 0, "n", 0, ""
    parts: list[str] = []
    capture = has_f = has_v = False

    def start(name, attrs):
        nonlocal row, values, col, kind, style, ref, parts, capture, has_f, has_v
        tag = tags.get(name) or tags.setdefault(name, _local(name))
        if tag == "c":
            ref = attrs.get("r") or ""
            if ref:
                m = _CELL_REF.match(ref)
                if not m:
                    raise Unsupported(f"cell reference {ref!r}")
                letters = m.group(1)
                col = columns.get(letters)
                if col is None:
                    col = columns[letters] = column_index(letters)
            else:
                col += 1
            kind = attrs.get("t", "n")
            s = attrs.get("s")
            style = int(s) if s else 0
            parts = []
            has_f = has_v = False
        elif tag == "v" or (tag == "t" and kind == "inlineStr"):
            capture = has_v = True
        elif tag == "f":
            has_f = True
        elif tag == "row":
            r = attrs.get("r")
            row = int(r) if r else row + 1
            values = []
            col = -1
        elif tag == "mergeCell":
            merged = attrs.get("ref")
            if merged:
                sheet.merged.append(merged)

    def end(name):
        nonlocal values, capture
        tag = tags.get(name) or tags.setdefault(name, _local(name))
        if tag == "v" or tag == "t":
            capture = False
        elif tag == "c":
            text = "".join(parts)
            if not has_v or not text:  # an empty <v/> is no value either
                if has_f:
                    sheet.formulas_without_value.append(ref or f"row {row}")
                return
            if kind == "s":
                value = strings[int(text)] if text.isdigit() and int(text) < n_strings else None
            elif kind == "n":
                value = _number(text, style)
            elif kind in ("str", "inlineStr", "e"):
                value = text
            elif kind == "b":
                value = text.strip() in ("1", "true")
            elif kind == "d":
                try:
                    value = dt.datetime.fromisoformat(text.strip().rstrip("Z"))
                except ValueError:
                    value = text
            else:
                value = _number(text, style)
            if values is None:
                return
            if col >= len(values):
                values.extend([None] * (col + 1 - len(values)))
            values[col] = value
        elif tag == "row":
            ready.append((row, values or []))
            values = None

    def _number(text: str, style: int):
        try:
            number = float(text)
        except ValueError:
            return text
        if style in dates:
            return _from_serial(number, date1904)
        return int(number) if number.is_integer() and abs(number) < 1e15 else number

    def on_text(data):
        if capture:
            parts.append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = on_text
    for chunk in archive.stream(member):
        parser.Parse(chunk, False)
        if ready:
            yield from ready
            ready.clear()
    parser.Parse(b"", True)
    yield from ready


def read_sheets(path, max_inflated_bytes: int | None = None) -> list[SheetData]:
    """Every sheet of the workbook; rows are read lazily, one sheet at a time.

    More than `max_inflated_bytes` of XML inflated from the archive raises Hostile."""
    archive = _Archive(path, max_inflated_bytes)
    if "xl/workbook.xml" not in archive.names:
        raise Unsupported("no xl/workbook.xml (a strict OOXML or non-Excel package)")
    try:
        sheets, date1904 = _workbook(archive)
        strings = _shared_strings(archive)
        dates = _date_styles(archive)
    except expat.ExpatError as exc:
        raise Unsupported(f"workbook XML: {exc}") from exc
    result = []
    for title, member, hidden in sheets:
        if member not in archive.names:
            raise Unsupported(f"sheet {title} has no part {member}")
        data = SheetData(title=title, hidden=hidden, rows=iter(()))
        data.rows = _rows(archive, member, data, strings, dates, date1904)
        result.append(data)
    return result
