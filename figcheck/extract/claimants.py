"""Whom an article credits for a figure: "according to X", "X said", "..., X said.", a quotation's
speaker, a pronoun standing for the source named before."""

from __future__ import annotations

import re

from figcheck.dates import MONTH_WORD, WEEKDAYS
from figcheck.extract import required
from figcheck.extract.context import DAY_MENTION
from figcheck.extract.text import PARAGRAPH_BREAK
from figcheck.regexcache import compiled

SPEECH = (r"(?:says?|said|saying|add(?:s|ed)|claims?|claimed|reports?|reported|told|tells?|stated|states|announced?|announces|"
          r"show(?:s|ed)?|"
          r"estimates?|estimated|confirms?|confirmed|insists?|insisted|notes?|noted|believes?|believed|counts?|counted|"
          r"puts?|tallied|recorded|records)")
_ACCORDING = compiled(r"\baccording to\s+(?:the\s+)?(?P<who>[^,.;:()“”\"]{2,120}?)(?=\s*[,.;:()“”\"]|\s+(?:who|which|that|as|in)\b|$)",
                      re.IGNORECASE)
_SPEECH_VERB = compiled(rf"\b(?:reportedly\s+|also\s+|previously\s+|have\s+|has\s+|had\s+)?{SPEECH}\b", re.IGNORECASE)
_WHO_SAYS = compiled(rf"^\s*(?:of\s+(?:them|whom)\s+)?(?:who|whom|which|that)\s+(?:the\s+)?(?P<who>[^,.;:]{{2,60}}?)\s+{SPEECH}\b",
                     re.IGNORECASE)
# "..., officials said on Tuesday.", "..., its head stated while presenting the report to parliament."
_POSTPOSED = compiled(rf",(?!\d)\s*(?P<who>[^,.;:]{{2,80}}?)\s+(?:also\s+)?{SPEECH}"
                      rf"(?:(?:\s+[\w’'-]+){{0,3}}\s*(?:[,;]|[.!?]?[\"”’]*\s*$)|\s+(?:while|during|in|at|to|on|after|before|when|as)\s)",
                      re.IGNORECASE)
_PRONOUN_SAYS = compiled(rf"(?:^|[.;:,]\s*|\band\s+)(?:it|they|he|she)\s+(?:also\s+)?{SPEECH}\b[^,;]{{0,90}}$", re.IGNORECASE)
_PRONOUN_ADDED = compiled(rf"^[^.;]{{0,80}},\s*(?:it|they|he|she)\s+(?:also\s+)?{SPEECH}\b", re.IGNORECASE)
_STOP_WORDS = {"said", "says", "told", "added", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
               "sunday", "today", "yesterday", "he", "she", "it", "they", "we", "that", "where", "which", "while", "as", "but", "because", "when", "if", "after", "before", "though",
               "although", "since", "and", "so", "whereas", "than", "who", "whom", "were", "was", "is", "are",
               "has", "have", "had", "been", "be", "at", "an", "for", "with", "to", "not", "no", "those", "these", "them",
               "this"}
# "wildfires have claimed 80 lives", "the toll was put at 385": verbs that also mean other things.
_NOT_SPEECH = compiled(r"\s+(?:the\s+)?lives\b|\s+(?:(?:at\s+least|more\s+than|nearly|about|some|over|almost)\s+)?"
                       r"(?:[\w,.-]+\s+){1,3}?(?:lives|victims)\b|\s+at\b(?!\s+least)", re.IGNORECASE)
# Words that name an authority ("the health ministry", "county officials")
_AUTHORITY_WORDS = (r"officials?|ministry|ministries|authorit(?:y|ies)|army|military|police|agency|agencies|office|"
                    r"government|forces|group|department|service|council|committee|centre|center|red cross|"
                    r"red crescent|minister|governor|mayor|sheriff|coroner")
_AUTHORITY = compiled(rf"\b(?:{_AUTHORITY_WORDS})\b", re.IGNORECASE)
# ... and words that name a source of figures more loosely ("UN figures", "the statement", "the president")
_SOURCE_WORDS = compiled(rf"\b(?:{_AUTHORITY_WORDS}|spokes\w+|media|health|figures|data|estimates?|UN|OCHA|WHO|UNRWA|"
                         r"IDF|sources?|statement|report|organi[sz]ation|president|chief|director|secretary|"
                         r"commissioner|coordinator|representative|county)\b", re.IGNORECASE)
