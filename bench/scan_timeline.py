"""Where `scan` holds its memory: a resident-memory timeline of one scan, marked by metric group,
rule and step.

    python bench/scan_timeline.py STORE_OR_ARTICLES LOG [--every 0.2]

Runs `figcheck scan PATH --format json -o LOG.json` in this process (findings are written as they
come, not held) while a thread samples the process's resident memory (psutil) and writes one line
per sample to LOG: seconds, MB, metric group (its first metric, +N related ones), and the steps
under way (rule.<id>, Context.build, series.shown_revisions, stored.take, ...). At the end it prints on
stderr the peak of each group and of each step within its group, highest first. The peak of a
step includes what earlier steps left resident; compare peaks, not the memory after a step.
"""

from __future__ import annotations

import argparse
import functools
import sys
import threading
import time

import figcheck.cli  # first: it sets polars' allocator options, as the command does, before polars loads

import psutil

from figcheck import findings, scope
from figcheck.checks import RULES, frame, series, sweep


class Timeline:
    def __init__(self, log, every: float):
        self.log, self.every = log, every
        self.process = psutil.Process()
        self.steps: list[str] = []
        self.group = "-"
        self.peaks: dict[tuple[str, str], float] = {}
        self.lock = threading.Lock()
        self.start = time.perf_counter()

    def sample(self) -> None:
        while True:
            mb = self.process.memory_info().rss / 2**20
            with self.lock:
                for step in {"", *self.steps}:
                    key = (self.group, step)
                    self.peaks[key] = max(self.peaks.get(key, 0.0), mb)
                self.log.write(f"{time.perf_counter() - self.start:8.1f} {mb:7.1f} {self.group} "
                               f"{'/'.join(self.steps) or '-'}\n")
            time.sleep(self.every)

    def marked(self, label: str, function):
        @functools.wraps(function)
        def run(*args, **kwargs):
            with self.lock:
                self.steps.append(label)
            try:
                return function(*args, **kwargs)
            finally:
                with self.lock:
                    self.steps.remove(label)
        return run

    def streamed(self, label: str, found):
        """A rule's findings, marked while they are produced (a list is already made)."""
        if isinstance(found, list):
            return found
        if isinstance(found, frame.Streams):
            return frame.Streams(*(self.streamed(label, stream) for stream in found.streams))

        def produce():
            with self.lock:
                self.steps.append(label)
            try:
                yield from found
            finally:
                with self.lock:
                    self.steps.remove(label)
        return produce()


def instrument(timeline: Timeline) -> None:
    for cls, name in [(scope.StoredFigures, "take"), (scope.StoredFigures, "claimant_names"),
                      (scope.StoredFigures, "share_links")]:
        setattr(cls, name, timeline.marked(f"stored.{name}", getattr(cls, name)))
    for module, names in [(series, ["stated_revisions", "shown_revisions", "with_series", "mark_superseded", "with_epochs"]),
                          (sweep, ["support"]), (findings, ["_superseding_subjects"])]:
        for name in names:
            setattr(module, name, timeline.marked(f"{module.__name__.split('.')[-1]}.{name}", getattr(module, name)))
    for rule_id, rule in RULES.items():
        def run(ctx, _run=rule.run, _label=f"rule.{rule_id}"):
            return timeline.streamed(_label, timeline.marked(_label, _run)(ctx))
        rule.run = run
    build = frame.Context.build.__func__

    def grouped(cls, figures, *args, **kwargs):
        metrics = sorted(figures.metrics())
        with timeline.lock:
            timeline.group = metrics[0] + (f"+{len(metrics) - 1}" if len(metrics) > 1 else "") if metrics else "-"
        return timeline.marked("Context.build", build)(cls, figures, *args, **kwargs)
    frame.Context.build = classmethod(grouped)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("log")
    parser.add_argument("--every", type=float, default=0.2, help="seconds between samples")
    args = parser.parse_args()
    with open(args.log, "w", encoding="utf-8") as log:
        timeline = Timeline(log, args.every)
        instrument(timeline)
        threading.Thread(target=timeline.sample, daemon=True).start()
        sys.argv = ["figcheck", "scan", args.path, "--format", "json", "-q", "-o", args.log + ".json"]
        try:
            figcheck.cli.main()
        except SystemExit:
            pass
        with timeline.lock:
            peaks = dict(timeline.peaks)
    print(f"{time.perf_counter() - timeline.start:.0f} s", file=sys.stderr)
    for (group, step), mb in sorted(peaks.items(), key=lambda item: -item[1])[:25]:
        print(f"{mb:7.0f} MB  {group:32s} {step or '(group)'}", file=sys.stderr)


if __name__ == "__main__":
    main()
