"""The speed-ups of extraction never change what it finds: pattern scans tried only where a literal
start of the pattern occurs (figcheck/extract/prefilter.py), and the candidate numbers found in two
scans (number_tokens.candidate_spans) rather than with CANDIDATE."""

from __future__ import annotations

import re

import pytest
import yaml

from figcheck.articles import read_article
from figcheck.extract import prefilter
from figcheck.extract.extractor import explain, extract
from figcheck.extract.number_tokens import CANDIDATE, candidate_spans
from figcheck.models import Article
from figcheck.pack import load_config
from figcheck.packspec import compile_any
from tests.conftest import CORPUS, DATA, article

CONFIG = load_config()
KINDS = ("cues", "counts", "context", "exclude", "about")
PATTERNS = list({(p.pattern, p.flags): p for m in CONFIG.metrics.values()
                 for p in (getattr(m, kind) for kind in KINDS) if p is not None}.values())
CASE_TEXTS = [case["text"] for path in sorted(DATA.glob("extraction_cases*.yaml"))
              for case in yaml.safe_load(path.read_text(encoding="utf-8"))]
# Cues in capitals, in another clause than the figure, or written with characters that
# IGNORECASE matches to ASCII letters while str.lower() does not (long s, Kelvin sign, dotted I).
TRICKY = [
    "Health officials in Gaza said on Monday that the DEATH TOLL, which climbed again overnight, now stands at 31,245.",
    "In Gaza, the health ministry said 4,321 ca\u017fualties had been recorded since the war began.",
    "The ministry in Gaza said 512 people were \u212aILLED in the north of the Strip on Tuesday.",
    "\u0130SRAELI strikes on Rafah \u212aILLED 87 Palestinians, Gaza health officials said.",
    "Gaza's population of 2.2 million people has been pushed south, the UN said.",
    "Officials in Hawaii said 97 people died in the Lahaina wildfire; KILLED were 12 children.",
]


def _texts() -> list[str]:
    corpus = [path.read_text(encoding="utf-8") for path in sorted(CORPUS.rglob("*")) if path.is_file()]
    return CASE_TEXTS + TRICKY + corpus


def _ranges(text: str) -> tuple[tuple[int, int], ...]:
    """The whole text, its middle third, and a range starting and ending off any word boundary."""
    third = len(text) // 3
    return (0, len(text)), (third, 2 * third), (third + 1, len(text) - 2)


@pytest.mark.parametrize("text", TRICKY + CASE_TEXTS[:40])
def test_pattern_spans_are_what_finditer_finds(text):
    index = prefilter.LiteralIndex(text)
    for lo, hi in _ranges(text):
        for pattern in PATTERNS:
            assert index.spans(pattern, lo, hi) == [m.span() for m in pattern.finditer(text, lo, hi)], pattern.pattern


PLACES = list({id(m.places): m.places.pattern for m in CONFIG.metrics.values()
               if m.places is not None and m.places.pattern is not None}.values())


@pytest.mark.parametrize("text", TRICKY + CASE_TEXTS[:40])
def test_place_matches_are_what_finditer_finds(text):
    """places.mentions_of reads the place a match names from its group: the same matches, groups and all."""
    index = prefilter.LiteralIndex(text)
    for lo, hi in _ranges(text):
        for pattern in PLACES:
            assert [(m.span(), m.lastgroup) for m in index.matches(pattern, lo, hi)] == \
                [(m.span(), m.lastgroup) for m in pattern.finditer(text, lo, hi)]


def test_literal_starts_of_small_patterns():
    assert prefilter.literal_starts(compile_any(["kill(?:ed|ing)", "dead"])) == {"kille", "killi", "dead"}
    assert prefilter.literal_starts(compile_any(["(?:Hamas )?attacks?"])) == {"hamas", "attac"}
    assert prefilter.literal_starts(compile_any(["injur[sz]", "x*y"])) == {"injur", "x", "y"}
    assert prefilter.literal_starts(compile_any([r"\d+ dead"])) is None  # a class: always scanned
    assert prefilter.literal_starts(compile_any(["(?:a)?"])) is None  # may match nothing
    assert prefilter.literal_starts(re.compile("Gaza’s")) == {"gaza"}  # stops at a non-ASCII letter


def test_text_with_a_folding_character_is_always_scanned():
    text = "Officials counted 40 ca\u017fualties."
    pattern = compile_any(["casualties"])
    assert prefilter.LiteralIndex(text).spans(pattern, 0, len(text)) == [(21, 31)]


def _records(text: str, tmp_path) -> list[tuple]:
    path = article(tmp_path, "a.md", text)
    found = explain(read_article(path), CONFIG)
    return [(figure.model_dump() if figure else None, why.surface, why.char_start, why.why) for figure, why in found]


def test_extraction_is_the_same_without_the_prefilters(tmp_path, monkeypatch):
    fast = [_records(text, tmp_path) for text in _texts()]
    monkeypatch.setattr(prefilter, "starts_of", lambda pattern: None)
    prefilter.index_of.cache_clear()
    slow = [_records(text, tmp_path) for text in _texts()]
    prefilter.index_of.cache_clear()
    assert fast == slow
    assert sum(1 for records in fast for figure, *_ in records if figure) > 100


