"""Where a number may start, and the tokens a number phrase is read from: digits in any grouping,
scale words and abbreviations, number words, fractions, dozens, lakh and crore.

`CANDIDATE` (or `candidate_spans`, faster) finds where a number may start; `tokens` splits the
words from there into the tokens figcheck/extract/numbers.py reads a value from.

Texts are first mapped character for character (`normalize`): Arabic-Indic, Devanagari, Bengali
and full-width digits and separators become ASCII, so offsets still index the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from figcheck.extract.prefilter import FOLDS_TO_ASCII
from figcheck.regexcache import compiled

UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
         "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
         "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
BIG = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "lakh": 1e5, "crore": 1e7}
ABBREVIATIONS = {"k": 1e3, "K": 1e3, "m": 1e6, "M": 1e6, "mn": 1e6, "mln": 1e6, "b": 1e9, "B": 1e9, "bn": 1e9,
                 "bln": 1e9, "tn": 1e12, "tln": 1e12, "trn": 1e12}
SPACED_ABBREVIATIONS = {"k", "K", "M", "B", "mn", "mln", "bn", "bln", "tn", "tln", "trn"}  # "5 m" is metres
DENOMINATORS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4,
                "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "seventh": 7, "sevenths": 7,
                "eighth": 8, "eighths": 8, "ninth": 9, "ninths": 9, "tenth": 10, "tenths": 10}
VULGAR_FRACTIONS = {"½": 1 / 2, "⅓": 1 / 3, "⅔": 2 / 3, "¼": 1 / 4, "¾": 3 / 4, "⅕": 1 / 5, "⅛": 1 / 8}
_VULGAR = "[" + "".join(VULGAR_FRACTIONS) + "]"
FRACTION_STEP = 0.05  # "two-thirds" in news stands for anything that rounds to it: read to 5 points

_DIGIT_BLOCKS = (0x0660, 0x06F0, 0x0966, 0x09E6, 0xFF10)  # Arabic-Indic, Extended, Devanagari, Bengali, full-width
_TRANSLATE = {block + d: str(d) for block in _DIGIT_BLOCKS for d in range(10)}
_TRANSLATE.update({0x066C: ",", 0x066B: ".", 0xFF0C: ",", 0xFF0E: ".", 0xFF05: "%", 0x066A: "%", 0x2212: "-"})


_TO_TRANSLATE = compiled("[" + "".join(re.escape(chr(c)) for c in sorted(_TRANSLATE)) + "]")


def normalize(text: str) -> str:
    """The text with every digit and separator in ASCII, one character for one."""
    return text if text.isascii() or not _TO_TRANSLATE.search(text) else text.translate(_TRANSLATE)


_WORDS = sorted([*UNITS, *TENS, "tens", *BIG, *(w + "s" for w in BIG), "hundred", "hundreds", "dozen", "dozens",
                 *DENOMINATORS], key=len, reverse=True)


def _trie(words: list[str]) -> str:
    """One regular expression for many words, as a prefix tree: twice as fast to scan as an alternation."""
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = [re.escape(c) + pattern(sub) for c, sub in sorted(node.items()) if c]
        if not branches:
            return ""
        body = "(?:" + "|".join(branches) + ")"
        return body + "?" if "" in node else body

    return pattern(tree)


CANDIDATE = compiled(rf"(?<![\w.,:/])(?:\.?\d|{_VULGAR})|\b{_trie(_WORDS)}\b", re.IGNORECASE)
# CANDIDATE's two halves, scanned apart: each finds its matches faster than the two together, and
# they never overlap (digits and dots against letters). Number words are matched in the
# lower-cased text, case-sensitively, which is faster again.
_DIGIT_START = compiled(rf"(?<![\w.,:/])(?:\.?\d|{_VULGAR})")
_LOWER_WORD = compiled(rf"\b{_trie(_WORDS)}\b")


def candidate_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The spans `CANDIDATE.finditer(text, start, end)` finds, in text order."""
    end = len(text) if end is None else end
    before = max(0, start - 1)  # the character \b looks back at
    if FOLDS_TO_ASCII.search(text, before, end):  # where lower-casing would hide a match or move offsets
        return [m.span() for m in CANDIDATE.finditer(text, start, end)]
    found = [m.span() for m in _DIGIT_START.finditer(text, start, end)]
    lowered = text[before:end].lower()
    found += [(before + m.start(), before + m.end()) for m in _LOWER_WORD.finditer(lowered, start - before)]
    found.sort()
    return found


