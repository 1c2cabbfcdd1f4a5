"""Time-stamped entries: a live page ("18:40 GMT — Toll rises", "7:50 a.m. HST") or a timeline.

Such a page tells one day in entries written hours apart: a toll of 36 under 8:35 a.m. and one of
55 under 11:40 a.m. are two moments of the day, not an article contradicting itself. Each figure
carries the time of the entry it stands under, and the rules that set an article's figures against
each other compare only those told at one time.

A stamp is a line of its own that starts with a clock time, alone or before a zone, a date or an
entry's title. One such line is no live page ("Published 10:42 GMT" above a wire story): the
article needs two.
"""

from __future__ import annotations

import bisect
import re

from figcheck.dates import MONTH_WORD
from figcheck.regexcache import compiled

_STAMP = compiled(
    r"^[^\S\n]*(?:[-*•▪#]+[^\S\n]*)?"
    r"(?:(?:Posted|Published|Updated|UPDATED)(?:[^\S\n]+at)?[^\S\n]+)?"
    rf"(?:\d{{1,2}}[^\S\n]+{MONTH_WORD}(?:[^\S\n]+\d{{4}})?[^\S\n]*[-–—,|][^\S\n]*)?"  # "13 Oct 2023 - 10:42 GMT"
    r"(?P<hour>[012]?\d)[:.](?P<minute>[0-5]\d)"
    r"(?:[^\S\n]*(?P<half>[apAP])\.?[^\S\n]?[mM]\b\.?)?"
    r"(?:[^\S\n]*\(?(?P<zone>[A-Z]{2,4}T?|GMT[+-]\d{1,2})\)?)?"  # a zone: GMT, BST, ET, HST, (GMT+3)
    r"(?:[^\S\n]+(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)?"  # "4:50 p.m. Thursday"
    r"[^\S\n]*(?P<rest>[-–—|:,][^\n]*)?$",
    re.MULTILINE)
_RANGE = compiled(r"[-–—][^\S\n]*\d")  # "2.25–2.35 million" opens with a range, not a time


def stamps(text: str, body: int) -> list[tuple[int, str]]:
    """(where the entry starts, its time as HH:MM) for each time-stamped entry of the body, or none
    when the article is not told in entries."""
    found: list[tuple[int, str]] = []
    for match in _STAMP.finditer(text, body):
        if match["half"] is None and match["zone"] is None and match["rest"] and _RANGE.match(match["rest"]):
            continue
        hour, minute, half = int(match["hour"]), match["minute"], match["half"]
        if half is not None:
            if not 1 <= hour <= 12:
                continue
            hour = hour % 12 + (12 if half.lower() == "p" else 0)
        if hour > 23:
            continue
        found.append((match.start(), f"{hour:02d}:{minute}"))
    return found if len(found) >= 2 else []


def entry_at(entries: list[tuple[int, str]], starts: list[int], at: int) -> str | None:
    """The time of the entry a position stands under; None above the first (the page's summary)."""
    k = bisect.bisect_right(starts, at) - 1
    return entries[k][1] if k >= 0 else None
