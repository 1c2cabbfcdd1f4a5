"""Where each metric's cues, context and exclusions match in one sentence, with what the sentence's
opening says of its figures (an opening phrase, a dateline, a subject standing for the previous
sentence's figure), found once per sentence for all its figures (figcheck.extract.classify)."""

from __future__ import annotations

import re

from figcheck.extract import prefilter
from figcheck.extract.places import ARTICLE, ELSEWHERE, THERE, mentions_of, with_antecedents
from figcheck.extract.text import PARAGRAPH_BREAK, Sentence
from figcheck.pack import Metric
from figcheck.regexcache import compiled

Span = tuple[int, int]

# "In the occupied West Bank, more than 390 ...": an opening phrase scopes the whole sentence.
# "LAHAINA, Hawaii (AP) — ": a wire dateline before the sentence's subject
# "Antakya (Turkey), Feb 12 (EFE).- ", and its dash left when the sentence was split at "(EFE)."
_DATELINE = compiled(r"\s*(?:[A-Z][A-Z'.\- ]{2,}(?:,\s*[A-Z][\w.' ]{1,30})?\s*(?:\([^)]{1,30}\))?\s*(?:—|–|--?)"
                     r"|[A-Z][\w'’. -]{2,30}(?:\([^)]{1,30}\))?,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}\s*\([^)]{1,30}\)\s*\.?\s*[-–—]+"
                     r"|[-–—](?=\s+[A-Z]))\s*")
_OPENER = compiled(r"\s*(?:In|Across|Throughout|During|Elsewhere in|Meanwhile,? in|Inside|Outside|On the|Since)\s[^,;:]{1,60},")
# "The new figure, which is certain to rise, included ...", "That number includes ...", "Of these,
# 4,267 were ...", "Another six are Thais": the subject stands for the previous sentence's figure
# ("A day earlier the figure had been 3,000", "Before that, the number was 912": the figure's earlier value)
_ANAPHOR = compiled(r"(?:(?:The|That|This|(?:(?:(?:A|One)\s+day|Hours|Days|A\s+week)\s+(?:earlier|before)|"
                    r"Earlier(?:\s+in\s+the\s+day|\s+that\s+day)?|Before\s+(?:that|then)|Previously|Initially),?\s+(?:the|that|this))\s+"
                    r"(?:(?:new|latest|revised|updated|overall|total|final|official)\s+)?"
                    r"(?:figure|number|tally|count|total)\b(?!\s+(?:of|number|figure|count|tally|toll)\b)|"
                    r"Of\s+(?:these|those|them)(?=\s*,)|"
                      # "Hatay has the most deaths, 6,239. It is followed by Kahramanmaras with 4,977, ...": its siblings
                    r"(?P<sibling>(?:(?:It|This|That|They)\s+(?:is|was|are|were)\s+(?:closely\s+)?)?[Ff]ollowed\s+by\b)|"
                    r"(?P<breakdown>(?:(?:Another|A\s+further|The\s+other|The\s+remaining)\s+)?(?=[\w.,-]+\s+(?:are|were|is|was)\s+[^\W\d])))"
                    r"(?![^.;]*?\b(?:not|n't|excludes?|excluding|except)\b)")
# "He said ...", "Its missing list ...": a sentence that goes on with the one before's speaker or subject
_FROM = compiled(r"\bfrom\s+(?:the\s+)?$", re.IGNORECASE)
_PRONOUN_SUBJECT = compiled(r"\s*(?:(?:He|She|It|They)\s+(?:also\s+)?(?:said|says|added|adds|told)\b|(?:Its|Their)\s)")
# ", or 85% of the population,", ", half of Gaza's population,": an aside that sets the figure against a whole
# (other fractions, "a quarter of", are numbers of their own, past which a cue is another's)
# (the closing comma is looked ahead to, not taken: it may open the next aside, "In Gaza, about 1.9
# million people, or 85% of the population, ...")
_APPOSITION = compiled(r",\s*(?:or|almost|nearly|roughly|about|around|some|more\s+than|less\s+than|half)\s[^,;:]{1,80}(?=,)")


