"""A cheaper test before a scan: the words one of which every match of a pattern holds.

The wording patterns read around each figure ("in the past 24 hours", "in an airstrike", "the
number of ... killed") are run over its clause or the words before it, and mostly find nothing.
Each of their alternatives holds a word it cannot match without ("hour", "strike", "number"),
read off the parsed pattern. Those words are looked for first, lower-cased, in the range the
pattern would scan (a few substring searches); when none occurs there, the pattern cannot match
and is not run. Where one occurs, the pattern runs as before: what is found never changes.
"""

from __future__ import annotations

import re
from re import _constants as sre  # the parser's opcodes
from re import _parser

from figcheck.extract import prefilter
from figcheck.extract.prefilter import FOLDS_TO_ASCII

MIN_WORD = 3  # a shorter required word ("in", "on") occurs almost everywhere: the test would not pay
_Words = frozenset[str]
_cache: dict[int, tuple[re.Pattern[str], tuple[str, ...] | None]] = {}
# by the pattern's text and flags: what pattern_reading.py keeps between runs
_known: dict[tuple[str, int], tuple[str, ...] | None] = {}


def required_words(pattern: re.Pattern[str]) -> _Words | None:
    """Lower-case strings one of which occurs in every match of `pattern` (lower-cased), or None
    when no such set of words of at least MIN_WORD characters is read off it."""
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # noqa: BLE001 - a pattern this parser does not read is simply always run
        return None
    return _sequence(list(parsed))


def words_of(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """required_words(pattern), sorted, read once per pattern."""
    known = _cache.get(id(pattern))
    if known is None:
        key = (pattern.pattern, pattern.flags)
        if key not in _known:
            words = required_words(pattern)
            _known[key] = tuple(sorted(words)) if words else None
        known = _cache[id(pattern)] = (pattern, _known[key])  # the pattern keeps its id
    return known[1]


def known() -> dict[tuple[str, int], tuple[str, ...] | None]:
    """Every pattern read so far, by its text and flags, with its words."""
    return dict(_known)


def learn(known: dict[tuple[str, int], tuple[str, ...] | None]) -> None:
    """Take what an earlier run read (pattern_reading.py)."""
    _known.update(known)


def may_match(pattern: re.Pattern[str], text: str, lo: int = 0, hi: int | None = None) -> bool:
    """False when `pattern` is sure to find nothing in text[lo:hi]: none of its required words occurs there."""
    words = words_of(pattern)
    if words is None:
        return True
    part = text[lo:hi]
    if not part.isascii() and FOLDS_TO_ASCII.search(part):
        return True  # IGNORECASE matches these to ASCII letters while str.lower() does not
    part = part.lower()
    for word in words:
        if word in part:
            return True
    return False


def search(pattern: re.Pattern[str], text: str, lo: int = 0, hi: int | None = None) -> re.Match[str] | None:
    """`pattern.search(text, lo, hi)`, not run where it cannot match."""
    hi = len(text) if hi is None else hi
    return pattern.search(text, lo, hi) if may_match(pattern, text, lo, hi) else None


def finditer(pattern: re.Pattern[str], text: str, lo: int = 0, hi: int | None = None):
    """`pattern.finditer(text, lo, hi)`, not run where it cannot match."""
    hi = len(text) if hi is None else hi
    return pattern.finditer(text, lo, hi) if may_match(pattern, text, lo, hi) else iter(())


def _better(a: _Words | None, b: _Words | None) -> _Words | None:
    """The more selective of two word sets: the longer shortest word, then the fewer words."""
    if a is None or b is None:
        return a if b is None else b
    key_a, key_b = (min(map(len, a)), -len(a)), (min(map(len, b)), -len(b))
    return a if key_a >= key_b else b


def _sequence(items: list) -> _Words | None:
    best: _Words | None = None
    run = ""
    for k, (op, av) in enumerate(items):
        # what the rest of the sequence begins with ("make|made" read as "ma" and "ke|de"): a match holds it
        starts = prefilter.starts_of_items(items[k:]) if op in (sre.LITERAL, sre.BRANCH, sre.SUBPATTERN) else None
        if starts and min(map(len, starts)) >= MIN_WORD:
            best = _better(best, starts)
        if op is sre.LITERAL and av < 128:
            run += chr(av).lower()
            continue
        if len(run) >= MIN_WORD:
            best = _better(best, frozenset([run]))
        run = ""
        best = _better(best, _item(op, av))
    if len(run) >= MIN_WORD:
        best = _better(best, frozenset([run]))
    return best


def _item(op, av) -> _Words | None:
    """The words one of which every match of one parsed item holds, or None."""
    if op is sre.SUBPATTERN:
        return _sequence(list(av[-1]))
    if op is sre.ATOMIC_GROUP:
        return _sequence(list(av))
    if op is sre.BRANCH:
        union: set[str] = set()
        for alternative in av[1]:
            words = _sequence(list(alternative))
            if words is None:
                return None
            union |= words
        return frozenset(union)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, _, body = av
        return _sequence(list(body)) if low >= 1 else None
    return None  # a class, a wildcard, a lookaround, an anchor or a backreference requires no word
