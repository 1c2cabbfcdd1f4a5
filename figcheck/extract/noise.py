"""Why a number is not a count: the words around it make it a year, date, time, duration, age,
ordinal, amount of money, measurement, code or name (Route 6, S&P 500, iPhone 11), an address, a
score (2-1), or the first part of a compound modifier ("a 10-storey building", "a 3-point plan").

`reject_reason` answers with one word, or None for a count (or share).
"""

from __future__ import annotations

import re

from figcheck.dates import MONTH_WORD
from figcheck.extract.number_tokens import BOEING_WORDS
from figcheck.extract.fraction_words import TIME_UNIT, fraction_reason
from figcheck.extract.numbers import Number
from figcheck.regexcache import compiled

_UNIT = (r"(?:km|kilomet(?:er|re)s?|miles?|mi|metres?|meters?|m|cm|mm|ml|millilit(?:er|re)s?|feet|foot|ft|inch(?:es)?|"
         r"yards?|yd|kg|kilos?|kilograms?|grams?(?![^\S\n]+(?:panchayats?|sabhas?))|g|lbs?|pounds?|ounces?|oz|tons?|"
         r"tonnes?|degrees?|°[CF]?|mph|km/h|kph|"
         r"knots?|acres?|hectares?|ha|sq|square|cubic|litres?|liters?|gallons?|barrels?|bpd|mw|gw|kw|kwh|mwh|gwh|volts?|"
         r"watts?|hz|mhz|ghz|gb|mb|tb|kb|bits?|bytes?|calories|kcal|magnitude|mbps|sqm|m²|km²|points?|pts|"
         r"basis[-‑\s]+points?|bps|bp|decibels?|db|dba|ppm|ppb|parts[^\S\n]+per[^\S\n]+(?:million|billion)|"
         r"(?:mega|giga|kilo)?tonnes|mt|kt|twh|gwh|(?:tera|giga|mega|kilo)watt(?:[-‑\s]hours?)?s?|bcm|tcf|mmbtu|btu|carats?|"
         r"bushels?|teu|px|cusecs?|overs|on[^\S\n]+the[^\S\n]+richter\b|richter|"
         r"m(?=\s*(?:\(|deep|high|long|wide|tall|away|below|above|from)))")
_MONEY_AFTER = (r"(?:(?:us|u\.s\.|american|australian|canadian|hong[^\S\n]+kong|singapore|new[^\S\n]+zealand|swiss|"
                r"turkish|brazilian|mexican|indian|pakistani|egyptian|russian|saudi|japanese|chinese|south[^\S\n]+african|"
                r"nigerian|kenyan|ukrainian|israeli|iranian|argentine|philippine|indonesian|malaysian|korean|taiwan|"
                r"jordanian|qatari|danish|swedish|norwegian|czech|polish|hungarian)[^\S\n]+)?"
                r"(?:dollars?|euros?|shekels?|usd|eur|gbp|rupees?|yuan|yen|rubles?|roubles?|naira|rand|pesos?|"
                r"francs?|dinars?|dirhams?|riyals?|rials?|lira|liras|cents?|pence|p\b(?=\s)|bucks|crowns?|krona|kronor|"
                r"kroner|krone|zloty|pounds[^\S\n]+sterling|sterling|reais|soles|hryvnias?|ringgit|baht|rupiah|"
                r"shillings?|cedis?|taka|forint|bitcoins?|btc)")
