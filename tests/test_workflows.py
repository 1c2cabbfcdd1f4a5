"""The CI and archive workflows: check against an archive, annotations, SARIF, index, baselines, ignores."""

from __future__ import annotations

import json
import shutil

import jsonschema
import pytest

from figcheck.pack import default_rules_dir
from tests.conftest import CORPUS, DATA, SHARED, article, needs_shared, run

DRAFT = DATA / "drafts" / "ceasefire-draft.md"
STALE = ("Draft Desk (2024-06-20) cites 'more than 25,000' (People killed in Gaza since 7 October 2023) "
         "(health ministry's count); Associated Press (2024-02-29) already reported '30,035', 112 days earlier. "
         "By 2024-06-20, NPR (2024-06-11) had 'at least 37,164'.")


@pytest.fixture
def draft(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "drafts").mkdir()
    shutil.copy(DRAFT, tmp_path / "drafts" / DRAFT.name)
    return "drafts/" + DRAFT.name


def test_check_annotates_the_stale_line_for_github(draft):
    result = run("check", draft, "--against", CORPUS, "--format", "github")
    assert result.exit_code == 1
    assert result.stdout == (
        "::warning file=drafts/ceasefire-draft.md,line=9,endLine=9,col=20,endColumn=36,"
        f"title=figcheck outdated%3A gaza.deaths::{STALE}\n")


def test_check_reports_only_the_new_article_and_honours_ignore_comments(draft):
    found = json.loads(run("check", draft, "--against", CORPUS, "--format", "json").stdout)
    assert [(f["rule"], f["figures"][0]["doc"], f["figures"][0]["surface"]) for f in found] == \
        [("outdated", "drafts/ceasefire-draft.md", "more than 25,000")]
    assert found[0]["days_stale"] == 112


def test_check_passes_with_fail_on_error_and_never(draft):
    assert run("check", draft, "--against", CORPUS, "--fail-on", "error").exit_code == 0
    assert run("check", draft, "--against", CORPUS, "--fail-on", "never").exit_code == 0
    assert run("check", draft, "--against", CORPUS, "--fail-on", "info").exit_code == 1


