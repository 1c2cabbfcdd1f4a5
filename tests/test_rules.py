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
