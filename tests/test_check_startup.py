"""What `check` of one draft pays before judging it: the modules it imports and the metric packs,
kept loaded between runs in figcheck's cache (figcheck/packcache.py)."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from figcheck import pack, packcache

PACK = """metrics:
  - id: flood.deaths
    label: People killed in the floods
    cumulative: true
    cues: ['killed', 'dead', 'deaths?']
    counts: ['people', 'residents']
"""


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    """An empty cache folder of our own, and a count of the packs loaded from YAML."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv(packcache.OFF, raising=False)
    return tmp_path / "xdg" / "figcheck"


@pytest.fixture
def loads(monkeypatch) -> list:
    real, calls = pack._load_files, []

    def counted(files):
        calls.append(files)
        return real(files)

    monkeypatch.setattr(pack, "_load_files", counted)
    return calls


def _pack(tmp_path: Path, text: str = PACK) -> Path:
    path = tmp_path / "packs" / "flood.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_packs_come_from_the_cache_the_second_time(tmp_path, cache, loads):
    packs = _pack(tmp_path)
    first = pack.load_config([packs])
    second = pack.load_config([packs])
    assert len(loads) == 1
    assert [p.name for p in cache.iterdir()] == [next(cache.iterdir()).name]  # one file, no temporary left
    assert second.files == first.files and list(second.metrics) == ["flood.deaths"]
    cues = second.metrics["flood.deaths"].cues
    assert cues == first.metrics["flood.deaths"].cues  # Pattern equality compares the compiled code
    assert cues.search("12 people were killed") and not cues.search("unskilled")


def test_cached_patterns_are_not_compiled_again(tmp_path, cache, loads):
    """The cache keeps the compiled code: compiling the patterns again was most of loading the packs."""
    packs = _pack(tmp_path)
    pack.load_config([packs])
    real, compiled = re._compiler.compile, []

    def counted(pattern, flags=0):
        compiled.append(pattern)
        return real(pattern, flags)

    re.purge()
    re._compiler.compile = counted
    try:
        config = pack.load_config([packs])
    finally:
        re._compiler.compile = real
    assert len(loads) == 1
    assert compiled == []
    assert config.metrics["flood.deaths"].counts.search("300 residents")


