"""Front matter of Markdown and text articles: YAML between '---' lines, TOML between '+++' lines.

Only the keys figcheck reads are taken (title, outlet, url, the publication date, the rules to
ignore), each with its file line for errors.
"""

from __future__ import annotations

import datetime as dt
import tomllib

import yaml

from figcheck.dates import parse_date
from figcheck.errors import ArticleError
from figcheck.yamlpos import check_shape

YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: 10x faster
MAX_FRONT_MATTER = 64 * 1024
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_TIMESTAMPS = yaml.constructor.SafeConstructor()

# Keys read from front matter; every other key (author, tags, categories, draft, lastmod...) is ignored.
# The publication date is the first of DATE_KEYS present.
DATE_KEYS = ("published", "publishDate", "date")
TEXT_KEYS = ("title", "outlet", "url")
IGNORE_KEY = "figcheck-ignore"


def read_front_matter(text: str, path: str) -> tuple[dict, int]:
    """YAML between '---' lines (Jekyll, Hugo, Astro, Eleventy) or TOML between '+++' lines (Hugo).

    Values are read as written: YAML's implicit typing never turns a title into a date or number."""
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
    if len(block) > MAX_FRONT_MATTER:
        raise ArticleError(f"front matter is over {MAX_FRONT_MATTER // 1024} KB", path, 1)
    entries = _toml_entries(block, path) if fence == "+++" else _yaml_entries(block, path)
    data: dict = {}
    for key, (value, line) in entries.items():
        if key.lower().startswith("figcheck") and key != IGNORE_KEY:
            raise ArticleError(f"unknown front matter key {key[:80]!r} (figcheck reads: {IGNORE_KEY})", path, line)
        if key in TEXT_KEYS or key == IGNORE_KEY:
            data[key] = value
    date_key = next((k for k in DATE_KEYS if entries.get(k, (None,))[0] is not None), None)
    if date_key is not None:
        data["published"] = _date(date_key, *entries[date_key], path)
    return {k: v for k, v in data.items() if v is not None}, body_start


def _yaml_entries(block: str, path: str) -> dict[str, tuple[object, int]]:
    """key -> (value, file line) for the keys figcheck reads; dates stay YAML nodes until _date."""
    try:
        check_shape(block, path, first_line=2, error=ArticleError)
        node = yaml.compose(block, Loader=YAML_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        raise ArticleError(f"front matter is not valid YAML: {getattr(exc, 'problem', exc)}", path, line) from None
    if node is None:
        return {}
    if not isinstance(node, yaml.MappingNode):
        raise ArticleError("front matter must be a mapping of keys to values", path, 2)
    out: dict[str, tuple[object, int]] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):  # no site generator writes one: a broken block
            raise ArticleError("unknown front matter key that is not text", path, key_node.start_mark.line + 2)
        key, line = key_node.value, key_node.start_mark.line + 2
        if isinstance(value_node, yaml.ScalarNode) and value_node.tag == _NULL:
            out[key] = (None, line)
        elif key == IGNORE_KEY:
            items = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            if not all(isinstance(item, yaml.ScalarNode) for item in items):
                raise ArticleError(f"{IGNORE_KEY} must be a rule id or a list of them", path, line)
            out[key] = ([item.value for item in items], line)
        elif key in TEXT_KEYS:
            if not isinstance(value_node, yaml.ScalarNode):
                kind = "list" if isinstance(value_node, yaml.SequenceNode) else "mapping"
                raise ArticleError(f"front matter {key} must be text, not a {kind}", path, line)
            out[key] = (value_node.value, line)
        else:
            out[key] = (value_node, line)  # a date key, or one figcheck ignores
    return out


def _toml_entries(block: str, path: str) -> dict[str, tuple[object, int]]:
    try:
        data = tomllib.loads(block)
    except tomllib.TOMLDecodeError as exc:
        raise ArticleError(f"front matter is not valid TOML: {exc}", path, 1) from None
    out: dict[str, tuple[object, int]] = {}
    for key, value in data.items():
        line = _key_line(block, key)
        if key == IGNORE_KEY:
            if not (isinstance(value, str) or isinstance(value, list) and all(isinstance(v, str) for v in value)):
                raise ArticleError(f"{IGNORE_KEY} must be a rule id or a list of them", path, line)
            value = [value] if isinstance(value, str) else value
        elif key in TEXT_KEYS:
            if not isinstance(value, (str, int, float)):
                raise ArticleError(f"front matter {key} must be text, got {value!r}"[:120], path, line)
            value = str(value)
        out[key] = (value, line)
    return out


def _date(key: str, value, line: int, path: str) -> dt.date:
    """A front matter date: a YAML or TOML date or timestamp, or text holding one."""
    if isinstance(value, yaml.Node):
        if not isinstance(value, yaml.ScalarNode):
            kind = "list" if isinstance(value, yaml.SequenceNode) else "mapping"
            raise ArticleError(f"front matter {key} must be a date, not a {kind}", path, line)
        if value.tag == _TIMESTAMP:
            try:
                value = _TIMESTAMPS.construct_yaml_timestamp(value)
            except (ValueError, OverflowError):
                raise ArticleError(f"{key} {value.value[:40]!r} is not a valid date (write YYYY-MM-DD)", path,
                                   line) from None
        else:
            value = value.value
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    parsed = parse_date(str(value)[:200])
    if parsed is None:
        raise ArticleError(f"{key} {str(value)[:40]!r} is not a date (write YYYY-MM-DD)", path, line)
    return parsed


def _key_line(block: str, key: str) -> int:
    """The file line of a front matter key (the block starts on line 2)."""
    return 1 + next((i for i, line in enumerate(block.splitlines(), 1)
                     if line.startswith((key + ":", key + " ", key + "="))), 1)
