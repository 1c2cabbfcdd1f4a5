"""The shape of a metric pack, as pydantic models: what each YAML key may hold.

figcheck.pack loads files into these models and resolves them into compiled metrics.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from typing import Literal

from pydantic import Field, field_validator, model_validator

from figcheck.models import Severity, Strict
from figcheck.regexcheck import backtracking_risk

METRIC_ID = r"^[a-z0-9_]+(\.[a-z0-9_]+)*$"


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """A pack pattern: case-insensitive, matched as whole words."""
    return re.compile(rf"(?<![\w]){pattern}(?![\w])", re.IGNORECASE)


def compile_any(patterns: list[str]) -> re.Pattern[str] | None:
    """All of a metric's patterns of one kind as one expression, so a sentence is scanned once."""
    if not patterns:
        return None
    # One boundary check before the alternation fails fast inside words, where most positions are.
    return re.compile(r"(?<![\w])(?:" + "|".join(f"(?:{p})" for p in patterns) + r")(?![\w])", re.IGNORECASE)


def _check_patterns(values: list[str]) -> list[str]:
    for value in values:
        try:
            compile_pattern(value.replace("{n}", ""))
        except re.error as exc:
            raise ValueError(f"bad regular expression {value!r}: {exc}") from None
        risk = backtracking_risk(value.replace("{n}", ""))
        if risk:
            raise ValueError(f"regular expression {value!r} refused: {risk}")
    return values


class Defaults(Strict):
    """Settings that apply to every metric of the pack unless the metric sets its own."""

    tolerance: float | None = Field(None, ge=0, le=1)
    window_days: int | None = Field(None, ge=0)
    max_age_days: int | None = Field(None, ge=0)
    rounding: float | None = Field(None, ge=0, le=1)


class RuleSettings(Strict):
    """Settings every rule has; a rule module declares its own as a subclass named Settings."""

    enabled: bool = True
    severity: Severity | None = None


def rule_modules() -> dict:
    """The rule modules by id (imported late: the rules themselves read packs)."""
    from figcheck.checks import RULES

    return RULES


Direction = Literal["grows", "falls", "any"]
# What span of time a figure covers: since the event began, one day, or one strike or incident.
Period = Literal["total", "day", "incident", "year", "any"]


class MetricDef(Strict):
    id: str = Field(pattern=METRIC_ID)
    label: str
    unit: Literal["count", "share"] = "count"
    cumulative: bool = False
    # How the count may move over time: grows (a toll), falls (people still missing), any.
    # Unset, `cumulative: true` means grows and anything else any.
    direction: Direction | None = None
    # How far a figure written as a round number may stray, as a fraction of it (the rounding
    # step caps it: "2.3 million" allows 2.25–2.35 million, "100,000" 97,000–103,000).
    rounding: float | None = Field(None, ge=0, le=1)
    share_of: str | None = None
    counts: list[str] = Field(default_factory=list)
    group: bool = False
    where: list[str] = Field(default_factory=list)
    period: Period = "total"
    comparison: bool = False
    forecast: bool = False
    identified: bool = False  # counts only the dead identified so far
    event: list[str] = Field(default_factory=list)  # words naming the other event a comparison metric counts
    cues: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list)
    context: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    range: tuple[float, float] | None = None
    cue_window: int = Field(80, ge=1, le=2000)
    priority: int = 0
    tolerance: float | None = Field(None, ge=0, le=1)
    window_days: int | None = Field(None, ge=0)
    max_age_days: int | None = Field(None, ge=0)
    severity: dict[str, Severity] = Field(default_factory=dict)

    @field_validator("severity")
    @classmethod
    def _known_rules(cls, values: dict[str, Severity]) -> dict[str, Severity]:
        for rule in values:
            if rule not in rule_modules():
                raise ValueError(f"severity names unknown rule {rule!r} (allowed: {', '.join(rule_modules())})")
        return values

    @property
    def moves(self) -> str:
        return self.direction or ("grows" if self.cumulative else "any")

    @field_validator("where", mode="before")
    @classmethod
    def _one_or_more(cls, value):
        return [value] if isinstance(value, str) else value

    @field_validator("cues", "context", "exclude", "counts", "event", mode="before")
    @classmethod
    def _extended(cls, values):
        """A list may hold an anchored list among its words: `counts: [*people, 'names']`."""
        if not isinstance(values, list):
            return values
        return [word for value in values for word in (value if isinstance(value, list) else [value])]

    @field_validator("cues", "context", "exclude", "counts", "event")
    @classmethod
    def _regular_expressions(cls, values: list[str]) -> list[str]:
        return _check_patterns(values)

    @field_validator("patterns")
    @classmethod
    def _anchored(cls, values: list[str]) -> list[str]:
        for value in values:
            if value.count("{n}") != 1:
                raise ValueError(f"pattern {value!r} must hold the placeholder {{n}} exactly once")
        return _check_patterns(values)

    @model_validator(mode="after")
    def _identifiable(self) -> "MetricDef":
        if not self.cues and not self.patterns:
            raise ValueError(f"metric {self.id!r} needs at least one of 'cues' or 'patterns'")
        if self.range and self.range[0] > self.range[1]:
            raise ValueError(f"range {list(self.range)!r} has its minimum above its maximum")
        if self.direction is None:
            self.direction = "grows" if self.cumulative else "any"
        elif self.cumulative and self.direction != "grows":
            raise ValueError(f"metric {self.id!r}: cumulative: true means direction: grows, not {self.direction!r}")
        self.cumulative = self.direction == "grows"
        return self


