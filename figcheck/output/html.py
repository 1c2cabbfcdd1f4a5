"""A self-contained HTML report: a summary, then per metric its timeline and its findings.

The charting code (Vega, Vega-Lite, Vega-Embed as bundled by vl-convert-python) is inlined, so
the page opens with no network; a Content-Security-Policy forbids any fetch as well. Article text
is hostile input: everything from an article is HTML-escaped, and the chart data is JSON inside
a non-executed script element with '<', '>' and '&' escaped.
"""

from __future__ import annotations

import functools
import html
import json
from collections import Counter
from pathlib import PurePath
from urllib.parse import quote

import polars as pl

from figcheck.errors import FigcheckError
from figcheck.models import SEVERITY_RANK, Figure, Finding, ReferenceRow
from figcheck.output import timeline

MISSING = "--format html needs altair and vl-convert-python: pip install 'figcheck[report]'"
CSP = ("default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; "
       "img-src data:; font-src data:")
SEVERITIES = ("error", "warning", "info")
LEGEND = ("Each point is a figure, by the date it speaks for; an arrow marks an open bound (up: “more than”, "
          "down: “nearly”), a bar a range; a ring marks a flagged figure. Hover for the quote; drag to pan, "
          "scroll to zoom in time.")
REFERENCE_LEGEND = " The dashed line is the reference series."


def require() -> None:
    try:
        import altair  # noqa: F401
        import vl_convert  # noqa: F401
    except ImportError:
        raise FigcheckError(MISSING) from None


@functools.cache
def _bundle() -> str:
    import vl_convert

    return vl_convert.javascript_bundle()


def findings_html(findings: list[Finding], figures: pl.DataFrame, references: list[ReferenceRow],
                  labels: dict[str, str], title: str = "figcheck report") -> str:
    """figures: every figure of the charted metrics (FigureSet.frame), not only those in findings."""
    require()
    rows = timeline.points(figures, findings)
    by_metric = {m: [f for f in findings if f.metric == m] for m in dict.fromkeys(f.metric for f in findings)}
    metrics = _ordered(by_metric, rows["metric"].unique().to_list())
    specs, sections = {}, []
    for n, metric in enumerate(metrics, start=1):
        dated = rows.filter((pl.col("metric") == metric) & pl.col("date").is_not_null())
        refs = [r for r in references if r.metric == metric]
        chart_id = f"chart-{n}"
        if dated.height:
            specs[chart_id] = timeline.chart(metric, labels.get(metric, metric), dated, refs)
        undated = rows.filter((pl.col("metric") == metric) & pl.col("date").is_null()).height
        sections.append(_section(metric, labels.get(metric, metric), chart_id if dated.height else None,
                                 bool(refs), undated, by_metric.get(metric, [])))
    body = [f"<h1>{_e(title)}</h1>", _overview(findings, rows, metrics, by_metric), *sections]
    return _page(title, "\n".join(body), specs)


def _ordered(by_metric: dict[str, list[Finding]], charted: list[str]) -> list[str]:
    """Metrics with findings first (worst severity, then most findings), then the others by name."""
    worst = {m: max(SEVERITY_RANK[f.severity] for f in fs) for m, fs in by_metric.items()}
    flagged = sorted(by_metric, key=lambda m: (-worst[m], -len(by_metric[m]), m))
    return flagged + sorted(set(charted) - set(by_metric))


def _overview(findings: list[Finding], rows: pl.DataFrame, metrics: list[str],
              by_metric: dict[str, list[Finding]]) -> str:
    severities = Counter(f.severity for f in findings)
    total = (f"<p class='totals'>{len(findings)} finding(s) — "
             + ", ".join(f"<span class='badge {s}'>{severities[s]} {s}</span>" for s in SEVERITIES if severities[s])
             + f" — over {rows.height} figure(s) of {len(metrics)} metric(s) in {rows['doc'].n_unique()} article(s)."
             + "</p>")
    tables = [
        _counts("rule", Counter(f.rule for f in findings)),
        _counts("severity", Counter({s: severities[s] for s in SEVERITIES if severities[s]})),
        _counts("metric", Counter({m: len(by_metric[m]) for m in by_metric}), link=True),
        _counts("outlet", Counter(f.figures[0].outlet or f.figures[0].doc for f in findings)),
    ]
    nav = "".join(f"<li><a href='#{_anchor(m)}'>{_e(m)}</a> ({len(by_metric.get(m, []))})</li>" for m in metrics)
    return (f"{total}<h2>Summary</h2><div class='summary'>{''.join(tables)}</div>"
            f"<details><summary>Metrics charted ({len(metrics)})</summary><ul class='nav'>{nav}</ul></details>")


def _counts(name: str, counts: Counter, link: bool = False) -> str:
    if not counts:
        return f"<table><tr><th>{name}</th><th>findings</th></tr><tr><td colspan=2>none</td></tr></table>"
    cells = "".join(f"<tr><td>{_metric_link(k) if link else _e(k)}</td><td class='n'>{n}</td></tr>"
                    for k, n in counts.most_common())
    return f"<table><tr><th>{name}</th><th>findings</th></tr>{cells}</table>"


