"""Reading a corpus: articles streamed one at a time, figures collected, bad articles skipped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import polars as pl

from figcheck import store
from figcheck.articles import Meta, content_hash, discover, load_manifest, read_article
from figcheck.errors import ArticleError, Warnings
from figcheck.extract.extractor import extract
from figcheck.models import Article, Figure
from figcheck.pack import Config
from figcheck.records import FigureSet


class Corpus:
    """The articles named on the command line, with their manifest metadata."""

    def __init__(self, paths: Iterable[Path], warnings: Warnings, manifest: Path | None = None):
        self.paths = list(paths)
        self.warnings = warnings
        self._manifests: dict[Path, dict[str, Meta]] = {}
        self.manifest_override = self._entries(manifest) if manifest else None
        self.files = list(discover(self.paths, warnings.warn))
        self._check_manifest_rows()

    def _entries(self, manifest: Path) -> dict[str, Meta]:
        if manifest not in self._manifests:
            entries, problems = load_manifest(manifest)
            for problem in problems:
                self.warnings.warn(problem)
            self._manifests[manifest] = entries
        return self._manifests[manifest]

    def _meta(self, path: Path, manifest: Path | None) -> Meta | None:
        if self.manifest_override is not None:
            return self.manifest_override.get(path.name)
        return self._entries(manifest).get(path.name) if manifest else None

    def _check_manifest_rows(self) -> None:
        names = {path.name for path, _ in self.files}
        manifests = {m for _, m in self.files if m is not None} if self.manifest_override is None else set()
        for manifest in sorted(manifests):
            for name in sorted(set(self._entries(manifest)) - names):
                self.warnings.warn(f"{manifest}: lists {name!r}, which is not among the articles")

    def __len__(self) -> int:
        return len(self.files)

    def read(self, path: Path, manifest: Path | None, default_date: dt.date | None = None) -> Article | None:
        """One article, or None (with a warning) when it cannot be used."""
        try:
            article = read_article(path, self._meta(path, manifest))
        except ArticleError as exc:
            self.warnings.warn(exc)
            return None
        if article.published is None:
            if default_date is not None:
                self.warnings.warn(f"{path}: publication date unknown, taken as {default_date}")
                article.published = default_date
            else:
                self.warnings.warn(f"{path}: publication date unknown (no front matter, manifest row or dateline); "
                                   "its figures carry published: null")
        return article

    def articles(self, default_date: dt.date | None = None) -> Iterator[Article]:
        """Each readable article once, streamed; identical copies are skipped with a warning."""
        seen: dict[str, str] = {}
        for path, manifest in self.files:
            article = self.read(path, manifest, default_date)
            if article is None:
                continue
            if article.content_hash in seen:
                self.warnings.warn(f"{path}: same text as {seen[article.content_hash]}, skipped")
                continue
            seen[article.content_hash] = str(path)
            yield article


def extract_corpus(corpus: Corpus, config: Config, progress: Callable[[int], None] | None = None,
                   default_date: dt.date | None = None) -> list[Figure]:
    figures: list[Figure] = []
    for article in corpus.articles(default_date):
        figures.extend(safe_extract(article, config, corpus.warnings))
        if progress:
            progress(1)
    return figures


def safe_extract(article: Article, config: Config, warnings: Warnings) -> list[Figure]:
    """One article's figures; a failure on it is a warning that names it, never a lost run."""
    try:
        return extract(article, config)
    except (KeyboardInterrupt, MemoryError):
        raise
    except Exception as exc:  # noqa: BLE001 - one bad article must not lose the others' results
        warnings.warn(f"{article.path}: could not extract figures ({type(exc).__name__}: {exc}), skipped")
        return []


def index_corpus(corpus: Corpus, config: Config, store_dir: Path,
                 progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Bring the store up to date: extract new and changed articles, keep unchanged ones, drop removed ones."""
    snapshot = store.load(store_dir)
    fingerprint = store.rules_fingerprint(config.files)
    known = {}
    if snapshot.rules == fingerprint:
        known = {row["key"]: row for row in snapshot.articles.iter_rows(named=True)}
    kept_paths: list[str] = []
    rows: list[dict] = []
    fresh: list[Figure] = []
    counts = {"extracted": 0, "unchanged": 0}
    seen_hashes: dict[str, str] = {}
    for path, manifest in corpus.files:
        key = str(path.resolve())
        try:
            digest = content_hash(path.read_bytes())
        except OSError as exc:
            corpus.warnings.warn(f"{path}: cannot read: {exc.strerror or exc}")
            continue
        if digest in seen_hashes:
            corpus.warnings.warn(f"{path}: same text as {seen_hashes[digest]}, skipped")
            continue
        seen_hashes[digest] = str(path)
        old = known.get(key)
        if old is not None and old["content_hash"] == digest:
            kept_paths.append(old["path"])
            rows.append(old)
            counts["unchanged"] += 1
        else:
            article = corpus.read(path, manifest)
            if article is not None:
                figures = safe_extract(article, config, corpus.warnings)
                fresh.extend(figures)
                rows.append({"key": key, "path": article.path, "content_hash": digest, "figures": len(figures)})
                counts["extracted"] += 1
        if progress:
            progress(1)
    kept = snapshot.figures.filter(pl.col("path").is_in(kept_paths)) if kept_paths else snapshot.figures.clear()
    figures = pl.concat([kept, FigureSet.of(fresh).frame]) if fresh else FigureSet(kept).frame
    articles = pl.DataFrame(rows, schema=store.ARTICLE_SCHEMA)
    store.save(store_dir, figures, articles, fingerprint)
    removed = len(set(known) - {r["key"] for r in rows})
    return dict(counts, removed=removed, articles=len(rows), figures=figures.height)
