"""--context with SLO specs: OpenSLO v1/v1alpha, Sloth, Pyrra, slo-generator.

Counted by opening ../shared/real-context/slo: OpenSLO SLOs name the services web (v1
web-availability 0.995 over 1w; v1alpha web-latency-threshold 0.98 and web-availability-ratio
0.995, 1 Week), web-shop (search-slo 0.99 and main-page 0.99, 2w), web-availability
(service-availability 0.995/0.99 over "1m" and the low-traffic one 0.9995 over 1w); Sloth:
myservice 99.9 (owner myteam, tier 2, in three files), myservice2 99.99 (myteam2, tier 1),
myapp 99.99 (myteam), home-wifi 95 and 99.9; 15 Pyrra SLOs with no service label (caddy
"90" over 4w, coredns 99.99, prometheus-operator-http-errors 99.5, reconcile 95, rule
evaluation 99.99, the rest 99, all 2w); slo-generator: gae 0.95 and 0.999, prom 0.999 and
0.9999, and a shared config with no SLO.
"""

from __future__ import annotations

import textwrap

import pytest

from .conftest import SHARED

SLO = SHARED / "real-context" / "slo"
real = pytest.mark.skipif(
    not SLO.is_dir(), reason="../shared/real-context is not beside the project"
)


def _part(*paths):
    from roadmap_audit.load.context import read_context
    from roadmap_audit.model import Plan

    parts = [p for p in read_context([str(p) for p in paths], Plan(sources=[])) if p.kind == "slo"]
    assert len(parts) == 1
    return parts[0]


def _slos(part):
    return {name: round(v["slo"].value, 6) for name, v in part.service_values.items() if "slo" in v}


@real
def test_every_real_slo_file_gives_its_services_targets():
    part = _part(SLO)
    slos = _slos(part)
    assert {
        k: slos[k]
        for k in (
            "web",
            "web-shop",
            "web-availability",
            "myservice",
            "myservice2",
            "myapp",
            "home-wifi",
            "gae",
            "prom",
        )
    } == {
        "web": 0.995,
        "web-shop": 0.99,
        "web-availability": 0.9995,
        "myservice": 0.999,
        "myservice2": 0.9999,
        "myapp": 0.9999,
        "home-wifi": 0.999,
        "gae": 0.999,
        "prom": 0.9999,
    }
    pyrra = {
        k: v
        for k, v in slos.items()
        if k
        not in (
            "web",
            "web-shop",
            "web-availability",
            "myservice",
            "myservice2",
            "myapp",
            "home-wifi",
            "gae",
            "prom",
        )
    }
    assert len(pyrra) == 15
    assert (
        pyrra["caddy-response-latency"],
        pyrra["coredns-response-errors"],
        pyrra["prometheus-operator-reconcile-errors"],
        pyrra["kubelet-request-errors"],
    ) == (0.9, 0.9999, 0.95, 0.99)
    assert len(slos) == 24
    assert all(
        v["slo_measured"].value is True for v in part.service_values.values() if "slo_measured" in v
    )


@real
def test_windows_budgets_owners_and_tiers():
    values = _part(SLO).service_values
    assert values["myservice"]["owner_team"].value == "myteam"
    assert values["myservice"]["tier"].value == 2
    assert (
        values["myservice2"]["owner_team"].value == "myteam2"
        and values["myservice2"]["tier"].value == 1
    )
    assert (
        values["myservice"]["error_budget"].value == "43.2 minutes per 30 days"
    )  # Sloth's default 30 days
    assert values["web"]["error_budget"].value == "50.4 minutes per 7 days"
    assert values["caddy-response-latency"]["error_budget"].value == "67.2 hours per 28 days"
    assert "error_budget" not in values["gae"]  # slo-generator states no window: no budget invented
    assert values["web"]["slo"].ref.key == "SLO web-availability"
    assert "owner_team" not in values["web"]  # its labels name two teams


@real
def test_an_openslo_window_in_minutes_is_not_read_as_a_month():
    part = _part(SLO / "openslo_budgeting_timeslices-slo.yaml")
    values = part.service_values["web-availability"]
    assert values["slo"].value == 0.995
    assert "error_budget" not in values
    assert any("window 1m is under a day" in i.problem for i in part.issues)


