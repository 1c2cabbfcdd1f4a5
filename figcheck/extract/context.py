"""What the words around a figure say about it: its qualifier, whom it is credited to, its date."""

from __future__ import annotations

import datetime as dt
import re

from figcheck.dates import weekday_before

# Qualifier phrases, longest first within each group, mapped to (qualifier id, which bound the value is).
_QUALIFIERS: list[tuple[str, str, str | None]] = [
    (r"slightly more than|well over|well above|just over|more than|upwards of|in excess of|above|beyond|"
     r"exceed(?:ed|ing|s)?|top(?:ped|ping|s)?|surpass(?:ed|ing|es)?|pass(?:ed|ing|es)?|cross(?:ed|ing|es)?", "more_than", "low"),
    (r"over", "over", "low"),
    (r"at least|no fewer than|no less than|a minimum of", "at_least", "low"),
    (r"nearly|almost|close to|just under|just shy of|just below|approaching|nears|nearing|neared", "nearly", "high"),
    (r"up to|as many as|as much as", "up_to", "high"),
    (r"fewer than|less than|under|below", "fewer_than", "high"),
    (r"some|about|roughly|around|approximately|approx\.|an estimated|estimated|circa|c\.|more or less|~", "approx", None),
]
_QUALIFIER_RE = re.compile(
    "(?:" + "|".join(rf"(?P<q{i}>(?<![\w])(?:{words}))" for i, (words, _, _) in enumerate(_QUALIFIERS)) + r")\s*$",
    re.IGNORECASE,
)
_BETWEEN = re.compile(r"(?<![\w])between\s+$", re.IGNORECASE)  # searched with endpos: $ is the figure
_RANGE_JOIN = re.compile(r"^\s*(?:and|to|-|–|—)\s*$", re.IGNORECASE)


def qualifier_before(text: str, start: int, floor: int) -> tuple[str, int, str | None]:
    """The qualifier ending right before `start`: (id, where it starts, 'low'|'high'|None)."""
    window = text[max(floor, start - 40):start]
    match = _QUALIFIER_RE.search(window)
    if not match:
        return "exact", start, None
    index = int(match.lastgroup[1:])
    _, qualifier, bound = _QUALIFIERS[index]
    return qualifier, start - len(window) + match.start(), bound


def range_start(text: str, start: int, floor: int) -> int | None:
    """Where "between" starts, when it stands right before `start`."""
    window_start = max(floor, start - 12)
    match = _BETWEEN.search(text, window_start, start)
    return match.start() if match else None


def joins_range(text: str, end: int, next_start: int) -> bool:
    return bool(_RANGE_JOIN.match(text[end:next_start]))


_FROM = re.compile(r"(?<![\w])from\s+(?:(?:around|about|roughly|some|nearly|almost|more\s+than|over)\s+)?$", re.IGNORECASE)


def from_to(text: str, start: int, floor: int, end: int, next_start: int) -> bool:
    """'rose from 33,000 to 34,000': a change, an earlier value then the current one, not a range."""
    return bool(_FROM.search(text[max(floor, start - 24):start])) and text[end:next_start].strip().lower() == "to"


SPEECH = (r"(?:says?|said|saying|claims?|claimed|reports?|reported|told|tells?|stated|states|announced?|announces|"
          r"estimates?|estimated|confirms?|confirmed|insists?|insisted|notes?|noted|believes?|believed|counts?|counted|"
          r"puts?|tallied|recorded)")
_ACCORDING = re.compile(r"\baccording to\s+(?:the\s+)?(?P<who>[^,.;:()“”\"]{2,80}?)(?=\s*[,.;:()“”\"]|\s+(?:who|which|that|as|in)\b|$)",
                        re.IGNORECASE)
_SPEECH_VERB = re.compile(rf"\b(?:reportedly\s+|also\s+|previously\s+|have\s+|has\s+|had\s+)?{SPEECH}\b", re.IGNORECASE)
_WHO_SAYS = re.compile(rf"^\s*(?:of\s+(?:them|whom)\s+)?(?:who|whom|which|that)\s+(?:the\s+)?(?P<who>[^,.;:]{{2,60}}?)\s+{SPEECH}\b",
                       re.IGNORECASE)
_POSTPOSED = re.compile(rf",\s*(?P<who>[^,.;:]{{2,80}}?)\s+(?:also\s+)?{SPEECH}(?:\s+on)?(?:\s+\w+)?\s*(?:[,;]|[.!?]?[\"”’]*\s*$)",
                        re.IGNORECASE)
