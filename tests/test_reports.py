"""The report formats: escaping, formula safety, determinism, the JSON contract, odd plans."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from roadmap_audit.report import render
from roadmap_audit.report.html import linkify, safe_url

from .conftest import SAMPLES, audit_of, run_cli

SCRIPT = "<script>alert(1)</script>"
FORMATS = ("html", "json", "md", "text", "xlsx")


def _write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")


@pytest.fixture
def tiny_plan(tmp_path: Path) -> Path:
    """A migration with a hostile title and no rollback (so MIG001 quotes the title), and a formula-like title."""
    plan = tmp_path / "plan"
    plan.mkdir()
    _write(
        plan,
        "items.csv",
        "key,title,team,kind,estimate,depends_on,rollback_plan,owner\n"
        f'T-1,"Migrate {SCRIPT} table",alpha,migration,3,,,Ada Lovelace\n'
        '"T-2","=HYPERLINK(""http://example.invalid"",""click"")",alpha,feature,2,T-1,,Grace Hopper\n'
        'T-3,"+1 launch @ desk",beta,feature,1,T-1,,\n',
    )
    _write(
        plan,
        "teams.csv",
        "team,parent,headcount,oncall_rotation,ops_allocation\nalpha,org,4,4,20%\nbeta,org,5,8,20%\n",
    )
    return plan


@pytest.fixture
def tiny_audit(tiny_plan: Path):
    return audit_of(tiny_plan)


def _plan_of(path: Path):
    from roadmap_audit.pipeline import Options, load

    return load(Options(plan=str(path)))


# ---------------------------------------------------------------- escaping


def test_title_is_escaped_in_html(tiny_audit):
    assert any(SCRIPT in f.message for f in tiny_audit.findings), (
        "the fixture should quote the title"
    )
    html = render("html", tiny_audit)
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # the only script in the page is the report's own, allowed by its hash
    assert html.count("<script>") == 1
    assert re.search(r"script-src 'sha256-[A-Za-z0-9+/=]+'", html)


def test_title_is_escaped_in_markdown(tiny_audit):
    md = render("md", tiny_audit)
    assert SCRIPT not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md


def test_html_loads_nothing_from_outside(tiny_audit):
    html = render("html", tiny_audit)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "default-src 'none'" in csp and "http" not in csp
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html, re.IGNORECASE)
    assert "@import" not in html and "url(http" not in html
    assert '<link rel="stylesheet"' not in html


def test_only_http_links_are_rendered():
    text = (
        "see https://runbooks.example.com/a?b=1&c=2. not javascript:alert(1) nor data:text/html,x"
    )
    out = str(linkify(text))
    assert '<a href="https://runbooks.example.com/a?b=1&amp;c=2" rel="noopener noreferrer">' in out
    assert 'href="javascript' not in out and 'href="data' not in out
    assert safe_url("javascript:alert(1)") is None and safe_url("file:///etc/passwd") is None
    assert safe_url("https://example.com/x") == "https://example.com/x"
    assert str(linkify("<b>https://x.example/<i></b>")).startswith("&lt;b&gt;")


# ---------------------------------------------------------------- xlsx


def _cells(path_or_bytes):
    import io

    import openpyxl

    data = path_or_bytes if isinstance(path_or_bytes, bytes) else Path(path_or_bytes).read_bytes()
    return openpyxl.load_workbook(io.BytesIO(data))


def test_xlsx_from_csv_writes_formula_like_text_as_text(tiny_plan, tiny_audit):
    wb = _cells(render("xlsx", tiny_audit, plan_path=str(tiny_plan), plan=_plan_of(tiny_plan)))
    assert {"Findings", "Audit", "Items"} <= set(wb.sheetnames)
    items = wb["Items"]
    texts = {c.value: c for row in items.iter_rows() for c in row if isinstance(c.value, str)}
    formula = next(c for v, c in texts.items() if v.startswith("=HYPERLINK"))
    assert formula.data_type == "s"
    assert next(c for v, c in texts.items() if v.startswith("+1 launch")).data_type == "s"
    # every finding is a row of the Findings sheet, with its rule and severity
    rows = list(wb["Findings"].iter_rows(values_only=True))
    assert rows[0][:2] == ("rule", "severity")
    assert {r[0] for r in rows[1:]} == {f.rule for f in tiny_audit.findings}
    for row in wb["Findings"].iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                assert cell.data_type == "s"
    # the migration's row is marked where MIG001 points, with a comment naming the rule
    marked = [
        c for row in items.iter_rows() for c in row if c.comment and "MIG001" in c.comment.text
    ]
    assert marked and all(c.fill.fgColor.rgb.endswith(("F4B6BC", "F9C9A8")) for c in marked)


def _xlsx_plan(path: Path) -> Path:
    """A small plan workbook with a text cell that looks like a formula and a real formula."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.worksheets[0]
    ws.title = "Items"
    ws.append(["key", "title", "team", "kind", "estimate", "rollback_plan", "owner"])
    ws.append(["M-1", "Move the ledger to v2", "alpha", "migration", 3, None, "Ada Lovelace"])
    ws.append(["M-2", "placeholder", "alpha", "feature", 2, None, "Grace Hopper"])
    ws["B3"].value = "=1+2 looks like a formula"
    ws["B3"].data_type = "s"
    ws["H1"] = "total"
    ws["H2"] = "=SUM(E2:E3)"
    teams = wb.create_sheet("Teams")
    teams.append(["team", "headcount", "oncall_rotation", "ops_allocation"])
    teams.append(["alpha", 3, 3, 0.2])
    wb.save(path)
    return path


