"""What `index` keeps beside a store's figures so that `check` reads in proportion to the draft
(figcheck/scope.py reads it).

record.parquet holds every figure of an article's metric that may state a revision, and, per
revision epoch of each metric and unit (see checks/series.py), the figures that can be on a
record a rule holds a draft's figure to:
  - per claimant name, and over all figures of the metric: those that set a new highest lower
    bound (the first in the store's order of their date's highest, when it tops every earlier
    date), a new lowest one, and a new highest level (likewise). `outdated` holds a figure to its series' and to every
    figure's highest (the first to pass it, the best at its date, the first of another article to
    pass it) and lowest; `claimant` to each other series' highest. Series group names loosely:
    a figure on a series' record is on the record of its own name too (its name's figures are
    some of the series', so it tops them as it tops the series'; of its date's equals it is the
    series' first in the store's order, so its name's first), so the names' records cover the
    records of any grouping. And a record read among other figures of the series is the same
    record: every figure read is one of the series'.
  - per claimant name, for `trend` (a series' later figure beyond earlier ones, which it lists
    in the store's order, MAX_EVIDENCE at most): those with fewer than MAX_EVIDENCE earlier
    figures of the name at or beyond them (upper bound at or below theirs, for a metric that
    falls; lower bound at or above, for one that grows). A figure a finding lists is one of the
    first MAX_EVIDENCE of its series beyond the draft's figure, so of its name.
  - each revision's two figures and the lowest figure of the article that follows it, so that
    the revisions the rows read give can be checked against the store's (revisions.parquet).
revisions.parquet: the store's revisions, their figures named by ORDER. pending.parquet: per
metric and unit, the highest level a later source must be below to make a revision of a series'
later, lower figure that no source follows yet (as a running maximum by the lower figure's
date). names.parquet: the distinct claimant names of each metric's dated figures.
"""

from __future__ import annotations

import heapq
from pathlib import Path

import polars as pl

from figcheck.checks import series
from figcheck.checks.frame import figures_frame, rule_frame, with_intervals
from figcheck.checks.pairs import MAX_EVIDENCE
from figcheck.pack import Config
from figcheck.records import SCHEMA, FigureSet
from figcheck.store import canonical
from figcheck.store_writer import Writer

KEPT = "revisions and records per epoch and claimant name, 3"  # what record.parquet holds (Writer's record_kind)
NAMES, REVISIONS, PENDING = "names.parquet", "revisions.parquet", "pending.parquet"
KEY = ["as_of", "path", "char_start", "char_end"]  # a figure of a known metric, as ORDER names it
REVISION_KEYS = {"rev": "rev_idx", "old": "old_idx", "follower": "follower_idx"}


def writer(path: Path, config: Config, **options) -> Writer:
    """A store writer that keeps what `check` reads (see the module docstring)."""
    return Writer(path, record=lambda frame: kept_rows(frame, config), record_kind=KEPT,
                  summary=lambda read, metrics: summary(read, metrics, config), **options)


def kept_rows(frame: pl.DataFrame, config: Config) -> pl.DataFrame:
    """Every figure of an article's metric where a figure is quoted as earlier or a sentence has a
    revision cue: the stated revisions lie within them (kept as figures arrive)."""
    figures = FigureSet(canonical(frame))
    rows = series.mark_superseded(with_intervals(figures_frame(figures), config), config.settings("revised").cues)
    revising = revision_cued(rows, config).select("doc", "metric").unique()
    return figures.frame[rows.join(revising, on=["doc", "metric"])["idx"].unique().sort().to_list()]


def revision_cued(rows: pl.DataFrame, config: Config) -> pl.DataFrame:
    cues = config.settings("revised").cues
    cued = pl.col("previous")
    if cues:
        cued = cued | pl.col("sentence").str.contains("(?i)(?:" + "|".join(f"(?:{c})" for c in cues) + ")")
    return rows.filter(cued)


