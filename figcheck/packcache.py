"""The loaded metric packs, kept between runs: a `check` of one draft spent more time reading,
validating and compiling the packs (0.4-0.5 s CPU) than reading and judging the archive.

One file per set of pack paths, in figcheck's own folder of the user's cache
($XDG_CACHE_HOME/figcheck, else ~/.cache/figcheck), holding the validated configuration with
its regular expressions already compiled. It is used only when its key still matches: the pack
files' paths and bytes, figcheck's version and source files, the Python and pydantic versions.
Otherwise, or when it cannot be read, the packs are loaded from YAML and the file is written
anew (atomically, through a temporary file). figcheck only replaces a file it recognises as one
of its own, and never reads one it does not own. FIGCHECK_NO_CACHE=1 turns the cache off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

MAGIC = b"figcheck packs 1\n"
OFF = "FIGCHECK_NO_CACHE"


def cache_dir() -> Path | None:
    """figcheck's folder of the user's cache, or None when there is no usable one (or it is off)."""
    if os.environ.get(OFF, "") not in ("", "0"):
        return None
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG spec: a relative path is to be ignored
        try:
            base = str(Path.home() / ".cache")
        except (RuntimeError, KeyError):
            return None
    return Path(base) / "figcheck"


def cached(files: list[Path], load: Callable[[list[Path]], object],
           before_keeping: Callable[[object], None] | None = None) -> object:
    """load(files), or what it returned before for the same files and the same figcheck.
    before_keeping(loaded) runs once, before the cache file is written: work worth keeping too."""
    folder = cache_dir()
    if folder is None:
        return load(files)
    try:
        key = _key(files)
    except OSError:
        return load(files)  # a pack that cannot be read: load() says so
    path = folder / f"packs-{hashlib.sha256(repr(key[0]).encode()).hexdigest()[:24]}.pickle"
    found = _read(path, key)
    if found is not None:
        return found
    config = load(files)
    if before_keeping is not None:
        before_keeping(config)
    _write(folder, path, key, config)
    return config


def _key(files: list[Path]) -> tuple:
    """(the packs' absolute paths, everything the cached configuration depends on)."""
    import pydantic

    import figcheck

    paths = tuple(os.path.abspath(f) for f in files)
    packs = tuple((str(f), hashlib.sha256(Path(f).read_bytes()).hexdigest()) for f in files)
    return paths, (packs, figcheck.__version__, _source_stamp(), sys.version, pydantic.VERSION)


def _source_stamp() -> tuple:
    """figcheck's own modules, by size and time: an editable install changes without a new version."""
    root = os.path.dirname(os.path.abspath(__file__))
    stamp = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(n for n in names if n.endswith((".py", ".yaml"))):
            info = os.stat(os.path.join(folder, name))
            stamp.append((os.path.relpath(os.path.join(folder, name), root), info.st_size, info.st_mtime_ns))
    return tuple(stamp)


def _read(path: Path, key: tuple) -> object | None:
    """The cached configuration at path when its key matches, else None. Only a regular file owned
    by this user and writable by no one else is read (unpickling runs code); opening never waits
    (a FIFO put there)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not ours_to_read(info) or handle.read(len(MAGIC)) != MAGIC:
                return None
            if pickle.load(handle) != key:
                return None
            return pickle.load(handle)
    except Exception:  # noqa: BLE001 - an unreadable cache is rebuilt, whatever broke it
        return None


def ours_to_read(info: os.stat_result) -> bool:
    return stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o022


def _write(folder: Path, path: Path, key: tuple, config: object) -> None:
    def dump(handle) -> None:
        handle.write(MAGIC)
        pickle.dump(key, handle, protocol=pickle.HIGHEST_PROTOCOL)
        _Pickler(handle, protocol=pickle.HIGHEST_PROTOCOL).dump(config)

    write_replacing(folder, path, dump, _replaceable)


def write_replacing(folder: Path, path: Path, dump: Callable[[BinaryIO], None],
                    replaceable: Callable[[Path], bool]) -> None:
    """Write a cache file through a temporary file; a file at path that figcheck did not write
    (`replaceable` says no) is left alone, and so is a cache that cannot be written."""
    tmp = None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not replaceable(path):
            return
        name = folder / f".{path.name}.{os.getpid()}.tmp"
        fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        tmp = name  # ours from here on: removed if the write does not finish
        with os.fdopen(fd, "wb") as handle:
            dump(handle)
        os.replace(tmp, path)
        tmp = None
    except Exception:  # noqa: BLE001 - the cache only saves time: a run never fails for it
        pass
    finally:
        if tmp is not None:
            try:
                tmp.unlink()
            except OSError:
                pass


def _replaceable(path: Path) -> bool:
    """Nothing is at path, or a regular file that starts as figcheck's cache files do."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return not path.is_symlink()
    except OSError:
        return False
    with os.fdopen(fd, "rb") as handle:
        return stat.S_ISREG(os.fstat(handle.fileno()).st_mode) and handle.read(len(MAGIC)) == MAGIC


class _Pickler(pickle.Pickler):
    """Pickles compiled regular expressions with their compiled code. Plain pickling keeps only the
    source and compiles it again on load, which is most of what loading the packs costs."""

    def reducer_override(self, obj):
        if type(obj) is re.Pattern:
            compiled = pattern_args(obj)
            if compiled is not None:
                return _restore_pattern, compiled
        return NotImplemented


def pattern_args(pattern: re.Pattern) -> tuple | None:
    """The arguments re's compiler gives _sre.compile for pattern (as re/_compiler.compile builds
    them), when they rebuild an equal pattern: Pattern equality compares the compiled code. The
    code is private to this Python version, which the cache key holds."""
    try:
        import _sre
        from re import _compiler, _parser

        parsed = _parser.parse(pattern.pattern, pattern.flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        code = [int(op) for op in _compiler._code(parsed, pattern.flags)]  # opcodes are named ints: plain ones pickle
        args = (pattern.pattern, pattern.flags | parsed.state.flags, code,
                parsed.state.groups - 1, groupindex, tuple(indexgroup))
        return args if _sre.compile(*args) == pattern else None
    except Exception:  # noqa: BLE001 - a pattern re's internals do not rebuild is pickled as its source
        return None


def _restore_pattern(*args) -> re.Pattern:
    import _sre

    return _sre.compile(*args)
