"""scan's peak memory over stores of 1,000 to 200,000 bench articles, without extracting them.

The 100,000-article point of bench.py's memory curve takes an hour and a half, nearly all of it
extraction; the peak is in the rules (a scan of a store runs only them). Here a store of a few
thousand bench articles (bench.build_corpus, indexed once) is grown to each size by copies of
its articles, as build_corpus would have made more of them: each copy of an article is published
on another day within its story's ±20 days (its figures dated by the publication date move with
it), its comma-grouped figures moved by up to ±15 % (bench.vary). The per-day density of each
metric then grows with the size, as in a real corpus. Each store is scanned in a process of its
own, and its peak resident memory printed.

    python bench/rules_memory.py                        # 1,000 / 20,000 / 50,000 / 100,000
    python bench/rules_memory.py --sizes 1000,200000 --base 3000
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import bench  # noqa: E402

SHIFT_DAYS = 20  # build_corpus publishes an article within this many days of its first source
RELATIVE_DAYS = 7  # a figure dated this near its publication ("on Tuesday") moves with it


def base_store(work: Path, n: int) -> Path:
    """A store of n bench articles, indexed once and kept in `work` for later runs."""
    store = work / f"base-{n}"
    if (store / "CURRENT").is_file():
        return store
    bench.build_corpus(work / f"base-{n}-articles", n)
    subprocess.run([sys.executable, "-m", "figcheck", "index", str(work / f"base-{n}-articles"), "--store",
                    str(store), "-q"], check=True)
    return store


def source_dates(n: int) -> list[dt.date]:
    """The publication date of each bench article's first source, as build_corpus picks it."""
    sources = bench.source_texts()
    return [sources[i % len(sources)][1] for i in range(n)]


def _varied(surface: str, value: float, rnd: random.Random) -> tuple[str, float] | None:
    match = bench._BIG_NUMBER.search(surface)
    if not match or float(match.group().replace(",", "")) != value:
        return None
    moved = max(1, round(value * rnd.uniform(0.85, 1.15)))
    return surface[:match.start()] + f"{moved:,}" + surface[match.end():], float(moved)


def _precision(value: float) -> float:
    """The step a comma-grouped integer is read to: its trailing zeros (as figcheck reads "30,100")."""
    step, whole = 1, int(value)
    while whole and whole % (step * 10) == 0:
        step *= 10
    return float(step)


