"""`index` adds and updates (issue 12, item 4): articles indexed one at a time accumulate, and the
cache is keyed on the text, its metadata and the packs' content."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import article, run
from figcheck.pack import default_rules_dir


def stored(store) -> dict[str, list[dict]]:
    by_doc: dict[str, list[dict]] = {}
    for figure in json.loads(run("figures", store, "--format", "json").stdout):
        by_doc.setdefault(figure["doc"], []).append(figure)
    return by_doc


def test_indexing_one_article_after_another_adds_it(tmp_path):
    first = article(tmp_path, "site/a.md", "The war has killed more than 30,000 people in Gaza.")
    second = article(tmp_path, "site/b.md", "The war has killed more than 31,000 people in Gaza.")
    store = tmp_path / "store"
    assert run("index", first, "--store", store).exit_code == 0
    result = run("index", second, "--store", store)
    assert "2 articles" in result.stderr and "(1 extracted, 0 unchanged, 0 removed)" in result.stderr
    assert set(stored(store)) == {"a.md", "b.md"}


def test_a_corrected_manifest_row_is_indexed_again(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "a.txt").write_text("The war has killed more than 30,000 people in Gaza.\n", encoding="utf-8")
    manifest = site / "manifest.csv"
    manifest.write_text("file,published,outlet\na.txt,2024-03-01,Wrong Outlet\n", encoding="utf-8")
    store = tmp_path / "store"
    run("index", site, "--store", store)
    manifest.write_text("file,published,outlet\na.txt,2024-03-02,Right Outlet\n", encoding="utf-8")
    again = run("index", site, "--store", store)
    assert "(1 extracted, 0 unchanged, 0 removed)" in again.stderr
    (figure,) = stored(store)["a.txt"]
    assert (figure["outlet"], figure["published"]) == ("Right Outlet", "2024-03-02")


def test_an_edited_pack_reindexes_every_stored_article(tmp_path):
    packs = tmp_path / "packs"
    shutil.copytree(default_rules_dir(), packs)
    first = article(tmp_path, "site/a.md", "The war has killed more than 30,000 people in Gaza.")
    second = article(tmp_path, "site/b.md", "The war has killed more than 31,000 people in Gaza.")
    store = tmp_path / "store"
    run("index", first, second, "--store", store, "--rules", packs)
    assert {f["metric"] for fs in stored(store).values() for f in fs} == {"gaza.deaths"}
    gaza = packs / "gaza.yaml"
    text = gaza.read_text(encoding="utf-8")
    assert "id: gaza.deaths\n" in text
    gaza.write_text(text.replace("id: gaza.deaths\n", "id: gaza.killed\n").replace("gaza.deaths", "gaza.killed"),
                    encoding="utf-8")
    again = run("index", first, "--store", store, "--rules", packs)  # only a.md named: b.md is refreshed too
    assert again.exit_code == 0, again.stderr
    assert "(2 extracted, 0 unchanged, 0 removed)" in again.stderr
    assert {f["metric"] for fs in stored(store).values() for f in fs} == {"gaza.killed"}


def _live(store) -> tuple[str, list[str]]:
    return (store / "CURRENT").read_text(encoding="utf-8"), sorted(p.name for p in store.iterdir())


def test_indexing_an_unchanged_corpus_writes_nothing(tmp_path):
    first = article(tmp_path, "site/a.md", "The war has killed more than 30,000 people in Gaza.")
    article(tmp_path, "site/b.md", "The war has killed more than 31,000 people in Gaza.")
    store = tmp_path / "store"
    made = run("index", tmp_path / "site", "--store", store)
    assert "2 articles, 2 figures (2 extracted" in made.stderr
    before = _live(store)
    again = run("index", tmp_path / "site", "--store", store)
    assert again.exit_code == 0 and "2 articles, 2 figures (0 extracted, 2 unchanged, 0 removed)" in again.stderr
    assert _live(store) == before
    first.write_text(first.read_text(encoding="utf-8").replace("30,000", "30,500"), encoding="utf-8")
    edited = run("index", tmp_path / "site", "--store", store)
    assert "(1 extracted, 1 unchanged, 0 removed)" in edited.stderr
    assert _live(store)[0] != before[0] and stored(store)["a.md"][0]["value"] == 30500


def test_a_store_indexed_by_an_earlier_version_is_written_again(tmp_path):
    from figcheck.kept import KEPT

    article(tmp_path, "site/a.md", "The war has killed more than 30,000 people in Gaza.")
    store = tmp_path / "store"
    run("index", tmp_path / "site", "--store", store)
    meta = store / (store / "CURRENT").read_text(encoding="utf-8").strip() / "meta.json"
    meta.write_text(meta.read_text(encoding="utf-8").replace(json.dumps(KEPT), json.dumps("records, 1")),
                    encoding="utf-8")
    again = run("index", tmp_path / "site", "--store", store)
    assert "(0 extracted, 1 unchanged, 0 removed)" in again.stderr
    written = store / (store / "CURRENT").read_text(encoding="utf-8").strip() / "meta.json"
    assert written != meta and json.loads(written.read_text(encoding="utf-8"))["record"] == KEPT


def test_a_run_that_waited_for_the_lock_keeps_what_the_run_before_it_committed(tmp_path, monkeypatch):
    """Two runs on one store: the second reads the store before the first commits, then waits for
    the lock. It must not drop the first run's articles."""
    from figcheck import indexing

    article(tmp_path, "one/a.md", "The war has killed more than 30,000 people in Gaza.")
    article(tmp_path, "two/b.md", "The war has killed more than 31,000 people in Gaza.")
    store = tmp_path / "store"
    writer = indexing.kept_writer

    def after_another_run(*args, **kwargs):  # the lock is taken once the other run has committed
        monkeypatch.setattr(indexing, "kept_writer", writer)
        assert run("index", tmp_path / "one", "--store", store).exit_code == 0
        return writer(*args, **kwargs)

    monkeypatch.setattr(indexing, "kept_writer", after_another_run)
    result = run("index", tmp_path / "two", "--store", store)
    assert result.exit_code == 0 and "2 articles" in result.stderr
    assert set(stored(store)) == {"a.md", "b.md"}


def test_an_unchanged_corpus_indexed_on_dask_starts_no_cluster(tmp_path, monkeypatch):
    pytest.importorskip("distributed")
    from figcheck import dask_engine

    article(tmp_path, "site/a.md", "The war has killed more than 30,000 people in Gaza.")
    store = tmp_path / "store"
    assert run("index", tmp_path / "site", "--store", store).exit_code == 0

    def no_cluster(*args, **kwargs):
        raise AssertionError("a cluster was started with nothing to extract")

    monkeypatch.setattr(dask_engine, "client_for", no_cluster)
    again = run("index", tmp_path / "site", "--store", store, "--engine", "dask")
    assert again.exit_code == 0 and "(0 extracted, 1 unchanged, 0 removed)" in again.stderr
