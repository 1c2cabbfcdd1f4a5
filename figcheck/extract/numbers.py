"""Reading one number phrase: digits in any grouping, scale words and abbreviations, number words,
fractions, dozens, lakh and crore.

`CANDIDATE` (or `candidate_spans`, faster) finds where a number may start; `read_phrase` reads
the longest number written there ("two and a half million", "4 thousand 3 hundred and 21", "a
quarter of a million", "12,34,567") or returns None. Which phrases are counts, ranges or shares,
and which words qualify them, is decided around the phrase in figcheck/extract/reading.py.

Texts are first mapped character for character (`normalize`): Arabic-Indic, Devanagari, Bengali
and full-width digits and separators become ASCII, so offsets still index the original text.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from figcheck.extract.prefilter import FOLDS_TO_ASCII

UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
         "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
         "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
BIG = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "lakh": 1e5, "crore": 1e7}
ABBREVIATIONS = {"k": 1e3, "K": 1e3, "m": 1e6, "M": 1e6, "mn": 1e6, "mln": 1e6, "b": 1e9, "B": 1e9, "bn": 1e9,
                 "bln": 1e9, "tn": 1e12, "tln": 1e12, "trn": 1e12}
SPACED_ABBREVIATIONS = {"k", "K", "M", "B", "mn", "mln", "bn", "bln", "tn", "tln", "trn"}  # "5 m" is metres
DENOMINATORS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4,
                "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "seventh": 7, "sevenths": 7,
                "eighth": 8, "eighths": 8, "ninth": 9, "ninths": 9, "tenth": 10, "tenths": 10}
VULGAR_FRACTIONS = {"½": 1 / 2, "⅓": 1 / 3, "⅔": 2 / 3, "¼": 1 / 4, "¾": 3 / 4, "⅕": 1 / 5, "⅛": 1 / 8}
_VULGAR = "[" + "".join(VULGAR_FRACTIONS) + "]"
FRACTION_STEP = 0.05  # "two-thirds" in news stands for anything that rounds to it: read to 5 points

_DIGIT_BLOCKS = (0x0660, 0x06F0, 0x0966, 0x09E6, 0xFF10)  # Arabic-Indic, Extended, Devanagari, Bengali, full-width
_TRANSLATE = {block + d: str(d) for block in _DIGIT_BLOCKS for d in range(10)}
_TRANSLATE.update({0x066C: ",", 0x066B: ".", 0xFF0C: ",", 0xFF0E: ".", 0xFF05: "%", 0x066A: "%", 0x2212: "-"})


_TO_TRANSLATE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_TRANSLATE)) + "]")


def normalize(text: str) -> str:
    """The text with every digit and separator in ASCII, one character for one."""
    return text if text.isascii() or not _TO_TRANSLATE.search(text) else text.translate(_TRANSLATE)


_WORDS = sorted([*UNITS, *TENS, "tens", *BIG, *(w + "s" for w in BIG), "hundred", "hundreds", "dozen", "dozens",
                 *DENOMINATORS], key=len, reverse=True)


def _trie(words: list[str]) -> str:
    """One regular expression for many words, as a prefix tree: twice as fast to scan as an alternation."""
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = [re.escape(c) + pattern(sub) for c, sub in sorted(node.items()) if c]
        if not branches:
            return ""
        body = "(?:" + "|".join(branches) + ")"
        return body + "?" if "" in node else body

    return pattern(tree)


CANDIDATE = re.compile(rf"(?<![\w.,:/])(?:\.?\d|{_VULGAR})|\b{_trie(_WORDS)}\b", re.IGNORECASE)
# CANDIDATE's two halves, scanned apart: each finds its matches faster than the two together, and
# they never overlap (digits and dots against letters). Number words are matched in the
# lower-cased text, case-sensitively, which is faster again.
_DIGIT_START = re.compile(rf"(?<![\w.,:/])(?:\.?\d|{_VULGAR})")
_LOWER_WORD = re.compile(rf"\b{_trie(_WORDS)}\b")


def candidate_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The spans `CANDIDATE.finditer(text, start, end)` finds, in text order."""
    end = len(text) if end is None else end
    before = max(0, start - 1)  # the character \b looks back at
    if FOLDS_TO_ASCII.search(text, before, end):  # where lower-casing would hide a match or move offsets
        return [m.span() for m in CANDIDATE.finditer(text, start, end)]
    found = [m.span() for m in _DIGIT_START.finditer(text, start, end)]
    lowered = text[before:end].lower()
    found += [(before + m.start(), before + m.end()) for m in _LOWER_WORD.finditer(lowered, start - before)]
    found.sort()
    return found


