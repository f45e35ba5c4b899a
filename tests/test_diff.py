"""`roadmap-audit diff`: two plans compared, on the real Spanish Jira pair and on small cases."""

from __future__ import annotations

import json

import pytest

from roadmap_audit.diff import compare
from roadmap_audit.pipeline import Options, load, run
from roadmap_audit.report.diff_report import render_diff

from .conftest import FIXTURES, REAL_EXPORTS, SAMPLES, run_cli

CSV = REAL_EXPORTS / "csv"
EARLIER = CSV / "cloud-es-currentfields__EdhuXav_IR_Formativa_ACGaP__Jira.csv"
LATER = CSV / "cloud-es-allfields__EdhuXav_IR_Formativa_ACGaP__Jira-1.csv"
real_pair = pytest.mark.skipif(
    not CSV.is_dir(), reason="../shared/real-exports is not beside the project"
)

# The same 39 issues exported two hours apart; these four moved from "To do" to "In progress".
STATUS_CHANGES = {
    ("CARNICORE-6", "Por hacer", "En curso"),
    ("CARNICORE-7", "Por hacer", "En curso"),
    ("CARNICORE-8", "Por hacer", "En curso"),
    ("CARNICORE-13", "Por hacer", "En curso"),
}


def diff_of(before, after, **kw):
    options = Options(plan=str(before), **kw)
    old_plan = load(options)
    later = Options(plan=str(after), **kw)
    new_plan = load(later)
    return compare(run(options, old_plan), old_plan, run(later, new_plan), new_plan)


@pytest.fixture(scope="module")
def real_diff():
    return diff_of(EARLIER, LATER)


@real_pair
def test_the_real_pair_lists_exactly_the_status_changes(real_diff):
    assert set(real_diff.status_changes()) == STATUS_CHANGES
    assert real_diff.items_added == [] and real_diff.items_removed == []
    assert real_diff.before.items == real_diff.after.items == 39


@real_pair
def test_the_real_pair_says_what_else_the_later_export_holds(real_diff):
    by_key = {c.key: c for c in real_diff.items_changed}
    # the "current fields" export has no project column: the team comes from the key's project in both,
    # so nothing moved; the links came with "all fields" only
    assert not any(c.moved or c.change("team") for c in real_diff.items_changed)
    assert by_key["CARNICORE-8"].change("depends_on").before is None
    assert by_key["CARNICORE-8"].change("depends_on").after == "CARNICORE-6, CARNICORE-7"
    assert {
        c.key for c in real_diff.items_changed if [f.field for f in c.changes] == ["status"]
    } == {"CARNICORE-6", "CARNICORE-7"}
    # the same project read the same way: no finding comes or goes between the two exports
    assert real_diff.findings_resolved == [] and real_diff.findings_new == []


@real_pair
@pytest.mark.parametrize("fmt", ["text", "md", "html", "json"])
def test_every_format_shows_the_status_changes(real_diff, fmt):
    body = render_diff(fmt, real_diff)
    for key, _, _ in STATUS_CHANGES:
        assert key in body
    assert "En curso" in body and "Por hacer" in body
    if fmt == "json":
        doc = json.loads(body)
        found = {
            (c["key"], f["before"], f["after"])
            for c in doc["items_changed"]
            for f in c["changes"]
            if f["field"] == "status"
        }
        assert found == STATUS_CHANGES


@real_pair
def test_the_cli_writes_the_comparison_and_exits_0(tmp_path):
    out = tmp_path / "diff.html"
    result = run_cli("diff", str(EARLIER), str(LATER), "-o", str(out))
    assert result.returncode == 0, result.stderr
    html = out.read_text()
    assert "CARNICORE-13" in html and "En curso" in html
    assert "default-src 'none'" in html and "<script" not in html and 'src="http' not in html
    assert "comparison written to" in result.stderr
    text = run_cli("diff", str(EARLIER), str(LATER), "--format", "text")
    assert text.returncode == 0 and "status Por hacer → En curso" in text.stdout


def test_a_bad_file_exits_2_with_one_line(tmp_path):
    bad = tmp_path / "later.xlsx"
    bad.write_bytes(b"not a workbook")
    result = run_cli("diff", str(SAMPLES / "northwind-2026-Q3.xlsx"), str(bad), "--format", "json")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(bad) in lines[0] and "Traceback" not in result.stderr
    missing = run_cli("diff", str(tmp_path / "nope.csv"), str(SAMPLES / "northwind-2026-Q3.xlsx"))
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1


