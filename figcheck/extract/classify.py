"""Which tracked metric a figure counts, decided by the words of the pack's metrics around it.

Each metric that admits the figure gets a distance: how far its nearest cue stands from the
figure (0 for an anchored pattern such as "Gaza's {n}"), plus a quarter of the distance to its
nearest context word. Nearest wins; `priority` breaks ties. A metric is out when one of its
`exclude` patterns touches the figure's clause, or its `range` does not hold the value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from figcheck.extract.numbers import Number
from figcheck.extract.text import Sentence
from figcheck.pack import Metric

CONTEXT_WEIGHT = 0.25
ANCHOR_REACH = 150


def _distance(match: re.Match[str], start: int, end: int) -> int:
    if match.end() <= start:
        return start - match.end()
    if match.start() >= end:
        return match.start() - end
    return 0


def _nearest(patterns: Iterable[re.Pattern[str]], text: str, lo: int, hi: int, start: int, end: int) -> int | None:
    best = None
    for pattern in patterns:
        for match in pattern.finditer(text, lo, hi):
            d = _distance(match, start, end)
            if best is None or d < best:
                best = d
    return best


# "In the occupied West Bank, more than 390 ...": an opening phrase scopes the whole sentence.
_OPENER = re.compile(r"\s*(?:In|Across|Throughout|Elsewhere in|Meanwhile,? in|Inside|Outside)\s[^,;:]{1,60},")


def _excluded(text: str, sentence: Sentence, clause: tuple[int, int], metric: Metric) -> bool:
    opener = _OPENER.match(text, sentence.start, sentence.end)
    spans = [clause] + ([(sentence.start, opener.end())] if opener else [])
    return any(m.start() < hi and m.end() > lo
               for pattern in metric.exclude for m in pattern.finditer(text, sentence.start, sentence.end)
               for lo, hi in spans)


def admits(metric: Metric, number: Number) -> bool:
    spec = metric.spec
    if number.share:
        if spec.unit != "share" and not spec.share_of:
            return False
        return spec.unit != "share" or not spec.range or spec.range[0] <= number.value <= spec.range[1]
    if spec.unit != "count":
        return False
    return not spec.range or spec.range[0] <= number.value <= spec.range[1]


def classify(text: str, sentence: Sentence, previous: Sentence | None, start: int, end: int, number: Number,
             clause: tuple[int, int], metrics: Iterable[Metric]) -> Metric | None:
    """The metric the figure text[start:end] counts, or None when no metric claims it."""
    best: tuple[float, int, Metric] | None = None
    for metric in metrics:
        if not admits(metric, number):
            continue
        cue = None
        if any(left.search(text, max(sentence.start, start - ANCHOR_REACH), start)
               and right.match(text, end, min(sentence.end, end + ANCHOR_REACH)) for left, right in metric.anchored):
            cue = 0
        if cue is None:
            reach = metric.spec.cue_window
            cue = _nearest(metric.cues, text, max(sentence.start, start - reach), min(sentence.end, end + reach), start, end)
        if cue is None:
            continue
        if _excluded(text, sentence, clause, metric):
            continue
        context = 0
        if metric.context:
            context = _nearest(metric.context, text, sentence.start, sentence.end, start, end)
            if context is None and previous is not None:
                context = _nearest(metric.context, text, previous.start, previous.end, start, end)
            if context is None:
                continue
        score = cue + CONTEXT_WEIGHT * context
        if best is None or (score, -metric.spec.priority) < (best[0], -best[1]):
            best = (score, metric.spec.priority, metric)
    return best[2] if best else None
