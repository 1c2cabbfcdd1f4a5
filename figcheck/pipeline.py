"""Reading a corpus: articles streamed one at a time, figures collected, bad articles skipped."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from figcheck import store
from figcheck.articles import Meta, content_hash, discover, load_manifest, parse_article, read_article, read_file
from figcheck.errors import ArticleError, Warnings
from figcheck.extract.extractor import extract
from figcheck.models import Article, Figure
from figcheck.pack import Config, load_config
from figcheck.records import FigureSet
from figcheck.scope import record_rows
from figcheck.timelimit import OverTime, time_limit

PARALLEL_FROM = 200  # articles; below this, starting worker processes costs more than it saves
CHUNK = 50
ARTICLE_SECONDS = 180.0  # CPU time to read and extract one article; a 50 MB text takes about a third of it


class Corpus:
    """The articles named on the command line, with their manifest metadata."""

    def __init__(self, paths: Iterable[Path], warnings: Warnings, manifest: Path | None = None):
        self.warnings = warnings
        self._manifests: dict[Path, dict[str, Meta]] = {}
        self.manifest_override = self._entries(manifest) if manifest else None
        self.files = list(discover(paths, warnings.warn))
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

    def jobs(self, default_date: dt.date | None = None) -> list[Job]:
        return [Job(str(path), self._meta(path, manifest), default_date) for path, manifest in self.files]


@dataclass(frozen=True)
class Job:
    """One article to read: picklable, so a worker process can take it."""

    path: str
    meta: Meta | None
    default_date: dt.date | None = None


def read_job(job: Job, warnings: Warnings, data: bytes | None = None) -> Article | None:
    """One article, from its file or from its bytes already read, or None (with a warning) when it cannot be used."""
    path = Path(job.path)
    try:
        article = read_article(path, job.meta) if data is None else parse_article(data, path, job.meta)
    except ArticleError as exc:
        warnings.warn(exc)
        return None
    except (KeyboardInterrupt, MemoryError):
        raise
    except Exception as exc:  # noqa: BLE001 - one unreadable article must not lose the others' results
        warnings.warn(f"{path}: could not read ({type(exc).__name__}: {str(exc)[:200]}), skipped")
        return None
    if article.published is None:
        if job.default_date is not None:
            warnings.warn(f"{path}: publication date unknown, taken as {job.default_date}")
            article.published = job.default_date
        else:
            warnings.warn(f"{path}: publication date unknown (no front matter, manifest row or dateline); "
                          "its figures carry published: null")
    return article


def safe_extract(article: Article, config: Config, warnings: Warnings) -> list[Figure]:
    """One article's figures; a failure on it is a warning that names it, never a lost run."""
    try:
        return extract(article, config)
    except (KeyboardInterrupt, MemoryError):
        raise
    except Exception as exc:  # noqa: BLE001 - one bad article must not lose the others' results
        warnings.warn(f"{article.path}: could not extract figures ({type(exc).__name__}: {exc}), skipped")
        return []


def _extract_chunk(jobs: list[Job], config: Config,
                   texts: list[bytes] | None = None) -> tuple[list[Figure], list[str], list[tuple[str, str]]]:
    """Figures, warnings and (path, content hash) of each readable article, for a list of jobs
    (read from their files, or from `texts` when the caller has the bytes)."""
    warnings = Warnings(quiet=True)
    figures: list[Figure] = []
    hashes: list[tuple[str, str]] = []
    for k, job in enumerate(jobs):
        try:
            with time_limit(ARTICLE_SECONDS):
                article = read_job(job, warnings, None if texts is None else texts[k])
                found = safe_extract(article, config, warnings) if article is not None else []
        except OverTime:
            warnings.warn(f"{job.path}: reading and extracting took over {ARTICLE_SECONDS:.0f} s of CPU time "
                          "(the limit per article), skipped")
            continue
        if article is not None:
            hashes.append((job.path, article.content_hash))
            figures.extend(found)
    return figures, warnings.items, hashes


_WORKER_CONFIG: Config | None = None


def _worker_init(rule_files: list[str]) -> None:
    global _WORKER_CONFIG
    _WORKER_CONFIG = load_config([Path(f) for f in rule_files])


def _worker_chunk(jobs: list[Job]) -> tuple[pl.DataFrame, list[str], list[tuple[str, str]]]:
    figures, warnings, hashes = _extract_chunk(jobs, _WORKER_CONFIG)
    return FigureSet.of(figures).frame, warnings, hashes


def extract_chunks(jobs: list[Job], config: Config, warnings: Warnings,
                   progress: Callable[[int], None] | None = None) -> Iterator[tuple[pl.DataFrame, list[tuple[str, str]]]]:
    """Each chunk's figure frame and (path, content hash) of its readable articles, in job order:
    in worker processes, one per core, when there are many articles.

    Workers read the files themselves and send back figure frames, so the texts never gather
    in one process, and a caller that writes each frame away holds none of them.
    """
    chunks = [jobs[i:i + CHUNK] for i in range(0, len(jobs), CHUNK)]
    workers = min(os.cpu_count() or 1, len(chunks))
    if len(jobs) >= PARALLEL_FROM and workers > 1:
        import multiprocessing  # here: a check of one draft never starts workers, nor pays for these imports
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("spawn")  # fork is unsafe once polars' threads run
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_init,
                                 initargs=(config.files,)) as pool:
            done = ((result, chunk) for result, chunk in zip(pool.map(_worker_chunk, chunks), chunks))
            yield from _passed_on(done, warnings, progress)
    else:
        local = ((_local_chunk(chunk, config), chunk) for chunk in chunks)
        yield from _passed_on(local, warnings, progress)


