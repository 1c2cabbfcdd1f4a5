"""`figcheck figures --explain`: every number, the metric that took it, or why none did."""

from __future__ import annotations

import json

import re

from tests.conftest import article, run


def test_explain_says_why_a_number_was_not_claimed(tmp_path):
    body = ("Israeli strikes have killed 30,100 people in Gaza, the ministry said. "
            "Another 50 people were killed in one strike on a camp, and 200 were killed in 1948.\n")
    path = article(tmp_path, "story.md", body, published="2024-03-01")
    result = run("figures", path, "--explain", "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    rows = {r["surface"]: r for r in map(json.loads, result.stdout.splitlines())}
    assert rows["30,100"]["metric"] == "gaza.deaths" and rows["30,100"]["counts"] == "people"
    assert rows["50"]["metric"] == "gaza.deaths_incident" and rows["50"]["period"] == "incident"
    unclaimed = rows["200"]
    assert unclaimed["metric"] is None and unclaimed["comparison"] is True
    assert re.search(r"\bgaza\.deaths\b[^;]*: another event quoted for comparison", unclaimed["why"])
    table = run("figures", path, "--explain").stdout
    assert "'200' → not claimed" in table and "another event quoted for comparison" in table


def test_explain_refuses_csv(tmp_path):
    path = article(tmp_path, "story.md", "The toll in Gaza rose to 30,100.", published="2024-03-01")
    result = run("figures", path, "--explain", "--format", "csv")
    assert result.exit_code == 2 and "--explain writes table, json or jsonl" in result.stderr


def test_explain_marks_identified_counts_and_changes(tmp_path):
    body = ("The Gaza health ministry said it had identified 25,100 of the dead in Gaza. "
            "The toll in Gaza rose by 120, to 35,200.\n")
    path = article(tmp_path, "story.md", body, published="2024-05-13")
    rows = {r["surface"]: r for r in map(json.loads, run("figures", path, "--explain", "--format", "jsonl").stdout.splitlines())}
    assert rows["25,100"]["identified"] is True and rows["25,100"]["increment"] is False
    assert rows["120"]["increment"] is True and rows["120"]["metric"] is None
    assert "[no noun after it; increment]" in run("figures", path, "--explain").stdout
