"""Wording of the dependency-graph checks (DEP001-004): single points of failure, schedule
inversions, cycles and cross-team chains."""

from __future__ import annotations

from collections import Counter

from ...analyze.capacity import share_text
from ...analyze.wording import possessive
from ...model import Item


def dependents(counts: dict[str, int], first: list[str], whose: str = "") -> str:
    """'5 committed items{whose} (a 3, b 2: A-1, A-2, …)'."""
    total = sum(counts.values())
    shown = ", ".join(first) + (", …" if total > len(first) else "")
    teams = ", ".join(f"{team or 'no team'} {n}" for team, n in list(counts.items())[:6])
    if len(counts) > 6:
        teams += f" and {len(counts) - 6} more teams"
    return f"{total} committed item{'s' if total != 1 else ''}{whose} ({teams}: {shown})"


def overloaded(team: str | None, load: float) -> str:
    return f"{team} is planned at {share_text(load)} of capacity"


def item_fragile(item: Item, missing: list[str], team: str | None, load: float | None) -> list[str]:
    """What makes an item that others wait on fragile, clause by clause."""
    fragile = []
    if missing:
        fragile.append(
            "it has no " + ", no ".join(m if m != "due" else "due date" for m in missing)
        )
    if load is not None:
        fragile.append(overloaded(team, load))
    if not item.committed:
        fragile.append("it is not committed itself, so nothing protects its date")
    return fragile


def item_spof(item: Item, dependents_text: str, cut: bool, fragile: list[str]) -> str:
    message = (
        f"{item.key} '{item.title}' is waited on, directly or not, by {dependents_text}. "
        "If it slips, they slip"
    )
    if cut:
        message += "; it is also the only link between parts of the committed work"
    if fragile:
        message += "; " + "; ".join(fragile)
    return message


def team_spof(team: str, dependents_text: str, most: list[str], load: float | None) -> str:
    message = (
        f"{possessive(team)} open work is waited on by {dependents_text}: {team} is a bottleneck "
        f"the plan routes through, most of all at {', '.join(most)}"
    )
    if load is not None:
        message += f"; {overloaded(team, load)}"
    return message


def service_fragile(
    experts: int, min_experts: int, budget: float | None, owner: str | None, load: float | None
) -> list[str]:
    """What makes a service that others need fragile, clause by clause."""
    fragile = []
    if experts < min_experts:
        fragile.append(
            {0: "no named expert", 1: "only one named expert"}.get(
                experts, f"only {experts} named experts"
            )
        )
    if budget is not None and budget <= 0:
        fragile.append(f"its error budget is spent ({budget:.0%} left)")
    if load is not None:
        fragile.append(overloaded(owner, load))
    return fragile


def service_spof(name: str, dependents_text: str, callers: list[str], fragile: list[str]) -> str:
    message = f"{name} is needed by {dependents_text}"
    if callers:
        message += f", directly or through the services that call it ({', '.join(callers)})"
    message += ". If it fails or its team slips, they all do"
    if fragile:
        message += "; " + "; ".join(fragile)
    return message


def listed_path(inner: list[str], count: int, max_listed: int) -> str:
    """' (through A-2, A-3)' for the items between an item and what it waits on, cut after
    max_listed - 1 with how many more; '' when it waits on it directly."""
    if count > max_listed:
        inner = [*inner[: max_listed - 1], f"… {count - max_listed + 1} more"]
    return f" (through {', '.join(inner)})" if inner else ""


def inversion(item: Item, blocker: Item, blocker_team: str | None, through: str, late: int) -> str:
    message = (
        f"{item.key} '{item.title}' is due {item.due.isoformat() if item.due else ''}, but it "
        f"depends{through} on {blocker.key} '{blocker.title}' ({blocker_team or 'no team'}), due "
        f"{blocker.due.isoformat() if blocker.due else ''}, {late} day{'s' if late != 1 else ''} "
        "later"
    )
    if item.committed:
        message += f"; {possessive(item.key)} date is committed outside the team"
    return message


def team_list(counts: Counter) -> str:
    return ", ".join(
        f"{team} {n}" for team, n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))
    )


def cycle(members: list[str], loop: list[str], teams: Counter, max_listed: int) -> str:
    message = (
        f"{len(members)} items depend on each other in a circle, so none of them can be finished "
        f"first: {' → '.join(loop)}"
    )
    if len(members) > len(loop) - 1:
        shown = ", ".join(members[:max_listed]) + (" …" if len(members) > max_listed else "")
        message += f"; the knot holds {shown}"
    if len(teams) > 1:
        message += f"; teams involved: {team_list(teams)}"
    return message


def chain_link(key: str, team: str | None, item: Item) -> str:
    due = f", due {item.due.isoformat()}" if item.due else ""
    return f"{key} ({team or 'no team'}{due})"


def chain(
    head: Item, links: list[str], length: int, handoffs: int, teams: int, max_listed: int
) -> str:
    """`links` is the chain's first max_listed links, worded, and its last one."""
    listed = (
        links[:length]
        if length <= max_listed
        else [*links[: max_listed - 1], f"… {length - max_listed} more …", links[-1]]
    )
    message = (
        f"{head.key} '{head.title}' waits on a chain of {length} items with {handoffs} hand-offs "
        f"between {teams} teams: {' → '.join(listed)}. Every hand-off is a queue in another "
        "team's plan, and a slip anywhere reaches the head"
    )
    if head.committed:
        message += f"; {possessive(head.key)} date is committed outside the team"
    return message