_SPACE = "[ \u00a0\u202f\u2009]"
_NUMBER = (rf"\d*{_VULGAR}"                                # 1½, ¾
           r"|\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?"         # Indian grouping: 12,34,567
           r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?"               # 1,234,567.5
           r"|\d{1,3}(?:\.\d{3})+,\d+"                    # 1.234.567,5
           rf"|\d{{1,3}}(?:{_SPACE}\d{{3}})+(?:\.\d+)?"   # 1 234 567, 35 000 (no-break space)
           r"|\d+,\d{1,2}(?![\d,])"                       # 1,5 (decimal comma)
           r"|\d+/\d+(?![\d/])"                           # 3/4
           r"|\d+(?:\.\d+)?|\.\d+")
_TOKEN = re.compile(
    rf"""[^\S\n]*(?:
        (?P<num>{_NUMBER})(?!\d)(?:(?P<abbr>mln|mn|bln|bn|tln|trn|tn|[kKmMbB])(?![\w])|(?P<spaced>[^\S\n](?:mln|mn|bln|bn|tln|trn|tn|[KMB]|k(?=[^\S\n]*(?:$|\n|[^\w\s]))))(?![\w]))?
      | (?P<word>[A-Za-z]+)(?![\w])
      | (?P<dash>[-‐‑–]))""",
    re.VERBOSE,
)


@dataclass
class Number:
    """A number phrase: where it is, its value and the step it is written to."""

    start: int
    end: int
    value: float
    precision: float
    share: bool
    spelled: bool = False
    scale: float = 1.0      # the scale word or abbreviation it ends with ("5 million": 1e6)
    fraction: bool = False  # a fraction in words or digits standing alone ("two-thirds", "3/4")
    digits: str = ""        # the digits as written, for the single plain-digit token ("2000", "737")


@dataclass
class _Token:
    kind: str  # num, unit, tens, hundred, big, dozen, frac, and, a, of, dash, slashfrac
    start: int
    end: int
    value: float = 0.0
    text: str = ""
    plural: bool = False


def _tokens(text: str, pos: int, end: int, limit: int = 24) -> list[_Token]:
    out: list[_Token] = []
    while len(out) < limit:
        m = _TOKEN.match(text, pos, end)
        if not m:
            break
        if m.group("num"):
            raw = m.group("num")
            abbr = m.group("abbr") or (m.group("spaced") or "").strip()
            kind = "slashfrac" if "/" in raw or raw in VULGAR_FRACTIONS else "num"
            value = _slash_value(raw) if "/" in raw else _digits_value(raw)
            if value is None:
                break
            if abbr:
                kind, value = "abbr", value * ABBREVIATIONS[abbr]
            out.append(_Token(kind, m.start("num"), m.end(), value, raw))
        elif m.group("word"):
            token = _word_token(m.group("word").lower(), m.start("word"), m.end())
            if token is None:
                break
            out.append(token)
        else:
            out.append(_Token("dash", m.start("dash"), m.end()))
        pos = m.end()
    return out


