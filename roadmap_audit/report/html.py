"""The HTML report: one self-contained file, no network requests, prints cleanly.

A view model (plain dataclasses) is built from the Audit — arrangement and
geometry only, never a new figure about the plan — then a jinja2 template with
autoescape renders it. CSS and the little JavaScript are inlined; the script is
allowed by its hash in the Content-Security-Policy, so nothing else can run.
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
import shlex
from collections import defaultdict
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from .. import __version__
from ..model import (
    SEVERITIES,
    Audit,
    Deduction,
    Finding,
    ItemSummary,
    OrgRollup,
    Recommendation,
    TeamReport,
)
from ..score import SCORE_RULE, score_basis
from .actions import Action, build_actions
from .forecast_view import forecast_view
from .glossary import MEANING, abbr_ktlo, report_terms
from .graph import GraphView, dependency_view
from .view import (
    NO_TEAM,
    ORG_DEPTH_SHOWN,
    VERDICT_TEXT,
    HeatCell,
    day,
    family,
    family_name,
    first_sentence,
    heat,
    in_sentence,
    is_over,
    number,
    org_depth_note,
    org_outline,
    pct,
    planned,
    severity_counts,
    severity_rank,
    span,
    teams_text,
    unchecked_teams,
    verdict_line,
    weeks,
)

TOP_RISKS = 8
OPEN_LIMIT = 8  # findings unfolded on screen, at most
ITEMS_PRINTED = 40  # a team page lists its items in print only up to this many
# At org scale a page with every finding and item stops being readable (and loadable):
# beyond these the report says how many are left out and where they are (JSON, Markdown).
FINDINGS_SHOWN = 1500
FINDINGS_DETAILED = 300  # the rest show the message and evidence; why and fix in one line
TEAM_ITEMS_SHOWN = 40
TEAM_FINDINGS_SHOWN = 25
CHANGES_SHOWN = 150  # actions in "what to change", whole owners first; each team page lists its own
DEFERS_SHOWN = 24  # defer cards, most overloaded team first; each team page names its own
DEFER_ITEMS_SHOWN = (
    10  # items per defer card; the rest are counted, and named on the team page and in JSON
)

_URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)


def linkify(text: object) -> Markup:
    """Escaped text in which http(s) addresses become links; any other scheme stays text."""
    s = str(text)
    out, last = [], 0
    for m in _URL.finditer(s):
        url = m.group(0).rstrip(".,;:!?)")
        out.append(escape(s[last : m.start()]))
        out.append(Markup('<a href="{0}" rel="noopener noreferrer">{0}</a>').format(url))
        last = m.start() + len(url)
    out.append(escape(s[last:]))
    return Markup("").join(out)


def safe_url(url: str | None) -> str | None:
    """The address itself when it is http or https; None otherwise (javascript:, data:, file: ...)."""
    if url and re.fullmatch(r"https?://[^\s<>\"'`]+", url.strip(), re.IGNORECASE):
        return url.strip()
    return None


def _slug(text: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


# ------------------------------------------------------------------ view model


@dataclass
class FindingView:
    f: Finding
    anchor: str
    family: str
    why_line: str
    order: int
    open: bool = False  # shown unfolded on screen (print unfolds everything)
    shown: bool = True  # rendered in the findings list (False past FINDINGS_SHOWN)
    detailed: bool = True  # with the full why and fix (False past FINDINGS_DETAILED)


@dataclass
class Bar:
    """Segments of a load bar, in percent of the bar's width."""

    planned: float
    admitted: float  # operations the staffing model admits
    unadmitted: float  # observed operations beyond what is admitted
    line: float  # where 100 % of capacity falls
    over: bool
    excess: float  # width of the part beyond 100 %


@dataclass
class Step:
    """One row of the capacity waterfall: the deduction and where its bar sits."""

    d: Deduction
    kind: str  # base, minus, total, ops
    left: float
    width: float


@dataclass
class TeamView:
    t: TeamReport
    anchor: str
    bar: Bar | None
    steps: list[Step]
    findings: list[FindingView]
    defer: Recommendation | None
    items: list[ItemSummary]
    print_items: bool
    items_total: int = 0
    actions: list[Action] = field(default_factory=list)  # what this team owns in "what to change"


@dataclass
class OrgNode:
    unit: OrgRollup
    team: TeamView | None
    children: list[OrgNode] = field(default_factory=list)


@dataclass
class DeferView:
    r: Recommendation
    team: TeamView | None
    items: list[ItemSummary]  # the first DEFER_ITEMS_SHOWN, in the advice's order
    more: int = 0  # items to defer beyond those shown
    more_weeks: float = 0.0


