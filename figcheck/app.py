"""What the commands do, apart from parsing options and writing output: load, extract, check, index."""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from figcheck import findings as rules

from figcheck import project, store
from figcheck.articles import load_manifest
from figcheck.checks.frame import reusing
from figcheck.errors import FigcheckError, Warnings
from figcheck.models import Finding
from figcheck.pack import Config, load_config
from figcheck.pipeline import Corpus, extract_corpus, spill_corpus
from figcheck.records import FigureSet


def load_rules(rules_paths) -> Config:
    config = load_config(list(rules_paths) or None)
    if not config.metrics:
        raise FigcheckError("the metric packs define no metrics: nothing to look for", ", ".join(config.files))
    return config


def rule_ids() -> list[str]:
    from figcheck.checks import RULES

    return list(RULES)


def chosen_rules(select, ignore, where: str = "") -> set[str]:
    """The rule ids to report, from --select/--ignore or the project's select/ignore."""
    known = rule_ids()
    for rule in [*(select or []), *(ignore or [])]:
        if rule not in known:
            raise FigcheckError(f"{where}unknown rule {rule!r} (rules: {', '.join(known)})")
    return set(select or known) - set(ignore or [])


class Run:
    """One invocation: the project's settings, the configuration, the warnings it collects, and the
    figures and reference rows its findings were drawn from (for the HTML report's timelines)."""

    def __init__(self, rules=(), manifest: Path | None = None, strict: bool = False, quiet: bool = False,
                 select=(), ignore=()):
        self.project = project.find()
        settings = self.project.settings
        packs = list(rules) or [self.project.path(p) for p in settings.packs or []]
        self.config = load_rules(tuple(packs))
        self.manifest = manifest
        self.strict = strict
        self.warnings = Warnings(quiet=quiet)
        self._charted_from: tuple[FigureSet, frozenset[str] | None, list] | None = None
        if manifest is not None and not manifest.is_file():
            raise FigcheckError("no such manifest file", manifest)
        from_settings = f"{self.project.source}: " if self.project.source else ""
        chosen_rules(settings.select, settings.ignore, from_settings)
        self.rules = chosen_rules(list(select) or settings.select,
                                  list(ignore) if select or ignore else settings.ignore)

    @property
    def charted(self) -> tuple[FigureSet, list]:
        """The figures and reference rows of the last findings, for the HTML report's timelines:
        read when asked, so a run that does not draw them never holds them."""
        if self._charted_from is None:
            return FigureSet.of([]), []
        figures, subjects, references = self._charted_from
        return _charted(figures.whole() if hasattr(figures, "whole") else figures, subjects), references

    def setting_paths(self, given, name: str) -> list[Path]:
        """Paths given on the command line, else those the project's settings name."""
        if given:
            return [Path(p) for p in given]
        value = getattr(self.project.settings, name)
        values = value if isinstance(value, list) else [value] if value else []
        return [self.project.path(v) for v in values]

    def corpus(self, paths, fail_closed: bool = False) -> Corpus:
        corpus = Corpus(paths, self.warnings, self.manifest, self.project.root, fail_closed)
        if not corpus.files:
            raise FigcheckError("no articles (.txt, .md, .markdown, .html, .htm) found", ", ".join(map(str, paths)))
        return corpus

    def figures(self, paths, default_date: dt.date | None = None, fail_closed: bool = False,
                figure_files=()) -> FigureSet:
        """Figures of articles and stores named in paths, and of figures files."""
        from figcheck import figfile

        if not paths and not figure_files:
            raise FigcheckError("nothing to check: give articles, a store, or --figures FILE")
        figure_files = [*figure_files, *(Path(p) for p in paths if figfile.is_figures_file(Path(p)))]
        paths = [p for p in paths if not figfile.is_figures_file(Path(p))]
        stores = [Path(p) for p in paths if store.is_store(Path(p))]
        articles = [Path(p) for p in paths if not store.is_store(Path(p))]
        sets = [_shown_paths(FigureSet(store.open_store(s).figures())) for s in stores]
        sets.extend(self.figure_file(Path(f)) for f in figure_files)
        for path, loaded in zip(stores, sets):
            if not len(loaded):
                self.warnings.warn(f"{path}: the store holds no figures")
        if articles:
            corpus = self.corpus(articles, fail_closed)
            sets.append(extract_corpus(corpus, self.config, progress_bar(len(corpus), "extracting"),
                                       default_date=default_date))
        return FigureSet.concat(sets)

    def scanned(self, paths, figure_files=()) -> FigureSet:
        """The figures for scan, read by the rules one metric group at a time: from the store when
        PATHS is one store, else, when PATHS are articles, extracted into a scratch store that lives
        as long as this run (by a process of its own for a large corpus: pipeline.spill_corpus).
        Figures files, or stores beside other paths, are read whole."""
        from figcheck import figfile
        from figcheck.scope import StoredFigures

        paths = list(paths)
        if not paths or figure_files or any(figfile.is_figures_file(Path(p)) for p in paths):
            return self.figures(paths, figure_files=figure_files)
        stores = [Path(p) for p in paths if store.is_store(Path(p))]
        if stores and len(paths) > 1:
            return self.figures(paths)
        if stores:
            figures = StoredFigures(store.open_store(stores[0]), shown=_shown_paths)
            if not figures.metrics():
                self.warnings.warn(f"{stores[0]}: the store holds no figures")
            return figures
        corpus = self.corpus([Path(p) for p in paths])
        self._scratch = tempfile.TemporaryDirectory(prefix="figcheck-scan-")
        spill_corpus(corpus, self.config, Path(self._scratch.name), progress_bar)
        return StoredFigures(store.open_store(Path(self._scratch.name)))

    def figure_file(self, path: Path) -> FigureSet:
        from figcheck import figfile

        if not path.is_file():
            raise FigcheckError("no such figures file", path)
        entries = None
        if self.manifest is not None:
            entries, problems = load_manifest(self.manifest)
            for problem in problems:
                self.warnings.warn(problem)
        folder = self.manifest.parent if self.manifest is not None else None
        return figfile.load_figures(path, entries, folder, self.warnings.warn)

    def references(self, paths) -> list:
        paths = self.setting_paths(paths, "reference")
        if not paths:
            return []
        from figcheck.reference import load_references

        known = set(self.config.metrics)
        return [row for path in paths for row in load_references(Path(path), known, self.warnings.warn)]

    def findings(self, figures: FigureSet, references, baseline: Path | None,
                 subjects: frozenset[str] | None = None, claimants: list[str] | None = None) -> list[Finding]:
        """The findings, in `finding_order` within each metric group (see findings.iter_findings)."""
        return list(self.iter_findings(figures, references, baseline, subjects, claimants))

    def iter_findings(self, figures: FigureSet, references, baseline: Path | None,
                      subjects: frozenset[str] | None = None, claimants: list[str] | None = None) -> Iterator[Finding]:
        """The findings, produced as they are consumed: a caller that writes them as they come
        never holds them all."""
        found = rules.iter_findings(figures, self.config, references, subjects, claimants, order=finding_order)
        # Filtered after the rules ran, so ignoring one rule never changes what another reports
        # (conflict leaves to outdated what outdated reports).
        found = (f for f in found if f.rule in self.rules)
        self._charted_from = (figures, subjects, references)
        if baseline:
            found = rules.apply_baseline(found, rules.read_baseline(baseline))
        return found

    def check(self, paths, against, references, baseline: Path | None, today: dt.date,
              figure_files=(), proportional: bool = True) -> list[Finding]:
        """Findings about the figures of the new articles (or of figures files), with the archive as evidence.

        The new articles fail closed: one that cannot be read, dated or parsed is an error.
        From a store, only the rows the rules need to judge the new figures are read
        (figcheck/scope.py); `proportional=False` reads them all, with the same findings."""
        new_sets = [self.figure_file(Path(f)) for f in figure_files]
        new_docs = set()
        if paths:
            corpus = self.corpus([Path(p) for p in paths], fail_closed=True)
            new_sets.append(extract_corpus(corpus, self.config, progress_bar(len(corpus), "extracting"),
                                           default_date=today))
            new_docs |= set(corpus.docs)
        new = FigureSet.concat(new_sets)
        new_docs |= new.docs()
        if not new_sets:
            raise FigcheckError("nothing to check: give articles or --figures FILE")
        with reusing():
            return self._check(new, new_docs, against, references, baseline, proportional)

    def _check(self, new: FigureSet, new_docs: set[str], against, references, baseline: Path | None,
               proportional: bool) -> list[Finding]:
        sets, names, partial = [], [new.claimant_names(self.config)], False
        for path in self.setting_paths(against, "store"):
            chosen = None
            if proportional and store.is_store(path):
                from figcheck.scope import archive_for, claimant_names

                generation = store.open_store(path)
                stored_names = claimant_names(new, generation, self.config)
                chosen = archive_for(new, generation, self.config, sorted(set(names[0]) | set(stored_names)))
                if chosen is None:
                    self.warnings.warn(f"{path}: indexed with other metric packs: read whole, with the figures "
                                       "those packs found (`figcheck index` brings it up to date)")
                else:
                    partial = True
                    names.append(stored_names)
                    if not len(FigureSet(chosen)) and not generation.metrics:
                        self.warnings.warn(f"{path}: the store holds no figures")
            loaded = self.figures([path]) if chosen is None else _shown_paths(FigureSet(chosen))
            loaded = FigureSet(loaded.frame.filter(~loaded.frame["doc"].is_in(list(new_docs))))
            if chosen is None:
                names.append(loaded.claimant_names(self.config))
            sets.append(loaded)
        archive = FigureSet.concat(sets)
        # Claimant series are drawn from the names of the whole archive, read or not.
        claimants = sorted(set().union(*names)) if partial else None
        return self.findings(FigureSet.concat([new, archive]), references, baseline, frozenset(new_docs),
                             claimants)

    def index(self, paths, store_dir: Path, prune: bool = False, engine: str = "local",
              scheduler: str | None = None) -> str:
        from figcheck.indexing import index_corpus

        corpus = self.corpus(paths)
        progress = progress_bar(len(corpus), "indexing")
        chunks = None
        if engine == "dask":
            from figcheck.dask_engine import cluster_chunks

            chunks = cluster_chunks(scheduler)
        report = index_corpus(corpus, self.config, store_dir, progress, prune, chunks)
        missing = (f"; {report['missing']} no longer exist (--prune drops them)" if report["missing"] else "")
        return (f"{store_dir}: {report['articles']} articles, {report['figures']} figures "
                f"({report['extracted']} extracted, {report['unchanged']} unchanged, {report['removed']} removed"
                f"{missing})")

    def finish(self) -> None:
        """With --strict, any warning makes the run fail."""
        if self.strict and len(self.warnings):
            raise FigcheckError(f"{len(self.warnings)} problem(s) with the input (--strict)")


