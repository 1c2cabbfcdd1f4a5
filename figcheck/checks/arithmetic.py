"""arithmetic: an article's parts and whole that do not add up, and shares that miss their base.

The metric pack relates metrics (`relations:`): parts never exceed their whole; `disjoint` parts
together never exceed it; `complete` parts add up to it, so a whole that is larger than its
parts can be (within rounding and tolerance) is flagged too. Shares of one whole never add up to
more than all of it, and a share ("85 % of Gaza's 2.2 million") must match the article's count
of the same thing. Checked within each article (each entry of a live page apart), on its latest
figures of each metric; parts and whole from different named authorities are not summed. Of
several totals that do not add up, the one nearest a part in the text is reported.

Flagged:  "the quake killed 3,419 in Turkey and 1,602 in Syria, bringing the toll to 5,102":
          the two complete parts add up to 5,021.
Passes:   seven provinces' tolls adding up to 4,785 beside a national toll of 5,434: the
          provinces are parts, not the whole list.
"""

from __future__ import annotations

import polars as pl

from figcheck.checks.describe import says
from figcheck.checks.frame import Context
from figcheck.models import Finding, trusted
from figcheck.pack import RuleSettings

ID = "arithmetic"
SUMMARY = "Parts and wholes that do not add up, and shares that miss their base"
SEVERITY = "error"


class Settings(RuleSettings):
    pass


def _latest(frame: pl.DataFrame) -> pl.DataFrame:
    """Each telling's figures of each metric at the latest date it gives for that metric. A telling is
    an article, or one entry of a live page: entries hours apart need not add up."""
    told = frame.with_columns(telling=pl.concat_str("doc", "entry", separator="\n"))
    return told.filter(pl.col("as_of") == pl.col("as_of").max().over("telling", "metric", "unit"))


def _same_count() -> pl.Expr:
    """Parts and whole from different named authorities are different counts, not one sum."""
    return pl.col("series").is_null() | pl.col("whole_series").is_null() | (pl.col("series") == pl.col("whole_series"))


def violations(ctx: Context) -> list[tuple[int, list[int], str]]:
    """(subject, evidence, what is wrong) for each article and relation that does not add up."""
    latest = _latest(ctx.frame)
    out: list[tuple[int, list[int], str]] = []
    present = set(latest["metric"].unique().to_list())
    for relation in ctx.config.relations:
        # Every finding of a relation is about a part of it: without one there is nothing to compare.
        if relation.whole is None or not present.intersection(relation.parts):
            continue
        wholes = latest.filter((pl.col("metric") == relation.whole) & (pl.col("unit") == "count")).select(
            "telling", whole_idx="idx", whole_lo="lo", whole_hi="hi", whole_at="char_start", whole_series="series")
        parts = latest.filter(pl.col("metric").is_in(relation.parts))
        if not wholes.is_empty():  # without a whole figure, no part exceeds it and no sum misses it
            out.extend(_against_whole(relation, wholes, parts))
        # Shares of one whole: two at least are summed.
        shares = parts.filter(pl.col("unit") == "share")
        if shares.height > 1:
            shares = shares.sort("idx").group_by("telling", maintain_order=True).agg(lo=pl.col("lo").sum(), n=pl.len(),
                                                                                 idxs=pl.col("idx"))
            over = shares.filter((pl.col("n") > 1) & (pl.col("lo") > 1.0 + 1e-9))
            out.extend((row["idxs"][0], row["idxs"][1:], "shares") for row in over.iter_rows(named=True))
    out.extend(_shares_of_base(latest))
    return out


