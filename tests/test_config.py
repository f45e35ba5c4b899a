"""Config layering and rule-file validation: loud, one line, naming file and key."""

from __future__ import annotations

import shutil

import pytest

from roadmap_audit.config import load_config
from roadmap_audit.engine import builtin_rules_dir, load_rules, read_rule_file
from roadmap_audit.errors import InputError, RuleFileError

from .conftest import FIXTURES, audit_of, pairs, run_cli

CAP = FIXTURES / "rules" / "CAP001"


def test_project_file_then_explicit_config_then_command_line(tmp_path):
    (tmp_path / "roadmap-audit.toml").write_text(
        'select = ["CAP"]\n[rules.CAP001]\nmax_load = 2.0\n'
    )
    extra = tmp_path / "strict.toml"
    extra.write_text('[rules.CAP001]\nmax_load = 0.5\nseverity = "critical"\n')
    config = load_config(cwd=tmp_path)
    assert config.select == ["CAP"] and config.rules["CAP001"].params() == {"max_load": 2.0}
    both = load_config(extra, cwd=tmp_path)
    assert both.rules["CAP001"].params() == {"max_load": 0.5}
    assert both.origin == ["roadmap-audit.toml", str(extra)]
    # busy is at 113 %, calm at 31 %: max_load 2.0 silences CAP001; 0.5 fires on busy, as critical
    assert pairs(audit_of(CAP, config=config), "CAP001") == set()
    strict = audit_of(CAP, config=both)
    assert pairs(strict, "CAP001") == {("team", "busy")}
    assert {f.severity for f in strict.findings if f.rule == "CAP001"} == {"critical"}


def test_pyproject_section_is_read(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.roadmap-audit]\nignore = ["DQ"]\n')
    assert load_config(cwd=tmp_path).ignore == ["DQ"]


def test_command_line_select_wins_over_config(tmp_path):
    (tmp_path / "roadmap-audit.toml").write_text('select = ["ONC"]\n')
    result = run_cli("audit", str(CAP), "--select", "CAP001", "--format", "json", cwd=tmp_path)
    assert '"rule": "CAP001"' in result.stdout and '"rule": "ONC' not in result.stdout


def test_select_and_ignore_take_prefixes():
    ids = [
        r.id for r in load_rules([builtin_rules_dir()], select=["CAP", "MIG001"], ignore=["CAP003"])
    ]
    assert "CAP001" in ids and "MIG001" in ids and "CAP003" not in ids and "DQ001" not in ids


def test_unknown_config_key_names_the_key(tmp_path):
    bad = tmp_path / "c.toml"
    bad.write_text('selekt = ["CAP"]\n')
    with pytest.raises(InputError, match="selekt"):
        load_config(bad, cwd=tmp_path)


def test_config_for_a_rule_that_does_not_exist_is_an_error(tmp_path):
    with pytest.raises(RuleFileError, match="NOPE001"):
        load_rules([builtin_rules_dir()], {"NOPE001": {"severity": "high"}})


@pytest.mark.parametrize(
    "edit, key",
    [
        (lambda s: s + '\ncolour = "red"\n', "colour"),
        (lambda s: s.replace('severity = "high"', 'severity = "urgent"'), "severity"),
        (lambda s: s.replace('check = "team_load_above"', 'check = "no_such_check"'), "check"),
        (lambda s: s.replace("value = 1.0", 'value = "lots"', 1), "params.max_load"),
        (lambda s: s.replace("[params.max_load]", "[params.max_lode]"), "params.max_lode"),
        (lambda s: s.replace('source = "capacity is', 'sauce = "capacity is'), "params.max_load"),
    ],
)
def test_a_bad_rule_file_is_one_line_naming_the_file_and_key(tmp_path, edit, key):
    target = tmp_path / "CAP001.toml"
    target.write_text(edit((builtin_rules_dir() / "CAP001.toml").read_text()))
    with pytest.raises(RuleFileError) as err:
        read_rule_file(target)
    assert str(target) in err.value.line() and key in err.value.line()


def test_a_bad_rule_folder_exits_2_from_the_command_line(tmp_path):
    folder = tmp_path / "ours"
    folder.mkdir()
    (folder / "XYZ001.toml").write_text('id = "XYZ001"\n')
    result = run_cli("audit", str(CAP), "--rules", str(folder))
    assert (
        result.returncode == 2
        and "XYZ001.toml" in result.stderr
        and len(result.stderr.splitlines()) == 1
    )


def test_an_extra_rule_folder_adds_rules(tmp_path):
    folder = tmp_path / "ours"
    folder.mkdir()
    text = (
        (builtin_rules_dir() / "CAP001.toml").read_text().replace('id = "CAP001"', 'id = "OUR001"')
    )
    (folder / "OUR001.toml").write_text(text.replace("value = 1.0", "value = 0.1", 1))
    shutil.copy(builtin_rules_dir() / "vocabulary.toml", folder / "unused.txt")
    result = run_cli(
        "audit", str(CAP), "--rules", str(folder), "--select", "OUR", "--format", "json"
    )
    assert result.returncode == 0 and '"rule": "OUR001"' in result.stdout
