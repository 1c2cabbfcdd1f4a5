"""Archives for the tests at scale: the corpus indexed, and grown from it."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from figcheck import app, scope, store
from figcheck.output import plain
from figcheck.pack import load_config
from figcheck import kept
from tests.conftest import CORPUS, DATA, SHARED, run

REFERENCE = SHARED / "reference" / "gaza_moh_daily.csv"
DRAFTS = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".md", ".txt")) + [DATA / "drafts" / "ceasefire-draft.md"]


@pytest.fixture(autouse=True)
def read_in_part_however_small(monkeypatch):
    """The archives of these tests are small: every metric is read in part, as a large one's is
    (a module that imports this fixture has it for each of its tests)."""
    monkeypatch.setattr(scope, "WHOLE_ROWS", 0)


def write_store(path, frame: pl.DataFrame, parts: int = 1, config=None) -> None:
    config = config or load_config()
    with kept.writer(path, config, part_rows=1) as writer:
        for k in range(parts):
            writer.add(frame.filter(pl.int_range(pl.len()) % parts == k))
        articles = frame.select("path").unique().select(key="path", path="path", content_hash="path", figures=0)
        writer.commit(articles, store.rules_fingerprint(config.files))


def build_archives(base):
    """The corpus indexed, and a larger archive grown from it: the corpus's figures again and again,
    each copy days later and its counts higher, so periods chain, records climb and values tie."""
    assert run("index", CORPUS, "--store", base / "corpus", "-q").exit_code == 0
    figures = store.open_store(base / "corpus").figures()
    copies = [figures.with_columns(
        doc=pl.format("copy{}-{}", pl.lit(k), pl.col("doc")), path=pl.format("copy{}/{}", pl.lit(k), pl.col("path")),
        as_of=pl.col("as_of") + pl.duration(days=k * 3 % 40), published=pl.col("published") + pl.duration(days=k * 3 % 40),
        value=pl.when(pl.col("unit") == "count").then(((pl.col("value") * (1 + k / 50)) / 10).round() * 10).otherwise(pl.col("value")),
    ) for k in range(1, 25)]
    write_store(base / "grown", pl.concat([figures, *copies]), parts=3)
    # No claimant: no series, so check reads little beyond the draft's dates.
    write_store(base / "unnamed", pl.concat([figures, *copies]).with_columns(claimant=pl.lit(None, pl.String)), parts=3)
    assert len(store.open_store(base / "grown").parts(["gaza.deaths"])) == 3
    return base


def findings(store_path, draft, proportional: bool, references=()) -> str:
    run_ = app.Run(quiet=True)
    found = run_.check([draft], [store_path], run_.references(references), None, dt.date(2024, 6, 1),
                       proportional=proportional)
    return plain.as_json(found)


def figures_file(path, rows) -> None:
    import json

    path.write_text("".join(json.dumps({"metric": "gaza.deaths", "qualifier": "exact", **row}) + "\n" for row in rows),
                    encoding="utf-8")
