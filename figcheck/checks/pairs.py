"""Figures of different articles set side by side, for `conflict` and `claimant`.

Figures speak for the same period when they share a date; figures of a metric whose direction
is `any` also when they fall within its `window_days` (a population, a past event). Figures
that say the same thing (metric, date, interval, claimant series) are first collapsed into one
claim, listing its articles; claims are then paired by a polars join on metric, unit and date
(each claim offered at the few dates it may be compared with), so the work grows with the
distinct claims of a day, not with the square of all figures.

Each claim gets its support: how many other articles give a compatible figure for the same
period. Of two incompatible claims the one with less support dissents; on a tie, the one with
fewer articles on nearby days agreeing (for a growing count, less those whose earlier higher or
later lower figure it contradicts; an upper bound of a growing count, "as many as 17,000",
takes no agreement from other days, or it would gather every earlier toll below it); then an
exact figure beats a bound or an approximation; then, for a growing count, the higher figure is
the likelier current one (the lower, for any other count).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import polars as pl

from figcheck.checks.describe import says
from figcheck.checks.frame import Context, doc_batches
from figcheck.models import Finding, trusted

KEY = ["metric", "unit", "as_of", "lo", "hi", "level", "qualifier", "series", "direction", "window_days", "epoch"]
MAX_EVIDENCE = 20
NEARBY_DAYS = 3
OFFSET_DAYS = 7  # windows up to this many days are joined date by date; wider ones (static figures) at once
PIECE_ROWS = 50_000  # claim pairs whose partner figures are listed at once


def pairs(ctx: Context) -> pl.DataFrame:
    """Every ordered pair (a, b) of claims of one metric and unit close enough in time, with support.
    This is the definition `support` and `clashes` compute in bounded pieces; it grows with the
    square of a period's claims, so the rules do not use it (tests set the two side by side)."""
    return ctx.memo("pairs", lambda: _pairs(_claims(ctx)))


def _claims(ctx: Context) -> pl.DataFrame:
    return ctx.memo("claims", lambda: claims(ctx.frame))


def claims(frame: pl.DataFrame) -> pl.DataFrame:
    """Figures saying the same thing, one row each, with their figures and articles."""
    claim = (frame.sort("idx").group_by(KEY, maintain_order=True).agg(
        idxs=pl.col("idx"), fdocs=pl.col("doc"), n_docs=pl.col("doc").n_unique().cast(pl.Int64), doc=pl.col("doc").first())
        .with_row_index("claim").with_columns(pl.col("claim").cast(pl.Int64)))
    # A key of one value (the metric and its settings, usually) is kept as a constant column: the
    # claims are held through a run, and read in every piece of pairs.
    constant = [c for c in KEY if claim.height and claim[c].n_unique() == 1]
    return claim.with_columns(pl.lit(claim[c][0], claim.schema[c]).alias(c) for c in constant)


def span() -> pl.Expr:
    """How many days apart two claims of a metric may be to be compared."""
    return (pl.when(pl.col("direction") == "grows").then(NEARBY_DAYS).when(pl.col("direction") == "falls").then(0)
            .otherwise(pl.col("window_days")))


def _reach(claim: pl.DataFrame) -> pl.DataFrame:
    """Each claim with the dates (as_of + k) at which it meets the claims it is compared with."""
    near = claim.filter(span() <= OFFSET_DAYS).with_columns(span=span())
    offsets = pl.DataFrame({"k": list(range(-OFFSET_DAYS, OFFSET_DAYS + 1))}, schema={"k": pl.Int64})
    return (near.join(offsets, how="cross").filter(pl.col("k").abs() <= pl.col("span"))
            .with_columns(meet=pl.col("as_of") + pl.duration(days=pl.col("k"))).drop("span", "k"))


