"""Which tracked metric a figure counts, decided by the words of its own clause.

A metric is out when the figure's reading (figcheck.extract.scope) says it counts something else:
another noun (`counts`), another period (`period`), another place (`where`), another event
(`comparison`), a forecast (`forecast`), or a part of a total with no noun the metric counts.
It is also out when its `range` does not hold the value, when no cue or pattern of it stands near
the figure, or when one of its `exclude` patterns touches the figure's clause.

Among the metrics left, the one whose nearest cue stands closest wins (0 for an anchored pattern
such as "Gaza's {n}"; a cue outside the figure's clause costs OUTSIDE_CLAUSE more), plus a quarter
of the distance to its nearest context word; `priority` breaks ties. When no metric is left the
figure is not claimed: a missed figure costs less than a wrong one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from figcheck.extract import cue_owners, prefilter
from figcheck.extract.numbers import Number
from figcheck.extract.places import ARTICLE, ELSEWHERE, THERE, mentions_of, place_of, with_antecedents
from figcheck.extract.scope import Reading, is_change, list_whole
from figcheck.extract.text import Sentence
from figcheck.pack import Metric

CONTEXT_WEIGHT = 0.25
ANCHOR_REACH = 150
OUTSIDE_CLAUSE = 60
# "In the occupied West Bank, more than 390 ...": an opening phrase scopes the whole sentence.
# "LAHAINA, Hawaii (AP) — ": a wire dateline before the sentence's subject
_DATELINE = re.compile(r"\s*[A-Z][A-Z'.\- ]{2,}(?:,\s*[A-Z][\w.' ]{1,30})?\s*(?:\([^)]{1,30}\))?\s*(?:—|–|--?)\s*")
_OPENER = re.compile(r"\s*(?:In|Across|Throughout|Elsewhere in|Meanwhile,? in|Inside|Outside|On the|Since)\s[^,;:]{1,60},")
Span = tuple[int, int]
# "The new figure, which is certain to rise, included ...", "That number includes ...", "Of these,
# 4,267 were ...", "Another six are Thais": the subject stands for the previous sentence's figure
_ANAPHOR = re.compile(r"(?:(?:The|That|This)\s+(?:(?:new|latest|revised|updated|overall|total|final|official)\s+)?"
                      r"(?:figure|number|tally|count|total)\b(?!\s+(?:of|number|figure|count|tally|toll)\b)|"
                      r"Of\s+(?:these|those|them)(?=\s*,)|"
                      r"(?P<breakdown>(?:(?:Another|A\s+further|The\s+other|The\s+remaining)\s+)?(?=[\w.,-]+\s+(?:are|were|is|was)\s+[^\W\d])))"
                      r"(?![^.;]*?\b(?:not|n't|excludes?|excluding|except)\b)")
# "including a family of four": how many a family numbers, whoever of it was killed
# the verb after the whole of "N of the M ..." says what the part does ("... people have been displaced");
# a participle right after the whole's noun is the whole's own ("97 of the 251 hostages taken")
_PART_PREDICATE = re.compile(r"\b(?:have|has|had|are|were|is|was|remain|remains|remained)\b", re.IGNORECASE)
_FAMILY_OF = re.compile(r"\b(?:an?|the|one|his|her|their)\s+family\s+of\s+$", re.IGNORECASE)
_PRONOUN_SPEAKER = re.compile(r"\s*(?:He|She|It|They)\s+(?:also\s+)?(?:said|says|added|adds|told)\b")
# ", or 85% of the population,", ", half of Gaza's population,": an aside that sets the figure against a whole
# (other fractions, "a quarter of", are numbers of their own, past which a cue is another's)
_APPOSITION = re.compile(r",\s*(?:or|almost|nearly|roughly|about|around|some|more\s+than|less\s+than|half)\s[^,;:]{1,80},")


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
        self.antecedent = antecedent if anaphor else None

    def stands_for_antecedent(self, metric: Metric) -> bool:
        """Whether the metric can count a figure this sentence's subject says is a part of the previous
        sentence's figure: that figure's metric, a sub-group of it, or one of its places, with a cue near it."""
        if self.antecedent is None or self.previous is None or metric.cues is None:
            return False
        (lo, hi), whole = self.antecedent
        # "Another six are Thais. Two are children.": a part of the whole the figure is a part of, too
        related = metric is whole and not self.breakdown or metric.spec.share_of in (whole.id, whole.spec.share_of or whole.id) or (
            metric.where is not None and whole.where is not None and metric.where < whole.where)
        # the figure may stand a sentence further back, when the previous sentence went on with its parts
        return related and _nearest(self._index.spans(metric.cues, min(lo, self.previous.start), self.previous.end),
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
        the vice president said 8,574 had died. He said 6,444 buildings had collapsed")."""
        if self.previous is None or not _PRONOUN_SPEAKER.match(self.text, self.subject_start, self.sentence.end):
            return None
        before = self.previous_places(places)
        return next(iter(before)) if len(before) == 1 else None

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


