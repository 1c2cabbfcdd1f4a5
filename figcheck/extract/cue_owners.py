"""Which number a cue word after a figure belongs to: the figure's, or another number's standing
between them. The same for every pack."""

from __future__ import annotations

import re

from figcheck.extract.text import CLAUSE_PUNCT, Sentence, clause_bounds
from figcheck.regexcache import compiled

Span = tuple[int, int]

_OF_WHOLE_GAP = compiled(r"\s+(?:out\s+)?of\s+(?:(?:the|all|its|their)\s+)?(?:[\w-]+(?:'s|’s)\s+)?", re.IGNORECASE)
_OWN_CLAUSE_VERB = compiled(r"[,;:]\s*(?:(?:and|but|while|as)\s+)?[^,;:]*?\b(?:says|said|say|reports?|reported|estimates?|"
                           r"estimated|believes?|believed)\s+(?:that\s+)?$", re.IGNORECASE)
_AUXILIARY = compiled(r"\b(?:are|were|was|is|has|have|had|been|being)\b", re.IGNORECASE)


# Between a figure and a number after it: the figure's own list ("9,500 women and 14,500 children",
# "13 people in A and 2 in B") ...
_LIST_GAP = compiled(r"(?:\s+(?!(?:and|or)\b)[^\W\d][\w'’-]*){0,3}\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)"
                    r"(?:(?:some|about|around|nearly|almost|over|more\s+than|at\s+least)\s+)?", re.IGNORECASE)
# ... or an aside: "47,000 buildings, which held 211,000 homes, were destroyed", "1,000 people - of a
# town of 13,000 - have left", "900 people, including 300 children, have died"
_ASIDES = compiled(r",\s*(?:which|who|that|out\s+of|of\s+(?:whom|which)|including|among\s+(?:them|whom))\b(?:[^,;]|(?<=\d),(?=\d))*,"
                  r"|\s[-–—]\s(?:(?!\s[-–—]\s)[^;])*\s[-–—]\s|\([^()]*\)", re.IGNORECASE)


def past_aside(text: str, sentence_end: int, clause: Span) -> Span:
    """The clause and, past an aside closing it, the words that go on with it: "10 people, including a
    family of four, who were killed in an overnight strike"."""
    aside = _ASIDES.match(text, clause[1], sentence_end)
    if aside is None or not text.startswith(",", clause[1]):
        return clause
    after = CLAUSE_PUNCT.search(text, aside.end(), sentence_end)
    return clause[0], after.start() if after else sentence_end


def past_another(text: str, end: int, cue: Span, others: list[Span]) -> bool:
    """Whether another number stands between the figure ending at `end` and a cue after it, making the
    cue that number's; not a number of the figure's own list, nor one in an aside."""
    between = [o for o in others if end <= o[0] and o[1] <= cue[0]]
    if not between:
        return False
    asides = [m.span() for m in _ASIDES.finditer(text, end, cue[0])]
    previous = end
    for o in between:
        if any(lo <= o[0] and o[1] <= hi for lo, hi in asides):
            continue
        if _LIST_GAP.fullmatch(text, previous, o[0]) is None or _AUXILIARY.search(text, previous, o[0]):
            return True
        previous = o[1]
    return False


def predicate_of_first(text: str, end: int, cue: int, others: list[Span]) -> bool:
    """Whether the cue at `cue` is the predicate of the figure ending at `end`: no number between them,
    or a finite verb after the last one ("... nearly 507,000 sections were found destroyed")."""
    between = [o for o in others if end <= o[0] and o[1] <= cue]
    return not between or _AUXILIARY.search(text, max(o[1] for o in between), cue) is not None


_RELATIVE_AFTER = compiled(r"\s*(?:who|which|that)\b", re.IGNORECASE)


def with_relative(text: str, sentence: Sentence, clause: Span) -> Span:
    """The clause and the relative clause right after it: "18,000 people who died near Istanbul in 1999"."""
    relative = _RELATIVE_AFTER.match(text, clause[1], sentence.end)
    if relative is None:
        return clause
    return clause[0], clause_bounds(text, sentence, relative.end(), relative.end(), with_conjunctions=True)[1]


def before_another(text: str, start: int, cue: Span, others: list[Span]) -> bool:
    """ "the attack killed about 1,200 people in Israel, and the UN says a quarter of ...": a cue before
    another number is that number's when the figure opens a clause of its own, after a comma and a verb of saying."""
    between = [o for o in others if cue[1] <= o[0] and o[1] <= start]
    return bool(between) and _OWN_CLAUSE_VERB.search(text, max(o[1] for o in between), start) is not None


def behind_another(text: str, end: int, cue: Span, others: list[Span]) -> bool:
    """ "exceeded 40,000 in addition to some 10,000 bodies missing": a cue past another number and its
    noun is that number's, unless that number is the figure's whole ("76 of the 98 victims have been
    identified"); the noun itself names what that number counts ("2 million stay in 316 tent cities")."""
    return cue[0] >= end and any(end <= o[0] and o[1] <= cue[0] and text[o[1]:cue[0]].strip()
                                 and not _OF_WHOLE_GAP.fullmatch(text, end, o[0]) for o in others)
