"""What the words around a figure say about it: its qualifier and its date (whom it is credited to:
figcheck.extract.claimants)."""

from __future__ import annotations

import datetime as dt
import re

from figcheck.dates import MONTH_WORD, MONTHS, weekday_before
from figcheck.extract import required
from figcheck.regexcache import compiled

# "past" is a bound only after a verb of rising ("climbed past 45,000"): "the past 24 hours" is not.
_PAST_AFTER_A_RISE = "|".join(rf"(?<={verb}\s)past" for verb in (
    "climbed", "rose", "risen", "went", "gone", "pushed", "surged", "soared", "crept", "edged", "jumped", "shot",
    "moved", "climbs", "rises", "goes", "pushes", "surges", "creeps", "edges"))
# "ticked up to 3.9 percent" is the new level, not a ceiling: "up" belongs to the verb.
_UP_TO_NOT_AFTER_A_RISE = "".join(rf"(?<!{verb}\s)" for verb in (
    "ticked", "inched", "edged", "crept", "went", "gone", "moved", "jumped", "shot", "climbed", "pushed", "bumped",
    "revised", "back", "ticks", "inches", "edges", "creeps", "goes", "moves", "jumps", "climbs", "pushes")) + "up to"

# Qualifier phrases, longest first within each group, mapped to (qualifier id, which bound the value is).
_QUALIFIERS: list[tuple[str, str, str | None]] = [
    (r"less than or equal to|fewer than or equal to|(?:less|smaller|lower|fewer) or equal (?:than|to)|"
     r"equal to or (?:less|fewer|lower|smaller) than|≤|<=|no more than|not more than|at most|a maximum of|maximum of|"
     r"no greater than|not exceeding", "up_to", "high"),
    (r"(?:more|greater|higher|larger|bigger) than or equal to|(?:more|greater|higher|larger|bigger) or equal (?:than|to)|"
     r"equal to or (?:more|greater|higher|larger|bigger) than|at least or equal to|≥|>=", "at_least", "low"),
    (r"slightly more than|a little more than|well over|well above|just over|a little over|slightly over|just above|"
     r"more than|greater than|larger than|higher than|bigger than|upwards? of|in excess of|north of|above|beyond|"
     r"exceed(?:ed|ing|s)?|tops|topped|topping|(?<!the\s)(?<!its\s)(?<!their\s)top|surpass(?:ed|ing|es)?|"
     r"pass(?:ed|ing|es)?|cross(?:ed|ing|es)?|>(?!=)|" + _PAST_AFTER_A_RISE, "more_than", "low"),
    # "Hamas handed over 17 captives", "turned over 40 bodies": a transfer, not a bound
    (r"(?<!hand\s)(?<!hands\s)(?<!handed\s)(?<!handing\s)(?<!turn\s)(?<!turns\s)(?<!turned\s)(?<!turning\s)over",
     "over", "low"),
    (r"at least|no fewer than|no less than|not less than|not fewer than|a minimum of|as few as|as little as|as low as",
     "at_least", "low"),
    (r"nearly|almost|close to|just under|a little under|just shy of|shy of|just short of|just below|slightly fewer than|"
     r"slightly less than|just less than|just fewer than|barely|approaching|approached|approaches|nears|nearing|neared|"
     r"nigh on|getting on for|the best part of|the better part of", "nearly", "high"),
    (_UP_TO_NOT_AFTER_A_RISE + r"|upto|as many as|as much as|as high as", "up_to", "high"),
    (r"fewer than|less than|lower than|smaller than|well under|well below|under|below|south of|<(?!=)", "fewer_than",
     "high"),
    (r"some|about|roughly|around|approximately|an approximate|approx\.|an estimated|estimated|circa|c\.|"
     r"more or less|near|"
     r"~|≈|in the region of|(?:on|of) the order of|in the vicinity of", "approx", None),
]
_QUALIFIER_RE = compiled(
    "(?:" + "|".join(rf"(?P<q{i}>(?<![\w])(?:{words}))" for i, (words, _, _) in enumerate(_QUALIFIERS)) + r")\s*$",
    re.IGNORECASE,
)


