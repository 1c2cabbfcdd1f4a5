"""`check` fails closed: a new article that cannot be found, read, dated or parsed is exit 2 without
--strict, while `scan` skips such an article with a warning and goes on (issue 12, item 3)."""

from __future__ import annotations

import pytest

from tests.conftest import article, run

GOOD = "The war has killed more than 25,000 people in Gaza."


@pytest.fixture
def archive(tmp_path):
    return article(tmp_path, "archive/old.md", "The ministry said 30,035 people have been killed in Gaza.",
                   published="2024-02-29").parent


@pytest.mark.parametrize("name,data,problem", [
    ("broken.md", b"---\ntitle: [unclosed\n---\n" + GOOD.encode() + b"\n", "front matter is not valid YAML"),
    ("undatable.md", b"---\ndate: next Tuesday\n---\n" + GOOD.encode() + b"\n", "date 'next Tuesday' is not a date"),
    ("binary.md", bytes(range(256)) * 4, "binary file, not text"),
    ("empty.md", b"", "empty file"),
    ("unclosed.md", b"---\ntitle: x\n" + GOOD.encode() + b"\n", "never closed"),
    ("page.html", b"<html><head><title>x</title></head><body><nav>Home</nav></body></html>", "no article body"),
])
def test_an_unusable_draft_fails_the_check(tmp_path, archive, name, data, problem):
    draft = tmp_path / "drafts" / name
    draft.parent.mkdir()
    draft.write_bytes(data)
    result = run("check", draft, "--against", archive, "--format", "json")
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith(f"figcheck: error: {draft}") and problem in result.stderr
    assert result.stdout == ""
    # One unusable draft among good ones still fails the whole check.
    (draft.parent / "good.md").write_text("---\npublished: 2024-06-20\n---\n" + GOOD + "\n", encoding="utf-8")
    assert run("check", draft.parent, "--against", archive).exit_code == 2
    # scan skips it with a warning and reports the others.
    scanned = run("scan", draft.parent, archive, "--format", "json")
    assert scanned.exit_code == 1 and "figcheck: warning:" in scanned.stderr and problem in scanned.stderr


def test_a_missing_draft_fails_the_check(tmp_path, archive):
    result = run("check", tmp_path / "nowhere.md", "--against", archive)
    assert result.exit_code == 2 and "no such file or folder" in result.stderr
