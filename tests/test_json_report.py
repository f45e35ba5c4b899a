"""The JSON report, schema 2: each rule's words once, figures rounded where they are written,
the same bytes however it is cut into pieces; and the models the program builds itself."""

from __future__ import annotations

import json

import pytest

from roadmap_audit.model import SCHEMA_VERSION, Evidence, Finding, SourceRef, Subject, Team
from roadmap_audit.report import json_report, render

from .conftest import SAMPLES, run_cli

SAMPLE = SAMPLES / "northwind-2026-Q3.xlsx"


def _finding(rule: str, subject: str, fix: str, **extra) -> Finding:
    return Finding(
        rule=rule,
        severity="high",
        title=f"{rule} title",
        subject=Subject(kind="item", id=subject),
        message=f"{subject} is at risk",
        why=f"{rule} why",
        evidence=(Evidence(source="plan.xlsx", location="Items!B2"),),
        fix=fix,
        **extra,
    )


def test_each_rules_words_are_written_once_and_a_findings_own_fix_stays_on_it(sample_audit):
    findings = [
        _finding("DEP002", "A-1", "Split it."),
        _finding("DEP002", "A-2", "For A-2: ask team x first. Split it."),  # its own fix
        _finding("DEP002", "A-3", "Split it."),
        _finding("OWN001", "A-4", "Name an owner.", impact=3),
    ]
    audit = sample_audit.model_copy(
        update={"findings": findings, "rules_run": ["OWN001", "DEP002"]}
    )
    doc = json.loads(render("json", audit))
    assert doc["schema_version"] == SCHEMA_VERSION == 2
    assert doc["rules"] == {  # in the order the rules ran
        "OWN001": {"title": "OWN001 title", "why": "OWN001 why", "fix": "Name an owner."},
        "DEP002": {"title": "DEP002 title", "why": "DEP002 why", "fix": "Split it."},
    }
    assert [(f["subject"]["id"], f.get("fix")) for f in doc["findings"]] == [
        ("A-1", None),
        ("A-2", "For A-2: ask team x first. Split it."),
        ("A-3", None),
        ("A-4", None),
    ]
    assert not any("title" in f or "why" in f for f in doc["findings"])
    assert doc["findings"][3]["impact"] == 3.0  # a float field written as a float


def test_every_finding_of_the_sample_reads_back_whole_from_its_rule(sample_audit):
    doc = json.loads(render("json", sample_audit))
    assert len(doc["findings"]) == len(sample_audit.findings) > 40
    for written, finding in zip(doc["findings"], sample_audit.findings, strict=True):
        rule = doc["rules"][written["rule"]]
        assert (rule["title"], rule["why"], written.get("fix", rule["fix"])) == (
            finding.title,
            finding.why,
            finding.fix,
        )
    assert set(doc["rules"]) == {f.rule for f in sample_audit.findings}


def test_figures_are_rounded_where_they_are_written_and_exact_in_the_model(sample_audit):
    team = sample_audit.teams[0]
    odd = team.model_copy(update={"load": 1 / 3, "ops_share": 2 / 3, "buffer": float("inf")})
    audit = sample_audit.model_copy(update={"teams": [odd]})
    written = json.loads(render("json", audit))["teams"][0]
    assert (written["load"], written["ops_share"], written["buffer"]) == (0.3333, 0.6667, None)
    assert odd.load == 1 / 3  # the HTML and Markdown compute from the exact value


@pytest.mark.parametrize("chunk", [1, 3, 1000])
def test_the_bytes_do_not_depend_on_how_the_report_is_cut(sample_audit, monkeypatch, chunk):
    whole = render("json", sample_audit)
    monkeypatch.setattr(json_report, "CHUNK", chunk)
    assert "".join(json_report.iter_json(sample_audit)) == whole
    assert json.dumps(json.loads(whole), indent=2, ensure_ascii=False) + "\n" == whole


@pytest.mark.parametrize("version", [1, 2])
def test_diff_given_a_json_report_instead_of_a_plan_says_so_in_one_line(tmp_path, version):
    report = tmp_path / f"v{version}.json"
    body = json.loads(render("json", _sample_audit()))
    body["schema_version"] = version
    report.write_text(json.dumps(body, indent=2 if version == 2 else None))
    for old, new in ((report, SAMPLE), (SAMPLE, report)):
        result = run_cli("diff", str(old), str(new), "--format", "text")
        assert result.returncode == 2
        lines = result.stderr.strip().splitlines()
        assert lines == [
            f"roadmap-audit: error: {report}: is a roadmap-audit JSON report (schema_version "
            f"{version}), not a plan: diff reads the two plans and audits both itself (give it "
            "the workbooks or Jira exports the reports were made from)"
        ]


def _sample_audit():
    from .conftest import audit_of

    return audit_of(SAMPLE)


# ---------------------------------------------------------------- models built without validation


