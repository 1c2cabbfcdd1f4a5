"""What one `check` of a draft against a small store spends, stage by stage: the fixed cost every
draft pays whatever the size of the archive.

    python bench/check_overhead.py                      # corpus/ indexed into a scratch store
    python bench/check_overhead.py --store STORE --draft DRAFT --runs 5

Each run is `figcheck check DRAFT --against STORE --format json -q` in a process of its own, with
the metric packs from a cache of the bench's own (warmed by a first run that is not counted). The
process times its stages itself and writes them to a file: `imports` is every module import,
wherever it happens (the import machinery is timed, so a module imported lazily inside a later
stage counts here, not there); `packs` the project's settings and the metric packs; `extract`
reading and extracting the draft; `read store` choosing and reading the archive's rows; `rules`
producing the findings; `output` writing them. Stages are exclusive (time in an import inside
`rules` is `imports`). `interpreter` is the rest of the process: Python's own start-up and exit,
from outside (wall and CPU of the whole process, by wait4) less what the stages account for.
Medians of the runs, in milliseconds; the load average is printed beside them. `polars
operations` counts the frame operations each stage ran (eager ones, collected lazy queries, and
each `collect_all` of several queries as one):
on the small frames of a check each costs 0.05 to 0.3 ms whatever its size, so their number,
more than the rows read, is what a stage costs.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAGES = ["imports", "packs", "extract", "read store", "rules", "output", "interpreter"]

# Run in the measured process: wraps the import machinery and the check command's steps in stage
# clocks, runs the command as the console script does (program.run), and writes the clocks
# to argv[1] as it exits.
CHILD = r"""
import sys, time
_clock = {}
_stack = ["other"]
_last = [time.perf_counter(), time.process_time()]

def _charge():
    wall, cpu = time.perf_counter(), time.process_time()
    spent = _clock.setdefault(_stack[-1], [0.0, 0.0])
    spent[0] += wall - _last[0]
    spent[1] += cpu - _last[1]
    _last[:] = [wall, cpu]

def _enter(stage):
    _charge()
    _stack.append(stage)

def _leave():
    _charge()
    _stack.pop()

import importlib._bootstrap as _bootstrap
_find_and_load = _bootstrap._find_and_load

def _timed_import(name, import_):
    if _stack[-1] == "imports":
        return _find_and_load(name, import_)
    _enter("imports")
    try:
        return _find_and_load(name, import_)
    finally:
        _leave()

_bootstrap._find_and_load = _timed_import

def _timed(owner, name, stage):
    real = getattr(owner, name)

    def timed(*args, **kwargs):
        _enter(stage)
        try:
            return real(*args, **kwargs)
        finally:
            _leave()

    setattr(owner, name, timed)

def _timed_stream(owner, name, stage):
    real = getattr(owner, name)

    def timed(*args, **kwargs):
        found = real(*args, **kwargs)
        while True:
            _enter(stage)
            try:
                item = next(found)
            except StopIteration:
                return
            finally:
                _leave()
            yield item

    setattr(owner, name, timed)

_ops = {}


def _counted(owner, name):
    real = getattr(owner, name)

    def counted(*args, **kwargs):
        _ops[_stack[-1]] = _ops.get(_stack[-1], 0) + 1
        return real(*args, **kwargs)

    setattr(owner, name, counted)


from figcheck import cli
if hasattr(cli, "keep_pages"):
    cli.keep_pages()  # what the check command does before polars is imported
from figcheck import app, findings  # after cli, which sets polars' allocator up before polars is imported
import polars
from polars.lazyframe.frame import LazyFrame
_counted(LazyFrame, "_collect_eager")  # every eager DataFrame operation
_counted(LazyFrame, "collect")
_counted(polars, "collect_all")  # several queries run at once: one operation
_timed(app.Run, "__init__", "packs")
_timed(app.Run, "references", "packs")
_timed(app.Run, "check", "read store")
_timed(app.Run, "corpus", "extract")
_timed(app, "extract_corpus", "extract")
_timed_stream(findings, "iter_findings", "rules")
_timed(cli, "_report", "output")
clocks = sys.argv[1]
sys.argv = ["figcheck", *sys.argv[2:]]


