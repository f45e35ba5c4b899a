"""From findings to a verdict: team risk scores, the org roll-up, and advice.

Risk score of a team (0-100, higher is riskier): the sum of the weights of the
findings that involve it (critical 40, high 20, medium 8, low 2, info 0), capped
at 100. Severity always ranks first; the score only summarises.

Verdict: `replan` when any finding is critical, `go-with-changes` when any is
high, otherwise `go`; its reason names the teams whose load could not be checked.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from .analyze.capacity import item_weeks, load_of, share_text
from .analyze.facts import Facts
from .analyze.priority import priority_rank
from .model import (
    SEVERITIES,
    DataQuality,
    Dependency,
    Finding,
    ItemKind,
    ItemSummary,
    OrgRollup,
    PlanSummary,
    Recommendation,
    TeamReport,
)

SEVERITY_WEIGHT = {"critical": 40, "high": 20, "medium": 8, "low": 2, "info": 0}
# Work a defer recommendation never proposes to drop: it is the risk reduction itself,
# or has a date set outside the team.
NEVER_DEFER = {ItemKind.reliability, ItemKind.action_item, ItemKind.compliance}
def verdict(findings: list[Finding], teams: list[TeamReport] = ()) -> tuple[str, str]:
    counts = Counter(f.severity for f in findings)
    if counts["critical"]:
        top = [f for f in findings if f.severity == "critical"][:3]
        names = "; ".join(f"{f.rule} on {f.subject.id}" for f in top)
        word, reason = "replan", f"{counts['critical']} critical finding(s) must change before the quarter starts: {names}"
    elif counts["high"]:
        word, reason = "go-with-changes", f"no critical findings; {counts['high']} high finding(s) need a change in the plan"
    else:
        word, reason = "go", "no critical or high findings"
    return word, reason + unchecked_capacity(teams)


def unchecked_capacity(teams: list[TeamReport]) -> str:
    """What the verdict could not weigh: teams that own items but have no headcount to check them against.

    A plan read from a Jira export alone has no staffing model, and "go" must not read as "fits".
    """
    owning = [t for t in teams if t.items]
    unchecked = sorted(t.team for t in owning if not t.capacity_known)
    if not unchecked:
        return ""
    names = ", ".join(unchecked[:3]) + (f" and {len(unchecked) - 3} more" if len(unchecked) > 3 else "")
    whose = names if len(unchecked) == len(owning) == 1 else f"{len(unchecked)} of {len(owning)} teams ({names})"
    if any(t.capacity_known for t in teams):  # a staffing model exists: a missing row or another spelling
        fix = "add their rows to the Teams sheet, or spell their names as it does" if len(unchecked) > 1 else \
            "add its row to the Teams sheet, or spell its name as it does"
    else:
        fix = "run roadmap-audit template teams.xlsx --from PLAN to list the teams, fill in their headcount, " \
              "and audit with --context teams.xlsx"
    return f"; load not checked for {whose}: no headcount in the staffing model ({fix})"


def team_reports(facts: Facts, findings: list[Finding]) -> list[TeamReport]:
    by_team: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        for t in f.teams:
            by_team[t].append(f)
    reports = []
    for name, cap in facts.capacity.items():
        team = facts.teams[name]
        mine = by_team.get(name, [])
        reports.append(TeamReport(
            team=name,
            parent=team.parent,
            headcount=team.headcount,
            capacity_weeks=round(cap.capacity_weeks, 2),
            planned_weeks=round(cap.planned_weeks, 2),
            ops_admitted=round(cap.ops_admitted, 3),
            ops_observed=round(cap.ops_observed, 3),
            ops_weeks=round(cap.ops_weeks, 2),
            load=round(cap.load, 3) if cap.known else None,
            buffer=round(cap.buffer, 3) if cap.known else None,
            score=min(100, sum(SEVERITY_WEIGHT[f.severity] for f in mine)),
            findings=len(mine),
            breakdown=[*cap.breakdown, *[d.model_copy(update={"label": f"ops: {d.label}"}) for d in cap.ops_breakdown]],
            unestimated_items=cap.unestimated,
            items=[i.key for i in facts.items_by_team.get(name, [])],
        ))
    # Teams that own items but are missing from the staffing model still get a row.
    for name, items in facts.items_by_team.items():
        if name not in facts.capacity:
            mine = by_team.get(name, [])
            reports.append(TeamReport(
                team=name, capacity_weeks=0.0,
                planned_weeks=round(sum(item_weeks(i, None, facts.params.size_weeks) or 0.0
                                        for i in items if not i.done), 2),
                ops_admitted=0.0, ops_observed=0.0, ops_weeks=0.0, load=None, buffer=None,
                score=min(100, sum(SEVERITY_WEIGHT[f.severity] for f in mine)), findings=len(mine),
                items=[i.key for i in items], in_staffing_model=False,
            ))
    return sorted(reports, key=lambda r: (-r.score, -(r.load or 0.0), r.team))


def needed_by_other_teams(facts: Facts) -> set[str]:
    """Items that committed work of another team depends on, directly or not.

    One pass over the graph: each item carries up to two teams whose committed work
    reaches it; two distinct teams mean at least one is not its own. Linear time.
    """
    graph = facts.item_graph
    reached: dict[str, set[str]] = {}
    queue: list[tuple[str, str]] = []
    for item in facts.plan.items:
        team = facts.team_of(item)
        if item.committed and not item.done and team and item.key in graph:
            queue.append((item.key, team))
    while queue:
        key, origin = queue.pop()
        for dep in graph.successors(key):
            seen = reached.setdefault(dep, set())
            if origin in seen or len(seen) >= 2:
                continue
            seen.add(origin)
            queue.append((dep, origin))
    return {key for key, teams in reached.items() if teams - {facts.team_of(facts.items[key])}}


def defer_advice(facts: Facts, max_load: float) -> list[Recommendation]:
    """For each team over the line, the fewest items to defer to get it back under."""
    advice = []
    over = [(name, cap) for name, cap in sorted(facts.capacity.items()) if cap.known and cap.load > max_load]
    needed = needed_by_other_teams(facts) if over else set()
    for name, cap in over:
        candidates = [
            facts.items[k] for k in cap.item_weeks
            if not facts.items[k].committed and k not in needed and facts.kind(facts.items[k]) not in NEVER_DEFER
        ]
        # lowest priority first; within a priority, the largest first keeps the set small
        candidates.sort(key=lambda i: (-priority_rank(i.priority), -cap.item_weeks[i.key], i.key))
        chosen: list[str] = []
        planned = cap.planned_weeks
        for item in candidates:
            if load_of(planned, cap.capacity_weeks, cap.ops_admitted, cap.ops_observed) <= max_load:
                break
            chosen.append(item.key)
            planned -= cap.item_weeks[item.key]
        after = load_of(planned, cap.capacity_weeks, cap.ops_admitted, cap.ops_observed)
        if not chosen:
            text = (f"{name} is at {share_text(cap.load)} and every open item is committed, needed by another team, "
                    "or reliability/compliance work: the plan needs more capacity or a smaller commitment")
        elif after > max_load:
            text = (f"Deferring every deferrable item ({', '.join(chosen)}) still leaves {name} at "
                    f"{share_text(after)}: renegotiate a committed item or add ramped capacity")
        else:
            weeks = cap.planned_weeks - planned
            text = (f"Defer {', '.join(chosen)} ({weeks:.1f} engineer-weeks) to bring {name} from "
                    f"{share_text(cap.load)} to {share_text(after)} of capacity")
        advice.append(Recommendation(team=name, action="defer", items=chosen, load_before=round(cap.load, 3),
                                     load_after=round(after, 3), rule="CAP001", text=text))
    return advice


def change_advice(findings: list[Finding]) -> list[Recommendation]:
    """For each high or critical finding, the change that clears it."""
    return [
        Recommendation(team=f.team or (f.teams[0] if f.teams else ""), action="change", rule=f.rule,
                       items=[f.subject.id] if f.subject.kind == "item" else [], text=f"{f.subject.id}: {f.fix}")
        for f in findings if f.severity in ("critical", "high")
    ]


def org_rollup(facts: Facts, findings: list[Finding], teams: list[TeamReport]) -> list[OrgRollup]:
    """Each unit sees what it controls: findings owned at or below it, and its teams' load."""
    parent = facts.org_parent
    if not parent:
        return []
    below: dict[str, list[str]] = defaultdict(list)
    for team in facts.teams:
        for unit in facts.ancestors(team):
            below[unit].append(team)
    report_by_team = {t.team: t for t in teams}
    owned_below: dict[str, Counter] = defaultdict(Counter)
    owned_here: Counter = Counter()
    for f in findings:
        if not f.owner_unit:
            continue
        owned_here[f.owner_unit] += 1
        for unit in facts.ancestors(f.owner_unit):
            owned_below[unit][f.severity] += 1
    rollups = []
    for unit in sorted(parent, key=lambda u: (len(facts.ancestors(u)), u)):
        team_names = sorted(below.get(unit, []))
        reps = [report_by_team[t] for t in team_names if t in report_by_team]
        capacity = sum(r.capacity_weeks for r in reps)
        planned = sum(r.planned_weeks for r in reps)
        ops = sum(r.ops_weeks for r in reps)
        worst = max(reps, key=lambda r: (r.score, r.load or 0.0), default=None)
        rollups.append(OrgRollup(
            unit=unit, parent=parent.get(unit), teams=team_names,
            findings_by_severity={s: owned_below[unit][s] for s in SEVERITIES if owned_below[unit][s]},
            owned_findings=owned_here[unit], capacity_weeks=round(capacity, 2), planned_weeks=round(planned, 2),
            ops_weeks=round(ops, 2), load=round((planned + ops) / capacity, 3) if capacity else None,
            worst_team=worst.team if worst and worst.score > 0 else None,
        ))
    return rollups


