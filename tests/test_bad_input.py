"""Every bad input gets a one-line error naming the file, and the other articles' results survive."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from figcheck import pipeline
from tests.conftest import CORPUS, DATA, article, run

GOOD = "The war has killed more than 32,000 people in Gaza, the health ministry said."


@pytest.fixture
def folder(tmp_path):
    """A folder with one good article; each test adds a bad one beside it."""
    article(tmp_path / "in", "good.md", GOOD)
    return tmp_path / "in"


def figures_of(result) -> list[dict]:
    return [json.loads(line) for line in result.stdout.splitlines()]


def one_warning(result, *needles):
    warnings = [line for line in result.stderr.splitlines() if line.startswith("figcheck: warning:")]
    assert any(all(n in w for n in needles) for w in warnings), result.stderr
    assert "Traceback" not in result.stderr


def assert_good_survives(result):
    assert [f["surface"] for f in figures_of(result) if f["doc"] == "good.md"] == ["more than 32,000"]


@pytest.mark.parametrize("name,data,needle", [
    ("empty.txt", b"", "empty file"),
    ("blank.md", b"  \n\n ", "empty file"),
    ("binary.txt", bytes(range(256)) * 4, "binary file"),
    ("page.html", b"<html><head><title>x</title></head><body><nav>Home</nav></body></html>", "no article body"),
    ("bad-yaml.md", b"---\ntitle: [unclosed\n---\nText.\n", "front matter is not valid YAML"),
    ("bad-date.md", b"---\npublished: last Tuesday\n---\nText.\n", "is not a date"),
    ("unknown-key.md", b"---\nfigcheck-ignores: x\n---\nText.\n", "unknown front matter key 'figcheck-ignores'"),
    ("unclosed.md", b"---\ntitle: x\nText without a closing line.\n", "never closed"),
])
def test_bad_article_is_skipped_with_a_warning(folder, name, data, needle):
    (folder / name).write_bytes(data)
    result = run("figures", folder, "--format", "jsonl")
    assert result.exit_code == 0
    one_warning(result, name, needle)
    assert_good_survives(result)
    strict = run("figures", folder, "--format", "jsonl", "--strict")
    assert strict.exit_code == 2 and "(--strict)" in strict.stderr


def test_front_matter_error_names_the_line(folder):
    (folder / "bad.md").write_text("---\ntitle: x\npublished: someday\n---\nText.\n", encoding="utf-8")
    one_warning(run("figures", folder, "--format", "jsonl"), "bad.md:3: published 'someday' is not a date")


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "utf-8-sig", "utf-16"])
def test_text_encodings_are_read(tmp_path, encoding):
    text = "Gaza’s health ministry — in Gaza — said more than 32,000 people have been killed. Café.\n"
    if encoding == "latin-1":
        text = text.replace("’", "'").replace("—", "-")
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode(encoding))
    result = run("figures", path, "--format", "jsonl")
    (figure,) = figures_of(result)
    assert figure["surface"] == "more than 32,000"
    assert text.lstrip("\ufeff")[figure["char_start"]:figure["char_end"]] == "more than 32,000"


def test_a_huge_article_and_a_huge_line_do_not_stall(folder):
    # 1 MB here; bench/huge_article.py runs the 50 MB case and reports its time and memory.
    filler = "Aid agencies say the crossing stayed shut for another day as talks went on. " * 14_000
    (folder / "huge.txt").write_text(filler[: 1024 * 1024] + "\n" + GOOD + "\n", encoding="utf-8")
    (folder / "line.txt").write_text(("word " * 200_000) + GOOD, encoding="utf-8")
    result = run("figures", folder, "--format", "jsonl")
    assert result.exit_code == 0
    docs = sorted(f["doc"] for f in figures_of(result))
    assert docs == ["good.md", "huge.txt", "line.txt"]


def test_manifest_problems_are_row_warnings(tmp_path):
    folder = tmp_path / "in"
    article(folder, "good.md", GOOD)
    (folder / "plain.txt").write_text(GOOD + "\n", encoding="utf-8")
    (folder / "manifest.csv").write_text(
        "file,published,outlet\nplain.txt,2024-03-20,Wire\nplain.txt,2024-03-21,Dup\n"
        "missing.txt,2024-03-20,Ghost\nother.txt,20/03/2024,Bad\n", encoding="utf-8")
    result = run("figures", folder, "--format", "jsonl")
    one_warning(result, "manifest.csv:3", "listed twice")
    one_warning(result, "manifest.csv:5", "is not a YYYY-MM-DD date")
    one_warning(result, "manifest.csv", "'missing.txt', which is not among the articles")
    plain = [f for f in figures_of(result) if f["doc"] == "plain.txt"]
    assert plain[0]["outlet"] == "Wire" and plain[0]["published"] == "2024-03-20"
    assert_good_survives(result)


def test_manifest_missing_a_required_column_stops(tmp_path):
    folder = tmp_path / "in"
    (folder).mkdir()
    (folder / "a.txt").write_text(GOOD, encoding="utf-8")
    (folder / "manifest.csv").write_text("file,outlet\na.txt,Wire\n", encoding="utf-8")
    result = run("figures", folder)
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"figcheck: error: {folder / 'manifest.csv'}:1: manifest lacks required "
                                     "column(s) published (has: file, outlet)")


def test_the_same_article_twice_is_read_once(folder):
    shutil.copy(folder / "good.md", folder / "copy.md")
    result = run("figures", folder, "--format", "jsonl")
    one_warning(result, "same text as")
    assert len(figures_of(result)) == 1


def test_a_folder_with_no_articles_and_a_missing_path_are_errors(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.pdf").write_bytes(b"%PDF")
    result = run("scan", tmp_path / "empty")
    assert result.exit_code == 2 and "no articles" in result.stderr and str(tmp_path / "empty") in result.stderr
    result = run("scan", tmp_path / "nope")
    assert result.exit_code == 2
    assert result.stderr.strip() == f"figcheck: error: {tmp_path / 'nope'}: no such file or folder"


def test_an_unreadable_file_is_skipped(folder, monkeypatch):
    bad = folder / "locked.txt"
    bad.write_text(GOOD, encoding="utf-8")
    real = os.open

    def open_(path, *args, **kwargs):
        if os.fspath(path).endswith("locked.txt"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_)
    result = run("figures", folder, "--format", "jsonl")
    one_warning(result, "locked.txt", "permission denied")
    assert_good_survives(result)


def test_symlink_loops_do_not_trap_the_walk(folder):
    os.symlink(folder, folder / "loop")
    os.symlink(folder / "a.txt", folder / "b.txt")
    os.symlink(folder / "b.txt", folder / "a.txt")
    result = run("figures", folder, "--format", "jsonl")
    assert result.exit_code == 0 and "Traceback" not in result.stderr
    assert_good_survives(result)


def test_one_article_that_breaks_extraction_loses_nothing_else(folder, monkeypatch):
    (folder / "breaks.md").write_text(GOOD.replace("32,000", "33,000"), encoding="utf-8")
    real = pipeline.extract

    def extract(article, config):
        if article.doc == "breaks.md":
            raise ValueError("boom")
        return real(article, config)

    monkeypatch.setattr(pipeline, "extract", extract)
    result = run("figures", folder, "--format", "jsonl")
    one_warning(result, "breaks.md", "could not extract figures (ValueError: boom)")
    assert_good_survives(result)


def test_reference_rows_that_are_bad_are_skipped(tmp_path):
    ref = tmp_path / "ref.csv"
    ref.write_text("date,metric,value,source,note\n2024-04-04,gaza.deaths,33037,mohtel,\n"
                   "2024-04-05,gaza.deaths,lots,mohtel,\n2024-13-01,gaza.deaths,1,mohtel,\n"
                   "2024-04-06,gaza.nonsense,5,mohtel,\n2024-04-07,gaza.nonsense,6,mohtel,\n"
                   "2024-04-01,gaza.deaths,99999,,extrapolated\n", encoding="utf-8")
    path = article(tmp_path / "in", "a.md", "Health authorities in Gaza say more than 33,000 people were killed.",
                   published="2024-04-19")
    result = run("scan", path, "--reference", ref, "--format", "json")
    one_warning(result, "ref.csv:3", "value 'lots' is not a number")
    one_warning(result, "ref.csv:4", "date '2024-13-01' is not YYYY-MM-DD")
    one_warning(result, "ref.csv:5", "unknown metric 'gaza.nonsense'", "(and 1 more like it)")
    (finding,) = json.loads(result.stdout)
    assert finding["days_stale"] == 15 and finding["reference"]["value"] == 33037


def test_a_reference_without_its_columns_stops(tmp_path):
    ref = tmp_path / "ref.csv"
    ref.write_text("day,count\n", encoding="utf-8")
    result = run("scan", CORPUS, "--reference", ref)
    assert result.exit_code == 2 and "ref.csv:1: reference series lacks column(s) date, metric, value" in result.stderr


@pytest.mark.parametrize("pack,message", [
    ("metrics:\n  - id: x.deaths\n    label: X\n    cue: [killed]\n",
     ":4: unknown key 'cue' (allowed: id, label, unit, cumulative, direction, rounding, share_of, counts"),
    ("metrics:\n  - id: x.deaths\n    label: X\n    unit: people\n    cues: [killed]\n",
     ":4: metrics[0].unit: 'people' is not allowed (allowed: 'count' or 'share')"),
    ("metrics:\n  - id: x.deaths\n    label: X\n    cumulative: often\n    cues: [killed]\n",
     ":4: metrics[0].cumulative: Input should be a valid boolean"),
    ("metrics:\n  - id: x.deaths\n    label: X\n    cues: ['kil(led']\n",
     ":4: metrics[0].cues: bad regular expression 'kil(led': missing ), unterminated subpattern"),
    ("metrics:\n  - id: x.deaths\n    label: X\n    cues: [killed]\n  - id: x.deaths\n    label: Y\n    cues: [dead]\n",
     ":5: duplicate metric id 'x.deaths' (first defined at"),
    ("metrics:\n  - id: x.deaths\n    label: X\n    cues: [killed]\nrelations:\n  - whole: x.deaths\n    parts: [x.hurt]\n",
     ":6: relation names unknown metric 'x.hurt' (known: x.deaths)"),
    ("metrics: [\n", ": not valid YAML"),
    ("rules:\n  consistency: {enabled: false}\n",
     ":2: rules: 'consistency' is not a rule (allowed: conflict, claimant, outdated, revised, internal, trend, "
     "arithmetic, implausible)"),
    ("rules:\n  revised:\n    cue: [revised]\n", ":3: unknown key 'cue' (allowed: enabled, severity, cues)"),
    ("rules:\n  trend:\n    severity: loud\n",
     ":3: rules.trend.severity: 'loud' is not allowed (allowed: 'error', 'warning' or 'info')"),
    ("rules:\n  conflict: off\n", ":2: rules.conflict: expected a mapping of settings (allowed: enabled, severity)"),
    ("metrics:\n  - id: x.deaths\n    label: X\n    cues: [killed]\n    severity: {conflicts: error}\n",
     "severity names unknown rule 'conflicts' (allowed: conflict, claimant"),
    ("metrics:\n  - id: x.deaths\n    label: X\n    cues: [killed]\nrelations:\n  - whole: x.deaths\n",
     "relation of whole 'x.deaths' lists no parts"),
    ("places:\n  island: [Maui]\n  uplands: {words: [Kula], within: isle}\n",
     ":1: default_place, covers or within: place 'isle' is not declared (declared places: island, uplands)"),
    ("places:\n  island: [Maui]\narticle_place: [the island]\n",
     ":1: article_place needs a default_place: the place an article is about unless it says otherwise"),
])
def test_a_bad_pack_stops_with_file_and_line(tmp_path, pack, message):
    path = tmp_path / "pack.yaml"
    path.write_text(pack, encoding="utf-8")
    result = run("figures", CORPUS, "--rules", path)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"figcheck: error: {path}") and message in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_empty_store_warns_and_a_corrupt_one_stops(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "nothing.pdf").write_bytes(b"%PDF")
    store = tmp_path / "store"
    article(tmp_path / "only", "a.md", "Nothing to count here.")
    assert run("index", tmp_path / "only", "--store", store).exit_code == 0
    result = run("scan", store)
    assert result.exit_code == 0 and "the store holds no figures" in result.stderr
    assert run("index", CORPUS, "--store", store, "-q").exit_code == 0
    generation = store / (store / "CURRENT").read_text().strip()
    next((generation / "figures").rglob("*.parquet")).write_bytes(b"not parquet at all")
    result = run("scan", store)
    assert result.exit_code == 2 and "store is corrupt or unreadable" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_output_to_an_unwritable_path_is_an_error(tmp_path):
    result = run("figures", CORPUS, "-o", tmp_path / "no" / "such" / "dir" / "out.csv")
    assert result.exit_code == 2 and "cannot write output" in result.stderr and "out.csv" in result.stderr


def test_an_interrupted_index_leaves_the_previous_store_intact(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    store = tmp_path / "store"
    assert run("index", corpus, "--store", store).exit_code == 0
    before = run("figures", store, "--format", "jsonl").stdout
    for path in corpus.rglob("*.md"):
        path.write_text(path.read_text(encoding="utf-8") + "\nMore text.\n", encoding="utf-8")
    calls = {"n": 0}
    real = pipeline.extract

    def interrupted(article, config):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(article, config)

    monkeypatch.setattr(pipeline, "extract", interrupted)
    result = run("index", corpus, "--store", store)
    assert result.exit_code == 130 and "interrupted" in result.stderr
    monkeypatch.undo()
    assert run("figures", store, "--format", "jsonl").stdout == before
    assert sorted(p.name for p in store.iterdir()) == sorted(["CURRENT", "GENERATIONS", "LOCK",
                                                              (store / "CURRENT").read_text().strip()])


def test_no_traceback_for_an_internal_error_without_debug(monkeypatch):
    from figcheck import app

    monkeypatch.setattr(app.Run, "figures", lambda *a, **k: 1 / 0)
    result = run("figures", DATA / "drafts")
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip() == "figcheck: error: internal error: ZeroDivisionError: division by zero (rerun with --debug)"
