"""Article text in, figure records out."""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, replace

from figcheck.dates import MONTH_WORD
from figcheck.extract import claimants, context, prefilter
from figcheck.extract import reading as number_reading
from figcheck.extract import scope
from figcheck.extract.classify import Decision, admits, classify
from figcheck.extract.number_tokens import candidate_spans
from figcheck.extract.numbers import Number
from figcheck.extract.sentence_matches import SentenceMatches
from figcheck.extract.entries import entry_at, stamps
from figcheck.extract.sections import sections
from figcheck.extract.text import PARAGRAPH_BREAK, LineIndex, Sentence, clause_bounds, noise_lines, sentences
from figcheck.models import Article, Figure, trusted
from figcheck.pack import Config, Metric
from figcheck.regexcache import compiled

_IGNORE_COMMENT = compiled(r"<!--\s*figcheck:\s*ignore\b\s*(?P<rules>[\w\s,.-]*?)\s*-->", re.IGNORECASE)
ALL_RULES = "*"


@dataclass
class Candidate:
    number: Number
    start: int  # where the surface starts: the qualifier, or the number itself
    qualifier: str = "exact"
    low: float | None = None
    high: float | None = None
    measured: bool = False  # a measurement with its unit: only a metric's pattern naming the unit takes it


def extract(article: Article, config: Config) -> list[Figure]:
    return [figure for figure, _ in explain(article, config, every=False) if figure is not None]


