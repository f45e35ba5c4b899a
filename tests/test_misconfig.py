"""Misconfiguration is one line naming the file and the key, exit 2: never a silent
"go", never "unexpected error", never the shipped rule file blamed for the user's typo.

Every case writes its own files (a small plan folder, a config, a rule folder) and
runs the command line in-process; the line it must print is asserted word for word
where the words matter (the file, the key, the closest name).
"""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from roadmap_audit.cli import main
from roadmap_audit.engine import builtin_rules_dir

from .conftest import run_cli

ITEMS = "key,title,team,estimate,priority,status\nA-1,Checkout redesign,busy,20,P2,\nB-1,Profile page,calm,5,P2,\n"
TEAMS = (
    "team,headcount,new_hires,oncall_rotation,ops_allocation,availability\n"
    "busy,5,1,0,20%,100%\ncalm,5,0,0,20%,100%\n"
)


@pytest.fixture
def plan(tmp_path, monkeypatch):
    """A two-item plan folder in a fresh working folder (no project config around)."""
    folder = tmp_path / "plan"
    folder.mkdir()
    (folder / "items.csv").write_text(ITEMS)
    (folder / "teams.csv").write_text(TEAMS)
    monkeypatch.chdir(tmp_path)
    return folder


def invoke(*args: str):
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stderr.strip()


def one_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert "unexpected error" not in err and "Traceback" not in err
    return lines[0]


def rule_folder(tmp_path, name: str = "ours"):
    folder = tmp_path / name
    folder.mkdir()
    return folder


