"""Where a figure found in an HTML page's main text stands in the page's markup.

trafilatura gives the main text without its markup, so offsets into that text say nothing about
the file's lines. Each figure is found again in the page's visible text (tags, comments, scripts
and the <head> left out, entities decoded), in reading order and by the words before it, and
takes the line and column of the file from there. Ignore comments in the markup apply too.
"""

from __future__ import annotations

import html
import re

from figcheck.extract.extractor import _ignore_comments
from figcheck.extract.text import LineIndex
from figcheck.models import Figure

_MARKUP = re.compile(r"<!--.*?-->|<(script|style|head|template)\b.*?</\1\s*>|<[^>]*>|&#?\w+;",
                     re.IGNORECASE | re.DOTALL)
CONTEXT = 40  # characters of the main text before a figure that anchor it


def visible(markup: str) -> tuple[str, list[int]]:
    """The page's visible text, and for each of its characters the offset in the markup."""
    chars: list[str] = []
    offsets: list[int] = []
    pos = 0
    for match in _MARKUP.finditer(markup):
        chars.append(markup[pos:match.start()])
        offsets.extend(range(pos, match.start()))
        token = match.group(0)
        if token.startswith("&"):
            decoded = html.unescape(token)
            chars.append(decoded)
            offsets.extend([match.start()] * len(decoded))
        elif re.match(r"</?(p|div|br|li|h\d|td|tr|section|article|blockquote)\b", token, re.IGNORECASE):
            chars.append(" ")  # a block boundary separates words, as in the extracted text
            offsets.append(match.start())
        pos = match.end()
    chars.append(markup[pos:])
    offsets.extend(range(pos, len(markup)))
    return "".join(chars), offsets


def _pattern(text: str) -> str:
    return r"\s+".join(re.escape(word) for word in text.split())


def relocate(figures: list[Figure], main_text: str, markup: str) -> list[Figure]:
    """The figures with offsets, line and column in the markup (the saved file, as for text files),
    and the markup's ignore comments applied.

    A figure that cannot be found again keeps the position it had in the main text."""
    seen, offsets = visible(markup)
    lines = LineIndex(markup)
    ignored = _ignore_comments(markup, lines)
    cursor = 0
    out: list[Figure] = []
    for figure in sorted(figures, key=lambda f: f.char_start):
        span = _find(seen, cursor, main_text, figure)
        if span is None:
            out.append(figure)
            continue
        start, end = span
        cursor = start
        line, column = lines.locate(offsets[start])
        out.append(figure.model_copy(update={
            "char_start": offsets[start], "char_end": offsets[end - 1] + 1, "line": line, "column": column,
            "ignore_rules": sorted(set(figure.ignore_rules) | set(ignored.get(line, []))),
        }))
    return out


def _find(seen: str, cursor: int, main_text: str, figure: Figure) -> tuple[int, int] | None:
    """Where the figure's surface stands in the visible text: after the words that precede it in
    the main text when they are found there, else the surface alone; from the cursor on first."""
    before = main_text[max(0, figure.char_start - CONTEXT):figure.char_start]
    if figure.char_start > CONTEXT and " " in before:
        before = before[before.find(" ") + 1:]  # start on a whole word
    surface = main_text[figure.char_start:figure.char_end]
    for lead in (before, ""):
        pattern = re.compile((_pattern(lead) + r"\s*" if lead.strip() else "") + f"({_pattern(surface)})")
        match = pattern.search(seen, cursor) or pattern.search(seen)
        if match:
            return match.span(1)
    return None