@real
def test_reference_files_alone_give_no_target():
    part = _part(SLO / "openslo_v1_services.yaml", SLO / "slogen_config.yaml")
    assert part.service_values == {}
    assert any("no SLO with a service" in i.problem for i in part.issues)


def test_indicator_refs_across_files_and_bad_targets(tmp_path):
    (tmp_path / "sli.yaml").write_text(
        textwrap.dedent("""\
        apiVersion: openslo/v1
        kind: SLI
        metadata: {name: checkout-ok}
        spec:
          ratioMetric:
            good: {metricSource: {type: Prometheus, spec: {query: sum(ok)}}}
            total: {metricSource: {type: Prometheus, spec: {query: sum(all)}}}
        """)
    )
    (tmp_path / "slo.yaml").write_text(
        textwrap.dedent("""\
        apiVersion: openslo/v1
        kind: SLO
        metadata: {name: checkout-availability, labels: {team: [payments]}}
        spec:
          service: checkout
          indicatorRef: checkout-ok
          timeWindow: [{duration: 28d, isRolling: true}]
          budgetingMethod: Occurrences
          objectives: [{target: 0.999}]
        ---
        apiVersion: openslo/v1
        kind: SLO
        metadata: {name: ledger-availability}
        spec:
          service: ledger
          indicatorRef: nowhere
          timeWindow: [{duration: 1M, isRolling: false}]
          objectives: [{target: 99.9}]
        """)
    )
    (tmp_path / "sloth.yaml").write_text(
        textwrap.dedent("""\
        version: prometheus/v1
        service: search
        labels: {owner: discovery}
        slos:
          - name: requests
            objective: 120
            sli: {events: {error_query: sum(err), total_query: sum(all)}}
        """)
    )
    part = _part(tmp_path)
    checkout = part.service_values["checkout"]
    assert checkout["slo"].value == 0.999 and checkout["slo_measured"].value is True
    assert checkout["owner_team"].value == "payments"
    assert checkout["error_budget"].value == "40.3 minutes per 28 days"
    problems = " | ".join(i.problem for i in part.issues)
    assert "no objective has a target between 0 and 1" in problems  # 99.9 where OpenSLO wants 0.999
    assert "indicatorRef nowhere is no SLI" in problems
    assert "objective 120 is not a percentage below 100" in problems
    assert "slo" not in part.service_values.get("search", {})
    assert part.service_values["search"]["owner_team"].value == "discovery"


def test_a_typed_slo_wins_and_a_different_derived_one_is_noted(tmp_path):
    from roadmap_audit.load import load_plan

    plan = tmp_path / "plan"
    plan.mkdir()
    (plan / "items.csv").write_text("key,title,team\nA-1,Search relevance,discovery\n")
    (plan / "services.csv").write_text(
        "service,owner_team,slo\nsearch,discovery,99.95%\nindex,discovery,99.9\n"
    )
    slo = tmp_path / "slo"
    slo.mkdir()
    for name, objective in (("search", 99.9), ("index", 99.9)):
        (slo / f"{name}.yaml").write_text(
            f"version: prometheus/v1\nservice: {name}\nslos:\n  - name: ok\n    objective: {objective}\n"
            "    sli: {events: {error_query: sum(e), total_query: sum(t)}}\n"
        )
    loaded = load_plan(plan, [slo])
    services = {s.service: s for s in loaded.services}
    assert services["search"].slo == pytest.approx(0.9995)
    assert services["search"].slo_measured is True  # empty in the sheet: filled from Sloth
    assert services["search"].cell("slo_measured").source.endswith("search.yaml")
    notes = [i.problem for i in loaded.issues if i.subject_id == "search"]
    assert any("slo of search" in n and "99.9%" not in n.split(" but ")[0] for n in notes), notes
    assert not [i for i in loaded.issues if i.subject_id == "index" and "slo of" in i.problem]
    assert services["index"].extra["error_budget"] == "43.2 minutes per 30 days"
