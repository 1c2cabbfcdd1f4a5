"""implausible: a count for one day larger than the running total it belongs to.

The metric pack pairs a per-period metric with its cumulative one (`per_period:` and
`cumulative:` in `relations:`). A figure for one day cannot exceed the cumulative figure of the
same date or of the day before, from any article.

Flagged:  "1,200 killed in the past 24 hours" beside "a total of 1,100 killed" the day before.
Passes:   "40 killed in the past 24 hours" beside "at least 40,005 killed in all".
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from figcheck.checks.describe import says
from figcheck.checks.frame import Context
from figcheck.models import Finding, trusted
from figcheck.pack import RuleSettings

ID = "implausible"
SUMMARY = "A count for one day above the running total of that date"
SEVERITY = "error"


class Settings(RuleSettings):
    pass


def run(ctx: Context) -> list[Finding]:
    pairs = [(r.per_period, r.cumulative) for r in ctx.config.relations if r.per_period]
    if not pairs or ctx.frame.is_empty():
        return []
    links = pl.DataFrame(pairs, schema={"metric": pl.String, "total_metric": pl.String}, orient="row")
    counts = ctx.frame.filter(pl.col("unit") == "count")
    daily = counts.join(links, on="metric").select("idx", "doc", "metric", "as_of", "lo", "total_metric")
    totals = counts.select(total_metric="metric", total_idx="idx", total_date="as_of", total_hi="hi")
    over = (daily.join(totals, on="total_metric")
            .filter((pl.col("total_date") <= pl.col("as_of"))
                    & (pl.col("total_date") >= pl.col("as_of") - dt.timedelta(days=1))
                    & (pl.col("lo") > pl.col("total_hi")))
            .filter(ctx.wanted(pl.col("doc")))
            .sort("idx", "total_hi").unique("idx", keep="first", maintain_order=True))
    figures = ctx.figures.take(pl.concat([over["idx"], over["total_idx"]]))
    findings = []
    for row in over.iter_rows(named=True):
        day, total = figures[row["idx"]], figures[row["total_idx"]]
        labels = ctx.config.metrics
        message = (f"{says(day)} ({labels[day.metric].spec.label}), more than {says(total)} "
                   f"({labels[total.metric].spec.label}): one day cannot exceed the running total.")
        findings.append(trusted(Finding, {"rule": ID, "severity": ctx.config.severity(ID, day.metric),
                                          "metric": day.metric, "message": message, "figures": [day, total],
                                          "days_stale": None, "reference": None}))
    return findings
