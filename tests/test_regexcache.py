"""figcheck's own patterns, rebuilt from the code kept in the cache folder (figcheck/regexcache.py)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from figcheck import packcache, regexcache

PATTERN = r"(?P<n>\d[\d,]*)\s+(?:people\s+)?(?:killed|dead)\b"


@pytest.fixture
def fresh(tmp_path, monkeypatch) -> Path:
    """A cache folder of our own, and the module as a new process finds it (nothing read yet)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv(packcache.OFF, raising=False)
    restart(monkeypatch)
    return tmp_path / "xdg" / "figcheck"


def restart(monkeypatch) -> None:
    re.purge()  # re's own cache of this process
    monkeypatch.setattr(regexcache, "_known", None)
    monkeypatch.setattr(regexcache, "_used", set())
    monkeypatch.setattr(regexcache, "_compiled_now", {})
    monkeypatch.setattr(regexcache.atexit, "register", lambda function: None)


@pytest.fixture
def compiles(monkeypatch) -> list:
    """The patterns re's compiler is asked for."""
    real, asked = re._compiler.compile, []

    def counted(pattern, flags=0):
        asked.append(pattern)
        return real(pattern, flags)

    re.purge()
    monkeypatch.setattr(re._compiler, "compile", counted)
    return asked


def test_a_kept_pattern_is_rebuilt_from_its_code_not_compiled(fresh, monkeypatch, compiles):
    first = regexcache.compiled(PATTERN, re.IGNORECASE)
    regexcache._save()
    assert compiles == [PATTERN]
    restart(monkeypatch)
    again = regexcache.compiled(PATTERN, re.IGNORECASE)
    assert compiles == [PATTERN]
    assert again == first == re.compile(PATTERN, re.IGNORECASE)  # equality compares the compiled code
    assert again.search("some 1,200 People KILLED").group("n") == "1,200"


def test_patterns_are_kept_by_their_flags(fresh, monkeypatch, compiles):
    regexcache.compiled(PATTERN, re.IGNORECASE)
    regexcache._save()
    restart(monkeypatch)
    exact = regexcache.compiled(PATTERN)
    assert exact.flags & re.IGNORECASE == 0
    assert exact.search("1,200 KILLED") is None
    assert compiles == [PATTERN, PATTERN]


@pytest.mark.parametrize("damage", ["other-writable", "garbage", "other-python"])
def test_a_file_that_is_not_a_good_one_of_ours_is_not_used(fresh, monkeypatch, compiles, damage):
    regexcache.compiled(PATTERN)
    regexcache._save()
    (written,) = fresh.iterdir()
    if damage == "other-writable":
        written.chmod(0o622)
    elif damage == "garbage":
        written.write_bytes(b"\x00not marshal")
    else:
        import marshal

        _, _, entries = marshal.loads(written.read_bytes())
        written.write_bytes(marshal.dumps((regexcache.MAGIC, "2.7.18", entries)))
    restart(monkeypatch)
    assert regexcache.compiled(PATTERN).search("300 dead")
    assert compiles == [PATTERN, PATTERN]


def test_nothing_is_kept_with_the_cache_off(fresh, monkeypatch):
    monkeypatch.setenv(packcache.OFF, "1")
    regexcache.compiled(PATTERN)
    regexcache._save()
    assert not fresh.exists()


def test_the_extraction_modules_compile_nothing_the_second_time(tmp_path):
    """A process that imports the extractor after one that wrote the file compiles none of the
    extraction modules' patterns (0.09 to 0.125 s of every check when it did)."""
    probe = ("import re, sys\n"
             "real = re._compiler.compile\n"
             "def counted(p, flags=0):\n"
             "    caller = sys._getframe(1)\n"
             "    for _ in range(6):\n"  # re's own frames, then regexcache's
             "        if caller and '/figcheck/extract/' in caller.f_code.co_filename.replace(chr(92), '/'):\n"
             "            print(caller.f_code.co_filename)\n"
             "            break\n"
             "        caller = caller and caller.f_back\n"
             "    return real(p, flags)\n"
             "re._compiler.compile = counted\n"
             "import figcheck.extract.extractor\n")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    env.pop(packcache.OFF, None)
    first = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    second = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    assert first.stdout.count("\n") > 100  # the probe sees the modules compile
    assert second.stdout == ""
