"""Reading a store in proportion to the question: for `check`, the archive rows the rules need
to judge a draft's figures; for `scan`, one metric group at a time (StoredFigures).

Every rule looks within one metric group (see findings.iter_findings): a metric, with the
metrics a relation of the pack or a share's base ties to it. For each metric group the draft
has figures in, `check` reads, of each metric:
  - the figures near the draft's dates: within twice the span `conflict` and `claimant`
    compare (a claim and the support of the claims it meets), and a day more for `implausible`;
  - of the metrics the draft has figures of, what `index` kept (figcheck/kept.py) up to the
    draft's last date there: the figures on each record a rule holds a figure to, per revision
    epoch, claimant name and metric, the figures of each revision and of the article that
    follows it, and every figure of the articles that may state a revision.
Those records restart at each downward revision (see checks/series.py), and a revision shown by a
series needs its whole history to be found: `index` kept the store's revisions. The findings
about a figure dated D depend on no revision dated after D (each rule holds a figure to the
figures of its own epoch dated up to D), so the rows read serve when the revisions up to the
draft's last date are the store's, as in the whole archive with the draft:
  - the draft's claimant names group the store's names as the store's own did (series);
  - the draft states no revision of the metric; no figure of it would follow a series' later,
    lower figure that no source follows yet (pending.parquet); and where a named figure of it is
    below an earlier one of its series, or above a later one up to its last date (a pair a
    revision may take), no figure of another article from the lower one's date on is nearer the
    lower one (_may_be_followed);
  - and the rows read with the draft give the store's revisions up to that date.
A metric where any of these fails is read whole, and so is a metric of at most WHOLE_ROWS
figures: working out which of its rows are enough would cost more than reading them all. Where
an article of the draft is in the store with a figure index kept, the archive (the store without
the draft's articles) has records of its own: the metric is read up to the draft's last date, or
whole when it had a revision by then.
`arithmetic` and `internal` look within the draft's own articles. Read in the store's canonical
order, these rows give the rules the same findings as the whole archive would: tests/test_scale.py
and tests/test_scale_named.py compare the two. A store indexed with other metric packs, or before
record.parquet kept these rows, is read by whole metric groups.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from figcheck.checks import series
from figcheck.checks.frame import STATIC_DAYS, UPPER, revised_frame, rule_frame
from figcheck.checks.pairs import NEARBY_DAYS
from figcheck.kept import COMPARED, KEPT, NAMES, PENDING, REVISIONS, claimant_list, revision_cued, revision_keys
from figcheck.pack import Config
from figcheck.records import FigureSet
from figcheck.store import ORDER, Generation, canonical, rules_fingerprint


def _reach_days(config: Config, metric: str) -> int:
    """How far from a draft's date a figure of the metric can bear on the findings about it."""
    spec = config.metrics[metric]
    span = {"grows": NEARBY_DAYS, "falls": 0}.get(spec.spec.moves,
                                                  STATIC_DAYS if spec.spec.comparison else spec.window_days)
    return 2 * span + 1