def explain(article: Article, config: Config, every: bool = True) -> list[tuple[Figure | None, Explanation]]:
    """Every readable number of the article: its figure when a metric claims it, and why or why not.
    `every=False` leaves out, unread, the numbers no metric with a cue or pattern in their sentence admits."""
    text = article.text
    body = article.body_start
    noise = noise_lines(text, body)
    noise_starts = [s for s, _ in noise]
    sents = sentences(text, body)
    sent_starts = [s.start for s in sents]
    lines = LineIndex(text)
    ignored = _ignore_comments(text, lines)
    by_sentence: dict[int, list[int]] = {}
    for at, stop in candidate_spans(text, body):
        i = bisect.bisect_right(sent_starts, at) - 1
        if i < 0 or stop > sents[i].end or _inside(noise, noise_starts, at):
            continue
        by_sentence.setdefault(i, []).append(at)
    metrics = story_metrics(text, list(config.metrics.values()), article.published)
    since = next((m.since for m in metrics if m.since), None)
    until = next((m.until for m in metrics if m.until), None)
    events = list({id(m.events): m.events for m in metrics if m.events is not None}.values())
    spans = [(s.start, s.end) for s in sents if not _inside(noise, noise_starts, s.start)]
    default_places: dict[int, frozenset[str] | None] = {}
    for metric in metrics:
        if metric.places is not None and id(metric.places) not in default_places:
            default_places[id(metric.places)] = metric.places.article_default(text, spans)
    headings = sections(text, body, list({id(m.places): m.places for m in metrics
                                          if m.places is not None and m.places.pattern is not None}.values()))
    entries = stamps(text, body)
    entry_starts = [start for start, _ in entries]
    stamp_lines = set(entry_starts)
    out: list[tuple[Figure | None, Explanation]] = []
    last_claimant: tuple[int, str] | None = None  # (sentence, claimant) of the latest named claimant
    first_found: tuple[int, tuple[tuple[int, int], Metric]] | None = None  # (sentence, its first figure)
    for i, matches in by_sentence.items():
        sentence = sents[i]
        antecedent = first_found[1] if first_found and first_found[0] == i - 1 else None
        around = SentenceMatches(text, sentence, sents[i - 1] if i > 0 else None,
                                 headings.defaults(sentence.start, default_places), antecedent,
                                 _paragraph_start(text, sents, i, CONTEXT_SENTENCES))
        if not every and not around.reachable(metrics):
            continue  # no metric can claim a number of this sentence: its numbers only serve --explain
        decided: list[tuple[Candidate, scope.Reading, Decision]] = []
        # the sentence before in the paragraph, whose period "in that period" may refer to
        before = (sents[i - 1].start, sents[i - 1].end) \
            if i > 0 and not PARAGRAPH_BREAK.search(text, sents[i - 1].end, sentence.start) else None
        candidates = _candidates(text, sentence, matches)
        # "A quake struck Duzce on Thursday, injuring 68", months after the story's: another event
        later = [at for at, day in context.event_days(text, sentence.start, sentence.end, article.published)
                 if day > until] if until is not None else []
        # an entry's stamp ("14 Aug 2023 - 9:05 AM HST") dates when it was written, not a later event
        if not later and until is not None and i > 0 \
                and text.rfind("\n", 0, sents[i - 1].start) + 1 not in stamp_lines \
                and _goes_on_from_later_event(text, sents, i, article.published, until):
            later = [c.start for c in candidates]  # "A quake struck Malatya on Wednesday. 33 were injured."
        for cand in candidates:
            if not every and not any(admits(m, cand.number) for m in around.reachable(metrics)):
                continue  # classify would file it under no metric: its reading only serves --explain
            others = [(c.start, c.number.end) for c in candidates if c is not cand and not c.measured]
            clause = clause_bounds(text, sentence, cand.start, cand.number.end, with_conjunctions=True)
            wide = clause_bounds(text, sentence, cand.start, cand.number.end, with_conjunctions=False)
            reading = scope.read(text, (sentence.start, sentence.end), clause, wide, cand.start, cand.number.end, since,
                                 others, events, later, before)
            if reading.head is None and decided and decided[-1][1].head is not None \
                    and _ELIDED_BEFORE.fullmatch(text, decided[-1][0].number.end, cand.start) \
                    and _ELIDED_AFTER.match(text, cand.number.end, sentence.end):
                reading.head = decided[-1][1].head  # "350 soldiers killed in Gaza, and 726 since the war began"
            whole_read = next(((r, d) for c, r, d in decided if reading.whole == (c.start, c.number.end)), None)
            whole = whole_read[1].metric if whole_read else None
            if reading.part and reading.head is None and whole_read and _OF_THEM.match(text, cand.number.end):
                reading.head = whole_read[0].head  # "660 soldiers ..., 310 of them during the ground offensive"
            decision = classify(around, cand.start, cand.number.end, cand.number, clause, wide, reading, metrics, others,
                                _list_head(text, candidates, cand), cand.measured, whole)
            if reading.previous and decided and (now := decided[-1][2].metric) is not None and admits(now, cand.number) \
                    and _CHANGED_FROM.fullmatch(text, decided[-1][0].number.end, cand.start):
                decision = Decision(now, f"{now.id}: the earlier value of the figure before it")
            decided.append((cand, reading, decision))
        found = [(cand, d.metric) for cand, _, d in decided if d.metric is not None]
        if found and around.antecedent is not None and found[0][1].spec.share_of == around.antecedent[1].id:
            first_found = (i, around.antecedent)  # "Another six are Thais. Fifty are men.": parts of one whole
        elif found:
            first_found = (i, ((found[0][0].start, found[0][0].number.end), found[0][1]))
        for cand, reading, decision in decided:
            figure = None
            if decision.metric is not None:
                figure = _figure(article, text, sentence, cand, decision.metric, lines, ignored, found, reading)
                if figure.claimant == claimants.PRONOUN:  # "it added": the source named just before
                    figure.claimant = _named_before(text, sents, i, last_claimant)
                elif figure.claimant:
                    last_claimant = (i, figure.claimant)
                figure.claimant = config.claimant_name(figure.claimant)
                figure.entry = entry_at(entries, entry_starts, cand.start)
            out.append((figure, Explanation(article.doc, text[cand.start:cand.number.end], cand.start,
                                            lines.locate(cand.start), cand.number.value, reading, decision.why)))
    _date_headlines([figure for figure, _ in out if figure is not None], _headline_end(text, body), article.published)
    return out


