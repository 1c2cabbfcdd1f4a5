"""Section headings that name a place: "WEST BANK", "Gaza Strip:", "Syria" on a line of their own.

Situation reports and live pages put their figures under such headings, and the sentences below
them often name no place ("Since 7 October, 110 Palestinians have been killed ..."). A figure that
names none speaks for the heading's place, up to the next heading of any kind. The article's first
line is its headline, and a place's name above the first paragraph its dateline: neither is a section's.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from figcheck.regexcache import compiled

# A line of its own, short, with no figure and no sentence's end: a heading, or furniture that ends one
_LINE = compiled(r"[^\n]+")
_TRIM = " \t:•▪*#-—–|"
_MOST_CHARS = 40


@dataclass(frozen=True)
class Sections:
    starts: list[int]                           # where each heading stands, in text order
    places: list[dict[int, frozenset[str]]]     # the place each heading names, by id of its Places

    def defaults(self, at: int, article: dict[int, frozenset[str] | None]) -> dict[int, frozenset[str] | None]:
        """The default places for a sentence starting at `at`: the heading's above it, else the article's."""
        k = bisect.bisect_right(self.starts, at) - 1
        return article if k < 0 or not self.places[k] else {**article, **self.places[k]}


def sections(text: str, body: int, places: list) -> Sections:
    """The headings of the article body below its first paragraph, and the place each names alone."""
    starts: list[int] = []
    named: list[dict[int, frozenset[str]]] = []
    prose = False
    for line in _LINE.finditer(text, body):
        words = line.group().strip(_TRIM)
        if not words or len(words) > _MOST_CHARS or words[-1] in ".!?,;\"”’" or any(c.isdigit() for c in words):
            prose = prose or words[-1:] in (".", "!", "?", "\"", "”")
            continue
        if not prose:
            continue  # the headline, or "KAHRAMANMARAŞ" above the first paragraph: a dateline
        starts.append(line.start())
        named.append({id(p): p.cover(m) for p in places if (m := p.pattern.fullmatch(words))})
    return Sections(starts, named)
