"""outdated: a cumulative figure that the record had already passed when the article spoke.

Tolls only grow. The record is every other article's figure and every reference row: each
guarantees at least its lower bound from its date on. A figure is out of date when the
record first exceeded the value it cites more than `max_age_days` before its own date.
`days_stale` counts from that day. Severity is the rule's (warning) when the best value on
record at the figure's date lies beyond the figure's rounding step, else info.

Flagged:  "more than 33,000 killed" on 19 Apr, when the reference passed 33,000 on 4 Apr
          and stood at 34,012 on 19 Apr: 15 days stale, beyond its step of 1,000 (warning).
Passes:   "more than 32,000 killed" on 23 Mar, when 32,070 was first reported on 22 Mar:
          one day behind is within max_age_days.
"""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl

from figcheck.checks.describe import amount, source
from figcheck.checks.frame import BATCH, Context
from figcheck.models import Finding, trusted

ID = "outdated"
SUMMARY = "Cumulative figures the record had already passed when the article was written"


def record(ctx: Context, counts: pl.DataFrame) -> pl.DataFrame:
    """Each metric's envelope: the first date each new highest guaranteed value was on record."""
    from_figures = counts.select("metric", date=pl.col("as_of"), floor=pl.col("lo"), src_idx=pl.col("idx"),
                                 src_doc=pl.col("doc"), ref=pl.lit(None, pl.Int64))
    refs = ctx.reference_frame()
    from_refs = refs.select("metric", "date", floor=pl.col("value"), src_idx=pl.lit(None, pl.Int64),
                            src_doc=pl.lit(None, pl.String), ref=pl.col("ref"))
    rows = pl.concat([from_figures, from_refs]).filter(pl.col("metric").is_in(counts["metric"].unique().implode()))
    return (rows.sort("metric", "date", pl.col("floor"), "src_idx", "ref", descending=[False, False, True, False, False])
            .with_columns(best=pl.col("floor").cum_max().over("metric"))
            .filter(pl.col("floor") == pl.col("best"))
            .filter(pl.col("best") > pl.col("best").shift(1).over("metric").fill_null(float("-inf"))))


def stale(ctx: Context) -> pl.DataFrame:
    """Every stale figure with its days_stale, first-exceeding record and best record at its date."""
    return ctx.memo(ID, lambda: _stale(ctx))


def _stale(ctx: Context) -> pl.DataFrame:
    counts = ctx.frame.filter(pl.col("cumulative") & (pl.col("unit") == "count"))
    if counts.is_empty():
        return counts
    envelope = record(ctx, counts)
    subjects = counts.with_columns(cited=pl.when(pl.col("hi").is_finite()).then(pl.col("hi")).otherwise(pl.col("value")))
    first = (subjects.sort("cited")
             .join_asof(envelope.sort("best").select("metric", "best", first_date=pl.col("date"), first_idx="src_idx",
                                                     first_doc="src_doc", first_ref="ref"),
                        left_on="cited", right_on="best", by="metric", strategy="forward", allow_exact_matches=False,
                        check_sortedness=False)
             .drop("best"))
    latest = envelope.sort("date").select("metric", "date", best_at=pl.col("best"), best_idx="src_idx",
                                          best_ref="ref")
    found = (first.filter(pl.col("first_date").is_not_null())
             .with_columns(days_stale=(pl.col("as_of") - pl.col("first_date")).dt.total_days())
             .filter(pl.col("days_stale") > pl.col("max_age_days"))
             .filter(pl.col("first_doc").is_null() | (pl.col("first_doc") != pl.col("doc")))
             .sort("as_of")
             .join_asof(latest, left_on="as_of", right_on="date", by="metric", strategy="backward", check_sortedness=False)
             .with_columns(beyond=pl.col("best_at") > pl.col("value") + pl.col("precision")))
    return found.sort("doc", "idx")


def run(ctx: Context) -> Iterator[Finding]:
    rows = stale(ctx)
    if rows.is_empty():
        return
    for batch in rows.filter(ctx.wanted(pl.col("doc"))).iter_slices(BATCH):
        yield from _findings(ctx, batch)


def _findings(ctx: Context, rows: pl.DataFrame) -> Iterator[Finding]:
    figures = ctx.figures.take(pl.concat([rows["idx"], rows["first_idx"], rows["best_idx"]]).drop_nulls())
    for row in rows.iter_rows(named=True):
        figure = figures[row["idx"]]
        first, best = row["first_idx"], row["best_idx"]
        evidence = [figures[i] for i in (first, best if best != first else None) if i is not None and i != row["idx"]]
        reference = ctx.references[row["first_ref"]] if row["first_ref"] is not None else None
        if reference is None and row["best_ref"] is not None:
            reference = ctx.references[row["best_ref"]]
        passed = (f"the reference ({reference.source or 'series'}) passed it on {row['first_date']}"
                  if row["first_ref"] is not None else
                  f"{source(figures[row['first_idx']])} already reported '{figures[row['first_idx']].surface}'")
        message = (f"{source(figure)} cites '{figure.surface}' ({ctx.config.metrics[figure.metric].spec.label})"
                   f"; {passed}, {row['days_stale']} days earlier. On {figure.as_of} the record stood at "
                   f"{amount(row['best_at'])}.")
        severity = ctx.config.severity(ID, figure.metric) if row["beyond"] else "info"
        yield trusted(Finding, {"rule": ID, "severity": severity, "metric": figure.metric,
                                "message": message, "figures": [figure, *evidence],
                                "days_stale": row["days_stale"], "reference": reference})
