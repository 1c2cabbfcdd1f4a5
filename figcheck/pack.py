"""Metric packs: the YAML files under rules/ that say which figures to track and how to check them.

A pack is data. pydantic validates it on load and every problem is reported as
`file:line: problem`, quoting the bad value and naming the allowed ones.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

from figcheck.errors import FigcheckError
from figcheck.extract.scope import Places
from figcheck.models import Severity, Strict
from figcheck.regexcheck import backtracking_risk
from figcheck.yamlpos import line_of, load_with_lines

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
Period = Literal["total", "day", "incident", "any"]


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

    @field_validator("cues", "context", "exclude", "counts")
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
    """A place named by words that stand for several declared places ("both countries")."""

    words: list[str] = Field(min_length=1)
    covers: list[str] = Field(default_factory=list)


class PackFile(Strict):
    @field_validator("about")
    @classmethod
    def _regular_expressions(cls, values: list[str]) -> list[str]:
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
        covered = [p for spec in self.places.values() if isinstance(spec, PlaceDef) for p in spec.covers]
        unknown = [p for p in [*self.default_place, *covered] if p not in self.places]
        if unknown:
            raise ValueError(f"default_place or covers: place {unknown[0]!r} is not declared "
                             f"(declared places: {', '.join(self.places) or 'none'})")
        return self

    story: str | None = None
    description: str | None = None
    # When the story began: a year before it named in a figure's clause ("the 1999 quake killed ...")
    # marks the figure as one of an earlier event, quoted for comparison.
    since: dt.date | None = None
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
    defaults: Defaults = Field(default_factory=Defaults)
    rules: dict[str, typing.Any] = Field(default_factory=dict)
    metrics: list[MetricDef] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)


GLOBAL_DEFAULTS = {"tolerance": 0.05, "window_days": 0, "max_age_days": 0, "rounding": 0.03}


@dataclass
class Metric:
    """A metric with its settings resolved and its patterns compiled."""

    spec: MetricDef
    source: str
    tolerance: float
    window_days: int
    max_age_days: int
    rounding: float
    cues: re.Pattern[str] | None
    counts: re.Pattern[str] | None
    context: re.Pattern[str] | None
    exclude: re.Pattern[str] | None
    anchored: list[tuple[re.Pattern[str], re.Pattern[str]]]
    since: dt.date | None = None
    places: Places | None = None
    where: frozenset[str] | None = None
    about: re.Pattern[str] | None = None

    @property
    def id(self) -> str:
        return self.spec.id


@dataclass
class Config:
    """Every loaded pack merged: the active metrics, relations and rule settings."""

    metrics: dict[str, Metric] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    rules: dict[str, RuleSettings] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    claimants: list[tuple[str, re.Pattern[str]]] = field(default_factory=list)

    def claimant_name(self, claimant: str | None) -> str | None:
        """The canonical name of a claimant, as a pack declares it, or the claimant as written."""
        if claimant:
            for name, pattern in self.claimants:
                if pattern.search(claimant):
                    return name
        return claimant

    def settings(self, rule: str) -> RuleSettings:
        """The rule's settings as the packs set them, its declared defaults elsewhere."""
        if rule not in self.rules:
            self.rules[rule] = rule_modules()[rule].Settings()
        return self.rules[rule]

    def rule_enabled(self, rule: str) -> bool:
        return self.settings(rule).enabled

    def severity(self, rule: str, metric: str) -> str:
        spec = self.metrics[metric].spec if metric in self.metrics else None
        if spec and rule in spec.severity:
            return spec.severity[rule]
        return self.settings(rule).severity or rule_modules()[rule].SEVERITY


