"""The same input gives byte-identical output, in every format (issue 12, item 5)."""

from __future__ import annotations

import subprocess
import sys

from figcheck import app, rendering
from tests.conftest import CORPUS, ROOT

FORMATS = ["json", "jsonl", "csv", "sarif", "github", "table"]


def test_identical_runs_give_identical_bytes():
    # polars' group-bys give their groups, and the rows in them, in an order that varies from run
    # to run (threads): the rules run several times over the same figures, every format compared.
    job = app.Run()
    figures = job.figures([CORPUS])
    outputs: dict[str, set[str]] = {fmt: set() for fmt in FORMATS}
    for _ in range(10):
        found = job.findings(figures, [], None)
        for fmt in FORMATS:
            outputs[fmt].add(rendering.render_findings(found, fmt, job.config))
    assert {fmt: len(texts) for fmt, texts in outputs.items()} == {fmt: 1 for fmt in FORMATS}


def test_identical_processes_give_identical_bytes(tmp_path):
    # Separate processes with different hash seeds: set and dict orders may not leak into output,
    # nor into the packs the first run caches and the second reads.
    outputs = set()
    for seed in ("1", "2"):
        done = subprocess.run([sys.executable, "-m", "figcheck", "scan", str(CORPUS / "quake"), "--format", "json"],
                              capture_output=True, cwd=ROOT, check=False,
                              env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin", "XDG_CACHE_HOME": str(tmp_path)})
        assert done.returncode == 1, done.stderr
        outputs.add(done.stdout)
    assert len(outputs) == 1
