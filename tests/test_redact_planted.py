"""--redact-people against planted names: distinctive names in every person-bearing place of a
workbook and of a Jira export, and every output format (the diff's too) grepped for each of them,
whole and in parts (a first name or a surname alone), in any case. The xlsx report is grepped in
every part of its archive (sheet names, comments, links, formulas, document properties), not only
in its cell values.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment

from .conftest import run_cli

# name -> where it is planted
WORKBOOK_PEOPLE = {
    "Zbigniew Kowalczyk": "item owner; alone as a first name in a title; in a formula; with two spaces",
    "Wilhelmina Okonkwo": "service expert; a label wilhelmina-review; a mailto link; a comment",
    "Leocadia Ferreira": "a Stakeholder column the audit does not know; a header and footer",
    "Thaddeus Vuorinen": "a Backup owner column; org unit 'VP Thaddeus Vuorinen'; a team's parent; a sheet name",
    "Ottilie Marchetti": "incident responder with a non-breaking space; the document's creator",
    "Perpetua Nakashima": "the Owner column of a sheet the audit does not read",
}
JIRA_PEOPLE = {
    "Ignatius Pemberton": "assignee; alone as a first name in a summary",
    "Seraphina Lindqvist": "assignee of another issue, with her e-mail address in a description",
    "Cornelius Abernathy": "an ADF mention node",
    "evangeline.tosh": "a [~user] mention",
    "florian.meszaros": "an e-mail address",
}


def planted_workbook(path: Path, *, title_word: str = "Migrate ledger with Zbigniew") -> Path:
    wb = openpyxl.Workbook()
    items = wb.active
    items.title = "Items"
    items.append(
        [
            "key",
            "title",
            "team",
            "estimate",
            "owner",
            "labels",
            "Stakeholder",
            "Backup owner",
            "rollback_plan",
        ]
    )
    items.append(
        [
            "PAY-1",
            title_word,
            "payments",
            3,
            "Zbigniew Kowalczyk",
            "wilhelmina-review, ledger",
            "Leocadia Ferreira",
            "Thaddeus Vuorinen",
            "Ask Zbigniew  Kowalczyk",
        ]
    )
    items.append(["PAY-2", "Cut over ledger", "payments", 2, "Zbigniew Kowalczyk", "", "", "", ""])
    items["J2"] = '=HYPERLINK("mailto:wilhelmina.okonkwo@example.com","Wilhelmina Okonkwo")'
    items["B3"].hyperlink = "mailto:wilhelmina.okonkwo@example.com"
    items["B3"].comment = Comment("Wilhelmina Okonkwo wants this first", "Ottilie Marchetti")
    items.oddHeader.center.text = "Plan of Leocadia Ferreira"
    items.oddFooter.left.text = "Printed for Thaddeus Vuorinen"
    teams = wb.create_sheet("Teams")
    teams.append(["team", "headcount", "parent"])
    teams.append(["payments", 6, "VP Thaddeus Vuorinen"])
    org = wb.create_sheet("Org")
    org.append(["unit", "parent"])
    org.append(["VP Thaddeus Vuorinen", None])
    org.append(["payments", "VP Thaddeus Vuorinen"])
    services = wb.create_sheet("Services")
    services.append(["service", "owner_team", "tier", "experts"])
    services.append(["ledger", "payments", 1, "Wilhelmina Okonkwo"])
    incidents = wb.create_sheet("Incidents")
    incidents.append(["id", "service", "team", "severity", "responders"])
    incidents.append(
        ["INC-1", "ledger", "payments", "SEV1", "Ottilie\u00a0Marchetti, Zbigniew Kowalczyk"]
    )
    items["K1"] = (
        "Notes for Zbigniew Kowalczyk"  # a header naming a person: its column is an extra field
    )
    items["K2"] = "check the estimate"
    notes = wb.create_sheet(
        "Thaddeus notes"
    )  # a sheet the audit does not read, named after a person
    notes.append(["topic", "Owner"])
    notes.append(["hiring", "Perpetua Nakashima"])
    wb.properties.creator = "Ottilie Marchetti"
    wb.properties.lastModifiedBy = "Ottilie Marchetti"
    wb.save(path)
    return path


def planted_jira(path: Path, *, summary: str = "Cut over ledger with Ignatius") -> Path:
    def issue(n: int, assignee: str, summary: str, description) -> dict:
        return {
            "id": str(1000 + n),
            "key": f"TW-{n}",
            "fields": {
                "summary": summary,
                "issuetype": {"name": "Story"},
                "status": {"name": "To Do", "statusCategory": {"key": "new"}},
                "components": [{"name": "payments"}],
                "timeoriginalestimate": 144000,
                "assignee": {"displayName": assignee, "accountId": "5b10a2844c"},
                "description": description,
            },
        }

    adf = {
        "type": "doc",
        "version": 1,
        "content": [
            {
                "type": "paragraph",
                "content": [
                    {"type": "text", "text": "Needs a sign-off from "},
                    {
                        "type": "mention",
                        "attrs": {"id": "5b10ac8d82e05b22cc7d4ef5", "text": "@Cornelius Abernathy"},
                    },
                    {"type": "text", "text": " before the cut-over"},
                ],
            }
        ],
    }
    path.write_text(
        json.dumps(
            {
                "startAt": 0,
                "maxResults": 50,
                "total": 2,
                "issues": [
                    issue(1, "Ignatius Pemberton", summary, adf),
                    issue(
                        2,
                        "Seraphina Lindqvist",
                        "Backfill ledger history",
                        "Pair with [~evangeline.tosh]; copy seraphina.lindqvist@example.com and florian.meszaros@example.com",
                    ),
                ],
            }
        )
    )
    return path


def _archive_text(data: bytes) -> str:
    """Every part of an xlsx archive, as text: sheet names, cells, comments, links, properties."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "\n".join(z.read(name).decode("utf-8", "replace") for name in z.namelist())