def test_xlsx_copy_marks_cells_and_leaves_the_plan_alone(tmp_path):
    plan = _xlsx_plan(tmp_path / "plan.xlsx")
    before = hashlib.sha256(plan.read_bytes()).hexdigest()
    audit = audit_of(plan)
    data = render("xlsx", audit, plan_path=str(plan), plan=_plan_of(plan))
    assert hashlib.sha256(plan.read_bytes()).hexdigest() == before, (
        "the input workbook was modified"
    )
    wb = _cells(data)
    assert (
        wb.sheetnames[:3] == ["Audit", "What to change", "Findings"]
        and "Items" in wb.sheetnames
        and "Teams" in wb.sheetnames
    )
    items = wb["Items"]
    assert items["B3"].value == "=1+2 looks like a formula" and items["B3"].data_type == "s"
    assert items["H2"].data_type == "f", "the user's own formulas stay formulas"
    mig = next(f for f in audit.findings if f.rule == "MIG001")
    location = next(e.location for e in mig.evidence if e.location.startswith("Items!"))
    cell = items[location.split("!")[1]]
    assert cell.comment is not None and "MIG001" in cell.comment.text
    assert cell.fill.fill_type == "solid"
    # the Findings sheet links to the cell
    link = next(
        r[7].hyperlink for r in wb["Findings"].iter_rows(min_row=2) if r[0].value == "MIG001"
    )
    assert link is not None and link.location == f"'Items'!{location.split('!')[1]}"


# ---------------------------------------------------------------- determinism and contract


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_input_same_bytes(tiny_plan, fmt):
    first = render(
        fmt, audit_of(tiny_plan), plan_path=str(tiny_plan), plan=_plan_of(tiny_plan), colour=False
    )
    second = render(
        fmt, audit_of(tiny_plan), plan_path=str(tiny_plan), plan=_plan_of(tiny_plan), colour=False
    )
    assert first == second


def test_sample_reports_are_deterministic_through_the_cli(tmp_path):
    plan = SAMPLES / "northwind-2026-Q3.xlsx"
    for fmt in ("html", "xlsx"):
        outs = []
        for n in (1, 2):
            out = tmp_path / f"r{n}.{fmt}"
            result = run_cli("audit", str(plan), "-o", str(out))
            assert result.returncode in (0, 1), result.stderr
            outs.append(out.read_bytes())
        assert outs[0] == outs[1], fmt
        assert str(tmp_path).encode() not in outs[0], "no absolute paths in the report"


