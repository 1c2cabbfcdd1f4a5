"""Long mutation fuzzing run: mutated articles beside a good one, for minutes; prints what it found.

    .venv/bin/python bench/fuzz.py --minutes 10 [--seed N]

Seeds are the bundled corpus and, when ../shared is beside the checkout, its seed articles.
Inputs that cost the good article its figures (or crash the run) are saved under bench/out/fuzz/.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fuzzing import fuzz  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    args = parser.parse_args()
    seeds = [p for p in sorted((ROOT / "corpus").rglob("*")) if p.suffix in (".md", ".txt", ".html")]
    shared = ROOT.parent / "shared" / "seeds"
    if shared.is_dir():
        seeds += sorted(shared.glob("*.txt"))
    out = ROOT / "bench" / "out" / "fuzz"
    started = time.monotonic()

    def progress(cases: int) -> None:
        if cases % 200 == 0:
            print(f"  {cases} cases, {time.monotonic() - started:.0f} s", file=sys.stderr)

    with tempfile.TemporaryDirectory() as work:
        report = fuzz(Path(work), seeds, args.minutes * 60, seed=args.seed, save=out, on_case=progress)
    elapsed = time.monotonic() - started
    print(f"seed {args.seed}: {report.cases} cases in {elapsed:.0f} s ({report.cases / elapsed:.1f}/s) "
          f"from {len(seeds)} seed articles; {report.warnings} warnings about the mutated articles; "
          f"{len(report.losses)} cases lost the good article's figures or failed the run")
    for loss in report.losses[:20]:
        print(f"  {loss}")
    sys.exit(1 if report.losses else 0)


if __name__ == "__main__":
    main()
