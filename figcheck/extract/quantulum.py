"""The one job figcheck gives quantulum3: reading compound spelled-out numbers.

It is handed just the candidate words ("two hundred and fifty thousand"), never a whole
article: over whole articles it is slow and invents units (see ../shared/notes/quantulum3.md).
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
