"""Rules MIG002, MIG003, LCH001, CAP002, CAP004, CAP005, ONC002, ONC003, OWN001:
the arithmetic and the edge cases their fixtures do not show, and the stories
they must tell on the Northwind sample plan."""

from __future__ import annotations

import datetime as dt
import math
import tomllib

import pytest

from roadmap_audit.checks.changes import _largest_stack
from roadmap_audit.engine import builtin_rules_dir

from .conftest import FIXTURES, audit_of, pairs, rule_pairs

D = dt.date
MINE = ("MIG002", "MIG003", "LCH001", "CAP002", "CAP004", "CAP005", "ONC002", "ONC003", "OWN001")
HEALTHY = {"checkout", "seller-tools", "recommendations", "identity"}


def write(folder, name, text):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text.strip() + "\n", encoding="utf-8")


def finding(audit, rule, subject):
    return next(f for f in audit.findings if f.rule == rule and f.subject.id == subject)


# ---------------------------------------------------------------- rule files


@pytest.mark.parametrize("rule_id", MINE)
def test_every_parameter_names_its_source(rule_id):
    data = tomllib.loads((builtin_rules_dir() / f"{rule_id}.toml").read_text())
    assert data["params"], rule_id
    for name, spec in data["params"].items():
        assert "value" in spec and len(spec["source"]) > 10, (rule_id, name)


# ---------------------------------------------------------------- MIG003


def test_largest_stack_is_the_deepest_point_of_overlapping_windows():
    windows = {
        "A": (D(2026, 7, 1), D(2026, 8, 31)),
        "B": (D(2026, 8, 1), D(2026, 9, 30)),
        "C": (D(2026, 8, 20), D(2026, 8, 25)),
        "E": (D(2026, 9, 10), D(2026, 9, 30)),
    }
    stack, first, last = _largest_stack(windows, 1)
    assert stack == ["A", "B", "C"]
    assert (first, last) == (D(2026, 8, 20), D(2026, 8, 25))


def test_windows_sharing_fewer_days_than_the_minimum_are_not_stacked():
    windows = {"A": (D(2026, 7, 1), D(2026, 7, 10)), "B": (D(2026, 7, 6), D(2026, 7, 31))}
    assert len(_largest_stack(windows, 5)[0]) == 2  # 5 shared days
    assert len(_largest_stack(windows, 6)[0]) == 1


def test_undated_changes_count_as_the_whole_quarter(tmp_path):
    write(tmp_path, "settings.csv", "key,value\nquarter,2026-Q3")
    write(tmp_path, "teams.csv", "team,headcount\ncore,8")
    write(
        tmp_path,
        "items.csv",
        """
key,title,team,kind,estimate,start,due
A-1,Orders migration,core,migration,2,2026-09-01,2026-09-20
A-2,Wallet launch,core,launch,2,,
""",
    )
    audit = audit_of(tmp_path, select=["MIG003"])
    f = finding(audit, "MIG003", "core")
    assert "A-2 has no start or due date and counts as the whole quarter" in f.message
    assert "2026-09-01 to 2026-09-20" in f.message


# ---------------------------------------------------------------- CAP002 / CAP005


def test_buffer_message_gives_the_numbers():
    audit = audit_of(FIXTURES / "rules" / "CAP002", select=["CAP002"])
    message = finding(audit, "CAP002", "tight").message
    assert "88% of capacity" in message and "12%" in message and "15% floor" in message


def test_crunch_needs_a_quarter_end_and_says_which_items(tmp_path):
    audit = audit_of(FIXTURES / "rules" / "CAP005", select=["CAP005"])
    message = finding(audit, "CAP005", "late").message
    assert "5.0 of its 11.0 planned engineer-weeks (45%" in message
    assert "2026-09-17 to 2026-09-30" in message
    # no dates anywhere: no quarter end, nothing to say, no error
    write(tmp_path, "items.csv", "key,title,team,estimate\nX-1,Work,core,5")
    write(tmp_path, "teams.csv", "team,headcount\ncore,4")
    assert pairs(audit_of(tmp_path, select=["CAP005"]), "CAP005") == set()


