"""Mutation fuzzing: a mutated article beside good ones must never cost the good ones their figures.

Used by tests/test_hostile_fuzz.py (a few seconds in CI) and bench/fuzz.py (minutes).
"""

from __future__ import annotations

import os
import random
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
GOOD = [ROOT / "corpus" / "gaza" / "2023-10-12-reuters-gaza-siege.md"]  # re-read every case: one keeps cases cheap

# Fragments that broke or could break a reader: YAML typing, aliases, tags, markup, separators, numbers.
HOSTILE = [
    "---\n", "\n---\n", "published: 2024-02-30\n", "published: 2024-02-03 25:00:00\n", "title: 0000-00-00\n",
    "title: !!int 09\n", "outlet: !!float nan\n", "published: 1e400\n", "a: &a [*a]\n", "x: &x [1,2]\ny: [*x,*x]\n",
    "title: !!python/object:os.system x\n", "? [a, b]\n: c\n", "figcheck-ignore: {a: b}\n", "url: [[[[[[\n",
    "[/]", "[link=https://example.invalid]x[/link]", "[bold]", ":warning:", "\u2028", "\u2029", "\x85", "\x00",
    "\ufeff", "\r", "\r\n", "\t", "\x1b[31m", "inf", "nan", "-Infinity", "1e400", "9" * 400, "0x1F", "1,000,000,000,000",
    " killed ", " more than ", " at least 1,2,3,4 ", "<!-- figcheck: ignore -->", "<!-- figcheck: ignore ",
    "<p>", "</p>", "<script>", "<![CDATA[", "&amp;", "&#0;", "\ud800".encode("utf-8", "surrogatepass").decode("latin-1"),
    "’", "—", "٣٥", "３５", "35\u00a0000", "\u200b", "{n}", "(a+)+$", "'", '"', "\\", "%s", "{", "}",
]


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One to four random edits: flips, cuts, duplications, hostile fragments, front matter swaps."""
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(7)
        at = rng.randint(0, len(data))
        if kind == 0 and data:
            data[min(at, len(data) - 1)] = rng.randrange(256)
        elif kind == 1:
            del data[at:at + rng.randint(1, 200)]
        elif kind == 2:
            end = min(len(data), at + rng.randint(1, 400))
            data[at:at] = data[at:end] * rng.randint(1, 20)
        elif kind == 3:
            data[at:at] = rng.choice(HOSTILE).encode("utf-8", "surrogatepass")
        elif kind == 4:  # a fragment inside the front matter, where YAML reads it
            head = data.find(b"\n", 4) + 1 if data.startswith(b"---") else 0
            data[head:head] = rng.choice(HOSTILE).encode("utf-8", "surrogatepass")
        elif kind == 5:
            data[:0] = b"---\n" + rng.choice(HOSTILE).encode("utf-8", "surrogatepass") + b"\n---\n"
        else:
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
    return bytes(data)


def hostile_name(rng: random.Random, suffix: str) -> str:
    stems = ["bad", "bad\udcff", "bad\nline", "-o", "--format", "[/]", " spaced ", "é", "a" * 200, ".hidden-not"]
    return rng.choice(stems) + suffix


def figures_rows(run, folder: Path, fmt: str) -> tuple[str, list[tuple]]:
    """The rendered output and the good articles' figures, through the code the figures command runs."""
    from figcheck import rendering

    found = run.figures([folder])
    text = rendering.render_figures(found, fmt)
    rows = sorted((f.doc, f.metric, f.surface, f.char_start, str(f.published or ""), f.outlet or "")
                  for f in found if f.doc.startswith("good-"))
    return text, rows


@dataclass
class Report:
    cases: int = 0
    losses: list[str] = field(default_factory=list)  # what was lost, and the saved input
    warnings: int = 0


def fuzz(work: Path, seeds: list[Path], seconds: float, seed: int = 0, save: Path | None = None,
         on_case: Callable[[int], None] | None = None) -> Report:
    """Mutate seeds for `seconds`; each case: the good articles plus one mutated article, figures compared."""
    rng = random.Random(seed)
    folder = work / "in"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for path in GOOD:
        shutil.copy(path, folder / f"good-{path.name}")
    from figcheck import app
    from figcheck.errors import FigcheckError, Warnings

    run = app.Run()  # the packs are loaded once: a case costs only reading and extracting
    run.warnings = Warnings(quiet=True)
    _, expected = figures_rows(run, folder, "jsonl")
    assert expected, "the good articles must have figures for the fuzz to mean anything"
    sources = [p.read_bytes() for p in seeds]
    report = Report()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        data = mutate(rng.choice(sources), rng)
        suffix = rng.choice([".md", ".txt", ".html", ".md"])
        name = hostile_name(rng, suffix) if rng.random() < 0.1 else f"case{suffix}"
        path = folder / name
        try:
            path.write_bytes(data)
        except OSError:
            continue
        fmt = rng.choice(["jsonl", "csv", "table", "json"])
        run.warnings = Warnings(quiet=True)
        report.cases += 1
        problem = None
        try:
            text, got = figures_rows(run, folder, fmt)
            text.encode("utf-8")
            if got != expected:
                problem = f"good articles' figures changed: {len(got)} instead of {len(expected)}"
        except FigcheckError as exc:
            problem = f"error (exit 2): {exc}"
        except Exception as exc:  # noqa: BLE001 - what the fuzz looks for
            problem = f"internal error: {type(exc).__name__}: {str(exc)[:200]}"
        report.warnings += len(run.warnings)
        if problem:
            saved = ""
            if save is not None:
                save.mkdir(parents=True, exist_ok=True)
                target = save / f"case-{seed}-{report.cases}{suffix}"
                target.write_bytes(data)
                saved = f" (input saved as {target}, named {os.fsencode(name)!r})"
            report.losses.append(problem + saved)
        try:
            path.unlink()
        except OSError:
            pass
        if on_case:
            on_case(report.cases)
    return report
