"""The library API, and the Dask engine writing the store that a local index writes."""

from __future__ import annotations

import json
import sys
import tempfile

import pytest

import figcheck
from figcheck import pipeline, project
from figcheck.articles import load_manifest, read_article
from figcheck.errors import ArticleError, Warnings
from figcheck.extract.extractor import extract
from figcheck.htmlpos import relocate
from figcheck.indexing import index_corpus
from figcheck.pack import load_config
from figcheck.store import canonical
from tests.conftest import CORPUS, run

ARTICLES = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".md", ".txt", ".html"))


def test_extract_article_from_text_matches_reading_the_file():
    config = load_config()
    for path in ARTICLES:
        article = read_article(path)
        expected = extract(article, config)
        if article.source is not None:  # an HTML page: positions in its markup, as figcheck figures gives them
            expected = relocate(expected, article.text, article.source)
        # A file read is shown by its path relative to the working directory (issue 12).
        assert figcheck.extract_article(path.read_bytes(), doc=path.name, path=project.shown(path)) == expected


def test_extract_article_takes_its_metadata_from_arguments():
    text = "The health ministry in Gaza said on Tuesday that 21,300 people had been killed since October."
    [figure] = figcheck.extract_article(text, doc="wire/42.txt", outlet="Made-up Wire", published="2023-12-20")
    assert (figure.doc, figure.path, figure.outlet, figure.published.isoformat()) == \
        ("wire/42.txt", "wire/42.txt", "Made-up Wire", "2023-12-20")
    assert figure.metric == "gaza.deaths" and figure.value == 21300 and figure.as_of.isoformat() == "2023-12-19"
    with pytest.raises(ArticleError):
        figcheck.extract_article("   ", doc="empty.txt")


def test_articles_to_frame_and_run_rules_find_what_scan_finds():
    def metadata(path):
        meta = load_manifest(path.parent / "manifest.csv")[0].get(path.name) if (path.parent / "manifest.csv").is_file() \
            else None
        return {"outlet": meta.outlet, "published": meta.published} if meta else {}

    frame = figcheck.articles_to_frame(
        # Identities and paths as scan gives them: relative to the project root and the working directory.
        [{"text": p.read_text(encoding="utf-8"), "doc": project.identity(p, p.parent, project.find().root),
          "path": project.shown(p), "html": p.suffix == ".html",
          **metadata(p)} for p in ARTICLES]
        + [{"text": "", "doc": "empty.txt"}], errors="skip")
    assert frame.height == len(run("figures", *ARTICLES, "--format", "jsonl").stdout.splitlines())
    # scan reads figures in the store's order (by metric, date, article, offset); so does this.
    found = [f.model_dump(mode="json") for f in figcheck.run_rules(canonical(frame))]
    assert found == json.loads(run("scan", *ARTICLES, "--format", "json").stdout)
    rafah = next(d for d in frame["doc"].unique() if d.endswith("2024-05-14-regionalwire-rafah-crossing.txt"))
    only = figcheck.run_rules(frame, subjects=[rafah])
    assert only and all(f.figures[0].doc == rafah for f in only)


def test_a_store_indexed_on_a_dask_cluster_gives_the_findings_of_a_local_index(tmp_path, monkeypatch):
    distributed = pytest.importorskip("distributed")
    from figcheck.dask_engine import dask_chunks

    scratch, cache = tmp_path / "scratch", tmp_path / "cache"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.setattr("figcheck.dask_engine._PACKS", {})

    assert run("index", CORPUS, "--store", tmp_path / "local", "-q").exit_code == 0
    config = load_config()
    corpus = pipeline.Corpus([CORPUS], Warnings(quiet=True), None, project.find().root)  # as index does
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        report = index_corpus(corpus, config, tmp_path / "dask", chunks=dask_chunks(client))
    figures = len(run("figures", tmp_path / "local", "--format", "jsonl").stdout.splitlines())
    assert report["extracted"] == 16 and report["figures"] == figures > 50
    local = run("scan", tmp_path / "local", "--format", "json")
    dask = run("scan", tmp_path / "dask", "--format", "json")
    assert dask.stdout == local.stdout and len(json.loads(local.stdout)) >= 5
    # the worker's copies of the packs are gone, and only the client's load is in the pack cache
    assert [p.name for p in scratch.iterdir() if p.name.startswith("figcheck-packs-")] == []
    assert len(list((cache / "figcheck").glob("packs-*.pickle"))) == 1


def test_the_dask_engine_without_dask_installed_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    result = run("index", CORPUS, "--store", tmp_path / "s", "--engine", "dask")
    assert result.exit_code == 2 and "pip install 'figcheck[dask]'" in result.stderr
    result = run("index", CORPUS, "--store", tmp_path / "s", "--scheduler", "tcp://127.0.0.1:1")
    assert result.exit_code == 2 and "--scheduler needs --engine dask" in result.stderr
