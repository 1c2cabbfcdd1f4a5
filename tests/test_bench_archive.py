"""The benchmark's synthetic archive is a store `check` reads: the bench builds its frames by hand,
so a schema that grows must not leave it behind (it did once, and the bench stopped at its first
step)."""

from __future__ import annotations

import importlib.util
import json

from click.testing import CliRunner

from figcheck.cli import main
from tests.conftest import ROOT


def _bench():
    spec = importlib.util.spec_from_file_location("bench_script", ROOT / "bench" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_check_reads_the_bench_archive(tmp_path):
    bench = _bench()
    store = tmp_path / "archive"
    bench.make_archive(store, 4000, named=True)
    # Dated near the archive's last days, the draft's toll is months behind what the archive holds.
    draft = tmp_path / "late-draft.md"
    draft.write_text("---\noutlet: Test Desk\npublished: 2025-08-20\n---\nThe health ministry in Gaza said on "
                     "Tuesday that 24,100 people had been killed since the war began.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(draft), "--against", str(store), "--format", "json"])
    assert result.exit_code == 1, result.output
    found = json.loads(result.stdout)
    assert any(f["rule"] == "outdated" and any(c["path"].startswith("/srv/archive/doc") for c in f["figures"])
               for f in found), found
