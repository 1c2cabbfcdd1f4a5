"""figcheck benchmark: throughput, start-up, check latency, rules at scale, against bare quantulum3.

    python bench/bench.py [--articles 2000] [--quantulum-sample 150] [--rules-figures 1000000]

Builds a corpus of N articles from the bundled corpus (and ../shared/seeds when present) with
varied figures and dates, then measures in one run, each figcheck command as its own process
(wall time, CPU time of the process tree, peak resident memory):
  - figcheck scan and figcheck index over the corpus;
  - figcheck check of one article against a store of 100,000 figures;
  - figcheck --help (start-up);
  - all rules over 1,000,000 figures (in-process, frame operations and findings);
and, over the same texts, bare quantulum3.parser.parse on each whole article. quantulum3 runs
at about 24 KB/s, so it parses a random sample of the articles (--quantulum-sample) and its
throughput is per byte of that sample.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUTLETS = ["Reuters", "Associated Press", "BBC News", "Al Jazeera English", "The Guardian", "CNN", "NPR",
           "France 24", "DW", "Regional Wire"]
_BIG_NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,])")


def source_texts() -> list[tuple[str, dt.date]]:
    from figcheck.errors import Warnings
    from figcheck.pipeline import Corpus, read_job

    paths = [ROOT / "corpus"]
    seeds = ROOT.parent / "shared" / "seeds"
    if seeds.is_dir():
        paths.append(seeds)
    warnings = Warnings(quiet=True)
    articles = [read_job(job, warnings) for job in Corpus(paths, warnings).jobs()]
    return [(a.text[a.body_start:], a.published or dt.date(2024, 3, 1)) for a in articles if a]


def vary(text: str, rnd: random.Random) -> str:
    """The same article with its comma-grouped figures moved by up to ±15 %."""
    def move(match: re.Match[str]) -> str:
        value = int(match.group().replace(",", ""))
        return f"{max(1, round(value * rnd.uniform(0.85, 1.15))):,}"

    return _BIG_NUMBER.sub(move, text)


def build_corpus(out: Path, n: int, seed: int = 7) -> tuple[list[Path], int]:
    rnd = random.Random(seed)
    sources = source_texts()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    paths, total = [], 0
    for i in range(n):
        # Two or three source articles of one story per article: about 4 KB, like a long news report.
        first = sources[i % len(sources)]
        same_story = [s for s in sources if abs((s[1] - first[1]).days) < 120]
        parts = [first] + rnd.sample(same_story, min(len(same_story), rnd.randint(1, 2)))
        body = "\n\n".join(vary(text, rnd) for text, _ in parts)
        date = first[1] + dt.timedelta(days=rnd.randint(-20, 20))
        text = f"---\noutlet: {rnd.choice(OUTLETS)}\npublished: {date}\n---\n" + body
        path = out / f"{i:05d}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
        total += len(text.encode("utf-8"))
    return paths, total


def measure(cmd: list[str], cwd: Path | None = None) -> dict:
    """Wall and CPU seconds and peak RSS (MB) of a command and everything it starts."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {err[-500:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024}


def quantulum_rate(paths: list[Path], sample: int) -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        from quantulum3 import parser

        parser.parse("about 1,200 people")
        first = time.perf_counter() - start
        chosen = random.Random(1).sample(paths, min(sample, len(paths)))
        texts = [p.read_text(encoding="utf-8") for p in chosen]
        size = sum(len(t.encode("utf-8")) for t in texts)
        cpu0, wall0 = time.process_time(), time.perf_counter()
        for text in texts:
            parser.parse(text)
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    return {"first_call": first, "kb_s": size / 1024 / wall, "articles_s": len(texts) / wall, "cpu": cpu,
            "bytes": size, "articles": len(texts)}