# (case, config file text as bytes, [words the line must hold])
CONFIG_CASES = [
    (
        "select typo",
        b'select = ["MIG01"]\n',
        ["c.toml", "select 'MIG01' matches no rule", "did you mean 'MIG001'"],
    ),
    (
        "ignore typo",
        b'ignore = ["CAP0001"]\n',
        ["c.toml", "ignore 'CAP0001' matches no rule", "'CAP001'"],
    ),
    (
        "unknown rule table",
        b'[rules.MIG01]\nseverity = "low"\n',
        ["c.toml", "[rules.MIG01] names no rule", "did you mean 'MIG001'"],
    ),
    (
        "rule key typo",
        b"[rules.CAP001]\nmax_lod = 0.9\n",
        [
            "c.toml",
            "[rules.CAP001] has no key 'max_lod'",
            "did you mean 'max_load'",
            "critical_load, max_load, severity",
        ],
    ),
    (
        "rule value out of range",
        b"[rules.DEP004]\nmin_teams = 1\n",
        ["c.toml", "[rules.DEP004] key 'min_teams' = 1", "greater than or equal to 2"],
    ),
    (
        "rule value of the wrong type",
        b'[rules.DEP004]\nmin_teams = "three"\n',
        ["c.toml", "[rules.DEP004] key 'min_teams' = 'three'"],
    ),
    (
        "negative load",
        b"[rules.CAP001]\nmax_load = -1\n",
        ["c.toml", "key 'max_load' = -1", "greater than 0"],
    ),
    (
        "nan load",
        b"[rules.CAP001]\nmax_load = nan\n",
        ["c.toml", "key 'max_load' = nan", "must be a finite number"],
    ),
    (
        "-inf load",
        b"[rules.CAP001]\nmax_load = -inf\n",
        ["c.toml", "key 'max_load' = -inf", "finite"],
    ),
    (
        "nan share",
        b"[rules.CAP002]\nmin_buffer = nan\n",
        ["c.toml", "key 'min_buffer' = nan", "finite"],
    ),
    ("rule not a table", b"[rules]\nCAP001 = 3\n", ["c.toml", "'rules.CAP001' must be a table"]),
    (
        "bad severity",
        b'[rules.CAP001]\nseverity = "urgent"\n',
        ["c.toml", "rules.CAP001.severity", "must be one of"],
    ),
    (
        "fail_on typo",
        b'fail_on = "hihg"\n',
        ["c.toml", "key 'fail_on' = 'hihg'", "must be one of critical, high"],
    ),
    (
        "fiscal quarter",
        b'quarter = "FY26 Q3"\n',
        ["c.toml", "key 'quarter' = 'FY26 Q3'", "fiscal quarter"],
    ),
    ("not a quarter", b'quarter = "soon"\n', ["c.toml", "key 'quarter'", "is not a quarter"]),
    (
        "infinite file cap",
        b"[limits]\nmax_file_mb = inf\n",
        ["c.toml", "key 'limits.max_file_mb' = inf", "finite"],
    ),
    (
        "huge file cap",
        b"[limits]\nmax_file_mb = 1e30\n",
        ["c.toml", "limits.max_file_mb", "less than or equal"],
    ),
    (
        "forecast runs",
        b"[forecast]\nruns = 1000000\n",
        ["c.toml", "key 'forecast.runs' = 1000000", "less than or equal to 100000"],
    ),
    (
        "forecast key typo",
        b"[forecast]\nrunz = 100\n",
        ["c.toml", "unknown key 'forecast.runz'", "did you mean 'runs'"],
    ),
    (
        "capacity nan",
        b"[capacity]\nweeks = nan\n",
        ["c.toml", "key 'capacity.weeks' = nan", "finite"],
    ),
    # a typo in a typed parameter: never a silent change of what the rule finds or how high
    (
        "severity typo in an escalation",
        b'[rules.MIG001.escalate]\nto = "critcal"\n',
        ["c.toml", "[rules.MIG001] key 'escalate.to' = 'critcal'", "critical"],
    ),
    (
        "fact typo in an escalation",
        b'[rules.MIG001.escalate]\nwhen = ["comitted"]\n',
        ["c.toml", "[rules.MIG001] key 'escalate.when'", "'comitted'", "did you mean 'committed'"],
    ),
    (
        "condition typo in an escalation",
        b"[rules.MIG003.escalate]\nat_lest = { stack_size = 4 }\n",
        ["c.toml", "[rules.MIG003] unknown key 'escalate.at_lest'", "did you mean 'at_least'"],
    ),
    (
        "a negative tier bound in an escalation",
        b"[rules.OWN001.escalate]\nat_most = { tier = -1 }\n",
        ["c.toml", "[rules.OWN001] key 'escalate.at_most.tier'", "below 0"],
    ),
    (
        "the per-check escalation key of old",
        b'[rules.MIG001]\nescalate_to = "high"\n',
        ["c.toml", "[rules.MIG001] has no key 'escalate_to'", "did you mean 'escalate'"],
    ),
    (
        "an escalation that is not a table",
        b'[rules.MIG001]\nescalate = "high"\n',
        ["c.toml", "[rules.MIG001] key 'escalate' must be a table"],
    ),
    (
        "severity typo in a severity parameter",
        b'[rules.ONC003]\nperson_load_severity = "hgh"\n',
        ["c.toml", "[rules.ONC003] key 'person_load_severity' = 'hgh'"],
    ),
    (
        "severity typo in CAP003's escalation",
        b'[rules.CAP003.escalate]\nto = "severe"\n',
        ["c.toml", "[rules.CAP003] key 'escalate.to' = 'severe'"],
    ),
    (
        "item kind typo",
        b'[rules.MIG001]\nkinds = ["migraton"]\n',
        ["c.toml", "[rules.MIG001] key 'kinds", "'migraton'", "migration"],
    ),
    (
        "item kind typo in MIG003",
        b'[rules.MIG003]\nkinds = ["migration", "lanch"]\n',
        ["c.toml", "[rules.MIG003] key 'kinds", "'lanch'"],
    ),
    (
        "grouping key typo",
        b'[rules.MIG003]\nby = ["teams"]\n',
        ["c.toml", "[rules.MIG003] key 'by", "'teams'", "'team'"],
    ),
    (
        "field typo",
        b'[rules.LCH001]\nfield = "rehersal"\n',
        ["c.toml", "[rules.LCH001] key 'field' = 'rehersal'", "rehearsal"],
    ),
    (
        "also_in typo",
        b'[rules.LCH001]\nalso_in = ["descripton"]\n',
        ["c.toml", "[rules.LCH001] key 'also_in", "'descripton'"],
    ),
    (
        "top-level typo",
        b'selct = ["CAP"]\n',
        ["c.toml", "unknown key 'selct'", "did you mean 'select'"],
    ),
    ("bookkeeping key", b'origin = ["x"]\n', ["c.toml", "unknown key 'origin'"]),
    ("not UTF-8", b'select = ["\xff\xfe"]\n', ["c.toml", "is not UTF-8 text"]),
    ("not TOML", b"select = [\n", ["c.toml", "is not valid TOML"]),
]