def archive_for(draft: FigureSet, generation: Generation, config: Config,
                claimants: list[str] | None = None) -> pl.DataFrame | None:
    """The rows of a store the rules need to judge the draft's figures, in canonical order; None
    when they cannot be chosen (a store indexed with other packs). claimants: the names of the
    draft and the whole store (see claimant_names; read when not given)."""
    if generation.rules != rules_fingerprint(config.files):
        return None
    from figcheck.findings import metric_groups

    present = set(generation.metrics) | draft.metrics()
    links = draft.share_links() + StoredFigures(generation).share_links()
    wanted = draft.metrics()
    groups = [group for group in metric_groups(config, present, links) if wanted & set(group)]
    metrics = sorted(m for group in groups for m in group if m in config.metrics)
    others = ~pl.col("doc").is_in(list(draft.docs()))
    if generation.record_kind == KEPT and claimants is None:
        claimants = claimant_names(draft, generation, config)
    small = {metric for metric in metrics if generation.count(metric) <= WHOLE_ROWS}
    if generation.record_kind != KEPT or small == set(metrics) or _regrouped(generation.kept(NAMES), claimants, config):
        return _whole(generation, [m for group in groups for m in group], others)
    metrics = [metric for metric in metrics if metric not in small]
    # The archive is the store without the draft's articles: where they hold none of the figures
    # index kept, its records are the store's (see figcheck/kept.py); where they do, the metric
    # is read up to the draft's last date, as long as it had no revision by then (without them a
    # revision only loses figures and followers: there is none to find).
    mixed = set(generation.record(metrics, where=~others)["metric"].to_list())
    dated = draft.frame.filter(pl.col("as_of").is_not_null())
    near = []
    for group in groups:
        dates = dated.filter(pl.col("metric").is_in(group))["as_of"].unique().to_list()
        for metric in (m for m in group if m in config.metrics):
            days = dt.timedelta(days=_reach_days(config, metric))
            near += [(pl.col("metric") == metric) & pl.col("as_of").is_between(d - days, d + days) for d in dates]
    chosen = [generation.scan(metrics, where=pl.any_horizontal(near) & others)] if near else []
    mine = rule_frame(draft, config, claimants)
    lasts = mine.group_by("metric").agg(pl.col("as_of").max())
    revisions, pending = generation.kept(REVISIONS), generation.kept(PENDING)
    lasts = dict(lasts.filter(pl.col("metric").is_in(metrics)).iter_rows())
    revised = set(revisions.join(lasts_frame(lasts), on="metric").filter(pl.col("rev_date") <= pl.col("last"))["metric"])
    whole = mixed & revised
    chosen += [generation.scan([metric], where=(pl.col("as_of") <= last) & others) if metric in mixed
               else _kept_up_to(generation, metric, last, revisions).filter(others)
               for metric, last in sorted(lasts.items()) if metric not in whole]
    chosen = canonical(pl.concat(chosen).unique(ORDER, maintain_order=True)) if chosen else FigureSet.of([]).frame
    found = _Found(draft, chosen, config, claimants)
    whole |= {metric for metric, last in lasts.items() if metric not in whole and config.metrics[metric].spec.moves == "grows"
              and not _same_revisions(metric, last, mine.filter(pl.col("metric") == metric), found,
                                     chosen.filter(pl.col("metric") == metric), revisions, pending, config, claimants,
                                     generation)}
    whole |= small
    if whole:
        chosen = pl.concat([chosen.filter(~pl.col("metric").is_in(sorted(whole))),
                            generation.scan(sorted(whole), where=others)])
    return canonical(chosen) if chosen.height else FigureSet.of([]).frame


# A metric of up to this many figures is read whole: reading it costs less than working out which
# of its rows are enough (some 50 ms a metric, whatever its size).
WHOLE_ROWS = 1_000


def lasts_frame(lasts: dict) -> pl.DataFrame:
    return pl.DataFrame({"metric": list(lasts), "last": list(lasts.values())}, schema={"metric": pl.String, "last": pl.Date})


def _whole(generation: Generation, metrics: list[str], others: pl.Expr) -> pl.DataFrame:
    chosen = generation.scan(metrics, where=others)
    return canonical(chosen) if chosen.height else FigureSet.of([]).frame


def _in_store(draft: FigureSet, generation: Generation) -> pl.DataFrame:
    """The store's figures of the draft's articles (the archive is the store without them):
    their metric, date and claimant."""
    return generation.scan(generation.metrics, columns=["metric", "as_of", "claimant"],
                           where=pl.col("doc").is_in(list(draft.docs())))


def _regrouped(names: pl.DataFrame, claimants: list[str], config: Config) -> bool:
    """Whether the draft's claimant names group the store's names into other series than the
    store's own names did (index found the store's revisions with those)."""
    stored = claimant_list(names, config)
    if set(stored) == set(claimants):
        return False
    frame = pl.DataFrame({"claimant": stored}, schema={"claimant": pl.String})
    paired = series.with_series(frame, stored, config.same_place_words).rename({"series": "own"}).join(
        series.with_series(frame, claimants, config.same_place_words), on="claimant")
    if (paired["own"].is_null() != paired["series"].is_null()).any():
        return True
    paired = paired.drop_nulls()
    return not (paired["own"].n_unique() == paired["series"].n_unique() == paired.select("own", "series").n_unique())


