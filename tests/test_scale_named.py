"""At scale, an archive whose figures name their claimants: `check` reads the records index kept
(figcheck/kept.py) near the draft's dates, not every named figure, with the findings of the whole
archive."""

from __future__ import annotations

import datetime as dt
import json
import random

import polars as pl
import pytest

from figcheck import app, figfile, store
from figcheck.output import plain
from figcheck.pack import load_config
from figcheck.scope import archive_for
from tests.conftest import DATA, ROOT
from tests.scale_archives import read_in_part_however_small, write_store  # noqa: F401

# The Gaza pack, and a count of the missing that can only fall (the bundled Maui one may rise)
PACKS = (ROOT / "rules" / "gaza.yaml", DATA / "falling_missing.yaml")
START = dt.date(2024, 1, 1)
DAYS = 200
# Loosely named: the first three are one series, and so are "UN OCHA" and "OCHA"; None: unnamed.
TOLL_CLAIMANTS = ["Gaza Health Ministry", "Health Ministry in Gaza", "Gaza health officials", "UN OCHA", "OCHA",
                  "Israeli army", "Israeli army", None]
LAG_DAYS = {"UN OCHA": 4, "OCHA": 4, "Israeli army": 9}  # series that trail the ministry's count
STATED_DAY, SHOWN_DAY = 80, 140  # a revision stated in the text, and one a series shows and others follow
WHO_EVERY, WHO_AHEAD = 15, 3_000  # the WHO speaks every 15 days, ahead of every other count


def _toll(day: int, claimant: str | None) -> int:
    day -= LAG_DAYS.get(claimant or "", 0)
    return 20_000 + 120 * day - (1_500 if day >= STATED_DAY else 0) - (3_000 if day >= SHOWN_DAY else 0)


def _rows() -> list[dict]:
    rnd = random.Random(11)
    rows = []
    for day in range(DAYS):
        date = (START + dt.timedelta(days=day)).isoformat()
        for k in range(6):
            doc = f"wire/{day:03d}-{k}.md"
            claimant = rnd.choice(TOLL_CLAIMANTS)
            value = _toll(day, claimant)
            if rnd.random() < 0.25:  # "more than 23,000"
                rows.append({"doc": doc, "value": value // 1000 * 1000, "surface": f"more than {value // 1000},000",
                             "qualifier": "more_than", "as_of": date, "claimant": claimant, "char_start": 10})
            else:
                rows.append({"doc": doc, "value": value, "surface": f"{value:,}", "as_of": date, "claimant": claimant,
                             "char_start": 10})
            if k == 0:  # the count of the missing falls, but the police's count rises twice
                county = rnd.choice(["Maui County", "County of Maui", "Maui Police"])
                missing = 1_100 - 4 * day + rnd.randrange(-30, 31) + (60 if county == "Maui Police" and day in (50, 51, 120) else 0)
                rows.append({"metric": "maui.missing", "doc": doc, "value": missing, "surface": str(missing),
                             "as_of": date, "claimant": county, "char_start": 90})
        if day % WHO_EVERY == 5:
            value = _toll(day, None) + WHO_AHEAD
            rows.append({"doc": f"who/{day:03d}.md", "value": value, "surface": f"{value:,}", "as_of": date,
                         "claimant": "WHO", "char_start": 10})
        if day in (2, 3):  # unnamed counts of something else: one far below every toll, one far above
            rows.append({"doc": f"wire/{day:03d}-x.md", "value": 150 if day == 2 else 60_000, "surface": "x",
                         "as_of": date, "char_start": 10})
        if day == STATED_DAY:
            new, old = _toll(day, "Gaza Health Ministry"), _toll(day - 1, "Gaza Health Ministry") + 1_500
            sentence = f"The ministry revised the death toll down to {new:,} from {old:,} after a review."
            rows += [{"doc": f"wire/{day:03d}-rev.md", "value": new, "surface": f"{new:,}", "as_of": date,
                      "claimant": "Gaza Health Ministry", "sentence": sentence, "char_start": 40},
                     {"doc": f"wire/{day:03d}-rev.md", "value": old, "surface": f"{old:,}", "as_of": date,
                      "claimant": "Gaza Health Ministry", "sentence": sentence, "char_start": 60, "previous": True}]
    return rows


