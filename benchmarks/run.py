"""Time roadmap-audit at org scale, against the cost of merely reading the same file.

    python benchmarks/run.py                       # 10k, 50k, 100k items, both profiles, 100k Jira rows
    python benchmarks/run.py --sizes 10000         # a quicker look
    python benchmarks/run.py --profiles realistic  # one profile (stress: every team far over capacity)
    python benchmarks/run.py --rounds 3            # the median of 3 interleaved rounds

Each measurement runs in a fresh process (so peak memory is its own), timed in CPU
seconds (the process's own time: on a shared machine, wall time is mostly the
neighbours'). For every size and profile it times each phase of the audit of the
plan workbook (load, derive, forecast, rules, score, writing the HTML report,
writing the JSON report), and in the same run three baselines reading every cell of
the same workbook: openpyxl in read-only mode as installed (with defusedxml),
openpyxl with defusedxml blocked, and python-calamine (when installed). A Jira CSV
export of the 100k plan is audited against the csv module reading every row.

The HTML audit is what `roadmap-audit audit PLAN` does: load to the written HTML
report; the JSON audit is the same run to the written JSON report (`--format json`).
Both are the same process: its phases are shared, only the writing differs. It prints
Markdown tables (to paste into the README) and writes benchmarks/results/latest.json.
It also times 10,000 runs of the delivery forecast on the Northwind sample plan;
`--forecast-only` measures just that.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
RESULTS = HERE / "results"
SAMPLE = HERE.parent / "sample_plans" / "northwind-2026-Q3.xlsx"
TEAMS_FOR = {1000: 30, 10000: 100, 20000: 300, 50000: 300, 100000: 500}
PHASES = ("load", "derive", "forecast", "rules", "score", "render_html", "render_json")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> float:
    return time.process_time()


def measure_baseline_xlsx(path: Path) -> dict:
    """openpyxl read-only reading every cell, as installed (with defusedxml when it is)."""
    import openpyxl
    from openpyxl.xml import DEFUSEDXML

    start = _cpu()
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    cells = 0
    for ws in wb.worksheets:
        ws.reset_dimensions()  # the fastest honest read: no second pass to size the sheet
        for row in ws.iter_rows(values_only=True):
            cells += len(row)
    wb.close()
    return {
        "seconds": _cpu() - start,
        "cells": cells,
        "defusedxml": DEFUSEDXML,
        "peak_mb": _peak_mb(),
    }


def measure_baseline_xlsx_plain(path: Path) -> dict:
    """The same read with defusedxml blocked: openpyxl's own XML parsing, unguarded."""
    os.environ["OPENPYXL_DEFUSEDXML"] = "False"
    sys.modules["defusedxml"] = None  # type: ignore[assignment]  # importing it now fails
    return measure_baseline_xlsx(path)


def measure_baseline_calamine(path: Path) -> dict:
    """python-calamine (Rust) reading every cell of every sheet into Python values."""
    from python_calamine import CalamineWorkbook

    start = _cpu()
    wb = CalamineWorkbook.from_path(str(path))
    cells = 0
    for name in wb.sheet_names:
        cells += sum(len(row) for row in wb.get_sheet_by_name(name).to_python())
    return {"seconds": _cpu() - start, "cells": cells, "peak_mb": _peak_mb()}


def measure_baseline_csv(path: Path, repeats: int = 3) -> dict:
    """The best of three reads of every row: one read of 100k rows takes about a second."""
    import csv

    best, rows = float("inf"), 0
    for _ in range(repeats):
        start = _cpu()
        with path.open(newline="", encoding="utf-8") as fh:
            rows = sum(1 for _ in csv.reader(fh))
        best = min(best, _cpu() - start)
    return {"seconds": best, "rows": rows, "peak_mb": _peak_mb()}


