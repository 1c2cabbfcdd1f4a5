"""Article structure: which lines are page furniture, where sentences and clauses begin and end.

Offsets always refer to the original text; noise is marked, never cut out.
"""

from __future__ import annotations

import bisect
import re
from figcheck.regexcache import compiled
from dataclasses import dataclass

# Page furniture found in scraped text: menus, link blocks, notification and cookie banners.
_BOILERPLATE = compiled(
  r"\b(?:read more|related(?: articles| stories| coverage)?|recommended|most (?:read|popular|viewed)|trending|"
  r"notifications?|settings|use the toggle|sign (?:up|in)|log ?in|subscribe|newsletter|cookies?|privacy|"
  r"terms of (?:use|service)|all rights reserved|copyright|advertisement|sponsored|loading|share (?:this|on|your)|"
  r"follow us|tags|posted (?:under|in)|leave a (?:comment|reply)|comments?|get (?:updates|notified)|select your|"
  r"block for|don'?t block|skip to|menu|search|click here|also read|see also|more on this|watch|listen|"
  r"akismet|photo|image|credit|getty|reuters|afp)\b|©", re.IGNORECASE)
_LINK_BLOCK = compiled(r"^\s*(?:read more|related(?: \w+)?|also read|see also|more on this(?: story)?|recommended)\s*:?\s*$",
                       re.IGNORECASE)
_BULLET = compiled(r"^\s*(?:[•·▪◦*+\-–]|\d+[.)])\s+")
_TERMINAL = ".!?…:;\"”’)"  # the last character of a line that ends a sentence (str.strip and \s agree)
_WORD = compiled(r"[\w’'-]+")

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "mt", "gen", "lt", "col", "sgt", "capt", "gov", "sen", "rep", "prof", "jan", "feb",
    "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "vs", "inc", "ltd", "co", "corp",
    "approx", "est", "fig", "jr", "sr", "maj", "adm", "cmdr", "rev", "hon", "ft", "pt", "mon", "tue", "wed", "thu",
    "fri", "sat", "sun", "c",
}
_SENTENCE_END = compiled(r"[.!?…]+[\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9]|[A-Z][a-z])")
# a comma between digits ("507,000") groups thousands: it parts no clauses
PARAGRAPH_BREAK = compiled(r"\n[^\S\n]*\n")  # a blank line
CLAUSE_PUNCT = compiled(r"(?<!\d),|,(?!\d)|[;:()\[\]—–]|\s-\s")
_CLAUSE_WORDS = compiled(r"(?<!\d),|,(?!\d)|[;:()\[\]—–]|\s-\s|\b(?:and|but|while|whereas|where|which|who|whom|although|though|because)\b")


_LAST_WORD = compiled(r"([A-Za-z]+)\.?$")
MAX_SENTENCE = 1500  # characters; longer runs (minified or unpunctuated text) are cut at spaces


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int


# "- Wounded in Gaza: more than 27,000": a bullet of a by-the-numbers list, not a menu item
# (its source may stand in brackets before the colon or after the figure: "Killed (UN): 480", "1,480 dead (UN)")
_LABELLED_FIGURE = compiled(r"[^\W\d_](?:\s*\([^()\n]{1,40}\))?\s*:\s*(?:[^\W\d_]+\s+){0,3}\d[\d,.]*\+?(?:\s+(?:million|billion))?"
                            r"(?:\s+[^\W\d_]+){0,2}(?:\s*\([^()\n]{1,40}\))?\s*$")


