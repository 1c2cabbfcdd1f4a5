from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from figcheck.cli import main

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"

needs_shared = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared is not beside the checkout")


def run(*args, input: str | None = None):
    """Run the CLI in-process; result.stdout and result.stderr are kept apart."""
    return CliRunner().invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)


def article(tmp_path: Path, name: str, body: str, published: dt.date | str | None = "2024-03-23",
            outlet: str | None = "Test Outlet", **front) -> Path:
    """Write an article with front matter into tmp_path."""
    lines = ["---"]
    if outlet:
        lines.append(f"outlet: {outlet}")
    if published:
        lines.append(f"published: {published}")
    lines += [f"{k.replace('_', '-')}: {v}" for k, v in front.items()]
    lines.append("---")
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n" + body + "\n", encoding="utf-8")
    return path


# How many figures the bundled corpus holds: its answers (tests/data/corpus_answers) list each one.
CORPUS_FIGURES = sum(1 for line in (DATA / "corpus_answers" / "gold.jsonl").read_text(encoding="utf-8").splitlines()
                     if line.strip())
