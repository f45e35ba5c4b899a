"""One data-quality note per cause, not one per row: every reader's notes go through here.

Thirty-nine rows with no key are one problem said once, with the count and the rows
("... (39 rows alike: rows 3, 5, 9-12 and 20 more)"), not thirty-nine lines. A note
whose words name the row's own value ("parent issue id 10023 is not in this export") gives
the words its kind shares as `cause` and its own value as `detail`; alone, it keeps its own
words. A grouped note keeps every row it stands for (`DataIssue.rows`), so `Plan.rows_used`
stays exact; a note on an unused Jira issue with no row number stays one per issue.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..model import DataIssue

SHOWN = 12  # rows, spans or keys listed in a grouped note; the rest are counted


@dataclass(frozen=True)
class Note:
    issue: DataIssue
    cause: str | None = (
        None  # the words every note of this kind shares, when issue.problem names this row's value
    )
    detail: str | None = None  # this row's own value, shown beside its row or key in a grouped note


def rows_text(rows: list[int], limit: int = SHOWN) -> str:
    """`row 5`, `rows 2-40`, `rows 3, 7, 9-12 and 14 more`."""
    rows = sorted(set(rows))
    spans: list[list[int]] = []
    for r in rows:
        if spans and r == spans[-1][1] + 1:
            spans[-1][1] = r
        else:
            spans.append([r, r])
    shown = [f"{a}" if a == b else f"{a}-{b}" for a, b in spans[:limit]]
    more = f" and {sum(b - a + 1 for a, b in spans[limit:])} more" if len(spans) > limit else ""
    return ("row " if len(rows) == 1 else "rows ") + ", ".join(shown) + more


def _listing(alike: list[Note], rows: tuple[int, ...]) -> str:
    """ "rows 3, 5, 9-12", or each row or key with its own value: "PAY-1 (parent 10023), PAY-2 (parent 10031)"."""
    if rows and not any(n.detail for n in alike):
        return rows_text(list(rows))
    entries = []
    for n in alike[:SHOWN]:
        ref = n.issue.ref
        label = f"row {ref.row}" if ref.row is not None else ref.key
        entries.append(f"{label} ({n.detail})" if label and n.detail else label or n.detail or "")
    more = len(alike) - SHOWN
    return ", ".join(entries) + (f" and {more} more" if more > 0 else "")


def one_note_per_cause(notes: Iterable[DataIssue | Note]) -> list[DataIssue]:
    """The same note on many rows (or Jira issues) becomes one note with the count and the rows.

    Notes are alike when source, sheet, column, cause and whether the row was used match ("cell D6
    has ..." is the same cause as "cell D7 has ..."); the first row's cell stays the note's place.
    A cause met once keeps its note as it was."""
    groups: dict[tuple, list[Note]] = {}
    for position, raw in enumerate(notes):
        note = raw if isinstance(raw, Note) else Note(raw)
        issue, ref = note.issue, note.issue.ref
        cause = note.cause or issue.problem
        if ref.row is not None and ref.column:
            cause = cause.replace(f"{ref.column}{ref.row}", "\0")
        labelled = ref.row is not None or (
            not issue.row_dropped and (ref.key is not None or note.detail)
        )
        key = (
            (ref.source, ref.sheet, ref.column, cause, issue.row_dropped)
            if labelled
            else (position,)
        )
        groups.setdefault(key, []).append(note)
    out = []
    for alike in groups.values():
        first = alike[0]
        if len(alike) == 1:
            out.append(first.issue)
            continue
        rows = tuple(
            r for n in alike for r in (n.issue.rows or (n.issue.ref.row,)) if r is not None
        )
        by_row = len(rows) >= len(alike)
        count = len(rows) if by_row else len(alike)
        unit = "rows" if by_row else "issues"
        column = first.issue.ref.column if by_row else None
        where = f"column {column}, " if column else ""
        out.append(
            DataIssue(
                ref=first.issue.ref,
                row_dropped=first.issue.row_dropped,
                rows=rows if by_row else (),
                problem=f"{first.cause or first.issue.problem} ({count} {unit} alike: {where}"
                f"{_listing(alike, rows if by_row else ())})",
            )
        )
    return out