class Relation(Strict):
    """How metrics relate, for `arithmetic` and `implausible`.

    whole + parts: parts never exceed their whole; `disjoint` parts together never exceed it
    either; `complete` parts add up to it (within rounding), so a total that is too large is
    flagged too. per_period + cumulative: a count for one day never exceeds the running total.
    """

    whole: str | None = Field(None, pattern=METRIC_ID)
    parts: list[str] = Field(default_factory=list)
    disjoint: bool = False
    complete: bool = False
    per_period: str | None = Field(None, pattern=METRIC_ID)
    cumulative: str | None = Field(None, pattern=METRIC_ID)

    @model_validator(mode="after")
    def _one_kind(self) -> "Relation":
        if (self.whole is None) == (self.per_period is None):
            raise ValueError("a relation has either whole and parts, or per_period and cumulative")
        if self.whole is not None and not self.parts:
            raise ValueError(f"relation of whole {self.whole!r} lists no parts")
        if self.per_period is not None and self.cumulative is None:
            raise ValueError(f"relation of per_period {self.per_period!r} names no cumulative metric")
        return self

    @property
    def metrics(self) -> list[str]:
        return [m for m in (self.whole, *self.parts, self.per_period, self.cumulative) if m]


class PlaceDef(Strict):
    """A place named by words that stand for several declared places ("both countries"), a
    part of another place (`within`: "Kula" in "Maui"), or a place whole articles are about apart
    from the story's default (`articles: true`: the West Bank in the Gaza pack)."""

    words: list[str] = Field(min_length=1)
    covers: list[str] = Field(default_factory=list)
    within: str | None = None
    articles: bool = False


class PackFile(Strict):
    @field_validator("about")
    @classmethod
    def _regular_expressions(cls, values: list[str]) -> list[str]:
        return _check_patterns(values)

    @field_validator("article_place")
    @classmethod
    def _article_place_words(cls, values: list[str]) -> list[str]:
        return _check_patterns(values)

    @field_validator("claimants")
    @classmethod
    def _claimant_words(cls, values: dict[str, list[str]]) -> dict[str, list[str]]:
        for aliases in values.values():
            _check_patterns(aliases)
        return values

    @field_validator("places")
    @classmethod
    def _place_words(cls, values: dict[str, list[str] | PlaceDef]) -> dict[str, list[str] | PlaceDef]:
        for name, spec in values.items():
            if not re.fullmatch(r"[a-z0-9_]+", name):
                raise ValueError(f"place name {name!r} must be lower-case letters, digits and _")
            _check_patterns(spec if isinstance(spec, list) else spec.words)
        return values

    @model_validator(mode="after")
    def _default_declared(self) -> "PackFile":
        covered = [p for spec in self.places.values() if isinstance(spec, PlaceDef)
                   for p in [*spec.covers, *([spec.within] if spec.within else [])]]
        unknown = [p for p in [*self.default_place, *covered] if p not in self.places]
        if unknown:
            raise ValueError(f"default_place, covers or within: place {unknown[0]!r} is not declared "
                             f"(declared places: {', '.join(self.places) or 'none'})")
        leading = [name for name, spec in self.places.items() if isinstance(spec, PlaceDef) and spec.articles]
        if (self.article_place or leading) and not self.default_place:
            what = "article_place" if self.article_place else f"place {leading[0]!r} with articles: true"
            raise ValueError(f"{what} needs a default_place: the place an article is about unless it says otherwise")
        return self

    story: str | None = None
    description: str | None = None
    # When the story began: a year before it named in a figure's clause ("the 1999 quake killed ...")
    # marks the figure as one of an earlier event, quoted for comparison.
    since: dt.date | None = None
    # When the story's event ended (an earthquake, a fire; not a war): a later day on which a figure's
    # sentence says an event happened ("a quake struck on Thursday", in November) marks another event.
    until: dt.date | None = None
    # Words that say an article is about this story; with several packs loaded, an article is read
    # with the packs whose words it uses most (all of them when none has such words).
    about: list[str] = Field(default_factory=list)
    # Places the story's figures speak for, each with the words that name it; a metric's `where`
    # names one or several (a combined scope). `default_place` is the scope of a figure that names none.
    places: dict[str, list[str] | PlaceDef] = Field(default_factory=dict)
    # Canonical names of the story's sources, each with the words that name it: a figure credited to
    # "Turkey's disaster agency" is credited to AFAD, so one source's figures form one series.
    claimants: dict[str, list[str]] = Field(default_factory=dict)
    default_place: list[str] = Field(default_factory=list)
    # Words that name the place the article is about, whichever it is: "the territory" is Gaza in an
    # article about Gaza, the West Bank in one about the West Bank.
    article_place: list[str] = Field(default_factory=list)
    # Whether the world's places the pack does not name itself (figcheck/world_places.yaml: countries,
    # US states, a few regions) are one more place, "elsewhere", that no metric counts. Off unless
    # asked for: a story told by its city ("Derna") would lose the figures said of its country.
    world_places: bool = False
    defaults: Defaults = Field(default_factory=Defaults)
    rules: dict[str, typing.Any] = Field(default_factory=dict)
    metrics: list[MetricDef] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