# Every qualifier phrase opens with a letter or a sign ("~", ">", "≤"...) that no word character stands before.
_QUALIFIER_OPENING = compiled(r"(?<![\w])(?:[^\W\d_]|[~<>≤≥≈])")


def qualifier_before(text: str, start: int, floor: int) -> tuple[str, int, str | None]:
    """The qualifier ending right before `start`: (id, where it starts, 'low'|'high'|None)."""
    window = text[max(floor, start - 40):start]
    match = None
    for opening in _QUALIFIER_OPENING.finditer(window):  # what _QUALIFIER_RE.search finds, tried where it can start
        match = _QUALIFIER_RE.match(window, opening.start())
        if match:
            break
    if not match:
        return "exact", start, None
    index = int(match.lastgroup[1:])
    _, qualifier, bound = _QUALIFIERS[index]
    return qualifier, start - len(window) + match.start(), bound


_LOOKBEHIND = compiled(r"\(\?<[!=].*?\)")


def _last_words(table) -> tuple[frozenset[str], tuple[str, ...]]:
    """The words a qualifier phrase can end with, read off _QUALIFIERS: whole words, and stems
    for inflected ones ("exceed(?:ed|ing|s)?" -> "exceed")."""
    words: set[str] = set()
    stems: set[str] = set()
    for phrases, _, _ in table:
        depth, alternatives, current = 0, [], ""
        for char in phrases:
            depth += char == "("
            depth -= char == ")"
            if char == "|" and depth == 0:
                alternatives.append(current)
                current = ""
            else:
                current += char
        alternatives.append(current)
        for alternative in alternatives:
            last = _LOOKBEHIND.sub("", alternative).replace("\\", "").split(" ")[-1]
            if last.startswith("(?:") and last.rstrip("?").endswith(")"):
                words.update(last.rstrip("?")[3:-1].split("|"))
            elif "(" in last:
                stems.add(last.split("(")[0])
            else:
                words.add(last.replace("\\s", ""))
    return frozenset(words), tuple(sorted(stems))


_QUALIFIER_ENDS, _QUALIFIER_STEMS = _last_words(_QUALIFIERS)


def may_end_qualifier(norm: str, start: int, floor: int) -> bool:
    """Whether the word before the number can end a qualifier: saves the qualifier search for most numbers."""
    window = norm[max(floor, start - 16):start]
    if window.rstrip()[-1:] in ("~", "<", ">", "=", "≤", "≥", "≈"):
        return True
    words = window.split()
    last = words[-1].lower().lstrip("([\"'“‘") if words else ""  # "(about 60% of them)"
    return last in _QUALIFIER_ENDS or last.startswith(_QUALIFIER_STEMS)


_WEEKDAY = r"(?P<last>last\s+)?(?P<day>monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today)"
# A day written in the sentence: a weekday, yesterday/today, or a calendar date without or with its year.
DAY_MENTION = compiled(
    rf"\b(?:{_WEEKDAY}(?:\s+(?:night|morning|evening|afternoon))?(?![’']s)"
    rf"|(?P<md_month>{MONTH_WORD})\s+(?P<md_day>\d{{1,2}})(?!\d|:)(?:,?\s+(?P<md_year>(?:19|20)\d\d))?"
    rf"|(?P<dm_day>\d{{1,2}})\s+(?P<dm_month>{MONTH_WORD})(?:,?\s+(?P<dm_year>(?:19|20)\d\d))?)\b(?![’']s)",
    re.IGNORECASE)
# Words that make a day the date of the event itself, not of the count: "the quake that struck on
# Monday", "since October 7", "the operation on 6 May".
_EVENT_BEFORE = compiled(
    r"(?:\b(?:struck|hit|began|begun|started|erupted|broke\s+out|occurred|happened|rocked|shook|ignited|sparked|"
    r"launched|stormed|attacked|tore|ripped|swept|raged|roared|razed|engulfed|devastated|destroyed|levell?ed|flattened|seized|abducted|kidnapped|taken|took|captured)\b(?:(?!\b(?:said|says|told|reported|announced|added|stated)\b)[^\W\d_]|[\s,’'-]){0,30}?"
    r"\s+(?:on\s+|of\s+)?"
    r"|\b(?:since|until|till|from|through|between|after|before|during|following|killed\s+on|"
    r"(?:earth)?quakes?|fires?|blaze|wildfires?|tsunami|operation|offensive|assault|attack|raid|war|truce|ceasefire|"
    r"invasion|incursion|rampage|massacre|onslaught|bombardment|aggression|born|died)\b"
    r"(?!\s+(?:rose|risen|climbed|reached|stood|passed|topped|jumped|increased|grew)\b)"  # "the quakes climbed on Friday to"
    r"(?:[^\W\d]|[\s,’'-]){0,12}?\s+(?:on\s+|of\s+)?"
    r"|\b(?:\d{1,2}|to|and|-|–)\s*)$",
    re.IGNORECASE)
