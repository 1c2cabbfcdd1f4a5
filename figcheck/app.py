"""What the commands do, apart from parsing options: load, extract, check, render, write."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from figcheck.errors import FigcheckError, Warnings
from figcheck.models import Figure
from figcheck.pack import Config, load_config
from figcheck.pipeline import Corpus, extract_corpus


def load_rules(rules: tuple[Path, ...]) -> Config:
    return load_config(list(rules) or None)


class Run:
    """One invocation: its configuration and the warnings it collects."""

    def __init__(self, rules=(), manifest: Path | None = None, strict: bool = False, quiet: bool = False):
        self.config = load_rules(tuple(rules))
        self.manifest = manifest
        self.strict = strict
        self.warnings = Warnings(quiet=quiet)

    def corpus(self, paths) -> Corpus:
        if self.manifest is not None and not self.manifest.is_file():
            raise FigcheckError("no such manifest file", self.manifest)
        corpus = Corpus(paths, self.warnings, self.manifest)
        if not corpus.files:
            self.warnings.warn(f"{', '.join(map(str, paths))}: no articles (.txt, .md, .html) found")
        return corpus

    def figures(self, paths) -> list[Figure]:
        corpus = self.corpus(paths)
        return extract_corpus(corpus, self.config, progress_bar(len(corpus), "extracting"))

    def finish(self) -> None:
        """With --strict, any warning makes the run fail."""
        if self.strict and len(self.warnings):
            raise FigcheckError(f"{len(self.warnings)} problem(s) with the input (--strict)")


def progress_bar(total: int, label: str):
    """A progress callback drawing on stderr, only when stderr is a terminal and the job is long."""
    if total < 20 or not sys.stderr.isatty():
        return None
    from rich.progress import Progress

    progress = Progress(transient=True, console=None)
    from rich.console import Console

    progress = Progress(console=Console(stderr=True), transient=True)
    task = progress.add_task(label, total=total)
    progress.start()

    def advance(n: int) -> None:
        progress.advance(task, n)
        if progress.tasks[0].completed >= total:
            progress.stop()

    return advance


def render_figures(figures: list[Figure], fmt: str, excel: bool = False) -> str:
    from figcheck.output import csvout, plain, table

    if fmt == "jsonl":
        return plain.as_jsonl(figures)
    if fmt == "json":
        return plain.as_json(figures)
    if fmt == "csv":
        return csvout.figures_csv(figures, excel)
    return table.figures_table(figures, width=_width(), color=sys.stdout.isatty())


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


def _width() -> int | None:
    import shutil

    return shutil.get_terminal_size((140, 24)).columns if sys.stdout.isatty() else 140


def emit(text: str, output: Path | None) -> None:
    """Write to stdout, or to a file (created whole or not at all)."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    tmp = output.with_name(f".{output.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8", newline="")
        tmp.replace(output)
    except OSError as exc:
        tmp.unlink(missing_ok=True) if tmp.parent.is_dir() else None
        raise FigcheckError(f"cannot write output: {exc.strerror or exc}", output) from None
