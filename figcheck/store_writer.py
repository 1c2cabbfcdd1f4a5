"""Writing a store (see figcheck/store.py for its layout): a new generation part by part, made
live with one atomic rename, under the store's lock; figcheck only ever removes the generations
its own ledger lists, and only writes into a new or empty folder, or one it made a store.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import polars as pl

from figcheck.errors import FigcheckError
from figcheck.records import SCHEMA
from figcheck.store import FORMAT, GENERATION, ORDER, canonical, current_generation, generation_dir

GENERATION_FILES = ("meta.json", "articles.parquet", "record.parquet", "names.parquet", "revisions.parquet",
                    "pending.parquet", "figures.parquet")  # the last: format 2
METRIC_FOLDER = re.compile(r"[a-z0-9_]+(\.[a-z0-9_]+)*")
PART = re.compile(r"part-[0-9]{5,}\.parquet")
ROW_GROUP = 8192  # rows; small enough that a date filter skips most of a large metric
PART_ROWS = 50_000  # figures buffered before a part is written: about 15 MB
LEDGER = "GENERATIONS"
LOCK_WAIT_SECONDS = 600.0
_OWN_SCRATCH = re.compile(r"LOCK|(?:CURRENT|GENERATIONS)\.[0-9]+\.tmp")  # what a first writer makes before its ledger


def _refuse_foreign(store: Path) -> None:
    """figcheck writes only into a new or empty folder, or one it made a store."""
    if not store.exists() and not store.is_symlink():
        return
    if not store.is_dir():
        raise FigcheckError("is not a folder; --store needs a new folder or an existing figcheck store", store)
    if (store / "CURRENT").exists() or (store / LEDGER).exists():
        return
    names = [p.name for p in store.iterdir()]
    if (store / LEDGER).exists():  # a first writer made its ledger while we listed the folder
        return
    if any(not _OWN_SCRATCH.fullmatch(name) for name in names):
        raise FigcheckError("folder is not empty and not a figcheck store (no CURRENT file); "
                            "refusing to write into it: choose a new folder with --store", store)


@contextmanager
def locked(store: Path) -> Iterator[None]:
    """Hold the store's lock file; a second writer waits its turn (or gives up after LOCK_WAIT_SECONDS)."""
    try:
        fd = os.open(store / "LOCK", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise FigcheckError(f"cannot open the store's lock file: {exc.strerror or exc}", store) from None
    try:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise FigcheckError(f"another figcheck run has held the store's lock for "
                                        f"{LOCK_WAIT_SECONDS:.0f} s; try again later", store) from None
                if not told:
                    print(f"figcheck: {store}: waiting for another run writing this store", file=sys.stderr)
                    told = True
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _ledger(store: Path) -> list[str]:
    path = store / LEDGER
    if path.is_symlink() or not path.is_file():
        return []
    with open(path, "rb") as handle:
        text = handle.read(1 << 20).decode("utf-8", errors="replace")
    return [name for name in text.split() if GENERATION.fullmatch(name)]


def _replace_file(store: Path, name: str, text: str) -> None:
    """Write store/name whole through a fresh temporary file (never through a planted link)."""
    tmp = store / f"{name}.{os.getpid()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, store / name)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _remove_generation(store: Path, name: str) -> bool:
    """Remove a generation figcheck wrote: its own files and folders, then the generation's folder
    if nothing else is in it. Anything else found there is left alone, and so is the folder."""
    path = generation_dir(store, name)
    if path is None:
        return not (store / name).exists()
    figures = path / "figures"
    try:
        if figures.is_dir() and not figures.is_symlink():
            for folder in figures.iterdir():
                if folder.is_dir() and not folder.is_symlink() and METRIC_FOLDER.fullmatch(folder.name):
                    for part in folder.iterdir():
                        if PART.fullmatch(part.name) and part.is_file() and not part.is_symlink():
                            part.unlink()
                    folder.rmdir()
            figures.rmdir()
        for file in GENERATION_FILES:
            (path / file).unlink(missing_ok=True)
        path.rmdir()
    except OSError:
        return False  # something else was put in it: left alone
    return True


class Writer:
    """A new generation written part by part; `commit` makes it live, leaving the block unfinished removes it.

        with Writer(store) as writer:
            writer.add(frame)            # as often as figures arrive, from any process that has them
            writer.commit(articles, rules)

    `record` picks the rows of a frame to keep in record.parquet (`record_kind` names what it
    keeps, for readers). It must be such that record(a + b) == record(record(a) + record(b)),
    as a running maximum is: each part keeps its own candidates and the commit keeps the record
    of their union. Each frame added holds whole articles. `summary`, for what needs each metric
    whole, is called at commit with a reader of the parts written (read(metric, columns, where),
    in canonical order) and the metrics: it gives more rows for record.parquet and other files
    ({name: frame}, names of GENERATION_FILES) to write beside it.
    """

    def __init__(self, store: Path, record: Callable[[pl.DataFrame], pl.DataFrame], part_rows: int = PART_ROWS,
                 record_kind: str | None = None, summary: Callable | None = None):
        self.store = store
        self.record_kind = record_kind
        self.summary = summary
        self.part_rows = part_rows
        self.record = record
        self.kept: list[pl.DataFrame] = []
        self.buffered: list[pl.DataFrame] = []
        self.rows = 0
        self.parts = 0
        self.committed = False
        self._lock = None

    def __enter__(self) -> "Writer":
        store = self.store
        _refuse_foreign(store)
        try:
            store.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise FigcheckError(f"cannot write store: {exc.strerror or exc}", store) from None
        self._lock = locked(store)
        self._lock.__enter__()
        try:
            _refuse_foreign(store)
            if (store / "CURRENT").exists() or (store / "CURRENT").is_symlink():
                current_generation(store)  # a CURRENT that names anything but a generation stops the run before any change
            self.ours = _ledger(store)
            if not (store / LEDGER).exists():
                _replace_file(store, LEDGER, "")  # before any generation, so a racing writer sees a store
            taken = [int(p.name[4:]) for p in store.iterdir() if GENERATION.fullmatch(p.name)]
            self.dir = store / f"gen-{1 + max(taken + [int(n[4:]) for n in self.ours], default=0)}"
            (self.dir / "figures").mkdir(parents=True)
            self.ours.append(self.dir.name)
            _replace_file(store, LEDGER, "\n".join(self.ours) + "\n")
        except BaseException as exc:
            self._lock.__exit__(None, None, None)
            if isinstance(exc, OSError):
                raise FigcheckError(f"cannot write store: {exc.strerror or exc}", store) from None
            raise
        return self

    def __exit__(self, *exc) -> None:
        try:
            if not self.committed:
                self._forget([self.dir.name])
        finally:
            self._lock.__exit__(None, None, None)

    def _forget(self, names: list[str]) -> None:
        """Remove these generations of ours and strike them from the ledger."""
        left = [name for name in self.ours if name not in names or not _remove_generation(self.store, name)]
        if left != self.ours:
            try:
                _replace_file(self.store, LEDGER, "\n".join(left) + "\n")
            except OSError:
                pass  # the ledger still lists removed generations: harmless, they are skipped next time
        self.ours = left

    def add(self, frame: pl.DataFrame) -> None:
        """Figures to write: buffered up to PART_ROWS, then one part per metric, sorted by date so
        readers can skip row groups. Fewer, larger parts keep reads quick on large stores."""
        if frame.is_empty():
            return
        kept = self.record(frame)
        if not kept.is_empty():
            self.kept.append(kept)
        self.buffered.append(frame)
        self.rows += frame.height
        if self.rows >= self.part_rows:
            self._flush()

    def _flush(self) -> None:
        if not self.buffered:
            return
        frame = pl.concat(self.buffered, how="vertical_relaxed")
        self.buffered, self.rows = [], 0
        try:
            for (metric,), part in frame.partition_by("metric", as_dict=True).items():
                folder = self.dir / "figures" / metric
                folder.mkdir(exist_ok=True)
                canonical(part).write_parquet(folder / f"part-{self.parts:05d}.parquet", row_group_size=ROW_GROUP,
                                              statistics=True)
            self.parts += 1
        except OSError as exc:
            raise FigcheckError(f"cannot write store: {exc.strerror or exc}", self.store) from None

    def _read_written(self, metric: str, columns: list[str] | None = None, where: pl.Expr | None = None) -> pl.DataFrame:
        lazy = pl.scan_parquet(sorted((self.dir / "figures" / metric).glob("*.parquet")))
        lazy = lazy.filter(where) if where is not None else lazy
        return lazy.select(columns).collect() if columns else canonical(lazy.collect())

    def commit(self, articles: pl.DataFrame, rules: str) -> None:
        store = self.store
        self._flush()
        record = self.record(pl.concat(self.kept)) if self.kept else pl.DataFrame(schema=SCHEMA)
        files: dict[str, pl.DataFrame] = {}
        if self.summary is not None:
            more, files = self.summary(self._read_written, sorted(p.name for p in (self.dir / "figures").iterdir()))
            record = pl.concat([frame.select(list(SCHEMA)).cast(SCHEMA) for frame in (record, more)]).unique(
                ORDER, maintain_order=True)
        try:
            # Small row groups: check reads the record of a metric's dates (figcheck/scope.py).
            canonical(record).write_parquet(self.dir / "record.parquet", row_group_size=ROW_GROUP, statistics=True)
            for name, frame in files.items():
                frame.write_parquet(self.dir / name)
            articles.write_parquet(self.dir / "articles.parquet")
            meta = {"format": FORMAT, "rules": rules} | ({"record": self.record_kind} if self.record_kind else {})
            (self.dir / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
            _replace_file(store, "CURRENT", self.dir.name)
        except OSError as exc:
            raise FigcheckError(f"cannot write store: {exc.strerror or exc}", store) from None
        self.committed = True
        self._forget([name for name in self.ours if name != self.dir.name])


def save(store: Path, figures: pl.DataFrame, articles: pl.DataFrame, rules: str,
         record: Callable[[pl.DataFrame], pl.DataFrame] | None = None) -> None:
    """Write a whole new generation at once and make it live (a Writer with one part)."""
    with Writer(store, record or (lambda frame: frame.clear())) as writer:
        writer.add(figures)
        writer.commit(articles, rules)