def _word_token(word: str, start: int, end: int) -> _Token | None:
    if word in UNITS:
        return _Token("unit" if UNITS[word] < 10 else "teen", start, end, UNITS[word], word)
    if word in TENS:
        return _Token("tens", start, end, TENS[word], word)
    if word in ("hundred", "hundreds"):
        return _Token("hundred", start, end, 100, word, word.endswith("s"))
    if word in BIG or (word.endswith("s") and word[:-1] in BIG):
        return _Token("big", start, end, BIG[word.rstrip("s")], word, word.endswith("s"))
    if word in ("dozen", "dozens"):
        return _Token("dozen", start, end, 12, word, word.endswith("s"))
    if word in DENOMINATORS:
        return _Token("frac", start, end, DENOMINATORS[word], word, word.endswith("s") and word != "halves"
                      or word == "halves")
    if word in ("and", "a", "an", "of"):
        return _Token({"an": "a"}.get(word, word), start, end, text=word)
    return None


_DECIMAL_COMMA = re.compile(r"\d+,\d{1,2}")
_DIGITS = re.compile(r"\d+")


def _digits_value(raw: str) -> float | None:
    if raw.isdigit():
        return float(raw)
    if raw[-1] in VULGAR_FRACTIONS:
        return float(raw[:-1] or 0) + VULGAR_FRACTIONS[raw[-1]]
    if "," in raw:
        if "." in raw and raw.index(".") < raw.index(","):
            raw = raw.replace(".", "").replace(",", ".")  # 1.234,5
        elif _DECIMAL_COMMA.fullmatch(raw):
            raw = raw.replace(",", ".")  # 1,5
    raw = raw.replace(",", "").replace(" ", "").replace("\u00a0", "").replace("\u202f", "").replace("\u2009", "")
    try:
        return float(raw)
    except ValueError:
        return None


def _slash_value(raw: str) -> float | None:
    top, bottom = (int(x) for x in raw.split("/"))
    return top / bottom if 0 < top < bottom <= 16 else None