@pytest.mark.parametrize("case, text, words", CONFIG_CASES, ids=[c[0] for c in CONFIG_CASES])
def test_a_bad_config_is_one_line_naming_the_users_file_and_key(plan, tmp_path, case, text, words):
    (tmp_path / "c.toml").write_bytes(text)
    out = tmp_path / "r.html"
    code, err = invoke("audit", str(plan), "--config", "c.toml", "-o", str(out))
    line = one_line(err)
    assert code == 2
    for word in words:
        assert word in line, (word, line)
    assert "rules/" not in line and "_rules/" not in line  # never the shipped rule file
    assert not out.exists()  # refused before the report is written


def test_fail_on_typo_is_refused_before_the_report_is_written(plan, tmp_path):
    (tmp_path / "roadmap-audit.toml").write_text('fail_on = "hihg"\n')
    code, err = invoke("audit", str(plan), "-o", "r.html")
    assert code == 2 and one_line(err).startswith(
        "roadmap-audit: error: roadmap-audit.toml: key 'fail_on'"
    )
    assert not (tmp_path / "r.html").exists()


@pytest.mark.parametrize(
    "args, words",
    [
        (["--select", "MIG01"], ["--select 'MIG01' matches no rule", "did you mean 'MIG001'"]),
        (["--select", "CAP,MIG01"], ["--select 'MIG01'"]),
        (["--ignore", "MIG01"], ["--ignore 'MIG01' matches no rule"]),
        (["--select", "XYZ"], ["--select 'XYZ' matches no rule", "prefixes: CAP, DEP"]),
    ],
)
def test_an_unknown_rule_id_on_the_command_line_runs_nothing_and_says_so(plan, args, words):
    code, err = invoke("audit", str(plan), "--format", "json", "--fail-on", "high", *args)
    line = one_line(err)
    assert code == 2
    for word in words:
        assert word in line, (word, line)


def test_a_comma_separated_select_in_the_config_is_a_list(plan, tmp_path):
    (tmp_path / "c.toml").write_text('select = "CAP001, MIG01"\n')
    code, err = invoke("audit", str(plan), "--config", "c.toml", "--format", "json")
    assert code == 2 and "c.toml: select 'MIG01' matches no rule" in one_line(err)


def test_select_of_a_real_prefix_still_runs_its_rules(plan):
    import json

    result = CliRunner().invoke(
        main, ["audit", str(plan), "--format", "json", "--select", "CAP00", "--ignore", "cap002"]
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout)["rules_run"] == ["CAP001", "CAP003", "CAP004", "CAP005"]


def test_pyproject_with_a_string_tool_or_bad_bytes_names_it(plan, tmp_path):
    (tmp_path / "pyproject.toml").write_text('tool = "poetry"\n')
    code, err = invoke("audit", str(plan), "--format", "json")
    assert code == 2 and "pyproject.toml: 'tool' is a str, not a table" in one_line(err)
    (tmp_path / "pyproject.toml").write_bytes(b"[tool]\nx = '\xff'\n")
    code, err = invoke("audit", str(plan), "--format", "json")
    assert code == 2 and "pyproject.toml: is not UTF-8 text" in one_line(err)
    (tmp_path / "pyproject.toml").write_text('[tool]\nroadmap-audit = "on"\n')
    code, err = invoke("audit", str(plan), "--format", "json")
    assert code == 2 and "'tool.roadmap-audit' is a str, not a table" in one_line(err)


