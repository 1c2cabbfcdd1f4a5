"""arithmetic: relations the metric pack declares between metrics, checked in numbers.

A relation names a whole and its parts. Each part's smallest possible value must not exceed
the whole's largest; with `disjoint: true` the parts' smallest values together must not
either. Shares of the whole (unit: share) are compared with 1. Checked within each article,
and across articles for figures that speak for the same date.

Flagged:  "136 hostages remain in Gaza" beside "some 120 hostages were taken": a part
          (held, at least 135.5) exceeds its whole (taken, at most 126.5).
Passes:   "130 remain, including 34 believed dead" beside "more than 250 were taken".
"""

from __future__ import annotations

import polars as pl

from figcheck.checks.describe import amount, says, source
from figcheck.checks.frame import Context
from figcheck.models import Finding

ID = "arithmetic"
SUMMARY = "Parts that exceed their whole, as the metric pack relates them"


def _extremes(frame: pl.DataFrame, scope: str) -> pl.DataFrame:
    """Per scope and metric: the strongest lower bound and the weakest upper bound, with their figures."""
    return frame.group_by(scope, "metric").agg(
        lo=pl.col("lo").max(), lo_idx=pl.col("idx").sort_by("lo", "idx").last(),
        hi=pl.col("hi").min(), hi_idx=pl.col("idx").sort_by("hi", "idx").first(),
        unit=pl.col("unit").first(),
    )


def violations(ctx: Context) -> list[tuple[list[int], int | None, float]]:
    """(part figures, whole figure or None for shares, the parts' smallest total) per violation."""
    out: list[tuple[list[int], int | None, float]] = []
    seen: set[object] = set()
    for scope in ("doc", "as_of"):
        extremes = _extremes(ctx.frame, scope)
        for relation in ctx.config.relations:
            parts = extremes.filter(pl.col("metric").is_in(relation.parts))
            whole = extremes.filter(pl.col("metric") == relation.whole).select(
                scope, whole_hi="hi", whole_idx="hi_idx")
            share_parts = parts.filter(pl.col("unit") == "share").with_columns(whole_hi=pl.lit(1.0),
                                                                               whole_idx=pl.lit(None, pl.Int64))
            joined = pl.concat([parts.filter(pl.col("unit") == "count").join(whole, on=scope), share_parts],
                               how="diagonal_relaxed")
            if relation.disjoint:
                joined = (joined.group_by(scope, "unit", "whole_idx")
                          .agg(lo=pl.col("lo").sum(), whole_hi=pl.col("whole_hi").first(), idxs=pl.col("lo_idx").sort())
                          .filter(pl.col("idxs").list.len() > 1))
            else:
                joined = joined.with_columns(idxs=pl.concat_list("lo_idx"))
            # In the order of the figures, whatever order the group-bys came out in.
            rows = sorted(joined.filter(pl.col("lo") > pl.col("whole_hi")).iter_rows(named=True),
                          key=lambda r: (r["whole_idx"] is None, r["whole_idx"] or 0, sorted(r["idxs"])))
            for row in rows:
                # A stale total shows up in its own article and across the period: report it once.
                key = row["whole_idx"] if relation.disjoint and row["whole_idx"] is not None else (
                    tuple(sorted(row["idxs"])), row["whole_idx"])
                if key not in seen:
                    seen.add(key)
                    out.append((list(row["idxs"]), row["whole_idx"], row["lo"]))
    return out


def run(ctx: Context) -> list[Finding]:
    found = violations(ctx)
    figures = ctx.figures.take([i for parts, whole, _ in found for i in [*parts, whole] if i is not None])
    findings = []
    for part_idxs, whole_idx, total in found:
        parts = [figures[i] for i in part_idxs]
        whole = figures[whole_idx] if whole_idx is not None else None
        if ctx.subjects is not None and not any(f.doc in ctx.subjects for f in [*parts, whole] if f):
            continue
        listed = " and ".join(f"'{f.surface}' ({ctx.config.metrics[f.metric].spec.label})" for f in parts)
        sources = ", ".join(dict.fromkeys(source(f) for f in parts))
        if whole is not None:
            subject_first = [whole, *parts] if len(parts) > 1 else [*parts, whole]
            verb = "gives" if len({f.doc for f in parts}) == 1 else "give"
            message = (f"{sources} {verb} {listed}, at least {amount(total)}; "
                       f"that is more than {says(whole)} for {ctx.config.metrics[whole.metric].spec.label}.")
        else:
            subject_first = parts
            message = f"{sources} give {listed}: shares of one whole that add up to more than all of it."
        subject = subject_first[0]
        findings.append(Finding(rule=ID, severity=ctx.config.severity(ID, subject.metric), metric=subject.metric,
                                message=message, figures=subject_first))
    return findings