@needs_shared
def test_sarif_is_valid_and_points_at_the_figure(draft):
    log = json.loads(run("check", draft, "--against", CORPUS, "--format", "sarif").stdout)
    schema = json.loads((SHARED / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validate(log, schema)
    driver = log["runs"][0]["tool"]["driver"]
    assert [r["id"] for r in driver["rules"]] == ["conflict", "claimant", "outdated", "revised", "internal", "trend",
                                                  "arithmetic", "implausible"]
    for rule in driver["rules"]:
        assert rule["name"] and rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    (result,) = log["runs"][0]["results"]
    assert result["ruleId"] == "outdated" and driver["rules"][result["ruleIndex"]]["id"] == "outdated"
    assert result["level"] == "warning" and result["message"]["text"] == STALE
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "drafts/ceasefire-draft.md"
    assert location["region"] == {"startLine": 9, "startColumn": 20, "endLine": 9, "endColumn": 36,
                                  "charOffset": DRAFT.read_text(encoding="utf-8").index("more than 25,000"),
                                  "charLength": 16,
                                  "snippet": {"text": "more than 25,000"}}
    assert result["relatedLocations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "gaza/2024-02-29-ap-aid-convoy.txt", "uriBaseId": "SRCROOT"}


def test_check_against_a_store(draft, tmp_path):
    assert run("index", CORPUS, "--store", tmp_path / "store").exit_code == 0
    found = json.loads(run("check", draft, "--against", tmp_path / "store", "--format", "json").stdout)
    assert [(f["rule"], f["days_stale"]) for f in found] == [("outdated", 112)]


def test_check_says_when_the_store_was_indexed_with_other_packs(draft, tmp_path):
    assert run("index", CORPUS, "--store", tmp_path / "store").exit_code == 0
    same = run("check", draft, "--against", tmp_path / "store", "--format", "json")
    assert "other metric packs" not in same.stderr
    packs = tmp_path / "packs"
    shutil.copytree(default_rules_dir(), packs)
    with (packs / "gaza.yaml").open("a", encoding="utf-8") as edited:
        edited.write("# edited since the store was indexed\n")
    other = run("check", draft, "--against", tmp_path / "store", "--rules", packs, "--format", "json")
    assert "store: indexed with other metric packs" in other.stderr
    assert json.loads(other.stdout) == json.loads(same.stdout)


def test_index_extracts_only_what_changed(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    store = tmp_path / "store"
    first = run("index", corpus, "--store", store)
    assert first.exit_code == 0 and "(16 extracted, 0 unchanged, 0 removed)" in first.stderr
    again = run("index", corpus, "--store", store)
    assert "(0 extracted, 16 unchanged, 0 removed)" in again.stderr
    changed = corpus / "gaza" / "2024-05-14-regionalwire-rafah-crossing.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("28,000", "35,000"), encoding="utf-8")
    (corpus / "quake" / "2023-02-13-regionalwire-quake-markets.txt").unlink()
    third = run("index", corpus, "--store", store)
    assert "(1 extracted, 14 unchanged, 0 removed; 1 no longer exist (--prune drops them))" in third.stderr
    pruned = run("index", corpus, "--store", store, "--prune")
    assert "15 articles" in pruned.stderr and "(0 extracted, 15 unchanged, 1 removed)" in pruned.stderr
    figures = run("figures", store, "--format", "json")
    surfaces = {(f["doc"], f["surface"]) for f in json.loads(figures.stdout)}
    assert ("gaza/2024-05-14-regionalwire-rafah-crossing.txt", "more than 35,000") in surfaces
    assert not any(doc.startswith("quake/2023-02-13-regionalwire") for doc, _ in surfaces)
    scan = json.loads(run("scan", store, "--format", "json").stdout)
    # The corrected article and the removed one no longer show up as out of date.
    stale = {f["figures"][0]["doc"] for f in scan if f["rule"] == "outdated" and f["severity"] == "warning"}
    assert "conflict" in {f["rule"] for f in scan}
    assert not stale & {"2024-05-14-regionalwire-rafah-crossing.txt", "2023-02-13-regionalwire-quake-markets.txt"}


def test_baseline_keys_survive_edits_elsewhere(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    baseline = tmp_path / "baseline.json"
    assert run("scan", corpus, "--write-baseline", baseline, "--format", "json").exit_code == 0
    assert run("scan", corpus, "--baseline", baseline).exit_code == 0
    stale = corpus / "gaza" / "2024-05-14-regionalwire-rafah-crossing.txt"
    stale.write_text("An added first paragraph moves every offset.\n\n" + stale.read_text(encoding="utf-8"),
                     encoding="utf-8")
    assert run("scan", corpus, "--baseline", baseline, "--format", "json").stdout.strip() == "[]"


def test_front_matter_silences_a_rule_for_the_article(tmp_path):
    archive = article(tmp_path, "a/old.md", "The ministry said 30,035 people have been killed in Gaza.",
                      published="2024-02-29")
    body = "The war has killed more than 25,000 people in Gaza."
    quiet = article(tmp_path, "new/quiet.md", body, published="2024-06-20", figcheck_ignore="[outdated]")
    loud = article(tmp_path, "new/loud.md", body, published="2024-06-20")
    assert run("check", quiet, "--against", archive.parent, "--format", "json").stdout.strip() == "[]"
    assert len(json.loads(run("check", loud, "--against", archive.parent, "--format", "json").stdout)) == 1


def test_check_dates_an_undated_draft_today(tmp_path):
    archive = article(tmp_path, "a/old.md", "The ministry said 30,035 people have been killed in Gaza.",
                      published="2024-02-29")
    draft = tmp_path / "draft.txt"
    draft.write_text("The war has killed more than 25,000 people in Gaza.\n", encoding="utf-8")
    result = run("check", draft, "--against", archive.parent, "--format", "json")
    assert "publication date unknown, taken as" in result.stderr
    assert json.loads(result.stdout)[0]["rule"] == "outdated"
