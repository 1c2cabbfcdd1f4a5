"""Why a fraction is not a share: a date ("9/11"), a duration ("half an hour", "two quarters running"), a
time ("a quarter past 10"), or an ordinal ("a third time", "the first half", "and a third is being sought").

Used by figcheck/extract/noise.py, whose `reject_reason` answers for every number.
"""

from __future__ import annotations

import re

from figcheck.regexcache import compiled

TIME_UNIT = (r"(?:years?|yrs?|months?|weeks?|days?|nights?|hours?|hrs?|minutes?|mins?|seconds?|secs?|decades?|"
             r"centur(?:y|ies)|millenni(?:um|a))")
# "a third time", "a fifth attempt": a noun after makes an ordinal; "cut by a third since 2022", "a fifth have left" do not
_FRACTION_AS_ORDINAL = compiled(r"^[^\S\n]+(?!(?:of|the|and|or|to|in|are|is|were|was|since|from|by|for|on|at|with|over|"
                                r"after|before|while|but|as|than|between|among|during|until|through|across|within|"
                                r"have|has|had|will|would|could|can|may|might|should|said|say|says|now|still|also|"
                                r"already|last|this|compared|against)\b)[a-z]+")
_HALF_ORDINAL = compiled(r"(?<![\w])(?:first|second|third|fourth|final|last|latter|other|opening|closing)[^\S\n]+$",
                         re.IGNORECASE)
_NEXT_OF = {"third": ("two", "2"), "fourth": ("three", "3"), "fifth": ("four", "4")}
_COUNT_THEN_AND = compiled(r"(?<![\w-])(?P<count>two|three|four|[234])(?![\w-])[^.;:\d]{3,60}?(?:\band|,)[^\S\n]+$",
                           re.IGNORECASE)
# "fell for two quarters in a row", "grew 0.6% a quarter": business periods; "three quarters of" a whole is a share
_QUARTER_PERIOD = compiled(r"(?:(?<![\w])(?:in|for|over|past|last|next|first|previous|consecutive|straight|successive|"
                           r"the|within|after|each|every|per)[^\S\n]+(?:\w+[^\S\n]+)?|(?:[\d%]|cent|million|billion|bn|m)"
                           r"[^\S\n]+(?:an?[^\S\n]+)?)$", re.IGNORECASE)
_FRACTION_DURATION = compiled(rf"^[-‑\s]+(?:of[^\S\n]+)?(?:an?[^\S\n]+)?{TIME_UNIT}\b", re.IGNORECASE)
_DASH_WORD = compiled(r"^[-‑]\w")
_CLOCK_AFTER = compiled(r"^[^\S\n]+(?:past[^\S\n]+\w|to[^\S\n]+(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|"
                        r"eleven|twelve|midnight|noon)\b(?![^\S\n]*(?:%|per|[-‑]|\d|million|thousand)|[,.]\d))",
                        re.IGNORECASE)
_SLASH_DENOMINATORS = {"2", "3", "4", "5", "8", "10"}
_DAY_BEFORE = compiled(r"(?<![\w])(?:on|since|until|till|by|before|after|from|dated)[^\S\n]+$", re.IGNORECASE)


def fraction_reason(before: str, after: str, surface: str) -> str | None:
    """One word saying why the fraction `surface`, between the texts `before` and `after`, is not a share, or
    None; whether a fraction in digits or signs is followed by a unit is left to the caller."""
    if "/" in surface and (surface.rsplit("/", 1)[1] not in _SLASH_DENOMINATORS or _DAY_BEFORE.search(before)):
        return "date"  # "since 9/11", "on 3/10": a month and a day; shares are written 1/2, 2/3, 3/4, 1/5, 3/10
    if _FRACTION_DURATION.match(after):
        return "duration"
    if not surface[-1:].isalpha():  # "2/3 voted", "¾ of homes": the ordinal and clock readings below are of words
        return None
    word = surface.split()[-1].lower().split("-")[-1]
    if word in ("quarter", "quarters") and not after.startswith(" of") and _QUARTER_PERIOD.search(
            before + re.sub("[-‑]", " ", surface[:-len(word)])):
        return "duration"
    if word in ("half", "quarter") and _CLOCK_AFTER.match(after):
        return "time"  # "a quarter past 10", "half past nine"; "rose by a third to 3,200" tells no time
    if word in ("half", "quarter"):
        # "sales grew 2.9% in the half", "level at the half": the half-year, or half of a match
        the_half = surface.lower() == "half" and before[-4:].lower() == "the " and not after.startswith(" of")
        return "ordinal" if _HALF_ORDINAL.search(before) or _DASH_WORD.match(after) or the_half else None
    if surface.lower().startswith("a ") and word in _NEXT_OF and not after.startswith(" of ") \
            and _COUNT_THEN_AND.search(before) \
            and _COUNT_THEN_AND.search(before).group("count").lower() in _NEXT_OF[word]:
        return "ordinal"  # "two men were arrested and a third is being sought": a third man
    if not word.endswith("s") and (_FRACTION_AS_ORDINAL.match(after) or _DASH_WORD.match(after)):
        return "ordinal"  # "a third time", "one fifth attempt", "a third-party candidate"
    return None
