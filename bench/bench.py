"""figcheck benchmark, in one run: throughput against bare quantulum3 (per core), scan's memory
curve, check latency against stores of 10k / 100k / 1M figures, and index on Dask against local
worker processes.

    python bench/bench.py            # the full run (the 50,000-article memory point takes a while)
    python bench/bench.py --quick    # a few minutes: smaller corpora, sizes and samples

Corpora are built from the bundled corpus (and ../shared/seeds when present), each article two
or three source articles of one story with figures moved by up to 15 % and dates shifted. Each
figcheck command runs as its own process: wall time, CPU time of the process tree, and peak
resident memory (the largest of the process and its workers). Throughput per core is bytes per
CPU-second, so figcheck's worker processes are not counted against quantulum3's single one.
quantulum3 parses a random sample of the articles (--quantulum-sample); it is slow.

Past 50,000 articles the memory curve is mostly extraction time: bench/rules_memory.py draws it
from stores of indexed bench articles grown by copies (the rules only), to 100,000 and beyond.
"""

from __future__ import annotations

import argparse
import compileall
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


def measure(cmd: list[str], cwd: Path | None = None, env: dict | None = None) -> dict:
    """Wall and CPU seconds and peak RSS (MB) of a command and everything it starts."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
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

    from figcheck.records import SCHEMA, FigureSet

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
        sentence=pl.lit(""), ignore_rules=pl.lit([], pl.List(pl.String)),
        previous=pl.lit(False),
    ).with_columns(path=pl.col("doc"))
    # Columns the bench does not vary (claimant, a live page's entry, ...) are null, whatever the
    # schema grows to.
    return FigureSet(frame.with_columns(pl.lit(None, dtype).alias(name) for name, dtype in SCHEMA.items()
                                        if name not in frame.columns))


def rules_at_scale(n: int) -> dict:
    from figcheck.checks import outdated, sweep
    from figcheck.checks.frame import Context
    from figcheck.findings import run_rules
    from figcheck.pack import load_config

    config = load_config()
    figures = synthetic_figures(n)
    start = time.perf_counter()
    ctx = Context.build(figures, config)
    sweep.support(ctx)
    stale = outdated.stale(ctx)
    frames = time.perf_counter() - start
    start = time.perf_counter()
    found = run_rules(figures, config, [])
    total = time.perf_counter() - start
    return {"frames": frames, "total": total, "findings": len(found), "stale": stale.height}


# Who the named archive's figures credit: five authorities, or none for three figures in eight.
CLAIMANTS = ["Gaza Health Ministry", "UN OCHA", "Israeli army", "WHO", "Government Media Office", None, None, None]


def make_archive(store: Path, n: int, named: bool = False) -> None:
    import polars as pl

    from figcheck import store as stores
    from figcheck.pack import load_config
    from figcheck.kept import writer as kept_writer

    config = load_config()
    figures = synthetic_figures(n)
    rnd = random.Random(5)
    claimant = pl.Series([rnd.choice(CLAIMANTS) for _ in range(n)] if named else [None] * n, dtype=pl.String)
    # Absolute paths, as index writes them.
    figures = type(figures)(figures.frame.with_columns(path=pl.format("/srv/archive/{}", pl.col("doc")),
                                                       claimant=claimant))
    articles = figures.frame.select("path").unique().select(
        key="path", path="path", content_hash="path", figures=0)
    if store.exists():
        shutil.rmtree(store)
    with kept_writer(store, config) as writer:
        writer.add(figures.frame)
        writer.commit(articles, stores.rules_fingerprint(config.files))


def symlinked_subset(src: list[Path], out: Path) -> Path:
    """A folder of the first N articles as symlinks: the memory curve's corpora share one build."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for path in src:
        (out / path.name).symlink_to(path)
    return out


