"""One view for every format: the reports render from the same ReportView, the dependency picture
marks arrows from structured fields, one helper for each number and plural, templates a person can read."""

from __future__ import annotations

import io
import math
import random
from functools import cached_property
from pathlib import Path

import pytest

from roadmap_audit.analyze.numbers import listed, pct, plural
from roadmap_audit.report import render
from roadmap_audit.report import view_model as view_model_module
from roadmap_audit.report.graph import _edges_on_dependency_findings, _row_of

from .conftest import SAMPLES, audit_of

TEMPLATES = Path(view_model_module.__file__).parent / "templates"


def test_every_format_renders_the_one_view(sample_audit, monkeypatch):
    """A value changed in the view shows in HTML, Markdown, text and the xlsx Audit sheet alike: no
    format computes its own."""
    import openpyxl

    real = view_model_module.build_report_view
    calls = []

    def marked(audit):
        calls.append(audit)
        view = real(audit)
        view.verdict_text = "VERDICT-FROM-THE-VIEW"
        return view

    monkeypatch.setattr(view_model_module, "build_report_view", marked)
    for module in ("html", "markdown", "text", "xlsx"):
        monkeypatch.setattr(f"roadmap_audit.report.{module}.build_report_view", marked)
    for fmt in ("html", "md", "text"):
        assert "VERDICT-FROM-THE-VIEW" in render(fmt, sample_audit), fmt
    wb = openpyxl.load_workbook(io.BytesIO(render("xlsx", sample_audit, plan_path=None)))
    assert wb.worksheets[0]["B1"].value == "VERDICT-FROM-THE-VIEW"
    assert len(calls) == 4  # built once per report


def _dep_finding(audit, rule: str, subject: str):
    return next(f for f in audit.findings if f.rule == rule and f.subject.id == subject)


def test_the_picture_marks_an_arrow_from_a_findings_evidence_cells(sample_audit):
    """DEP002 on DATA-22 cites DATA-22's and PAY-108's cells: that arrow is on the finding."""
    edges = {(d.item, d.depends_on) for d in sample_audit.dependencies}
    assert ("DATA-22", "PAY-108") in edges
    marked = _edges_on_dependency_findings(sample_audit, edges)
    assert ("DATA-22", "PAY-108") in marked


def test_the_picture_never_reads_item_keys_out_of_a_findings_message(sample_audit):
    """A message that names two items marks nothing: only the subject and the evidence cells count."""
    edges = {(d.item, d.depends_on) for d in sample_audit.dependencies}
    f = _dep_finding(sample_audit, "DEP002", "DATA-22")
    wordy = f.model_copy(
        update={"message": "DATA-22 waits on PAY-108; API-9 waits on IDN-305", "evidence": ()}
    )
    audit = sample_audit.model_copy(update={"findings": [wordy]})
    marked = _edges_on_dependency_findings(audit, edges)
    assert ("API-9", "IDN-305") not in marked
    assert ("DATA-22", "PAY-108") not in marked  # PAY-108 is in the message only
    cited = f.model_copy(update={"message": "no keys here"})
    audit = sample_audit.model_copy(update={"findings": [cited]})
    assert ("DATA-22", "PAY-108") in _edges_on_dependency_findings(audit, edges)


def _marked_the_long_way(audit, edges):
    """Every item's cell, key and row indexed, and every dependency finding's locations looked up."""
    by_location, by_row = {}, {}
    for i in audit.items:
        by_location[i.location] = i.key
        if (row := _row_of(i.location)) is not None:
            by_row[row] = i.key
    by_location.update({i.key: i.key for i in audit.items})
    marked = set()
    for f in audit.findings:
        if f.rule.startswith("DEP"):
            named = {
                by_location[e.location]
                if e.location in by_location
                else by_row.get(_row_of(e.location))
                for e in f.evidence
            }
            if f.subject.kind == "item":
                named.add(f.subject.id)
            marked |= {(a, b) for a, b in edges if a in named and b in named}
    return marked


