"""The JSON report: the Audit as data, with `schema_version` (SPEC §5).

Written through pydantic-core's serializer (Rust, already what pydantic runs on: no
new dependency), a few hundred list elements per call, so a 100,000-item audit is
never one string in memory; its UTF-8 bytes go to the file as the serializer made them.
Floats are rounded by their type (`model.Num`) as they are written, except those their
maker already rounded (`model.Rounded`); nothing walks the output a second time. Each
rule's title, why and fix
are written once, in `rules`; a finding carries `fix` only when it has its own
(a step for its subject before the rule's fix).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, TypeAdapter
from pydantic_core import to_json

from ..model import Audit, Finding

CHUNK = 256  # list elements per serializer call: few calls, and no piece is a whole section
RULE_TEXTS = ("title", "why", "fix")  # a rule's words, the same on each of its findings


def _dump(value: Any, depth: int, exclude: Any = None) -> bytes:
    """One value as indented JSON (UTF-8), nested `depth` levels deep."""
    text = to_json(value, indent=2, exclude=exclude)
    return text.replace(b"\n", b"\n" + b"  " * depth) if depth and b"\n" in text else text


_LISTS: dict[tuple[type, int], TypeAdapter[Any]] = {}


def _serializer(values: list[Any], depth: int) -> Any:
    """The dump_json of a list of one model class nested in `depth` more lists (its schema known:
    twice as fast as to_json, which works out every element's type), else to_json."""
    cls = type(values[0])
    if not issubclass(cls, BaseModel) or len(set(map(type, values))) > 1:  # (one loop in C)
        return to_json
    adapter = _LISTS.get((cls, depth))
    if adapter is None:
        shape: Any = list[cls]  # type: ignore[valid-type]
        for _ in range(depth):
            shape = list[shape]
        adapter = _LISTS[(cls, depth)] = TypeAdapter(shape)
    return adapter.dump_json


def _elements(values: list[Any], depth: int, exclude: list[Any] | None) -> Iterator[bytes]:
    """A list's elements, a chunk per serializer call, each as `_dump(element, depth)`
    would write it inside the list, with the commas between them.

    A chunk nested `depth` levels deep is written inside `depth` lists of one element each, so
    the serializer indents it as it stands in the report (no second pass over the text)."""
    dump = _serializer(values, depth)
    head = len("".join("  " * level + "[\n" for level in range(depth + 1)))
    tail = len("".join("\n" + "  " * level + "]" for level in range(depth, -1, -1)))
    for start in range(0, len(values), CHUNK):
        chunk: Any = values[start : start + CHUNK]
        skip = None if exclude is None else _chunk_exclude(exclude[start : start + CHUNK])
        for _ in range(depth):
            chunk = [chunk]
            skip = {0: skip} if skip is not None else None
        text = memoryview(dump(chunk, indent=2, exclude=skip))
        inner = text[head:-tail]  # the nesting's and the chunk's own brackets off, not copied
        yield bytes(inner) if start == 0 else b",\n" + inner


def _chunk_exclude(excludes: list[Any]) -> Any:
    """The serializer's `exclude` for one chunk: one set for every element when they all leave
    out the same fields (a chunk of findings that all say their rule's words), else by position."""
    first = excludes[0]
    if first and all(e is first for e in excludes):
        return {"__all__": first}
    return {n: e for n, e in enumerate(excludes) if e}


def _pieces(value: Any, depth: int, exclude: list[Any] | None = None) -> Iterator[bytes]:
    """`value` as JSON nested `depth` levels deep, in pieces: a model with a long list field
    field by field, a list a chunk of elements at a time."""
    if isinstance(value, list) and value:
        yield b"[\n"
        yield from _elements(value, depth, exclude)
        yield b"\n" + b"  " * depth + b"]"
    elif isinstance(value, BaseModel) and any(
        isinstance(v, list) and len(v) > CHUNK for v in value.__dict__.values()
    ):
        yield from _fields(_field_values(value), depth)
    else:
        yield _dump(value, depth)


def _field_values(model: BaseModel) -> list[tuple[str, Any]]:
    names = list(type(model).model_fields) + list(type(model).model_computed_fields)
    return [(name, getattr(model, name)) for name in names]


def _fields(
    fields: list[tuple[str, Any]], depth: int, excludes: dict[str, Any] | None = None
) -> Iterator[bytes]:
    pad = "  " * (depth + 1)
    yield b"{\n"
    last = len(fields) - 1
    for n, (name, value) in enumerate(fields):
        yield f"{pad}{json.dumps(name)}: ".encode()
        yield from _pieces(value, depth + 1, (excludes or {}).get(name))
        yield b",\n" if n < last else b"\n"
    yield b"  " * depth + b"}"


def rule_texts(audit: Audit) -> dict[str, dict[str, str]]:
    """Each rule's title, why and fix, as its findings say them, by rule id (in the order the
    rules ran). A rule's fix is the one its findings share; most carry exactly it."""
    texts: dict[str, dict[str, Any]] = {}
    fixes: dict[str, Counter[str]] = {}
    for f in audit.findings:
        if f.rule not in texts:
            texts[f.rule] = {"title": f.title, "why": f.why}
            fixes[f.rule] = Counter()
        fixes[f.rule][f.fix] += 1
    order = {rule: n for n, rule in enumerate(audit.rules_run)}
    out = {}
    for rule in sorted(texts, key=lambda r: (order.get(r, len(order)), r)):
        # the most common fix; on a tie the first in text order, so two runs write the same bytes
        fix = min(fixes[rule].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        out[rule] = {**texts[rule], "fix": fix}
    return out


def _finding_excludes(findings: list[Finding], rules: dict[str, dict[str, str]]) -> list[Any]:
    """What each finding leaves to its rule's entry: its title, why and fix where they are the rule's."""
    every = set(RULE_TEXTS)
    excludes: list[Any] = []
    for f in findings:
        rule = rules[f.rule]
        if f.fix == rule["fix"] and f.title == rule["title"] and f.why == rule["why"]:
            excludes.append(every)
        else:
            excludes.append({k for k in RULE_TEXTS if getattr(f, k) == rule[k]})
    return excludes


def iter_json_bytes(audit: Audit) -> Iterator[bytes]:
    """The whole audit as UTF-8, written as it is made: at org scale (100,000 items make
    about 150 MB of JSON) the report is never held whole in memory. The serializer's bytes
    go to the file as they are (no decoding to text and encoding back: 69 MB at 50k items)."""
    rules = rule_texts(audit)
    fields: list[tuple[str, Any]] = []
    for name, value in _field_values(audit):
        if name == "findings":
            fields.append(("rules", rules))
        fields.append((name, value))
    yield from _fields(fields, 0, {"findings": _finding_excludes(audit.findings, rules)})
    yield b"\n"


def iter_json(audit: Audit) -> Iterator[str]:
    """`iter_json_bytes` as text, piece by piece (each piece ends where a JSON value does)."""
    for piece in iter_json_bytes(audit):
        yield piece.decode()


def render_json(audit: Audit) -> str:
    return b"".join(iter_json_bytes(audit)).decode()
