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

from figcheck.extract import cue_owners
from figcheck.extract.numbers import Number
from figcheck.extract.places import place_of
from figcheck.extract.scope import Reading, is_change, list_whole
from figcheck.extract.sentence_matches import SentenceMatches, nearest
from figcheck.pack import Metric
from figcheck.regexcache import compiled

CONTEXT_WEIGHT = 0.25
ANCHOR_REACH = 150
OUTSIDE_CLAUSE = 60
Span = tuple[int, int]
# the verb after the whole of "N of the M ..." says what the part does ("... people have been displaced");
# a participle right after the whole's noun is the whole's own ("97 of the 251 hostages taken")
_PART_PREDICATE = compiled(r"\b(?:have|has|had|are|were|is|was|remain|remains|remained)\b", re.IGNORECASE)
# "..., are displaced, and 1.1 million face hunger": a verb right after the figure is its own predicate, and
# what it says is not what the clause before counts
_OWN_VERB = compiled(r"\s+(?:face[sd]?|need(?:s|ed)?|lack(?:s|ed)?|risk(?:s|ed)?|suffer(?:s|ed)?|depend(?:s|ed)?|"
                    r"rel(?:y|ies|ied)|receive[sd]?|require[sd]?|live[sd]?)\b", re.IGNORECASE)
_SUBJECT_NUMBER_OF = compiled(r"(?:the\s+)?(?:number|count|tally|total)\s+of\s+(?:people|persons|those|victims|residents|"
                        r"civilians|Palestinians|Israelis)\s+", re.IGNORECASE)
# "including a family of four": how many a family numbers, whoever of it was killed
# "rose to 3,377, bringing the total in both countries to more than 22,700": the total of what the clause before counts
_RAISED_TOTAL = compiled(r"\b(?:bring|brings|bringing|brought|rais(?:e|es|ed|ing)|tak(?:e|es|ing)|took|push(?:es|ed|ing)?)\s+"
                        r"(?:the|its)\s+(?:overall\s+|combined\s+|total\s+|national\s+)?(?:total|tally)\b[^,.;:\d]{0,40}?\s+to\s+"
                        r"(?:\S+\s+){0,2}$", re.IGNORECASE)
_FAMILY_OF = compiled(r"\b(?:an?|the|one|his|her|their)\s+family\s+of\s+$", re.IGNORECASE)


@dataclass
class Decision:
    """The metric a figure was filed under, or None, and why: for `figcheck figures --explain`."""

    metric: Metric | None
    why: str


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
               and nearest(matches.spans(m, "cues"), start, end, m.spec.cue_window, within=clause) is not None
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
    # how far from the sentence's start its subject's cue may stand ("The number of people killed by the
    # quakes ... rose to 33,000": the noun before its participle)
    lead = _SUBJECT_NUMBER_OF.match(text, matches.subject_start, sentence.end) if opens_sentence else None
    subject_reach = 12 + (lead.end() - lead.start() if lead else 0)
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
            cue = nearest(mine, start, end, metric.spec.cue_window, within=clause)
            if cue is None and own_cue is None:
                own_cue = clause_cued(matches, start, end, clause, reading, admitting)
            if cue is None and not own_cue and not _OWN_VERB.match(text, end):
                # "About 1.9 million people, or 85% of the population, have been displaced": an aside's
                # words are not what the figure counts. A cue of its own clause says what it counts, even
                # of a metric that is ruled out ("killed 1,500 ... and wounded 6,000 in Gaza and the West
                # Bank": no toll of both places is tracked, and the 1,500 are not wounded).
                cue = nearest([c for c in spans if not matches.in_aside(c) and not cue_owners.past_another(text, end, c, others)
                               and not cue_owners.before_another(text, start, c, others)],
                              start, end, metric.spec.cue_window)
                cue = None if cue is None else cue + OUTSIDE_CLAUSE
            if cue is None and opens_sentence:
                # "The death toll from the quakes, which ..., has passed 21,500": the sentence's
                # subject names what its first figure counts, however long the words between.
                subject = next((lo for lo, _ in spans if 0 <= lo - matches.subject_start <= subject_reach), None)
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
                cue = nearest(spans, *reading.whole, metric.spec.cue_window)
                cue = None if cue is None else cue + OUTSIDE_CLAUSE
            elif cue is None and reading.part:  # "freed the first group of captives ..., including 13 Israelis"
                cue = nearest([c for c in spans if c[1] <= start], start, end)
                cue = None if cue is None else cue + OUTSIDE_CLAUSE
            if cue is None and list_head is not None:
                cue = nearest(spans, *list_head, metric.spec.cue_window)
                cue = None if cue is None else cue + OUTSIDE_CLAUSE
            if cue is None and (raised := _RAISED_TOTAL.search(text, max(sentence.start, start - 80), start)):
                before = [hi for _, hi in spans if hi <= raised.start()]
                cue = OUTSIDE_CLAUSE + min(start - before[-1], 2 * metric.spec.cue_window) if before else None
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
            context = nearest(words, start, end, within=cue_owners.with_relative(text, sentence, clause)) \
                if metric.spec.comparison else None
            if context is None:
                context = nearest(words, start, end)
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
_TALLY_WORDS = compiled(r"^(?:(?:confirmed|known|reported|recorded|total|overall|official|registered|documented|verified)\s+)+",
                       re.IGNORECASE)


def _listed(reasons: dict[str, list[str]], most: int = 4) -> str:
    """ "speaks for turkey, not the place of syria.deaths, quake.deaths and 12 more; no context word: ..." """
    parts = []
    for why, ids in reasons.items():
        named = ", ".join(ids[:most]) + (f" and {len(ids) - most} more" if len(ids) > most else "")
        parts.append(f"{why} {named}" if why.endswith(" of") else f"{named}: {why}")
    return "; ".join(parts)