def test_json_has_the_spec_keys(sample_audit):
    data = json.loads(render("json", sample_audit))
    assert list(data)[:3] == ["schema_version", "plan", "verdict"]
    assert {
        "schema_version",
        "plan",
        "verdict",
        "teams",
        "rules",
        "findings",
        "recommendations",
        "data_quality",
    } <= set(data)
    assert data["schema_version"] == 2
    assert {"sources", "quarter", "items", "teams"} <= set(data["plan"])
    assert data["verdict"] in ("go", "go-with-changes", "replan")
    team = data["teams"][0]
    assert {
        "team",
        "parent",
        "capacity_weeks",
        "planned_weeks",
        "ops_admitted",
        "ops_observed",
        "load",
        "score",
        "findings",
    } <= set(team)
    finding = data["findings"][0]
    assert {
        "rule",
        "severity",
        "subject",
        "team",
        "owner_unit",
        "message",
        "evidence",
    } <= set(finding)
    assert {"title", "why", "fix"} == set(data["rules"][finding["rule"]])
    assert set(finding["subject"]) == {"kind", "id"}
    assert {"source", "location"} <= set(finding["evidence"][0])
    rec = next(r for r in data["recommendations"] if r["action"] == "defer")
    assert {"team", "action", "items", "load_after"} <= set(rec)
    dq = data["data_quality"]
    assert {"rows_read", "rows_used", "issues"} <= set(dq)
    assert {"source", "location", "problem"} <= set(dq["issues"][0])
    assert all(
        f["severity"] in ("critical", "high", "medium", "low", "info") for f in data["findings"]
    )


def test_json_never_writes_infinity(tmp_path):
    plan = tmp_path / "p"
    plan.mkdir()
    _write(plan, "items.csv", "key,title,team,estimate\nA-1,Thing,alpha,3\n")
    _write(
        plan, "teams.csv", "team,headcount\nalpha,\n"
    )  # no headcount: capacity 0, load unbounded
    text = render("json", audit_of(plan))
    json.loads(text)
    assert "Infinity" not in text and "NaN" not in text


# ---------------------------------------------------------------- plans with little in them


def _odd_plans(tmp_path: Path) -> dict[str, Path]:
    plans = {}
    empty = tmp_path / "empty"
    empty.mkdir()
    _write(empty, "items.csv", "key,title,team,kind,estimate\n")
    plans["no items"] = empty
    no_teams = tmp_path / "no_teams"
    no_teams.mkdir()
    _write(
        no_teams,
        "items.csv",
        "key,title,team,estimate,depends_on\nA-1,One,alpha,2,\nA-2,Two,beta,3,A-1\n",
    )
    plans["no teams sheet"] = no_teams
    clean = tmp_path / "clean"
    clean.mkdir()
    _write(
        clean,
        "items.csv",
        "key,title,team,kind,estimate\nA-1,Add request tracing,alpha,feature,2\n",
    )
    _write(clean, "teams.csv", "team,headcount,oncall_rotation,ops_allocation\nalpha,8,8,20%\n")
    plans["no findings"] = clean
    return plans


def test_every_format_works_on_odd_plans(tmp_path):
    from roadmap_audit.errors import InputError
    from roadmap_audit.model import Plan
    from roadmap_audit.pipeline import Options, run

    for name, plan in _odd_plans(tmp_path).items():
        if (
            name == "no items"
        ):  # an empty plan gets no verdict; the formats still present an audit with no items
            with pytest.raises(InputError, match="has a header row but no rows under it"):
                audit_of(plan)
            loaded = Plan(sources=[str(plan)])
            audit = run(Options(plan=str(plan)), loaded)
        else:
            loaded = _plan_of(plan)
            audit = audit_of(plan)
        for fmt in FORMATS:
            body = render(fmt, audit, plan_path=str(plan), plan=loaded, colour=False)
            assert body, (name, fmt)
        html = render("html", audit)
        for section in ("verdict", "top-risks", "heatmap", "capacity", "findings", "data-quality"):
            assert f'id="{section}"' in html, (name, section)