_AFTER = compiled(
  rf"""^(?:
      (?P<age>[^\S\n]*+[-‑–]?[^\S\n]*+(?:years?|yrs?|months?|weeks?|days?)[-‑–\s]+old\b|[-‑–]year[-‑–]olds?\b
        |[-‑–]?[^\S\n]*+(?:to|and)[^\S\n]*+[-‑–]?\d{{1,3}}[-‑–]year[-‑–]olds?\b)
    | (?P<duration>[^\S\n]*+[-‑–]?[^\S\n]*+(?:(?:more|additional|further|extra|straight|consecutive|successive|full|
        long|whole|trading|working|business|school|calendar)[^\S\n]+)?(?:{TIME_UNIT}|quarters)\b(?<!Year(?=[^\S\n]\d)))
    | (?P<ordinal>[-‑–]?(?:st|nd|rd|th)\b)
    | (?P<time>[^\S\n]*+(?::\d|[ap]\.?m\.?\b|(?:gmt|utc|bst|cet|est|edt|pst|pdt|hrs|o['’]?clock)\b))
    | (?P<date>[^\S\n]*+(?:[/.]\d|-\d\d?-\d)|[^\S\n]*+[-‑–]?[^\S\n]*+{MONTH_WORD}(?!\w)
        |[^\S\n]*+(?:and|to|[-‑–])[^\S\n]*+(?:[1-9]|[12]\d|3[01])[^\S\n]+{MONTH_WORD}(?!\w))
    | (?P<money>[^\S\n]*+{_MONEY_AFTER}\b
        |[^\S\n]+(?:an?|per)[^\S\n]+(?:ounce|barrel|tonne|ton|litre|liter|gallon|share|kilo|kilogram|pound)\b
        |[^\S\n]+(?:per|to[^\S\n]+the|against[^\S\n]+the)[^\S\n]+(?:u\.?s\.?[^\S\n]+)?(?:dollar|euro|pound|yen|
          greenback|yuan|franc)\b)
    | (?P<measurement>[^\S\n]*+[-‑–]?[^\S\n]*+{_UNIT}(?![\w/]|[-‑]\d)
        |[^\S\n]*+\([^\S\n]*+[\d.,]+[^\S\n]*+(?:ft|feet|in|inches|yd|yards|m|metres|meters|km|mi|miles|kg|lbs?|°[CF]?)\b
        |[^\S\n]*+[-‑–]?[^\S\n]*+(?:high|long|wide|deep|tall|thick)\b)
    | (?P<year>s\b|'s\b)
    | (?P<address>(?-i:(?:[^\S\n]+[A-Z][\w'-]*){{1,3}}[^\S\n]+(?:Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Boulevard|
        Blvd\.?|Lane|Drive|Way|Place|Square|Court|Terrace|Crescent)\b)
        |[^\S\n]+block[^\S\n]+of\b)
    | (?P<multiplier>[^\S\n]*+[-‑]?fold\b|[^\S\n]*+[x×](?![\w])|[^\S\n]+times[^\S\n]+(?:higher|lower|more|less|fewer|
        larger|smaller|bigger|greater|faster|slower|as|the|that|what|over|earnings|sales|revenues?|profits?|book|worse|better|
        cheaper|dearer|costlier|likelier|deadlier|stronger|weaker|heavier|hotter|longer|shorter|wider|richer|poorer|
        harder|easier|safer|riskier|quicker)\b)
    | (?P<modifier>[-‑](?!plus\b|strong\b|odd\b|(?:year|month|week|day)s?\b)[a-z]+\b(?![-‑])|[-‑]for[-‑]\d)
    | (?P<code>[.]\d|[\w×]|\([a-z]\))
  )""",
  re.VERBOSE | re.IGNORECASE,
)
_MONTHS = {"jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul", "july",
           "aug", "august", "sep", "sept", "september", "oct", "october", "nov", "november", "dec", "december"}
