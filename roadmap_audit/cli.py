"""The `roadmap-audit` command. Thin: options -> pipeline -> writer.

Heavy libraries are imported inside the commands, so `--help` stays instant.
Exit codes: 0 done; 1 findings at or above --fail-on; 2 bad usage or unreadable input.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path

import click

from . import __version__
from .errors import InputError

SEVERITY_CHOICES = ["critical", "high", "medium", "low", "info"]
FORMAT_CHOICES = ["html", "json", "md", "text", "xlsx"]
_EXT_FORMATS = {
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".md": "md",
    ".markdown": "md",
    ".txt": "text",
    ".xlsx": "xlsx",
}


class Guarded(click.Group):
    """Turns every failure into one line on stderr and exit code 2; --debug shows the trace."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # --debug is accepted anywhere before "--": `audit plan.xlsx --debug` as well as `--debug audit ...`
        end = args.index("--") if "--" in args else len(args)
        if "--debug" in args[:end]:
            args = ["--debug", *(a for i, a in enumerate(args) if not (i < end and a == "--debug"))]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):  # noqa: ANN201
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except BrokenPipeError:
            # the reader went away (`rules list | head -1`): stop quietly, as `cat` would
            try:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
            except (OSError, ValueError):
                pass
            ctx.exit(141)  # 128 + SIGPIPE, what a shell reports for a writer whose reader left
        except InputError as exc:
            _die(exc.line(), ctx)
        except KeyboardInterrupt:
            _die("interrupted", ctx)
        except MemoryError:
            _die(
                "ran out of memory (lower [limits] max_rows or [forecast] runs, or split the plan)",
                ctx,
            )
        except Exception as exc:  # a bug, or an input nobody foresaw: never a bare traceback
            _die(
                f"unexpected error: {type(exc).__name__}: {str(exc)[:200]} "
                "(run again with --debug and report the trace)",
                ctx,
            )


def _die(message: str, ctx: click.Context) -> None:
    if ctx.obj and ctx.obj.get("debug"):
        traceback.print_exc()
    click.echo(f"roadmap-audit: error: {message}", err=True)
    ctx.exit(2)


_DEBUG_HELP = "--debug (anywhere on the line) prints the full trace of an unexpected error."
_AUDIT_EPILOG = f"""\b
Output: with -o FILE, the report is written there (format from the extension)
  and a one-line verdict goes to stderr. Without -o, HTML is written to
  PLAN-audit.html in the current folder; --format json, md or text print to
  stdout; xlsx needs -o.
\b
Exit codes: 0 done (whatever the verdict); 1 a finding at or above --fail-on
  (the findings that tripped it are listed on stderr); 2 bad input or usage
  (one line on stderr).
{_DEBUG_HELP}
"""
_DIFF_EPILOG = f"""\b
Output: with -o FILE, the comparison is written there and a one-line summary
  goes to stderr. Without -o, HTML is written to NEW-diff.html in the current
  folder; --format json, md or text print to stdout.
\b
Exit codes: 0 done; 1 NEW brings a finding at or above --fail-on; 2 bad input
  or usage (one line on stderr).
{_DEBUG_HELP}
"""
_VALIDATE_EPILOG = f"""\b
Output: always to stdout (text, or JSON with --format json).
\b
Exit codes: 0 the plan was read (data notes are listed, not failures); 2 bad
  input or usage (one line on stderr).
{_DEBUG_HELP}
"""