def test_crunch_works_without_a_staffing_model(tmp_path):
    write(
        tmp_path,
        "items.csv",
        """
key,title,team,estimate,due
X-1,Early work,core,2,2026-07-20
X-2,Late work,core,3,2026-09-28
""",
    )
    audit = audit_of(tmp_path, select=["CAP005"], quarter="2026-Q3")
    assert "3.0 of its 5.0 planned engineer-weeks (60%" in finding(audit, "CAP005", "core").message


# ---------------------------------------------------------------- ONC002


def test_pager_load_formula():
    audit = audit_of(FIXTURES / "rules" / "ONC002", select=["ONC002"])
    noisy = finding(audit, "ONC002", "noisy").message
    assert "2.50 pages per 12-hour shift (14 shifts a week)" in noisy
    twosite = finding(audit, "ONC002", "twosite").message
    assert "for a week (7 shifts) takes about 6 pages" in twosite
    # the quiet-shift threshold is ln 2: the median of a Poisson count is 0 up to that mean
    assert math.isclose(math.exp(-0.69), 0.5, abs_tol=0.01)


# ---------------------------------------------------------------- ONC003


def test_people_are_matched_across_owner_and_expert_spellings(tmp_path):
    write(tmp_path, "teams.csv", "team,headcount\napi,6")
    write(
        tmp_path,
        "services.csv",
        """
service,owner_team,tier,experts
public-api,api,1,Tomasz K.
rate-limiter,api,1,tomasz k
""",
    )
    write(tmp_path, "items.csv", "key,title,team,estimate,owner\nA-1,Quotas,api,2,TOMASZ K.")
    audit = audit_of(tmp_path, select=["ONC003"])
    people = {f.subject.id for f in audit.findings if f.subject.kind == "person"}
    assert len(people) == 1


def test_key_person_messages_are_about_the_plan_not_the_person():
    audit = audit_of(FIXTURES / "rules" / "ONC003", select=["ONC003"])
    for f in audit.findings:
        if f.subject.kind == "person":
            assert f.message.startswith("The plan routes through one person")
            assert "nothing in the plan covers it" in f.message


def test_redaction_reaches_person_subjects():
    from roadmap_audit.config import Config
    from roadmap_audit.pipeline import Options, load, run
    from roadmap_audit.redact import redact_plan

    options = Options(plan=str(FIXTURES / "rules" / "ONC003"), select=["ONC003"], config=Config())
    audit = run(options, redact_plan(load(options)))
    ids = {f.subject.id for f in audit.findings if f.subject.kind == "person"}
    assert ids and all(i.startswith("Person-") for i in ids)
    assert not any("Ann" in f.message or "Joe" in f.message for f in audit.findings)


# ---------------------------------------------------------------- OWN001


def test_unknown_teams_need_a_staffing_model(tmp_path):
    write(
        tmp_path,
        "items.csv",
        """
key,title,team,estimate
A-1,Work,ghost,2
A-2,Orphan,,2
""",
    )
    found = pairs(audit_of(tmp_path, select=["OWN001"]), "OWN001")
    assert found == {("item", "A-2")}  # no Teams sheet: "ghost" cannot be judged


def test_a_team_spelled_almost_like_a_staffed_one_gets_the_hint(tmp_path):
    write(
        tmp_path,
        "items.csv",
        """
key,title,team,estimate
A-1,Work,Payments Team,2
A-2,Work,paymnets,M
A-3,Work,ghost,2
A-4,Work,payments,2
""",
    )
    write(
        tmp_path,
        "teams.csv",
        """
team,headcount
payments,5
search,4
""",
    )
    audit = audit_of(tmp_path, select=["OWN001"])
    messages = {f.subject.id: f.message for f in audit.findings}
    assert set(messages) == {"Payments Team", "paymnets", "ghost"}
    hint = "; the Teams sheet has 'payments': if that is this team, spell it the same way in both places"
    assert messages["Payments Team"].endswith(hint) and messages["paymnets"].endswith(hint)
    assert "the Teams sheet has" not in messages["ghost"]
    assert "(A-2; 3 estimated engineer-weeks)" in messages["paymnets"]  # a T-shirt size counts too


# ---------------------------------------------------------------- the Northwind stories


