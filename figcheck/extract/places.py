"""Where a figure speaks for, read from its sentence: the places a pack declares, the one its
clause (or its part of the sentence) names, and the article's default when it names none.

These are facts about the wording, the same for every pack; a metric's `where` says which place
it counts.
"""

from __future__ import annotations

import collections
import re
from dataclasses import dataclass, field

from figcheck.extract import prefilter
from figcheck.extract.place_lists import distance, joined, parts_with_places, respectively
from figcheck.world import Gazetteer
from figcheck.regexcache import compiled

Span = tuple[int, int]
ELSEWHERE = frozenset(["elsewhere"])  # the place of the world's places a pack does not declare
ARTICLE = frozenset(["<article>"])  # what `article_place` words name: the article's own place, read per article
THERE = frozenset(["<there>"])  # what "killed there" names: the place named last, read per sentence
# "Over 500 have been killed there": a place word of every pack with a default place.
_THERE_WORDS = "|".join(rf"(?<={verb}\s)there" for verb in (
    "killed", "died", "dead", "wounded", "injured", "displaced", "sheltering", "missing", "destroyed", "live", "lives",
    "lived", "living"))


@dataclass
class Places:
    """A pack's places: each a name, the words that name it, and the places it covers (itself, or
    several for words such as "both countries"), found as one expression; `within` maps a place
    to the place it is part of."""

    pattern: re.Pattern[str] | None
    covers: list[frozenset[str]]
    default: frozenset[str] | None
    within: dict[str, str] = field(default_factory=dict)
    # the default place and its parts: the story's own place ("Kula" is within Maui)
    story: frozenset[str] = frozenset()
    # the world's places the pack does not declare (figcheck/world_places.yaml), set by pack.py
    elsewhere: Gazetteer | None = None
    # places whole articles are about apart from the default (`articles: true`), and their words
    leading: frozenset[str] = frozenset()
    leading_words: re.Pattern[str] | None = None
    # the words of the story's own place and the `article_place` words ("the territory"), each on its
    # own ("northwest Syria" names Syria): an article naming none is not the story's
    story_words: re.Pattern[str] | None = None

    @classmethod
    def build(cls, places: dict, default: list[str] | None, article_words: list[str] = ()) -> "Places":
        if not places:
            return cls(None, [], None)
        covers, words = [], []
        within = {name: spec.within for name, spec in places.items() if not isinstance(spec, list) and spec.within}
        for i, (name, spec) in enumerate(places.items()):
            covers.append(frozenset([name] if isinstance(spec, list) or not spec.covers else spec.covers))
            words.extend((word, i) for word in (spec if isinstance(spec, list) else spec.words))
        if default:
            covers.extend([ARTICLE, THERE])
            words.extend([*((word, len(covers) - 2) for word in article_words), (_THERE_WORDS, len(covers) - 1)])
        leading = frozenset(name for name, spec in places.items() if not isinstance(spec, list) and spec.articles)
        leading_words = [word for name in leading for word in places[name].words]
        # Longest words first: "Syrian health ministry" (government-held areas) before "Syrian".
        words.sort(key=lambda w: -len(_without_lookarounds(w[0])))
        parts = [f"(?P<p{i}_{k}>{word})" for k, (word, i) in enumerate(words)]
        story = frozenset(default or ()) | {part for part, whole in within.items() if whole in (default or ())}
        own = [word for word, i in words if covers[i] <= story]
        return cls(_any_word(parts), covers, frozenset(default) if default else None, within, story=story,
                   leading=leading, leading_words=_any_word(leading_words),
                   story_words=_any_word([*own, *article_words, *leading_words]))

    def cover(self, match: re.Match[str]) -> frozenset[str]:
        return self.covers[int(match.lastgroup[1:].split("_")[0])]

    def names_default(self, text: str) -> bool:
        """Whether the text names the default place, a part of it ("Kula", within Maui), the place it
        is about ("the territory") or a place whole articles are about (`articles: true`: a raid in
        the West Bank): a story's figures are told where it happened. True when the pack has no
        default place."""
        if self.default is None:
            return True
        return self.story_words is not None and self.story_words.search(text) is not None

    def about_elsewhere(self, text: str, sentences: list[Span]) -> bool:
        """Whether the article's sentences name one of the world's places (a country, a state, a
        region, a city of one) more often than the story's own places (any the pack declares: Gaza,
        Israel and the West Bank for the war): an article on another earthquake that recalls this
        one, on strikes in another country that recalls this war. Its figures that name no place
        speak for that other place, not for the story's. (A page's furniture, not among the
        sentences, counts for nothing: "UK | World | Africa".)"""
        if self.elsewhere is None:
            return False
        named = collections.Counter(place for lo, hi in sentences for _, _, place in self.elsewhere.finditer(text, lo, hi))
        return bool(named) and max(named.values()) > self._story_mentions(text, sentences)

    def _story_mentions(self, text: str, sentences: list[Span]) -> int:
        """How often the sentences name any of the story's places ("the territory" included)."""
        if self.default is None or self.pattern is None:
            return 0
        index = prefilter.index_of(text)
        return sum(1 for lo, hi in sentences for m in index.matches(self.pattern, lo, hi) if self.cover(m) != THERE)

    def _own_in(self, matches: list[re.Match[str]]) -> int:
        return sum(1 for m in matches if self.cover(m) <= self.story)

    def leading_place(self, text: str, sentences: list[Span]) -> frozenset[str] | None:
        """The place of `leading` (`articles: true`) that the sentences name first and more often
        than the story's own, if one is: an article on a raid in the West Bank that recalls the war
        in Gaza once, not an article on Gaza that reports the West Bank's toll twice."""
        if self.leading_words is None or self.pattern is None or not self.leading_words.search(text):
            return None  # most articles name none of them: one search, not a reading of every sentence
        index = prefilter.index_of(text)
        named: collections.Counter[str] = collections.Counter()
        first, own_total = None, 0
        for lo, hi in sentences:
            matches = index.matches(self.pattern, lo, hi)
            here = [name for m in matches if len(cover := self.cover(m)) == 1 for name in cover if name in self.leading]
            named.update(here)
            own = self._own_in(matches)
            own_total += own
            if first is None and (here or own):
                first = set(here) if len(set(here)) == 1 and not own else set()
        if not first:
            return None
        [place] = first
        return frozenset(first) if named[place] > own_total else None

    def article_default(self, text: str, sentences: list[Span]) -> frozenset[str] | None:
        """The default place for one article: elsewhere when it is about another place than the
        story's (`about_elsewhere`). Where the pack's default covers several places
        ("Turkey and Syria") but the first sentence naming any of them names only some ("struck
        southern Turkey"), the article is about those, and a figure naming no place speaks for them.
        So too when that sentence names only a part of the default ("a wildfire in Kula", within
        Maui): the article is about the part."""
        default = self.default
        if default is not None and self.about_elsewhere(text, sentences):
            return ELSEWHERE
        if default is not None and (leading := self.leading_place(text, sentences)) is not None:
            return leading
        parts = {p for p, whole in self.within.items() if default and whole in default}
        if self.pattern is None or default is None or len(default) < 2 and not parts:
            return default
        for lo, hi in sentences:
            named: set[str] = set()
            for m in self.pattern.finditer(text, lo, hi):
                cover = self.cover(m)
                if (cover <= default or cover <= parts) and not _EPICENTRE.search(text, max(lo, m.start() - 30), m.start()):
                    named |= cover
            if named:
                # "fires in Lahaina and Kula": the whole named beside its part is what the article is about
                return frozenset(named & default or named)
        return default


