"""What the commands do, apart from parsing options: load, extract, check, render, write."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from figcheck import findings as rules
from figcheck import store
from figcheck.errors import FigcheckError, Warnings
from figcheck.models import Finding
from figcheck.pack import Config, load_config
from figcheck.pipeline import Corpus, extract_corpus, index_corpus, spill_corpus
from figcheck.records import FigureSet
from figcheck.reference import load_references


def load_rules(rules_paths) -> Config:
    return load_config(list(rules_paths) or None)


class Run:
    """One invocation: its configuration and the warnings it collects."""

    def __init__(self, rules=(), manifest: Path | None = None, strict: bool = False, quiet: bool = False):
        self.config = load_rules(tuple(rules))
        self.manifest = manifest
        self.strict = strict
        self.warnings = Warnings(quiet=quiet)
        if manifest is not None and not manifest.is_file():
            raise FigcheckError("no such manifest file", manifest)

    def corpus(self, paths) -> Corpus:
        corpus = Corpus(paths, self.warnings, self.manifest)
        if not corpus.files:
            raise FigcheckError("no articles (.txt, .md, .markdown, .html, .htm) found", ", ".join(map(str, paths)))
        return corpus

    def figures(self, paths, default_date: dt.date | None = None) -> FigureSet:
        """Figures of articles and stores named in paths."""
        stores = [Path(p) for p in paths if store.is_store(Path(p))]
        articles = [Path(p) for p in paths if not store.is_store(Path(p))]
        sets = [FigureSet(store.open_store(s).figures()) for s in stores]
        for path, loaded in zip(stores, sets):
            if not len(loaded):
                self.warnings.warn(f"{path}: the store holds no figures")
        if articles:
            corpus = self.corpus(articles)
            sets.append(extract_corpus(corpus, self.config, progress_bar(len(corpus), "extracting"),
                                       default_date=default_date))
        return FigureSet.concat(sets)

    def scanned(self, paths) -> FigureSet:
        """The figures for scan, read by the rules one metric group at a time: from the store when
        PATHS is one store, else extracted into a scratch store that lives as long as this run."""
        from figcheck.scope import StoredFigures

        stores = [Path(p) for p in paths if store.is_store(Path(p))]
        if stores and len(paths) > 1:
            return self.figures(paths)
        if stores:
            figures = StoredFigures(store.open_store(stores[0]))
            if not figures.metrics():
                self.warnings.warn(f"{stores[0]}: the store holds no figures")
            return figures
        import tempfile

        corpus = self.corpus(paths)
        self._scratch = tempfile.TemporaryDirectory(prefix="figcheck-scan-")
        spill_corpus(corpus, self.config, Path(self._scratch.name), progress_bar(len(corpus), "extracting"))
        return StoredFigures(store.open_store(Path(self._scratch.name)))

    def references(self, paths) -> list:
        known = set(self.config.metrics)
        return [row for path in paths for row in load_references(Path(path), known, self.warnings.warn)]

    def findings(self, figures: FigureSet, references, baseline: Path | None,
                 subjects: frozenset[str] | None = None) -> Iterator[Finding]:
        """The findings, produced as they are consumed (see findings.iter_findings)."""
        found = rules.iter_findings(figures, self.config, references, subjects)
        if baseline:
            found = rules.apply_baseline(found, rules.read_baseline(baseline))
        return found

    def check(self, paths, against, references, baseline: Path | None, today: dt.date,
              proportional: bool = True) -> list[Finding]:
        """Findings about the figures of the new articles, with the archive as evidence.

        From a store, only the rows the rules need to judge the new figures are read
        (figcheck/scope.py); `proportional=False` reads them all, with the same findings."""
        new = self.figures(paths, default_date=today)
        new_docs = new.docs()
        sets = []
        for path in map(Path, against):
            chosen = None
            if proportional and store.is_store(path):
                from figcheck.scope import archive_for

                chosen = archive_for(new, store.open_store(path), self.config)
            sets.append(self.figures([path]) if chosen is None else FigureSet(chosen))
        archive = FigureSet.concat(sets)
        archive = FigureSet(archive.frame.filter(~archive.frame["doc"].is_in(list(new_docs))))
        return self.findings(FigureSet.concat([new, archive]), references, baseline, frozenset(new_docs))

    def index(self, paths, store_dir: Path, engine: str = "local", scheduler: str | None = None) -> str:
        corpus = self.corpus(paths)
        progress = progress_bar(len(corpus), "indexing")
        if engine == "dask":
            from figcheck.dask_engine import client_for, dask_chunks

            with client_for(scheduler) as client:
                report = index_corpus(corpus, self.config, store_dir, progress, dask_chunks(client))
        else:
            report = index_corpus(corpus, self.config, store_dir, progress)
        return (f"{store_dir}: {report['articles']} articles, {report['figures']} figures "
                f"({report['extracted']} extracted, {report['unchanged']} unchanged, {report['removed']} removed)")

    def finish(self) -> None:
        """With --strict, any warning makes the run fail."""
        if self.strict and len(self.warnings):
            raise FigcheckError(f"{len(self.warnings)} problem(s) with the input (--strict)")


def progress_bar(total: int, label: str):
    """A progress callback drawing on stderr, only when stderr is a terminal and the job is long."""
    if total < 20 or not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import Progress

    progress = Progress(console=Console(stderr=True), transient=True)
    task = progress.add_task(label, total=total)
    progress.start()

    def advance(n: int) -> None:
        progress.advance(task, n)
        if progress.tasks[0].completed >= total:
            progress.stop()

    return advance


def render_figures(figures: FigureSet, fmt: str, excel: bool = False) -> str:
    from figcheck.output import csvout, plain, table

    items = list(figures)
    formats = {
        "jsonl": lambda: plain.as_jsonl(items),
        "json": lambda: plain.as_json(items),
        "csv": lambda: csvout.figures_csv(items, excel),
        "table": lambda: table.figures_table(items, width=_width(), color=sys.stdout.isatty()),
    }
    return formats[fmt]()


def render_findings(found: Iterable[Finding], fmt: str, config: Config, excel: bool = False) -> Iterator[str]:
    """The findings in a format, as chunks of text written as the findings come."""
    from figcheck.output import csvout, github, plain, sarif, table

    formats = {
        "json": lambda: plain.json_chunks(found),
        "jsonl": lambda: plain.jsonl_chunks(found),
        "csv": lambda: csvout.findings_csv(found, excel),
        "github": lambda: github.findings_github(found),
        "sarif": lambda: sarif.findings_sarif(found, rules.rule_descriptions(config)),
        "table": lambda: table.findings_table(found, width=_width(), color=sys.stdout.isatty()),
    }
    return formats[fmt]()


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


def emit(text: str | Iterable[str], output: Path | None) -> None:
    """Write text, or chunks of text as they come, to stdout or to a file as a shell redirect would;
    a failed write is an error (exit 2).

    A new or regular file is written whole or not at all (a temporary file beside it, then a
    rename). Anything else (a symlink, FIFO, device, a file with other hard links) is opened
    and written in place, so `-o /dev/null` stays a device and a link stays a link.
    """
    # Bytes, so CSV's CRLF and UTF-8 reach the reader whatever the platform does.
    chunks = (chunk.encode("utf-8") for chunk in ([text] if isinstance(text, str) else text))
    if output is None:
        try:
            for chunk in chunks:
                sys.stdout.buffer.write(chunk)
            sys.stdout.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise FigcheckError(f"cannot write output: {exc.strerror or exc}", "<stdout>") from None
        return
    try:
        info = os.lstat(output)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise FigcheckError(f"cannot write output: {exc.strerror or exc}", output) from None
    try:
        if info is None or (stat.S_ISREG(info.st_mode) and info.st_nlink == 1):
            _replace_whole(output, chunks, None if info is None else stat.S_IMODE(info.st_mode))
        else:
            with open(output, "wb") as handle:
                for chunk in chunks:
                    handle.write(chunk)
    except OSError as exc:
        raise FigcheckError(f"cannot write output: {exc.strerror or exc}", output) from None


def _replace_whole(output: Path, chunks: Iterable[bytes], mode: int | None) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode if mode is not None else 0o666 & ~_umask())
        os.replace(tmp, output)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
