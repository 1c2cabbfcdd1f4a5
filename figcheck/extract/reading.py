"""Every number in a text, read as news writes it: value, bounds, qualifier, and why it is not a count.

`read(text)` finds number phrases (figcheck/extract/numbers.py), then reads what stands around
them: a percent sign or "per cent" makes a share, "5-6 million" and "between five and ten" are
ranges with both bounds, "three in 10" is a share, qualifiers before ("no more than") and after
("500 or more", "33,000-plus") set the bounds, and years, dates, times, durations, ages, ordinals,
money, measurements (an index's level too: "the Nikkei ended at 38,920"), codes (S&P 500, iPhone 11,
Route 6), scores (2-1) and addresses are kept but marked `rejected` with the reason. A form it cannot
read is left out rather than misread.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace

from figcheck.extract import context, index_levels, listed, spelled_runs
from figcheck.extract.noise import reject_reason
from figcheck.extract.number_tokens import CANDIDATE, candidate_spans, normalize
from figcheck.extract.numbers import Number, read_phrase
from figcheck.extract.shared_unit import compared, take_unit
from figcheck.regexcache import compiled

# "a 40-percent rise", "a 1.5-percentage-point fall": hyphened as a modifier, still a share.
_PERCENT = compiled(r"(?:[^\S\n]|[-‑](?=per|pc))?(?:%|per[\s-]?cent(?:age)?s?\b(?:[\s-]+points?\b)?|"
                    r"percentage(?:[\s-]+points?)?\b|pc\b|pct\b|p\.c\.?)", re.IGNORECASE)
_ARTICLE_BEFORE = compiled(r"(?<![\w])(?:an?)[^\S\n]+$", re.IGNORECASE)
# "plus or minus 3 points" is a margin, not a negative number.
_SIGN_WORD = compiled(r"(?<![\w])(?<!plus or )(?<!plus-or-)(?:minus|negative)[^\S\n]+$", re.IGNORECASE)
_VAGUE = compiled(r"(?:(?P<times>tens|hundreds|dozens|10s|100s)\s+of\s+)?(?P<base>dozens|hundreds|thousands|millions|billions)\b",
                  re.IGNORECASE)
_VAGUE_BASE = {"dozens": (24.0, 120.0), "tens": (10.0, 100.0), "hundreds": (100.0, 1000.0),
               "thousands": (1e3, 1e4), "millions": (1e6, 1e7), "billions": (1e9, 1e10)}
_TIMES_WORD = {"10s": "tens", "100s": "hundreds"}  # "10s of thousands"
_RANGE_JOIN = compiled(r"[^\S\n]*(?:-|–|—|~|to|through|thru|and|or|up[^\S\n]+to)[^\S\n]*$|[-‑]to[-‑]",
                       re.IGNORECASE)
_RANGE_OPENER = compiled(r"(?<![\w])(?P<word>between|from)[^\S\n]+(?:(?:around|about|roughly|some|nearly|almost|"
                         r"more[^\S\n]+than|over)[^\S\n]+)?$", re.IGNORECASE)
_CHANGE = compiled(r"(?<![\w])(?:rose|rise[sn]?|rising|fell|fall(?:s|en|ing)?|increas\w*|decreas\w*|up|down|climb\w*|"
                   r"jump\w*|drop\w*|grew|grow(?:s|n|ing)?|declin\w*|surg\w*|soar\w*|plung\w*|revised|raised|"
                   r"lowered|went|gone|go(?:es|ing)|changed?|doubl\w*|tripl\w*|halv\w*|dipp\w*|slipp\w*|"
                   r"slid(?:es|ing)?|edg\w*|eas(?:ed|es|ing)|reduc\w*|cut|slash\w*|narrow\w*|widen\w*|swell\w*|"
                   r"swollen|spik\w*|"
                   r"shr[ai]nk\w*|shrunk|dwindl\w*|slump\w*|tumbl\w*|sank|sunk|rocket\w*|leap\w*|leapt|hik\w*|"
                   r"trimm\w*|upgraded|downgraded|improv\w*)[^\S\n]+(?:\w+[^\S\n]+){0,2}$", re.IGNORECASE)
_BY_BEFORE = compiled(r"(?<![\w])by[^\S\n]+(?:(?:about|around|some|nearly|almost|more[^\S\n]+than|over|at[^\S\n]+least|"
                      r"another|a[^\S\n]+further)[^\S\n]+)?$", re.IGNORECASE)
# "claims fell 5,000 to 215,000", "the toll rose 12 to 345": a change reported, then the new level; "could rise 10
# to 15 per cent" is a range of forecasts, and so is a narrow "rose 10 to 15 per cent"
_REPORTED_CHANGE = compiled(r"(?<![\w])(?:rose|fell|increased|decreased|climbed|jumped|dropped|grew|declined|surged|soared|"
                            r"plunged|plummeted|slipped|slid|dipped|eased|tumbled|slumped|sank|gained|lost|added|shed|"
                            r"rises|falls|climbs|jumps|drops|grows|gains|up|down)[^\S\n]+(?:(?:a[^\S\n]+further|another|"
                            r"an[^\S\n]+estimated|some|about|nearly|almost)[^\S\n]+)?$", re.IGNORECASE)
_SHARE_JOIN = compiled(r"[^\S\n]+(?:in|out[^\S\n]+of)(?:[^\S\n]+every)?[^\S\n]+$", re.IGNORECASE)
_OPENING = compiled(r"(?:^|[.!?:;\n\"“(])[^\S\n]*$")
_OF_A_PERCENT = compiled(r"[^\S\n]+(?:of[^\S\n]+)?an?[^\S\n]+(?:percentage[^\S\n]+points?|per[^\S\n]?cent|percent)\b",
                         re.IGNORECASE)
_LETTER = compiled("[A-Za-z]")
_EITHER = compiled(r"(?<![\w])either[^\S\n]+$", re.IGNORECASE)
_HYPHENED_SHARE_JOIN = compiled(r"[-‑](?:in|out[-‑]of)[-‑]", re.IGNORECASE)
_HYPHENED_WORD = compiled(r"[-‑][^\W\d_]")
_SCORE_CONTEXT = compiled(r"\b(?:won|wins?|winning|lost|lose|loss|beat(?:en|ing)?|defeat\w*|dr[ae]w|draw|scor\w*|"
                          r"victory|lead|led|trail\w*|match|game|final)\b", re.IGNORECASE)
_RESULT_BEFORE = compiled(r"(?<![\w])(?:won|beat|lost|defeated|score[^\S\n]+(?:was|is|of|stood[^\S\n]+at))[^\S\n]+"
                          r"(?:[A-Z]\w+[^\S\n]+)?(?:by[^\S\n]+)?$")
_PLURAL_AFTER = compiled(r"[^\S\n]+[a-z]{2,}s\b")
_AFTER_QUALIFIER = compiled(
  r"(?:(?P<plus>[^\S\n]?-?[^\S\n]?plus\b|\+)|(?P<approx>-odd\b|[^\S\n]+or[^\S\n]+(?:so|thereabouts)\b)"
  r"|[^\S\n]+(?:or|and)[^\S\n]+(?:(?P<more>more|greater|above|higher|over)|(?P<less>less|fewer|below|lower|under))\b"
  r"(?![^\S\n]+than[^\S\n]+(?:\S+[^\S\n]+)?\S*\d))",
  re.IGNORECASE)
_NEXT_NUMBER = compiled(r"(?:[^\S\n]+(?:than|or|equal|to|an?)\b)*[^\S\n]*", re.IGNORECASE)
_TALLY_TO = compiled(r"[^\S\n]+to[^\S\n]+\d+(?![\d,.])")
_PASSED = compiled(r"(?<![\w])passed[^\S\n]+$", re.IGNORECASE)
_BOUND_JOIN = compiled(r"^[^\S\n]*(?:,|and|,[^\S\n]*and|but)[^\S\n]*$", re.IGNORECASE)
_DOT_THOUSANDS = compiled(r"\d{1,3}\.\d{3}")
# A count of people or things after "3.500", or three zeros ("counted 20.000"): no one writes a fraction of a
# person, or a decimal's trailing zeros, so the dot groups thousands.
_PEOPLE_AFTER = compiled(r"[^\S\n]+(?:[a-z]+[^\S\n]+)?(?:people|persons|[a-z]{2,}(?<!s)s)\b")
_PASSED_THE = compiled(r"(?<![\w])(?:cross|pass|top|surpass|breach|exceed)(?:ed|es|s|ing|ping|ped)?"
                       r"[^\S\n]+the[^\S\n]+$", re.IGNORECASE)
_MARK_AFTER = compiled(r"[-‑\s](?:mark|milestone|threshold|barrier)\b", re.IGNORECASE)
_THOUSANDS = compiled(r"\d{1,3},?000")
_BOUND = {"more_than": "low", "over": "low", "at_least": "low", "up_to": "high", "fewer_than": "high", "nearly": "high"}


@dataclass
class Reading:
    """One number as read: the span includes its qualifier; `number` is the phrase itself."""

    start: int
    end: int
    number: Number
    value: float
    share: bool = False
    qualifier: str = "exact"
    low: float | None = None
    high: float | None = None
    rejected: str | None = None
    vague: bool = False           # "dozens", "tens of thousands": a range with no number written
    after_qualifier: bool = False  # the qualifier was read after the number ("500 or more")
    parts: list[Number] = field(default_factory=list)  # the numbers a range or share is read from

    def record(self, text: str, doc: str) -> dict:
        """The public record of `figcheck numbers` and `figcheck.read_numbers`: an indefinite amount
        ("dozens", "tens of thousands") has bounds but no value."""
        return {"doc": doc, "char_start": self.start, "char_end": self.end, "surface": text[self.start:self.end],
                "value": None if self.vague else _plain(self.value), "low": _plain(self.low),
                "high": _plain(self.high), "qualifier": self.qualifier, "unit": "share" if self.share else "count",
                "rejected": self.rejected}


def _plain(value: float | None) -> int | float | None:
    if value is None:
        return None
    if abs(value) < 1e15 and (float(value).is_integer() or abs(value) >= 1 and abs(value - round(value)) < 1e-6):
        return int(round(value))  # "4.1 million" is 4,100,000, not 4099999.9999999995
    return round(value, 12)


@functools.lru_cache(maxsize=4)
def _normalized(text: str) -> str:
    return normalize(text)


def read(text: str, start: int = 0, end: int | None = None, anchors: list[int] | None = None,
         from_to_ranges: bool = True) -> list[Reading]:
    """Every number between `start` and `end` of `text`, rejected ones included, in text order.

    `anchors`: where `CANDIDATE` matched in that span, when the caller has already scanned for it.
    `from_to_ranges`: read "from 200 to 300" as a range (unless a verb of change precedes it, "rose
    from ..."); when false, always as two numbers.
    """
    end = len(text) if end is None else end
    norm = _normalized(text)
    if anchors is None:
        anchors = [at for at, _ in candidate_spans(norm, start, end)]
    items: list[Reading] = []
    pos = start
    for at in anchors:
        if at < pos:
            continue
        item = _vague(norm, at, end) or _phrase(norm, at, start, end)
        if item is None:
            continue
        items.append(item)
        pos = item.end
    items = _join(norm, spelled_runs.join(norm, items), start, from_to_ranges)
    listed.carry(norm, items)
    for item in items:
        if item.rejected is None and not (item.share or item.parts or item.vague or item.number.spelled) \
                and item.number.scale == 1 and index_levels.is_level(norm, item.start, item.end, start):
            item.rejected = "measurement"
        _qualify(text, norm, item, start)
    return _bounds(norm, items)


def _phrase(norm: str, at: int, floor: int, end: int) -> Reading | None:
    article = None
    if not norm[at].isdigit() and norm[at] != "." and norm[at - 1:at].isspace():
        article = _ARTICLE_BEFORE.search(norm, max(floor, at - 4), at)
    number = read_phrase(norm, article.start(), end) if article else None
    if number is None or number.start != article.start():
        number = read_phrase(norm, at, end)
    if number is None:
        return None
    percent = _PERCENT.match(norm, number.end, end)
    share = number.fraction
    if number.fraction:  # "two-tenths of a percentage point", "½ per cent"; "two-thirds per cent" is no form
        percent = _OF_A_PERCENT.match(norm, number.end, end) or (
            percent if not _LETTER.search(norm, number.start, number.end) else None)
    if percent:
        number = replace(number, end=percent.end(), value=number.value / 100, precision=number.precision / 100,
                         share=True, fraction=False)
        share = True
    elif share:
        number = replace(number, share=True)
    start = number.start
    sign = None
    if norm[start - 1:start].isspace() and ("minus" in norm[max(floor, start - 10):start].lower()
                                            or "negative" in norm[max(floor, start - 10):start].lower()):
        sign = _SIGN_WORD.search(norm, max(floor, start - 10), start)
    if sign or (start > floor and norm[start - 1] == "-" and (start - 1 == floor or norm[start - 2] in " \t\n([")):
        start = sign.start() if sign else start - 1
        number = replace(number, start=start, value=-number.value)
    if not share and number.digits == "" and _DOT_THOUSANDS.fullmatch(norm, number.start, number.end) \
            and (norm.startswith("000", number.end - 3) or _PEOPLE_AFTER.match(norm, number.end)):
        number = replace(number, value=number.value * 1000, precision=1000.0)  # "50.000 people", "3.500 migrants"
    reason = reject_reason(norm, number)
    return Reading(number.start, number.end, number, number.value, share=share, rejected=reason)


def _vague(norm: str, at: int, end: int) -> Reading | None:
    match = _VAGUE.match(norm, at, end)
    if not match:
        return None
    low, high = _VAGUE_BASE[match.group("base").lower()]
    if match.group("times"):
        times = _VAGUE_BASE[_TIMES_WORD.get(match.group("times").lower(), match.group("times").lower())]
        low, high = low * times[0], low * times[1] if match.group("base").lower() != "dozens" else high * times[1]
    number = Number(match.start(), match.end(), low, low, share=False, spelled=True)
    return Reading(match.start(), match.end(), number, low, qualifier="between", low=low, high=high, vague=True,
                   rejected=reject_reason(norm, number, vague=True))


def _join(norm: str, items: list[Reading], floor: int, from_to_ranges: bool) -> list[Reading]:
    """Ranges ("5-6 million", "between 20 and 30") and shares ("three in 10") from neighbouring numbers."""
    out: list[Reading] = []
    k = 0
    while k < len(items):
        a = items[k]
        b = items[k + 1] if k + 1 < len(items) else None
        joined = _range(norm, a, b, floor, from_to_ranges) or _share(norm, a, b) if b is not None and not a.vague and not b.vague else None
        if joined is not None:
            out.append(joined)
            k += 2
            continue
        if b is not None and not a.vague and not b.vague:
            compared(norm, a, b, floor)
        out.append(a)
        k += 1
    return out


def _range(norm: str, a: Reading, b: Reading, floor: int, from_to_ranges: bool) -> Reading | None:
    gap = norm[a.end:b.start]
    if len(gap) > 12 or not _RANGE_JOIN.fullmatch(gap) or (a.share and not b.share):
        return None
    word = gap.strip().lower()
    if word[:1] in ("-", "‑") and word[1:3] == "to":
        word = "to"  # "five-to-seven"
    if "point" in norm[a.start:a.end].lower():
        return None  # "rose 2.5 percentage points to 7.1%": a change, then the new share
    opener = _RANGE_OPENER.search(norm, max(floor, a.start - 24), a.start)
    if word.startswith("up") and word.endswith("to"):
        word = "to"  # "from 10 up to 20 people"
    if word == "and" and not (opener and opener.group("word").lower() == "between"):
        if b.rejected == "measurement" and not a.rejected and not a.share and a.number.scale == 1:
            a.rejected = "measurement"  # "7.7 and 7.6 magnitude earthquakes": one unit for both
        elif a.rejected == "age" and not b.rejected and not b.share and a.number.value < b.number.value <= 120 \
                and not _PLURAL_AFTER.match(norm, b.end):
            b.rejected = "age"  # "children aged 10 and 11 are": both ages; "aged 34 and 12 others" counts
        return None
    if word == "to" and _BY_BEFORE.search(norm, max(floor, a.start - 40), a.start) and not (
            b.share and not a.share and 0 < a.number.value < b.number.value * 100 <= 3 * a.number.value):
        take_unit(a, b, scale=False)
        return None  # "the toll rose by 14 to 110", "rose by 0.3 to 4.5 per cent": the change, then the new value
    if opener and opener.group("word").lower() == "from" and word == "to" and (
            not from_to_ranges or _CHANGE.search(norm, max(floor, opener.start() - 40), opener.start())):
        take_unit(a, b)
        return None  # "rose from 30 to 40": a past value and a new one, not a range
    low, high = a.number.value, b.number.value
    if b.share and not a.share:
        low = low / 100 if not a.number.fraction else low
    if a.number.scale == 1 and b.number.scale > 1 and not b.share and 0 < low < b.number.value / b.number.scale:
        low *= b.number.scale  # "5-6 million", "four to five thousand"
    elif a.number.digits and not (a.share or b.share) and b.number.scale == 1 \
            and _THOUSANDS.fullmatch(norm, b.number.start, b.number.end) \
            and b.number.value / 10000 < low < b.number.value / 1000:
        low *= 1000  # "50-60,000 marchers", "between 2 and 3,000": the thousands are written once
    if word == "to" and not (a.rejected or b.rejected) and high > 3 * low > 0 \
            and _REPORTED_CHANGE.search(norm, max(floor, a.start - 30), a.start):
        take_unit(a, b, scale=False)
        return None
    if word == "or" and (not (a.number.value == int(a.number.value) and 0 < low < high <= 3 * low)
                         or _EITHER.search(norm, max(floor, a.start - 8), a.start)):
        return None  # "two or three people", "4 or 5 per cent": one uncertain count; "2 or 20" is a choice
    if a.rejected == "year" and b.rejected is None:
        if low < high:
            a.rejected = None  # "2000-3000 people"
        elif len(b.number.digits) == 2:
            b.rejected = "year"  # "the 2014-15 season"
    if not (a.rejected or b.rejected) and word in ("-", "–", "—") and low == int(low) and high == int(high) \
            and not b.share:
        game = _SCORE_CONTEXT.search(norm, max(floor, a.start - 30), b.end + 20)
        if (low >= high or game) and max(low, high) < (200 if game else 100):  # "won 112-104": a basketball score
            a.rejected = b.rejected = "score"
    if word == "to" and not (a.rejected or b.rejected or a.share or b.share or opener) and a.number.digits \
            and b.number.digits and max(low, high) < 200 and _RESULT_BEFORE.search(norm, max(floor, a.start - 30), a.start) \
            and not _PLURAL_AFTER.match(norm, b.end):
        a.rejected = b.rejected = "score"  # "won 24 to 21", "the final score was 21 to 24"; "won 3 to 5 games" is a range
    if a.rejected or b.rejected:
        if a.rejected != "year" and word in ("-", "–", "—", "to", "or", "and") and not (
                a.rejected == "date" and not b.rejected and not 0 < b.number.value <= 31):
            a.rejected = b.rejected = a.rejected or b.rejected  # "10-12 years", "aged between 5 and 12", "May 3-5"
        return None
    if low >= high:
        if opener and opener.group("word").lower() == "from" and word == "to":
            take_unit(a, b)  # "from 40 to 25 per cent": a fall, told without its verb
        return None
    start = opener.start() if opener else a.start
    return Reading(start, b.end, b.number, (low + high) / 2, share=b.share, qualifier="between", low=low, high=high,
                   parts=[a.number, b.number])


def _share(norm: str, a: Reading, b: Reading) -> Reading | None:
    gap = norm[a.end:b.start]
    hyphened = _HYPHENED_SHARE_JOIN.fullmatch(gap)
    if not (hyphened or _SHARE_JOIN.fullmatch(gap)) or a.share or b.share:
        return None
    if hyphened:  # "one-in-five", "3-in-10": the hyphens alone made "one" a pronoun and "10" a code
        if a.rejected not in (None, "pronoun") or b.rejected not in (None, "code", "duration", "modifier"):
            return None
    elif a.rejected or b.rejected:
        return None
    if a.number.scale > 1 or not 0 < a.number.value < b.number.value or a.number.value != int(a.number.value):
        return None
    if b.number.value > 100 and b.number.precision * 10 < b.number.value:
        return None  # "24,686 out of 34,622 deaths": two counts; shares are "one in five", "nine out of 10"
    if hyphened and (b.rejected in ("duration", "modifier") or _HYPHENED_WORD.match(norm, b.end)):
        a.rejected = b.rejected = "modifier"  # "a 1-in-100-year flood"
        return None
    value = a.number.value / b.number.value
    number = replace(b.number, start=a.start, value=value, precision=0.5 / b.number.value, share=True)
    return Reading(a.start, b.end, number, value, share=True, parts=[a.number, b.number])


def _qualify(text: str, norm: str, item: Reading, floor: int) -> None:
    """Qualifier words before the number, or after it ("500 or more", "33,000-plus"); a measurement's
    too ("more than 700 acres"), for the metrics that count one."""
    if item.rejected and item.rejected != "measurement":
        return
    after = _AFTER_QUALIFIER.match(norm, item.end)
    if after:
        rest = _NEXT_NUMBER.match(norm, after.end())
        if CANDIDATE.match(norm, rest.end()):
            after = None  # "above 1000 and below 1500": the words qualify the next number
    # "passed 312-118", "passed 9 to 4": a tally, not "more than 312"
    tally = norm[item.end:item.end + 1] in ("-", "–") and norm[item.end + 1:item.end + 2].isdigit() \
        or _TALLY_TO.match(norm, item.end) is not None and _PASSED.search(norm, floor, item.start) is not None
    at = item.start
    if norm[at:at + 1].isdigit() and norm[at - 2:at] in ("a ", "A "):
        article = _ARTICLE_BEFORE.search(norm, max(floor, at - 3), at)
        at = article.start() if article and item.value >= 100 else at  # "over a 1,000 people": a stray article
    if context.may_end_qualifier(norm, at, floor) and not tally:
        qualifier, q_start, bound = context.qualifier_before(text, at, floor)
        if qualifier == "more_than" and norm[q_start:item.start].rstrip().lower() == "top" \
                and _OPENING.search(norm, max(floor, q_start - 3), q_start):
            qualifier, q_start, bound = "exact", item.start, None  # "Top 5 things to know": a ranking
    else:
        qualifier, q_start, bound = "exact", item.start, None
    passed_mark = _PASSED_THE.search(norm, max(floor, item.start - 24), item.start) if qualifier == "exact" else None
    if passed_mark and _MARK_AFTER.match(norm, item.end):
        qualifier, q_start, bound = "more_than", passed_mark.start(), "low"  # "crossed the 1-crore mark"
    if item.qualifier == "between":
        item.start = min(q_start, item.start)  # "an estimated 5-6 million"
        return
    if after and after.group("approx") and not item.share and item.number.scale == 1:
        percent = _PERCENT.match(norm, after.end())
        if percent and percent.start() == after.end():  # "60-odd per cent": the sign comes after the qualifier
            item.number = replace(item.number, end=percent.end(), value=item.value / 100,
                                  precision=item.number.precision / 100, share=True)
            item.value, item.share, item.end = item.number.value, True, percent.end()
    if after:
        qualifier = ("more_than" if after.group("plus") else "approx" if after.group("approx")
                     else "at_least" if after.group("more") else "up_to")
        bound = {"up_to": "high", "approx": None}.get(qualifier, "low")
        item.end, item.after_qualifier = max(item.end, after.end()), True
    item.start, item.qualifier = min(q_start, item.start), qualifier
    if bound == "low":
        item.low = item.value
    elif bound == "high":
        item.high = item.value


def _bounds(norm: str, items: list[Reading]) -> list[Reading]:
    """"more than 20 and fewer than 30": one range."""
    out: list[Reading] = []
    for item in items:
        prev = out[-1] if out else None
        if prev is not None and not prev.rejected and not item.rejected and prev.share == item.share \
                and _BOUND_JOIN.match(norm[prev.end:item.start]) and {_BOUND.get(prev.qualifier),
                                                                      _BOUND.get(item.qualifier)} == {"low", "high"}:
            low = prev.value if _BOUND[prev.qualifier] == "low" else item.value
            high = item.value if _BOUND[item.qualifier] == "high" else prev.value
            if low < high <= 10 * low:  # "more than 52,000, and nearly 2 million people": two counts, not bounds of one
                out[-1] = Reading(prev.start, item.end, item.number, (low + high) / 2, share=item.share,
                                  qualifier="between", low=low, high=high, parts=[prev.number, item.number])
                continue
        out.append(item)
    return out
