"""arithmetic: relations the metric pack declares between metrics, checked in numbers.

A relation names a whole and its parts. Each part's smallest possible value must not exceed
the whole's largest; with `disjoint: true` the parts' smallest values together must not
either. Shares of the whole (unit: share) are compared with 1. Checked within each article,
and across articles for figures that speak for the same date.

Flagged:  "136 hostages remain in Gaza" beside "some 120 hostages were taken": a part
          (held, at least 135.5) exceeds its whole (taken, at most 126.5).
Passes:   "130 remain, including 34 believed dead" beside "more than 250 were taken".
"""

from __future__ import annotations

import polars as pl

from figcheck.checks.describe import says
from figcheck.checks.frame import Context
from figcheck.models import Finding

ID = "arithmetic"
SUMMARY = "Parts that exceed their whole, as the metric pack relates them"


def _extremes(frame: pl.DataFrame, scope: str) -> pl.DataFrame:
    """Per scope and metric: the strongest lower bound and the weakest upper bound, with their figures."""
    return frame.group_by(scope, "metric").agg(
        lo=pl.col("lo").max(), lo_idx=pl.col("idx").sort_by("lo").last(),
        hi=pl.col("hi").min(), hi_idx=pl.col("idx").sort_by("hi").first(),
        unit=pl.col("unit").first(),
    )


def violations(ctx: Context) -> list[tuple[list[int], str]]:
    out: list[tuple[list[int], str]] = []
    seen: set[tuple[int, ...]] = set()
    for scope in ("doc", "as_of"):
        extremes = _extremes(ctx.frame, scope)
        for relation in ctx.config.relations:
            parts = extremes.filter(pl.col("metric").is_in(relation.parts))
            whole = extremes.filter(pl.col("metric") == relation.whole).select(
                scope, whole_hi="hi", whole_idx="hi_idx")
            share_parts = parts.filter(pl.col("unit") == "share").with_columns(whole_hi=pl.lit(1.0),
                                                                               whole_idx=pl.lit(None, pl.Int64))
            joined = pl.concat([parts.filter(pl.col("unit") == "count").join(whole, on=scope), share_parts],
                               how="diagonal_relaxed")
            if relation.disjoint:
                joined = (joined.group_by(scope, pl.col("unit"))
                          .agg(lo=pl.col("lo").sum(), whole_hi=pl.col("whole_hi").first(),
                               idxs=pl.col("lo_idx"), whole_idx=pl.col("whole_idx").first())
                          .filter(pl.col("idxs").list.len() > 1))
            else:
                joined = joined.with_columns(idxs=pl.concat_list("lo_idx"))
            for row in joined.filter(pl.col("lo") > pl.col("whole_hi")).iter_rows(named=True):
                idxs = [*row["idxs"], *([row["whole_idx"]] if row["whole_idx"] is not None else [])]
                key = tuple(sorted(idxs))
                if key not in seen:
                    seen.add(key)
                    out.append((idxs, relation.whole))
    return out


def run(ctx: Context) -> list[Finding]:
    findings = []
    for idxs, whole in violations(ctx):
        figures = [ctx.figures[i] for i in idxs]
        subject = figures[0]
        label = ctx.config.metrics[whole].spec.label
        parts = "; ".join(says(f) for f in figures if f.metric != whole)
        wholes = [f for f in figures if f.metric == whole]
        against = f"more than {says(wholes[0])} for {label}" if wholes else "more than the whole"
        findings.append(Finding(
            rule=ID, severity=ctx.config.severity(ID, subject.metric), metric=subject.metric,
            message=f"Parts exceed their whole: {parts}; together that is {against}.", figures=figures))
    return findings
