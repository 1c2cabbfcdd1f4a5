"""What a figure counts: the noun phrase after it ("500 children", "of them were women"), or the
group named before it ("women and children make up two-thirds", "the number of soldiers killed rose
to 796", "Journalists killed in the war pass 100"). Facts about the wording, the same for every pack
(figcheck.extract.scope reads the rest of the clause).
"""

from __future__ import annotations

import re

from figcheck.extract import required
from figcheck.extract.number_tokens import TENS, UNITS
from figcheck.regexcache import compiled

Span = tuple[int, int]

# Words that end a noun phrase after a number: verbs, prepositions, determiners, conjunctions.
_STOP = frozenset("""
a an the and or but nor as at by for from in into of on onto over per since than that these this those
to under until up upon via was were is are be been being has have had who whom which whose while when
where with within without across after before during among amid against including alone so far more
less also still now already yet reportedly each had will would could may might must can should did do does
according said says say told last next week weeks month months year years day days today yesterday tomorrow
overnight early late earlier later ago respectively previously initially originally recently officially altogether monday tuesday wednesday thursday friday saturday sunday remain remains remained
died live lived fled left lost need needs needed face faced suffer suffered
""".split())
_ING_NOUNS = frozenset({"living", "surviving", "remaining", "building", "buildings", "wedding"})
_LEADING = frozenset({"new", "more", "other", "others'", "additional", "further", "fresh", "confirmed", "reported"})
# "the number of Israeli soldiers killed rose to 796", "the toll among journalists has risen to 95": the
# group stands before the number.
_NUMBER_OF = compiled(
    # "the toll of the earthquake in Turkey": an event, not who is counted
    r"\b(?:(?:number|total|toll|count|tally)\s+of|toll\s+among)\s+(?!(?:(?:the|this|that|its|their)\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:wars?|conflict|fighting|violence|(?:earth)?quakes?|tremors?|fires?|wildfires?|blaze|disaster|attacks?|offensive|"
    r"assault|bombardment|strikes?|floods?|storms?|hurricanes?|tsunami)\b)(?:the\s+)?(?P<group>(?:[^\W\d_][\w’'-]*\s+){0,3}?[^\W\d_][\w’'-]*?)"
    # "the number of martyrs of the aggression on Gaza rises to 22,835": "of" opens the group's complement
    r"(?=\s+(?:killed|dead|injured|wounded|who|that|there|here|of|has|have|had|is|was|were|rose|risen|stands?|stood|reached|"
    r"climbed|jumped|increased|dropped|fell|fallen|declined|decreased|dipped|grew|grown|soared|surged|topped|passed|"
    r"exceeded|hit|neared|to|at|in|from|since|across|throughout|on|over|during|among|by|for|within|under)\b)",
    re.IGNORECASE)
# "bringing to 48 the number of soldiers killed": the group follows, past "the number of"
_NUMBER_OF_AFTER = compiled(
    r"\s+the\s+(?:overall\s+|total\s+)?(?:number|total|toll|tally|count)\s+of\s+(?P<group>(?:[^\W\d_][\w’'-]*\s+){0,2}?"
    r"[^\W\d_][\w’'-]*?)(?=\s+(?:killed|dead|injured|wounded|who|that|freed|released|rescued|held|taken|missing|"
    r"displaced|in|since|on|at|by|across|during)\b|\s*[,.;])", re.IGNORECASE)
_WORD = compiled(r"[^\W\d_][\w’'-]*")
_NUMBER_WORDS = frozenset(UNITS) | frozenset(TENS) | {"a", "an", "dozens", "hundreds", "thousands"}
_SERIAL_ITEM = r"[^\W\d_][\w’'-]*(?:\s+[^\W\d_][\w’'-]*)?"
_SERIAL = compiled(rf"\s*(?P<list>{_SERIAL_ITEM}(?:,\s+{_SERIAL_ITEM})+,?\s+(?:and|or)\s+{_SERIAL_ITEM})\b")
_FOOTNOTE = compiled(r"(?<=[a-z]{3})\d{1,2}$")
# "N of them were children", "N of those killed were women": the group comes after the copula.
OF_GROUP = compiled(
    r"\s+of\s+(?:them|whom|which|those|these|the\s+[\w-]+)(?:\s+[\w-]+){0,4}?\s+(?:are|were|was|is|have\s+been|had\s+been)\s+"
    r"|\s+of\s+(?:them|whom|which)\s+", re.IGNORECASE)
# "10 of Gaza's 36 hospitals", "74 out of the 97 victims": the part counts what its whole counts
_OF_NUMBERED_WHOLE = compiled(r"\s+(?:out\s+)?of\s+(?:(?:the|its|their|all)\s+)?(?:[\w-]+(?:'s|’s)\s+)?\d[\d,.]*"
                             r"(?:\s+(?:million|thousand))?(?=\s)", re.IGNORECASE)
# "220 of its staff", "40 of their members": the owner's people, named after "its"
_OF_OWN = compiled(r"\s+of\s+(?:its|their|his|her|our)(?=\s)", re.IGNORECASE)
# "Fifty are men", "six are Thais", "one is Nepalese": a breakdown's group, or its nationals
_COPULA_GROUP = compiled(r"\s+(?:are|were|is|was)\s+(?=(?:\w+\s+)?(?:children|women|men|minors|elderly|soldiers|troops|"
                        r"police|civilians|foreigners|foreign\s+nationals|journalists|military\s+personnel|"
                        r"(?-i:[A-Z][a-z]+(?:is|ns|ais|ese)\b)))", re.IGNORECASE)

