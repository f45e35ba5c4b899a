"""The JSON report: the Audit as data, with `schema_version` (SPEC §5)."""

from __future__ import annotations

import json
import math
from typing import Any

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


def render_json(audit: Audit) -> str:
    data = audit.model_dump(mode="json")
    ordered = {"schema_version": data.pop("schema_version"), "plan": data.pop("plan"),
               "verdict": data.pop("verdict"), **data}
    return json.dumps(_rounded(ordered), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