@dataclass
class Decision:
    """The metric a figure was filed under, or None, and why: for `figcheck figures --explain`."""

    metric: Metric | None
    why: str


def _nearest(spans: list[Span], start: int, end: int, reach: int | None = None,
             within: Span | None = None) -> int | None:
    best = None
    for lo, hi in spans:
        if within is not None and not (hi > within[0] and lo < within[1]):  # "women and children" spans an "and"
            continue
        d = start - hi if hi <= start else lo - end if lo >= end else 0
        if (reach is None or d <= reach) and (best is None or d < best):
            best = d
    return best


def _excluded(matches: SentenceMatches, clause: Span, metric: Metric, start: int, others: list[Span],
              of_whole: bool = False) -> bool:
    """An exclusion touching the figure's clause (or the sentence's opening phrase) rules the metric
    out, unless another number stands between it and the figure: then it scopes that number. Of a
    whole ("97 of the 251 hostages taken ... remain"), what follows is said of the part."""
    scopes = [clause] + ([matches.opener] if matches.opener else [])
    for lo, hi in matches.spans(metric, "exclude"):
        if not any(lo < s_hi and hi > s_lo for s_lo, s_hi in scopes) or of_whole and lo > start:
            continue
        left, right = sorted((lo, start))
        if not any(left < o_start < right for o_start, _ in others):
            return True
    return False


def clause_cued(matches: SentenceMatches, start: int, end: int, clause: Span, reading: Reading,
                admitting: Iterable[Metric]) -> bool:
    """Whether a cue stands in the number's own clause of a metric that admits the number (`admitting`)
    and counts its kind of figure (its period, a forecast or not, ...)."""
    return any(not _kind_fits(m, reading)
               and _nearest(matches.spans(m, "cues"), start, end, m.spec.cue_window, within=clause) is not None
               for m in admitting)


def admits(metric: Metric, number: Number) -> bool:
    spec = metric.spec
    if number.share:
        if spec.unit != "share" and not spec.share_of:
            return False
        return spec.unit != "share" or not spec.range or spec.range[0] <= number.value <= spec.range[1]
    if spec.unit != "count":
        return False
    return not spec.range or spec.range[0] <= number.value <= spec.range[1]


def _counts(metric: Metric, head: str) -> bool:
    """Whether the metric counts the head noun's group. A list of groups ("women, children and older
    people") is a group's only when it names just that group, and another metric's only when it
    opens with what that one counts ("people, mostly women and children")."""
    if "," not in head:
        return bool(metric.counts.search(head))
    return bool(metric.counts.fullmatch(head) if metric.spec.group else metric.counts.match(head))


def _kind_fits(metric: Metric, reading: Reading) -> str | None:
    """Why the figure's event, period or kind of count rules the metric out, or None."""
    spec = metric.spec
    if reading.comparison and not spec.comparison:
        return "another event quoted for comparison"
    if reading.identified != spec.identified and not spec.comparison:
        return "counts the identified dead only" if reading.identified else "not a count of the identified dead"
    if reading.forecast != spec.forecast:
        return "a forecast" if reading.forecast else "not a forecast"
    if spec.period != "any" and reading.period != spec.period:
        return f"period {reading.period}, metric counts {spec.period}"
    return None


def _reading_fits(metric: Metric, reading: Reading, head: str | None, counted: bool) -> str | None:
    """Why the reading rules the metric out, or None when it fits."""
    spec = metric.spec
    kind = _kind_fits(metric, reading)
    if kind:
        return kind
    if head and metric.counts is not None and not counted:
        return f"counts {head!r}"
    if spec.group and not counted:
        return "names no group the metric counts"
    return None


