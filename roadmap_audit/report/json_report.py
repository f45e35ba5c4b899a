"""The JSON report: the Audit as data, with `schema_version` (SPEC §5)."""

from __future__ import annotations

import json
import math
from typing import Any

from pydantic import BaseModel

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
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    text = json.dumps(_rounded(value), indent=2, ensure_ascii=False, allow_nan=False)
    return text.replace("\n", "\n" + "  " * depth)


def render_json(audit: Audit) -> str:
    """The whole audit, written one section and one list element at a time: at org
    scale the report never exists twice in memory as Python objects."""
    names = list(type(audit).model_fields)
    parts = ["{\n"]
    for n, name in enumerate(names):
        value = getattr(audit, name)
        if isinstance(value, list) and value:
            body = "[\n" + ",\n".join("    " + _dump(v, 2) for v in value) + "\n  ]"
        else:
            body = _dump(value, 1)
        parts.append(f"  {json.dumps(name)}: {body}{',' if n < len(names) - 1 else ''}\n")
    parts.append("}\n")
    return "".join(parts)