def _write(path, rows) -> None:
    path.write_text("".join(json.dumps({"metric": "gaza.deaths", "qualifier": "exact", **row}) + "\n" for row in rows),
                    encoding="utf-8")


@pytest.fixture(scope="module")
def named(tmp_path_factory):
    base = tmp_path_factory.mktemp("named")
    _write(base / "archive.jsonl", _rows())
    write_store(base / "store", figfile.load_figures(base / "archive.jsonl", None, None, print).frame, parts=2,
                config=load_config(PACKS))
    return base


def _date(day: int) -> str:
    return (START + dt.timedelta(days=day)).isoformat()


# Drafts before, inside and after the archive; each figure a rule may flag against a record. A
# named figure below an earlier one of its own series could be a revision's lower figure (a later
# source may follow it): then the metric is read whole ("lagging").
DRAFTS = {
    "before": [{"value": 19_000, "surface": "19,000", "as_of": "2023-12-20", "claimant": "Gaza Health Ministry"},
               {"metric": "maui.missing", "value": 1_300, "surface": "1,300", "as_of": "2023-12-20",
                "claimant": "Maui County"}],
    # The army ahead of its own series but behind the ministry's count; an unnamed count behind
    # every series; the police's count of the missing risen.
    "early": [{"value": _toll(30, "Gaza Health Ministry") - 1_000, "surface": "a", "as_of": _date(30),
               "claimant": "Israeli army"},
              {"value": _toll(30, None) - 2_000, "surface": "c", "as_of": _date(30), "char_start": 50},
              {"metric": "maui.missing", "value": 1_100, "surface": "1,100", "as_of": _date(30),
               "claimant": "Maui Police", "char_start": 130}],
    # OCHA behind the count the WHO gave 12 days before (on no record but the WHO's own): an unnamed
    # count of far less (below half of all counts on record but the one of something else).
    "sporadic": [{"value": _toll(32, "UN OCHA"), "surface": "a", "as_of": _date(32), "claimant": "UN OCHA"}],
    "halved": [{"value": 9_000, "surface": "a", "as_of": _date(60)}],
    "lagging": [{"value": _toll(30, "UN OCHA") - 400, "surface": "a", "as_of": _date(30), "claimant": "UN OCHA"},
                {"value": _toll(30, "Israeli army"), "surface": "b", "as_of": _date(30), "claimant": "Israeli army",
                 "char_start": 50}],
    # After the stated revision: an unnamed count still carrying the replaced value, and the army
    # ahead of every count.
    "revised": [{"value": _toll(STATED_DAY + 5, None) + 1_500, "surface": "a", "as_of": _date(STATED_DAY + 5)},
                {"value": _toll(STATED_DAY + 5, None) + 1_000, "surface": "b", "as_of": _date(STATED_DAY + 5),
                 "claimant": "Israeli army", "char_start": 50}],
    # After the revision the army showed: the army's count of the old record, an unnamed one behind.
    "shown": [{"value": _toll(SHOWN_DAY + 6, None) + 3_000, "surface": "a", "as_of": _date(SHOWN_DAY + 6),
               "claimant": "Israeli army"},
              {"value": _toll(SHOWN_DAY + 6, None) - 1_000, "surface": "c", "as_of": _date(SHOWN_DAY + 6),
               "char_start": 90}],
    # A new name of the ministry's series, behind its count; the county's missing, below it.
    "after": [{"value": _toll(DAYS + 20, None) - 5_000, "surface": "a", "as_of": _date(DAYS + 20),
               "claimant": "Gaza Ministry of Health"},
              {"metric": "maui.missing", "value": 600, "surface": "600", "as_of": _date(DAYS + 20),
               "claimant": "County of Maui", "char_start": 50}],
    # A name that joins the army's series to OCHA's: the store's series change, so it is read whole.
    "regrouping": [{"value": _toll(60, "OCHA") - 900, "surface": "a", "as_of": _date(60),
                    "claimant": "OCHA Israeli army"}],
}


def _draft(base, name):
    path = base / f"draft-{name}.jsonl"
    _write(path, [{"doc": f"draft-{name}.md", **row} for row in DRAFTS[name]])
    return path


def _findings(base, draft, proportional: bool) -> str:
    run_ = app.Run(PACKS, quiet=True)
    found = run_.check([], [base / "store"], [], None, dt.date(2024, 12, 1), figure_files=[draft],
                       proportional=proportional)
    return plain.as_json(found)


