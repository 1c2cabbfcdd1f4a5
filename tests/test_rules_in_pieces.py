"""Rules that judge a large metric a piece at a time give the findings of one pass over it."""

from __future__ import annotations

import datetime as dt
import random

from figcheck import app, figfile
from figcheck import findings as rules
from figcheck.checks import outdated
from figcheck.models import ReferenceRow
from figcheck.output import plain
from figcheck.pack import load_config
from tests.scale_archives import figures_file

START = dt.date(2024, 2, 1)
CLAIMANTS = ["the territory's health ministry", "the government media office", None]


def six_weeks_of_tolls(path) -> None:
    """Invented tolls over six weeks from sixty articles: a count rising by about 120 a day,
    mostly current, some days to weeks behind, some rounded down to a lower bound, some
    credited to one of two authorities; a few articles cite the toll twice."""
    rnd = random.Random(15)
    rows = []
    for article in range(60):
        published = START + dt.timedelta(days=rnd.randrange(42))
        for k in range(rnd.choice([1, 1, 2, 3])):
            lag = rnd.choice([0, 0, 0, 1, 4, 12, 25])
            true = 20_000 + 120 * ((published - START).days - lag) + rnd.randrange(-30, 30)
            lower = rnd.random() < 0.3
            value = true // 1000 * 1000 if lower else true
            rows.append({
                "doc": f"article-{article:02d}.md", "value": value, "as_of": str(published),
                "surface": f"more than {value:,}" if lower else f"{value:,}",
                "qualifier": "more_than" if lower else "exact", "precision": 1000 if lower else 1,
                "claimant": rnd.choice(CLAIMANTS), "char_start": 40 + 90 * k,
                "sentence": f"Officials said the toll stood at {value:,} (invented figure {article}-{k}).",
            })
    figures_file(path, rows)


def test_outdated_judges_figures_a_piece_at_a_time_with_the_findings_of_one_pass(tmp_path, monkeypatch):
    six_weeks_of_tolls(tmp_path / "tolls.jsonl")
    figures = figfile.load_figures(tmp_path / "tolls.jsonl", None, None, print)
    references = [ReferenceRow(date=START + dt.timedelta(days=d), metric="gaza.deaths", value=20_000 + 120 * d - 50,
                               source="invented daily series") for d in range(0, 42, 3)]
    config = load_config()

    def findings() -> str:
        return plain.as_jsonl(rules.iter_findings(figures, config, references, order=app.finding_order))

    monkeypatch.setattr(outdated, "SUBJECT_ROWS", 1_000_000)
    whole = findings()
    pieces = []
    real = outdated._behind

    def counted(counts, record):
        pieces.append(counts.height)
        return real(counts, record)

    monkeypatch.setattr(outdated, "_behind", counted)
    monkeypatch.setattr(outdated, "SUBJECT_ROWS", 7)
    assert findings() == whole
    assert len(pieces) > 10 and max(pieces) <= 7  # judged in many pieces, none larger than asked
    stale = [line for line in whole.splitlines() if '"rule": "outdated"' in line or '"rule":"outdated"' in line]
    assert len(stale) > 10 and any('"severity":"warning"' in s.replace(" ", "") for s in stale)
