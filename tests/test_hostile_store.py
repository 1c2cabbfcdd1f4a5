"""The store never deletes what figcheck did not create, and concurrent writers leave it whole."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

import polars as pl
import pytest

from figcheck import store, store_writer
from figcheck.records import SCHEMA
from tests.conftest import ROOT, article, run

GOOD = "The war has killed more than 32,000 people in Gaza, the health ministry said."


def plant_victim(path):
    """A folder shaped like a store generation, with a file that must survive."""
    for name in ("gen-1", "gen-2", "gen-7"):
        (path / name).mkdir(parents=True)
        (path / name / "meta.json").write_text(json.dumps({"format": store.FORMAT}), encoding="utf-8")
        (path / name / "figures.parquet").write_bytes(b"precious")
    (path / "keep.txt").write_text("precious", encoding="utf-8")
    return sorted(p.relative_to(path).as_posix() for p in path.rglob("*"))


def tree(path):
    return sorted(p.relative_to(path).as_posix() for p in path.rglob("*"))


@pytest.fixture
def articles(tmp_path):
    article(tmp_path / "in", "good.md", GOOD)
    return tmp_path / "in"


@pytest.mark.parametrize("pointer", ["..", "ABSOLUTE", "../victim", "gen-1/../../victim", "LINK"])
def test_a_current_pointing_out_of_the_store_deletes_nothing(tmp_path, articles, pointer):
    victim = tmp_path / "victim"
    victim.mkdir()
    before = plant_victim(victim)
    st = tmp_path / "sub" / "store"
    assert run("index", articles, "--store", st).exit_code == 0
    if pointer == "LINK":
        os.symlink(victim, st / "gen-9")
        pointer = "gen-9"
        (st / "GENERATIONS").write_text("gen-1\ngen-9\n", encoding="utf-8")
    (st / "CURRENT").write_text(str(victim) if pointer == "ABSOLUTE" else pointer, encoding="utf-8")
    result = run("index", articles, "--store", st)
    assert result.exit_code == 2 and "store is corrupt: CURRENT names" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert tree(victim) == before
    assert (tmp_path / "sub" / "store").is_dir()
    reading = run("figures", st, "--format", "jsonl")
    assert reading.exit_code == 2 and "CURRENT names" in reading.stderr
    assert tree(victim) == before


def test_a_ledger_naming_a_symlinked_generation_deletes_nothing_through_it(tmp_path, articles):
    victim = tmp_path / "victim"
    victim.mkdir()
    before = plant_victim(victim)
    st = tmp_path / "store"
    assert run("index", articles, "--store", st).exit_code == 0
    os.symlink(victim / "gen-1", st / "gen-5")
    (st / "GENERATIONS").write_text((st / "GENERATIONS").read_text() + "gen-5\n../victim/gen-2\n/tmp\n",
                                    encoding="utf-8")
    assert run("index", articles, "--store", st).exit_code == 0
    assert tree(victim) == before
    assert (st / "gen-5").is_symlink()
    assert run("figures", st, "--format", "jsonl").exit_code == 0


def test_store_on_an_existing_folder_is_refused_and_its_folders_survive(tmp_path, articles):
    victim = tmp_path / "project"
    victim.mkdir()
    before = plant_victim(victim)
    result = run("index", articles, "--store", victim)
    assert result.exit_code == 2 and "not a figcheck store" in result.stderr
    assert tree(victim) == before


def test_only_generations_figcheck_wrote_are_removed(tmp_path, articles):
    st = tmp_path / "store"
    assert run("index", articles, "--store", st).exit_code == 0
    (st / "gen-50").mkdir()  # not figcheck's: not in its ledger
    (st / "gen-50" / "mine.txt").write_text("mine", encoding="utf-8")
    for k in range(3):  # each run has an article to add, so each writes a generation
        article(articles, f"more-{k}.md", GOOD.replace("32,000", f"{32_001 + k:,}"))
        assert run("index", articles, "--store", st).exit_code == 0
    assert (st / "CURRENT").read_text() == "gen-53"
    assert sorted(p.name for p in st.iterdir() if p.name.startswith("gen-")) == ["gen-50", "gen-53"]
    assert (st / "gen-50" / "mine.txt").read_text() == "mine"


def frame(n: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    articles = pl.DataFrame([{"key": f"k{i}", "path": f"p{i}", "content_hash": f"h{n}", "figures": n}
                             for i in range(n)], schema=store.ARTICLE_SCHEMA)
    return pl.DataFrame(schema=SCHEMA), articles


def test_concurrent_saves_leave_a_complete_store(tmp_path, monkeypatch):
    """Threads race through save with a slow write in the middle; without the lock the store breaks."""
    st = tmp_path / "store"
    real = pl.DataFrame.write_parquet

    def slow(self, path, *args, **kwargs):
        time.sleep(0.02)
        return real(self, path, *args, **kwargs)

    monkeypatch.setattr(pl.DataFrame, "write_parquet", slow)
    errors: list[BaseException] = []

    def writer(n):
        try:
            for _ in range(3):
                store_writer.save(st, *frame(n), rules=f"r{n}")
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(1, 7)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    snapshot = store.load(st)
    n = int(snapshot.rules[1:])
    assert snapshot.articles.height == n and set(snapshot.articles["content_hash"]) == {f"h{n}"}
    assert [p.name for p in st.iterdir() if p.name.startswith("gen-")] == [(st / "CURRENT").read_text()]


def test_concurrent_index_processes_all_exit_0_and_leave_a_readable_store(tmp_path):
    corpora = []
    for n in range(4):
        folder = tmp_path / f"in{n}"
        for i in range(n + 1):
            article(folder, f"a{i}.md", GOOD.replace("32,000", f"{32 + i},{n}00"))
        corpora.append(folder)
    st = tmp_path / "store"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-m", "figcheck", "index", str(c), "--store", str(st)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) for c in corpora]
    results = [(p.wait(timeout=120), p.stderr.read().decode()) for p in procs]
    assert all(code == 0 for code, _ in results), results
    snapshot = store.load(st)
    assert snapshot.articles.height in {1, 2, 3, 4}
    assert snapshot.figures.height == snapshot.articles.height
