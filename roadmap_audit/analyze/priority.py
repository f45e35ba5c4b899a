"""How urgent an item's priority is, whatever the plan calls it (P1, 2, High, Blocker, Must have)."""

from __future__ import annotations

from functools import lru_cache

_PRIORITY_WORDS = {
    "highest": 0,
    "critical": 0,
    "blocker": 0,
    "high": 1,
    "medium": 2,
    "normal": 2,
    "low": 3,
    "lowest": 4,
    "trivial": 4,
    # MoSCoW, as roadmaps often rank: must have ... won't have (this time)
    "must": 1,
    "should": 2,
    "could": 3,
    "wont": 4,
    "won't": 4,
    "will not": 4,
}


@lru_cache(maxsize=4096)  # a plan writes a handful of priorities on thousands of items
def priority_rank(priority: str | None) -> int:
    """0 is most urgent. P1/P2, 1/2, and words (High, Low) are understood; unknown is middle."""
    if not priority:
        return 2
    text = " ".join(priority.strip().lower().replace("\u2019", "'").replace("-", " ").split())
    digits = "".join(c for c in text if c.isdigit())
    if digits:
        return int(digits)
    return _PRIORITY_WORDS.get(text.removesuffix(" have"), 2)
