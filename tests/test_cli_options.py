"""Command-line details newsroom CI relies on (issue 12, item 9), project settings, rule selection,
`figcheck rule`, --statistics."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner

from figcheck.cli import main
from tests.conftest import CORPUS, article, run

STALE = "The war has killed more than 25,000 people in Gaza."
ARCHIVED = "The ministry said 30,035 people have been killed in Gaza."


def archive_and_draft(tmp_path, draft_front: dict | None = None, body: str = STALE):
    old = article(tmp_path, "archive/old.md", ARCHIVED, published="2024-02-29")
    new = article(tmp_path, "drafts/new.md", body, published="2024-06-20", **(draft_front or {}))
    return old.parent, new


def test_standard_input_is_an_article(tmp_path):
    text = "---\noutlet: Piped Post\npublished: 2024-06-20\n---\n" + STALE + "\n"
    (figure,) = [json.loads(x) for x in run("figures", "-", "--format", "jsonl", input=text).stdout.splitlines()]
    assert (figure["doc"], figure["outlet"], figure["surface"]) == ("stdin", "Piped Post", "more than 25,000")
    archive, _ = archive_and_draft(tmp_path)
    checked = run("check", "-", "--against", archive, "--format", "json", input=text)
    assert checked.exit_code == 1 and json.loads(checked.stdout)[0]["rule"] == "outdated"


def test_no_color_and_force_color():
    runner = CliRunner()
    forced = runner.invoke(main, ["scan", str(CORPUS)], env={"FORCE_COLOR": "1", "NO_COLOR": ""})
    assert "\x1b[" in forced.stdout
    plain = runner.invoke(main, ["scan", str(CORPUS)], env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "\x1b[" not in plain.stdout and "1 error, 5 warnings" in plain.stdout


def test_output_extension_chooses_the_format_and_excel_needs_csv(tmp_path):
    out = tmp_path / "findings.csv"
    assert run("scan", CORPUS, "-o", out).exit_code == 1
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert rows and rows[0]["rule"] in ("conflict", "outdated", "arithmetic")
    sarif = tmp_path / "findings.sarif"
    run("scan", CORPUS, "-o", sarif)
    assert json.loads(sarif.read_text(encoding="utf-8"))["version"] == "2.1.0"
    explicit = tmp_path / "figures.csv"
    run("figures", CORPUS, "--format", "jsonl", "-o", explicit)
    assert explicit.read_text(encoding="utf-8").startswith("{")  # --format wins over the extension
    bad = run("scan", CORPUS, "--format", "json", "--excel")
    assert bad.exit_code == 2 and bad.stdout == ""
    assert bad.stderr == "figcheck: error: --excel applies to CSV only, and the format is json\n"


def test_a_typo_in_an_ignore_is_reported_and_silences_nothing(tmp_path):
    archive, draft = archive_and_draft(tmp_path, {"figcheck_ignore": "[outdate]"})
    result = run("check", draft, "--against", archive, "--format", "json")
    assert "unknown rule 'outdate'" in result.stderr and "known: conflict, claimant, outdated" in result.stderr
    assert result.exit_code == 1 and json.loads(result.stdout)[0]["rule"] == "outdated"
    draft.write_text(draft.read_text(encoding="utf-8").replace(
        "figcheck-ignore: [outdate]\n", "").replace(STALE, "<!-- figcheck: ignore outdate -->\n" + STALE),
        encoding="utf-8")
    result = run("check", draft, "--against", archive, "--format", "json")
    assert "unknown rule 'outdate'" in result.stderr and result.exit_code == 1


def test_an_ignore_comment_at_the_end_of_the_line_silences_that_line(tmp_path):
    archive, draft = archive_and_draft(tmp_path, body=STALE + " <!-- figcheck: ignore outdated -->")
    assert run("check", draft, "--against", archive, "--format", "json").stdout.strip() == "[]"
    archive, draft = archive_and_draft(tmp_path / "two", body="<!-- figcheck: ignore outdated -->\n" + STALE)
    assert run("check", draft, "--against", archive, "--format", "json").stdout.strip() == "[]"
    archive, draft = archive_and_draft(tmp_path / "three", body=STALE + " <!-- figcheck: ignore outdated -->\n"
                                       + "Officials said more than 26,000 people have been killed in Gaza.")
    (left,) = json.loads(run("check", draft, "--against", archive, "--format", "json").stdout)
    assert left["figures"][0]["surface"] == "more than 26,000"  # the next line is not silenced


def test_check_with_only_a_reference_series(tmp_path):
    reference = tmp_path / "daily.csv"
    reference.write_text("date,metric,value,source\n2024-03-01,gaza.deaths,30100,Ministry\n", encoding="utf-8")
    _, draft = archive_and_draft(tmp_path)
    result = run("check", draft, "--reference", reference, "--format", "json")
    assert result.exit_code == 1, result.stderr
    (finding,) = json.loads(result.stdout)
    assert finding["rule"] == "outdated" and finding["reference"]["value"] == 30100


def test_an_empty_pack_is_a_clear_error(tmp_path):
    pack = tmp_path / "empty.yaml"
    pack.write_text("story: nothing yet\n", encoding="utf-8")
    for command in (["scan", CORPUS], ["metrics"]):
        result = run(*command, "--rules", pack)
        assert result.exit_code == 2
        assert result.stderr == f"figcheck: error: {pack}: the metric packs define no metrics: nothing to look for\n"


def test_json_numbers_are_written_as_the_csv_writes_them():
    (finding,) = [f for f in json.loads(run("scan", CORPUS / "quake", "--format", "json").stdout)
                  if f["rule"] == "arithmetic"]
    whole = next(f for f in finding["figures"] if f["surface"] == "11,200")
    assert whole["value"] == 11200 and isinstance(whole["value"], int)
    assert '"value": 11200,' in run("scan", CORPUS / "quake", "--format", "json").stdout
    assert '"value": 11200.0' not in run("figures", CORPUS / "quake", "--format", "jsonl").stdout


def test_writing_a_baseline_exits_0(tmp_path):
    result = run("scan", CORPUS, "--write-baseline", tmp_path / "b.json", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)
    assert json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))["findings"]


def test_help_has_whole_summaries_and_examples():
    top = run("--help").stdout
    assert "..." not in top.split("Commands:")[1] and "Examples:" in top
    assert "Check new articles against an archive, before publication." in top
    for command in ("figures", "scan", "check", "index", "rule"):
        text = run(command, "--help").stdout
        assert "Examples:" in text and f"figcheck {command}" in text, command


def test_select_and_ignore_rules(tmp_path):
    found = json.loads(run("scan", CORPUS, "--format", "json").stdout)
    assert {f["rule"] for f in found} == {"conflict", "outdated", "arithmetic"}
    only = json.loads(run("scan", CORPUS, "--format", "json", "--select", "outdated").stdout)
    assert {f["rule"] for f in only} == {"outdated"}
    without = json.loads(run("scan", CORPUS, "--format", "json", "--ignore", "outdated").stdout)
    assert {f["rule"] for f in without} == {"conflict", "arithmetic"}
    # Ignoring outdated does not hand its figures to conflict.
    assert [f for f in without if f["rule"] == "conflict"] == [f for f in found if f["rule"] == "conflict"]
    bad = run("scan", CORPUS, "--select", "outdate")
    assert bad.exit_code == 2
    assert bad.stderr == ("figcheck: error: unknown rule 'outdate' (rules: conflict, claimant, outdated, revised, "
                          "internal, trend, arithmetic, implausible)\n")


def test_rule_explains_itself_with_examples():
    text = run("rule", "arithmetic").stdout
    assert text.startswith("arithmetic: Parts and wholes that do not add up")
    assert "default severity: error" in text and "Flagged:" in text and "Passes:" in text
    listing = run("rule").stdout
    assert [line.split()[0] for line in listing.splitlines()] == ["conflict", "claimant", "outdated", "revised",
                                                                   "internal", "trend", "arithmetic", "implausible"]
    bad = run("rule", "nope")
    assert bad.exit_code == 2 and "rules: conflict, claimant, outdated" in bad.stderr


def test_statistics_go_to_stderr_and_leave_the_format_intact():
    result = run("scan", CORPUS, "--format", "json", "--statistics")
    found = json.loads(result.stdout)
    lines = result.stderr.splitlines()
    assert lines[0] == f"{len(found)} finding(s)"
    table = {line.split()[0]: line.split()[1:] for line in lines[1:]}
    assert table["outdated"][0] == str(sum(f["rule"] == "outdated" for f in found))
    assert table["arithmetic"] == ["1", "1", "0", "0"]
    assert table["gaza.deaths"][0] == str(sum(f["metric"] == "gaza.deaths" for f in found))
    assert "outlet" in table and "metric" in table and "rule" in table


def test_project_settings_are_found_upward_and_validated(tmp_path, monkeypatch):
    project = tmp_path / "desk"
    sub = project / "drafts" / "today"
    sub.mkdir(parents=True)
    archive, draft = archive_and_draft(project)
    reference = project / "daily.csv"
    reference.write_text("date,metric,value\n2024-03-01,gaza.deaths,30100\n", encoding="utf-8")
    (project / "figcheck.toml").write_text(
        'reference = ["daily.csv"]\nselect = ["outdated"]\nfail-on = "error"\n', encoding="utf-8")
    monkeypatch.chdir(sub)
    result = run("check", draft, "--format", "json")
    assert result.exit_code == 0, result.stderr  # fail-on = error: a warning does not fail
    (finding,) = json.loads(result.stdout)
    assert finding["reference"]["value"] == 30100  # the reference named in the settings
    assert run("check", draft, "--format", "json", "--fail-on", "warning").exit_code == 1
    (project / "figcheck.toml").write_text('reference = ["daily.csv"]\nfail_on = "error"\n', encoding="utf-8")
    bad = run("check", draft)
    assert bad.exit_code == 2
    assert bad.stderr.startswith(f"figcheck: error: {project / 'figcheck.toml'}:2: unknown key 'fail_on' (allowed: ")
    (project / "figcheck.toml").write_text('ignore = ["outdate"]\n', encoding="utf-8")
    bad = run("check", draft)
    assert bad.exit_code == 2 and "figcheck.toml: unknown rule 'outdate'" in bad.stderr
    (project / "figcheck.toml").unlink()
    (project / "pyproject.toml").write_text('[tool.figcheck]\nselect = ["conflict"]\n', encoding="utf-8")
    assert json.loads(run("check", draft, "--against", archive, "--format", "json").stdout) == []