_MONTH_ABBREVIATIONS = {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
_CURRENCY_SIGNS = ("$", "€", "£", "¥", "₪", "₹", "₦", "$-", "€-", "£-")
_CURRENCY_CODES = {"usd", "eur", "gbp", "rs", "rs.", "inr", "us$", "aud", "cad", "chf", "jpy", "cny", "aed", "dh",
                   "dhs", "sar", "qar", "qr", "kwd", "kd", "bhd", "bd", "omr", "egp", "pkr", "bdt", "tk", "lkr", "npr",
                   "ksh", "kes", "ngn", "zar", "rmb"}
_CODE_WORDS = {"route", "road", "highway", "interstate", "article", "resolution", "section", "chapter", "flight", "no.",
               "nos.", "number", "gate", "phase", "level", "category", "grade", "room", "unit", "building", "block",
               "page", "vol.", "volume", "episode", "season", "class", "type", "model", "version", "sector",
               "zone", "ward", "platform", "terminal", "channel", "stage", "act", "bill", "title", "paragraph", "item",
               "exit", "suite", "floor", "covid", "code", "tier", "group", "cat.", "apartment", "apt", "apt.", "plot",
               "pier", "district", "precinct", "line", "bus", "train", "junction", "marker", "milepost", "id", "pin",
               "ext", "ext.", "tel", "tel.", "phone", "#", "no"}
_PLURAL_CODE_WORDS = {"junctions", "classes", "grades", "articles", "sections", "chapters", "routes", "gates", "terminals",
                      "platforms", "zones", "wards", "sectors", "floors", "rooms", "phases", "categories", "levels",
                      "stages", "tiers", "seasons", "episodes", "pages", "paragraphs", "districts", "flights", "units"}
_LIST_AFTER = compiled(r"^[^\S\n]*(?:,|and|to|&|-|–|or)[^\S\n]*\d")
_MEASURE_WORDS = {"magnitude", "magnitudes", "measuring", "measured", "depth", "height", "altitude", "temperature",
                  "temperatures", "speed", "speeds"}
_QUAKE_WORDS = {"earthquake", "earthquakes", "quake", "quakes", "tremor", "tremors", "aftershock", "aftershocks"}
_AGE_AFTER = {"children", "kids", "minors", "boys", "girls", "people", "anyone", "those", "adults", "voters", "men",
              "women", "patients", "pensioners", "drivers", "users"}
_NAME_COMMA = compiled(r"(?:[A-Z][\w'’-]+|\b(?:man|woman|boy|girl|son|daughter|father|mother|wife|husband|brother|"
                       r"sister|child|baby|teenager|resident|victim|driver|soldier|officer|nurse|doctor|suspect|defendant|accused|"
                       r"pensioner|student|motorist|pedestrian|cyclist|partner|girlfriend|boyfriend|senator|minister|"
                       r"president|governor|mayor|lawmaker|congress(?:wo)?man|chancellor|premier|actor|actress|singer|"
                       r"star|player|coach|manager|founder|chair(?:wo)?man|judge|lawyer|author|writer|artist|musician|"
                       r"veteran|grand(?:mother|father)|widow|retiree|farmer|teacher|pilot|billionaire|business(?:wo)?man)),"
                       r"[^\S\n]$")
# "the oldest freed was 85", "the youngest of them is two": a person's age
_SUPERLATIVE_AGE = compiled(r"(?<![\w])(?:oldest|youngest|eldest)(?:[^\S\n]+[^\W\d_][\w'’-]*){0,3}[^\S\n]+(?:was|is|being)"
                            r"[^\S\n]+$", re.IGNORECASE)
_OR_OLDER = compiled(r"[^\S\n]+(?:years[^\S\n]+)?(?:or|and)[^\S\n]+(?:older|younger)\b", re.IGNORECASE)  # "60 or older"
_PROPER_BEFORE = compiled(r"(?:^|(?<=[\s(\"“']))(?P<word>[A-Za-z&][\w&'-]*)[^\S\n]$")
_AGE_GROUP = compiled(r"(?:under|over)-\d{1,2}s", re.IGNORECASE)  # "under-18s 20 per cent": a group, not a model
_SENTENCE_OPEN = compiled(r"(?:^|[.!?\"“”:;(\n][^\S\n]*)$")
_LEAD_WORDS = {"on", "in", "at", "by", "the", "some", "about", "nearly", "over", "than", "around", "and", "or", "of",
               "to", "from", "with", "for", "as", "just", "more", "fewer", "less", "up", "almost", "roughly",
               "approximately", "least", "only", "all", "another", "estimated", "an", "a", "after", "before", "since",
               "until", "between", "among", "under", "above", "below", "barely", "north", "south", "shy", "upwards",
               "these", "those", "its", "their", "his", "her", "our", "your", "my", "whose", "remaining", "other"}
# Words a sentence opens with before a count ("Perhaps 40 ..."): any other capitalised word there
# names something ("Formula 1 drew ...", "Windows 11 runs ...") unless a plural noun follows.
_OPENERS = {"perhaps", "maybe", "possibly", "probably", "exactly", "precisely", "fully", "including", "overall",
            "altogether", "now", "then", "still", "yet", "so", "but", "while", "when", "if", "although", "though",
            "because", "despite", "like", "unlike", "per", "total", "both", "every", "each", "most", "many",
            "thus", "currently", "officially", "reportedly", "globally", "nationwide", "worldwide", "meanwhile",
            "already", "also", "even", "another", "whereas", "tonight", "yes", "no", "nearly", "only", "just", "either",
            "neither"}
_PLURAL_NEXT = compiled(r"[^\S\n]+[a-z]{2,}s\b")
_WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "yesterday"}
_PLURAL_NOUN = compiled(r"[^\S\n]+(?:[a-z]+[^\S\n]+)?[a-z]{2,}s\b")
_YEAR_LEAD = compiled(r"(?<![\w])(?:in|since|of|the|by|until|till|from|to|before|after|during|between|and|or|year|"
                      r"early|late|mid|summer|winter|spring|autumn|fall|through|for|around|circa|c\.|until|'s|s')[^\S\n]*$",
                      re.IGNORECASE)