def default_rules_dir() -> Path:
    """rules/ beside the package in a checkout or editable install; figcheck/packs/ in a wheel."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "rules", here / "packs"):
        if candidate.is_dir() and any(candidate.glob("*.yaml")):
            return candidate
    raise FigcheckError("the bundled metric packs are missing from this installation; pass --rules")


def load_config(paths: typing.Sequence[Path] | None = None) -> Config:
    """Load packs from files or folders (every *.yaml / *.yml inside); the bundled ones by default."""
    files: list[Path] = []
    for path in paths or [default_rules_dir()]:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml")))
        elif path.is_file():
            files.append(path)
        else:
            raise FigcheckError("no such rules file or folder", path)
    if not files:
        raise FigcheckError("no metric packs (*.yaml) found", paths[0] if paths else None)
    config = Config()
    where: dict[str, tuple[Path, int | None]] = {}
    for file in files:
        pack, lines = _load_pack(file)
        config.files.append(str(file))
        for rule, settings in pack.rules.items():
            config.rules[rule] = _rule_settings(rule, settings, file, lines)
        places = Places.build(pack.places, pack.default_place)
        config.claimants.extend((name, compile_any(words)) for name, words in pack.claimants.items() if words)
        about = compile_any(pack.about)
        for i, spec in enumerate(pack.metrics):
            line = line_of(lines, ("metrics", i, "id"))
            unknown = [p for p in spec.where if p not in pack.places]
            if unknown:
                raise FigcheckError(f"metrics[{i}].where: place {unknown[0]!r} is not declared "
                                    f"(declared places: {', '.join(pack.places) or 'none'})", file,
                                    line_of(lines, ("metrics", i, "where")) or line)
            if spec.id in config.metrics:
                first, first_line = where[spec.id]
                raise FigcheckError(f"duplicate metric id {spec.id!r} (first defined at {first}:{first_line})", file, line)
            where[spec.id] = (file, line)
            config.metrics[spec.id] = _resolve(spec, pack.defaults, str(file), pack.since, places, about)
        for i, relation in enumerate(pack.relations):
            config.relations.append(relation)
            where[f"relation:{len(config.relations) - 1}"] = (file, line_of(lines, ("relations", i)))
    _check_references(config, where)
    return config


def _resolve(spec: MetricDef, defaults: Defaults, source: str, since: dt.date | None = None,
             places: Places | None = None, about: re.Pattern[str] | None = None) -> Metric:
    def setting(name: str):
        own = getattr(spec, name)
        if own is not None:
            return own
        pack_default = getattr(defaults, name)
        return pack_default if pack_default is not None else GLOBAL_DEFAULTS[name]

    anchored = []
    for pattern in spec.patterns:
        left, right = pattern.split("{n}")
        anchored.append((re.compile(rf"(?:{left})$" if left else r"$", re.IGNORECASE),
                         re.compile(rf"(?:{right})(?!\w)" if right else r"", re.IGNORECASE)))
    return Metric(
        spec=spec, source=source,
        tolerance=setting("tolerance"), window_days=setting("window_days"), max_age_days=setting("max_age_days"),
        rounding=spec.rounding if spec.rounding is not None else setting("rounding"),
        cues=compile_any(spec.cues), counts=compile_any(spec.counts), context=compile_any(spec.context), exclude=compile_any(spec.exclude),
        anchored=anchored, since=since, places=places, where=frozenset(spec.where) or None,
        about=about,
    )


def _check_references(config: Config, where: dict[str, tuple[Path, int | None]]) -> None:
    known = sorted(config.metrics)
    for metric in config.metrics.values():
        base = metric.spec.share_of
        if base and base not in config.metrics:
            file, line = where[metric.id]
            raise FigcheckError(f"share_of names unknown metric {base!r} (known: {', '.join(known)})", file, line)
    for i, relation in enumerate(config.relations):
        for name in relation.metrics:
            if name not in config.metrics:
                file, line = where[f"relation:{i}"]
                raise FigcheckError(f"relation names unknown metric {name!r} (known: {', '.join(known)})", file, line)


def _rule_settings(rule: str, settings: object, file: Path, lines: dict) -> RuleSettings:
    """A rule's settings validated against what its module declares."""
    modules = rule_modules()
    if rule not in modules:
        raise FigcheckError(f"rules: {rule!r} is not a rule (allowed: {', '.join(modules)})", file,
                            line_of(lines, ("rules", rule)))
    model = modules[rule].Settings
    if not isinstance(settings, dict):
        raise FigcheckError(f"rules.{rule}: expected a mapping of settings (allowed: {', '.join(model.model_fields)})",
                            file, line_of(lines, ("rules", rule)))
    try:
        return model.model_validate(settings)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = ("rules", rule, *error["loc"])
        if error["type"] == "extra_forbidden":
            message = f"unknown key {loc[-1]!r} (allowed: {', '.join(model.model_fields)})"
        else:
            message = _describe(error, loc)
        raise FigcheckError(message, file, line_of(lines, loc)) from None


def _load_pack(file: Path) -> tuple[PackFile, dict]:
    data, lines = load_with_lines(file)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FigcheckError(f"a metric pack must be a mapping with keys {', '.join(PackFile.model_fields)}", file, 1)
    # Top-level keys starting with "x-" hold YAML anchors shared by several metrics, as in Compose files.
    data = {key: value for key, value in data.items() if not str(key).startswith("x-")}
    try:
        return PackFile.model_validate(data), lines
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = tuple(error["loc"])
        raise FigcheckError(_describe(error, loc), file, line_of(lines, loc)) from None


def _describe(error: dict, loc: tuple) -> str:
    path = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in loc).replace(".[", "[")
    kind = error["type"]
    value = error.get("input")
    if kind == "extra_forbidden":
        allowed = _allowed_keys(loc[:-1])
        return f"unknown key {loc[-1]!r}" + (f" (allowed: {', '.join(allowed)})" if allowed else "")
    if kind in ("literal_error", "enum"):
        expected = error.get("ctx", {}).get("expected", "")
        return f"{path}: {value!r} is not allowed (allowed: {expected})"
    if kind == "missing":
        return f"{path}: required key is missing"
    message = error["msg"].removeprefix("Value error, ")
    shown = "" if kind == "value_error" else f", got {value!r}"
    return f"{path}: {message}{shown}"


def _allowed_keys(loc: tuple) -> list[str]:
    model: typing.Any = PackFile
    for part in loc:
        if isinstance(model, type) and issubclass(model, BaseModel):
            if isinstance(part, str) and part in model.model_fields:
                model = model.model_fields[part].annotation
                continue
            return []
        args = [a for a in typing.get_args(model) if a is not type(None)]
        model = args[-1] if args else None
    if isinstance(model, type) and issubclass(model, BaseModel):
        return list(model.model_fields)
    return []
