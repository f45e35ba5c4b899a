"""One view of an audit for every report format: HTML, Markdown, text and the xlsx summary sheet.

`build_report_view(audit)` arranges the Audit once — which findings are shown and unfolded, each
team's page, the load bars' geometry, the org tree, the actions by owner, the delivery forecast —
and every format renders from that same typed `ReportView` (the HTML, Markdown and text through
jinja2 templates). Arrangement and geometry only: every figure about the plan comes from the Audit.
"""

from __future__ import annotations

import math
import re
import shlex
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice
from typing import TYPE_CHECKING, Any, NamedTuple

from .. import __version__
from ..model import (
    SEVERITIES,
    Audit,
    Deduction,
    Finding,
    ForecastItem,
    ItemSummary,
    OrgRollup,
    Recommendation,
    TeamReport,
)
from .actions import Action, OwnerActions, build_actions
from .forecast_view import ForecastView, at_risk, forecast_view
from .glossary import Term, report_terms
from .graph import GraphView, dependency_view

if TYPE_CHECKING:
    import jinja2

from .view import (
    NO_TEAM,
    ORG_DEPTH_SHOWN,
    VERDICT_TEXT,
    HeatCell,
    VerdictLine,
    family,
    first_sentence,
    heat,
    is_over,
    org_depth_note,
    org_outline,
    pct,
    severity_counts,
    span,
    unchecked_teams,
    verdict_line,
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
# A team page lists at most this many of the findings involving the team (the first 25 unfolded);
# past that the page says how many more there are and where (convention of this project: a team
# with more is a plan to rework, not a list to read, and at 50,000 items every team's every finding
# made a page of 68 MB, repeating each cross-team finding on up to 179 team pages).
TEAM_FINDINGS_LISTED = 100
CHANGES_SHOWN = 150  # actions in "what to change", whole owners first; each team page lists its own
DEFERS_SHOWN = 24  # defer cards, most overloaded team first; each team page names its own
DEFER_ITEMS_SHOWN = (
    10  # items per defer card; the rest are counted, and named on the team page and in JSON
)


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
    load = t.load
    over = load is not None and is_over(load) and math.isfinite(load)
    return Bar(
        planned=to_pct(planned),
        admitted=to_pct(admitted),
        unadmitted=to_pct(unadmitted),
        line=to_pct(1.0),
        over=over,
        excess=to_pct(min(load, scale) - 1.0) if over and load is not None else 0.0,
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


@dataclass(frozen=True)
class CrossDependency:
    """An item that waits for another team's item, with both teams."""

    item: str
    team: str
    depends_on: str
    depends_on_team: str


class ReportView:
    """Everything a report shows, arranged from one Audit. Each section is worked out the first time
    a format asks for it and then kept, so the text summary never pays for the HTML's team pages.
    A new section is a property here and a block in each format's template (report.html.j2,
    report.md.j2, report.txt.j2); see the README's "Adding a report section"."""

    severities: tuple[str, ...] = SEVERITIES
    version: str = __version__
    no_team: str = NO_TEAM

    def __init__(self, audit: Audit) -> None:
        self.audit = audit

    # -- the verdict and the head of every report

    @cached_property
    def verdict_text(self) -> str:
        """ "Go, with changes"; a "go" that could not weigh a team's load says so in the same
        words ("Go, load unchecked"): no finding is not the same as a plan that fits."""
        text = VERDICT_TEXT[self.audit.verdict]
        unchecked = len(self.unchecked) if self.audit.verdict == "go" else 0
        if not unchecked:
            return text
        if unchecked == self.owning_teams:
            return f"{text}, load unchecked"
        return f"{text}, load unchecked for {unchecked} of {self.owning_teams} teams"

    @cached_property
    def verdict_class(self) -> str:
        """The verdict's CSS classes: a "go" whose load was not checked is not shown green."""
        if self.audit.verdict == "go" and self.unchecked:
            return "go unchecked"
        return self.audit.verdict

    @cached_property
    def verdict_line(self) -> VerdictLine:
        """The verdict sentence, from the findings' titles and subjects."""
        return verdict_line(self.audit, counts=self.counts)

    @cached_property
    def counts(self) -> dict[str, int]:
        """Findings per severity, every severity."""
        return severity_counts(self.audit.findings)

    @cached_property
    def when(self) -> str:
        """ "1 Jul – 30 Sep 2026", or "" without dates."""
        return span(self.audit.plan.start, self.audit.plan.end)

    # -- findings

    @cached_property
    def _findings_read(self) -> FindingsRead:
        return _finding_views(self.audit, self.counts)

    @property
    def all_findings(self) -> list[FindingView]:
        return self._findings_read.views

    @cached_property
    def findings(self) -> list[FindingView]:
        """Those the HTML's findings list shows (the first FINDINGS_SHOWN)."""
        return self.all_findings[:FINDINGS_SHOWN]

    @property
    def findings_total(self) -> int:
        return len(self.all_findings)

    @cached_property
    def top(self) -> list[FindingView]:
        return _top(self.all_findings)

    @cached_property
    def _heat(self) -> tuple[list[str], dict[str, dict[str, HeatCell]]]:
        return heat(self.audit)

    @property
    def families(self) -> list[str]:
        """Rule families, in the heat map's order."""
        return self._heat[0]

    @property
    def grid(self) -> dict[str, dict[str, HeatCell]]:
        """Team -> rule family -> the worst severity found there and how many findings."""
        return self._heat[1]

    @property
    def heat_rows(self) -> list[str]:
        return list(self.grid)

    @cached_property
    def rules_by_family(self) -> dict[str, list[str]]:
        return _rules_by_family(self.audit)

    @cached_property
    def finding_teams(self) -> list[str]:
        return _finding_teams(self.audit, self._findings_read.orphan)

    @property
    def team_findings_shown(self) -> int:
        """A team page unfolds this many of its findings."""
        return TEAM_FINDINGS_SHOWN

    @property
    def team_findings_listed(self) -> int:
        """A team page lists at most this many of its findings."""
        return TEAM_FINDINGS_LISTED

    # -- what to change

    @cached_property
    def owners(self) -> list[OwnerActions]:
        """What to change, by owner (every owner)."""
        return build_actions(self.audit)

    @cached_property
    def _shown_owners(self) -> tuple[list[OwnerActions], int]:
        return _shown_owners(self.owners)

    @property
    def actions(self) -> list[OwnerActions]:
        """The owners the HTML's "what to change" shows."""
        return self._shown_owners[0]

    @property
    def actions_hidden(self) -> int:
        return self._shown_owners[1]

    @cached_property
    def over(self) -> list[Recommendation]:
        """Every defer recommendation, in the audit's order."""
        return [r for r in self.audit.recommendations if r.action == "defer"]

    @cached_property
    def _defers(self) -> tuple[list[DeferView], int]:
        return _defer_views(self.audit, self.team_views, self._item_by_key)

    @property
    def defers(self) -> list[DeferView]:
        """Defer cards, most overloaded team first, at most DEFERS_SHOWN."""
        return self._defers[0]

    @property
    def defers_total(self) -> int:
        return self._defers[1]

    @cached_property
    def unchecked(self) -> list[str]:
        """Teams whose load could not be checked."""
        return unchecked_teams(self.audit)

    @cached_property
    def owning_teams(self) -> int:
        return sum(1 for t in self.audit.teams if t.items)

    @cached_property
    def any_staffed(self) -> bool:
        return any(t.capacity_known for t in self.audit.teams)

    @cached_property
    def template_command(self) -> str:
        return _template_command(self.audit)

    # -- teams and capacity

    @cached_property
    def scale(self) -> float:
        """The load bars' axis end (1.0 = 100 %)."""
        return _bar_scale(self.audit)

    @cached_property
    def axis(self) -> list[tuple[float, str]]:
        return [(round(100 * x / self.scale, 2), pct(x)) for x in _ticks(self.scale)]

    @cached_property
    def team_views(self) -> dict[str, TeamView]:
        return _team_views(
            self.audit,
            self._findings_read.by_team,
            self.owners,
            self.scale,
            self.team_anchors,
            self._item_marks[0].keys(),
        )

    @property
    def teams(self) -> list[TeamView]:
        """In the audit's order (riskiest first)."""
        return [self.team_views[t.team] for t in self.audit.teams]

    @property
    def teams_az(self) -> list[TeamView]:
        return sorted(self.team_views.values(), key=lambda tv: (tv.t.team.casefold(), tv.t.team))

    @cached_property
    def org_tree(self) -> list[OrgNode]:
        return _org_tree(self.audit, self.team_views)

    @cached_property
    def _org(self) -> tuple[list[tuple[OrgRollup, int]], str | None]:
        return _org(self.audit, {t.team for t in self.audit.teams})

    @property
    def org_lines(self) -> list[tuple[OrgRollup, int]]:
        """The org tree as an outline, (unit, depth shown); empty with no unit above the teams."""
        return self._org[0]

    @property
    def org_note(self) -> str | None:
        return self._org[1]

    # -- delivery and dependencies

    @cached_property
    def forecast(self) -> ForecastView | None:
        return forecast_view(self.audit, self.team_anchors, self._item_by_key)

    @cached_property
    def team_anchors(self) -> dict[str, str]:
        """Each team page's anchor: team-payments, team-payments-2 for a second spelling that slugs alike."""
        taken: set[str] = set()
        return {t.team: "team-" + _slug(t.team, taken) for t in self.audit.teams}

    @cached_property
    def _committed(self) -> tuple[list[ForecastItem], int]:
        return _committed(self.audit)

    @property
    def at_risk(self) -> list[ForecastItem]:
        """Committed items under an even chance, least likely first."""
        return self._committed[0]

    @property
    def committed(self) -> int:
        """Committed open items with a chance."""
        return self._committed[1]

    @cached_property
    def cross(self) -> list[CrossDependency]:
        return _cross(self.audit)

    @cached_property
    def graph(self) -> GraphView | None:
        """The dependency picture (drawn by the HTML only)."""
        flagged, anchors = self._item_marks
        return dependency_view(self.audit, flagged, anchors, items=self._item_by_key)

    @property
    def _item_marks(self) -> tuple[dict[str, str], dict[str, str]]:
        """The worst finding per item and where to jump to (the picture; a team page's items)."""
        read = self._findings_read
        return read.flagged, read.anchors

    @cached_property
    def _item_by_key(self) -> dict[str, ItemSummary]:
        """Each item by its key (the last read, for a key given twice)."""
        return {i.key: i for i in self.audit.items}

    @cached_property
    def terms(self) -> list[Term]:
        return report_terms(self.audit)

    def context(self, names: Iterable[str]) -> dict[str, Any]:
        """The sections a template uses, by name (see `template_names`)."""
        known = [n for n in names if n in vars(self) or hasattr(type(self), n)]
        return {name: getattr(self, name) for name in known}


def template_names(env: jinja2.Environment, name: str) -> set[str]:
    """The names a template reads from its context (so only those sections are worked out)."""
    from jinja2 import meta

    assert env.loader is not None
    source = env.loader.get_source(env, name)[0]
    return set(meta.find_undeclared_variables(env.parse(source)))


class FindingsRead(NamedTuple):
    """What the report needs of every finding, read in one pass over the findings."""

    views: list[FindingView]
    flagged: dict[str, str]  # each item a finding is about: the severity of its worst finding
    anchors: dict[str, str]  # each item: the anchor of its first finding the findings list shows
    by_team: dict[str, list[FindingView]]  # each team: the findings that involve it
    orphan: bool  # a finding names no team


def _finding_views(audit: Audit, counts: dict[str, int]) -> FindingsRead:
    """Each finding's view, what the dependency picture and the team pages mark on an item, and the
    findings by team; `counts` are the findings' `severity_counts`."""
    # Critical findings are open; high ones too while they are few enough to read in one go.
    serious = counts["critical"] + counts["high"]
    unfold = ("critical", "high") if serious <= OPEN_LIMIT else ("critical",)
    families: dict[str, str] = {}  # a rule's family and a why's first sentence, once each
    why_lines: dict[str, str] = {}
    read = FindingsRead([], {}, {}, defaultdict(list), False)
    views, flagged, anchors, by_team, orphan = read
    for i, f in enumerate(audit.findings):
        subject = f.subject
        if subject.kind == "item" and subject.id not in flagged:
            flagged[subject.id] = f.severity
            if i < FINDINGS_SHOWN:
                anchors[subject.id] = f"f{i + 1}"
        rule, why = f.rule, f.why
        fam = families.get(rule)
        if fam is None:
            fam = families[rule] = family(rule)
        line = why_lines.get(why)
        if line is None:
            line = why_lines[why] = first_sentence(why, 400)
        view = FindingView(
            f,
            f"f{i + 1}",
            fam,
            line,
            i,
            f.severity in unfold,
            i < FINDINGS_SHOWN,
            i < FINDINGS_DETAILED,
        )
        views.append(view)
        for team in f.teams:
            by_team[team].append(view)
        orphan = orphan or not f.teams
    return read._replace(orphan=orphan)


def _bar_scale(audit: Audit) -> float:
    loads = [
        t.load
        for t in audit.teams
        if t.capacity_weeks > 0 and t.load is not None and math.isfinite(t.load)
    ]
    return math.ceil(max([1.0, *loads]) * 4) / 4  # a round end for the axis: 125 %, 150 % ...


def _team_views(
    audit: Audit,
    by_team: dict[str, list[FindingView]],
    owners: list[OwnerActions],
    scale: float,
    anchors: dict[str, str],
    flagged: Collection[str],
) -> dict[str, TeamView]:
    items_by_team: dict[str, list[ItemSummary]] = defaultdict(list)
    for item in audit.items:
        items_by_team[item.team or NO_TEAM].append(item)
    defer = {r.team: r for r in audit.recommendations if r.action == "defer"}
    actions = {o.owner: o.actions for o in owners}
    views = {}
    for t in audit.teams:
        mine = items_by_team.get(t.team, [])
        views[t.team] = TeamView(
            t=t,
            anchor=anchors[t.team],
            bar=_bar(t, scale),
            steps=_steps(t),
            findings=by_team.get(t.team, []),
            defer=defer.get(t.team),
            items=_items_shown(mine, flagged),
            print_items=len(mine) <= ITEMS_PRINTED,
            items_total=len(mine),
            actions=actions.get(t.team, []),
        )
    return views


def _items_shown(items: list[ItemSummary], flagged: Collection[str]) -> list[ItemSummary]:
    """A team page's items, in the plan's order: every one up to TEAM_ITEMS_SHOWN; past that, those
    a finding is about or that are committed come first, then the rest up to TEAM_ITEMS_SHOWN."""
    if len(items) <= TEAM_ITEMS_SHOWN:
        return items
    # read only as far as the page needs: a team of thousands of items shows forty
    first = list(
        islice(
            (n for n, i in enumerate(items) if i.committed or i.key in flagged), TEAM_ITEMS_SHOWN
        )
    )
    if len(first) < TEAM_ITEMS_SHOWN:
        taken = set(first)
        first += islice(
            (n for n in range(len(items)) if n not in taken), TEAM_ITEMS_SHOWN - len(first)
        )
    return [items[n] for n in sorted(first)]


def _shown_owners(owners: list[OwnerActions]) -> tuple[list[OwnerActions], int]:
    """Whole owners up to CHANGES_SHOWN actions, and how many actions are left out."""
    shown: list[OwnerActions] = []
    room = CHANGES_SHOWN
    for o in owners:
        if room <= 0:
            break
        shown.append(o)
        room -= len(o.actions)
    return shown, sum(len(o.actions) for o in owners[len(shown) :])


def _cross(audit: Audit) -> list[CrossDependency]:
    team_of = {i.key: i.team or NO_TEAM for i in audit.items}
    return [
        CrossDependency(
            d.item,
            team_of.get(d.item, NO_TEAM),
            d.depends_on,
            team_of.get(d.depends_on, NO_TEAM),
        )
        for d in audit.dependencies
        if d.cross_team
    ]


def _rules_by_family(audit: Audit) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for r in sorted(set(audit.rules_run) | {f.rule for f in audit.findings}):
        out[family(r)].append(r)
    return dict(out)


def _org_lines(outline: list[tuple[OrgRollup, int]]) -> list[tuple[OrgRollup, int]]:
    return [(u, min(depth, ORG_DEPTH_SHOWN)) for u, depth in outline]


def _defer_views(
    audit: Audit, team_views: dict[str, TeamView], item_by_key: dict[str, ItemSummary]
) -> tuple[list[DeferView], int]:
    """Defer cards, most overloaded team first (at most DEFERS_SHOWN), and how many there are."""
    recs = sorted(
        (r for r in audit.recommendations if r.action == "defer"),
        key=lambda r: (-(r.load_before or 0), r.team),
    )
    shown = [_defer_view(r, team_views.get(r.team), item_by_key) for r in recs[:DEFERS_SHOWN]]
    return shown, len(recs)


def _top(findings: list[FindingView]) -> list[FindingView]:
    """The top risks: the first critical and high findings, else the first findings of any severity."""
    serious = (fv for fv in findings if fv.f.severity in ("critical", "high"))
    return list(islice(serious, TOP_RISKS)) or findings[:5]


def _committed(audit: Audit) -> tuple[list[ForecastItem], int]:
    """Committed items under an even chance, and how many committed open items have a chance."""
    fc = audit.forecast
    if fc is None:
        return [], 0
    return at_risk(fc), sum(1 for i in fc.items if i.committed and i.p_on_time is not None)


def _org(audit: Audit, team_views: set[str]) -> tuple[list[tuple[OrgRollup, int]], str | None]:
    """The org outline when there is a unit above the teams (else the heat map says it all), and what
    it could not indent."""
    outline = org_outline(audit.org, team_views)
    above = any(u.unit not in team_views for u in audit.org)
    return (_org_lines(outline) if above else []), org_depth_note(outline)


def _template_command(audit: Audit) -> str:
    first = shlex.quote(audit.plan.sources[0]) if audit.plan.sources else "PLAN"
    return f"roadmap-audit template teams.xlsx --from {first}"


def _finding_teams(audit: Audit, orphan: bool) -> list[str]:
    """The teams the findings filter offers, with NO_TEAM when a finding names none (`orphan`)."""
    return [t.team for t in audit.teams] + ([NO_TEAM] if orphan else [])


def build_report_view(audit: Audit) -> ReportView:
    return ReportView(audit)


def _ticks(scale: float) -> list[float]:
    step = 0.25 if scale <= 1.5 else 0.5 if scale <= 3 else 1.0
    return [i * step for i in range(int(scale / step + 1e-9) + 1)]
