"""From findings to a verdict: team risk scores, the org roll-up, and advice.

Risk score of a team (higher is riskier, no upper bound): the sum of the severity
weights of the findings that involve it (SEVERITY_WEIGHT), shown with its parts,
e.g. "2 critical x 40 + 3 high x 20 = 140". Uncapped, it keeps ordering teams with
many findings and moves by the weight of each finding cleared. Severity always
ranks findings first; the score only summarises a team.

Verdict: `replan` when any finding is critical, `go-with-changes` when any is
high, otherwise `go`; its reason names the teams whose load could not be checked.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from itertools import islice
from operator import attrgetter
from typing import Any, TypeVar

from .analyze.capacity import item_weeks, load_of, share_text
from .analyze.facts import Facts
from .analyze.numbers import listed, pct, plural
from .analyze.priority import priority_rank
from .load.schema import is_in_progress
from .model import (
    SEVERITIES,
    CommittedDelivery,
    DataQuality,
    Dependency,
    Finding,
    Item,
    ItemKind,
    ItemSummary,
    OrgRollup,
    PlanSummary,
    Recommendation,
    Subject,
    TeamDelivery,
    TeamReport,
)

_M = TypeVar("_M", ItemSummary, Dependency, CommittedDelivery, Recommendation)

_KEY, _SEVERITY = attrgetter("key"), attrgetter("severity")
SEVERITY_WEIGHT = {"critical": 40, "high": 20, "medium": 8, "low": 2, "info": 0}
# Work a defer recommendation never proposes to drop: it is the risk reduction itself,
# or has a date set outside the team.
NEVER_DEFER = {ItemKind.reliability, ItemKind.action_item, ItemKind.compliance}


def verdict(findings: list[Finding], teams: Sequence[TeamReport] = ()) -> tuple[str, str]:
    counts = Counter(map(_SEVERITY, findings))
    if counts["critical"]:
        top = list(islice((f for f in findings if f.severity == "critical"), 3))
        names = "; ".join(f"{f.rule} on {f.subject.id}" for f in top)
        word, reason = (
            "replan",
            f"{plural(counts['critical'], 'critical finding')} must change before the quarter "
            f"starts: {names}",
        )
    elif counts["high"]:
        word, reason = (
            "go-with-changes",
            f"no critical findings; {plural(counts['high'], 'high finding')} "
            f"{'needs' if counts['high'] == 1 else 'need'} a change in the plan",
        )
    else:
        word, reason = "go", "no critical or high findings"
    return word, reason + unchecked_capacity(teams)


def unchecked_capacity(teams: Sequence[TeamReport]) -> str:
    """What the verdict could not weigh: teams that own items but have no headcount to check them against.

    A plan read from a Jira export alone has no staffing model, and "go" must not read as "fits".
    """
    owning = [t for t in teams if t.items]
    unchecked = sorted(t.team for t in owning if not t.capacity_known)
    if not unchecked:
        return ""
    names = ", ".join(unchecked[:3]) + (
        f" and {len(unchecked) - 3} more" if len(unchecked) > 3 else ""
    )
    whose = (
        names
        if len(unchecked) == len(owning) == 1
        else f"{len(unchecked)} of {len(owning)} teams ({names})"
    )
    if any(
        t.capacity_known for t in teams
    ):  # a staffing model exists: a missing row or another spelling
        fix = (
            "add their rows to the Teams sheet, or spell their names as it does"
            if len(unchecked) > 1
            else "add its row to the Teams sheet, or spell its name as it does"
        )
    else:
        fix = (
            "run roadmap-audit template teams.xlsx --from PLAN to list the teams, fill in their headcount, "
            "and audit with --context teams.xlsx"
        )
    return f"; load not checked for {whose}: no headcount in the staffing model ({fix})"


SCORE_RULE = (
    "the sum of the severity weights of the findings that involve the team ("
    + ", ".join(f"{s} {w}" for s, w in SEVERITY_WEIGHT.items() if w)
    + "), with no cap"
)


def team_score(findings: list[Finding]) -> tuple[int, dict[str, int]]:
    """A team's risk score and its parts: how many findings of each severity involve it."""
    return _scored(Counter(map(_SEVERITY, findings)))


def _scored(counts: Mapping[str, int]) -> tuple[int, dict[str, int]]:
    """The risk score and its parts of a team's findings counted by severity."""
    parts = {s: n for s in SEVERITIES if (n := counts.get(s, 0))}
    return sum(SEVERITY_WEIGHT[s] * n for s, n in parts.items()), parts


