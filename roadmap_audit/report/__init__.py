"""Formatters: pure views of an Audit. None of them computes a number.

`render(fmt, audit, ...)` picks one by name; `write_atomic` writes a report so a
reader never sees half a file, and never touches the plan itself.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from ..model import Audit, Plan

if TYPE_CHECKING:
    from ..redact import Redactor


def render(fmt: str, audit: Audit, *, plan_path: str | None = None, plan: Plan | None = None,
           redactor: Redactor | None = None, colour: bool | None = None) -> str | bytes:
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
    """The report in pieces, for writing as it is made: JSON a list element at a
    time (at 100,000 items it is hundreds of megabytes); other formats whole."""
    if fmt == "json":
        from .json_report import iter_json

        yield from iter_json(audit)
    else:
        yield render(fmt, audit, **options)


def write_atomic(path: Path, body: str | bytes | Iterable[str | bytes]) -> None:
    """Write to a temporary file beside the target, then rename it into place."""
    pieces = [body] if isinstance(body, (str, bytes)) else body
    folder = path.resolve().parent
    if not folder.is_dir():
        raise InputError("the output folder does not exist", where=str(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            for piece in pieces:
                fh.write(piece.encode("utf-8") if isinstance(piece, str) else piece)
        # mkstemp makes the file private; a report gets the permissions any new file would
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"cannot write the report ({exc.strerror})", where=str(path)) from exc
    except BaseException:  # a report that failed while being made leaves nothing behind
        Path(tmp).unlink(missing_ok=True)
        raise
