"""Support and clashes of claims (see pairs.py) without the full join of claims close in time.

`pairs.pairs` joins each claim with every claim of its metric within reach, which grows with the
square of a period's claims (3.4 GB for one metric of 11,000 figures). Here support is counted
with sorted lookups instead: at each date within reach, the articles of claims whose interval
lies wholly above a claim's (their lower bound past its upper one) or wholly below are found by
`join_asof` over cumulative sums, and compatible ones are the rest. Articles are not counted
against themselves: for a claim of one article, the same lookups among its article's own claims
are taken off. Only the clashes (incompatible claims of one period) that a rule keeps are joined
pair by pair, a piece of claims at a time, and no more of them per claim than findings show.
Memory then grows with the claims, not with their pairs.
"""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl

from figcheck.checks.frame import Context, runs
from figcheck.checks.pairs import MAX_EVIDENCE, _claims, pairs, span

# Claim-date rows or claim pairs handled at once: memory stays bounded. A piece of pairs held
# some 30 columns, about 0.6 KB a row with polars' working copies (500,000 rows took 300 MB); over
# gaza.deaths at 20,000 articles pieces of 50,000 rows raised conflict's peak by 34 MB, of 20,000
# by 7 MB, for 4 % more CPU. Their findings are the same (tests/test_rule_order.py).
ROWS = 20_000
# Up to this many claims of a metric group, all their pairs are fewer than 50,000 and one join of
# them (pairs.pairs) is faster than the lookups: `check` meets mostly such groups.
FEW_CLAIMS = 220
OWN_ROWS = 20_000  # claims of one article each whose lookups among their article's claims are made at once
PARTNERS = 4 * MAX_EVIDENCE  # figure_pairs keeps at most this many partner figures per claim


# The few steps of each lookup below are one query each, collected by the in-memory engine (as
# eager steps are): on a check's small frames a step cost about as much as what it computed.
ENGINE = "in-memory"


def _numbered_dates(claim: pl.DataFrame | pl.LazyFrame, key: list[str]) -> pl.DataFrame:
    """The dates of each key group that have claims, numbered `j` in order: a reach is a run of them."""
    return (claim.lazy().group_by([*key, "as_of"]).agg(n=pl.col("n_docs").sum(), count=pl.len())
            .sort([*key, "as_of"]).with_row_index("j").with_columns(pl.col("j").cast(pl.Int64)).collect(engine=ENGINE))


def _windows(claim: pl.DataFrame, dates: pl.DataFrame, key: list[str], days: pl.Expr) -> pl.DataFrame:
    """Each claim with `first` and `last`, the numbers of the first and last dates within `days` of it."""
    return _windows_query(claim, dates, key, days).collect(engine=ENGINE)


def _windows_query(claim: pl.DataFrame | pl.LazyFrame, dates: pl.DataFrame | pl.LazyFrame, key: list[str],
                   days: pl.Expr) -> pl.LazyFrame:
    d = dates.lazy().select(*key, "j", date="as_of")
    w = claim.lazy().with_columns(start=pl.col("as_of") - pl.duration(days=days),
                                  end=pl.col("as_of") + pl.duration(days=days))
    w = (w.sort("start").join_asof(d.rename({"j": "first"}).sort("date"), left_on="start", right_on="date", by=key,
                                   strategy="forward", check_sortedness=False).drop("date", "start")
         .sort("end").join_asof(d.rename({"j": "last"}).sort("date"), left_on="end", right_on="date", by=key,
                                strategy="backward", check_sortedness=False).drop("date", "end"))
    return w


