"""The HTML report: one self-contained file, no network requests, prints cleanly.

A view model (plain dataclasses) is built from the Audit — arrangement and
geometry only, never a new figure about the plan — then a jinja2 template with
autoescape renders it. CSS and the little JavaScript are inlined; the script is
allowed by its hash in the Content-Security-Policy, so nothing else can run.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import gc
import hashlib
import itertools
import re
from collections.abc import Iterator

from markupsafe import Markup, escape

from ..model import Audit
from .glossary import MEANING, abbr_ktlo
from .html_parts import HtmlParts, html
from .templating import environment
from .view import HeatCell
from .view_model import build_report_view

_URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)


def linkify(text: object) -> Markup:
    """Escaped text in which http(s) addresses become links; any other scheme stays text."""
    s = str(text)
    if "://" not in s:  # no address: most texts, tens of thousands at org scale
        return Markup(html(s))
    out, last = [], 0
    for m in _URL.finditer(s):
        url = m.group(0).rstrip(".,;:!?)")
        out.append(escape(s[last : m.start()]))
        out.append(Markup('<a href="{0}" rel="noopener noreferrer">{0}</a>').format(url))
        last = m.start() + len(url)
    out.append(escape(s[last:]))
    return Markup("").join(out)


def safe_url(url: str | None) -> str | None:
    """The address itself when it is http or https; None otherwise (javascript:, data:, file: ...)."""
    if url and re.fullmatch(r"https?://[^\s<>\"'`]+", url.strip(), re.IGNORECASE):
        return url.strip()
    return None


# ------------------------------------------------------------------ rendering


def gloss(text: object) -> Markup:
    """`linkify`, with KTLO spelled out in a tooltip."""
    return Markup(abbr_ktlo(str(linkify(text))))


def html_environment():
    """A new jinja2 environment for the HTML templates (the diff report adds its own filters)."""
    env = environment(autoescape=True)
    env.filters.update(
        linkify=linkify,
        safe_url=safe_url,
        gloss=gloss,
    )
    env.globals.update(HeatCell=HeatCell, meaning=MEANING)
    return env


@functools.cache
def _report_environment():
    """The audit report's environment, built and its templates compiled once per process."""
    return html_environment()


@functools.cache
def _report_template():
    """report.html.j2 compiled, and the names it reads (every name it mentions: a superset of those
    it takes from its context, which is all `ReportView.context` needs): parsed once for both."""
    from jinja2 import nodes

    env = _report_environment()
    assert env.loader is not None
    name = "report.html.j2"
    source, filename, uptodate = env.loader.get_source(env, name)
    tree = env.parse(source, name, filename)
    names = frozenset(node.name for node in tree.find_all(nodes.Name))
    code = env.compile(tree, name, filename)
    return env.template_class.from_code(env, code, env.make_globals(None), uptodate), names


PIECES = 4096  # jinja2 pieces joined per write: it yields hundreds of thousands of tiny ones


def iter_html(audit: Audit) -> Iterator[str]:
    """The report as it is made, a few thousand template pieces at a time: at org scale the page is
    tens of megabytes, and it is never held whole in memory."""
    # The audit is built and the page makes no cycles in it: while the page is made, the collector
    # leaves the objects that exist already alone (a full collection scans every one of them, about
    # a second at 50,000 items). Left as it is when someone else has frozen objects.
    frozen = gc.get_freeze_count() == 0
    if frozen:
        gc.freeze()
    try:
        yield from _pieces(audit)
    finally:
        if frozen:
            gc.unfreeze()


@contextlib.contextmanager
def _uncollected() -> Iterator[None]:
    """No automatic collection while a part of the page is made: the view is built and kept for the
    whole page (the template's macros hold it in a cycle, freed by a collection once the page is
    made), the pieces hold no cycles, and the collections that hundreds of thousands of new objects
    would set off find nothing to free (about a sixth of the page's time at 50,000 items).
    Switched back on before a part is handed on; left as it is when someone switched it off."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _pieces(audit: Audit) -> Iterator[str]:
    env = _report_environment()
    assert env.loader is not None
    script = env.loader.get_source(env, "report.js")[0]
    style = env.loader.get_source(env, "report.css")[0]
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    template, names = _report_template()
    with _uncollected():
        pieces = template.generate(
            **build_report_view(audit).context(names),
            script=Markup(script),
            style=Markup(style),
            script_hash=f"sha256-{digest}",
            parts=HtmlParts(linkify, gloss),
        )
    while True:
        with _uncollected():
            batch = list(itertools.islice(pieces, PIECES))
        if not batch:
            return
        yield "".join(batch)


def render_html(audit: Audit) -> str:
    return "".join(iter_html(audit))