@click.group(
    cls=Guarded, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100}
)
@click.version_option(__version__, prog_name="roadmap-audit")
@click.option("--debug", is_flag=True, help="Show the full trace of an unexpected error.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Read a quarter's engineering plan and show, before the quarter starts, where it
    will turn into incidents.

    \b
    Start with:  roadmap-audit audit sample_plans/northwind-2026-Q3.xlsx -o report.html
    A blank plan: roadmap-audit template my-plan.xlsx
    Exit codes:  0 done; 1 a finding at or above --fail-on; 2 bad input or usage.
    """
    ctx.obj = {"debug": debug}


def _plan_options(fn):
    fn = click.option(
        "--context",
        "context",
        multiple=True,
        type=click.Path(),
        help="Workbook or CSV with Teams, Services, Org, Actions, Incidents; or a Jira field "
        "list (.json) for a Jira plan (repeatable).",
    )(fn)
    fn = click.option(
        "--config",
        "config_file",
        type=click.Path(),
        help="Config TOML (default: ./roadmap-audit.toml or [tool.roadmap-audit] in ./pyproject.toml).",
    )(fn)
    fn = click.option(
        "--quarter", help="Planning quarter, e.g. 2026-Q3 (overrides the Settings sheet)."
    )(fn)
    fn = click.option(
        "--level",
        type=click.Choice(["issue", "epic"]),
        default="issue",
        show_default=True,
        help="Plan items: every issue, or epics with their child issues rolled up into them.",
    )(fn)
    fn = click.option(
        "--map",
        "maps",
        multiple=True,
        metavar="'HEADER=FIELD'",
        help="Read a column as a field no alias covers, e.g. --map 'Our Column=title' or "
        "'Team size=teams.headcount' (repeatable; adds to [columns] in the config).",
    )(fn)
    return fn


def _format_for(
    output: str | None, fmt: str | None, writes: tuple[str, ...] = tuple(FORMAT_CHOICES)
) -> str:
    """The report format: --format, else from the -o extension, else html. An extension
    the tool does not write (.csv, .xls, .xlsm) is refused, never silently given HTML."""
    from .report import NOT_WRITTEN

    if not output:
        return fmt or "html"
    suffix = Path(output).suffix.lower()
    known = _EXT_FORMATS.get(suffix)
    formats = ", ".join({"text": ".txt"}.get(f, f".{f}") for f in writes)
    if suffix in NOT_WRITTEN:
        raise InputError(
            f"the report cannot be written as '{suffix}'",
            where=output,
            hint=f"it is written as {formats}",
        )
    if suffix and known is None and fmt is None:
        raise InputError(
            f"the report cannot be written as '{suffix}'",
            where=output,
            hint=f"it is written as {formats}; or give --format for another extension",
        )
    chosen = fmt or known or "html"
    if chosen not in writes:
        raise InputError(
            f"the report cannot be written as '{suffix}'",
            where=output,
            hint=f"it is written as {formats}",
        )
    return chosen


def _guard_paths(
    inputs: list[str],
    config_file: str | None,
    output: str | None = None,
    rules_dirs: tuple[str, ...] = (),
) -> None:
    """Before anything is read: every input exists, and -o is none of them (nor a link to one)."""
    from .config import default_config_files
    from .report import check_output

    for path in inputs:
        if not os.path.lexists(path):
            raise InputError("not found", where=path, hint="check the path")
    if output:
        protected = [
            *inputs,
            *rules_dirs,
            *(p for p in [config_file] if p),
            *(str(p) for p in default_config_files() if p.is_file()),
        ]
        check_output(output, protected)


def _column_map(maps: tuple[str, ...]) -> dict[str, str]:
    """--map 'Our Column=field' options as a header -> field table."""
    out = {}
    for text in maps:
        header, sep, field = text.rpartition("=")
        if not sep or not header.strip() or not field.strip():
            raise click.BadParameter(
                f"'{text}' is not HEADER=FIELD, e.g. 'Our Column=title'", param_hint="--map"
            )
        out[header.strip()] = field.strip()
    return out


def _options(
    plan: str,
    context: tuple[str, ...],
    config_file: str | None,
    quarter: str | None,
    rules_dirs: tuple[str, ...] = (),
    select: str | None = None,
    ignore: str | None = None,
    level: str = "issue",
    maps: tuple[str, ...] = (),
):
    from .config import load_config
    from .load.cells import ParseError
    from .load.dates import parse_quarter
    from .pipeline import Options

    if quarter:
        try:
            if parse_quarter(quarter) is None:
                raise ParseError("is empty; write it like 2026-Q3")
        except ParseError as exc:
            raise click.BadParameter(str(exc), param_hint="--quarter") from None
    config = load_config(config_file)
    if maps:
        config = config.model_copy(update={"columns": {**config.columns, **_column_map(maps)}})
    split = lambda s: [x.strip() for x in (s or "").split(",") if x.strip()]  # noqa: E731
    return Options(
        plan=plan,
        context=list(context),
        config=config,
        rules_dirs=list(rules_dirs),
        level=level,
        select=split(select),
        ignore=split(ignore),
        quarter=quarter,
    )


class _Progress:
    """Phase messages on a terminal; silent when stderr is piped or in CI."""

    def __init__(self) -> None:
        self.on = sys.stderr.isatty() and not os.environ.get("CI")

    def __call__(self, text: str) -> None:
        if self.on:
            click.echo(f"\r\033[K{text}…", err=True, nl=False)

    def done(self) -> None:
        if self.on:
            click.echo("\r\033[K", err=True, nl=False)


_PHASES = {
    "derive": "deriving capacity and graphs",
    "forecast": "forecasting delivery",
    "rules": "running the rules",
    "score": "scoring",
}


@main.command(epilog=_AUDIT_EPILOG)
@click.argument("plan", type=click.Path())
@_plan_options
@click.option(
    "-o", "--output", type=click.Path(), help="Write the report here (format from the extension)."
)
@click.option(
    "--format", "fmt", type=click.Choice(FORMAT_CHOICES), help="Report format (default html)."
)
@click.option(
    "--rules",
    "rules_dirs",
    multiple=True,
    type=click.Path(),
    help="Extra folder of rule files (repeatable).",
)
@click.option(
    "--select", help="Only these rule ids or prefixes, comma-separated (e.g. MIG,CAP001)."
)
@click.option("--ignore", help="Skip these rule ids or prefixes, comma-separated.")
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITY_CHOICES),
    help="Exit 1 if any finding is at or above this severity.",
)
@click.option(
    "--redact-people",
    is_flag=True,
    help="Replace people's names with stable pseudonyms everywhere "
    "(a keyed hash when ROADMAP_AUDIT_REDACT_KEY is set).",
)
def audit(
    plan,
    context,
    config_file,
    quarter,
    level,
    maps,
    output,
    fmt,
    rules_dirs,
    select,
    ignore,
    fail_on,
    redact_people,
):
    """Audit PLAN and write the risk report.

    PLAN is a workbook (.xlsx, .xlsm, .xlsb, .xls, .ods), a .csv, a folder of CSVs, or a Jira
    export (CSV, or REST search JSON pages)."""
    from . import pipeline
    from .redact import key_from_environment, redactor_for
    from .report import stream, write_atomic

    fmt = _format_for(output, fmt)
    if fmt == "xlsx" and not output:
        raise click.UsageError("--format xlsx needs -o FILE.xlsx")
    if not output and fmt == "html":
        output = f"{Path(plan).stem}-audit.html"
    _guard_paths([plan, *context], config_file, output, rules_dirs)
    options = _options(plan, context, config_file, quarter, rules_dirs, select, ignore, level, maps)
    progress = _Progress()
    progress("reading the plan")
    loaded = pipeline.load(options)
    redactor = redactor_for(loaded, key_from_environment()) if redact_people else None
    if redactor is not None:
        loaded = redactor.plan(loaded)
    result = pipeline.run(options, loaded, on_phase=lambda p: progress(_PHASES.get(p, p)))
    progress(f"writing the {fmt} report")
    # colour only when the text goes to a terminal, never into a file
    body = stream(
        fmt,
        result,
        plan_path=plan,
        plan=loaded,
        redactor=redactor,
        colour=None if not output else False,
    )
    if output:
        target = Path(output)
        write_atomic(target, body)
        progress.done()
        click.echo(_summary_line(result, str(target)), err=True)
    else:
        first = True
        for piece in body:
            if first:
                progress.done()
                first = False
            click.echo(piece if isinstance(piece, str) else piece.decode(), nl=False)
    fail_on = fail_on or options.config.fail_on
    if fail_on:
        limit = SEVERITY_CHOICES.index(fail_on)
        tripped = [f for f in result.findings if SEVERITY_CHOICES.index(f.severity) <= limit]
        if tripped:
            named = ", ".join(f"{f.rule} {f.subject.id}" for f in tripped[:10])
            more = f" and {len(tripped) - 10} more" if len(tripped) > 10 else ""
            click.echo(
                f"--fail-on {fail_on}: {len(tripped)} finding{'s' if len(tripped) != 1 else ''} "
                f"at or above {fail_on}: {named}{more}",
                err=True,
            )
            sys.exit(1)


def _summary_line(result, output: str) -> str:
    from collections import Counter

    counts = Counter(f.severity for f in result.findings)
    parts = ", ".join(f"{counts[s]} {s}" for s in SEVERITY_CHOICES if counts[s]) or "no findings"
    unchecked = [t.team for t in result.teams if not t.capacity_known]
    if unchecked:
        parts += (
            f"; load not checked for {len(unchecked)} of {len(result.teams)} "
            f"team{'s' if len(result.teams) != 1 else ''}: no headcount"
        )
    return f"verdict: {result.verdict} ({parts}); report written to {output}"


@main.command(epilog=_DIFF_EPILOG)
@click.argument("old", type=click.Path())
@click.argument("new", type=click.Path())
@_plan_options
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    help="Write the comparison here (format from the extension).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "json", "md", "text"]),
    help="Format (default html).",
)
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITY_CHOICES),
    help="Exit 1 if NEW brings a finding at or above this severity (new, or worse than in OLD).",
)
@click.option(
    "--redact-people",
    is_flag=True,
    help="Replace people's names with stable pseudonyms everywhere "
    "(a keyed hash when ROADMAP_AUDIT_REDACT_KEY is set).",
)
def diff(old, new, context, config_file, quarter, level, maps, output, fmt, fail_on, redact_people):
    """Compare two plans, OLD (earlier) and NEW (later): findings resolved and new, team load before
    and after, items added, removed, moved or changed, and the verdict change."""
    import dataclasses

    from . import pipeline
    from .diff import compare, refuse_reports
    from .redact import Redactor, key_from_environment, people
    from .report import write_atomic
    from .report.diff_report import render_diff, summary_line

    fmt = _format_for(output, fmt, ("html", "json", "md", "text"))
    if not output and fmt == "html":
        output = f"{Path(new).stem}-diff.html"
    _guard_paths([old, new, *context], config_file, output)
    refuse_reports(old, new)
    before_options = _options(old, context, config_file, quarter, level=level, maps=maps)
    after_options = dataclasses.replace(before_options, plan=new)
    progress = _Progress()
    plans = []
    for label, options in (("earlier", before_options), ("later", after_options)):
        progress(f"reading the {label} plan")
        plans.append((label, options, pipeline.load(options)))
    if redact_people:  # one redactor for both plans: a person keeps one pseudonym on both sides
        redactor = Redactor.for_names(
            set().union(*(people(loaded) for _, _, loaded in plans)), key_from_environment()
        )
        plans = [(label, options, redactor.plan(loaded)) for label, options, loaded in plans]
    audits = [
        (
            pipeline.run(
                options,
                loaded,
                on_phase=lambda p, label=label: progress(f"{label} plan: {_PHASES.get(p, p)}"),
            ),
            loaded,
        )
        for label, options, loaded in plans
    ]
    result = compare(audits[0][0], audits[0][1], audits[1][0], audits[1][1])
    body = render_diff(fmt, result)
    progress.done()
    target = Path(output) if output else None
    if target is None:
        click.echo(body, nl=False)
    else:
        write_atomic(target, body)
        click.echo(f"{summary_line(result)}; comparison written to {target}", err=True)
    fail_on = fail_on or before_options.config.fail_on
    if fail_on and result.worsened_at(fail_on):
        sys.exit(1)


@main.command(epilog=_VALIDATE_EPILOG)
@click.argument("plan", type=click.Path())
@_plan_options
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def validate(plan, context, config_file, quarter, level, maps, fmt):
    """Read PLAN without running the rules and report data quality: every row used or reported."""
    import json

    from . import pipeline

    _guard_paths([plan, *context], config_file)
    options = _options(plan, context, config_file, quarter, level=level, maps=maps)
    loaded = pipeline.load(options)
    issues = pipeline.derived(options, loaded).issues  # the loader's notes, and how sizes were read
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "sources": loaded.sources,
                    "rows_read": loaded.rows_read,
                    "rows_used": loaded.rows_used,
                    "items": len(loaded.items),
                    "teams": len(loaded.teams),
                    "services": len(loaded.services),
                    "headers": [
                        {
                            "source": h.source,
                            "sheet": h.sheet,
                            "row": h.row,
                            "columns": [
                                {"column": c, "header": t, "read_as": r} for c, t, r in h.columns
                            ],
                        }
                        for h in loaded.headers
                    ],
                    "issues": [
                        {
                            "source": i.ref.source,
                            "location": i.ref.location,
                            "problem": i.problem,
                            "row_dropped": i.row_dropped,
                            "rows": i.count,
                        }
                        for i in issues
                    ],
                },
                indent=2,
            )
        )
        return
    from .report.view import strip_controls

    def say(line: str) -> None:  # a cell's escape sequences never reach the terminal
        click.echo(strip_controls(line))

    say(
        f"{', '.join(loaded.sources)}: {loaded.rows_read} rows read, {loaded.rows_used} used; "
        f"{len(loaded.items)} items, {len(loaded.teams)} teams, {len(loaded.services)} services, "
        f"{len(loaded.actions)} actions, {len(loaded.incidents)} incidents"
    )
    from .load.words import normalize_name

    for header in loaded.headers:  # what each header was read as, before the notes
        if all(normalize_name(t) == normalize_name(r) for _, t, r in header.columns):
            read = f"{len(header.columns)} columns, each read as the field it names"
        else:
            read = "; ".join(
                f"{c} '{t}' {'→ ' + r if not r.startswith('kept') else r}"
                for c, t, r in header.columns
            )
        say(f"  {header.source} {header.sheet}!{header.row} (header row): {read}")
    for issue in issues:
        mark = "row not used" if issue.row_dropped else "note"
        say(f"  {issue.ref.source} {issue.ref.location}: {issue.problem} [{mark}]")
    if not issues:
        click.echo("  no data problems")


@main.group()
def rules():
    """List the rules, or explain one."""


@rules.command("list")
@click.option("--config", "config_file", type=click.Path(), help="Config TOML.")
@click.option(
    "--rules", "rules_dirs", multiple=True, type=click.Path(), help="Extra folder of rule files."
)
def rules_list(config_file, rules_dirs):
    """Ids, severities and one-line intent of every rule."""
    from .config import load_config
    from .pipeline import Options, rules_for

    for rule in rules_for(
        Options(plan="", config=load_config(config_file), rules_dirs=list(rules_dirs))
    ):
        click.echo(f"{rule.id}  {rule.severity:<8}  {rule.spec.summary}")


@rules.command("explain")
@click.argument("rule_id")
@click.option("--config", "config_file", type=click.Path(), help="Config TOML.")
@click.option(
    "--rules", "rules_dirs", multiple=True, type=click.Path(), help="Extra folder of rule files."
)
def rules_explain(rule_id, config_file, rules_dirs):
    """Why a rule matters, what it looks for, its parameters and their sources, and the fix."""
    import textwrap

    from .config import load_config
    from .pipeline import Options, rules_for

    every = rules_for(
        Options(plan="", config=load_config(config_file), rules_dirs=list(rules_dirs))
    )
    found = [r for r in every if r.id == rule_id.upper()]
    if not found:
        from .errors import closest

        near = closest(rule_id.upper(), [r.id for r in every])
        raise InputError(
            f"no rule '{rule_id}'",
            hint=(f"did you mean '{near}'? " if near else "")
            + "`roadmap-audit rules list` shows the ids",
        )
    rule = found[0]

    def wrap(text: str) -> str:
        return textwrap.fill(
            " ".join(text.split()), 88, initial_indent="  ", subsequent_indent="  "
        )

    click.echo(f"{rule.id} — {rule.spec.title}  [{rule.severity}, check: {rule.spec.check}]")
    click.echo(f"  file: {rule.path.name}")
    for head, text in (
        ("Why it matters", rule.spec.why),
        ("Evidence it looks for", rule.spec.evidence),
        ("Fix", rule.spec.fix),
    ):
        click.echo(f"\n{head}\n{wrap(text)}")
    values = rule.params.model_dump(mode="json")
    models = []
    if rule.spec.check == "committed_item_unlikely_on_time":
        models.append(("forecast", "Delivery forecast"))
    if rule.id.startswith("CAP"):
        models.append(("capacity", "Capacity model"))
    for name, title in models:
        from .pipeline import pack_params, rule_dirs

        config = load_config(config_file)
        _, described = pack_params(name, rule_dirs(list(rules_dirs), config), config)
        click.echo(f"\n{title} (rules/{name}.toml; override under [{name}])")
        for key, spec in described.items():
            click.echo(
                f"  {key} = {toml_value(spec['value'])}\n      source: {spec.get('source', '')}"
            )
    if values:
        click.echo("\nParameters (value in force — source)")
        for name, value in values.items():
            source = rule.param_sources.get(
                name,
                "not set in the rule file; the value the check uses when nothing is given (convention of this project)",
            )
            click.echo(f"  {name} = {toml_value(value)}\n      source: {source}")
    _explain_escalation(rule)


def _explain_escalation(rule) -> None:
    """The rule's [escalate] table in force, and the facts its check measures for one."""
    esc, measures = rule.escalation, rule.kind.measures
    if esc is not None:
        click.echo(
            f"\nEscalation (override under [rules.{rule.id}.escalate]; escalate = false there "
            f"turns it off): {esc.to} when {esc.described()}"
        )
        for key, value in esc.model_dump(exclude={"source"}).items():
            if value:
                click.echo(f"  {key} = {toml_value(value)}")
        click.echo(f"      source: {esc.source}")
    if measures:
        click.echo("\nFacts the check measures (what [escalate] conditions may name)")
        for name, fact in measures.items():
            kind = "yes/no, for when" if fact.kind == "flag" else "a number, for a bound"
            click.echo(f"  {name}: {fact.says} ({kind})")


def toml_value(value) -> str:
    """A parameter as it is written in a config file, so a line of `rules explain` can be copied."""
    if value is None:
        return "(not set)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{ "
            + ", ".join(f"{json.dumps(str(k))} = {toml_value(v)}" for k, v in value.items())
            + " }"
        )
    return json.dumps(str(value), ensure_ascii=False)