def test_extraction_skips_only_numbers_no_metric_claims(tmp_path):
    """extract() leaves unread the numbers no metric in reach admits; it files the same figures as explain()."""
    skipped = 0
    for text in _texts():
        found = explain(read_article(article(tmp_path, "a.md", text)), CONFIG)
        figures = extract(read_article(article(tmp_path, "a.md", text)), CONFIG)
        assert [f.model_dump() for f in figures] == [f.model_dump() for f, _ in found if f is not None]
        skipped += len(found) - len(explain(read_article(article(tmp_path, "a.md", text)), CONFIG, every=False))
    assert skipped > 0  # the shortcut is taken


@pytest.mark.parametrize("text, metric", [
    (TRICKY[0], "gaza.deaths"), (TRICKY[1], "gaza.deaths"), (TRICKY[2], "gaza.deaths"), (TRICKY[4], "gaza.population"),
])
def test_cue_in_another_clause_or_case_still_claims_the_figure(text, metric):
    figures = [f for f, _ in explain(Article(path="x", doc="x", text=text), CONFIG) if f is not None]
    assert [f.metric for f in figures] == [metric]


def test_matches_next_to_each_other_are_all_found():
    pattern = re.compile("ab|b-", re.IGNORECASE)
    text = "xABab-b-AB"
    assert prefilter.LiteralIndex(text).spans(pattern, 0, len(text)) == [m.span() for m in pattern.finditer(text)] \
        == [(1, 3), (3, 5), (6, 8), (8, 10)]


NUMBER_TEXTS = [
    "SIX people and Twenty-Five others; .5 of them, 3.2m more, 1,200 in all.",
    "\u017fix hundred and \u017feventy", "LA\u212aH: 3 la\u212ah people", "\u0130n 2021, ONE HUNDRED",
    "\u0661\u0662\u0663 and \u0967\u0968 and \uff11\uff12", "x1 a2b seventeenth 4th 19:30 2/3 thirtyone thirty-one",
    "MILLIONS of dozens; Hundreds; a dozen; half; Quarter; 10:30; 5.6.7; /8; ,9",
]


@pytest.mark.parametrize("text", NUMBER_TEXTS + TRICKY + CASE_TEXTS)
def test_candidate_spans_are_what_candidate_finds(text):
    third = len(text) // 3
    for lo, hi in ((0, len(text)), (third, 2 * third), (third + 1, len(text) - 1)):
        assert candidate_spans(text, lo, hi) == [m.span() for m in CANDIDATE.finditer(text, lo, hi)]


@pytest.mark.parametrize("text, lo, hi", [("xsix", 1, 4), ("\u0130six", 1, 4), ("a six", 1, 5), ("\u0130 six", 2, 5)])
def test_candidate_spans_look_back_before_their_window(text, lo, hi):
    assert candidate_spans(text, lo, hi) == [m.span() for m in CANDIDATE.finditer(text, lo, hi)]


def test_noise_lines_count_words_only_where_they_decide():
    """A line ending a sentence is page furniture only within two lines after a link marker, and
    only when it has 25 words or fewer and does not end with a full stop."""
    from figcheck.extract.text import noise_lines

    long_line = " ".join(["word"] * 30) + "!"
    lines = ["Related stories:", "Floods close the coastal road!", long_line, "Council votes on the budget today.",
             "", "The mayor spoke for an hour!"]
    text = "\n".join(lines)
    starts = [sum(len(x) + 1 for x in lines[:k]) for k in range(len(lines))]
    assert noise_lines(text) == [(starts[0], starts[0] + len(lines[0])), (starts[1], starts[1] + len(lines[1]))]


def test_a_long_line_without_a_stop_runs_on_into_the_next():
    from figcheck.extract.text import sentences

    text = "Rescue crews from three towns worked through the night in the rain\nand found 12 people alive."
    assert [(s.start, s.end) for s in sentences(text)] == [(0, len(text))]
    stopped = text.replace("rain\n", "rain.\n")
    assert len(sentences(stopped)) == 2


def test_figures_built_without_validation_are_what_validation_gives(tmp_path):
    """The extractor builds figures with models.trusted: each value must already be of its field's type
    (a float, not an int that validation would turn into one), or outputs would change."""
    from figcheck.models import Figure

    figures = [f for text in _texts() for f in extract(read_article(article(tmp_path, "a.md", text)), CONFIG)]
    assert len(figures) > 100
    for figure in figures:
        validated = Figure.model_validate(figure.model_dump())
        assert [(k, type(v), v) for k, v in figure.__dict__.items()] == \
            [(k, type(getattr(validated, k)), getattr(validated, k)) for k in figure.__dict__]
        assert figure.model_dump_json() == validated.model_dump_json()


