"""`check` builds the rules' frame once: the frame and revisions built to prove the rows read from
a store enough (scope._Found) are where the rules' context starts (frame.reusing), when the rules
judge the same figures, with the findings of a context built anew."""

from __future__ import annotations

import polars as pl

from figcheck.checks import frame
from figcheck.pack import load_config
from figcheck.records import FigureSet
from tests.scale_archives import DRAFTS, findings, read_in_part_however_small  # noqa: F401


def test_the_rules_start_from_the_frame_built_to_choose_the_rows_with_the_same_findings(archives, monkeypatch):
    built = frame._built
    reused = []

    def counted(*args):
        found = built(*args)
        reused.append(found is not None)
        return found

    for archive in ("grown", "unnamed"):
        for draft in DRAFTS[::3]:
            monkeypatch.setattr(frame, "_built", counted)
            again = findings(archives / archive, draft, proportional=True)
            monkeypatch.setattr(frame, "_built", lambda *args: None)
            assert findings(archives / archive, draft, proportional=True) == again, (archive, draft)
    assert any(reused)


def test_a_frame_is_reused_only_for_the_same_figures_names_and_settings(archives):
    from figcheck import store

    config = load_config()
    figures = FigureSet(store.open_store(archives / "corpus").figures())
    names = figures.claimant_names(config)
    assert frame._built(figures, config, names, 1.0) is None  # outside a check nothing is kept
    with frame.reusing():
        built = frame.revised_frame(figures, config, names)
        for same in (figures, FigureSet(figures.frame.clone())):
            reused = frame._built(same, config, names, 1.0)
            assert reused is not None and all(a is b for a, b in zip(reused, built))
        moved = FigureSet(figures.frame.with_columns(value=pl.when(pl.int_range(pl.len()) == 5)
                                                     .then(pl.col("value") + 1).otherwise(pl.col("value"))))
        assert frame._built(moved, config, names, 1.0) is None
        assert frame._built(figures, config, names[1:], 1.0) is None
        assert frame._built(figures, config, names, 0.5) is None
        ctx = frame.Context.build(figures, config, claimants=names)
    anew = frame.Context.build(figures, config, claimants=names)
    assert ctx.frame.equals(anew.frame) and ctx.revisions.equals(anew.revisions)
    assert frame._built(figures, config, names, 1.0) is None


def test_the_kept_record_is_read_once_and_answers_each_ask_as_a_read_would(archives):
    from figcheck import store
    from figcheck.kept import NAMES

    generation = store.open_store(archives / "grown")
    metrics = sorted(generation.metrics)[:3]
    path = generation.dir / "record.parquet"
    first = generation.record(metrics)
    assert first.equals(pl.read_parquet(path).filter(pl.col("metric").is_in(metrics)))
    middle = first["as_of"].sort()[first.height // 2]
    asks = [(metrics[1:], None), ([metrics[0]], pl.col("as_of") <= middle),
            (metrics, pl.col("claimant").is_not_null())]
    for asked, where in asks:
        wanted = pl.col("metric").is_in(asked) & (where if where is not None else True)
        assert generation.record(asked, where=where).equals(pl.scan_parquet(path).filter(wanted).collect())
    assert len(generation._records) == 1
    assert generation.kept(NAMES) is generation.kept(NAMES)
