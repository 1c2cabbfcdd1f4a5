"""Hostile input: one article never decides the run, limits hold, nothing hangs, markup stays text."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from figcheck import htmltext, pipeline
from figcheck.articles import read_article
from tests.conftest import CORPUS, ROOT, article, run

from tests.test_bad_input import GOOD, figures_of, folder  # noqa: F401 - the same good article and fixture

OTHER = "The war has killed more than 33,000 people in Gaza, the health ministry said."


def warned(result, *needles) -> None:
    warnings = [line for line in result.stderr.splitlines() if line.startswith("figcheck: warning:")]
    assert any(all(n in w for n in needles) for w in warnings), result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def good_survives(result) -> None:
    assert result.exit_code == 0, result.stderr
    assert [f["surface"] for f in figures_of(result) if f["doc"] == "good.md"] == ["more than 32,000"]


BOMB = "".join(f"{c}: &{c} [{', '.join([f'*{p}' if p else 'x'] * 9)}]\n"
               for p, c in zip([None, *"abcdefgh"], "abcdefghi"))


@pytest.mark.parametrize("front,needle", [
    ("published: 2024-02-30", "bad.md:2: published '2024-02-30' is not a valid date"),
    ("published: 2024-02-03 25:00:00", "bad.md:2: published '2024-02-03 25:00:00' is not a valid date"),
    ("published: 2024-02-03T25:61:00Z", "bad.md:2: published '2024-02-03T25:61:00Z' is not a valid date"),
    ("outlet: W\npublished: [2024-01-01]", "bad.md:3: front matter published must be a date, not a list"),
    ("? [a, b]\n: c", "bad.md:2: unknown front matter key that is not text"),
    ("title: " + "[" * 40 + "]" * 40, "bad.md:2: YAML nested more than 32 levels deep"),
    ("title: x\n" + BOMB.replace("\n", "\n", 1), "YAML expands to more than 200,000 values"),
    ("title: '" + "x" * 70_000 + "'", "bad.md:1: front matter is over 64 KB"),
])
def test_front_matter_problems_are_warnings_naming_file_and_line(folder, front, needle):
    (folder / "bad.md").write_text(f"---\n{front}\n---\n{OTHER}\n", encoding="utf-8")
    result = run("figures", folder, "--format", "jsonl")
    warned(result, needle)
    good_survives(result)


@pytest.mark.parametrize("value", ["0000-00-00", "!!int 09", "2024-02-30", "!!float nan", "1e400", "yes"])
def test_front_matter_text_keys_keep_what_was_written(folder, value):
    (folder / "bad.md").write_text(f"---\noutlet: {value}\ntitle: {value}\npublished: 2024-03-02\n---\n{OTHER}\n",
                                   encoding="utf-8")
    result = run("figures", folder, "--format", "jsonl")
    good_survives(result)
    written = value.removeprefix("!!int ").removeprefix("!!float ")
    assert [f["outlet"] for f in figures_of(result) if f["doc"] == "bad.md"] == [written]
    assert read_article(folder / "bad.md").title == written


def test_a_front_matter_alias_bomb_is_refused_fast(folder):
    (folder / "bomb.md").write_text(f"---\n{BOMB}---\n{OTHER}\n", encoding="utf-8")
    result = run("figures", folder, "--format", "jsonl")
    warned(result, "bomb.md:", "YAML expands to more than 200,000 values")
    good_survives(result)


def test_a_file_name_that_is_not_utf8_is_skipped_in_every_format(folder):
    name = os.fsdecode(b"bad\xff.md")
    (folder / name).write_text(f"---\npublished: 2024-03-02\n---\n{OTHER}\n", encoding="utf-8")
    for fmt in ("jsonl", "csv", "table", "json"):
        result = run("figures", folder, "--format", fmt)
        assert result.exit_code == 0 and "32,000" in result.stdout
        warned(result, "bad\\xff.md: file name is not valid UTF-8, skipped")


def test_a_manifest_cell_over_128_kb_skips_only_its_row(tmp_path):
    folder = tmp_path / "in"
    article(folder, "good.md", GOOD)
    (folder / "plain.txt").write_text(OTHER + "\n", encoding="utf-8")
    (folder / "other.txt").write_text(OTHER.replace("33,000", "34,000") + "\n", encoding="utf-8")
    (folder / "manifest.csv").write_text("file,title,published,outlet\n"
                                         f"other.txt,{'x' * 200_000},2024-03-01,Big\n"
                                         "plain.txt,A title\u2028with a line separator,2024-03-20,Wire\n",
                                         encoding="utf-8")
    result = run("figures", folder, "--format", "jsonl")
    warned(result, "manifest.csv:2: a cell is over 128 KB, row ignored")
    good_survives(result)
    by_doc = {f["doc"]: f for f in figures_of(result)}
    assert by_doc["plain.txt"]["published"] == "2024-03-20" and by_doc["plain.txt"]["outlet"] == "Wire"
    assert by_doc["other.txt"]["published"] is None


def test_reference_cells_over_128_kb_and_non_finite_values_are_refused(tmp_path):
    ref = tmp_path / "ref.csv"
    ref.write_text("date,metric,value,source,note\n"
                   f"2024-04-01,gaza.deaths,33000,{'y' * 200_000},\n"
                   "2024-04-02,gaza.deaths,inf,m,\n2024-04-03,gaza.deaths,nan,m,\n2024-04-04,gaza.deaths,1e400,m,\n"
                   "2024-04-05,gaza.deaths,-Infinity,m,\n2024-04-06,gaza.deaths,33037,m,\n", encoding="utf-8")
    path = article(tmp_path / "in", "a.md", "Health authorities in Gaza say more than 33,000 people were killed.",
                   published="2024-04-19")
    result = run("scan", path, "--reference", ref, "--format", "json")
    warned(result, "ref.csv:2: a cell is over 128 KB, row skipped")
    warned(result, "ref.csv:3: value 'inf' is not a finite number", "(and 3 more like it)")
    assert "Infinity" not in result.stdout and "NaN" not in result.stdout
    (finding,) = json.loads(result.stdout)
    assert finding["reference"]["value"] == 33037


def pack(tmp_path, body: str) -> Path:
    path = tmp_path / "pack.yaml"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize("body,message", [
    ("metrics:\n  - id: x.deaths\n    label: X\n    cues: ['(a+)+$']\n",
     ":4: metrics[0].cues: regular expression '(a+)+$' refused: a repeated part inside a repeated group"),
    ("metrics:\n  - id: x.deaths\n    label: X\n    cues: ['(?:killed\\s*)*']\n", "can backtrack without end"),
    ("metrics:\n  - id: x.deaths\n    label: X\n    patterns: ['(?:\\w+\\s?){1,100} {n}']\n", "(?>...)"),
    (BOMB, ":6: YAML expands to more than 200,000 values"),
    ("metrics: " + "[" * 100_000 + "]" * 100_000 + "\n", ":1: YAML nested more than 32 levels deep"),
])
def test_packs_that_could_hang_are_refused_on_load(tmp_path, body, message):
    path = pack(tmp_path, body)
    result = run("figures", CORPUS, "--rules", path)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"figcheck: error: {path}") and message in result.stderr, result.stderr


def test_atomic_and_possessive_forms_are_accepted(tmp_path, folder):
    path = pack(tmp_path, "metrics:\n  - id: x.deaths\n    label: X\n    cues: ['(?>kill\\w+\\s?)+', '(?:dead++)+']\n")
    assert run("figures", folder, "--rules", path).exit_code == 0


def test_an_article_over_the_time_limit_is_skipped_and_the_others_kept(tmp_path, folder, monkeypatch):
    # Overlapping alternatives (w|w)* pass the static check; only the time limit stops them.
    path = pack(tmp_path, "metrics:\n  - id: x.deaths\n    label: X\n    cues: ['(?:w|w)*z']\n")
    (folder / "slow.md").write_text(f"---\npublished: 2024-03-02\n---\n{OTHER} {'w' * 60}\n", encoding="utf-8")
    monkeypatch.setattr(pipeline, "ARTICLE_SECONDS", 1.0)
    result = run("figures", folder, "--rules", ROOT / "rules", "--rules", path, "--format", "jsonl")
    warned(result, "slow.md: reading and extracting took over 1 s of CPU time (the limit per article), skipped")
    good_survives(result)


def test_fifos_devices_and_links_to_them_are_skipped(folder):
    os.mkfifo(folder / "pipe.md")
    os.symlink("/dev/zero", folder / "zero.txt")
    os.mkfifo(folder.parent / "elsewhere.fifo")
    os.symlink(folder.parent / "elsewhere.fifo", folder / "to-pipe.txt")
    result = run("figures", folder, "--format", "jsonl")
    for name in ("pipe.md", "zero.txt", "to-pipe.txt"):
        warned(result, name, "not a regular file (FIFO, device or socket), skipped")
    good_survives(result)
    store = folder.parent / "store"
    result = run("index", folder, "--store", store)
    assert result.exit_code == 0 and "not a regular file" in result.stderr


def test_a_file_over_the_size_limit_is_skipped(folder, monkeypatch):
    from figcheck import articles

    monkeypatch.setattr(articles, "MAX_FILE_BYTES", 1000)
    (folder / "big.txt").write_text(OTHER + " More words." * 200, encoding="utf-8")
    result = run("figures", folder, "--format", "jsonl")
    warned(result, "big.txt: file is 0 MB, over the 0 MB limit")
    good_survives(result)


def test_a_page_of_many_paragraphs_is_read_without_trafilatura(tmp_path, monkeypatch):
    paragraphs = "".join(f"<p>Crews cleared road {i} today.</p>\n" for i in range(htmltext.LARGE_PAGE + 10))
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>Long page</title><meta property='og:site_name' content='Wire'>"
                    "<meta property='article:published_time' content='2024-03-02T10:00:00Z'></head><body>"
                    "<nav><p>Home 1,000,000 killed menu</p></nav><script>var x = '5,000 killed';</script>"
                    f"<div>{paragraphs}<p>{GOOD}</p></div><footer><p>99,999 killed footer</p></footer>"
                    "</body></html>", encoding="utf-8")
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # importing it now fails: the large path must not need it
    result = run("figures", page, "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    (figure,) = figures_of(result)
    assert figure["surface"] == "more than 32,000" and figure["outlet"] == "Wire"
    assert figure["published"] == "2024-03-02"
    assert page.read_text(encoding="utf-8")[figure["char_start"]:figure["char_end"]] == "more than 32,000"
    text = read_article(page).text
    assert "menu" not in text and "footer" not in text and "var x" not in text
    assert text.splitlines()[:2] == ["Crews cleared road 0 today.", "Crews cleared road 1 today."]


def device(tmp_path: Path, name: str, minor: int) -> Path:
    """A private node for the null (minor 3) or full (minor 7) device: a broken -o can only harm this copy.

    Tests never pass the machine's /dev/null or /dev/full to -o: code that replaced its target
    would replace them, for every process on the machine.
    """
    path = tmp_path / name
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot create a device node here: {exc}")
    return path


def test_output_to_a_null_device_keeps_the_device(tmp_path):
    null = device(tmp_path, "null", 3)
    assert run("figures", CORPUS, "--format", "csv", "-o", null).exit_code == 0
    after = os.lstat(null)
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == os.makedev(1, 3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null"]


def test_output_to_a_full_device_is_an_error(tmp_path):
    full = device(tmp_path, "full", 7)
    result = run("figures", CORPUS, "--format", "csv", "-o", full)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"figcheck: error: {full}: cannot write output: No space left on device"
    assert stat.S_ISCHR(os.lstat(full).st_mode) and sorted(p.name for p in tmp_path.iterdir()) == ["full"]


def test_stdout_on_a_full_device_is_an_error():
    with open("/dev/full", "wb") as full:
        done = subprocess.run([sys.executable, "-m", "figcheck", "figures", str(CORPUS), "--format", "csv"],
                              stdout=full, stderr=subprocess.PIPE, cwd=ROOT, timeout=120)
    assert done.returncode == 2 and b"cannot write output: No space left on device" in done.stderr


def test_output_to_a_fifo_writes_into_it(tmp_path):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    # A daemon: if figcheck replaced the FIFO instead of writing to it, the reader would wait forever.
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    assert run("figures", CORPUS, "--format", "csv", "-o", fifo).exit_code == 0
    reader.join(timeout=30)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert received and received[0].startswith(b"doc,path,outlet")


def test_output_through_a_symlink_keeps_the_link_and_a_file_keeps_its_mode(tmp_path):
    target = tmp_path / "real.csv"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    assert run("figures", CORPUS, "--format", "csv", "-o", link).exit_code == 0
    assert link.is_symlink() and target.read_bytes().startswith(b"doc,path,outlet")
    assert run("figures", CORPUS, "--format", "json", "-o", target).exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o640 and target.read_text(encoding="utf-8").startswith("[")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.csv", "real.csv"]


_TERMINATED_WHILE_WRITING = """
import os, signal, sys
from figcheck import cli, writing

