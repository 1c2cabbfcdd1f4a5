"""scan/check --figures FILE: the rules run on figures read from JSON Lines or CSV."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from tests.conftest import DATA, SHARED, needs_shared, run

PACK = DATA / "rule_pack.yaml"
TEXT_A = "Officials met on Monday.\nThe town of Riverbend has 2.3 million people, a census office said.\n"
TEXT_B = "Aid arrived late.\nA total of 2.2 million people live in Riverbend, the mayor said on Tuesday.\n"


def _story(tmp_path):
    """Two invented articles, their manifest, and hand-made figures in the shape of an annotation."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT_A, encoding="utf-8")
    (folder / "b.txt").write_text(TEXT_B, encoding="utf-8")
    (folder / "manifest.csv").write_text(
        "file,outlet,title,published,url\na.txt,Daily One,x,2024-03-19,\nb.txt,Weekly Two,y,2024-03-23,\n",
        encoding="utf-8")
    rows = [
        {"file": "a.txt", "surface": "2.3 million", "char_start": TEXT_A.index("2.3 million"), "value": 2300000,
         "unit": "count", "qualifier": "exact", "low": None, "high": None, "metric": "gaza.population",
         "claimant": None, "as_of": "2024-03-19"},
        {"file": "b.txt", "surface": "2.2 million", "char_start": TEXT_B.index("2.2 million"),
         "value": 2200000, "unit": "count", "qualifier": "exact", "low": None, "high": None,
         "metric": "gaza.population", "claimant": "the mayor", "as_of": "2024-03-23"},
    ]
    figures = tmp_path / "gold.jsonl"
    figures.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return figures, folder / "manifest.csv"


def test_annotations_load_with_fields_derived_from_the_manifest_and_the_articles(tmp_path):
    figures, manifest = _story(tmp_path)
    result = run("scan", "--figures", figures, "--manifest", manifest, "--rules", PACK, "--format", "json")
    assert result.exit_code == 1, result.stderr
    (finding,) = json.loads(result.stdout)
    assert finding["rule"] == "conflict"
    first, second = sorted(finding["figures"], key=lambda f: f["doc"])
    assert (first["outlet"], first["published"], first["line"], first["column"]) == ("Daily One", "2024-03-19", 2, 27)
    assert first["sentence"] == "The town of Riverbend has 2.3 million people, a census office said."
    assert first["precision"] == 100000 and first["char_end"] == first["char_start"] + len("2.3 million")
    assert second["outlet"] == "Weekly Two" and second["claimant"] == "the mayor"


def test_without_the_articles_figures_still_load_with_defaults(tmp_path):
    figures, _ = _story(tmp_path)
    result = run("scan", "--figures", figures, "--rules", PACK, "--format", "json")
    (finding,) = json.loads(result.stdout)
    assert {(f["line"], f["column"], f["outlet"]) for f in finding["figures"]} == {(1, 1, None)}
    assert {f["sentence"] for f in finding["figures"]} == {"2.3 million", "2.2 million"}


def test_a_figures_csv_corrected_in_a_spreadsheet_is_checked_again(tmp_path):
    """The workflow: list the figures as CSV, fix a value, run the rules on the corrected file."""
    figures, manifest = _story(tmp_path)
    exported = run("figures", figures, "--manifest", manifest, "--rules", PACK, "--format", "csv")
    assert exported.exit_code == 0 and exported.stdout.startswith("doc,path,outlet,published,metric,value")
    path = tmp_path / "figures.csv"
    path.write_bytes(exported.stdout_bytes)
    again = run("scan", "--figures", path, "--rules", PACK, "--format", "json")
    assert [f["rule"] for f in json.loads(again.stdout)] == ["conflict"]
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    assert rows[0]["line"] == "2" and rows[1]["outlet"] == "Weekly Two"
    fixed = path.read_text(encoding="utf-8").replace("2200000", "2300000").replace("2.2 million", "2.3 million")
    path.write_text(fixed, encoding="utf-8")
    assert json.loads(run("scan", "--figures", path, "--rules", PACK, "--format", "json").stdout) == []


