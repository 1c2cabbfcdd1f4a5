"""figcheck on outsized input: a 50 MB article and a 5 MB line without a full stop.

    python bench/huge_article.py [--megabytes 50]

Prints the wall time and peak memory of `figcheck figures` over both, and checks that the real
sentence after each filler is still found. The test suite runs the same case at 1 MB
(tests/test_bad_input.py); this is the full-size version, too slow for every test run.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOOD = "The war has killed more than 32,000 people in Gaza, the health ministry said."


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        filler = "Aid agencies say the crossing stayed shut for another day as talks went on. "
        size = args.megabytes * 1024 * 1024
        (folder / "huge.txt").write_text((filler * (size // len(filler) + 1))[:size] + "\n" + GOOD + "\n",
                                         encoding="utf-8")
        (folder / "line.txt").write_text("word " * (size // 50) + GOOD, encoding="utf-8")
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "figcheck", "figures", str(folder), "--format", "jsonl"],
                              capture_output=True, text=True, check=False)
        wall = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        docs = sorted({json.loads(line)["doc"] for line in done.stdout.splitlines()})
        total = sum(p.stat().st_size for p in folder.iterdir()) / 1024 / 1024
        print(f"figcheck figures over {total:.0f} MB (one {args.megabytes} MB article, one {args.megabytes // 10} MB "
              f"line): {wall:.1f} s wall, peak {peak:.0f} MB, exit {done.returncode}, figures in {docs}")
        return 0 if done.returncode == 0 and docs == ["huge.txt", "line.txt"] else 1


if __name__ == "__main__":
    sys.exit(main())
