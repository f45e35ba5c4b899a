"""The HTML report's rows written in Python (html_parts) are the markup the template wrote for them:
each is checked against the template text it replaced, rendered by the report's own environment."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace as NS

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup, escape

from roadmap_audit.model import CommittedDelivery, Deduction, ItemSummary
from roadmap_audit.report.html import html_environment, linkify
from roadmap_audit.report.html_parts import HtmlParts, html
from roadmap_audit.report.view import HeatCell
from roadmap_audit.report.view_model import Step

HOSTILE = "R&D <ops> \"quoted\" 'single'"

ITEM_ROWS = """{% for i in tv.items %}<tr><td data-label="key" class="nowrap"><b>{{ i.key }}</b>{% if i.committed %} ◆{% endif %}</td><td data-label="title">{{ i.title }}{% if i.done %} <span class="tag">done</span>{% endif %}{% if i.extra %}
<div class="small muted extra">{% for k, v in i.extra.items() %}{% if loop.index <= 8 %}<span class="nowrap">{{ k }}:</span> {{ v | truncate(120, true) }}{{ "; " if not loop.last and loop.index < 8 }}{% endif %}{% endfor %}
{% if i.extra | length > 8 %} (and {{ i.extra | length - 8 }} more columns; the JSON report has all){% endif %}</div>{% endif %}
</td><td data-label="kind" class="muted">{{ i.kind }}</td><td data-label="weeks" class="num">{{ i.estimate_weeks | weeks }}</td><td data-label="due" class="nowrap muted">{{ i.due | day if i.due else "—" }}</td></tr>{% endfor %}
"""

COMMITTED_ROWS = """{% for c in dl.committed %}<tr><td data-label="committed" class="nowrap"><b>{{ c.key }}</b></td><td data-label="chance on time" class="num"><span class="{{ 'load over' if c.p_on_time is not none and c.p_on_time < 0.5 }}">{{ c.p_on_time | pct }}</span></td><td data-label="due"
{{- " " }}class="nowrap muted">{{ c.due | day if c.due else "—" }}</td><td data-label="waits on">{{ c.waits_on | join(", ") or "—" }}
{%- if c.waits_on_teams %} <span class="muted">(up the chain: {{ c.chain | join(" → ") }}; {{ c.waits_on_teams | join(", ") }})</span>{% endif %}</td></tr>{% endfor %}
"""

WATERFALL = """  {% for s in tv.steps %}
  {% if s.kind == "ops" and (loop.first or tv.steps[loop.index0 - 1].kind != "ops") %}<tr class="sub"><td colspan="4">Operations: three measures of the same time, the largest counts (pages and toil fall inside the on-call shift)</td></tr>{% endif %}
  <tr class="{{ s.kind }}"><td class="lbl">{{ s.d.label }}</td><td class="num w">{% if s.kind == "minus" and s.d.weeks %}−{{ (s.d.weeks | abs) | weeks }}{% elif s.kind == "minus" %}0.0{% else %}{{ s.d.weeks | weeks }}{% endif %}
</td><td class="trk"><div class="track"><span class="{{ s.kind }}" style="left:{{ s.left }}%;width:{{ s.width }}%"></span></div></td><td class="basis">{{ s.d.basis }}</td></tr>
  {% endfor %}
"""

HEAT_CELLS = """  {% for fam in families %}{% set cell = grid[name][fam] %}
  <td class="cell {{ cell.severity or 'clean' }}">{% if cell.severity %}<a href="#findings" data-show-team="{{ name }}" data-show-family="{{ fam }}" title="{{ cell.count }} {{ fam | family_name }} finding(s) for {{ name }}">{{ cell.count }} · {{ cell.severity }}</a>{% else %}
<span aria-label="clean">✓</span>{% endif %}</td>
  {% endfor %}