def _vocabulary(text: str):
    return lambda folder: (folder / "vocabulary.toml").write_text(text)


def _fifo(folder):
    os.mkfifo(folder / "MIG001.toml")


def _shipped_with(rule_id: str, old: str, new: str):
    def make(folder):
        text = (builtin_rules_dir() / f"{rule_id}.toml").read_text()
        assert old in text
        (folder / f"{rule_id}.toml").write_text(text.replace(old, new, 1))

    return make


def _without_param(rule_id: str, name: str):
    """The shipped rule file with one parameter's table left out: the check kind has no second
    default to fall back on, so the rule file must say it."""

    def make(folder):
        import re

        text = (builtin_rules_dir() / f"{rule_id}.toml").read_text()
        cut = re.sub(rf"\[params\.{name}\]\n(?:(?!\[)[^\n]*\n)*", "", text, count=1)
        assert cut != text
        (folder / f"{rule_id}.toml").write_text(cut)

    return make


RULE_FOLDER_CASES = [
    (
        "severity typo in a rule file",
        _shipped_with("MIG001", '[escalate]\nto = "critical"', '[escalate]\nto = "critcal"'),
        ["MIG001.toml", "key 'escalate.to' = 'critcal'"],
    ),
    (
        "fact typo in a rule file's escalation",
        _shipped_with("REL001", 'when = ["carried_over",', 'when = ["carried_ovr",'),
        ["REL001.toml", "key 'escalate.when'", "'carried_ovr'", "did you mean 'carried_over'"],
    ),
    (
        "fact a check does not measure",
        _shipped_with("MIG003", "at_least = { stack_dated = 3 }", "at_least = { tier = 3 }"),
        ["MIG003.toml", "key 'escalate.at_least.tier'", "not a fact the check measures"],
    ),
    (
        "a yes/no fact given a bound",
        _shipped_with("OWN001", "at_most = { tier = 1 }", "at_most = { committed = 1 }"),
        ["OWN001.toml", "key 'escalate.at_most.committed'", "yes or no"],
    ),
    (
        "a number fact given as yes/no",
        _shipped_with("OWN001", 'when = ["committed"]', 'when = ["tier"]'),
        ["OWN001.toml", "key 'escalate.when'", "'tier' is a number"],
    ),
    (
        "a stack bound below two",
        _shipped_with("MIG003", "at_least = { stack_dated = 3 }", "at_least = { stack_size = 1 }"),
        ["MIG003.toml", "key 'escalate.at_least.stack_size'", "below 2"],
    ),
    (
        "an escalation with no condition",
        _shipped_with("REL003", 'when = ["budget_spent"]\n', ""),
        ["REL003.toml", "key 'escalate'", "names no condition"],
    ),
    (
        "an unknown key in an escalation",
        _shipped_with("MIG001", 'when = ["committed"]', "if_committed = true"),
        ["MIG001.toml", "unknown key 'escalate.if_committed'"],
    ),
    (
        "a per-check escalation parameter of old in a rule file",
        _shipped_with(
            "MIG003",
            "[escalate]\nto =",
            '[params.escalate_to]\nvalue = "high"\nsource = "old"\n\n[escalate]\nto =',
        ),
        ["MIG003.toml", "key 'params.escalate_to'", "unknown key", "[escalate] table"],
    ),
    (
        "a capacity line naming no parameter",
        _shipped_with("CAP001", 'capacity_line = "max_load"', 'capacity_line = "max_lod"'),
        ["CAP001.toml", "key 'capacity_line'", "'max_lod'", "did you mean 'max_load'"],
    ),
    (
        "item kind typo in a rule file",
        _shipped_with("MIG001", 'value = ["migration"]', 'value = ["migraton"]'),
        ["MIG001.toml", "key 'params.kinds", "'migraton'"],
    ),
    (
        "a threshold left out of a rule file",
        _shipped_with(
            "CAP001", "[params.max_load]\nvalue = 1.0\n", "[params.max_lode]\nvalue = 1.0\n"
        ),
        ["CAP001.toml", "key 'params.max_lode'", "unknown key", "did you mean 'max_load'"],
    ),
    (
        "a threshold missing from a rule file",
        _without_param("CAP002", "min_buffer"),
        ["CAP002.toml", "key 'params.min_buffer': field required"],
    ),
    (
        "grouping key typo in a rule file",
        _shipped_with("MIG003", 'value = ["team", "service"]', 'value = ["teams"]'),
        ["MIG003.toml", "key 'params.by", "'teams'"],
    ),
    (
        "folder named like a rule",
        lambda f: (f / "MIG001.toml").mkdir(),
        ["MIG001.toml: is a folder, not a rule file"],
    ),
    ("fifo as a rule file", _fifo, ["MIG001.toml: is not a regular file"]),
    (
        "/dev/zero link as a rule file",
        lambda f: (f / "MIG001.toml").symlink_to("/dev/zero"),
        ["MIG001.toml: is not a regular file"],
    ),
    (
        "rule file not named after its id",
        lambda f: (f / "custom.toml").write_text((builtin_rules_dir() / "MIG001.toml").read_text()),
        ["custom.toml: is in a rule folder but is not named after a rule id", "would never run"],
    ),
    (
        "id differs from the file name",
        lambda f: (f / "MIG009.toml").write_text((builtin_rules_dir() / "MIG001.toml").read_text()),
        ["MIG009.toml", "'MIG001' does not match the file name"],
    ),
    (
        "broken vocabulary",
        _vocabulary("[kinds.migration\n"),
        ["vocabulary.toml: is not valid TOML"],
    ),
    (
        "empty vocabulary",
        _vocabulary("# nothing yet\n"),
        ["vocabulary.toml: has no [kinds.NAME] tables"],
    ),
    (
        "vocabulary kind typo",
        _vocabulary('[kinds.migrashun]\nwords = ["x"]\n'),
        ["[kinds.migrashun] is not a kind", "did you mean 'migration'"],
    ),
    (
        "vocabulary words not a list",
        _vocabulary('[kinds.migration]\nwords = "x"\n'),
        ["key 'kinds.migration.words' must be a list of words"],
    ),
    (
        "vocabulary kind with no words",
        _vocabulary("[kinds.migration]\n"),
        ["key 'kinds.migration.words' must be a list of words"],
    ),
    (
        "fifo as a pack file",
        lambda f: os.mkfifo(f / "capacity.toml"),
        ["capacity.toml: is not a regular file"],
    ),
    (
        "folder as the vocabulary",
        lambda f: (f / "vocabulary.toml").mkdir(),
        ["vocabulary.toml: is a folder"],
    ),
    (
        "vocabulary not UTF-8",
        lambda f: (f / "vocabulary.toml").write_bytes(b"[kinds.migration]\nwords = ['\xe9']\n"),
        ["vocabulary.toml: is not UTF-8 text"],
    ),
]