@pytest.mark.parametrize("name", list(DRAFTS))
def test_check_against_a_named_archive_finds_what_the_whole_archive_does(named, name):
    draft = _draft(named, name)
    whole = _findings(named, draft, proportional=False)
    assert _findings(named, draft, proportional=True) == whole
    if name != "before":  # the comparison means something only where there are findings to compare
        assert '"rule":' in whole


def test_the_named_archive_has_what_the_rules_look_for(named):
    """The drafts meet every rule that reads a series' history, and the store has both revisions."""
    found = "".join(_findings(named, _draft(named, name), proportional=False) for name in DRAFTS)
    for rule in ("outdated", "claimant", "trend", "revised"):
        assert f'"rule": "{rule}"' in found, rule
    revisions = store.open_store(named / "store").kept("revisions.parquet")
    assert {START + dt.timedelta(days=STATED_DAY)} < set(revisions["rev_date"].to_list())


# Of the named figures of the draft's metrics, at most this share is read. Where revisions come
# daily (the days after each revision here), an epoch is a day and most of its figures are on a
# record; in a larger archive the records are the same size and the day's figures many more.
READ_AT_MOST = {"early": 0.25, "revised": 0.4, "shown": 0.6}


@pytest.mark.parametrize("name", list(READ_AT_MOST))
def test_check_reads_a_part_of_the_named_figures(named, name):
    config = load_config(PACKS)
    generation = store.open_store(named / "store")
    draft = figfile.load_figures(_draft(named, name), None, None, print)
    chosen = archive_for(draft, generation, config)
    stored = generation.scan(sorted(draft.metrics()), where=pl.col("claimant").is_not_null())
    assert 0 < chosen.height < stored.height * READ_AT_MOST[name], (chosen.height, stored.height)


def test_a_draft_s_lower_figure_that_a_much_later_source_follows_is_a_revision(tmp_path):
    """The ministry said 1,000 on 2 January; the draft's 800 of the ministry on 21 January is
    followed by 810 in April, far from the draft's date: with the draft, the whole archive has a
    revision (the draft's figure opens an epoch), which the rows near its date do not show."""
    rows = [{"doc": "m1.md", "value": 1000, "surface": "1,000", "as_of": "2024-01-02", "claimant": "Health Ministry"},
            {"doc": "a.md", "value": 1010, "surface": "1,010", "as_of": "2024-01-05"},
            {"doc": "f.md", "value": 810, "surface": "810", "as_of": "2024-04-20"}]
    _write(tmp_path / "archive.jsonl", rows)
    write_store(tmp_path / "store", figfile.load_figures(tmp_path / "archive.jsonl", None, None, print).frame)
    draft = tmp_path / "draft.jsonl"
    _write(draft, [{"doc": "draft.md", "value": 800, "surface": "800", "as_of": "2024-01-21",
                    "claimant": "Health Ministry"}])
    whole = _findings(tmp_path, draft, proportional=False)
    assert _findings(tmp_path, draft, proportional=True) == whole
    assert '"rule": "revised"' in whole and "revising '1,000'" in whole


def test_a_draft_that_follows_a_series_lower_figure_makes_it_a_revision(tmp_path):
    """The ministry's 800 of 10 January, below its 1,000 of 2 January, is on no record index kept
    (its 500 came first) and no source followed it; the draft's 805 in March does: with the draft,
    the whole archive has a revision on 10 January, and the draft is not behind the ministry's 1,000."""
    rows = [{"doc": "m0.md", "value": 500, "surface": "500", "as_of": "2024-01-01", "claimant": "Health Ministry"},
            {"doc": "m1.md", "value": 1000, "surface": "1,000", "as_of": "2024-01-02", "claimant": "Health Ministry"},
            {"doc": "m2.md", "value": 800, "surface": "800", "as_of": "2024-01-10", "claimant": "Health Ministry"}]
    _write(tmp_path / "archive.jsonl", rows)
    write_store(tmp_path / "store", figfile.load_figures(tmp_path / "archive.jsonl", None, None, print).frame)
    draft = tmp_path / "draft.jsonl"
    _write(draft, [{"doc": "draft.md", "value": 805, "surface": "805", "as_of": "2024-03-01"}])
    whole = _findings(tmp_path, draft, proportional=False)
    assert _findings(tmp_path, draft, proportional=True) == whole
    assert '"rule": "outdated"' not in whole
