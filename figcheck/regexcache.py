"""figcheck's own regular expressions, compiled once and kept between runs.

The extraction modules compile some 360 patterns as they are imported: 0.09 to 0.125 s of CPU
in every `check`, more than extracting its draft. What `re` compiles a pattern to (the code its
matching engine runs) depends only on the pattern, its flags and the Python, so it is kept in
figcheck's cache folder (figcheck/packcache.py: the same folder, rules and FIGCHECK_NO_CACHE),
one file per Python, and a pattern found there is rebuilt from its code in microseconds. Each
code is checked when it is written: the pattern it rebuilds equals the one `re` compiled
(Pattern equality compares the code). A pattern not found is compiled by `re`, and the file is
written again as the process exits.
"""

from __future__ import annotations

import atexit
import hashlib
import marshal
import os
import re
import sys

from figcheck import packcache

MAGIC = "figcheck patterns 1"
MOST = 5_000  # patterns a file keeps: past that it keeps those of the last run (edited sources add more)
_known: dict[tuple[str, int], tuple] | None = None
_used: set[tuple[str, int]] = set()
_compiled_now: dict[tuple[str, int], re.Pattern] = {}


def compiled(pattern: str, flags: int = 0) -> re.Pattern:
    """re.compile(pattern, flags), from the kept code when there is some."""
    global _known
    if _known is None:
        _known = _load()
    key = (pattern, int(flags))
    args = _known.get(key)
    if args is not None:
        try:
            import _sre

            found = _sre.compile(*args)
            _used.add(key)
            return found
        except Exception:  # noqa: BLE001 - code that does not rebuild is compiled again
            del _known[key]
    found = re.compile(pattern, flags)
    if not _compiled_now and packcache.cache_dir() is not None:
        atexit.register(_save)
    _compiled_now[key] = found
    return found


def _path():
    folder = packcache.cache_dir()
    if folder is None:
        return None, None
    tag = hashlib.sha256(sys.version.encode()).hexdigest()[:16]
    return folder, folder / f"patterns-{sys.implementation.cache_tag}-{tag}.marshal"


def _load() -> dict:
    folder, path = _path()
    if path is None:
        return {}
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return {}
    try:
        with os.fdopen(fd, "rb") as handle:
            if not packcache.ours_to_read(os.fstat(handle.fileno())):
                return {}
            magic, version, entries = marshal.loads(handle.read())
        if magic != MAGIC or version != sys.version or not isinstance(entries, dict):
            return {}
        return entries
    except Exception:  # noqa: BLE001 - an unreadable file is written anew
        return {}


def _save() -> None:
    """Write what this run compiled beside what was kept (only this run's past MOST patterns)."""
    folder, path = _path()
    if path is None:
        return
    kept = dict(_known or {})
    if len(kept) + len(_compiled_now) > MOST:
        kept = {key: args for key, args in kept.items() if key in _used}
    for key, pattern in _compiled_now.items():
        args = packcache.pattern_args(pattern)
        if args is not None:
            kept[key] = args
    packcache.write_replacing(folder, path, lambda handle: handle.write(marshal.dumps((MAGIC, sys.version, kept))),
                              _replaceable)


def _replaceable(path) -> bool:
    """Nothing is at path, or a regular file of ours that marshal reads as a patterns file."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return not os.path.islink(path)
    except OSError:
        return False
    try:
        with os.fdopen(fd, "rb") as handle:
            return packcache.ours_to_read(os.fstat(handle.fileno())) and marshal.loads(handle.read())[0] == MAGIC
    except Exception:  # noqa: BLE001 - not one of ours
        return False