_HEADLINE = compiled(r"[^\S\n]*(?:#+[^\S\n]*)?(?P<line>[^\n]{3,160}?)[^\S\n]*(?:\n|$)")


def _headline_end(text: str, body: int) -> int:
    """Where the headline lines at the top of the body end: the first lines (at most three) that do
    not end a sentence."""
    position, end = body, body
    for _ in range(3):
        while position < len(text) and text[position] in "\r\n":
            position += 1
        line = _HEADLINE.match(text, position)
        if line is None or line.group("line").rstrip("\"”’'").endswith((".", "!", "?")):
            break
        position = end = line.end()
    return end


def _date_headlines(figures: list[Figure], headline_end: int, published: dt.date | None) -> None:
    """A headline figure that the body repeats with a day of its own ("Up to 5.3M in Syria may be
    homeless" above "5.3 million ..., the UN said on Friday") speaks for that day."""
    days: dict[tuple[str, float], set] = {}
    for figure in figures:
        if figure.char_start >= headline_end and not figure.previous and figure.as_of != published:
            days.setdefault((figure.metric, figure.value), set()).add(figure.as_of)
    for figure in figures:
        day = days.get((figure.metric, figure.value))
        if figure.char_start < headline_end and day and len(day) == 1 and figure.as_of == published:
            figure.as_of = next(iter(day))


@dataclass
class Explanation:
    """What one number was read as, and why it was or was not filed under a metric."""

    doc: str
    surface: str
    char_start: int
    position: tuple[int, int]
    value: float
    reading: scope.Reading
    why: str


def _named_before(text: str, sents: list[Sentence], i: int, last: tuple[int, str] | None) -> str | None:
    """The source a pronoun stands for: the latest one named in the three sentences before."""
    for k in range(i - 1, max(-1, i - 4), -1):
        if last is not None and last[0] == k:
            return last[1]
        named = claimants.speaker(text, sents[k].start, sents[k].end)
        if named:
            return named
    return None


def story_metrics(text: str, metrics: list, published: dt.date | None = None) -> list:
    """The metrics of the packs whose story the article is about: a Gaza toll is never read with the
    earthquake pack. A pack's story is in reach when the article uses its `about` words, names the
    place it happened (`default_place`, or a part of it) and was not published before it began
    (`since`); of those, the packs whose words it uses most (at least half as often as the best)
    are read. An article about no pack's story (another earthquake, another war) is read with none
    of them: its figures are not this story's, and a figure left out costs less than one filed under
    the wrong story. Packs without `about` words always take part."""
    counts: dict[int, int] = {}  # id(about) -> how often the article uses the words, for packs in reach
    for metric in metrics:
        if metric.about is None or id(metric.about) in counts:
            continue
        counts[id(metric.about)] = 0
        if published is not None and metric.since is not None and published < metric.since:
            continue
        if metric.places is not None and not metric.places.names_default(text):
            continue
        counts[id(metric.about)] = len(prefilter.index_of(text).spans(metric.about, 0, len(text)))
    best = max(counts.values(), default=0)
    return [m for m in metrics if m.about is None or best and counts[id(m.about)] * 2 >= best]


# "1,647 died in Hatay, 1,243 in Kahramanmaras, 504 in Gaziantep", "rose to 29,605 and 1,414
# respectively": the items after the first leave out the words that say what they count.
# "Kahramanmaras with 3,443, followed by Hatay with 3,312, Gaziantep with 1,743 and Malatya with 1,152" too
_LIST_GAP = compiled(r"\s+(?:people\s+|dead\s+|deaths\s+)?in\s+(?:[A-ZÀ-Þİ][\w'’-]*\s*){1,3}(?:,\s*(?:and\s+)?|and\s+)"
                     r"|(?:,\s*(?:followed\s+by\s+|then\s+|and\s+)?|\s+and\s+)(?:[A-ZÀ-Þİ][\w'’-]*\s+){1,3}with\s+")