# "the quake centred near Kahramanmaras": the place locates the event, not what is counted.
_EPICENTRE = compiled(r"\b(?:cent(?:er|r)ed|epicent(?:er|re)|originat\w+|struck|hit)\s+(?:\w+\s+){0,2}?"
                      r"(?:around|on|in|near|at|close\s+to|of|outside)\s+(?:the\s+)?(?:\w+\s+)?$", re.IGNORECASE)
_CENTRED_AFTER = compiled(r"-(?:cent(?:er|r)ed|based)\b", re.IGNORECASE)
_POSSESSIVE = compiled(r"['’]s$")
_AFTER_POSSESSIVE = compiled(r"\s+(?:[a-z-]+\s+){0,2}")  # "Syria's rebel-held northwest"
_OF_WHOLE = compiled(r"\s+(?:of|in)\s+(?:the\s+)?", re.IGNORECASE)
# "the Gaza Strip, where the territory's ...": the words between a place and a relative clause on it
_RELATIVE = compiled(r",?\s*(?:where|in\s+which|whose|which)\b[^,;:.]*", re.IGNORECASE)


# "..., and in Elazig five died, 379 injured": a place opening its part of the sentence scopes the
# figures that follow it, up to the next such place.
_SEGMENT_OPENER = compiled(r"(?:^|[,;:(—–]|\s-)\s*(?:and\s+|while\s+|but\s+|meanwhile,?\s+)?"
                           r"(?:in|across|throughout|inside|on|elsewhere\s+in)\s+(?:the\s+)?(?:[a-z]+\s+){0,3}$",
                           re.IGNORECASE)
