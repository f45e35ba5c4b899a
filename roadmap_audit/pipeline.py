"""One pipeline, one direction: load -> derive -> rules -> score -> Audit.

Formatters take the Audit from here and only present it.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import Config
from .engine import (
    Rule,
    builtin_rules_dir,
    capacity_rule,
    check_selectors,
    load_rules,
    run_rules,
    selected,
)
from .errors import InputError
from .model import Audit, Plan

if TYPE_CHECKING:
    from pydantic import BaseModel

    from .analyze.capacity import CapacityParams
    from .analyze.facts import Facts
    from .analyze.forecast import ForecastParams


@dataclass
class Options:
    plan: str
    context: list[str] = field(default_factory=list)
    config: Config = field(default_factory=Config)
    rules_dirs: list[str] = field(default_factory=list)  # from --rules, after the config's
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    quarter: str | None = None
    level: str = "issue"  # "epic": child issues roll up into their epics (Jira plans)


def rule_dirs(options_dirs: list[str], config: Config) -> list[Path]:
    return [
        builtin_rules_dir(),
        *(Path(d) for d in config.rules_dirs),
        *(Path(d) for d in options_dirs),
    ]


def pack_file(dirs: list[Path], name: str) -> list[Path]:
    """A pack data file (capacity.toml, vocabulary.toml) from every rule folder that has one."""
    return [
        d / name for d in dirs if (d / name).exists() or (d / name).is_symlink()
    ]  # a pipe is refused, not skipped


def rules_for(options: Options) -> list[Rule]:
    """The rules in force; an id or prefix in --select/--ignore or the config that names
    no rule is an error naming where it was written."""
    config = options.config
    overrides = {
        rid: o.model_dump(exclude_none=True) | o.params() for rid, o in config.rules.items()
    }
    every = load_rules(
        rule_dirs(options.rules_dirs, config),
        overrides,
        set_in={rid: config.where(f"rules.{rid}") for rid in config.rules},
    )
    ids = [r.id for r in every]
    check_selectors(options.select, ids, "--select")
    check_selectors(options.ignore, ids, "--ignore")
    check_selectors(config.select, ids, "select", where=config.where("select"))
    check_selectors(config.ignore, ids, "ignore", where=config.where("ignore"))
    select = options.select or config.select
    ignore = [*config.ignore, *options.ignore]
    return [r for r in every if selected(r.id, select, ignore)]


# Past this many objects made by one batch of work, the collector is told to leave them alone.
FREEZE_PAST = 250_000

# Whether the objects of a batch of work are frozen now (`batch_collections` says so when it freezes
# or gives them back): the report writer reads this rather than `gc.get_freeze_count()`, which on
# Python 3.11 counts every frozen object (hundreds of thousands at org scale).
work_frozen = False


@contextmanager
def batch_collections(*, fresh: bool = False) -> Iterator[None]:
    """Batch work (reading a plan, auditing it): the cyclic collector waits until the work is
    done and, after work at org scale, leaves alone what the work made.

    Reading and auditing a plan allocate millions of objects that live until the report is
    written, and make few reference cycles. A collector that runs while they are made walks
    them again and again and finds next to nothing: at 100k items that was 1.2 s of a Jira
    export's load and 0.7-1.2 s of the audit (CPU), even with raised thresholds; paused, the
    peak grew by 8 MB. Past FREEZE_PAST new objects, what exists when the work ends is frozen
    (`gc.freeze`), so the collections while the report is written do not walk it all again.
    A smaller plan's objects go back to the collector as usual.

    `fresh` (reading a new plan): a process that audits many large plans (a service embedding
    this) gets the earlier plans' frozen objects collected first, so it keeps at most one
    audit frozen.
    """
    global work_frozen
    if fresh:
        if work_frozen or gc.get_freeze_count():
            gc.unfreeze()
            gc.collect()
        work_frozen = False
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_count()[0] > FREEZE_PAST:
            gc.freeze()
            work_frozen = True
        if enabled:
            gc.enable()


def load(options: Options) -> Plan:
    from .load import load_plan

    with batch_collections(fresh=True):
        config = options.config
        mapping = {**config.mapping, "*": config.columns}  # [columns] and --map: any sheet
        # the capacity model's working week is the loader's too: hours and Jira's seconds
        capacity, _ = capacity_params(rule_dirs(options.rules_dirs, config), config)
        return load_plan(
            options.plan,
            [*options.context, *config.context.files],
            mapping,
            jira=config.jira,
            level=options.level,
            limits=config.limits,
            context_config=config.context,
            quarter=options.quarter or config.quarter,
            hours_per_week=capacity.hours_per_week,
        )


@contextmanager
def _config_named(config: Config, section: str) -> Iterator[None]:
    """An error about a [capacity]/[forecast] key the config set names the config file."""
    try:
        yield
    except InputError as exc:
        if exc.where is not None:
            raise
        key = exc.message.split("'")[1] if exc.message.count("'") >= 2 else section
        raise InputError(exc.message, where=config.where(key), hint=exc.hint) from exc


def capacity_params(
    dirs: list[Path], config: Config
) -> tuple[CapacityParams, dict[str, dict[str, Any]]]:
    """The capacity model's coefficients: capacity.toml from the rule folders, then [capacity];
    with {name: value and source}."""
    from .analyze.facts import load_params

    with _config_named(config, "capacity"):
        return load_params(pack_file(dirs, "capacity.toml"), config.capacity)


def _forecast_pack(dirs: list[Path], config: Config) -> tuple[ForecastParams, dict[str, dict]]:
    from .analyze.forecast import load_forecast_params

    with _config_named(config, "forecast"):
        return load_forecast_params(pack_file(dirs, "forecast.toml"), config.forecast)


def pack_params(name: str, dirs: list[Path], config: Config) -> tuple[BaseModel, dict[str, dict]]:
    """(parameters, {name: value and source}) of a model file of the rule pack,
    capacity.toml or forecast.toml, then the config's [capacity] or [forecast]."""
    return capacity_params(dirs, config) if name == "capacity" else _forecast_pack(dirs, config)


