"""-o never loses a file: an input of the run is refused before anything is read, a
device or pipe is written to (never replaced), an extension the tool does not write is
refused naming the formats, and a folder that cannot take the report is one line."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading

import pytest
from click.testing import CliRunner

from roadmap_audit.cli import main

ITEMS = "key,title,team,estimate,priority,status\nA-1,Checkout redesign,busy,20,P2,\nB-1,Profile page,calm,5,P2,\n"
TEAMS = "team,headcount\nbusy,5\ncalm,5\n"


@pytest.fixture
def work(tmp_path, monkeypatch):
    """A plan CSV, a context CSV and a config file in a fresh working folder."""
    (tmp_path / "plan.csv").write_text(ITEMS)
    (tmp_path / "teams.csv").write_text(TEAMS)
    (tmp_path / "c.toml").write_text('ignore = ["DQ"]\n')
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args: str):
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stderr.strip()


def unchanged(work) -> bool:
    return (
        (work / "plan.csv").read_text() == ITEMS
        and (work / "teams.csv").read_text() == TEAMS
        and (work / "c.toml").read_text() == 'ignore = ["DQ"]\n'
    )


@pytest.mark.parametrize(
    "target, make, words",
    [
        (
            "plan.csv",
            None,
            "plan.csv: the report cannot be written as '.csv' (it is written as .html, .json, .md, "
            ".txt, .xlsx)",
        ),
        ("teams.csv", "--format", "teams.csv: the report cannot be written as '.csv'"),
        ("c.toml", "--format", "c.toml: is an input of this run"),
        (
            "hard.html",
            "hardlink-plan",
            "hard.html: is the same file as plan.csv, an input of this run",
        ),
        (
            "soft.html",
            "symlink-config",
            "soft.html: is the same file as c.toml, an input of this run",
        ),
        (
            "hard.json",
            "hardlink-context",
            "hard.json: is the same file as teams.csv, an input of this run",
        ),
        ("roadmap-audit.toml", "--format", "roadmap-audit.toml: is an input of this run"),
    ],
)
def test_the_report_never_replaces_an_input(work, target, make, words):
    if make == "hardlink-plan":
        os.link(work / "plan.csv", work / target)
    elif make == "hardlink-context":
        os.link(work / "teams.csv", work / target)
    elif make == "symlink-config":
        (work / target).symlink_to(work / "c.toml")
    if target == "roadmap-audit.toml":
        (work / target).write_text("")
    fmt = ["--format", "json"] if make == "--format" else []
    code, err = invoke(
        "audit", "plan.csv", "--context", "teams.csv", "--config", "c.toml", "-o", target, *fmt
    )
    assert code == 2 and len(err.splitlines()) == 1 and words in err, err
    assert unchanged(work)
    assert not [p for p in work.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_the_output_is_checked_before_anything_is_read(work):
    """A broken config and a missing rule folder are not reached: -o is refused first."""
    (work / "c.toml").write_text("not toml [")
    os.link(work / "plan.csv", work / "r.json")
    code, err = invoke(
        "audit", "plan.csv", "--config", "c.toml", "--rules", "nowhere", "-o", "r.json"
    )
    assert code == 2 and "r.json: is the same file as plan.csv" in err
    assert (work / "plan.csv").read_text() == ITEMS


def test_a_workbook_plan_is_never_replaced_by_its_xlsx_report(work):
    from roadmap_audit.template import write_template

    write_template(work / "plan.xlsx")
    before = (work / "plan.xlsx").read_bytes()
    code, err = invoke("audit", "plan.xlsx", "-o", "plan.xlsx")
    assert code == 2 and err == (
        "roadmap-audit: error: plan.xlsx: is an input of this run: writing the report there "
        "would replace it (choose another -o path; nothing was read or written)"
    )
    assert (work / "plan.xlsx").read_bytes() == before


def test_an_output_inside_a_plan_folder_that_is_a_plan_file_is_refused(tmp_path, monkeypatch):
    folder = tmp_path / "plan"
    folder.mkdir()
    (folder / "items.csv").write_text(ITEMS)
    os.link(folder / "items.csv", tmp_path / "copy.md")
    monkeypatch.chdir(tmp_path)
    code, err = invoke("audit", "plan", "-o", "copy.md")
    assert code == 2 and "copy.md: is the same file as plan/items.csv" in err
    assert (folder / "items.csv").read_text() == ITEMS


def test_diff_never_replaces_either_plan(work):
    os.link(work / "plan.csv", work / "same.json")
    code, err = invoke("diff", "plan.csv", "teams.csv", "-o", "same.json")
    assert (
        code == 2
        and "same.json: is the same file as plan.csv, an input of this run" in err
        and unchanged(work)
    )


@pytest.mark.parametrize("name", ["r.csv", "r.xls", "r.xlsm", "r.tsv", "r.htmll", "r.pdf"])
def test_an_extension_the_tool_does_not_write_is_refused_naming_the_formats(work, name):
    code, err = invoke("audit", "plan.csv", "-o", name)
    assert code == 2
    suffix = os.path.splitext(name)[1]
    hint = "; or give --format for another extension" if suffix == ".htmll" else ""
    assert err == (
        f"roadmap-audit: error: {name}: the report cannot be written as '{suffix}' "
        f"(it is written as .html, .json, .md, .txt, .xlsx{hint})"
    )
    assert not (work / name).exists()


def test_an_unknown_extension_with_a_format_is_written(work):
    code, _ = invoke("audit", "plan.csv", "-o", "report.log", "--format", "text")
    assert code == 0 and (work / "report.log").read_text().startswith("Roadmap audit")


def test_a_folder_that_cannot_take_the_report_is_one_line(work):
    code, err = invoke("audit", "plan.csv", "-o", "/proc/x.html")
    assert (
        code == 2
        and err
        == "roadmap-audit: error: /proc/x.html: cannot write the report (No such file or directory)"
    )
    code, err = invoke("audit", "plan.csv", "-o", "nofolder/x.html")
    assert (
        code == 2
        and err == "roadmap-audit: error: nofolder/x.html: the output folder does not exist"
    )
    (work / "out").mkdir()
    code, err = invoke("audit", "plan.csv", "-o", "out")
    assert code == 2 and "out: is a folder" in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
def test_a_read_only_folder_is_one_line(work):
    (work / "ro").mkdir()
    (work / "ro").chmod(0o500)
    code, err = invoke("audit", "plan.csv", "-o", "ro/x.html")
    assert (
        code == 2
        and err == "roadmap-audit: error: ro/x.html: cannot write the report (Permission denied)"
    )


def test_a_fifo_is_written_to_not_replaced(work):
    fifo = work / "pipe.md"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    code, err = invoke("audit", "plan.csv", "-o", "pipe.md")
    reader.join(timeout=60)
    assert code == 0, err
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # still a pipe, not a regular file
    assert got and got[0].startswith(b"# Roadmap audit")


def test_a_device_stays_a_device(work):
    """Through a link, so that a writer that replaced its target would replace only the
    link in the test folder, never the machine's /dev/null (the test may run as root)."""
    (work / "null.html").symlink_to("/dev/null")
    before = os.stat("/dev/null")
    code, err = invoke("audit", "plan.csv", "-o", "null.html")
    after = os.stat("/dev/null")
    assert code == 0 and "report written to null.html" in err
    assert (work / "null.html").is_symlink() and stat.S_ISCHR(os.stat(work / "null.html").st_mode)
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (
        before.st_ino,
        before.st_rdev,
    )
    assert not [p for p in work.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("redirect", ["pipe", "file"])
def test_dev_stdout_works(work, redirect):
    args = [
        sys.executable,
        "-m",
        "roadmap_audit",
        "audit",
        "plan.csv",
        "-o",
        "/dev/stdout",
        "--format",
        "json",
    ]
    if redirect == "pipe":
        out = subprocess.run(args, capture_output=True, text=True, timeout=120)
        assert out.returncode == 0 and out.stdout.startswith("{"), out.stderr
    else:
        with open(work / "captured.json", "w") as fh:
            out = subprocess.run(args, stdout=fh, stderr=subprocess.PIPE, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        assert (work / "captured.json").read_text().startswith("{")


def test_a_link_to_a_report_replaces_the_report_not_the_link(work):
    (work / "real.html").write_text("old report")
    (work / "link.html").symlink_to(work / "real.html")
    code, _ = invoke("audit", "plan.csv", "-o", "link.html")
    assert code == 0 and (work / "link.html").is_symlink()
    assert (work / "real.html").read_text().startswith("<!DOCTYPE html>")