def grow(base: Path, out: Path, n: int, seed: int = 11) -> None:
    """A store of n articles: the base store's, then copies of them (see the module docstring)."""
    import polars as pl

    from figcheck import store as stores
    from figcheck.kept import writer as kept_writer
    from figcheck.pack import load_config

    config = load_config()
    generation = stores.open_store(base)
    figures = generation.figures()
    articles = generation.articles().sort("key")
    n_base = articles.height
    firsts = source_dates(n_base)
    number = {key: int(re.sub(r"\D", "", key)) for key in articles["key"]}
    published = dict(figures.group_by("doc").agg(pl.col("published").first()).iter_rows())
    rnd = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    rows = []
    with kept_writer(out, config) as writer:
        for copy in range((n + n_base - 1) // n_base):
            take = min(n_base, n - copy * n_base)
            keys = articles["key"][:take].to_list()
            doc = {key: f"{copy * n_base + number[key]:06d}.md" for key in keys}
            shift = {}
            for key in keys:
                old = published.get(key)
                first = firsts[number[key] % n_base]
                shift[key] = 0 if copy == 0 or old is None else (
                    (first + dt.timedelta(days=rnd.randint(-SHIFT_DAYS, SHIFT_DAYS)) - old).days)
            part = figures.filter(pl.col("doc").is_in(keys))
            if copy:
                part = _copied(part, doc, shift, rnd)
            else:
                renamed = pl.col("doc").replace_strict(doc)
                part = part.with_columns(doc=renamed, path=pl.format("/srv/bench/{}", renamed))
            writer.add(part)
            rows.extend((doc[k], f"/srv/bench/{doc[k]}", f"{copy}-{k}", 0) for k in keys)
        writer.commit(pl.DataFrame(rows, schema=stores.ARTICLE_SCHEMA, orient="row"),
                      stores.rules_fingerprint(config.files))


def _copied(part, doc: dict[str, str], shift: dict[str, int], rnd: random.Random):
    import polars as pl

    days = pl.col("doc").replace_strict(shift, return_dtype=pl.Int64)
    near = (pl.col("as_of") - pl.col("published")).dt.total_days().abs() <= RELATIVE_DAYS
    part = part.with_columns(
        as_of=pl.when(near).then(pl.col("as_of") + pl.duration(days=days)).otherwise(pl.col("as_of")),
        published=pl.col("published") + pl.duration(days=days),
        doc=pl.col("doc").replace_strict(doc),
        path=pl.format("/srv/bench/{}", pl.col("doc").replace_strict(doc)))
    surfaces, values, lows, highs, precisions = [], [], [], [], []
    for surface, value, low, high, precision in part.select("surface", "value", "low", "high", "precision").iter_rows():
        moved = _varied(surface, value, rnd)
        if moved is not None:
            surface, new = moved
            low = new if low == value else low
            high = new if high == value else high
            value, precision = new, _precision(new)
        surfaces.append(surface)
        values.append(value)
        lows.append(low)
        highs.append(high)
        precisions.append(precision)
    return part.with_columns(surface=pl.Series(surfaces, dtype=pl.String), value=pl.Series(values, dtype=pl.Float64),
                             low=pl.Series(lows, dtype=pl.Float64), high=pl.Series(highs, dtype=pl.Float64),
                             precision=pl.Series(precisions, dtype=pl.Float64))


def densest(store: Path) -> tuple[str, int, int]:
    """The metric with most figures, its figures and its figures on its busiest date."""
    import polars as pl

    from figcheck import store as stores

    parts = sorted((stores.current_generation(store) / "figures").glob("*/*.parquet"))
    figures = pl.scan_parquet(parts).select("metric", "as_of").collect()
    metric = figures.group_by("metric").len().sort("len", descending=True).row(0)
    day = figures.filter(pl.col("metric") == metric[0]).group_by("as_of").len()["len"].max()
    return metric[0], metric[1], day


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,20000,50000,100000", help="articles per store (comma-separated)")
    ap.add_argument("--base", type=int, default=3000, help="bench articles extracted for real, then copied")
    ap.add_argument("--work", type=Path, default=BENCH / "out" / "rules-memory")
    ap.add_argument("--keep", action="store_true", help="keep the grown stores")
    ap.add_argument("--reuse", action="store_true", help="scan the stores a --keep run left (same --work and --base)")
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    exe = [sys.executable, "-m", "figcheck"]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f} at start")
    base = base_store(work, args.base)
    curve = []
    for n in sizes:
        store = work / f"store-{n}"
        # In a process of its own: a child's peak starts from its parent's, so this one stays small.
        if not (args.reuse and (store / "CURRENT").is_file()):
            subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(BENCH)!r}); import rules_memory; "
                            f"from pathlib import Path; rules_memory.grow(Path({str(base)!r}), Path({str(store)!r}), {n})"],
                           check=True)
        metric, count, day = densest(store)
        m = bench.measure(exe + ["scan", str(store), "--format", "json", "-q", "-o", str(work / "findings.json")])
        curve.append((n, m["rss_mb"]))
        print(f"{n:>7,} articles  peak {m['rss_mb']:5.0f} MB  {m['wall']:7.1f} s wall {m['cpu']:7.1f} s CPU  "
              f"({metric}: {count:,} figures, {day:,} on its busiest date; "
              f"{(work / 'findings.json').stat().st_size / 1e6:.0f} MB of JSON findings)", flush=True)
        if not args.keep:
            shutil.rmtree(store)
    if len(curve) > 1:
        print(f"largest / smallest: {curve[-1][1] / curve[0][1]:.2f}x peak for {curve[-1][0] / curve[0][0]:.0f}x "
              f"the articles")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
