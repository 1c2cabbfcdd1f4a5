"""Pack regular expressions checked on load: a pattern that can backtrack without end is refused.

Python's `re` backtracks. A quantified group whose body is itself quantified, as in `(a+)+$`
or `(?:\\w+\\s?)*x`, can take exponential time on text that almost matches; one such cue in a
pack would hang every run. The check is static (done once, costs nothing per match, needs no
other regex engine); atomic groups `(?>...)` and possessive quantifiers (`a++`) cannot
backtrack and are allowed. A time limit per article (pipeline.ARTICLE_SECONDS) backs it up
for the cases a static check cannot see, such as overlapping alternatives in `(a|ab)*`.
"""

from __future__ import annotations

from re import _constants as sre  # noqa: PLC2701 - the parser of re itself, the one source of truth
from re import _parser

OPEN_ENDED = 16  # a repeat allowing more than this many rounds counts as unbounded


def backtracking_risk(pattern: str) -> str | None:
    """Why pattern can backtrack catastrophically, or None. pattern must already compile."""
    return _walk(_parser.parse(pattern), inside=None)


def _walk(items, inside: str | None) -> str | None:
    for op, av in items:
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            low, high, body = av
            open_ended = high == sre.MAXREPEAT or high > OPEN_ENDED
            if inside is not None and high > 1 and low != high:
                return ("a repeated part inside a repeated group can backtrack without end; "
                        "make the inner repeat possessive (a++) or the group atomic ((?>...))")
            found = _walk(body, "repeated" if open_ended else inside)
            if found:
                return found
        elif op == sre.SUBPATTERN:
            found = _walk(av[3], inside)
            if found:
                return found
        elif op == sre.BRANCH:
            for branch in av[1]:
                found = _walk(branch, inside)
                if found:
                    return found
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            found = _walk(av[1], inside)
            if found:
                return found
        # ATOMIC_GROUP and POSSESSIVE_REPEAT never backtrack into themselves: not walked.
    return None
