"""--redact-people: no owner, expert or responder name reaches any report."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from roadmap_audit.redact import Redactor, people, pseudonym, redactor_for

from .conftest import SAMPLES, run_cli

SAMPLE = SAMPLES / "northwind-2026-Q3.xlsx"
FORMATS = {"html": "html", "json": "json", "md": "md", "text": "txt", "xlsx": "xlsx"}


def _sample_plan():
    from roadmap_audit.pipeline import Options, load

    return load(Options(plan=str(SAMPLE)))


@pytest.fixture(scope="module")
def sample_names() -> list[str]:
    plan = _sample_plan()
    names = people(plan)
    # the sample names owners, experts and responders; all of them are people to hide
    assert {i.owner for i in plan.items if i.owner} <= names
    assert {e for s in plan.services for e in s.experts} <= names
    assert {r for inc in plan.incidents for r in inc.responders} <= names
    assert len(names) > 10
    return sorted(names)


def _xlsx_text(data: bytes) -> str:
    """Every cell value and comment of a workbook, plus its document properties."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data))
    parts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    parts.append(str(cell.value))
                if cell.comment is not None:
                    parts += [cell.comment.text or "", cell.comment.author or ""]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts.append(z.read("docProps/core.xml").decode("utf-8"))
    return "\n".join(parts)


def _leaks(text: str, names: list[str]) -> list[str]:
    return [n for n in names if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text, re.IGNORECASE)]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_no_name_in_any_format(tmp_path: Path, fmt: str, sample_names: list[str]):
    out = tmp_path / f"report.{FORMATS[fmt]}"
    result = run_cli("audit", str(SAMPLE), "--redact-people", "--format", fmt, "-o", str(out))
    assert result.returncode in (0, 1), result.stderr
    data = out.read_bytes()
    text = _xlsx_text(data) if fmt == "xlsx" else data.decode("utf-8")
    assert _leaks(text, sample_names) == []
    assert re.search(r"Person-[0-9A-F]{6}", text), "the people are still there, as pseudonyms"


def test_without_the_flag_names_are_shown(tmp_path: Path, sample_names: list[str]):
    out = tmp_path / "report.json"
    run_cli("audit", str(SAMPLE), "-o", str(out))
    assert _leaks(out.read_text(encoding="utf-8"), sample_names), (
        "the sample should name people somewhere"
    )


def test_pseudonyms_are_stable_and_distinct(sample_names: list[str]):
    first = redactor_for(_sample_plan())
    second = redactor_for(_sample_plan())
    assert first.mapping == second.mapping
    assert len(set(first.mapping.values())) == len(first.mapping)
    name = sample_names[0]
    assert first.text(name) == first.text(name.upper()) == first.text(f"  {name} ")
    assert first.text(name).startswith("Person-")


def test_names_inside_text_are_whole_words_only():
    redactor = Redactor.for_names({"Dan", "Ana Ruiz"})
    assert redactor.text("Ask dan about the Dangerous migration; ANA RUIZ reviews") == (
        f"Ask {pseudonym('dan')} about the Dangerous migration; {pseudonym('ana ruiz')} reviews"
    )


def test_people_from_person_like_extra_columns():
    from roadmap_audit.model import Item, Plan, SourceRef

    ref = SourceRef(source="x.csv", sheet="items", row=2)
    plan = Plan(
        sources=["x.csv"],
        items=[
            Item(
                key="A-1",
                title="Reviewed by Zed Quinn",
                ref=ref,
                extra={
                    "Reporter": "Zed Quinn",
                    "Custom field (Tech Lead)": "Yuki Sato",
                    "Sprint": "Sprint 4",
                },
            ),
        ],
    )
    assert people(plan) == {"Zed Quinn", "Yuki Sato"}
    redacted = redactor_for(plan).plan(plan)
    item = redacted.items[0]
    assert (
        "Zed" not in item.title and "Zed" not in str(item.extra) and "Yuki" not in str(item.extra)
    )
    assert item.extra["Sprint"] == "Sprint 4" and item.key == "A-1"


def test_colliding_hash_prefixes_get_longer_pseudonyms():
    names = {f"person {i}" for i in range(3000)}  # enough that 6 hex digits collide somewhere
    redactor = Redactor.for_names(names)
    assert len(set(redactor.mapping.values())) == len(names)


def test_a_secret_key_gives_pseudonyms_no_one_can_check_by_hashing_names(
    tmp_path: Path, sample_names: list[str]
):
    import hashlib
    import hmac

    from roadmap_audit.redact import KEY_VARIABLE

    name = "Tomasz K."  # an expert of the sample, named in findings
    plain, keyed = pseudonym(name), pseudonym(name, key="s3cret")
    digest = hmac.new(b"s3cret", name.casefold().encode(), hashlib.sha256).hexdigest()
    assert keyed == f"Person-{digest[:6].upper()}" and keyed != plain
    out = tmp_path / "report.json"
    result = run_cli(
        "audit", str(SAMPLE), "--redact-people", "-o", str(out), env={KEY_VARIABLE: "s3cret"}
    )
    assert result.returncode in (0, 1), result.stderr
    text = out.read_text(encoding="utf-8")
    assert _leaks(text, sample_names) == []
    assert (
        keyed in text and plain not in text
    )  # the same key gives the same pseudonym run after run
