"""The archive: figures extracted once and kept as Parquet, refreshed incrementally.

Layout of a store folder:
  CURRENT             the name of the live generation (replaced atomically)
  gen-<n>/figures.parquet, gen-<n>/articles.parquet, gen-<n>/meta.json

An index run writes a whole new generation, then switches CURRENT with one atomic rename;
an interrupted run leaves the previous generation live and untouched.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from figcheck.errors import FigcheckError
from figcheck.records import SCHEMA, FigureSet

ARTICLE_SCHEMA = {"key": pl.String, "path": pl.String, "content_hash": pl.String, "figures": pl.Int64}
FORMAT = 3


def is_store(path: Path) -> bool:
    return path.is_dir() and (path / "CURRENT").is_file()


def rules_fingerprint(files: list[str]) -> str:
    digest = hashlib.sha256()
    for file in sorted(files):
        digest.update(Path(file).read_bytes())
    return digest.hexdigest()[:16]


@dataclass
class Snapshot:
    figures: pl.DataFrame
    articles: pl.DataFrame
    rules: str | None


def load(store: Path) -> Snapshot:
    """The live generation; an empty snapshot for a store that does not exist yet."""
    current = store / "CURRENT"
    if not current.exists():
        return Snapshot(pl.DataFrame(schema=SCHEMA), pl.DataFrame(schema=ARTICLE_SCHEMA), None)
    try:
        generation = store / current.read_text(encoding="utf-8").strip()
        meta = json.loads((generation / "meta.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise FigcheckError(f"store format {meta.get('format')!r} is not supported (expected {FORMAT}); "
                                "delete the folder and index again", store)
        figures = pl.read_parquet(generation / "figures.parquet")
        articles = pl.read_parquet(generation / "articles.parquet")
    except FigcheckError:
        raise
    except (OSError, ValueError, pl.exceptions.PolarsError) as exc:
        raise FigcheckError(f"store is corrupt or unreadable ({type(exc).__name__}: {str(exc).splitlines()[0][:120]});"
                            " delete the folder and index again", store) from None
    if set(figures.columns) != set(SCHEMA) or set(articles.columns) != set(ARTICLE_SCHEMA):
        raise FigcheckError("store is corrupt: unexpected columns; delete the folder and index again", store)
    return Snapshot(figures, articles, meta.get("rules"))


def load_figures(store: Path) -> FigureSet:
    if not is_store(store):
        raise FigcheckError("not a figcheck store (no CURRENT file); run 'figcheck index' first", store)
    return FigureSet(load(store).figures)


def save(store: Path, figures: pl.DataFrame, articles: pl.DataFrame, rules: str) -> None:
    """Write a new generation and make it live atomically; old generations are removed after."""
    try:
        store.mkdir(parents=True, exist_ok=True)
        previous = (store / "CURRENT").read_text(encoding="utf-8").strip() if (store / "CURRENT").exists() else None
        number = 1 + max([int(p.name.split("-")[1]) for p in store.glob("gen-*") if p.name.split("-")[1].isdigit()],
                         default=0)
        generation = store / f"gen-{number}"
        generation.mkdir()
        figures.write_parquet(generation / "figures.parquet")
        articles.write_parquet(generation / "articles.parquet")
        (generation / "meta.json").write_text(json.dumps({"format": FORMAT, "rules": rules}), encoding="utf-8")
        pointer = store / "CURRENT.tmp"
        pointer.write_text(generation.name, encoding="utf-8")
        os.replace(pointer, store / "CURRENT")
    except OSError as exc:
        raise FigcheckError(f"cannot write store: {exc.strerror or exc}", store) from None
    for old in store.glob("gen-*"):
        if old.name not in (generation.name, previous):
            shutil.rmtree(old, ignore_errors=True)
    if previous and previous != generation.name:
        shutil.rmtree(store / previous, ignore_errors=True)