QUALIFIED = ["About 40 died.", "~40 died", "(~ 40)", "More than 40, Nearly 50, at least 60 and UP TO 70",
             "x~40", "Upwards of 3,000 and no more than 12", "the top 10 and its top 20; topped 30", "\u212aILLED over 9"]


@pytest.mark.parametrize("text", QUALIFIED + TRICKY + CASE_TEXTS)
def test_qualifier_before_finds_what_a_search_finds(text):
    """context.qualifier_before tries its expression only where a qualifier can open: the same answer."""
    from figcheck.extract import context

    def searched(start):
        window = text[max(0, start - 40):start]
        match = context._QUALIFIER_RE.search(window)
        if not match:
            return "exact", start, None
        _, qualifier, bound = context._QUALIFIERS[int(match.lastgroup[1:])]
        return qualifier, start - len(window) + match.start(), bound

    for at in (m.start() for m in re.finditer(r"\d+", text)):
        assert context.qualifier_before(text, at, 0) == searched(at)


def test_qualifier_phrases_open_where_the_search_tries_them():
    """qualifier_before tries the qualifiers only where _QUALIFIER_OPENING matches: a letter, or a sign
    such as "~", ">", "≤"."""
    from figcheck.extract import context

    # literal_starts reads ASCII only: the non-ASCII signs stand in as ASCII characters the pattern lacks
    stand_ins = {"≤": "@", "≥": "%", "≈": "`"}
    pattern = context._QUALIFIER_RE.pattern
    assert not set(stand_ins.values()) & set(pattern)
    ascii_only = re.compile(pattern.translate(str.maketrans(stand_ins)), context._QUALIFIER_RE.flags)
    signs = {v: k for k, v in stand_ins.items()}
    starts = [signs.get(s[0], s[0]) + s[1:] for s in prefilter.literal_starts(ascii_only)]
    assert starts and all(context._QUALIFIER_OPENING.match(s) for s in starts)
    assert {s[0] for s in starts} >= {"~", ">", "<", "≥", "≤", "≈"}


def test_required_words_of_small_patterns():
    from figcheck.extract.required import required_words

    assert required_words(compile_any(["past 24 hours", "overnight"])) == {"past 24 hours", "overnight"}
    # the most selective mandatory part of each alternative: "strike" over "air"
    assert required_words(re.compile(r"\bair\s?strikes?\b|in\s+one\s+day", re.IGNORECASE)) == {"strike", "one"}
    assert required_words(re.compile(r"(?:deadly\s+)?blast|bombs?")) == {"blast", "bomb"}
    assert required_words(re.compile(r"(?:deadly\s+)+blasts?")) == {"deadly"}  # a repeat taken at least once
    assert required_words(re.compile(r"(?!casualties)\w+ toll")) == {" toll"}  # a lookaround matches nothing
    assert required_words(re.compile(r"(?:toll)?\s+\d+")) is None  # optional: no word is required
    assert required_words(re.compile(r"toll|\d+")) is None  # an alternative requires no word
    assert required_words(re.compile(r"in|on")) is None  # too short to pay
    assert required_words(re.compile("Gaza’s toll")) == {"s toll"}  # a run stops at a non-ASCII character
    # "make|made" is parsed as "ma" and a choice of "ke" or "de": what the rest begins with is read whole
    assert required_words(re.compile(r"\w+\s+(?:make|made)\s+up$")) == {"make", "made"}


def _module_patterns() -> list[re.Pattern[str]]:
    from figcheck.extract import claimants, context, places, reading, scope
    from figcheck.extract import text as text_module

    return [p for module in (scope, context, claimants, places, reading, text_module)
            for p in vars(module).values() if isinstance(p, re.Pattern)]


@pytest.mark.parametrize("text", TRICKY + CASE_TEXTS[:60] + ["In the PAST 24 HOURS 12 were killed in an Air\u017ftrike."])
def test_guarded_scans_find_what_the_pattern_finds(text):
    """required.search and required.finditer skip a scan only where the pattern finds nothing."""
    from figcheck.extract import required

    for pattern in _module_patterns() + PATTERNS:
        for lo, hi in _ranges(text):
            assert [m.span() for m in required.finditer(pattern, text, lo, hi)] == \
                [m.span() for m in pattern.finditer(text, lo, hi)], pattern.pattern
            found, expected = required.search(pattern, text, lo, hi), pattern.search(text, lo, hi)
            assert (found and found.span()) == (expected and expected.span()), pattern.pattern
        assert (m := required.search(pattern, text)) is None or m.span() == pattern.search(text).span()


def test_guarded_scans_skip_where_no_required_word_occurs():
    from figcheck.extract import required, scope

    calls = []

    class Counting:
        pattern, flags = scope._INCIDENT.pattern, scope._INCIDENT.flags

        def finditer(self, *args):
            calls.append(args)
            return scope._INCIDENT.finditer(*args)

    counting = Counting()
    assert list(required.finditer(counting, "Officials said 40 people died on Monday.")) == []
    assert calls == []
    assert [m.group() for m in required.finditer(counting, "12 died in an airstrike on Monday.")] == ["in an airstrike"]
    assert len(calls) == 1