def check_draft(out: Path) -> Path:
    """A draft that cites tolls only (cumulative metrics), dated inside the synthetic archive."""
    out.mkdir(parents=True, exist_ok=True)
    draft = out / "toll-draft.md"
    draft.write_text("---\noutlet: Bench Desk\npublished: 2024-01-20\n---\nThe health ministry in Gaza said on "
                     "Saturday that 24,100 people had been killed and 60,800 wounded since the war began.\n",
                     encoding="utf-8")
    return draft


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes, for a run of a few minutes")
    ap.add_argument("--articles", type=int, help="corpus for throughput and Dask (default 2000; quick 300)")
    ap.add_argument("--quantulum-sample", type=int, help="articles quantulum3 parses (default 150; quick 20)")
    ap.add_argument("--memory-sizes", help="comma-separated corpus sizes for scan's memory curve "
                                           "(default 1000,5000,20000,50000; quick 250,1000,2500)")
    ap.add_argument("--check-figures", help="store sizes for check latency (default 10000,100000,1000000; "
                                            "quick 10000,100000)")
    ap.add_argument("--sections", default="throughput,dask,memory,check,rules",
                    help="which parts to run (comma-separated)")
    ap.add_argument("--work", type=Path, default=ROOT / "bench" / "out")
    args = ap.parse_args()
    quick = args.quick
    n_articles = args.articles or (300 if quick else 2000)
    sample = args.quantulum_sample or (20 if quick else 150)
    sizes = [int(x) for x in (args.memory_sizes or ("250,1000,2500" if quick else "1000,5000,20000,50000")).split(",")]
    check_sizes = [int(x) for x in (args.check_figures or ("10000,100000" if quick else "10000,100000,1000000")).split(",")]

    # Bytecode of the current sources, as installing figcheck writes it: with PYTHONDONTWRITEBYTECODE
    # set and stale .pyc files, every command compiled the edited modules again (some 0.1 s a check).
    compileall.compile_dir(str(ROOT / "figcheck"), quiet=1)
    exe = [sys.executable, "-m", "figcheck"]
    work = args.work
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}, load average {os.getloadavg()[0]:.1f} at start")
    biggest, _ = build_corpus(work / "articles", max([n_articles, *sizes]))
    paths = biggest[:n_articles]
    corpus = symlinked_subset(paths, work / "corpus")
    size = sum(p.stat().st_size for p in paths)
    kb = size / 1024
    print(f"corpus: {len(paths)} articles, {size / 1e6:.1f} MB\n")

    sections = set(args.sections.split(","))
    print("== throughput (KB per CPU-second is per core) ==")
    q = quantulum_rate(paths, sample if "throughput" in sections else 3)
    q_core = q["bytes"] / 1024 / q["cpu"]
    print(f"{'quantulum3 bare parse':<24} {q['kb_s']:8.1f} KB/s wall  {q_core:8.1f} KB/CPU-s   "
          f"({q['articles']} whole articles sampled, {q['bytes'] / 1024:.0f} KB; first call {q['first_call']:.2f} s)")

    def line(label: str, m: dict) -> None:
        core = kb / m["cpu"]
        print(f"{label:<24} {kb / m['wall']:8.0f} KB/s wall  {core:8.0f} KB/CPU-s   x{core / q_core:.0f} quantulum3 "
              f"per core   {m['wall']:6.2f} s wall {m['cpu']:6.2f} s CPU  peak {m['rss_mb']:4.0f} MB")

    if "throughput" in sections:
        line("figcheck scan", measure(exe + ["scan", str(corpus), "--format", "json", "-q"]))
    shutil.rmtree(work / "store", ignore_errors=True)
    local = measure(exe + ["index", str(corpus), "--store", str(work / "store"), "-q"])
    line("figcheck index", local)
    again = measure(exe + ["index", str(corpus), "--store", str(work / "store"), "-q"])
    print(f"{'index, unchanged':<24} {again['wall']:6.2f} s wall (nothing to extract)")

    try:
        if "dask" not in sections:
            raise LookupError
        print("\n== index: Dask LocalCluster against local worker processes ==")
        import distributed  # noqa: F401
        shutil.rmtree(work / "store-dask", ignore_errors=True)
        dask = measure(exe + ["index", str(corpus), "--store", str(work / "store-dask"), "--engine", "dask", "-q"])
        same = (subprocess.run(exe + ["scan", str(work / "store"), "--format", "json", "-q"], capture_output=True).stdout
                == subprocess.run(exe + ["scan", str(work / "store-dask"), "--format", "json", "-q"],
                                  capture_output=True).stdout)
        print(f"{'local processes':<24} {local['wall']:6.2f} s wall {local['cpu']:6.2f} s CPU  peak {local['rss_mb']:4.0f} MB")
        print(f"{'dask (LocalCluster)':<24} {dask['wall']:6.2f} s wall {dask['cpu']:6.2f} s CPU  peak {dask['rss_mb']:4.0f} MB"
              f"  ({dask['wall'] / local['wall']:.2f}x local; findings from the two stores identical: {same})")
    except ImportError:
        print("dask is not installed (pip install -e '.[dask]'): skipped")
    except LookupError:
        pass

    print("\n== scan peak memory against corpus size ==")
    curve = []
    for n in sizes if "memory" in sections else []:
        folder = symlinked_subset(biggest[:n], work / f"memory-{n}")
        m = measure(exe + ["scan", str(folder), "--format", "json", "-q", "-o", str(work / "memory.json")])
        findings = (work / "memory.json").stat().st_size / 1e6
        curve.append((n, m["rss_mb"]))
        print(f"{n:>7,} articles  peak {m['rss_mb']:5.0f} MB  {m['wall']:7.1f} s wall {m['cpu']:7.1f} s CPU  "
              f"({findings:.0f} MB of JSON findings)")
        shutil.rmtree(folder)
    if len(curve) > 1:
        # issue 15 holds the largest run to its peak at 5,000 articles; without that point, the smallest
        base = next((c for c in curve[:-1] if c[0] == 5000), curve[0])
        print(f"largest / {base[0]:,} articles: {curve[-1][1] / base[1]:.2f}x peak for "
              f"{curve[-1][0] / base[0]:.0f}x the articles")

    print("\n== check: one draft against a store (median of 5, start-up included) ==")
    draft = check_draft(work / "drafts")
    # A cache folder of the bench's own: the first check loads the packs from YAML and caches them.
    shutil.rmtree(work / "cache", ignore_errors=True)
    cached = {**os.environ, "XDG_CACHE_HOME": str(work / "cache")}
    cold = None
    for n in check_sizes if "check" in sections else []:
        # In a process of its own: a child's peak RSS starts from its parent's at fork, so the
        # bench process must stay small for check's peak to be check's own.
        subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(ROOT / 'bench')!r}); "
                        f"import bench; from pathlib import Path; bench.make_archive(Path({str(work / f'archive-{n}')!r}), {n})"],
                       check=True)
        for label, article in (("tolls-only draft", draft), ("bench article", paths[0])):
            command = exe + ["check", str(article), "--against", str(work / f"archive-{n}"), "--format", "json", "-q"]
            if cold is None:
                cold = measure(command, env=cached)
                print(f"first run, the packs loaded from YAML and cached: {cold['wall']:.2f} s wall "
                      f"{cold['cpu']:.2f} s CPU")
            runs = [measure(command, env=cached) for _ in range(5)]
            print(f"{n:>9,} figures  {label:<17} {statistics.median(r['wall'] for r in runs):5.2f} s wall  "
                  f"{statistics.median(r['cpu'] for r in runs):5.2f} s CPU  peak {max(r['rss_mb'] for r in runs):4.0f} MB")
        shutil.rmtree(work / f"archive-{n}")
    # Real archives credit most figures to someone: claimant series span a metric's whole history,
    # so index keeps each claimant name's records and the store's revisions (figcheck/kept.py).
    for n in check_sizes if "check" in sections else []:
        store = work / f"archive-named-{n}"
        subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(ROOT / 'bench')!r}); "
                        f"import bench; from pathlib import Path; bench.make_archive(Path({str(store)!r}), {n}, True)"],
                       check=True)
        count = 5
        runs = [measure(exe + ["check", str(draft), "--against", str(store), "--format", "json", "-q"], env=cached)
                for _ in range(count)]
        print(f"{n:>9,} figures  tolls-only draft, 5 in 8 figures naming a claimant: "
              f"{statistics.median(r['wall'] for r in runs):5.2f} s wall  {statistics.median(r['cpu'] for r in runs):5.2f} s CPU  "
              f"peak {max(r['rss_mb'] for r in runs):4.0f} MB")
        shutil.rmtree(store)
    for floor in ("import polars", "import polars, pydantic"):
        runs = [measure([sys.executable, "-c", floor]) for _ in range(5)]
        print(f"(python -c '{floor}' alone: {statistics.median(r['wall'] for r in runs):.2f} s wall "
              f"{statistics.median(r['cpu'] for r in runs):.2f} s CPU, median of 5)")

    if not quick and "rules" in sections:
        r = rules_at_scale(1_000_000)
        print(f"\nall rules over 1,000,000 figures: {r['frames']:.2f} s as frame operations, "
              f"{r['total']:.2f} s with the {r['findings']:,} findings built")
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end (2 cores shared: wall times vary with it; CPU times less)")


if __name__ == "__main__":
    main()
