"""At scale: `check` reads only what a draft needs, with the findings of the whole archive."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from figcheck import app, scope, store
from figcheck.output import plain
from figcheck.pack import load_config
from figcheck.scope import archive_for
from tests.conftest import CORPUS
from tests.scale_archives import DRAFTS, REFERENCE, figures_file, findings, read_in_part_however_small, write_store  # noqa: F401


def test_check_from_the_draft_s_rows_finds_what_the_whole_archive_does(archives):
    """Every other draft against the grown archive, every other one of them with the reference
    series. (The corpus's own store, a part of the grown one, made no mutation of scope.py fail
    that this misses; nor did the reference series or the other half of the drafts.)"""
    references = [[], [REFERENCE] if REFERENCE.is_file() else []]
    reported = 0
    for k, draft in enumerate(DRAFTS[::2]):
        refs = references[k % 2]
        whole = findings(archives / "grown", draft, proportional=False, references=refs)
        assert findings(archives / "grown", draft, proportional=True, references=refs) == whole, draft
        reported += whole.count('"rule":')
    assert reported >= 10  # the comparison means something only if there are findings to compare


SHIPPED_WHOLE_ROWS = scope.WHOLE_ROWS  # before the fixture above sets it


def test_a_small_store_is_read_whole_without_working_out_which_part_is_enough(tmp_path, monkeypatch):
    monkeypatch.setattr(scope, "WHOLE_ROWS", SHIPPED_WHOLE_ROWS)

    def unreachable(*args, **kwargs):
        raise AssertionError("a metric of a few figures is read whole")

    for step in ("_same_revisions", "_kept_up_to", "_may_be_followed"):
        monkeypatch.setattr(scope, step, unreachable)
    index = app.Run(quiet=True).index([CORPUS], tmp_path / "store")
    assert "80 figures" in index
    for draft in DRAFTS[:3]:
        whole = findings(tmp_path / "store", draft, proportional=False)
        assert findings(tmp_path / "store", draft, proportional=True) == whole, draft


def test_a_draft_s_small_metrics_are_read_whole_beside_the_others_read_in_part(archives, monkeypatch):
    generation = store.open_store(archives / "grown")
    sizes = sorted(generation.count(metric) for metric in generation.metrics)
    monkeypatch.setattr(scope, "WHOLE_ROWS", sizes[len(sizes) // 2])
    reported = 0
    for draft in DRAFTS[1::2]:
        whole = findings(archives / "grown", draft, proportional=False)
        assert findings(archives / "grown", draft, proportional=True) == whole, draft
        reported += whole.count('"rule":')
    assert reported >= 10


def test_check_reads_a_fraction_of_the_archive(archives):
    config = load_config()
    generation = store.open_store(archives / "grown")
    everything = generation.figures()
    draft = app.Run(quiet=True).figures([CORPUS / "quake"])
    chosen = archive_for(draft, generation, config)
    # Of the draft's metric groups, the figures near its dates, the named ones and what index
    # kept; of the other packs' metrics, nothing.
    same_metrics = everything.filter(pl.col("metric").is_in(chosen["metric"].unique().implode()))
    assert 0 < chosen.height < same_metrics.height * 0.8
    assert set(chosen["metric"].unique()) <= {m.id for m in config.metrics.values() if m.source.endswith("quake.yaml")}


def test_check_of_unattributed_figures_reads_near_the_draft_s_dates_and_finds_what_the_whole_archive_does(archives):
    generation = store.open_store(archives / "unnamed")
    reported = 0
    for draft in DRAFTS[::2]:
        whole = findings(archives / "unnamed", draft, proportional=False)
        assert findings(archives / "unnamed", draft, proportional=True) == whole, draft
        reported += whole.count('"rule":')
    assert reported >= 10
    everything = generation.figures()
    draft = app.Run(quiet=True).figures([CORPUS / "quake" / "2023-02-13-bbc-quake-rescues.md"])
    chosen = archive_for(draft, generation, load_config())
    same_metrics = everything.filter(pl.col("metric").is_in(chosen["metric"].unique().implode()))
    assert 0 < chosen.height < same_metrics.height / 2


def test_a_store_indexed_with_other_packs_is_read_whole(archives, tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_text((CORPUS.parent / "rules" / "quake.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    config = load_config([pack])
    draft = app.Run(rules=[pack], quiet=True).figures([CORPUS / "quake"])
    assert archive_for(draft, store.open_store(archives / "grown"), config) is None


REVISED = "The ministry revised the death toll in the strip to 800 people, down from 1,000."


@pytest.mark.parametrize("revision", ["stated", "shown by a series"])
def test_a_revision_far_from_the_draft_s_date_restarts_the_record_it_is_held_to(tmp_path, revision):
    """Revised down to 800 in January, the count reached 960 by 26 January: a draft's 920 a month
    later is behind that record, which neither the draft's dates nor the running record reach (and
    nearer 1,000 than 800, the draft does not itself follow the lower count)."""
    from figcheck import figfile

    if revision == "stated":
        revising = [{"doc": "r.md", "value": 800, "surface": "800", "as_of": "2024-01-21", "sentence": REVISED,
                     "char_start": 60},
                    {"doc": "r.md", "value": 1000, "surface": "1,000", "as_of": "2024-01-21", "sentence": REVISED,
                     "char_start": 80, "previous": True}]
    else:  # the ministry's lower count, followed by a later article: a revision
        revising = [{"doc": "m1.md", "value": 1000, "surface": "1,000", "as_of": "2024-01-02", "claimant": "Health Ministry"},
                    {"doc": "m2.md", "value": 800, "surface": "800", "as_of": "2024-01-21", "claimant": "Health Ministry"},
                    {"doc": "f.md", "value": 810, "surface": "810", "as_of": "2024-04-20"}]
    archive, draft = tmp_path / "archive.jsonl", tmp_path / "draft.jsonl"
    figures_file(archive, [{"doc": "a.md", "value": 1000, "surface": "1,000", "as_of": "2024-01-01"}, *revising,
                            {"doc": "b.md", "value": 960, "surface": "960", "as_of": "2024-01-26"}])
    figures_file(draft, [{"doc": "draft.md", "value": 920, "surface": "920", "as_of": "2024-02-25"}])
    write_store(tmp_path / "store", figfile.load_figures(archive, None, None, print).frame)
    outputs = []
    for proportional in (True, False):
        run_ = app.Run(quiet=True)
        found = run_.check([], [tmp_path / "store"], [], None, dt.date(2024, 6, 1), figure_files=[draft],
                           proportional=proportional)
        outputs.append(plain.as_json(found))
    assert outputs[0] == outputs[1]
    assert '"rule": "outdated"' in outputs[1] and "b.md" in outputs[1]