def score_basis(parts: dict[str, int]) -> str:
    """The score as its sum: '2 critical × 40 + 3 high × 20 = 140', or 'no weighted findings = 0'."""
    terms = [f"{n} {s} × {SEVERITY_WEIGHT[s]}" for s, n in parts.items() if SEVERITY_WEIGHT.get(s)]
    total = sum(SEVERITY_WEIGHT.get(s, 0) * n for s, n in parts.items())
    return f"{' + '.join(terms) or 'no weighted findings'} = {total}"


def _sizes(facts: Facts) -> Mapping[str, float]:
    """Engineer-weeks per T-shirt size, keyed as item_weeks reads them."""
    return {str(size): w for size, w in facts.params.size_weeks.items()}


def team_reports(facts: Facts, findings: list[Finding]) -> list[TeamReport]:
    # each team's findings counted by severity, in one count over the findings
    by_team: dict[str, dict[str, int]] = defaultdict(dict)
    for (t, severity), n in Counter((t, f.severity) for f in findings for t in f.teams).items():
        by_team[t][severity] = n
    none: dict[str, int] = {}
    reports = []
    for name, cap in facts.capacity.items():
        team = facts.teams[name]
        mine = by_team.get(name, none)
        score, parts = _scored(mine)
        reports.append(
            TeamReport(
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
                score=score,
                findings_by_severity=parts,
                findings=sum(mine.values()),
                breakdown=[
                    *cap.breakdown,
                    *[d.model_copy(update={"label": f"ops: {d.label}"}) for d in cap.ops_breakdown],
                ],
                unestimated_items=cap.unestimated,
                points_unconverted=cap.unconverted_points,
                items=list(map(_KEY, facts.items_by_team.get(name, ()))),
            )
        )
    # Teams that own items but are missing from the staffing model still get a row.
    sizes = _sizes(facts)
    for name, items in facts.items_by_team.items():
        if name not in facts.capacity:
            reports.append(_unstaffed_report(name, items, sizes, by_team.get(name, none)))
    return sorted(reports, key=lambda r: (-r.score, -(r.load or 0.0), r.team))


def _unstaffed_report(
    name: str, items: list[Item], sizes: Mapping[str, float], severities: Mapping[str, int]
) -> TeamReport:
    """The row of a team that owns items but is missing from the staffing model (one pass over
    its items). `severities`: its findings counted by severity."""
    keys, weeks, unconverted = [], [], []
    for i in items:
        keys.append(i.key)
        if not i.done:
            written = i.estimate_weeks  # most items; else item_weeks converts a size
            weeks.append((written if written is not None else item_weeks(i, None, sizes)) or 0.0)
            if written is None and i.estimate_points is not None:  # points_unconverted, no team
                unconverted.append(i.key)
    score, parts = _scored(severities)
    return TeamReport(
        team=name,
        capacity_weeks=0.0,
        planned_weeks=round(sum(weeks), 2),
        ops_admitted=0.0,
        ops_observed=0.0,
        ops_weeks=0.0,
        load=None,
        buffer=None,
        score=score,
        findings_by_severity=parts,
        findings=sum(severities.values()),
        items=keys,
        in_staffing_model=False,
        points_unconverted=unconverted,
    )


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
        for dep in graph.succ[key]:
            seen = reached.setdefault(dep, set())
            if origin in seen or len(seen) >= 2:
                continue
            seen.add(origin)
            queue.append((dep, origin))
    return {key for key, teams in reached.items() if teams - {facts.team_of(facts.items[key])}}


def needed_by_committed(facts: Facts) -> set[str]:
    """Items that any committed open item depends on, directly or not (its own team's too)."""
    succ = facts.item_graph.succ  # every item's key -> what it depends on
    seen: set[str] = set()
    stack = [i.key for i in facts.plan.items if i.committed and not i.done]
    while stack:
        for dep in succ[stack.pop()]:
            if dep not in seen:
                seen.add(dep)
                stack.append(dep)
    return seen


def _postmortem_items(facts: Facts) -> set[str]:
    """Plan items that a postmortem action is scheduled as (Actions.scheduled_as)."""
    return {a.scheduled_as for a in facts.plan.actions if a.scheduled_as}


