"""Number reading throughput: figcheck.read_numbers and article extraction against bare quantulum3.

    python bench/numbers_bench.py [--rounds 20]

Texts: the bundled corpus and ../shared/seeds when present, read in one process on one core
(CPU time). Prints, per byte of text: read_numbers (every number, rejected ones included),
extraction of tracked figures (figcheck.extract.extractor.extract with the bundled packs), and
quantulum3.parser.parse over the same whole articles, once (it runs at about 20 KB/s), with the ratios;
and the wall time of one `figcheck numbers` process on a short text (start-up included).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def cpu_rate(work, texts: list[str], rounds: int) -> tuple[float, int]:
    """Bytes per CPU second of work(text) over all texts, `rounds` times; and what work returned."""
    size = sum(len(t.encode("utf-8")) for t in texts) * rounds
    found = 0
    start = time.process_time()
    for _ in range(rounds):
        for text in texts:
            found += len(work(text))
    return size / (time.process_time() - start), found // rounds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()

    from bench import source_texts

    import figcheck
    from figcheck.extract.extractor import extract
    from figcheck.models import Article
    from figcheck.pack import load_config

    texts = [text for text, _ in source_texts()]
    size = sum(len(t.encode("utf-8")) for t in texts)
    print(f"texts: {len(texts)} articles, {size / 1024:.0f} KB, {args.rounds} rounds, one core (CPU time)")

    numbers_rate, numbers = cpu_rate(lambda t: figcheck.read_numbers(t, include_rejected=True), texts, args.rounds)
    config = load_config(None)
    articles = {t: Article(path="x", doc="x", text=t) for t in texts}
    extract_rate, figures = cpu_rate(lambda t: extract(articles[t], config), texts, args.rounds)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from quantulum3 import parser

        parser.parse("about 1,200 people")
        quantulum_rate, _ = cpu_rate(parser.parse, texts, 1)

    print(f"read_numbers:  {numbers_rate / 1024:8.0f} KB/s  ({numbers} numbers per pass)")
    print(f"extraction:    {extract_rate / 1024:8.0f} KB/s  ({figures} figures per pass)")
    print(f"quantulum3:    {quantulum_rate / 1024:8.1f} KB/s  (whole articles)")
    print(f"ratios: read_numbers {numbers_rate / quantulum_rate:.0f}x quantulum3, "
          f"extraction {extract_rate / quantulum_rate:.0f}x quantulum3")

    figcheck_bin = Path(sys.executable).with_name("figcheck")
    cmd = [str(figcheck_bin) if figcheck_bin.exists() else "figcheck", "numbers", "-", "--format", "jsonl"]
    start = time.perf_counter()
    subprocess.run(cmd, input=b"Nearly 3,000 people fled.\n", capture_output=True, check=True)
    print(f"figcheck numbers on one sentence (process, start-up included): {time.perf_counter() - start:.2f} s wall")


if __name__ == "__main__":
    main()