def _part_of_place(metric: Metric, whole: Metric) -> bool:
    """The metric counts a place that is a part of the whole's: fewer places, or places `within` it ("In
    Syria, the toll was 2,530. Of those, 1,262 were in government areas")."""
    if metric.where is None or whole.where is None:
        return False
    return metric.where < whole.where or metric.places is not None \
        and all(metric.places.within.get(p) in whole.where for p in metric.where)


def _sibling(metric: Metric, whole: Metric) -> bool:
    """The same count of another place ("It is followed by Kahramanmaras with 4,977": Hatay's sibling)."""
    return metric.where is not None and whole.where is not None and metric.where != whole.where \
        and whole.cues is not None and metric.cues.pattern == whole.cues.pattern and metric.spec.share_of == whole.spec.share_of


class SentenceMatches:
    """Where each metric's cues, context and exclusions match in one sentence, found once per sentence."""

    def __init__(self, text: str, sentence: Sentence, previous: Sentence | None,
                 default_places: dict[int, frozenset[str] | None] | None = None,
                 antecedent: tuple[Span, Metric] | None = None, context_from: int | None = None):
        self.text, self.sentence, self.previous = text, sentence, previous
        # where words before the sentence can still give its context: the previous sentence, or more of
        # its paragraph ("... took 251 hostages. Some were already dead. Israel believes 63 are alive")
        self.context_from = context_from if context_from is not None else previous.start if previous else None
        self.default_places = default_places or {}  # id(Places) -> the article's default place
        self._cache: dict[tuple[str, int], list[Span]] = {}
        self._index = prefilter.index_of(text)
        self._asides: list[Span] | None = None
        self._reachable: tuple[object, list[Metric]] | None = None
        opener = _OPENER.match(text, sentence.start, sentence.end)
        self.opener: Span | None = (sentence.start, opener.end()) if opener else None
        dateline = _DATELINE.match(text, sentence.start, sentence.end)
        self.subject_start = dateline.end() if dateline else sentence.start
        # the previous sentence's first figure, when this sentence's subject stands for it
        anaphor = _ANAPHOR.match(text, self.subject_start, sentence.end) if antecedent and previous else None
        self.anaphor: Span | None = anaphor.span() if anaphor else None
        # "Fifty are men": a part of the figure, never the figure's own count
        self.breakdown = bool(anaphor and anaphor.group("breakdown") is not None)
        self.sibling = bool(anaphor and anaphor.group("sibling") is not None)
        self.antecedent = antecedent if anaphor else None

    def stands_for_antecedent(self, metric: Metric) -> bool:
        """Whether the metric can count a figure this sentence's subject says is a part of the previous
        sentence's figure: that figure's metric, a sub-group of it, or one of its places, with a cue near it."""
        if self.antecedent is None or self.previous is None or metric.cues is None:
            return False
        (lo, hi), whole = self.antecedent
        # "Another six are Thais. Two are children.": a part of the whole the figure is a part of, too
        related = metric is whole and not self.breakdown or metric.spec.share_of in (whole.id, whole.spec.share_of or whole.id) \
            or _part_of_place(metric, whole) or self.sibling and _sibling(metric, whole)
        # the figure may stand a sentence further back, when the previous sentence went on with its parts
        return related and nearest(self._index.spans(metric.cues, min(lo, self.previous.start), self.previous.end),
                                    lo, hi, metric.spec.cue_window) is not None

    def in_aside(self, span: Span) -> bool:
        if self._asides is None:
            self._asides = [m.span() for m in _APPOSITION.finditer(self.text, self.sentence.start, self.sentence.end)]
        return any(lo <= span[0] and span[1] <= hi for lo, hi in self._asides)

    def place_mentions(self, places) -> list:
        """The places the sentence names, found once for all its figures."""
        key = ("places", id(places))
        if key not in self._cache:
            found = mentions_of(places, self.text, (self.sentence.start, self.sentence.end))
            before = self.previous_places(places) if any(cover == THERE for _, _, cover in found) else frozenset()
            self._cache[key] = with_antecedents(self.text, found, before)
        return self._cache[key]

    def previous_places(self, places) -> frozenset[frozenset[str]]:
        """The places the previous sentence names, found once for all who ask."""
        key = ("previous places", id(places))
        if key not in self._cache:
            self._cache[key] = frozenset() if self.previous is None else frozenset(
                cover for _, _, cover in mentions_of(places, self.text, (self.previous.start, self.previous.end))
                if cover not in (ARTICLE, THERE))
        return self._cache[key]

    def carried_place(self, places) -> frozenset[str] | None:
        """The one place the previous sentence names, when this one goes on with its speaker ("In Turkey,
        the vice president said 8,574 had died. He said 6,444 buildings had collapsed") or its subject
        ("California went through this after the Camp Fire. Its missing list reached 1,300")."""
        if self.previous is None:
            return None
        before = self.previous_places(places)
        if _PRONOUN_SUBJECT.match(self.text, self.subject_start, self.sentence.end):
            return next(iter(before)) if len(before) == 1 else None
        # "Storm Daniel burst two dams above Derna. The WHO has confirmed 4,352 deaths": a sentence of
        # the same paragraph goes on where the one before is, when that is only somewhere else (not
        # where someone came from: "Rescuers from Mexico arrived. The toll rose to 21,000")
        if before == {ELSEWHERE} and not PARAGRAPH_BREAK.search(self.text, self.previous.end, self.sentence.start) \
                and any(not _FROM.search(self.text, max(self.previous.start, lo - 12), lo)
                        for lo, _, _ in mentions_of(places, self.text, (self.previous.start, self.previous.end))):
            return ELSEWHERE
        return None

    def reachable(self, metrics: list[Metric]) -> list[Metric]:
        """The metrics that can claim a figure of this sentence, found once for all its figures: those
        with a cue in it or a pattern anchored on the figure. classify passes over any other silently."""
        if self._reachable is None or self._reachable[0] is not metrics:
            lo, hi = self.sentence.start, self.sentence.end
            reach = _CueGroups.of(metrics)
            found = set(reach.anchored)
            for first, members in reach.groups:
                if self._index.may_match(first.cues, lo, hi) and self.spans(first, "cues"):
                    found.update(members)
            if self.antecedent is not None:
                found.update(i for i, m in enumerate(metrics) if self.stands_for_antecedent(m))
            self._reachable = (metrics, [metrics[i] for i in sorted(found)])
        return self._reachable[1]

    def spans(self, metric: Metric, kind: str) -> list[Span]:
        pattern = getattr(metric, kind)
        # Metrics sharing words (YAML anchors) share one scan. By id: hashing a pattern hashes its code.
        key = (kind, id(pattern))
        if key not in self._cache:
            found: list[Span] = []
            if pattern is not None:
                found = self._index.spans(pattern, self.sentence.start, self.sentence.end)
                if kind == "context" and not found and self.previous is not None:
                    found = self._index.spans(pattern, self.context_from, self.previous.end)
            self._cache[key] = found
        return self._cache[key]


