"""Finding and reading articles: plain text as scraped, Markdown/text with front matter, HTML pages.

Offsets are kept relative to the file's decoded text (front matter included), so a figure's
line and column point into the file itself. HTML pages are the exception: their offsets point
into the main text trafilatura extracts.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from figcheck import htmltext
from figcheck.csvin import Rows
from figcheck.dates import dateline, parse_date
from figcheck.errors import ArticleError, FigcheckError
from figcheck.yamlpos import check_shape
from figcheck.models import Article

ARTICLE_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}
MANIFEST_NAME = "manifest.csv"
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: 10x faster
FRONT_MATTER_KEYS = {"title", "outlet", "published", "url", "figcheck-ignore"}
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_FRONT_MATTER = 64 * 1024
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_TIMESTAMPS = yaml.constructor.SafeConstructor()


@dataclass
class Meta:
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None


def discover(paths: Iterable[Path], warn) -> Iterator[tuple[Path, Path | None]]:
    """Yield (article path, manifest beside it or None) for files and folders, recursively.

    Symlinked folders are not followed, so a symlink loop cannot trap the walk.
    """
    seen: set[Path] = set()
    for root in paths:
        if not root.exists() and not root.is_symlink():
            raise FigcheckError("no such file or folder", root)
        if root.is_file():
            if root.name == MANIFEST_NAME:
                continue
            manifest = root.parent / MANIFEST_NAME
            yield from _once(root, manifest if manifest.is_file() else None, seen, warn)
            continue
        if not root.is_dir():
            warn(f"{root}: not a regular file or folder, skipped")
            continue
        for folder, dirs, files in os.walk(root, followlinks=False, onerror=lambda e: warn(f"{e.filename}: {e.strerror}")):
            dirs.sort()
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            manifest = Path(folder) / MANIFEST_NAME
            for name in sorted(files):
                path = Path(folder) / name
                if path.suffix.lower() in ARTICLE_SUFFIXES and not name.startswith("."):
                    yield from _once(path, manifest if manifest.is_file() else None, seen, warn)


def _once(path: Path, manifest: Path | None, seen: set[Path], warn) -> Iterator[tuple[Path, Path | None]]:
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:  # every output format is UTF-8: such a name could not be written out
        shown = os.fsencode(path).decode("utf-8", errors="backslashreplace")
        warn(f"{shown}: file name is not valid UTF-8, skipped (rename the file)")
        return
    try:
        key = path.resolve()
    except (OSError, RuntimeError):
        warn(f"{path}: cannot resolve path (symlink loop?), skipped")
        return
    if key in seen:
        return
    seen.add(key)
    yield path, manifest


def load_manifest(path: Path) -> tuple[dict[str, Meta], list[str]]:
    """manifest.csv: columns file and published required; outlet, title, url optional; others ignored.

    Returns the entries by file name and one warning per unusable row.
    """
    try:
        text = decode(read_file(path), path)
    except ArticleError as exc:
        raise FigcheckError(f"cannot read manifest: {exc.message}", path) from None
    rows = Rows(text, path)
    missing = {"file", "published"} - set(rows.fieldnames)
    if missing:
        raise FigcheckError(
            f"manifest lacks required column(s) {', '.join(sorted(missing))} (has: {', '.join(rows.fieldnames)})",
            path, 1)
    entries: dict[str, Meta] = {}
    problems: list[str] = []
    for number, row, problem in rows:
        if row is None:
            problems.append(f"{path}:{number}: {problem}, row ignored")
            continue
        name = (row.get("file") or "").strip()
        if not name:
            problems.append(f"{path}:{number}: row has no file name, ignored")
            continue
        if name in entries:
            problems.append(f"{path}:{number}: file {name!r} listed twice, the first row is used")
            continue
        published = None
        raw = (row.get("published") or "").strip()
        if raw:
            try:
                published = dt.date.fromisoformat(raw)
            except ValueError:
                problems.append(f"{path}:{number}: published {raw!r} is not a YYYY-MM-DD date, ignored")
        entries[name] = Meta(outlet=_clean(row.get("outlet")), title=_clean(row.get("title")),
                             url=_clean(row.get("url")), published=published)
    return entries, problems


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def decode(data: bytes, path: Path) -> str:
    """Text from bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252/Latin-1."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ArticleError("not valid UTF-16 despite its byte-order mark", path) from None
    if b"\x00" in data[:8192]:
        raise ArticleError("binary file, not text", path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def read_file(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file; FIFOs, devices and links to them are refused before they can block a run."""
    limit = MAX_FILE_BYTES if limit is None else limit
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise ArticleError("not a regular file (FIFO, device or socket), skipped", path)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):  # swapped for something else since the check above
                raise ArticleError("not a regular file (FIFO, device or socket), skipped", path)
            if info.st_size > limit:
                raise ArticleError(f"file is {info.st_size / 2**20:.0f} MB, over the {limit // 2**20} MB limit", path)
            data = handle.read(limit + 1)
    except PermissionError:
        raise ArticleError("permission denied", path) from None
    except OSError as exc:
        raise ArticleError(f"cannot read: {exc.strerror or exc}", path) from None
    if len(data) > limit:
        raise ArticleError(f"file grew over the {limit // 2**20} MB limit while being read", path)
    return data


def read_article(path: Path, meta: Meta | None = None) -> Article:
    """Read one article; raise ArticleError when it cannot be used."""
    return parse_article(read_file(path), path, meta)


def parse_article(data: bytes, path: Path, meta: Meta | None = None) -> Article:
    """An article from its bytes, as if read from `path` (whose suffix says HTML or text)."""
    if not data.strip():
        raise ArticleError("empty file", path)
    text = decode(data, path)
    digest = content_hash(data)
    if path.suffix.lower() in (".html", ".htm"):
        return _read_html(path, text, digest, meta)
    front, body_start = _front_matter(text, path)
    meta = meta or Meta()
    published = front.get("published", meta.published)
    if published is None:
        published = dateline(text[body_start:])
    ignore = front.get("figcheck-ignore") or []
    return Article(
        path=str(path), doc=path.name, text=text, content_hash=digest,
        outlet=front.get("outlet") or meta.outlet, title=front.get("title") or meta.title,
        url=front.get("url") or meta.url, published=published,
        ignore_rules=[ignore] if isinstance(ignore, str) else list(ignore), body_start=body_start,
    )


def _front_matter(text: str, path: Path) -> tuple[dict, int]:
    """Front matter as raw text values: YAML's implicit typing never turns a title into a date or number."""
    if not text.startswith("---"):
        return {}, 0
    first_break = text.find("\n")
    if first_break < 0 or text[:first_break].strip() != "---":
        return {}, 0
    end = text.find("\n---", first_break)
    if end < 0:
        raise ArticleError("front matter opened with '---' is never closed", path, 1)
    block = text[first_break + 1:end]
    close_end = text.find("\n", end + 1)
    body_start = len(text) if close_end < 0 else close_end + 1
    if len(block) > MAX_FRONT_MATTER:
        raise ArticleError(f"front matter is over {MAX_FRONT_MATTER // 1024} KB", path, 1)
    try:
        check_shape(block, path, first_line=2, error=ArticleError)
        node = yaml.compose(block, Loader=YAML_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        raise ArticleError(f"front matter is not valid YAML: {getattr(exc, 'problem', exc)}", path, line) from None
    if node is None:
        return {}, body_start
    if not isinstance(node, yaml.MappingNode):
        raise ArticleError("front matter must be a mapping of keys to values", path, 2)
    data: dict = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 2
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if key not in FRONT_MATTER_KEYS:
            shown = repr(key) if key is not None else "that is not text"
            raise ArticleError(f"unknown front matter key {shown[:80]} (allowed: {', '.join(sorted(FRONT_MATTER_KEYS))})",
                               path, line)
        data[key] = _front_value(key, value_node, path, line)
    return {k: v for k, v in data.items() if v is not None}, body_start


def _front_value(key: str, node: yaml.Node, path: Path, line: int):
    if isinstance(node, yaml.ScalarNode) and node.tag == _NULL:
        return None
    if key == "figcheck-ignore":
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        if not all(isinstance(item, yaml.ScalarNode) for item in items):
            raise ArticleError("figcheck-ignore must be a rule id or a list of them", path, line)
        return [item.value for item in items]
    if not isinstance(node, yaml.ScalarNode):
        raise ArticleError(f"front matter {key} must be text, not a {'list' if isinstance(node, yaml.SequenceNode) else 'mapping'}",
                           path, line)
    if key != "published":
        return node.value
    published = None
    if node.tag == _TIMESTAMP:
        try:
            published = _TIMESTAMPS.construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            raise ArticleError(f"published {node.value[:40]!r} is not a valid date (write YYYY-MM-DD)", path, line) from None
    else:
        published = parse_date(node.value[:200])
    if published is None:
        raise ArticleError(f"published {node.value[:40]!r} is not a date (write YYYY-MM-DD)", path, line)
    return published.date() if isinstance(published, dt.datetime) else published


def _read_html(path: Path, html: str, content_hash: str, meta: Meta | None) -> Article:
    if htmltext.is_large(html):
        data = htmltext.main_text(html)
    else:
        import trafilatura  # imported here: it costs about 0.3 s and only HTML needs it

        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False)
        if doc is None:
            raise ArticleError("HTML page has no article body", path)
        data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = data.get("text") or ""
    if len(text.strip()) < 20:
        raise ArticleError("HTML page has no article body", path)
    meta = meta or Meta()
    published = meta.published
    if published is None and data.get("date"):
        published = parse_date(str(data["date"]))
    return Article(
        path=str(path), doc=path.name, text=text, content_hash=content_hash,
        outlet=meta.outlet or data.get("sitename") or data.get("hostname"),
        title=meta.title or data.get("title"), url=meta.url or data.get("url"), published=published,
    )