STORIES = {
    # payments: the launch switched on for everyone, the unrehearsed ledger migration,
    # three risky changes at once, most of the work landing in the last two weeks
    ("LCH001", "item", "PAY-101"),
    ("MIG002", "item", "PAY-102"),
    ("MIG003", "team", "payments"),
    ("CAP005", "team", "payments"),
    # search: the pager that interrupts most shifts; the embedded SRE as only expert
    ("ONC002", "team", "search"),
    ("ONC003", "service", "indexing-pipeline"),
    # api: two of five engineers new, critical work, one person holding three services
    ("CAP004", "team", "api"),
    ("ONC003", "service", "public-api"),
    ("ONC003", "service", "rate-limiter"),
    ("ONC003", "person", "Tomasz K."),
    # data-platform: a revenue launch next to an ETL migration, waiting on payments' queue
    ("FOR001", "item", "DATA-21"),
    ("MIG003", "team", "data-platform"),
}


def test_the_stories_show_these_rules(sample_audit):
    assert rule_pairs(sample_audit) >= STORIES


def test_these_rules_raise_nothing_high_on_healthy_teams(sample_audit):
    bad = [
        (f.rule, f.subject.id, f.severity)
        for f in sample_audit.findings
        if f.rule in MINE and f.severity in ("critical", "high") and set(f.teams) & HEALTHY
    ]
    assert bad == []


def test_safe_migrations_and_flagged_launches_are_not_flagged(sample_audit):
    found = rule_pairs(sample_audit)
    for key in ("PAY-103", "CHK-213", "SELL-404", "RECO-62", "IDN-302", "API-9", "DATA-23"):
        assert ("MIG002", "item", key) not in found, key
    for key in ("CHK-214", "SELL-405", "SRCH-45", "RECO-61", "API-10", "DATA-21", "IDN-301"):
        assert ("LCH001", "item", key) not in found, key


def test_over_capacity_teams_are_left_to_cap001(sample_audit):
    cap002 = {f.subject.id for f in sample_audit.findings if f.rule == "CAP002"}
    over = {t.team for t in sample_audit.teams if t.load > 1.0}
    assert over and not (cap002 & over)


@pytest.mark.parametrize(
    "text, word",
    [
        ("Shadow reads for two weeks", "shadow reads"),
        ("No shadow reads", None),
        ("we don't load test", None),
        ("Load test: not planned", None),
        ("without a canary", None),
        ("Canary skipped", None),
        (
            "no downtime, shadow reads compared",
            "shadow reads",
        ),  # the "no" belongs to another clause
        ("Dual writes but no shadow reads", "dual writes"),
        ("Load test at 2x peak, no downtime expected", "load test"),
        ("No shadow reads.\nCheckpoints every 10k rows", "checkpoints"),
    ],
)
def test_a_practice_named_only_to_be_ruled_out_is_no_evidence(text, word):
    from roadmap_audit.analyze.words import PhraseSet

    found = PhraseSet(
        ["shadow read*", "load test*", "canar*", "dual write*", "checkpoint*"]
    ).find_affirmed(text)
    assert found.word == word
    assert (found.denied is not None) == (word is None)


def test_the_finding_quotes_the_clause_that_rules_the_practice_out():
    audit = audit_of(FIXTURES / "rules" / "MIG002", select=["MIG002"])
    message = next(f.message for f in audit.findings if f.subject.id == "M-10")
    assert "('No shadow reads' names a practice only to rule it out)" in message


def test_a_service_stack_inside_one_team_is_left_to_the_team(tmp_path):
    """A service's changes all of one team are that team's stack (reported under the team,
    not again under the service); a service changed by two teams at once is its own finding."""
    write(tmp_path, "settings.csv", "key,value\nquarter,2026-Q3")
    write(tmp_path, "teams.csv", "team,headcount\ncore,8\npay,6")
    write(
        tmp_path,
        "items.csv",
        """
key,title,team,kind,estimate,start,due,services
A-1,Orders migration,core,migration,2,2026-08-01,2026-09-20,orders-db
A-2,Orders schema launch,core,launch,2,2026-08-10,2026-09-25,orders-db
A-3,Ledger migration,core,migration,2,2026-08-01,2026-09-20,ledger
B-1,Ledger launch,pay,launch,2,2026-08-05,2026-09-22,ledger
""",
    )
    audit = audit_of(tmp_path, select=["MIG003"])
    found = {(f.subject.kind, f.subject.id) for f in audit.findings if f.rule == "MIG003"}
    assert ("team", "core") in found
    assert ("service", "ledger") in found
    assert ("service", "orders-db") not in found