def _write_clocks():
    _charge()
    import json
    with open(clocks, "w", encoding="utf-8") as out:
        json.dump({stage: [*spent, _ops.get(stage, 0)] for stage, spent in _clock.items()}, out)


import atexit
atexit.register(_write_clocks)  # the command's exit runs it, before the process ends
try:
    from figcheck.program import run
except ImportError:  # an earlier figcheck, set beside this one: main() and the ordinary exit
    run = cli.main
run()
"""


def one_run(command: list[str], clocks: Path, scratch: Path, env: dict) -> dict[str, tuple[float, float]]:
    """The stages of one process, and `interpreter` from its wall and CPU seen from outside."""
    with open(scratch / "stdout", "wb") as stdout:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", CHILD, str(clocks), *command], stdout=stdout,
                                stderr=subprocess.PIPE, env=env, cwd=ROOT)
        err = proc.stderr.read().decode(errors="replace")
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1) or err:  # 1: findings
        raise SystemExit(f"check failed: {err[-500:]}")
    spent = {stage: tuple(times) for stage, times in json.loads(clocks.read_text(encoding="utf-8")).items()}
    inside = [sum(times[k] for times in spent.values()) for k in (0, 1)]
    spent["interpreter"] = (wall - inside[0], usage.ru_utime + usage.ru_stime - inside[1], 0)
    spent["total"] = (wall, usage.ru_utime + usage.ru_stime, sum(times[2] for times in spent.values()))
    return spent


def process_times(command: list[str], scratch: Path) -> tuple[float, float]:
    """Wall and CPU seconds of a command run to its end."""
    with open(scratch / "stdout", "wb") as stdout:
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=stdout)
        _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", type=Path, help="the archive (default: corpus/ indexed into a scratch store)")
    ap.add_argument("--draft", type=Path, default=ROOT / "corpus" / "gaza" / "2023-10-12-reuters-gaza-siege.md")
    ap.add_argument("--reference", type=Path, help="a reference series to check against too")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    compileall.compile_dir(str(ROOT / "figcheck"), quiet=1)  # the bytecode an install writes (see bench.py)
    with tempfile.TemporaryDirectory(prefix="figcheck-bench-") as scratch_dir:
        scratch = Path(scratch_dir)
        env = {**os.environ, "XDG_CACHE_HOME": str(scratch / "cache")}
        store = args.store
        if store is None:
            store = scratch / "store"
            subprocess.run([sys.executable, "-m", "figcheck", "index", str(ROOT / "corpus"), "--store", str(store), "-q"],
                           check=True, env=env, cwd=ROOT, capture_output=True)
        command = ["check", str(args.draft.resolve()), "--against", str(store.resolve()), "--format", "json", "-q"]
        if args.reference:
            command += ["--reference", str(args.reference.resolve())]
        one_run(command, scratch / "clocks.json", scratch, env)  # caches the packs
        load = os.getloadavg()
        runs = [one_run(command, scratch / "clocks.json", scratch, env) for _ in range(args.runs)]
        floor = [process_times([sys.executable, "-c", "import polars, pydantic"], scratch) for _ in range(args.runs)]
        load_after = os.getloadavg()
    print(f"check {args.draft.name} against {store if args.store else 'corpus/ indexed'}: median of {args.runs} "
          f"runs, ms (load average {load[0]:.2f} before, {load_after[0]:.2f} after)")
    print(f"{'stage':<12} {'wall':>7} {'CPU':>7} {'polars operations':>18}")
    for stage in [*STAGES, *sorted(set().union(*runs) - {*STAGES, "total"}), "total"]:
        wall = statistics.median(r.get(stage, (0.0, 0.0, 0))[0] for r in runs) * 1000
        cpu = statistics.median(r.get(stage, (0.0, 0.0, 0))[1] for r in runs) * 1000
        ops = statistics.median(r.get(stage, (0.0, 0.0, 0))[2] for r in runs)
        print(f"{stage:<12} {wall:7.0f} {cpu:7.0f} {ops:18.0f}")
    print(f"{'floor':<12} {statistics.median(w for w, _ in floor) * 1000:7.0f} "
          f"{statistics.median(c for _, c in floor) * 1000:7.0f}   (python -c 'import polars, pydantic', same runs)")


if __name__ == "__main__":
    main()
