"""Parameters of the rule pack's model files (capacity.toml, forecast.toml).

Each file holds `[params.NAME]` tables with a `value` and its `source`; the
config can override a value under its own section ([capacity], [forecast]).
One reader for all of them, so every coefficient is sourced and checked alike.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import InputError

M = TypeVar("M", bound=BaseModel)


def read_pack_params(
    files: list[Path], overrides: dict[str, Any], section: str, known: set[str] | None = None
) -> tuple[dict[str, Any], dict[str, dict[str, Any]], dict[str, str]]:
    """(values, {name: {value, source, ...}}, {name: where it was set}); later files and the config win."""
    values: dict[str, Any] = {}
    described: dict[str, dict[str, Any]] = {}
    where: dict[str, str] = {}
    for path in files:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"is not valid TOML ({exc})", where=str(path)) from exc
        for name, spec in data.get("params", {}).items():
            if not isinstance(spec, dict) or "value" not in spec:
                raise InputError(f"key 'params.{name}' needs a value and a source", where=str(path))
            values[name] = spec["value"]
            described[name] = dict(spec)
            where[name] = str(path)
    allowed = known if known is not None else set(values)
    for name, value in overrides.items():
        if name not in allowed:
            raise InputError(f"config key '{section}.{name}' is not a {section} parameter "
                             f"(known: {', '.join(sorted(allowed))})")
        if isinstance(value, dict) and isinstance(values.get(name), dict):
            value = {**values[name], **value}  # a table is overridden key by key: { M = 4 } keeps the other sizes
        values[name] = value
        described.setdefault(name, {})["value"] = value
        described[name]["source"] = "set in the config"
        where[name] = "the config"
    return values, described, where


def validated(model: type[M], values: dict[str, Any], where: dict[str, str], section: str, hint: str) -> M:
    """The parameters as `model`, or one InputError naming the key and the file (or the config) that set it."""
    try:
        return model(**values)
    except ValidationError as exc:
        err = exc.errors()[0]
        name = ".".join(str(p) for p in err["loc"] if p != "[key]")  # pydantic marks a bad table key so
        origin = where.get(name.split(".")[0])
        key = f"{section}.{name}" if origin == "the config" else f"params.{name}"
        raise InputError(f"key '{key}': {err['msg']}", where=origin if origin != "the config" else None,
                         hint=hint) from exc