class _Reader:
    """The longest number a run of tokens spells, read left to right with the usual place rules.

    `slot` bounds the next plain number: anything at the start (inf), below 100 after "hundred",
    below the scale after "thousand"/"million", a unit word after "twenty", nothing (0) after a
    complete group. `best` is the longest complete reading so far: (tokens used, value, fraction
    only, trailing scale).
    """

    def __init__(self, tokens: list[_Token]):
        self.tokens = tokens
        self.total = 0.0   # closed groups: "two million" of "two million three hundred"
        self.cur = 0.0     # the group being read
        self.have = False
        self.last_big = math.inf
        self.slot = math.inf
        self.last_small: float | None = None  # the last plain number, for "two dozen", "two thirds"
        self.hundred = False  # cur already took a "hundred"
        self.pending_fraction = 0.0  # "one million and a half": a half of the last scale
        self.fraction_only = False
        self.closed = False  # an abbreviated scale or a digit fraction ends the number: "1.2m", "3/4"
        self.scale = 1.0
        self.best: tuple[int, float, bool, float] | None = None
        self.group_start_best: tuple[int, float, bool, float] | None = None

    def value(self) -> float:
        value = self.total + self.cur
        if self.pending_fraction:
            value += self.pending_fraction * self.last_big
        return value

    def read(self) -> tuple[int, float, bool, float] | None:
        toks = self.tokens
        for i, t in enumerate(toks):
            previous = toks[i - 1] if i else None
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if t.kind in ("a", "unit") and previous is not None and previous.kind == "dash" and i > 1 \
                    and toks[i - 2].kind == "and":
                previous = toks[i - 2]
            if t.kind in ("and", "a", "unit") and nxt is not None and nxt.kind == "dash":
                nxt = toks[i + 2] if i + 2 < len(toks) else None  # "seven-and-a-half"
            if t.kind in ("and", "a", "of", "dash"):
                if not self._joiner(t, previous, toks[i + 1] if t.kind == "dash" and i + 1 < len(toks) else nxt, i):
                    break
                continue
            if t.kind == "slashfrac":
                if self.have and not (previous and previous.kind == "num" and self.slot == 0 and not self.total
                                      and not self.hundred and self.cur == int(self.cur)):
                    break
                self.fraction_only = not self.have
                self.cur += t.value
                self.have, self.slot, self.last_small, self.closed = True, -1, None, True
            elif t.kind in ("num", "abbr", "unit", "teen", "tens"):
                if not self._small(t, previous, nxt):
                    break
                if t.kind == "abbr":
                    self.scale = t.value / float(_digits_value(t.text) or 1)
                    self.slot, self.closed = -1, True
            elif t.kind == "hundred":
                if self.hundred and self.have:
                    return self.group_start_best or self.best
                if not self.have or self.fraction_only or self.slot == -1 or self.last_small is None and not self.cur:
                    break
                self.cur *= 100
                self.hundred, self.slot, self.scale, self.last_small = True, 100, 100.0, None
            elif t.kind == "big":
                if not self._big(t):
                    return (self.group_start_best or self.best) if self.have and not t.plural else self.best
            elif t.kind == "dozen":
                if self.fraction_only and previous is not None and previous.kind == "a":
                    self.cur *= 12  # "half a dozen"
                    self.fraction_only = False
                elif self.last_small is None or self.slot == -1:
                    break
                else:
                    self.cur += self.last_small * 11
                self.last_small, self.slot = None, 0
            elif t.kind == "frac":
                if not self._fraction(t, previous if previous is None or previous.kind != "dash" else toks[i - 2], nxt, i):
                    break
            self.best = (i + 1, self.value(), self.fraction_only, self.scale)
        return self.best

    def _joiner(self, t: _Token, previous: _Token | None, nxt: _Token | None, i: int) -> bool:
        if nxt is None:
            return False
        if t.kind == "a":
            if self.fraction_only:
                return nxt.kind in ("big", "dozen")  # "half a million", "half a dozen"
            if nxt.kind not in ("hundred", "big", "dozen", "frac") or (self.have and not (previous and previous.kind == "and")):
                return False
            if nxt.kind == "big" and nxt.plural:
                return False
            self.group_start_best = self.best
            self.cur += 1.0
            self.have, self.last_small, self.slot = True, 1.0, 0
            return True
        if t.kind == "of":
            return self.fraction_only and nxt.kind in ("a", "big")  # "a quarter of a million"
        if t.kind == "dash":  # "twenty-one", "two-thirds", "seven-and-a-half"
            return previous is not None and ((previous.kind == "tens" and nxt.kind == "unit" and nxt.value > 0)
                                             or (previous.kind in ("unit", "a") and nxt.kind == "frac")
                                             or (previous.kind in ("unit", "teen", "tens") and nxt.kind == "and")
                                             or (previous.kind == "and" and nxt.kind in ("a", "unit"))
                                             or (previous.kind == "frac" and nxt.kind == "big" and not nxt.plural)
                                             or (previous.kind == "num" and nxt.kind == "big" and not nxt.plural))
        # "and"
        if not self.have or self.fraction_only or self.pending_fraction:
            return False
        if self._fraction_follows(i + 1):
            self.group_start_best = self.best
            return True
        if self.slot in (0, -1, 10, math.inf) or nxt.kind not in ("num", "unit", "teen", "tens", "a"):
            return False
        self.group_start_best = self.best
        return True

    def _small(self, t: _Token, previous: _Token | None, nxt: _Token | None) -> bool:
        value, digits = t.value, t.kind in ("num", "abbr")
        numerator = (previous is not None and previous.kind == "and" and nxt is not None
                     and (nxt.kind == "frac" or nxt.kind == "dash") and t.kind == "unit")
        if self.pending_fraction or self.fraction_only:
            return False
        if self.have and not numerator:
            if self.slot in (0, -1) or value >= self.slot:
                return False
            if digits and previous is not None and (previous.kind == "and" and self.slot != 100 or previous.kind == "big"
                                                    and not (nxt is not None and nxt.kind == "hundred")):
                return False  # "6 million and 2014" is two numbers; "4 thousand 3 hundred and 21" one
            if self.slot == 10 and (digits or t.kind != "unit" or value == 0):
                return False
            if t.kind == "abbr":
                return False
        self.cur += value
        self.have, self.last_small = True, value
        self.slot = 10 if t.kind == "tens" else 0
        return True

    def _big(self, t: _Token) -> bool:
        if t.plural and self.last_small is None and not self.hundred:
            return False
        if self.closed:
            return False
        if self.cur and t.value < self.last_big and not self.pending_fraction:
            self.total += self.cur * t.value
        elif not self.cur and self.total and t.value > self.last_big and not self.pending_fraction:
            self.total *= t.value  # "three lakh crore"
        elif self.pending_fraction and t.value < self.last_big:
            self.total += self.pending_fraction * t.value  # "one billion and a half million"
            self.pending_fraction = 0.0
        else:
            return False
        self.last_big, self.cur, self.hundred, self.slot, self.scale = t.value, 0.0, False, t.value, t.value
        self.have, self.last_small, self.fraction_only = True, None, False
        self.group_start_best = None
        return True

    def _fraction(self, t: _Token, previous: _Token | None, nxt: _Token | None, i: int) -> bool:
        if previous is not None and previous.kind in ("unit", "a") and self.last_small is not None \
                and self.last_small <= 10 and self.slot != -1:
            numerator = self.last_small
        elif not self.have and (t.text == "half" or t.text == "quarter" and nxt is not None and nxt.kind == "big"):
            numerator = 0.0  # "half a million", "quarter million": no numerator word
        else:
            return False
        if t.plural != (numerator > 1) and not (t.text == "halves" and numerator > 1):
            return False
        fraction = max(numerator, 1.0) / t.value
        before = self.cur - numerator
        after_and = "and" in [k.kind for k in self.tokens[max(0, i - 5):i] if k.kind != "dash"][-2:]
        if after_and and self.total and not before:
            self.cur, self.pending_fraction = 0.0, fraction  # "one million and a half"
        elif after_and and before:
            self.cur = before + fraction  # "two and a half"
        elif not after_and and not before and not self.total:
            self.cur, self.fraction_only = fraction, True
        else:
            return False
        self.have, self.last_small, self.slot = True, None, -1
        return True

    def _fraction_follows(self, i: int) -> bool:
        nxt = [t.kind for t in self.tokens[i:i + 5] if t.kind != "dash"]
        return nxt[:1] == ["frac"] or (len(nxt) > 1 and nxt[0] in ("a", "unit") and nxt[1] == "frac")