def measure_audit(path: Path) -> dict:
    import tempfile

    from roadmap_audit.pipeline import Options, load, run
    from roadmap_audit.report import stream, write_atomic

    phases: dict[str, float] = {}
    current: dict = {"name": None, "start": 0.0}

    def on_phase(name: str) -> None:
        now = _cpu()
        if current["name"]:
            phases[current["name"]] = phases.get(current["name"], 0.0) + now - current["start"]
        current.update(name=name, start=now)

    options = Options(plan=str(path))
    wall = time.perf_counter()
    on_phase("load")
    plan = load(options)
    audit = run(options, plan, on_phase=on_phase)
    with tempfile.TemporaryDirectory() as out:  # written the way the command line writes them
        html, js = Path(out) / "audit.html", Path(out) / "audit.json"
        on_phase("render_html")
        write_atomic(html, stream("html", audit))
        on_phase("render_json")
        write_atomic(js, stream("json", audit))
        on_phase("end")
        sizes = {"html_mb": html.stat().st_size / 1e6, "json_mb": js.stat().st_size / 1e6}
    shared = sum(v for k, v in phases.items() if not k.startswith("render"))
    return {
        "phases": phases,
        "html_s": shared + phases["render_html"],  # roadmap-audit audit PLAN
        "json_s": shared + phases["render_json"],  # roadmap-audit audit PLAN --format json
        "wall_s": time.perf_counter() - wall,
        "items": len(plan.items),
        "findings": len(audit.findings),
        "forecast_runs": audit.forecast.runs if audit.forecast else 0,
        "forecast_runs_asked": audit.forecast.runs_asked if audit.forecast else 0,
        **sizes,
        "peak_mb": _peak_mb(),
    }


def measure_forecast(path: Path, runs: int = 10_000) -> dict:
    """The delivery forecast alone: `runs` simulated quarters of one plan (load and derive not timed)."""
    from roadmap_audit.analyze.facts import Vocabulary, derive, load_params
    from roadmap_audit.analyze.forecast import forecast, runs_for
    from roadmap_audit.pipeline import Options, forecast_params, load, pack_file, rule_dirs

    options = Options(plan=str(path))
    dirs = rule_dirs([], options.config)
    capacity, _ = load_params(pack_file(dirs, "capacity.toml"), {})
    facts = derive(
        load(options), capacity, Vocabulary.from_file(pack_file(dirs, "vocabulary.toml")[-1])
    )
    _ = facts.open_graph  # built once per run for the dependency rules too; not the forecast's cost
    params = forecast_params(dirs, options.config).model_copy(
        update={"runs": runs, "max_item_runs": 10**12}
    )
    start = time.perf_counter()
    result = forecast(facts, params)
    seconds = time.perf_counter() - start
    return {
        "plan": path.name,
        "items": len(result.items),
        "teams": len(result.teams),
        "runs": result.runs,
        "seconds": seconds,
        "us_per_item_run": 1e6 * seconds / max(1, runs * len(result.items)),
        "default_runs": runs_for(params.model_copy(update={"runs": 1000}), len(result.items)),
    }


