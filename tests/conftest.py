from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from figcheck import app
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


def _packs_on_disk(paths) -> tuple:
    """What load_config would read for these paths, as (file, digest of its bytes)."""
    from figcheck.pack import default_rules_dir

    files = []
    for path in [Path(p) for p in paths] or [default_rules_dir()]:
        files += sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml")) if path.is_dir() else [path]
    return tuple((str(f), hashlib.sha1(f.read_bytes()).hexdigest() if f.is_file() else None) for f in files)


@pytest.fixture(scope="session", autouse=True)
def packs_read_once_per_content():
    """Every in-process CLI run loads and compiles the metric packs (0.7 s, a fifth of a small
    scan): loaded once per set of pack files as they are on disk, so a test that writes or edits
    a pack still gets it read afresh. Errors are not kept: they are raised again on each run."""
    real, loaded = app.load_rules, {}

    def load_rules(rules_paths):
        key = (tuple(str(p) for p in rules_paths), _packs_on_disk(rules_paths))
        if key not in loaded:
            loaded[key] = real(rules_paths)
        return loaded[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(app, "load_rules", load_rules)
        yield


@pytest.fixture(scope="session", autouse=True)
def own_cache_folder(tmp_path_factory):
    """figcheck keeps loaded packs in the user's cache (figcheck/packcache.py): the tests, and the
    commands they start, use a folder of their own."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
        yield


@pytest.fixture
def contexts_built(monkeypatch) -> list[set[str]]:
    """The metrics of each context the rules are given (checks/frame.Context.build), as they come."""
    from figcheck.checks.frame import Context

    seen: list[set[str]] = []
    build = Context.build.__func__

    def recording(cls, figures, *args, **kwargs):
        seen.append(set(figures.frame["metric"].unique().to_list()))
        return build(cls, figures, *args, **kwargs)

    monkeypatch.setattr(Context, "build", classmethod(recording))
    return seen


@pytest.fixture(scope="session")
def archives(tmp_path_factory):
    """The corpus indexed, and larger archives grown from it (tests/scale_archives.py)."""
    from tests.scale_archives import build_archives

    return build_archives(tmp_path_factory.mktemp("scale"))