@pytest.mark.parametrize(
    "case, make, words", RULE_FOLDER_CASES, ids=[c[0] for c in RULE_FOLDER_CASES]
)
def test_a_bad_rule_folder_is_one_line_naming_the_file(plan, tmp_path, case, make, words):
    folder = rule_folder(tmp_path)
    make(folder)
    code, err = invoke("audit", str(plan), "--rules", str(folder), "--format", "json")
    line = one_line(err)
    assert code == 2
    for word in words:
        assert word in line, (word, line)


def test_a_project_config_that_is_a_pipe_or_folder_is_named_not_skipped(plan, tmp_path):
    os.mkfifo(tmp_path / "roadmap-audit.toml")
    code, err = invoke("audit", str(plan), "--format", "json")
    assert code == 2 and "roadmap-audit.toml: is not a regular file" in one_line(err)
    (tmp_path / "roadmap-audit.toml").unlink()
    (tmp_path / "pyproject.toml").mkdir()
    code, err = invoke("audit", str(plan), "--format", "json")
    assert code == 2 and "pyproject.toml: is a folder, not a config file" in one_line(err)
    (tmp_path / "pyproject.toml").rmdir()
    (tmp_path / "c.toml").symlink_to("/dev/zero")
    code, err = invoke("audit", str(plan), "--format", "json", "--config", "c.toml")
    assert code == 2 and "c.toml: is not a regular file" in one_line(err)