def _defer_view(
    r: Recommendation, team: TeamView | None, item_by_key: dict[str, ItemSummary]
) -> DeferView:
    items = [item_by_key[k] for k in r.items if k in item_by_key]
    rest = items[DEFER_ITEMS_SHOWN:]
    return DeferView(
        r=r,
        team=team,
        items=items[:DEFER_ITEMS_SHOWN],
        more=len(rest),
        more_weeks=sum(i.estimate_weeks or 0 for i in rest),
    )


def _bar(t: TeamReport, scale: float) -> Bar | None:
    if t.capacity_weeks <= 0:
        return None
    planned = t.planned_weeks / t.capacity_weeks
    admitted = unadmitted = (
        0.0  # operations are already out of capacity_weeks (the breakdown shows them)
    )
    to_pct = lambda x: round(100 * x / scale, 2)  # noqa: E731
    over = is_over(t.load) and math.isfinite(t.load)
    return Bar(
        planned=to_pct(planned),
        admitted=to_pct(admitted),
        unadmitted=to_pct(unadmitted),
        line=to_pct(1.0),
        over=over,
        excess=to_pct(min(t.load, scale) - 1.0) if over else 0.0,
    )


def _steps(t: TeamReport) -> list[Step]:
    """Bars for the capacity breakdown, scaled to the staffed engineer-weeks.

    The first line is what the team is staffed for, the line labelled capacity is
    what is left, `ops: ...` lines are what operations really cost; the rest are
    deductions, drawn where they come off the running total.
    """
    if not t.breakdown:
        return []
    base = max(abs(d.weeks) for d in t.breakdown) or 1.0
    scale = lambda x: round(100 * abs(x) / base, 2)  # noqa: E731
    steps: list[Step] = []
    running: float | None = None
    for d in t.breakdown:
        if d.label.startswith("ops"):
            steps.append(
                Step(
                    d.model_copy(update={"label": d.label.split(":", 1)[-1].strip()}),
                    "ops",
                    0.0,
                    scale(d.weeks),
                )
            )
        elif running is None:
            running = d.weeks
            steps.append(Step(d, "base", 0.0, scale(d.weeks)))
        elif d.label in ("capacity", "team time"):
            running = d.weeks
            steps.append(Step(d, "total", 0.0, scale(d.weeks)))
        else:
            running -= abs(d.weeks)
            steps.append(Step(d, "minus", scale(max(0.0, running)), scale(d.weeks)))
    return steps


def _org_tree(audit: Audit, teams: dict[str, TeamView]) -> list[OrgNode]:
    if not any(u.unit not in teams for u in audit.org):
        return []  # no unit above the teams: the heat map already says it all
    # Built from the outline without recursion; the template nests no deeper than ORG_DEPTH_SHOWN.
    roots: list[OrgNode] = []
    path: list[OrgNode] = []  # the open node at each shown depth
    for u, depth in org_outline(audit.org, teams):
        depth = min(depth, ORG_DEPTH_SHOWN)
        node = OrgNode(unit=u, team=teams.get(u.unit) if u.unit in teams else None)
        del path[depth:]
        (path[-1].children if path else roots).append(node)
        path.append(node)
    return roots


