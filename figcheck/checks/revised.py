"""revised: a count revised down, and figures that still carry the value it replaced.

A revision is stated in the text (a current figure beside a higher earlier one in its sentence:
"revised the toll to 97, down from 115"; or a sentence with a revision cue giving a count from
a higher figure to a lower one), or shown by a claimant's later, lower figure that later sources
of other articles follow, or, where neither shows one, by every figure from a date on staying
below the record (checks/settled.py). The revised figure becomes the record (see `outdated`). Each revision
is reported as `info`, with the figures it supersedes; a later figure from another article that
still allows the replaced value but not the revised one is reported at the rule's severity.

Flagged:  police revise the toll "to 97, down from 115" on 15 Sep; on 20 Sep another outlet
          still reports "115 people killed".
Passes:   "99 dead" on 20 Oct, after the revision to 97: it follows the revised count.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import polars as pl

from figcheck.checks.describe import says, source
from figcheck.checks.frame import Context, Streams, doc_batches
from figcheck.models import Finding, trusted
from figcheck.pack import RuleSettings

ID = "revised"
SUMMARY = "Counts revised down, and figures still carrying the replaced value"
SEVERITY = "warning"
MAX_SUPERSEDED = 10


class Settings(RuleSettings):
    # Words that make a sentence with a higher and a lower figure of one metric a revision.
    cues: list[str] = [r"revis\w*", r"down from", r"lowered", r"reduced", r"corrected", r"downgraded"]


def run(ctx: Context) -> Iterable[Finding]:
    revs = ctx.revisions
    if revs is None or revs.is_empty():
        return []
    numbered, still = _numbered(revs), _still(ctx, revs)
    frame = ctx.frame.select("idx", "doc", "metric", "as_of", "lo", "hi", "epoch")
    # Each revision meets only the figures of the epoch it closes and of the one it opens: joined
    # on the metric alone, every figure met every revision (2.5 million rows at 5,000 articles).
    before = frame.join(_dated(numbered).with_columns(epoch=pl.col("rev_epoch") - 1), on=["metric", "epoch"])
    superseded = (before.filter(pl.col("lo") > pl.col("new_hi"))
                  .sort("as_of", "idx", descending=[True, False])
                  .group_by("rev_idx", maintain_order=True).agg(pl.col("idx").head(MAX_SUPERSEDED)))
    stated = (numbered.filter(ctx.wanted(pl.col("rev_doc")))
              .join(superseded.rename({"idx": "earlier"}), on="rev_idx", how="left", maintain_order="left"))
    return Streams(_revisions(ctx, stated), _still_replaced(ctx, still))


def subjects(ctx: Context) -> pl.DataFrame:
    """The figures (idx) run reports above info: conflict and claimant leave them to this rule."""
    revs = ctx.revisions
    if revs is None or revs.is_empty():
        return pl.DataFrame(schema={"idx": pl.Int64})
    still = _still(ctx, revs)
    above = [m for m in still["metric"].unique().to_list() if ctx.config.severity(ID, m) != "info"]
    return still.filter(pl.col("metric").is_in(above)).select("idx")


def _numbered(revs: pl.DataFrame) -> pl.DataFrame:
    return revs.sort("rev_date").with_columns(epoch=pl.int_range(1, pl.len() + 1).over("metric").cast(pl.Int64))


def _dated(numbered: pl.DataFrame) -> pl.DataFrame:
    return numbered.drop("epoch").join(numbered.select("metric", "rev_date", rev_epoch="epoch"), on=["metric", "rev_date"])


def _still(ctx: Context, revs: pl.DataFrame) -> pl.DataFrame:
    """Later figures of other articles (of those wanted) still carrying a revision's replaced value."""
    frame = ctx.frame.select("idx", "doc", "metric", "as_of", "lo", "hi", "epoch")
    after = frame.join(_dated(_numbered(revs)).with_columns(epoch=pl.col("rev_epoch")), on=["metric", "epoch"])
    still = after.filter((pl.col("doc") != pl.col("rev_doc"))
                         & (pl.col("lo") > pl.col("new_hi")) & (pl.col("lo") <= pl.col("old_value"))
                         & (pl.col("old_value") <= pl.col("hi")))
    return still.filter(ctx.wanted(pl.col("doc")))


def _revisions(ctx: Context, stated: pl.DataFrame) -> Iterator[Finding]:
    """Each revision (info), with the figures it supersedes, in the order of the revising articles."""
    for batch in doc_batches(stated, "rev_doc"):
        figures = ctx.figures.take(pl.concat([batch["rev_idx"], batch["old_idx"], batch["earlier"].explode()]))
        for row in batch.iter_rows(named=True):
            new, old = figures[row["rev_idx"]], figures[row["old_idx"]]
            earlier = [figures[i] for i in row["earlier"] or [] if i != row["old_idx"]]
            label = ctx.config.metrics[new.metric].spec.label
            message = (f"{label}: {says(new)}, revising '{old.surface}' down on {new.as_of}. "
                       + (f"It supersedes {len(earlier)} earlier figure(s), such as {says(earlier[0])}; "
                          if earlier else "")
                       + "later figures are held to the revised count.")
            yield trusted(Finding, {"rule": ID, "severity": "info", "metric": new.metric, "message": message,
                                    "figures": [new, old, *earlier], "days_stale": None, "reference": None})


def _still_replaced(ctx: Context, still: pl.DataFrame) -> Iterator[Finding]:
    """Later figures of other articles still carrying a replaced value, in the order of their articles."""
    for batch in doc_batches(still):
        figures = ctx.figures.take(pl.concat([batch["idx"], batch["rev_idx"], batch["old_idx"]]))
        for row in batch.iter_rows(named=True):
            figure, new, old = figures[row["idx"]], figures[row["rev_idx"]], figures[row["old_idx"]]
            message = (f"{source(figure)} cites '{figure.surface}', the value {source(new)} revised down from "
                       f"'{old.surface}' to '{new.surface}'.")
            yield trusted(Finding, {"rule": ID, "severity": ctx.config.severity(ID, figure.metric),
                                    "metric": figure.metric, "message": message, "figures": [figure, new, old],
                                    "days_stale": None, "reference": None})