def _against_whole(relation, wholes: pl.DataFrame, parts: pl.DataFrame) -> list[tuple[int, list[int], str]]:
    """A relation's parts that exceed a whole figure of their article, and the sums that miss it."""
    out: list[tuple[int, list[int], str]] = []
    # Each whole figure against the parts of its article that may belong to the same count.
    # In the order of the figures (wholes, then each whole's parts): the first part a finding
    # names, the first whole of an article, and the order a sum lists its parts in, read it.
    per_part = (wholes.join(parts.filter(pl.col("unit") == "count"), on="telling", maintain_order="left_right")
                .filter(_same_count())
                .group_by("whole_idx", "metric", maintain_order=True)
                .agg(pl.col("telling", "whole_lo", "whole_hi", "whole_at").first(), lo=pl.col("lo").max(),
                     hi=pl.col("hi").min(), idxs=pl.col("idx"),
                     distance=(pl.col("char_start") - pl.col("whole_at")).abs().min()))
    each = per_part.filter(pl.col("lo") > pl.col("whole_hi")).unique(["telling", "metric"], keep="first",
                                                                       maintain_order=True)
    out.extend((row["idxs"][0], [row["whole_idx"]], "part") for row in each.iter_rows(named=True))
    if relation.disjoint or relation.complete:
        sums = (per_part.group_by("whole_idx", maintain_order=True)
                .agg(pl.col("telling", "whole_lo", "whole_hi", "whole_at").first(), lo=pl.col("lo").sum(),
                     hi=pl.col("hi").sum(), n=pl.len(), distance=pl.col("distance").min(),
                     idxs=pl.col("idxs").explode()))
        too_many = (pl.col("n") > 1) & (pl.col("lo") > pl.col("whole_hi"))
        too_few = pl.lit(relation.complete) & (pl.col("n") == len(relation.parts)) & (pl.col("hi") < pl.col("whole_lo"))
        bad = (sums.filter(too_many | too_few)
               .with_columns(kind=pl.when(too_many).then(pl.lit("exceed")).otherwise(pl.lit("fall short")))
               .sort("distance", "whole_idx").group_by("telling", maintain_order=True).first())
        out.extend((row["whole_idx"], row["idxs"], row["kind"]) for row in bad.iter_rows(named=True))
    return out


def _shares_of_base(latest: pl.DataFrame) -> list[tuple[int, list[int], str]]:
    """A share with its base in the article must match the article's count of the same metric."""
    shares = latest.filter((pl.col("unit") == "share") & pl.col("share_of").is_not_null())
    if shares.is_empty():
        return []
    counts = latest.filter(pl.col("unit") == "count")
    base = counts.select("telling", share_of="metric", base_idx="idx", base_lo="lo", base_hi="hi")
    same = counts.select("telling", "metric", count_idx="idx", count_lo="lo", count_hi="hi")
    joined = (shares.join(base, on=["telling", "share_of"], maintain_order="left_right")
              .join(same, on=["telling", "metric"], maintain_order="left_right")
              .filter((pl.col("lo") * pl.col("base_lo") > pl.col("count_hi"))
                      | (pl.col("hi") * pl.col("base_hi") < pl.col("count_lo")))
              .unique("idx", keep="first", maintain_order=True))
    return [(row["idx"], [row["base_idx"], row["count_idx"]], "share") for row in joined.iter_rows(named=True)]


def run(ctx: Context) -> list[Finding]:
    found = violations(ctx)
    figures = ctx.figures.take([i for subject, others, _ in found for i in [subject, *others]])
    findings = []
    for subject_idx, other_idxs, kind in found:
        subject = figures[subject_idx]
        others = [figures[i] for i in other_idxs if i != subject_idx]
        if ctx.subjects is not None and subject.doc not in ctx.subjects:
            continue
        labels = ctx.config.metrics
        listed = " and ".join(f"'{f.surface}' ({labels[f.metric].spec.label})" for f in others)
        where = subject.outlet or subject.doc
        if kind == "part":
            message = f"{where} gives {listed}, but {says(subject)} for a part of it ({labels[subject.metric].spec.label})."
        elif kind in ("exceed", "fall short"):
            verb = "add up to more than" if kind == "exceed" else "cannot add up to"
            message = (f"{where} gives {listed}: they {verb} '{subject.surface}' "
                       f"({labels[subject.metric].spec.label}), even allowing for rounding.")
        elif kind == "shares":
            message = f"{where} gives '{subject.surface}' and {listed}: shares of one whole that add up to more than all of it."
        else:
            message = (f"{where} gives '{subject.surface}' of {listed.split(' and ')[0]}, which does not match "
                       f"{listed.split(' and ')[-1]}.")
        findings.append(trusted(Finding, {"rule": ID, "severity": ctx.config.severity(ID, subject.metric),
                                          "metric": subject.metric, "message": message, "figures": [subject, *others],
                                          "days_stale": None, "reference": None}))
    return findings
