"""conflict: figures for the same metric and period whose intervals cannot all hold.

Figures of a cumulative metric speak for the same period when they share a date; others
when they fall within the metric's `window_days` of each other (chained). In each period,
a sweep over the interval ends finds the value most figures allow; the figures that do not
allow it are the dissenters (on a tie, for a cumulative metric, the lower ones). One finding per
period, dissenters first.

Flagged:  "2.2 million people live in Gaza" (Mar 19) beside "Gaza's 2.3 million" (Mar 23):
          [2.15, 2.25) and [2.25, 2.35) million have no value in common.
Passes:   "more than 32,000 killed" beside "32,070 killed" on the same day: 32,070 is
          more than 32,000, so both hold.
"""

from __future__ import annotations

import polars as pl

from figcheck.checks.describe import says
from figcheck.checks.frame import Context
from figcheck.models import Finding

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


def run(ctx: Context) -> list[Finding]:
    frame = ctx.frame
    if frame.is_empty():
        return []
    marked = dissent(frame)
    disputed = marked.filter(pl.col("support") < pl.col("size"))
    findings = []
    for (metric, _), group in disputed.group_by("metric", "period", maintain_order=True):
        group = group.sort(pl.col("allows"), "as_of", "idx")
        figures = [ctx.figures[i] for i in group["idx"]]
        dissenters = [f for f, ok in zip(figures, group["allows"]) if not ok]
        agreeing = [f for f, ok in zip(figures, group["allows"]) if ok]
        label = ctx.config.metrics[metric].spec.label
        message = (f"{label}: " + "; ".join(says(f) for f in dissenters) + ". But " +
                   "; ".join(says(f) for f in agreeing) + ". These cannot all hold, even allowing for rounding"
                   + (" and approximation." if any(f.qualifier == "approx" for f in figures) else "."))
        findings.append(Finding(rule=ID, severity=ctx.config.severity(ID, metric), metric=metric,
                                message=message, figures=figures))
    return findings
