"""Whole-word phrase matching for keyword lists kept in rule and vocabulary files.

"migrat*" matches "migration" but never "immigration"; "roll back" matches
"rollback", "roll-back" and "roll back". Text is folded to lowercase ASCII words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache

_NON_WORD = re.compile(r"[^a-z0-9]+")
# Letters that carry no accent mark to drop, so NFKD leaves them whole: Polish "Błąd" reads "blad".
_UNMARKED = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ı": "i",
    }
)


# An ASCII byte as folded: a letter lowercase, a digit itself, anything else a space. One
# bytes.translate (a table lookup per byte) and one split per text.
_ASCII_FOLD = (
    bytes(c | 0x20 if chr(c).isalpha() else c if chr(c).isdigit() else 0x20 for c in range(128))
    + b" " * 128
)


def fold(text: str) -> str:
    """Lowercase words without accents, separated by single spaces."""
    if text.isascii():  # nothing to decompose: most titles, and far cheaper
        return (
            " "
            + " ".join(text.encode("ascii").translate(_ASCII_FOLD).decode("ascii").split())
            + " "
        )
    text = unicodedata.normalize("NFKD", text.translate(_UNMARKED))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " " + _NON_WORD.sub(" ", text).strip() + " "


_STAR, _SEP, _END = "[a-z0-9]*", " ?", ""


@lru_cache(maxsize=512)
def _compile(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for the whole list, shaped as a trie of the phrases' letters.

    A plain alternation of hundreds of phrases makes the regex engine try each one at every
    word; sharing prefixes ("migrat" | "migrar" -> "migra(?:t|r)") tries each letter once.
    Where a phrase ends and a longer one goes on, the longer is tried first.
    """
    trie: dict = {}
    for phrase in phrases:
        star = [w.endswith("*") for w in phrase.split()]
        tokens = fold(phrase).split()
        if not tokens:
            continue
        node = trie
        for n, (token, starred) in enumerate(
            zip(tokens, star + [False] * len(tokens), strict=False)
        ):
            atoms = ([_SEP] if n else []) + list(token) + ([_STAR] if starred else [])
            for atom in atoms:
                node = node.setdefault(atom, {})
        node[_END] = {}
    if not trie:
        return None

    def emit(node: dict) -> str:
        branches = [
            (re.escape(a) if len(a) == 1 else a) + emit(child)
            for a, child in node.items()
            if a != _END
        ]
        if not branches:
            return ""
        body = (
            branches[0]
            if len(branches) == 1 and len(node) == 1
            else "(?:" + "|".join(branches) + ")"
        )
        return body + ("?" if _END in node else "")

    # The space before a phrase is matched, not looked behind for: a pattern that starts with a
    # character lets the regex engine jump from space to space instead of trying every position.
    return re.compile(" " + emit(trie) + r"(?= )")


class PhraseSet:
    """A compiled keyword list; `find` returns the first phrase found, or None. The pattern is
    compiled when the list is first searched: a run searches few of a rule pack's lists."""

    def __init__(self, phrases: Iterable[str]):
        self.phrases = tuple(phrases)

    @cached_property
    def _regex(self) -> re.Pattern[str] | None:
        return _compile(self.phrases)

    def find(self, *texts: str | None) -> str | None:
        return self.find_folded(*(fold(t) for t in texts if t))

    def find_folded(self, *folded: str) -> str | None:
        """Like `find`, for texts already passed through `fold` (fold once, search many lists)."""
        if self._regex is None:
            return None
        for text in folded:
            match = self._regex.search(text)
            if match:
                return match.group(0)[1:]
        return None

    def find_all_folded(self, folded: str) -> list[str]:
        """Every phrase found in a folded text, left to right (matches do not overlap)."""
        if self._regex is None:
            return []
        return [m.group(0)[1:] for m in self._regex.finditer(folded)]

    def blank_folded(self, folded: str) -> str:
        """The folded text with every phrase of the list taken out (word boundaries kept)."""
        if self._regex is None:
            return folded
        return self._regex.sub("  ", folded)  # the space before the phrase is part of the match

    def __contains__(self, text: str) -> bool:
        return self.find(text) is not None

    def find_affirmed(self, *texts: str | None) -> Affirmed:
        """The first phrase found that its own clause does not deny.

        "No shadow reads", "without a canary", "we don't load test" and "load test:
        not planned" name a practice only to say it will not happen. A phrase counts
        as denied when one of NEGATORS stands in the three words before it or the two
        after it, within its clause (clauses end at . , ; ! ? a line break or "but").
        """
        denied = None
        if self._regex is None:
            return Affirmed(None, None)
        for text in texts:
            if not text:
                continue
            for clause in _CLAUSES.split(text):
                folded = fold(clause)
                for match in self._regex.finditer(folded):
                    before = folded[: match.start()].split()[-3:]
                    after = folded[match.end() :].split()[:2]
                    if NEGATORS.isdisjoint(before) and NEGATORS.isdisjoint(after):
                        return Affirmed(match.group(0)[1:], None)
                    denied = denied or " ".join(clause.split())
        return Affirmed(None, denied)


# Words that deny a practice named next to them. "t" is what is left of "don't",
# "won't" and "isn't" once text is folded to words.
NEGATORS = frozenset(
    {
        "no",
        "not",
        "without",
        "never",
        "nor",
        "none",
        "cannot",
        "t",
        "skip",
        "skipped",
        "skipping",
        "lacks",
        "lacking",
        "dropped",
        "cancelled",
        "canceled",
    }
)
_CLAUSES = re.compile(r"[.,;!?\n]+|\bbut\b", re.IGNORECASE)


@dataclass(frozen=True)
class Affirmed:
    word: str | None  # the phrase found, as folded text
    denied: str | None  # else the first clause that names a phrase only to deny it
