"""Reading a corpus: articles streamed one at a time, figures collected, bad articles skipped."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from figcheck import project, store, store_writer
from figcheck.articles import (STDIN, Found, Meta, content_hash, discover, known_rules, load_manifest, manifest_key,
                               read_article)
from figcheck.errors import ArticleError, FigcheckError, Warnings
from figcheck.extract.extractor import extract
from figcheck.models import Article, Figure
from figcheck.pack import Config, load_config
from figcheck.records import FigureSet
from figcheck.timelimit import OverTime, time_limit

PARALLEL_FROM = 200  # articles; below this, starting worker processes costs more than it saves
# articles; from this many, scan extracts them in a process of its own: what extraction leaves
# behind in a process (some 40 MB from 5,000 articles on) is then not under the rules, and that
# process's start (1-3 s: the modules, the packs) is small beside the extraction
APART_FROM = 5_000
CHUNK = 50
ARTICLE_SECONDS = 180.0  # CPU time to read and extract one article; a 50 MB text takes about a third of it


class Corpus:
    """The articles named on the command line, with their identities and manifest metadata.

    With fail_closed (the new articles of `check`), an article that cannot be found, read,
    dated or parsed stops the run with an error instead of being skipped with a warning.
    """

    def __init__(self, paths: Iterable[Path], warnings: Warnings, manifest: Path | None = None,
                 root: Path | None = None, fail_closed: bool = False):
        self.warnings = warnings
        self.fail_closed = fail_closed
        self._manifests: dict[Path, dict[str, Meta]] = {}
        self.manifest_override = self._entries(manifest) if manifest else None
        self.paths = list(paths)
        self.root = root
        self.files: list[Found] = []
        self.docs: list[str] = []
        taken: dict[str, Path] = {}
        for found in discover(self.paths, self._problem, root):
            doc = "stdin" if str(found.path) == STDIN else project.identity(found.path, found.scanned, root)
            if doc in taken:
                self._problem(f"{found.path}: same identity {doc!r} as {taken[doc]}, skipped "
                              "(name folders so that relative paths differ)")
                continue
            taken[doc] = found.path
            self.files.append(found)
            self.docs.append(doc)
        self._stdin = sys.stdin.buffer.read() if any(str(f.path) == STDIN for f in self.files) else None
        self._check_manifest_rows()

    def _problem(self, message: str) -> None:
        if self.fail_closed:
            raise FigcheckError(message)
        self.warnings.warn(message)

    def _entries(self, manifest: Path) -> dict[str, Meta]:
        if manifest not in self._manifests:
            entries, problems = load_manifest(manifest)
            for problem in problems:
                self.warnings.warn(problem)
            self._manifests[manifest] = entries
        return self._manifests[manifest]

    def _meta(self, found: Found) -> Meta | None:
        if self.manifest_override is not None:
            return self.manifest_override.get(found.path.name)
        if found.manifest is None:
            return None
        return self._entries(found.manifest).get(manifest_key(found.path, found.manifest))

    def _check_manifest_rows(self) -> None:
        """Rows naming no article, for manifests whose whole folder was scanned: a partial run (one
        file of a folder) does not warn about the rows of the other files."""
        if self.manifest_override is not None:
            return
        folders = [Path(os.path.abspath(p)) for p in self.paths if str(p) != STDIN and Path(p).is_dir()]
        listed: dict[Path, set[str]] = {}
        for found in self.files:
            if found.manifest is not None:
                listed.setdefault(found.manifest, set()).add(manifest_key(found.path, found.manifest))
        for manifest in sorted(listed):
            if not any(manifest.parent.is_relative_to(folder) for folder in folders):
                continue
            for name in sorted(set(self._entries(manifest)) - listed[manifest]):
                self.warnings.warn(f"{project.shown(manifest)}: lists {name!r}, which is not among the articles")

    def __len__(self) -> int:
        return len(self.files)

    def stored_jobs(self, articles: list[tuple[str, str]]) -> list[Job]:
        """Jobs for articles of a store (path, identity) outside this run, with their manifest metadata."""
        jobs = []
        for path, doc in articles:
            for found in discover([Path(path)], self.warnings.warn, self.root):
                jobs.append(Job(str(found.path), doc, self._meta(found)))
        return jobs

    def jobs(self, default_date: dt.date | None = None) -> list[Job]:
        return [Job(str(found.path), doc, self._meta(found), default_date, self.fail_closed,
                    self._stdin if str(found.path) == STDIN else None)
                for found, doc in zip(self.files, self.docs)]


@dataclass(frozen=True)
class Job:
    """One article to read: picklable, so a worker process can take it."""

    path: str
    doc: str
    meta: Meta | None
    default_date: dt.date | None = None
    fail_closed: bool = False
    data: bytes | None = None  # content already read (standard input)


def read_job(job: Job, warnings: Warnings, data: bytes | None = None) -> Article | None:
    """One article, from its file or from its bytes already read (`data`, or the job's own), or None
    (with a warning) when it cannot be used; with job.fail_closed, an error."""
    path = Path(job.path)
    try:
        article = read_article(path, job.meta, job.doc, data if data is not None else job.data, warnings.warn)
    except ArticleError:
        if job.fail_closed:
            raise
        warnings.warn(sys.exc_info()[1])
        return None
    except (KeyboardInterrupt, MemoryError):
        raise
    except Exception as exc:  # noqa: BLE001 - one unreadable article must not lose the others' results
        warnings.warn(f"{path}: could not read ({type(exc).__name__}: {str(exc)[:200]}), skipped")
        return None
    if article.published is None:
        if job.default_date is not None:
            warnings.warn(f"{article.path}: publication date unknown, taken as {job.default_date}")
            article.published = job.default_date
        else:
            warnings.warn(f"{article.path}: publication date unknown (no front matter, manifest row or dateline); "
                          "its figures carry published: null")
    return article


def safe_extract(article: Article, config: Config, warnings: Warnings, fail_closed: bool = False) -> list[Figure]:
    """One article's figures; a failure on it is a warning that names it, never a lost run
    (with fail_closed, an error)."""
    try:
        figures = extract(article, config)
        if article.source is not None:
            from figcheck.htmlpos import relocate

            figures = relocate(figures, article.text, article.source)
    except (KeyboardInterrupt, MemoryError):
        raise
    except Exception as exc:  # noqa: BLE001 - one bad article must not lose the others' results
        message = f"{article.path}: could not extract figures ({type(exc).__name__}: {exc})"
        if fail_closed:
            raise ArticleError(message) from None
        warnings.warn(message + ", skipped")
        return []
    named = sorted({rule for f in figures for rule in f.ignore_rules})
    if set(known_rules(named, article.path, warnings.warn)) != set(named):
        figures = [f.model_copy(update={"ignore_rules": known_rules(f.ignore_rules, "", None)}) for f in figures]
    return figures


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
                found = safe_extract(article, config, warnings, job.fail_closed) if article is not None else []
        except OverTime:
            message = (f"{project.shown(job.path)}: reading and extracting took over {ARTICLE_SECONDS:.0f} s of CPU "
                       "time (the limit per article)")
            if job.fail_closed:
                raise ArticleError(message) from None
            warnings.warn(message + ", skipped")
            continue
        if article is not None:
            hashes.append((job.doc, article.content_hash))
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
    """Each chunk's figure frame and (identity, content hash) of its readable articles, in job order:
    in worker processes, one per core, when there are many articles.

    Workers read the files themselves and send back figure frames, so the texts never gather
    in one process, and a caller that writes each frame away holds none of them.
    """
    chunks = [jobs[i:i + CHUNK] for i in range(0, len(jobs), CHUNK)]
    workers = min(os.cpu_count() or 1, len(chunks))
    if len(jobs) >= PARALLEL_FROM and workers > 1:
        import multiprocessing  # here: a draft for check is read in this process, and start-up counts
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


class Unique:
    """Drops, with a warning, the articles whose text repeats an earlier one's."""

    def __init__(self, warnings: Warnings, read: set[str] | None = None):
        self.seen: dict[str, str] = {}
        self.warnings = warnings
        self.read = read  # receives the identities of the articles read and kept

    def __call__(self, frame: pl.DataFrame, hashes: list[tuple[str, str]]) -> pl.DataFrame:
        duplicates = []
        for doc, digest in hashes:
            if digest in self.seen:
                self.warnings.warn(f"{doc}: same text as {self.seen[digest]}, skipped")
                duplicates.append(doc)
            else:
                self.seen[digest] = doc
                if self.read is not None:
                    self.read.add(doc)
        return frame.filter(~pl.col("doc").is_in(duplicates)) if duplicates else frame


def extract_jobs(jobs: list[Job], config: Config, warnings: Warnings,
                 progress: Callable[[int], None] | None = None, read: set[str] | None = None) -> FigureSet:
    """Every job's figures. An article whose text repeats an earlier one is dropped with a warning.
    `read`, when given, receives the identities of the articles that were read and kept."""
    unique = Unique(warnings, read)
    frames = [unique(frame, hashes) for frame, hashes in extract_chunks(jobs, config, warnings, progress)]
    return FigureSet.concat([FigureSet(frame) for frame in frames])


def spill_corpus(corpus: Corpus, config: Config, store_dir: Path, progress_bar=None) -> None:
    """Extract the corpus into a scratch store, chunk by chunk, so that no process holds all its
    figures. From APART_FROM articles a process of its own extracts them (and starts the
    workers), and its warnings are passed on when it is done: what extraction leaves behind in a
    process (the figure frames received, the duplicate-removal hashes, the allocators' scattered
    pages, the code that wrote the store) then never sits under the rules that read the store
    afterwards. `progress_bar(total, label)` makes the progress callback, in that process."""
    jobs = corpus.jobs()
    if len(jobs) < APART_FROM:
        _spill(jobs, config, corpus.warnings, store_dir, progress_bar)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        done = pool.submit(_spill_apart, jobs, config.files, store_dir, progress_bar)
        del jobs
        for item in done.result():
            corpus.warnings.warn(item)


def _spill(jobs: list[Job], config: Config, warnings: Warnings, store_dir: Path, progress_bar) -> None:
    progress = progress_bar and progress_bar(len(jobs), "extracting")
    unique = Unique(warnings)
    with store_writer.Writer(store_dir, record=lambda frame: frame.clear()) as writer:
        for frame, hashes in extract_chunks(jobs, config, warnings, progress):
            writer.add(unique(frame, hashes))
        writer.commit(pl.DataFrame(schema=store.ARTICLE_SCHEMA), "")


def _spill_apart(jobs: list[Job], rule_files: list[str], store_dir: Path, progress_bar) -> list[str]:
    """spill_corpus in the process of its own: the warnings, in the order they came."""
    from figcheck.program import collect_less

    collect_less()  # as the program does: at the default threshold this process ran 1.2x slower
    warnings = Warnings(quiet=True)
    config = load_config([Path(f) for f in rule_files])
    _spill(jobs, config, warnings, store_dir, progress_bar)
    return warnings.items


def extract_corpus(corpus: Corpus, config: Config, progress: Callable[[int], None] | None = None,
                   default_date: dt.date | None = None) -> FigureSet:
    return extract_jobs(corpus.jobs(default_date), config, corpus.warnings, progress)


def cache_key(data: bytes, meta: Meta | None) -> str:
    """What an article's figures depend on besides the packs: its bytes and its manifest metadata."""
    described = json.dumps(dataclasses.asdict(meta) if meta else None, default=str, sort_keys=True)
    return content_hash(data + b"\0" + described.encode("utf-8"))
