"""All figures in one polars frame, each with the interval of values it allows.

An exact figure allows its rounding interval (2.3 million → [2.25, 2.35) million); a qualifier
gives bounds ("more than 33,500" → [33,500, ∞)); an approximation widens by the metric's
tolerance; a share of a count metric is multiplied out against its base.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import polars as pl

from figcheck.models import ReferenceRow
from figcheck.records import FigureSet
from figcheck.pack import Config

LOWER = ["more_than", "over", "at_least"]
UPPER = ["nearly", "up_to", "fewer_than"]
EPSILON = 1e-9
BATCH = 2000  # findings built at a time: their figures are taken from the frame together


RULE_COLUMNS = ["doc", "metric", "as_of", "value", "unit", "qualifier", "low", "high", "precision", "base_value",
                "claimant"]


def figures_frame(figures: FigureSet) -> pl.DataFrame:
    """The columns the rules need, one row per figure; `idx` points back into the set."""
    return figures.frame.select(RULE_COLUMNS).with_row_index("idx").with_columns(pl.col("idx").cast(pl.Int64))


def metrics_frame(config: Config) -> pl.DataFrame:
    ms = list(config.metrics.values())
    return pl.DataFrame({
        "metric": [m.id for m in ms],
        "metric_unit": [m.spec.unit for m in ms],
        "cumulative": [m.spec.cumulative for m in ms],
        "tolerance": [m.tolerance for m in ms],
        "window_days": [0 if m.spec.cumulative else m.window_days for m in ms],
        "max_age_days": [m.max_age_days for m in ms],
    }, schema={"metric": pl.String, "metric_unit": pl.String, "cumulative": pl.Boolean, "tolerance": pl.Float64,
               "window_days": pl.Int64, "max_age_days": pl.Int64})


def _base_step(value: pl.Expr) -> pl.Expr:
    """The rounding step of a base figure known only by its value, taken as two significant digits."""
    magnitude = (value.abs().log10().floor() - 1).clip(lower_bound=0)
    return pl.lit(10.0).pow(magnitude)


def with_intervals(figures: pl.DataFrame, config: Config, tolerance_scale: float = 1.0) -> pl.DataFrame:
    """Add lo/hi (the values the figure allows) and the metric's settings; drop what cannot be placed."""
    df = figures.join(metrics_frame(config), on="metric", how="inner")
    v, half, tol = pl.col("value"), pl.col("precision") / 2, pl.col("tolerance") * tolerance_scale
    q = pl.col("qualifier")
    lo = (pl.when(q == "between").then(pl.col("low") - half)
          .when(q.is_in(LOWER)).then(v)
          .when(q == "approx").then(v * (1 - tol) - half)
          .when(q == "nearly").then(v * (1 - tol))
          .when(q.is_in(UPPER)).then(0.0)
          .otherwise(v - half))
    hi = (pl.when(q == "between").then(pl.col("high") + half)
          .when(q.is_in(LOWER)).then(math.inf)
          .when(q == "approx").then(v * (1 + tol) + half)
          .when(q.is_in(UPPER)).then(v)
          .otherwise(v + half - pl.col("precision") * EPSILON))
    df = df.with_columns(lo=lo, hi=hi)
    # A share of a count metric ("three-quarters of Gaza's 2.3 million") becomes a count.
    base = pl.col("base_value")
    base_half = _base_step(base) / 2
    is_share_of_count = (pl.col("unit") == "share") & (pl.col("metric_unit") == "count")
    df = df.filter(~is_share_of_count | base.is_not_null()).with_columns(
        lo=pl.when(is_share_of_count).then(pl.col("lo") * (base - base_half)).otherwise(pl.col("lo")),
        hi=pl.when(is_share_of_count).then(pl.col("hi") * (base + base_half)).otherwise(pl.col("hi")),
        unit=pl.when(is_share_of_count).then(pl.lit("count")).otherwise(pl.col("unit")),
    )
    return df.filter(pl.col("as_of").is_not_null())


@dataclass
class Context:
    """What every rule sees: the figures, their frame, the references and the configuration."""

    figures: FigureSet
    frame: pl.DataFrame
    config: Config
    references: list[ReferenceRow] = field(default_factory=list)
    # With `check`, only findings about these articles are wanted; None means all.
    subjects: frozenset[str] | None = None

    _memo: dict = field(default_factory=dict)

    def memo(self, key: str, compute):
        """A frame one rule computes and another reuses (outdated's stale figures, for conflict)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def wanted(self, docs: pl.Expr) -> pl.Expr:
        if self.subjects is not None:
            return docs.is_in(list(self.subjects))
        return docs.is_null() | docs.is_not_null()  # all true, one per row (a literal won't sort)

    @classmethod
    def build(cls, figures: FigureSet, config: Config, references: list[ReferenceRow] | None = None,
              tolerance_scale: float = 1.0, subjects: frozenset[str] | None = None) -> "Context":
        frame = with_intervals(figures_frame(figures), config, tolerance_scale)
        return cls(figures, frame, config, references or [], subjects)

    def reference_frame(self) -> pl.DataFrame:
        refs = self.references
        return pl.DataFrame({
            "ref": list(range(len(refs))),
            "metric": [r.metric for r in refs],
            "date": [r.date for r in refs],
            "value": [r.value for r in refs],
        }, schema={"ref": pl.Int64, "metric": pl.String, "date": pl.Date, "value": pl.Float64})
