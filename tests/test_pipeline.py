"""Extraction across worker processes gives exactly what one process gives."""

from __future__ import annotations

import shutil

from figcheck import pipeline
from figcheck.errors import Warnings
from figcheck.pack import load_config
from tests.conftest import CORPUS


def test_parallel_extraction_equals_sequential(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    shutil.copy(corpus / "gaza" / "2024-06-11-npr-hostages.md", corpus / "quake" / "copy-of-npr.md")
    config = load_config()

    def extract(parallel_from: int):
        monkeypatch.setattr(pipeline, "PARALLEL_FROM", parallel_from)
        monkeypatch.setattr(pipeline, "CHUNK", 3)
        warnings = Warnings(quiet=True)
        found = pipeline.extract_corpus(pipeline.Corpus([corpus], warnings), config)
        return found.frame.sort("path", "char_start"), sorted(warnings.items)

    sequential, seq_warnings = extract(10_000)
    parallel, par_warnings = extract(2)
    assert parallel.equals(sequential) and parallel.height == 79
    assert par_warnings == seq_warnings and any("same text as" in w for w in par_warnings)
