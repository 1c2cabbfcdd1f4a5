"""Reading a store in proportion to the question: for `check`, the archive rows each rule needs
to judge a draft's figures; for `scan`, one metric group at a time (StoredFigures).

A rule's findings about the draft depend on few archive rows:
  conflict    the figures of the draft's metrics in the draft's periods: the same date for a
              cumulative metric, the chain of dates within `window_days` for the others;
  outdated    each cumulative metric's running record (kept in the store by `index`, see
              `record_rows`), which also tells conflict which archive figures are stale;
  arithmetic  for the relations the draft's metrics are in, their figures on the draft's
              dates, and all relation figures of the articles those come from (a finding in
              such an article can stand for the draft's, and is reported once).
Read in the store's canonical order, these rows give the rules the same findings as the
whole archive would: tests/test_scale.py compares the two. A rule not listed here makes
`check` read the whole archive, as does a store indexed with other metric packs.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from figcheck.checks.frame import figures_frame, with_intervals
from figcheck.pack import Config
from figcheck.records import FigureSet
from figcheck.store import ORDER, Generation, canonical, rules_fingerprint

KNOWN_RULES = {"conflict", "outdated", "arithmetic"}


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


def _chains(dates: list[dt.date], window: int, wanted: set[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """The spans of dates chained within `window` days that contain a wanted date."""
    spans: list[tuple[dt.date, dt.date]] = []
    start = prev = None
    for date in sorted(set(dates)):
        if prev is None or (date - prev).days > window:
            if prev is not None:
                spans.append((start, prev))
            start = date
        prev = date
    if prev is not None:
        spans.append((start, prev))
    return [(a, b) for a, b in spans if any(a <= d <= b for d in wanted)]


def archive_for(draft: FigureSet, generation: Generation, config: Config) -> pl.DataFrame | None:
    """The rows of a store the enabled rules need to judge the draft's figures, in canonical
    order; None when they cannot be chosen (an unknown rule, a store indexed with other packs)."""
    enabled = {rule for rule in _rule_ids() if config.rule_enabled(rule)}
    if enabled - KNOWN_RULES or generation.rules != rules_fingerprint(config.files):
        return None
    frame = with_intervals(figures_frame(draft), config)
    pieces: list[pl.DataFrame] = []
    by_metric = frame.group_by("metric").agg(pl.col("as_of").unique(), pl.col("cumulative").first(),
                                             pl.col("window_days").first())
    if "conflict" in enabled:
        for metric, dates, cumulative, window in by_metric.iter_rows():
            if cumulative:
                pieces.append(generation.scan([metric], where=pl.col("as_of").is_in(dates)))
                continue
            known = generation.scan([metric], ["as_of"])["as_of"].drop_nulls().to_list()
            for start, end in _chains(known + dates, window, set(dates)):
                pieces.append(generation.scan([metric], where=pl.col("as_of").is_between(start, end)))
    if enabled & {"conflict", "outdated"}:
        pieces.append(generation.record(by_metric.filter(pl.col("cumulative"))["metric"].to_list()))
    if "arithmetic" in enabled:
        present = set(by_metric["metric"].to_list())
        for relation in config.relations:
            metrics = [relation.whole, *relation.parts]
            dates = frame.filter(pl.col("metric").is_in(metrics))["as_of"].unique().to_list()
            if not present & set(metrics) or not dates:
                continue
            same_day = generation.scan(metrics, where=pl.col("as_of").is_in(dates))
            docs = same_day["doc"].unique().to_list()
            pieces += [same_day, generation.scan(metrics, where=pl.col("doc").is_in(docs))]
    pieces = [p for p in pieces if not p.is_empty()]
    if not pieces:
        return FigureSet.of([]).frame
    return canonical(FigureSet(pl.concat(pieces)).frame.unique(ORDER, maintain_order=True))


def _rule_ids() -> list[str]:
    from figcheck.checks import RULES

    return list(RULES)


class StoredFigures(FigureSet):
    """A generation's figures for the rules, read a metric group at a time (see findings.iter_findings):
    only the columns the rules use are held, and the figures a finding cites are read back whole."""

    def __init__(self, generation: Generation, metrics: list[str] | None = None):
        self.generation = generation
        self.only = sorted(metrics) if metrics is not None else list(generation.metrics)
        self._frame: pl.DataFrame | None = None

    @property
    def frame(self) -> pl.DataFrame:
        if self._frame is None:
            from figcheck.checks.frame import RULE_COLUMNS

            columns = list(dict.fromkeys([*ORDER, *RULE_COLUMNS]))
            self._frame = canonical(self.generation.scan(self.only, columns=columns))
        return self._frame

    def metrics(self) -> set[str]:
        return set(self.only)

    def subset(self, metrics) -> "StoredFigures":
        return StoredFigures(self.generation, [m for m in self.only if m in set(metrics)])

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
        return FigureSet(rows.drop("idx")).take_all(rows["idx"].to_list())

    def __iter__(self):
        return iter(FigureSet(canonical(self.generation.scan(self.only))))

    def docs(self) -> set[str]:
        return set(self.generation.scan(self.only, columns=["doc"])["doc"].unique().to_list())
