"""Rule files: load and validate them, bind each to its check kind, run them.

A rule file is pure data (TOML) with a strict schema: an unknown key, a bad value
or an unknown check kind is a one-line error naming the file and the key.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .checks import REGISTRY, CheckKind, Hit, Params
from .config import read_toml
from .errors import InputError, RuleFileError, closest, did_you_mean, validation_line
from .escalation import Escalation, escalated, fact_error
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
    escalate: Escalation | None = None
    # The parameter that is the load at which a team is over capacity: each team's status and
    # the defer advice read it from this rule, and the advice cites this rule.
    capacity_line: str | None = None


@dataclass(frozen=True)
class Rule:
    spec: RuleSpec
    path: Path
    kind: CheckKind
    params: Params
    severity: str
    param_sources: dict[str, str]  # name -> where the value in force came from
    escalation: Escalation | None = None  # the [escalate] table in force (config applied)

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def capacity_line(self) -> float | None:
        """The load above which a team is over capacity, when this rule declares one."""
        name = self.spec.capacity_line
        return None if name is None else float(getattr(self.params, name))


RULE_HINT = "see `roadmap-audit rules explain` for a valid rule"
ESCALATE_HINT = (
    "escalation is the rule file's [escalate] table: to, source, and conditions when "
    "(yes/no facts), at_most, at_least, below, above (numbers)"
)


def _fail(path: Path, key: str, msg: str, hint: str = RULE_HINT) -> RuleFileError:
    return RuleFileError(f"key '{key}': {msg}", where=str(path), hint=hint)


def _spec(path: Path) -> RuleSpec:
    try:
        data = read_toml(path, what="rule file")
    except InputError as exc:
        raise RuleFileError(exc.message, where=exc.where, hint=exc.hint) from exc
    try:
        spec = RuleSpec(**data)
    except ValidationError as exc:
        raise RuleFileError(
            validation_line(exc, RuleSpec), where=str(path), hint=RULE_HINT
        ) from exc
    if spec.id != path.stem:
        raise _fail(path, "id", f"'{spec.id}' does not match the file name {path.name}")
    return spec


def _kind(path: Path, spec: RuleSpec) -> CheckKind:
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
            ESCALATE_HINT if unknown[0].startswith("escalate") else RULE_HINT,
        )
    return kind


def _params(
    path: Path, spec: RuleSpec, kind: CheckKind, overrides: dict[str, Any], set_in: str
) -> tuple[Params, dict[str, str]]:
    """The check's parameters: the rule file's values with the config's on top."""
    values = {name: p.value for name, p in spec.params.items()}
    sources = {name: p.source for name, p in spec.params.items()}
    keys = ["severity", *(["escalate"] if kind.measures else []), *kind.params.model_fields]
    for name, value in overrides.items():
        if name not in kind.params.model_fields:
            raise InputError(
                f"[rules.{spec.id}] has no key '{name}' ({did_you_mean(name, keys, 'its keys')})",
                where=set_in,
                hint=ESCALATE_HINT if name.startswith("escalate") else None,
            )
        values[name] = value
        sources[name] = "set in the config"
    try:
        return kind.params(**values), sources
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
            hint=RULE_HINT,
        ) from exc


def _escalation(
    path: Path, spec: RuleSpec, kind: CheckKind, override: Any, set_in: str
) -> Escalation | None:
    """The rule file's [escalate] table, with a config's [rules.ID.escalate] keys on top
    (`escalate = false` there turns it off); every fact it names is one the check measures."""
    escalation = spec.escalate
    if override is False:
        return None
    if override is not None:
        if not isinstance(override, dict):
            raise InputError(
                f"[rules.{spec.id}] key 'escalate' must be a table ([rules.{spec.id}.escalate]) "
                "or false",
                where=set_in,
                hint=ESCALATE_HINT,
            )
        base = spec.escalate.model_dump() if spec.escalate else {}
        try:
            escalation = Escalation(**{**base, "source": "set in the config", **override})
        except ValidationError as exc:
            raise InputError(
                f"[rules.{spec.id}] {validation_line(exc, Escalation, 'escalate.')}",
                where=set_in,
                hint=ESCALATE_HINT,
            ) from exc
    wrong = fact_error(escalation, kind.measures) if escalation else None
    if wrong and override is not None:
        raise InputError(f"[rules.{spec.id}] key '{wrong[0]}': {wrong[1]}", where=set_in)
    if wrong:
        raise _fail(path, wrong[0], wrong[1], ESCALATE_HINT)
    return escalation


def _capacity_line(path: Path, spec: RuleSpec, params: Params) -> None:
    name = spec.capacity_line
    if name is None:
        return
    value = getattr(params, name, None)
    if name not in type(params).model_fields or isinstance(value, bool):
        raise _fail(
            path,
            "capacity_line",
            f"'{name}' is not a number parameter of this rule "
            f"({did_you_mean(name, list(type(params).model_fields), 'its parameters')})",
        )
    if not isinstance(value, int | float):
        raise _fail(path, "capacity_line", f"parameter '{name}' has no number set")