class _CueGroups:
    """A list of metrics by their cue patterns: metrics share cue words (YAML anchors), so a sentence
    is searched once per pattern, not once per metric."""

    _known: dict[tuple[int, ...], tuple[list[Metric], _CueGroups]] = {}  # ids -> (the metrics, kept so no id is reused; groups)

    def __init__(self, metrics: list[Metric]):
        self.anchored = [i for i, m in enumerate(metrics) if m.anchored]
        groups: dict[int, tuple[Metric, list[int]]] = {}  # id(cues) -> (a metric with them, the indices of all)
        for i, metric in enumerate(metrics):
            if metric.cues is not None and not metric.anchored:
                groups.setdefault(id(metric.cues), (metric, []))[1].append(i)
        self.groups = list(groups.values())

    @classmethod
    def of(cls, metrics: list[Metric]) -> _CueGroups:
        key = tuple(map(id, metrics))
        known = cls._known.get(key)
        if known is None:
            if len(cls._known) > 64:  # a process reads with a few choices of packs
                cls._known.clear()
            known = cls._known[key] = (list(metrics), cls(metrics))
        return known[1]


def nearest(spans: list[Span], start: int, end: int, reach: int | None = None,
             within: Span | None = None) -> int | None:
    best = None
    for lo, hi in spans:
        if within is not None and not (hi > within[0] and lo < within[1]):  # "women and children" spans an "and"
            continue
        d = start - hi if hi <= start else lo - end if lo >= end else 0
        if (reach is None or d <= reach) and (best is None or d < best):
            best = d
    return best
