"""One pipeline, one direction: load -> derive -> rules -> score -> Audit.

Formatters take the Audit from here and only present it.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Config
from .engine import Rule, builtin_rules_dir, load_rules, run_rules
from .errors import InputError
from .model import Audit, Plan

if TYPE_CHECKING:
    from .analyze.facts import Facts


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
    return [builtin_rules_dir(), *(Path(d) for d in config.rules_dirs), *(Path(d) for d in options_dirs)]


def pack_file(dirs: list[Path], name: str) -> list[Path]:
    """A pack data file (capacity.toml, vocabulary.toml) from every rule folder that has one."""
    return [d / name for d in dirs if (d / name).is_file()]


def rules_for(options: Options) -> list[Rule]:
    config = options.config
    overrides = {rid: o.model_dump(exclude_none=True) | o.params() for rid, o in config.rules.items()}
    return load_rules(
        rule_dirs(options.rules_dirs, config),
        overrides,
        select=options.select or config.select,
        ignore=[*config.ignore, *options.ignore],
    )


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Batch work: the cyclic collector's full passes wait until the work is done.

    An audit allocates millions of objects that live until the report is written;
    with the default thresholds the collector walks all of them again and again
    (14 full passes for a 100k-item plan), and finds little: the dependency
    graphs' own dicts. Young objects are still collected. Measured on the 50k-item
    benchmark plan: 13.7 -> 12.0 s, peak memory +15 MB. (mypy raises its
    thresholds for the same reason.) The previous thresholds come back after.
    """
    previous = gc.get_threshold()
    gc.set_threshold(50_000, 20, 1_000)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def load(options: Options) -> Plan:
    from .load import load_plan

    with fewer_collections():
        mapping = {**options.config.mapping, "*": options.config.columns}  # [columns] and --map: any sheet
        return load_plan(options.plan, options.context, mapping, jira=options.config.jira,
                         level=options.level, limits=options.config.limits)


def forecast_params(dirs: list[Path], config: Config):
    """The delivery forecast's parameters: forecast.toml from the rule folders, then [forecast]."""
    from .analyze.forecast import load_forecast_params

    return load_forecast_params(pack_file(dirs, "forecast.toml"), config.forecast)[0]


def _quiet(phase: str) -> None:
    pass


def run(options: Options, plan: Plan | None = None, on_phase: Callable[[str], None] = _quiet) -> Audit:
    """The audit of one plan. `on_phase(name)` is called as each phase starts
    (load, derive, forecast, rules, score), for progress display and the benchmark."""
    with fewer_collections():
        return _run(options, plan, on_phase)


def derived(options: Options, plan: Plan) -> Facts:
    """The facts of a loaded plan, with the rule pack's capacity model and vocabulary."""
    from .analyze.facts import Vocabulary, derive, load_params

    config = options.config
    dirs = rule_dirs(options.rules_dirs, config)
    params, _ = load_params(pack_file(dirs, "capacity.toml"), config.capacity)
    vocab_files = pack_file(dirs, "vocabulary.toml")
    if not vocab_files:
        raise InputError("the rule pack has no vocabulary.toml", where=str(dirs[0]))
    return derive(plan, params, Vocabulary.from_file(vocab_files[-1]), options.quarter or config.quarter)


def _run(options: Options, plan: Plan | None, on_phase: Callable[[str], None]) -> Audit:
    from . import score
    from .analyze.forecast import forecast

    config = options.config
    dirs = rule_dirs(options.rules_dirs, config)
    rules = rules_for(options)  # validate rule files before reading a large plan
    if plan is None:
        on_phase("load")
        plan = load(options)
    on_phase("derive")
    facts = derived(options, plan)
    on_phase("forecast")
    facts.forecast = forecast(facts, forecast_params(dirs, config))
    on_phase("rules")
    findings = run_rules(facts, rules)
    on_phase("score")
    teams = score.team_reports(facts, findings)
    cap_rule = next((r for r in rules if r.id == "CAP001"), None)
    max_load = getattr(cap_rule.params, "max_load", 1.0) if cap_rule else 1.0
    verdict, reason = score.verdict(findings, teams)
    items, dependencies = score.item_summaries(facts)
    return Audit(
        plan=score.summary(facts),
        verdict=verdict,
        verdict_reason=reason,
        teams=teams,
        findings=findings,
        recommendations=[*score.defer_advice(facts, max_load), *score.change_advice(findings)],
        org=score.org_rollup(facts, findings, teams),
        data_quality=score.data_quality(facts),
        rules_run=[r.id for r in rules],
        items=items,
        dependencies=dependencies,
        forecast=facts.forecast,
    )
