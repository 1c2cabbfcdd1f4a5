"""Finding and reading articles: plain text as scraped, Markdown/text with front matter, HTML pages.

Offsets are kept relative to the file's decoded text (front matter included), so a figure's
line and column point into the file itself. HTML pages are the exception: their offsets point
into the main text trafilatura extracts.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import os
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from figcheck import project
from figcheck.dates import dateline, parse_date
from figcheck.errors import ArticleError, FigcheckError
from figcheck.models import Article

ARTICLE_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}
MANIFEST_NAME = "manifest.csv"
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: 10x faster


@dataclass
class Meta:
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None


STDIN = "-"


@dataclass(frozen=True)
class Found:
    """An article file, the command-line path it was found under, and the manifest that describes it."""

    path: Path
    scanned: Path
    manifest: Path | None


def discover(paths: Iterable[Path], warn, root: Path | None = None) -> Iterator[Found]:
    """Every article in files and folders, recursively, with the nearest manifest.csv above it.

    A manifest describes the articles of its folder and of the folders below it (page bundles:
    `feb/index.md`). Symlinked folders are not followed, so a symlink loop cannot trap the walk.
    """
    seen: set[Path] = set()
    for scanned in paths:
        if str(scanned) == STDIN:
            yield Found(scanned, scanned, None)
            continue
        if not scanned.exists() and not scanned.is_symlink():
            raise FigcheckError("no such file or folder", scanned)
        if scanned.is_file():
            if scanned.name == MANIFEST_NAME:
                continue
            top = root if root is not None and _inside(scanned, root) else scanned.parent
            yield from _once(Found(scanned, scanned, _manifest_above(scanned.parent, top)), seen, warn)
            continue
        if not scanned.is_dir():
            warn(f"{scanned}: not a regular file or folder, skipped")
            continue
        for folder, dirs, files in os.walk(scanned, followlinks=False,
                                          onerror=lambda e: warn(f"{e.filename}: {e.strerror}")):
            dirs.sort()
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            manifest = _manifest_above(Path(folder), scanned)
            for name in sorted(files):
                path = Path(folder) / name
                if path.suffix.lower() in ARTICLE_SUFFIXES and not name.startswith("."):
                    yield from _once(Found(path, scanned, manifest), seen, warn)


def _inside(path: Path, folder: Path) -> bool:
    return Path(os.path.abspath(path)).is_relative_to(Path(os.path.abspath(folder)))


def _manifest_above(folder: Path, top: Path) -> Path | None:
    """The nearest manifest.csv in folder or a parent of it, up to and including top."""
    here, top = Path(os.path.abspath(folder)), Path(os.path.abspath(top))
    while True:
        if (here / MANIFEST_NAME).is_file():
            return here / MANIFEST_NAME
        if here == top or here == here.parent or not here.is_relative_to(top):
            return None
        here = here.parent


def manifest_key(path: Path, manifest: Path) -> str:
    """How a manifest names an article: its path from the manifest's folder, with forward slashes."""
    return Path(os.path.abspath(path)).relative_to(manifest.parent).as_posix()


def _once(found: Found, seen: set[Path], warn) -> Iterator[Found]:
    try:
        key = found.path.resolve()
    except (OSError, RuntimeError):
        warn(f"{found.path}: cannot resolve path (symlink loop?), skipped")
        return
    if key in seen:
        return
    seen.add(key)
    yield found


def load_manifest(path: Path) -> tuple[dict[str, Meta], list[str]]:
    """manifest.csv: columns file and published required; outlet, title, url optional; others ignored.

    Returns the entries by file name and one warning per unusable row.
    """
    try:
        text = decode(path.read_bytes(), path)
    except OSError as exc:
        raise FigcheckError(f"cannot read manifest: {exc.strerror}", path) from None
    rows = csv.DictReader(text.splitlines())
    missing = {"file", "published"} - set(rows.fieldnames or [])
    if missing:
        raise FigcheckError(
            f"manifest lacks required column(s) {', '.join(sorted(missing))} (has: {', '.join(rows.fieldnames or [])})",
            path, 1)
    entries: dict[str, Meta] = {}
    problems: list[str] = []
    for number, row in enumerate(rows, start=2):
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


def read_article(path: Path, meta: Meta | None = None, doc: str | None = None, data: bytes | None = None,
                 warn=None) -> Article:
    """Read one article; raise ArticleError when it cannot be used.

    doc is the article's identity (see figcheck.project.identity); data, when given, is its
    content already read (standard input).
    """
    stdin = str(path) == STDIN
    shown = "<stdin>" if stdin else project.shown(path)
    if data is None:
        try:
            data = path.read_bytes()
        except PermissionError:
            raise ArticleError("permission denied", shown) from None
        except OSError as exc:
            raise ArticleError(f"cannot read: {exc.strerror or exc}", shown) from None
    if not data.strip():
        raise ArticleError("empty file", shown)
    text = decode(data, shown)
    digest = content_hash(data)
    doc = doc or ("stdin" if stdin else path.name)
    if path.suffix.lower() in (".html", ".htm") or stdin and _looks_like_html(text):
        return _read_html(shown, doc, text, digest, meta)
    front, body_start = _front_matter(text, shown)
    meta = meta or Meta()
    published = front.get("published", meta.published)
    if published is None:
        published = dateline(text[body_start:])
    return Article(
        path=shown, doc=doc, text=text, content_hash=digest,
        outlet=front.get("outlet") or meta.outlet, title=front.get("title") or meta.title,
        url=front.get("url") or meta.url, published=published,
        ignore_rules=known_rules(front.get("figcheck-ignore") or [], shown, warn), body_start=body_start,
    )


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:1000].lower()
    return head.startswith("<") and any(tag in head for tag in ("<html", "<body", "<article", "<!doctype html"))