def finding_order(finding: Finding) -> tuple:
    """One order for findings whatever order the rules produced them in: by rule, then by subject."""
    subject = finding.figures[0]
    order = {rule: k for k, rule in enumerate(rule_ids())}
    return (order.get(finding.rule, 99), finding.metric, subject.doc, subject.char_start, finding.message,
            tuple((f.doc, f.char_start) for f in finding.figures[1:]))


def _shown_paths(figures: FigureSet) -> FigureSet:
    """A store keeps absolute paths; they are printed relative to the working directory
    (project.shown), as frame operations for plain absolute paths, the others one by one."""
    frame = figures.frame
    if not frame.height:
        return figures
    cwd = os.getcwd()
    prefix = cwd.rstrip("/") + "/"
    path = pl.col("path")
    plain = path.str.starts_with("/") & ~path.str.contains(r"//|/\.\.?/|/\.?\.?$")
    odd = frame.filter(~plain)["path"].unique().to_list()
    shown = (pl.when(path == cwd).then(pl.lit("."))
             .when(path.str.starts_with(prefix)).then(path.str.slice(len(prefix)))
             .otherwise(path))
    if odd:
        shown = pl.when(plain).then(shown).otherwise(
            path.replace_strict({p: project.shown(p) for p in odd}, default=path, return_dtype=pl.String))
    return FigureSet(frame.with_columns(path=shown))


def _charted(figures: FigureSet, subjects: frozenset[str] | None) -> FigureSet:
    """With subjects (check), the figures of the metrics that the subject articles report."""
    if subjects is None:
        return figures
    frame = figures.frame
    metrics = frame.filter(frame["doc"].is_in(list(subjects)))["metric"].unique()
    return FigureSet(frame.filter(frame["metric"].is_in(metrics.implode())))


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


