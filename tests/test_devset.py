"""Figures on real articles nobody here wrote: ../shared/devset, three stories, scored by score.py.

The issue's targets are F1 ≥ 0.90 per story over all gold ids, claimant_name ≥ 0.85 and as_of ≥ 0.95
of matched figures; the bundled packs reach them on all three stories. The floors below are what they
reach today: a change that loses ground on real articles fails here, whatever it does to the corpus
we wrote ourselves.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.conftest import SHARED, needs_shared, run

DEVSET = SHARED / "devset"
# story: (end-to-end F1, claimant_name, as_of) floors
FLOORS = {"gaza": (0.91, 0.94, 0.99), "quake": (0.97, 0.95, 1.00), "maui": (0.93, 0.92, 1.00)}
# story: (expected findings found, most false alarms) of `scan` on the articles; the issue asks for
# 70 % found with at most one false warning per story
FINDINGS = {"gaza": (7, 0), "quake": (10, 0), "maui": (7, 0)}


def _scores(story: str, tmp_path) -> dict[str, float]:
    result = run("figures", DEVSET / story / "articles", "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    pred = tmp_path / f"{story}.jsonl"
    pred.write_text(result.stdout, encoding="utf-8")
    done = subprocess.run([sys.executable, str(SHARED / "tools" / "score.py"), "figures", str(pred),
                           "--gold", str(DEVSET / story / "gold.jsonl")], capture_output=True, text=True, check=False)
    found = dict(re.findall(r"(claimant_name|as_of) (\d\.\d\d)", done.stdout))
    found["f1"] = re.search(r"end-to-end F1 (\d\.\d\d)", done.stdout).group(1)
    return {key: float(value) for key, value in found.items()}


@needs_shared
@pytest.mark.parametrize("story", sorted(FLOORS))
def test_devset_figures_hold_their_ground(story, tmp_path):
    f1, claimant, as_of = FLOORS[story]
    got = _scores(story, tmp_path)
    assert got["f1"] >= f1 and got["claimant_name"] >= claimant and got["as_of"] >= as_of, got


@needs_shared
@pytest.mark.parametrize("story", sorted(FINDINGS))
def test_devset_findings_hold_their_ground(story, tmp_path):
    result = run("scan", DEVSET / story / "articles", "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    found = tmp_path / f"{story}.json"
    found.write_text(result.stdout, encoding="utf-8")
    done = subprocess.run([sys.executable, str(SHARED / "tools" / "score.py"), "findings", str(found),
                           "--expected", str(DEVSET / story / "expected_findings.json")],
                          capture_output=True, text=True, check=False)
    recall, false_alarms = map(int, re.search(r"recall (\d+)/\d+, false alarms (\d+)", done.stdout).groups())
    least, most = FINDINGS[story]
    assert recall >= least and false_alarms <= most, done.stdout
