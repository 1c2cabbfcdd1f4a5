"""`index` adds and updates (issue 12, item 4): articles indexed one at a time accumulate, and the
cache is keyed on the text, its metadata and the packs' content."""

from __future__ import annotations

import json
import shutil

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