def summary(read, metrics: list[str], config: Config) -> tuple[pl.DataFrame, dict[str, pl.DataFrame]]:
    """At commit, over each whole metric (`read(metric, columns)`, in canonical order): the rows to
    add to record.parquet, and the other files to write."""
    named = pl.col("claimant").is_not_null() & pl.col("as_of").is_not_null()
    names = pl.concat([read(m, ["metric", "claimant"], named).unique() for m in metrics]
                      or [pl.DataFrame(schema={"metric": pl.String, "claimant": pl.String})]).sort("metric", "claimant")
    claimants = claimant_list(names, config)
    rows, revisions, pending = [], [], []
    for metric in (m for m in metrics if m in config.metrics):
        figures = FigureSet(read(metric))
        frame = rule_frame(figures, config, claimants)
        revs = series.revisions(frame)
        current = series.with_epochs(frame.filter(~pl.col("previous")).drop("sentence"), revs)
        revs = with_followers(revs, current)
        keep = pl.concat([records(current, config), *(revs[c] for c in REVISION_KEYS.values())])
        rows.append(figures.frame[keep.drop_nulls().unique().sort().to_list()])
        keys = _keys(figures.frame)
        for prefix, column in REVISION_KEYS.items():
            revs = revs.join(keys.rename({c: f"{prefix}_{c}" for c in KEY} | {"idx": column}), on=column, how="left")
        revisions.append(revs.drop(*REVISION_KEYS.values()))
        pending.append(series.unfollowed(frame))
    files = {NAMES: names, REVISIONS: pl.concat(revisions) if revisions else pl.DataFrame(schema=REVISIONS_SCHEMA),
             PENDING: pl.concat(pending) if pending else pl.DataFrame(schema=series.PENDING_SCHEMA)}
    return (pl.concat(rows) if rows else pl.DataFrame(schema=SCHEMA)), files


def claimant_list(names: pl.DataFrame, config: Config) -> list[str]:
    """The names series are drawn from, of the (metric, claimant) pairs of dated figures (as
    records._claimant_names gives them)."""
    known = names.filter(pl.col("metric").is_in(list(config.metrics))).select(pl.col("claimant").str.strip_chars())
    return sorted(n for n in known["claimant"].unique().to_list() if n)


def with_followers(revs: pl.DataFrame, current: pl.DataFrame) -> pl.DataFrame:
    """Each revision with follower_idx: the lowest figure (by level) dated on or after it of the
    lowest article, other than the revision's two, with figures of its metric and unit dated so."""
    grows = current.filter(pl.col("direction") == "grows")
    if revs.is_empty():
        return revs.with_columns(follower_idx=pl.lit(None, pl.Int64))
    figure = grows.select("idx", "doc", "unit")
    pairs = (revs.join(figure.select(rev_idx="idx", unit="unit"), on="rev_idx")
             .join(figure.select(old_idx="idx", old_doc="doc"), on="old_idx"))
    # The three lowest articles from each date on (as series._followed takes them): the first of
    # them that is neither of the revision's two is the follower.
    lowest = series._lowest_after(grows)
    joined = (pairs.sort("rev_date").join_asof(lowest.sort("from"), left_on="rev_date", right_on="from",
                                               by=["metric", "unit"], strategy="forward", check_sortedness=False))
    other = [(pl.col(f"doc{k}") != pl.col("rev_doc")) & (pl.col(f"doc{k}") != pl.col("old_doc")) for k in (1, 2, 3)]
    follower = pl.when(other[0]).then(pl.col("doc1")).when(other[1]).then(pl.col("doc2")).when(other[2]).then(pl.col("doc3"))
    chosen = joined.select("rev_idx", "metric", "unit", "rev_date", doc=follower).drop_nulls("doc")
    rows = (chosen.join(grows.select("idx", "doc", "metric", "unit", "as_of", "level"), on=["doc", "metric", "unit"])
            .filter(pl.col("as_of") >= pl.col("rev_date"))
            .sort("level", "idx").group_by("rev_idx", maintain_order=True).agg(follower_idx=pl.col("idx").first()))
    return revs.join(rows, on="rev_idx", how="left", maintain_order="left")