_COUNTED = compiled(r"[^\S\n]+(?:[a-z]+[^\S\n]+){0,2}?(?:people|persons|residents|civilians|children|women|men|hostages|"
                    r"troops|soldiers|families|homes|houses|buildings|victims|bodies|casualties|deaths|refugees|"
                    r"migrants|patients|workers|fighters|militants|dead|injured|wounded|protesters|demonstrators)\b")
# More things news counts: after a capitalised word they make the number a count ("In Rafah 300 tents"), not a
# name ("Windows 11 runs"); too common after years ("the 2020 schools budget") to tell a year from a count.
_COUNTED_THINGS = compiled(r"[^\S\n]+(?:[a-z]+[^\S\n]+)?(?:tents|camps|shelters|schools|hospitals|clinics|"
                           r"villages|towns|districts|households|shops|prisoners|detainees|journalists|doctors|"
                           r"nurses|teachers|"
                           r"students|pupils|passengers|pilgrims|survivors|fatalities|arrests|trucks|lorries|"
                           r"ambulances)\b")
_PRONOUN_BEFORE = compiled(r"(?<![\w])(?:one[^\S\n]+(?:by|after)|the|this|that|which|each|every|any|no|another|"
                           r"some|a|an|last|next|other|such|little|only\s+the|which)[^\S\n]+$", re.IGNORECASE)
_PRONOUN_AFTER = compiled(r"^(?:[^\S\n]+(?:of|another|by|who|which|that|else|anyway|point|stage|moment|side|way|time|"
                          r"thing)\b|"
                          r"'s\b|[-‑]\w)", re.IGNORECASE)