def read_phrase(text: str, start: int, end: int | None = None) -> Number | None:
    """The number written from `start` in `text` (normalized), or None."""
    end = len(text) if end is None else end
    tokens = _tokens(text, start, end)
    if not tokens:
        return None
    result = _Reader(tokens).read()
    if result is None:
        return None
    count, value, fraction_only, scale = result
    used = tokens[:count]
    if all(t.kind in ("and", "a", "of", "dash") for t in used):
        return None
    spelled = any(t.kind not in ("num", "abbr", "slashfrac") for t in used if t.kind not in ("and", "dash"))
    digits = used[0].text if len(used) == 1 and used[0].kind == "num" and _DIGITS.fullmatch(used[0].text) else ""
    precision = FRACTION_STEP if fraction_only else step_of(used, value)
    return Number(used[0].start, used[-1].end, value, precision, share=False, spelled=spelled,
                  scale=scale if scale > 1 and used[-1].kind in ("big", "hundred", "abbr") else 1.0,
                  fraction=fraction_only, digits=digits)


def step_of(tokens: list[_Token], value: float) -> float:
    """The rounding step a number is written to: 2,000 to the thousand, 1.5 million to 100,000."""
    if len(tokens) == 1 and tokens[0].kind == "num" and "." in tokens[0].text:
        return 10.0 ** -len(tokens[0].text.rsplit(".", 1)[1])
    if value != int(value):
        scales = [t.value for t in tokens if t.kind in ("big", "hundred")]
        return FRACTION_STEP * max(scales) if scales else 10.0 ** -min(3, len(repr(value).split(".")[1]))
    if value == 0:
        return 1.0
    n, step = int(abs(value)), 1.0
    while n and n % 10 == 0:
        n //= 10
        step *= 10
    return step