_CLAUSE_BREAK = compiled(r"[,;:()—–]")
_BY_AGENT_IN = compiled(r"\bby\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?[a-z][\w-]*s?\s+(?:in|from)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$")
# "Gaza's 2.3 million", "Adiyaman with 4,500", "Israeli dead climb to 800": the place before is the figure's own
_OWN_BEFORE = compiled(r"(?:['’]s)?\s?|\s+with\s+|\s+(?:(?:has|have|had)\s+)?(?:rose|rise[sn]?|climb(?:ed|s)?|jump(?:ed|s)?|"
                       r"reach(?:ed|es)?|stands?|stood|(?:is|was|are|were)\s+put|put)(?:\s+(?:to|at|past|above|over))?\s+")
_OVERALL_TOLL = compiled(r"\b(?:as|while|even\s+as)\s+(?:the|its)\s+(?:[\w-]+\s+){0,2}?(?:death\s+)?toll\b"
                         r"(?:(?!\b(?:in|for|across|among)\b)[^,;:.])*$", re.IGNORECASE)
_CONTINUES = compiled(r"\s*(?:in\s+addition\s+to|as\s+well\s+as|plus|along\s+with|besides|and)\b", re.IGNORECASE)
_WITH = compiled(r"\s*,?\s*with\s+(?!another\b|other\b|further\b|additional\b)", re.IGNORECASE)
_CONTRAST = compiled(r"\b(?:while|whereas|but)\b|;", re.IGNORECASE)
_ANOTHER = compiled(r"\b(?:another|other|further|additional|while|whereas|with)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
_ASIDE = compiled(r",\s*(?:which|who|whom|whose)\b[^,;:]*,")


def _without_lookarounds(pattern: str) -> str:
    """A place pattern without its lookaround groups, whose length says nothing of the words it matches."""
    out, depth, skipping = [], 0, 0
    i = 0
    while i < len(pattern):
        if pattern[i] == "\\":
            if not skipping:
                out.append(pattern[i:i + 2])
            i += 2
            continue
        if pattern[i] == "(":
            depth += 1
            if not skipping and pattern.startswith(("(?=", "(?!", "(?<=", "(?<!"), i):
                skipping = depth
        elif pattern[i] == ")":
            depth -= 1
            if skipping and depth < skipping:
                skipping = 0
                i += 1
                continue
        if not skipping:
            out.append(pattern[i])
        i += 1
    return "".join(out)


def mentions_of(places: Places, text: str, sentence: Span) -> list[tuple[int, int, frozenset[str]]]:
    """The places a sentence names, but not where it locates an event ("centred near Kahramanmaras",
    "the Kahramanmaras-centred quakes") or someone ("a Hatay-based doctor")."""
    if places.pattern is None:
        return []
    found = [(m.start(), m.end(), places.cover(m)) for m in prefilter.index_of(text).matches(places.pattern, *sentence)]
    if places.elsewhere is not None:
        found.extend((lo, hi, ELSEWHERE) for lo, hi, _ in places.elsewhere.finditer(text, *sentence)
                     if not any(a < hi and lo < b for a, b, _ in found))
        found.sort()
    return [f for f in found if not _EPICENTRE.search(text, max(sentence[0], f[0] - 30), f[0])
            and not _CENTRED_AFTER.match(text, f[1], sentence[1])]


def place_of(places: Places, text: str, regions: list[Span], start: int, end: int,
             others: list[Span] = (), default: frozenset[str] | None = None,
             mentions: list[tuple[int, int, frozenset[str]]] | None = None) -> tuple[frozenset[str] | None, str | None]:
    """The place the figure speaks for, and where the text names it ("clause", "sentence"; None: nowhere).

    In order: the places of "Turkey and Syria ... N and M respectively", in turn; the nearest place
    named in its clause; the nearest place before it that opens a part of the sentence ("In Kilis 74
    dead, 754 injured"); the nearest place in the sentence (a place nearer to another number belongs
    to that one, unless it stands before all of them: "According to Turkish officials, N died and M
    were injured"). A place is joined with places written next to it ("Turkey and Syria"). Failing
    all, the article's default (`Places.article_default`), else the pack's."""
    if places.pattern is None:
        return None, None
    clause, sentence = regions[0], regions[-1]
    if mentions is None:  # else read by SentenceMatches.place_mentions, antecedents and all
        mentions = with_antecedents(text, mentions_of(places, text, sentence))
    article = default if default is not None else places.default
    mentions = [(lo, hi, article if cover in (ARTICLE, THERE) else cover) for lo, hi, cover in mentions]
    # "rose to 21,000, eclipsing the 18,400 who died in Japan": a foreign place past another number is that one's;
    # not one that opens the sentence's figures ("In California, fires killed 25 and destroyed 12,000 homes")
    first = min((o[0] for o in others), default=start)
    mentions = [f for f in mentions if f[2] != ELSEWHERE
                or f[1] <= min(first, start) and not re.fullmatch(r"(?:['’]s)?\s?", text[f[1]:min(first, start)])
                or not any(min(f[1], start) <= o[0] < max(f[0], end) for o in others)]
    respective = respectively(text, mentions, sentence, start, end, others)
    if respective is not None:
        return respective, "clause"
    in_clause = [f for f in mentions if f[0] >= clause[0] and f[1] <= clause[1]]
    openers = [f for f in mentions if f[1] <= start and _SEGMENT_OPENER.search(text[sentence[0]:f[0]])]
    if openers:  # "In Syria, 2,662 deaths were reported by rescuers in the north-west": where they report from
        in_clause = [f for f in in_clause if f[0] < start or not _BY_AGENT_IN.search(text, max(start, f[0] - 50), f[0])]
    # "Hatay has recorded 2,361 deaths, and Kahramanmaras 1,732": a place right before another number is that one's
    before_another = lambda f: f[0] >= end and any(o[0] >= f[1] and _OWN_BEFORE.fullmatch(text, f[1], o[0]) for o in others)
    parts = parts_with_places(text, mentions, end, others)
    if parts is not None:  # "16 people, including 12 in Sanliurfa and two in Adiyaman": the parts' places
        mentions = [f for f in mentions if f[1] <= parts]
        in_clause = [f for f in in_clause if f[1] <= parts]
    if in_clause:
        # "Gaza's 2.3 million"; "13 died in Urfa and 2 in Adana": the place after a figure, before the
        # next number, is its own
        between = lambda f: any(min(f[1], start) <= o[0] < max(f[0], end) for o in others)
        # "Adiyaman with 4,500 and Gaziantep with 2,800": the place a figure is "with" is its own too
        own = [f for f in in_clause if f[1] <= start and _OWN_BEFORE.fullmatch(text, f[1], start)] \
            or [f for f in in_clause if f[0] >= end and not between(f)] or [f for f in in_clause if not between(f)]
        nearest = min(own or in_clause, key=lambda f: distance(f, start, end))
        # "in Turkey's Gaziantep and Kahramanmaras provinces": the part the whole's possessive names
        k = mentions.index(nearest)
        while k + 1 < len(mentions) and _owns(text, mentions[k], mentions[k + 1]):
            k += 1
        # joined with places outside the clause too: "the toll in Turkey, Syria tops 33,000"
        return joined(text, mentions, start, end, mentions[k]), "clause"
    # "Rescuers in Hatay pulled a baby alive, as the death toll rose to 33,000": the toll of a clause of
    # its own that names no place is the story's, not the place of the clause it is set beside
    if _OVERALL_TOLL.search(text, sentence[0], start):
        return default if default is not None else places.default, None
    # "32 deaths in the West Bank, in addition to about 600 injured", "... killed in Ukraine since the
    # invasion, and 19,000 injured": the place carries over
    if _CONTINUES.match(text, clause[0], start):
        previous = max((o[1] for o in others if o[1] <= start), default=None)
        carried = [f for f in mentions if previous is not None and previous <= f[0] and f[1] <= start]
        if carried:
            return joined(text, mentions, start, end, carried[-1]), "sentence"
    # "the Turkish government said 173,000 buildings collapsed, with 1.9 million people in shelters":
    # a clause that adds "with N" speaks for the place of the clause it adds to
    if _WITH.match(text, clause[0], start):
        before = [f for f in mentions if f[1] <= start and not _CONTRAST.search(text, f[1], start)]
        if before:
            return joined(text, mentions, start, end, before[-1]), "sentence"
    if openers:  # "In Syria's rebel-held northwest, ...": the opener's last place is the most precise
        segment = [f for f in mentions if openers[-1][0] <= f[0] and f[1] <= start
                   and not _CLAUSE_BREAK.search(text, openers[-1][1], f[0])]
        while len(segment) > 1 and _OF_WHOLE.fullmatch(text, segment[-2][1], segment[-1][0]):
            segment.pop()  # "In government-held areas of Syria, ...": the part, not its whole
        return joined(text, mentions, start, end, segment[-1]), "sentence"
    # "..., with another 1,602 dead on the Syrian side": a place after a number set apart as another
    # group is that group's; "..., which Turkish officials called ..., ": an aside scopes nothing.
    apart = [o for o in others if o[0] >= end and _ANOTHER.search(text, max(end, o[0] - 25), o[0])]
    near = [f for f in mentions if not _in_aside(text, sentence, f)
            and (f[0] >= end and not any(o[0] < f[0] for o in apart) and not before_another(f)
                 or f[1] <= min(first, start) and not _CONTRAST.search(text, f[1], start)
                 or all(distance(f, start, end) <= distance(f, *o) for o in others))]
    if near:
        return joined(text, near, start, end), "sentence"
    return default if default is not None else places.default, None


def _any_word(words: list[str]) -> re.Pattern[str] | None:
    """One expression for any of the words, each a whole word."""
    return re.compile(r"(?<![\w])(?:" + "|".join(words) + r")(?![\w])", re.IGNORECASE) if words else None


def with_antecedents(text: str, mentions: list, before: frozenset[frozenset[str]] = frozenset()) -> list:
    """`article_place` words and "there" name a place whose relative clause they stand in ("the war
    in the Gaza Strip, where the territory's health ministry says"), not any place before them ("Since
    the war in Gaza began, 390 have been killed in the territory"); failing that, "there" names the
    one place named before it in its sentence ("In the rebel-held northwest, ... the dead there"), else
    the one the previous sentence names (`before`: "In the West Bank, raids went on. Over 500 have been
    killed there"), and the rest the article's own place (see place_of)."""
    if not any(cover in (ARTICLE, THERE) for _, _, cover in mentions):
        return mentions
    out: list = []
    for lo, hi, cover in mentions:
        if cover in (ARTICLE, THERE):
            last = out[-1] if out else None
            found = last[2] if last and last[2] not in (ELSEWHERE, ARTICLE, THERE) \
                and _RELATIVE.fullmatch(text, last[1], lo) else None
            earlier = {c for _, _, c in out if c not in (ELSEWHERE, ARTICLE, THERE)}
            if found is None and cover == THERE and (len(earlier) == 1 or len(before) == 1):
                [found] = earlier if len(earlier) == 1 else before
            cover = found or ARTICLE
        out.append((lo, hi, cover))
    return out


def _owns(text: str, whole: tuple, part: tuple) -> bool:
    """ "Turkey’s Gaziantep": the whole's possessive names the part right after it."""
    owner = text[whole[0]:whole[1]]
    gap = whole[1] if _POSSESSIVE.search(owner) else whole[1] + 2 if _POSSESSIVE.match(text, whole[1], whole[1] + 2) else None
    return gap is not None and _AFTER_POSSESSIVE.fullmatch(text, gap, part[0]) is not None


def _in_aside(text: str, sentence: Span, mention: tuple) -> bool:
    return any(m.start() < mention[0] and mention[1] < m.end() for m in _ASIDE.finditer(text, *sentence))
