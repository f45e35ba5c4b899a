"""The labelled corpus of real item titles (tests/data/kind_corpus.tsv), read and scored.

Shared by tests/test_kinds.py (which asserts the precision and recall figures) and
benchmarks/kinds.py (which prints the confusion table).
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "data" / "kind_corpus.tsv"
KINDS = (
    "migration",
    "launch",
    "reliability",
    "tech-debt",
    "compliance",
    "action-item",
    "ktlo",
    "feature",
    "other",
)


@dataclass(frozen=True)
class Row:
    source: str
    key: str
    parent: str
    issue_type: str
    labels: str
    title: str
    description: str
    expected: str


def rows() -> list[Row]:
    lines = [
        line for line in CORPUS.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
    ]
    reader = csv.DictReader(lines, delimiter="\t")
    return [Row(**{k: v or "" for k, v in r.items()}) for r in reader]


def classified() -> list[tuple[Row, str, str]]:
    """Each row with the kind the derive step gives it and the reason, read as its export would be:
    a Jira row with its issue type, labels and parent (within the same export), a titled issue with its labels."""
    from roadmap_audit.analyze.capacity import CapacityParams
    from roadmap_audit.analyze.facts import Vocabulary, derive
    from roadmap_audit.engine import builtin_rules_dir
    from roadmap_audit.model import Item, Plan, SourceRef

    corpus = rows()
    items = []
    for n, row in enumerate(corpus, start=1):
        key = f"{row.source}:{row.key}" if row.key else f"row-{n}"
        parent = f"{row.source}:{row.parent}" if row.parent else None
        jira = row.source.startswith("real-exports:")
        ref = (
            SourceRef(source=row.source, key=row.key or key)
            if jira
            else SourceRef(source=row.source, sheet="Items", row=n + 1)
        )
        items.append(
            Item(
                key=key,
                title=row.title,
                kind_raw=row.issue_type or None,
                parent=parent,
                labels=[s.strip() for s in row.labels.split(",") if s.strip()],
                description=row.description or None,
                ref=ref,
            )
        )
    facts = derive(
        Plan(items=items, sources=["corpus"]),
        CapacityParams(),
        Vocabulary.from_file(builtin_rules_dir() / "vocabulary.toml"),
    )
    return [
        (row, facts.kinds[item.key].value, facts.kind_reasons[item.key])
        for row, item in zip(corpus, items, strict=True)
    ]


def scores(results: list[tuple[Row, str, str]]) -> dict[str, tuple[float, float, int]]:
    """kind -> (precision, recall, labelled count)."""
    out = {}
    for kind in KINDS:
        tp = sum(1 for r, got, _ in results if got == kind and r.expected == kind)
        predicted = sum(1 for _, got, _ in results if got == kind)
        actual = sum(1 for r, _, _ in results if r.expected == kind)
        out[kind] = (tp / predicted if predicted else 1.0, tp / actual if actual else 1.0, actual)
    return out


def confusion(results: list[tuple[Row, str, str]]) -> Counter[tuple[str, str]]:
    return Counter((r.expected, got) for r, got, _ in results)