@pytest.mark.parametrize("seed", range(12))
def test_the_picture_marks_what_an_index_of_every_cell_and_row_marks(sample_audit, seed):
    """Findings citing any cell on an item's row, an item's key, a cell or row two items were read
    from, a key given twice, a location of two lines: reading only the drawn items' rows marks the
    arrows that indexing every item marks."""
    rnd = random.Random(seed)
    items = list(sample_audit.items)
    for _ in range(4):  # items read from the same row or cell as another
        j, k = rnd.randrange(len(items)), rnd.randrange(len(items))
        loc = items[k].location.replace("!A", "!" + rnd.choice("AAB"))
        items[j] = items[j].model_copy(update={"location": loc})
    j = rnd.randrange(len(items))
    items[j] = items[j].model_copy(update={"location": f"{items[j].location}\nItems!Q9"})
    if seed % 2:  # a key given twice
        items[1] = items[1].model_copy(update={"key": items[rnd.randrange(len(items))].key})
    edges = sorted({(d.item, d.depends_on) for d in sample_audit.dependencies})
    template = _dep_finding(sample_audit, "DEP002", "DATA-22")
    keys = [i.key for i in items]

    def cell(key):
        rows = [_row_of(i.location) for i in items if i.key == key]
        sheet, row = rnd.choice([r for r in rows if r] or [("Items", "999")])
        return rnd.choice([key, f"{sheet}!{rnd.choice(['A', 'H', '$C$', 'AB'])}{row}"])

    findings = []
    for n in range(40):
        cited = [cell(k) for k in rnd.choice(edges)] if n % 2 else [cell(rnd.choice(keys))]
        cited += rnd.choice([[], ["Services!K11"], [cell(rnd.choice(keys)), "Items!Z1x"]])
        evidence = tuple(
            e.model_copy(update={"location": loc})
            for e, loc in zip(template.evidence * 4, cited, strict=False)
        )
        subject = template.subject.model_copy(update={"id": rnd.choice(keys)})
        rule = rnd.choice(["DEP001", "DEP002", "DEP004", "MIG001"])
        findings.append(
            template.model_copy(update={"rule": rule, "evidence": evidence, "subject": subject})
        )
    audit = sample_audit.model_copy(update={"items": items, "findings": findings})
    expected = _marked_the_long_way(audit, edges)
    assert expected
    assert _edges_on_dependency_findings(audit, set(edges)) == expected
    by_key = {i.key: i for i in items}
    assert _edges_on_dependency_findings(audit, set(edges), by_key) == expected


@pytest.mark.parametrize(
    ("n", "args", "expected"),
    [
        (1, ("team",), "1 team"),
        (2, ("team",), "2 teams"),
        (0, ("team",), "0 teams"),
        (1200, ("item",), "1200 items"),
        (1, ("person", "people"), "1 person"),
        (3, ("person", "people"), "3 people"),
    ],
)
def test_plural(n, args, expected):
    assert plural(n, *args) == expected


def test_plural_bare_gives_the_word_alone():
    assert plural(1, "it has", "they have", bare=True) == "it has"
    assert plural(4, "it has", "they have", bare=True) == "they have"


def test_listed_counts_what_it_leaves_out():
    assert listed(["a", "b", "c"], 3) == "a, b, c"
    assert listed(["a", "b", "c", "d", "e"], 3) == "a, b, c and 2 more"
    assert listed([], 3) == ""


def test_pct_is_the_one_percentage():
    assert pct(0.934) == "93%"
    assert pct(None) == "—"
    assert pct(math.inf) == "no capacity"
    assert pct(math.inf, infinite="∞%") == "∞%"


def test_no_template_line_is_over_300_characters():
    long = [
        f"{p.name}:{n}"
        for p in sorted(TEMPLATES.glob("*.j2"))
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
        if len(line) > 300
    ]
    assert long == []


