"""figcheck in a repository shaped like a newsroom's: Hugo page bundles with their front matter,
HTML pages, a wire folder with a manifest, project settings in pyproject.toml, a pre-commit run and
the README's GitHub workflow. Every sentence here is invented for these tests."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, run

FEB = """---
title: "Rescue teams race the cold"
date: 2023-02-08T09:30:00+03:00
lastmod: 2023-07-01
author: ["Desk Reporter"]
tags: [earthquake, turkey]
categories: [world]
draft: false
outlet: Harbour Courier
---
Officials in Ankara said on Wednesday that the earthquakes had killed 11,200 people in Turkey and Syria.
"""
JUN = """---
title: "Four months on"
date: 2023-06-08
author: Desk Reporter
tags: [earthquake]
outlet: Harbour Courier
---
Turkey's disaster agency said 50,783 people were killed in Turkey by the February earthquakes.
"""
JUL = """+++
title = "Rebuilding"
date = 2023-07-10
author = "Desk Reporter"
outlet = "Harbour Courier"
+++
The earthquakes killed more than 40,000 people in Turkey, officials say.
"""
PAGE = """<!DOCTYPE html>
<html>
<head>
<title>Quake: disaster agency said on Thursday that 9,057 people had been killed</title>
<meta property="og:site_name" content="Harbour Courier">
<meta property="article:published_time" content="2023-02-09">
</head>
<body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article>
<h1>Aftershocks slow the search</h1>
<p>Rescuers worked through the night in the rubble of collapsed blocks across the south of the country.</p>
<p>The disaster agency said on Thursday that 9,057 people had been killed in Turkey.</p>
<!-- figcheck: ignore outdated -->
<p>In Syria, health officials said 2,662 people had died.</p>
</article>
</body>
</html>
"""
WIRE = {
    "a.txt": "Rescuers said on Friday the earthquakes had killed 21,000 people in Turkey and Syria.\n",
    "b.txt": "Syria's health ministry said 3,300 people had died in the government-held areas of Syria.\n",
}
MANIFEST = ("file,published,outlet\na.txt,2023-02-10,Valley Wire\nb.txt,2023-02-10,Valley Wire\n"
            "c.txt,2023-02-11,Valley Wire\n")


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": "/dev/null"}
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def newsroom(tmp_path, monkeypatch) -> Path:
    """The repository, as the working directory, with everything committed on main."""
    repo = tmp_path / "newsroom"
    posts = repo / "content" / "posts" / "2023"
    for rel, text in {"feb/index.md": FEB, "jun/index.md": JUN, "mar.html": PAGE}.items():
        (posts / rel).parent.mkdir(parents=True, exist_ok=True)
        (posts / rel).write_text(text, encoding="utf-8")
    wire = repo / "content" / "wire"
    wire.mkdir()
    for name, text in WIRE.items():
        (wire / name).write_text(text, encoding="utf-8")
    (wire / "manifest.csv").write_text(MANIFEST, encoding="utf-8")  # c.txt is listed but was never filed
    (repo / "pyproject.toml").write_text('[project]\nname = "newsroom"\n\n[tool.figcheck]\nstore = ".figcheck"\n'
                                         'fail-on = "warning"\n', encoding="utf-8")
    (repo / "NOTES.txt").write_text("Style notes: 1,000 words at most.\n", encoding="utf-8")
    (repo / "script.py").write_text("print('hello')\n", encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "archive")
    monkeypatch.chdir(repo)
    return repo


def draft(repo: Path) -> str:
    path = repo / "content" / "posts" / "2023" / "jul" / "index.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(JUL, encoding="utf-8")
    return "content/posts/2023/jul/index.md"


def jsonl(result) -> list[dict]:
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_page_bundles_are_separate_articles(newsroom):
    figures = jsonl(run("figures", "content/posts", "--format", "jsonl"))
    assert {f["doc"] for f in figures} == {"content/posts/2023/feb/index.md", "content/posts/2023/jun/index.md",
                                          "content/posts/2023/mar.html"}
    # One article a month apart from another is not a part of it: no 'arithmetic' across them.
    scan = run("scan", "content/posts", "--format", "json", "--fail-on", "error")
    assert scan.exit_code == 0 and not [f for f in json.loads(scan.stdout) if f["rule"] == "arithmetic"]


def test_hugo_front_matter_dates_the_article_and_the_rest_is_ignored(newsroom):
    result = run("figures", "content/posts/2023/feb/index.md", "--format", "jsonl")
    assert result.exit_code == 0 and "warning" not in result.stderr
    (figure,) = jsonl(result)
    assert (figure["published"], figure["outlet"]) == ("2023-02-08", "Harbour Courier")  # date, not lastmod
    draft(newsroom)
    (toml,) = jsonl(run("figures", "content/posts/2023/jul/index.md", "--format", "jsonl"))
    assert toml["published"] == "2023-07-10" and toml["line"] == 7


def test_check_of_a_bundle_uses_the_indexed_archive_from_the_project_settings(newsroom):
    indexed = run("index", "content")
    assert indexed.exit_code == 0 and ".figcheck: 5 articles" in indexed.stderr
    new = draft(newsroom)
    result = run("check", new, "--format", "github")  # --against comes from [tool.figcheck] store
    assert result.exit_code == 1, result.stderr
    assert result.stdout.startswith(f"::warning file={new},line=7,endLine=7,col=24,")
    assert "Harbour Courier (2023-06-08) already reported '50,783'" in result.stdout


def test_a_changed_article_is_not_evidence_against_itself(newsroom):
    assert run("index", "content").exit_code == 0
    jun = newsroom / "content" / "posts" / "2023" / "jun" / "index.md"
    jun.write_text(JUN.replace("50,783", "50,500"), encoding="utf-8")
    result = run("check", "content/posts/2023/jun/index.md", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout) == []


def test_html_positions_are_lines_of_the_page_and_its_ignore_comments_count(newsroom):
    figures = {f["surface"]: f for f in jsonl(run("figures", "content/posts/2023/mar.html", "--format", "jsonl"))}
    lines = PAGE.splitlines()
    turkey = figures["9,057"]
    assert (turkey["line"], turkey["column"]) == (13, 46)
    # offsets into the saved page, as for a text file (and as annotations of scraped pages give them)
    assert [PAGE[f["char_start"]:f["char_end"]] for f in figures.values()] == list(figures)
    assert lines[turkey["line"] - 1][turkey["column"] - 1:].startswith("9,057 people had been killed")
    syria = figures["2,662"]
    assert lines[syria["line"] - 1][syria["column"] - 1:].startswith("2,662") and syria["ignore_rules"] == ["outdated"]
    assert turkey["ignore_rules"] == []


def test_a_partial_run_does_not_warn_about_the_other_manifest_rows(newsroom):
    one = run("figures", "content/wire/a.txt", "--format", "jsonl")
    assert one.exit_code == 0 and "lists" not in one.stderr
    assert jsonl(one)[0]["outlet"] == "Valley Wire"
    whole = run("figures", "content/wire", "--format", "jsonl")
    assert whole.stderr.count("lists") == 1 and "'c.txt', which is not among the articles" in whole.stderr


def test_paths_are_printed_from_the_working_directory_and_identities_from_the_root(newsroom, monkeypatch):
    monkeypatch.chdir(newsroom / "content" / "posts")
    (figure,) = jsonl(run("figures", "2023/feb/index.md", "--format", "jsonl"))
    assert (figure["doc"], figure["path"]) == ("content/posts/2023/feb/index.md", "2023/feb/index.md")
    draft(newsroom)
    table = run("check", "2023/jul/index.md", "--against", "2023").stdout
    assert "2023/jul/index.md:7:24" in table and "2023/jun/index.md:8:31" in table and "content/" not in table


def test_sarif_uris_and_fingerprints_are_relative_to_the_root(newsroom):
    assert run("index", "content").exit_code == 0
    new = draft(newsroom)
    log = json.loads(run("check", new, "--format", "sarif").stdout)
    (result,) = log["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": new, "uriBaseId": "SRCROOT"}
    assert log["runs"][0]["originalUriBaseIds"]["SRCROOT"]["uri"] == newsroom.resolve().as_uri() + "/"
    metric = result["properties"]["metric"]
    assert result["partialFingerprints"]["figcheck/v1"] == f"outdated:{metric}:{new}:more than 40,000"
    related = result["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert related == "content/posts/2023/jun/index.md"


PRE_COMMIT = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")


@pytest.mark.skipif(PRE_COMMIT is None, reason="pre-commit is not installed")
def test_pre_commit_checks_only_the_article_files(newsroom, tmp_path):
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    # The shipped hook's file selection, run with the figcheck under test instead of a fresh environment.
    local = {key: hook[key] for key in ("id", "name", "files", "types", "types_or", "exclude", "require_serial")
             if key in hook}
    local.update(language="system", entry=f"{sys.executable} -m figcheck check", args=["--format", "github"])
    (newsroom / ".pre-commit-config.yaml").write_text(
        yaml.safe_dump({"repos": [{"repo": "local", "hooks": [local]}]}), encoding="utf-8")
    new = draft(newsroom)
    assert run("index", "content").exit_code == 0
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "NO_COLOR": "1"}
    files = [new, "NOTES.txt", "script.py", ".pre-commit-config.yaml", "content/wire/manifest.csv"]
    done = subprocess.run([PRE_COMMIT, "run", "--verbose", "--files", *files], cwd=newsroom, capture_output=True,
                          text=True, env=env, check=False)
    assert done.returncode == 1, done.stdout + done.stderr  # the draft's stale figure fails the commit
    assert "already reported '50,783'" in done.stdout
    for other in files[1:]:
        assert other not in done.stdout, done.stdout  # never handed to figcheck as an article
    done = subprocess.run([PRE_COMMIT, "run", "--files", "NOTES.txt", "script.py"], cwd=newsroom,
                          capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0 and "no files to check" in done.stdout.lower(), done.stdout


def _workflow() -> dict:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(name: figcheck\n.*?)```", readme, re.DOTALL).group(1)
    return yaml.safe_load(block)


def _checkout(origin: Path, into: Path, step: dict) -> None:
    """What actions/checkout does for a pull request: the head only (depth 1) unless fetch-depth says otherwise."""
    depth = (step.get("with") or {}).get("fetch-depth", 1)
    args = ["clone", "-q", "--no-local", "-b", "story"]
    if depth:
        args += ["--depth", str(depth), "--single-branch"]
    git(into.parent, *args, origin.as_uri(), into.name)


def test_the_readme_workflow_runs_in_a_pull_request_checkout(newsroom, tmp_path):
    git(newsroom, "checkout", "-q", "-b", "story")
    draft(newsroom)
    git(newsroom, "add", "-A")
    git(newsroom, "commit", "-q", "-m", "draft")
    steps = _workflow()["jobs"]["figures"]["steps"]
    checkout = next(s for s in steps if str(s.get("uses", "")).startswith("actions/checkout"))
    clone = tmp_path / "runner"
    _checkout(newsroom, clone, checkout)
    script = next(s for s in steps if "figcheck check" in s.get("run", ""))["run"]
    script = script.replace("${{ github.base_ref }}", "main")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(["bash", "-e", "-c", script], cwd=clone, capture_output=True, text=True, env=env,
                          check=False)
    assert "bad revision" not in done.stderr, done.stderr
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout.startswith("::warning file=content/posts/2023/jul/index.md,line=7,")
