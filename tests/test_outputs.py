"""Output formats: CSV that round-trips and opens safely in spreadsheets, JSON, tables, -o FILE."""

from __future__ import annotations

import csv
import io
import json

import polars as pl
import pytest

from figcheck.output.csvout import guard
from figcheck.output.plain import FIGURE_COLUMNS, FINDING_COLUMNS
from tests.conftest import CORPUS, article, run


def _plain(value):
    """A JSON value as the CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(value)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@pytest.mark.parametrize("command,columns", [("figures", FIGURE_COLUMNS), ("scan", FINDING_COLUMNS)])
def test_csv_round_trips_with_the_csv_module_and_polars(command, columns):
    as_csv = run(command, CORPUS, "--format", "csv").stdout_bytes.decode("utf-8")
    assert as_csv.startswith(",".join(columns) + "\r\n")
    rows = list(csv.DictReader(io.StringIO(as_csv, newline="")))
    frame = pl.read_csv(io.StringIO(as_csv), infer_schema_length=0)  # every cell as text
    assert frame.columns == columns and frame.height == len(rows) > 0
    for row, from_polars in zip(rows, frame.iter_rows(named=True)):
        assert {k: v or "" for k, v in from_polars.items()} == row
    if command == "figures":
        records = [json.loads(line) for line in run(command, CORPUS, "--format", "jsonl").stdout.splitlines()]
        assert len(records) == len(rows)
        for record, row in zip(records, rows):
            assert {c: _plain(record[c]) for c in columns} == row
        numbers = pl.read_csv(io.StringIO(as_csv))
        assert numbers["value"].dtype.is_numeric() and numbers["char_start"].dtype == pl.Int64
    else:
        findings = json.loads(run(command, CORPUS, "--format", "json").stdout)
        assert [(f["rule"], f["figures"][0]["surface"]) for f in findings] == [(r["rule"], r["surface"]) for r in rows]
        stale = next(r for r in rows if r["rule"] == "outdated" and r["surface"] == "more than 28,000")
        assert stale["evidence_outlets"].startswith("Associated Press") and stale["days_stale"] == "75"


def test_csv_defuses_formulas_but_keeps_numbers(tmp_path):
    path = article(tmp_path, "a.md", "The war has killed more than 32,000 people in Gaza, @someone said.",
                   outlet="=HYPERLINK(\"http://x\")")
    rows = list(csv.DictReader(io.StringIO(run("figures", path, "--format", "csv").stdout_bytes.decode(), newline="")))
    assert rows[0]["outlet"] == "'=HYPERLINK(\"http://x\")"
    assert rows[0]["value"] == "32000" and rows[0]["published"] == "2024-03-23"
    assert guard(-5) == "-5" and guard("-5 people") == "'-5 people" and guard("+1") == "'+1" and guard("@a") == "'@a"


def test_excel_flag_adds_a_byte_order_mark(tmp_path):
    path = article(tmp_path, "a.md", "The war has killed more than 32,000 people in Gaza.", outlet="Al-Quds (القدس)")
    out = tmp_path / "figures.csv"
    assert run("figures", path, "--format", "csv", "--excel", "-o", out).exit_code == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and "القدس".encode() in data


def test_output_file_receives_any_format(tmp_path):
    out = tmp_path / "scan.sarif"
    result = run("scan", CORPUS, "--format", "sarif", "-o", out)
    assert result.exit_code == 1 and result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_table_groups_findings_by_metric_with_quotes():
    text = run("scan", CORPUS).stdout
    assert text.index("gaza.deaths") < text.index("gaza.population") < text.index("quake.deaths")
    assert "Regional Wire (2024-05-14)" in text and "more than 28,000" in text
    assert text.rstrip().endswith("1 error, 5 warnings, 3 info")


def test_figures_table_lists_outlet_date_metric_and_claimant():
    text = run("figures", CORPUS / "quake").stdout
    assert "Associated Press" in text and "turkey.deaths" in text and "AFAD" in text
    assert text.rstrip().endswith("figures in 7 articles")


def test_figures_table_counts_one_article_in_the_singular():
    text = run("figures", CORPUS / "quake" / "2023-02-08-france24-quake-toll.md").stdout
    assert text.rstrip().endswith("3 figures in 1 article")


def test_metrics_lists_the_active_packs():
    result = run("metrics")
    assert result.exit_code == 0
    for metric in ("gaza.deaths", "hostages.held_dead", "hamas.battalions.rafah", "syria.deaths"):
        assert metric in result.stdout


def test_progress_bar_only_on_a_terminal_and_for_long_jobs(monkeypatch):
    import sys

    from figcheck.app import progress_bar

    assert progress_bar(1000, "x") is None  # stderr is not a terminal under pytest

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    assert progress_bar(5, "indexing") is None  # too short a job to draw for
    advance = progress_bar(30, "indexing")
    advance(10)
    assert "indexing" in screen.getvalue()  # the bar is drawn on stderr
    assert "\x1b[?25h" not in screen.getvalue()  # and still running, the cursor hidden
    advance(20)
    assert "\x1b[?25h" in screen.getvalue()  # finishing stops it and gives the cursor back


def test_figures_carry_their_article_url(tmp_path):
    path = article(tmp_path, "a.md", "The war has killed more than 32,000 people in Gaza.", url="https://example.org/a")
    record = json.loads(run("figures", path, "--format", "jsonl").stdout.splitlines()[0])
    assert record["url"] == "https://example.org/a"
    row = next(csv.DictReader(io.StringIO(run("figures", path, "--format", "csv").stdout_bytes.decode(), newline="")))
    assert row["url"] == "https://example.org/a"