def classify(matches: SentenceMatches, start: int, end: int, number: Number, clause: Span, wide_clause: Span,
             reading: Reading, metrics: Iterable[Metric], others: list[Span] = (),
             list_head: Span | None = None, measured: bool = False, whole: Metric | None = None) -> Decision:
    """The metric the figure text[start:end] counts, and why. A figure in an elliptical list ("N died
    in A, M in B") takes its cue from the list's first item (`list_head`); a part, the metric of its
    whole (`whole`), when that was read."""
    text, sentence = matches.text, matches.sentence
    if reading.increment:
        return Decision(None, "a change, not a count")
    if _FAMILY_OF.search(text, max(sentence.start, start - 20), start):
        return Decision(None, "the size of a family, not a count")
    first = list_head[0] if list_head is not None else start  # of the list the figure is in
    # "The toll has increased by one, to 99": a change before the figure leaves it the sentence's first
    opens_sentence = not any(o[0] < first and not is_change(text, (sentence.start, sentence.end), *o) for o in others)
    best: tuple[float, int, Metric] | None = None
    reasons: dict[str, list[str]] = {}  # why -> the metrics ruled out for it
    places: dict[int, tuple[frozenset[str] | None, str | None]] = {}
    own_cue: bool | None = None  # whether some metric's cue stands in the figure's clause, found when needed
    near: dict[tuple[int, int, bool], float | None] = {}  # (id(cues), cue window, its anaphor) -> the cue's distance
    admitting = [metric for metric in matches.reachable(metrics) if admits(metric, number)]
    for metric in admitting:
        head = reading.head
        counted = bool(head and metric.counts is not None and _counts(metric, head))
        if head and not counted and metric.cues is not None and metric.cues.fullmatch(_TALLY_WORDS.sub("", head)):
            head = None  # "1,537 dead", "confirmed deaths": the words say what happened, not who
        cue, anchored = None, False
        if any(right.match(text, end, min(sentence.end, end + ANCHOR_REACH))  # the cheaper test first
               and left.search(text, max(sentence.start, start - ANCHOR_REACH), start) for left, right in metric.anchored):
            cue = 0
            counted = anchored = True
        if measured and not anchored:
            continue  # "2,170 acres" is an area: only a pattern naming its unit takes it
        # metrics sharing their cues (one per place) share the distance, unless only one of them stands
        # for the figure the sentence's subject refers to
        anaphoric = bool(matches.anaphor) and matches.stands_for_antecedent(metric)
        if cue is None and (near_key := (id(metric.cues), metric.spec.cue_window, anaphoric)) in near:
            cue = near[near_key]
        elif cue is None:
            spans = matches.spans(metric, "cues")
            if reading.of_whole:  # "Displaced: 1.7 million of 2.3 million", "90 per cent of the 2.3 million people
                # have been displaced": the words before the part, and the part's predicate, are the part's
                spans = [c for c in spans if c[0] >= end and not _PART_PREDICATE.search(text, end, c[0])]
            mine = [c for c in spans if not cue_owners.behind_another(text, end, c, others)]
            cue = _nearest(mine, start, end, metric.spec.cue_window, within=clause)
            if cue is None and own_cue is None:
                own_cue = clause_cued(matches, start, end, clause, reading, admitting)
            if cue is None and not own_cue:
                # "About 1.9 million people, or 85% of the population, have been displaced": an aside's
                # words are not what the figure counts. A cue of its own clause says what it counts, even
                # of a metric that is ruled out ("killed 1,500 ... and wounded 6,000 in Gaza and the West
                # Bank": no toll of both places is tracked, and the 1,500 are not wounded).
                cue = _nearest([c for c in spans if not matches.in_aside(c) and not cue_owners.past_another(text, end, c, others)],
                               start, end, metric.spec.cue_window)
                cue = None if cue is None else cue + OUTSIDE_CLAUSE
            if cue is None and opens_sentence:
                # "The death toll from the quakes, which ..., has passed 21,500": the sentence's
                # subject names what its first figure counts, however long the words between.
                subject = next((lo for lo, _ in spans if 0 <= lo - matches.subject_start <= 12), None)
                cue = None if subject is None else OUTSIDE_CLAUSE + min(first - subject, 2 * metric.spec.cue_window)
            if cue is None and not any(clause[0] <= o[0] < start for o in others):
                # "156,000 buildings consisting of nearly 507,000 sections were found destroyed": the
                # predicate of its clause (a verb after any number between) tells what the clause's first
                # figure counts, however far
                predicate = next((lo for lo, _ in spans
                                  if end <= lo < clause[1] and cue_owners.predicate_of_first(text, end, lo, others)), None)
                cue = None if predicate is None else OUTSIDE_CLAUSE + min(predicate - end, 2 * metric.spec.cue_window)
            if cue is None and anaphoric \
                    and (opens_sentence or list_whole(text, start, others) is None):
                # "The new figure ... included over 17,600 people in Turkey and more than 3,300 in Syria",
                # "That figure includes 147 children and nine women"
                cue = OUTSIDE_CLAUSE + min(first - matches.anaphor[1], 2 * metric.spec.cue_window)
            if cue is None and reading.whole is not None:  # "killed 10 members of a family ..., including seven children"
                cue = _nearest(spans, *reading.whole, metric.spec.cue_window)
                cue = None if cue is None else cue + OUTSIDE_CLAUSE
            elif cue is None and reading.part:  # "freed the first group of captives ..., including 13 Israelis"
                cue = _nearest([c for c in spans if c[1] <= start], start, end)
                cue = None if cue is None else cue + OUTSIDE_CLAUSE
            if cue is None and list_head is not None:
                cue = _nearest(spans, *list_head, metric.spec.cue_window)
                cue = None if cue is None else cue + OUTSIDE_CLAUSE
            near[near_key] = cue
        if cue is None:
            continue
        ruled_out = _reading_fits(metric, reading, head, counted)
        if ruled_out:
            reasons.setdefault(ruled_out, []).append(metric.id)
            continue
        if _excluded(matches, clause, metric, start, others, reading.of_whole):
            reasons.setdefault("excluded by its clause", []).append(metric.id)
            continue
        if metric.where is not None and metric.places is not None:
            key = id(metric.places)
            if key not in places:
                regions = [wide_clause, (sentence.start, sentence.end)]
                places[key] = place_of(metric.places, text, regions, start, end, others,
                                       matches.carried_place(metric.places) or matches.default_places.get(key),
                                       matches.place_mentions(metric.places))
            place, named = places[key]
            if named is None and matches.antecedent is not None and matches.antecedent[1].where is not None:
                place = matches.antecedent[1].where  # "That figure includes 147 children": the figure's place
            elif named != "clause" and reading.part and whole is not None and whole.where is not None:
                place = whole.where  # "600 injured in the West Bank, of which 190 ...": the whole's place
            if place != metric.where:
                found = "no place" if place is None else " and ".join(sorted(place))
                reasons.setdefault(f"speaks for {found}, not the place of", []).append(metric.id)
                continue
            counted = counted or named is not None
            named = named == "clause"  # "including 94 in Florida": a part by its place
        else:
            named = False
        # A part of a total is a sub-group: only a metric of that group, a part of another metric
        # (`share_of`), or of a place it names, takes it. A total with parts of its own that can be
        # written as a share ("the toll, roughly 2% of the population") is a part of another figure
        # only as a share, or of its own whole ("251 hostages, 97 of whom are still held").
        part_of_another = metric.spec.share_of and (number.share or not metric.has_parts
                                                    or whole is None or whole.id == metric.spec.share_of)
        # "including 38 over the past day": a part set apart by a period of its own is that period's count
        by_period = reading.own_period and metric.spec.period == reading.period
        if reading.part and not (named or anchored or part_of_another or by_period or metric.spec.group and counted):
            reasons.setdefault("a part of a total, and the metric counts neither its group nor its place", []).append(metric.id)
            continue
        context = 0
        if metric.context is not None:
            words = matches.spans(metric, "context")
            # "18,400 died in the 2011 quake, which triggered a tsunami, and 18,000 died in a quake
            # that hit Izmit in 1999": the earlier event a figure counts is named in its own clause.
            # (A story's context words, "Gaza" in a headline's opening, may stand anywhere near.)
            context = _nearest(words, start, end, within=cue_owners.with_relative(text, sentence, clause)) \
                if metric.spec.comparison else None
            if context is None:
                context = _nearest(words, start, end)
                if context is None and anaphoric:  # a part of the previous sentence's figure shares its context
                    context = OUTSIDE_CLAUSE
                if context is None:
                    reasons.setdefault("no context word", []).append(metric.id)
                    continue
                context += OUTSIDE_CLAUSE if metric.spec.comparison else 0
        score = cue + CONTEXT_WEIGHT * context
        # "Of the 1,200 killed in the attack, 318 were soldiers": a part of its metric's own whole first
        rank = (not (reading.part and whole is not None and metric.spec.share_of == whole.id), score, -metric.spec.priority)
        if best is None or rank < best[0]:
            best = (rank, metric)
    if best is None:
        return Decision(None, _listed(reasons) or "no metric's cue or pattern near it")
    return Decision(best[1], f"{best[1].id}: cue at distance {best[0][1]:g}" + (f" (ruled out: {_listed(reasons)})" if reasons else ""))


# "the number of confirmed deaths": words saying how a count is kept, not what it counts
_TALLY_WORDS = re.compile(r"^(?:(?:confirmed|known|reported|recorded|total|overall|official|registered|documented|verified)\s+)+",
                          re.IGNORECASE)


def _listed(reasons: dict[str, list[str]], most: int = 4) -> str:
    """ "speaks for turkey, not the place of syria.deaths, quake.deaths and 12 more; no context word: ..." """
    parts = []
    for why, ids in reasons.items():
        named = ", ".join(ids[:most]) + (f" and {len(ids) - most} more" if len(ids) > most else "")
        parts.append(f"{why} {named}" if why.endswith(" of") else f"{named}: {why}")
    return "; ".join(parts)