def test_text_has_colour_only_when_asked(sample_audit):
    assert "\033[" not in render("text", sample_audit, colour=False)
    assert "\033[" in render("text", sample_audit, colour=True)


def test_text_names_each_evidence_cell_once(tmp_path):
    # A Jira export with no estimate, assignee or due column: the three empty fields all cite the key cell.
    plan = tmp_path / "jira.csv"
    plan.write_text(
        "Summary,Issue key,Issue id,Issue Type\nIndexer hardening,AB-1,10001,Task\n",
        encoding="utf-8",
    )
    audit = audit_of(plan, select=["REL001"])
    finding = next(f for f in audit.findings if (f.rule, f.subject.id) == ("REL001", "AB-1"))
    assert [e.location for e in finding.evidence] == [
        "jira.csv!A2",
        "jira.csv!B2",
        "jira.csv!B2",
        "jira.csv!B2",
    ]
    text = render("text", audit, colour=False)
    assert "evidence: jira.csv!A2, jira.csv!B2\n" in text


def test_text_to_a_file_has_no_colour(tmp_path):
    out = tmp_path / "r.txt"
    result = run_cli("audit", str(SAMPLES / "northwind-2026-Q3.xlsx"), "-o", str(out))
    assert result.returncode in (0, 1), result.stderr
    assert "\033[" not in out.read_text(encoding="utf-8")


def test_html_report_shows_the_story(sample_audit):
    html = render("html", sample_audit)
    # the dependency picture is drawn, with no more than 50 items
    svg = re.search(r"<svg[^>]*role=\"img\".*?</svg>", html, re.DOTALL).group(0)
    assert 0 < svg.count('<g class="node') <= 50
    # every finding has its evidence, why and fix
    assert html.count('class="finding ') == len(sample_audit.findings)
    assert html.count("<dt>Why it matters</dt>") == len(sample_audit.findings)
    # each overloaded team's defer advice names its items
    for rec in (r for r in sample_audit.recommendations if r.action == "defer"):
        for key in rec.items:
            assert f"defer <b>{key}</b>" in html


def test_dependency_picture_keeps_to_fifty_items(tmp_path):
    plan = tmp_path / "big"
    plan.mkdir()
    rows = ["key,title,team,estimate,depends_on,committed"]
    for i in range(120):
        deps = f"I-{i - 1}" if i % 4 else ""
        rows.append(f"I-{i},Item {i},team-{i % 7},1,{deps},{'yes' if i % 5 == 0 else 'no'}")
    _write(plan, "items.csv", "\n".join(rows) + "\n")
    html = render("html", audit_of(plan))
    svg = re.search(r"<svg[^>]*role=\"img\".*?</svg>", html, re.DOTALL).group(0)
    assert svg.count('<g class="node') == 50
    assert "Showing 50 of the 120 items that have dependencies" in html


def _sample_workbook(sample_audit):
    plan = SAMPLES / "northwind-2026-Q3.xlsx"
    return _cells(render("xlsx", sample_audit, plan_path=str(plan), plan=_plan_of(plan)))


def test_xlsx_forecast_sheet_lists_the_least_likely_committed_items_first(sample_audit):
    wb = _sample_workbook(sample_audit)
    assert wb.sheetnames[:4] == ["Audit", "What to change", "Findings", "Forecast"]
    fc = sample_audit.forecast
    audit_rows = list(wb["Audit"].iter_rows(values_only=True))
    assert f"{fc.runs:,} simulated quarters (seed {fc.seed})" in audit_rows[5][1]
    header = next(n for n, r in enumerate(audit_rows) if r[0] == "team")
    by_team = {r[0]: r for r in audit_rows[header + 1 :]}
    payments = next(t for t in fc.teams if t.team == "payments")
    assert (
        by_team["payments"][11] == payments.p_by_end
        and by_team["payments"][9].date() == payments.p50_date
    )
    rows = list(wb["Forecast"].iter_rows(values_only=True))
    assert rows[0][0] == "item" and len(rows) - 1 == len(fc.items)
    # FOR001 fires on DATA-21 and API-9: they lead the list, least likely first
    assert [r[0] for r in rows[1:3]] == ["DATA-21", "API-9"]
    assert all(r[2] == "yes" for r in rows[1 : 1 + sum(1 for i in fc.items if i.committed)])


