"""Where extraction's time goes, by stage: CPU time of each stage function, wrapped with a timer.

    python bench/extract_stages.py [--rounds 10] [--devset]

Texts: the bundled corpus and ../shared/seeds (as bench/numbers_bench.py), or with --devset the
articles of ../shared/devset/*/articles. Each stage is timed where the extractor calls it; time
spent inside a stage counts once, for the outermost stage. The timers cost about a microsecond
a call, so shares are close to, and the rate a little below, an untimed run.
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

# stage name -> (module, function) as the extractor reaches it
STAGES = {
    "noise lines": ("extractor", "noise_lines"), "sentences": ("extractor", "sentences"),
    "line index": ("extractor", "LineIndex"), "ignore comments": ("extractor", "_ignore_comments"),
    "candidate numbers (scan)": ("extractor", "candidate_spans"), "story metrics": ("extractor", "story_metrics"),
    "number reading": ("extractor", "_candidates"), "clauses": ("extractor", "clause_bounds"),
    "scope reading": ("scope", "read"), "sentence cue matches": ("extractor", "SentenceMatches"),
    "metric classification": ("extractor", "classify"), "figure records": ("extractor", "_figure"),
    "pronoun claimants": ("extractor", "_named_before"),
    "metrics in reach": ("classify", "SentenceMatches.reachable"),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--devset", action="store_true", help="time ../shared/devset/*/articles instead")
    args = ap.parse_args()

    from figcheck.extract import classify, extractor, scope
    from figcheck.models import Article
    from figcheck.pack import load_config

    if args.devset:
        from figcheck.errors import Warnings
        from figcheck.pipeline import Corpus, read_job

        warnings = Warnings(quiet=True)
        folders = sorted((ROOT.parent / "shared" / "devset").glob("*/articles"))
        articles = [a for a in (read_job(job, warnings) for job in Corpus(folders, warnings).jobs()) if a]
    else:
        from bench import source_texts

        articles = [Article(path="x", doc="x", text=text) for text, _ in source_texts()]
    config = load_config(None)
    modules = {"extractor": extractor, "scope": scope, "classify": classify}
    spent: collections.Counter[str] = collections.Counter()
    calls: collections.Counter[str] = collections.Counter()
    inside = [False]

    def timed(name: str, function):
        def stage(*a, **k):
            if inside[0]:
                return function(*a, **k)
            inside[0] = True
            start = time.process_time_ns()
            try:
                return function(*a, **k)
            finally:
                spent[name] += time.process_time_ns() - start
                calls[name] += 1
                inside[0] = False
        return stage

    for name, (module, path) in STAGES.items():
        *owners, attr = path.split(".")  # "Class.method" times a method
        owner = modules[module]
        for part in owners:
            owner = getattr(owner, part, None)
        if owner is not None and hasattr(owner, attr):
            setattr(owner, attr, timed(name, getattr(owner, attr)))
    for article in articles:
        extractor.extract(article, config)
    spent.clear()
    calls.clear()
    start = time.process_time_ns()
    for _ in range(args.rounds):
        for article in articles:
            extractor.extract(article, config)
    total = time.process_time_ns() - start
    size = sum(len(a.text.encode("utf-8")) for a in articles)
    print(f"{len(articles)} articles, {size / 1024:.0f} KB, {args.rounds} rounds: "
          f"{size * args.rounds / (total / 1e9) / 1024:.0f} KB per CPU-second with the timers")
    for name, ns in spent.most_common():
        print(f"  {name:26s} {100 * ns / total:5.1f} %  {calls[name] / args.rounds:7.0f} calls per pass")
    print(f"  {'the rest (explain loop)':26s} {100 * (total - sum(spent.values())) / total:5.1f} %")


if __name__ == "__main__":
    main()