# A by-the-numbers line that names its source between the label and the colon; a place there
# ("Deaths (Syria): 5,900") is no source, so the source must name an authority or be an acronym.
_LABEL_SOURCE = compiled(r"[^\w(]*[^\W\d_][^:()\n]{0,40}?\((?P<who>[^()\n]{2,40})\)\s*:\s*(?:[^\W\d_]+\s+){0,3}$")
_ACRONYM = compiled(r"[A-Z][A-Za-z]?[A-Z]{1,6}(?:/[A-Z]{2,7})*")
POSTPOSED_REACH = 160  # characters between a figure and a sentence-final ", officials said."
PRONOUN = "\u2026"  # a claimant named by a pronoun ("it added"): the caller resolves it from earlier sentences
_PRONOUNS = {"it", "he", "she", "they", "we", "i", "you", "this", "there", "its", "their"}
# "..., the statement said": the document of the source named before, like a pronoun
_DOCUMENT = compiled(r"(?:(?:its|this|that|a)\s+)?(?:statement|report|release|press\s+release|announcement|bulletin)",
                     re.IGNORECASE)


_APPOSITIVE = compiled(r"[A-Z][\w’'-]*,\s+(?:a|an)\s+(?:[\w-]+\s+){0,4}?(?:of|with)\s+"
                       r"(?:about|around|some|roughly|nearly|more\s+than|over|fewer\s+than)?\s*$")
# "Police in Hawaii have revised the number of deaths to 97": the subject of a verb that revises or
# establishes a count is its source.
_SOURCE_VERB = compiled(r"\b(?:have\s+|has\s+|had\s+)?(?:revised|identified|narrowed|updated|lowered|raised|registered|"
                        r"documented|released|published|issued|recovered|retrieved|repatriated)\b", re.IGNORECASE)
# "..., said Green.", "..., said Gaza health ministry spokesman Ashraf al-Qudra."
_INVERTED = compiled(rf",\s*(?:{SPEECH})\s+(?P<who>(?:the\s+)?[A-Z][\w’'.-]*(?:\s+(?:[A-Z][\w’'.-]*|[a-z][\w’'-]*)){{0,7}}?)"
                     rf"\s*(?:[,.;]|$)")
_CITING = compiled(r"\bciting\s+(?P<who>(?:the\s+)?[A-Z][\w’'.-]*(?:\s+(?:[A-Z][\w’'.-]*|of|for)){0,6})")
# "it cites the Health Ministry and says N": the source cited before the figure
_CITES = compiled(r"\bcit(?:es|ed|ing)\s+(?P<who>(?:the\s+)?[A-Z][\w’'.-]*(?:\s+(?:[A-Z][\w’'.-]*|of|for)){0,6})")
_OWNERLESS = compiled(r"(?:(?:latest|last|new|updated|official|highest|lowest|most\s+recent|initial|early|preliminary|"
                      r"available|current|some|other)\s+)*(?:data|figures?|estimates?|statistics|numbers?|counts?|tallies|"
                      r"tally|reports?|information|toll)(?:\s+(?:released|published|issued|provided|updated|given))?",
                      re.IGNORECASE)
_SUBORDINATE = compiled(r"\b(?:while|whereas|but|which|who|after|before|since|although)\b", re.IGNORECASE)
_QUOTE_CLOSE = compiled(r"[”\"]")
_AFTER_QUOTE = compiled(
  rf"\s*,?\s*(?:(?P<who>[^,.;:“”\"]{{2,60}}?)\s+(?:also\s+)?{SPEECH}\b|{SPEECH}\s+(?P<who2>[A-Z][^,.;:“”\"]{{2,60}}?)(?=[,.;]))",
  re.IGNORECASE)


