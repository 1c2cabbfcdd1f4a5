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

from figcheck import htmltext, project
from figcheck.csvin import Rows
from figcheck.dates import dateline, parse_date
from figcheck.errors import ArticleError, FigcheckError
from figcheck.frontmatter import IGNORE_KEY, read_front_matter
from figcheck.models import Article

ARTICLE_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}
MANIFEST_NAME = "manifest.csv"
MAX_FILE_BYTES = 64 * 1024 * 1024


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
        str(found.path).encode("utf-8")
    except UnicodeEncodeError:  # every output format is UTF-8: such a name could not be written out
        shown = os.fsencode(found.path).decode("utf-8", errors="backslashreplace")
        warn(f"{shown}: file name is not valid UTF-8, skipped (rename the file)")
        return
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


def parse_article(data: bytes, path: Path, meta: Meta | None = None, doc: str | None = None) -> Article:
    """An article from its bytes, as if read from `path` (whose suffix says HTML or text)."""
    return read_article(path, meta, doc, data)


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
            data = read_file(path)
        except ArticleError as exc:
            raise ArticleError(exc.message, shown) from None
    if not data.strip():
        raise ArticleError("empty file", shown)
    text = decode(data, shown)
    digest = content_hash(data)
    doc = doc or ("stdin" if stdin else path.name)
    if path.suffix.lower() in (".html", ".htm") or stdin and _looks_like_html(text):
        return _read_html(shown, doc, text, digest, meta)
    front, body_start = read_front_matter(text, shown)
    meta = meta or Meta()
    published = front.get("published", meta.published)
    if published is None:
        published = dateline(text[body_start:])
    return Article(
        path=shown, doc=doc, text=text, content_hash=digest,
        outlet=front.get("outlet") or meta.outlet, title=front.get("title") or meta.title,
        url=front.get("url") or meta.url, published=published,
        ignore_rules=known_rules(front.get(IGNORE_KEY) or [], shown, warn), body_start=body_start,
    )


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:1000].lower()
    return head.startswith("<") and any(tag in head for tag in ("<html", "<body", "<article", "<!doctype html"))


def known_rules(rules: list[str], where: str, warn) -> list[str]:
    """Rule ids of an ignore list; an unknown one (a typo such as 'outdate') is dropped with a warning,
    so the finding it meant to silence still shows."""
    from figcheck.checks import RULES

    known = [r for r in rules if r in RULES or r == "*"]
    for rule in rules:
        if rule not in known and warn is not None:
            warn(f"{where}: unknown rule {rule!r} in an ignore (known: {', '.join(RULES)})")
    return known


def _read_html(path: str, doc: str, html: str, content_hash: str, meta: Meta | None) -> Article:
    if htmltext.is_large(html):
        data = htmltext.main_text(html)
    else:
        import trafilatura  # imported here: it costs about 0.3 s and only HTML needs it

        extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                                include_tables=False)
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
