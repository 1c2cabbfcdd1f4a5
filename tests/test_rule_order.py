"""Findings do not hang on an order polars does not promise.

A join without `maintain_order`, a group-by without it, `unique` without it and a sort whose keys
tie may give their rows in any order (threads, sizes, versions): a rule that takes "the first" of
such rows, or lists them as they come, can change its findings from run to run. Here every such
order is turned the other way round (a legitimate order polars could give), every time or every
other time (two turns in a row would undo each other), and each rule case of data/rules/ must
give the same findings, evidence in the same order, as a plain run.
"""

from __future__ import annotations

import itertools

import polars as pl
import pytest
from polars.dataframe.group_by import GroupBy

from figcheck.checks import pairs, sweep
from figcheck.findings import run_rules
from figcheck.models import ReferenceRow
from figcheck.records import FigureSet
from tests.test_rules import CASES, CONFIG, figure


def turn_unpromised_orders(monkeypatch, every: int = 1) -> None:
    """Reverse the rows of every `every`-th operation whose order polars does not promise."""
    calls = itertools.count()
    join, sort, unique, agg = pl.DataFrame.join, pl.DataFrame.sort, pl.DataFrame.unique, GroupBy.agg
    series_unique = pl.Series.unique

    def turned_join(self, other, *args, **kwargs):
        out = join(self, other, *args, **kwargs)
        promised = kwargs.get("maintain_order") not in (None, "none") or kwargs.get("how") == "cross"
        return out if promised else turn(out)

    def turn(frame):
        return frame.reverse() if next(calls) % every == 0 else frame

    def turned_sort(self, *args, **kwargs):
        if kwargs.get("maintain_order"):
            return sort(self, *args, **kwargs)
        return sort(turn(self), *args, **{**kwargs, "maintain_order": True})  # ties the other way

    def turned_unique(self, *args, **kwargs):
        out = unique(self, *args, **kwargs)
        return out if kwargs.get("maintain_order") else turn(out)

    def turned_agg(self, *args, **kwargs):
        out = agg(self, *args, **kwargs)
        return out if self.maintain_order else turn(out)

    def turned_series_unique(self, *args, **kwargs):
        out = series_unique(self, *args, **kwargs)
        return out if kwargs.get("maintain_order") else turn(out)

    monkeypatch.setattr(pl.DataFrame, "join", turned_join)
    monkeypatch.setattr(pl.DataFrame, "sort", turned_sort)
    monkeypatch.setattr(pl.DataFrame, "unique", turned_unique)
    monkeypatch.setattr(GroupBy, "agg", turned_agg)
    monkeypatch.setattr(pl.Series, "unique", turned_series_unique)


def _findings(case) -> list[tuple]:
    figures = FigureSet.of([figure(f) for f in case["figures"]])
    references = [ReferenceRow.model_validate(r) for r in case.get("references", [])]
    found = run_rules(figures, CONFIG, references)
    return sorted((f.rule, f.metric, f.message, tuple(f"{g.doc}:{g.surface}" for g in f.figures)) for f in found)


@pytest.mark.parametrize("every", [1, 2])
@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[f"{f}: {c['name']}" for f, c in CASES])
def test_rule_case_gives_the_same_findings_whatever_order_polars_gives_unordered_rows(case, every, monkeypatch):
    plain = _findings(case)
    turn_unpromised_orders(monkeypatch, every)
    assert _findings(case) == plain


PAIRED = [(f, c) for f, c in CASES if f in ("conflict", "claimant")]


@pytest.mark.parametrize("case", [c for _, c in PAIRED], ids=[f"{f}: {c['name']}" for f, c in PAIRED])
def test_partner_lists_made_in_pieces_do_not_hang_on_unpromised_orders(case, monkeypatch):
    # The cases are small enough for one join of all pairs: here support and clashes are found by
    # sweep's lookups, a few rows at a time, as over a large store, and a claim keeps one partner
    # claim only, so that ties at the limit show.
    monkeypatch.setattr(sweep, "FEW_CLAIMS", 0)
    monkeypatch.setattr(sweep, "PARTNERS", 1)
    monkeypatch.setattr(sweep, "ROWS", 3)
    monkeypatch.setattr(pairs, "PIECE_ROWS", 3)
    plain = _findings(case)
    turn_unpromised_orders(monkeypatch)
    assert _findings(case) == plain