def quoted_speaker(text: str, f_end: int, limit: int = 1500) -> str | None:
    """Who closes the quotation holding the figure: '“... 1,647 died in Hatay ...,” he said.'"""
    opening = max(text.rfind("“", max(0, f_end - limit), f_end), text.rfind('"', max(0, f_end - limit), f_end))
    if opening < 0:
        return None
    close = _QUOTE_CLOSE.search(text, f_end, f_end + limit)
    if close is None or "“" in text[f_end:close.start()]:
        return None
    # the speaker named in the next paragraph is not this quotation's
    paragraph_end = PARAGRAPH_BREAK.search(text, close.end(), close.end() + 100)
    match = _AFTER_QUOTE.match(text, close.end(), paragraph_end.start() if paragraph_end else close.end() + 100)
    if not match:
        return None
    who = _tidy(match.group("who") or match.group("who2"))
    if who and (who.lower() in _PRONOUNS or _DOCUMENT.fullmatch(who)):
        return PRONOUN
    return who if who and (_SOURCE_WORDS.search(who) or who[:1].isupper()) else None


def speaker(text: str, s_start: int, s_end: int) -> str | None:
    """The source a sentence names with a speech verb, figure or not: for "he said" in the next ones."""
    match = _TITLED_SUBJECT.match(text, s_start, s_end)
    if match and _SOURCE_WORDS.search(match.group("who")):
        return _tidy(match.group("who"))
    for verb in _SAID.finditer(text, s_start, s_end):
        who = _subject_before(text[s_start:verb.start()], verb.start() - s_start)
        if who:
            return who
    match = _ACCORDING.search(text, s_start, s_end)
    return _tidy(match.group("who")) if match else None


# "Turkish Minister of Health Fahrettin Koca named ...": a capitalised subject opening the sentence.
_TITLED_SUBJECT = compiled(
  r"\s*(?!(?:After|Before|In|On|As|When|While|Since|During|Until|Following|With|For|At|By|From)\s)(?P<who>(?:The\s+)?(?:[A-Z][\w’'.-]*\s+){0,3}(?:[a-z]+\s+){0,2}(?:ministry|agency|office|authorities|officials|"
  r"police|army|military|government|department|spokes(?:man|woman|person))"
  r"|(?:[A-Z][\w’'.-]*\s+(?:of\s+(?:the\s+)?)?){1,7}[A-Z][\w’'.-]*)(?=\s+[a-z])")
# a quotation the sentence's subject opens with a participle, still open at the figure
_QUOTE_INTRO = compiled(r"\b(?:stating|saying|adding|writing|declaring|noting)\s*[,:]?\s*[“\"][^”\"]*$", re.IGNORECASE)
_SAID = compiled(r"\b(?:says?|said|told|announced|reported|added|stated)\b", re.IGNORECASE)


# "Gov. Josh Green said": a title's stop ends no name; read as a one-dot leader, then given back
_TITLE_STOP = compiled(r"\b(?:Gov|Sen|Rep|Lt|Gen|Dr|Mr|Mrs|Ms|Col|Maj|Sgt|Capt|Adm|Cmdr|Prof|Supt|Insp|Atty|Sec|Pres|Gens?)\.(?=\s+[A-Z])")
_LEADER = "\u2024"


def claimant(text: str, s_start: int, s_end: int, f_start: int, f_end: int) -> str | None:
    """Whom the sentence credits for the figure, or None."""
    if _TITLE_STOP.search(text, s_start, s_end):
        masked = _TITLE_STOP.sub(lambda m: m.group()[:-1] + _LEADER, text[s_start:s_end])
        who = _claimant(text[:s_start] + masked + text[s_end:], s_start, s_end, f_start, f_end)
        return who.replace(_LEADER, ".") if who else who
    return _claimant(text, s_start, s_end, f_start, f_end)


