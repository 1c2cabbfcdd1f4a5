"""Rules that judge a large metric a piece at a time give the findings of one pass over it."""

from __future__ import annotations

import datetime as dt
import json
import random

from figcheck import app, figfile
from figcheck import findings as rules
from figcheck.checks import claimant, internal, outdated
from figcheck.models import ReferenceRow
from figcheck.output import plain
from figcheck.pack import load_config
from tests.scale_archives import figures_file

START = dt.date(2024, 2, 1)
CLAIMANTS = ["the territory's health ministry", "the government media office", None]


def six_weeks_of_tolls(path) -> None:
    """Invented tolls over six weeks from sixty articles: a count rising by about 120 a day,
    mostly current, some days to weeks behind, some rounded down to a lower bound, some
    credited to one of two authorities (one counting more slowly); a few articles cite the toll twice."""
    rnd = random.Random(15)
    rows = []
    for article in range(60):
        published = START + dt.timedelta(days=rnd.randrange(42))
        for k in range(rnd.choice([1, 1, 2, 3])):
            lag = rnd.choice([0, 0, 0, 1, 4, 12, 25])
            who = rnd.choice(CLAIMANTS)
            # The media office counts more slowly: its count trails the ministry's.
            slower = 500 if who == CLAIMANTS[1] else 0
            true = 20_000 + 120 * ((published - START).days - lag) + rnd.randrange(-30, 30) - slower
            lower = rnd.random() < 0.3
            value = true // 1000 * 1000 if lower else true
            rows.append({
                "doc": f"article-{article:02d}.md", "value": value, "as_of": str(published),
                "surface": f"more than {value:,}" if lower else f"{value:,}",
                "qualifier": "more_than" if lower else "exact", "precision": 1000 if lower else 1,
                "claimant": who, "char_start": 40 + 90 * k,
                "sentence": f"Officials said the toll stood at {value:,} (invented figure {article}-{k}).",
            })
    figures_file(path, rows)


def test_figures_judged_against_a_record_a_piece_at_a_time_give_the_findings_of_one_pass(tmp_path, monkeypatch):
    """outdated (each figure against its series' record) and claimant (against the other
    series' records) judge SUBJECT_ROWS figures at a time against records of the whole metric;
    internal pairs the figures of PIECE_FIGURES at a time, whole articles."""
    six_weeks_of_tolls(tmp_path / "tolls.jsonl")
    figures = figfile.load_figures(tmp_path / "tolls.jsonl", None, None, print)
    references = [ReferenceRow(date=START + dt.timedelta(days=d), metric="gaza.deaths", value=20_000 + 120 * d - 50,
                               source="invented daily series") for d in range(0, 42, 3)]
    config = load_config()

    def findings() -> str:
        return plain.as_jsonl(rules.iter_findings(figures, config, references, order=app.finding_order))

    monkeypatch.setattr(outdated, "SUBJECT_ROWS", 1_000_000)
    whole = findings()
    pieces = {"outdated": [], "claimant": [], "internal": []}

    def counted(rule, real):
        def judge(counts, *record):
            pieces[rule].append(counts.height)
            return real(counts, *record)
        return judge

    monkeypatch.setattr(outdated, "_behind", counted("outdated", outdated._behind))
    monkeypatch.setattr(claimant, "_trailing", counted("claimant", claimant._trailing))
    monkeypatch.setattr(internal, "_contradictions", counted("internal", internal._contradictions))
    monkeypatch.setattr(outdated, "SUBJECT_ROWS", 7)
    monkeypatch.setattr(internal, "PIECE_FIGURES", 7)
    assert findings() == whole
    for sizes in pieces.values():
        assert len(sizes) > 5 and max(sizes) <= 7 + 2  # many pieces, none larger than asked (and an article)
    found = [json.loads(line) for line in whole.splitlines()]
    assert sum(f["rule"] == "outdated" for f in found) > 10
    assert sum(f["rule"] == "outdated" and f["severity"] == "warning" for f in found) > 3
    assert sum(f["rule"] == "claimant" and "trails" in f["message"] for f in found) > 3
    assert sum(f["rule"] == "internal" for f in found) > 3