def test_a_file_that_is_not_a_rule_folder_is_named(plan, tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    code, err = invoke("audit", str(plan), "--rules", "notes.txt", "--format", "json")
    assert code == 2 and "notes.txt: is not a folder" in one_line(err)


def test_a_missing_plan_is_not_found(plan, tmp_path):
    for name in ("nothere", "nothere.xlsx"):
        code, err = invoke("audit", name, "--format", "json")
        assert (
            code == 2
            and one_line(err) == f"roadmap-audit: error: {name}: not found (check the path)"
        )
    code, err = invoke("validate", str(plan), "--context", "teams-missing.xlsx")
    assert code == 2 and "teams-missing.xlsx: not found" in one_line(err)


def test_a_missing_config_file_is_not_found(plan):
    code, err = invoke("audit", str(plan), "--config", "nope.toml", "--format", "json")
    assert code == 2 and "nope.toml: config file not found" in one_line(err)


def test_debug_is_accepted_after_the_subcommand(plan):
    code, err = invoke("audit", str(plan), "--select", "MIG01", "--debug")
    assert code == 2 and "No such option" not in err and "--select 'MIG01' matches no rule" in err


def test_the_quarter_option_that_replaces_the_settings_sheet_says_so(plan):
    (plan / "settings.csv").write_text(
        "setting,value\nquarter,2026-Q3\nstart,2026-07-06\nend,2026-10-02\n"
    )
    result = CliRunner().invoke(main, ["validate", "plan", "--quarter", "2026-Q4"])
    assert result.exit_code == 0
    notes = [line for line in result.stdout.splitlines() if "--quarter" in line]
    assert notes == [
        "  plan Settings: --quarter 2026-Q4 (2026-10-01 to 2026-12-31) is used; the "
        "Settings sheet's quarter 2026-Q3, start 2026-07-06, end 2026-10-02 is not "
        "(drop --quarter to use the sheet's) [note]"
    ]
    same = CliRunner().invoke(
        main, ["validate", "plan", "--quarter", "2026-Q3"]
    )  # the sheet's own dates differ
    assert "Settings sheet's start 2026-07-06, end 2026-10-02 is not" in same.stdout
    plain = CliRunner().invoke(main, ["validate", "plan"])
    assert "--quarter" not in plain.stdout


def test_rules_list_into_a_closed_pipe_is_quiet(tmp_path):
    import subprocess
    import sys

    pipe = subprocess.run(
        f"{sys.executable} -m roadmap_audit rules list | head -1",
        shell=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert pipe.stdout.startswith("CAP001") and pipe.stderr == ""


def test_json_into_a_closed_pipe_is_quiet(plan):
    import subprocess
    import sys

    many = "key,title,team,estimate,priority,status\n" + "".join(
        f"A-{n},Checkout redesign part {n},busy,2,P2,\n" for n in range(3000)
    )
    (plan / "items.csv").write_text(many)
    pipe = subprocess.run(
        f"{sys.executable} -m roadmap_audit audit {plan} --format json | head -1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert pipe.stdout.strip() == "{" and "error" not in pipe.stderr, pipe.stderr


def test_shipped_rules_still_load_with_the_new_bounds():
    """Every shipped rule's values are inside its parameters' bounds (a bound must not break the pack)."""
    result = run_cli("rules", "list")
    assert result.returncode == 0 and len(result.stdout.splitlines()) >= 28