# "women and children make up around two-thirds of the dead": the group stands before the verb.
# (not "authorities were able to account for 99 percent": the group is no verb phrase)
_GROUP_WORD = r"\b(?!(?:to|were|was|are|is|have|has|had|able|could|can|will|would)\b)[^\W\d_][\w’'-]*"
_GROUP_BEFORE = compiled(rf"(?P<group>(?:{_GROUP_WORD}\s+){{0,3}}{_GROUP_WORD})\s+(?:make|makes|made)\s+up\s+$"
                        rf"|(?P<group2>(?:{_GROUP_WORD}\s+){{0,3}}{_GROUP_WORD})\s+(?:accounts?|accounted)\s+for\s+$",
                        re.IGNORECASE)
_LABEL_DASH = compiled(r"[^\S\n]*[—–][^\S\n]*|[^\S\n]+-[^\S\n]+")
_LIST_LINE_START = compiled(r"(?:^|\n)[^\S\n]*[▪•·*●◦‣■➤>-]?[^\S\n]*$")
_PLACE_OF = compiled(r"\b(?:a|the)\s+(?:(?:small|large|coastal|historic|seaside|border|southern|northern|tiny|densely[- ]"
                    r"populated|[\w-]+-strong)\s+)?(?:town|city|village|community|territory|enclave|country|nation|island|"
                    r"region|province|strip)\s+of\s+(?:about\s+|around\s+|some\s+|roughly\s+|nearly\s+|almost\s+|more\s+than\s+|"
                    r"over\s+|an\s+estimated\s+)?$", re.IGNORECASE)
# "Journalists killed in the war pass 100", "Children killed in Gaza now number 14,000": the subject
# of the verb before a bare number, the dead of a group, is what it counts (not "The quake killed 3,500")
_KILLED_SUBJECT = compiled(
    r"\W*(?P<group>(?:[^\W\d_][\w’'-]*\s+)?[^\W\d_][\w’'-]*)\s+(?:killed|dead|slain)"
    r"(?:\s+(?:in|since|during|across|on|by)\s+[^,;:.\d]{1,40}?)?\s+(?:(?:now|has|have)\s+)?"
    r"(?P<verb>(?:rises?|rose|risen|climbs?|climbed|jumps?|jumped)\s+to\s+|reach(?:es|ed)?\s+|hits?\s+|stands?\s+at\s+|"
    r"stood\s+at\s+|total(?:s|led|ed)?\s+|number(?:s|ed)?\s+)?$", re.IGNORECASE)
_VERB_QUALIFIER = compiled(r"(?:pass(?:es|ed)?|tops?|topped|exceed(?:s|ed)?|surpass(?:es|ed)?|near(?:s|ed)?)\s", re.IGNORECASE)


def head_noun(text: str, end: int, stop: int, start: int | None = None) -> str | None:
    """The noun phrase right after the number, up to three words: '500 children', 'of them were women';
    or a list of three or more groups: 'of the dead were women, children and older people'. A
    figure that opens a line of a list ("▪ 2,719 — structures exposed to the fire") names it past the dash."""
    rest = text[end:min(stop, end + 80)]
    dash = _LABEL_DASH.match(rest)
    if dash and start is not None and _LIST_LINE_START.search(text, max(0, start - 8), start):
        rest = " " + rest[dash.end():]
    if inverted := _NUMBER_OF_AFTER.match(rest):
        return inverted.group("group")
    group = OF_GROUP.match(rest) or _COPULA_GROUP.match(rest) or _OF_NUMBERED_WHOLE.match(rest) or _OF_OWN.match(rest)
    if group:
        rest = rest[group.end():]
    elif rest[:1] not in (" ", "\u00a0"):
        return None
    serial = _SERIAL.match(rest)
    if serial and not any(w.lower() in _STOP for w in _WORD.findall(serial.group("list"))[:-1] if w.lower() not in ("and", "or")):
        return serial.group("list")
    words: list[str] = []
    position = 0
    joined = False
    for match in _WORD.finditer(rest):
        word = _FOOTNOTE.sub("", match.group())  # "Syrian refugees1": a footnote's mark is no part of the word
        if rest[position:match.start()].strip().strip("“”\"‘") or len(words) >= 4:  # “active cases”
            break
        if word.lower() == "and" and words and not joined:  # "women and children"
            words.append(word)
            joined = True
            position = match.end()
            continue
        lower = word.lower()
        if lower in _STOP or (words and (lower.endswith("ing") and lower not in _ING_NOUNS or lower.endswith("ed"))):
            break  # "52 dead arriving at hospitals", "6,400 buildings collapsed": the predicate starts
        if not words and word.lower() in _LEADING:
            position = match.end()  # "107 new injuries", "6 other hostages": the noun follows
            continue
        words.append(word)
        position = match.end()
    if joined and (k := [w.lower() for w in words].index("and")) + 1 < len(words) \
            and words[k + 1].lower().split("-")[0] in _NUMBER_WORDS:
        del words[k:]  # "15 women and two children": the next figure's noun is its own
    if words and words[-1].lower() == "and":
        words.pop()
    return " ".join(words) or None


def head_before(text: str, sentence: Span, wide: Span, start: int, end: int, others: list[Span]) -> str | None:
    """The group named before a figure with no noun after it, or None."""
    if _PLACE_OF.search(text, max(sentence[0], start - 60), start):
        return "inhabitants"  # "in a town of 12,700", "a city of some 2 million": who lives there
    group = required.search(_GROUP_BEFORE, text[max(sentence[0], start - 40):start])
    if group:
        return group.group("group") or group.group("group2")
    named = list(required.finditer(_NUMBER_OF, text, wide[0], start))
    if named and not any(named[-1].end() < o[0] < start for o in others):
        return named[-1].group("group")
    subject = _KILLED_SUBJECT.match(text, sentence[0], start)
    if subject and (subject.group("verb") or _VERB_QUALIFIER.match(text, start, end)):
        return subject.group("group")
    return None
