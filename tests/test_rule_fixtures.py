"""One fixture per rule: a small plan where the rule fires on named subjects and
stays silent on others. `tests/fixtures/rules/<ID>/` holds the plan (CSV files
named after the sheets) and `expect.toml` the (kind, id) pairs. The check is exact: the
rule under test fires on the `fires` pairs and on nothing else."""

from __future__ import annotations

import shutil
import tomllib

import pytest

from roadmap_audit.checks import REGISTRY
from roadmap_audit.engine import builtin_rules_dir, load_rules

from .conftest import FIXTURES, audit_of, pairs

RULE_FIXTURES = FIXTURES / "rules"
RULE_IDS = sorted(p.stem for p in builtin_rules_dir().glob("*.toml") if p.stem[:1].isupper())


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_fires_and_stays_silent_on_named_subjects(rule_id, tmp_path):
    folder = RULE_FIXTURES / rule_id
    expect = tomllib.loads((folder / "expect.toml").read_text())
    plan = tmp_path / rule_id  # the plan alone: expect.toml is the test's, not a file of the plan
    plan.mkdir()
    for csv in folder.glob("*.csv"):
        shutil.copyfile(csv, plan / csv.name)
    audit = audit_of(plan, select=[rule_id])
    found = pairs(audit, rule_id)
    fires = {tuple(p) for p in expect["fires"]}
    silent = {tuple(p) for p in expect["silent"]}
    assert fires, "a fixture must name at least one subject the rule fires on"
    assert silent, "a fixture must name at least one subject the rule stays silent on"
    assert not (fires & silent), f"listed as both firing and silent: {sorted(fires & silent)}"
    assert fires <= found, f"missing: {sorted(fires - found)}"
    assert not (silent & found), f"should be silent on: {sorted(silent & found)}"
    # exact: a finding of this rule on a subject the fixture does not list is a failure too,
    # so an added false positive cannot pass unnoticed
    assert found == fires, f"fires on subjects the fixture does not list: {sorted(found - fires)}"
    by_subject = {f.subject.id: f.severity for f in audit.findings if f.rule == rule_id}
    for subject, severity in expect.get("severity", {}).items():
        assert by_subject.get(subject) == severity, subject
    for f in audit.findings:
        assert f.evidence and all(e.location for e in f.evidence)
        assert f.why and f.fix


def test_every_rule_has_a_fixture_and_every_fixture_a_rule():
    fixtures = sorted(p.name for p in RULE_FIXTURES.iterdir() if p.is_dir())
    assert fixtures == RULE_IDS


def test_every_check_kind_is_used_by_a_rule():
    used = {r.spec.check for r in load_rules([builtin_rules_dir()])}
    assert used == set(REGISTRY), f"unused check kinds: {sorted(set(REGISTRY) - used)}"
