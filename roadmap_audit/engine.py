"""Rule files: load and validate them, bind each to its check kind, run them.

A rule file is pure data (TOML) with a strict schema: an unknown key, a bad value
or an unknown check kind is a one-line error naming the file and the key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .checks import REGISTRY, CheckKind, Params
from .config import read_toml
from .errors import InputError, RuleFileError, closest, did_you_mean, validation_line
from .model import SEVERITIES, Evidence, Finding, Severity

RULE_FILE = re.compile(r"^[A-Z]{2,4}\d{3}\.toml$")
PACK_FILES = ("capacity.toml", "forecast.toml", "vocabulary.toml")  # a rule folder's other files


def builtin_rules_dir() -> Path:
    """The rule pack: inside the installed package, or at the top of a source checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "_rules"
    return packaged if packaged.is_dir() else here.parent / "rules"


class ParamSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    value: Any
    source: str = Field(min_length=3)
    description: str | None = None


class RuleSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[A-Z]{2,4}\d{3}$")
    title: str = Field(min_length=3)
    severity: Severity
    check: str
    summary: str = Field(min_length=3)
    why: str = Field(min_length=20)
    evidence: str = Field(min_length=10)
    fix: str = Field(min_length=10)
    params: dict[str, ParamSpec] = Field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    spec: RuleSpec
    path: Path
    kind: CheckKind
    params: Params
    severity: str
    param_sources: dict[str, str]  # name -> where the value in force came from

    @property
    def id(self) -> str:
        return self.spec.id


def _fail(path: Path, key: str, msg: str) -> RuleFileError:
    return RuleFileError(
        f"key '{key}': {msg}",
        where=str(path),
        hint="see `roadmap-audit rules explain` for a valid rule",
    )


def read_rule_file(
    path: Path, overrides: dict[str, Any] | None = None, set_in: str = "the config"
) -> Rule:
    """Parse and validate one rule file, with config overrides applied.

    A bad value or unknown key that came from the config is reported against the
    config file (`set_in`), with the keys the rule has; one in the rule file itself
    against the rule file."""
    try:
        data = read_toml(path, what="rule file")
    except InputError as exc:
        raise RuleFileError(exc.message, where=exc.where, hint=exc.hint) from exc
    try:
        spec = RuleSpec(**data)
    except ValidationError as exc:
        raise RuleFileError(
            validation_line(exc, RuleSpec),
            where=str(path),
            hint="see `roadmap-audit rules explain` for a valid rule",
        ) from exc
    if spec.id != path.stem:
        raise _fail(path, "id", f"'{spec.id}' does not match the file name {path.name}")
    kind = REGISTRY.get(spec.check)
    if kind is None:
        raise _fail(
            path,
            "check",
            f"unknown check kind '{spec.check}' (known: {', '.join(sorted(REGISTRY))})",
        )
    unknown = [name for name in spec.params if name not in kind.params.model_fields]
    if unknown:  # named before the parameter it misspells is reported missing
        raise _fail(
            path,
            f"params.{unknown[0]}",
            f"unknown key ({did_you_mean(unknown[0], list(kind.params.model_fields), 'keys')})",
        )
    overrides = dict(overrides or {})
    severity = overrides.pop("severity", None) or spec.severity
    values = {name: p.value for name, p in spec.params.items()}
    sources = {name: p.source for name, p in spec.params.items()}
    for name, value in overrides.items():
        if name not in kind.params.model_fields:
            raise InputError(
                f"[rules.{spec.id}] has no key '{name}' "
                f"({did_you_mean(name, ['severity', *kind.params.model_fields], 'its keys')})",
                where=set_in,
            )
        values[name] = value
        sources[name] = "set in the config"
    try:
        params = kind.params(**values)
    except ValidationError as exc:
        name = str(exc.errors()[0]["loc"][0]) if exc.errors()[0]["loc"] else ""
        if name in overrides:
            raise InputError(
                f"[rules.{spec.id}] {validation_line(exc, kind.params)}",
                where=set_in,
                hint=f"`roadmap-audit rules explain {spec.id}` shows the parameters",
            ) from exc
        raise RuleFileError(
            validation_line(exc, kind.params).replace("key '", "key 'params.", 1),
            where=str(path),
            hint="see `roadmap-audit rules explain` for a valid rule",
        ) from exc
    return Rule(spec, path, kind, params, severity, sources)