_OF_TIME = compiled(rf"^[^\S\n]+of[^\S\n]+(?:{TIME_UNIT})\b", re.IGNORECASE)
_OF_MONEY = compiled(rf"^[^\S\n]+of[^\S\n]+{_MONEY_AFTER}", re.IGNORECASE)
_DETERMINER_BEFORE = compiled(r"(?<![\w])(?:an?|the)[^\S\n]+$", re.IGNORECASE)
_GROUPED_METRES = compiled(r"\d{1,3}(?:,\d{3})+m")
_RACE_METRES = compiled(r"[1-9]\d{2,4}m")
_CLAUSE_END = compiled(r"^(?:[^\S\n]*[,;:.)!?]|$)")
_SINGULAR_NOUN = compiled(r"[^\S\n]+[a-z]+(?<!s)\b")
_AGE_END = compiled(r"[,;)]|\.(?!\d)")
_ISO_DAY = compiled(r"(?<!\d)\d{4}-\d\d?-$")
_ISO_YEAR = compiled(r"(?<!\d)\d{4}-$")
_YEAR_PREPOSITION = compiled(r"(?<![\w])(?:in|since|by|until|from|during|before|after)[^\S\n]*$", re.I)
_QUARTER_TO = compiled(r"(?<![\w])quarter[^\S\n]+to[^\S\n]+$", re.IGNORECASE)
_AGE_LIMITS = {"5", "12", "13", "14", "16", "18", "21"}
_AGE_LIMIT_BEFORE = compiled(r"(?<![\w])(?:are|were|is|was|be|being)[^\S\n]+(?:under|over)[^\S\n]+$", re.IGNORECASE)
_AGE_LIMIT_AFTER = compiled(r"^(?:[^\S\n]*(?:[.,;)]|$)|[^\S\n]+(?:and|or|years?)\b)")
_ZERO_LED_BEFORE = compiled(r"(?<![\d,.])0\d+[ -]$")
_ZERO_LED_AFTER = compiled(r"^[ -]0\d")
_TIMES = compiled(r"^[^\S\n]+times\b")
_WON = compiled(r"^[^\S\n]+won\b")
_PERCENT_DASH = compiled(r"(?<![a-z])(?:pc|pct|per[^\S\n]?cent|percent)[-‑]$", re.IGNORECASE)  # "15pc-20pc": a range
_EMERGENCY_LINE = compiled(r"^[-‑\s]?(?:calls?|callers?|dispatch\w*|operators?|lines?|cent(?:er|re)s?|system|"
                           r"services?)\b", re.IGNORECASE)
_RANK_BEFORE = compiled(r"(?<![\w])number[^\S\n]+$", re.IGNORECASE)
_SPACED_GROUPS = compiled(r"\d[^\S\n]\d")
_GROUP_BEFORE = compiled(r"\d[^\S\n]$")
_GROUP_AFTER = compiled(r"^[^\S\n]\d")
_PHONE_SEPARATORS = ("-", ".", " ", ")")
_PHONE_BEFORE = compiled(r"(?:(?<![\w,.])\+)?(?:\(?\d+\)?[-. ]|\(\d+\)[^\S\n]?)+$")
_PHONE_AFTER = compiled(r"^\)?(?:[-. ]\d+(?![,\w]))+")
_DIGIT_GROUP = compiled(r"\d+")
# "the 737 MAX 9", "787 Dreamliners", "737 jets", "777s", "737-800": a Boeing model (7x7), not 737 of anything;
# "171 MAX jets" are counted.
_BOEING_MODEL = compiled(r"7\d7")
_MODEL_AFTER = compiled(rf"^(?:[^\S\n]+(?:{BOEING_WORDS})\b|s\b|[-‑]\d)")
# "India were 245 for 6 at stumps": runs for wickets, a cricket score.
_WICKETS_AFTER = compiled(r"^[^\S\n]+for[^\S\n]+(?:\d|10)(?![\w.,%/-])(?:[^\S\n]+(?:dec|declared|at|in|with|before|after|"
                          r"when|by|off|overs?|inside|chasing|on|and|but)\b|[^\S\n]*(?:[,;:.)]|$))")
_PAR_AFTER = compiled(r"^[-‑\s](?:under|over)[-‑\s]par\b", re.IGNORECASE)
_ROUND_BEFORE = compiled(r"(?<![\w])(?:carded|card(?:s|ing)|shot|shoots|shooting|fired|fires|firing|round[^\S\n]+of)"
                         r"(?:[^\S\n]+an?)?(?:[^\S\n]+(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)[-‑\s]"
                         r"(?:under|over)(?:[-‑\s]par)?)?[^\S\n]+$", re.IGNORECASE)  # "shot a five-under 67"
