"""What a list's first number is, written once for the rest: "three men, aged 19, 22 and 35" are all ages.

Used by figcheck/extract/reading.py on its readings, in text order, after ranges and shares are joined.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from figcheck.extract.reading import Reading

_LIST_GAP = re.compile(r"[^\S\n]*(?:,[^\S\n]*(?:and[^\S\n]+)?|[^\S\n]+and[^\S\n]+)", re.IGNORECASE)
# "aged 34, 12 others": a plural noun after the next number makes it a count of its own
_PLURAL_AFTER = re.compile(r"[^\S\n]+(?:[a-z]{2,}s|children|people|men|women|staff|police)\b")


def carry(norm: str, items: list[Reading]) -> None:
    """Mark each bare number listed after an age as an age too."""
    for prev, item in zip(items, items[1:]):
        if prev.rejected == "age" and item.rejected is None and item.number.digits and not item.share \
                and not item.parts and int(item.number.digits) <= 120 \
                and _LIST_GAP.fullmatch(norm, prev.end, item.start) and not _PLURAL_AFTER.match(norm, item.end):
            item.rejected = "age"
