"""All figures in one polars frame, each with the interval of values it allows.

An exact figure allows its rounding interval: half its rounding step, but no more than the
metric's `rounding` share of it (2.3 million → [2.25, 2.35) million; 100,000 → [97,000,
103,000], so a round number does not swallow "at least 120,000"). A qualifier gives bounds
("more than 33,500" → [33,500, ∞)); an approximation widens by the metric's tolerance; a
share of a count metric is multiplied out against its base when the sentence gives one.

Figures that speak of the past (`previous`, or the higher figure of a sentence that revises a
count down) are kept apart: no rule treats them as current.
"""

from __future__ import annotations

import contextlib
import contextvars
import heapq
import itertools
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import polars as pl

from figcheck.models import Finding, ReferenceRow
from figcheck.records import FigureSet
from figcheck.pack import Config

LOWER = ["more_than", "over", "at_least"]
UPPER = ["nearly", "up_to", "fewer_than"]
EPSILON = 1e-9
STATIC_DAYS = 36500


RULE_COLUMNS = ["doc", "metric", "as_of", "value", "unit", "share_of", "qualifier", "low", "high", "precision",
                "base_value", "claimant", "char_start", "sentence", "previous", "entry"]


def figures_frame(figures: FigureSet) -> pl.DataFrame:
    """The columns the rules need, one row per figure; `idx` points back into the set."""
    return _figures_lazy(figures).collect(engine="in-memory")


def _figures_lazy(figures: FigureSet) -> pl.LazyFrame:
    return (figures.frame.lazy().select(RULE_COLUMNS).with_row_index("idx")
            .with_columns(pl.col("idx").cast(pl.Int64), pl.col("previous").fill_null(False),
                          pl.col("entry").fill_null("")))


def metrics_frame(config: Config) -> pl.DataFrame:
    ms = list(config.metrics.values())
    return pl.DataFrame({
        "metric": [m.id for m in ms],
        "metric_unit": [m.spec.unit for m in ms],
        "direction": [m.spec.moves for m in ms],
        "cumulative": [m.spec.moves == "grows" for m in ms],
        "tolerance": [m.tolerance for m in ms],
        "rounding": [m.rounding for m in ms],
        # A past event quoted for comparison does not change: its figures are one period.
        "window_days": [STATIC_DAYS if m.spec.comparison else m.window_days for m in ms],
        "max_age_days": [m.max_age_days for m in ms],
    }, schema={"metric": pl.String, "metric_unit": pl.String, "direction": pl.String, "cumulative": pl.Boolean,
               "tolerance": pl.Float64, "rounding": pl.Float64, "window_days": pl.Int64, "max_age_days": pl.Int64})


def _with_settings(figures: pl.LazyFrame, metric: pl.Series, settings: pl.DataFrame) -> pl.LazyFrame:
    """Each figure with its metric's settings (figures of unknown metrics dropped; `metric`: the
    figures' metric column). Of a single metric, the rules' usual frame, they are constant columns
    of one value each: as columns of values they were 7 of the frame's 28, a quarter of what the
    rules hold through a run. The metric is looked up without frame operations (a check builds
    some ten such frames)."""
    only = metric[0] if metric.n_unique() == 1 else None
    if only is None or only not in settings["metric"].to_list():
        return figures.join(settings.lazy(), on="metric", how="inner")
    row = settings.row(settings["metric"].to_list().index(only), named=True)
    return figures.with_columns(pl.lit(only, pl.String).alias("metric"),
                                *(pl.lit(row[c], dtype).alias(c) for c, dtype in settings.schema.items() if c != "metric"))


def _base_step(value: pl.Expr) -> pl.Expr:
    """The rounding step of a base figure known only by its value, taken as two significant digits."""
    magnitude = (value.abs().log10().floor() - 1).clip(lower_bound=0)
    return pl.lit(10.0).pow(magnitude)