def _in_fresh_process(kind: str, path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--one", kind, str(path)], capture_output=True, text=True
    )
    if out.returncode != 0:
        return {"error": (out.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(out.stdout)


def _compile_package() -> None:
    """The package's bytecode, compiled once as `pip install` does for an installed copy: with
    PYTHONDONTWRITEBYTECODE set (or an editable install never run before), every fresh process
    would otherwise compile each module it imports again, about 0.1 s the user does not pay."""
    import compileall

    import roadmap_audit

    compileall.compile_dir(Path(roadmap_audit.__file__).parent, quiet=1)


def _startup(args: list[str], runs: int = 5) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "roadmap_audit", *args], capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


def _median(rounds: list[dict]) -> dict:
    """Each figure's median over the rounds (peak memory: the largest); an error wins."""
    for r in rounds:
        if "error" in r:
            return r
    out: dict = {}
    for key, first in rounds[0].items():
        values = [r[key] for r in rounds]
        if isinstance(first, dict):
            out[key] = _median(values)
        elif isinstance(first, bool) or not isinstance(first, (int, float)):
            out[key] = first
        else:
            out[key] = max(values) if key == "peak_mb" else statistics.median(values)
    return out


BASELINES = {
    "xlsx": ("baseline_xlsx", "baseline_xlsx_plain", "baseline_calamine"),
    "jira csv": ("baseline_csv",),
}


def _plans(size: int, profile: str) -> tuple[Path, Path]:
    """The generated workbook and Jira CSV of a size and profile, made once and kept under a
    name that changes whenever the generator does."""
    sys.path.insert(0, str(HERE))
    from generate import build, write_jira_csv, write_xlsx

    version = hashlib.sha256((HERE / "generate.py").read_bytes()).hexdigest()[:8]
    xlsx = DATA / f"plan-{size}-{profile}-{version}.xlsx"
    jira = DATA / f"plan-{size}-{profile}-{version}-jira.csv"
    if not xlsx.exists() or not jira.exists():
        print(f"generating {size} items ({profile}) ...", file=sys.stderr)
        sheets = build(size, TEAMS_FOR.get(size, max(30, size // 200)), profile=profile)
        write_xlsx(sheets, xlsx)
        write_jira_csv(sheets, jira)
    return xlsx, jira


def main() -> None:
    parser = argparse.ArgumentParser(description="roadmap-audit benchmark")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 50000, 100000])
    parser.add_argument(
        "--profiles",
        nargs="+",
        choices=("realistic", "stress"),
        default=["realistic", "stress"],
        help="stress: every item sized in weeks, every team far over capacity (the worst case); "
        "realistic: each team's plan 60-130%% of its capacity",
    )
    parser.add_argument(
        "--jira-sizes", type=int, nargs="*", default=[100000], help="Jira CSV rows (stress plan)"
    )
    parser.add_argument("--rounds", type=int, default=1, help="interleaved rounds (median)")
    parser.add_argument("--one", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument(
        "--forecast-only",
        action="store_true",
        help="Only time 10,000 forecast runs of the Northwind sample plan.",
    )
    args = parser.parse_args()
    if args.one:
        kind, path = args.one
        fn = {
            "baseline_xlsx": measure_baseline_xlsx,
            "baseline_xlsx_plain": measure_baseline_xlsx_plain,
            "baseline_calamine": measure_baseline_calamine,
            "baseline_csv": measure_baseline_csv,
            "audit": measure_audit,
            "forecast": measure_forecast,
        }[kind]
        print(json.dumps(fn(Path(path))))
        return
    if args.forecast_only:
        print_forecast(_in_fresh_process("forecast", SAMPLE))
        return

    DATA.mkdir(exist_ok=True)
    RESULTS.mkdir(exist_ok=True)
    _compile_package()
    jobs = []  # (profile, items, input, path)
    for profile in args.profiles:
        for size in args.sizes:
            jobs.append((profile, size, "xlsx", _plans(size, profile)[0]))
    for size in args.jira_sizes:
        jobs.append(("stress", size, "jira csv", _plans(size, "stress")[1]))
    measured: dict[int, list[dict]] = {n: [] for n in range(len(jobs))}
    for round_ in range(args.rounds):
        for n, (profile, size, kind, path) in enumerate(jobs):
            print(f"round {round_ + 1}: {size} items, {profile}, {kind} ...", file=sys.stderr)
            runs = {"audit": _in_fresh_process("audit", path)}
            for base in BASELINES[kind]:
                runs[base] = _in_fresh_process(base, path)
            measured[n].append(runs)
    rows = []
    for n, (profile, size, kind, _) in enumerate(jobs):
        row = {"profile": profile, "items": size, "teams": TEAMS_FOR.get(size), "input": kind}
        for name in measured[n][0]:
            row[name] = _median([r[name] for r in measured[n]])
        rows.append(row)
    result = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg(),
        },
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "rounds": args.rounds,
        "startup": {"help_s": _startup(["--help"]), "rules_list_s": _startup(["rules", "list"])},
        "rows": rows,
        "forecast": _in_fresh_process("forecast", SAMPLE),
    }
    (RESULTS / "latest.json").write_text(json.dumps(result, indent=2))
    print_table(result)


def print_forecast(fc: dict) -> None:
    if "error" in fc:
        print(f"forecast: error: {fc['error']}")
        return
    print(
        f"forecast: {fc['runs']:,} runs of {fc['plan']} ({fc['items']} open items, {fc['teams']} teams) in "
        f"{fc['seconds']:.2f} s (target under 2 s), {fc['us_per_item_run']:.2f} us per item and run"
    )


def _both(audit: dict, base: dict | None) -> str:
    """The HTML and the JSON audit, each over a baseline's time."""
    if not base or "error" in base:
        return "—"
    return f"{_ratio(audit['html_s'], base)} / {_ratio(audit['json_s'], base)}"


def _ratio(audit_s: float, base: dict) -> str:
    if not base or "error" in base:
        return "—"
    return f"{audit_s / base['seconds']:.2f}x"


def print_table(result: dict) -> None:
    m = result["machine"]
    print(
        f"Measured {result['when']}, {result['rounds']} round(s), CPU seconds: {m['platform']}, "
        f"{m['processor']}, {m['cpus']} CPUs (load average {m['load_average'][0]:.1f} at the end), "
        f"Python {m['python']}."
    )
    print(
        f"`--help` {result['startup']['help_s']:.2f} s, `rules list` {result['startup']['rules_list_s']:.2f} s (wall). ",
        end="",
    )
    if "forecast" in result:
        print_forecast(result["forecast"])
    print()
    print(
        "| items | plan | input | HTML audit | JSON audit | ÷ openpyxl (defusedxml) HTML / JSON "
        "| ÷ openpyxl (no defusedxml) | ÷ calamine | ÷ csv | load | derive | forecast (runs) | rules "
        "| score | write HTML | write JSON | peak memory | HTML | JSON | findings | µs per item (÷ 10k) |"
    )
    print("|---:|---|---|" + "---:|" * 18)
    per_item_10k: dict[tuple[str, str], float] = {}
    for row in result["rows"]:
        a = row["audit"]
        if "error" in a:
            print(f"| {row['items']:,} | {row['profile']} | {row['input']} | error: {a['error']} |")
            continue
        p = a["phases"]
        per_item = 1e6 * a["json_s"] / a["items"]
        if row["items"] == 10000:
            per_item_10k[(row["profile"], row["input"])] = per_item
        base10k = per_item_10k.get((row["profile"], row["input"]))
        print(
            f"| {row['items']:,} | {row['profile']} | {row['input']} | {a['html_s']:.2f} s | {a['json_s']:.2f} s "
            f"| {_both(a, row.get('baseline_xlsx'))} | {_both(a, row.get('baseline_xlsx_plain'))} "
            f"| {_both(a, row.get('baseline_calamine'))} | {_both(a, row.get('baseline_csv'))} "
            f"| {p.get('load', 0):.2f} | {p.get('derive', 0):.2f} "
            f"| {p.get('forecast', 0):.2f} ({a['forecast_runs']:,}) | {p.get('rules', 0):.2f} "
            f"| {p.get('score', 0):.2f} | {p.get('render_html', 0):.2f} | {p.get('render_json', 0):.2f} "
            f"| {a['peak_mb']:,.0f} MB | {a['html_mb']:.1f} MB | {a['json_mb']:.1f} MB | {a['findings']:,} "
            f"| {per_item:.0f}" + (f" ({per_item / base10k:.2f}x)" if base10k else "") + " |"
        )
    print()
    print(
        "| items | plan | input | openpyxl (defusedxml) | openpyxl (no defusedxml) | calamine | csv module |"
    )
    print("|---:|---|---|---:|---:|---:|---:|")
    for row in result["rows"]:
        cell = lambda base: (  # noqa: E731
            "—" if not base else base.get("error") or f"{base['seconds']:.2f} s"
        )
        print(
            f"| {row['items']:,} | {row['profile']} | {row['input']} | {cell(row.get('baseline_xlsx'))} "
            f"| {cell(row.get('baseline_xlsx_plain'))} | {cell(row.get('baseline_calamine'))} "
            f"| {cell(row.get('baseline_csv'))} |"
        )


if __name__ == "__main__":
    main()
