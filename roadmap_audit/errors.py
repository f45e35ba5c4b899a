"""Errors the user can act on. Anything raised as `InputError` ends the run with
exit code 2 and one line: what is wrong, where, and what to do."""

from __future__ import annotations

from typing import Any


class InputError(Exception):
    """A source or option the tool cannot use at all (exit code 2)."""

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None):
        self.message = message
        self.where = where
        self.hint = hint
        super().__init__(self.line())

    def line(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


class RuleFileError(InputError):
    """A rule file that does not validate (exit code 2, names the file and key)."""


def closest(word: str, known: list[str] | set[str]) -> str | None:
    """The known name a typo most likely meant, or None."""
    import difflib

    by_fold = {k.lower(): k for k in known}
    found = difflib.get_close_matches(word.lower(), list(by_fold), n=1, cutoff=0.5)
    return by_fold[found[0]] if found else None


def did_you_mean(word: str, known: list[str] | set[str], what: str = "known") -> str:
    """'(did you mean X? known: a, b, c)' for an unknown name."""
    near = closest(word, known)
    listed = ", ".join(sorted(known)) or "none"
    return (f"did you mean '{near}'? " if near else "") + f"{what}: {listed}"


def _fields_at(model: Any, loc: tuple) -> list[str] | None:
    """The field names of the (nested) model a validation error's location points into."""
    from typing import get_args, get_origin

    from pydantic import BaseModel

    def as_model(tp: Any) -> Any:
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            return tp
        for arg in get_args(tp):
            found = as_model(arg)
            if found is not None:
                return found
        return None

    current = model
    skip = False
    for part in loc:
        if skip:
            skip = False
            continue
        info = current.model_fields.get(part) if isinstance(part, str) else None
        if info is None:
            return None
        nested = as_model(info.annotation)
        if nested is None:
            return None
        skip = get_origin(info.annotation) is dict
        current = nested
    return [name for name, info in current.model_fields.items() if not info.exclude]


def validation_line(exc: Any, model: Any, prefix: str = "") -> str:
    """A pydantic ValidationError as words a user acts on: the key, the value, what is
    allowed, and for an unknown key the closest existing key and all of them."""
    err = exc.errors()[0]
    loc = tuple(p for p in err["loc"] if p != "[key]")
    key = prefix + ".".join(str(p) for p in loc)
    if err["type"] == "extra_forbidden":
        known = _fields_at(model, loc[:-1]) or []
        return f"unknown key '{key}' ({did_you_mean(str(loc[-1]), known, 'keys')})"
    value = err.get("input")
    shown = (
        f" = {value!r}"
        if isinstance(value, (int, float, str, bool)) and len(repr(value)) <= 60
        else ""
    )
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "finite_number":
        msg = "must be a finite number"
    return f"key '{key}'{shown}: {msg[0].lower() + msg[1:] if msg else msg}"
