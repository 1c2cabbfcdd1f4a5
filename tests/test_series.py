"""Claimant names grouped into series: loosely written names of one authority together, others apart."""

from __future__ import annotations

import math

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


def _figures(seed: int, shapes: bool = False, bases: bool = False) -> pl.DataFrame:
    """Random current figures of one growing count: two claimant series and unnamed ones, a few
    articles, levels that rise and fall. With shapes, figures of several qualifiers (intervals of
    other widths, open above, below the value) and ranges whose bounds do not follow their value.
    With bases, shares whose sentence gives a base: left shares (the base does not touch their
    bounds) or multiplied out into counts (bounds and level scaled by the base, so that across
    bases they do not follow the value)."""
    import datetime as dt
    import random

    rnd = random.Random(seed)
    rows = []
    for idx in range(40 if not shapes else 60):
        value = float(rnd.randrange(90, 130))
        qualifier = rnd.choice(["exact", "more_than", "approx", "nearly", "between"]) if shapes else "exact"
        low = high = None
        lo, hi, level = value - 1, value + 1, value
        if qualifier == "more_than":
            lo, hi, level = value, math.inf, value
        elif qualifier == "approx":
            lo, hi = value * 0.9 - 0.5, value * 1.1 + 0.5
        elif qualifier == "nearly":
            lo, hi, level = value * 0.95, value, value * 0.975
        elif qualifier == "between":
            low, high = value - rnd.randrange(1, 30), value + rnd.randrange(1, 30)
            lo, hi, level = low - 0.5, high + 0.5, (low + high) / 2
        unit, base = "count", None
        if bases:
            unit, base = rnd.choice(["share", "count"]), float(rnd.choice([90, 100, 110]))
            if unit == "count":
                lo, hi, level = lo * base / 100, hi * base / 100, level * base / 100
        rows.append({"idx": idx, "doc": f"d{rnd.randrange(4 if not shapes else 6)}", "metric": "m", "unit": unit,
                     "as_of": dt.date(2024, 1, 1) + dt.timedelta(days=rnd.randrange(8)), "lo": lo,
                     "hi": hi, "level": level, "value": value, "series": rnd.choice([0, 1, None]),
                     "qualifier": qualifier, "precision": 1.0, "low": low, "high": high, "base_value": base,
                     "sentence": "", "char_start": 0, "previous": False, "direction": "grows"})
    return pl.DataFrame(rows, schema_overrides={"low": pl.Float64, "high": pl.Float64, "base_value": pl.Float64})


def _followed_by_definition(frame: pl.DataFrame) -> dict:
    """(metric, date) -> the revision, pair by pair and follower by follower."""
    rows = frame.to_dicts()
    best: dict = {}
    for a in rows:
        for b in rows:
            if (a["series"] is None or a["series"] != b["series"] or a["unit"] != b["unit"]
                    or not (b["as_of"] > a["as_of"] and b["hi"] < a["lo"])):
                continue
            if any(f["doc"] not in (a["doc"], b["doc"]) and f["unit"] == b["unit"] and f["as_of"] >= b["as_of"]
                   and abs(f["level"] - b["level"]) < abs(f["level"] - a["level"]) for f in rows):
                key, rank = ("m", b["as_of"]), (-a["value"], b["idx"], a["idx"])
                if key not in best or rank < best[key][0]:
                    best[key] = (rank, (b["idx"], a["idx"]))
    return {key: pair for key, (_, pair) in best.items()}


@pytest.mark.parametrize("pair_rows", [1, 50, 500_000])
@pytest.mark.parametrize("shapes,bases", [(False, False), (True, False), (True, True)])
def test_revisions_a_series_shows_match_their_definition_whatever_the_pieces_compared(monkeypatch, pair_rows, shapes,
                                                                                      bases):
    from figcheck.checks import series

    monkeypatch.setattr(series, "PAIR_ROWS", pair_rows)
    found = 0
    for seed in range(40):
        frame = _figures(seed, shapes, bases)
        revs = series.revisions(frame)
        got = {("m", row["rev_date"]): (row["rev_idx"], row["old_idx"]) for row in revs.iter_rows(named=True)}
        assert got == _followed_by_definition(frame), seed
        found += len(got)
    assert found > 60


def test_shares_left_shares_are_compared_by_qualifier_whatever_their_base():
    """A share's base sets its bounds only when it is multiplied out into a count: shares left
    shares, each with a base of its own, make one shape (one best earlier figure per later one),
    where shares multiplied out keep a shape per base."""
    from figcheck.checks import series

    frame = _figures(0, shapes=False, bases=True).with_columns(
        base_value=pl.int_range(pl.len()).cast(pl.Float64) + 1000, series=pl.lit(0, pl.Int64))
    shapes = series._shaped(frame).group_by("unit").agg(pl.col("shape").n_unique()).sort("unit")
    assert shapes.rows() == [("count", frame.filter(pl.col("unit") == "count").height), ("share", 1)]