def test_xlsx_numbers_are_numbers_and_every_table_has_a_filter_and_a_frozen_header(sample_audit):
    import datetime as dt

    wb = _sample_workbook(sample_audit)
    audit = wb["Audit"]
    header = next(r for r in range(1, 20) if audit.cell(row=r, column=1).value == "team")
    names = [c.value for c in audit[header]]
    load = names.index("load") + 1
    loads = {
        audit.cell(row=r, column=1).value: audit.cell(row=r, column=load)
        for r in range(header + 1, audit.max_row + 1)
    }
    # 120 % sorts after 92 %: a number with a percent format, never the text "120%"
    assert (
        loads["payments"].value == pytest.approx(1.196) and loads["payments"].number_format == "0%"
    )
    assert sorted(loads, key=lambda t: loads[t].value or 0)[-1] == "payments"
    capacity = audit.cell(row=header + 1, column=names.index("capacity (eng-weeks)") + 1)
    assert isinstance(capacity.value, float) and capacity.number_format == "0.0"
    done = audit.cell(row=header + 1, column=names.index("half the runs done by") + 1)
    assert isinstance(done.value, dt.datetime) and done.number_format == "yyyy-mm-dd"
    forecast = wb["Forecast"]
    chance = forecast.cell(row=2, column=6)
    assert forecast.cell(row=1, column=6).value == "chance on time"
    assert isinstance(chance.value, (int, float)) and chance.number_format == "0%"
    changes = wb["What to change"]
    assert [c.value for c in changes[1]][:3] == ["owner", "owner is", "severity"]
    payments = next(
        r for r in changes.iter_rows(min_row=2, values_only=True) if r[0] == "payments" and r[6]
    )
    assert payments[6:8] == (pytest.approx(1.196), pytest.approx(0.927))
    expect = {
        "Audit": (f"A{header + 1}", f"A{header}:"),
        "What to change": ("A2", "A1:"),
        "Findings": ("A2", "A1:"),
        "Forecast": ("A2", "A1:"),
    }
    for sheet, (frozen, filtered) in expect.items():
        assert wb[sheet].freeze_panes == frozen, sheet
        assert (wb[sheet].auto_filter.ref or "").startswith(filtered), sheet


def test_the_verdict_names_the_first_teams_over_the_line_and_counts_the_rest(tmp_path):
    from roadmap_audit.report.view_model import DEFERS_SHOWN

    plan = tmp_path / "plan"
    plan.mkdir()
    n = DEFERS_SHOWN + 2
    _write(plan, "teams.csv", "team,headcount\n" + "".join(f"t{k:02d},1\n" for k in range(n)))
    _write(
        plan,
        "items.csv",
        "key,title,team,estimate\n"
        + "".join(f"K-{k},Big work,t{k:02d},{40 + k}\n" for k in range(n)),
    )
    html = render("html", audit_of(plan))
    verdict = html[
        html.index('id="verdict"') : html.index("</section>", html.index('id="verdict"'))
    ]
    assert "and 2 more teams" in verdict
    assert verdict.count('class="load over"') == DEFERS_SHOWN
    assert f"t{n - 1:02d}" in verdict and "t00" not in verdict  # the most loaded first