def test_a_model_made_without_validation_equals_the_validated_one():
    subject = Subject.made(kind="item", id="A-1")
    values = dict(
        rule="MIG001",
        severity="critical",
        title="t",
        subject=subject,
        message="m",
        why="w",
        fix="f",
        evidence=(Evidence.of(SourceRef(source="p.xlsx", sheet="Items", row=3, column="J")),),
    )
    made, validated = Finding.made(**values), Finding(**values)
    assert made == validated and hash(made) == hash(validated)
    assert made.model_dump() == validated.model_dump()
    assert list(made.__dict__) == list(
        Finding.model_fields
    )  # the declared order, as JSON writes it
    assert made.evidence[0].location == "Items!J3" and made.teams == () and made.impact == 1.0
    with pytest.raises(TypeError, match=r"unknown fields \['colour'\], missing \[\]"):
        Finding.made(**values, colour="red")
    with pytest.raises(TypeError, match=r"missing \['message'\]"):
        Finding.made(**{k: v for k, v in values.items() if k != "message"})


def test_the_shared_fields_set_cannot_be_changed_through_one_instance():
    team = Team(team="core", ref=SourceRef(source="p.xlsx"))
    other = Team(team="edge", ref=SourceRef(source="p.xlsx"))
    assert team.model_fields_set is other.model_fields_set  # one set per class
    team.headcount = 4  # assigning a field: nothing changes
    copied = team.model_copy(update={"headcount": 5.0})
    assert (team.headcount, copied.headcount, other.headcount) == (4, 5.0, None)
    with pytest.raises(TypeError, match="'colour' is not a field"):
        team.model_copy(update={"colour": "red"})
    with pytest.raises(TypeError):
        team.model_fields_set.discard("team")
    assert team.model_fields_set == set(Team.model_fields)


def test_every_recommendation_names_its_subject_as_a_field(sample_audit):
    """A change names the subject of the finding it clears; a deferral names its team. Nothing
    downstream has to read the subject back out of the advice's text."""
    doc = json.loads(render("json", sample_audit))
    serious = {
        (f["rule"], f["subject"]["kind"], f["subject"]["id"])
        for f in doc["findings"]
        if f["severity"] in ("critical", "high")
    }
    changes = [r for r in doc["recommendations"] if r["action"] == "change"]
    defers = [r for r in doc["recommendations"] if r["action"] == "defer"]
    assert changes and defers
    assert {(r["rule"], r["subject"]["kind"], r["subject"]["id"]) for r in changes} == serious
    assert {(r["subject"]["kind"], r["subject"]["id"]) for r in defers} == {
        ("team", r["team"]) for r in defers
    }
    assert ("MIG001", "item", "PAY-102") in serious


# ---------------------------------------------------------------- figures rounded where made

ROUNDED_FIELDS = ("estimate_weeks", "p_on_time", "p50_weeks", "p85_weeks")


def _rounded_where_made(items) -> list[tuple[str, str, object]]:
    """Each figure of a forecast item typed Rounded that rounding to 4 decimals would change."""
    return [
        (item.key, name, value)
        for item in items
        for name in ROUNDED_FIELDS
        if (value := getattr(item, name)) is not None
        and (type(value) is not float or round(value, 4) != value)
    ]


def test_the_forecasts_item_figures_come_rounded_so_the_json_writes_them_as_they_are(tmp_path):
    from roadmap_audit.analyze.forecast import ForecastParams, forecast
    from roadmap_audit.model import ForecastItem, _json_number

    from .test_forecast import plan

    # what the JSON writes unrounded is exactly the forecast's four figures; the spread (a
    # parameter as configured, 0.123456 here) is rounded as it is written
    fields = ForecastItem.model_fields.items()
    rounded_on_write = {
        n for n, f in fields if any(getattr(m, "func", None) is _json_number for m in f.metadata)
    }
    figures = {n for n, f in fields if f.annotation in (float, float | None)}
    assert (sorted(figures - rounded_on_write), rounded_on_write) == (
        sorted(ROUNDED_FIELDS),
        {"spread"},
    )
    facts = plan(
        tmp_path,
        [
            f"A-{n},Item {n},a,{n * 1.37:.5f},2026-0{7 + n % 3}-1{n % 10},P1,yes,"
            for n in range(1, 12)
        ]
        + [f"B-{n},Item {n},b,,2026-08-1{n % 10},P2,no,A-{n}" for n in range(1, 8)],
    )
    for runs in (37, 1000):  # chances of 37 runs are not 4-decimal numbers until rounded
        fc = forecast(facts, ForecastParams(runs=runs, effort_spread=0.123456))
        assert len(fc.items) == 18
        assert _rounded_where_made(fc.items) == []
        assert {i.p_on_time for i in fc.items} - {0.0, 1.0}  # chances between, not only sure ones
        written = json.loads(json.dumps([i.model_dump(mode="json") for i in fc.items]))
        assert 0.1235 in {w["spread"] for w in written}


def test_the_sample_plans_forecast_figures_come_rounded(sample_audit):
    assert sample_audit.forecast is not None and len(sample_audit.forecast.items) > 20
    assert _rounded_where_made(sample_audit.forecast.items) == []
