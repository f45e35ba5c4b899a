"""Parameters of the rule pack's model files (capacity.toml, forecast.toml).

Each file holds `[params.NAME]` tables with a `value` and its `source`; the
config can override a value under its own section ([capacity], [forecast]).
One reader for all of them, so every coefficient is sourced and checked alike.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..config import read_toml
from ..errors import InputError, did_you_mean, validation_line

M = TypeVar("M", bound=BaseModel)


def read_pack_params(
    files: list[Path], overrides: dict[str, Any], section: str, known: set[str] | None = None
) -> tuple[dict[str, Any], dict[str, dict[str, Any]], dict[str, str]]:
    """(values, {name: {value, source, ...}}, {name: where it was set}); later files and the config win."""
    values: dict[str, Any] = {}
    described: dict[str, dict[str, Any]] = {}
    where: dict[str, str] = {}
    for path in files:
        data = read_toml(path, what="rule pack file")
        table = data.get("params", {})
        if not isinstance(table, dict):
            raise InputError(
                "key 'params' must be a table of [params.NAME] entries", where=str(path)
            )
        for name, spec in table.items():
            if not isinstance(spec, dict) or "value" not in spec:
                raise InputError(f"key 'params.{name}' needs a value and a source", where=str(path))
            values[name] = spec["value"]
            described[name] = dict(spec)
            where[name] = str(path)
    allowed = known if known is not None else set(values)
    for name, value in overrides.items():
        if name not in allowed:  # the CLI names the config file that set it
            raise InputError(
                f"unknown key '{section}.{name}' ({did_you_mean(name, allowed, 'keys')})"
            )
        if isinstance(value, dict) and isinstance(values.get(name), dict):
            value = {
                **values[name],
                **value,
            }  # a table is overridden key by key: { M = 4 } keeps the other sizes
        values[name] = value
        described.setdefault(name, {})["value"] = value
        described[name]["source"] = "set in the config"
        where[name] = "the config"
    return values, described, where


def validated(
    model: type[M], values: dict[str, Any], where: dict[str, str], section: str, hint: str
) -> M:
    """The parameters as `model`, or one InputError naming the key and the file (or the config) that set it."""
    try:
        return model(**values)
    except ValidationError as exc:
        loc = exc.errors()[0]["loc"]
        origin = where.get(str(loc[0])) if loc else None
        prefix = f"{section}." if origin == "the config" else "params."
        raise InputError(
            validation_line(exc, model, prefix),
            where=origin if origin != "the config" else None,
            hint=hint,
        ) from exc