def test_a_defer_card_names_the_first_items_and_counts_the_rest(tmp_path):
    from roadmap_audit.report.view_model import DEFER_ITEMS_SHOWN

    plan = tmp_path / "plan"
    plan.mkdir()
    n = DEFER_ITEMS_SHOWN + 5
    _write(plan, "teams.csv", "team,headcount\nalpha,1\n")
    _write(
        plan,
        "items.csv",
        "key,title,team,estimate,priority\n"
        + "".join(f"A-{k},Feature {k},alpha,4,P3\n" for k in range(n)),
    )
    audit = audit_of(plan)
    advice = next(r for r in audit.recommendations if r.action == "defer")
    html = render("html", audit)
    start = html.index('class="card defer"')
    card = html[start : html.index("</table>", start)]
    shown = [k for k in advice.items if f"<b>{k}</b>" in card]
    assert shown == advice.items[:DEFER_ITEMS_SHOWN]
    rest = len(advice.items) - DEFER_ITEMS_SHOWN
    assert rest > 0 and f"and <b>{rest}</b> more" in card and f"{4 * rest:.1f} wk" in card


def test_the_dependency_picture_draws_items_with_their_arrows_when_it_must_choose(tmp_path):
    from roadmap_audit.report.graph import dependency_view

    plan = tmp_path / "plan"
    plan.mkdir()
    _write(plan, "teams.csv", "team,headcount\nalpha,4\nbeta,4\n")
    # 30 migrations with no rollback (flagged), each waiting for a plain item of the other team
    _write(
        plan,
        "items.csv",
        "key,title,team,kind,estimate,depends_on\n"
        + "".join(f"M-{k},Migrate table {k},alpha,migration,1,P-{k}\n" for k in range(30))
        + "".join(f"P-{k},Prepare table {k},beta,feature,1,\n" for k in range(30)),
    )
    audit = audit_of(plan)
    flagged = {f.subject.id: f.severity for f in audit.findings if f.subject.kind == "item"}
    assert sum(1 for k in flagged if k.startswith("M-")) == 30
    view = dependency_view(audit, flagged, {}, limit=10)
    drawn = {n.key for n in view.nodes}
    ends = {k for e in view.edges for k in (e.item, e.depends_on)}
    assert len(drawn) == 10 and view.total == 60
    assert drawn == ends, "every item drawn has its arrow"
    assert (
        sum(1 for k in drawn if k.startswith("M-")) == 5
    )  # the flagged items, each with what it waits for


def test_dependency_lanes_keep_connected_teams_next_to_each_other():
    from roadmap_audit.report.graph import _lane_order

    by_risk = ["pay", "search", "api", "data", "web"]
    links = [("pay", "data"), ("data", "pay"), ("data", "web"), ("api", "search")]
    # the riskiest team stays on top; data follows pay, web follows data; search and api keep risk order
    assert _lane_order(by_risk, links) == ["pay", "data", "web", "search", "api"]
    assert _lane_order(by_risk, []) == by_risk  # nothing connects: the risk order


def test_a_team_page_lists_every_finding_of_its_team_even_past_the_findings_list(
    sample_audit, monkeypatch
):
    """At org scale the findings list stops at FINDINGS_SHOWN and a team page unfolds its first
    TEAM_FINDINGS_SHOWN: the rest are folded on the team page, never "go look in the filter"."""
    from roadmap_audit.report import view_model as html_report

    monkeypatch.setattr(html_report, "FINDINGS_SHOWN", 10)
    monkeypatch.setattr(html_report, "TEAM_FINDINGS_SHOWN", 3)
    page = render("html", sample_audit)
    api = page[page.index('<article class="team-page" id="team-api"') :]
    api = api[api.index("<h4>Findings involving api") : api.index("</article>")]
    mine = [f for f in sample_audit.findings if "api" in f.teams]
    assert len(mine) > 3
    assert api.count('<li><span class="pill') == len(mine)
    assert f"{len(mine) - 3} more findings involving api</summary>" in api
    assert "in the findings filter" not in page
    # a finding past the findings list still reads on the team page: its message is there
    past = [f for i, f in enumerate(sample_audit.findings) if i >= 10 and "api" in f.teams]
    assert past and all(str(html_escape(f.message)) in api for f in past)