# "N died in the fire, which tore through the town on August 8": a relative clause after the figure
# dates what it describes.
_RELATIVE_ASIDE = compiled(r",\s*(?:which|where)\b(?:(?!\b(?:said|says|told|reported|announced|stated|added)\b)[^;:])*$",
                          re.IGNORECASE)
# "the Feb. 6 earthquakes", "the October 7 attack": the date names the event, not the count.
_EVENT_AFTER = compiled(
    # "the Feb. 6 quake", "October 7-8", "On 7 October, a Hamas-led surprise attack ...": the day names the event
    r"^\s*(?!that\b)(?:(?:,\s*)?(?:to|-|–|and)\s+\d\d?(?![\d,.])|(?:,\s*)?(?:,?\s*20\d\d,?\s+)?"
    r"(?:(?!(?:the|its|their|raised|lowered|revised|updated|put|said|says)\b)[\w-]+\s+){0,2}?(?:(?:earth)?quakes?|tremors?|attacks?|assault|fires?|wildfires?|blaze|strikes?|raids?|massacre|disaster|"
    r"tsunami|storm|floods?|explosion|war\b)"
    r"|,\s*(?:an?|the)\s+(?:[\w-]+\s+){0,3}?(?:(?:earth)?quakes?|tremors?|attacks?|assault|fires?|wildfires?|blaze|strikes?|raids?|massacre|disaster|"
    r"tsunami|storm|floods?|explosion|war\b))",
    re.IGNORECASE)


# "Between the afternoons of 9 and 10 July, 52 were killed": the UN's daily count speaks for the span's last day
_DAY_SPAN_END = compiled(r"\bbetween\s+the\s+(?:mornings|afternoons|evenings|nights|noons)\s+of\s+\d{1,2}"
                        r"(?:\s+[A-Z][a-z]+)?\s+and\s+$", re.IGNORECASE)
_EARLIER_VALUE = compiled(r"\b(?:up|down)\s+from\s+(?:[^\d.;:]{0,20}?)\d", re.IGNORECASE)
_SINCE_THEN = compiled(r"\b(?:(?:has|have|had)\s+(?:\w+\s+)?since|since\s+then|ever\s+since)\b", re.IGNORECASE)
_AGO = compiled(r"\bago\s+$")  # "Four months ago today, a fire swept through Lahaina": not today's event
_AS_OF = compiled(r"\b(?:as\s+of|as\s+at|by)\s+(?:(?:late|early)\s+)?$", re.IGNORECASE)


# The day an event happened, as a later event's is told: "A quake struck Duzce province in northwest
# Turkey early on Thursday" (the verb may stand further off than _EVENT_BEFORE reads), "the fire on
# Tuesday"; not "since Sunday" or "an increase of 4 from Sunday", which date a count's change.
# ("Hotels began welcoming visitors on Sunday", "flights started to land on Wednesday": no event begins)
# ("The quakes that struck six days ago rose on Sunday to 33,000": the day is the count's, the event's was before)
_EVENT_VERB = compiled(r"\b(?:struck|hit|jolted|rocked|shook|broke\s+out|erupted|ignited|sparked|"
                      r"(?:began|started)(?!\s+(?:[a-z]+ing|to)\b))\b"
                      r"(?:(?!\b(?:said|says|told|reported|announced|added|stated|ago|rose|risen|climbed|reached|"
                      r"stood|passed|topped)\b)[^.;:\d])*$"
                      r"|\b(?:(?:earth)?quakes?|tremors?|aftershocks?|fires?|blazes?|wildfires?|tsunami)\b"
                      r"(?!\s+(?:rose|risen|climbed|reached|stood|passed|topped|jumped|increased|grew)\b)"
                      r"(?:[^\W\d]|[\s,’'-]){0,12}?\s+(?:on\s+|of\s+)?$", re.IGNORECASE)


