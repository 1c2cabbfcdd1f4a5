"""claimant: two named authorities whose counts of one metric disagree, named both.

Two series (see checks/series.py: one claimant's figures) disagree when their figures for the
same period are incompatible, or, for a growing count, when one series' count at a date is
still below what another had already reported a day or more earlier, beyond its rounding. The
figure a fact-checker would question first is reported: the lower one of a growing count, the
higher one of any other. Neither is called out of date; the finding is that they differ. A
series trailing another's earlier count is `info` (authorities update at their own pace);
incompatible counts for the same period take the rule's severity.

Flagged:  "the disaster agency says 45,089 dead" on 5 Mar, when the interior minister had
          announced 45,968 on 4 Mar.
Passes:   the health ministry's "more than 16,400 children" beside a UN office's "14,500" three
          months earlier: the ministry's count is higher, so the two series do not disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import polars as pl

from figcheck.checks import outdated, pairs, sweep
from figcheck.checks.frame import Context, Streams, rounding_limit
from figcheck.models import Finding
from figcheck.pack import RuleSettings

ID = "claimant"
SUMMARY = "Named authorities whose counts of the same thing disagree"
SEVERITY = "warning"


class Settings(RuleSettings):
    pass


CHOSEN = ["idx", "idx_b", "doc", "metric", "as_of", "support_b"]


def _same_period(ctx: Context) -> tuple[pl.DataFrame, pl.DataFrame]:
    return pairs.clash_lists(ctx, sweep.clash_pieces(
        ctx, pl.col("series").is_not_null()
        & pl.col("series_b").is_not_null() & (pl.col("series") != pl.col("series_b"))
        & pairs.questioned(ctx, pairs.behind())))


def _behind_other_series(ctx: Context) -> pl.DataFrame:
    """Growing counts: a series still below what another series had reported a day or more before."""
    counts = (ctx.frame.lazy().filter(pl.col("cumulative") & (pl.col("unit") == "count") & pl.col("series").is_not_null())
              .select("idx", "doc", "metric", "epoch", "series", "as_of", "lo", "hi", "value", "qualifier", "precision")
              .collect())
    empty = pl.DataFrame(schema={c: ctx.frame.schema.get(c, pl.Int64) for c in CHOSEN}
                         | {"idx_b": pl.Int64, "support_b": pl.Int64})
    if counts.is_empty():
        return empty
    keys = ["metric", "epoch", "scope"]
    rows = counts.select("metric", "epoch", scope="series", date="as_of", floor="lo", src_idx="idx", src_doc="doc")
    env = outdated.envelope(rows, keys).sort("date")
    others = counts.select("metric", "epoch", other="series").unique()
    # Each figure is set against every other series' record: a piece of figures at a time (see
    # outdated.SUBJECT_ROWS), since each meets every other series of its metric.
    found = [_trailing(piece, env, others) for piece in outdated.judged(ctx, counts)]
    return (pl.concat(found).sort("their_best", "idx_b", descending=[True, False]).unique("idx", keep="first")
            .with_columns(support_b=pl.lit(0, pl.Int64)).select(CHOSEN))


def _trailing(counts: pl.DataFrame, env: pl.DataFrame, others: pl.DataFrame) -> pl.DataFrame:
    """Each figure's rows where another series' record, a day or more before, is above what the
    figure could stand for and above its own series' record (one row per other series)."""
    # Only what the comparison reads is copied.
    subjects = (counts.select("idx", "doc", "metric", "epoch", "series", "as_of", limit=rounding_limit(),
                              before=pl.col("as_of") - dt.timedelta(days=1))
                .join(others, on=["metric", "epoch"]).filter(pl.col("other") != pl.col("series")))
    theirs = (subjects.sort("before")
              .join_asof(env.select("metric", "epoch", other="scope", their_date="date", their_best="best",
                                    idx_b="src_idx", doc_b="src_doc"),
                         left_on="before", right_on="their_date", by=["metric", "epoch", "other"],
                         strategy="backward", check_sortedness=False)
              .filter(pl.col("their_best").is_not_null() & (pl.col("their_best") > pl.col("limit"))
                      & (pl.col("doc_b") != pl.col("doc"))))
    return (theirs.sort("as_of")
            .join_asof(env.select("metric", "epoch", series="scope", own_date="date", own_best="best"),
                       left_on="as_of", right_on="own_date", by=["metric", "epoch", "series"], strategy="backward",
                       check_sortedness=False)
            .filter(pl.col("own_best") < pl.col("their_best")))


def run(ctx: Context) -> Iterable[Finding]:
    if ctx.frame.is_empty():
        return []

    def describe(subject, also, partners):
        label = ctx.config.metrics[subject.metric].spec.label
        names = " and ".join(dict.fromkeys(f.claimant for f in [subject, *partners] if f.claimant))
        return (f"{label}: {names} count differently. {pairs.listing([subject, *also])}; but "
                f"{pairs.listing(partners)}.")

    def trails(subject, also, partners):
        return describe(subject, also, partners) + " The first trails what the other had already reported."

    subjects, partners = _same_period(ctx)
    return Streams(pairs.findings(ctx, ID, subjects, describe, claim_partners=partners),
                      pairs.findings(ctx, ID, _behind_other_series(ctx), trails, severity="info"))