def build_view(audit: Audit) -> dict:
    taken: set[str] = set()
    # Critical findings are open; high ones too while they are few enough to read in one go.
    serious = sum(1 for f in audit.findings if f.severity in ("critical", "high"))
    unfold = ("critical", "high") if serious <= OPEN_LIMIT else ("critical",)
    findings = [
        FindingView(
            f=f,
            anchor=f"f{i + 1}",
            family=family(f.rule),
            why_line=first_sentence(f.why, 400),
            order=i,
            open=f.severity in unfold,
            shown=i < FINDINGS_SHOWN,
            detailed=i < FINDINGS_DETAILED,
        )
        for i, f in enumerate(audit.findings)
    ]
    by_team: dict[str, list[FindingView]] = defaultdict(list)
    for fv in findings:
        for team in fv.f.teams:
            by_team[team].append(fv)
    items_by_team: dict[str, list[ItemSummary]] = defaultdict(list)
    for item in audit.items:
        items_by_team[item.team or NO_TEAM].append(item)
    item_by_key = {i.key: i for i in audit.items}
    defer = {r.team: r for r in audit.recommendations if r.action == "defer"}

    loads = [t.load for t in audit.teams if t.capacity_weeks > 0 and math.isfinite(t.load)]
    scale = max([1.0, *loads])
    scale = math.ceil(scale * 4) / 4  # a round end for the axis: 125 %, 150 % ...
    team_views = {}
    for t in audit.teams:
        mine = items_by_team.get(t.team, [])
        team_views[t.team] = TeamView(
            t=t,
            anchor="team-" + _slug(t.team, taken),
            bar=_bar(t, scale),
            steps=_steps(t),
            findings=by_team.get(t.team, []),
            defer=defer.get(t.team),
            items=mine[:TEAM_ITEMS_SHOWN],
            print_items=len(mine) <= ITEMS_PRINTED,
            items_total=len(mine),
        )

    # worst finding per item, and where to jump to, for the dependency picture
    flagged: dict[str, str] = {}
    anchors: dict[str, str] = {}
    for fv in findings:
        subject = fv.f.subject
        if subject.kind == "item" and subject.id not in flagged:
            flagged[subject.id] = fv.f.severity
            if fv.shown:
                anchors[subject.id] = fv.anchor
    graph: GraphView | None = dependency_view(audit, flagged, anchors)

    owners = build_actions(audit)
    for o in owners:
        if o.owner in team_views:
            team_views[o.owner].actions = o.actions
    shown_owners, room = [], CHANGES_SHOWN
    for o in owners:
        if room <= 0:
            break
        shown_owners.append(o)
        room -= len(o.actions)
    actions_hidden = sum(len(o.actions) for o in owners[len(shown_owners) :])

    defer_recs = sorted(
        (r for r in audit.recommendations if r.action == "defer"),
        key=lambda r: (-(r.load_before or 0), r.team),
    )
    families, grid = heat(audit)
    top = [fv for fv in findings if fv.f.severity in ("critical", "high")][:TOP_RISKS] or findings[
        :5
    ]
    rules_by_family: dict[str, list[str]] = defaultdict(list)
    for r in sorted(set(audit.rules_run) | {f.rule for f in audit.findings}):
        rules_by_family[family(r)].append(r)
    finding_teams = [t.team for t in audit.teams] + (
        [NO_TEAM] if any(not f.teams for f in audit.findings) else []
    )
    return {
        "audit": audit,
        "verdict_text": VERDICT_TEXT[audit.verdict],
        "verdict_line": verdict_line(audit),
        "counts": severity_counts(audit.findings),
        "severities": SEVERITIES,
        "findings": [fv for fv in findings if fv.shown],
        "findings_total": len(findings),
        "team_findings_shown": TEAM_FINDINGS_SHOWN,
        "top": top,
        "families": families,
        "grid": grid,
        "heat_rows": list(grid),
        "team_views": team_views,
        "teams": [team_views[t.team] for t in audit.teams],
        "teams_az": sorted(team_views.values(), key=lambda tv: (tv.t.team.casefold(), tv.t.team)),
        "scale": scale,
        "axis": [(round(100 * x / scale, 2), f"{x:.0%}") for x in _ticks(scale)],
        "org_tree": _org_tree(audit, team_views),
        "org_note": org_depth_note(org_outline(audit.org, team_views)),
        "graph": graph,
        "defers": [
            _defer_view(r, team_views.get(r.team), item_by_key) for r in defer_recs[:DEFERS_SHOWN]
        ],
        "defers_total": len(defer_recs),
        "owning_teams": sum(1 for t in audit.teams if t.items),
        "unchecked": unchecked_teams(audit),
        "any_staffed": any(t.capacity_known for t in audit.teams),
        "template_command": "roadmap-audit template teams.xlsx --from "
        + (shlex.quote(audit.plan.sources[0]) if audit.plan.sources else "PLAN"),
        "actions": shown_owners,
        "actions_hidden": actions_hidden,
        "rules_by_family": dict(rules_by_family),
        "finding_teams": finding_teams,
        "version": __version__,
        "no_team": NO_TEAM,
        "forecast": forecast_view(audit, {name: tv.anchor for name, tv in team_views.items()}),
    }


def _ticks(scale: float) -> list[float]:
    step = 0.25 if scale <= 1.5 else 0.5 if scale <= 3 else 1.0
    return [i * step for i in range(int(scale / step + 1e-9) + 1)]


# ------------------------------------------------------------------ rendering


def _environment():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("roadmap_audit.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        in_sentence=in_sentence,
        pct=pct,
        weeks=weeks,
        planned=planned,
        number=number,
        day=day,
        linkify=linkify,
        safe_url=safe_url,
        family_name=family_name,
        first_sentence=first_sentence,
        score_basis=score_basis,
        gloss=lambda text: Markup(abbr_ktlo(str(linkify(text)))),
    )
    env.globals.update(
        span=span,
        is_over=is_over,
        severity_rank=severity_rank,
        HeatCell=HeatCell,
        teams_text=teams_text,
        score_rule=SCORE_RULE,
        meaning=MEANING,
    )
    return env


def render_html(audit: Audit) -> str:
    env = _environment()
    assert env.loader is not None
    script = env.loader.get_source(env, "report.js")[0]
    style = env.loader.get_source(env, "report.css")[0]
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return env.get_template("report.html.j2").render(
        **build_view(audit),
        terms=report_terms(audit),
        script=Markup(script),
        style=Markup(style),
        script_hash=f"sha256-{digest}",
    )