def item_summaries(facts: Facts) -> tuple[list[ItemSummary], list[Dependency]]:
    """Every item as the reports show it, and the dependency edges between them."""
    items = []
    for item in facts.plan.items:
        owner = facts.team_of(item)
        items.append(ItemSummary(
            key=item.key, title=item.title, team=owner, kind=facts.kind(item).value,
            estimate_weeks=item_weeks(item, facts.teams.get(owner or ""), facts.params.size_weeks),
            due=item.due, committed=item.committed, done=item.done, priority=item.priority, location=item.ref.location,
            extra=item.extra,
        ))
    team = {key: facts.team_of(item) for key, item in facts.items.items()}
    edges = [Dependency(item=a, depends_on=b, cross_team=team[a] != team[b]) for a, b in sorted(facts.item_graph.edges)]
    return items, edges


def summary(facts: Facts) -> PlanSummary:
    q = facts.quarter
    return PlanSummary(sources=facts.plan.sources, quarter=q.label, start=q.start, end=q.end, weeks=q.weeks,
                       items=len(facts.plan.items), teams=len(facts.teams))


def data_quality(facts: Facts) -> DataQuality:
    return DataQuality(
        rows_read=facts.plan.rows_read,
        rows_used=facts.plan.rows_used,
        issues=[{"source": i.ref.source, "location": i.ref.location, "problem": i.problem,
                 "row_dropped": i.row_dropped} for i in facts.issues],
    )
