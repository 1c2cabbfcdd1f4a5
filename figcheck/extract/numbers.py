"""Numbers as news writes them: digits, scale words, number words, fractions, percentages, ranges.

One regular expression finds candidates. Values of digit forms, simple number words and
fractions are read here; compound spelled-out numbers ("two hundred and fifty thousand") are
handed to quantulum3, which reads them well. Everything that is a number but not a count of
anything (dates, times, years, ages, durations, ordinals, codes, measurements, money) is
rejected with the reason.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from figcheck.dates import MONTH_WORD

UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
         "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
         "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "trillion": 1_000_000_000_000, "k": 1_000, "m": 1_000_000, "mn": 1_000_000, "mln": 1_000_000,
          "bn": 1_000_000_000}
DENOMINATORS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4,
                "fourths": 4, "fifth": 5, "fifths": 5, "tenth": 10, "tenths": 10}
NUMERATORS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "nine": 9}
FRACTION_STEP = 0.05  # "two-thirds" in news stands for anything that rounds to it: read to 5 points

_UNIT = "|".join(sorted(UNITS, key=len, reverse=True))
_TEN = "|".join(TENS)
_SIMPLE = rf"(?:(?:{_TEN})(?:[-\s](?:{'|'.join(k for k in UNITS if UNITS[k] and UNITS[k] < 10)}))?|{_UNIT})"
_SCALE_WORD = r"(?:hundred|thousand|million|billion|trillion)"
_WORDNUM = rf"{_SIMPLE}(?:(?:\s+and\s+|[-\s]+)(?:{_SCALE_WORD}|{_SIMPLE}))*"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_FRACTION = r"(?:(?:one|two|three|four|nine|a)[-\s](?:halves|half|thirds|third|quarters|quarter|fourths|fifths|fifth|tenths|tenth)|half)"

CANDIDATE = re.compile(
    rf"""(?<![\w.,/:$€£#-])(?:
        (?P<digits>{_DIGITS})(?:(?P<attached>k|m|mn|mln|bn)\b|\s?-?(?P<dscale>{_SCALE_WORD})s?\b)?
      | (?P<half>half\s+an?\s+{_SCALE_WORD})
      | (?P<ascale>an?\s+(?:{_SCALE_WORD}))
      | (?P<fraction>{_FRACTION})\b
      | (?P<words>{_WORDNUM})\b
    )(?P<percent>\s?(?:%|per\s?cent\b))?""",
    re.IGNORECASE | re.VERBOSE,
)

_TIME_UNIT = r"(?:years?|yrs?|months?|weeks?|days?|nights?|hours?|hrs?|minutes?|mins?|seconds?|decades?|centur(?:y|ies))"
_AFTER_NOISE = re.compile(
    rf"""^(?:
        \s*[-‑–]?\s*{_TIME_UNIT}\b                       (?# duration or age: 17-year siege, two days)
      | [-‑–]?(?:st|nd|rd|th)\b                          (?# ordinal: 1st, 5th)
      | \s*[:/.]\d                                       (?# time or date: 6:22, 4/1, 19.04)
      | \s*(?:a\.?m\.?|p\.?m\.?|gmt|utc|bst|cet|est|edt)\b  (?# clock time)
      | \s*[-‑–]?\s*{MONTH_WORD}(?!\w)                   (?# 7 October)
      | \s*[-‑–]?\s*(?:km|kilomet(?:er|re)s?|miles?|mi|metres?|meters?|m|cm|mm|feet|foot|ft|inch(?:es)?|
          kg|kilos?|kilograms?|grams?|lbs?|pounds?|tons?|tonnes?|degrees?|°|mph|km/h|kph|knots?|acres?|hectares?|
          sq|square|litres?|liters?|gallons?|barrels?|mw|gw|kw|volts?|dollars?|euros?|shekels?|usd|eur|
          calories|magnitude)\b                            (?# a measurement or money, not a count)
      | [\w]                                              (?# glued to letters: 3D, 5G)
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_BEFORE_NOISE = re.compile(
    rf"""(?:
        {MONTH_WORD}\s*$                                  (?# Oct. 7, April 1)
      | (?:[$€£¥₪]|US\$|\bUSD\s?|\bEUR\s?|\bRs\.?\s?)$    (?# money)
      | \b(?:aged?|ages|age\s+of)\s+$                     (?# ages)
      | \b(?:children|kids|minors|boys|girls|people|anyone|those)\s+(?:under|over|below|above)\s+$
      | \b(?:route|road|highway|article|resolution|section|chapter|flight|no\.|number|gate|phase|level|category|
          grade|room|unit|building|block|page|vol\.|volume|episode|season|class|type|model|version|magnitude|
          sector|zone|ward|platform|terminal|channel|stage|(?-i:Day|Week)|act|bill|title|paragraph|item|exit|suite|floor|
          covid|code|tier|group|cat\.)\s*[-‑]?\s*$         (?# names and codes: Route 6, magnitude 7.8, Day 200)
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_COUNTED_NOUN = re.compile(r"^\s+(?:[a-z]+\s+){0,2}?(?:people|persons|residents|civilians|children|women|men|hostages|"
                           r"troops|soldiers|families|homes|houses|buildings|victims|bodies|casualties|deaths|"
                           r"refugees|migrants|patients|workers|fighters|militants|dead|injured|wounded)\b", re.I)


@dataclass
class Number:
    """A number found in text, with its value and the step it is written to."""

    start: int
    end: int
    value: float
    precision: float
    share: bool
    spelled: bool = False


def noise_reason(text: str, match: re.Match[str]) -> str | None:
    s, e = match.span()
    before = text[max(0, s - 40):s]
    after = text[e:e + 40]
    digits = match.group("digits")
    if match.group("words") and match.group("words").lower() in ("one", "zero") and not match.group("percent"):
        return "pronoun"
    if not match.group("percent") and _AFTER_NOISE.match(after):
        return "date, time, duration, age, ordinal or measurement"
    if _BEFORE_NOISE.search(before):
        return "date, money, age or code"
    if digits and re.fullmatch(r"\d{4}", digits) and 1800 <= int(digits) <= 2100 and not match.group("dscale"):
        if not _COUNTED_NOUN.match(after):
            return "year"
    if digits and s > 0 and text[s - 1] == "-" and s > 1 and text[s - 2].isalpha():
        return "code"
    return None


def value_of(match: re.Match[str]) -> Number | None:
    """Read the value and rounding step of a candidate; None when it cannot be read."""
    g = match.group
    percent = bool(g("percent"))
    if g("digits"):
        raw = g("digits").replace(",", "")
        scale = SCALES[(g("attached") or g("dscale") or "").lower()] if (g("attached") or g("dscale")) else 1
        value = float(raw) * scale
        precision = _digit_step(raw) * scale
        spelled = False
    elif g("half"):
        scale = SCALES[g("half").split()[-1].lower()]
        value, precision, spelled = 0.5 * scale, scale / 10, True
    elif g("ascale"):
        scale = SCALES[g("ascale").split()[-1].lower()]
        value, precision, spelled = float(scale), float(scale), True
    elif g("fraction"):
        words = re.split(r"[-\s]", g("fraction").lower())
        if len(words) == 1:
            return Number(match.start(), match.end(), 0.5, FRACTION_STEP, share=True, spelled=True)
        value = NUMERATORS[words[0]] / DENOMINATORS[words[1]]
        return Number(match.start(), match.end(), value, FRACTION_STEP, share=True, spelled=True)
    else:
        parsed = _words_value(g("words"))
        if parsed is None:
            return None
        value, precision = parsed
        spelled = True
    if percent:
        return Number(match.start(), match.end(), value / 100, precision / 100, share=True, spelled=spelled)
    return Number(match.start(), match.end(), value, precision, share=False, spelled=spelled)


def _digit_step(raw: str) -> float:
    if "." in raw:
        return 10.0 ** -len(raw.split(".")[1])
    stripped = raw.lstrip("0")
    if not stripped:
        return 1.0
    zeros = len(stripped) - len(stripped.rstrip("0"))
    return 10.0 ** zeros


def _words_value(text: str) -> tuple[float, float] | None:
    """Simple number words ("four", "twenty-three", "two million"); compound ones go to quantulum3."""
    words = [w for w in re.split(r"[-\s]+", text.lower()) if w != "and"]
    value = 0
    i = 0
    if i < len(words) and words[i] in TENS:
        value = TENS[words[i]]
        i += 1
        if i < len(words) and words[i] in UNITS and 0 < UNITS[words[i]] < 10:
            value += UNITS[words[i]]
            i += 1
    elif i < len(words) and words[i] in UNITS:
        value = UNITS[words[i]]
        i += 1
    rest = words[i:]
    if not rest:
        return float(value), 10.0 if value % 10 == 0 and value >= 20 else 1.0
    if len(rest) == 1 and rest[0] in SCALES:
        return float(value * SCALES[rest[0]]), float(SCALES[rest[0]])
    return _quantulum_value(text)


def _quantulum_value(text: str) -> tuple[float, float] | None:
    from figcheck.extract.quantulum import parse_spelled

    value = parse_spelled(text)
    if value is None:
        return None
    step = 10.0 ** max(0, int(math.log10(value)) - 1) if value >= 100 else 1.0
    return value, step