def _section(metric: str, label: str, chart_id: str | None, has_reference: bool, undated: int,
             findings: list[Finding]) -> str:
    parts = [f"<section id='{_anchor(metric)}'><h2>{_e(label)} <code>{_e(metric)}</code></h2>"]
    if chart_id:
        parts.append(f"<div class='chart' id='{chart_id}' data-metric='{_e(metric)}'></div>"
                     f"<p class='note'>{LEGEND}{REFERENCE_LEGEND if has_reference else ''}</p>")
    if undated:
        parts.append(f"<p class='note'>{undated} figure(s) without a date are not drawn.</p>")
    if findings:
        parts.append("<ol class='findings'>" + "".join(_finding(f) for f in findings) + "</ol>")
    else:
        parts.append("<p class='note'>No findings.</p>")
    return "".join(parts) + "</section>"


def _finding(finding: Finding) -> str:
    rows = "".join(_figure_row("subject" if k == 0 else "evidence", f) for k, f in enumerate(finding.figures))
    ref = finding.reference
    if ref:
        rows += (f"<tr class='reference'><td>reference</td><td>{_e(ref.source or '')}</td><td>{ref.date}</td>"
                 f"<td class='n'>{ref.value:,.0f}</td><td colspan=3></td></tr>")
    return (f"<li class='finding {finding.severity}'><p><span class='badge {finding.severity}'>{finding.severity}</span> "
            f"<code>{_e(finding.rule)}</code> {_e(finding.message)}</p>"
            "<table class='figures'><tr><th></th><th>outlet</th><th>as of</th><th>figure</th><th>claimant</th>"
            f"<th>quote</th><th>article</th></tr>{rows}</table></li>")


def _figure_row(role: str, f: Figure) -> str:
    links = [f"<a href='{_e(_file_href(f.path))}'>{_e(f.path)}:{f.line}:{f.column}</a>"]
    if f.url and f.url.startswith(("https://", "http://")):
        links.append(f"<a href='{_e(f.url)}' rel='noreferrer noopener'>{_e(f.url)}</a>")
    return (f"<tr class='{role}'><td>{role}</td><td>{_e(f.outlet or f.doc)}</td><td>{f.as_of or '?'}</td>"
            f"<td class='n'>{_e(f.surface)}</td><td>{_e(f.claimant or '')}</td><td>{_quote(f)}</td>"
            f"<td>{'<br>'.join(links)}</td></tr>")


def _quote(f: Figure) -> str:
    """The sentence with the figure marked; escaped piece by piece."""
    at = f.sentence.find(f.surface)
    if at < 0:
        return f"“{_e(f.sentence)}”"
    before, after = f.sentence[:at], f.sentence[at + len(f.surface):]
    return f"“{_e(before)}<mark>{_e(f.surface)}</mark>{_e(after)}”"


def _file_href(path: str) -> str:
    """A link to the article file: relative paths stay relative (to where figcheck ran)."""
    pure = PurePath(path)
    href = quote(pure.as_posix(), safe="/")
    return "file://" + href if pure.is_absolute() else href


def _metric_link(metric: str) -> str:
    return f"<a href='#{_anchor(metric)}'>{_e(metric)}</a>"


def _anchor(metric: str) -> str:
    return "metric-" + "".join(c if c.isalnum() or c in "-_." else "_" for c in metric)


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _script_json(value) -> str:
    """JSON safe inside a <script> element: no '</script>' or '<!--' can appear."""
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _page(title: str, body: str, specs: dict[str, dict]) -> str:
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="figcheck">
<title>{_e(title)}</title>
<style>{STYLE}</style>
</head>
<body>
{body}
<script>{_bundle()}</script>
<script type="application/json" id="figcheck-charts">{_script_json(specs)}</script>
<script>{EMBED}</script>
</body>
</html>
"""


EMBED = """
const specs = JSON.parse(document.getElementById("figcheck-charts").textContent);
for (const [id, spec] of Object.entries(specs)) {
  const element = document.getElementById(id);
  vegaEmbed(element, spec, {actions: false, renderer: spec.usermeta.renderer})
    .then(() => { element.dataset.drawn = "true"; })
    .catch((error) => { element.dataset.drawn = "failed"; element.textContent = "Chart failed: " + error; console.error(error); });
}
"""

STYLE = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 1.5em auto; max-width: 1200px;
       padding: 0 1em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ddd; }
code { background: #f3f3f3; padding: 0 .25em; border-radius: 3px; }
.summary { display: flex; flex-wrap: wrap; gap: 1.5em; align-items: flex-start; }
table { border-collapse: collapse; } th, td { text-align: left; padding: .2em .5em; vertical-align: top; }
th { background: #f3f3f3; } td.n { text-align: right; white-space: nowrap; }
.summary td, .summary th { border-bottom: 1px solid #eee; }
.chart { width: 100%; min-height: 300px; margin: .5em 0 1em; }
.badge { color: white; border-radius: 3px; padding: 0 .4em; font-size: .85em; }
.badge.error { background: #c62828; } .badge.warning { background: #ef6c00; } .badge.info { background: #1565c0; }
ol.findings > li { margin: .8em 0; padding: .4em .6em; border-left: 4px solid #ccc; background: #fafafa; }
li.error { border-color: #c62828 !important; } li.warning { border-color: #ef6c00 !important; }
li.info { border-color: #1565c0 !important; }
table.figures { font-size: .92em; width: 100%; } table.figures td { border-top: 1px solid #eee; }
tr.subject td:first-child { font-weight: bold; } mark { background: #fff3a0; }
.note { color: #666; font-size: .9em; } ul.nav { columns: 3; }
"""