def read_rule_file(
    path: Path, overrides: dict[str, Any] | None = None, set_in: str = "the config"
) -> Rule:
    """Parse and validate one rule file, with config overrides applied.

    A bad value or unknown key that came from the config is reported against the
    config file (`set_in`), with the keys the rule has; one in the rule file itself
    against the rule file."""
    spec = _spec(path)
    kind = _kind(path, spec)
    overrides = dict(overrides or {})
    severity = overrides.pop("severity", None) or spec.severity
    escalation = _escalation(path, spec, kind, overrides.pop("escalate", None), set_in)
    params, sources = _params(path, spec, kind, overrides, set_in)
    _capacity_line(path, spec, params)
    return Rule(spec, path, kind, params, severity, sources, escalation)


def capacity_rule(rules: list[Rule]) -> Rule | None:
    """The rule of those that run that declares the capacity line (CAP001 in the shipped pack).
    Two that do are an error: which line a team's status and the advice hold to would be a guess."""
    declaring = [r for r in rules if r.spec.capacity_line is not None]
    if len(declaring) > 1:
        first, second = declaring[:2]
        raise _fail(
            second.path,
            "capacity_line",
            f"{first.id} ({first.path}) declares the capacity line too, and one rule may",
            hint=f"remove capacity_line from one of them, or run one (--ignore {second.id})",
        )
    return declaring[0] if declaring else None


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


def rule_files(folder: Path) -> list[Path]:
    """The rule files of one rule folder. Every .toml in it is a rule named after its id, or
    one of the pack files: a file named otherwise would be a rule silently not run."""
    if not folder.exists():
        raise RuleFileError("rule folder not found", where=str(folder))
    if not folder.is_dir():
        raise RuleFileError(
            "is not a folder (--rules and rules_dirs name folders of rule files)",
            where=str(folder),
        )
    found = []
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
        found.append(path)
    return found


def _every_override_names_a_rule(
    overrides: dict[str, dict[str, Any]], ids: list[str], set_in: dict[str, str]
) -> None:
    for rid in overrides:
        if rid not in ids:
            near = closest(rid, ids)
            raise RuleFileError(
                f"[rules.{rid}] names no rule ("
                + (f"did you mean '{near}'? " if near else "")
                + "`roadmap-audit rules list` shows every id)",
                where=set_in.get(rid, "the config"),
            )


def load_rules(
    dirs: list[Path],
    overrides: dict[str, dict[str, Any]] | None = None,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    set_in: dict[str, str] | None = None,
) -> list[Rule]:
    """Every rule file in the folders (later folders replace earlier ids), selected.

    `set_in` names the config file that set each [rules.ID] (for error lines)."""
    by_id: dict[str, Rule] = {}
    overrides = overrides or {}
    set_in = set_in or {}
    for folder in dirs:
        for path in rule_files(folder):
            rule = read_rule_file(
                path, overrides.get(path.stem), set_in.get(path.stem, "the config")
            )
            by_id[rule.id] = rule
    _every_override_names_a_rule(overrides, list(by_id), set_in)
    check_selectors(select or [], list(by_id), "select")
    check_selectors(ignore or [], list(by_id), "ignore")
    return [r for rid, r in sorted(by_id.items()) if selected(rid, select or [], ignore or [])]


def run_rules(facts: Any, rules: list[Rule]) -> list[Finding]:
    """Run every rule; return findings ranked: severity first, then impact x likelihood, then
    rule and subject (each finding's place worked out as it is made)."""
    ranked: list[tuple[Rank, Finding]] = []
    owner_units: dict[tuple[str, ...], str | None] = {}  # many findings name the same teams
    for rule in rules:
        ranked += _findings(facts, rule, owner_units)
    ranked.sort(key=itemgetter(0))
    return [finding for _, finding in ranked]


Rank = tuple[int, float, str, str, str]
_ORDER = {s: i for i, s in enumerate(SEVERITIES)}


def _unmet(measured: Any) -> bool:
    """Whether no [escalate] condition can hold for these measured facts: each is not measured
    (None) or a no. A number, 0 included, may meet a bound; a yes may be named in `when`."""
    return all(v is None or v is False for v in measured.values())


def _teams(named: tuple[str, ...]) -> tuple[str, ...]:
    """The teams a hit names, each once, blanks dropped, in their order."""
    if len(named) == 1:  # most hits name one team
        return tuple(named) if named[0] else ()
    return tuple(dict.fromkeys(t for t in named if t))


def _owner_unit(
    facts: Any, teams: tuple[str, ...], known: dict[tuple[str, ...], str | None]
) -> str | None:
    """facts.owner_unit(teams), once per distinct teams: one team is its own owner unit."""
    if len(teams) < 2:
        return teams[0] if teams else None
    if teams not in known:
        known[teams] = facts.owner_unit(teams)
    return known[teams]