def _kept_up_to(generation: Generation, metric: str, last: dt.date, revisions: pl.DataFrame) -> pl.DataFrame:
    """The record index kept of the metric up to `last`, with the followers of its revisions."""
    followers = revisions.filter((pl.col("metric") == metric) & (pl.col("rev_date") <= last)
                                 & (pl.col("follower_as_of") > last)).select(
        as_of="follower_as_of", path="follower_path", char_start="follower_char_start", char_end="follower_char_end")
    where = pl.col("as_of") <= last
    if followers.height:
        where = where | (pl.col("as_of").is_in(followers["as_of"].unique().implode())
                         & pl.col("path").is_in(followers["path"].unique().implode()))
    kept = generation.record([metric], where=where)
    later = kept.filter(pl.col("as_of") > last).join(followers, on=["as_of", "path", "char_start", "char_end"], how="semi")
    return pl.concat([kept.filter(pl.col("as_of") <= last), later])


class _Found:
    """The revisions the draft and the rows read give (as revisions.parquet names them), found
    once for every metric when first asked: each metric's are its figures' alone (every step
    that finds them is keyed on the metric), and the rules' context, built over the same figures
    when no metric is read whole after all, starts from the same frame (frame.reusing)."""

    def __init__(self, draft: FigureSet, chosen: pl.DataFrame, config: Config, claimants: list[str]):
        self.draft, self.chosen, self.config, self.claimants = draft, chosen, config, claimants
        self._built: tuple[pl.DataFrame, pl.DataFrame] | None = None

    def _build(self) -> tuple[pl.DataFrame, pl.DataFrame]:
        if self._built is None:
            both = FigureSet.concat([self.draft, FigureSet(self.chosen)])
            frame, found = revised_frame(both, self.config, self.claimants)
            self._built = frame, revision_keys(found, both.frame)
        return self._built

    def revisions(self, metric: str, last: dt.date) -> pl.DataFrame:
        return self._build()[1].filter((pl.col("metric") == metric) & (pl.col("rev_date") <= last))

    def read(self, metric: str) -> pl.DataFrame:
        """The rules' frame of the metric's rows read (rule_frame of them alone: a figure is
        marked superseded by figures of its own article only, and the draft's articles are others)."""
        return self._build()[0].filter((pl.col("metric") == metric) & ~pl.col("doc").is_in(list(self.draft.docs())))


def _same_revisions(metric: str, last: dt.date, mine: pl.DataFrame, found: _Found, kept: pl.DataFrame,
                    revisions: pl.DataFrame, pending: pl.DataFrame, config: Config, claimants: list[str],
                    generation: Generation) -> bool:
    """Whether, up to `last`, the whole archive with the draft has the store's revisions of the
    metric, and the rows read (`kept`, the metric's) with the draft give them too (see the module
    docstring)."""
    current = mine.filter(~pl.col("previous"))
    if not revision_cued(mine, config).is_empty():
        return False
    follows = current.select("unit", date="as_of", level="level").join(
        pending.filter(pl.col("metric") == metric), on="unit").filter(
        (pl.col("as_of") <= pl.col("date")) & (pl.col("mid") > pl.col("level")))
    if follows.height or _may_be_followed(metric, last, current, kept, found, generation, config, claimants):
        return False
    found = found.revisions(metric, last)
    stored = revisions.filter((pl.col("metric") == metric) & (pl.col("rev_date") <= last)).select(COMPARED)
    return found.sort(COMPARED).equals(stored.cast(found.schema).sort(COMPARED))