# Why an item is not proposed for deferral, in the order the advice names them.
KEPT_REASONS = (
    "in progress",
    "committed",
    "reliability, postmortem or compliance work",
    "needed by committed work",
)


def _kept_and_candidates(
    facts: Facts,
    item_weeks: dict[str, float],
    needed: set[str],
    postmortem: set[str],
    started: dict[str | None, bool],
) -> tuple[dict[str, list[str]], list[str]]:
    """A team's open items split: those not proposed for deferral, by why (KEPT_REASONS), and the
    rest, lowest priority first and, within a priority, the largest first (keeps the set small).
    `started`: is_in_progress of each status seen, read once per status (a plan writes a few on
    thousands of items)."""
    items, kinds = facts.items, facts.kinds
    kept: dict[str, list[str]] = {}
    candidates: list[tuple[int, float, str]] = []
    for key, weeks in item_weeks.items():
        item = items[key]
        status = item.status
        try:
            in_progress = started[status]
        except KeyError:
            in_progress = started[status] = is_in_progress(status)
        if in_progress:
            why = "in progress"
        elif item.committed:
            why = "committed"
        elif kinds[key] in NEVER_DEFER or key in postmortem:
            why = "reliability, postmortem or compliance work"
        elif key in needed:
            why = "needed by committed work"
        else:
            candidates.append((-priority_rank(item.priority), -weeks, key))
            continue
        kept.setdefault(why, []).append(key)
    candidates.sort()  # keys differ: the sort never compares further
    return kept, [key for _, _, key in candidates]


def _keys(keys: list[str], limit: int = 4) -> str:
    return listed(keys, limit)


def defer_advice(
    facts: Facts, max_load: float, buffer_line: float | None = None, rule: str | None = None
) -> list[Recommendation]:
    """For each team over capacity, the fewest items to defer to bring it under the buffer line.
    `rule` is the rule whose file declares the capacity line (`capacity_line`): the advice cites it
    and closes that rule's finding on the team; None when no such rule ran.

    Never proposed: work in progress (a change half made), committed work, reliability,
    postmortem and compliance work, and anything committed work depends on. An item that other
    open work waits on is proposed only with those items named.
    """
    target = min(max_load, buffer_line) if buffer_line is not None else max_load
    advice = []
    over = [
        (name, cap)
        for name, cap in sorted(facts.capacity.items())
        if cap.known and cap.load > max_load
    ]
    needed = needed_by_committed(facts) if over else set()
    postmortem = _postmortem_items(facts) if over else set()
    pred, items = facts.item_graph.pred, facts.items
    started: dict[str | None, bool] = {}
    for name, cap in over:
        kept, candidates = _kept_and_candidates(facts, cap.item_weeks, needed, postmortem, started)
        chosen: list[str] = []
        planned = cap.planned_weeks
        for key in candidates:
            if load_of(planned, cap.capacity_weeks) <= target:
                break
            chosen.append(key)
            planned -= cap.item_weeks[key]
        after = load_of(planned, cap.capacity_weeks)
        chosen_set = set(chosen)
        dependents: dict[str, list[str]] = {}  # a chosen item -> the open items that wait on it
        for k in chosen:
            waiting = [p for p in pred.get(k, ()) if p not in chosen_set and not items[p].done]
            if waiting:
                dependents[k] = sorted(waiting)
        line = (
            f"the {share_text(target)} buffer line"
            if target < max_load
            else f"{share_text(target)} of capacity"
        )
        not_proposed = "; ".join(
            f"{why}: {_keys(kept[why])}" for why in KEPT_REASONS if kept.get(why)
        )
        reaches = after <= target
        if not chosen:
            text = (
                f"{name} is at {share_text(cap.load)} and no open item can be deferred safely "
                f"({not_proposed or 'no estimated open item'}): the plan needs more capacity or a smaller "
                "commitment"
            )
        elif not reaches:
            text = (
                f"Deferring every item that can go ({_keys(chosen, 8)}) brings {name} from "
                f"{share_text(cap.load)} to {share_text(after)}, still above {line}: renegotiate a committed "
                "item or add ramped capacity"
            )
        else:
            weeks = cap.planned_weeks - planned
            text = (
                f"Defer {_keys(chosen, 8)} ({weeks:.1f} engineer-weeks) to bring {name} from "
                f"{share_text(cap.load)} to {share_text(after)} of capacity, under {line}"
            )
        if dependents:
            text += "; " + "; ".join(
                f"{', '.join(v)} wait{'s' if len(v) == 1 else ''} on {k}: {'it moves' if len(v) == 1 else 'they move'} "
                "with it"
                for k, v in dependents.items()
            )
        if chosen and not_proposed:
            text += f". Not proposed: {not_proposed}"
        advice.append(
            Recommendation(
                team=name,
                action="defer",
                subject=Subject(kind="team", id=name),
                items=chosen,
                load_before=round(cap.load, 3),
                load_after=round(after, 3),
                rule=rule,
                text=text,
                target_load=round(target, 3),
                reaches_target=reaches,
                dependents=dependents,
                kept=kept,
            )
        )
    return advice


