"""Claimant names grouped into series: loosely written names of one authority together, others apart."""

from __future__ import annotations

import polars as pl
import pytest

from figcheck.checks.series import with_series

NAMES = [
    "Gaza Health Ministry", "Gaza health officials", "the Gaza Health Ministry press office",
    "OCHA (Gaza Health Ministry figures)", "OCHA (Gaza Government Media Office figures)",
    "Gaza government media office", "OCHA", "AFAD", "AFAD head Ada Sezer", "Vice President Bo Lin",
    "President Cy Ray", "officials", "Israeli Ministry of Health",
]


def _series() -> dict[str, int | None]:
    frame = with_series(pl.DataFrame({"claimant": NAMES + [None]}))
    return dict(zip(frame["claimant"], frame["series"]))


@pytest.mark.parametrize("a,b", [
    ("Gaza Health Ministry", "Gaza health officials"),
    ("Gaza Health Ministry", "the Gaza Health Ministry press office"),
    ("Gaza Health Ministry", "OCHA (Gaza Health Ministry figures)"),
    ("Gaza government media office", "OCHA (Gaza Government Media Office figures)"),
    ("AFAD", "AFAD head Ada Sezer"),
])
def test_names_of_one_authority_are_one_series(a, b):
    series = _series()
    assert series[a] is not None and series[a] == series[b]


@pytest.mark.parametrize("a,b", [
    ("Gaza Health Ministry", "Gaza government media office"),
    ("Gaza Health Ministry", "Israeli Ministry of Health"),
    ("Vice President Bo Lin", "President Cy Ray"),
])
def test_names_of_different_authorities_are_different_series(a, b):
    series = _series()
    assert series[a] != series[b]


def test_a_name_that_names_no_one_or_several_is_unnamed():
    series = _series()
    assert series["officials"] is None and series[None] is None
    assert series["OCHA"] is None  # inside two OCHA reports of different authorities


def _figures(seed: int) -> pl.DataFrame:
    """Random current figures of one growing count: two claimant series and unnamed ones, a few
    articles, levels that rise and fall."""
    import datetime as dt
    import random

    rnd = random.Random(seed)
    rows = []
    for idx in range(40):
        level = float(rnd.randrange(90, 130))
        rows.append({"idx": idx, "doc": f"d{rnd.randrange(4)}", "metric": "m", "unit": "count",
                     "as_of": dt.date(2024, 1, 1) + dt.timedelta(days=rnd.randrange(8)), "lo": level - 1,
                     "hi": level + 1, "level": level, "value": level, "series": rnd.choice([0, 1, None]),
                     "sentence": "", "char_start": 0, "previous": False, "direction": "grows"})
    return pl.DataFrame(rows)


def _followed_by_definition(frame: pl.DataFrame) -> dict:
    """(metric, date) -> the revision, pair by pair and follower by follower."""
    rows = frame.to_dicts()
    best: dict = {}
    for a in rows:
        for b in rows:
            if a["series"] is None or a["series"] != b["series"] or not (b["as_of"] > a["as_of"] and b["hi"] < a["lo"]):
                continue
            if any(f["doc"] not in (a["doc"], b["doc"]) and f["as_of"] >= b["as_of"]
                   and abs(f["level"] - b["level"]) < abs(f["level"] - a["level"]) for f in rows):
                key, rank = ("m", b["as_of"]), (-a["value"], b["idx"], a["idx"])
                if key not in best or rank < best[key][0]:
                    best[key] = (rank, (b["idx"], a["idx"]))
    return {key: pair for key, (_, pair) in best.items()}


@pytest.mark.parametrize("pair_rows", [1, 50, 500_000])
def test_revisions_a_series_shows_match_their_definition_whatever_the_pieces_compared(monkeypatch, pair_rows):
    from figcheck.checks import series

    monkeypatch.setattr(series, "PAIR_ROWS", pair_rows)
    found = 0
    for seed in range(40):
        frame = _figures(seed)
        revs = series.revisions(frame)
        got = {("m", row["rev_date"]): (row["rev_idx"], row["old_idx"]) for row in revs.iter_rows(named=True)}
        assert got == _followed_by_definition(frame), seed
        found += len(got)
    assert found > 60
