"""A cheap test that rules out most scans of a pack pattern before they run.

A metric's cues, context words and exclusions are long alternations matched case-insensitively,
and the regular expression engine tries every alternative at every word start: scanning a
sentence for the twenty-odd cue expressions of a story took more time than anything else in
extraction. But every match of such a pattern starts with one of a few literal strings ("kill",
"dead", "toll", ...), read off the parsed pattern. When none of them occurs in the lower-cased
text, the pattern cannot match there; where they occur, it is tried there only. A match that
`finditer` finds starts at one of those places, and trying the pattern at each in turn, from where
the last match ended, finds the same matches: what is found never changes. Finding the starts is
a few substring searches, shared by the patterns of a sentence.
"""

from __future__ import annotations

import bisect
import functools
import re
from re import _constants as sre  # the parser's opcodes
from re import _parser

from figcheck.regexcache import compiled

MAX_PREFIX = 5   # characters of each literal start kept: longer ones rule out little more
MAX_STARTS = 96  # literal starts per pattern; a pattern with more is always scanned
# Characters that IGNORECASE matches to an ASCII letter while str.lower() maps them elsewhere
# (dotted and dotless i, long s, the Kelvin sign): where one occurs, every pattern is scanned.
FOLDS_TO_ASCII = compiled("[\u0130\u0131\u017f\u212a]")

_Starts = set[tuple[str, bool]]  # (literal start, whether it is the whole of what the item matched)
_cache: dict[tuple[str, int], tuple[str, ...] | None] = {}


