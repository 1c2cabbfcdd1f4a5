"""Every extraction case in data/extraction_cases*.yaml (general forms, then one file per bundled
pack showing each of its recognisers), run through the reader and extractor."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from figcheck.articles import read_article
from figcheck.extract.extractor import extract
from figcheck.pack import load_config
from tests.conftest import DATA, article

# A case is a sentence or two of an article about a bundled pack's story (its file's, or the case's
# `story`); the rest of the article, which names the story and where it happened, is this last
# paragraph. `story: none` (extraction_cases.yaml's default) reads the text alone.
STORY_PARAGRAPHS = {
    "gaza": "This report is part of our coverage of the war in Gaza.",
    "quake": "This report is part of our coverage of the earthquake in Turkey and Syria.",
    "maui": "This report is part of our coverage of the wildfires on Maui.",
}
CASES = [{"story": path.stem.removeprefix("extraction_cases").lstrip("_") or "none", **case}
         for path in sorted(DATA.glob("extraction_cases*.yaml")) for case in yaml.safe_load(path.read_text(encoding="utf-8"))]
CONFIG = load_config()


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_extraction_case(case, tmp_path):
    published = case.get("published", "2024-03-23")
    story = STORY_PARAGRAPHS.get(case["story"])
    path = article(tmp_path, "case.md", case["text"] + (f"\n\n{story}" if story else ""), published=published)
    figures = [f.model_dump() for f in extract(read_article(path), CONFIG)]
    expected = case["expect"]
    assert [f["surface"] for f in figures] == [e.get("surface", f["surface"]) for e, f in zip(expected, figures)] \
        and len(figures) == len(expected), f"figures found: {[(f['surface'], f['metric']) for f in figures]}"
    for want, got in zip(expected, figures):
        for key, value in want.items():
            actual = got[key]
            if isinstance(actual, dt.date) and not isinstance(value, dt.date):
                value = dt.date.fromisoformat(str(value))
            if isinstance(value, float) or isinstance(actual, float) and value is not None:
                assert actual == pytest.approx(value), f"{key} of {got['surface']!r}"
            else:
                assert actual == value, f"{key} of {got['surface']!r}"


def test_offsets_slice_the_surface_and_lines_point_at_it(tmp_path):
    body = "Intro line.\n\nThe war has killed more than 32,000 people in Gaza, officials said.\n"
    path = article(tmp_path, "a.md", body)
    art = read_article(path)
    (figure,) = extract(art, CONFIG)
    assert art.text[figure.char_start:figure.char_end] == figure.surface == "more than 32,000"
    line = art.text.splitlines()[figure.line - 1]
    assert line[figure.column - 1:].startswith("more than 32,000")