def with_deferrals(plan, recommendations: list[Recommendation]):
    """The plan as it would be with every suggested deferral applied (status Deferred)."""
    keys = {k for r in recommendations if r.action == "defer" for k in r.items}
    if not keys:
        return None
    return plan.model_copy(
        update={
            "items": [
                i.model_copy(update={"status": "Deferred", "done": True}) if i.key in keys else i
                for i in plan.items
            ]
        }
    )


def delivery_after_deferral(
    recommendations: list[Recommendation], before, after
) -> list[Recommendation]:
    """Each defer recommendation with its team's forecast before and after every deferral, said in its text.
    `after`: the deferring teams' rows and committed items' chances with every deferral applied
    (Forecaster.chances_deferring), None when the forecast was not run again."""
    from .report.view import day

    if before is None:
        return recommendations
    out = []
    b_teams = {t.team: t for t in before.teams}
    a_teams = {t.team: t for t in after.teams} if after is not None else {}

    def risky_by_team(fc) -> dict[str, list[str]]:
        """Each team's committed items under an even chance, sorted (one pass over the items)."""
        by_team: dict[str, list[str]] = {}
        for i in fc.items if fc is not None else ():
            if i.committed and i.p_on_time is not None and i.p_on_time < EVEN_CHANCE:
                by_team.setdefault(i.team, []).append(i.key)
        return {team: sorted(keys) for team, keys in by_team.items()}

    risky_before, risky_after = risky_by_team(before), risky_by_team(after)

    def risky(fc, team):
        return (risky_before if fc is before else risky_after).get(team, [])

    for r in recommendations:
        if r.action != "defer" or r.team not in b_teams:
            out.append(r)
            continue
        b, a = b_teams[r.team], a_teams.get(r.team)
        update = dict(
            p50_date_before=b.p50_date,
            p_by_end_before=b.p_by_end,
            committed_at_risk_before=risky(before, r.team),
        )
        head, sep, tail = r.text.partition(". Not proposed: ")
        if after is None and r.items:
            update["text"] = (
                head
                + (
                    f"; forecast now: half the runs done by {day(b.p50_date)} "
                    f"({_chance(b.p_by_end)} by the quarter's end), not re-run after the "
                    "deferrals for a plan this large (forecast.max_item_runs)"
                )
                + sep
                + tail
            )
        if a is not None and r.items:
            update |= dict(
                p50_date_after=a.p50_date,
                p_by_end_after=a.p_by_end,
                committed_at_risk_after=risky(after, r.team),
            )
            text = (
                f"; forecast: half the runs done by {day(b.p50_date)} ({_chance(b.p_by_end)} by the quarter's "
                f"end) before, {day(a.p50_date)} ({_chance(a.p_by_end)}) after"
            )
            if update["committed_at_risk_after"]:
                text += (
                    f"; committed work still under an even chance after: "
                    f"{_keys(update['committed_at_risk_after'])}"
                )
            update["text"] = head + text + sep + tail
        out.append(r.model_copy(update=update))
    return out


def _chance(p: float | None) -> str:
    return pct(p)


EVEN_CHANCE = 0.5  # FOR001's min_probability by default: a committed item below it is at risk