def _may_be_followed(metric: str, last: dt.date, current: pl.DataFrame, kept: pl.DataFrame, found: _Found,
                     generation: Generation, config: Config, claimants: list[str]) -> bool:
    """Whether a figure of the draft may be one of a series' later, lower figure and an earlier,
    higher one that a later source follows (a revision up to `last`, the draft's): of a pair whose
    lower figure is dated D, a figure of another article dated D or later with a level below the
    middle of the pair's levels (nearer the lower one; series._followed). The draft's figure is the
    lower one below an earlier figure of its series (the highest level of the series before D
    bounds the middle: the rows read hold each name's highest level), or the higher one above a
    figure of its series dated after it, up to `last` (those are read)."""
    named = current.filter(pl.col("series").is_not_null())
    if named.is_empty():
        return False
    spanned = named.filter(pl.col("as_of") < last)
    if spanned.height:  # the series' figures dated after the draft's earliest named one, up to its last
        rows = pl.concat([kept, generation.scan([metric], where=pl.col("as_of").is_between(
            spanned["as_of"].min(), last, closed="right") & pl.col("claimant").is_not_null()
            & ~pl.col("doc").is_in(list(current["doc"].unique())))]).unique(ORDER, maintain_order=True)
        theirs = rule_frame(FigureSet(rows), config, claimants)
    else:  # the rows read (`kept`) alone, whose frame is built already
        theirs = found.read(metric)
    # The pairs as one query (some 16 frame operations a metric as eager steps).
    columns = ["series", "unit", "doc", "as_of", "lo", "hi", "level"]
    both = pl.concat([theirs.lazy().filter(~pl.col("previous")).select(columns), current.lazy().select(columns)])
    named = named.lazy()
    pair = ["series", "unit"]
    # The lower one: the middle is at most half way to the series' highest level before it.
    highest = (named.select(*pair, "doc", b_date="as_of", b_hi="hi", b_level="level").join(both, on=pair)
               .filter(pl.col("as_of") < pl.col("b_date"))
               .group_by(*pair, "doc", "b_date", "b_hi", "b_level")
               .agg(top=pl.col("level").max(), beyond=(pl.col("lo") > pl.col("b_hi")).any())
               .filter("beyond").select("unit", "doc", date="b_date", mid=(pl.col("b_level") + pl.col("top")) / 2))
    higher = (named.select(*pair, "doc", a_date="as_of", a_lo="lo", a_level="level").join(both, on=pair)
              .filter((pl.col("as_of") > pl.col("a_date")) & (pl.col("as_of") <= last) & (pl.col("hi") < pl.col("a_lo")))
              .select("unit", date="as_of", mid=(pl.col("a_level") + pl.col("level")) / 2,
                      doc=pl.col("doc")))
    pairs = pl.concat([highest, higher.select("unit", "doc", "date", "mid")]).collect(engine="in-memory")
    if pairs.is_empty():
        return False
    spec = config.metrics[metric]
    near = [(pl.col("unit") == unit) & (pl.col("as_of") >= date) & _maybe_below(mid, spec)
            for unit, date, mid in pairs.group_by("unit", "date").agg(pl.col("mid").max()).iter_rows()]
    found = generation.scan([metric], where=pl.any_horizontal(near) & ~pl.col("doc").is_in(list(current["doc"].unique())))
    followers = pl.concat([rule_frame(FigureSet(found), config, claimants).filter(~pl.col("previous"))
                           .select("unit", "doc", "as_of", "level"), current.select("unit", "doc", "as_of", "level")])
    # A figure of another article than the draft's figure's own (the pair's other may be any: a
    # follower of its article is counted, which only makes this the more cautious).
    return not (pairs.join(followers.rename({"doc": "f_doc", "as_of": "f_date"}), on="unit")
                .filter((pl.col("f_date") >= pl.col("date")) & (pl.col("level") < pl.col("mid"))
                        & (pl.col("f_doc") != pl.col("doc"))).is_empty())


def _maybe_below(level: float, metric) -> pl.Expr:
    """Figures whose level (see checks/frame.with_intervals) may be below `level`: a count's level
    is at least (1 - tolerance / 2) of its value, but for ranges, upper bounds and shares."""
    loose = (pl.col("unit") != "count") | pl.col("qualifier").is_in(["between", *UPPER])
    if metric.tolerance >= 0.5:
        return pl.lit(True)
    return loose | (pl.col("value") < level / (1 - metric.tolerance) + 1)


def claimant_names(draft: FigureSet, generation: Generation, config: Config) -> list[str]:
    """The claimant names of the draft and the whole store: series are drawn from all of them."""
    from figcheck.records import _claimant_names

    mine = set(draft.claimant_names(config))
    if generation.record_kind == KEPT and set(_claimant_names(_in_store(draft, generation), config)) <= mine:
        return sorted(set(claimant_list(generation.kept(NAMES), config)) | mine)
    stored = (generation.scan(generation.metrics, columns=["doc", "metric", "as_of", "claimant"],
                              where=pl.col("claimant").is_not_null())
              .filter(~pl.col("doc").is_in(list(draft.docs()))).drop("doc"))
    return _claimant_names(pl.concat([draft.frame.select("metric", "as_of", "claimant"), stored]), config)


