"""Reading a store in proportion to the question: for `check`, the archive rows the rules need
to judge a draft's figures; for `scan`, one metric group at a time (StoredFigures).

Every rule looks within one metric group (see findings.iter_findings): a metric, with the
metrics a relation of the pack or a share's base ties to it. For each metric group the draft
has figures in, `check` reads, of each metric:
  - the figures near the draft's dates: within twice the span `conflict` and `claimant`
    compare (a claim and the support of the claims it meets), and a day more for `implausible`;
  - every figure with a claimant: claimant series (`claimant`, `trend`, each series' record in
    `outdated`) span the metric's history;
  - what `index` kept (`kept_rows`): the running record of current counts (`outdated` against
    every series), and all figures of the articles that may state a revision.
A downward revision (see checks/series.py) restarts records, and one shown by a series is
confirmed by later figures of any article: a metric where the rows read show a revision, or a
series' later, lower figure, is read whole. `arithmetic` and `internal` look within the draft's
own articles. Claimant names, which series are drawn from, are read for the whole store. Read
in the store's canonical order, these rows give the rules the same findings as the whole
archive would: tests/test_scale.py compares the two. A store indexed with other metric packs,
or before record.parquet kept these rows, is read by whole metric groups.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from figcheck.checks import series
from figcheck.checks.frame import STATIC_DAYS, UPPER, figures_frame, with_intervals
from figcheck.checks.pairs import NEARBY_DAYS
from figcheck.pack import Config
from figcheck.records import FigureSet
from figcheck.store import ORDER, Generation, canonical, rules_fingerprint

KEPT = "running record and revising articles, 1"  # what record.parquet holds (store.Writer's record_kind)


def kept_rows(frame: pl.DataFrame, config: Config) -> pl.DataFrame:
    """What `index` keeps for `check` in record.parquet: the figures that may be on a cumulative
    metric's running record of current figures (those whose guaranteed lower bound is the highest
    of their date and above every lower bound of the metric dated before; among equals of one
    date the first in the store's order, as outdated picks it), and every figure of an article's
    metric where a figure is quoted as earlier or a sentence has a revision cue."""
    figures = FigureSet(canonical(frame))
    rows = series.mark_superseded(with_intervals(figures_frame(figures), config), config.settings("revised").cues)
    keep = [_running_record(rows.filter(~pl.col("previous")))]
    revising = _revision_cued(rows, config).select("doc", "metric").unique()
    keep.append(rows.join(revising, on=["doc", "metric"])["idx"])
    idx = pl.concat(keep).unique().sort()
    return figures.frame[idx.to_list()]


def _running_record(rows: pl.DataFrame) -> pl.Series:
    rows = rows.filter(pl.col("cumulative") & (pl.col("unit") == "count"))
    if rows.is_empty():
        return pl.Series("idx", [], dtype=pl.Int64)
    best = (rows.group_by("metric", "as_of").agg(day=pl.col("lo").max()).sort("metric", "as_of")
            .with_columns(before=pl.col("day").cum_max().shift(1).over("metric").fill_null(float("-inf"))))
    return (rows.join(best, on=["metric", "as_of"])
            .filter((pl.col("lo") == pl.col("day")) & (pl.col("lo") > pl.col("before")))
            .group_by("metric", "as_of").agg(pl.col("idx").min())["idx"])


def _revision_cued(rows: pl.DataFrame, config: Config) -> pl.DataFrame:
    cues = config.settings("revised").cues
    cued = pl.col("previous")
    if cues:
        cued = cued | pl.col("sentence").str.contains("(?i)(?:" + "|".join(f"(?:{c})" for c in cues) + ")")
    return rows.filter(cued)


def _reach_days(config: Config, metric: str) -> int:
    """How far from a draft's date a figure of the metric can bear on the findings about it."""
    spec = config.metrics[metric]
    span = {"grows": NEARBY_DAYS, "falls": 0}.get(spec.spec.moves,
                                                  STATIC_DAYS if spec.spec.comparison else spec.window_days)
    return 2 * span + 1


