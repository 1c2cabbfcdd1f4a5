"""The one job figcheck gives quantulum3: reading runs of spelled-out numbers that figcheck's own
phrase reader keeps apart ("three million, two hundred & forty").

It is handed just those words, never a whole article: over whole articles it is slow and invents units (see ../shared/notes/quantulum3.md).
Imported on first use, so start-up and runs without such numbers never pay for it.
"""

from __future__ import annotations

import functools
import warnings


@functools.lru_cache(maxsize=4096)
def parse_spelled(words: str) -> float | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # it warns that its optional classifier is missing
        from quantulum3 import parser

        quantities = parser.parse(words)
    if len(quantities) != 1:
        return None
    quantity = quantities[0]
    start, end = quantity.span
    covered = words[start:end].strip().lower()
    if covered != words.strip().lower() or quantity.value <= 0:
        return None
    return float(quantity.value)
