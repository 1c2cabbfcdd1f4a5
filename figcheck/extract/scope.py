"""What a figure's own clause says of it: its period, and whether it is a sub-group, an earlier
value, a forecast or another event quoted for comparison (the noun it counts: heads.py; its place:
places.py).

These are facts about the wording, the same for every pack; a metric then says which of them it
accepts (pack keys `counts`, `period`, `comparison`, `forecast`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from figcheck.dates import MONTH_WORD
from figcheck.extract import cue_owners, heads, required
from figcheck.extract.text import Sentence, clause_bounds
from figcheck.regexcache import compiled

Span = tuple[int, int]

# The qualifier a number may open with, in the phrases around it below.
_QUALIFIER = r"(?:(?:about|around|some|roughly|nearly|almost|over|more\s+than|at\s+least)\s+)?"
# The figure is a part of a total named before it.
_PART_BEFORE = compiled(r"(?:\bincluding|\bamong\s+them|\bamong\s+whom|\bof\s+(?:them|whom|which|those)|\bamong\s+those"
                       r"|\bamong\s+the\s+\w+)[\s,:]*(?:at\s+least\s+|about\s+|some\s+|nearly\s+|more\s+than\s+|over\s+)?$",
                       re.IGNORECASE)

_DAY = compiled(
    r"\b(?:(?:in|over|during|within)\s+the\s+(?:past|last|previous|preceding)\s+(?:24|twenty-four|48|forty-eight)"
    r"(?:\s+|-)hours?|(?:in|over|during)\s+the\s+(?:past|last|previous)\s+day|(?:past|last)\s+24\s+hours|"
    r"(?:in|over|within)\s+(?:the\s+)?(?:24|twenty-four)(?:\s+|-)hours\b|(?<=killed\s)in\s+a\s+day\b|"
    r"since\s+(?:yesterday|last\s+night|(?:this|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\s+morning)|"
    r"overnight(?!\s+(?:\w+\s+)?(?:air\s?strike|strike|raid|attack|bombing|explosion|blast)\b)|in\s+a\s+single\s+day|in\s+one\s+day|on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\s+alone|"
    r"(?:today|yesterday)\s+alone|daily\s+(?:death\s+)?toll|per\s+day|each\s+day|every\s+day|"
    # the UN's daily updates: "between the afternoons of 9 and 10 July", "between the mornings of 3 and 4 May"
    r"between\s+the\s+(?:mornings|afternoons|evenings|nights|noons)\s+of\s+\d{1,2}(?:\s+[A-Z][a-z]+)?\s+and\s+\d{1,2}\b)",
    re.IGNORECASE)
# "178 people killed in new airstrikes on Friday", "died ... this morning": one day's dead, unless the
# words tell one incident ("killed in a blast at the hospital this evening")
# "A strike hit a school. Ten were killed there": the incident's dead (not "the number of dead there has
# reached 733", nor, after "61 have been killed since Oct. 7", "1,250 have been injured there": that count goes on)
_THERE = compiled(r"\b(?:killed|died|dead|wounded|injured)\s+there\b(?!\s+since\b)"
                 r"(?!\s+(?:(?:has|have|had)\s+)?(?:now\s+)?(?:reached|risen|rose|climbed|stands?|stood|topped|passed|exceeded)\b)")
_RUNNING = compiled(r"\bsince\s+(?:the\s+(?:war|conflict|start|beginning|fighting)|Oct(?:ober|\.)?\s*7|7\s+October)\b|"
                   r"\bso\s+far\b|\bin\s+(?:all|total)\b", re.IGNORECASE)
_DAY_OF_DYING = compiled(
    r"(?<=\s)(?:killed|died|dead|wounded|injured)\s+(?:(?:in|by)\s+(?:(?![a-z]+ed\b)[\w-]+\s+){1,3}?)?on\s+(?:Monday|Tuesday|Wednesday|"
    r"Thursday|Friday|Saturday|Sunday)\b(?!['’]s)|(?<=\s)(?:killed|died|dead|wounded|injured)\s+(?:[\w-]+\s+){0,4}?"
    r"(?:(?:this|yesterday)\s+(?:morning|afternoon|evening)|last\s+night)\b")
_INCIDENT = compiled(
    r"\b(?:(?:in|by|after|during|from)\s+(?:an?|one|the|that|this|two|separate|another|a\s+single|the\s+same)\s+"
    r"(?:(?:Israeli|Russian|US|American|overnight|deadly|deadliest|worst|single|fresh|new|separate)\s+)*"
    r"(?:air\s?strikes?|strikes?|attacks?|raids?|bombings?|shelling|explosions?|blasts?|incidents?|ambush|shooting|"
    rf"collapse(?!\s+of\s+{_QUALIFIER}\d)|stampede|massacre)|"
    r"when\s+(?:an?|the)\s+(?:\w+\s+){0,3}(?:air\s?strike|strike|missile|bomb|shell|rocket|blast|explosion)s?\s+"
    r"(?:hit|struck|slammed|tore)|when\s+(?:[\w-]+\s+){0,3}?(?:opened\s+fire|fired\s+(?:on|at|into))\b|"
    r"\b(?:an?|one|the)\s+(?:(?:Israeli|Russian|US|American|overnight|deadly|fresh|new|separate|single)\s+)*"
    r"(?:air\s?strike|strike|missile|bomb|shell|rocket|drone|blast|explosion)\s+(?:\w+\s+){0,3}?(?:killed|kills|killing)\b|"
    r"(?:strike|attack|raid|bombing)\s+on\s+(?:an?|the)\s+(?:[\w-]+\s+){0,2}(?:school|hospital|home|house|building|camp|"
    r"mosque|church|shelter|market|car|vehicle|convoy|tent)s?|"
    r"(?:in|during)\s+(?:an|one|a\s+single)\s+(?:[\w-]+\s+){0,2}?(?:operation|mission)\b|"
    r"(?:in|during)\s+a\s+(?:daytime|night-?time|overnight|dawn|pre-dawn|rescue|commando|special[- ]forces)\s+"
    r"(?:[\w-]+\s+)?(?:operation|mission|raid)\b|"
    r"\b(?:rescue|hostage)\s+(?:operation|raid|mission)\b|\bat\s+the\s+scene\b|"
    # "Troops raided a camp near Nablus on Friday, killing four": what one raid or strike did
    r"\b(?:raided|stormed|struck|bombed|shelled|hit)\s+(?:an?|the)\s+(?:[\w-]+\s+){0,2}?(?:camp|town|village|"
    r"neighbou?rhood|house|home|school|hospital|building|mosque|church|shelter|market|car|vehicle|convoy|tent)\b|"
    # "killed 20 in three days of raids", "in a two-day raid": one operation's dead
    r"\b(?:in|during|over)\s+(?:the\s+)?(?:two|three|four|five|six|seven|several|\d)\s+days\s+of\s+(?:raids?|strikes|fighting|"
    r"clashes|operations?|bombardment|attacks)\b|\b(?:in|during)\s+an?\s+(?:two|three|four|five|six|seven|\d)-day\s+"
    r"(?:raid|operation|offensive|incursion|assault|attack)\b|"
    # a headline drops the article: "Seven aid workers killed in strike on convoy"
    r"\b(?:killed|dead|die|died|wounded|injured)\s+(?:in|by)\s+(?:(?:Israeli|Russian|US|American|overnight|deadly|single)\s+)*"
    r"(?:air\s?strike|strike|attack|raid|bombing|blast|explosion)(?!s|\s+(?:helicopters?|drones?|dogs?))\b|"
    # "Seven aid workers killed in Gaza convoy strike", "four killed in Nuseirat raid"
    r"\b(?:killed|dead|die|died|wounded|injured)\s+in\s+(?-i:[A-Z])[\w'’-]+\s+(?:[a-z][\w-]*\s+)?(?:air\s?strike|strike|raid|bombing)"
    r"(?!s|\s+(?:helicopters?|drones?|dogs?|campaign))\b|"
    # "the collapse of the Renaissance Residence, a luxury building, killed 130", "the hotel's collapse": one building's
    r"\bcollapse\s+of\s+(?:an?|the|one)\s+(?:[\w’'-]+\s+){0,4}?(?:hotel|building|residence|apartment|tower|block|"
    r"complex|mall|dormitory|hospital|school)\b(?!s)|"
    r"\b(?:hotel|building|residence|apartment|tower|block|complex|mall|dormitory)(?:['’]s)?\s+collapse\b|"
    r"(?:killed|died|wounded|injured|hurt)\s+(?:on\s+[A-Z][a-z]+day\s+|overnight\s+)?when\s+(?:crowds?|a\s+crowd|people|civilians|residents|troops|soldiers|"
    r"(?:an?|the)\s+(?:[\w-]+\s+){0,2}?(?:building|house|home|school|tent|car|vehicle|truck|boat|bus|bridge|wall|roof)s?)\b)",
    re.IGNORECASE)
_FORECAST = compiled(
    r"\b(?:could|may|might|would|will|(?:is|are|was|were)?\s*expected\s+(?:[\w’'-]+\s+){0,6}?to|"
    r"likely\s+to|feared\s+to|set\s+to|projected\s+to|predicted|forecast|estimated\s+to\s+rise)\s+"
    r"(?:\w+\s+){0,2}?(?:rise|reach|climb|exceed|top|surpass|double|fall|drop|increase|decrease|go\s+up|be\s+higher|grow)",
    re.IGNORECASE)
# Earlier values: "down from N", "up from N", "initially N", "a previous toll of N", "from N to M".
_PREVIOUS_BEFORE = compiled(
    r"(?:\b(?:down|up|revised|lowered|raised|corrected|changed|cut|reduced|increased)\s+from"
    r"(?:\s+(?:the\s+|an?\s+)?(?:\w+\s+){0,2}?(?:of|at)|\s+(?:the|its|their))?|"  # "down from estimates of about 1,000"
    r"\b(?:(?:initially|originally|at\s+first),?|previously|earlier(?!\s+(?:this|today|that|in\s+the))|first)(?:\s+\w+){0,4}?|"
    r"\b(?:previous|earlier|initial|original|prior|old|former)\s+(?:\w+\s+){0,3}?(?:of|at|was|stood\s+at|had\s+been)|"
    r"\bfrom)\s+(?:(?:around|about|roughly|some|more\s+than|over|nearly|almost|an\s+estimated|at\s+least|approximately)\s+)?$",
    re.IGNORECASE)
_PREVIOUS_AFTER = compiled(r"^\s*(?:\w+\s+){0,3}?(?:earlier|previously|before\s+(?:the\s+)?revision|initially)\b",
                          re.IGNORECASE)
# "deaths between October 2023 and the end of June 2024 ..., against the 37,877 the ministry had
# reported for that period": a count for a closed period named before it is an earlier value (not
# "389 were killed in the West Bank in the same period": since the war began, a running count)
_THAT_PERIOD = compiled(r"\b(?:for|in|over|during|across)\s+(?:that|the\s+same)\s+(?:period|time|span|stretch)\b",
                       re.IGNORECASE)
_CLOSED_SPAN = compiled(rf"\bbetween\s+(?:early\s+|late\s+|mid-?)?{MONTH_WORD}[^.;]{{0,30}}?\band\s+"
                       rf"(?:the\s+(?:end|start|middle)\s+of\s+|early\s+|late\s+|mid-?)?{MONTH_WORD}"
                       rf"|\b(?:in|during|over)\s+the\s+first\s+(?:\w+\s+){{0,2}}?(?:days|weeks|months)\b"
                       rf"|\b(?:through|until|till|to)\s+(?:the\s+end\s+of\s+)?{MONTH_WORD}\s+\d", re.IGNORECASE)
# "narrowed the list down to 412 ... and published it last week": a figure whose sentence, past it
# and before any other number, dates itself a week or a month back is an earlier value. "Since the
# fire began last week" and "last week's quake" date the event; "unchanged from a week earlier"
# compares with the past.
_LAST_WEEK = compiled(r"\b(?:last\s+(?:week|month)|a\s+(?:week|month)\s+(?:earlier|ago|before))\b(?!['’]s)",
                     re.IGNORECASE)
_DATES_ANOTHER = compiled(r"\b(?:since|began|begun|started|erupted|broke\s+out|struck|hit|occurred|happened|ignited|"
                          r"from|than|compared)\b",
                          re.IGNORECASE)
# "Correction: an earlier version of this article gave the toll as 32": the figure an erratum replaced
_CORRECTED = compiled(r"\b(?:earlier|previous|original)\s+version\s+of\s+this\b|\bmisstated\b", re.IGNORECASE)
# "At first 1,000 were missing, but the count was later revised to 390 missing and 112 dead": a
# sentence that tells how a count changed is history, its later values included.
_AT_FIRST = compiled(r"\b(?:initially|originally|at\s+first)\b", re.IGNORECASE)
_LATER = compiled(r"\blater\s+(?:\w+\s+){0,2}?(?:updated|revised|raised|lowered|increased|reduced|corrected|changed|"
                 r"rose|risen|fell|fallen|dropped|climbed|put|narrowed|cut)\b", re.IGNORECASE)
_RAISING_TO = compiled(r"[^.;:\d]*?,\s*(?:raising|bringing|taking|pushing|lifting)\s+(?:the|its|their)\s+[^.;:\d]*?"
                      r"\b(?:toll|total|tally|number|count)\b(?:[^.;:\d]|\b(?:19|20)\d\d\b)*?\bto\s+"
                      r"(?:more\s+than\s+|over\s+|at\s+least\s+)?\d", re.IGNORECASE)
_TOTAL = compiled(r"\b(?:toll|since|total|so\s+far|in\s+all|overall|cumulative|altogether|to\s+date)\b", re.IGNORECASE)
_AFTER = compiled(r"\bafter\b", re.IGNORECASE)
# "Over 700 killed in a day as Gaza toll nears 6,600": a toll named between a period and a figure is the figure's
_TOLL_WORD = compiled(r"\b(?:toll|total|tally)\b", re.IGNORECASE)
_IDENTIFIED = compiled(r"\b(?:identified|identifications?)\b", re.IGNORECASE)
_NOT_IDENTIFIED = compiled(r"\b(?:unidentified|not\s+(?:yet\s+)?(?:been\s+)?(?:fully\s+)?identified|"
                          r"(?:yet|(?:have|has|had)\s+(?:yet\s+)?)\s*to\s+be\s+(?:fully\s+)?identified|awaiting\s+identification)\b",
                          re.IGNORECASE)
# "74 of the 97 victims", "11 of the territory's 36 hospitals", "out of 34,622": the whole
_WHOLE_BEFORE = compiled(r"\b(?:out\s+of(?:\s+(?:the|all|its|their))?|of\s+(?:the|all|its|their))\s+(?:[\w-]+(?:'s|’s)\s+)?$"
                        r"|\bof\s+[\w-]+(?:'s|’s)\s+$|\bof\s+$", re.IGNORECASE)  # "1.7 million of 2.3 million"
_AMONG_BEFORE = compiled(r"\bamong\s+(?:the\s+)?$", re.IGNORECASE)  # "identified among the 89 dead": the whole
# "the total this year", "in 2024 alone": a count for one calendar year
_YEAR_PERIOD = compiled(r"\b(?:(?:this|last|so\s+far\s+this)\s+year|in\s+20\d\d\s+alone|during\s+20\d\d)\b", re.IGNORECASE)
_INCREMENT_BEFORE = compiled(r"\b(?:(?:rose|rises|risen|increased|increases|grew|climbed|jumped|went\s+up|fell|dropped|"
                            r"decreased|declined|up|down)\s+by(?:\s+(?:a\s+further|another|an\s+additional))?|"
                            r"(?:an?|the)\s+(?:increase|rise|jump|drop|decrease|decline|fall)\s+of|,\s*(?:up|down))\s+$",
                            re.IGNORECASE)
_INCREMENT_AFTER = compiled(r"\s+more\b(?!\s+than)", re.IGNORECASE)
_RELATIVE = compiled(r"\s*(?:which|that|who)\b", re.IGNORECASE)
_PUNCT = compiled(r"[,;:()—–]")
_YEAR = compiled(r"(?<![\w,.])(1[6-9]\d\d|20\d\d)(?!\w|[,.]\d)")


@dataclass
class Reading:
    """What the clause around one figure says about what it counts."""

    head: str | None = None          # the noun phrase it counts: "children", "Israeli soldiers"
    part: bool = False               # "including N ...", "N of them ...": a part of a total named before
    period: str = "total"            # total | day | incident | year
    previous: bool = False           # an earlier value quoted for comparison
    forecast: bool = False
    comparison: bool = False         # an earlier event: "the 1999 quake killed ..."
    increment: bool = False          # a change, not a count: "rose by 12", "40 more"
    whole: Span | None = None        # of a part, the number before it that it is a part of
    of_whole: bool = False           # the whole a number before it is part of: "97 of the 251 hostages"
    identified: bool = False         # only the dead identified so far: "identified 24,686", "including 7,797 children" of them
    own_period: bool = False         # a part whose own words after it set its period: "including 38 over the past day"


_LIST_ITEM_GAP = compiled(r"\s+(?:[^\W\d_][\w-]*\s+){0,2}?[^\W\d_][\w-]*(?:\s*,\s*(?:and\s+)?|\s+and\s+)")


_OPENING_PHRASE = compiled(r"[^,;:]{3,60},")
_WHEN_SAID = compiled(r"(?:overnight|early|late|later|earlier|this\s+morning|tonight),\s+(?:[\w.’'-]+\s+){1,6}?"
                     r"(?:said|says|announced|reported|told|confirmed)\b", re.IGNORECASE)
_COORDINATED = compiled(r"[^.;:]{0,40}?(?:\band\b|,)[^.;:]{0,30}")
_SUBORDINATE = compiled(r"\b(?:after|before|following|since|while|which|that|when|whereas|from)\b", re.IGNORECASE)


def is_change(text: str, sentence: Span, start: int, end: int) -> bool:
    """Whether the figure is a change, not a count: "rose by 12", "40 more"."""
    return bool(_INCREMENT_BEFORE.search(text, max(sentence[0], start - 40), start)
                or _INCREMENT_AFTER.match(text, end, sentence[1]))


def _dated_back(text: str, end: int, stop: int, others: list[Span]) -> bool:
    """Whether the sentence past the figure, before any other number, says "last week"."""
    stop = min([stop] + [o[0] for o in others if o[0] >= end])
    dated = _LAST_WEEK.search(text, end, stop)
    return bool(dated) and not _DATES_ANOTHER.search(text, end, dated.start())


def _told_as_history(text: str, begin: int, start: int) -> bool:
    """Whether the sentence before the figure says what the count was at first and that it later changed."""
    later = required.search(_LATER, text, begin, start)
    return bool(later) and bool(_AT_FIRST.search(text, begin, later.start()))


def _joined_to(text: str, match: re.Match[str], start: int, end: int, others: list[Span]) -> bool:
    """Whether a phrase in the figure's clause speaks for it: no other number stands between them, or
    those that do are joined to the figure by "and" or a comma ("40 killed and 107 wounded in the
    past 24 hours")."""
    lo, hi = (end, match.start()) if match.start() >= end else (match.end(), start)
    between = sorted(o for o in others if lo <= o[0] and o[1] <= hi)
    edges = [lo] + [p for o in between for p in o] + [hi]
    gaps = [text[a:b] for a, b in zip(edges[0::2], edges[1::2])]
    gaps = gaps[:-1] if match.start() >= end else gaps[1:]  # the gaps between numbers only
    return all(_COORDINATED.fullmatch(g) and not _SUBORDINATE.search(g) for g in gaps)


_GOES_ON = compiled(r"[\s,]*(?:leaving|killing|injuring|wounding)\b", re.IGNORECASE)
_TO_NEW_COUNT = compiled(rf"[^\S\n]*,?[^\S\n]*to[^\S\n]+{_QUALIFIER}",
                        re.IGNORECASE)
_FROM_TO = compiled(rf".*\bfrom\s+{_QUALIFIER}[\d,.]+(?:\s+(?:million|thousand))?\s+to\s+{_QUALIFIER}",
                   re.IGNORECASE | re.DOTALL)
_BY_CHANGE = compiled(rf"\bby\s+(?:another\s+)?{_QUALIFIER}$", re.IGNORECASE)


def _of_the_change(text: str, match: re.Match[str], start: int, others: list[Span]) -> bool:
    """ "climbed by 3,000 overnight to more than 24,000", "jumped from 67 to 80 overnight": a period
    right after a change, or after the "from N to M" it made, speaks for the change, not for the new
    count."""
    if match.start() >= start:
        before = max((o for o in others if o[1] <= start), default=None)
        return before is not None and _FROM_TO.fullmatch(text, max(0, before[0] - 40), start) is not None \
            and not any(start < o[0] < match.start() for o in others)
    if not _TO_NEW_COUNT.fullmatch(text, match.end(), start):
        return False
    change = max((o for o in others if o[1] <= match.start()), default=None)
    return change is not None and not text[change[1]:match.start()].strip(" ,") \
        and _BY_CHANGE.search(text, max(0, change[0] - 30), change[0]) is not None


def _listed_part(text: str, sentence: Span, start: int, others: list[Span]) -> bool:
    """ "including 7,797 children, 4,959 women and 1,924 elderly people": every item of a list of parts."""
    item = start
    for o_start, o_end in sorted((o for o in others if o[1] <= start), reverse=True):
        if not _LIST_ITEM_GAP.fullmatch(text, o_end, item):
            return False
        if _PART_BEFORE.search(text[max(sentence[0], o_start - 40):o_start]):
            return True
        item = o_start
    return False


# "Of the 1,200 people killed in the attack, 318 were soldiers": the figure opening the clause after
# a sentence's "Of the N ..." phrase is a part of N
_OF_THE_OPENING = compiled(rf"[\"“‘']?(?:(?:and|but)\s+)?of\s+(?:all\s+)?(?:the|those|these)\s+{_QUALIFIER}", re.IGNORECASE)
_LEAD_IN = compiled(rf",\s*(?:only\s+)?{_QUALIFIER}")
_BARE_COMMA = compiled(r",(?!\d)")


def _part_of_opening_whole(text: str, sentence: Span, start: int, others: list[Span]) -> Span | None:
    """The whole of a sentence's "Of the N ..." opening, when the figure opens the clause after it (the
    items of a list after it are parts by their own words)."""
    before = [o for o in others if sentence[0] <= o[0] and o[1] <= start]
    if len(before) != 1 or not _OF_THE_OPENING.fullmatch(text, sentence[0], before[0][0]):
        return None
    whole = before[0]
    comma = text.rfind(",", whole[1], start)  # the one comma closing the opening phrase
    return whole if comma != -1 and _LEAD_IN.fullmatch(text, comma, start) and not _BARE_COMMA.search(text, whole[1], comma) \
        else None


def read(text: str, sentence: Span, clause: Span, wide: Span, start: int, end: int, since: dt.date | None,
         others: list[Span] = (), events: list[re.Pattern[str]] = (), later_days: list[int] = (),
         previous: Span | None = None) -> Reading:
    """The reading of the figure text[start:end] in its clause; `events` name other events,
    `later_days` are where the sentence dates an event after the story's, and `previous` is the
    sentence before it in its paragraph."""
    reading = Reading(head=heads.head_noun(text, end, sentence[1], start)
                      or heads.head_before(text, sentence, wide, start, end, others))
    before = text[max(sentence[0], start - 40):start]
    opening_whole = _part_of_opening_whole(text, sentence, start, others)
    if _PART_BEFORE.search(before) or heads.OF_GROUP.match(text, end, min(sentence[1], end + 80)) \
            or _listed_part(text, sentence, start, others) or opening_whole:
        reading.part = True  # "including 12 children", "6,600 of whom were refugees"
    clause_text = text[clause[0]:clause[1]]
    # "40 were killed and 107 wounded in the past 24 hours": the period also covers the figures joined
    # to it in one punctuated clause, unless a figure's own words make it a running total.
    # A period phrase past another number that is not joined to the figure ("risen to 92,401 after
    # registering 107 new injuries in the last day") is that number's.
    total = required.search(_TOTAL, clause_text)
    if total and total.start() < start - clause[0] and _AFTER.search(text, clause[0] + total.end(), start) \
            and not _TOTAL.search(text, end, clause[1]):
        total = None  # "The latest toll comes after 40 were killed in the past 24 hours": the 40 is the day's
    region = cue_owners.past_aside(text, sentence[1], clause if total else wide)
    # "a strike killed 10 members of a family ..., including seven children": a part has the period
    # of its whole, the number before it
    whole = reading.whole = opening_whole or (max((o for o in others if o[1] <= start), default=None) if reading.part else None)
    # "Over the past 24 hours, 165 people were killed": a sentence's opening phrase sets the period
    opening = _OPENING_PHRASE.match(text, sentence[0], start)
    if opening and any(sentence[0] <= o[0] < opening.end() for o in others):
        opening = None  # "The toll includes 21 deaths in the past 24 hours, ..." speaks of its own number
    elif opening and _WHEN_SAID.match(text, sentence[0], start):
        opening = None  # "Overnight, the police said the toll stood at 96": when it was said
    regions = [region] + ([(sentence[0], opening.end())] if opening else [])
    # "committed 13 massacres during the past 24 hours, leaving 90 dead and 164 injured": a participle
    # clause goes on with the period of the clause it follows
    if _GOES_ON.match(text, wide[0], start):
        regions.append((sentence[0], wide[0]))
    # "... during the past 24 hours. 481 Palestinians were killed in that period": the sentence before names it
    if any(_joined_to(text, m, start, end, others) for m in required.finditer(_THAT_PERIOD, text, *clause)) \
            and not _CLOSED_SPAN.search(text, sentence[0], sentence[1]) and previous and _DAY.search(text, *previous):
        reading.period = "day"
    there = () if previous and _RUNNING.search(text, *previous) else ((_THERE, "incident"),)
    for pattern, period in ((_YEAR_PERIOD, "year"), (_DAY_OF_DYING, "day"), (_INCIDENT, "incident"), *there, (_DAY, "day")):
        if any(_joined_to(text, m, start, end, others) and not _of_the_change(text, m, start, others)
               and not (m.end() <= start and required.search(_TOLL_WORD, text[m.end():start]))
               for r in regions for m in required.finditer(pattern, text, *r)) or whole and any(
                _joined_to(text, m, *whole, [o for o in others if o != whole]) for m in required.finditer(pattern, text, sentence[0], start)):
            reading.period = period
            reading.own_period = reading.part and required.search(pattern, text[end:clause[1]]) is not None
    # "three soldiers were killed in northern Gaza, raising the toll to 393": the three are one event's
    # (not "2,037 killed and 2,950 injured in the northwest, raising the toll in Syria to 3,424": parts of a place)
    raising = _RAISING_TO.match(text, end, sentence[1]) if reading.period == "total" else None
    if raising and not any(o[0] < raising.end() - 1 for o in others):  # the match ends on the total's first digit
        reading.period = "incident"
    # "could rise to N" forecasts N; "N, a provisional figure that may increase" does not
    if required.search(_FORECAST, text[max(clause[0], start - 60):start]):
        reading.forecast = True
    if required.search(_PREVIOUS_BEFORE, text[max(sentence[0], start - 60):start]) or _PREVIOUS_AFTER.match(text[end:clause[1]]) \
            or _dated_back(text, end, sentence[1], others) or _told_as_history(text, sentence[0], start) \
            or required.search(_THAT_PERIOD, clause_text) and _CLOSED_SPAN.search(text, sentence[0], sentence[1]) \
            or required.search(_CORRECTED, text, sentence[0], start):
        reading.previous = True
    # "had identified 24,686 out of 34,622 deaths, including 7,797 children": the first and its parts
    # count the identified dead; "out of 34,622", "74 of the 97 victims" name the whole.
    of_whole = _WHOLE_BEFORE.search(text, max(sentence[0], start - 40), start)
    is_whole = of_whole and any(0 <= of_whole.start() - o[1] <= 2 for o in others) \
        or _AMONG_BEFORE.search(text, max(sentence[0], start - 12), start)
    named = _IDENTIFIED.search(text, clause[0], clause[1]) or next(
        (m for m in _IDENTIFIED.finditer(text, end, wide[1]) if not any(end <= o[0] < m.start() for o in others)), None)
    reading.of_whole = bool(is_whole)
    if not is_whole and (named or reading.part and _IDENTIFIED.search(text, sentence[0], start)):
        reading.identified = not _NOT_IDENTIFIED.search(text, clause[0], max(clause[1], wide[1]))
    if is_change(text, sentence, start, end):
        reading.increment = True
    told = _with_subject(text, sentence, wide)
    # "A quake struck Duzce on Thursday, injuring 68": a later event's day before the figure, no number between
    reading.comparison = any(told[0] <= at < told[1] or at < start and not any(at < o[0] < start for o in others)
                             for at in later_days) or _another_event(text, sentence, told, start, since, others, events)
    if not reading.comparison and whole is not None:
        # "Floods killed 16 people, including 12 in Sanliurfa and two in Adiyaman": a part belongs to
        # the event of its whole, the number before the list it is an item of
        whole = list_whole(text, start, others) or whole
        whole_wide = clause_bounds(text, Sentence(*sentence), *whole, with_conjunctions=False)
        reading.comparison = _another_event(text, sentence, whole_wide, whole[0], since,
                                            [o for o in others if o != whole], events)
    return reading


# ", closed a major highway and left one person dead": a predicate that shares the subject before it
# ", killing six people and injuring 294": a participle goes on with the subject too (not "during", "including")
_PREDICATE_START = compiled(r"[\s,;]*(?:and\s+)?(?:(?:has|have|had)\s+)?(?:[a-z]+ed|"
                           r"(?!(?:during|including|according|regarding|following|excluding|concerning|bring|nothing|"
                           r"something|morning|evening)\b)[a-z]{2,}ing|left|took|taken|made|put|cut|hit|"
                           r"shut|brought|sent|set|kept|led|caught|struck|broke|broken|blew|threw|tore|torn|drove|"
                           r"swept|burnt|spread|forced|claimed|gave|given)\b")


def _with_subject(text: str, sentence: Span, wide: Span) -> Span:
    """The clause and, while it opens with a verb, the clauses before it back to the one with its subject."""
    lo = wide[0]
    while lo > sentence[0] and _PREDICATE_START.match(text, lo, wide[1]):
        lo = clause_bounds(text, Sentence(*sentence), lo - 1, lo - 1, with_conjunctions=False)[0]
    return lo, wide[1]


def list_whole(text: str, start: int, others: list[Span]) -> Span | None:
    """The number before the list whose item starts at `start`; None when the list opens the sentence."""
    item = start
    for before in sorted((o for o in others if o[1] <= start), reverse=True):
        if not _LIST_ITEM_GAP.fullmatch(text, before[1], item):
            return before
        item = before[0]
    return None


_SINCE_BEFORE = compiled(r"\bsince\s+$", re.IGNORECASE)
# "the deadliest since 1999, when more than 17,000 people died": the year's own event
_WHEN_AFTER = compiled(r",?\s+when\b", re.IGNORECASE)


def _another_event(text: str, sentence: Span, wide: Span, start: int, since: dt.date | None, others: list[Span],
                   events: list[re.Pattern[str]]) -> bool:
    """Whether the figure at `start` counts an earlier or other event: one that `events` name in its
    clause, or a year before the story began with no other number between it and the figure."""
    if events:
        # "the Great Chicago Fire, which killed roughly 300": a relative clause speaks of the words before it
        lo = wide[0]
        if _RELATIVE.match(text, lo, wide[1]):
            lo = max([sentence[0]] + [m.end() for m in _PUNCT.finditer(text, sentence[0], max(sentence[0], lo - 1))])
        if any(pattern.search(text, lo, wide[1]) for pattern in events):
            return True
    if since is not None:
        for match in _YEAR.finditer(text, sentence[0], sentence[1]):
            lo, hi = sorted((match.start(), start))
            # ("The territory of 2.3 million people has been under blockade since 2007": a state since then)
            if int(match.group(1)) < since.year and not any(lo < o[0] < hi for o in others) \
                    and not (_SINCE_BEFORE.search(text, max(sentence[0], match.start() - 7), match.start())
                             and not _WHEN_AFTER.match(text, match.end())):
                return True
    return False
