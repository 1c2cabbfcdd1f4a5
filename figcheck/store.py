"""The archive: figures extracted once and kept as Parquet, refreshed incrementally.

Layout of a store folder:
  CURRENT             the name of the live generation (replaced atomically)
  GENERATIONS         the generations figcheck created here, one name a line: the only ones it deletes
  LOCK                held (flock) by the run writing the store, so concurrent index runs take turns
  gen-<n>/figures.parquet, gen-<n>/articles.parquet, gen-<n>/meta.json

An index run writes a whole new generation, then switches CURRENT with one atomic rename;
an interrupted run leaves the previous generation live and untouched. What is read from disk
is never trusted as a path: a generation name must be a plain `gen-<n>` folder of the store.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from figcheck.errors import FigcheckError
from figcheck.records import SCHEMA, FigureSet

ARTICLE_SCHEMA = {"key": pl.String, "path": pl.String, "content_hash": pl.String, "figures": pl.Int64}
FORMAT = 2
GENERATION = re.compile(r"gen-[0-9]{1,12}")
GENERATION_FILES = ("figures.parquet", "articles.parquet", "meta.json")
LEDGER = "GENERATIONS"
LOCK_WAIT_SECONDS = 600.0
_OWN_SCRATCH = re.compile(r"LOCK|(?:CURRENT|GENERATIONS)\.[0-9]+\.tmp")  # what a first writer makes before its ledger


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


def _generation(store: Path, name: str) -> Path | None:
    """store/name when name is a plain generation name and a real folder of the store (not a link)."""
    if not GENERATION.fullmatch(name):
        return None
    path = store / name
    return path if path.is_dir() and not path.is_symlink() else None


def _current(store: Path) -> Path:
    current = store / "CURRENT"
    if current.is_symlink() or not current.is_file():
        raise FigcheckError("store is corrupt: CURRENT is not a regular file; delete the folder and index again", store)
    with open(current, "rb") as handle:
        name = handle.read(64).decode("utf-8", errors="replace").strip()
    generation = _generation(store, name)
    if generation is None:
        raise FigcheckError(f"store is corrupt: CURRENT names {name[:40]!r}, not a generation folder of the store; "
                            "delete the folder and index again", store)
    return generation


def load(store: Path) -> Snapshot:
    """The live generation; an empty snapshot for a store that does not exist yet."""
    if not (store / "CURRENT").exists() and not (store / "CURRENT").is_symlink():
        return Snapshot(pl.DataFrame(schema=SCHEMA), pl.DataFrame(schema=ARTICLE_SCHEMA), None)
    for attempt in range(3):
        generation = _current(store)
        try:
            return _read(store, generation)
        except FigcheckError:
            # A writer may have switched CURRENT and removed this generation while we read it.
            if attempt == 2 or _current(store) == generation:
                raise
    raise AssertionError("unreachable")


def _read(store: Path, generation: Path) -> Snapshot:
    try:
        meta = json.loads((generation / "meta.json").read_text(encoding="utf-8"))
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            found = meta.get("format") if isinstance(meta, dict) else None
            raise FigcheckError(f"store format {found!r} is not supported (expected {FORMAT}); "
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
    rules = meta.get("rules")
    return Snapshot(figures, articles, rules if isinstance(rules, str) else None)


def load_figures(store: Path) -> FigureSet:
    if not is_store(store):
        raise FigcheckError("not a figcheck store (no CURRENT file); run 'figcheck index' first", store)
    return FigureSet(load(store).figures)


def _refuse_foreign(store: Path) -> None:
    """figcheck writes only into a new or empty folder, or one it made a store."""
    if not store.exists() and not store.is_symlink():
        return
    if not store.is_dir():
        raise FigcheckError("is not a folder; --store needs a new folder or an existing figcheck store", store)
    if (store / "CURRENT").exists() or (store / LEDGER).exists():
        return
    if any(not _OWN_SCRATCH.fullmatch(p.name) for p in store.iterdir()):
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
    """Remove a generation figcheck wrote: its own files, then the folder if nothing else is in it."""
    path = _generation(store, name)
    if path is None:
        return not (store / name).exists()
    for file in GENERATION_FILES:
        try:
            (path / file).unlink()
        except FileNotFoundError:
            pass
        except OSError:
            return False
    try:
        path.rmdir()
    except OSError:
        return False  # something else was put in it: left alone
    return True


def save(store: Path, figures: pl.DataFrame, articles: pl.DataFrame, rules: str) -> None:
    """Write a new generation and make it live atomically; the older ones figcheck wrote are removed after."""
    _refuse_foreign(store)
    try:
        store.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FigcheckError(f"cannot write store: {exc.strerror or exc}", store) from None
    with locked(store):
        _refuse_foreign(store)
        if (store / "CURRENT").exists() or (store / "CURRENT").is_symlink():
            _current(store)  # a CURRENT that names anything but a generation stops the run before any change
        try:
            ours = _ledger(store)
            if not (store / LEDGER).exists():
                _replace_file(store, LEDGER, "")  # before any generation, so a racing writer sees a store
            taken = [int(p.name[4:]) for p in store.iterdir() if GENERATION.fullmatch(p.name)]
            generation = store / f"gen-{1 + max(taken + [int(n[4:]) for n in ours], default=0)}"
            generation.mkdir()
            ours.append(generation.name)
            _replace_file(store, LEDGER, "\n".join(ours) + "\n")
            figures.write_parquet(generation / "figures.parquet")
            articles.write_parquet(generation / "articles.parquet")
            (generation / "meta.json").write_text(json.dumps({"format": FORMAT, "rules": rules}), encoding="utf-8")
            _replace_file(store, "CURRENT", generation.name)
        except OSError as exc:
            raise FigcheckError(f"cannot write store: {exc.strerror or exc}", store) from None
        left = [name for name in ours if name == generation.name or not _remove_generation(store, name)]
        if left != ours:
            try:
                _replace_file(store, LEDGER, "\n".join(left) + "\n")
            except OSError:
                pass  # the ledger still lists removed generations: harmless, they are skipped next time
