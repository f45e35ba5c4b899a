"""One working week: [capacity] hours_per_week converts every hour the tool reads.

Hours written in an estimate ("16 h", "1w 8h"), an `Estimate (hours)` column, an
`Original estimate` in seconds, Jira's seconds, and the pages, toil and incidents of
the capacity model all divide by the same setting; changing it changes each of them.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from roadmap_audit import pipeline
from roadmap_audit.config import load_config
from roadmap_audit.errors import InputError

ITEMS = [
    ["key", "title", "team", "estimate", "estimate (hours)", "original estimate"],
    ["A-1", "Hours written in the estimate", "api", "16 h", "", ""],
    ["A-2", "Weeks and hours", "api", "1w 8h", "", ""],
    ["A-3", "Hours column", "api", "", "16", ""],
    ["A-4", "Seconds column", "api", "", "", "57600"],
    ["A-5", "Minutes", "api", "960 min", "", ""],
]
TEAMS = [
    ["team", "headcount", "pages_per_week", "toil_hours_per_week", "incidents_last_quarter"],
    ["api", "5", "2", "8", "1"],
]
JIRA = [
    ["Summary", "Issue key", "Issue id", "Issue Type", "Status", "Original estimate"],
    ["Move the ledger", "AB-1", "1", "Story", "To Do", "57600"],
]


def _csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return path


def _options(tmp_path: Path, plan: Path, hours: float | None) -> pipeline.Options:
    config = tmp_path / "audit.toml"
    config.write_text(
        "" if hours is None else f"[capacity]\nhours_per_week = {hours}\n", encoding="utf-8"
    )
    return pipeline.Options(plan=str(plan), config=load_config(config, cwd=tmp_path))


def _plan_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "plan"
    folder.mkdir()
    _csv(folder / "items.csv", ITEMS)
    _csv(folder / "teams.csv", TEAMS)
    return folder


def _weeks_read(tmp_path: Path, hours: float | None) -> dict[str, float | None]:
    options = _options(tmp_path, _plan_folder(tmp_path), hours)
    plan = pipeline.load(options)
    weeks: dict[str, float | None] = {i.key: i.estimate_weeks for i in plan.items}
    facts = pipeline.derived(options, plan)
    weeks["api observed ops"] = facts.capacity["api"].ops_observed_weeks
    jira = _csv(tmp_path / "Jira.csv", JIRA)
    weeks["AB-1"] = pipeline.load(_options(tmp_path, jira, hours)).items[0].estimate_weeks
    return weeks


@pytest.mark.parametrize("hours", [None, 40, 32, 37.5])
def test_every_hour_is_counted_in_the_one_working_week(tmp_path, hours):
    week = 40 if hours is None else hours
    got = _weeks_read(tmp_path, hours)
    sixteen_hours = pytest.approx(16 / week)
    assert got == {
        "A-1": sixteen_hours,
        "A-2": pytest.approx(1 + 8 / week),
        "A-3": sixteen_hours,
        "A-4": sixteen_hours,
        "A-5": sixteen_hours,
        "AB-1": sixteen_hours,
        # 13 weeks x (2 pages x 1 h + 8 h toil) + 1 incident x 6 h, in working weeks
        "api observed ops": pytest.approx((13 * (2 * 1 + 8) + 6) / week),
    }


def test_changing_the_working_week_changes_every_conversion(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    usual, shorter = _weeks_read(tmp_path / "a", None), _weeks_read(tmp_path / "b", 32)
    assert usual.keys() == shorter.keys()
    changed = {key for key in usual if usual[key] != pytest.approx(shorter[key])}
    assert changed == {"A-1", "A-2", "A-3", "A-4", "A-5", "AB-1", "api observed ops"}


def test_hours_per_week_under_jira_says_where_it_went(tmp_path):
    config = tmp_path / "audit.toml"
    config.write_text("[jira]\nhours_per_week = 32\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"hours_per_week is now set under \[capacity\]"):
        load_config(config, cwd=tmp_path)
