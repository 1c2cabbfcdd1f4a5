"""A unit or scale written once for two numbers: "fell from 71 to 64 per cent", "dropped from 7 to 5
million", "58.3 per cent, up from 52.9". The bare number takes the other's, where the two are alike.

Used by figcheck/extract/reading.py on neighbouring readings it does not join into a range.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from figcheck.regexcache import compiled

if TYPE_CHECKING:
    from figcheck.extract.reading import Reading

_UP_DOWN_FROM = compiled(r",?[^\S\n]*(?:up|down)[^\S\n]+from[^\S\n]+", re.IGNORECASE)
_COMPARED_WITH = compiled(r",?[^\S\n]*(?:compared[^\S\n]+(?:with|to)|against|versus|vs\.?)[^\S\n]+", re.IGNORECASE)
# "3.4% in May, compared with 4.2": the period of the first number may stand between the two.
_PERIOD_THEN = compiled(r"[^\S\n]+(?:in|on|during|for|over|last|this)[^\S\n]+(?:the[^\S\n]+)?[A-Za-z]+"
                       r"(?:[^\S\n]+[A-Za-z]+)?(?=,?[^\S\n]*(?:compared|against|versus|vs\b|from\b|and\b|(?:up|down)[^\S\n]+from))",
                       re.IGNORECASE)
_COMMA_FROM = compiled(r",[^\S\n]*from[^\S\n]+", re.IGNORECASE)
_AND = compiled(r",?[^\S\n]*and[^\S\n]+", re.IGNORECASE)
# "4.6% last month and 4.2 a year earlier": the earlier level of the same rate.
_EARLIER = compiled(r"[^\S\n]+(?:(?:a|one|the)[^\S\n]+(?:year|month|week|quarter|decade)[^\S\n]+(?:earlier|ago|before)|"
                   r"(?:in[^\S\n]+)?the[^\S\n]+(?:previous|prior|preceding)[^\S\n]+(?:year|month|week|quarter))\b",
                   re.IGNORECASE)
_FROM = compiled(r"[^\S\n]+from[^\S\n]+", re.IGNORECASE)
_TO_BEFORE = compiled(r"(?<![\w])to[^\S\n]+$", re.IGNORECASE)
_COUNTED_AFTER = compiled(r"[^\S\n]+(?!(?:years|months|weeks|days|quarters|times)\b)[a-z]{3,}(?<!s)s\b")


def take_unit(a: Reading, b: Reading, scale: bool = True) -> bool:
    """`a` takes `b`'s percent sign, or (if `scale`) its scale word; whether it did."""
    return _share_unit_of(a, b) or scale and _scale_of(a, b)


def compared(norm: str, a: Reading, b: Reading, floor: int) -> None:
    """A new level and the one it is compared with share a unit and scale written once: "rose to 4.6 per
    cent from 4.1", "67.4 per cent, up from 61.2", "2 million, compared with 1.5", "5.1, down from 5.4
    percent"; "to 40% from 12 countries" counts something else."""
    if b.start - a.end > 50:
        return  # the longest join is ", compared with " after a period of two words
    period = _PERIOD_THEN.match(norm, a.end, b.start)
    gap = norm[period.end() if period else a.end:b.start]
    if len(gap) > 20 or _COUNTED_AFTER.match(norm, b.end):
        return
    if _UP_DOWN_FROM.fullmatch(gap) or _COMPARED_WITH.fullmatch(gap) or (a.share and _COMMA_FROM.fullmatch(gap)) or (
            period and _AND.fullmatch(gap) and _EARLIER.match(norm, b.end)) or (
            _FROM.fullmatch(gap) and _TO_BEFORE.search(norm, max(floor, a.start - 4), a.start)):
        take_unit(b, a)
    if _UP_DOWN_FROM.fullmatch(gap):
        take_unit(a, b)


def _share_unit_of(a: Reading, b: Reading) -> bool:
    """"fell from 71 to 64 per cent": the first number is a percentage too."""
    if not (b.share and b.number.value and not b.number.fraction and not a.share and not a.rejected and not b.rejected
            and a.number.scale == 1 and not a.number.spelled and 0 < a.number.value <= 100):
        return False
    a.number = replace(a.number, value=a.number.value / 100, precision=a.number.precision / 100, share=True)
    a.value, a.share = a.number.value, True
    return True


def _scale_of(a: Reading, b: Reading) -> bool:
    """"fell from 7 to 5 million": the first number takes the scale word, when the two are alike in size
    ("grew from 500 to 2 million" keeps its 500)."""
    scale = b.number.scale
    if a.number.scale > 1 or scale == 1 or a.share or b.share or a.rejected or b.rejected:
        return False
    coefficient = b.number.value / scale
    if not (coefficient / 10 < a.number.value < coefficient * 10 and a.number.value < scale):
        return False
    a.number = replace(a.number, value=a.number.value * scale, precision=a.number.precision * scale, scale=scale)
    a.value = a.number.value
    return True
