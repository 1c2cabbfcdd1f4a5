"""The archive: figures extracted once and kept as Parquet, refreshed incrementally.

Layout of a store folder:
  CURRENT                                   the name of the live generation (replaced atomically)
  gen-<n>/meta.json, gen-<n>/articles.parquet
  gen-<n>/figures/<metric>/part-<k>.parquet  one folder per metric, each part sorted by date
  gen-<n>/record.parquet                    the figures on each cumulative metric's running record

A writer (one process, or the client of a Dask cluster) adds parts as figures arrive, then
switches CURRENT with one atomic rename; an interrupted run leaves the previous generation
live and untouched. Per-metric folders, date-sorted parts with small row groups and the kept
record let `check` read only the rows a draft can touch (see figcheck/scope.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from figcheck.errors import FigcheckError
from figcheck.records import SCHEMA, FigureSet

ARTICLE_SCHEMA = {"key": pl.String, "path": pl.String, "content_hash": pl.String, "figures": pl.Int64}
FORMAT = 3
# The canonical order of an archive's figures: every reader sorts by it, whoever wrote the parts.
ORDER = ["metric", "as_of", "path", "char_start", "char_end"]
ROW_GROUP = 8192  # rows; small enough that a date filter skips most of a large metric


def is_store(path: Path) -> bool:
    return path.is_dir() and (path / "CURRENT").is_file()


def rules_fingerprint(files: list[str]) -> str:
    digest = hashlib.sha256()
    for file in sorted(files):
        digest.update(Path(file).read_bytes())
    return digest.hexdigest()[:16]


def canonical(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(ORDER, nulls_last=True)


@dataclass
class Snapshot:
    figures: pl.DataFrame
    articles: pl.DataFrame
    rules: str | None


def _unreadable(store: Path, exc: Exception) -> FigcheckError:
    return FigcheckError(f"store is corrupt or unreadable ({type(exc).__name__}: {str(exc).splitlines()[0][:120]});"
                         " delete the folder and index again", store)


class Generation:
    """The live generation of a store, read in whole or in part."""

    def __init__(self, store: Path):
        self.store = store
        try:
            self.dir = store / (store / "CURRENT").read_text(encoding="utf-8").strip()
            meta = json.loads((self.dir / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise _unreadable(store, exc) from None
        if meta.get("format") != FORMAT:
            raise FigcheckError(f"store format {meta.get('format')!r} is not supported (expected {FORMAT}); "
                                "delete the folder and index again", store)
        self.rules: str | None = meta.get("rules")
        self.metrics: list[str] = sorted(p.name for p in (self.dir / "figures").iterdir()) \
            if (self.dir / "figures").is_dir() else []

    def _read(self, read):
        try:
            frame = read()
        except (OSError, ValueError, pl.exceptions.PolarsError) as exc:
            raise _unreadable(self.store, exc) from None
        if set(frame.columns) != set(SCHEMA):
            raise FigcheckError("store is corrupt: unexpected columns; delete the folder and index again", self.store)
        return frame

    def parts(self, metrics) -> list[Path]:
        return [p for m in sorted(set(metrics) & set(self.metrics)) for p in sorted((self.dir / "figures" / m).glob("*.parquet"))]

    def scan(self, metrics, columns: list[str] | None = None, where: pl.Expr | None = None) -> pl.DataFrame:
        """Rows of these metrics (optionally only `columns`, only rows matching `where`), Parquet
        statistics skipping the row groups that cannot match."""
        parts = self.parts(metrics)
        if not parts:
            return pl.DataFrame(schema={c: SCHEMA[c] for c in columns} if columns else SCHEMA)
        lazy = pl.scan_parquet(parts)
        if where is not None:
            lazy = lazy.filter(where)
        if columns is not None:
            try:
                return lazy.select(columns).collect()
            except (OSError, ValueError, pl.exceptions.PolarsError) as exc:
                raise _unreadable(self.store, exc) from None
        return self._read(lazy.collect)

    def figures(self) -> pl.DataFrame:
        return canonical(self.scan(self.metrics))

    def record(self, metrics) -> pl.DataFrame:
        path = self.dir / "record.parquet"
        return self._read(lambda: pl.scan_parquet(path).filter(pl.col("metric").is_in(list(metrics))).collect())

    def articles(self) -> pl.DataFrame:
        try:
            articles = pl.read_parquet(self.dir / "articles.parquet")
        except (OSError, ValueError, pl.exceptions.PolarsError) as exc:
            raise _unreadable(self.store, exc) from None
        if set(articles.columns) != set(ARTICLE_SCHEMA):
            raise FigcheckError("store is corrupt: unexpected columns; delete the folder and index again", self.store)
        return articles


def load(store: Path) -> Snapshot:
    """The live generation; an empty snapshot for a store that does not exist yet."""
    if not (store / "CURRENT").exists():
        return Snapshot(pl.DataFrame(schema=SCHEMA), pl.DataFrame(schema=ARTICLE_SCHEMA), None)
    generation = Generation(store)
    return Snapshot(generation.figures(), generation.articles(), generation.rules)


def open_store(store: Path) -> Generation:
    if not is_store(store):
        raise FigcheckError("not a figcheck store (no CURRENT file); run 'figcheck index' first", store)
    return Generation(store)


class Writer:
    """A new generation written part by part; `commit` makes it live, leaving the block unfinished removes it.

        with Writer(store) as writer:
            writer.add(frame)            # as often as figures arrive, from any process that has them
            writer.commit(articles, rules)

    `record` picks the rows of a frame to keep in record.parquet. It must be such that
    record(a + b) == record(record(a) + record(b)), as a running maximum is: each part keeps
    its own candidates and the commit keeps the record of their union.
    """

    def __init__(self, store: Path, record: Callable[[pl.DataFrame], pl.DataFrame]):
        self.store = store
        self.record = record
        self.kept: list[pl.DataFrame] = []
        self.parts = 0
        self.committed = False
        try:
            store.mkdir(parents=True, exist_ok=True)
            number = 1 + max([int(p.name.split("-")[1]) for p in store.glob("gen-*")
                              if p.name.split("-")[1].isdigit()], default=0)
            self.dir = store / f"gen-{number}"
            (self.dir / "figures").mkdir(parents=True)
        except OSError as exc:
            raise FigcheckError(f"cannot write store: {exc.strerror or exc}", store) from None

    def __enter__(self) -> "Writer":
        return self

    def __exit__(self, *exc) -> None:
        if not self.committed:
            shutil.rmtree(self.dir, ignore_errors=True)

    def add(self, frame: pl.DataFrame) -> None:
        """One part per metric present in the frame, sorted by date so readers can skip row groups."""
        if frame.is_empty():
            return
        self.kept.append(self.record(frame))
        try:
            for (metric,), part in frame.partition_by("metric", as_dict=True).items():
                folder = self.dir / "figures" / metric
                folder.mkdir(exist_ok=True)
                canonical(part).write_parquet(folder / f"part-{self.parts:05d}.parquet", row_group_size=ROW_GROUP,
                                              statistics=True)
            self.parts += 1
        except OSError as exc:
            raise FigcheckError(f"cannot write store: {exc.strerror or exc}", self.store) from None

    def commit(self, articles: pl.DataFrame, rules: str) -> None:
        store = self.store
        record = self.record(pl.concat(self.kept)) if self.kept else pl.DataFrame(schema=SCHEMA)
        try:
            previous = (store / "CURRENT").read_text(encoding="utf-8").strip() if (store / "CURRENT").exists() else None
            canonical(record).write_parquet(self.dir / "record.parquet")
            articles.write_parquet(self.dir / "articles.parquet")
            (self.dir / "meta.json").write_text(json.dumps({"format": FORMAT, "rules": rules}), encoding="utf-8")
            pointer = store / "CURRENT.tmp"
            pointer.write_text(self.dir.name, encoding="utf-8")
            os.replace(pointer, store / "CURRENT")
        except OSError as exc:
            raise FigcheckError(f"cannot write store: {exc.strerror or exc}", store) from None
        self.committed = True
        for old in store.glob("gen-*"):
            if old.name not in (self.dir.name, previous):
                shutil.rmtree(old, ignore_errors=True)
        if previous and previous != self.dir.name:
            shutil.rmtree(store / previous, ignore_errors=True)


class StoredFigures(FigureSet):
    """A generation's figures for the rules, read a metric group at a time (see findings.iter_findings):
    only the columns the rules use are held, and the figures a finding cites are read back whole."""

    def __init__(self, generation: Generation, metrics: list[str] | None = None):
        self.generation = generation
        self.only = sorted(metrics) if metrics is not None else list(generation.metrics)
        self._frame: pl.DataFrame | None = None

    @property
    def frame(self) -> pl.DataFrame:
        if self._frame is None:
            from figcheck.checks.frame import RULE_COLUMNS

            columns = list(dict.fromkeys([*ORDER, *RULE_COLUMNS]))
            self._frame = canonical(self.generation.scan(self.only, columns=columns))
        return self._frame

    def metrics(self) -> set[str]:
        return set(self.only)

    def subset(self, metrics) -> "StoredFigures":
        return StoredFigures(self.generation, [m for m in self.only if m in set(metrics)])

    def __len__(self) -> int:
        return self.frame.height

    def take(self, idxs):
        wanted = pl.Series(idxs, dtype=pl.Int64).drop_nulls().unique().sort().to_list()
        if not wanted:
            return {}
        keys = self.frame[wanted].select(ORDER).with_columns(idx=pl.Series(wanted, dtype=pl.Int64))
        rows = self.generation.scan(
            keys["metric"].unique().to_list(),
            where=pl.col("as_of").is_in(keys["as_of"].drop_nulls().unique().implode())
            | (pl.col("as_of").is_null() if keys["as_of"].null_count() else pl.lit(False)))
        rows = keys.join(FigureSet(rows).frame, on=ORDER, how="left", nulls_equal=True).sort("idx")
        return FigureSet(rows.drop("idx")).take_all(rows["idx"].to_list())

    def __iter__(self):
        return iter(FigureSet(canonical(self.generation.scan(self.only))))

    def docs(self) -> set[str]:
        return set(self.generation.scan(self.only, columns=["doc"])["doc"].unique().to_list())