def team_status(
    facts: Facts,
    teams: list[TeamReport],
    *,
    max_load: float = 1.0,
    buffer_line: float | None = None,
    even: float = EVEN_CHANCE,
) -> list[TeamReport]:
    """Each team's delivery forecast and its status: "fits" only when its load is under the line and
    its committed items are likely to land; otherwise why not."""
    fc = facts.forecast
    f_teams = {t.team: t for t in fc.teams} if fc is not None else {}
    by_key: dict[str, Any] = {}  # the forecast's items, gathered when a status first names one

    def forecast_team(key: str) -> str | None:
        if not by_key and fc is not None:
            by_key.update(zip(map(_KEY, fc.items), fc.items, strict=True))
        item = by_key.get(key)
        return item.team if item is not None else None

    graph = facts.open_graph if fc is not None else None
    committed_by_team: dict[str, list] = {}
    for i in fc.items if fc is not None else ():
        if i.committed:
            committed_by_team.setdefault(i.team, []).append(i)
    out = []
    for t in teams:
        cap = facts.capacity.get(t.team)
        update: dict = {}
        if cap is not None:
            update |= dict(
                team_weeks=round(cap.team_weeks, 2),
                ops_share=round(cap.ops_share, 3),
                ops_basis=cap.ops_basis if cap.known else None,
            )
        ft = f_teams.get(t.team)
        delivery = None
        if ft is not None and fc is not None and graph is not None:
            committed = _committed_deliveries(graph, t.team, committed_by_team.get(t.team, []))
            committed.sort(key=lambda c: (c.p_on_time if c.p_on_time is not None else 2.0, c.key))
            delivery = TeamDelivery(
                p50_weeks=ft.p50_weeks,
                p85_weeks=ft.p85_weeks,
                p50_date=ft.p50_date,
                p85_date=ft.p85_date,
                p_by_end=ft.p_by_end,
                committed=committed,
            )
        update["delivery"] = delivery
        update["status"], update["status_text"] = _status(
            t, cap, delivery, max_load, buffer_line, even, forecast_team
        )
        if t.points_unconverted:
            n = len(t.points_unconverted)
            update["status_text"] += (
                f"; planned work not known: {n} open item{'s are' if n > 1 else ' is'} "
                "estimated in story points and the team has no points_per_week"
            )
        bare = (
            [k for k in cap.unestimated if k not in t.points_unconverted] if cap is not None else []
        )
        if cap is not None and cap.known and bare:
            n = len(bare)
            update["status_text"] += (
                f"; {n} open item{'s have' if n > 1 else ' has'} no estimate and "
                f"{'are' if n > 1 else 'is'} not in the load"
            )
        out.append(t.model_copy(update=update))
    return out


def _committed_deliveries(graph, team: str, items: list) -> list[CommittedDelivery]:
    """A team's committed items as its delivery shows them: what each waits on, and the other
    teams up its chain (most wait on nothing: no chain to walk)."""
    rows = []
    waits_on = graph.waits  # each open item's direct dependencies outside its own cycle
    for i in items:
        waits = sorted(waits_on[i.key])
        chain, others = _upstream(graph, i.key, team, waits) if waits else ([], [])
        rows.append(
            {
                "key": i.key,
                "due": i.due,
                "p_on_time": i.p_on_time,
                "waits_on": waits,
                "waits_on_teams": others,
                "chain": chain,
            }
        )
    return _built(CommittedDelivery, rows, _DELIVERY_FIELDS_HOLD)


def _upstream(graph, key: str, team: str, waits: list[str]) -> tuple[list[str], list[str]]:
    """Other teams anywhere up an item's chain of dependencies, and one path to the first such item.
    `waits`: what the item itself waits on, sorted."""
    seen = {key}
    parent: dict[str, str] = {}
    queue = [key]
    first: str | None = None
    others: list[str] = []
    while queue:
        nxt = []
        for k in queue:
            for dep in waits if k == key else sorted(graph.waits_on(k)):
                if dep in seen:
                    continue
                seen.add(dep)
                parent[dep] = k
                owner = graph.team.get(dep)
                if owner and owner != team:
                    if owner not in others:
                        others.append(owner)
                    if first is None:
                        first = dep
                nxt.append(dep)
        queue = nxt
    chain: list[str] = []
    node = first
    while node is not None and node != key:
        chain.append(node)
        node = parent.get(node)
    return list(reversed(chain)), sorted(others)


