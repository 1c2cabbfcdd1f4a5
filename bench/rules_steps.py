"""Where the rules' memory goes: the resident high-water mark of each step over one metric of a store.

rules_memory.py prints scan's peak; this splits it. In one process, the rules' context is built for
one metric of a store (a store rules_memory.py --keep left, for example) and each rule run over it
in turn, its findings made and let go as scan would; a thread samples the resident size every few
milliseconds and the largest value seen during each step is printed, with what the context holds
at the end. Freed memory mostly stays with the allocator, so a step's mark is never below what the
steps before it held.

    python bench/rules_steps.py bench/out/rules-memory/store-50000 gaza.deaths
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


class Marks:
    """The largest resident size seen during each named step."""

    def __init__(self, every: float = 0.002):
        self.step, self.peak, self.every = "start", {}, every
        threading.Thread(target=self._sample, daemon=True).start()

    @staticmethod
    def resident_mb() -> float:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * PAGE / 1e6

    def _sample(self) -> None:
        while True:
            step = self.step
            self.peak[step] = max(self.peak.get(step, 0.0), self.resident_mb())
            time.sleep(self.every)

    def enter(self, step: str) -> None:
        time.sleep(5 * self.every)  # the step before is sampled at its end
        self.step = step


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("store", type=Path)
    ap.add_argument("metric")
    args = ap.parse_args()

    from figcheck import store as stores
    from figcheck.checks import RULES
    from figcheck.checks.frame import Context
    from figcheck.pack import load_config
    from figcheck.scope import StoredFigures

    marks = Marks()
    generation = stores.open_store(args.store)
    config = load_config()
    claimants = StoredFigures(generation).claimant_names(config)
    marks.enter("context")
    ctx = Context.build(StoredFigures(generation, [args.metric]), config, [], claimants=claimants)
    counts = {}
    for rule_id, rule in RULES.items():
        if config.rule_enabled(rule_id):
            marks.enter(rule_id)
            counts[rule_id] = sum(1 for _ in rule.run(ctx))
    marks.enter("end")
    print(f"{args.metric}: {ctx.frame.height:,} current figures")
    for step, peak in marks.peak.items():
        print(f"{step:>12}  {peak:6.1f} MB" + (f"  {counts[step]:,} findings" if step in counts else ""))
    held = {key: frame.estimated_size() / 1e6 for key, frame in ctx._memo.items() if hasattr(frame, "estimated_size")}
    print(f"held at the end: frame {ctx.frame.estimated_size() / 1e6:.1f} MB, "
          + ", ".join(f"{key} {mb:.1f} MB" for key, mb in held.items()))


if __name__ == "__main__":
    main()
