"""conflict: figures for the same metric and period that cannot all hold, same or unknown claimant.

A growing count's figures speak for the same period when they share a date; other figures when
they fall within the metric's `window_days` of each other. Two figures conflict when no value
lies in both their intervals and they come from different articles whose claimants are the same
series or unknown (two named claimants that differ are `claimant`; one article against itself
is `internal`). The figure with less support among the articles is reported, with those it
contradicts as evidence.

Flagged:  "2.2 million people live in Gaza" (Mar 19) beside "Gaza's 2.3 million" (Mar 23):
          [2.15, 2.25) and [2.25, 2.35) million have no value in common.
Passes:   "more than 32,000 killed" beside "32,070 killed" on the same day: 32,070 is
          more than 32,000, so both hold.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from figcheck.checks import pairs, sweep
from figcheck.checks.frame import Context
from figcheck.models import Finding
from figcheck.pack import RuleSettings

ID = "conflict"
SUMMARY = "Figures for the same metric and period that cannot all be true"
SEVERITY = "warning"


class Settings(RuleSettings):
    pass


def run(ctx: Context) -> Iterable[Finding]:
    if ctx.frame.is_empty():
        return []
    subjects, partners = pairs.clash_lists(ctx, sweep.clash_pieces(
        ctx, (pl.col("series").is_null() | pl.col("series_b").is_null() | (pl.col("series") == pl.col("series_b")))
        & pairs.questioned(ctx, pairs.loses())))

    def describe(subject, also, partners):
        label = ctx.config.metrics[subject.metric].spec.label
        approx = any(f.qualifier == "approx" for f in [subject, *also, *partners])
        return (f"{label}: {pairs.listing([subject, *also])}. But {pairs.listing(partners)}. These cannot all hold, "
                f"even allowing for rounding" + (" and approximation." if approx else "."))

    return pairs.findings(ctx, ID, subjects, describe, claim_partners=partners)