def html_escape(text: str) -> str:
    from markupsafe import escape

    return escape(text)


def _team_page(page: str, team: str) -> str:
    page = page[page.index(f'<article class="team-page" id="team-{team}"') :]
    return page[: page.index("</article>")]


def _team_findings(page: str, team: str) -> str:
    section = _team_page(page, team)
    section = section[section.index(f"<h4>Findings involving {team}") :]
    return section[
        : section.index('<details class="items') if '<details class="items' in section else None
    ]


def test_a_team_page_lists_at_most_team_findings_listed_and_says_how_many_more(
    sample_audit, monkeypatch
):
    """At org scale a team page lists its first TEAM_FINDINGS_LISTED findings (the first
    TEAM_FINDINGS_SHOWN unfolded) and says how many more there are and where; below it, every one."""
    from roadmap_audit.report import view_model

    mine = [f for f in sample_audit.findings if "api" in f.teams]
    assert len(mine) == 16
    whole = _team_findings(render("html", sample_audit), "api")
    assert whole.count('<li><span class="pill') == 16
    assert "lower in the ranking" not in whole  # the cap bites only at org scale

    monkeypatch.setattr(view_model, "TEAM_FINDINGS_SHOWN", 3)
    monkeypatch.setattr(view_model, "TEAM_FINDINGS_LISTED", 5)
    api = _team_findings(render("html", sample_audit), "api")
    assert "<h4>Findings involving api (16)</h4>" in api
    assert api.count('<li><span class="pill') == 5
    assert "2 more findings involving api</summary>" in api
    assert "And 11 more findings involving api, lower in the ranking" in api
    assert "the JSON and Markdown reports (<code>--format json</code>" in api


def test_a_team_page_past_its_item_cap_lists_the_items_with_findings_or_committed_first(
    sample_audit, monkeypatch
):
    """search has 7 items; SRCH-41 and -45 are committed, -43, -44 and -47 carry findings: with room
    for 3, the page lists SRCH-41, -43 and -44 (plan order), not SRCH-42. recommendations has one
    flagged item, RECO-65: it is listed with the first two others, RECO-61 and RECO-62."""
    from roadmap_audit.report import view_model

    monkeypatch.setattr(view_model, "TEAM_ITEMS_SHOWN", 3)
    page = render("html", sample_audit)

    def listed(team: str) -> list[str]:
        table = _team_page(page, team)
        table = table[table.index('<table class="items stack">') :]
        table = table[: table.index("</table>")]
        return re.findall(r'<td data-label="key" class="nowrap"><b>([^<]+)</b>', table)

    assert listed("search") == ["SRCH-41", "SRCH-43", "SRCH-44"]
    assert listed("recommendations") == ["RECO-61", "RECO-62", "RECO-65"]
    assert (
        "Its 7 plan items (3 shown: those with a finding or committed first; the xlsx and JSON "
        "reports list every item)" in _team_page(page, "search")
    )


def test_the_html_report_is_written_in_pieces_that_make_the_whole_page(sample_audit, monkeypatch):
    """The HTML is streamed like the JSON: never one string of the whole page before writing."""
    from roadmap_audit.report import html as html_module
    from roadmap_audit.report import stream

    monkeypatch.setattr(html_module, "PIECES", 50)
    pieces = list(stream("html", sample_audit))
    assert len(pieces) > 10
    assert "".join(pieces) == render("html", sample_audit)


def test_writing_the_html_leaves_the_garbage_collector_as_it_was(sample_audit):
    """The collector skips the built audit while the page is made, and is given it back after, also
    when the writer stops half way."""
    import gc

    from roadmap_audit.report.html import iter_html

    pieces = iter_html(sample_audit)
    next(pieces)
    assert gc.get_freeze_count() > 0
    pieces.close()
    assert gc.get_freeze_count() == 0
    assert "".join(iter_html(sample_audit)) == render("html", sample_audit)
    assert gc.get_freeze_count() == 0
