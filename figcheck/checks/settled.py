"""A growing count revised down that no sentence and no named series shows: from some date on,
every figure of the metric stays below the record of the figures before it, in two or more
articles and over a week or more ("102 killed" a year after outlets reported 115, with 97, 98 and
99 between and nobody above). Stale repeats of an old toll do not settle: later sources rise past
the record again.

The date is a revision (series.revisions) like a stated one: figures after it are compared with
the record of their own epoch, and `revised` reports it as `info`.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

SETTLED_DAYS = 7  # how long every later figure must stay below the old record
SETTLED_FIGURES = 3  # how many later figures, at least
SETTLED_ARTICLES = 2  # from how many articles, at least


def settled_lower(current: pl.DataFrame, schema: dict) -> pl.DataFrame:
    """The first date of each metric (and unit) from which every current figure stays below the
    record before it, as a revision row (`schema`: series.REVISION_SCHEMA)."""
    if current.is_empty():
        return pl.DataFrame(schema=schema)
    by = ["metric", "unit"]
    days = (current.group_by(*by, "as_of").agg(day_lo=pl.col("lo").max(), day_hi=pl.col("hi").max(), n=pl.len())
            .sort(*by, "as_of"))
    leaving = (current.group_by(*by, "doc").agg(pl.col("as_of").max()).group_by(*by, "as_of").agg(docs=pl.len()))
    # The running sums and maxima below read the days in date order: the join keeps it.
    days = (days.join(leaving, on=[*by, "as_of"], how="left", maintain_order="left")
            .with_columns(pl.col("docs").fill_null(0)))
    days = days.with_columns(
        record=pl.col("day_lo").cum_max().shift(1).over(by),
        later_top=pl.col("day_hi").reverse().cum_max().reverse().over(by),
        later_n=_from_here_on("n", by), later_docs=_from_here_on("docs", by),
        last=pl.col("as_of").max().over(by))
    settled = (days.filter((pl.col("later_top") < pl.col("record")) & (pl.col("later_n") >= SETTLED_FIGURES)
                           & (pl.col("later_docs") >= SETTLED_ARTICLES)
                           & (pl.col("last") - pl.col("as_of") >= dt.timedelta(days=SETTLED_DAYS)))
               .group_by(by).agg(pl.all().sort_by("as_of").first()))
    if settled.is_empty():
        return pl.DataFrame(schema=schema)
    # the revision's figure: the first of its date; the replaced one: the record's first figure
    first = current.sort("idx").group_by(*by, "as_of").agg(rev_idx=pl.col("idx").first(),
                                                            rev_doc=pl.col("doc").first())
    old = (current.join(settled.select(*by, cut="as_of", record="record"), on=by)
           .filter((pl.col("as_of") < pl.col("cut")) & (pl.col("lo") == pl.col("record")))
           .sort("idx").group_by(by).agg(old_idx=pl.col("idx").first(), old_value=pl.col("value").first()))
    return (settled.join(first, on=[*by, "as_of"]).join(old, on=by)
            .select("metric", rev_date="as_of", rev_idx="rev_idx", rev_doc="rev_doc", old_idx="old_idx",
                    old_value="old_value", new_hi="later_top")
            .cast(schema))


def _from_here_on(column: str, by: list[str]) -> pl.Expr:
    """The sum of the column over this row and every later one of its group."""
    return pl.col(column).reverse().cum_sum().reverse().over(by)