def _claimant(text: str, s_start: int, s_end: int, f_start: int, f_end: int) -> str | None:
    if _APPOSITIVE.search(text, max(s_start, f_start - 60), f_start):
        return None  # "..., officials said, in Lahaina, a town of 13,000": background, not their claim
    quoted = quoted_speaker(text, f_end)
    if quoted:
        return quoted
    if _QUOTE_INTRO.search(text, s_start, f_start):
        # 'The media office posted the figures, stating, "... has risen to 100 ..."': the subject speaks
        subject = _TITLED_SUBJECT.match(text, s_start, s_end)
        if subject and _SOURCE_WORDS.search(subject.group("who")):
            return _tidy(subject.group("who"))
    label = _LABEL_SOURCE.match(text, s_start, f_start)
    if label and _names_authority(label.group("who")):
        return _tidy(label.group("who"))  # "Deaths (health ministry): 40,005", a fact box's source
    sentence = text[s_start:s_end]
    match = _nearest_according(text, sentence, s_start, f_start, f_end)
    if match:
        return _tidy(match.group("who"))
    match = _WHO_SAYS.match(text[f_end:s_end])
    if match and match.start("who") < 30:
        return _tidy(match.group("who"))
    before = text[s_start:f_start]
    made = [m for m in required.finditer(_COUNT_MADE_BY, before) if not _another_number(before[m.end():])]
    if made:  # "The toll, released by the disaster agency late Thursday, stood at 20,213"
        return _tidy(made[-1].group("who"))
    cites = [m for m in required.finditer(_CITES, before) if not _another_number(before[m.end():])]
    if cites:
        return _tidy(cites[-1].group("who"))
    owner, owner_start = _possessive_owner(before)
    verbs = [(v, False) for v in required.finditer(_SPEECH_VERB, before)] + [(v, True) for v in required.finditer(_SOURCE_VERB, before)]
    for verb, revises in sorted(verbs, key=lambda found: found[0].start(), reverse=True):
        if owner and verb.start() > owner_start:
            # "The army's count of ...", "Israel rejects the ministry's figures, which put ...": a verb
            # after the count's owner is no speaker of its own
            return owner
        if _NOT_SPEECH.match(text, s_start + verb.end()) and _COUNTING_VERB.search(verb.group()):
            continue
        if _OTHER_SIDE.search(text, s_start + verb.end(), f_start):
            break  # "..., AFAD said, while in Syria it stands at 5,800": the source speaks for the other side
        who = _subject_before(before, verb.start())
        # "toll lowered to 97" in a headline: a revising verb's subject must name a source
        if who and (not revises or _SOURCE_WORDS.search(who)):
            return PRONOUN if _DOCUMENT.fullmatch(who) else who
    match = required.search(_POSTPOSED, text[f_end:s_end])
    # no other number between the figure and its source, dates aside
    if match and match.start("who") <= POSTPOSED_REACH and not _another_number(text[f_end:f_end + match.end("who")]):
        who = _tidy(match.group("who"))
        if who and (who.lower() in _PRONOUNS or _DOCUMENT.fullmatch(who)):
            return PRONOUN
        if who and (_SOURCE_WORDS.search(who) or who[:1].isupper()):
            return who
    if owner:
        return owner
    match = _HEADLINE_SOURCE.match(text, _after_figure(text, f_end, s_end), s_end)
    if match and _SOURCE_WORDS.search(match.group("who")):
        return _tidy(match.group("who"))
    match = required.search(_INVERTED, text, f_end, s_end) or required.search(_CITING, text, f_end, s_end)
    if match and not _another_number(text[f_end:match.start()]):
        return _tidy(match.group("who"))  # "..., said Green.", "..., News.az reports citing Anadolu Agency."
    if required.search(_PRONOUN_SAYS, text[s_start:f_start]) or required.search(_PRONOUN_ADDED, text[f_end:s_end]):
        return PRONOUN
    return None


_OTHER_SIDE = compiled(r",\s*(?:while|whereas)\s+(?:in|on|across)\b", re.IGNORECASE)
_CONTRAST = compiled(r"[,;]\s*(?:while|whereas)\b|;", re.IGNORECASE)


def _nearest_according(text: str, sentence: str, s_start: int, f_start: int, f_end: int) -> re.Match[str] | None:
    """The "according to" that credits the figure: the first after it with no count of something else
    between ("1,347 in government-held areas, according to the health ministry, and 1,730 in the
    northwest, according to the White Helmets"), else the last before it, else the sentence's first."""
    found = [m for m in required.finditer(_ACCORDING, sentence) if not _contrasted(text, s_start + m.start(), f_start)]
    later = [m for m in found if s_start + m.start() >= f_end]
    after = [m for m in later if not _another_number(text[f_end:s_start + m.start()])]
    # "46,104, according to AFAD, and 6,000 in Syria": a source after another number is that number's
    before = [m for m in found if s_start + m.end() <= f_start and not _DIGIT.search(DAY_MENTION.sub("", sentence[:m.start()]))]
    return after[0] if after else before[-1] if before else later[0] if later else None


def _contrasted(text: str, source: int, f_start: int) -> bool:
    """Whether a ", while ..." or a semicolon parts the figure from the source named before it: "N dead,
    according to the ministry, while the toll on the other side remains at M"."""
    return source < f_start and _CONTRAST.search(text, source, f_start) is not None