def forecast_params(dirs: list[Path], config: Config) -> ForecastParams:
    """The delivery forecast's parameters: forecast.toml from the rule folders, then [forecast]."""
    return _forecast_pack(dirs, config)[0]


def vocabulary(dirs: list[Path]):
    """The vocabulary of the last rule folder that has one, checked: a broken or
    incomplete file is one line naming it, not a classifier that matches nothing."""
    from .analyze.facts import Vocabulary
    from .config import read_toml
    from .errors import did_you_mean
    from .model import ItemKind

    files = pack_file(dirs, "vocabulary.toml")
    if not files:
        raise InputError("the rule pack has no vocabulary.toml", where=str(dirs[0]))
    path = files[-1]
    data = read_toml(path, what="vocabulary file")
    known = [k.value for k in ItemKind]
    kinds = data.get("kinds")
    if not isinstance(kinds, dict) or not kinds:
        raise InputError(
            "has no [kinds.NAME] tables, so no item's kind could be recognised",
            where=str(path),
            hint=f"copy {builtin_rules_dir() / 'vocabulary.toml'} and edit it; kinds: {', '.join(known)}",
        )
    for section in ("kinds", "kind_values"):
        table = data.get(section, {})
        if not isinstance(table, dict):
            raise InputError(f"key '{section}' must be a table", where=str(path))
        for kind, value in table.items():
            if kind not in known:
                raise InputError(
                    f"[{section}.{kind}] is not a kind ({did_you_mean(kind, known, 'kinds')})",
                    where=str(path),
                )
            words = value.get("words") if section == "kinds" and isinstance(value, dict) else value
            if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
                key = f"{section}.{kind}" + (".words" if section == "kinds" else "")
                raise InputError(f"key '{key}' must be a list of words", where=str(path))
    defects = data.get("defect_types", {})
    if not isinstance(defects, dict) or not isinstance(defects.get("words", []), list):
        raise InputError("key 'defect_types.words' must be a list of words", where=str(path))
    try:
        return Vocabulary.from_file(path)
    except (KeyError, ValueError, TypeError) as exc:  # anything the checks above did not foresee
        raise InputError(
            f"cannot be used as a vocabulary ({type(exc).__name__}: {exc})", where=str(path)
        ) from exc


def _quiet(phase: str) -> None:
    pass


def run(
    options: Options, plan: Plan | None = None, on_phase: Callable[[str], None] = _quiet
) -> Audit:
    """The audit of one plan. `on_phase(name)` is called as each phase starts
    (load, derive, forecast, rules, score), for progress display and the benchmark."""
    with batch_collections():
        return _run(options, plan, on_phase)


def derived(options: Options, plan: Plan) -> Facts:
    """The facts of a loaded plan, with the rule pack's capacity model and vocabulary."""
    from .analyze.facts import derive

    config = options.config
    dirs = rule_dirs(options.rules_dirs, config)
    params, _ = capacity_params(dirs, config)
    quarter = options.quarter or config.quarter
    facts = derive(plan, params, vocabulary(dirs), quarter)
    note = _quarter_note(
        plan, quarter, "--quarter" if options.quarter else f"quarter in {config.where('quarter')}"
    )
    if note is not None:
        facts.issues.append(note)
    return facts


