"""The figcheck program: the console script and `python -m figcheck` run `run()`, which runs the
command line (figcheck/cli.py) as a process of its own that starts and ends quickly."""

from __future__ import annotations

import atexit
import gc
import os
import sys
import threading

COLLECT_AFTER = 50_000  # new objects between the collector's passes, for the program (see run)


def run() -> None:
    """The `figcheck` program: cli.main(), then an exit that skips the interpreter's teardown.

    Freeing every object of polars, pydantic and the extraction modules one by one took some 70 ms
    of CPU per `check`, more than judging a small draft. So once the command is done, its exit
    handlers (atexit: scratch folders, worker pools) are run and the streams flushed, and the
    process ends at once. A thread still running, an exit status Python would print, or a stream
    that cannot be flushed (a closed pipe) is left to the ordinary exit.

    Start-up allocates hundreds of thousands of objects that live as long as the process (the
    modules, pydantic's schemas, the packs). At the default threshold (700 new objects) the
    collector ran some 125 times during a check, going through the survivors again and again
    (50-55 ms of CPU); at 50,000 it runs a few times (20 ms)."""
    collect_less()
    from figcheck import cli

    try:
        cli.main()
        status = 0
    except SystemExit as done:
        status = done.code
    if status is None or isinstance(status, int):
        if threading.active_count() == 1:
            atexit._run_exitfuncs()  # what the interpreter's own exit runs first
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            except (OSError, ValueError):
                sys.exit(status)
            os._exit(status or 0)
    sys.exit(status)


def collect_less() -> None:
    """The garbage collector's first pass after COLLECT_AFTER new objects (see run), in the
    program and in a process of its own that does part of its work."""
    gc.set_threshold(COLLECT_AFTER, *gc.get_threshold()[1:])
