"""Reading one number phrase: digits in any grouping, scale words and abbreviations, number words,
fractions, dozens, lakh and crore.

Where a number may start, and the tokens it is read from, is figcheck/extract/number_tokens.py;
`read_phrase` reads the longest number written there ("two and a half million", "4 thousand 3
hundred and 21", "a quarter of a million", "12,34,567") or returns None. Which phrases are
counts, ranges or shares, and which words qualify them, is decided around the phrase in
figcheck/extract/reading.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from figcheck.extract.number_tokens import FRACTION_STEP, Token, digits_value, tokens
from figcheck.regexcache import compiled

_DIGITS = compiled(r"\d+")


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


class _Reader:
    """The longest number a run of tokens spells, read left to right with the usual place rules.

    `slot` bounds the next plain number: anything at the start (inf), below 100 after "hundred",
    below the scale after "thousand"/"million", a unit word after "twenty", nothing (0) after a
    complete group. `best` is the longest complete reading so far: (tokens used, value, fraction
    only, trailing scale).
    """

    def __init__(self, tokens: list[Token]):
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
                    self.scale = t.value / float(digits_value(t.text) or 1)
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

    def _joiner(self, t: Token, previous: Token | None, nxt: Token | None, i: int) -> bool:
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

    def _small(self, t: Token, previous: Token | None, nxt: Token | None) -> bool:
        value, digits = t.value, t.kind in ("num", "abbr")
        numerator = (previous is not None and previous.kind == "and" and nxt is not None
                     and (nxt.kind == "frac" or nxt.kind == "dash") and t.kind == "unit")
        if self.pending_fraction or self.fraction_only:
            return False
        if self.have and not numerator:
            if self.slot in (0, -1) or value >= self.slot:
                return False
            smaller_scale_next = nxt is not None and (nxt.kind == "hundred" or nxt.kind == "big" and not nxt.plural
                                                      and nxt.value < self.last_big)
            # "35 thousand 418", as translated news writes 35,418: the digits under a thousand finish the number
            thousands_rest = previous is not None and previous.kind == "big" and previous.value == 1000 \
                and t.kind == "num" and t.text.isdigit() and len(t.text) <= 3
            if digits and previous is not None and (previous.kind == "and" and self.slot != 100 or previous.kind == "big"
                                                    and not smaller_scale_next and not thousands_rest):
                # "6 million and 2014" is two numbers; "4 thousand 3 hundred and 21", "1 lakh 20 thousand" one
                return False
            if self.slot == 10 and (digits or t.kind != "unit" or value == 0):
                return False
            if t.kind == "abbr":
                return False
        self.cur += value
        self.have, self.last_small = True, value
        self.slot = 10 if t.kind == "tens" else 0
        return True

    def _big(self, t: Token) -> bool:
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

    def _fraction(self, t: Token, previous: Token | None, nxt: Token | None, i: int) -> bool:
        if previous is not None and previous.kind in ("unit", "a") and self.last_small is not None \
                and self.last_small <= 10 and self.slot != -1:
            numerator = self.last_small
        elif not self.have and (t.text == "half" or t.text == "quarter" and nxt is not None and nxt.kind == "big"):
            numerator = 0.0  # "half a million", "quarter million": no numerator word
        else:
            return False
        if t.plural != (numerator > 1) and not (t.text == "halves" and numerator > 1):
            return False
        if numerator >= t.value > 2:
            return False  # "the lowest in seven quarters": periods; no share is written as more than a whole
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
    found = tokens(text, start, end)
    if not found:
        return None
    result = _Reader(found).read()
    if result is None:
        return None
    count, value, fraction_only, scale = result
    used = found[:count]
    if all(t.kind in ("and", "a", "of", "dash") for t in used):
        return None
    spelled = any(t.kind not in ("num", "abbr", "slashfrac") for t in used if t.kind not in ("and", "dash"))
    digits = used[0].text if len(used) == 1 and used[0].kind == "num" and _DIGITS.fullmatch(used[0].text) else ""
    precision = FRACTION_STEP if fraction_only else step_of(used, value)
    return Number(used[0].start, used[-1].end, value, precision, share=False, spelled=spelled,
                  scale=scale if scale > 1 and used[-1].kind in ("big", "hundred", "abbr") else 1.0,
                  fraction=fraction_only, digits=digits)


def step_of(tokens: list[Token], value: float) -> float:
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