def check_selectors(
    patterns: list[str], ids: list[str], label: str, where: str | None = None
) -> None:
    """Every id or prefix in --select/--ignore (or the config's) names at least one rule:
    a typo must not silently run nothing, or everything."""
    for raw in patterns:
        pattern = raw.strip().upper()
        if pattern and not any(rid.startswith(pattern) for rid in ids):
            prefixes = sorted({re.sub(r"\d+$", "", rid) for rid in ids})
            near = closest(pattern, ids) or closest(pattern, prefixes)
            raise InputError(
                f"{label} '{raw.strip()}' matches no rule ("
                + (f"did you mean '{near}'? " if near else "")
                + f"prefixes: {', '.join(prefixes)}; `roadmap-audit rules list` shows every id)",
                where=where,
            )


def selected(rule_id: str, select: list[str], ignore: list[str]) -> bool:
    if select and not any(rule_id.startswith(s.strip().upper()) for s in select):
        return False
    return not any(rule_id.startswith(s.strip().upper()) for s in ignore if s.strip())


def load_rules(
    dirs: list[Path],
    overrides: dict[str, dict[str, Any]] | None = None,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    set_in: dict[str, str] | None = None,
) -> list[Rule]:
    """Every rule file in the folders (later folders replace earlier ids), selected.

    Every .toml in a rule folder is a rule named after its id, or one of the pack
    files: a file named otherwise would be a rule silently not run. `set_in` names
    the config file that set each [rules.ID] (for error lines)."""
    by_id: dict[str, Rule] = {}
    overrides = overrides or {}
    set_in = set_in or {}
    for folder in dirs:
        if not folder.exists():
            raise RuleFileError("rule folder not found", where=str(folder))
        if not folder.is_dir():
            raise RuleFileError(
                "is not a folder (--rules and rules_dirs name folders of rule files)",
                where=str(folder),
            )
        for path in sorted(p for p in folder.iterdir() if p.name.lower().endswith(".toml")):
            if path.name in PACK_FILES:
                continue
            if not RULE_FILE.match(path.name):
                raise RuleFileError(
                    "is in a rule folder but is not named after a rule id (like MIG001.toml), "
                    "so its rule would never run",
                    where=str(path),
                    hint=f"rename it to its id; the other files a rule folder may hold are "
                    f"{', '.join(PACK_FILES)}",
                )
            rule = read_rule_file(
                path, overrides.get(path.stem), set_in.get(path.stem, "the config")
            )
            by_id[rule.id] = rule
    for rid in overrides:
        if rid not in by_id:
            near = closest(rid, list(by_id))
            raise RuleFileError(
                f"[rules.{rid}] names no rule ("
                + (f"did you mean '{near}'? " if near else "")
                + "`roadmap-audit rules list` shows every id)",
                where=set_in.get(rid, "the config"),
            )
    check_selectors(select or [], list(by_id), "select")
    check_selectors(ignore or [], list(by_id), "ignore")
    return [r for rid, r in sorted(by_id.items()) if selected(rid, select or [], ignore or [])]


def run_rules(facts: Any, rules: list[Rule]) -> list[Finding]:
    """Run every rule; return findings ranked: severity first, then impact x likelihood."""
    findings: list[Finding] = []
    for rule in rules:
        seen: set[tuple[str, str]] = set()
        why = " ".join(rule.spec.why.split())
        rule_fix = " ".join(rule.spec.fix.split())
        for hit in rule.kind.run(facts, rule.params):
            ident = (hit.subject.kind, hit.subject.id)
            if ident in seen:  # one finding per subject and rule
                continue
            seen.add(ident)
            teams = tuple(dict.fromkeys(t for t in hit.teams if t))
            severity = hit.severity if hit.severity in SEVERITIES else rule.severity
            fix = rule_fix if not hit.fix else " ".join(f"{hit.fix} {rule_fix}".split())
            findings.append(
                Finding.made(
                    rule=rule.id,
                    severity=severity,
                    title=rule.spec.title,
                    subject=hit.subject,
                    team=teams[0] if len(teams) == 1 else None,
                    teams=teams,
                    owner_unit=facts.owner_unit(teams),
                    message=hit.message,
                    why=why,
                    evidence=tuple(hit.evidence)
                    or (Evidence(source=facts.plan.sources[0], location="plan"),),
                    fix=fix,
                    impact=hit.impact,
                    likelihood=hit.likelihood,
                )
            )
    return rank(findings)


def rank(findings: list[Finding]) -> list[Finding]:
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(
        findings,
        key=lambda f: (
            order[f.severity],
            -f.impact * f.likelihood,
            f.rule,
            f.subject.kind,
            f.subject.id,
        ),
    )