_SPACE = "[ \u00a0\u202f\u2009]"
# What names a Boeing model (7x7) after its digits: "737 MAX", "787 Dreamliners", "777s", "737-800"
BOEING_WORDS = r"MAX|Max|jets?|planes?|aircraft|airliners?|Dreamliners?|freighters?|[Jj]umbo(?:s|[^\S\n]+jets?)?"
# "27 737 jets", "3 787 Dreamliners": a count, then a Boeing model, not 27,737.
_BOEING = rf"7\d7(?:[^\S\n]*[-‑]?(?:{BOEING_WORDS})\b|s\b|[-‑]\d)"
_NUMBER = (rf"\d*{_VULGAR}"                                # 1½, ¾
           r"|\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?"         # Indian grouping: 12,34,567
           r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?"               # 1,234,567.5
           r"|\d{1,3}(?:\.\d{3})+,\d+"                    # 1.234.567,5
           r"|\d{1,3}(?:\.\d{3}){2,}(?![\d.,])"           # 1.234.567
           rf"|\d{{1,3}}(?:{_SPACE}(?!{_BOEING})\d{{3}})+(?:\.\d+)?"   # 1 234 567, 35 000 (no-break space)
           r"|\d+,\d{1,2}(?![\d,])"                       # 1,5 (decimal comma)
           r"|\d+/\d+(?![\d/])"                           # 3/4
           r"|\d+(?:\.\d+)?|\.\d+")
_TOKEN = compiled(
    rf"""[^\S\n]*(?:
        (?P<num>{_NUMBER})(?!\d)(?:(?P<abbr>mln|mn|bln|bn|tln|trn|tn|[kKmMbB])(?![\w])|(?P<spaced>[^\S\n](?:mln|mn|bln|bn|tln|trn|tn|[KMB]|k(?=[^\S\n]*(?:$|\n|[^\w\s]))))(?![\w]|[-‑]\d))?
      | (?P<word>[A-Za-z]+)(?![\w])
      | (?P<dash>[-‐‑–]))""",
    re.VERBOSE,
)


@dataclass
class Token:
    kind: str  # num, unit, tens, hundred, big, dozen, frac, and, a, of, dash, slashfrac
    start: int
    end: int
    value: float = 0.0
    text: str = ""
    plural: bool = False


def tokens(text: str, pos: int, end: int, limit: int = 24) -> list[Token]:
    out: list[Token] = []
    while len(out) < limit:
        m = _TOKEN.match(text, pos, end)
        if not m:
            break
        if m.group("num"):
            raw = m.group("num")
            abbr = m.group("abbr") or (m.group("spaced") or "").strip()
            kind = "slashfrac" if "/" in raw or raw in VULGAR_FRACTIONS else "num"
            value = _slash_value(raw) if "/" in raw else digits_value(raw)
            if value is None:
                break
            if abbr:
                kind, value = "abbr", value * ABBREVIATIONS[abbr]
            out.append(Token(kind, m.start("num"), m.end(), value, raw))
        elif m.group("word"):
            token = _word_token(m.group("word").lower(), m.start("word"), m.end())
            if token is None:
                break
            out.append(token)
        else:
            out.append(Token("dash", m.start("dash"), m.end()))
        pos = m.end()
    return out


def _word_token(word: str, start: int, end: int) -> Token | None:
    if word in UNITS:
        return Token("unit" if UNITS[word] < 10 else "teen", start, end, UNITS[word], word)
    if word in TENS:
        return Token("tens", start, end, TENS[word], word)
    if word in ("hundred", "hundreds"):
        return Token("hundred", start, end, 100, word, word.endswith("s"))
    if word in BIG or (word.endswith("s") and word[:-1] in BIG):
        return Token("big", start, end, BIG[word.rstrip("s")], word, word.endswith("s"))
    if word in ("dozen", "dozens"):
        return Token("dozen", start, end, 12, word, word.endswith("s"))
    if word in DENOMINATORS:
        return Token("frac", start, end, DENOMINATORS[word], word, word.endswith("s") and word != "halves"
                      or word == "halves")
    if word in ("and", "a", "an", "of"):
        return Token({"an": "a"}.get(word, word), start, end, text=word)
    return None


_DECIMAL_COMMA = compiled(r"\d+,\d{1,2}")


def digits_value(raw: str) -> float | None:
    if raw.isdigit():
        return float(raw)
    if raw[-1] in VULGAR_FRACTIONS:
        return float(raw[:-1] or 0) + VULGAR_FRACTIONS[raw[-1]]
    if raw.count(".") > 1 and "," not in raw:
        raw = raw.replace(".", "")  # 1.234.567
    if "," in raw:
        if "." in raw and raw.index(".") < raw.index(","):
            raw = raw.replace(".", "").replace(",", ".")  # 1.234,5
        elif _DECIMAL_COMMA.fullmatch(raw):
            raw = raw.replace(",", ".")  # 1,5
    raw = raw.replace(",", "").replace(" ", "").replace("\u00a0", "").replace("\u202f", "").replace("\u2009", "")
    try:
        return float(raw)
    except ValueError:
        return None


def _slash_value(raw: str) -> float | None:
    top, bottom = (int(x) for x in raw.split("/"))
    return top / bottom if 0 < top < bottom <= 16 else None
