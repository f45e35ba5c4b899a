"""Configuration, in one visible order: rule pack defaults, then the project file
(`roadmap-audit.toml`, or `[tool.roadmap-audit]` in `pyproject.toml`), then
`--config FILE`, then command-line options. Later layers win.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import InputError
from .model import SEVERITIES


class RuleOverride(BaseModel):
    """[rules.ID]: a severity and any of the rule's parameters."""

    model_config = ConfigDict(extra="allow")
    severity: str | None = None

    @field_validator("severity")
    @classmethod
    def _known_severity(cls, v: str | None) -> str | None:
        if v is not None and v not in SEVERITIES:
            raise ValueError(f"must be one of {', '.join(SEVERITIES)}")
        return v

    def params(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class JiraConfig(BaseModel):
    """[jira]: which Jira fields mean what, when the defaults do not fit.

    A field is named as the CSV header shows it ("Custom field (Squad)") or by its
    display name ("Squad"); in JSON a field id (customfield_10020) works too.
    """

    model_config = ConfigDict(extra="forbid")
    team_field: str | None = None
    story_points_field: str | None = None
    rollback_plan_field: str | None = None
    rehearsal_field: str | None = None
    start_field: str | None = None
    # Where an issue with no team field gets its team, in order; [] means nowhere.
    team_fallback: list[Literal["component", "project"]] = Field(default_factory=lambda: ["component", "project"])
    hours_per_week: float = Field(40.0, gt=0)  # Jira estimates are seconds; one engineer-week is this many hours


class Limits(BaseModel):
    """[limits]: how much input one run reads, so a hostile or runaway file cannot eat the machine.

    The defaults live here and only here; the loaders take them as parameters.
    """

    model_config = ConfigDict(extra="forbid")
    max_file_mb: float = Field(200, gt=0)  # per input file; larger is exit 2
    max_rows: int = Field(1_000_000, gt=0)  # per sheet, CSV file or Jira export; more is exit 2
    max_cell_chars: int = Field(32_767, gt=0)  # Excel's own limit for one cell; longer cells are cut, with a note

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

    @property
    def max_inflated_bytes(self) -> int:
        """XML an .xlsx may inflate to (the zip-bomb cap): 1 GiB, or 5x the file cap when that is raised."""
        return max(1 << 30, 5 * self.max_file_bytes)


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    select: list[str] = Field(default_factory=list)  # ids or prefixes; empty = all
    ignore: list[str] = Field(default_factory=list)
    rules_dirs: list[str] = Field(default_factory=list)
    fail_on: str | None = None
    quarter: str | None = None
    capacity: dict[str, Any] = Field(default_factory=dict)
    forecast: dict[str, Any] = Field(default_factory=dict)  # checked against rules/forecast.toml
    rules: dict[str, RuleOverride] = Field(default_factory=dict)
    mapping: dict[str, dict[str, str]] = Field(default_factory=dict)  # sheet -> header -> field
    columns: dict[str, str] = Field(default_factory=dict)  # [columns] and --map: header -> field or sheet.field
    jira: JiraConfig = Field(default_factory=JiraConfig)
    limits: Limits = Field(default_factory=Limits)
    origin: list[str] = Field(default_factory=list)  # files read, in order

    def merged(self, other: dict[str, Any], origin: str) -> Config:
        """This config with another layer on top of it."""
        data = self.model_dump(exclude={"origin"})
        for key, value in other.items():
            if key in ("capacity", "forecast", "mapping", "columns", "jira", "limits") and isinstance(value, dict):
                data[key] = {**data[key], **value}
            elif key == "rules" and isinstance(value, dict):
                rules = dict(data["rules"])
                for rid, over in value.items():
                    rules[rid] = {**rules.get(rid, {}), **(over if isinstance(over, dict) else {"_": over})}
                data["rules"] = rules
            else:
                data[key] = value
        try:
            return Config(**data, origin=[*self.origin, origin])
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err["loc"])
            raise InputError(f"config key '{where}': {err['msg']}", where=origin,
                             hint="see the Configuration section of the README") from exc


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"is not valid TOML ({exc})", where=str(path)) from exc
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", where=str(path)) from exc


def load_config(explicit: str | Path | None = None, cwd: Path | None = None) -> Config:
    """The project file from the working folder, then an explicit --config file."""
    config = Config()
    cwd = cwd or Path.cwd()
    own = cwd / "roadmap-audit.toml"
    pyproject = cwd / "pyproject.toml"
    if own.is_file():
        config = config.merged(_read_toml(own), own.name)
    elif pyproject.is_file():
        section = _read_toml(pyproject).get("tool", {}).get("roadmap-audit")
        if section:
            config = config.merged(section, "pyproject.toml [tool.roadmap-audit]")
    if explicit is not None:
        path = Path(explicit)
        if not path.is_file():
            raise InputError("config file not found", where=str(explicit))
        data = _read_toml(path)
        if path.name == "pyproject.toml":
            data = data.get("tool", {}).get("roadmap-audit", {})
        config = config.merged(data, str(explicit))
    return config