def known_rules(rules: list[str], where: str, warn) -> list[str]:
    """Rule ids of an ignore list; an unknown one (a typo such as 'outdate') is dropped with a warning,
    so the finding it meant to silence still shows."""
    from figcheck.pack import RULE_DEFAULT_SEVERITY

    known = [r for r in rules if r in RULE_DEFAULT_SEVERITY or r == "*"]
    for rule in rules:
        if rule not in known and warn is not None:
            warn(f"{where}: unknown rule {rule!r} in an ignore (known: {', '.join(RULE_DEFAULT_SEVERITY)})")
    return known


# Keys read from front matter; every other key (author, tags, categories, draft, lastmod...) is ignored.
# The publication date is the first of these present.
DATE_KEYS = ("published", "publishDate", "date")
TEXT_KEYS = ("title", "outlet", "url")


def _front_matter(text: str, path: str) -> tuple[dict, int]:
    """YAML between '---' lines (Jekyll, Hugo, Astro, Eleventy) or TOML between '+++' lines (Hugo)."""
    fence = text[:3]
    if fence not in ("---", "+++"):
        return {}, 0
    first_break = text.find("\n")
    if first_break < 0 or text[:first_break].strip() != fence:
        return {}, 0
    end = text.find("\n" + fence, first_break)
    if end < 0:
        raise ArticleError(f"front matter opened with '{fence}' is never closed", path, 1)
    block = text[first_break + 1:end]
    close_end = text.find("\n", end + 1)
    body_start = len(text) if close_end < 0 else close_end + 1
    data = _parse_block(block, fence, path)
    if not isinstance(data, dict):
        raise ArticleError("front matter must be a mapping of keys to values", path, 2)
    data = {str(k): v for k, v in data.items()}
    own = sorted(k for k in data if k.lower().startswith("figcheck") and k != "figcheck-ignore")
    if own:
        raise ArticleError(f"unknown front matter key {own[0]!r} (figcheck reads: figcheck-ignore)", path,
                           _key_line(block, own[0]))
    out: dict = {}
    for key in TEXT_KEYS:
        value = data.get(key)
        if value is not None and not isinstance(value, (str, int, float)):
            raise ArticleError(f"front matter {key} must be text, got {value!r}", path, _key_line(block, key))
        if value is not None:
            out[key] = str(value)
    ignore = data.get("figcheck-ignore")
    if ignore is not None:
        if not (isinstance(ignore, str) or isinstance(ignore, list) and all(isinstance(r, str) for r in ignore)):
            raise ArticleError(f"figcheck-ignore must be a rule id or a list of them, got {ignore!r}", path,
                               _key_line(block, "figcheck-ignore"))
        out["figcheck-ignore"] = [ignore] if isinstance(ignore, str) else ignore
    key = next((k for k in DATE_KEYS if data.get(k) is not None), None)
    if key is not None:
        out["published"] = _date(data[key], key, path, _key_line(block, key))
    return out, body_start


def _parse_block(block: str, fence: str, path: str):
    if fence == "+++":
        try:
            return tomllib.loads(block)
        except tomllib.TOMLDecodeError as exc:
            raise ArticleError(f"front matter is not valid TOML: {exc}", path, 1) from None
    try:
        return yaml.load(block, Loader=YAML_LOADER) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        raise ArticleError(f"front matter is not valid YAML: {getattr(exc, 'problem', exc)}", path, line) from None


def _date(value, key: str, path: str, line: int) -> dt.date:
    """A front matter date: a YAML/TOML date or timestamp, or text holding one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    parsed = parse_date(str(value))
    if parsed is None:
        raise ArticleError(f"{key} {value!r} is not a date (write YYYY-MM-DD)", path, line)
    return parsed


def _key_line(block: str, key: str) -> int:
    """The file line of a front matter key (the block starts on line 2)."""
    return 1 + next((i for i, line in enumerate(block.splitlines(), 1)
                     if line.startswith((key + ":", key + " ", key + "="))), 1)


def _read_html(path: str, doc: str, html: str, content_hash: str, meta: Meta | None) -> Article:
    import trafilatura  # imported here: it costs about 0.3 s and only HTML needs it

    extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False)
    if extracted is None:
        raise ArticleError("HTML page has no article body", path)
    data = extracted.as_dict() if hasattr(extracted, "as_dict") else dict(extracted)
    text = data.get("text") or ""
    if len(text.strip()) < 20:
        raise ArticleError("HTML page has no article body", path)
    meta = meta or Meta()
    published = meta.published
    if published is None and data.get("date"):
        published = parse_date(str(data["date"]))
    return Article(
        path=path, doc=doc, text=text, content_hash=content_hash,
        outlet=meta.outlet or data.get("sitename") or data.get("hostname"),
        title=meta.title or data.get("title"), url=meta.url or data.get("url"), published=published,
        source=html,
    )