# "in Monday's tremor": a weekday's own event
_WEEKDAY_EVENT = compiled(rf"\b{_WEEKDAY}['’]s\s+(?:[\w-]+\s+)?(?:(?:earth)?quakes?|tremors?|aftershocks?|fires?|blazes?|"
                         r"wildfires?)\b", re.IGNORECASE)


def event_days(text: str, s_start: int, s_end: int, published: dt.date | None) -> list[tuple[int, dt.date]]:
    """Where the sentence names a day as an event's, and the day: "a quake struck Duzce early on Thursday"."""
    if published is None:
        return []
    # "Monday's earthquakes" in a paper of a Monday are a week old, not today's
    owned = [(match.start(), _resolve(match, published) if match.group("day").lower() in ("today", "yesterday")
              else weekday_before(published, match.group("day").lower(), strictly=True))
             for match in required.finditer(_WEEKDAY_EVENT, text, s_start, s_end)]
    return owned + [(match.start(), date) for match in required.finditer(DAY_MENTION, text, s_start, s_end)
                    if not _AS_OF.search(text[max(s_start, match.start() - 45):match.start()])
                    and not _AGO.search(text, max(s_start, match.start() - 8), match.start())
                    and (_EVENT_VERB.search(text, max(s_start, match.start() - 80), match.start())
                         or _EVENT_AFTER.match(text[match.end():match.end() + 40]))
                    and (date := _resolve(match, published)) is not None]


def as_of(text: str, s_start: int, s_end: int, clause: tuple[int, int], published: dt.date | None,
          f_start: int | None = None) -> dt.date | None:
    """The date the figure speaks for: publication, or the day its sentence names for the count.

    The nearest day named in the sentence counts ("said Friday", "on Sunday", "as of April 30",
    "In its May 8 report"), unless it dates the event itself ("the quake that struck on Monday",
    "since October 7", "Monday's quake") or lies after publication.
    """
    if published is None:
        return None
    anchor = clause[0] if f_start is None else f_start
    best: tuple[int, dt.date] | None = None
    for match in required.finditer(DAY_MENTION, text, s_start, s_end):
        before = text[max(s_start, match.start() - 45):match.start()]
        # "As of Feb. 14, the quake had killed ...", "between the afternoons of 9 and 10 July": the count's day
        if not (_AS_OF.search(before) or _DAY_SPAN_END.search(before)) and (
                _EVENT_BEFORE.search(before) or _EVENT_AFTER.match(text[match.end():match.end() + 40]) or
                match.start() > anchor and _RELATIVE_ASIDE.search(text, anchor, match.start())):
            continue
        if match.start() > anchor and _EARLIER_VALUE.search(text, anchor, match.start()):
            continue  # "rose to 114, up from 111 on Monday": the day of the earlier value
        if match.end() <= anchor and _SINCE_THEN.search(text, match.end(), anchor):
            continue  # "On Oct. 7, gunmen killed 1,200, and the war has since killed 37,000": the day is past
        date = _resolve(match, published)
        if date is None or date > published or date.year < published.year - 3:
            continue  # "on May 22, 1960" dates another event
        distance = abs(match.start() - anchor)
        if best is None or distance < best[0]:
            best = (distance, date)
    return best[1] if best else published


def _resolve(match: re.Match[str], published: dt.date) -> dt.date | None:
    if match.group("day"):
        day = match.group("day").lower()
        if day == "today":
            return published
        if day == "yesterday":
            return published - dt.timedelta(days=1)
        return weekday_before(published, day, strictly=bool(match.group("last")))
    month = match.group("md_month") or match.group("dm_month")
    day_of_month = int(match.group("md_day") or match.group("dm_day"))
    year = match.group("md_year") or match.group("dm_year")
    try:
        date = dt.date(int(year) if year else published.year, MONTHS[month[:3].lower()], day_of_month)
    except ValueError:
        return None
    if not year and date > published:
        date = date.replace(year=published.year - 1) if not (date.month == 2 and date.day == 29) else None
    return date