_COUNT_MADE_BY = compiled(r"\b(?:toll|figures?|data|count|tally|numbers|statistics|report|estimates?),?\s+(?:\w+\s+)?"
                          r"(?:released|published|issued|compiled|provided|announced|given|updated|kept)\s+by\s+(?:the\s+)?"
                          r"(?P<who>[^,.;:()“”\"]{2,80}?)(?=\s*[,.;:()]|\s+(?:late|early|on|this|last|in|at|that|showed?|shows|"
                          r"says?|said|puts?|put|stood|stands|has|had|was|is)\b)", re.IGNORECASE)
_COUNTING_VERB = compiled(r"(?:claim\w*|puts?|count\w*|record\w*|estimate\w*|tallied)$", re.IGNORECASE)
_STOP_OR_DIGIT = compiled(r"[.;!?]|\d")
_MAGNITUDE = compiled(r"\b\d{1,2}\.\d+\b")
_DIGIT = compiled(r"\d")
_JOINED_BEFORE = compiled(r"[^.;:]{0,50}?\b(?:and|as\s+well\s+as)\s+(?:\w+\s+){0,2}?")
# "2 million survivors stay in 316 tent cities, Sezer stated": a number of the figure's own clause
_SAME_CLAUSE = compiled(r"(?:(?!\b(?:and|while|whereas|but|which|who|after|before|since|although|as)\b)[^,;:.!?()“”\"—–])"
                        r"{1,100}", re.IGNORECASE)
# "66 remain missing, down from 385 last week, police said": the earlier value shares the source
_EARLIER_VALUE = compiled(r",\s*(?:down|up)\s+from\s+(?:(?:an?|the)\s+)?(?:[\w-]+\s+){0,2}?$", re.IGNORECASE)
_LEADING_NUMBER = compiled(r"^[\d.,]+")


def _after_figure(text: str, f_end: int, s_end: int) -> int:
    """Where a headline's colon or dash may follow the figure: after the words that end its clause."""
    mark = _HEADLINE_MARK.search(text, f_end, s_end)
    return mark.start() if mark and not _STOP_OR_DIGIT.search(text[f_end:mark.start()]) else s_end


def _another_number(between: str) -> bool:
    """Whether a count of something else stands in the words between a figure and its source (dates
    and magnitudes aside). A count joined to the figure by "and" shares its source: "N killed and M
    wounded, the ministry said"."""
    words = _MAGNITUDE.sub("", DAY_MENTION.sub("", between))
    first = _DIGIT.search(words)
    if first is None:
        return False
    joined = _JOINED_BEFORE.fullmatch(words[:first.start()]) or _EARLIER_VALUE.search(words[:first.start()]) \
        or _SAME_CLAUSE.fullmatch(words[:first.start()])
    return not joined or bool(_SUBORDINATE.search(words[:first.start()])) or bool(_DIGIT.search(_tail(words, first.start())))


def _tail(words: str, at: int) -> str:
    """The words after the number starting at `at`."""
    return _LEADING_NUMBER.sub("", words[at:])


_WEEKDAY = "(?:" + "|".join(WEEKDAYS) + ")"
_PART_OF_DAY = r"(?:\s+(?:night|morning|evening|afternoon))?"
_WHEN_BEFORE_VERB = compiled(rf"\s+(?:late\s+|early\s+)?on\s+{_WEEKDAY}{_PART_OF_DAY}$", re.IGNORECASE)
# "OCHA's report, which uses figures from X, says": the aside is not the subject
_ASIDE_BEFORE_VERB = compiled(r",\s*(?:which|who|whose)\b[^,]*$", re.IGNORECASE)
# "OCHA's report for May 6 says": the date the report is for is not its source
_DATE_BEFORE_VERB = compiled(rf"\s+(?:for|of|on|dated|from)\s+(?:{MONTH_WORD})\.?\s+\d{{1,2}}$", re.IGNORECASE)
_ADVERB_BEFORE_VERB = compiled(r"(?:\s+(?:had|has|have|would|will))?(?:\s+(?:earlier|later|previously|also|again|"
                               r"initially|first|now|then|already|since|repeatedly))+$", re.IGNORECASE)
# "In its May 8 report": a subject does not open with a preposition
_PREPOSITION = compiled(r"(?:in|on|at|for|by|from|after|before|during|since|with|under|over|to|among|amongst|amid|"
                        r"between|across|including|of|into|through|within|without)\b", re.IGNORECASE)
