"""The collector during batch work: paused while a plan is read and audited, the work's objects
frozen only past FREEZE_PAST, and earlier frozen objects given back when a new plan is read."""

from __future__ import annotations

import gc

import pytest

from roadmap_audit import pipeline

from .conftest import SAMPLES


@pytest.fixture(autouse=True)
def _clean_collector():
    gc.unfreeze()
    pipeline.work_frozen = False
    enabled = gc.isenabled()
    yield
    gc.unfreeze()
    pipeline.work_frozen = False
    if enabled:
        gc.enable()


def test_paused_while_working_and_restored_after():
    assert gc.isenabled()
    with pipeline.batch_collections():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_left_disabled_when_the_caller_had_disabled_it():
    gc.disable()
    with pipeline.batch_collections():
        pass
    assert not gc.isenabled()


def test_restored_when_the_work_fails():
    with pytest.raises(ValueError), pipeline.batch_collections():
        raise ValueError("a broken plan")
    assert gc.isenabled()


def test_small_work_goes_back_to_the_collector(monkeypatch):
    monkeypatch.setattr(pipeline, "FREEZE_PAST", 1_000_000)
    with pipeline.batch_collections():
        made = [[i] for i in range(1_000)]
    assert gc.get_freeze_count() == 0
    assert not pipeline.work_frozen
    assert len(made) == 1_000


def test_large_work_is_frozen_and_a_new_plan_gives_it_back(monkeypatch):
    monkeypatch.setattr(pipeline, "FREEZE_PAST", 5_000)
    with pipeline.batch_collections():
        made = [[i] for i in range(20_000)]
    assert gc.get_freeze_count() >= 20_000
    assert pipeline.work_frozen
    with pipeline.batch_collections(fresh=True):
        assert gc.get_freeze_count() == 0  # the earlier work's objects are the collector's again
        assert not pipeline.work_frozen
    assert len(made) == 20_000


def test_an_audit_of_a_sample_plan_is_not_frozen():
    options = pipeline.Options(plan=str(SAMPLES / "northwind-2026-Q3.xlsx"))
    pipeline.run(options, pipeline.load(options))
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()


def test_the_html_writer_reads_that_the_work_is_frozen_without_counting_it(monkeypatch):
    """Counting frozen objects walks every one (Python 3.11): the page asks the batch instead, and
    leaves the batch's objects frozen as before."""
    from roadmap_audit.report.html import render_html

    options = pipeline.Options(plan=str(SAMPLES / "northwind-2026-Q3.xlsx"))
    audit = pipeline.run(options, pipeline.load(options))
    expected = render_html(audit)
    assert gc.get_freeze_count() == 0  # a small audit's page gives back what it froze
    monkeypatch.setattr(pipeline, "FREEZE_PAST", 5_000)
    with pipeline.batch_collections():
        made = [[i] for i in range(20_000)]
    frozen = gc.get_freeze_count()

    def counted() -> int:
        raise AssertionError("the frozen objects were counted")

    monkeypatch.setattr(gc, "get_freeze_count", counted)
    assert render_html(audit) == expected
    monkeypatch.undo()
    assert gc.get_freeze_count() >= frozen  # the batch's objects stay frozen
    assert len(made) == 20_000