def with_intervals(figures: pl.DataFrame, config: Config, tolerance_scale: float = 1.0) -> pl.DataFrame:
    """Add lo/hi (the values the figure allows) and the metric's settings; drop what cannot be placed."""
    return _intervals_lazy(figures.lazy(), figures["metric"], config, tolerance_scale).collect(engine="in-memory")


def _intervals_lazy(figures: pl.LazyFrame, metric: pl.Series, config: Config, tolerance_scale: float) -> pl.LazyFrame:
    """with_intervals as one query (`metric`: the figures' metric column)."""
    df = _with_settings(figures, metric, metrics_frame(config))
    # One trailing zero is as often a count as a rounding ("220 soldiers", "110 dead"): only a
    # figure written to a hundred or more is read as a round number.
    one_zero = (pl.col("unit") == "count") & (pl.col("precision") == 10) & (pl.col("value") % 100 != 0)
    df = df.with_columns(precision=pl.when(one_zero).then(1.0).otherwise(pl.col("precision")))
    # A share is as coarse as it is written: "2 per cent" is anything from 1.5 to 2.5 per cent, and
    # "nearly 2 per cent" of 2.3 million people covers 40,005 of them.
    df = df.with_columns(half=pl.when(pl.col("unit") == "share").then(pl.col("precision") / 2)
                         .otherwise(pl.min_horizontal(pl.col("precision") / 2, pl.col("rounding") * pl.col("value").abs())))
    v, half, tol = pl.col("value"), pl.col("half"), pl.col("tolerance") * tolerance_scale
    q = pl.col("qualifier")
    lo = (pl.when(q == "between").then(pl.col("low") - half)
          .when(q.is_in(LOWER)).then(v)
          .when(q == "approx").then(v * (1 - tol) - half)
          .when(q == "nearly").then(v * (1 - tol) - half)
          .when(q.is_in(UPPER)).then(0.0)
          .otherwise(v - half))
    hi = (pl.when(q == "between").then(pl.col("high") + half)
          .when(q.is_in(LOWER)).then(math.inf)
          .when(q == "approx").then(v * (1 + tol) + half)
          .when(q.is_in(UPPER)).then(v)
          .otherwise(v + half - half * EPSILON))
    df = df.with_columns(lo=lo, hi=hi)
    # A share of a count metric ("three-quarters of Gaza's 2.3 million") becomes a count.
    base = pl.col("base_value")
    base_half = _base_step(base) / 2
    is_share_of_count = (pl.col("unit") == "share") & (pl.col("metric_unit") == "count")
    # Without a base in its sentence it stays a share, compared only with shares (and by arithmetic).
    multiplied = is_share_of_count & base.is_not_null()
    df = df.with_columns(
        lo=pl.when(multiplied).then(pl.col("lo") * (base - base_half)).otherwise(pl.col("lo")),
        hi=pl.when(multiplied).then(pl.col("hi") * (base + base_half)).otherwise(pl.col("hi")),
        unit=pl.when(multiplied).then(pl.lit("count")).otherwise(pl.col("unit")),
    )
    # Where the figure sits, for "which is higher": its interval's middle, or its lower bound.
    df = df.with_columns(level=pl.when(pl.col("hi").is_finite()).then((pl.col("lo") + pl.col("hi")) / 2)
                         .otherwise(pl.col("lo")))
    return df.filter(pl.col("as_of").is_not_null())