def test_a_bad_row_is_skipped_with_its_line_and_the_others_kept(tmp_path):
    figures, manifest = _story(tmp_path)
    lines = figures.read_text(encoding="utf-8").splitlines()
    bad = json.dumps({"file": "a.txt", "surface": "x", "value": "many", "metric": "gaza.population"})
    figures.write_text("\n".join([lines[0], "not json", bad, lines[1]]) + "\n", encoding="utf-8")
    result = run("scan", "--figures", figures, "--manifest", manifest, "--rules", PACK, "--format", "json")
    assert result.exit_code == 1
    assert f"{figures}:2: not a JSON object" in result.stderr
    assert f"{figures}:3: value:" in result.stderr and "'many'" in result.stderr
    assert [f["rule"] for f in json.loads(result.stdout)] == ["conflict"]


@pytest.mark.parametrize("content,message", [
    ("", "no usable figures in the file"),
    ("doc,value\na.txt,3\n", "a figures CSV needs the columns doc (or file), metric, value and surface"),
])
def test_a_figures_file_without_figures_is_an_error(tmp_path, content, message):
    path = tmp_path / ("f.csv" if content else "f.jsonl")
    path.write_text(content, encoding="utf-8")
    result = run("scan", "--figures", path, "--rules", PACK)
    assert result.exit_code == 2 and result.stderr.startswith("figcheck: error: ") and message in result.stderr
    assert "Traceback" not in result.stderr


def test_scan_needs_articles_or_figures(tmp_path):
    result = run("scan", "--rules", PACK)
    assert result.exit_code == 2 and "nothing to check" in result.stderr
    missing = run("scan", "--figures", tmp_path / "nope.jsonl", "--rules", PACK)
    assert missing.exit_code == 2 and "no such figures file" in missing.stderr


def test_check_takes_new_figures_from_a_file_against_an_archive_of_figures(tmp_path):
    figures, manifest = _story(tmp_path)
    rows = figures.read_text(encoding="utf-8").splitlines()
    archive, draft = tmp_path / "archive.jsonl", tmp_path / "draft.jsonl"
    archive.write_text(rows[0] + "\n", encoding="utf-8")
    draft.write_text(rows[1] + "\n", encoding="utf-8")
    result = run("check", "--figures", draft, "--against", archive, "--manifest", manifest, "--rules", PACK,
                 "--format", "json")
    assert result.exit_code == 1
    (finding,) = json.loads(result.stdout)
    assert finding["figures"][0]["doc"] == "b.txt" and finding["figures"][1]["doc"] == "a.txt"


@needs_shared
@pytest.mark.parametrize("story", ["gaza", "quake", "maui"])
def test_devset_gold_figures_find_every_expected_finding_without_false_warnings(story, tmp_path):
    """Hand-annotated figures of real articles, fed straight to the rules with the bundled packs:
    every expected finding whose metric the packs define is found, and nothing else is a warning."""
    folder = SHARED / "devset" / story
    known = {m["id"] for m in json.loads(run("metrics", "--format", "json").stdout)}
    expected = [e for e in json.loads((folder / "expected_findings.json").read_text(encoding="utf-8"))
                if e["metric"] in known]
    wanted = tmp_path / "expected.json"
    wanted.write_text(json.dumps(expected), encoding="utf-8")
    found = run("scan", "--figures", folder / "gold.jsonl", "--manifest", folder / "articles" / "manifest.csv",
                "--format", "json", "-q")
    out = tmp_path / "found.json"
    out.write_text(found.stdout, encoding="utf-8")
    score = subprocess.run([sys.executable, str(SHARED / "tools" / "score.py"), "findings", str(out), "--expected",
                            str(wanted)], capture_output=True, text=True)
    assert score.stdout.strip().splitlines()[-1] == (
        f"findings: recall {len(expected)}/{len(expected)}, false alarms 0 (warning or error, not expected)")


def test_an_annotated_range_reads_as_figcheck_s_between(tmp_path):
    row = {"file": "a.txt", "surface": "between 1,000 and 1,100", "value": 1050, "qualifier": "range", "low": 1000,
           "high": 1100, "metric": "flood.missing", "as_of": "2023-08-20"}
    path = tmp_path / "range.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    (figure,) = [json.loads(line) for line in run("figures", path, "--rules", PACK, "--format", "jsonl").stdout.splitlines()]
    assert (figure["qualifier"], figure["low"], figure["high"], figure["precision"]) == ("between", 1000, 1100, 100)