@pytest.mark.parametrize("pair_rows", [1, 500_000])
def test_the_pairs_a_series_shows_reach_every_later_lower_figure_and_the_highest_earlier_one(monkeypatch, pair_rows):
    """What `check` reads more of when a series falls: the earliest later, lower figure and the
    highest levels of the pairs' two figures, as all pairs give them."""
    from figcheck.checks import series

    monkeypatch.setattr(series, "PAIR_ROWS", pair_rows)
    for seed in range(40):
        frame = _figures(seed, shapes=True)
        rows = frame.to_dicts()
        pairs = [(a, b) for a in rows for b in rows if a["series"] is not None and a["series"] == b["series"]
                 and b["as_of"] > a["as_of"] and b["hi"] < a["lo"]]
        got = pl.concat(list(series.later_lower(frame)))
        assert set(got["idx_b"].to_list()) == {b["idx"] for _, b in pairs}, seed
        assert got["level"].max() == max(a["level"] for a, _ in pairs), seed
        assert got.filter(pl.col("hi_b") >= pl.col("lo")).is_empty()


def test_a_fall_below_a_figure_of_the_follower_s_own_article_is_measured_against_another_article():
    """The highest earlier figure (d2's 125) is of the article whose later figure is the lowest
    after the fall: d2 does not follow the fall from its own figure, d4's 118 is nearer 125. The
    revision is from the highest figure of another article, d1's 120, which d2 follows, though d2
    took the lead from it before the fall."""
    import datetime as dt

    from figcheck.checks import series

    def figure(idx, doc, day, value, series_id):
        return {"idx": idx, "doc": doc, "metric": "m", "unit": "count", "as_of": dt.date(2024, 1, day),
                "lo": value - 1, "hi": value + 1, "level": value, "value": value, "series": series_id,
                "qualifier": "exact", "precision": 1.0, "low": None, "high": None, "base_value": None,
                "sentence": "", "char_start": 0, "previous": False, "direction": "grows"}

    frame = pl.DataFrame([figure(0, "d1", 1, 120.0, 0), figure(1, "d2", 2, 125.0, 0), figure(2, "d3", 5, 100.0, 0),
                          figure(3, "d2", 6, 105.0, None), figure(4, "d4", 6, 118.0, None)],
                         schema_overrides={"low": pl.Float64, "high": pl.Float64, "base_value": pl.Float64})
    revs = series.revisions(frame)
    assert revs.select("rev_idx", "old_idx").rows() == [(2, 0)]
    assert _followed_by_definition(frame) == {("m", dt.date(2024, 1, 5)): (2, 0)}


def test_two_figures_of_a_series_on_two_dates_show_a_revision_one_date_or_one_figure_none():
    """The fewest figures a series shows a revision with: two, on two dates (a draft's named figure
    and one of the archive's), the later one lower and followed by another article. Two on one
    date, or a lone named figure among unnamed ones, show none."""
    import datetime as dt

    from figcheck.checks import series

    def frame(*figures):
        return pl.DataFrame([{"idx": idx, "doc": doc, "metric": "m", "unit": "count", "as_of": dt.date(2024, 1, day),
                              "lo": value - 1, "hi": value + 1, "level": value, "value": value, "series": series_id,
                              "qualifier": "exact", "precision": 1.0, "low": None, "high": None, "base_value": None,
                              "sentence": "", "char_start": 0, "previous": False, "direction": "grows"}
                             for idx, (doc, day, value, series_id) in enumerate(figures)],
                            schema_overrides={"low": pl.Float64, "high": pl.Float64, "base_value": pl.Float64})

    follower = ("d3", 4, 101.0, None)
    assert series.revisions(frame(("d1", 1, 120.0, 0), ("d2", 3, 100.0, 0), follower)).select(
        "rev_idx", "old_idx").rows() == [(1, 0)]
    assert series.revisions(frame(("d1", 3, 120.0, 0), ("d2", 3, 100.0, 0), follower)).is_empty()
    assert series.revisions(frame(("d1", 1, 120.0, None), ("d2", 3, 100.0, 0), follower)).is_empty()


def test_series_of_one_list_of_names_follow_the_place_words_each_time():
    """The series of a list of names are made once per list and place words (a check asks some
    eight times): other place words group the same names otherwise."""
    from figcheck.checks import series

    names = ["Syrian Civil Defence", "Syria Civil Defence"]
    frame = pl.DataFrame({"claimant": names})
    for _ in range(2):
        assert series.with_series(frame, names, {})["series"].n_unique() == 2
        assert series.with_series(frame, names, {"syrian": "syria"})["series"].n_unique() == 1
        assert series.with_series(frame, names[::-1], {"syrian": "syria"})["series"].n_unique() == 1
