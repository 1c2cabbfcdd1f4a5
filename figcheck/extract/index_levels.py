"""The level of a market or survey index: "the S&P 500 rose 0.8% to 5,321.41", "the Sensex ... to close at
73,000", "the purchasing managers' index fell to 47.8 from 49.1, below the 50 mark". Such a level is a
measurement in points, not a count of anything.

Used by figcheck/extract/reading.py on the numbers it reads: a bare number after "to", "at", "from",
"hit", "touched" or "reached", in a sentence that names an index before it, and not followed by a
plural noun ("cut its workforce to 12,000 jobs" counts jobs).
"""

from __future__ import annotations

import re

from figcheck.regexcache import compiled

_INDEX = compiled(r"(?<![\w])(?:[Ii]nd(?:ex|ices|exes)|S&P|Dow|Nasdaq|FTSE|Nikkei|Topix|Hang[^\S\n]+Seng|Sensex|Nifty|"
                  r"ASX|TSX|DAX|CAC|STOXX|Stoxx|Kospi|JSE|IBEX|Ibex|Bovespa|MSCI|Russell[^\S\n]+2000)(?![\w])")
_LEVEL_BEFORE = compiled(r"(?<![\w])(?:to|at|from|hit|touched|reached)[^\S\n]+(?:(?:close|end|finish|settle)[^\S\n]+at"
                         r"[^\S\n]+|an?[^\S\n]+(?:record|fresh|new|all-time)(?:[^\S\n]+(?:closing[^\S\n]+)?(?:high|low))?"
                         r"(?:[^\S\n]+of)?[^\S\n]+)?$|(?<![\w])the[^\S\n]+$", re.IGNORECASE)
# what "to", "at" or "from" follows when it gives the index's level: its move ("rose to", "ended 1.1% higher at",
# "fell 930 points, or 1.2 per cent, to"), or the level before ("fell to 47.8 from 49.1"); not "took staff to"
_MOVE_BEFORE = compiled(r"(?:(?<![A-Za-z])(?:rose|rise[sn]?|fell|falls?|fallen|gained|gains?|lost|loses|added|adds|shed|"
                        r"climbed|dropped|slipped|jumped|rallied|tumbled|slid|eased|edged|advanced|declined|closed|ended|"
                        r"finished|settled|opened|traded|stood|was|is|higher|lower|up|down|unchanged|flat|points?|cent|"
                        r"percent|pc)|[%\d])[^\S\n]*,?[^\S\n]*$", re.IGNORECASE)
_MARK_AFTER = compiled(r"[-‑\s](?:mark|level|threshold|line)\b", re.IGNORECASE)
_NOUN_AFTER = compiled(r"[^\S\n]+(?:[a-z]+[^\S\n]+)?[a-z]{2,}s\b")
_SENTENCE_END = compiled(r"[.!?](?:[\"”’']?\s)|\n")
_LAST_WORDS = (" to ", " at ", "from ", " hit ", "touched ", "reached ", " the ", " high ", " low ", " of ", "record ",
               "fresh ", " new ")
REACH = 160


def is_level(norm: str, start: int, end: int, floor: int) -> bool:
    """Whether the bare number norm[start:end] is an index level."""
    if not norm.endswith(_LAST_WORDS, max(floor, start - 9), start):
        return False  # most numbers: no word a level follows
    before = _LEVEL_BEFORE.search(norm, max(floor, start - 40), start)
    if before is None or _NOUN_AFTER.match(norm, end):
        return False
    word = before.group().split()[0].lower()
    if word == "the" and not _MARK_AFTER.match(norm, end):
        return False  # "the 50 mark" is a level; "the 300 workers" are not
    if word in ("to", "at", "from") and not _MOVE_BEFORE.search(norm, max(floor, before.start() - 12), before.start()):
        return False
    lo = max(floor, start - REACH)
    ends = [m.end() for m in _SENTENCE_END.finditer(norm, lo, before.start())]
    return _INDEX.search(norm, ends[-1] if ends else lo, before.start()) is not None
