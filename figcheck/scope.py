"""Reading a store in proportion to the question: for `check`, the archive rows the rules need
to judge a draft's figures; for `scan`, one metric group at a time (StoredFigures).

Every rule looks within one metric group (see findings.iter_findings): a metric, with the
metrics a relation of the pack or a share's base ties to it. Claimant series, revisions and
their epochs, a growing count's record and the pairs of claims all span a metric's whole
history, so for each metric group the draft has figures in, `check` reads all of the group's
rows, and nothing of the other groups. Claimant names, which series are drawn from, are read
for the whole store (one column). Read in the store's canonical order, these rows give the
rules the same findings as the whole archive would: tests/test_scale.py compares the two. A
store indexed with other metric packs is read whole.
"""

from __future__ import annotations

import polars as pl

from figcheck.checks.frame import figures_frame, with_intervals
from figcheck.pack import Config
from figcheck.records import FigureSet
from figcheck.store import ORDER, Generation, canonical, rules_fingerprint

def record_rows(frame: pl.DataFrame, config: Config) -> pl.DataFrame:
    """Figures that may be on a cumulative metric's running record: those whose guaranteed lower
    bound is the highest of their date and above every lower bound of the metric dated before.
    Among equals of one date only the first in the store's order is kept: outdated picks it."""
    figures = FigureSet(canonical(frame))
    rows = with_intervals(figures_frame(figures), config).filter(pl.col("cumulative") & (pl.col("unit") == "count"))
    if rows.is_empty():
        return figures.frame.clear()
    best = (rows.group_by("metric", "as_of").agg(day=pl.col("lo").max()).sort("metric", "as_of")
            .with_columns(before=pl.col("day").cum_max().shift(1).over("metric").fill_null(float("-inf"))))
    idx = (rows.join(best, on=["metric", "as_of"])
           .filter((pl.col("lo") == pl.col("day")) & (pl.col("lo") > pl.col("before")))
           .group_by("metric", "as_of").agg(pl.col("idx").min())["idx"].sort())
    return figures.frame[idx.to_list()]


def archive_for(draft: FigureSet, generation: Generation, config: Config) -> pl.DataFrame | None:
    """The rows of a store the rules need to judge the draft's figures, in canonical order; None
    when they cannot be chosen (a store indexed with other packs)."""
    if generation.rules != rules_fingerprint(config.files):
        return None
    from figcheck.findings import metric_groups

    present = set(generation.metrics) | draft.metrics()
    links = draft.share_links() + StoredFigures(generation).share_links()
    wanted = draft.metrics()
    metrics = sorted(m for group in metric_groups(config, present, links) if wanted & set(group) for m in group)
    chosen = generation.scan(metrics)
    return canonical(chosen) if chosen.height else FigureSet.of([]).frame


def claimant_names(draft: FigureSet, generation: Generation, config: Config) -> list[str]:
    """The claimant names of the draft and the whole store: series are drawn from all of them."""
    from figcheck.records import _claimant_names

    stored = (generation.scan(generation.metrics, columns=["doc", "metric", "as_of", "claimant"])
              .filter(~pl.col("doc").is_in(list(draft.docs()))).drop("doc"))
    return _claimant_names(pl.concat([draft.frame.select("metric", "as_of", "claimant"), stored]), config)


class StoredFigures(FigureSet):
    """A generation's figures for the rules, read a metric group at a time (see findings.iter_findings):
    only the columns the rules use are held, and the figures a finding cites are read back whole."""

    def __init__(self, generation: Generation, metrics: list[str] | None = None, shown=None):
        self.generation = generation
        self.only = sorted(metrics) if metrics is not None else list(generation.metrics)
        self._frame: pl.DataFrame | None = None
        self.shown = shown or (lambda figures: figures)  # how paths are printed (a store's are absolute)

    @property
    def frame(self) -> pl.DataFrame:
        if self._frame is None:
            from figcheck.checks.frame import RULE_COLUMNS

            columns = list(dict.fromkeys([*ORDER, *RULE_COLUMNS]))
            self._frame = canonical(self.generation.scan(self.only, columns=columns))
        return self._frame

    def metrics(self) -> set[str]:
        return set(self.only)

    def claimant_names(self, config) -> list[str]:
        from figcheck.records import _claimant_names

        return _claimant_names(self.generation.scan(self.only, columns=["metric", "as_of", "claimant"]), config)

    def share_links(self) -> list[tuple[str, str]]:
        from figcheck.records import _share_links

        return _share_links(self.generation.scan(self.only, columns=["metric", "share_of"]))

    def subset(self, metrics) -> "StoredFigures":
        return StoredFigures(self.generation, [m for m in self.only if m in set(metrics)], self.shown)

    def __len__(self) -> int:
        return self.frame.height

    def take(self, idxs):
        wanted = pl.Series(idxs, dtype=pl.Int64).drop_nulls().unique().sort().to_list()
        if not wanted:
            return {}
        keys = self.frame[wanted].select(ORDER).with_columns(idx=pl.Series(wanted, dtype=pl.Int64))
        dated = pl.col("as_of").is_in(keys["as_of"].drop_nulls().unique().implode())
        if keys["as_of"].null_count():
            dated = dated | pl.col("as_of").is_null()
        rows = self.generation.scan(keys["metric"].unique().to_list(),
                                    where=dated & pl.col("path").is_in(keys["path"].unique().implode()))
        rows = keys.join(FigureSet(rows).frame, on=ORDER, how="left", nulls_equal=True).sort("idx")
        return self.shown(FigureSet(rows.drop("idx"))).take_all(rows["idx"].to_list())

    def whole(self) -> FigureSet:
        """Every column of these metrics' figures, in canonical order."""
        return self.shown(FigureSet(canonical(self.generation.scan(self.only))))

    def __iter__(self):
        return iter(self.whole())

    def docs(self) -> set[str]:
        return set(self.generation.scan(self.only, columns=["doc"])["doc"].unique().to_list())
