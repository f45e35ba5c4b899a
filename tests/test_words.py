"""Words that fit: public sources in the rule files, texts that use the plan's own figures, terms explained,
and a --help that says where output goes and what the exit codes mean."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

import pytest

from .conftest import SAMPLES, audit_of, run_cli

RULES = Path(__file__).resolve().parent.parent / "rules"
SAMPLE = SAMPLES / "northwind-2026-Q3.xlsx"
# what a user does not have: the project's contract, briefs, issues, "internal" papers
_INTERNAL = re.compile(
    r"\bSPEC\b|SPEC\.md|§|\bBRIEF|\binternal (?:document|doc|memo|wiki)|\bissue #?\d", re.I
)


def _texts(value, where: str):
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _texts(v, f"{where}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _texts(v, f"{where}[{i}]")


def test_no_shipped_rule_file_cites_spec_or_an_internal_document():
    files = sorted(RULES.glob("*.toml"))
    assert len(files) > 20
    cited = [
        (f.name, where, text)
        for f in files
        for where, text in _texts(tomllib.loads(f.read_text(encoding="utf-8")), "")
        if _INTERNAL.search(text)
    ]
    assert cited == []


def test_the_internal_pattern_catches_what_the_old_rule_files_said():
    for old in (
        "SPEC §4: an item with no owning team",
        "SPEC threshold table, after the truck factor",
        "convention of this project: tier 1 is the most critical tier (SPEC §2.1)",
    ):
        assert _INTERNAL.search(old)
    assert not _INTERNAL.search("a launch in stages (internal, a small percentage, then everyone)")


def test_every_parameter_names_a_source():
    missing = []
    for f in sorted(RULES.glob("*.toml")):
        data = tomllib.loads(f.read_text(encoding="utf-8"))
        for name, spec in data.get("params", {}).items():
            if (
                isinstance(spec, dict)
                and "value" in spec
                and not str(spec.get("source", "")).strip()
            ):
                missing.append((f.name, name))
    assert missing == []


def test_the_slo_rule_uses_the_services_own_target_not_a_fixed_one():
    audit = audit_of(SAMPLE, select=["SLO004"])
    found = {f.subject.id: f for f in audit.findings if f.rule == "SLO004"}
    # the sample promises 99.95 % on public-api, 99.99 % on payments-gateway and 99.995 % on ledger
    assert {"public-api", "payments-gateway", "ledger"} <= set(found)
    assert "99.99%" in found["payments-gateway"].message and "99.995%" in found["ledger"].message
    for f in found.values():
        assert "three and a half nines" not in (f.why + f.message).lower()


def test_rules_explain_says_plainly_where_a_value_without_a_source_comes_from():
    out = run_cli("rules", "explain", "SLO004").stdout
    assert "built-in default of the check kind" not in out
    assert "three and a half nines" not in out.lower()


@pytest.mark.parametrize(
    "command,default_file",
    [("audit", "PLAN-audit.html"), ("diff", "NEW-diff.html"), ("validate", None)],
)
def test_help_says_where_output_goes_the_exit_codes_and_debug(command, default_file):
    result = run_cli(command, "--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert "Exit codes: 0 " in text and "2 bad input or usage" in text
    assert "--debug" in text and "stdout" in text
    if default_file:
        assert default_file in text and "1 " in text.split("Exit codes:")[1] and "--fail-on" in text
    if command == "audit":
        assert "xlsx needs -o" in text


def test_help_imports_nothing_heavy():
    code = (
        "import sys\nfrom roadmap_audit.cli import main\n"
        "for cmd in (['--help'], ['audit', '--help'], ['diff', '--help'], ['validate', '--help']):\n"
        "    try:\n        main(cmd)\n    except SystemExit:\n        pass\n"
        "print(sorted(m for m in ('openpyxl', 'jinja2', 'networkx', 'pydantic', 'roadmap_audit.pipeline')"
        " if m in sys.modules), file=sys.stderr)\n"
    )
    import subprocess

    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.stderr.strip().splitlines()[-1] == "[]"


# ---------------------------------------------------------------- the Markdown pre-read


@pytest.fixture(scope="module")
def sample_md():
    from roadmap_audit.report import render

    return render("md", audit_of(SAMPLE))


def test_markdown_reads_in_the_pre_read_order_with_the_findings_as_an_appendix(sample_md):
    heads = [line for line in sample_md.splitlines() if re.match(r"#{1,2} ", line)]
    order = [
        "## What to change, by owner",
        "## Capacity",
        "## Delivery forecast",
        "## Terms used",
        "# Appendix: the full report",
        "## Top risks",
        "## Findings (",
        "## Data quality",
    ]
    at = [next(i for i, h in enumerate(heads) if h.startswith(o)) for o in order]
    assert at == sorted(at), heads
    assert sample_md.index("**Verdict:") < sample_md.index("## What to change, by owner")


def test_markdown_renders_cleanly_on_a_wiki(sample_md):
    lines = sample_md.splitlines()
    # tables stay narrow enough for a wiki page: at most six columns
    widths = {line.count("|") - 1 for line in lines if line.startswith("|")}
    assert widths and max(widths) <= 6, widths
    # no raw HTML: every < in the text is escaped
    assert not re.search(r"<(?!-)[a-zA-Z/!]", sample_md)
    # the verdict's facts are separate lines in the quote, not one run-on paragraph
    facts = [
        line
        for line in lines
        if line.startswith("> Findings:") or line.startswith("> Over the line:")
    ]
    assert facts and all(line.endswith("  ") for line in facts)


def test_terms_are_explained_in_markdown_and_html(sample_md):
    from roadmap_audit.report import render

    terms = sample_md.split("## Terms used", 1)[1].split("# Appendix", 1)[0]
    for term in (
        "**KTLO**: Keep the lights on",
        "**engineer-week**",
        "**P50 / P85**",
        "**tier**",
        "**error budget**",
    ):
        assert term in terms
    html = render("html", audit_of(SAMPLE))
    assert '<section id="terms">' in html and "<dt>KTLO</dt><dd>Keep the lights on" in html
    assert (
        '<abbr title="Keep the lights on' in html
    )  # where KTLO first appears, in a finding's message
    assert re.search(r'<abbr title="One engineer working for one week[^"]*">eng-weeks</abbr>', html)
    assert re.search(r'<abbr title="The date by which half \(P50\)[^"]*">P50</abbr>', html)


def test_a_plan_without_ktlo_does_not_explain_it(tmp_path):
    from roadmap_audit.report import render

    (tmp_path / "items.csv").write_text(
        "key,title,team,kind,estimate\nA-1,Checkout page,web,feature,2\n", encoding="utf-8"
    )
    md = render("md", audit_of(tmp_path / "items.csv"))
    assert "**KTLO**" not in md and "**toil**" not in md and "**engineer-week**" in md


# ---------------------------------------------------------------- the dependency picture


def _graph_texts(html: str) -> dict[str, str]:
    """Each drawn item's visible title in the dependency picture: its tspans joined, by item key."""
    svg = html.split('<div class="graph">', 1)[1].split("</svg>", 1)[0]
    out = {}
    for key, body in re.findall(
        r'<text class="key"[^>]*>([^<◆]+?)(?: ◆)?</text>\s*<text class="ttl"[^>]*>(.*?)</text>',
        svg,
        re.S,
    ):
        out[key.strip()] = " ".join(re.findall(r"<tspan[^>]*>(.*?)</tspan>", body))
    return out


