"""Number words the phrase reader reads apart but that make one number: "three million, two hundred
& forty" (a count, read by quantulum3), and "nineteen eighty-four" or "twenty twenty-two" (a year).

Used by figcheck/extract/reading.py on its readings, in text order, before ranges and shares are joined.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from figcheck.regexcache import compiled

if TYPE_CHECKING:
    from figcheck.extract.reading import Reading

_SPELLED_GAP = compiled(r"[^\S\n]*[,&][^\S\n]*")
_CENTURY_WORD = compiled(r"[A-Za-z]+")


def join(norm: str, items: list[Reading]) -> list[Reading]:
    """The readings with each run that makes one number taken as one."""
    out: list[Reading] = []
    for item in items:
        prev = out[-1] if out else None
        if prev is not None and _year_in_words(norm, prev, item):
            out[-1] = replace(prev, end=item.end, number=replace(item.number, start=prev.start),
                              value=prev.value * 100 + item.value, rejected="year")
            continue
        if prev is not None and _one_count(norm, prev, item):
            from figcheck.extract.quantulum import parse_spelled

            value = parse_spelled(norm[prev.start:item.end])
            if value is not None and value == prev.value + item.value:
                out[-1] = replace(prev, end=item.end, number=replace(item.number, start=prev.start), value=value)
                continue
        out.append(item)
    return out


def _one_count(norm: str, prev: Reading, item: Reading) -> bool:
    """"three million, two hundred & forty": spelled parts that step down in place value."""
    return (prev.number.spelled and item.number.spelled and not prev.number.digits
            and not item.number.digits and prev.number.scale > 1 and item.value < prev.number.scale
            and not (prev.rejected or item.rejected or prev.share or item.share or prev.vague or item.vague)
            and _SPELLED_GAP.fullmatch(norm, prev.end, item.start) is not None
            and ("&" in norm[prev.end:item.start] or item.number.scale > 1))


def _year_in_words(norm: str, prev: Reading, item: Reading) -> bool:
    """"Nineteen eighty-four", "twenty twenty-two": a century word then the year in it, one space apart;
    no count is written as two such words side by side ("ten fifteen" is a time, left alone)."""
    return (11 <= prev.value <= 20 and prev.number.scale == 1 and not prev.number.digits and prev.number.spelled
            and _CENTURY_WORD.fullmatch(norm, prev.start, prev.end) is not None
            and norm[prev.end:item.start] == " " and item.number.spelled and not item.number.digits
            and item.number.scale == 1 and 10 <= item.value <= 99 and item.value == int(item.value)
            and not (prev.rejected or item.rejected or prev.share or item.share or prev.vague or item.vague))