# "More than 350 soldiers have been killed in the ground operation, and 726 since the war began": a
# bare number joined to the figure before it, with no words of its own but a time or a place, counts
# what that one counts (not "..., and 90 were wounded": its own predicate may be another metric's; nor
# "..., and 32,000 in all": the whole)
_OF_THEM = compiled(r"\s+of\s+(?:them|whom|those)\b", re.IGNORECASE)
_ELIDED_BEFORE = compiled(r"[^\d.;:]*,\s*and\s+")
_ELIDED_AFTER = compiled(r"(?:\s+(?!in\s+(?:all|total)\b)(?:since|in|on|during|over|across|throughout|so\s+far|"
                         r"this|last)\b[^\d,;:]*?)?\s*(?:[.,;:]|$)", re.IGNORECASE)
# "fell to 385 on Thursday, down from 388": the earlier value of the figure before it
# "has fallen to 66, the police department said on Friday, down from 385": an attribution may stand between
_CHANGED_FROM = compiled(r"(?:\s+[\w’'-]+){0,3}?(?:,\s+(?:[\w’'.-]+\s+){1,6}?(?:said|says|reported|announced|added)"
                         r"(?:\s+(?:on\s+)?[A-Z]\w+)?)?[\s,]*(?:down|up)\s+(?:slightly\s+|sharply\s+)?from\s+"
                         r"(?:(?:the|a|an|its|their)\s+)?(?:[\w-]+\s+){0,3}?", re.IGNORECASE)
_AND_GAP = compiled(r"\s*(?:,\s*(?:and\s+)?|and\s+)")
_RESPECTIVELY = compiled(r"\s+respectively\b", re.IGNORECASE)


def _list_head(text: str, candidates: list[Candidate], cand: Candidate) -> tuple[int, int] | None:
    """The first item of the elliptical list the figure ends, or None when it stands alone."""
    k = candidates.index(cand)
    respective = _RESPECTIVELY.match(text, cand.number.end) is not None
    while k > 0 and (_LIST_GAP.fullmatch(text, candidates[k - 1].number.end, candidates[k].start)
                     or respective and _AND_GAP.fullmatch(text, candidates[k - 1].number.end, candidates[k].start)):
        k -= 1
    return None if candidates[k] is cand else (candidates[k].start, candidates[k].number.end)


_DATED = compiled(rf"\b(?:{MONTH_WORD}|(?:19|20)\d\d|(?:mon|tues|wednes|thurs|fri|satur|sun)day|yesterday|today)\b",
                  re.IGNORECASE)


def _goes_on_from_later_event(text: str, sents: list[Sentence], i: int, published: dt.date | None,
                              until: dt.date) -> bool:
    """Whether sentence i, naming no day, month or year of its own, follows in its paragraph one that
    dates an event after the story's ("A 5.6 quake struck Malatya on Wednesday. The health minister
    said 33 people were injured"). Not past a paragraph's end: the next paragraph often goes back to
    the story's own toll ("Aftershocks ... on February 27. || According to AFAD, 45,089 died")."""
    before, sentence = sents[i - 1], sents[i]
    if PARAGRAPH_BREAK.search(text, before.end, sentence.start) or _DATED.search(text, sentence.start, sentence.end):
        return False
    return any(day > until for _, day in context.event_days(text, before.start, before.end, published))


CONTEXT_SENTENCES = 2  # how many sentences of the paragraph before a figure's can give its context words


_DIGIT = compiled(r"\d")


