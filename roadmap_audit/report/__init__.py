"""Formatters: pure views of an Audit. None of them computes a number.

`render(fmt, audit, ...)` picks one by name; `check_output` refuses an output
path that is one of the run's inputs; `write_atomic` writes a report so a reader
never sees half a file, and writes into a device or pipe rather than replacing it.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from ..model import Audit, Plan

if TYPE_CHECKING:
    from ..redact import Redactor


def render(
    fmt: str,
    audit: Audit,
    *,
    plan_path: str | None = None,
    plan: Plan | None = None,
    redactor: Redactor | None = None,
    colour: bool | None = None,
) -> str | bytes:
    """The report in one format.

    `redactor` (from --redact-people) also scrubs the copy of the plan workbook the
    xlsx report makes; `colour` is for text on a terminal (None: decide from stdout).
    """
    if fmt == "json":
        from .json_report import render_json

        return render_json(audit)
    if fmt == "html":
        from .html import render_html

        return render_html(audit)
    if fmt == "md":
        from .markdown import render_markdown

        return render_markdown(audit)
    if fmt == "text":
        from .text import render_text

        return render_text(audit, colour=colour)
    if fmt == "xlsx":
        from .xlsx import render_xlsx

        return render_xlsx(audit, plan_path, plan, redactor)
    raise InputError(f"unknown format '{fmt}'", hint="use html, json, md, text or xlsx")


def stream(fmt: str, audit: Audit, **options) -> Iterator[str | bytes]:
    """The report in pieces, for writing as it is made: JSON a few hundred list elements
    at a time, as UTF-8 bytes, and HTML a piece at a time (at 100,000 items each is a
    hundred megabytes or more); other formats whole."""
    if fmt == "json":
        from .json_report import iter_json_bytes

        yield from iter_json_bytes(audit)
    elif fmt == "html":
        from .html import iter_html

        yield from iter_html(audit)
    else:
        yield render(fmt, audit, **options)


# Paths that name an already open file (the shell's redirection), never a file to replace
_OPEN_FILE_PATHS = (
    "/dev/stdout",
    "/dev/stderr",
    "/dev/fd/",
    "/proc/self/fd/",
    "/proc/thread-self/fd/",
)

# Formats the tool reads but does not write: a report there would be mistaken for a plan
NOT_WRITTEN = (
    ".csv",
    ".tsv",
    ".xls",
    ".xlsm",
    ".xlsb",
    ".ods",
    ".numbers",
    ".pdf",
    ".doc",
    ".docx",
)


def _identity(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


def _files_of(path: str, limit: int = 20_000) -> Iterator[str]:
    """A file, or the files of a folder and its subfolders (a plan folder, a Jira folder)."""
    if not os.path.isdir(path):
        yield path
        return
    seen = 0
    for folder, _, names in os.walk(path):
        for name in names:
            seen += 1
            if seen > limit:
                return
            yield os.path.join(folder, name)


def check_output(output: str, inputs: list[str], what: str = "the report") -> None:
    """Refuse an output path that is one of the inputs (the plan, a file of a plan folder,
    a --context file, a config file), or a hard or symbolic link to one: the report
    would replace what it reports on. Checked before anything is read."""
    target = _identity(output)
    if target is None:
        return
    if os.path.isdir(output):
        raise InputError(f"is a folder; -o names the file to write {what} to", where=output)
    for given in inputs:
        for path in _files_of(given):
            if _identity(path) == target:
                same = (
                    "is"
                    if os.path.abspath(path) == os.path.abspath(output)
                    else f"is the same file as {path},"
                )
                raise InputError(
                    f"{same} an input of this run: writing {what} there would replace it",
                    where=output,
                    hint="choose another -o path; nothing was read or written",
                )


def _write_direct(path: str, pieces: Iterable[str | bytes]) -> None:
    """Write into a device, pipe or already open file (/dev/stdout, /dev/null, a FIFO):
    it is written to, never replaced by a regular file."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND)
    except OSError as exc:
        raise InputError(f"cannot write the report ({exc.strerror})", where=path) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            for piece in pieces:
                fh.write(piece.encode("utf-8") if isinstance(piece, str) else piece)
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise InputError(f"cannot write the report ({exc.strerror})", where=path) from exc


def write_atomic(path: Path, body: str | bytes | Iterable[str | bytes]) -> None:
    """Write a report so a reader never sees half a file.

    A regular file (or a new one) is written to a temporary file beside it, then
    renamed into place; through a symbolic link, the file it points to is replaced,
    not the link. A device, a pipe or /dev/stdout is written to directly: replacing
    /dev/null with a regular file is never right.
    """
    pieces = [body] if isinstance(body, (str, bytes)) else body
    name = str(path)
    try:
        info = os.stat(name)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise InputError(f"cannot write the report ({exc.strerror})", where=name) from exc
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise InputError("is a folder; -o names the file to write the report to", where=name)
    if info is not None and (not stat.S_ISREG(info.st_mode) or name.startswith(_OPEN_FILE_PATHS)):
        _write_direct(name, pieces)
        return
    real = Path(os.path.realpath(name))
    folder = real.parent
    if not folder.is_dir():
        raise InputError("the output folder does not exist", where=name)
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            for piece in pieces:
                fh.write(piece.encode("utf-8") if isinstance(piece, str) else piece)
        # mkstemp makes the file private; a report gets the permissions any new file would
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, real)
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise InputError(f"cannot write the report ({exc.strerror or exc})", where=name) from exc
    except BaseException:  # a report that failed while being made leaves nothing behind
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise
