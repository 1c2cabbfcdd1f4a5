"""Figures read from a file: JSON Lines or CSV in the shape `figcheck figures` writes.

A fact-checker corrects the figures CSV in a spreadsheet and runs the rules on it again; tests
and hand annotations feed the rules figures directly. Only doc (or file), metric, value and
surface are required. What is missing is derived: precision from the surface, outlet and
published from the manifest, line, column and sentence from the article beside the manifest
when it can be read, as_of from published. A bad row is skipped with a warning naming its line.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from pydantic import ValidationError

from figcheck.articles import Meta, decode
from figcheck.errors import ArticleError, FigcheckError
from figcheck.extract.reading import read
from figcheck.extract.text import LineIndex, sentences
from figcheck.models import Figure
from figcheck.records import FigureSet

ALIASES = {"file": "doc"}
QUALIFIER_ALIASES = {"range": "between"}
LIST_FIELDS = {"ignore_rules"}


def is_figures_file(path: Path) -> bool:
    """A .jsonl or .csv file given where articles are expected (as --against) holds figures."""
    return path.is_file() and path.suffix.lower() in (".jsonl", ".csv")


def load_figures(path: Path, manifest: dict[str, Meta] | None, articles_dir: Path | None, warn) -> FigureSet:
    """Every usable row of a figures file; the others are skipped with one warning each."""
    try:
        text = decode(path.read_bytes(), path)
    except OSError as exc:
        raise FigcheckError(f"cannot read figures: {exc.strerror or exc}", path) from None
    except ArticleError as exc:
        raise FigcheckError(f"cannot read figures: {exc.message}", path) from None
    rows = _csv_rows(text, path) if path.suffix.lower() == ".csv" else _json_rows(text, path, warn)
    texts = _ArticleTexts(articles_dir)
    figures = []
    for line, row in rows:
        try:
            figures.append(_figure(row, manifest or {}, texts))
        except (ValidationError, ValueError, TypeError) as exc:
            warn(f"{path}:{line}: {_problem(exc)}, row skipped")
    if not figures:
        raise FigcheckError("no usable figures in the file", path)
    return FigureSet.of(figures)


def _json_rows(text: str, path: Path, warn) -> list[tuple[int, dict]]:
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            items = json.loads(stripped)
        except ValueError as exc:
            raise FigcheckError(f"not a JSON array of figures ({exc})", path) from None
        return [(i + 1, item) for i, item in enumerate(items) if isinstance(item, dict)]
    rows = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            item = json.loads(raw)
        except ValueError as exc:
            warn(f"{path}:{number}: not a JSON object ({exc.args[0] if exc.args else exc}), row skipped")
            continue
        if isinstance(item, dict):
            rows.append((number, item))
        else:
            warn(f"{path}:{number}: not a JSON object, row skipped")
    return rows


def _csv_rows(text: str, path: Path) -> list[tuple[int, dict]]:
    reader = csv.DictReader(text.splitlines())
    columns = set(reader.fieldnames or [])
    if not {"metric", "value", "surface"} <= columns or not columns & {"doc", "file"}:
        raise FigcheckError("a figures CSV needs the columns doc (or file), metric, value and surface "
                            f"(has: {', '.join(reader.fieldnames or [])})", path, 1)
    rows = []
    for number, raw in enumerate(reader, start=2):
        row = {}
        for key, value in raw.items():
            if key is None or value is None:
                continue
            value = value.strip()
            if value.startswith("'") and value[1:2] in ("=", "+", "-", "@"):
                value = value[1:]  # the apostrophe the CSV export puts before formula-like text
            if value != "":
                row[key] = value.split(";") if key in LIST_FIELDS else value
        rows.append((number, row))
    return rows


class _ArticleTexts:
    """Article texts by file name, read once each, for line, column and sentence."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.cache: dict[str, tuple[str, LineIndex, list] | None] = {}

    def get(self, name: str):
        if name not in self.cache:
            self.cache[name] = None
            if self.folder is not None and (self.folder / name).is_file():
                try:
                    text = decode((self.folder / name).read_bytes(), self.folder / name)
                    self.cache[name] = (text, LineIndex(text), sentences(text))
                except (OSError, ArticleError):
                    pass
        return self.cache[name]


def _figure(row: dict, manifest: dict[str, Meta], texts: _ArticleTexts) -> Figure:
    data = {ALIASES.get(k, k): v for k, v in row.items() if v is not None}
    doc = str(data.get("doc") or "")
    surface = str(data.get("surface") or "")
    if not doc or not surface:
        raise ValueError("doc (or file) and surface are required")
    data["qualifier"] = QUALIFIER_ALIASES.get(data.get("qualifier"), data.get("qualifier") or "exact")
    meta = manifest.get(doc) or manifest.get(Path(doc).name) or Meta()
    data.setdefault("outlet", meta.outlet)
    data.setdefault("published", meta.published)
    data.setdefault("as_of", data.get("published"))
    data.setdefault("path", str(texts.folder / doc) if texts.folder else doc)
    data.setdefault("precision", _precision(surface))
    start = int(data.setdefault("char_start", 0))
    data.setdefault("char_end", start + len(surface))
    article = texts.get(Path(doc).name)
    if article is not None and article[0][start:start + len(surface)] == surface:
        text, lines, spans = article
        line, column = lines.locate(start)
        data.setdefault("line", line)
        data.setdefault("column", column)
        data.setdefault("sentence", next((text[s.start:s.end] for s in spans if s.start <= start < s.end), surface))
    data.setdefault("line", 1)
    data.setdefault("column", 1)
    data.setdefault("sentence", surface)
    if data.get("unit") == "share" and "share_of" not in data:
        raise ValueError("a share needs share_of, the metric it is a share of")
    return Figure.model_validate(data)


def _precision(surface: str) -> float:
    """The step the figure is written to ("2.3 million" → 100,000), read as the extractor reads it."""
    readings = read(surface)
    return readings[0].number.precision if readings else 1.0


def _problem(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"])
        return f"{where}: {error['msg']} (got {error.get('input')!r})"
    return str(exc)