def _plan(folder, items: list[str], teams: list[str]):
    folder.mkdir()
    (folder / "settings.csv").write_text("key,value\nquarter,2026-Q3\n")
    (folder / "teams.csv").write_text(
        "team,headcount,oncall_rotation,ops_allocation\n" + "\n".join(teams) + "\n"
    )
    (folder / "items.csv").write_text(
        "key,title,team,kind,estimate,due,status,rollback_plan\n" + "\n".join(items) + "\n"
    )
    return folder


def test_items_added_removed_moved_changed_and_findings_matched(tmp_path):
    teams = ["alpha,4,0,10%", "beta,4,0,10%"]
    before = _plan(
        tmp_path / "before",
        [
            "A-1,Orders data migration,alpha,migration,4,2026-08-01,To Do,",
            "A-2,Search box,alpha,feature,3,2026-09-01,To Do,",
            "A-3,Old report,alpha,feature,2,2026-09-01,To Do,",
        ],
        teams,
    )
    after = _plan(
        tmp_path / "after",
        [
            "A-1,Orders data migration,alpha,migration,6,2026-08-15,In Progress,restore the snapshot; dual writes",
            "A-2,Search box,beta,feature,3,2026-09-01,To Do,",
            "B-1,Billing data migration,beta,migration,5,2026-09-01,To Do,",
        ],
        teams,
    )
    d = diff_of(before, after, select=["MIG001"])
    assert [r.key for r in d.items_added] == ["B-1"] and [r.key for r in d.items_removed] == ["A-3"]
    assert [(c.key, c.team_before, c.team_after) for c in d.items_moved] == [
        ("A-2", "alpha", "beta")
    ]
    a1 = next(c for c in d.items_changed if c.key == "A-1")
    assert {c.field: (c.before, c.after) for c in a1.changes} == {
        "status": ("To Do", "In Progress"),
        "due": ("2026-08-01", "2026-08-15"),
        "estimate_weeks": (4.0, 6.0),
    }
    assert {(f.rule, f.subject.id) for f in d.findings_resolved} == {("MIG001", "A-1")}
    assert {(f.rule, f.subject.id) for f in d.findings_new} == {("MIG001", "B-1")}
    alpha = next(t for t in d.teams if t.team == "alpha")
    assert alpha.planned_weeks_before == 9.0 and alpha.planned_weeks_after == 6.0
    assert alpha.load_change == pytest.approx(alpha.load_after - alpha.load_before, abs=1e-3)


def test_the_same_plan_twice_changes_nothing():
    sample = SAMPLES / "northwind-2026-Q3.xlsx"
    d = diff_of(sample, sample)
    assert (
        not d.findings_new
        and not d.findings_resolved
        and not d.items_changed
        and not d.verdict_changed
    )
    assert all(t.load_change == 0 for t in d.teams)
    assert all(t.p85_weeks_before == t.p85_weeks_after for t in d.teams)  # same seed, same forecast
    assert render_diff("json", d) == render_diff("json", diff_of(sample, sample))


def test_fail_on_exits_1_only_for_a_finding_the_later_plan_brings(tmp_path):
    teams = ["alpha,4,0,10%"]
    item = "A-1,Orders data migration,alpha,migration,4,2026-08-01,To Do,{rollback}"
    safe = _plan(tmp_path / "safe", [item.format(rollback="restore the snapshot")], teams)
    risky = _plan(tmp_path / "risky", [item.format(rollback="")], teams)
    d = diff_of(safe, risky, select=["MIG001"])
    assert [(c.rule, c.subject.id) for c in d.worsened_at("medium")] == [("MIG001", "A-1")]
    worse = run_cli("diff", str(safe), str(risky), "--format", "json", "--fail-on", "medium")
    assert worse.returncode == 1, worse.stderr
    assert ["MIG001", "A-1"] in [
        [c["rule"], c["subject"]["id"]] for c in json.loads(worse.stdout)["findings_new"]
    ]
    # the risk was already there, or goes away: nothing new at that severity, exit 0
    same = run_cli("diff", str(risky), str(risky), "--format", "json", "--fail-on", "medium")
    better = run_cli("diff", str(risky), str(safe), "--format", "json", "--fail-on", "medium")
    assert same.returncode == 0 and better.returncode == 0, (same.stderr, better.stderr)


