"""Rules that see the same figure: a stale toll is reported once, by outdated, and conflict leaves it."""

from __future__ import annotations

from figcheck.findings import run_rules
from figcheck.pack import RuleSettings, load_config
from figcheck.records import FigureSet
from tests.test_rules import figure

FIGURES = [
    # The toll passed 30,000 on 20 February; on 1 March one article still gives 27,000, another 30,228.
    {"doc": "feb.txt", "metric": "gaza.deaths", "value": 30035, "as_of": "2024-02-20", "surface": "30,035"},
    {"doc": "stale.txt", "metric": "gaza.deaths", "value": 27000, "precision": 1000, "as_of": "2024-03-01",
     "surface": "27,000"},
    {"doc": "fresh.txt", "metric": "gaza.deaths", "value": 30228, "as_of": "2024-03-01", "surface": "30,228"},
]


def test_a_stale_figure_is_reported_by_outdated_and_not_again_by_conflict():
    found = run_rules(FigureSet.of([figure(f) for f in FIGURES]), load_config(), [])
    assert [(f.rule, f.figures[0].surface) for f in found] == [("outdated", "27,000")]


def test_with_outdated_disabled_conflict_reports_the_disagreement():
    config = load_config()
    config.rules["outdated"] = RuleSettings(enabled=False)
    found = run_rules(FigureSet.of([figure(f) for f in FIGURES]), config, [])
    assert [f.rule for f in found] == ["conflict"]
