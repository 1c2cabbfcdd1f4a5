"""Each input format gives its text and metadata: front matter, manifest, HTML, datelines."""

from __future__ import annotations

import datetime as dt

from figcheck.articles import read_article
from figcheck.dates import dateline
from tests.conftest import CORPUS, run


def test_html_gives_main_text_and_metadata():
    page = read_article(CORPUS / "gaza" / "2024-01-20-bbc-gaza-displaced.html")
    assert page.outlet == "BBC News" and page.published == dt.date(2024, 1, 20)
    assert page.title.startswith("Gaza: Most of the population displaced")
    assert "24,927 people have been killed" in page.text and "Privacy Policy" not in page.text


def test_front_matter_gives_metadata_and_offsets_stay_in_the_file():
    path = CORPUS / "quake" / "2023-02-13-bbc-quake-rescues.md"
    art = read_article(path)
    assert (art.outlet, art.published) == ("BBC News", dt.date(2023, 2, 13))
    assert art.text == path.read_text(encoding="utf-8") and art.body_start > 0


def test_manifest_fills_in_metadata_and_front_matter_wins(tmp_path):
    (tmp_path / "a.txt").write_text("The war has killed more than 32,000 people in Gaza.\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("---\noutlet: Own\npublished: 2024-03-01\n---\nThe war has killed more "
                                   "than 30,000 people in Gaza.\n", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("file,published,outlet,extra\na.txt,2024-03-22,Wire,x\n"
                                           "b.md,2024-03-05,Manifest,y\n", encoding="utf-8")
    import json

    rows = {f["doc"]: f for f in map(json.loads, run("figures", tmp_path, "--format", "jsonl").stdout.splitlines())}
    assert (rows["a.txt"]["outlet"], rows["a.txt"]["published"]) == ("Wire", "2024-03-22")
    assert (rows["b.md"]["outlet"], rows["b.md"]["published"]) == ("Own", "2024-03-01")
    other = tmp_path / "elsewhere.csv"
    other.write_text("file,published,outlet\na.txt,2024-03-10,Given\n", encoding="utf-8")
    given = json.loads(run("figures", tmp_path / "a.txt", "--manifest", other, "--format", "jsonl").stdout)
    assert (given["outlet"], given["published"]) == ("Given", "2024-03-10")


def test_datelines_and_unknown_dates(tmp_path):
    assert dateline("PALESTINE\n\nFri 19 Apr 2024 6:22 pm - Jerusalem Time\n\nTitle") == dt.date(2024, 4, 19)
    assert dateline("Mon 13 Feb 2023 08:15\n") == dt.date(2023, 2, 13)
    assert dateline("WASHINGTON, March 28, 2024 — The White House said...") == dt.date(2024, 3, 28)
    assert dateline("Talks resumed on March 28, 2024 in Cairo.") is None  # a date in a sentence is no dateline
    (tmp_path / "x.txt").write_text("The war has killed more than 32,000 people in Gaza.\n", encoding="utf-8")
    result = run("figures", tmp_path / "x.txt", "--format", "jsonl")
    assert "publication date unknown" in result.stderr and '"published": null' in result.stdout


def test_scraped_furniture_is_not_read_as_figures():
    import json

    found = [json.loads(x) for x in run("figures", CORPUS / "gaza" / "2023-10-15-aljazeera-evacuation.txt",
                                        "--format", "jsonl").stdout.splitlines()]
    surfaces = [f["surface"] for f in found]
    assert "1.1 million" not in surfaces  # only in a "Read More" link, and it counts no tracked metric
    assert all("Block for" not in f["sentence"] for f in found)


SCRAPED = """Menu
World
Middle East

Strikes continue across the south

The health ministry in Gaza said on Tuesday that 30,410 people have been killed since the war began.

Read More
Gaza death toll passes 31,000 as talks stall
Aid trucks wait at crossing as 28,000 killed in Gaza

Sign up for our newsletter
"""


def test_headlines_in_link_blocks_are_not_figures_of_the_article(tmp_path):
    import json

    page = tmp_path / "scraped.txt"
    page.write_text(SCRAPED, encoding="utf-8")
    found = [json.loads(x) for x in run("figures", page, "--format", "jsonl").stdout.splitlines()]
    assert [f["surface"] for f in found] == ["30,410"]  # not the tolls in the "Read More" headlines
