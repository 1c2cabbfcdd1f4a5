"""Tables for people at a terminal, drawn with rich."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator

from figcheck.models import Figure, Finding

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _console(width: int | None, color: bool):
    from rich.console import Console

    return Console(file=io.StringIO(), width=width or 140, force_terminal=color, no_color=not color,
                   highlight=False, soft_wrap=False)


def short(sentence: str, surface: str, reach: int = 60) -> str:
    """The figure with some words either side."""
    at = sentence.find(surface)
    if at < 0:
        return sentence[: 2 * reach]
    left = max(0, at - reach)
    right = min(len(sentence), at + len(surface) + reach)
    return ("…" if left else "") + sentence[left:right] + ("…" if right < len(sentence) else "")


def figures_table(figures: list[Figure], width: int | None = None, color: bool = False) -> str:
    from rich.table import Table
    from rich.text import Text

    console = _console(width, color)
    table = Table(show_lines=False, header_style="bold", expand=True)
    table.add_column("outlet", max_width=24, overflow="fold")
    table.add_column("date", no_wrap=True)
    table.add_column("metric", no_wrap=True)
    table.add_column("figure", no_wrap=True)
    table.add_column("claimant", max_width=24, overflow="fold")
    table.add_column("context", ratio=1, min_width=30, overflow="fold")
    for f in figures:  # cells as Text: what articles say is shown as written, never read as rich markup
        table.add_row(*map(Text, (f.outlet or f.doc, str(f.as_of or "?"), f.metric, f.surface, f.claimant or "",
                                  short(f.sentence, f.surface, 40))))
    console.print(table)
    docs = len({f.doc for f in figures})
    console.print(f"{len(figures)} figure{'' if len(figures) == 1 else 's'} in {docs} article{'' if docs == 1 else 's'}")
    return console.file.getvalue()


def findings_table(findings: Iterable[Finding], width: int | None = None, color: bool = False) -> Iterator[str]:
    """Findings under a rule line per metric, drawn and written one at a time."""
    from rich.panel import Panel
    from rich.text import Text

    console = _console(width, color)
    counts = {"error": 0, "warning": 0, "info": 0}
    metric = None
    for finding in findings:
        if finding.metric != metric:
            metric = finding.metric
            console.rule(Text(metric, style="bold"))
        counts[finding.severity] += 1
        body = Text()
        body.append(finding.message + "\n")
        for k, f in enumerate(finding.figures):
            mark = "→" if k == 0 else " "
            body.append(f"{mark} {f.outlet or f.doc} ({f.as_of or '?'}) {f.path}:{f.line}:{f.column}  ", style="dim")
            body.append(f"“{short(f.sentence, f.surface)}”\n")
        if finding.reference:
            ref = finding.reference
            body.append(f"  reference {ref.source or ''} {ref.date}: {ref.value:,.0f}\n", style="dim")
        title = f"[{SEVERITY_STYLE[finding.severity]}]{finding.severity}[/] {finding.rule}"
        console.print(Panel(body, title=title, title_align="left"))
        yield _drain(console)
    if metric is None:
        console.print("No findings.")
    else:
        plural = {"error": "errors", "warning": "warnings", "info": "info"}
        console.print(", ".join(f"{n} {s if n == 1 else plural[s]}" for s, n in counts.items() if n))
    yield _drain(console)


def _drain(console) -> str:
    text = console.file.getvalue()
    console.file.seek(0)
    console.file.truncate()
    return text


def terminal_width() -> int | None:
    import shutil
    import sys

    return shutil.get_terminal_size((140, 24)).columns if sys.stdout.isatty() else 140


def numbers_table(rows: list[dict], width: int | None = None, color: bool = False) -> str:
    from rich.table import Table

    console = _console(width, color)
    table = Table(show_lines=False, header_style="bold", expand=True)
    table.add_column("doc", max_width=24, overflow="fold")
    table.add_column("at", justify="right", no_wrap=True)
    table.add_column("surface", ratio=1, overflow="fold")
    table.add_column("value", justify="right", no_wrap=True)
    table.add_column("bounds", no_wrap=True)
    table.add_column("qualifier", no_wrap=True)
    table.add_column("unit", no_wrap=True)
    table.add_column("rejected", no_wrap=True)
    for r in rows:
        bounds = "" if r["low"] is None and r["high"] is None else f"{_fmt(r['low'])}..{_fmt(r['high'])}"
        table.add_row(r["doc"], str(r["char_start"]), r["surface"], _fmt(r["value"]), bounds, r["qualifier"], r["unit"],
                      r["rejected"] or "")
    console.print(table)
    console.print(f"{len(rows)} numbers in {len({r['doc'] for r in rows})} documents")
    return console.file.getvalue()


def _fmt(value) -> str:
    if value is None:
        return ""
    return f"{value:,}" if isinstance(value, int) else f"{value:,.6g}"
