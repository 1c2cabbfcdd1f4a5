"""What `outdated` and `revised` hide of `conflict` and `claimant` is read off their rows, not
their findings; the rules' frames are read from a store sorted a column at a time."""

from __future__ import annotations

import random

import polars as pl
import pytest

from figcheck.checks import RULES
from figcheck.checks.frame import Context
from figcheck.findings import _subject, _superseding_subjects
from figcheck.models import ReferenceRow
from figcheck.records import FigureSet
from figcheck.scope import _sorted_by_column
from figcheck.store import canonical
from tests.test_rules import CASES, CONFIG, figure

SUPERSEDING = [(f, c) for f, c in CASES if f in ("outdated", "revised")]


@pytest.mark.parametrize("case", [c for _, c in SUPERSEDING], ids=[f"{f}: {c['name']}" for f, c in SUPERSEDING])
def test_superseding_subjects_are_those_of_the_findings_above_info(case):
    figures = FigureSet.of([figure(f) for f in case["figures"]])
    references = [ReferenceRow.model_validate(r) for r in case.get("references", [])]
    ctx = Context.build(figures, CONFIG, references)
    chosen = [(rule_id, RULES[rule_id]) for rule_id in ("conflict", "outdated", "revised")]
    found = _superseding_subjects(ctx, chosen)
    for rule_id in ("outdated", "revised"):
        assert found[rule_id] == {_subject(f) for f in RULES[rule_id].run(ctx) if f.severity != "info"}


def test_some_superseding_case_hides_a_subject():
    hidden = 0
    for _, case in SUPERSEDING:
        ctx = Context.build(FigureSet.of([figure(f) for f in case["figures"]]), CONFIG,
                            [ReferenceRow.model_validate(r) for r in case.get("references", [])])
        hidden += sum(map(len, _superseding_subjects(ctx, [(i, RULES[i]) for i in ("claimant", "outdated",
                                                                                   "revised")]).values()))
    assert hidden > 5


def test_a_frame_sorted_a_column_at_a_time_is_in_canonical_order():
    rnd = random.Random(3)
    n = 500
    frame = pl.DataFrame({
        "metric": [rnd.choice(["a", "b"]) for _ in range(n)],
        "as_of": [rnd.choice([None, *range(19000, 19010)]) for _ in range(n)],
        "path": [rnd.choice(["x.md", "y.md", "z.md"]) for _ in range(n)],
        "char_start": rnd.sample(range(10 * n), n),
        "char_end": [0] * n,
        "sentence": [f"s{rnd.random()}" for _ in range(n)],
    }).with_columns(pl.col("as_of").cast(pl.Date))
    assert _sorted_by_column(frame).equals(canonical(frame))
    assert not frame.equals(canonical(frame))
