"""A Backstage software catalog (YAML entities, one file or a folder of them).

- Groups and their parents are the org tree; a Group of `spec.type: team` is a team, any
  other type (organization, department, sub-department ...) an org unit above teams.
- A team's headcount is the Users whose `memberOf` names it, with the Group's own
  `spec.members`; a team with no member in the catalog gets no headcount (never 0).
- Components of type service or website, and Resources (databases, queues, buckets), are
  services: owner (`spec.owner`), dependencies (`dependsOn`, and `consumesApis` followed to
  the components that `providesApis`), tier from a label, annotation or tag that says it,
  otherwise none ("tier not stated"; never guessed).

Entity references are read as Backstage writes them: `team-a`, `group:team-a`,
`group:default/team-a`; a reference without a namespace is in the namespace of the entity
that writes it, and names compare without regard to case, as in Backstage.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

from ...model import DataIssue, OrgUnit, Service, SourceRef, Team
from ..cells import ParseError
from ..numeric import parse_tier
from ..words import normalize_name
from .part import ContextPart, Derived, Document, ReadContext, as_documents, table_at

SERVICE_TYPES = frozenset({"service", "website"})  # components that run, and so can page someone
_TIER_KEYS = frozenset({"tier", "servicetier", "criticality", "servicecriticality"})
_TIER_TAG = re.compile(r"tier[-_]?(\d)")


def sniff(data: Any) -> bool:
    return (
        isinstance(data, dict)
        and str(data.get("apiVersion", "")).startswith("backstage.io/")
        and isinstance(data.get("kind"), str)
    )


@dataclass
class _Entity:
    kind: str
    namespace: str
    name: str
    doc: Document
    spec: dict[str, Any]
    metadata: dict[str, Any]

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.kind.lower(), self.namespace.lower(), self.name.lower())

    def ref(self, note: str | None = None) -> SourceRef:
        return SourceRef(
            source=self.doc.source, key=f"{self.kind} {self.name}" + (f", {note}" if note else "")
        )


@dataclass
class _Catalog:
    entities: dict[tuple[str, str, str], _Entity] = field(default_factory=dict)
    issues: list[DataIssue] = field(default_factory=list)
    unused: dict[str, int] = field(default_factory=dict)

    def note(self, ref: SourceRef, problem: str, subject: str | None = None) -> None:
        self.issues.append(DataIssue(ref=ref, problem=problem, subject_id=subject))

    def of_kind(self, kind: str) -> list[_Entity]:
        return [e for e in self.entities.values() if e.kind.lower() == kind]


def parse_ref(text: Any, default_kind: str, default_namespace: str) -> tuple[str, str, str] | None:
    """(kind, namespace, name) of `[kind:][namespace/]name`, lower-cased; None when it is no reference."""
    if not isinstance(text, str) or not text.strip():
        return None
    text = text.strip()
    kind, _, rest = text.partition(":") if ":" in text else (default_kind, "", text)
    namespace, _, name = rest.rpartition("/") if "/" in rest else (default_namespace, "", rest)
    if not name or not kind:
        return None
    return (kind.lower(), (namespace or default_namespace).lower(), name.lower())


def _refs(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def read_all(pairs: list[tuple[Any, str]], ctx: ReadContext) -> list[ContextPart]:
    docs = as_documents(pairs)
    sources = sorted({d.source for d in docs})
    source = sources[0] if len(sources) == 1 else _common(sources)
    cat = _Catalog()
    for doc in docs:
        _add(cat, doc)
    part = ContextPart(source=source, kind="backstage")
    _groups(cat, part)
    _services(cat, part)
    if cat.unused:
        shown = ", ".join(f"{n} {k}" for k, n in sorted(cat.unused.items()))
        cat.note(
            SourceRef(source=source),
            f"Backstage catalog: {shown} read but not used (the audit has no place for them)",
        )
    part.issues[:0] = cat.issues
    return [part]


def _common(sources: list[str]) -> str:
    try:
        common = os.path.commonpath(sources)
    except ValueError:
        return sources[0]
    return common or sources[0]


def _add(cat: _Catalog, doc: Document) -> None:
    data = doc.data
    kind = str(data.get("kind"))
    metadata = table_at(data, "metadata")
    spec = table_at(data, "spec")
    name = metadata.get("name")
    where = SourceRef(source=doc.source, key=f"{kind} (document {doc.index + 1})")
    if not isinstance(name, (str, int)) or not str(name).strip():
        cat.note(where, f"a {kind} with no metadata.name was not read")
        return
    namespace = (
        metadata.get("namespace") if isinstance(metadata.get("namespace"), str) else "default"
    )
    entity = _Entity(kind, namespace or "default", str(name).strip(), doc, spec, metadata)
    first = cat.entities.get(entity.key)
    if first is not None:
        cat.note(
            entity.ref(),
            f"{kind} {entity.name} is defined twice (first in {first.doc.source}); "
            "the first was used",
            subject=entity.name,
        )
        return
    cat.entities[entity.key] = entity


# ---------------------------------------------------------------- org and teams


def _groups(cat: _Catalog, part: ContextPart) -> None:
    groups = cat.of_kind("group")
    by_key = {g.key: g for g in groups}
    parents: dict[tuple[str, str, str], _Entity] = {}
    for group in groups:
        ref = parse_ref(group.spec.get("parent"), "group", group.namespace)
        if ref is not None:
            if ref in by_key:
                parents[group.key] = by_key[ref]
            else:
                cat.note(
                    group.ref(),
                    f"Group {group.name}: parent {group.spec.get('parent')} is no Group in the "
                    "catalog; it was left out of the org tree",
                    subject=group.name,
                )
    for group in groups:
        for child in _refs(group.spec.get("children")):
            ref = parse_ref(child, "group", group.namespace)
            if ref is None or ref not in by_key:
                continue
            stated = parents.get(ref)
            if stated is None:
                parents[ref] = group
            elif stated.key != group.key:
                cat.note(
                    by_key[ref].ref(),
                    f"Group {by_key[ref].name}: parent {stated.name}, but Group "
                    f"{group.name} lists it as a child; {stated.name} was used",
                    subject=by_key[ref].name,
                )
    members = _members(cat, by_key)
    users = cat.of_kind("user")
    teams = [g for g in groups if str(g.spec.get("type", "")).strip().lower() == "team"]
    without_members = []
    for group in groups:
        parent = parents.get(group.key)
        parent_name = parent.name if parent else None
        if group in teams:
            part.teams.append(Team(team=group.name, ref=group.ref()))
            values = part.team_values.setdefault(group.name, {})
            if parent_name:
                values["parent"] = Derived(parent_name, group.ref(), f"parent {parent_name}")
            count = len(members.get(group.key, ()))
            if count:
                values["headcount"] = Derived(float(count), group.ref(), f"{count} members")
            else:
                without_members.append(group)
        else:
            part.org.append(OrgUnit(unit=group.name, parent=parent_name, ref=group.ref()))
    if without_members:
        names = ", ".join(g.name for g in without_members)
        why = "the catalog has no User entities" if not users else "no User is a member of them"
        cat.note(
            without_members[0].ref(),
            f"Backstage teams with no members in the catalog ({why}): {names}; "
            "their headcount was not derived",
        )


def _members(cat: _Catalog, by_key: dict[tuple[str, str, str], _Entity]) -> dict[tuple, set[tuple]]:
    """Group key -> user keys: Users' memberOf and Groups' spec.members."""
    members: dict[tuple, set[tuple]] = {}
    missing: dict[tuple, list[str]] = {}
    for user in cat.of_kind("user"):
        for written in _refs(user.spec.get("memberOf")):
            ref = parse_ref(written, "group", user.namespace)
            if ref is None:
                continue
            if ref not in by_key:
                missing.setdefault(ref, []).append(user.name)
                continue
            members.setdefault(ref, set()).add(user.key)
    for group in by_key.values():
        for written in _refs(group.spec.get("members")):
            ref = parse_ref(written, "user", group.namespace)
            if ref is not None:
                members.setdefault(group.key, set()).add(ref)
    for ref, names in missing.items():
        first = cat.entities[("user", *_user_key(cat, names[0]))]
        cat.note(
            first.ref(),
            f"{len(names)} User(s) are members of {ref[2]}, which is no Group in the "
            "catalog; they were not counted",
            subject=ref[2],
        )
    return members


def _user_key(cat: _Catalog, name: str) -> tuple[str, str]:
    for e in cat.of_kind("user"):
        if e.name == name:
            return (e.namespace.lower(), e.name.lower())
    return ("default", name.lower())


# ---------------------------------------------------------------- services


def _services(cat: _Catalog, part: ContextPart) -> None:
    components = cat.of_kind("component")
    services = [
        c for c in components if str(c.spec.get("type", "")).strip().lower() in SERVICE_TYPES
    ]
    services += cat.of_kind("resource")
    other = [c for c in components if c not in services]
    if other:
        kinds = sorted({str(c.spec.get("type", "no type")) for c in other})
        cat.note(
            SourceRef(source=part.source),
            f"{len(other)} Components that are not services or websites "
            f"({', '.join(kinds)}: {', '.join(c.name for c in other[:8])}) "
            "were not read as services",
        )
    for kind in ("system", "domain", "location", "template"):
        found = cat.of_kind(kind)
        if found:
            cat.unused[kind.capitalize()] = len(found)
    providers: dict[tuple, list[_Entity]] = {}
    for comp in components:
        for api in _refs(comp.spec.get("providesApis")):
            ref = parse_ref(api, "api", comp.namespace)
            if ref is not None:
                providers.setdefault(ref, []).append(comp)
    group_keys = {g.key for g in cat.of_kind("group")}
    untiered = []
    for svc in services:
        part.services.append(Service(service=svc.name, ref=svc.ref()))
        values = part.service_values.setdefault(svc.name, {})
        _owner(cat, svc, group_keys, values)
        deps = _dependencies(cat, svc, providers)
        if deps:
            values["depends_on"] = Derived(
                deps, svc.ref(), "dependsOn/consumesApis: " + ", ".join(deps)
            )
        tier = _tier(cat, svc)
        if tier is None:
            untiered.append(svc.name)
        elif tier[0] is not None:
            values["tier"] = Derived(tier[0], svc.ref(), tier[1])
        extra = {
            "system": svc.spec.get("system"),
            "lifecycle": svc.spec.get("lifecycle"),
            "subcomponent_of": svc.spec.get("subcomponentOf"),
        }
        annotations = table_at(svc.metadata, "annotations")
        if annotations.get("pagerduty.com/service-id"):
            extra["pagerduty_service_id"] = annotations["pagerduty.com/service-id"]
        for key, value in extra.items():
            if isinstance(value, (str, int, float)) and str(value).strip():
                values[key] = Derived(str(value).strip(), svc.ref(), f"{key} {value}")
    if untiered:
        cat.note(
            SourceRef(source=part.source),
            f"tier not stated (no tier label, annotation or tag) for "
            f"{len(untiered)} catalog services: {', '.join(untiered)}",
        )


def _owner(cat: _Catalog, svc: _Entity, group_keys: set[tuple], values: dict[str, Derived]) -> None:
    written = svc.spec.get("owner")
    ref = parse_ref(written, "group", svc.namespace)
    if ref is None:
        cat.note(svc.ref(), f"{svc.kind} {svc.name} has no owner in the catalog", subject=svc.name)
        return
    if ref[0] == "user":
        cat.note(
            svc.ref(),
            f"{svc.kind} {svc.name} is owned by a user, not a team; its owner team was left empty",
            subject=svc.name,
        )
        return
    name = cat.entities[ref].name if ref in group_keys else ref[2]
    if ref not in group_keys:
        cat.note(
            svc.ref(),
            f"{svc.kind} {svc.name}: owner {written} names no Group in the catalog; the owner "
            f"was kept as written ({name})",
            subject=svc.name,
        )
    values["owner_team"] = Derived(name, svc.ref(), f"owner {written}")


def _dependencies(cat: _Catalog, svc: _Entity, providers: dict[tuple, list[_Entity]]) -> list[str]:
    deps: list[str] = []
    for written in _refs(svc.spec.get("dependsOn")):
        ref = parse_ref(written, "component", svc.namespace)
        if ref is None:
            continue
        target = cat.entities.get(ref)
        name = target.name if target else ref[2]
        if target is None:
            cat.note(
                svc.ref(),
                f"{svc.kind} {svc.name} depends on {written}, which is not in the catalog; "
                "the name was kept",
                subject=svc.name,
            )
        deps.append(name)
    for written in _refs(svc.spec.get("consumesApis")):
        ref = parse_ref(written, "api", svc.namespace)
        if ref is None:
            continue
        found = providers.get(ref, [])
        if not found:
            cat.note(
                svc.ref(),
                f"{svc.kind} {svc.name} consumes the API {written}, which no component in the "
                "catalog provides; that dependency was not followed",
                subject=svc.name,
            )
        deps.extend(p.name for p in found)
    out: list[str] = []
    for dep in deps:
        if dep.lower() != svc.name.lower() and dep not in out:
            out.append(dep)
    return out


def _tier(cat: _Catalog, svc: _Entity) -> tuple[int | None, str] | None:
    """(tier, where it is written) from a label, an annotation or a tag; None when none says it;
    (None, where) when one says it unreadably (noted here: it is not "not stated")."""
    said = [
        (value, f"{place[:-1]} {key}: {value}", f"{place[:-1]} {key}")
        for place in ("labels", "annotations")
        for key, value in table_at(svc.metadata, place).items()
        if normalize_name(str(key).rsplit("/", 1)[-1]) in _TIER_KEYS
    ]
    for tag in _refs(svc.metadata.get("tags")):
        match = _TIER_TAG.fullmatch(str(tag).strip().lower())
        if match:
            said.append((f"tier {match[1]}", f"tag {tag}", f"tag {tag}"))
    for value, where, named in said:
        try:
            tier = parse_tier(value)
        except ParseError as exc:  # "tier-7", "Tier 0": noted, never a guess
            cat.note(
                svc.ref(),
                f"{svc.kind} {svc.name}: {named}: {exc}; no tier was taken",
                subject=svc.name,
            )
            return None, where
        if tier is not None:
            return tier, where
    return None
