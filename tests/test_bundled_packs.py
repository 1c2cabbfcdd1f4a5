"""The bundled packs' settings, shown on invented articles."""

from __future__ import annotations

import json

from tests.conftest import article, run


def test_maui_missing_that_rose_in_the_first_week_is_no_finding(tmp_path):
    first = article(tmp_path, "a.md", "The governor said about 900 people were unaccounted for on Maui.",
                    published="2023-08-12")
    later = article(tmp_path, "b.md", "The governor said roughly 1,200 people were unaccounted for on Maui.",
                    published="2023-08-15")
    figures = run("figures", first, later, "--format", "jsonl")
    assert [f["metric"] for f in map(json.loads, figures.stdout.splitlines())] == ["maui.missing"] * 2
    result = run("scan", first, later, "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout) == []
