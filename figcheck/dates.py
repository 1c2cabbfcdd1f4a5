"""Dates as news text writes them: datelines, ISO dates, and weekdays relative to publication."""

from __future__ import annotations

import datetime as dt
import re

from figcheck.regexcache import compiled

MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
MONTH_WORD = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
              r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAY_WORD = r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?"

_ISO = compiled(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DMY = compiled(rf"\b(\d{{1,2}})\s+({MONTH_WORD})\s+(\d{{4}})\b", re.IGNORECASE)
_MDY = compiled(rf"\b({MONTH_WORD})\s+(\d{{1,2}}),?\s+(\d{{4}})\b", re.IGNORECASE)


def _month(word: str) -> int:
    return MONTHS[word[:3].lower()]


def parse_date(text: str) -> dt.date | None:
    """The first calendar date written in text, in ISO, day-month-year or month-day-year form."""
    found: list[tuple[int, dt.date]] = []
    for pattern, order in ((_ISO, "ymd"), (_DMY, "dmy"), (_MDY, "mdy")):
        match = pattern.search(text)
        if not match:
            continue
        a, b, c = match.groups()
        try:
            if order == "ymd":
                date = dt.date(int(a), int(b), int(c))
            elif order == "dmy":
                date = dt.date(int(c), _month(b), int(a))
            else:
                date = dt.date(int(c), _month(a), int(b))
        except ValueError:
            continue
        found.append((match.start(), date))
    return min(found)[1] if found else None


_DATELINE = compiled(
    rf"^\s*(?:[A-Z][A-Z .'/-]+,\s*)?(?:{WEEKDAY_WORD}\s+)?(?:\d{{1,2}}\s+{MONTH_WORD}\s+\d{{4}}|{MONTH_WORD}\s+\d{{1,2}},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})",
    re.IGNORECASE,
)


def dateline(text: str, max_lines: int = 8) -> dt.date | None:
    """A date that opens one of the first lines: "Fri 19 Apr 2024 6:22 pm", "WASHINGTON, March 28, 2024 —"."""
    seen = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        seen += 1
        if seen > max_lines:
            break
        if _DATELINE.match(line):
            return parse_date(line[:80])
    return None


def weekday_before(published: dt.date, weekday: str, strictly: bool = False) -> dt.date:
    """The latest date on or before `published` (strictly before with `strictly`) falling on weekday."""
    target = WEEKDAYS.index(weekday.lower())
    back = (published.weekday() - target) % 7
    if back == 0 and strictly:
        back = 7
    return published - dt.timedelta(days=back)
