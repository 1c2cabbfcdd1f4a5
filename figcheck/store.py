"""The archive: figures extracted once and kept as Parquet, refreshed incrementally.

Layout of a store folder:
  CURRENT                                    the name of the live generation (replaced atomically)
  GENERATIONS                                the generations figcheck created here, one name a line: the only ones it deletes
  LOCK                                       held (flock) by the run writing the store, so concurrent index runs take turns
  gen-<n>/meta.json, gen-<n>/articles.parquet
  gen-<n>/figures/<metric>/part-<k>.parquet  one folder per metric, each part sorted by date
  gen-<n>/record.parquet                     what check reads beside the draft's dates (figcheck/kept.py)
  gen-<n>/{names,revisions,pending}.parquet  what check knows of the whole store without reading it (figcheck/kept.py)

A writer (figcheck/store_writer.py: one process, or the client of a Dask cluster) adds parts as
figures arrive, then switches CURRENT with one atomic rename; an interrupted run leaves the
previous generation live and untouched. What is read from disk is never trusted as a path: a
generation name must be a plain `gen-<n>` folder of the store. Per-metric folders, date-sorted
parts with small row groups and the kept record let `check` read only the rows a draft can
touch (figcheck/scope.py).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from figcheck import world
from figcheck.errors import FigcheckError
from figcheck.records import SCHEMA

ARTICLE_SCHEMA = {"key": pl.String, "path": pl.String, "content_hash": pl.String, "figures": pl.Int64}
FORMAT = 6  # 3: articles keyed by identity (relative path), paths absolute; 4: figures carry url;
           # 5: figures by metric in date-sorted parts, with the running record; 6: figures carry entry
# The canonical order of an archive's figures: every reader sorts by it, whoever wrote the parts.
ORDER = ["metric", "as_of", "path", "char_start", "char_end"]
GENERATION = re.compile(r"gen-[0-9]{1,12}")


def is_store(path: Path) -> bool:
    return path.is_dir() and (path / "CURRENT").is_file()


def rules_fingerprint(files: list[str]) -> str:
    """The packs' bytes, and the world's places the packs can read (figcheck/world_places.yaml)."""
    digest = hashlib.sha256()
    for file in [*sorted(files), str(world.WORLD_PLACES)]:
        digest.update(Path(file).read_bytes())
    return digest.hexdigest()[:16]


def canonical(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(ORDER, nulls_last=True)


@dataclass
class Snapshot:
    figures: pl.DataFrame
    articles: pl.DataFrame
    rules: str | None


def generation_dir(store: Path, name: str) -> Path | None:
    """store/name when name is a plain generation name and a real folder of the store (not a link)."""
    if not GENERATION.fullmatch(name):
        return None
    path = store / name
    return path if path.is_dir() and not path.is_symlink() else None


def current_generation(store: Path) -> Path:
    current = store / "CURRENT"
    if current.is_symlink() or not current.is_file():
        raise FigcheckError("store is corrupt: CURRENT is not a regular file; delete the folder and index again", store)
    with open(current, "rb") as handle:
        name = handle.read(64).decode("utf-8", errors="replace").strip()
    generation = generation_dir(store, name)
    if generation is None:
        raise FigcheckError(f"store is corrupt: CURRENT names {name[:40]!r}, not a generation folder of the store; "
                            "delete the folder and index again", store)
    return generation


def _unreadable(store: Path, exc: Exception) -> FigcheckError:
    return FigcheckError(f"store is corrupt or unreadable ({type(exc).__name__}: {str(exc).splitlines()[0][:120]});"
                         " delete the folder and index again", store)


class Generation:
    """The live generation of a store, read in whole or in part."""

    def __init__(self, store: Path):
        self.store = store
        self.dir = current_generation(store)
        try:
            meta = json.loads((self.dir / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise _unreadable(store, exc) from None
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            found = meta.get("format") if isinstance(meta, dict) else None
            raise FigcheckError(f"store format {found!r} is not supported (expected {FORMAT}); "
                                "delete the folder and index again", store)
        rules, kept = meta.get("rules"), meta.get("record")
        self.rules: str | None = rules if isinstance(rules, str) else None
        self.record_kind: str | None = kept if isinstance(kept, str) else None  # what record.parquet holds
        self.metrics: list[str] = sorted(p.name for p in (self.dir / "figures").iterdir()) \
            if (self.dir / "figures").is_dir() else []
        self._records: list[tuple[set[str], pl.DataFrame]] = []  # see record
        self._kept: dict[str, pl.DataFrame] = {}

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
        # Streaming: a filter over a large metric never decodes all of it at once.
        return self._read(lambda: lazy.collect(engine="streaming"))

    def figures(self) -> pl.DataFrame:
        return canonical(self.scan(self.metrics))

    def count(self, metric: str) -> int:
        """How many figures of the metric the generation holds (read from the Parquet footers)."""
        parts = self.parts([metric])
        try:
            return pl.scan_parquet(parts).select(pl.len()).collect().item() if parts else 0
        except (OSError, ValueError, pl.exceptions.PolarsError) as exc:
            raise _unreadable(self.store, exc) from None

    def record(self, metrics, where: pl.Expr | None = None) -> pl.DataFrame:
        """The kept record's rows of these metrics (only those matching `where`, a test of each
        row alone). The rows of the metrics first asked for are read once, and later asks about
        some of them are answered from those (check asks for each metric's in turn; the file is
        small beside the figures)."""
        metrics = set(metrics)
        held = next((rows for asked, rows in self._records if metrics <= asked), None)
        if held is None:
            path = self.dir / "record.parquet"
            held = self._read(lambda: pl.scan_parquet(path).filter(pl.col("metric").is_in(sorted(metrics))).collect())
            self._records.append((metrics, held))
        wanted = pl.col("metric").is_in(sorted(metrics)) & (where if where is not None else True)
        return held.filter(wanted)

    def kept(self, name: str) -> pl.DataFrame:
        """Another file the writer's summary kept (see Writer), read whole (once)."""
        if name not in self._kept:
            try:
                self._kept[name] = pl.read_parquet(self.dir / name)
            except (OSError, ValueError, pl.exceptions.PolarsError) as exc:
                raise _unreadable(self.store, exc) from None
        return self._kept[name]

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
    if not (store / "CURRENT").exists() and not (store / "CURRENT").is_symlink():
        return Snapshot(pl.DataFrame(schema=SCHEMA), pl.DataFrame(schema=ARTICLE_SCHEMA), None)
    for attempt in range(3):
        generation = Generation(store)
        try:
            return Snapshot(generation.figures(), generation.articles(), generation.rules)
        except FigcheckError:
            # A writer may have switched CURRENT and removed this generation while we read it.
            if attempt == 2 or current_generation(store) == generation.dir:
                raise
    raise AssertionError("unreachable")


def open_store(store: Path) -> Generation:
    if not is_store(store):
        raise FigcheckError("not a figcheck store (no CURRENT file); run 'figcheck index' first", store)
    return Generation(store)