def test_an_edited_pack_is_loaded_again_even_at_the_same_size_and_time(tmp_path, cache, loads):
    packs = _pack(tmp_path)
    pack.load_config([packs])
    stat = packs.stat()
    packs.write_text(PACK.replace("in the floods", "in the deluge"), encoding="utf-8")
    os.utime(packs, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert packs.stat().st_size == stat.st_size
    assert pack.load_config([packs]).metrics["flood.deaths"].spec.label == "People killed in the deluge"
    assert len(loads) == 2
    assert pack.load_config([packs]).metrics["flood.deaths"].spec.label == "People killed in the deluge"
    assert len(loads) == 2  # the rebuilt cache is used


@pytest.mark.parametrize("change", ["version", "source"])
def test_another_figcheck_loads_the_packs_again(tmp_path, cache, loads, monkeypatch, change):
    """A new release, or an edited module of an editable install (same version), may build the
    configuration otherwise: its cache is not used."""
    import figcheck

    packs = _pack(tmp_path)
    pack.load_config([packs])
    if change == "version":
        monkeypatch.setattr(figcheck, "__version__", figcheck.__version__ + ".post1")
    else:
        stamp = packcache._source_stamp()
        monkeypatch.setattr(packcache, "_source_stamp", lambda: stamp[:-1] + ((stamp[-1][0], stamp[-1][1] + 1, stamp[-1][2]),))
    pack.load_config([packs])
    assert len(loads) == 2


def test_a_broken_cache_file_is_rebuilt(tmp_path, cache, loads):
    packs = _pack(tmp_path)
    pack.load_config([packs])
    (written,) = cache.iterdir()
    written.write_bytes(packcache.MAGIC + b"not a pickle")
    assert list(pack.load_config([packs]).metrics) == ["flood.deaths"]
    assert len(loads) == 2
    assert written.read_bytes() != packcache.MAGIC + b"not a pickle"
    pack.load_config([packs])
    assert len(loads) == 2


def test_a_file_figcheck_did_not_write_is_neither_read_nor_replaced(tmp_path, cache, loads):
    packs = _pack(tmp_path)
    pack.load_config([packs])
    (written,) = cache.iterdir()
    written.write_bytes(b"someone else's notes\n")
    for _ in range(2):
        assert list(pack.load_config([packs]).metrics) == ["flood.deaths"]
    assert len(loads) == 3
    assert written.read_bytes() == b"someone else's notes\n"
    assert [p.name for p in cache.iterdir()] == [written.name]


def test_a_file_in_the_way_of_the_temporary_file_is_left_alone(tmp_path, cache, loads):
    packs = _pack(tmp_path)
    pack.load_config([packs])
    (written,) = cache.iterdir()
    written.unlink()
    in_the_way = cache / f".{written.name}.{os.getpid()}.tmp"
    in_the_way.write_text("not figcheck's\n", encoding="utf-8")
    assert list(pack.load_config([packs]).metrics) == ["flood.deaths"]
    assert in_the_way.read_text(encoding="utf-8") == "not figcheck's\n"
    assert not written.exists()


def test_a_fifo_at_the_cache_file_is_neither_waited_on_nor_replaced(tmp_path, cache):
    packs = _pack(tmp_path)
    pack.load_config([packs])
    (written,) = cache.iterdir()
    written.unlink()
    os.mkfifo(written)
    code = f"from figcheck import pack; from pathlib import Path; print(list(pack.load_config([Path({str(packs)!r})]).metrics))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "['flood.deaths']", out.stderr
    assert stat.S_ISFIFO(written.lstat().st_mode)


def test_a_cache_file_others_may_write_is_not_read(tmp_path, cache, loads):
    """Unpickling runs code: a file anyone else could have written is not trusted."""
    packs = _pack(tmp_path)
    pack.load_config([packs])
    (written,) = cache.iterdir()
    written.chmod(0o666)
    pack.load_config([packs])
    assert len(loads) == 2


def test_the_cache_can_be_turned_off(tmp_path, cache, loads, monkeypatch):
    monkeypatch.setenv(packcache.OFF, "1")
    packs = _pack(tmp_path)
    pack.load_config([packs])
    pack.load_config([packs])
    assert len(loads) == 2
    assert not cache.exists()


def test_check_of_a_markdown_draft_imports_no_worker_pools_html_or_terminal_libraries(tmp_path):
    """check's start-up is part of its latency in CI: a draft is read in this process, so no worker
    pool is; trafilatura (and lxml), rich and quantulum3 cost a fifth of the start-up, and a draft
    in Markdown with figures in digits, checked to JSON, needs none of them."""
    draft = tmp_path / "draft.md"
    draft.write_text("---\noutlet: Desk\npublished: 2024-02-03\n---\nThe health ministry said 27,019 people "
                     "had been killed in Gaza.\n", encoding="utf-8")
    heavy = ("multiprocessing", "concurrent.futures.process", "trafilatura", "lxml", "rich", "quantulum3")
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "earlier.md").write_text("---\noutlet: Wire\npublished: 2024-02-01\n---\nThe health ministry "
                                        "said 26,900 people had been killed in Gaza.\n", encoding="utf-8")
    out, status, imported = _imported_by_check(tmp_path, draft, archive, heavy)
    assert status in ("exit 0", "exit 1") and out.startswith("[")  # checked, the findings written
    assert imported == "[]"


