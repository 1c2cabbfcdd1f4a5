"""Places named in a list with the figures they speak for: "Turkey and Syria ... 29,605 and 1,414
respectively", "including 12 in Sanliurfa and two in Adiyaman", and names written next to each other
("Turkey and Syria", "Turkey, Syria") that speak for one figure together."""

from __future__ import annotations

import re

from figcheck.regexcache import compiled

Span = tuple[int, int]
_PARTS_INTRO = compiled(r"\b(?:including|among\s+(?:them|whom|those)|of\s+(?:whom|them|those))\b", re.IGNORECASE)
_JOINED = compiled(r"^\s*(?:,\s*(?:and\s+)?|(?:and|&|/|-|–|as\s+well\s+as|and\s+(?:neighbou?ring|northern|north-?western|"
                   r"southern))\s*)(?:in\s+)?(?:the\s+)?$", re.IGNORECASE)
_RESPECTIVELY = compiled(r"\brespectively\b", re.IGNORECASE)


def parts_with_places(text: str, mentions: list, end: int, others: list[Span]) -> int | None:
    """Where the parts listed after the figure begin, when each names a place of its own before the
    next ("including 12 in Sanliurfa and two in Adiyaman"), not when one place follows them all
    ("including 12 children, in Sanliurfa")."""
    parts = sorted(o for o in others if o[0] >= end)
    if len(parts) < 2 or not _PARTS_INTRO.search(text, end, parts[0][0]):
        return None
    own_place = lambda lo, hi: any(lo <= f[0] and f[1] <= hi for f in mentions)
    if all(own_place(a[1], b[0]) for a, b in zip(parts, parts[1:])):
        return parts[0][0]
    return None


def joined(text: str, found: list, start: int, end: int, nearest_mention=None) -> frozenset[str]:
    """The nearest mention's places, with those of the mentions joined to it by "and", "-", ","."""
    nearest = found.index(nearest_mention) if nearest_mention is not None else \
        min(range(len(found)), key=lambda k: distance(found[k], start, end))
    chosen = set(found[nearest][2])
    for step in (-1, 1):
        k = nearest
        while 0 <= k + step < len(found):
            a, b = (found[k], found[k + step]) if step == 1 else (found[k + step], found[k])
            gap = text[a[1]:b[0]]  # a comma joins names, not "Syria, the combined toll": a toll's words
            if not _JOINED.match(gap) or gap.strip(" ,").lower() in ("", "the") and "," in gap and not text[b[0]].isupper():
                break
            chosen |= found[k + step][2]
            k += step
    return frozenset(chosen)


def respectively(text: str, mentions: list, sentence: Span, start: int, end: int,
                  others: list[Span]) -> frozenset[str] | None:
    """ "deaths in Turkey and Syria rose to 29,605 and 1,414 respectively": the k-th figure of the
    list speaks for the k-th place of the list before it."""
    after = _RESPECTIVELY.search(text, end, sentence[1])
    if after is None:
        return None
    listed = sorted([(start, end)] + [o for o in others if o[1] <= after.start()])
    run = [listed[-1]]
    for span in reversed(listed[:-1]):  # the numbers joined by "and" or commas just before "respectively"
        if not re.fullmatch(r"[\s,]*(?:and\s+)?(?:\w+\s+){0,2}?", text[span[1]:run[0][0]]):
            break
        run.insert(0, span)
    if (start, end) not in run or len(run) < 2:
        return None
    chain: list = []
    for mention in reversed([m for m in mentions if m[1] <= run[0][0]]):
        if chain and not _JOINED.match(text[mention[1]:chain[0][0]]) and not re.fullmatch(r"\s*,\s*", text[mention[1]:chain[0][0]]):
            break
        chain.insert(0, mention)
    if len(chain) != len(run):
        return None
    return chain[run.index((start, end))][2]


def distance(mention: tuple, start: int, end: int) -> int:
    lo, hi, _ = mention
    return start - hi if hi <= start else lo - end if lo >= end else 0
