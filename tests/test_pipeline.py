"""Extraction across worker processes gives exactly what one process gives."""

from __future__ import annotations

import concurrent.futures
import shutil
from concurrent.futures import ProcessPoolExecutor

from figcheck import pipeline
from figcheck.errors import Warnings
from figcheck.pack import load_config
from tests.conftest import CORPUS, CORPUS_FIGURES


def test_parallel_extraction_equals_sequential(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    shutil.copy(corpus / "gaza" / "2024-06-11-npr-hostages.md", corpus / "quake" / "copy-of-npr.md")
    config = load_config()

    pools = []

    class CountedPool(ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            pools.append(args[0] if args else kwargs.get("max_workers"))
            super().__init__(*args, **kwargs)

    # Two workers even on a one-core runner, so the parallel path is the one taken.
    monkeypatch.setattr(pipeline.os, "cpu_count", lambda: 2)
    # pipeline imports the pool where it starts one (check's start-up need not load it)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", CountedPool)

    def extract(parallel_from: int):
        monkeypatch.setattr(pipeline, "PARALLEL_FROM", parallel_from)
        monkeypatch.setattr(pipeline, "CHUNK", 3)
        warnings = Warnings(quiet=True)
        found = pipeline.extract_corpus(pipeline.Corpus([corpus], warnings), config)
        return found.frame.sort("path", "char_start"), sorted(warnings.items)

    sequential, seq_warnings = extract(10_000)
    assert pools == []
    parallel, par_warnings = extract(2)
    assert pools == [2], "the parallel run used worker processes"
    assert parallel.equals(sequential) and parallel.height == CORPUS_FIGURES
    assert par_warnings == seq_warnings and any("same text as" in w for w in par_warnings)


def test_scan_extracts_a_large_corpus_in_a_process_of_its_own(tmp_path, monkeypatch):
    """From APART_FROM articles, scan's extraction runs in a process of its own, so what it leaves
    behind is not under the rules: this process never extracts, and the findings and warnings
    are those of an extraction in this process."""
    from tests.conftest import run

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    shutil.copy(corpus / "gaza" / "2024-06-11-npr-hostages.md", corpus / "quake" / "copy-of-npr.md")
    here = run("scan", corpus, "--format", "json")
    assert "same text as" in here.stderr and here.stdout.count('"rule"') > 5

    def not_here(*args, **kwargs):
        raise AssertionError("extracted in the process that runs the rules")

    monkeypatch.setattr(pipeline, "_extract_chunk", not_here)
    monkeypatch.setattr(pipeline, "APART_FROM", 2)
    apart = run("scan", corpus, "--format", "json")
    assert (apart.exit_code, apart.stdout, apart.stderr) == (here.exit_code, here.stdout, here.stderr)


def test_the_process_that_extracts_apart_collects_garbage_as_the_program_does(tmp_path):
    """Left at the default threshold, that process went through its long-lived objects again and
    again: a 2,000-article scan took 37 s instead of 30."""
    import gc

    from figcheck.program import COLLECT_AFTER
    from figcheck.store import open_store

    before = gc.get_threshold()
    gc.set_threshold(700, *before[1:])
    try:
        jobs = pipeline.Corpus([CORPUS / "quake"], Warnings(quiet=True)).jobs()
        assert pipeline._spill_apart(jobs, load_config().files, tmp_path / "scratch", None) == []
        assert gc.get_threshold()[0] == COLLECT_AFTER
    finally:
        gc.set_threshold(*before)
    assert open_store(tmp_path / "scratch").metrics
