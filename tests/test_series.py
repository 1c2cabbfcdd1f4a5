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