def _status(
    t: TeamReport,
    cap,
    delivery: TeamDelivery | None,
    max_load: float,
    buffer_line: float | None,
    even: float,
    forecast_team: Callable[[str], str | None],
) -> tuple[str, str]:
    if cap is None or not cap.known or not t.capacity_known:
        return "not checked", "load not checked: no headcount in the staffing model"
    at_risk = [
        c
        for c in (delivery.committed if delivery else [])
        if c.p_on_time is not None and c.p_on_time < even
    ]
    risk_text = ""
    if at_risk:
        parts = []
        for c in at_risk[:3]:
            part = f"{c.key} has a {_chance(c.p_on_time)} chance to land by {c.due.isoformat() if c.due else 'its date'}"
            if c.chain:
                owner = forecast_team(c.chain[-1])
                part += f", waiting on {' → '.join(c.chain)}" + (f" ({owner})" if owner else "")
            parts.append(part)
        more = f" and {len(at_risk) - 3} more" if len(at_risk) > 3 else ""
        why = (
            "because it waits on another team"
            if any(c.waits_on_teams for c in at_risk)
            else "in the team's own queue"
        )
        risk_text = f"committed work at risk {why}: " + "; ".join(parts) + more
    if cap.load > max_load:
        text = f"over capacity: {'at least ' if t.points_unconverted else ''}{share_text(cap.load)} of capacity"
        if delivery is not None and delivery.p_by_end is not None:
            text += f", all its open work done by the quarter's end in {_chance(delivery.p_by_end)} of the runs"
        return "over capacity", text + (f"; {risk_text}" if risk_text else "")
    if t.points_unconverted:  # the load is a floor: never "fits" on work that was not counted
        return "not checked", (
            f"load not checked: at least {share_text(cap.load)} of capacity, without the "
            "story points it cannot convert" + (f"; {risk_text}" if risk_text else "")
        )
    if at_risk:
        tight = (
            f", above the {share_text(buffer_line)} buffer line"
            if buffer_line is not None and cap.load > buffer_line
            else ""
        )
        return "committed work at risk", risk_text + f" (load {share_text(cap.load)}{tight})"
    if delivery is None:
        return "not checked", f"load {share_text(cap.load)}, delivery not forecast"
    if buffer_line is not None and cap.load > buffer_line:
        return "no buffer", (
            f"fits at {share_text(cap.load)} of capacity, above the {share_text(buffer_line)} "
            "buffer line; committed items likely to land"
        )
    text = f"fits its capacity ({share_text(cap.load)}) and its committed items are likely to land"
    if delivery.p_by_end is not None and delivery.p_by_end < even:
        text += f"; all its open work is done by the quarter's end in only {_chance(delivery.p_by_end)} of the runs"
    return "fits", text


def change_advice(findings: list[Finding]) -> list[Recommendation]:
    """For each high or critical finding, the change that clears it (values of the findings,
    already of their types: each made from its dict of every field, not validated again)."""
    rows: list[dict[str, Any]] = [
        {
            "team": f.team or (f.teams[0] if f.teams else ""),
            "action": "change",
            "subject": subject,
            "items": [subject.id] if subject.kind == "item" else [],
            "load_before": None,
            "load_after": None,
            "rule": f.rule,
            "text": f"{subject.id}: {f.fix}",
            "target_load": None,
            "reaches_target": None,
            "dependents": {},
            "kept": {},
            "p50_date_before": None,
            "p50_date_after": None,
            "p_by_end_before": None,
            "p_by_end_after": None,
            "committed_at_risk_before": [],
            "committed_at_risk_after": [],
        }
        for f in findings
        if f.severity in ("critical", "high")
        for subject in (f.subject,)
    ]
    return _built(Recommendation, rows, _ADVICE_FIELDS_HOLD)


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
    # the findings counted by owner and severity first: each owner's chain of units is walked
    # once per severity, not once per finding
    owned = Counter((f.owner_unit, f.severity) for f in findings if f.owner_unit)
    for (owner, severity), n in owned.items():
        owned_here[owner] += n
        for unit in facts.ancestors(owner):
            owned_below[unit][severity] += n
    rollups = []
    for unit in sorted(parent, key=lambda u: (len(facts.ancestors(u)), u)):
        team_names = sorted(below.get(unit, []))
        reps = [report_by_team[t] for t in team_names if t in report_by_team]
        capacity = sum(r.capacity_weeks for r in reps)
        planned = sum(r.planned_weeks for r in reps)
        ops = sum(r.ops_weeks for r in reps)
        worst = max(reps, key=lambda r: (r.score, r.load or 0.0), default=None)
        rollups.append(
            OrgRollup(
                unit=unit,
                parent=parent.get(unit),
                teams=team_names,
                findings_by_severity={
                    s: owned_below[unit][s] for s in SEVERITIES if owned_below[unit][s]
                },
                owned_findings=owned_here[unit],
                capacity_weeks=round(capacity, 2),
                planned_weeks=round(planned, 2),
                ops_weeks=round(ops, 2),
                load=round((planned + ops) / capacity, 3) if capacity else None,
                worst_team=worst.team if worst and worst.score > 0 else None,
            )
        )
    return rollups