def _unstaffed_plan(tmp_path: Path, teams: list[str]) -> Path:
    plan = tmp_path / "plan"
    plan.mkdir(parents=True)
    rows = ["key,title,team,estimate,priority,status"]
    rows += [f"K-{i},Work {i},{team},2,P2," for i, team in enumerate(teams, start=1)]
    (plan / "items.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return plan


def test_one_team_not_checked_is_it_and_several_are_they(tmp_path):
    one = render("html", audit_of(_unstaffed_plan(tmp_path / "1", ["alpha"])))
    assert "it has no headcount in the staffing model" in one
    assert "whether its plan fits" in one
    assert "writes one with its row to fill in" in one
    two = render("html", audit_of(_unstaffed_plan(tmp_path / "2", ["alpha", "beta"])))
    assert "they have no headcount in the staffing model" in two
    assert "whether their plan fits" in two
    assert "writes one with their rows to fill in" in two


def test_the_defer_advice_cites_the_rule_that_declares_the_capacity_line():
    full = audit_of(SAMPLES / "northwind-2026-Q3.xlsx", select=["CAP"])
    defers = [r for r in full.recommendations if r.action == "defer"]
    assert defers and {r.rule for r in defers} == {"CAP001"}
    # without the capacity rule the advice still weighs the load at 100 %, and cites no rule
    without = audit_of(SAMPLES / "northwind-2026-Q3.xlsx", select=["CAP002"])
    defers = [r for r in without.recommendations if r.action == "defer"]
    assert defers and {r.rule for r in defers} == {None}


README = Path(__file__).resolve().parent.parent / "README.md"


def _section_example() -> tuple[str, dict[str, str]]:
    """The README's 'Adding a report section' example: the field's value, and each jinja block."""
    import re

    text = README.read_text(encoding="utf-8")
    section = text.split("### Adding a report section", 1)[1].split("\n## Development", 1)[0]
    value = re.search(r"^\s+return (.*)$", section, re.M)
    assert value is not None
    blocks = re.findall(r"in `(report\.\w+\.j2)`.*?```jinja\n(.*?)^```", section, re.M | re.S)
    return value.group(1), dict(blocks)


def _names(env, source: str) -> set[str]:
    from jinja2 import meta

    return set(meta.find_undeclared_variables(env.parse(source)))


def test_the_readme_example_of_a_report_section_renders_in_every_format(tmp_path):
    from roadmap_audit.report.html import html_environment
    from roadmap_audit.report.markdown import code, esc
    from roadmap_audit.report.templating import environment
    from roadmap_audit.report.view_model import ReportView

    plan = tmp_path / "plan"
    plan.mkdir()
    (plan / "items.csv").write_text(
        "key,title,team,estimate\nE-1,Sized work,alpha,3\nU-1,Unsized <b>work</b>,alpha,\n",
        encoding="utf-8",
    )
    audit = audit_of(plan)
    expression, blocks = _section_example()
    assert set(blocks) == {"report.md.j2", "report.txt.j2", "report.html.j2"}

    class WithTheSection(ReportView):
        unestimated = cached_property(lambda self: eval(expression, {"self": self}))  # the README's

    view = WithTheSection(audit)
    assert [i.key for i in view.unestimated] == ["U-1"]
    md = environment(autoescape=False)
    md.filters.update(esc=esc, code=code)
    text = environment(autoescape=False)
    text.filters.update(c=lambda s, key: s)
    html = html_environment()
    shown = {
        name: env.from_string(blocks[name]).render(view.context(_names(env, blocks[name])))
        for name, env in (("report.md.j2", md), ("report.txt.j2", text), ("report.html.j2", html))
    }
    assert "- U-1 (alpha): Unsized &lt;b&gt;work&lt;/b&gt;" in shown["report.md.j2"]
    assert "Items with no estimate (1 item):" in shown["report.txt.j2"]
    assert "<b>U-1</b> Unsized &lt;b&gt;work&lt;/b&gt;" in shown["report.html.j2"]
    assert all("E-1" not in body for body in shown.values())