def _pairs(claim: pl.DataFrame) -> pl.DataFrame:
    claim = claim.drop("idxs", "fdocs")  # the figures are looked up only for the pairs a rule keeps
    b = claim.select("claim", "metric", "unit", "as_of", "lo", "hi", "level", "qualifier", "series", "n_docs", "doc")
    close = (_reach(claim).join(b.rename({"as_of": "as_of_b"}), left_on=["metric", "unit", "meet"],
                                right_on=["metric", "unit", "as_of_b"], suffix="_b")
             .rename({"meet": "as_of_b"}))
    wide_claims = claim.filter((pl.col("direction") == "any") & (pl.col("window_days") > OFFSET_DAYS))
    wide = (wide_claims.join(b.rename({"as_of": "as_of_b"}), on=["metric", "unit"], suffix="_b")
            .filter((pl.col("as_of_b") - pl.col("as_of")).dt.total_days().abs() <= pl.col("window_days")))
    joined = (pl.concat([close, wide.select(close.columns)])
              .filter(pl.col("claim") != pl.col("claim_b"))
              .with_columns(days=(pl.col("as_of_b") - pl.col("as_of")).dt.total_days())
              .with_columns(
                  compatible=~((pl.col("hi") < pl.col("lo_b")) | (pl.col("hi_b") < pl.col("lo"))),
                  same_period=pl.when(pl.col("direction") == "any").then(pl.col("days").abs() <= pl.col("window_days"))
                  .otherwise(pl.col("days") == 0),
                  other_doc=(pl.col("n_docs") > 1) | (pl.col("n_docs_b") > 1) | (pl.col("doc") != pl.col("doc_b")))
              .filter(pl.col("other_doc")))
    grows = pl.col("direction") == "grows"
    contradicted = grows & (((pl.col("days") < 0) & (pl.col("lo_b") > pl.col("hi")))
                            | ((pl.col("days") > 0) & (pl.col("hi_b") < pl.col("lo"))))
    docs_b = pl.col("n_docs_b")
    support = joined.group_by("claim", maintain_order=True).agg(
        support=docs_b.filter(pl.col("same_period") & pl.col("compatible")).sum(),
        nearby=docs_b.filter(~pl.col("same_period") & pl.col("compatible") & ~(grows & (pl.col("lo") <= 0))).sum()
        - docs_b.filter(~pl.col("same_period") & contradicted).sum())
    support = claim.select("claim", "n_docs").join(support, on="claim", how="left").select(
        "claim", support=pl.col("support").fill_null(0) + pl.col("n_docs") - 1, nearby=pl.col("nearby").fill_null(0))
    return (joined.join(support, on="claim")
            .join(support.rename({"claim": "claim_b", "support": "support_b", "nearby": "nearby_b"}), on="claim_b"))


def figure_pairs(ctx: Context, chosen: pl.DataFrame | Iterable[pl.DataFrame]) -> pl.DataFrame:
    """Questioned figures of claim pairs, each with the figures it clashes with (best supported
    first, a few per claim): idx, doc, metric, as_of, partners. The rules take the same as
    clash_lists gives it, without a copy of the partners per figure."""
    subjects, partners = clash_lists(ctx, chosen)
    return subjects.join(partners, on="claim").select("idx", "doc", "metric", "as_of",
                                                      pl.col("partners").cast(pl.List(pl.Int64)))


