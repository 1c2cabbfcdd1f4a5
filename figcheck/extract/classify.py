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
# "In the occupied West Bank, more than 390 ...": an opening phrase scopes the whole sentence.
_OPENER = re.compile(r"\s*(?:In|Across|Throughout|Elsewhere in|Meanwhile,? in|Inside|Outside)\s[^,;:]{1,60},")
Span = tuple[int, int]


class SentenceMatches:
    """Where each metric's cues, context and exclusions match in one sentence, found once per sentence."""

    def __init__(self, text: str, sentence: Sentence, previous: Sentence | None):
        self.text, self.sentence, self.previous = text, sentence, previous
        self._cache: dict[tuple[str, str], list[Span]] = {}
        opener = _OPENER.match(text, sentence.start, sentence.end)
        self.opener: Span | None = (sentence.start, opener.end()) if opener else None

    def spans(self, metric: Metric, kind: str) -> list[Span]:
        key = (metric.id, kind)
        if key not in self._cache:
            pattern = getattr(metric, kind)
            found: list[Span] = []
            if pattern is not None:
                found = [m.span() for m in pattern.finditer(self.text, self.sentence.start, self.sentence.end)]
                if kind == "context" and not found and self.previous is not None:
                    found = [m.span() for m in pattern.finditer(self.text, self.previous.start, self.previous.end)]
            self._cache[key] = found
        return self._cache[key]


def _nearest(spans: list[Span], start: int, end: int, reach: int | None = None) -> int | None:
    best = None
    for lo, hi in spans:
        d = start - hi if hi <= start else lo - end if lo >= end else 0
        if (reach is None or d <= reach) and (best is None or d < best):
            best = d
    return best


def _excluded(matches: SentenceMatches, clause: Span, metric: Metric) -> bool:
    scopes = [clause] + ([matches.opener] if matches.opener else [])
    return any(lo < s_hi and hi > s_lo for lo, hi in matches.spans(metric, "exclude") for s_lo, s_hi in scopes)


def admits(metric: Metric, number: Number) -> bool:
    spec = metric.spec
    if number.share:
        if spec.unit != "share" and not spec.share_of:
            return False
        return spec.unit != "share" or not spec.range or spec.range[0] <= number.value <= spec.range[1]
    if spec.unit != "count":
        return False
    return not spec.range or spec.range[0] <= number.value <= spec.range[1]


def classify(matches: SentenceMatches, start: int, end: int, number: Number, clause: Span,
             metrics: Iterable[Metric]) -> Metric | None:
    """The metric the figure text[start:end] counts, or None when no metric claims it."""
    text, sentence = matches.text, matches.sentence
    best: tuple[float, int, Metric] | None = None
    for metric in metrics:
        if not admits(metric, number):
            continue
        cue = None
        if any(left.search(text, max(sentence.start, start - ANCHOR_REACH), start)
               and right.match(text, end, min(sentence.end, end + ANCHOR_REACH)) for left, right in metric.anchored):
            cue = 0
        if cue is None:
            cue = _nearest(matches.spans(metric, "cues"), start, end, metric.spec.cue_window)
        if cue is None or _excluded(matches, clause, metric):
            continue
        context = 0
        if metric.context is not None:
            context = _nearest(matches.spans(metric, "context"), start, end)
            if context is None:
                continue
        score = cue + CONTEXT_WEIGHT * context
        if best is None or (score, -metric.spec.priority) < (best[0], -best[1]):
            best = (score, metric.spec.priority, metric)
    return best[2] if best else None
