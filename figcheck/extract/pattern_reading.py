"""What the prefilters read off each pattern (prefilter.py: the literal strings a match starts
with; required.py: the words every match holds), kept with the loaded packs between runs.

Reading them parses each pattern again with Python's own regular-expression parser: some 60 ms of
CPU in every `check` of a draft, more than extracting it. What is read depends only on the
pattern's text and flags, so when the pack cache (figcheck/packcache.py) is written, the patterns
are read once (the packs' for prefilter.py, which only they go through; the extraction modules'
for required.py), some 0.2 s, and the cache keeps the results with the packs: its key already
holds figcheck's sources, the packs and the Python version.
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Iterable

from figcheck.extract import prefilter, required

Read = tuple[dict, dict]  # (prefilter's literal starts, required's words), by pattern text and flags


def read_all(pack_patterns: Iterable[re.Pattern[str]]) -> Read:
    """Read the packs' patterns and the extraction modules'; what is known of every pattern."""
    for pattern in pack_patterns:
        prefilter.starts_of(pattern)
    for pattern in _module_patterns():
        required.words_of(pattern)
    return prefilter.known(), required.known()


def restore(read: Read) -> None:
    """Take what read_all found in an earlier run."""
    prefilter.learn(read[0])
    required.learn(read[1])


def _module_patterns() -> list[re.Pattern[str]]:
    importlib.import_module("figcheck.extract.extractor")  # and so every module extraction uses
    modules = [m for name, m in list(sys.modules.items()) if name.startswith("figcheck.extract.") and m is not None]
    return [value for module in modules for value in vars(module).values() if isinstance(value, re.Pattern)]
