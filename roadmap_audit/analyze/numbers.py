"""Numbers and counts in words, the same in every stage that writes text and in every report format.

`pct` is the one percentage formatter, `plural` the one pluralisation and `listed` the one
"a, b and 3 more" list: the advice in score.py, the view model and the templates all use them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def pct(x: float | None, infinite: str = "no capacity") -> str:
    """A share as a whole percentage: 0.934 -> "93%"; "—" when unknown; `infinite` for a share of nothing."""
    if x is None:
        return "—"
    if not math.isfinite(x):
        return infinite
    return f"{x:.0%}"


def plural(n: int, word: str, words: str | None = None, *, bare: bool = False) -> str:
    """ "1 team", "3 teams"; `words` for a plural that is not word + s ("1 person", "2 people").
    With `bare` only the word: "team" or "teams", for a sentence that shows the count elsewhere."""
    form = word if n == 1 else (words or word + "s")
    return form if bare else f"{n} {form}"


def listed(names: Sequence[str], limit: int, sep: str = ", ") -> str:
    """The first `limit` names, then how many more: "a, b, c and 4 more"."""
    head = sep.join(names[:limit])
    return head + (f" and {len(names) - limit} more" if len(names) > limit else "")
