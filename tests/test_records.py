"""FigureSet: figures held as a frame, built back into records that equal validated ones."""

from __future__ import annotations

from figcheck.models import Figure
from figcheck.records import FigureSet
from tests.conftest import CORPUS, CORPUS_FIGURES, run


def test_trusted_figures_equal_validated_ones(tmp_path):
    import json

    result = run("figures", CORPUS, "--format", "jsonl")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.exit_code == 0 and len(records) == CORPUS_FIGURES
    validated = [Figure.model_validate(r) for r in records]
    figures = FigureSet.of(validated)
    taken = figures.take(range(len(figures)))
    assert [taken[i] for i in range(len(figures))] == validated
    assert [f.model_dump(mode="json") for f in taken.values()] == records
    assert taken[3].model_copy(update={"value": 1.0}).value == 1.0 and taken[3].value != 1.0
    assert list(figures) == validated


def test_trusted_findings_equal_validated_ones():
    import json

    from figcheck.models import Finding

    found = json.loads(run("scan", CORPUS, "--format", "json").stdout)
    assert len(found) == 9
    assert [Finding.model_validate(f).model_dump(mode="json") for f in found] == found