# ItemSummary's fields in declared order (the JSON's order): item_summaries builds each one's
# dict in that order, without `made`'s checks, while the model still has exactly these fields.
_SUMMARY_FIELDS = (
    "key", "title", "team", "kind", "estimate_weeks", "due", "committed", "done", "priority",
    "location", "extra",
)  # fmt: skip
_SUMMARY_FIELDS_HOLD = tuple(ItemSummary.model_fields) == _SUMMARY_FIELDS
_DELIVERY_FIELDS_HOLD = tuple(CommittedDelivery.model_fields) == (
    "key", "due", "p_on_time", "waits_on", "waits_on_teams", "chain",
)  # fmt: skip
_DEPENDENCY_FIELDS_HOLD = tuple(Dependency.model_fields) == ("item", "depends_on", "cross_team")
_ADVICE_FIELDS_HOLD = tuple(Recommendation.model_fields) == (
    "team", "action", "subject", "items", "load_before", "load_after", "rule", "text",
    "target_load", "reaches_target", "dependents", "kept", "p50_date_before", "p50_date_after",
    "p_by_end_before", "p_by_end_after", "committed_at_risk_before", "committed_at_risk_after",
)  # fmt: skip


def item_summaries(facts: Facts) -> tuple[list[ItemSummary], list[Dependency]]:
    """Every item as the reports show it, and the dependency edges between them.

    One pass over the items, each value read once; a kind's text, a team's record and the sizes
    are looked up once per plan, not once per item (100,000 items: one summary each)."""
    sizes = _sizes(facts)
    kinds, teams, resolved = facts.kinds, facts.teams, facts._resolved
    kind_text = {kind: kind.value for kind in ItemKind}
    rows: list[dict[str, Any]] = []
    append = rows.append
    for item in facts.plan.items:
        key = item.key
        try:  # team_of, without a call per item
            owner = resolved[item.team]
        except KeyError:
            owner = facts.team_name(item.team)
        weeks = item.estimate_weeks
        if weeks is None:
            weeks = item_weeks(item, teams.get(owner or ""), sizes)
        append(
            {
                "key": key,
                "title": item.title,
                "team": owner,
                "kind": kind_text[kinds[key]],
                "estimate_weeks": weeks,
                "due": item.due,
                "committed": item.committed,
                "done": item.done,
                "priority": item.priority,
                "location": item.ref.location,
                "extra": item.extra,
            }
        )
    items, team_of = facts.items, facts.team_of  # a key's owner, as its first item has it
    edges = [
        {"item": a, "depends_on": b, "cross_team": team_of(items[a]) != team_of(items[b])}
        # iter(): sorted would first ask the view its length, a walk over every node
        for a, b in sorted(iter(facts.item_graph.edges))
    ]
    return _built(ItemSummary, rows, _SUMMARY_FIELDS_HOLD), _built(
        Dependency, edges, _DEPENDENCY_FIELDS_HOLD
    )


def _built(cls: type[_M], rows: list[dict[str, Any]], fields_hold: bool) -> list[_M]:
    """Instances of `cls` from dicts of every field in declared order: at once when the model's
    fields are as listed here, else each through the checked `made`."""
    if fields_hold:
        return cls._fresh_all(rows)
    return [cls.made(**row) for row in rows]


def summary(facts: Facts) -> PlanSummary:
    q = facts.quarter
    return PlanSummary(
        sources=facts.plan.sources,
        quarter=q.label,
        start=q.start,
        end=q.end,
        weeks=q.weeks,
        items=len(facts.plan.items),
        teams=len(facts.teams),
    )


def data_quality(facts: Facts) -> DataQuality:
    return DataQuality(
        rows_read=facts.plan.rows_read,
        rows_used=facts.plan.rows_used,
        issues=[
            {
                "source": i.ref.source,
                "location": i.ref.location,
                "problem": i.problem,
                "row_dropped": i.row_dropped,
                "rows": i.count,
            }
            for i in facts.issues
        ],
    )