def archive_for(draft: FigureSet, generation: Generation, config: Config,
                claimants: list[str] | None = None) -> pl.DataFrame | None:
    """The rows of a store the rules need to judge the draft's figures, in canonical order; None
    when they cannot be chosen (a store indexed with other packs). claimants: the names of the
    draft and the whole store (see claimant_names)."""
    if generation.rules != rules_fingerprint(config.files):
        return None
    from figcheck.findings import metric_groups

    present = set(generation.metrics) | draft.metrics()
    links = draft.share_links() + StoredFigures(generation).share_links()
    wanted = draft.metrics()
    groups = [group for group in metric_groups(config, present, links) if wanted & set(group)]
    metrics = sorted(m for group in groups for m in group if m in config.metrics)
    if generation.record_kind != KEPT:
        chosen = generation.scan([m for group in groups for m in group])
        return canonical(chosen) if chosen.height else FigureSet.of([]).frame
    dated = draft.frame.filter(pl.col("as_of").is_not_null())
    near = []
    for group in groups:
        dates = dated.filter(pl.col("metric").is_in(group))["as_of"].unique().to_list()
        for metric in (m for m in group if m in config.metrics):
            days = dt.timedelta(days=_reach_days(config, metric))
            near += [(pl.col("metric") == metric) & pl.col("as_of").is_between(d - days, d + days) for d in dates]
    where = pl.col("claimant").is_not_null() | pl.any_horizontal(near) if near else pl.col("claimant").is_not_null()
    others = ~pl.col("doc").is_in(list(draft.docs()))
    chosen = pl.concat([generation.scan(metrics, where=where & others),
                        generation.record(metrics).filter(others)]).unique(ORDER, maintain_order=True)
    whole = _may_revise(pl.concat([chosen, draft.frame.select(chosen.columns)]), generation, config, claimants, others)
    if whole:
        chosen = pl.concat([chosen.filter(~pl.col("metric").is_in(sorted(whole))),
                            generation.scan(sorted(whole), where=others)])
    return canonical(chosen) if chosen.height else FigureSet.of([]).frame


def _may_revise(rows: pl.DataFrame, generation: Generation, config: Config, claimants: list[str] | None,
                others: pl.Expr) -> set[str]:
    """The metrics with a downward revision: their records restart, so they are read whole.

    Stated revisions lie within the rows read (kept_rows). One shown by a series' later, lower
    figure is confirmed by a later figure of another article nearer the lower one, of any date
    from the lower one's on: those are read for the question, by a bound on their value."""
    revised = _revised(rows, config, claimants)
    if revised.is_empty():
        return set()
    falls = (revised.filter(pl.col("falls")).group_by("metric")
             .agg(pl.col("as_of_b").min(), mid=((pl.col("level") + pl.col("level_b")) / 2).max()))
    followers = [(pl.col("metric") == metric) & (pl.col("as_of") >= since) & _maybe_below(mid, config.metrics[metric])
                 for metric, since, mid in falls.iter_rows()]
    if followers:
        rows = pl.concat([rows, generation.scan(falls["metric"].to_list(), where=pl.any_horizontal(followers) & others)])
        revised = _revised(rows, config, claimants)
    return set(revised.filter(~pl.col("falls"))["metric"].to_list())


def _maybe_below(level: float, metric) -> pl.Expr:
    """Figures whose level (see checks/frame.with_intervals) may be below `level`: a count's level
    is at least (1 - tolerance / 2) of its value, but for ranges and upper bounds."""
    loose = (pl.col("unit") != "count") | pl.col("qualifier").is_in(["between", *UPPER])
    if metric.tolerance >= 0.5:
        return pl.lit(True)
    return loose | (pl.col("value") < level / (1 - metric.tolerance) + 1)


