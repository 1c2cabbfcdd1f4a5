"""Article text in, figure records out."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from figcheck.extract import context, reading
from figcheck.extract.classify import SentenceMatches, classify
from figcheck.extract.numbers import CANDIDATE, Number
from figcheck.extract.text import LineIndex, Sentence, clause_bounds, noise_lines, sentences
from figcheck.models import Article, Figure
from figcheck.pack import Config

_IGNORE_COMMENT = re.compile(r"<!--\s*figcheck:\s*ignore\b\s*(?P<rules>[\w\s,.-]*?)\s*-->", re.IGNORECASE)
ALL_RULES = "*"


@dataclass
class Candidate:
    number: Number
    start: int  # where the surface starts: the qualifier, or the number itself
    qualifier: str = "exact"
    low: float | None = None
    high: float | None = None


def extract(article: Article, config: Config) -> list[Figure]:
    text = article.text
    body = article.body_start
    noise = noise_lines(text, body)
    noise_starts = [s for s, _ in noise]
    sents = sentences(text, body)
    sent_starts = [s.start for s in sents]
    lines = LineIndex(text)
    ignored = _ignore_comments(text, lines)
    by_sentence: dict[int, list] = {}
    for match in CANDIDATE.finditer(text, body):
        i = bisect.bisect_right(sent_starts, match.start()) - 1
        if i < 0 or match.end() > sents[i].end or _inside(noise, noise_starts, match.start()):
            continue
        by_sentence.setdefault(i, []).append(match)
    metrics = list(config.metrics.values())
    figures: list[Figure] = []
    for i, matches in by_sentence.items():
        sentence = sents[i]
        around = SentenceMatches(text, sentence, sents[i - 1] if i > 0 else None)
        found: list[tuple[Candidate, object]] = []
        for cand in _candidates(text, sentence, [m.start() for m in matches]):
            clause = clause_bounds(text, sentence, cand.start, cand.number.end, with_conjunctions=True)
            metric = classify(around, cand.start, cand.number.end, cand.number, clause, metrics)
            if metric is not None:
                found.append((cand, metric))
        for cand, metric in found:
            figures.append(_figure(article, text, sentence, cand, metric, lines, ignored, found))
    return figures


def _inside(spans: list[tuple[int, int]], starts: list[int], offset: int) -> bool:
    i = bisect.bisect_right(starts, offset) - 1
    return i >= 0 and spans[i][0] <= offset < spans[i][1]


def _candidates(text: str, sentence: Sentence, anchors: list[int]) -> list[Candidate]:
    """The counts and shares of one sentence as figcheck/extract/reading.py reads them.

    Vague quantities ("tens of thousands") and past values ("up from 32,000") are not figures.
    """
    out: list[Candidate] = []
    for found in reading.read(text, sentence.start, sentence.end, anchors):
        if found.rejected or found.vague or found.old_value:
            continue
        start = found.parts[0].start if found.parts else found.number.start
        number = replace(found.number, start=start, value=found.value)
        out.append(Candidate(number, found.start, found.qualifier, found.low, found.high))
    return out


def _figure(article: Article, text: str, sentence: Sentence, cand: Candidate, metric, lines: LineIndex,
            ignored: dict[int, list[str]], siblings) -> Figure:
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
    return Figure(
        doc=article.doc, path=article.path, outlet=article.outlet, published=article.published,
        metric=metric.id, value=number.value, unit="share" if number.share else "count",
        share_of=share_of, base_value=base_value,
        qualifier=cand.qualifier, low=cand.low, high=cand.high, precision=number.precision,
        surface=text[cand.start:number.end], char_start=cand.start, char_end=number.end,
        line=line, column=column, sentence=" ".join(text[sentence.start:sentence.end].split()),
        claimant=context.claimant(text, sentence.start, sentence.end, cand.start, number.end),
        as_of=context.as_of(text, sentence.start, sentence.end, punct_clause, article.published),
        ignore_rules=sorted(set(article.ignore_rules) | set(ignored.get(line, []))),
    )


def _ignore_comments(text: str, lines: LineIndex) -> dict[int, list[str]]:
    """`<!-- figcheck: ignore outdated -->` silences those rules for figures on the next line."""
    out: dict[int, list[str]] = {}
    for match in _IGNORE_COMMENT.finditer(text):
        line, _ = lines.locate(match.start())
        rules = [r for r in re.split(r"[\s,]+", match.group("rules")) if r] or [ALL_RULES]
        out.setdefault(line + 1, []).extend(rules)
    return out
