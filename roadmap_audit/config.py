"""Configuration, in one visible order: rule pack defaults, then the project file
(`roadmap-audit.toml`, or `[tool.roadmap-audit]` in `pyproject.toml`), then
`--config FILE`, then command-line options. Later layers win.
"""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import InputError, did_you_mean, validation_line
from .model import SEVERITIES

MAX_TOML_BYTES = 4 * 1024 * 1024  # a config, rule or pack file; anything larger is not one


class RuleOverride(BaseModel):
    """[rules.ID]: a severity and any of the rule's parameters."""

    model_config = ConfigDict(extra="allow", allow_inf_nan=False)
    severity: str | None = None

    @field_validator("severity")
    @classmethod
    def _known_severity(cls, v: str | None) -> str | None:
        if v is not None and v not in SEVERITIES:
            raise ValueError(f"must be one of {', '.join(SEVERITIES)}")
        return v

    def params(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


TeamSource = Literal["component", "project"]  # where a Jira issue with no team field gets one
_TEAM_FALLBACK: list[TeamSource] = ["project"]


class JiraConfig(BaseModel):
    """[jira]: which Jira fields mean what, when the defaults do not fit.

    A field is named as the CSV header shows it ("Custom field (Squad)") or by its
    display name ("Squad"); in JSON a field id (customfield_10020) works too.
    """

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    team_field: str | None = None
    story_points_field: str | None = None
    points_field: str | None = None  # the same as story_points_field, by its shorter name
    rollback_plan_field: str | None = None
    rehearsal_field: str | None = None
    start_field: str | None = None
    # Where an issue with no team field gets its team, in order; [] means nowhere. Components are
    # services, so "component" is only ever a team when asked for here.
    team_fallback: list[TeamSource] = Field(default_factory=lambda: list(_TEAM_FALLBACK))

    @model_validator(mode="before")
    @classmethod
    def _moved_keys(cls, data: Any) -> Any:
        """hours_per_week was a [jira] key; one working week now serves every conversion."""
        if isinstance(data, dict) and "hours_per_week" in data:
            raise ValueError(
                "hours_per_week is now set under [capacity], as hours_per_week: one working week "
                "for Jira's seconds, hours in estimates, pages and toil"
            )
        return data


class Limits(BaseModel):
    """[limits]: how much input one run reads, so a hostile or runaway file cannot eat the machine.

    The defaults live here and only here; the loaders take them as parameters.
    """

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    max_file_mb: float = Field(
        200, gt=0, le=1024 * 1024
    )  # per input file; larger is exit 2 (at most 1 TiB)
    max_rows: int = Field(
        1_000_000, gt=0, le=1_000_000_000
    )  # per sheet, CSV file or Jira export; more is exit 2
    max_cell_chars: int = Field(
        32_767, gt=0, le=1_000_000_000
    )  # Excel's own limit for one cell; longer cells are cut, with a note

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

    @property
    def max_inflated_bytes(self) -> int:
        """XML an .xlsx may inflate to (the zip-bomb cap): 1 GiB, or 5x the file cap when that is raised."""
        return max(1 << 30, 5 * self.max_file_bytes)


class ContextConfig(BaseModel):
    """[context]: files from the systems of record read with every run, and how they are read."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    files: list[str] = Field(
        default_factory=list
    )  # as --context: workbooks, catalogs, SLO files, exports
    # observed pages and incidents are counted over this many weeks before the quarter starts:
    # a quarter, as the staffing model plans one
    window_weeks: float = Field(13, gt=0, le=520)
    # how far (a share) a derived number may differ from the typed one before the report notes it:
    # a convention of this project
    tolerance: float = Field(0.1, ge=0, le=10)


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    select: list[str] = Field(default_factory=list)  # ids or prefixes; empty = all
    ignore: list[str] = Field(default_factory=list)
    rules_dirs: list[str] = Field(default_factory=list)
    fail_on: str | None = None
    quarter: str | None = None
    capacity: dict[str, Any] = Field(default_factory=dict)
    forecast: dict[str, Any] = Field(default_factory=dict)  # checked against rules/forecast.toml
    rules: dict[str, RuleOverride] = Field(default_factory=dict)
    mapping: dict[str, dict[str, str]] = Field(default_factory=dict)  # sheet -> header -> field
    columns: dict[str, str] = Field(
        default_factory=dict
    )  # [columns] and --map: header -> field or sheet.field
    jira: JiraConfig = Field(default_factory=JiraConfig)
    limits: Limits = Field(default_factory=Limits)
    context: ContextConfig = Field(default_factory=ContextConfig)
    origin: list[str] = Field(default_factory=list, exclude=True)  # files read, in order
    set_in: dict[str, str] = Field(
        default_factory=dict, exclude=True
    )  # "fail_on", "rules.CAP001", "forecast.runs" -> file

    @field_validator("select", "ignore", mode="before")
    @classmethod
    def _comma_list(cls, v: Any) -> Any:
        """`select = "MIG, CAP001"` is the list it reads as, as on the command line."""
        return [x.strip() for x in v.split(",") if x.strip()] if isinstance(v, str) else v

    @field_validator("fail_on")
    @classmethod
    def _known_fail_on(cls, v: str | None) -> str | None:
        if v is not None and v not in SEVERITIES:
            raise ValueError(f"must be one of {', '.join(SEVERITIES)}")
        return v

    @field_validator("quarter")
    @classmethod
    def _a_quarter(cls, v: str | None) -> str | None:
        from .load.cells import ParseError
        from .load.dates import required_quarter

        if v is None:
            return v
        try:
            required_quarter(v)
        except ParseError as exc:
            raise ValueError(str(exc)) from None
        return v

    def where(self, key: str) -> str:
        """The file that set a key ("rules.CAP001", "forecast.runs"), for error lines."""
        return self.set_in.get(key) or self.set_in.get(key.split(".")[0]) or "the config"

    def merged(self, other: dict[str, Any], origin: str) -> Config:
        """This config with another layer on top of it."""
        data = self.model_dump(exclude={"origin", "set_in"})
        set_in = dict(self.set_in)
        for key, value in other.items():
            if key in ("origin", "set_in"):  # the tool's own bookkeeping, never a key of a file
                raise InputError(
                    f"unknown key '{key}' ({did_you_mean(key, list(_KEYS), 'keys')})", where=origin
                )
            set_in[key] = origin
            if key in (
                "capacity",
                "forecast",
                "mapping",
                "columns",
                "jira",
                "limits",
                "context",
            ) and isinstance(value, dict):
                data[key] = {**data[key], **value}
                set_in.update({f"{key}.{name}": origin for name in value})
            elif key == "rules" and isinstance(value, dict):
                rules = dict(data["rules"])
                for rid, over in value.items():
                    if not isinstance(over, dict):
                        raise InputError(
                            f"'rules.{rid}' must be a table ([rules.{rid}] with severity or "
                            "parameters under it)",
                            where=origin,
                        )
                    rules[rid] = {**rules.get(rid, {}), **over}
                    set_in[f"rules.{rid}"] = origin
                data["rules"] = rules
            else:
                data[key] = value
        try:
            return Config(**data, origin=[*self.origin, origin], set_in=set_in)
        except ValidationError as exc:
            raise InputError(
                validation_line(exc, Config),
                where=origin,
                hint="see the Configuration section of the README",
            ) from exc


_KEYS = [name for name, info in Config.model_fields.items() if not info.exclude]


def read_toml(path: Path, display: str | None = None, what: str = "file") -> dict[str, Any]:
    """A TOML file (config, rule, pack file) as a table, or one InputError naming it.

    Only a regular file is read, and only so much of it: a folder, a device
    (/dev/zero), a pipe or a huge file is refused before a byte is read, so a
    run never blocks or reads forever.
    """
    where = display or str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError(f"{what} not found", where=where) from None
    except OSError as exc:
        raise InputError(f"{what} cannot be read ({exc.strerror})", where=where) from exc
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"is a folder, not a {what}", where=where)
    if not stat.S_ISREG(info.st_mode):
        raise InputError(
            f"is not a regular file (a device, pipe or socket), so it is not read as a {what}",
            where=where,
        )
    if info.st_size > MAX_TOML_BYTES:
        raise InputError(
            f"is {info.st_size // (1024 * 1024)} MB, too large for a {what} "
            f"(at most {MAX_TOML_BYTES // (1024 * 1024)} MB)",
            where=where,
        )
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_TOML_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{what} cannot be read ({exc.strerror})", where=where) from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"is not UTF-8 text (byte {exc.start + 1} is 0x{raw[exc.start]:02x}); "
            "TOML files are UTF-8",
            where=where,
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"is not valid TOML ({exc})", where=where) from exc


def _tool_section(data: dict[str, Any], where: str) -> dict[str, Any] | None:
    """[tool.roadmap-audit] of a pyproject.toml, None when it has none."""
    tool = data.get("tool")
    if tool is None:
        return None
    if not isinstance(tool, dict):
        raise InputError(
            f"'tool' is a {type(tool).__name__}, not a table, so [tool.roadmap-audit] "
            "cannot be read",
            where=where,
        )
    section = tool.get("roadmap-audit")
    if section is not None and not isinstance(section, dict):
        raise InputError(
            f"'tool.roadmap-audit' is a {type(section).__name__}, not a table",
            where=where,
            hint="write it as a [tool.roadmap-audit] section",
        )
    return section


def default_config_files(cwd: Path | None = None) -> list[Path]:
    """The project config files a run would read from the working folder."""
    cwd = cwd or Path.cwd()
    return [cwd / "roadmap-audit.toml", cwd / "pyproject.toml"]


def load_config(explicit: str | Path | None = None, cwd: Path | None = None) -> Config:
    """The project file from the working folder, then an explicit --config file."""
    config = Config()
    own, pyproject = default_config_files(cwd)
    # exists, not is_file: a folder, pipe or device under a config's name is an error, never skipped
    if own.exists() or own.is_symlink():
        config = config.merged(read_toml(own, own.name, "config file"), own.name)
    elif pyproject.exists() or pyproject.is_symlink():
        section = _tool_section(read_toml(pyproject, pyproject.name, "config file"), pyproject.name)
        if section:
            config = config.merged(section, "pyproject.toml [tool.roadmap-audit]")
    if explicit is not None:
        path = Path(explicit)
        data = read_toml(path, str(explicit), "config file")
        if path.name == "pyproject.toml":
            data = _tool_section(data, str(explicit)) or {}
        config = config.merged(data, str(explicit))
    return config
