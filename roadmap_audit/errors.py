"""Errors the user can act on. Anything raised as `InputError` ends the run with
exit code 2 and one line: what is wrong, where, and what to do."""

from __future__ import annotations


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
