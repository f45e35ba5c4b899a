"""--context with a Backstage catalog: teams, org tree, headcount, services, owners, dependencies, tier.

The counts asserted on ../shared/real-context/backstage were taken by opening the files:
acme has 8 Groups (acme-corp organization, infrastructure department, backstage and
boxoffice sub-departments, team-a..team-d of type team); Users with memberOf: team-a 5
(breanna.davison, janelle.dawe, nigel.manning, guest, and guest in namespace development
writing group:default/team-a), team-b 5, team-c 5, team-d 2; 6 Components of type service
and 1 Resource (artists-db); playback-order is owned by user:guest; wayback-search consumes
the API wayback-archive, which the component wayback-archive provides.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from .conftest import SHARED, run_cli

BACKSTAGE = SHARED / "real-context" / "backstage"
real = pytest.mark.skipif(
    not BACKSTAGE.is_dir(), reason="../shared/real-context is not beside the project"
)


def _part(*paths):
    from roadmap_audit.load.context import read_context
    from roadmap_audit.model import Plan

    parts = [
        p for p in read_context([str(p) for p in paths], Plan(sources=[])) if p.kind == "backstage"
    ]
    assert len(parts) == 1
    return parts[0]


def _values(part, name, field):
    return part.team_values.get(name, {}).get(field) or part.service_values.get(name, {}).get(field)


@real
def test_acme_org_tree_teams_and_headcounts():
    part = _part(BACKSTAGE / "acme")
    assert sorted(t.team for t in part.teams) == ["team-a", "team-b", "team-c", "team-d"]
    assert {(u.unit, u.parent) for u in part.org} == {
        ("acme-corp", None),
        ("infrastructure", "acme-corp"),
        ("backstage", "infrastructure"),
        ("boxoffice", "infrastructure"),
    }
    heads = {name: v["headcount"].value for name, v in part.team_values.items()}
    assert heads == {"team-a": 5, "team-b": 5, "team-c": 5, "team-d": 2}
    parents = {name: v["parent"].value for name, v in part.team_values.items()}
    assert parents == {
        "team-a": "backstage",
        "team-b": "backstage",
        "team-c": "boxoffice",
        "team-d": "boxoffice",
    }
    cited = part.team_values["team-a"]["headcount"]
    assert cited.ref.source.endswith("acme/team-a-group.yaml")
    assert (cited.ref.key, cited.note) == ("Group team-a", "5 members")


@real
def test_acme_services_owners_and_dependencies():
    part = _part(BACKSTAGE / "acme")
    assert sorted(s.service for s in part.services) == [
        "artist-lookup",
        "artists-db",
        "playback-order",
        "wayback-archive",
        "wayback-archive-ingestion",
        "wayback-archive-storage",
        "wayback-search",
    ]
    owners = {n: v["owner_team"].value for n, v in part.service_values.items() if "owner_team" in v}
    assert owners == {
        "artist-lookup": "team-a",
        "artists-db": "team-a",
        "wayback-archive": "team-a",
        "wayback-archive-ingestion": "team-d",
        "wayback-archive-storage": "team-a",
        "wayback-search": "team-a",
    }
    deps = {n: v["depends_on"].value for n, v in part.service_values.items() if "depends_on" in v}
    assert deps == {"artist-lookup": ["artists-db"], "wayback-search": ["wayback-archive"]}
    assert not any(
        "tier" in v for v in part.service_values.values()
    )  # no label says it: never guessed
    problems = [i.problem for i in part.issues]
    assert any("playback-order is owned by a user, not a team" in p for p in problems)
    assert any(p.startswith("tier not stated") and "7 catalog services" in p for p in problems)


@real
def test_whole_backstage_folder_with_the_pagerduty_plugin_example():
    part = _part(BACKSTAGE)
    website = part.service_values["example-website"]
    assert website["owner_team"].value == "guests"
    assert website["pagerduty_service_id"].value == "PLOGA2F"
    assert any("owner guests names no Group" in i.problem for i in part.issues)
    assert len(part.teams) == 4


@real
def test_acme_through_the_audit_fills_teams_and_cites_the_catalog(tmp_path):
    from roadmap_audit.load import load_plan

    plan_dir = tmp_path / "plan"
    plan_dir.mkdir()
    (plan_dir / "items.csv").write_text("key,title,team,estimate\nA-1,Archive search,team-a,2\n")
    (plan_dir / "teams.csv").write_text("team,headcount\nteam-a,3\nteam-b,5\n")
    plan = load_plan(plan_dir, [BACKSTAGE / "acme"])
    teams = {t.team: t for t in plan.teams}
    assert teams["team-a"].headcount == 3  # typed wins
    assert teams["team-b"].headcount == 5
    assert teams["team-d"].headcount == 2 and teams["team-d"].parent == "boxoffice"
    assert teams["team-d"].cell("headcount").key == "Group team-d, 2 members"
    notes = [i.problem for i in plan.issues if i.subject_id == "team-a"]
    assert any("headcount of team-a: 3 typed" in n and "5 from" in n for n in notes), notes
    assert not [i for i in plan.issues if i.subject_id == "team-b" and "headcount" in i.problem]
    services = {s.service: s for s in plan.services}
    assert services["wayback-search"].depends_on == ["wayback-archive"]
    assert (
        services["wayback-search"]
        .cell("owner_team")
        .source.endswith("wayback-search-component.yaml")
    )


# ---------------------------------------------------------------- generated catalogs


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text))
    return path


def test_reference_forms_members_duplicates_and_owners(tmp_path):
    _write(
        tmp_path / "cat",
        "groups.yaml",
        """\
        apiVersion: backstage.io/v1alpha1
        kind: Group
        metadata: {name: payments}
        spec: {type: department, children: [ledger]}
        ---
        apiVersion: backstage.io/v1alpha1
        kind: Group
        metadata: {name: ledger}
        spec: {type: team, members: [user:default/zoe, ann], children: []}
        ---
        apiVersion: backstage.io/v1alpha1
        kind: Group
        metadata: {name: ledger}
        spec: {type: team, children: []}
        ---
        apiVersion: backstage.io/v1alpha1
        kind: Group
        metadata: {name: ghosts}
        spec: {type: team, children: []}
        """,
    )
    _write(
        tmp_path / "cat",
        "users.yaml",
        """\
        apiVersion: backstage.io/v1alpha1
        kind: User
        metadata: {name: ann}
        spec: {memberOf: [group:ledger]}
        ---
        apiVersion: backstage.io/v1alpha1
        kind: User
        metadata: {name: bob}
        spec: {memberOf: [group:default/ledger]}
        ---
        apiVersion: backstage.io/v1alpha1
        kind: User
        metadata: {name: cy}
        spec: {memberOf: [ledger, nowhere]}
        """,
    )
    _write(
        tmp_path / "cat" / "components",
        "svc.yaml",
        """\
        apiVersion: backstage.io/v1alpha1
        kind: Component
        metadata:
          name: ledger-api
          labels: {tier: "1"}
        spec: {type: service, owner: group:default/ledger, providesApis: [ledger], dependsOn: [resource:ledger-db]}
        ---
        apiVersion: backstage.io/v1alpha1
        kind: Component
        metadata: {name: checkout, tags: [tier-2]}
        spec: {type: service, owner: shop-team, consumesApis: [ledger, fx-rates]}
        ---
        apiVersion: backstage.io/v1alpha1
        kind: Component
        metadata: {name: ui-kit}
        spec: {type: library, owner: ledger}
        ---
        apiVersion: backstage.io/v1alpha1
        kind: Resource
        metadata: {name: ledger-db}
        spec: {type: database, owner: ledger}
        """,
    )
    part = _part(tmp_path / "cat")
    # ann (member and memberOf), zoe (members only), bob (namespaced ref), cy (bare ref): 4 people
    assert part.team_values["ledger"]["headcount"].value == 4
    assert (
        part.team_values["ledger"]["parent"].value == "payments"
    )  # from the parent's children list
    assert "headcount" not in part.team_values["ghosts"]  # no member: no headcount, never 0
    problems = " | ".join(i.problem for i in part.issues)
    assert "Group ledger is defined twice" in problems
    assert "1 User(s) are members of nowhere, which is no Group" in problems
    assert "owner shop-team names no Group" in problems
    assert "consumes the API fx-rates, which no component" in problems
    assert "no members in the catalog" in problems and "ghosts" in problems
    assert "1 Components that are not services or websites (library: ui-kit)" in problems
    assert _values(part, "checkout", "depends_on").value == ["ledger-api"]
    assert _values(part, "ledger-api", "depends_on").value == ["ledger-db"]
    assert (_values(part, "ledger-api", "tier").value, _values(part, "checkout", "tier").value) == (
        1,
        2,
    )
    assert _values(part, "ledger-api", "owner_team").value == "ledger"
    assert sorted(s.service for s in part.services) == ["checkout", "ledger-api", "ledger-db"]


def test_a_billion_laughs_catalog_is_refused_with_one_line(tmp_path):
    lines = [
        "apiVersion: backstage.io/v1alpha1",
        "kind: Group",
        "metadata: {name: x}",
        'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    ]
    for n in range(1, 10):
        lines.append(f"a{n}: &a{n} [" + ",".join([f"*a{n - 1}"] * 10) + "]")
    bomb = _write(tmp_path, "bomb.yaml", "\n".join(lines) + "\n")
    plan = _write(tmp_path, "items.csv", "key,title\nA-1,Something\n")
    result = run_cli("validate", str(plan), "--context", str(bomb))
    assert result.returncode == 2
    assert "billion laughs" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_unknown_yaml_is_exit_2_naming_what_it_is(tmp_path):
    other = _write(
        tmp_path, "deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
    )
    plan = _write(tmp_path, "items.csv", "key,title\nA-1,Something\n")
    result = run_cli("validate", str(plan), "--context", str(other))
    assert result.returncode == 2
    assert (
        "apiVersion apps/v1, kind Deployment" in result.stderr and "Traceback" not in result.stderr
    )
    bad = _write(tmp_path, "broken.yaml", "kind: [unclosed\n")
    result = run_cli("validate", str(plan), "--context", str(bad))
    assert result.returncode == 2 and "is not valid YAML" in result.stderr


def test_a_folder_notes_the_files_it_does_not_know(tmp_path):
    _write(
        tmp_path / "cat",
        "team.yaml",
        """\
        apiVersion: backstage.io/v1alpha1
        kind: Group
        metadata: {name: solo}
        spec: {type: team, members: [a, b]}
        """,
    )
    _write(tmp_path / "cat", "chart.yaml", "name: my-chart\nversion: 1.0.0\n")
    from roadmap_audit.load.context import read_context
    from roadmap_audit.model import Plan

    parts = read_context([str(tmp_path / "cat")], Plan(sources=[]))
    notes = [i for p in parts for i in p.issues]
    assert any(
        i.ref.source.endswith("chart.yaml") and i.problem.startswith("not read") for i in notes
    )
    assert [p for p in parts if p.kind == "backstage"][0].team_values["solo"][
        "headcount"
    ].value == 2


def test_the_harbor_sample_audit_with_its_context():
    import importlib.util

    from .conftest import SAMPLES, audit_of, rule_pairs

    harbor = SAMPLES / "harbor"
    with_pagerduty = importlib.util.find_spec("roadmap_audit.load.context.pagerduty") is not None
    context = (
        [harbor / "context"]
        if with_pagerduty
        else [harbor / "context" / "catalog", harbor / "context" / "slo"]
    )
    audit = audit_of(harbor / "plan", context=context)
    found = rule_pairs(audit)
    assert ("MIG001", "item", "HB-2") in found
    assert (
        "SLO005",
        "service",
        "berth-api",
    ) in found  # 99.95 % (OpenSLO) over manifest's 99.9 % (Sloth)
    assert ("SLO001", "service", "berth-db") in found  # tier 1 by its catalog label, no SLO
    assert ("SLO001", "service", "harbor-portal") not in found  # no tier stated: nothing guessed
    teams = {t.team: t for t in audit.teams}
    assert (teams["berth"].headcount, teams["cargo"].headcount, teams["tides"].headcount) == (
        6,
        4,
        5,
    )
    problems = [i["problem"] for i in audit.data_quality.issues]
    assert not any("has no headcount" in p for p in problems)  # the catalog gave it
    if with_pagerduty:
        assert ("CAP003", "team", "cargo") in found
        cap = next(f for f in audit.findings if f.rule == "CAP003" and f.subject.id == "cargo")
        assert any(
            e.source.endswith("pagerduty/incidents.json") and "pages_per_week 11" in (e.note or "")
            for e in cap.evidence
        )
        assert any(p.startswith("pages_per_week of berth: 5 typed, but 18 from") for p in problems)
        assert (
            "CAP003",
            "team",
            "berth",
        ) not in found  # the typed 5 pages a week is what the audit used


def test_template_from_a_plan_and_its_catalog_starts_the_teams_sheet(tmp_path):
    from roadmap_audit.load import load_plan

    from .conftest import SAMPLES

    harbor = SAMPLES / "harbor"
    out = tmp_path / "context.xlsx"
    result = run_cli(
        "template",
        str(out),
        "--from",
        str(harbor / "plan" / "items.csv"),
        "--context",
        str(harbor / "context" / "catalog"),
        "--context",
        str(harbor / "context" / "slo"),
    )
    assert result.returncode == 0, result.stderr
    plan = load_plan(harbor / "plan" / "items.csv", [out])
    assert {(t.team, t.headcount, t.parent) for t in plan.teams} == {
        ("berth", 6, "platform"),
        ("cargo", 4, "platform"),
        ("tides", 5, "platform"),
    }
    services = {s.service: s for s in plan.services}
    assert (
        services["berth-api"].owner_team,
        services["berth-api"].tier,
        services["berth-api"].slo,
    ) == ("berth", 1, 0.9995)
    assert services["berth-api"].depends_on == ["berth-db", "manifest"]
    assert services["harbor-portal"].tier is None  # the catalog does not state it
    assert not plan.issues


def test_context_table_in_the_config_reads_the_catalog_and_refuses_bad_keys(tmp_path):
    from roadmap_audit.config import Config
    from roadmap_audit.errors import InputError

    from .conftest import SAMPLES, audit_of

    harbor = SAMPLES / "harbor"
    config = Config().merged(
        {"context": {"files": [str(harbor / "context" / "catalog")], "window_weeks": 8}},
        "roadmap-audit.toml",
    )
    assert config.context.window_weeks == 8 and config.context.tolerance == 0.1
    audit = audit_of(harbor / "plan", config=config)
    assert {t.team: t.headcount for t in audit.teams} == {"berth": 6, "cargo": 4, "tides": 5}
    with pytest.raises(InputError, match="window_weeks"):
        Config().merged({"context": {"window_weeks": 0}}, "roadmap-audit.toml")
    with pytest.raises(InputError, match="unknown key 'context.file'"):
        Config().merged({"context": {"file": ["x"]}}, "roadmap-audit.toml")


@pytest.mark.parametrize("tag", ["tier-7", "tier_0"])
def test_a_tier_tag_outside_1_to_4_is_a_note_not_a_crash(tmp_path, tag):
    path = _write(
        tmp_path,
        "catalog-info.yaml",
        f"""\
        apiVersion: backstage.io/v1alpha1
        kind: Component
        metadata: {{name: ledger, tags: [{tag}, other]}}
        spec: {{type: service, owner: team-a, lifecycle: production}}
        """,
    )
    part = _part(path)
    assert _values(part, "ledger", "tier") is None
    assert [i.problem for i in part.issues if "tier" in i.problem] == [
        f"Component ledger: tag {tag}: 'tier {tag[-1]}' is not a tier (use 1-4); no tier was taken"
    ]  # and no "tier not stated" besides: it was stated, and could not be read
