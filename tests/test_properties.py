"""Properties that must hold for any input (hypothesis, with a bounded budget for CI)."""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from figcheck.checks import conflict, pairs
from figcheck.checks.frame import Context
from figcheck.extract.extractor import extract
from figcheck.models import Article, Figure
from figcheck.pack import load_config
from figcheck.records import FigureSet

CONFIG = load_config()
BUDGET = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

NEWSY = st.sampled_from([
    "more than ", "at least ", "some ", "nearly ", "between ", " and ", "killed ", "in Gaza ", "hostages ",
    "remain ", "2.3 million", "32,070", "four", "two-thirds", "70%", "Oct. 7", "6:22 pm", "4/1/2024", ", ",
    ". ", "\n", "said Friday ", "according to the ministry", "Rafah ", "shelter ", "—", "’s ", "½", "٣",
])
TEXT = st.lists(st.one_of(NEWSY, st.text(max_size=12)), max_size=40).map("".join)


def _article(text: str) -> Article:
    return Article(path="p.txt", doc="p.txt", text=text, published=dt.date(2024, 3, 23))


@BUDGET
@given(TEXT)
def test_extraction_never_raises_and_offsets_slice_the_surface(text):
    for figure in extract(_article(text), CONFIG):
        assert text[figure.char_start:figure.char_end] == figure.surface
        line = text.splitlines(keepends=True)[figure.line - 1] if text else ""
        assert line[figure.column - 1:].startswith(figure.surface.splitlines()[0])


@BUDGET
@given(st.text(max_size=300))
def test_extraction_never_raises_on_arbitrary_unicode(text):
    extract(_article(text), CONFIG)


QUALIFIERS = ["exact", "more_than", "over", "at_least", "nearly", "up_to", "fewer_than", "approx"]


@st.composite
def figures(draw, metric: str, min_size: int = 1):
    count = draw(st.integers(min_size, 8))
    out = []
    for i in range(count):
        value = float(draw(st.sampled_from([1_000_000, 1_400_000, 1_500_000, 2_200_000, 2_300_000, 2_250_000])))
        qualifier = draw(st.sampled_from(QUALIFIERS))
        precision = float(draw(st.sampled_from([1, 10, 1000, 100_000])))
        day = draw(st.integers(0, 9))
        low = value if qualifier in ("more_than", "over", "at_least") else None
        high = value if qualifier in ("nearly", "up_to", "fewer_than") else None
        out.append(Figure(doc=f"d{i}.md", path=f"d{i}.md", metric=metric, value=value, qualifier=qualifier,
                          low=low, high=high, precision=precision, surface=f"f{i}", char_start=0, char_end=2,
                          line=1, column=1, sentence="", as_of=dt.date(2024, 3, 1) + dt.timedelta(days=day)))
    return out


@BUDGET
@given(figures("rafah.sheltering"))
def test_each_interval_holds_its_own_value(figs):
    frame = Context.build(FigureSet.of(figs), CONFIG).frame
    assert (frame["lo"] <= frame["value"]).all() and (frame["value"] <= frame["hi"]).all()


def _conflict_sets(figs: list[Figure], tolerance_scale: float = 1.0) -> set[frozenset[str]]:
    found = conflict.run(Context.build(FigureSet.of(figs), CONFIG, tolerance_scale=tolerance_scale))
    return {frozenset(f.doc for f in finding.figures) for finding in found}


@BUDGET
@given(st.sampled_from(["rafah.sheltering", "gaza.deaths"]).flatmap(lambda m: figures(m, 2)), st.randoms())
def test_conflict_is_symmetric(figs, rnd: random.Random):
    shuffled = list(figs)
    rnd.shuffle(shuffled)
    assert _conflict_sets(figs) == _conflict_sets(shuffled)


@BUDGET
@given(figures("rafah.sheltering", 2))
def test_conflict_never_fires_among_figures_of_one_value(figs):
    same = [f.model_copy(update={"value": figs[0].value, "qualifier": "exact", "low": None, "high": None,
                                 "precision": figs[0].precision}) for f in figs]
    assert _conflict_sets(same) == set()


def _incompatible_pairs(figs: list[Figure], tolerance_scale: float = 1.0) -> set[frozenset[str]]:
    ctx = Context.build(FigureSet.of(figs), CONFIG, tolerance_scale=tolerance_scale)
    found = pairs.pairs(ctx)
    clash = pairs.figure_pairs(ctx, found.filter(~found["compatible"] & found["same_period"])).explode("partners")
    docs = dict(zip(ctx.frame["idx"], ctx.frame["doc"]))
    return {frozenset((doc, docs[p])) for doc, p in zip(clash["doc"], clash["partners"])}


@BUDGET
@given(figures("rafah.sheltering", 2), st.floats(1.0, 5.0))
def test_widening_the_tolerance_never_adds_a_conflict(figs, wider):
    """Wider intervals only make figures compatible; which one is reported may change, not the clashes."""
    assert _incompatible_pairs(figs, wider) <= _incompatible_pairs(figs)
