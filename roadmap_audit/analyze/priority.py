"""How urgent an item's priority is, whatever the plan calls it (P1, 2, High, Blocker)."""

from __future__ import annotations

_PRIORITY_WORDS = {"highest": 0, "critical": 0, "blocker": 0, "high": 1, "medium": 2, "normal": 2,
                   "low": 3, "lowest": 4, "trivial": 4}


def priority_rank(priority: str | None) -> int:
    """0 is most urgent. P1/P2, 1/2, and words (High, Low) are understood; unknown is middle."""
    if not priority:
        return 2
    text = priority.strip().lower()
    digits = "".join(c for c in text if c.isdigit())
    if digits:
        return int(digits)
    return _PRIORITY_WORDS.get(text, 2)