def _revised(rows: pl.DataFrame, config: Config, claimants: list[str] | None) -> pl.DataFrame:
    """metric of each downward revision (falls false) and of each series' later, lower figure (falls true,
    with the levels and the later date)."""
    frame = with_intervals(figures_frame(FigureSet(rows)), config)
    frame = series.with_series(series.mark_superseded(frame, config.settings("revised").cues), claimants)
    grows = frame.filter(pl.col("direction") == "grows")
    schema = {"metric": pl.String, "falls": pl.Boolean, "as_of_b": pl.Date, "level": pl.Float64, "level_b": pl.Float64}
    if grows.is_empty():
        return pl.DataFrame(schema=schema)
    revised = series.revisions(grows).select("metric", falls=pl.lit(False), as_of_b=pl.lit(None, pl.Date),
                                             level=pl.lit(None, pl.Float64), level_b=pl.lit(None, pl.Float64))
    # Per metric, the earliest later, lower figure and the highest levels of a pair's two (the
    # pairs series.later_lower gives have both: each later figure with the highest it falls below).
    current = grows.filter(~pl.col("previous")).select(*series.KEYS, *series.SHAPE, "idx", "doc", "as_of", "lo",
                                                       "hi", "level", "value")
    highest = dict(as_of_b=pl.col("as_of_b").min(), level=pl.col("level").max(), level_b=pl.col("level_b").max())
    falls = [pairs.group_by("metric").agg(**highest) for pairs in series.later_lower(current)]
    if falls:
        falls = [pl.concat(falls).group_by("metric", maintain_order=True).agg(**highest)
                 .select("metric", falls=pl.lit(True), as_of_b="as_of_b", level="level", level_b="level_b")]
    return pl.concat([revised, *falls], how="vertical_relaxed").cast(schema)


def claimant_names(draft: FigureSet, generation: Generation, config: Config) -> list[str]:
    """The claimant names of the draft and the whole store: series are drawn from all of them."""
    from figcheck.records import _claimant_names

    stored = (generation.scan(generation.metrics, columns=["doc", "metric", "as_of", "claimant"],
                              where=pl.col("claimant").is_not_null())
              .filter(~pl.col("doc").is_in(list(draft.docs()))).drop("doc"))
    return _claimant_names(pl.concat([draft.frame.select("metric", "as_of", "claimant"), stored]), config)


class StoredFigures(FigureSet):
    """A generation's figures for the rules, read a metric group at a time (see findings.iter_findings):
    only the columns the rules use are held, and the figures a finding cites are read back whole."""

    def __init__(self, generation: Generation, metrics: list[str] | None = None, shown=None):
        self.generation = generation
        self.only = sorted(metrics) if metrics is not None else list(generation.metrics)
        self._keys: pl.DataFrame | None = None
        self.shown = shown or (lambda figures: figures)  # how paths are printed (a store's are absolute)

    @property
    def frame(self) -> pl.DataFrame:
        """The columns the rules use, read when asked (the rules' context asks once): only the keys
        that `take` looks figures up by are kept (for gaza.deaths at 50,000 articles, 6.5 MB of
        the 33.5 MB read)."""
        from figcheck.checks.frame import RULE_COLUMNS

        columns = list(dict.fromkeys([*ORDER, *RULE_COLUMNS]))
        frame = canonical(self.generation.scan(self.only, columns=columns))
        self._keys = frame.select(ORDER)
        return frame

    @property
    def keys(self) -> pl.DataFrame:
        """ORDER of each figure, in the row order of `frame` (canonical: ORDER is unique)."""
        if self._keys is None:
            self._keys = canonical(self.generation.scan(self.only, columns=ORDER))
        return self._keys

    def metrics(self) -> set[str]:
        return set(self.only)

    def claimant_names(self, config) -> list[str]:
        from figcheck.records import _claimant_names

        named = pl.col("claimant").is_not_null() & pl.col("as_of").is_not_null()  # the only rows it keeps
        names: set[str] = set()
        for metric in self.only:  # a metric at a time: the store's claimants are never read at once
            names.update(_claimant_names(self.generation.scan([metric], columns=["metric", "as_of", "claimant"],
                                                              where=named), config))
        return sorted(names)

    def share_links(self) -> list[tuple[str, str]]:
        from figcheck.records import _share_links

        return _share_links(self.generation.scan(self.only, columns=["metric", "share_of"],
                                                 where=pl.col("share_of").is_not_null()))

    def subset(self, metrics) -> "StoredFigures":
        return StoredFigures(self.generation, [m for m in self.only if m in set(metrics)], self.shown)

    def __len__(self) -> int:
        return self.keys.height

    def take(self, idxs):
        wanted = pl.Series(idxs, dtype=pl.Int64).drop_nulls().unique().sort().to_list()
        if not wanted:
            return {}
        keys = self.keys[wanted].with_columns(idx=pl.Series(wanted, dtype=pl.Int64))
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
