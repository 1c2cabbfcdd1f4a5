"""trend: a claimant's count moving the wrong way, for a metric with a declared direction.

A metric declared `direction: falls` (hostages still held, once no one new is taken) cannot rise
within one series, and one declared `grows` cannot fall. Pairs of figures of one claimant's
series a day or more apart are compared; figures without a claimant form no series. A growing
count that falls is left to `outdated` while that rule is on.

Flagged:  the army says "130 hostages remain" in March and "136 remain" in April.
Passes:   a ministry's missing-person count falls from "1,000" to "385": missing counts may fall.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from figcheck.checks import pairs
from figcheck.checks.frame import Context
from figcheck.models import Finding
from figcheck.pack import RuleSettings

ID = "trend"
SUMMARY = "A claimant's count rising where it can only fall, or falling where it can only grow"
SEVERITY = "warning"


class Settings(RuleSettings):
    pass


def run(ctx: Context) -> Iterable[Finding]:
    # A series is paired with itself: only the metrics that can be flagged take part.
    moves = ["falls"] if ctx.config.rule_enabled("outdated") else ["falls", "grows"]
    named = ctx.frame.filter(pl.col("series").is_not_null() & pl.col("direction").is_in(moves))
    if named.is_empty():
        return []
    cols = ["idx", "doc", "metric", "unit", "as_of", "lo", "hi", "series", "epoch", "direction", "char_start"]
    a = named.select(cols)
    joined = (a.join(a.select("idx", "metric", "unit", "series", "epoch", "as_of", "lo", "hi"),
                     on=["metric", "unit", "series", "epoch"], suffix="_b")
              .filter(pl.col("as_of") > pl.col("as_of_b")))
    rose = (pl.col("direction") == "falls") & (pl.col("lo") > pl.col("hi_b"))
    fell = (pl.col("direction") == "grows") & (pl.col("hi") < pl.col("lo_b")) & (
        pl.lit(not ctx.config.rule_enabled("outdated")))
    chosen = joined.filter(rose | fell).with_columns(support_b=pl.lit(0, pl.Int64))

    def describe(subject, also, partners):
        spec = ctx.config.metrics[subject.metric].spec
        way = "rose" if spec.moves == "falls" else "fell"
        can = "only fall" if spec.moves == "falls" else "only grow"
        return (f"{spec.label} can {can}, but {subject.claimant}'s count {way}: {pairs.listing(partners)}; "
                f"then {pairs.listing([subject, *also])}.")

    return pairs.findings(ctx, ID, chosen, describe)
