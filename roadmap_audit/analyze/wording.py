"""How numbers and names read in a finding: shared by the checks and their texts, so an
availability, a share or a possessive is written one way everywhere."""

from __future__ import annotations

MINUTES_PER_30_DAYS = 30 * 24 * 60


def slo_text(share: float, digits: int = 4) -> str:
    """0.9995 -> '99.95%'; computed values pass fewer digits."""
    return f"{share * 100:.{digits}f}".rstrip("0").rstrip(".") + "%"


def possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def pct(share: float) -> str:
    """0.25 -> '25%' (whole percents)."""
    return f"{share:.0%}"


def downtime(share: float) -> str:
    """What an availability allows in 30 days, in words: '21.6 min a month'."""
    minutes = (1 - share) * MINUTES_PER_30_DAYS
    return f"{minutes / 60:.1f} h a month" if minutes >= 120 else f"{minutes:.1f} min a month"


def number(x: float) -> str:
    """12.0 -> '12', 2.5 -> '2.5'."""
    return f"{x:g}"