@dataclass
class Context:
    """What every rule sees: the figures, their frame, the references and the configuration."""

    figures: FigureSet
    frame: pl.DataFrame  # current figures only
    config: Config
    references: list[ReferenceRow] = field(default_factory=list)
    # With `check`, only findings about these articles are wanted; None means all.
    subjects: frozenset[str] | None = None

    _memo: dict = field(default_factory=dict)
    revisions: pl.DataFrame | None = None  # downward revisions: metric, rev_date, rev_idx, old_idx, old_value

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
              tolerance_scale: float = 1.0, subjects: frozenset[str] | None = None,
              claimants: list[str] | None = None, revisions: bool = True) -> "Context":
        """claimants: the names series are drawn from, when these figures are part of a larger set.
        Without `revisions`, for rules that read neither revisions nor epochs, neither is
        computed (the frame has no `epoch` column)."""
        from figcheck.checks import series

        built = _built(figures, config, claimants, tolerance_scale) if revisions else None
        if built is not None:  # built to choose the rows read from a store (see revised_frame)
            frame, found = built
            ctx = cls(figures, frame.drop("sentence").filter(~pl.col("previous")), config, references or [], subjects)
            ctx.revisions = found
            ctx.frame = series.with_epochs(ctx.frame, found)
            return ctx
        frame = rule_frame(figures, config, claimants, tolerance_scale)
        # The sentences (the largest column) serve only to find the revisions a sentence states:
        # the rules' frames go without, and are never copied with them.
        stated = series.stated_revisions(frame) if revisions else None
        ctx = cls(figures, frame.drop("sentence").filter(~pl.col("previous")), config, references or [], subjects)
        del frame  # the series' revisions are found over the current figures alone, without the sentences
        if not revisions:
            ctx.frame = ctx.frame.sort("idx")  # the order with_epochs leaves
            return ctx
        ctx.revisions = series.shown_revisions(stated, ctx.frame)
        ctx.frame = series.with_epochs(ctx.frame, ctx.revisions)
        return ctx

    def reference_frame(self) -> pl.DataFrame:
        refs = self.references
        return pl.DataFrame({
            "ref": list(range(len(refs))),
            "metric": [r.metric for r in refs],
            "date": [r.date for r in refs],
            "value": [r.value for r in refs],
        }, schema={"ref": pl.Int64, "metric": pl.String, "date": pl.Date, "value": pl.Float64})


# While a check runs (see reusing): rule frames built over some figures, with their revisions
# (per thread and task, so checks run side by side in one process keep theirs apart).
_BUILT: contextvars.ContextVar[list[tuple[tuple, pl.DataFrame, tuple[pl.DataFrame, pl.DataFrame]]] | None] = \
    contextvars.ContextVar("figcheck_built_frames", default=None)


@contextlib.contextmanager
def reusing() -> Iterator[None]:
    """Within: the rules' context over figures that revised_frame was built over (the same rule
    columns, claimant names and settings) starts from that frame and its revisions. `check` builds
    them over the draft and the rows it reads, to prove those rows enough (figcheck/scope.py),
    and the rules then judge the same figures: built twice, they were a fifth of a check's frame
    operations. Outside, nothing is kept (scan's frames are large)."""
    token = _BUILT.set([])
    try:
        yield
    finally:
        _BUILT.reset(token)