def _pieces(frame: pl.DataFrame, size: pl.Expr) -> Iterator[pl.DataFrame]:
    """Consecutive slices of frame whose sizes add up to about ROWS (a larger row alone)."""
    ends = frame.select(size.cum_sum()).to_series()
    yield from runs(frame, (ends - frame.select(size).to_series()) // ROWS)


def _sums(a: pl.DataFrame, b: pl.DataFrame, key: list[str]) -> pl.DataFrame:
    """For each claim of `a`, the articles of the claims of `b` in its key group within reach:
    compatible ones in its period (`same`) and on nearby days (`near`, less those whose earlier
    higher or later lower figure a growing count contradicts; none for a growing count's upper bound). `a` itself is counted when in b."""
    dates = _numbered_dates(b, key)
    above, below = _bounds(b, dates, key)
    windows = _windows(a.select("claim", *key, "as_of", "lo", "hi", "direction", "window_days"), dates, key, span())
    out = []
    for piece in _pieces(windows, (pl.col("last") - pl.col("first") + 1).fill_null(0)):
        # A row per claim and date within reach: only what the sums read (the piece's largest frames).
        rows = (piece.lazy().filter(pl.col("first").is_not_null() & pl.col("last").is_not_null())
                .select("claim", "as_of", "lo", "hi", any=pl.col("direction") == "any",
                        grows=pl.col("direction") == "grows", j=pl.int_ranges("first", pl.col("last") + 1))
                .explode("j").join(dates.lazy().select("j", "n", date="as_of"), on="j")
                .with_columns(k=(pl.col("date") - pl.col("as_of")).dt.total_days()).drop("date", "as_of")
                .sort("hi").join_asof(above.lazy(), left_on="hi", right_on="lo_b", by="j", strategy="forward",
                                      allow_exact_matches=False, check_sortedness=False)
                .sort("lo").join_asof(below.lazy(), left_on="lo", right_on="hi_b", by="j", strategy="backward",
                                      allow_exact_matches=False, check_sortedness=False)
                .with_columns(pl.col("above", "below").fill_null(0)))
        same = pl.col("any") | (pl.col("k") == 0)
        grows = pl.col("grows")
        fits = pl.col("n") - pl.col("above") - pl.col("below")
        out.append(rows.group_by("claim").agg(
            same=fits.filter(same).sum(),
            near=fits.filter(~same & ~(grows & (pl.col("lo") <= 0))).sum() - pl.col("above").filter(~same & grows & (pl.col("k") < 0)).sum()
            - pl.col("below").filter(~same & grows & (pl.col("k") > 0)).sum()).collect(engine=ENGINE))
    return pl.concat(out) if out else pl.DataFrame(schema={"claim": pl.Int64, "same": pl.Int64, "near": pl.Int64})


def _bounds(b: pl.DataFrame, dates: pl.DataFrame, key: list[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Per date number j, the articles of b's claims at or above each lower bound, and at or below
    each upper bound. The claims numbered by date (a copy of b) are let go before the lookups run."""
    at = b.lazy().select(*key, "as_of", "lo", "hi", "n_docs").join(dates.lazy().select(*key, "as_of", "j"),
                                                                   on=[*key, "as_of"])
    above = (at.group_by("j", "lo").agg(pl.col("n_docs").sum()).sort("j", "lo", descending=[False, True])
             .select("j", lo_b="lo", above=pl.col("n_docs").cum_sum().over("j")).sort("lo_b"))
    below = (at.group_by("j", "hi").agg(pl.col("n_docs").sum()).sort("j", "hi")
             .select("j", hi_b="hi", below=pl.col("n_docs").cum_sum().over("j")).sort("hi_b"))
    above, below = pl.collect_all([above, below], engine=ENGINE)
    return above, below


def support(ctx: Context) -> pl.DataFrame:
    """Each claim with `support` and `nearby` as pairs.pairs gives them: claim, support, nearby."""
    return ctx.memo("support", lambda: _support(_claims(ctx).drop("idxs", "fdocs")))


def _few(ctx: Context) -> bool:
    return _claims(ctx).height <= FEW_CLAIMS


SUMMED = ["claim", "metric", "unit", "as_of", "lo", "hi", "n_docs", "direction", "window_days"]  # what _sums reads of a claim


def _support(claim: pl.DataFrame) -> pl.DataFrame:
    key = ["metric", "unit"]
    every = _sums(claim, claim, key)
    # Only what _sums reads is copied: most claims are of one article. Each article's lookups
    # are its own, so they are made a few thousand articles at a time: at once, over gaza.deaths
    # at 100,000 articles, their frames (a date of each article a row) took 40 MB more.
    single = claim.select(*SUMMED, "doc").filter(pl.col("n_docs") == 1).sort("doc")
    piece = single.with_row_index("row").select(pl.col("row").min().over("doc") // OWN_ROWS).to_series()
    own = [_sums(part, part, [*key, "doc"]) for part in runs(single, piece)]
    own = (pl.concat(own) if own else _sums(single, single, [*key, "doc"])).select(
        "claim", own_same="same", own_near="near")
    one = pl.col("n_docs") == 1
    # A claim meets itself in its period; one of a single article meets all that article's claims.
    itself = pl.when(pl.col("lo") <= pl.col("hi")).then(pl.col("n_docs")).otherwise(0)
    return (claim.select("claim", "n_docs", "lo", "hi").join(every, on="claim", how="left")
            .join(own, on="claim", how="left").with_columns(pl.col("same", "near", "own_same", "own_near").fill_null(0))
            .select("claim",
                    support=pl.col("same") - pl.when(one).then(pl.col("own_same")).otherwise(itself) + pl.col("n_docs") - 1,
                    nearby=pl.col("near") - pl.when(one).then(pl.col("own_near")).otherwise(0))
            .sort("claim"))


def clashes(ctx: Context, keep: pl.Expr) -> pl.DataFrame:
    """Incompatible pairs (a, b) of claims of one period from different articles that `keep` holds
    (over the columns of pairs.pairs), the PARTNERS best supported b per claim: as many as
    figure_pairs reads. Columns: claim, claim_b, metric, as_of, support_b."""
    found = list(clash_pieces(ctx, keep))
    return pl.concat(found) if found else pl.DataFrame(schema=CLASH_SCHEMA)


CLASH_SCHEMA = {"claim": pl.Int64, "claim_b": pl.Int64, "metric": pl.String, "as_of": pl.Date, "support_b": pl.Int64}


def clash_pieces(ctx: Context, keep: pl.Expr) -> Iterator[pl.DataFrame]:
    """The rows of `clashes` a piece of claims at a time, each claim's in one piece: a reader that
    lists partners per piece (pairs.clash_lists) never holds them all. They grow faster than the
    claims (up to PARTNERS per claim as the corpus gets denser): 899,000 rows at 20,000 articles."""
    asked = _asked(ctx)
    if _few(ctx):
        yield _best(pairs(ctx).filter(pl.col("same_period") & ~pl.col("compatible") & keep & asked), None)
        return
    key = ["metric", "unit"]
    claim = _claims(ctx).lazy().drop("idxs", "fdocs").join(support(ctx).lazy(), on="claim")
    dates = _numbered_dates(claim, key).with_columns(upto=pl.col("count").cum_sum())
    claim = claim.join(dates.lazy().select(*key, "as_of", "j"), on=[*key, "as_of"])
    b = claim.select("claim", "j", "lo", "hi", "level", "qualifier", "series", "n_docs", "doc", "support", "nearby")
    b = b.rename({c: f"{c}_b" for c in b.collect_schema().names() if c != "j"})
    period = pl.when(pl.col("direction") == "any").then(pl.col("window_days")).otherwise(0)
    upto = dates.lazy().select("j", "upto", "count")
    windows = (_windows_query(claim.drop("j"), dates, key, period).filter(asked)
               .join(upto.select(first="j", before=pl.col("upto") - pl.col("count")), on="first")
               .join(upto.select(last="j", through="upto"), on="last"))
    # windows and b hold what the pieces read: the claims' other columns are never collected
    windows, b = pl.collect_all([windows, b], engine=ENGINE)
    # A piece's pairs carry only what the clash test and `keep` read: a pair of the full claims
    # took some 0.6 KB with polars' working copies.
    tested = ["claim", "lo", "hi", "n_docs", "doc"]
    read = {*tested, *(f"{c}_b" for c in tested), "support_b", "j", *keep.meta.root_names()}
    a_read = [c for c in windows.columns if c in read]
    b = b.select(c for c in b.columns if c in read)
    for piece in _pieces(windows, pl.col("through") - pl.col("before")):
        rows = (piece.lazy().select(*a_read, j=pl.int_ranges("first", pl.col("last") + 1)).explode("j")
                .join(b.lazy(), on="j")
                .filter((pl.col("claim") != pl.col("claim_b"))
                        & ((pl.col("n_docs") > 1) | (pl.col("n_docs_b") > 1) | (pl.col("doc") != pl.col("doc_b")))
                        & ((pl.col("hi") < pl.col("lo_b")) | (pl.col("hi_b") < pl.col("lo"))))
                .with_columns(same_period=pl.lit(True), compatible=pl.lit(False))
                .filter(keep))
        yield _best(rows, piece.select("claim", "metric", "as_of"))


def _asked(ctx: Context) -> pl.Expr:
    """Whether a claim (`claim`) may be the questioned side of a finding: with `check`, only a claim
    holding a figure of the new articles, since findings are about their figures alone (a claim
    lists its figures' articles, `fdocs`; its `doc` is the first of them only)."""
    if ctx.subjects is None:
        return pl.lit(True)
    claims = _claims(ctx)
    held = claims.filter(pl.col("fdocs").list.eval(pl.element().is_in(list(ctx.subjects))).list.any())["claim"]
    return pl.col("claim").is_in(held.implode())


def _best(rows: pl.DataFrame | pl.LazyFrame, where: pl.DataFrame | None) -> pl.DataFrame:
    """The PARTNERS best supported b of each claim: figure_pairs reads no more. `where`: each
    claim's metric and date, when the rows do not carry them."""
    best = (rows.lazy().sort("claim", "support_b", "claim_b", descending=[False, True, False])
            .filter(pl.int_range(pl.len()).over("claim") < PARTNERS))
    if where is not None and not {"metric", "as_of"} <= set(best.collect_schema().names()):
        best = best.select("claim", "claim_b", "support_b").join(where.lazy(), on="claim", how="left",
                                                                 maintain_order="left")
    return best.select("claim", "claim_b", "metric", "as_of", "support_b").collect(engine=ENGINE)