def noise_lines(text: str, start: int = 0) -> list[tuple[int, int]]:
    """Spans of lines that are page furniture rather than article prose."""
    spans: list[tuple[int, int]] = []
    pos = start
    first_content = True
    after_link_marker = 0
    for raw in text[start:].splitlines(keepends=True):
        line = raw.strip()
        end = pos + len(raw.rstrip("\r\n"))
        if line:
            terminal = line[-1] in _TERMINAL
            # a line ending a sentence is furniture only after a link marker: its words are counted only then
            words = len(_WORD.findall(line)) if after_link_marker or not terminal else 0
            noisy = False
            if _LINK_BLOCK.match(line):
                noisy, after_link_marker = True, 2
            elif after_link_marker and words <= 25 and not line.endswith("."):
                noisy = True
                after_link_marker -= 1
            # "Search", "Photo: Reuters", "Sign up for our newsletter"; not a headline that has the
            # word in it ("Death toll rises to 106 as search continues")
            elif words <= 12 and not terminal and (_BOILERPLATE.match(line) or words <= 5 and _BOILERPLATE.search(line)):
                noisy = True
            elif "/ Photo" in line or line.lower().startswith(("photo:", "image:", "caption:")):
                noisy = True
            elif _BULLET.match(raw) and words <= 8 and not terminal and not _LABELLED_FIGURE.search(line):
                noisy = True
            elif words <= 4 and not terminal and not first_content and not _LABELLED_FIGURE.search(line):
                noisy = True  # "Read more", "Share"; not a by-the-numbers line ("Wounded: 75,886")
            if not noisy:
                after_link_marker = 0
            first_content = False
            if noisy:
                spans.append((pos, end))
        pos += len(raw)
    return spans


def sentences(text: str, start: int = 0) -> list[Sentence]:
    """Sentence spans. A blank line, a line ending in terminal punctuation, or a short line ends one."""
    out: list[Sentence] = []
    block_start = None
    pos = start
    lines = text[start:].splitlines(keepends=True)
    for i, raw in enumerate(lines):
        stripped = raw.strip()
        line_end = pos + len(raw.rstrip("\r\n"))
        if stripped:
            if block_start is None:
                block_start = pos + (len(raw) - len(raw.lstrip()))
            next_line = lines[i + 1].strip() if i + 1 < len(lines) else ""
            continues = (next_line and stripped[-1] not in _TERMINAL and len(_WORD.findall(stripped)) > 8
                         and not _BULLET.match(lines[i + 1]) and next_line[:1].islower())
            if not continues:
                _split_block(text, block_start, line_end, out)
                block_start = None
        pos += len(raw)
    if block_start is not None:
        _split_block(text, block_start, len(text), out)
    return out


def _split_block(text: str, start: int, end: int, out: list[Sentence]) -> None:
    before = len(out)
    _split_prose(text, start, end, out)
    if any(s.end - s.start > MAX_SENTENCE for s in out[before:]):
        long_ones = out[before:]
        del out[before:]
        for sentence in long_ones:
            _cut(text, sentence.start, sentence.end, out)


def _cut(text: str, start: int, end: int, out: list[Sentence]) -> None:
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        cut = cut if cut > start else start + MAX_SENTENCE
        out.append(Sentence(start, cut))
        start = cut
    out.append(Sentence(start, end))


def _split_prose(text: str, start: int, end: int, out: list[Sentence]) -> None:
    cursor = start
    for match in _SENTENCE_END.finditer(text, start, end):
        word = _LAST_WORD.search(text[max(start, match.start() - 12):match.start() + 1])
        if match.group().startswith(".") and word and (word.group(1).lower() in _ABBREVIATIONS or len(word.group(1)) == 1):
            continue
        stop = match.end()
        if text[cursor:stop].strip():
            out.append(Sentence(cursor, stop))
        cursor = stop
        while cursor < end and text[cursor].isspace():
            cursor += 1
    if text[cursor:end].strip():
        out.append(Sentence(cursor, end))


def clause_bounds(text: str, sentence: Sentence, start: int, end: int, with_conjunctions: bool) -> tuple[int, int]:
    """The clause of the sentence holding [start, end): from the boundary before it to the one after."""
    pattern = _CLAUSE_WORDS if with_conjunctions else CLAUSE_PUNCT
    left = sentence.start
    for match in pattern.finditer(text, sentence.start, start):
        # "Fatalities identified: 74", "Displaced: more than 1.7 million": a label's colon joins it to its figure
        if match.group() != ":" or match.start() - sentence.start > _LABEL_CHARS \
                or not _LABELLED.fullmatch(text, match.end(), start):
            left = match.end()
    after = pattern.search(text, end, sentence.end)
    right = after.start() if after else sentence.end
    return left, right


_LINE_BREAK = compiled(r"\r\n|\n|\r")
_LABELLED = compiled(r"[^\S\n]*(?:[a-z]+[^\S\n]+){0,2}")
_LABEL_CHARS = 40


class LineIndex:
    """1-based line and column of a code-point offset."""

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]

    def locate(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1