def starts_of(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """The literal starts of `pattern`, or None when it has none to test for (then it is always scanned)."""
    key = (pattern.pattern, pattern.flags)
    if key not in _cache:
        starts = literal_starts(pattern)
        # a start that begins with a shorter one adds nothing: wherever it occurs, so does the shorter one
        _cache[key] = tuple(sorted(s for s in starts if not any(t != s and s.startswith(t) for t in starts))) \
            if starts else None
    return _cache[key]


def known() -> dict[tuple[str, int], tuple[str, ...] | None]:
    """Every pattern read so far, by its text and flags, with its literal starts."""
    return dict(_cache)


def learn(known: dict[tuple[str, int], tuple[str, ...] | None]) -> None:
    """Take what an earlier run read (pattern_reading.py)."""
    _cache.update(known)


def literal_starts(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Lower-case strings one of which begins every match of `pattern`, or None if some match may
    begin otherwise (a character class, a wildcard, an empty match)."""
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # noqa: BLE001 - a pattern this parser does not read is simply always scanned
        return None
    starts = _sequence(list(parsed))
    if starts is None or any(not text for text, _ in starts):
        return None
    return frozenset(text for text, _ in starts)


class LiteralIndex:
    """A text lower-cased once, with where the literal starts of each pattern asked about occur."""

    def __init__(self, text: str):
        self.text = text
        # str.lower() keeps every offset but for U+0130, which is in FOLDS_TO_ASCII
        self.lowered = None if FOLDS_TO_ASCII.search(text) else text.lower()
        self._where: dict[str, list[int]] = {}
        # id(pattern) -> (the pattern, kept so its id is not reused; where its starts occur, or None: scan it)
        self._at: dict[int, tuple[re.Pattern[str], list[int] | None]] = {}

    def spans(self, pattern: re.Pattern[str], lo: int, hi: int) -> list[tuple[int, int]]:
        """What `pattern.finditer(text, lo, hi)` finds, trying the pattern only where a match can start."""
        return [match.span() for match in self.matches(pattern, lo, hi)]

    def may_match(self, pattern: re.Pattern[str], lo: int, hi: int) -> bool:
        """False when `spans(pattern, lo, hi)` is sure to find nothing: none of its starts occurs there."""
        known = self._at.get(id(pattern))
        at = known[1] if known is not None else self._positions(pattern)
        if at is None:
            return True
        first = bisect.bisect_left(at, lo)
        return first < len(at) and at[first] < hi

    def matches(self, pattern: re.Pattern[str], lo: int, hi: int) -> list[re.Match[str]]:
        """The matches `pattern.finditer(text, lo, hi)` finds (the same spans and groups)."""
        known = self._at.get(id(pattern))
        at = known[1] if known is not None else self._positions(pattern)
        if at is None:
            return list(pattern.finditer(self.text, lo, hi))
        first = bisect.bisect_left(at, lo)
        last = bisect.bisect_left(at, hi, first)
        if first == last:
            return []
        found: list[re.Match[str]] = []
        resume = lo
        for position in at[first:last]:
            if position >= resume:
                match = pattern.match(self.text, position, hi)
                if match:  # never empty: it begins with a literal start
                    found.append(match)
                    resume = match.end()
        return found

    def _positions(self, pattern: re.Pattern[str]) -> list[int] | None:
        """Where the starts of `pattern` occur, found on first use (the pattern is kept so its id is not reused)."""
        at = self._starts_at(pattern)
        self._at[id(pattern)] = (pattern, at)
        return at

    def _starts_at(self, pattern: re.Pattern[str]) -> list[int] | None:
        """Where the literal starts of `pattern` occur, in order, or None when it is always scanned."""
        starts = starts_of(pattern)
        if starts is None or self.lowered is None:
            return None
        # no start is a prefix of another, so no two occur at one place: the positions are distinct
        return sorted([i for start in starts for i in self._occurrences(start)])

    def _occurrences(self, start: str) -> list[int]:
        where = self._where.get(start)
        if where is None:
            where = self._where[start] = []
            i = self.lowered.find(start)
            while i >= 0:
                where.append(i)
                i = self.lowered.find(start, i + 1)
        return where


@functools.lru_cache(maxsize=2)
def index_of(text: str) -> LiteralIndex:
    """The index of a text, made on first use: the sentences of one article share it. Two are kept,
    so a huge article's lower-cased copy does not outlive the next ones."""
    return LiteralIndex(text)


def starts_of_items(items: list) -> frozenset[str] | None:
    """The literal starts of a parsed sequence, as literal_starts reads them, or None."""
    starts = _sequence(items)
    if starts is None or any(not text for text, _ in starts):
        return None
    return frozenset(text for text, _ in starts)


def _sequence(items: list) -> _Starts | None:
    found: _Starts = {("", True)}
    for item in items:
        if not any(whole and len(text) < MAX_PREFIX for text, whole in found):
            break
        following = _item(*item)
        grown: _Starts = set()
        for text, whole in found:
            if not whole or len(text) >= MAX_PREFIX or following is None:
                grown.add((text, False))
                continue
            for more, more_whole in following:
                joined = text + more
                grown.add((joined[:MAX_PREFIX], more_whole and len(joined) <= MAX_PREFIX))
        if len(grown) > MAX_STARTS:
            return {(text, False) for text, _ in found}
        found = grown
    return found


def _item(op, av) -> _Starts | None:
    """The literal starts of one parsed item, or None when it may start with anything."""
    if op is sre.LITERAL:
        return {(chr(av).lower(), True)} if av < 128 else None
    if op is sre.IN:
        chars = [chr(value).lower() for kind, value in av if kind is sre.LITERAL and value < 128]
        return {(c, True) for c in chars} if len(chars) == len(av) and len(chars) <= 8 else None
    if op is sre.SUBPATTERN:
        return _sequence(list(av[-1]))
    if op is sre.ATOMIC_GROUP:
        return _sequence(list(av))
    if op is sre.BRANCH:
        union: _Starts = set()
        for alternative in av[1]:
            starts = _sequence(list(alternative))
            if starts is None:
                return None
            union |= starts
        return union if len(union) <= MAX_STARTS else None
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, high, body = av
        starts = _sequence(list(body))
        if starts is None:
            return None
        if high != 1:  # more repetitions may follow the first
            starts = {(text, False) for text, _ in starts}
        return starts | {("", True)} if low == 0 else starts
    if op in (sre.ASSERT, sre.ASSERT_NOT, sre.AT):
        return {("", True)}  # zero-width: the match starts with what follows
    return None