def _quarter_note(plan: Plan, quarter: str | None, given_by: str):
    """A note when a quarter given on the command line or in the config replaces a
    different one the Settings sheet states: the reader sees which one the audit used."""
    from .load.dates import parse_quarter, quarter_bounds, required_quarter
    from .model import DataIssue, SourceRef

    s = plan.settings
    if not quarter or not (s.quarter or s.start or s.end or s.weeks):
        return None
    year, q = required_quarter(quarter)
    start, end = quarter_bounds(year, q)
    said = []
    if s.quarter:
        try:
            parsed = parse_quarter(s.quarter)
        except ValueError:
            parsed = None
        if parsed != (year, q):
            said.append(f"quarter {s.quarter}")
    if s.start and s.start != start:
        said.append(f"start {s.start.isoformat()}")
    if s.end and s.end != end:
        said.append(f"end {s.end.isoformat()}")
    if s.weeks and not said:
        weeks = max(1.0, float(round(((end - start).days + 1) / 7)))
        if abs(s.weeks - weeks) >= 0.5:
            said.append(f"weeks {s.weeks:g}")
    if not said:
        return None
    return DataIssue(
        ref=SourceRef(source=plan.sources[0] if plan.sources else "plan", sheet="Settings"),
        problem=f"{given_by} {year}-Q{q} ({start.isoformat()} to {end.isoformat()}) is used; "
        f"the Settings sheet's {', '.join(said)} is not (drop {given_by.split(' in ')[0]} "
        "to use the sheet's)",
    )


def _run(options: Options, plan: Plan | None, on_phase: Callable[[str], None]) -> Audit:
    from . import score
    from .analyze.forecast import Forecaster

    config = options.config
    dirs = rule_dirs(options.rules_dirs, config)
    rules = rules_for(options)  # validate rule files before reading a large plan
    cap_rule = capacity_rule(rules)  # the rule whose file declares capacity_line (CAP001)
    if plan is None:
        on_phase("load")
        plan = load(options)
    on_phase("derive")
    facts = derived(options, plan)
    on_phase("forecast")
    fparams = forecast_params(dirs, config)
    forecaster = Forecaster(facts, fparams)
    facts.forecast = forecaster.forecast()
    on_phase("rules")
    findings = run_rules(facts, rules)
    on_phase("score")
    teams = score.team_reports(facts, findings)
    max_load = (cap_rule.capacity_line if cap_rule else None) or 1.0
    buffer_rule = next((r for r in rules if r.id == "CAP002"), None)
    min_buffer = getattr(buffer_rule.params, "min_buffer", None) if buffer_rule else None
    buffer_line = 1.0 - min_buffer if min_buffer is not None else None
    for_rule = next((r for r in rules if r.id == "FOR001"), None)
    even = (
        getattr(for_rule.params, "min_probability", score.EVEN_CHANCE)
        if for_rule
        else score.EVEN_CHANCE
    )
    teams = score.team_status(facts, teams, max_load=max_load, buffer_line=buffer_line, even=even)
    defers = score.defer_advice(
        facts, max_load, buffer_line, rule=cap_rule.id if cap_rule is not None else None
    )
    deferring = [r for r in defers if r.action == "defer" and r.items]
    if deferring and facts.forecast is not None:
        if facts.forecast.runs >= fparams.runs:
            # the same forecast on the plan as it would be with every suggested deferral applied
            keys = {k for r in deferring for k in r.items}
            # the advice reads the teams' rows and their committed items' chances
            after = forecaster.chances_deferring(keys, {r.team for r in deferring})
            defers = score.delivery_after_deferral(defers, facts.forecast, after)
        else:  # a plan past the forecast's budget gets one forecast, not two
            defers = score.delivery_after_deferral(defers, facts.forecast, None)
    verdict, reason = score.verdict(findings, teams)
    items, dependencies = score.item_summaries(facts)
    # every part made by the program, of its field's type: not validated again (at 50k items a
    # validation walks 120,000 list elements and builds the Audit's schema for nothing)
    return Audit.made(
        plan=score.summary(facts),
        verdict=verdict,
        verdict_reason=reason,
        teams=teams,
        findings=findings,
        recommendations=[*defers, *score.change_advice(findings)],
        org=score.org_rollup(facts, findings, teams),
        data_quality=score.data_quality(facts),
        rules_run=[r.id for r in rules],
        items=items,
        dependencies=dependencies,
        forecast=facts.forecast,
    )