def _findings(
    facts: Any,
    rule: Rule,
    owner_units: dict[tuple[str, ...], str | None],
) -> Iterator[tuple[Rank, Finding]]:
    """The findings of one rule: one per subject (its first hit), stamped with the rule's texts.
    Every value is one the program made itself, of the field's type: built without validation."""
    seen: set[tuple[str, str]] = set()
    rule_id, title = rule.id, rule.spec.title
    why = " ".join(rule.spec.why.split())
    fixes = _Fixes(" ".join(rule.spec.fix.split()))
    fresh = Finding._fresh
    severities = _Severities(rule)
    no_evidence: tuple[Evidence, ...] | None = None  # the plan as a whole, made once if needed
    for hit in rule.kind.run(facts, rule.params):
        subject, message, evidence, named, _, impact, likelihood, concrete, _, _, _ = hit
        kind, sid = subject.kind, subject.id
        ident = (kind, sid)
        if ident in seen:  # one finding per subject and rule
            continue
        seen.add(ident)
        teams: tuple[str, ...]
        if len(named) == 1 and type(named) is tuple:  # most hits name one team: its own unit
            teams = named if named[0] else ()
            owner_unit = teams[0] if teams else None
        else:
            teams = _teams(named)
            owner_unit = _owner_unit(facts, teams, owner_units)
        severity, message = severities.of(hit)
        if not evidence:
            if no_evidence is None:
                no_evidence = (Evidence.made(source=facts.plan.sources[0], location="plan"),)
            evidence = no_evidence
        yield (
            (_ORDER[severity], -impact * likelihood, rule_id, kind, sid),
            fresh(
                {
                    "rule": rule_id,
                    "severity": severity,
                    "title": title,
                    "subject": subject,
                    "team": teams[0] if len(teams) == 1 else None,
                    "teams": teams,
                    "owner_unit": owner_unit,
                    "message": message,
                    "why": why,
                    "evidence": evidence if type(evidence) is tuple else tuple(evidence),
                    "fix": fixes[concrete],
                    "impact": impact,
                    "likelihood": likelihood,
                }
            ),
        )


class _Severities:
    """(severity, message) of each hit under one rule: the rule's [escalate] decided once per
    distinct measurement (many hits measure the same facts), else the check's or the rule's."""

    def __init__(self, rule: Rule):
        self.rule = rule
        self.plain = rule.escalation is None  # no [escalate]
        self.decisions: dict[tuple[Any, ...], tuple[str | None, str | None]] = {}

    def of(self, hit: Hit) -> tuple[str, str]:
        measured = hit.measured
        outcome = _NOT_ESCALATED  # the hit's severity or the rule's
        if not self.plain and measured:
            # with their types: a count of 1 is not a yes
            key = (
                tuple(measured.items()),
                tuple(map(type, measured.values())),
                tuple(hit.notes.items()),
            )
            found = self.decisions.get(key)
            if found is None:
                found = self.decisions[key] = (
                    _NOT_ESCALATED if _unmet(measured) else escalated(self.rule.escalation, hit)
                )
            outcome = found
        if outcome is _NOT_ESCALATED and hit.ceiling is None:  # most hits: the message as it is
            severity = hit.severity
            return severity if severity in _ORDER else self.rule.severity, hit.message
        return _applied(self.rule, hit, outcome)


_NOT_ESCALATED: tuple[str | None, str | None] = (None, None)


class _Fixes(dict[str | None, str]):
    """A hit's concrete fix -> the finding's: in single spaces, before the rule's (already in
    single spaces); each distinct text joined once (many hits give the same concrete fix)."""

    def __init__(self, rule_fix: str):
        super().__init__({None: rule_fix})
        self.rule_fix = rule_fix

    def __missing__(self, concrete: str) -> str:
        fix = self[concrete] = _fix(concrete, self.rule_fix)
        return fix


def _fix(concrete: str | None, rule_fix: str) -> str:
    """The hit's concrete fix, in single spaces, before the rule's (already in single spaces)."""
    said = " ".join(concrete.split()) if concrete else ""
    return f"{said} {rule_fix}" if said and rule_fix else said or rule_fix


def decided(rule: Rule, hit: Hit) -> tuple[str, str]:
    """(severity, message) of a hit under its rule: the rule's [escalate] table when one of its
    conditions holds (the message then gains the check's note on why), else the severity the
    check decided, else the rule's."""
    return _applied(rule, hit, escalated(rule.escalation, hit))


def _applied(rule: Rule, hit: Hit, outcome: tuple[str | None, str | None]) -> tuple[str, str]:
    """(severity, message) of a hit given what its rule's [escalate] gave it (escalated)."""
    severity, note = outcome
    if severity is None:
        severity = hit.severity if hit.severity in SEVERITIES else rule.severity
    message = hit.message + (f"; {note}" if note else "")
    if hit.ceiling is not None and _ORDER[severity] < _ORDER[hit.ceiling[0]]:
        severity, message = hit.ceiling[0], f"{message}; {hit.ceiling[1]}"
    return severity, message