def _local_chunk(jobs: list[Job], config: Config) -> tuple[pl.DataFrame, list[str], list[tuple[str, str]]]:
    figures, items, hashes = _extract_chunk(jobs, config)
    return FigureSet.of(figures).frame, items, hashes


def _passed_on(results, warnings: Warnings, progress) -> Iterator[tuple[pl.DataFrame, list[tuple[str, str]]]]:
    for (frame, items, hashes), chunk in results:
        for item in items:
            warnings.warn(item)
        if progress:
            progress(len(chunk))
        yield frame, hashes


def extract_jobs(jobs: list[Job], config: Config, warnings: Warnings,
                 progress: Callable[[int], None] | None = None) -> FigureSet:
    """Every job's figures. An article whose text repeats an earlier one is dropped with a warning."""
    frames: list[pl.DataFrame] = []
    seen: dict[str, str] = {}
    duplicates: list[str] = []
    for frame, hashes in extract_chunks(jobs, config, warnings, progress):
        frames.append(frame)
        for path, digest in hashes:
            if digest in seen:
                warnings.warn(f"{path}: same text as {seen[digest]}, skipped")
                duplicates.append(path)
            else:
                seen[digest] = path
    figures = FigureSet.concat([FigureSet(frame) for frame in frames])
    if duplicates:
        return FigureSet(figures.frame.filter(~pl.col("path").is_in(duplicates)))
    return figures


def spill_corpus(corpus: Corpus, config: Config, store_dir: Path,
                 progress: Callable[[int], None] | None = None) -> None:
    """Extract the corpus into a scratch store, chunk by chunk, so that no process holds all its figures."""
    seen: dict[str, str] = {}
    with store.Writer(store_dir, record=lambda frame: frame.clear()) as writer:
        for frame, hashes in extract_chunks(corpus.jobs(), config, corpus.warnings, progress):
            duplicates = []
            for path, digest in hashes:
                if digest in seen:
                    corpus.warnings.warn(f"{path}: same text as {seen[digest]}, skipped")
                    duplicates.append(path)
                else:
                    seen[digest] = path
            writer.add(frame.filter(~pl.col("path").is_in(duplicates)) if duplicates else frame)
        writer.commit(pl.DataFrame(schema=store.ARTICLE_SCHEMA), "")


def extract_corpus(corpus: Corpus, config: Config, progress: Callable[[int], None] | None = None,
                   default_date: dt.date | None = None) -> FigureSet:
    return extract_jobs(corpus.jobs(default_date), config, corpus.warnings, progress)


def index_corpus(corpus: Corpus, config: Config, store_dir: Path,
                 progress: Callable[[int], None] | None = None, chunks=None) -> dict[str, int]:
    """Bring the store up to date: extract new and changed articles, keep unchanged ones, drop removed ones.

    `chunks` extracts the jobs, as extract_chunks does on this machine (figcheck/dask_engine.py
    does it on a Dask cluster); the frames it yields are written to the store as they come."""
    chunks = chunks or extract_chunks
    snapshot = store.load(store_dir)
    fingerprint = store.rules_fingerprint(config.files)
    known = {}
    if snapshot.rules == fingerprint:
        known = {row["key"]: row for row in snapshot.articles.iter_rows(named=True)}
    kept: list[dict] = []
    todo: list[tuple[Job, str, str]] = []
    seen_hashes: dict[str, str] = {}
    for job in corpus.jobs():
        path = Path(job.path)
        try:
            digest = content_hash(read_file(path))
        except ArticleError as exc:
            corpus.warnings.warn(exc)
            continue
        if digest in seen_hashes:
            corpus.warnings.warn(f"{path}: same text as {seen_hashes[digest]}, skipped")
            continue
        seen_hashes[digest] = job.path
        key = str(path.resolve())
        old = known.get(key)
        if old is not None and old["content_hash"] == digest:
            kept.append(old)
            if progress:
                progress(1)
        else:
            todo.append((job, key, digest))
    with store.Writer(store_dir, record=lambda frame: record_rows(frame, config)) as writer:
        old_figures = snapshot.figures.filter(pl.col("path").is_in([r["path"] for r in kept]))
        writer.add(old_figures)
        per_path: dict[str, int] = {}
        for frame, _ in chunks([job for job, _, _ in todo], config, corpus.warnings, progress):
            writer.add(frame)
            for path, n in frame.group_by("path").len().iter_rows():
                per_path[path] = per_path.get(path, 0) + n
        rows = kept + [{"key": key, "path": job.path, "content_hash": digest, "figures": per_path.get(job.path, 0)}
                       for job, key, digest in todo]
        writer.commit(pl.DataFrame(rows, schema=store.ARTICLE_SCHEMA), fingerprint)
    removed = len(set(known) - {r["key"] for r in rows})
    return {"extracted": len(todo), "unchanged": len(kept), "removed": removed, "articles": len(rows),
            "figures": old_figures.height + sum(per_path.values())}
