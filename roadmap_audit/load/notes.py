"""One data-quality note per cause, not one per row.

Thirty-nine rows with no key are one problem said once, with the count and the rows
("no issue key; ... (39 rows: 3, 5, 9-12 and 20 more)"), not thirty-nine lines. A note
whose words name the row's own value ("parent issue id 10023 is not in this export") gives
the words its kind shares as `cause` and its own value as `detail`; alone, it keeps its
own words. Notes on rows that were not used stay one per row: `Plan.rows_used` counts them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..model import DataIssue

SHOWN = 12  # rows or keys listed in a grouped note; the rest are counted


@dataclass(frozen=True)
class Note:
    issue: DataIssue
    cause: str | None = None  # the words every note of this kind shares, when issue.problem names this row's value
    detail: str | None = None  # this row's own value, shown beside its row or key in a grouped note


def _spans(rows: list[int]) -> list[tuple[int, int]]:
    """Consecutive rows as one span: 3, 5, 9-12."""
    spans: list[list[int]] = []
    for r in sorted(set(rows)):
        if spans and r == spans[-1][1] + 1:
            spans[-1][1] = r
        else:
            spans.append([r, r])
    return [(a, b) for a, b in spans]


def _listing(alike: list[Note]) -> str:
    """"12 rows: 3, 5, 9-12 and 4 more", or "3 issues: PAY-1 (parent 10023), PAY-2 (parent 10031)"."""
    rows = [n.issue.ref.row for n in alike]
    by_row = all(r is not None for r in rows)
    unit = ("row" if by_row else "issue") + ("s" if len(alike) > 1 else "")
    if by_row and not any(n.detail for n in alike):
        spans = _spans(rows)  # type: ignore[arg-type]
        shown = spans[:SHOWN]
        more = sum(1 for r in set(rows) if r > shown[-1][1])  # type: ignore[operator]
        text = ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in shown)
        return f"{len(alike)} {unit}: {text}" + (f" and {more} more" if more else "")
    entries = []
    for n in alike[:SHOWN]:
        ref = n.issue.ref
        label = str(ref.row) if ref.row is not None else ref.key
        entries.append(f"{label} ({n.detail})" if label and n.detail else label or n.detail or "")
    more = len(alike) - SHOWN
    return f"{len(alike)} {unit}: {', '.join(entries)}" + (f" and {more} more" if more > 0 else "")


def _groupable(note: Note) -> bool:
    ref = note.issue.ref
    return not note.issue.row_dropped and (ref.row is not None or ref.key is not None or note.detail is not None)


def one_per_cause(notes: Iterable[DataIssue | Note]) -> list[DataIssue]:
    """The notes with one note per cause (same file, sheet and words), each where its first row was.

    A cause met once keeps its note as it was."""
    groups: dict[tuple, list[Note]] = {}
    for position, raw in enumerate(notes):
        note = raw if isinstance(raw, Note) else Note(raw)
        ref = note.issue.ref
        key = (ref.source, ref.sheet, note.cause or note.issue.problem) if _groupable(note) else (position,)
        groups.setdefault(key, []).append(note)
    out = []
    for alike in groups.values():
        first = alike[0]
        if len(alike) == 1:
            out.append(first.issue)
            continue
        ref = first.issue.ref
        where = ref if ref.row is not None else ref.model_copy(update={"key": None, "column": None})
        out.append(DataIssue(ref=where, problem=f"{first.cause or first.issue.problem} ({_listing(alike)})"))
    return out
