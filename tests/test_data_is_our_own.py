"""Test data is invented: no extraction case carries a sentence of the third-party seed articles."""

from __future__ import annotations

import yaml

from tests.conftest import DATA, SEEDS, needs_shared

SPAN = 35  # characters in common that make a copied sentence rather than a shared phrase


@needs_shared
def test_extraction_cases_share_no_sentence_with_the_seeds():
    windows = set()
    for path in sorted(SEEDS.glob("*.txt")):
        text = " ".join(path.read_text(encoding="utf-8", errors="replace").split())
        windows.update(text[i:i + SPAN] for i in range(len(text) - SPAN + 1))
    copied = []
    for case in yaml.safe_load((DATA / "extraction_cases.yaml").read_text(encoding="utf-8")):
        text = " ".join(case["text"].split())
        if any(text[i:i + SPAN] in windows for i in range(len(text) - SPAN + 1)):
            copied.append(case["name"])
    assert copied == []