_STOP_WORDS = {"that", "where", "which", "while", "as", "but", "because", "when", "if", "after", "before", "though",
               "although", "since", "and", "so", "whereas", "than", "who", "whom"}
_SOURCE_WORDS = re.compile(r"\b(?:officials?|ministry|ministries|authorities|authority|army|military|police|spokes\w+|"
                           r"agency|agencies|office|media|government|health|figures|data|estimates?|UN|OCHA|WHO|UNRWA|"
                           r"IDF|forces|sources?|statement|report|group|organi[sz]ation|department|service|council|"
                           r"committee|centre|center|red cross|red crescent)\b", re.IGNORECASE)
POSTPOSED_REACH = 60  # characters between a figure and a sentence-final ", officials said."


def claimant(text: str, s_start: int, s_end: int, f_start: int, f_end: int) -> str | None:
    """Whom the sentence credits for the figure, or None."""
    sentence = text[s_start:s_end]
    match = _ACCORDING.search(sentence)
    if match:
        return _tidy(match.group("who"))
    match = _WHO_SAYS.match(text[f_end:s_end])
    if match and match.start("who") < 30:
        return _tidy(match.group("who"))
    before = text[s_start:f_start]
    for verb in reversed(list(_SPEECH_VERB.finditer(before))):
        who = _subject_before(before, verb.start())
        if who:
            return who
    match = _POSTPOSED.search(text[f_end:s_end])
    if match and match.start("who") <= POSTPOSED_REACH:
        who = _tidy(match.group("who"))
        if who and (_SOURCE_WORDS.search(who) or who[:1].isupper()):
            return who
    return None


def _subject_before(text: str, verb_start: int) -> str | None:
    """The noun phrase right before a speech verb, if it reads as a source."""
    head = text[:verb_start].rstrip().rstrip(",")  # "the spokesman, Vedant Patel, said"
    tokens = re.findall(r"[\w’'.&-]+|[^\w\s]", head)
    words: list[str] = []
    for token in reversed(tokens):
        if not re.match(r"[\w]", token) or token.lower() in _STOP_WORDS or len(words) >= 8:
            break
        words.append(token)
    phrase = _tidy(" ".join(reversed(words)))
    if not phrase or not (_SOURCE_WORDS.search(phrase) or any(w[:1].isupper() for w in phrase.split())):
        return None
    if phrase.lower() in ("it", "he", "she", "they", "we", "i", "you", "this", "there"):
        return None
    return phrase


def _tidy(phrase: str | None) -> str | None:
    if not phrase:
        return None
    phrase = re.sub(r"^(?:the|a|an)\s+", "", phrase.strip(" ’'\"“”"), flags=re.IGNORECASE).strip(" ’'\"“”")
    return phrase or None


_DAY_WORD = r"(?P<last>last\s+)?(?P<day>monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday)"
# A weekday dates a figure only when it says when the figure was given: "said Friday", "on Friday, ...".
_SAID_DAY = re.compile(rf"\b{SPEECH}\s+(?:on\s+)?{_DAY_WORD}\b", re.IGNORECASE)
_DAY_OPENER = re.compile(rf"^\s*(?:on\s+|by\s+|as\s+of\s+)?{_DAY_WORD}\s*,", re.IGNORECASE)
_DAY_CLOSER = re.compile(rf",[^,]{{0,60}}\b{SPEECH}\s+(?:on\s+)?{_DAY_WORD}\s*[.!?]?[\"”’]*\s*$", re.IGNORECASE)


def as_of(text: str, s_start: int, s_end: int, clause: tuple[int, int], published: dt.date | None) -> dt.date | None:
    """The date the figure speaks for: publication, or the day the sentence says the figure was given.

    The day counts when a speech verb in the figure's clause names it ("officials said Friday
    that ..."), when it opens the sentence ("On Friday, ..."), or when it closes it in a
    trailing attribution ("..., the ministry said Friday.").
    """
    if published is None:
        return None
    sentence = text[s_start:s_end]
    match = (_SAID_DAY.search(text, clause[0], clause[1]) or _DAY_OPENER.match(sentence)
             or _DAY_CLOSER.search(sentence))
    if not match:
        return published
    day = match.group("day").lower()
    if day == "yesterday":
        return published - dt.timedelta(days=1)
    return weekday_before(published, day, strictly=bool(match.group("last")))