def test_a_long_title_is_drawn_in_full_on_its_dependency_node(tmp_path):
    from html import unescape

    from roadmap_audit.report import render

    long = (
        "Move the billing integration to the provider's API v2 before the old one is switched off"
    )
    (tmp_path / "items.csv").write_text(
        "key,title,team,kind,estimate,depends_on\n"
        f'B-1,"{long}",billing,feature,3,\n'
        "B-2,Invoices,billing,feature,2,B-1\n"
        "W-1,Checkout page shows the new invoice,web,feature,2,B-2\n",
        encoding="utf-8",
    )
    html = render("html", audit_of(tmp_path / "items.csv"))
    drawn = {k: unescape(v) for k, v in _graph_texts(html).items()}
    assert drawn["B-1"] == long  # every word, over several lines, none cut
    assert drawn["B-2"] == "Invoices" and drawn["W-1"] == "Checkout page shows the new invoice"
    assert f"<title>B-1: {long.replace(chr(39), '&#39;')}" in html


def test_only_a_title_longer_than_six_lines_is_cut_and_its_box_holds_it_whole():
    from roadmap_audit.report.graph import MAX_LINES, title_lines

    assert title_lines("Invoices") == ["Invoices"]
    lines = title_lines("word " * 60)
    assert len(lines) == MAX_LINES and lines[-1].endswith("…")
    assert " ".join(title_lines("a " * 30)).split() == ["a"] * 30


def test_a_plain_ascii_list_cell_reads_as_the_general_reader_reads_it():
    """parse_list's shortcut for ASCII text gives what the general path (invisible characters
    stripped, NFKC, casefold) gives: the same parts, none markers and repeats dropped."""
    from roadmap_audit.load import words

    cells = [
        "auth, billing; search",
        " A-1 | A-2\tA-1 ",
        "n/a",
        "N / A, auth",
        "TBD;  - ;x",
        "",
        "   ",
        "auth\r\nbilling",
        "Not Applicable, none, NULL, ok",
        ",,,",
    ]
    for cell in cells:
        general = list(
            dict.fromkeys(
                p
                for p in (q.strip() for q in words._LIST_SEPARATORS.split(cell))
                if not words.is_none_marker(p)
            )
        )
        assert words.parse_list(cell) == general, cell
    assert words.parse_list("N / A, auth, auth") == ["auth"]