def revised_frame(figures: FigureSet, config: Config, claimants: list[str] | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """rule_frame and its revisions (series.revisions), kept for Context.build while reusing."""
    from figcheck.checks import series

    frame = rule_frame(figures, config, claimants)
    found = series.revisions(frame)
    built = _BUILT.get()
    if built is not None:
        built.append((_built_key(config, claimants, 1.0), figures.frame.select(RULE_COLUMNS), (frame, found)))
    return frame, found


def _built_key(config: Config, claimants: list[str] | None, tolerance_scale: float) -> tuple:
    return id(config), None if claimants is None else tuple(claimants), tolerance_scale


def _built(figures: FigureSet, config: Config, claimants: list[str] | None,
           tolerance_scale: float) -> tuple[pl.DataFrame, pl.DataFrame] | None:
    """What revised_frame built over the same figures (compared by the columns the rules read)."""
    kept = _BUILT.get()
    if not kept:
        return None
    key = _built_key(config, claimants, tolerance_scale)
    candidates = [(columns, built) for k, columns, built in kept if k == key and columns.height == len(figures)]
    if not candidates:
        return None
    mine = figures.frame.select(RULE_COLUMNS)
    return next((built for columns, built in candidates if columns.equals(mine)), None)


def cited() -> pl.Expr:
    """The value a figure vouches for at most: its upper bound, or its value when it has none."""
    return pl.when(pl.col("hi").is_finite()).then(pl.col("hi")).otherwise(pl.col("value"))


def rounding_limit() -> pl.Expr:
    """The highest value the figure could stand for as written: a lower bound ("more than 2,000")
    is still a fair rounding of anything below its next step (2,999); other figures their upper bound."""
    return (pl.when(pl.col("qualifier").is_in(LOWER)).then(pl.col("value") + pl.col("precision"))
            .otherwise(pl.col("hi")))


FINDING_BATCH = 2_000  # rows a rule turns into findings at once: their figures are read a batch at a time
# Figures a batch reads at most (a row alone may read more): a row can cite a hundred figures, and
# 2,000 rows held 25,000 Figure records (some 80 MB) at 20,000 articles, more as the corpus grows.
FIGURE_BATCH = 10_000


def doc_batches(rows: pl.DataFrame, doc: str = "doc", figures: pl.Expr | None = None) -> Iterator[pl.DataFrame]:
    """Rows sorted by `doc` (stably), in consecutive pieces of FINDING_BATCH rows and, when
    `figures` says how many figures a row reads, of about FIGURE_BATCH figures: a rule builds
    the findings of one piece (and reads its figures), yields them and goes on, so its findings
    stream in the order of their subjects' articles (findings.iter_findings sorts them an
    article at a time)."""
    rows = rows.sort(doc, maintain_order=True)
    weight = pl.lit(0) if figures is None else figures
    piece = pl.max_horizontal(pl.int_range(pl.len()) // FINDING_BATCH, (weight.cum_sum() - weight) // FIGURE_BATCH)
    yield from runs(rows, rows.select(piece).to_series())


def runs(frame: pl.DataFrame, piece: pl.Series) -> Iterator[pl.DataFrame]:
    """The slices of `frame` where `piece` (never falling) stays the same, in order. Slices share
    the frame's memory: split by partition_by, a group's every piece was copied at once."""
    if frame.is_empty():
        return
    lengths = piece.rle()
    start = 0
    for length in lengths.struct.field("len").to_list():
        yield frame.slice(start, length)
        start += length


class Streams:
    """A rule's findings as streams, each in the order of their subjects' articles: iterated, one
    stream after the other (the order the rule gives them in); `merged()`, all in article order."""

    def __init__(self, *streams: Iterable[Finding]):
        self.streams = streams

    def __iter__(self) -> Iterator[Finding]:
        return itertools.chain(*self.streams)

    def merged(self) -> Iterator[Finding]:
        return heapq.merge(*self.streams, key=lambda finding: finding.figures[0].doc)


def rule_frame(figures: FigureSet, config: Config, claimants: list[str] | None = None,
               tolerance_scale: float = 1.0) -> pl.DataFrame:
    """The figures as the rules see them: intervals, superseded figures marked, claimant series
    (drawn from `claimants`, the names of a larger set, when given)."""
    from figcheck.checks import series

    # One query: its steps were some 25 frame operations, and a check builds about ten such frames.
    # Collected by the in-memory engine, as eager operations are: left to choose ("auto"), polars
    # spent some 0.1 ms more a query on these small frames.
    frame = _intervals_lazy(_figures_lazy(figures), figures.frame["metric"], config, tolerance_scale)
    frame = series.mark_superseded(frame, config.settings("revised").cues)
    if claimants is None:  # the names are the frame's own: read them first
        return series.with_series(frame.collect(engine="in-memory"), None, config.same_place_words)
    return series.with_series(frame, claimants, config.same_place_words).collect(engine="in-memory")
