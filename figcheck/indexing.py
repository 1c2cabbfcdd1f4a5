"""`figcheck index`: a corpus's articles added to a store, extracting only the ones that changed.

The store is read while its lock is held (store_writer.Writer), so runs that write one store take turns
and each keeps what the runs before it committed: read before the lock, a run's view of the store
missed the articles another run committed while it waited, and its commit dropped them. A run
that would write the store as it is (the same articles, bytes, metadata and packs, with the kept
rows of this version) writes nothing: indexing an archive before every `check` costs reading its
files, not rewriting the store.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import polars as pl

from figcheck import project, store
from figcheck.articles import read_file
from figcheck.errors import ArticleError, FigcheckError
from figcheck.kept import KEPT
from figcheck.kept import writer as kept_writer
from figcheck.pack import Config
from figcheck.pipeline import Corpus, Job, Unique, cache_key, extract_chunks


@dataclass
class _Plan:
    """What a run does to a store, given the articles it holds."""

    same_packs: bool
    stored: dict[str, dict]  # the store's article rows by identity
    in_run: set[str]  # identities of the articles named on the command line
    kept: list[dict]  # stored rows of articles whose text, metadata and packs are unchanged
    todo: list[tuple[Job, str]]  # articles to extract, with their cache keys
    gone: set[str]  # stored articles outside the run whose file no longer exists

    def others(self, written: set[str], prune: bool) -> list[dict]:
        """Stored rows outside the run that stay: kept when the packs are the same, or when their
        file is gone (until prune drops them)."""
        return [row for key, row in self.stored.items() if key not in written and key not in self.in_run
                and (self.same_packs or key in self.gone) and not (prune and key in self.gone)]


def _plan(corpus: Corpus, articles: pl.DataFrame, packs: str | None, fingerprint: str,
          keys: dict[str, str | None]) -> _Plan:
    """Which articles to extract again. keys: cache keys by file, read once for both plans of a run."""
    same_packs = packs == fingerprint
    stored = {row["key"]: row for row in articles.iter_rows(named=True)}
    jobs = corpus.jobs()
    in_run = {job.doc for job in jobs}
    gone = {key for key, row in stored.items() if key not in in_run and not Path(row["path"]).exists()}
    if not same_packs:  # every article of the store is read with the new packs
        jobs += corpus.stored_jobs([(row["path"], key) for key, row in stored.items()
                                    if key not in in_run and key not in gone])
    kept, todo = [], []
    for job in jobs:
        key = _key(job, keys, corpus)
        if key is None:
            continue
        old = stored.get(job.doc)
        if same_packs and old is not None and old["content_hash"] == key:
            kept.append(old)
        else:
            todo.append((job, key))
    return _Plan(same_packs, stored, in_run, kept, todo, gone)


def _key(job: Job, keys: dict[str, str | None], corpus: Corpus) -> str | None:
    """The article's cache key (see pipeline.cache_key), None when it cannot be read (said once)."""
    if job.path not in keys:
        try:
            data = job.data if job.data is not None else read_file(Path(job.path))
            keys[job.path] = cache_key(data, job.meta)
        except ArticleError as exc:
            corpus.warnings.warn(f"{project.shown(job.path)}: {exc.message}")
            keys[job.path] = None
    return keys[job.path]


class _Live(NamedTuple):
    articles: pl.DataFrame
    packs: str | None  # the fingerprint of the packs it was written with
    kept: str | None  # what its kept rows are (kept.KEPT for this version)


def _live(store_dir: Path) -> _Live | None:
    """What the live generation holds, read without the lock; None when there is none or it cannot
    be read (the run under the lock says why)."""
    if not store.is_store(store_dir):
        return None
    try:
        generation = store.open_store(store_dir)
        return _Live(generation.articles(), generation.rules, generation.record_kind)
    except FigcheckError:
        return None


def _report(plan: _Plan, rows: list[dict], extracted: int, figures: int, prune: bool) -> dict[str, int]:
    return {"extracted": extracted, "unchanged": len(plan.kept), "removed": len(plan.gone) if prune else 0,
            "missing": 0 if prune else len(plan.gone), "articles": len(rows), "figures": figures}


def index_corpus(corpus: Corpus, config: Config, store_dir: Path,
                 progress: Callable[[int], None] | None = None, prune: bool = False, chunks=None) -> dict[str, int]:
    """Add and update the corpus's articles in the store; keep the others, or with prune drop those
    whose file is gone. Articles whose text, metadata and packs are unchanged are not extracted again;
    when the packs changed, every article in the store is.

    `chunks` extracts the jobs, as pipeline.extract_chunks does on this machine
    (figcheck/dask_engine.py does it on a Dask cluster); the frames it yields are written to the
    store as they come."""
    chunks = chunks or extract_chunks
    fingerprint = store.rules_fingerprint(config.files)
    keys: dict[str, str | None] = {}
    live = _live(store_dir)
    if live is not None and (live.packs, live.kept) == (fingerprint, KEPT):
        plan = _plan(corpus, live.articles, live.packs, fingerprint, keys)
        rows = plan.kept + plan.others({row["key"] for row in plan.kept}, prune)
        if not plan.todo and len(rows) == len(plan.stored):  # the store would be written as it is
            if progress:
                progress(len(plan.kept))
            return _report(plan, rows, 0, sum(row["figures"] for row in rows), prune)
    with kept_writer(store_dir, config) as writer:
        snapshot = store.load(store_dir)  # under the lock: what runs before this one committed
        plan = _plan(corpus, snapshot.articles, snapshot.rules, fingerprint, keys)
        if progress:
            progress(len(plan.kept))
        fresh_docs: set[str] = set()
        unique = Unique(corpus.warnings, fresh_docs)
        counts: dict[str, int] = {}
        for frame, hashes in chunks([job for job, _ in plan.todo], config, corpus.warnings, progress):
            frame = unique(frame, hashes)
            writer.add(frame.with_columns(path=pl.Series([os.path.abspath(p) for p in frame["path"]],
                                                         dtype=pl.String)))
            for doc, n in frame.group_by("doc").len().iter_rows():
                counts[doc] = counts.get(doc, 0) + n
        rows = plan.kept + [{"key": job.doc, "path": os.path.abspath(job.path), "content_hash": key,
                             "figures": counts.get(job.doc, 0)} for job, key in plan.todo if job.doc in fresh_docs]
        others = plan.others({row["key"] for row in rows}, prune)
        rows += others
        old_figures = snapshot.figures.filter(pl.col("doc").is_in([row["key"] for row in plan.kept + others]))
        writer.add(old_figures)
        rows.sort(key=lambda row: row["key"])
        writer.commit(pl.DataFrame(rows, schema=store.ARTICLE_SCHEMA), fingerprint)
    return _report(plan, rows, len(plan.todo), old_figures.height + sum(counts.values()), prune)