@main.command()
@click.argument("path", type=click.Path())
@click.option(
    "--from",
    "from_plan",
    type=click.Path(),
    help="Write the context workbook this plan lacks instead: a Teams row for each team that owns "
    "items with no staffing row, a Services row for each service named on items; fill in the "
    "numbers and pass it with --context.",
)
@_plan_options
def template(path, from_plan, context, config_file, quarter, level, maps):
    """Write a blank plan workbook with header notes, example rows and data validation."""
    from .template import rows_for, write_template

    if from_plan is None:
        if context or config_file or level != "issue" or maps:
            raise click.UsageError("--context, --config, --level and --map go with --from PLAN")
        write_template(Path(path))
        click.echo(f"template written to {path}", err=True)
        return
    from . import pipeline

    _guard_paths([from_plan, *context], config_file)
    rows = rows_for(
        pipeline.load(_options(from_plan, context, config_file, quarter, level=level, maps=maps))
    )
    if not rows["Teams"] and not rows["Services"]:
        raise InputError(
            "every team that owns items already has a staffing row, and every service named "
            "on items a Services row",
            where=from_plan,
            hint="nothing to write",
        )
    write_template(Path(path), rows=rows)
    click.echo(
        f"context workbook written to {path}: {len(rows['Teams'])} teams and {len(rows['Services'])} "
        f"services to fill in (headcount first); audit with --context {path}",
        err=True,
    )


if __name__ == "__main__":  # pragma: no cover
    main()
