"""The JSON report: the Audit as data, with `schema_version` (SPEC §5)."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel
from pydantic_core import to_jsonable_python

from ..model import Audit


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        # JSON has no Infinity: a load against zero capacity is written as null
        return round(value, 4) if math.isfinite(value) else None
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


def _dump(value: Any, depth: int) -> str:
    """One value as indented JSON, nested `depth` levels deep."""
    value = (
        value.model_dump(mode="json") if isinstance(value, BaseModel) else to_jsonable_python(value)
    )
    text = json.dumps(_rounded(value), indent=2, ensure_ascii=False, allow_nan=False)
    return text.replace("\n", "\n" + "  " * depth)


def _pieces(value: Any, depth: int) -> Iterator[str]:
    """`_dump(value, depth)` in pieces, the same bytes: a model field by field, a
    list one element at a time. Only the elements are ever whole in memory."""
    pad = "  " * (depth + 1)
    if isinstance(value, BaseModel) and type(value).model_fields:
        names = list(type(value).model_fields)
        yield "{\n"
        for n, name in enumerate(names):
            yield f"{pad}{json.dumps(name)}: "
            yield from _pieces(getattr(value, name), depth + 1)
            yield ",\n" if n < len(names) - 1 else "\n"
        yield "  " * depth + "}"
    elif isinstance(value, list) and value:
        yield "[\n"
        last = len(value) - 1
        for i, element in enumerate(value):
            yield pad + _dump(element, depth + 1) + (",\n" if i < last else "\n")
        yield "  " * depth + "]"
    else:
        yield _dump(value, depth)


def iter_json(audit: Audit) -> Iterator[str]:
    """The whole audit, written as it is made: at org scale (100,000 items make
    about 180 MB of JSON) the report is never held whole in memory."""
    yield from _pieces(audit, 0)
    yield "\n"


def render_json(audit: Audit) -> str:
    return "".join(iter_json(audit))
