"""How well item kinds are read: the confusion table over the labelled corpus of real titles.

    python benchmarks/kinds.py            # precision and recall per kind, and the confusion table
    python benchmarks/kinds.py --misses   # also every title read as another kind than its label

The corpus is tests/data/kind_corpus.tsv (real titles, each labelled by hand); the
figures are the ones tests/test_kinds.py asserts.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.kind_corpus import KINDS, classified, confusion, scores  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--misses", action="store_true", help="list every title read as another kind"
    )
    args = parser.parse_args()
    results = classified()
    table = confusion(results)
    print(f"{len(results)} labelled titles\n")
    print(f"{'kind':<12} {'labelled':>8} {'precision':>9} {'recall':>7}")
    for kind, (precision, recall, n) in scores(results).items():
        print(f"{kind:<12} {n:>8} {precision:>9.3f} {recall:>7.3f}")
    short = {k: k[:6] for k in KINDS}
    print("\nlabelled \\ read as  " + " ".join(f"{short[k]:>6}" for k in KINDS))
    for expected in KINDS:
        print(
            f"{expected:<19}"
            + " ".join(f"{table.get((expected, got), 0) or '.':>6}" for got in KINDS)
        )
    if args.misses:
        print()
        for row, got, reason in results:
            if got != row.expected:
                print(f"[{row.expected} -> {got}] {row.title[:90]}  ({reason})")


if __name__ == "__main__":
    main()
