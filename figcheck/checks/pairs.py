"""Figures set side by side: every pair of one metric whose dates are close enough to compare.

Figures speak for the same period when they share a date; figures of a metric whose direction
is `any` also when they fall within its `window_days` (a population, a past event). The pairs
are a polars self-join per metric and unit, kept to figures that close (or NEARBY_DAYS, for the
tie-break). Each figure gets its support: how many other articles give a compatible figure for
the same period. Of two incompatible figures the one with less support dissents; on a tie, the
one with fewer articles on nearby days agreeing (for a growing count, less those whose earlier
higher or later lower figure it contradicts); then an exact figure beats a bound or an
approximation; then, for a growing count, the higher figure is the likelier current one (the
lower, for any other count).
"""

from __future__ import annotations

import polars as pl

from figcheck.checks.describe import says
from figcheck.checks.frame import Context
from figcheck.models import Finding, trusted

COLUMNS = ["idx", "doc", "metric", "unit", "as_of", "lo", "hi", "level", "qualifier", "series", "direction",
           "window_days", "char_start", "epoch"]
MAX_EVIDENCE = 20
NEARBY_DAYS = 3


def pairs(ctx: Context) -> pl.DataFrame:
    """Ordered pairs (a, b) of figures of one metric and unit within the metric's window, with support."""
    return ctx.memo("pairs", lambda: _pairs(ctx.frame))


def _pairs(frame: pl.DataFrame) -> pl.DataFrame:
    a = frame.select(COLUMNS)
    b = a.select("idx", "doc", "metric", "unit", "as_of", "lo", "hi", "level", "qualifier", "series", "char_start",
                 "epoch")
    days = (pl.col("as_of_b") - pl.col("as_of")).dt.total_days()
    joined = (a.join(b, on=["metric", "unit"], suffix="_b")
              .filter(pl.col("idx") != pl.col("idx_b"))
              .with_columns(days=days)
              .filter(days.abs() <= pl.max_horizontal("window_days", pl.lit(NEARBY_DAYS)))
              .with_columns(
                  compatible=~((pl.col("hi") < pl.col("lo_b")) | (pl.col("hi_b") < pl.col("lo"))),
                  same_period=pl.when(pl.col("direction") == "any").then(pl.col("days").abs() <= pl.col("window_days"))
                  .otherwise(pl.col("days") == 0),
                  other_doc=pl.col("doc") != pl.col("doc_b")))
    grows = pl.col("direction") == "grows"
    contradicted = grows & (((pl.col("days") < 0) & (pl.col("lo_b") > pl.col("hi")))
                            | ((pl.col("days") > 0) & (pl.col("hi_b") < pl.col("lo"))))
    others = joined.filter(pl.col("other_doc"))
    support = (others.group_by("idx").agg(
        support=pl.col("doc_b").filter(pl.col("same_period") & pl.col("compatible")).n_unique(),
        nearby=pl.col("doc_b").filter(~pl.col("same_period") & pl.col("compatible")).n_unique()
        - pl.col("doc_b").filter(~pl.col("same_period") & contradicted).n_unique()))
    joined = (joined.join(support, on="idx", how="left")
              .join(support.rename({"idx": "idx_b", "support": "support_b", "nearby": "nearby_b"}), on="idx_b",
                    how="left")
              .with_columns(pl.col("support", "support_b", "nearby", "nearby_b").fill_null(0)))
    return joined


def loses() -> pl.Expr:
    """Whether a is the dissenter of an incompatible pair (a, b)."""
    exact, exact_b = pl.col("qualifier") == "exact", pl.col("qualifier_b") == "exact"
    lean = behind()
    s, sb, n, nb = pl.col("support"), pl.col("support_b"), pl.col("nearby"), pl.col("nearby_b")
    return (s < sb) | ((s == sb) & ((n < nb) | ((n == nb) & ((exact_b & ~exact) | ((exact == exact_b) & lean)))))


def questioned(ctx: Context, side: pl.Expr) -> pl.Expr:
    """With `check`, a new article's figure against the archive is what is questioned, whichever
    way the pair leans; otherwise the side the rule picks."""
    return side | (ctx.wanted(pl.col("doc")) & ~ctx.wanted(pl.col("doc_b")))


def behind() -> pl.Expr:
    """Whether a is the side of an incompatible pair a fact-checker would question first: for a
    growing count the lower figure, for any other the higher (the likelier older one)."""
    return pl.when(pl.col("direction") == "grows").then(pl.col("level") < pl.col("level_b")).otherwise(
        pl.col("level") > pl.col("level_b"))


def findings(ctx: Context, rule: str, chosen: pl.DataFrame, describe, severity: str | None = None) -> list[Finding]:
    """One finding per article, metric and date of the questioned figures: the first of them in the
    text is the subject, the figures they disagree with the evidence."""
    if chosen.is_empty():
        return []
    chosen = chosen.filter(ctx.wanted(pl.col("doc")))
    groups = (chosen.sort("char_start", "idx")
              .group_by("doc", "metric", "as_of", maintain_order=True)
              .agg(subject=pl.col("idx").first(), others=pl.col("idx").unique(maintain_order=True),
                   partners=pl.col("idx_b").sort_by(pl.col("support_b"), descending=True).unique(maintain_order=True))
              .sort("doc", "subject"))
    wanted = pl.concat([groups["subject"], groups["others"].explode(), groups["partners"].explode()])
    figures = ctx.figures.take(wanted)
    out = []
    for row in groups.iter_rows(named=True):
        subject = figures[row["subject"]]
        also = [figures[i] for i in row["others"] if i != row["subject"]]
        partners = [figures[i] for i in row["partners"] if i not in row["others"]][:MAX_EVIDENCE]
        message = describe(subject, also, partners)
        out.append(trusted(Finding, {"rule": rule, "severity": severity or ctx.config.severity(rule, subject.metric),
                                     "metric": subject.metric, "message": message,
                                     "figures": [subject, *partners, *also], "days_stale": None,
                                     "reference": None}))
    return out


def listing(figures) -> str:
    return "; ".join(says(f) for f in figures)
