"""Output formats: the one chosen for a run, and figures, findings and metrics rendered in it."""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from figcheck import project
from figcheck.errors import FigcheckError
from figcheck.models import Finding
from figcheck.pack import Config
from figcheck.records import FigureSet


# Formats chosen by -o FILE's extension when --format is not given.
EXTENSIONS = {".html": "html", ".htm": "html", ".xlsx": "xlsx", ".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
              ".sarif": "sarif"}
BINARY_FORMATS = ("xlsx",)


def output_format(fmt: str | None, output: Path | None, excel: bool, choices: tuple[str, ...]) -> str:
    """--format if given, else the one -o FILE's extension names, else table; refused early when the
    format's extra is missing, a binary format would go to a terminal, or --excel is not for CSV."""
    if fmt is None:
        by_extension = EXTENSIONS.get(output.suffix.lower()) if output else None
        fmt = by_extension if by_extension in choices else "table"
    if excel and fmt != "csv":
        raise FigcheckError(f"--excel applies to CSV only, and the format is {fmt}")
    if fmt == "html":
        from figcheck.output import html

        html.require()
    if fmt == "xlsx":
        from figcheck.output import xlsx

        xlsx.require()
    if fmt in BINARY_FORMATS and output is None and sys.stdout.isatty():
        raise FigcheckError(f"--format {fmt} is binary and is not written to a terminal: use -o FILE.{fmt} "
                            "or redirect stdout")
    return fmt


def render_figures(figures: FigureSet, fmt: str, excel: bool = False) -> str | bytes:
    from figcheck.output import csvout, plain, table, xlsx

    items = list(figures)
    formats = {
        "jsonl": lambda: plain.as_jsonl(items),
        "json": lambda: plain.as_json(items),
        "csv": lambda: csvout.figures_csv(items, excel),
        "table": lambda: table.figures_table(items, width=_width(), color=use_color()),
        "xlsx": lambda: xlsx.figures_xlsx(items),
    }
    return formats[fmt]()


def render_findings(found: Iterable[Finding], fmt: str, config: Config, excel: bool = False,
                    charted: tuple[FigureSet, list] | None = None) -> str | bytes:
    """The findings in a format, whole. charted: the figures and reference rows behind the
    findings, drawn by the HTML report."""
    chunks = stream_findings(found, fmt, config, excel, charted)
    if isinstance(chunks, (str, bytes)):
        return chunks
    return "".join(chunks)


def stream_findings(found: Iterable[Finding], fmt: str, config: Config, excel: bool = False,
                    charted: tuple[FigureSet, list] | None = None) -> str | bytes | Iterator[str]:
    """The findings in a format: as chunks of text written as the findings come, or (html, xlsx,
    drawn from the whole list) the document whole. Only the chosen format's module is imported."""

    def sarif_report():
        from figcheck.findings import rule_descriptions
        from figcheck.ruledoc import rule_help

        return _writer("sarif").findings_sarif(found, rule_descriptions(config), rule_help(),
                                               project.find().root or Path.cwd())

    def html_report():
        figures, references = charted or (FigureSet.of([]), [])
        labels = {m.id: m.spec.label for m in config.metrics.values()}
        return _writer("html").findings_html(list(found), figures.frame, references, labels)

    formats = {
        "json": lambda: _writer("plain").json_chunks(found),
        "jsonl": lambda: _writer("plain").jsonl_chunks(found),
        "csv": lambda: _writer("csvout").findings_csv(found, excel),
        "github": lambda: _writer("github").findings_github(found),
        "sarif": sarif_report,
        "table": lambda: _writer("table").findings_table(found, width=_width(), color=use_color()),
        "html": html_report,
        "xlsx": lambda: _writer("xlsx").findings_xlsx(list(found)),
    }
    if fmt not in formats:
        raise FigcheckError(f"unknown format {fmt!r}")
    return formats[fmt]()


def _writer(module: str):
    """The module of figcheck/output that writes a format, imported when it is chosen."""
    return importlib.import_module(f"figcheck.output.{module}")


def render_metrics(config: Config, fmt: str) -> str:
    rows = [{"id": m.id, "label": m.spec.label, "unit": m.spec.unit, "cumulative": m.spec.cumulative,
             "share_of": m.spec.share_of, "tolerance": m.tolerance, "window_days": m.window_days,
             "max_age_days": m.max_age_days, "source": m.source} for m in config.metrics.values()]
    if fmt == "json":
        return json.dumps(rows, indent=1) + "\n"
    width = max(len(r["id"]) for r in rows)
    lines = [f"{r['id']:<{width}}  {'cumulative' if r['cumulative'] else '          '}  {r['unit']:<5}  {r['label']}"
             for r in rows]
    return "\n".join(lines) + f"\n{len(rows)} metrics from {len(config.files)} file(s)\n"


def use_color() -> bool:
    """Colour on a terminal; NO_COLOR (any value) turns it off, FORCE_COLOR on (no-color.org)."""
    import os

    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


def _width() -> int | None:
    import shutil

    return shutil.get_terminal_size((140, 24)).columns if sys.stdout.isatty() else 140


def statistics(found: list[Finding]) -> str:
    """Counts of findings by rule, by metric and by outlet of the figure they are about."""
    lines = [f"{len(found)} finding(s)"]
    for title, key in (("rule", lambda f: f.rule), ("metric", lambda f: f.metric),
                       ("outlet", lambda f: f.figures[0].outlet or f.figures[0].doc)):
        counts: dict[str, dict[str, int]] = {}
        for finding in found:
            row = counts.setdefault(key(finding), {"error": 0, "warning": 0, "info": 0})
            row[finding.severity] += 1
        if not counts:
            continue
        width = max(len(title), *(len(k) for k in counts))
        lines.append(f"{title:<{width}}  {'total':>5}  {'error':>5}  {'warning':>7}  {'info':>5}")
        for name, row in sorted(counts.items(), key=lambda item: (-sum(item[1].values()), item[0])):
            lines.append(f"{name:<{width}}  {sum(row.values()):>5}  {row['error']:>5}  {row['warning']:>7}  "
                         f"{row['info']:>5}")
    return "\n".join(lines) + "\n"