def _paragraph_start(text: str, sents: list[Sentence], i: int, most: int) -> int | None:
    """The start of the earliest of the `most` sentences before sentence i within its paragraph, past
    sentences between that give no figure ("Some were already dead."): one with figures of its own
    has its own subject."""
    start = None
    for j in range(i - 1, max(i - 1 - most, -1), -1):
        if PARAGRAPH_BREAK.search(text, sents[j].end, sents[j + 1].start) \
                or j < i - 1 and _DIGIT.search(text, sents[j + 1].start, sents[j + 1].end):
            break
        start = sents[j].start
    return start


def _inside(spans: list[tuple[int, int]], starts: list[int], offset: int) -> bool:
    i = bisect.bisect_right(starts, offset) - 1
    return i >= 0 and spans[i][0] <= offset < spans[i][1]


def _candidates(text: str, sentence: Sentence, anchors: list[int]) -> list[Candidate]:
    """The counts and shares of one sentence as figcheck/extract/reading.py reads them.

    Vague quantities ("tens of thousands") are not figures, and "from 33,000 to 34,000" is a change: an
    earlier value and the current one.
    """
    out: list[Candidate] = []
    for found in number_reading.read(text, sentence.start, sentence.end, anchors, from_to_ranges=False):
        # A measurement ("2,170 acres") is kept for the metrics whose patterns name its unit.
        if found.rejected and found.rejected != "measurement" or found.vague:
            continue
        start = found.parts[0].start if found.parts else found.number.start
        number = replace(found.number, start=start, value=found.value)
        if found.after_qualifier:  # "10,000-plus": figures take the qualifier from the words before the number
            out.append(Candidate(number, found.start, "exact", measured=bool(found.rejected)))
        else:
            out.append(Candidate(number, found.start, found.qualifier, found.low, found.high, bool(found.rejected)))
    return out


def _figure(article: Article, text: str, sentence: Sentence, cand: Candidate, metric, lines: LineIndex,
            ignored: dict[int, list[str]], siblings, reading: scope.Reading) -> Figure:
    number = cand.number
    line, column = lines.locate(cand.start)
    punct_clause = clause_bounds(text, sentence, cand.start, number.end, with_conjunctions=False)
    spec = metric.spec
    share_of = spec.share_of if number.share else None
    base_value = None
    if share_of:
        bases = [c.number for c, m in siblings if m.id == share_of and not c.number.share]
        if bases:
            base_value = min(bases, key=lambda b: abs(b.start - number.start)).value
    # every value is of its field's type already (tests/test_speedups.py checks it): no validation pass
    return trusted(Figure, dict(
        doc=article.doc, path=article.path, outlet=article.outlet, url=article.url, published=article.published,
        metric=metric.id, value=number.value, unit="share" if number.share else "count",
        share_of=share_of, base_value=base_value,
        qualifier=cand.qualifier, low=cand.low, high=cand.high, precision=number.precision,
        surface=text[cand.start:number.end], char_start=cand.start, char_end=number.end,
        line=line, column=column, sentence=" ".join(text[sentence.start:sentence.end].split()),
        claimant=claimants.claimant(text, sentence.start, sentence.end, cand.start, number.end),
        as_of=context.as_of(text, sentence.start, sentence.end, punct_clause, article.published, cand.start),
        previous=reading.previous,
        ignore_rules=sorted(set(article.ignore_rules) | set(ignored.get(line, []))),
        entry=None,
    ))


def _ignore_comments(text: str, lines: LineIndex) -> dict[int, list[str]]:
    """`<!-- figcheck: ignore outdated -->` silences those rules for figures on its own line when it
    ends a line of text, or on the next line when it stands alone."""
    out: dict[int, list[str]] = {}
    for match in _IGNORE_COMMENT.finditer(text):
        line, _ = lines.locate(match.start())
        line_start = text.rfind("\n", 0, match.start()) + 1
        alone = not text[line_start:match.start()].strip()
        rules = [r for r in re.split(r"[\s,]+", match.group("rules")) if r] or [ALL_RULES]
        out.setdefault(line + 1 if alone else line, []).extend(rules)
    return out
