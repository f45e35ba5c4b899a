"""SLO specifications: OpenSLO (v1, v1alpha), Sloth (prometheus/v1 and the Kubernetes CRD),
Pyrra and Google's slo-generator.

Each SLO gives its service a target, a window, and whether it is measured: an indicator
with a query (a metric, a filter, an expression) behind it. The error budget follows:
(1 - target) x window. A service with several SLOs takes the highest target as its `slo`,
with a note naming the others. Nothing is guessed: a window the file does not state is
"not stated" (Sloth's is its documented default, 30 days), and a value that cannot be a
target or a window is a note, not a number.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

from ...model import DataIssue, SourceRef
from ..cells import ParseError
from ..numeric import parse_number, parse_tier
from ..words import normalize_name
from .part import ContextPart, Derived, Document, ReadContext, as_documents, table_at

SLOTH_DEFAULT_DAYS = (
    30.0  # Sloth's documented default SLO period ("30d"), used when a spec states none
)
_OPENSLO_UNITS = {"m": 1 / 1440, "h": 1 / 24, "d": 1.0, "w": 7.0, "M": 30.0, "Q": 91.0, "Y": 365.0}
_PROM_UNITS = {
    "ms": 1 / 86_400_000,
    "s": 1 / 86400,
    "m": 1 / 1440,
    "h": 1 / 24,
    "d": 1.0,
    "w": 7.0,
    "y": 365.0,
}
_V1ALPHA_UNITS = {
    "second": 1 / 86400,
    "minute": 1 / 1440,
    "hour": 1 / 24,
    "day": 1.0,
    "week": 7.0,
    "month": 30.0,
    "quarter": 91.0,
    "year": 365.0,
}
# words in an indicator that name no query: what kind of source, its name, how to read it
_NOT_A_QUERY = frozenset(
    {
        "type",
        "metricsourceref",
        "displayname",
        "name",
        "description",
        "source",
        "querytype",
        "rawtype",
        "counter",
        "incremental",
        "good_below_threshold",
    }
)


_NOT_A_QUERY_KEYS = frozenset(normalize_name(k) for k in _NOT_A_QUERY)


def sniff(data: Any) -> bool:
    return _format(data) is not None


def _format(data: Any) -> str | None:
    if not isinstance(data, dict):
        return None
    api = str(data.get("apiVersion", ""))
    kind = str(data.get("kind", ""))
    if api.startswith("openslo/"):
        return "openslo"
    if api.startswith("sloth.slok.dev/") and kind == "PrometheusServiceLevel":
        return "sloth"
    if str(data.get("version", "")).startswith("prometheus/") and isinstance(
        data.get("slos"), list
    ):
        return "sloth"
    if api.startswith("pyrra.dev/") and kind == "ServiceLevelObjective":
        return "pyrra"
    if api.startswith("sre.google.com/") and kind == "ServiceLevelObjective":
        return "slo-generator"
    if "slo_target" in data and "service_name" in data:  # slo-generator's v1 format
        return "slo-generator"
    if "error_budget_policies" in data and ("backends" in data or "exporters" in data):
        return "slo-generator-config"
    return None


@dataclass
class _Slo:
    service: str
    name: str
    fmt: str
    target: float | None
    window_days: float | None
    window_text: str  # as the file states it, or why there is none
    measured: bool | None
    ref: SourceRef
    owner: str | None = None
    tier: int | None = None


def read_all(pairs: list[tuple[Any, str]], ctx: ReadContext) -> list[ContextPart]:
    docs = as_documents(pairs)
    sources = sorted({d.source for d in docs})
    try:
        source = sources[0] if len(sources) == 1 else os.path.commonpath(sources) or sources[0]
    except ValueError:
        source = sources[0]
    part = ContextPart(source=source, kind="slo")
    slis = {
        str(_meta(d.data).get("name")): d
        for d in ctx.documents or docs
        if _format(d.data) == "openslo" and d.data.get("kind") == "SLI"
    }
    slos: list[_Slo] = []
    for doc in docs:
        fmt = _format(doc.data)
        reader = _READERS.get(fmt) if fmt else None
        if reader is not None:
            slos.extend(reader(doc, part.issues, slis))
    unnamed = [i for i in part.issues if i.problem == _UNNAMED]
    if len(unnamed) > 1:  # one note for them all, naming each
        part.issues = [i for i in part.issues if i.problem != _UNNAMED]
        part.issues.append(
            DataIssue(
                ref=SourceRef(source=source),
                problem=(
                    f"{len(unnamed)} Pyrra SLOs state no service (no service or app label); each is listed under its own "
                    f"name: {', '.join(str(i.subject_id) for i in unnamed)}"
                ),
            )
        )
    elif unnamed:
        part.issues = [
            i.model_copy(update={"problem": f"Pyrra SLO {i.subject_id} {_UNNAMED[10:]}"})
            if i.problem == _UNNAMED
            else i
            for i in part.issues
        ]
    if not slos:
        part.issues.append(
            DataIssue(
                ref=SourceRef(source=source),
                problem=(
                    "SLO files: no SLO with a service was found (service definitions, SLIs, alert policies or a shared "
                    "config only); nothing was taken from them"
                ),
            )
        )
    _per_service(slos, part)
    return [part]


def _meta(data: dict[str, Any]) -> dict[str, Any]:
    return table_at(data, "metadata")


def _spec(data: dict[str, Any]) -> dict[str, Any]:
    return table_at(data, "spec")


def _note(
    issues: list[DataIssue], ref: SourceRef, problem: str, subject: str | None = None
) -> None:
    issues.append(DataIssue(ref=ref, problem=problem, subject_id=subject))


def _has_query(node: Any, depth: int = 0) -> bool:
    """Whether an indicator holds a query: a non-empty text under a key that is not a name or a type."""
    if depth > 20:
        return False
    if isinstance(node, dict):
        for key, value in node.items():
            if normalize_name(str(key)) in _NOT_A_QUERY_KEYS:
                continue
            if isinstance(value, str) and value.strip():
                return True
            if isinstance(value, (dict, list)) and _has_query(value, depth + 1):
                return True
    elif isinstance(node, list):
        return any(_has_query(v, depth + 1) for v in node)
    return False


def _share(value: Any, percent: bool) -> float | None:
    """A target as a share below 1 (99.9 -> 0.999 when `percent`); None when it is none."""
    try:
        number = parse_number(value)
    except ParseError:
        return None
    if number is None:
        return None
    share = round(number / 100, 12) if percent else number
    return share if 0 < share < 1 else None


def _label(table: Any, *keys: str) -> str | None:
    """One value of a label (a list with one value counts; several are no single owner)."""
    if not isinstance(table, dict):
        return None
    for key in keys:
        value = table.get(key)
        if isinstance(value, list):
            value = value[0] if len(value) == 1 else None
        if isinstance(value, (str, int)) and str(value).strip():
            return str(value).strip()
    return None


def pct(share: float) -> str:
    """0.999 -> '99.9%'."""
    return f"{share * 100:.6g}%"


def _tier(table: Any) -> int | None:
    text = _label(table, "tier")
    if text is None:
        return None
    try:
        return parse_tier(text)
    except ParseError:
        return None


def _duration(text: Any, units: dict[str, float]) -> float | None:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([A-Za-z]+)\s*", str(text or ""))
    if not match or match[2] not in units:
        return None
    return float(match[1]) * units[match[2]]


def _window_note(
    slo_name: str, text: str, days: float | None, issues: list[DataIssue], ref: SourceRef, fmt: str
) -> float | None:
    if days is None:
        _note(
            issues,
            ref,
            f"SLO {slo_name}: window '{text}' could not be read; no error budget was derived",
        )
        return None
    if days < 1:
        hint = " (in OpenSLO, m is minutes; a month is M)" if fmt == "openslo" else ""
        _note(
            issues,
            ref,
            f"SLO {slo_name}: window {text} is under a day{hint}; it was not used and no error "
            "budget was derived",
        )
        return None
    return days


# ---------------------------------------------------------------- formats


def _openslo(doc: Document, issues: list[DataIssue], slis: dict[str, Document]) -> list[_Slo]:
    data = doc.data
    if data.get("kind") != "SLO":
        return []
    meta, spec = _meta(data), _spec(data)
    name = str(meta.get("name") or f"document {doc.index + 1}")
    ref = SourceRef(source=doc.source, key=f"SLO {name}")
    service = spec.get("service")
    if not isinstance(service, str) or not service.strip():
        _note(issues, ref, f"SLO {name} names no service; it was not used")
        return []
    targets = [
        (_share(o.get("target"), False), o)
        for o in spec.get("objectives") or []
        if isinstance(o, dict)
    ]
    good = [t for t, _ in targets if t is not None]
    if targets and not good:
        _note(
            issues,
            ref,
            f"SLO {name}: no objective has a target between 0 and 1; no target was taken",
            service,
        )
    target = max(good) if good else None
    if len(set(good)) > 1:
        _note(
            issues,
            ref,
            f"SLO {name} has {len(good)} objectives ({', '.join(pct(t) for t in good)}); "
            f"the highest, {pct(max(good))}, was taken",
            service,
        )
    # window: v1 timeWindow[].duration, v1alpha timeWindows[].unit/count
    days, text = None, "not stated"
    if isinstance(spec.get("timeWindow"), list) and spec["timeWindow"]:
        first = spec["timeWindow"][0] if isinstance(spec["timeWindow"][0], dict) else {}
        text = str(first.get("duration"))
        days = _window_note(name, text, _duration(text, _OPENSLO_UNITS), issues, ref, "openslo")
    elif isinstance(spec.get("timeWindows"), list) and spec["timeWindows"]:
        first = spec["timeWindows"][0] if isinstance(spec["timeWindows"][0], dict) else {}
        unit, count = str(first.get("unit", "")).lower(), first.get("count")
        text = f"{count} {unit}"
        raw = _V1ALPHA_UNITS.get(unit)
        days = _window_note(
            name,
            text,
            raw * float(count) if raw and isinstance(count, (int, float)) else None,
            issues,
            ref,
            "openslo",
        )
    # measured: an inline indicator, an indicatorRef to an SLI, or (v1alpha) objectives' ratioMetrics
    measured: bool | None
    if isinstance(spec.get("indicator"), dict):
        measured = _has_query(spec["indicator"])
    elif spec.get("indicatorRef"):
        sli = slis.get(str(spec["indicatorRef"]))
        if sli is None:
            measured = None
            _note(
                issues,
                ref,
                f"SLO {name}: its indicatorRef {spec['indicatorRef']} is no SLI in the files given; "
                "whether it is measured is not known",
                service,
            )
        else:
            measured = _has_query(_spec(sli.data))
    else:
        measured = any(_has_query(o.get("ratioMetrics")) for _, o in targets)
    owner = _label(meta.get("labels"), "team", "owner")
    return [
        _Slo(
            service.strip(),
            name,
            "OpenSLO",
            target,
            days,
            text,
            measured,
            ref,
            owner,
            _tier(meta.get("labels")),
        )
    ]


def _sloth(doc: Document, issues: list[DataIssue], slis: dict[str, Document]) -> list[_Slo]:
    data = doc.data
    spec = _spec(data) if data.get("apiVersion") else data
    service = spec.get("service")
    where = SourceRef(source=doc.source, key=f"Sloth service {service}")
    if not isinstance(service, str) or not service.strip():
        _note(issues, where, "a Sloth spec with no service was not used")
        return []
    labels = spec.get("labels")
    out = []
    for slo in spec.get("slos") or []:
        if not isinstance(slo, dict):
            continue
        name = str(slo.get("name") or "unnamed")
        ref = SourceRef(source=doc.source, key=f"Sloth SLO {service}/{name}")
        target = _share(slo.get("objective"), True)
        if target is None:
            _note(
                issues,
                ref,
                f"SLO {name}: objective {slo.get('objective')!r} is not a percentage below 100; "
                "no target was taken",
                service,
            )
        sli = slo.get("sli")
        measured = _has_query(sli) if isinstance(sli, dict) else False
        out.append(
            _Slo(
                service.strip(),
                name,
                "Sloth",
                target,
                SLOTH_DEFAULT_DAYS,
                "30d (Sloth's default period; the spec states none)",
                measured,
                ref,
                _label(labels, "owner", "team"),
                _tier(labels),
            )
        )
    return out


_UNNAMED = "Pyrra SLO states no service (no service or app label); it is listed under its own name"


def _pyrra(doc: Document, issues: list[DataIssue], slis: dict[str, Document]) -> list[_Slo]:
    data = doc.data
    meta, spec = _meta(data), _spec(data)
    name = str(meta.get("name") or f"document {doc.index + 1}")
    ref = SourceRef(source=doc.source, key=f"Pyrra SLO {name}")
    labels = meta.get("labels")
    service = _label(labels, "service", "app.kubernetes.io/name", "app")
    if service is None:
        service = name
        _note(issues, ref, _UNNAMED, name)
    target = _share(spec.get("target"), True)
    if target is None:
        _note(
            issues,
            ref,
            f"SLO {name}: target {spec.get('target')!r} is not a percentage below 100; no target "
            "was taken",
            service,
        )
    text = str(spec.get("window", "not stated"))
    days = (
        _window_note(name, text, _duration(text, _PROM_UNITS), issues, ref, "pyrra")
        if "window" in spec
        else None
    )
    return [
        _Slo(
            service,
            name,
            "Pyrra",
            target,
            days,
            text,
            _has_query(spec.get("indicator")),
            ref,
            _label(labels, "team", "owner"),
            _tier(labels),
        )
    ]


def _slo_generator(doc: Document, issues: list[DataIssue], slis: dict[str, Document]) -> list[_Slo]:
    data = doc.data
    if _format(data) == "slo-generator-config":
        return []
    if "slo_target" in data:  # v1: everything at the top level
        labels, spec = data, data
        goal, sli = (
            data.get("slo_target"),
            data.get("measurement") or data.get("service_level_indicator"),
        )
        name = str(data.get("slo_name") or "unnamed")
    else:
        meta, spec = _meta(data), _spec(data)
        labels = table_at(meta, "labels")
        goal, sli = spec.get("goal"), spec.get("service_level_indicator")
        name = str(meta.get("name") or labels.get("slo_name") or "unnamed")
    service = _label(labels, "service_name")
    ref = SourceRef(source=doc.source, key=f"slo-generator SLO {name}")
    if service is None:
        _note(issues, ref, f"SLO {name} has no service_name label; it was not used")
        return []
    target = _share(goal, False)
    if target is None:
        _note(
            issues,
            ref,
            f"SLO {name}: goal {goal!r} is not a share between 0 and 1; no target was taken",
            service,
        )
    return [
        _Slo(
            service,
            name,
            "slo-generator",
            target,
            None,
            "not stated (slo-generator measures over its error budget policy's windows)",
            _has_query(sli),
            ref,
            _label(labels, "team", "owner"),
            _tier(labels),
        )
    ]


_READERS = {
    "openslo": _openslo,
    "sloth": _sloth,
    "pyrra": _pyrra,
    "slo-generator": _slo_generator,
    "slo-generator-config": _slo_generator,
}


# ---------------------------------------------------------------- per service


def budget_text(target: float, days: float | None) -> str | None:
    """'43.2 minutes per 30 days' for 99.9 % over 30 days; None without a window."""
    if days is None:
        return None
    minutes = (1 - target) * days * 1440
    amount = f"{minutes:.1f} minutes" if minutes < 120 else f"{minutes / 60:.1f} hours"
    return f"{amount} per {days:g} days"


def _per_service(slos: list[_Slo], part: ContextPart) -> None:
    by_service: dict[str, list[_Slo]] = {}
    for slo in slos:
        by_service.setdefault(normalize_name(slo.service), []).append(slo)
    for group in by_service.values():
        name = group[0].service
        with_target = [(s, s.target) for s in group if s.target is not None]
        values = part.service_values.setdefault(name, {})
        if with_target:
            top = max(target for _, target in with_target)
            chosen = [s for s, target in with_target if target == top]
            first = chosen[0]
            others = sorted({f"{s.name} {pct(t)}" for s, t in with_target if t != top})
            note = f"{first.fmt} target {pct(top)}" + (
                f" (highest of its SLOs; also {', '.join(others)})" if others else ""
            )
            values["slo"] = Derived(top, first.ref, note)
            known = [s.measured for s in chosen if s.measured is not None]
            if known:
                measured = any(known)
                values["slo_measured"] = Derived(
                    measured,
                    first.ref,
                    "indicator with a query" if measured else "no indicator query",
                )
            windowed = next((s for s in chosen if s.window_days is not None), None)
            values["slo_window"] = Derived(
                windowed.window_text if windowed else first.window_text, first.ref
            )
            days = windowed.window_days if windowed else None
            if days is not None:
                values["error_budget"] = Derived(
                    budget_text(top, days), first.ref, f"(1 - {pct(top)}) x {days:g} days"
                )
        owners = {s.owner for s in group if s.owner}
        if len(owners) == 1:
            owner = owners.pop()
            source = next(s for s in group if s.owner == owner)
            values["owner_team"] = Derived(owner, source.ref, f"label {owner}")
        elif len(owners) > 1:
            part.issues.append(
                DataIssue(
                    ref=group[0].ref,
                    subject_id=name,
                    problem=(
                        f"the SLOs of {name} name {len(owners)} owners ({', '.join(sorted(owners))}); no owner was taken"
                    ),
                )
            )
        tiers = {s.tier for s in group if s.tier is not None}
        if len(tiers) == 1:
            tier = tiers.pop()
            values["tier"] = Derived(
                tier, next(s.ref for s in group if s.tier == tier), f"label tier {tier}"
            )
        if not values:
            del part.service_values[name]
