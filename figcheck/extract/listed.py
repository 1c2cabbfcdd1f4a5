"""What a list's first number is, written once for the rest: "three men, aged 19, 22 and 35" are all ages;
"Class 10 and 12 board exams", "between junctions 14 and 15" all codes.

Used by figcheck/extract/reading.py on its readings, in text order, after ranges and shares are joined.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from figcheck.regexcache import compiled

if TYPE_CHECKING:
    from figcheck.extract.reading import Reading

_LIST_GAP = compiled(r"[^\S\n]*(?:,[^\S\n]*(?:and[^\S\n]+)?|[^\S\n]+and[^\S\n]+)", re.IGNORECASE)
# "aged 34, 12 others": a plural noun after the next number makes it a count of its own
_PLURAL_AFTER = compiled(r"[^\S\n]+(?:[a-z]{2,}s|children|people|men|women|staff|police)\b")


def carry(norm: str, items: list[Reading]) -> None:
    """Mark each bare number listed after an age or a code as one too ("Class 10 and 12", "Articles 14, 19 and 21")."""
    for prev, item in zip(items, items[1:]):
        if prev.rejected not in ("age", "code") or item.rejected is not None or not item.number.digits or item.share \
                or item.parts or not _LIST_GAP.fullmatch(norm, prev.end, item.start) or _PLURAL_AFTER.match(norm, item.end):
            continue
        value = int(item.number.digits)
        if prev.rejected == "age" and value <= 120 \
                or prev.rejected == "code" and prev.number.digits and value < 10 * int(prev.number.digits) + 10:
            item.rejected = prev.rejected
