"""End to end: the CLI's output scored by ../shared/tools/score.py against the hand-made answers."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import CORPUS, DATA, SEEDS, SHARED, needs_shared, run

SCORE = SHARED / "tools" / "score.py"
ANSWERS = DATA / "corpus_answers"


def score(kind: str, output: str, tmp_path, *extra) -> str:
    pred = tmp_path / "pred.json"
    pred.write_text(output, encoding="utf-8")
    done = subprocess.run([sys.executable, str(SCORE), kind, str(pred), *map(str, extra)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.strip().splitlines()[-1]


@needs_shared
def test_seed_figures_f1(tmp_path):
    result = run("figures", SEEDS, "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    summary = score("figures", result.stdout, tmp_path, "--min-f1", "0.95")
    assert summary.startswith("figures: end-to-end F1 1.00"), summary


@needs_shared
@pytest.mark.parametrize("reference", [False, True])
def test_seed_findings(tmp_path, reference):
    args = ["scan", SEEDS, "--format", "json"]
    expected = []
    if reference:
        args += ["--reference", SHARED / "reference" / "gaza_moh_daily.csv"]
        expected = ["--expected", SHARED / "answers" / "expected_findings_reference.json"]
    result = run(*args)
    assert result.exit_code == 1, result.stderr  # warnings at the default --fail-on
    assert score("findings", result.stdout, tmp_path, *expected) == \
        "findings: recall 3/3, false alarms 0 (warning or error, not expected)"


@needs_shared
def test_corpus_figures_f1(tmp_path):
    result = run("figures", CORPUS, "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    summary = score("figures", result.stdout, tmp_path, "--gold", ANSWERS / "gold.jsonl", "--min-f1", "0.95")
    assert summary.startswith("figures: end-to-end F1 1.00"), summary


@needs_shared
@pytest.mark.parametrize("reference", [False, True])
def test_corpus_findings(tmp_path, reference):
    args = ["scan", CORPUS, "--format", "json"]
    expected = ANSWERS / "expected_findings.json"
    if reference:
        args += ["--reference", SHARED / "reference" / "gaza_moh_daily.csv"]
        expected = ANSWERS / "expected_findings_reference.json"
    result = run(*args)
    assert score("findings", result.stdout, tmp_path, "--expected", expected) == \
        "findings: recall 6/6, false alarms 0 (warning or error, not expected)"
