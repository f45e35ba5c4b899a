"""Loaders: every input format becomes one `Plan` plus data-quality notes.

A loader never judges; it reads, keeps the origin of every value, and reports
what it could not read.
"""

from __future__ import annotations

from pathlib import Path

from ..model import Plan
from .workbook import _Loader, read_sheets


def load_plan(
    plan: str | Path,
    context: list[str | Path] | None = None,
    mapping: dict[str, dict[str, str]] | None = None,
) -> Plan:
    """Read a plan (workbook, CSV, folder of CSVs) and optional context workbooks."""
    loader = _Loader(mapping)
    plan_path = Path(plan)
    loader.add_sheets(read_sheets(plan_path, str(plan)), str(plan), require_items=True)
    for extra in context or []:
        loader.add_sheets(read_sheets(Path(extra), str(extra)), str(extra), require_items=False)
    return loader.plan