"""

CROSS_ROWS = """{% for a, ta, b, tb in graph.cross_team %}<tr><td><b>{{ a }}</b></td><td>{{ ta }}</td><td><b>{{ b }}</b></td><td>{{ tb }}</td></tr>{% endfor %}
"""


def _template(text: str, **context) -> str:
    return html_environment().from_string(text).render(**context)


def _item(key: str, **values) -> ItemSummary:
    base = {"title": f"Title of {key}", "kind": "feature", "location": "Items!A2"}
    return ItemSummary.model_validate({"key": key, **base, **values})


ITEMS = [
    _item("A-1"),
    _item("A-2", title=HOSTILE, committed=True, done=True, estimate_weeks=2.25),
    _item("A-3", due=dt.date(2026, 9, 30), kind="tech-debt", estimate_weeks=float("inf")),
    _item("A-4", extra={"note": "short", "team lead": HOSTILE}),
    _item("A-5", extra={f"col {n}": "x" * (110 + n) for n in range(8)}),  # exactly 8, some cut
    _item("A-6", extra={f"c{n}<&>": f"v{n}" for n in range(11)}),  # more than 8
    _item("A-7", extra={"only": "y" * 126}),
]


def test_item_rows_are_the_templates():
    parts = HtmlParts(linkify)
    expected = _template(ITEM_ROWS, tv=NS(items=ITEMS)).rstrip("\n")
    assert str(parts.item_rows(ITEMS)) == expected
    assert "(and 3 more columns" in expected and "..." in expected and "&lt;ops&gt;" in expected


def test_committed_rows_are_the_templates():
    committed = [
        CommittedDelivery(key="P-1"),
        CommittedDelivery(
            key="P-2", p_on_time=0.49, due=dt.date(2026, 8, 1), waits_on=["Q-1", "Q-2"]
        ),
        CommittedDelivery(
            key="P-3",
            p_on_time=0.5,
            waits_on=["Q<3>"],
            waits_on_teams=[HOSTILE, "b"],
            chain=["P-3", "Q<3>", "Z&9"],
        ),
    ]
    parts = HtmlParts(linkify)
    expected = _template(COMMITTED_ROWS, dl=NS(committed=committed)).rstrip("\n")
    assert str(parts.committed_rows(committed)) == expected
    assert 'class="load over"' in expected and 'class=""' in expected


@pytest.mark.parametrize("first", ["base", "ops"])
def test_waterfall_is_the_templates(first):
    def step(kind, label, weeks, left=0.0, width=12.5):
        return Step(
            Deduction(label=label, weeks=weeks, basis=f"{HOSTILE} x {weeks}"), kind, left, width
        )

    steps = [
        step(first, "staffed", 78.0),
        step("minus", "leave <&>", 3.5, 10.0, 4.49),
        step("minus", "nothing", 0.0),
        step("ops", "admitted", 10.0),
        step("ops", "observed", 12.0),
        step("total", "capacity", 50.25),
        step("ops", "on-call", 1.0),
    ]
    parts = HtmlParts(linkify)
    expected = _template(WATERFALL, tv=NS(steps=steps))
    assert str(parts.waterfall(steps)) == expected
    assert expected.count('class="sub"') == (3 if first == "ops" else 2)


def test_heat_cells_are_the_templates():
    families = ["MIG", "CAP", "XYZ"]
    grid = {
        HOSTILE: {"MIG": HeatCell("high", 3), "CAP": HeatCell(None, 0), "XYZ": HeatCell("low", 1)}
    }
    parts = HtmlParts(linkify)
    expected = _template(HEAT_CELLS, families=families, grid=grid, name=HOSTILE)
    assert str(parts.heat_cells(HOSTILE, families, grid[HOSTILE])) == expected


def test_cross_rows_are_the_templates():
    cross = [("A-1", "team a", "B-2", HOSTILE), ("<x>", "&", "'", '"')]
    parts = HtmlParts(linkify)
    expected = _template(CROSS_ROWS, graph=NS(cross_team=cross)).rstrip("\n")
    assert str(parts.cross_rows(cross)) == expected


FINDING_LIST = """{% macro pill(sev) %}<span class="pill {{ sev }}">{{ sev }}</span>{% endmacro %}
{% for fv in findings %}{% set f = fv.f %}
<details class="finding {{ f.severity }}" id="{{ fv.anchor }}" data-severity="{{ f.severity }}" data-rule="{{ f.rule }}" data-family="{{ fv.family }}" data-teams="{{ f.teams | join('|') }}" data-team="{{ f.teams[0] if f.teams else '' }}" data-subject="{{ f.subject.id }}"
{{- " " }}data-order="{{ fv.order }}"{% if fv.open %} open{% endif %}>
<summary>{{ pill(f.severity) }} <span class="rule">{{ f.rule }}</span> <strong>{{ f.title }}</strong> <span class="where">{{ f.subject.kind }} {{ f.subject.id }}{% if f.teams and f.subject.id not in f.teams %} · {{ f.teams | join(", ") }}{% endif %}</span>{% if f.owner_unit %}
<span class="owner">owner: {{ f.owner_unit }}</span>{% endif %}</summary>
<div class="body">
<p class="msg">{{ f.message | gloss }}</p>
<dl>
<dt>Evidence</dt><dd>{% if f.evidence %}<ul class="evidence">{% for e in f.evidence %}<li><span class="loc">{{ e.location }}</span>{% if e.note %} {{ e.note | linkify }}{% endif %}
{% if loop.first or e.source != f.evidence[loop.index0 - 1].source %} <span class="faint small">in {{ e.source }}</span>{% endif %}</li>{% endfor %}</ul>{% else %}<span class="muted">the plan as a whole</span>{% endif %}</dd>
{% if fv.detailed %}
<dt>Why it matters</dt><dd>{{ f.why | linkify }}</dd>
<dt>Fix</dt><dd>{{ f.fix | linkify }}</dd>
{% else %}
<dt>Why it matters</dt><dd>{{ fv.why_line }} <span class="faint small">(`roadmap-audit rules explain {{ f.rule }}` has the whole reasoning)</span></dd>
<dt>Fix</dt><dd>{{ f.fix | first_sentence }}</dd>
{% endif %}
</dl>
</div>
</details>
{% endfor %}
"""

TEAM_ACTIONS = """{% macro pill(sev) %}<span class="pill {{ sev }}">{{ sev }}</span>{% endmacro %}
  {% for a in tv.actions %}<li>{{ pill(a.severity) }} {{ a.text | linkify }} <span class="muted small">— closes {% for title, rule, rows in a.by_title %}
{{ title | in_sentence }} on {{ rows | map(attribute="subject") | join(", ") }} <span class="rule">{{ rule }}</span>{% if not loop.last %}; {% endif %}{% endfor %}{% if a.load_before is not none %}; load {{ a.load_before | pct }} → {{ a.load_after | pct }}{% endif %}</span></li>{% endfor %}
"""


def _finding(n: int, **values):
    from roadmap_audit.model import Finding, Subject

    base = {
        "rule": "MIG001",
        "severity": "high",
        "title": "Migration with <no> rollback",
        "subject": Subject(kind="item", id=f"PAY-{n}"),
        "message": f"PAY-{n} is KTLO & see https://example.com/x?a=1&b=2.",
        "why": "Rollbacks fail. See https://sre.google/book. More 'text' here.",
        "fix": f'For PAY-{n}: write the plan. Then "rehearse" it.',
    }
    return Finding.model_validate({**base, **values})


def test_finding_list_is_the_templates():
    from roadmap_audit.model import Evidence
    from roadmap_audit.report.view_model import FindingView

    ev = (
        Evidence(source="plan.xlsx", location="Items!B2", note="empty <cell>"),
        Evidence(source="plan.xlsx", location="Items!C2"),
        Evidence(source="teams & more.xlsx", location="Teams!A3", note="see http://a.b/c"),
        Evidence(source="plan.xlsx", location="Items!D2", note=HOSTILE),
    )
    findings = [
        FindingView(_finding(1, teams=("pay<1>",), owner_unit="R&D"), "f1", "MIG", "Why.", 0, True),
        FindingView(_finding(2, teams=(), evidence=ev), "f2", "MIG", "Why & <so>.", 1),
        FindingView(_finding(3, teams=("a", "b")), "f3", "MIG", "Why", 2, detailed=False),
        FindingView(
            _finding(4, teams=("PAY-4", "x"), subject={"kind": "team", "id": "PAY-4"}),
            "f4",
            "MIG",
            "W",
            3,
        ),
    ]
    from roadmap_audit.report.html import gloss

    parts = HtmlParts(linkify, gloss)
    expected = _template(FINDING_LIST, findings=findings).lstrip("\n")
    assert str(parts.finding_list(findings)) == expected
    assert (
        "<abbr" in expected
        and 'href="http://a.b/c"' in expected
        and "the whole reasoning" in expected
    )


def test_team_actions_are_the_templates():
    from roadmap_audit.report.actions import Action, Resolved

    def resolved(n, title="Key-person risk", rule="ONC003"):
        return Resolved(
            rule=rule, severity="high", title=title, kind="item", subject=f"S<{n}>", index=n
        )

    actions = [
        Action(
            owner="t",
            kind="change",
            severity="critical",
            text="Fix https://x.y/z & more",
            resolves=[resolved(1), resolved(2), resolved(3, "SLO above <it>", "SLO005")],
        ),
        Action(
            owner="t",
            kind="defer",
            severity="high",
            text="Defer A-1",
            load_before=1.3,
            load_after=0.9,
            resolves=[resolved(4, "Over capacity", "CAP001")],
        ),
        Action(owner="t", kind="change", severity="medium", text="Nothing", resolves=[]),
    ]
    parts = HtmlParts(linkify)
    expected = _template(TEAM_ACTIONS, tv=NS(actions=actions)).lstrip("\n").rstrip("\n")
    assert str(parts.team_actions(actions)) == expected


@given(st.text() | st.integers() | st.floats() | st.none() | st.text().map(Markup))
def test_html_escapes_as_markupsafe(value):
    assert html(value) == str(escape(value))
