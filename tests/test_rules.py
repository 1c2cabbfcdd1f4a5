"""Rule cases as data: every file in data/rules/ is a list of cases run by this one test."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from figcheck.checks import RULES
from figcheck.findings import run_rules
from figcheck.models import Figure, ReferenceRow
from figcheck.pack import load_config
from figcheck.records import FigureSet
from tests.conftest import DATA

CONFIG = load_config([DATA / "rule_pack.yaml"])
CASES = [(path.stem, case) for path in sorted((DATA / "rules").glob("*.yaml"))
         for case in yaml.safe_load(path.read_text(encoding="utf-8"))]


def figure(spec: dict) -> Figure:
    surface = str(spec["surface"])
    defaults = {"path": spec["doc"], "published": spec["as_of"], "char_start": 0, "char_end": len(surface),
                "line": 1, "column": 1, "sentence": surface}
    return Figure.model_validate({**defaults, **spec, "surface": surface})


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[f"{f}: {c['name']}" for f, c in CASES])
def test_rule_case(case):
    figures = FigureSet.of([figure(f) for f in case["figures"]])
    references = [ReferenceRow.model_validate(r) for r in case.get("references", [])]
    found = run_rules(figures, CONFIG, references)
    assert len(found) == len(case["expect"]), [(f.rule, f.metric, f.message) for f in found]
    for want, got in zip(case["expect"], sorted(found, key=lambda f: (f.rule, f.metric))):
        listed = [f"{f.doc}:{f.surface}" for f in got.figures]
        assert (got.rule, got.metric) == (want["rule"], want["metric"])
        assert listed[0] == want["figures"][0], "the subject comes first"
        assert sorted(listed) == sorted(want["figures"])
        for key in ("severity", "days_stale"):
            if key in want:
                assert getattr(got, key) == want[key]
        if "reference_date" in want:
            assert got.reference is not None and got.reference.date == dt.date.fromisoformat(str(want["reference_date"]))
        for text in want.get("message_has", []):
            assert text in got.message


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_module_documents_itself(rule_id):
    """A stable id, a one-line summary, and a docstring with a flagged and a passing example."""
    rule = RULES[rule_id]
    assert rule.ID == rule_id and rule.SUMMARY and "\n" not in rule.SUMMARY
    assert "Flagged:" in rule.__doc__ and "Passes:" in rule.__doc__
    assert any(f == rule_id for f, _ in CASES), "each rule has a data file of cases"


def test_with_outdated_off_trend_reports_a_growing_count_that_falls():
    from figcheck.pack import load_config as load

    config = load([DATA / "rule_pack.yaml"])
    config.rules["outdated"] = RULES["outdated"].Settings(enabled=False)
    metric = next(m.id for m in config.metrics.values() if m.spec.moves == "grows")
    figures = FigureSet.of([
        figure({"doc": "a.txt", "claimant": "the ministry", "metric": metric, "value": 500, "as_of": dt.date(2024, 3, 1),
                "surface": "500"}),
        figure({"doc": "b.txt", "claimant": "the ministry", "metric": metric, "value": 400, "as_of": dt.date(2024, 4, 1),
                "surface": "400"}),
    ])
    found = [f for f in run_rules(figures, config, []) if f.rule == "trend"]
    assert [(f.figures[0].surface, f.figures[1].surface) for f in found] == [("400", "500")]
    assert "can only grow" in found[0].message


def _random_figures(seed: int) -> list[Figure]:
    """Figures of metrics of every kind of period (growing, falling, windows of 3, 60 and 400
    days, a past event), with values and bounds (lower and upper) that overlap and tie, articles that give several
    figures of a metric and claims that several articles share."""
    import random

    rnd = random.Random(seed)
    metrics = ["gaza.deaths", "gaza.population", "hostages.taken", "hostages.held", "flood.town.population",
               "flood_1998.deaths"]
    start = dt.date(2024, 3, 1)
    specs: list[dict] = []
    for i in range(90):
        value = rnd.choice([100, 110, 120, 150, 200, 1000, 1100])
        qualifier = rnd.choice(["exact", "exact", "exact", "more_than", "approx", "nearly", "up_to"])
        day = rnd.choice([0, 0, 1, 2, 3, 4, 6, 9, 40, 70, 300])
        spec = {"metric": rnd.choice(metrics), "value": value, "precision": rnd.choice([1, 10, 100]),
                "qualifier": qualifier, "low": value if qualifier == "more_than" else None,
                "high": value if qualifier == "up_to" else None,
                "as_of": start + dt.timedelta(days=day), "surface": str(value),
                "claimant": rnd.choice([None, None, "Health Ministry", "Civil Defence"])}
        if specs and rnd.random() < 0.3:  # another article says the same
            spec = dict(rnd.choice(specs))
        specs.append(spec)
    out = [figure({**spec, "doc": f"d{rnd.randrange(12)}.md", "char_start": i}) for i, spec in enumerate(specs)]
    return out


@pytest.mark.parametrize("piece_rows", [1, 5, 37])
def test_partner_figures_listed_in_pieces_match_one_listing(monkeypatch, piece_rows):
    """figure_pairs lists the partners' figures a piece of claims at a time: the same rows as
    one listing of them all, whatever the pieces."""
    from figcheck.checks import pairs, sweep
    from figcheck.checks.frame import Context

    listed = 0
    for seed in range(6):
        ctx = Context.build(FigureSet.of(_random_figures(seed)), CONFIG)
        chosen = sweep.clashes(ctx, pairs.questioned(ctx, pairs.loses()))
        monkeypatch.setattr(pairs, "PIECE_ROWS", 1_000_000)
        whole = pairs.figure_pairs(ctx, chosen).sort("idx")
        monkeypatch.setattr(pairs, "PIECE_ROWS", piece_rows)
        assert pairs.figure_pairs(ctx, chosen).sort("idx").equals(whole), seed
        listed += whole["partners"].list.len().sum()
    assert listed > 100


@pytest.mark.parametrize("rows,partners,own_rows", [(1, 2, 1), (7, 3, 4), (500_000, 80, 20_000)])
def test_support_and_clashes_in_pieces_match_every_pair_compared(monkeypatch, rows, partners, own_rows):
    """sweep counts support without the pairs and joins clashes a piece at a time, keeping the
    best supported few per claim: the same as pairs.pairs, whatever the pieces (of claims, and of
    articles for a claim's own article) and the cap."""
    import polars as pl

    from figcheck.checks import pairs, sweep
    from figcheck.checks.frame import Context

    monkeypatch.setattr(sweep, "ROWS", rows)
    monkeypatch.setattr(sweep, "OWN_ROWS", own_rows)
    monkeypatch.setattr(sweep, "FEW_CLAIMS", 0)
    monkeypatch.setattr(sweep, "PARTNERS", partners)
    clashing = near = shared = 0
    for seed in range(8):
        ctx = Context.build(FigureSet.of(_random_figures(seed)), CONFIG)
        every = pairs.pairs(ctx)
        counted = every.select("claim", "support", "nearby").unique("claim").sort("claim")
        assert sweep.support(ctx).join(counted.select("claim"), on="claim").equals(counted), seed
        for keep in (pairs.questioned(ctx, pairs.loses()), pairs.behind() & pl.col("series").is_not_null()):
            chosen = (every.filter(pl.col("same_period") & ~pl.col("compatible") & keep)
                      .sort("claim", "support_b", "claim_b", descending=[False, True, False])
                      .filter(pl.int_range(pl.len()).over("claim") < partners))
            got = sweep.clashes(ctx, keep)
            assert sorted(got.select("claim", "claim_b", "support_b").rows()) == \
                sorted(chosen.select("claim", "claim_b", "support_b").rows()), seed
            clashing += chosen.height
        near += (counted["nearby"] != 0).sum()
        shared += (pairs.claims(ctx.frame)["n_docs"] > 1).sum()
    assert clashing > 100 and near > 10 and shared > 10
