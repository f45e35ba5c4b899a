"""Reading context files into documents: YAML (safe loading only) and JSON, with the run's limits.

YAML goes through PyYAML's safe loader: YAML 1.1 (anchors, merge keys, multi-document
streams, block scalars) is not a parser to write by hand. Safe loading builds plain
data only, never objects. PyYAML still expands aliases, and a "billion laughs" file
(nine anchors, each a list of ten aliases of the one before) is a few hundred bytes
that becomes 10^9 values to whoever walks it; so each document's node graph is
measured with its aliases expanded before any value is built, and refused when the
expansion is out of proportion to what the file holds.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ...config import Limits
from ...errors import InputError
from ..tables import check_file
from .part import Document

SUFFIXES = (".yaml", ".yml", ".json")
MAX_FILES = 10_000  # files of one context folder; a catalog repository has hundreds
MAX_EXPANSION = 10  # expanded nodes per node written, beyond a small allowance
MIN_EXPANDED = 100_000


def context_files(path: Path, display: str) -> list[tuple[Path, str]]:
    """The .yaml/.yml/.json files of a folder (and its subfolders), or the file itself."""
    if not path.is_dir():
        return [(path, display)]
    found: list[tuple[Path, str]] = []
    base = display.rstrip("/\\")
    for root, dirs, files in os.walk(path):  # links to folders are not followed
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or Path(name).suffix.lower() not in SUFFIXES:
                continue
            file = Path(root) / name
            found.append((file, f"{base}/{file.relative_to(path).as_posix()}"))
            if len(found) > MAX_FILES:
                raise InputError(
                    f"has more than {MAX_FILES} YAML and JSON files; give the folder of the catalog "
                    "or the SLO files, not a whole disk",
                    where=display,
                )
    return found


def has_context_files(path: Path) -> bool:
    """A folder holding YAML or JSON files (at any depth), or such a file."""
    if path.is_dir():
        for _root, _dirs, files in os.walk(path):
            if any(Path(f).suffix.lower() in SUFFIXES and not f.startswith(".") for f in files):
                return True
        return False
    return path.suffix.lower() in SUFFIXES


def _text(path: Path, display: str, limits: Limits) -> str:
    check_file(path, display, limits)
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"is not UTF-8 text (byte {exc.start + 1} is 0x{raw[exc.start]:02x})",
            where=display,
            hint="save it as UTF-8",
        ) from None


def read_documents(path: Path, display: str, limits: Limits) -> list[Document]:
    """Every document of one file; a list of entities becomes one document per entity."""
    text = _text(path, display, limits)
    if path.suffix.lower() == ".json":
        try:
            docs = [json.loads(text)]
        except json.JSONDecodeError as exc:
            raise InputError(
                f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
                where=display,
                hint="save the response again, whole",
            ) from exc
        except RecursionError as exc:
            raise InputError("is nested too deeply to be read", where=display) from exc
    else:
        docs = _yaml_documents(text, display, limits)
    out: list[Document] = []
    for data in docs:
        for entity in _entities(data):
            out.append(Document(display, len(out), entity))
    if len(out) > limits.max_rows:
        raise InputError(
            f"has {len(out)} documents, over the limit of {limits.max_rows} set by [limits] max_rows",
            where=display,
        )
    return out


def _entities(data: Any) -> list[Any]:
    """A document, or the entities of a list of them (`- apiVersion: ...`, or `kind: List`)."""
    if data is None:
        return []
    if (
        isinstance(data, list)
        and data
        and all(isinstance(x, dict) and "apiVersion" in x and "kind" in x for x in data)
    ):
        return list(data)
    if (
        isinstance(data, dict)
        and data.get("kind") == "List"
        and isinstance(data.get("items"), list)
    ):
        return [x for x in data["items"] if x is not None]
    return [data]


def _yaml_documents(text: str, display: str, limits: Limits) -> list[Any]:
    import yaml

    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_class(text)
    docs: list[Any] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            _check_expansion(node, display)
            docs.append(loader.construct_document(node))
            if len(docs) > limits.max_rows:
                raise InputError(
                    f"has more than {limits.max_rows} YAML documents, the limit set by "
                    "[limits] max_rows",
                    where=display,
                )
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        raise InputError(
            f"is not valid YAML ({at}{exc.problem or exc.context or 'unreadable'})", where=display
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(
            f"is not valid YAML ({str(exc).splitlines()[0] if str(exc) else 'unreadable'})",
            where=display,
        ) from None
    except RecursionError:
        raise InputError("is nested too deeply to be read", where=display) from None
    finally:
        loader.dispose()
    return docs


def _check_expansion(root: Any, display: str) -> None:
    """Refuse a document whose aliases expand far beyond what it holds (or refer to themselves).

    The node graph is walked without recursion; each node's expanded size is computed once.
    """
    import yaml

    size: dict[int, int] = {}
    on_path: set[int] = set()
    distinct = 0
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            children = _children(node, yaml)
            size[key] = 1 + sum(size[id(c)] for c in children)
            continue
        if key in size:
            continue
        if key in on_path:
            raise InputError(
                "has a YAML alias that refers to itself; it cannot be read", where=display
            )
        distinct += 1
        on_path.add(key)
        stack.append((node, True))
        for child in _children(node, yaml):
            if id(child) not in size:
                stack.append((child, False))
    expanded = size[id(root)]
    if expanded > max(MIN_EXPANDED, MAX_EXPANSION * distinct):
        raise InputError(
            f"has YAML aliases that expand {distinct} values into {expanded}; such a file is "
            "refused (a 'billion laughs' file); write the values out",
            where=display,
        )


def _children(node: Any, yaml: Any) -> list[Any]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []
