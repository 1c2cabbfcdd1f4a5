"""internal: an article that contradicts itself, giving one metric two incompatible values.

Within one article, two figures of a metric for the same date cannot both hold; for a growing
count, a figure dated later also cannot be lower than one dated earlier in the same series (the
same named claimant, or none named). The figure that comes
later (in the text, or in time) is reported, with the one it contradicts. Figures the article
quotes as earlier values ("down from 115", "initially more than 1,000") are about the past and
never take part, and neither do two entries of a live page: "8:35 a.m." and "11:40 a.m." are
two moments of the day.

Flagged:  "220 soldiers killed" and, two paragraphs on, "the names of 222 soldiers killed".
Passes:   "the toll is now 97, down from a previous count of 115": 115 is an earlier value.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from figcheck.checks import pairs
from figcheck.checks.frame import Context, runs
from figcheck.models import Finding
from figcheck.pack import RuleSettings

ID = "internal"
SUMMARY = "One article giving one metric incompatible values"
SEVERITY = "warning"


class Settings(RuleSettings):
    pass


# Figures of whole articles paired at once: each figure meets every other of its article's metric.
PIECE_FIGURES = 20_000


def _contradictions(a: pl.DataFrame) -> pl.DataFrame:
    """Pairs (a, b) of one article's figures where a contradicts b."""
    same_doc = (a.join(a.drop("direction"), on=["doc", "entry", "metric", "unit"], suffix="_b")
                .filter((pl.col("idx") != pl.col("idx_b"))
                        & ((pl.col("hi") < pl.col("lo_b")) | (pl.col("hi_b") < pl.col("lo"))))
                .with_columns(days=(pl.col("as_of_b") - pl.col("as_of")).dt.total_days(), support_b=pl.lit(0)))
    same_day = (pl.col("days") == 0) & (pl.col("char_start") > pl.col("char_start_b"))
    # An article that gives one authority's count for one day and another's, lower, for a later
    # day reports two series; it contradicts itself only within one series (or unnamed ones).
    one_series = pl.col("series").is_null() | pl.col("series_b").is_null() | (pl.col("series") == pl.col("series_b"))
    fell = (pl.col("direction") == "grows") & (pl.col("days") < 0) & (pl.col("hi") < pl.col("lo_b")) & one_series
    return same_doc.filter(same_day | fell)


def run(ctx: Context) -> Iterable[Finding]:
    if ctx.frame.is_empty():
        return []
    cols = ["idx", "doc", "entry", "metric", "unit", "as_of", "lo", "hi", "char_start", "direction", "series"]
    figures = ctx.frame.select(cols).sort("doc", maintain_order=True)
    # An article is set against itself only: a piece of whole articles at a time.
    first_row = figures.with_row_index("row").select(pl.col("row").first().over("doc")).to_series()
    piece = first_row // PIECE_FIGURES
    chosen = pl.concat([_contradictions(part) for part in runs(figures, piece)])

    def describe(subject, also, partners):
        label = ctx.config.metrics[subject.metric].spec.label
        # Figures credited to different sources in one article: say whose each is
        apart = any(f.claimant != subject.claimant for f in partners)

        def quoted(f):
            credit = f", citing {f.claimant}" if apart and f.claimant else ""
            return f"'{f.surface}' ({f.as_of}{credit})"

        return (f"{subject.outlet or subject.doc} contradicts itself on {label}: it says {quoted(subject)} but also "
                + "; ".join(quoted(f) for f in partners) + ".")

    return pairs.findings(ctx, ID, chosen, describe, other_docs=False)

