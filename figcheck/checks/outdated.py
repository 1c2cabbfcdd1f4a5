"""outdated: a growing count that its own series' record had already passed when the article spoke.

Tolls only grow. The record is what was reported before: a figure with a claimant is held to
that claimant's series (its other articles), a figure without one to every series, and every
figure to the reference series. A named figure behind only other series (another authority's
count, or unattributed figures) is `info`: that is weak evidence against an authority's count,
and `claimant` reports two authorities that disagree. A figure is behind when the record's guaranteed value exceeds
the most the figure allows. It is a `warning` when it is more than the metric's `max_age_days`
behind (default 0: a day or more) and the record lies beyond the figure's rounding; otherwise
`info` (a same-day update beyond its rounding, or a round lower bound still true as written a
day or more later, or a figure below half of every earlier one on record, which never was the
series' count and so is more likely a count of something else than an old one). A downward revision
starts a new record (see `revised`): later, lower figures that follow it are not behind.
Another named claimant's higher count is a `claimant` finding, not this one.

Flagged:  "more than 33,000 killed" on 19 Apr, when the reference passed 33,000 on 4 Apr
          and stood at 34,012 on 19 Apr: 15 days behind, beyond its step of 1,000 (warning).
Passes:   "the toll rose to 97", a week after the police revised their count of 115 down to 97.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import polars as pl

from figcheck.checks.describe import amount, source
from figcheck.checks.frame import Context, cited, doc_batches, rounding_limit
from figcheck.models import Finding, trusted
from figcheck.pack import RuleSettings

ID = "outdated"
SUMMARY = "Growing counts behind what their own series had already reported"
SEVERITY = "warning"


class Settings(RuleSettings):
    pass


ALL = -1  # the scope of a figure without a claimant (and the weaker one of a figure with one): every series


def record_rows(ctx: Context, counts: pl.DataFrame) -> pl.DataFrame:
    """What each scope had on record: figures of the series (and all figures in scope ALL), and references."""
    # One query (some 14 frame operations as eager steps).
    counts = counts.lazy()
    base = counts.select("metric", "epoch", "series", date=pl.col("as_of"), floor=pl.col("lo"), src_idx=pl.col("idx"),
                         src_doc=pl.col("doc"), ref=pl.lit(None, pl.Int64))
    own = base.filter(pl.col("series").is_not_null()).rename({"series": "scope"})
    everyone = base.drop("series").with_columns(scope=pl.lit(ALL, pl.Int64))
    refs = ctx.reference_frame()
    scopes = pl.concat([counts.select("metric", "epoch", scope=pl.col("series").fill_null(ALL)),
                        counts.select("metric", "epoch", scope=pl.lit(ALL, pl.Int64))]).unique()
    epochs = _ref_epochs(ctx, refs).lazy()
    from_refs = (epochs.join(scopes, on=["metric", "epoch"])
                 .select("metric", "epoch", "scope", "date", floor=pl.col("value"), src_idx=pl.lit(None, pl.Int64),
                         src_doc=pl.lit(None, pl.String), ref=pl.col("ref")))
    cols = ["metric", "epoch", "scope", "date", "floor", "src_idx", "src_doc", "ref"]
    return pl.concat([own.select(cols), everyone.select(cols), from_refs.select(cols)],
                     how="vertical_relaxed").collect(engine="in-memory")


def _ref_epochs(ctx: Context, refs: pl.DataFrame) -> pl.DataFrame:
    numbered = ctx.revisions.select("metric", "rev_date").sort("rev_date").with_columns(
        epoch=pl.int_range(1, pl.len() + 1).over("metric").cast(pl.Int64))
    return (refs.sort("date").join_asof(numbered.sort("rev_date"), left_on="date", right_on="rev_date", by="metric",
                                        strategy="backward", check_sortedness=False)
            .with_columns(pl.col("epoch").fill_null(0)))


def envelope(rows: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """Per key: the first date each new highest guaranteed value was on record (of equals, the
    first reference, then the first figure in the set's order)."""
    ties = [c for c in ("ref", "src_idx") if c in rows.columns]
    return (rows.sort(*keys, "date", "floor", *ties, descending=[False] * len(keys) + [False, True] + [False] * len(ties),
                      nulls_last=True)
            .with_columns(best=pl.col("floor").cum_max().over(keys))
            .filter(pl.col("floor") == pl.col("best"))
            .filter(pl.col("best") > pl.col("best").shift(1).over(keys).fill_null(float("-inf"))))


def stale(ctx: Context) -> pl.DataFrame:
    """Every figure behind its record (with `check`, of the new articles), with days_stale, the
    first record that passed it and the best at its date."""
    return ctx.memo(ID, lambda: _stale(ctx))


# What _stale reads of each figure: its copies (one per scope, sorted, joined) carry no more.
STALE_COLUMNS = ["idx", "doc", "metric", "epoch", "series", "as_of", "lo", "hi", "value", "qualifier", "precision",
                 "max_age_days"]


# Figures judged at once against their group's record: the record (a few rows per scope) is
# computed once, and each figure is judged on its own, so a piece's frames (two copies of each
# figure, sorted and joined four times) stay bounded. Over gaza.deaths at 100,000 articles
# (210,000 figures) judged whole, they raised scan's peak by some 200 MB.
SUBJECT_ROWS = 20_000


def _stale(ctx: Context) -> pl.DataFrame:
    counts = (ctx.frame.lazy().filter(pl.col("cumulative") & (pl.col("unit") == "count")).select(STALE_COLUMNS)
              .collect())
    if counts.is_empty():
        return counts.with_columns(days_stale=pl.lit(0), first_idx=pl.lit(None, pl.Int64))
    keys = ["metric", "epoch", "scope"]
    rows = record_rows(ctx, counts)
    env = envelope(rows, keys)
    record = Record(
        keys=keys,
        passing=env.sort("best").select(*keys, "best", first_date=pl.col("date"), first_idx="src_idx",
                                        first_doc="src_doc", first_ref="ref"),
        latest=env.sort("date").select(*keys, "date", best_at=pl.col("best"), best_idx="src_idx", best_ref="ref"),
        # The lowest figure on record before each date: a figure far below it never was the series'
        # count ("2 killed" in a province that had 896 the day after the quake counts something else).
        lowest=(rows.group_by(*keys, "date").agg(pl.col("floor").min()).sort(*keys, "date")
                .select(*keys, low_date="date", lowest=pl.col("floor").cum_min().over(keys)).sort("low_date")),
        figures=rows.filter(pl.col("src_doc").is_not_null()))
    found = pl.concat([_behind(piece, record) for piece in judged(ctx, counts)])
    return found.sort("weak").unique("idx", keep="first").sort("doc", "idx")


def judged(ctx: Context, counts: pl.DataFrame) -> list[pl.DataFrame]:
    """The figures to judge against the record, in pieces of SUBJECT_ROWS (one piece at least):
    with `check`, the new articles' only. Each is judged on its own, and only their findings
    are reported; every figure stays on the record."""
    if ctx.subjects is not None:
        counts = counts.filter(ctx.wanted(pl.col("doc")))
    return list(counts.iter_slices(SUBJECT_ROWS)) or [counts]


@dataclass
class Record:
    """What a scope had on record, as _behind reads it: the first figure (or reference) to pass
    each value, the best at each date, the lowest before each date, and every figure on record."""

    keys: list[str]
    passing: pl.DataFrame
    latest: pl.DataFrame
    lowest: pl.DataFrame
    figures: pl.DataFrame


def _behind(counts: pl.DataFrame, record: Record) -> pl.DataFrame:
    """The figures of `counts` behind their record (both scopes of a named figure), judged apart."""
    keys = record.keys
    counts = counts.lazy()  # each step below is part of a query (about 15 operations as eager steps)
    subjects = pl.concat([
        counts.with_columns(scope=pl.col("series").fill_null(ALL), weak=pl.lit(False)),
        counts.filter(pl.col("series").is_not_null()).with_columns(scope=pl.lit(ALL, pl.Int64), weak=pl.lit(True)),
    ]).with_columns(cited=cited(), limit=rounding_limit())
    first = (subjects.sort("cited")
             .join_asof(record.passing.lazy(), left_on="cited", right_on="best", by=keys, strategy="forward",
                        allow_exact_matches=False, check_sortedness=False).drop("best")
             .filter(pl.col("first_date").is_not_null() & (pl.col("first_date") <= pl.col("as_of")))
             .collect(engine="in-memory"))
    # The record an article set itself is no evidence against it: take the first other article instead.
    own = first.filter(pl.col("first_doc") == pl.col("doc"))
    first = first.lazy()
    if not own.is_empty():
        other = (own.lazy().select("idx", "doc", "cited", "as_of", "weak", *keys)
                 .join(record.figures.lazy(), on=keys)
                 .filter((pl.col("src_doc") != pl.col("doc")) & (pl.col("floor") > pl.col("cited"))
                         & (pl.col("date") <= pl.col("as_of")))
                 .sort("date", "floor", "src_idx", descending=[False, True, False])
                 .group_by("idx", "weak", maintain_order=True).first()
                 .select("idx", "weak", date2="date", idx2="src_idx", doc2="src_doc"))
        first = (first.join(other, on=["idx", "weak"], how="left")
                 .with_columns(pl.when(pl.col("first_doc") == pl.col("doc")).then(pl.col(c2)).otherwise(pl.col(c))
                               .alias(c) for c, c2 in (("first_date", "date2"), ("first_idx", "idx2"),
                                                       ("first_doc", "doc2")))
                 .drop("date2", "idx2", "doc2")
                 .filter(pl.col("first_date").is_not_null()))
    found = (first.with_columns(days_stale=(pl.col("as_of") - pl.col("first_date")).dt.total_days())
             .sort("as_of")
             .join_asof(record.latest.lazy(), left_on="as_of", right_on="date", by=keys, strategy="backward",
                        check_sortedness=False)
             .join_asof(record.lowest.lazy(), left_on="as_of", right_on="low_date", by=keys, strategy="backward",
                        allow_exact_matches=False, check_sortedness=False)
             .with_columns(warn=(pl.col("days_stale") > pl.col("max_age_days")) & (pl.col("best_at") > pl.col("limit"))
                           & ~pl.col("weak") & (pl.col("lowest").is_null() | (pl.col("hi") >= pl.col("lowest") / 2)))
             # The same day, a lower bound, or a figure still true as rounded, is no news.
             .filter((pl.col("days_stale") > 0)
                     | ((pl.col("best_at") > pl.col("limit")) & pl.col("hi").is_finite())))
    return found.collect(engine="in-memory")


def subjects(ctx: Context) -> pl.DataFrame:
    """The figures (idx) run reports above info: conflict and claimant leave them to this rule."""
    rows = stale(ctx)
    if rows.is_empty():  # without the columns of a judged figure
        return rows.select("idx")
    rows = rows.filter(ctx.wanted(pl.col("doc")) & pl.col("warn"))
    above = [m for m in rows["metric"].unique().to_list() if ctx.config.severity(ID, m) != "info"]
    return rows.filter(pl.col("metric").is_in(above)).select("idx")


def run(ctx: Context) -> Iterator[Finding]:
    """The findings in the order of their articles, a batch at a time (see frame.doc_batches)."""
    rows = stale(ctx)
    for batch in doc_batches(rows.filter(ctx.wanted(pl.col("doc")))):
        figures = ctx.figures.take(pl.concat([batch["idx"], batch["first_idx"], batch["best_idx"]]).drop_nulls())
        yield from _findings(ctx, batch, figures)


def _findings(ctx: Context, rows: pl.DataFrame, figures: dict) -> Iterator[Finding]:
    for row in rows.iter_rows(named=True):
        figure = figures[row["idx"]]
        first, best = row["first_idx"], row["best_idx"]
        evidence = [figures[i] for i in dict.fromkeys((first, best)) if i is not None and i != row["idx"]
                    and (i == first or figures[i].doc != figure.doc)]
        reference = ctx.references[row["first_ref"]] if row["first_ref"] is not None else None
        if reference is None and row["best_ref"] is not None:
            reference = ctx.references[row["best_ref"]]
        passed = (f"the reference ({reference.source or 'series'}) passed it on {row['first_date']}"
                  if row["first_ref"] is not None else
                  f"{source(figures[first])} already reported '{figures[first].surface}'")
        when = "the same day" if row["days_stale"] == 0 else f"{row['days_stale']} days earlier"
        series = f" ({figure.claimant}'s count)" if figure.claimant else ""
        message = (f"{source(figure)} cites '{figure.surface}' ({ctx.config.metrics[figure.metric].spec.label})"
                   f"{series}; {passed}, {when}.")
        if best is not None and best != first and best in figures:
            message += f" By {figure.as_of}, {source(figures[best])} had '{figures[best].surface}'."
        elif best is None and row["best_ref"] is not None and row["best_ref"] != row["first_ref"]:
            ref = ctx.references[row["best_ref"]]
            message += f" On {ref.date} the reference stood at {amount(ref.value)}."
        severity = ctx.config.severity(ID, figure.metric) if row["warn"] else "info"
        yield trusted(Finding, {"rule": ID, "severity": severity, "metric": figure.metric, "message": message,
                                "figures": [figure, *evidence], "days_stale": row["days_stale"],
                                "reference": reference})