def synthetic_figures(n: int, seed: int = 3):
    """n figures of three cumulative and two other metrics over ~two years, mostly consistent:
    5 % cite a figure days to weeks old, as articles do."""
    import polars as pl

    from figcheck.records import FigureSet

    rnd = random.Random(seed)
    # (metric, value on day 0, growth per day, step an article rounds an exact figure to)
    metrics = [("gaza.deaths", 20000, 30, 1), ("gaza.injured", 50000, 70, 1), ("quake.deaths", 5000, 60, 1),
               ("gaza.population", 2_250_000, 0, 100_000), ("rafah.sheltering", 1_000_000, 500, 100_000)]
    rows: dict[str, list] = {k: [] for k in ("metric", "day", "value", "qualifier", "outlet", "precision")}
    for _ in range(n):
        metric, base, per_day, step = rnd.choice(metrics)
        day = rnd.randrange(700)
        lag = rnd.randrange(3, 60) if rnd.random() < 0.05 else 0
        true = base + per_day * (day - lag)
        lower = rnd.random() < 0.5  # "more than 33,000": rounded down to a thousand
        step = 1000 if lower else step
        rows["metric"].append(metric)
        rows["day"].append(day)
        rows["value"].append(float(true // step * step if lower else round(true / step) * step))
        rows["qualifier"].append("more_than" if lower else "exact")
        rows["precision"].append(float(step))
        rows["outlet"].append(rnd.choice(OUTLETS))
    frame = pl.DataFrame(rows).with_row_index("i").with_columns(
        doc=pl.format("doc{}.md", pl.col("i") // 8),
        as_of=pl.lit(dt.date(2023, 10, 7)) + pl.duration(days=pl.col("day")),
        low=pl.when(pl.col("qualifier") == "more_than").then(pl.col("value")),
        surface=pl.col("value").cast(pl.Int64).cast(pl.String),
        unit=pl.lit("count"), char_start=0, char_end=6, line=1, column=1,
        sentence=pl.lit(""), ignore_rules=pl.lit([], pl.List(pl.String)), published=pl.lit(None, pl.Date),
        share_of=pl.lit(None, pl.String), base_value=pl.lit(None, pl.Float64), high=pl.lit(None, pl.Float64),
        claimant=pl.lit(None, pl.String), previous=pl.lit(False),
    ).with_columns(path=pl.col("doc"))
    return FigureSet(frame)


def rules_at_scale(n: int) -> dict:
    from figcheck.checks import conflict, outdated
    from figcheck.checks.frame import Context
    from figcheck.findings import run_rules
    from figcheck.pack import load_config

    config = load_config()
    figures = synthetic_figures(n)
    start = time.perf_counter()
    ctx = Context.build(figures, config)
    conflict.dissent(ctx.frame)
    stale = outdated.stale(ctx)
    frames = time.perf_counter() - start
    start = time.perf_counter()
    found = run_rules(figures, config, [])
    total = time.perf_counter() - start
    return {"frames": frames, "total": total, "findings": len(found), "stale": stale.height}


def make_archive(store: Path, n: int) -> None:
    from figcheck import store as stores
    from figcheck.pack import load_config
    from figcheck.scope import record_rows

    config = load_config()
    figures = synthetic_figures(n)
    articles = figures.frame.select("path").unique().select(
        key="path", path="path", content_hash="path", figures=0)
    if store.exists():
        shutil.rmtree(store)
    with stores.Writer(store, record=lambda frame: record_rows(frame, config)) as writer:
        writer.add(figures.frame)
        writer.commit(articles, stores.rules_fingerprint(config.files))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--quantulum-sample", type=int, default=150)
    ap.add_argument("--rules-figures", type=int, default=1_000_000)
    ap.add_argument("--archive-figures", type=int, default=100_000)
    ap.add_argument("--work", type=Path, default=ROOT / "bench" / "out")
    args = ap.parse_args()

    exe = [sys.executable, "-m", "figcheck"]
    cli = shutil.which("figcheck", path=str(Path(sys.executable).parent)) or None
    work = args.work
    paths, size = build_corpus(work / "corpus", args.articles)
    kb = size / 1024
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}")
    print(f"corpus: {len(paths)} articles, {size / 1e6:.1f} MB ({work / 'corpus'})\n")

    q = quantulum_rate(paths, args.quantulum_sample)
    print(f"quantulum3 bare parse, whole articles ({q['articles']} sampled, {q['bytes'] / 1024:.0f} KB): "
          f"{q['kb_s']:.1f} KB/s, {q['articles_s']:.1f} articles/s; first call {q['first_call']:.2f} s\n")

    def line(label: str, m: dict) -> None:
        rate = kb / m["wall"]
        print(f"{label:<22} {m['wall']:7.2f} s wall  {m['cpu']:7.2f} s CPU  {rate:8.0f} KB/s  "
              f"{len(paths) / m['wall']:7.0f} articles/s  peak {m['rss_mb']:5.0f} MB  "
              f"x{rate / q['kb_s']:.0f} quantulum3")

    line("figcheck scan", measure(exe + ["scan", str(work / "corpus"), "--format", "json", "-q"]))
    shutil.rmtree(work / "store", ignore_errors=True)
    line("figcheck index", measure(exe + ["index", str(work / "corpus"), "--store", str(work / "store"), "-q"]))
    again = measure(exe + ["index", str(work / "corpus"), "--store", str(work / "store"), "-q"])
    print(f"{'index, unchanged':<22} {again['wall']:7.2f} s wall  (nothing to extract)")

    make_archive(work / "archive", args.archive_figures)
    one = paths[0]
    checks = [measure(exe + ["check", str(one), "--against", str(work / "archive"), "--format", "json", "-q"])
              for _ in range(3)]
    wall = statistics.median(c["wall"] for c in checks)
    one_kb = one.stat().st_size / 1024
    print(f"\nfigcheck check, 1 article vs {args.archive_figures:,}-figure store: {wall:.2f} s wall (median of 3, "
          f"start-up included), peak {max(c['rss_mb'] for c in checks):.0f} MB; quantulum3 on that article alone: "
          f"{one_kb / q['kb_s'] + q['first_call']:.2f} s with its first call")

    helps = [measure([cli] + ["--help"] if cli else exe + ["--help"])["wall"] for _ in range(5)]
    print(f"figcheck --help: {statistics.median(helps):.3f} s (median of 5; quantulum3's first call alone: "
          f"{q['first_call']:.2f} s)")

    r = rules_at_scale(args.rules_figures)
    print(f"\nall rules over {args.rules_figures:,} figures: {r['frames']:.2f} s as frame operations, "
          f"{r['total']:.2f} s with the {r['findings']:,} findings built")


if __name__ == "__main__":
    main()