def records(current: pl.DataFrame, config: Config) -> pl.Series:
    """idx of the figures on a record (see the module docstring)."""
    unit = ["metric", "unit", "epoch"]
    named = current.filter(pl.col("claimant").is_not_null()).with_columns(name=pl.col("claimant").str.strip_chars())
    found = [_extremes(current, unit), _extremes(named, [*unit, "name"])]
    moves = ["falls"] if config.rule_enabled("outdated") else ["falls", "grows"]
    trending = named.filter(pl.col("direction").is_in(moves))
    if not trending.is_empty():
        found.append(_first_beyond(trending, [*unit, "name"]))
    return pl.concat(found)


def _extremes(rows: pl.DataFrame, keys: list[str]) -> pl.Series:
    """Per key, the first figure (in the store's order) of each date whose highest lower bound tops
    every earlier date's, of each date whose lowest lower bound is below every earlier date's, and
    of each date whose highest level tops every earlier date's (see scope._may_be_followed)."""
    if rows.is_empty():
        return pl.Series("idx", [], dtype=pl.Int64)
    days = (rows.group_by(*keys, "as_of").agg(top=pl.col("lo").max(), bottom=pl.col("lo").min(),
                                              level_top=pl.col("level").max()).sort(*keys, "as_of"))
    days = days.with_columns(
        above=pl.col("top").cum_max().shift(1).over(keys).fill_null(float("-inf")),
        below=pl.col("bottom").cum_min().shift(1).over(keys).fill_null(float("inf")),
        level_above=pl.col("level_top").cum_max().shift(1).over(keys).fill_null(float("-inf")))
    day = rows.join(days, on=[*keys, "as_of"], nulls_equal=True)
    high = day.filter((pl.col("lo") == pl.col("top")) & (pl.col("lo") > pl.col("above")))
    low = day.filter((pl.col("lo") == pl.col("bottom")) & (pl.col("lo") < pl.col("below")))
    level = day.filter((pl.col("level") == pl.col("level_top")) & (pl.col("level") > pl.col("level_above")))
    return pl.concat([part.group_by(*keys, "as_of").agg(pl.col("idx").min())["idx"] for part in (high, low, level)])


def _first_beyond(rows: pl.DataFrame, keys: list[str]) -> pl.Series:
    """The figures with fewer than MAX_EVIDENCE earlier figures of their key (in the store's order)
    at or beyond them: upper bound at or below theirs where the metric falls, lower bound at or
    above where it grows. A running heap of the MAX_EVIDENCE most extreme bounds, one pass over the
    figures (not over pairs)."""
    ordered = rows.sort(*keys, "idx", nulls_last=True)
    bound = pl.when(pl.col("direction") == "falls").then(pl.col("hi")).otherwise(-pl.col("lo"))
    ordered = ordered.with_columns(bound=bound, group=pl.struct(keys).rank("dense"))
    kept, heap, last = [], [], None  # heap: the negated MAX_EVIDENCE lowest bounds seen
    for idx, value, group in ordered.select("idx", "bound", "group").iter_rows():
        if group != last:
            heap, last = [], group
        if len(heap) < MAX_EVIDENCE or value < -heap[0]:
            kept.append(idx)
        if len(heap) < MAX_EVIDENCE:
            heapq.heappush(heap, -value)
        elif value < -heap[0]:
            heapq.heapreplace(heap, -value)
    return pl.Series("idx", kept, dtype=pl.Int64)


def revision_keys(revs: pl.DataFrame, figures: pl.DataFrame) -> pl.DataFrame:
    """Revisions as revisions.parquet names them (their figures by KEY); idx are rows of `figures`."""
    keys = _keys(figures)
    for prefix, column in (("rev", "rev_idx"), ("old", "old_idx")):
        revs = revs.join(keys.rename({c: f"{prefix}_{c}" for c in KEY} | {"idx": column}), on=column, how="left")
    return revs.select(COMPARED)


def _keys(figures: pl.DataFrame) -> pl.DataFrame:
    return figures.select(KEY).with_row_index("idx").with_columns(pl.col("idx").cast(pl.Int64))


REVISIONS_SCHEMA = {**{c: t for c, t in series.REVISION_SCHEMA.items() if not c.endswith("_idx")},
                    **{f"{p}_{c}": SCHEMA[c] for p in REVISION_KEYS for c in KEY}}
COMPARED = ["metric", "rev_date", "rev_doc", "old_value", "new_hi", *(f"{p}_{c}" for p in ("rev", "old") for c in KEY)]
