"""The README's worked example of adding a rule is a rule that loads and a fixture that passes:
the files are read out of the README and run as the rule-fixture test runs a shipped rule."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from roadmap_audit.config import Config
from roadmap_audit.pipeline import Options, run

README = Path(__file__).resolve().parent.parent / "README.md"


def _example_files() -> dict[str, str]:
    """'path' -> text of every code block the 'Adding a rule' section introduces with `path`:."""
    text = README.read_text(encoding="utf-8")
    section = text.split("### Adding a rule", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"^`([^`\n]+)`:\n\n```\w+\n(.*?)^```", section, re.M | re.S)
    return dict(blocks)


def test_the_worked_example_is_a_rule_file_and_a_fixture_that_passes(tmp_path):
    files = _example_files()
    rule_path = next(p for p in files if p.startswith("rules/"))
    fixture = {p: t for p, t in files.items() if p.startswith("tests/fixtures/rules/")}
    rule_id = Path(rule_path).stem
    assert set(fixture) >= {f"tests/fixtures/rules/{rule_id}/expect.toml"}
    ours = tmp_path / "rules"
    ours.mkdir()
    (ours / Path(rule_path).name).write_text(files[rule_path])
    plan = tmp_path / "plan"
    plan.mkdir()
    for path, text in fixture.items():
        if path.endswith(".csv"):
            (plan / Path(path).name).write_text(text)
    expect = tomllib.loads(fixture[f"tests/fixtures/rules/{rule_id}/expect.toml"])
    audit = run(Options(plan=str(plan), config=Config(), rules_dirs=[str(ours)], select=[rule_id]))
    found = {(f.subject.kind, f.subject.id): f.severity for f in audit.findings}
    assert set(found) == {tuple(p) for p in expect["fires"]}
    assert not {tuple(p) for p in expect["silent"]} & set(found)
    for subject, severity in expect["severity"].items():
        assert found[("item", subject)] == severity, subject
    assert f"pytest -q tests/test_rule_fixtures.py -k {rule_id}" in README.read_text()
