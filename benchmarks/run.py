"""Time roadmap-audit at org scale, against the cost of merely reading the same file.

    python benchmarks/run.py                    # 1k, 10k, 50k, 100k items
    python benchmarks/run.py --sizes 1000 10000 # a quicker look
    python benchmarks/run.py --profile realistic # plans sized like a real org's (default: stress)

Each measurement runs in a fresh process (so peak memory is its own). For every
size it times each phase of the audit (load, derive, rules, score, render html
and json) on the plan workbook and on a Jira CSV export of the same plan, and
two baselines in the same run: openpyxl read-only reading every cell of the
workbook, and the csv module reading the CSV. The audit's time is what
`roadmap-audit audit PLAN` does: load to the written HTML report (writing the
JSON report as well is timed on its own, outside that total; peak memory covers
both). It prints a table with the audit's time as a ratio to its baseline, and
writes benchmarks/results/latest-PROFILE.json.
It also times 10,000 runs of the delivery forecast on the Northwind sample plan
(target: under 2 s); `--forecast-only` measures just that.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
RESULTS = HERE / "results"
SAMPLE = HERE.parent / "sample_plans" / "northwind-2026-Q3.xlsx"
TEAMS_FOR = {1000: 30, 10000: 100, 20000: 300, 50000: 300, 100000: 500}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_baseline_xlsx(path: Path) -> dict:
    import openpyxl

    start = time.perf_counter()
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    cells = 0
    for ws in wb.worksheets:
        ws.reset_dimensions()  # the fastest honest read: no second pass to size the sheet
        for row in ws.iter_rows(values_only=True):
            cells += len(row)
    wb.close()
    return {"seconds": time.perf_counter() - start, "cells": cells, "peak_mb": _peak_mb()}


def measure_baseline_csv(path: Path, repeats: int = 3) -> dict:
    """The best of three reads: one read of 100k rows takes about a second, and a single
    second-long timing on a shared machine varied twofold between runs."""
    import csv

    best, rows = float("inf"), 0
    for _ in range(repeats):
        start = time.perf_counter()
        with path.open(newline="", encoding="utf-8") as fh:
            rows = sum(1 for _ in csv.reader(fh))
        best = min(best, time.perf_counter() - start)
    return {"seconds": best, "rows": rows, "peak_mb": _peak_mb()}


def measure_audit(path: Path) -> dict:
    import tempfile

    from roadmap_audit.pipeline import Options, load, run
    from roadmap_audit.report import stream, write_atomic

    phases: dict[str, float] = {}
    current = {"name": None, "start": 0.0}

    def on_phase(name: str) -> None:
        now = time.perf_counter()
        if current["name"]:
            phases[current["name"]] = now - current["start"]
        current.update(name=name, start=now)

    options = Options(plan=str(path))
    start = time.perf_counter()
    on_phase("load")
    plan = load(options)
    audit = run(options, plan, on_phase=on_phase)
    with tempfile.TemporaryDirectory() as out:  # written the way the command line writes them
        html, js = Path(out) / "audit.html", Path(out) / "audit.json"
        on_phase("render_html")
        write_atomic(html, stream("html", audit))
        on_phase("render_json")
        total = (
            time.perf_counter() - start
        )  # what `roadmap-audit audit PLAN` does: one report, the HTML
        write_atomic(js, stream("json", audit))
        on_phase("end")
        sizes = {"html_mb": html.stat().st_size / 1e6, "json_mb": js.stat().st_size / 1e6}
    return {
        "phases": phases,
        "seconds": total,
        "items": len(plan.items),
        "findings": len(audit.findings),
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
    facts.open_graph  # built once per run for the dependency rules too; not the forecast's cost
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


def _startup(args: list[str], runs: int = 5) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "roadmap_audit", *args], capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description="roadmap-audit benchmark")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000, 100000])
    parser.add_argument(
        "--profile",
        choices=("stress", "realistic"),
        default="stress",
        help="stress: every item sized in weeks, every team far over capacity (the worst case); "
        "realistic: each team's plan 60-130%% of its capacity",
    )
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
            "baseline_csv": measure_baseline_csv,
            "audit": measure_audit,
            "forecast": measure_forecast,
        }[kind]
        print(json.dumps(fn(Path(path))))
        return
    if args.forecast_only:
        print_forecast(_in_fresh_process("forecast", SAMPLE))
        return

    sys.path.insert(0, str(HERE))
    from generate import build, write_jira_csv, write_xlsx

    DATA.mkdir(exist_ok=True)
    RESULTS.mkdir(exist_ok=True)
    rows = []
    # generated plans are kept, under a name that changes whenever the generator does
    version = hashlib.sha256((HERE / "generate.py").read_bytes()).hexdigest()[:8]
    for size in args.sizes:
        xlsx = DATA / f"plan-{size}-{args.profile}-{version}.xlsx"
        jira = DATA / f"plan-{size}-{args.profile}-{version}-jira.csv"
        if not xlsx.exists() or not jira.exists():
            print(f"generating {size} items ({args.profile}) ...", file=sys.stderr)
            sheets = build(size, TEAMS_FOR.get(size, max(30, size // 200)), profile=args.profile)
            write_xlsx(sheets, xlsx)
            write_jira_csv(sheets, jira)
        print(f"measuring {size} items ...", file=sys.stderr)
        row = {
            "items": size,
            "teams": TEAMS_FOR.get(size, max(30, size // 200)),
            "baseline_xlsx": _in_fresh_process("baseline_xlsx", xlsx),
            "audit_xlsx": _in_fresh_process("audit", xlsx),
            "baseline_csv": _in_fresh_process("baseline_csv", jira),
            "audit_jira_csv": _in_fresh_process("audit", jira),
        }
        rows.append(row)
    startup = {"help_s": _startup(["--help"]), "rules_list_s": _startup(["rules", "list"])}
    result = {
        "profile": args.profile,
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "processor": platform.machine(),
            "cpus": __import__("os").cpu_count(),
        },
        "startup": startup,
        "sizes": rows,
        "forecast": _in_fresh_process("forecast", SAMPLE),
    }
    (RESULTS / f"latest-{args.profile}.json").write_text(json.dumps(result, indent=2))
    print_table(result)


def print_forecast(fc: dict) -> None:
    if "error" in fc:
        print(f"forecast: error: {fc['error']}")
        return
    print(
        f"forecast: {fc['runs']:,} runs of {fc['plan']} ({fc['items']} open items, {fc['teams']} teams) in "
        f"{fc['seconds']:.2f} s (target under 2 s), {fc['us_per_item_run']:.2f} us per item and run"
    )


def print_table(result: dict) -> None:
    print(
        f"machine: {result['machine']['platform']}, {result['machine']['cpus']} CPUs, "
        f"Python {result['machine']['python']}; plans: {result.get('profile', 'stress')} profile"
    )
    print(
        f"startup: --help {result['startup']['help_s']:.2f} s, rules list {result['startup']['rules_list_s']:.2f} s"
    )
    if "forecast" in result:
        print_forecast(result["forecast"])
    head = (
        f"{'items':>7} {'input':<9} {'baseline s':>10} {'audit s':>8} {'ratio':>6} {'load':>6} {'derive':>6} "
        f"{'fcast':>6} {'rules':>6} {'score':>6} {'html':>6} {'json':>6} {'peak MB':>8} {'html MB':>8} {'json MB':>8} "
        f"{'findings':>8}"
    )
    print(head)
    print("-" * len(head))
    print(
        "(audit s: load to the written HTML report; json: writing the JSON report too, not in audit s)"
    )
    for row in result["sizes"]:
        for label, base, audit in (
            ("xlsx", row["baseline_xlsx"], row["audit_xlsx"]),
            ("jira csv", row["baseline_csv"], row["audit_jira_csv"]),
        ):
            if "error" in audit or "error" in base:
                print(
                    f"{row['items']:>7} {label:<9} error: {audit.get('error') or base.get('error')}"
                )
                continue
            p = audit["phases"]
            print(
                f"{row['items']:>7} {label:<9} {base['seconds']:>10.2f} {audit['seconds']:>8.2f} "
                f"{audit['seconds'] / base['seconds']:>5.2f}x {p.get('load', 0):>6.2f} {p.get('derive', 0):>6.2f} "
                f"{p.get('forecast', 0):>6.2f} {p.get('rules', 0):>6.2f} {p.get('score', 0):>6.2f} {p.get('render_html', 0):>6.2f} "
                f"{p.get('render_json', 0):>6.2f} {audit['peak_mb']:>8.0f} {audit['html_mb']:>8.1f} "
                f"{audit.get('json_mb', 0):>8.1f} {audit.get('findings', 0):>8}"
            )


if __name__ == "__main__":
    main()