# "Gaza death toll passes 30,000: Hamas media office", "... — health ministry": a headline's source
# after a colon or a dash
_HEADLINE_MARK = compiled(r":|\s[—–-]\s")
# "The health ministry's toll rose to 40,005", "AFAD's count of the dead reached 44,218"
_OWNER_WORD = r"(?!(?:the|a|an|said|says|told|and|or|but|that|as|by|to|of|in|on|at|after|while|when|with|from|its|their)\b)[A-Za-z][\w.&-]*"
_POSSESSIVE_COUNT = compiled(rf"(?<![\w'’])(?P<who>(?:[Tt]he\s+)?(?:{_OWNER_WORD}\s+){{0,3}}{_OWNER_WORD})"
                             r"['’]s\s+(?:(?:latest|new|updated|own|official|daily|death|casualty)\s+)*"
                             r"(?:toll|tally|count|figures|data|statistics)\b")


def _names_authority(phrase: str) -> bool:
    return _AUTHORITY.search(phrase) is not None or _ACRONYM.fullmatch(phrase) is not None


def _possessive_owner(before: str) -> tuple[str | None, int]:
    """The source whose count the figure's clause names ("the ministry's toll rose to"), and where
    the owner's name starts, when no number stands between them. A speaker before it is whom the
    article credits ("Officials said the ministry's toll rose to ...")."""
    for match in reversed(list(required.finditer(_POSSESSIVE_COUNT, before))):
        if _another_number(before[match.end():]):
            break
        who = _tidy(match.group("who"))
        if who and _names_authority(who):
            return who, match.start()
        break
    return None, -1


_HEADLINE_SOURCE = compiled(r"\s*(?::|\s[—–-])\s*(?P<who>[A-Z]?[^:.;,!?“”\"]{1,60}?)\s*$")
_TOKEN = compiled(r"[\w’'.&-]+|[^\w\s]")
_WORD_START = compiled(r"[\w]")


# "The White Helmets, a rescue group in Idlib, put": the name before an aside describing it
_DESCRIBED_NAME = compiled(r"(?P<name>\b[A-Z][\w’'.&-]*(?:\s+[A-Z][\w’'.&-]*)*)\s*,\s*(?:a|an)\s+[^,;:“”\"]{3,60}$")


def _subject_before(text: str, verb_start: int) -> str | None:
    """The noun phrase right before a speech verb, if it reads as a source."""
    head = text[:verb_start].rstrip().rstrip(",")  # "the spokesman, Vedant Patel, said"
    acronym = _ACRONYM_BEFORE_VERB.search(head)
    if acronym:
        return acronym.group("name")  # "The Disaster and Emergency Management Authority (AFAD) announced"
    head = _DESCRIBED_NAME.sub(r"\g<name>", head)  # "The White Helmets, a rescue group in Idlib, put"
    head = _WHEN_BEFORE_VERB.sub("", head)  # "The UN on Sunday revised"
    head = _DATE_BEFORE_VERB.sub("", _ASIDE_BEFORE_VERB.sub("", head).rstrip())
    head = _ADVERB_BEFORE_VERB.sub("", head)  # "Governor Josh Green had earlier said"
    tokens = _TOKEN.findall(head)
    words: list[str] = []
    for k in range(len(tokens) - 1, -1, -1):
        token = tokens[k]
        # "Council for Native Hawaiian Advancement", "Ministry of Health", "Committee to Protect Journalists":
        # a name may hold "of", "for" or "to"
        inside_name = token.lower() in ("of", "for", "to") and words and words[-1][:1].isupper() \
            and k > 0 and (tokens[k - 1][:1].isupper() or _SOURCE_WORDS.fullmatch(tokens[k - 1]))  # "the agency for ..."
        if not _WORD_START.match(token) or token.lower() in _STOP_WORDS and not inside_name or len(words) >= 8:
            break
        words.append(token)
    phrase = _tidy(" ".join(reversed(words)))
    if not phrase or not (_SOURCE_WORDS.search(phrase) or any(w[:1].isupper() for w in phrase.split())):
        return None
    if phrase.lower() in _PRONOUNS or _PREPOSITION.match(phrase) or _EVENT.search(phrase):
        return None  # "the war, which has claimed 333 aid workers": an event claims lives, not figures
    if phrase.lower() in _DETERMINERS:
        return None  # "The confirmed death toll rose to 111": the verb's form is an adjective
    return phrase