def _words(names: dict[str, str]) -> list[str]:
    """Each name whole and each of its parts: a first name or surname alone must not get through."""
    out = set()
    for name in names:
        out.add(name)
        out.update(p for p in re.split(r"[\s.]+", name) if len(p) >= 3)
    return sorted(out)


def _leaks(text: str, words: list[str]) -> list[str]:
    return [
        w for w in words if re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", text, re.IGNORECASE)
    ]


CASES = {
    "workbook": (planted_workbook, "p.xlsx", WORKBOOK_PEOPLE),
    "jira": (planted_jira, "search.json", JIRA_PEOPLE),
}
FORMATS = ["html", "json", "md", "text", "xlsx"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_no_planted_name_reaches_any_report(tmp_path, case, fmt):
    build, name, planted = CASES[case]
    plan = build(tmp_path / name)
    out = tmp_path / f"report.{fmt}"
    result = run_cli("audit", str(plan), "--redact-people", "--format", fmt, "-o", str(out))
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr, result.stderr
    data = out.read_bytes()
    text = _archive_text(data) if fmt == "xlsx" else data.decode("utf-8")
    assert _leaks(text, _words(planted)) == []
    assert re.search(r"Person-[0-9A-F]{6}", text)


@pytest.mark.parametrize("fmt", ["html", "json", "md", "text"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_no_planted_name_reaches_a_diff(tmp_path, case, fmt):
    build, name, planted = CASES[case]
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    old = build(tmp_path / "old" / name)
    new = (
        planted_workbook(
            tmp_path / "new" / name, title_word="Migrate ledger, Zbigniew Kowalczyk leads"
        )
        if case == "workbook"
        else planted_jira(tmp_path / "new" / name, summary="Ignatius cuts over the ledger")
    )
    out = tmp_path / f"diff.{fmt}"
    result = run_cli("diff", str(old), str(new), "--redact-people", "--format", fmt, "-o", str(out))
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr, result.stderr
    assert _leaks(out.read_text(encoding="utf-8"), _words(planted)) == []


def test_the_planted_names_are_there_without_the_flag(tmp_path):
    """The test can fail: every planted name reaches some report when the flag is off."""
    texts = []
    for case, (build, name, _) in CASES.items():
        plan = build(tmp_path / name)
        for fmt in ("json", "xlsx"):
            out = tmp_path / f"{case}.{fmt}"
            run_cli("audit", str(plan), "--format", fmt, "-o", str(out))
            data = out.read_bytes()
            texts.append(_archive_text(data) if fmt == "xlsx" else data.decode("utf-8"))
    text = "\n".join(texts)
    assert (
        sorted(
            set(_words({**WORKBOOK_PEOPLE, **JIRA_PEOPLE}))
            - set(_leaks(text, _words({**WORKBOOK_PEOPLE, **JIRA_PEOPLE})))
        )
        == []
    )


def test_the_xlsx_copy_keeps_its_formulas_and_says_what_it_replaced(tmp_path):
    plan = planted_workbook(tmp_path / "p.xlsx")
    out = tmp_path / "r.xlsx"
    run_cli("audit", str(plan), "--redact-people", "--format", "xlsx", "-o", str(out))
    wb = openpyxl.load_workbook(out)
    assert wb["Items"]["J2"].data_type == "f" and wb["Items"]["J2"].value.startswith("=HYPERLINK(")
    assert not any(ws.title == "Thaddeus notes" for ws in wb.worksheets)
    audit = wb["Audit"]
    assert any("--redact-people" in str(c.value) for row in audit.iter_rows() for c in row)


def test_terminal_formats_strip_escape_sequences(tmp_path):
    """A cell's OSC title and hyperlink escapes and CSI sequences never reach the terminal."""
    path = tmp_path / "p.csv"
    path.write_text(
        "key,title,team,estimate,depends_on\n"
        "A-1,Ledger \x1b]0;owned\x07 \x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\ \x1b[2J,"
        "core \x9b31m,3,NOPE-9\n",
        encoding="utf-8",
    )
    for fmt in ("text", "md"):
        result = run_cli("audit", str(path), "--format", fmt)
        assert result.returncode in (0, 1), result.stderr
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", result.stdout), fmt
        assert "core" in result.stdout
    # validate prints what it read, file and sheet names included: a name can carry escapes too
    named = tmp_path / "plan\x1b]0;owned\x07.csv"
    named.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_cli("validate", str(named))
    assert result.returncode == 0, result.stderr
    assert (
        not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", result.stdout) and "NOPE-9" in result.stdout
    )