def _imported_by_check(tmp_path: Path, draft: Path, against: Path, modules) -> tuple[str, str, str]:
    """`check DRAFT --against AGAINST --format json` in a process of its own: its output, its exit
    status ("exit N") and which of `modules` it imported."""
    code = ("import sys\nfrom figcheck.cli import main\n"
            f"try:\n    main(['check', {str(draft)!r}, '--against', {str(against)!r}, '--format', 'json', '-q'])\n"
            "except SystemExit as exit:\n    print('exit', exit.code)\n"
            f"print([m for m in {list(modules)!r} if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    *_, status, imported = out.stdout.strip().splitlines()
    return out.stdout, status, imported


def _program(tmp_path: Path, before: str, args: list[str], entry: str = "program.run", **popen) -> subprocess.CompletedProcess:
    """The figcheck program (program.run, as the console script runs it; or `cli.main`), after `before`."""
    script = tmp_path / "run_figcheck.py"
    script.write_text(f"import sys\nfrom figcheck import cli, program\n{before}\nsys.argv = ['figcheck', *{args!r}]\n"
                      f"{entry}()\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # stdout buffered, as it is for users
    return subprocess.run([sys.executable, str(script)], cwd=tmp_path, timeout=120, env=env, **popen)


def test_the_program_runs_its_exit_handlers_and_flushes_but_skips_the_teardown(tmp_path):
    """Freeing every object at exit cost 70 ms per check: the program ends once its exit
    handlers have run (scratch folders are removed by them) and what it wrote is flushed."""
    before = ("import atexit, tempfile\nclass Freed:\n    def __del__(self):\n        sys.stderr.write('freed one by one\\n')\n"
              "kept = Freed()\nscratch = tempfile.TemporaryDirectory(prefix='figcheck-test-', dir='.')\n"
              "atexit.register(lambda: sys.stderr.write('exit handler ran\\n'))\n"
              "sys.stdout.write('written before, not flushed\\n')")
    out = _program(tmp_path, before, ["rule"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("written before, not flushed\nconflict ")
    assert out.stderr == "exit handler ran\n"
    assert not list(tmp_path.glob("figcheck-test-*"))  # TemporaryDirectory's finalizer ran at exit
    plain = _program(tmp_path, before, ["rule"], entry="cli.main", capture_output=True, text=True)
    assert "freed one by one" in plain.stderr  # what the ordinary exit would have done


def test_the_program_keeps_its_exit_status(tmp_path):
    draft = tmp_path / "draft.md"
    draft.write_text("---\noutlet: Desk\npublished: 2024-03-05\n---\nThe health ministry said 28,417 people had "
                     "been killed in Gaza.\n", encoding="utf-8")
    archive = tmp_path / "archive.md"
    archive.write_text("---\noutlet: Wire\npublished: 2024-03-01\n---\nThe health ministry said 30,035 people had "
                       "been killed in Gaza.\n", encoding="utf-8")
    found = _program(tmp_path, "", ["check", str(draft), "--against", str(archive), "--format", "jsonl", "-q"],
                     capture_output=True, text=True)
    assert found.returncode == 1 and '"rule": "outdated"' in found.stdout, found.stderr
    missing = _program(tmp_path, "", ["check", str(tmp_path / "nowhere.md")], capture_output=True, text=True)
    assert missing.returncode == 2 and missing.stderr.startswith("figcheck: error:")


def test_a_thread_still_running_gets_the_ordinary_exit(tmp_path):
    """The ordinary exit waits for a thread that is not a daemon: the program does too."""
    before = ("import threading, time\ndone = threading.Event()\ndef late():\n    done.wait()\n    time.sleep(0.3)\n"
              "    print('the thread finished', flush=True)\nthreading.Thread(target=late).start()\n"
              "real = cli.main\ndef main_then_release():\n    try:\n        real()\n    finally:\n        done.set()\n"
              "cli.main = main_then_release")
    out = _program(tmp_path, before, ["rule"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.endswith("the thread finished\n"), out.stderr


def test_a_closed_pipe_gets_the_ordinary_exit(tmp_path):
    """Output that cannot be flushed is reported as the interpreter reports it, not as a traceback."""
    def closed_pipe(entry):
        read, write = os.pipe()
        os.close(read)
        try:
            return _program(tmp_path, "sys.stdout.write('x' * 100)", ["metrics", "--format", "json"], entry=entry,
                            stdout=write, stderr=subprocess.PIPE, text=True)
        finally:
            os.close(write)

    out, plain = closed_pipe("program.run"), closed_pipe("cli.main")
    assert out.returncode == plain.returncode != 0
    assert "Traceback" not in out.stderr and "BrokenPipeError" in out.stderr


def test_check_of_a_markdown_draft_against_a_store_imports_only_the_modules_it_uses(tmp_path):
    """Each module imported costs every draft its start-up: no figures-file reader, reference
    reader or HTML placement for a Markdown draft without them, and of the output modules only
    the chosen format's."""
    from tests.conftest import run

    draft = tmp_path / "draft.md"
    draft.write_text("---\noutlet: Desk\npublished: 2024-03-05\n---\nThe health ministry said 28,417 people had "
                     "been killed in Gaza.\n", encoding="utf-8")
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive" / "wire.md").write_text("---\noutlet: Wire\npublished: 2024-03-01\n---\nThe health "
                                                  "ministry said 30,035 people had been killed in Gaza.\n",
                                                  encoding="utf-8")
    assert run("index", tmp_path / "archive", "--store", tmp_path / "store", "-q").exit_code == 0
    unused = ["figcheck.figfile", "figcheck.reference", "figcheck.htmlpos", "figcheck.ruledoc",
              *(f"figcheck.output.{name}" for name in ("csvout", "github", "sarif", "table", "html", "xlsx", "timeline"))]
    out, status, imported = _imported_by_check(tmp_path, draft, tmp_path / "store", [*unused, "figcheck.output.plain"])
    assert status == "exit 1" and '"rule": "outdated"' in out
    assert imported == "['figcheck.output.plain']"


def test_the_program_collects_after_many_more_new_objects(tmp_path):
    """Start-up allocates hundreds of thousands of long-lived objects: at the default threshold the
    collector went through them some 125 times a check (50 ms). In-process callers keep theirs."""
    import gc

    from figcheck import program
    from tests.conftest import run

    before = ("import gc\nreal = cli.main\ndef main_with_threshold():\n"
              "    print('threshold', gc.get_threshold()[0], flush=True)\n    real()\ncli.main = main_with_threshold")
    out = _program(tmp_path, before, ["rule"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith(f"threshold {program.COLLECT_AFTER}\n"), out.stderr
    threshold = gc.get_threshold()
    assert run("rule").exit_code == 0 and gc.get_threshold() == threshold


def test_the_cache_brings_what_the_prefilters_read_off_the_patterns(tmp_path, cache, monkeypatch):
    from figcheck.articles import read_article
    from figcheck.extract import prefilter, required
    from figcheck.extract.extractor import extract
    from tests.conftest import CORPUS

    drafts = sorted(CORPUS.rglob("*.md"))[:3]
    pack.load_config()  # writes the cache
    monkeypatch.setattr(prefilter, "_cache", {})
    monkeypatch.setattr(required, "_cache", {})
    monkeypatch.setattr(required, "_known", {})
    config = pack.load_config()  # read from it: nothing read off a pattern yet in this process
    expected = [f.model_dump() for d in drafts for f in extract(read_article(d), config)]

    def not_again(pattern):
        raise AssertionError(f"read again: {pattern.pattern[:60]!r}")

    monkeypatch.setattr(prefilter, "_cache", {})
    monkeypatch.setattr(required, "_cache", {})
    monkeypatch.setattr(required, "_known", {})
    monkeypatch.setattr(prefilter, "literal_starts", not_again)
    monkeypatch.setattr(required, "required_words", not_again)
    config = pack.load_config()
    assert [f.model_dump() for d in drafts for f in extract(read_article(d), config)] == expected