def clash_lists(ctx: Context, chosen: pl.DataFrame | Iterable[pl.DataFrame]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """From claim pairs (claim, claim_b, support_b; a frame, or pieces each holding all of their
    claims' pairs, as sweep.clash_pieces gives them): the questioned figures (idx, doc, metric,
    as_of, claim) and each questioned claim's partners (claim, partners: the figures of the claims
    it clashes with, best supported first, up to 4 * MAX_EVIDENCE), as `findings` takes them.
    Listed a piece at a time, 32-bit: the pairs grow faster than the corpus and are never whole."""
    claims = _claims(ctx)
    heads = claims.select(claim_b="claim", partners=pl.col("idxs").list.head(MAX_EVIDENCE + 1))
    listed = []
    for piece in [chosen] if isinstance(chosen, pl.DataFrame) else chosen:
        ordered = piece.select("claim", "claim_b", "support_b").sort(["claim", "support_b", "claim_b"],
                                                                     descending=[False, True, False])
        # A claim's partners in order of support, their figures listed a piece of claims at a time.
        listed.extend(part.join(heads, on="claim_b", maintain_order="left")
                      .group_by("claim", maintain_order=True).agg(pl.col("partners").explode().head(4 * MAX_EVIDENCE))
                      .select(pl.col("claim").cast(pl.Int32), pl.col("partners").cast(pl.List(pl.Int32)))
                      for part in _claim_pieces(ordered) if part.height)
    # One contiguous frame: left in its pieces (thousands at 100,000 articles), every read of the
    # partners column (its lengths, a batch's claims) gathered them into a copy first.
    partners = pl.concat(listed, rechunk=True) if listed else pl.DataFrame(schema=PARTNERS_SCHEMA)
    subjects = (claims.select(pl.col("claim").cast(pl.Int32), "metric", "as_of", "idxs", "fdocs")
                .join(partners.select("claim"), on="claim").explode("idxs", "fdocs")
                .select(idx="idxs", doc="fdocs", metric="metric", as_of="as_of", claim="claim"))
    return subjects, partners


PARTNERS_SCHEMA = {"claim": pl.Int32, "partners": pl.List(pl.Int32)}


def _claim_pieces(rows: pl.DataFrame) -> Iterator[pl.DataFrame]:
    """Rows sorted by claim in consecutive slices of about PIECE_ROWS rows, never splitting a claim."""
    sizes = rows.group_by("claim", maintain_order=True).len()["len"].to_list()
    start = taken = 0
    for size in sizes:
        if taken and taken + size > PIECE_ROWS:
            yield rows.slice(start, taken)
            start, taken = start + taken, 0
        taken += size
    yield rows.slice(start, taken)


def partner_lists(rows: pl.DataFrame) -> pl.DataFrame:
    """Figure pairs (idx, idx_b, support_b) as one row per questioned figure with its partners."""
    return (rows.sort(["support_b", "idx_b"], descending=[True, False])
            .group_by("idx", "doc", "metric", "as_of", maintain_order=True).agg(partners=pl.col("idx_b")))


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


def findings(ctx: Context, rule: str, chosen: pl.DataFrame, describe, severity: str | None = None,
             other_docs: bool = True, claim_partners: pl.DataFrame | None = None) -> Iterator[Finding]:
    """One finding per article, metric and date of the questioned figures: the first of them in the
    text is the subject, the figures they disagree with the evidence. Produced in the order of
    their articles, a batch at a time (see frame.doc_batches). `chosen`: figure pairs (idx,
    idx_b, support_b), or questioned figures with their partners, or with their claim and
    `claim_partners` the claims' partners (see clash_lists): each batch looks up its own."""
    if chosen.is_empty():
        return
    by_claim = claim_partners is not None
    if "partners" not in chosen.columns and not by_claim:
        chosen = partner_lists(chosen)
    chosen = chosen.filter(ctx.wanted(pl.col("doc")))
    groups = (chosen.join(ctx.frame.select("idx", "char_start"), on="idx").sort("char_start", "idx")
              .group_by("doc", "metric", "as_of", maintain_order=True)
              .agg(subject=pl.col("idx").first(), others=pl.col("idx").unique(maintain_order=True).head(MAX_EVIDENCE),
                   first=pl.col("claim" if by_claim else "partners").first())
              .sort("doc", "subject"))
    if by_claim:
        groups = groups.rename({"first": "claim"}).join(
            claim_partners.select("claim", n=pl.col("partners").list.len()), on="claim", how="left", maintain_order="left")
    else:
        groups = groups.rename({"first": "partners"})
    count = pl.col("n") if by_claim else pl.col("partners").list.len()
    for batch in doc_batches(groups, figures=1 + pl.col("others").list.len() + count):
        if by_claim:
            # Only the batch's claims are joined: joined whole, the partners of every claim of the
            # group (some 4,000 small pieces at 100,000 articles) were copied into one for each batch.
            mine = claim_partners.filter(pl.col("claim").is_in(batch["claim"].drop_nulls().unique().implode()))
            batch = batch.join(mine, on="claim", how="left", maintain_order="left").with_columns(
                pl.col("partners").cast(pl.List(pl.Int64)))
        figures = ctx.figures.take(pl.concat([batch["subject"], batch["others"].explode(), batch["partners"].explode()]))
        for row in batch.iter_rows(named=True):
            subject = figures[row["subject"]]
            also = [figures[i] for i in row["others"] if i != row["subject"]]
            partners = [figures[i] for i in dict.fromkeys(row["partners"])
                        if i not in row["others"] and (figures[i].doc != subject.doc or not other_docs)][:MAX_EVIDENCE]
            message = describe(subject, also, partners)
            yield trusted(Finding, {"rule": rule, "severity": severity or ctx.config.severity(rule, subject.metric),
                                    "metric": subject.metric, "message": message,
                                    "figures": [subject, *partners, *also], "days_stale": None, "reference": None})


def listing(figures) -> str:
    return "; ".join(says(f) for f in figures)