class StoredFigures(FigureSet):
    """A generation's figures for the rules, read a metric group at a time (see findings.iter_findings):
    only the columns the rules use are held, and the figures a finding cites are read back whole."""

    def __init__(self, generation: Generation, metrics: list[str] | None = None, shown=None):
        self.generation = generation
        self.only = sorted(metrics) if metrics is not None else list(generation.metrics)
        self._keys: pl.DataFrame | None = None
        self.shown = shown or (lambda figures: figures)  # how paths are printed (a store's are absolute)

    @property
    def frame(self) -> pl.DataFrame:
        """The columns the rules use, read when asked (the rules' context asks once): only the keys
        that `take` looks figures up by are kept (for gaza.deaths at 50,000 articles, 6.5 MB of
        the 33.5 MB read)."""
        from figcheck.checks.frame import RULE_COLUMNS

        columns = list(dict.fromkeys([*ORDER, *RULE_COLUMNS]))
        frame = _sorted_by_column(self.generation.scan(self.only, columns=columns))
        self._keys = frame.select(ORDER)
        return frame

    @property
    def keys(self) -> pl.DataFrame:
        """ORDER of each figure, in the row order of `frame` (canonical: ORDER is unique)."""
        if self._keys is None:
            self._keys = canonical(self.generation.scan(self.only, columns=ORDER))
        return self._keys

    def metrics(self) -> set[str]:
        return set(self.only)

    def claimant_names(self, config) -> list[str]:
        from figcheck.records import _claimant_names

        if self.generation.record_kind == KEPT:  # index kept them
            return claimant_list(self.generation.kept(NAMES).filter(pl.col("metric").is_in(self.only)), config)
        named = pl.col("claimant").is_not_null() & pl.col("as_of").is_not_null()  # the only rows it keeps
        names: set[str] = set()
        for metric in self.only:  # a metric at a time: the store's claimants are never read at once
            names.update(_claimant_names(self.generation.scan([metric], columns=["metric", "as_of", "claimant"],
                                                              where=named), config))
        return sorted(names)

    def share_links(self) -> list[tuple[str, str]]:
        from figcheck.records import _share_links

        return _share_links(self.generation.scan(self.only, columns=["metric", "share_of"],
                                                 where=pl.col("share_of").is_not_null()))

    def subset(self, metrics) -> "StoredFigures":
        return StoredFigures(self.generation, [m for m in self.only if m in set(metrics)], self.shown)

    def __len__(self) -> int:
        return self.keys.height

    def take(self, idxs):
        wanted = pl.Series(idxs, dtype=pl.Int64).drop_nulls().unique().sort().to_list()
        if not wanted:
            return {}
        keys = self.keys[wanted].with_columns(idx=pl.Series(wanted, dtype=pl.Int64))
        dated = pl.col("as_of").is_in(keys["as_of"].drop_nulls().unique().implode())
        if keys["as_of"].null_count():
            dated = dated | pl.col("as_of").is_null()
        rows = self.generation.scan(keys["metric"].unique().to_list(),
                                    where=dated & pl.col("path").is_in(keys["path"].unique().implode()))
        rows = keys.join(FigureSet(rows).frame, on=ORDER, how="left", nulls_equal=True).sort("idx")
        return self.shown(FigureSet(rows.drop("idx"))).take_all(rows["idx"].to_list())

    def whole(self) -> FigureSet:
        """Every column of these metrics' figures, in canonical order."""
        return self.shown(FigureSet(canonical(self.generation.scan(self.only))))

    def __iter__(self):
        return iter(self.whole())

    def docs(self) -> set[str]:
        return set(self.generation.scan(self.only, columns=["doc"])["doc"].unique().to_list())


def _sorted_by_column(frame: pl.DataFrame) -> pl.DataFrame:
    """canonical(frame), its columns put in order one at a time, each let go once copied: sorted
    whole, every column was copied at once (at 100,000 articles, 49 MB of gaza.deaths figures
    raised the read's peak by 68 MB). ORDER is unique, so the order is canonical's."""
    order = frame.select(pl.arg_sort_by(ORDER, nulls_last=True)).to_series()
    names, columns = frame.columns, []
    for name in names:
        columns.append(frame.get_column(name).gather(order))
        frame = frame.drop(name)
    return pl.DataFrame(columns)
