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


# Longer than an organisation's name ("... by the International Organization for Migration"): a
# run of this many characters in common is a copied sentence.
DEVSET_SPAN = 50


@needs_shared
def test_no_extraction_case_copies_a_seed_or_dev_set_sentence():
    articles = sorted(SEEDS.glob("*.txt")) + sorted((SEEDS.parent / "devset").glob("*/articles/*.txt"))
    windows = set()
    for path in articles:
        text = " ".join(path.read_text(encoding="utf-8", errors="replace").split())
        windows.update(text[i:i + DEVSET_SPAN] for i in range(len(text) - DEVSET_SPAN + 1))
    copied = []
    for path in sorted(DATA.glob("extraction_cases*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            text = " ".join(case["text"].split())
            if any(text[i:i + DEVSET_SPAN] in windows for i in range(len(text) - DEVSET_SPAN + 1)):
                copied.append(f"{path.name}: {case['name']}")
    assert copied == []