_ACRONYM_BEFORE_VERB = compiled(r"[A-Z][\w-]*\s+\((?P<name>[A-Z][A-Z&-]{1,9})\)$")
_DETERMINERS = frozenset(["the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our"])
_EVENT = compiled(r"\b(?:war|wars|fire|fires|wildfires?|blaze|quakes?|earthquakes?|tremors?|disaster|conflict|fighting|"
                  r"floods?|storm|hurricane|cyclone|typhoon|tsunami|attacks?|strikes?|bombardment|offensive|violence)"
                  r"(?:\s+(?:on|in|against|across|over)\s.*)?$",
                  re.IGNORECASE)


_ARTICLE = compiled(r"^(?:the|a|an)\s+", re.IGNORECASE)
_REPORT_BY = compiled(r"^(?:(?:one|an?|the|latest|last|new|updated|official|most recent)\s+)*(?:count|figures?|data|tally|"
                      r"toll|report|statement|update|estimates?|numbers?|analysis|study|survey|assessment|statistics)\s+"
                      r"(?:by|from|of|released by|issued by|published by)\s+(?:the\s+)?", re.IGNORECASE)
_MADE_BY = compiled(r"^.*?\b(?:reports?|data|figures|counts?|tall(?:y|ies)|surveys?|stud(?:y|ies)|analys[ie]s|assessments?|"
                    r"statistics|estimates?)\s+(?:prepared|compiled|published|released|issued|produced|conducted|made|"
                    r"carried\s+out)\s+by\s+(?:the\s+)?",
                    re.IGNORECASE)
# "the Minister of Interior on 13 March 2023", "Mayor Richard Bissen Wednesday morning": when, not who
_BASED_ON = compiled(rf"\s+based\s+on\s+.*$|(?:\s+on)?\s+{_WEEKDAY}{_PART_OF_DAY}$|"
                     rf"\s+on\s+(?:\d{{1,2}}\s+{MONTH_WORD}\.?|{MONTH_WORD}\.?\s+\d{{1,2}})(?:,?\s+\d{{4}})?$",
                     re.IGNORECASE)
# " date 2023-11-11 The government of Israel": a scraped page's date line; "So far police": an adverb
_LEADING_NOISE = compiled(r"^(?:date\s+)?\d{4}-\d{2}-\d{2}\s+|^(?:(?:so|thus)\s+)?far\s+(?=\w)", re.IGNORECASE)
_OWN_FIGURES = compiled(r"(?:['’]s)?\s+(?:(?:latest|new|updated|own|official|daily)\s+)*(?:tally|count|figures|data|statistics|"
                        r"estimates?|report)(?:\s+(?:released|published|issued))?$", re.IGNORECASE)
# lower case only: "New York officials" keeps its name
_UPDATED = compiled(r"^(?:(?:revised|latest|updated|new|official|preliminary|initial|provisional)\s+)+(?=[A-Z])")
_FINAL_STOP = compiled(r"(?<=\w\w)\.$")


def _tidy(phrase: str | None) -> str | None:
    if not phrase:
        return None
    phrase = _ARTICLE.sub("", _LEADING_NOISE.sub("", phrase.strip(" ’'\"“”"))).strip(" ’'\"“”")
    # "the latest count by the Gaza Ministry of Health" names the ministry
    phrase = _REPORT_BY.sub("", phrase)
    phrase = _MADE_BY.sub("", phrase)  # "the ‘Displacement 2023’ report prepared by the IOM"
    if _OWNERLESS.fullmatch(phrase):
        return None  # "according to the latest data": no one is named
    # "an AFP tally based on Israeli official figures", "the ministry's latest figures",
    # "the health ministry on Wednesday": the source only
    phrase = _BASED_ON.sub("", phrase)
    phrase = _OWN_FIGURES.sub("", phrase) or phrase
    phrase = _UPDATED.sub("", phrase) or phrase  # "revised Israeli figures" are Israel's
    phrase = _FINAL_STOP.sub("", phrase)  # "..., said Green.", but "the U.S."
    if _OWNERLESS.fullmatch(phrase):
        return None  # "according to the latest data": no one is named
    return phrase or None