def test_redact_people_hides_names_known_on_either_side(tmp_path):
    import shutil

    from roadmap_audit.redact import pseudonym

    fixture = FIXTURES / "rules" / "ONC003"
    before, after = tmp_path / "before", tmp_path / "after"
    shutil.copytree(fixture, before, ignore=shutil.ignore_patterns("expect.toml"))
    shutil.copytree(before, after)
    # later, Ann is no one's expert any more; only a title still names her
    services = (
        (after / "services.csv")
        .read_text()
        .replace("1,Ann,", "1,Dee,")
        .replace('"Ann, Bob"', "Bob")
    )
    (after / "services.csv").write_text(services)
    (after / "incidents.csv").write_text("id,service,team,severity,started,responders\n")
    with (after / "items.csv").open("a") as fh:
        fh.write("H-1,Billing runbook handed over by Ann,api,1,Dee,P3,,\n")
    result = run_cli("diff", str(before), str(after), "--format", "json", "--redact-people")
    assert result.returncode == 0, result.stderr
    for name in ("Ann", "Joe", "Kim", "Dee"):
        assert f"{name} " not in result.stdout and f'"{name}"' not in result.stdout, name
    doc = json.loads(result.stdout)
    resolved = {(c["rule"], c["subject"]["id"]) for c in doc["findings_resolved"]}
    unchanged = {(c["rule"], c["subject"]["id"]) for c in doc["findings_unchanged"]}
    assert ("ONC003", pseudonym("Ann")) in resolved  # one pseudonym for Ann on both sides
    assert ("ONC003", pseudonym("Joe")) in unchanged
    added = next(i for i in doc["items_added"] if i["key"] == "H-1")
    assert added["title"] == f"Billing runbook handed over by {pseudonym('Ann')}"


def _northwind_with(tmp_path, name: str, edit) -> object:
    """A copy of the Northwind sample with `edit(items_sheet)` applied."""
    import openpyxl

    wb = openpyxl.load_workbook(SAMPLES / "northwind-2026-Q3.xlsx")
    edit(wb["Items"])
    path = tmp_path / name
    wb.save(path)
    return path


def _row_of(sheet, key: str) -> int:
    return next(r for r in range(2, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == key)


def test_one_title_changed_changes_no_team(tmp_path):
    sample = SAMPLES / "northwind-2026-Q3.xlsx"

    def retitle(sheet):
        sheet.cell(
            row=_row_of(sheet, "SELL-402"), column=2
        ).value = "Payouts dashboard for sellers, second version"

    d = diff_of(sample, _northwind_with(tmp_path, "retitled.xlsx", retitle))
    assert (
        not d.findings_new
        and not d.findings_resolved
        and not d.items_changed
        and not d.verdict_changed
    )
    assert [t.team for t in d.teams if t.changed] == []
    assert "0 of 8 teams changed" in render_diff("text", d)


def test_work_added_to_one_team_leaves_the_forecast_of_the_others_alone(tmp_path):
    # common random numbers: an item's effort and a team's unplanned share are drawn from streams of their
    # own, so adding an item to seller-tools (last in its queue, nobody waits on it) moves nothing elsewhere
    sample = SAMPLES / "northwind-2026-Q3.xlsx"

    def add(sheet):
        row = [c.value for c in sheet[_row_of(sheet, "SELL-407")]]
        row[0], row[1], row[3], row[4], row[6] = (
            "SELL-408",
            "Seller FAQ page",
            "feature",
            2,
            "2026-09-30",
        )
        sheet.append(row)

    options = Options(plan=str(sample))
    before = run(options, load(options))
    later = Options(plan=str(_northwind_with(tmp_path, "added.xlsx", add)))
    after = run(later, load(later))
    old = {i.key: i for i in before.forecast.items}
    new = {i.key: i for i in after.forecast.items}
    assert set(new) - set(old) == {"SELL-408"}
    moved = {
        k
        for k in old
        if (old[k].p50_weeks, old[k].p85_weeks, old[k].p_on_time)
        != (new[k].p50_weeks, new[k].p85_weeks, new[k].p_on_time)
    }
    assert moved == set()
    old_teams = {t.team: t for t in before.forecast.teams}
    changed = {
        t.team for t in after.forecast.teams if t.model_dump() != old_teams[t.team].model_dump()
    }
    assert changed == {"seller-tools"}


def test_a_title_with_escape_sequences_never_reaches_the_terminal(tmp_path):
    """The comparison's text and Markdown strip what a cell could do to a terminal (retitle it,
    move the cursor), as the audit's text report does."""
    teams = ["alpha,4,0,10%"]
    before = _plan(tmp_path / "before", ["A-1,Search box,alpha,feature,3,2026-09-01,To Do,"], teams)
    after = _plan(
        tmp_path / "after",
        ["A-1,Search \x1b]0;pwned\x07box \x1b[2Jnow,alpha,feature,4,2026-09-01,To Do,"],
        teams,
    )
    d = diff_of(before, after)
    assert [c.key for c in d.items_changed] == ["A-1"]
    for fmt in ("text", "md"):
        body = render_diff(fmt, d)
        assert "\x1b" not in body and "\x07" not in body, fmt
    assert "Search box now" in render_diff("text", d)  # whole sequences go, not just their escape