real = writing._replace_whole

def terminated_after_the_first_chunk(output, chunks, mode):
    def chunks_then_sigterm():
        for number, chunk in enumerate(chunks):
            if number == 1:
                os.kill(os.getpid(), signal.SIGTERM)
            yield chunk
    return real(output, chunks_then_sigterm(), mode)

writing._replace_whole = terminated_after_the_first_chunk
cli.main(sys.argv[1:])
"""


def test_a_run_terminated_while_writing_leaves_the_old_output_and_no_scratch_file(tmp_path):
    out = tmp_path / "findings.json"
    out.write_text("old", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", _TERMINATED_WHILE_WRITING, "scan", str(CORPUS), "--format", "jsonl",
                           "-o", str(out)], capture_output=True, text=True, cwd=ROOT, timeout=300, check=False)
    assert done.returncode == 143 and done.stderr.strip().endswith("figcheck: terminated"), done.stderr
    assert out.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["findings.json"]


def test_markup_in_articles_is_shown_as_text(tmp_path):
    path = article(tmp_path, "a.md", "The war [/] has killed more than 32,000 people [bold]in Gaza[/bold], "
                   "the health ministry said.", outlet='"[link=https://example.invalid]Wire[/link]"')
    result = run("figures", path)
    assert result.exit_code == 0, result.stderr
    flat = " ".join(result.stdout.split())
    assert "[link=https://example.invalid]Wire[/link]" in flat.replace("│ ", "").replace(" │", "") or \
        "[link=https://exam" in flat
    assert "The war [/] has killed" in flat and "[bold]in" in flat
    assert "\x1b]8;" not in result.stdout
