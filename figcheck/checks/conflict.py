"""conflict: figures for the same metric and period whose intervals cannot all hold.

Figures of a cumulative metric speak for the same period when they share a date; others
when they fall within the metric's `window_days` of each other (chained). In each period,
a sweep over the interval ends finds the value most figures allow; the figures that do not
allow it are the dissenters (on a tie, for a cumulative metric, the lower ones). One finding per
period: up to twenty dissenters first, then up to ten figures that agree (the rest counted). A cumulative
figure that `outdated` reports is not reported again here.

Flagged:  "2.2 million people live in Gaza" (Mar 19) beside "Gaza's 2.3 million" (Mar 23):
          [2.15, 2.25) and [2.25, 2.35) million have no value in common.
Passes:   "more than 32,000 killed" beside "32,070 killed" on the same day: 32,070 is
          more than 32,000, so both hold.
"""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl

from figcheck.checks import outdated
from figcheck.checks.describe import says
from figcheck.checks.frame import BATCH, Context
from figcheck.models import Finding, trusted

ID = "conflict"
SUMMARY = "Figures for the same metric and period that cannot all be true"


def periods(frame: pl.DataFrame) -> pl.DataFrame:
    """Number the periods: a new one starts where the gap to the previous date exceeds the window."""
    return (frame.sort("metric", "as_of", "idx")
            .with_columns(gap=(pl.col("as_of").diff().dt.total_days().over("metric").fill_null(0)))
            .with_columns(period=(pl.col("gap") > pl.col("window_days")).cum_sum().over("metric")))


def dissent(frame: pl.DataFrame) -> pl.DataFrame:
    """Per (metric, period) the best-supported value `point`, and per figure whether it allows it."""
    grouped = periods(frame)
    events = pl.concat([
        grouped.select("metric", "period", pos=pl.col("lo"), kind=pl.lit(0), delta=pl.lit(1)),
        grouped.select("metric", "period", pos=pl.col("hi"), kind=pl.lit(1), delta=pl.lit(-1)),
    ]).sort("metric", "period", "pos", "kind")
    # On a tie, a cumulative metric's higher value is the likelier current one: tolls only grow.
    cumulative = grouped.select("metric", "cumulative").unique("metric")
    best = (events.with_columns(cover=pl.col("delta").cum_sum().over("metric", "period"))
            .filter(pl.col("kind") == 0)
            .join(cumulative, on="metric")
            .with_columns(tie=pl.when(pl.col("cumulative")).then(-pl.col("pos")).otherwise(pl.col("pos")))
            .sort("metric", "period", "cover", "tie", descending=[False, False, True, False])
            .group_by("metric", "period", maintain_order=True)
            .agg(point=pl.col("pos").first(), support=pl.col("cover").first()))
    return (grouped.join(best, on=["metric", "period"])
            .with_columns(allows=(pl.col("lo") <= pl.col("point")) & (pl.col("point") <= pl.col("hi")),
                          size=pl.len().over("metric", "period")))


MAX_DISSENTING, MAX_AGREEING = 20, 10  # figures listed per finding; the rest are counted in the message


def run(ctx: Context) -> Iterator[Finding]:
    frame = ctx.frame
    if frame.is_empty():
        return
    # A cumulative figure already out of date is reported once, by outdated, not again here.
    if ctx.config.rule_enabled(outdated.ID):
        frame = frame.filter(~pl.col("idx").is_in(outdated.stale(ctx)["idx"].implode()))
    marked = dissent(frame)
    disputed = (marked.filter(pl.col("support") < pl.col("size"))
                .filter((ctx.wanted(pl.col("doc")) & ~pl.col("allows")).any().over("metric", "period")))
    # Dissenters first, and among them the figures of the articles being checked.
    listed = (disputed.sort(pl.col("allows"), ~ctx.wanted(pl.col("doc")), "as_of", "idx")
              .with_columns(rank=pl.int_range(pl.len()).over("metric", "period", "allows"))
              .filter(pl.col("rank") < pl.when(pl.col("allows")).then(MAX_AGREEING).otherwise(MAX_DISSENTING)))
    # Periods in batches, in their order of first appearance, each batch's figures taken together.
    order = listed.group_by("metric", "period", maintain_order=True).agg().with_row_index("seq")
    listed = (listed.join(order, on=["metric", "period"], maintain_order="left")
              .with_columns(batch=pl.col("seq") // (BATCH // (MAX_DISSENTING + MAX_AGREEING))))
    for batch in listed.partition_by("batch", maintain_order=True, include_key=False):
        yield from _findings(ctx, batch)


def _findings(ctx: Context, listed: pl.DataFrame) -> Iterator[Finding]:
    figures = ctx.figures.take(listed["idx"])
    for (metric, _), group in listed.group_by("metric", "period", maintain_order=True):
        members = [(figures[i], ok) for i, ok in zip(group["idx"], group["allows"])]
        dissenters = [f for f, ok in members if not ok]
        agreeing = [f for f, ok in members if ok]
        unlisted_dissent = int(group["size"][0] - group["support"][0]) - len(dissenters)
        more = int(group["support"][0]) - len(agreeing)
        label = ctx.config.metrics[metric].spec.label
        message = (f"{label}: " + "; ".join(says(f) for f in dissenters) +
                   (f"; and {unlisted_dissent} more like them" if unlisted_dissent > 0 else "") + ". But " +
                   "; ".join(says(f) for f in agreeing) + (f"; and {more} more agree" if more > 0 else "") +
                   ". These cannot all hold, even allowing for rounding"
                   + (" and approximation." if any(f.qualifier == "approx" for f, _ in members) else "."))
        yield trusted(Finding, {"rule": ID, "severity": ctx.config.severity(ID, metric), "metric": metric,
                                "message": message, "figures": dissenters + agreeing,
                                "days_stale": None, "reference": None})