_RUNS_BEFORE = compiled(r"(?<![\d,.])\d{1,3}[^\S\n]+for[^\S\n]+$")
# Names a number follows that a sentence may open with, before a plural or a verb in -s: "Falcon 9 rockets",
# "Windows 11 runs", "Ligue 1 clubs", "Year 11 pupils" (a school year).
_NAMES_BEFORE = {"windows", "falcon", "ligue", "serie", "formula", "apollo", "artemis", "galaxy", "pixel", "xbox",
                 "playstation", "soyuz", "voyager", "year", "grade", "key", "stage"}
_CALLED_BEFORE = compiled(r"(?<![\w])(?:calls?|call(?:ed|ing)|dial(?:l?ed|l?ing|s)?|rang|ring(?:s|ing)?|phon(?:e|ed|ing))"
                          r"[^\S\n]+(?:to[^\S\n]+)?$", re.IGNORECASE)
_COMPANY_AFTER = compiled(r"^[^\S\n]+(?:Ltd|Limited|Inc|Corp|Co|PLC|plc|LLC|LLP|GmbH|AG|SA|NV)\b")


def reject_reason(norm: str, number: Number, vague: bool = False) -> str | None:
    """One word saying why the number is not a count, or None."""
    s, e = number.start, number.end
    before, after = norm[max(0, s - 40):s], norm[e:e + 60]
    surface = norm[s:e]
    if vague:
        if _OF_TIME.match(after):
            return "duration"
        if _OF_MONEY.match(after):
            return "money"
        return None
    if number.fraction and not number.share:
        return None
    if number.fraction:
        reason = fraction_reason(before, after, surface)
        if reason or surface[-1:].isalpha():
            return reason
        unit = _AFTER.match(after)  # "a 3/4 mile", "¾ of a cent"
        return unit.lastgroup if unit and unit.lastgroup in ("measurement", "money", "age") else None
    if surface[-1:] in ("m", "k") and _DETERMINER_BEFORE.search(before) and _SINGULAR_NOUN.match(after):
        return "measurement"  # "a 10m wall", "the 5k race": metres and kilometres, not millions
    if surface[-1:] == "m" and not before.endswith(_CURRENCY_SIGNS) and (
            _GROUPED_METRES.fullmatch(surface) or _DETERMINER_BEFORE.search(before) and _RACE_METRES.fullmatch(surface)
            and _CLAUSE_END.match(after)):
        return "measurement"  # "the 5,000m", "won the 800m,": no one writes 5,000 million as "5,000m"
    if surface.lower() == "one" and (_PRONOUN_BEFORE.search(before) or _PRONOUN_AFTER.match(after)):
        return "pronoun"  # before the units: "at one point"
    if not number.share:
        reason = _after_reason(after, number)
        if reason:
            return reason
    reason = _before_reason(before, after)
    if reason == "date" and number.value > 31 and len(number.digits) != 4:
        reason = None  # "In March 200 families returned": no day of a month
    if reason and (reason != "code" or number.digits or number.value < 100 and _RANK_BEFORE.search(before)):
        return reason  # "Route 6"; "the number one priority" too, but "Section three hundred" is no form
    if number.digits and int(number.digits) <= 120 and _NAME_COMMA.search(before) and _AGE_END.match(after):
        return "age"  # "Dana Levi, 34, said"
    if number.value <= 120 and (_SUPERLATIVE_AGE.search(before) or _OR_OLDER.match(after)):
        return "age"
    if number.digits:
        return _digits_reason(norm, number, before, after)
    if _SPACED_GROUPS.search(surface) and (_GROUP_BEFORE.search(before) or _GROUP_AFTER.match(after)):
        return "code"  # "0800 555 111": one more digit group beside a spaced "555 111" makes a phone number
    return None


