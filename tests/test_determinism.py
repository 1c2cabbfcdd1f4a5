"""The same input gives byte-identical output, in every format (issue 12, item 5)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import CORPUS, ROOT


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "sarif", "github", "table"])
def test_identical_runs_give_identical_bytes(fmt):
    # Separate processes: the order polars' group-bys give their groups varies between runs,
    # and a hash seed per process varies set orders.
    outputs = set()
    for seed in ("1", "2", "3", "4"):
        done = subprocess.run([sys.executable, "-m", "figcheck", "scan", str(CORPUS), "--format", fmt],
                              capture_output=True, cwd=ROOT, check=False,
                              env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin", "POLARS_MAX_THREADS": "2"})
        assert done.returncode == 1, done.stderr
        outputs.add(done.stdout)
    assert len(outputs) == 1
