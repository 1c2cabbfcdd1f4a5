"""A few seconds of mutation fuzzing in CI: no mutated article costs the good ones their figures.

The long run is bench/fuzz.py (`--minutes 10`). Set FIGCHECK_FUZZ_SEED to replay another seed.
"""

from __future__ import annotations

import os

from tests.conftest import CORPUS, SEEDS
from tests.fuzzing import fuzz

SECONDS = 4.0


def test_mutated_articles_never_lose_the_others_figures(tmp_path):
    seeds = sorted(SEEDS.glob("*.txt"))[:5] if SEEDS.is_dir() else []
    seeds += [p for p in sorted(CORPUS.rglob("*")) if p.suffix in (".md", ".txt", ".html") and "reuters" not in p.name]
    report = fuzz(tmp_path, seeds, SECONDS, seed=int(os.environ.get("FIGCHECK_FUZZ_SEED", "11")))
    assert report.cases >= 5
    assert report.losses == [], report.losses[:5]