def _before_reason(before: str, after: str) -> str | None:
    """Read from the last words before the number: "Oct.", "$", "aged", "Route", "COVID-"."""
    if before.endswith(_CURRENCY_SIGNS):
        return "money"
    if before.endswith("#") or before[-1:] in ("-", "‑") and before[-2:-1].isalpha() \
            and not _PERCENT_DASH.search(before) or before[-1:] == "+" and before[-2:-1].isalnum():
        return "code"  # "#3", "COVID-19", "J1149+6663"
    if before[-1:] == "-" and (_ISO_DAY.search(before) or (_ISO_YEAR.search(before) and after[:1] == "-")):
        return "date"  # 2024-09-01
    words = before.split()
    if not words:
        return None
    last = words[-1].lstrip("([\"'“‘")  # "(Apr 11)"
    low = last.lower()
    prev = words[-2].lower() if len(words) > 1 else ""
    if before[-1:].isspace() or before.endswith("-"):
        if low.rstrip(".") in _MONTHS and (low.rstrip(".") not in ("may", "march") or last[0].isupper()) \
                and not (low.endswith(".") and low.rstrip(".") not in _MONTH_ABBREVIATIONS):
            return "date"  # "Oct. 5"; but "... on 5 September. Two judges" ends a sentence with the month
        if low in _CURRENCY_CODES:
            return "money"
        if low in ("aged", "age", "ages", "turned", "turns", "turning") \
                or low in ("of", "from", "between") and prev in ("age", "ages", "aged"):
            return "age"
        if low in ("under", "over", "below", "above") and prev in _AGE_AFTER:
            return "age"
        if low == "past" and prev in ("quarter", "half"):
            return "time"  # "a quarter past 10"
        if low in _MEASURE_WORDS or (low == "of" and (prev in _MEASURE_WORDS or prev in _QUAKE_WORDS)) or low == "per":
            return "measurement"  # "a magnitude of 6.1", "an earthquake of 7.8", "cases per 100,000 people"
        if low.rstrip("-‑#") in _CODE_WORDS and last != "bill" or (last in ("Day", "Week")) \
                or low in _PLURAL_CODE_WORDS and _LIST_AFTER.match(after):  # "junctions 14 and 15", "grades 9 to 12"
            return "code"  # "Route 6", "Bill 220", but "passed the bill 220-207" is a tally
    return None


def _after_reason(after: str, number: Number) -> str | None:
    match = _AFTER.match(after)
    if not match:
        if number.value != int(number.value) and _TIMES.match(after):
            return "multiplier"  # "subscribed 3.59 times": nothing is done 3.59 times
        return "money" if number.scale > 1 and _WON.match(after) else None  # "12 trillion won", not "3 won"
    kind = match.lastgroup
    if kind == "code" and not number.digits:
        return None if number.spelled or number.value >= 1000 else "code"  # "40,005including": a missing space
    if kind == "year":  # "the 1990s"; "12 737s" are Boeing's model
        return "year" if number.digits and not _BOEING_MODEL.fullmatch(number.digits) else "code"
    if kind == "address" and not number.digits:
        return None
    return kind



def _digits_reason(norm: str, number: Number, before: str, after: str) -> str | None:
    digits = number.digits
    if before[-1:] == "[" and after[:1] == "]":
        return "code"  # a footnote mark: "48 deaths.[3]"
    if _in_phone_number(before, after, digits) or digits in ("911", "999", "112") and (
            _EMERGENCY_LINE.match(after) or _CALLED_BEFORE.search(before)):
        return "code"  # "as 911 calls revealed": the emergency number, not 911 calls
    if len(digits) == 2 and before.endswith(("'", "’")) and before[-2:-1] in ("", " ", "("):
        return "year"  # "in '98"
    if before.endswith("to ") and int(digits) <= 12 and not number.share and _QUARTER_TO.search(before):
        return "time"  # "a quarter to 10"
    if digits in _AGE_LIMITS and _AGE_LIMIT_BEFORE.search(before) and _AGE_LIMIT_AFTER.match(after):
        return "age"  # "a third of residents are under 18."
    if len(digits) > 1 and digits[0] == "0" or before[-2:-1].isdigit() and _ZERO_LED_BEFORE.search(before) \
            or after[1:2] == "0" and _ZERO_LED_AFTER.match(after):
        return "code"  # "0800 555 0199", "case 2024-0173": counts are not written with a leading zero
    if after[1:2].isupper() and _COMPANY_AFTER.match(after):
        return "code"  # "South 32 Ltd"
    if _BOEING_MODEL.fullmatch(digits) and _MODEL_AFTER.match(after):
        return "code"
    if len(digits) <= 3 and _WICKETS_AFTER.match(after):
        return "score"
    if before.endswith("for ") and _RUNS_BEFORE.search(before) and _WICKETS_AFTER.match(" for " + digits + after):
        return "score"  # the wickets of "245 for 6"
    if len(digits) <= 2 and (_PAR_AFTER.match(after) or _ROUND_BEFORE.search(before) and 55 <= int(digits) <= 90):
        return "score"  # golf: "3-under-par", "2 over par", "carded a 69"
    if len(digits) == 4 and 1800 <= int(digits) <= 2100:
        counted = _COUNTED.match(after) or (_PLURAL_NOUN.match(after) and not _YEAR_LEAD.search(before))
        if not counted or _YEAR_PREPOSITION.search(before):
            return "year"
    if len(digits) <= 4 and not number.share:  # "Biden 47%": a name before a share names no model
        proper = _PROPER_BEFORE.search(before)
        if proper:
            word = proper.group("word")
            odd = any(c.isupper() for c in word[1:]) or "&" in word or any(c.isdigit() for c in word) \
                and not _AGE_GROUP.fullmatch(word)
            if word[:1].isupper() and word.lower() in _NAMES_BEFORE:
                return "code"
            if word.endswith(("'s", "s'")):
                return None  # "Gaza's 36 hospitals": a possessive owns the count, it does not name it
            opens = _SENTENCE_OPEN.search(before[:proper.start()])
            if odd or (word[:1].isupper() and word.lower() not in _LEAD_WORDS and word.lower() not in _WEEKDAYS
                       and word.lower().rstrip(".") not in _MONTHS
                       and not _COUNTED.match(after) and not _COUNTED_THINGS.match(after)
                       and not (opens and (word.lower() in _OPENERS or _PLURAL_NEXT.match(after)))
                       and not _title_case(norm, number.start)):
                return "code"
    return None


def _in_phone_number(before: str, after: str, digits: str) -> bool:
    """One group of a telephone number: "1-800-273-8255", "+44 20 7946 0958", "(555) 010-4477"; counts
    are never written as three or more digit groups joined by single dashes, dots or spaces."""
    joined_before = before[-1:] in _PHONE_SEPARATORS and (before[-2:-1].isdigit() or before[-2:-1] == ")")
    joined_after = after[:1] in _PHONE_SEPARATORS and after[1:2].isdigit() or after[:1] == ")"
    if not (joined_before or joined_after or before[-1:] == "+"):
        return False  # most numbers: no digit group next to them
    left, right = _PHONE_BEFORE.search(before), _PHONE_AFTER.match(after)
    groups = [*_DIGIT_GROUP.findall(left.group() if left else ""), digits,
              *_DIGIT_GROUP.findall(right.group() if right else "")]
    return len(groups) >= 3 and sum(map(len, groups)) >= 7 or len(groups) >= 2 and bool(left) and "+" in left.group()


def _title_case(norm: str, at: int) -> bool:
    """A headline ("Death Toll Reaches 100"): capitalised words say nothing about names there."""
    line_start = norm.rfind("\n", 0, at) + 1
    line_end = norm.find("\n", at)
    words = [w for w in norm[line_start:line_end if line_end >= 0 else len(norm)].split(maxsplit=16)[:16]
             if w[:1].isalpha()]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.6 * len(words)
