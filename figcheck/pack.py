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

from pydantic import BaseModel, ValidationError

from figcheck import world
from figcheck.errors import FigcheckError
from figcheck.extract import pattern_reading
from figcheck.extract.places import Places
from figcheck.packspec import (Defaults, MetricDef, PackFile, Relation, RuleSettings,  # noqa: F401 - re-exported
                               compile_any, rule_modules)
from figcheck.yamlpos import line_of, load_with_lines

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
    until: dt.date | None = None
    places: Places | None = None
    where: frozenset[str] | None = None
    about: re.Pattern[str] | None = None
    events: re.Pattern[str] | None = None  # names of the other events the pack's comparison metrics count
    has_parts: bool = False  # another metric is a share of it: a total (a toll with its groups)

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
    # one-word names of places, each with its place's first ("syrian": "syria"), read as one in claimant names
    same_place_words: dict[str, str] = field(default_factory=dict)
    # what the prefilters read off the patterns, when kept by the pack cache (extract/pattern_reading.py)
    patterns_read: pattern_reading.Read | None = None

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


def load_config(paths: typing.Sequence[Path] | None = None, cache: bool = True) -> Config:
    """Load packs from files or folders (every *.yaml / *.yml inside); the bundled ones by default.
    What was loaded from the same files before is taken from the cache (figcheck/packcache.py),
    unless cache is False (packs in files that will not be seen again)."""
    from figcheck.packcache import cached

    files = pack_files(paths)
    config = cached(files, _load_files, _read_patterns) if cache else _load_files(files)
    if config.patterns_read is not None:
        pattern_reading.restore(config.patterns_read)
    return config


def _read_patterns(config: Config) -> None:
    """What the prefilters read off every pattern, kept with the packs (extract/pattern_reading.py)."""
    patterns = [name_pattern for _, name_pattern in config.claimants]
    for metric in config.metrics.values():
        patterns += [metric.cues, metric.counts, metric.context, metric.exclude, metric.about, metric.events,
                     *(p for pair in metric.anchored for p in pair)]
        if metric.places is not None:
            patterns.append(metric.places.pattern)
    config.patterns_read = pattern_reading.read_all({id(p): p for p in patterns if p is not None}.values())


def pack_files(paths: typing.Sequence[Path] | None = None) -> list[Path]:
    """The pack files that paths name: files, and every *.yaml / *.yml inside folders."""
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
    return files


def _load_files(files: list[Path]) -> Config:
    config = Config(same_place_words=world.same_place_words())
    where: dict[str, tuple[Path, int | None]] = {}
    for file in files:
        pack, lines = _load_pack(file)
        config.files.append(str(file))
        for rule, settings in pack.rules.items():
            config.rules[rule] = _rule_settings(rule, settings, file, lines)
        config.claimants.extend((name, compile_any(words)) for name, words in pack.claimants.items() if words)
        about = compile_any(pack.about)
        places = Places.build(pack.places, pack.default_place, pack.article_place)
        if pack.world_places and pack.default_place:  # the world's places the pack does not know of itself
            places.elsewhere = world.elsewhere([p for p in (places.pattern, about) if p is not None])
        # "the Peshtigo Fire, which killed ...": another event named in a figure's clause
        events = compile_any(sorted({w for spec in pack.metrics for w in spec.event}))
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
            config.metrics[spec.id] = _resolve(spec, pack.defaults, str(file), pack.since, places, about, events, pack.until)
        for i, relation in enumerate(pack.relations):
            config.relations.append(relation)
            where[f"relation:{len(config.relations) - 1}"] = (file, line_of(lines, ("relations", i)))
    _check_references(config, where)
    for metric in config.metrics.values():
        if metric.spec.share_of:
            config.metrics[metric.spec.share_of].has_parts = True
    return config


def _resolve(spec: MetricDef, defaults: Defaults, source: str, since: dt.date | None = None,
             places: Places | None = None, about: re.Pattern[str] | None = None,
             events: re.Pattern[str] | None = None, until: dt.date | None = None) -> Metric:
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
        anchored=anchored, since=since, until=until, places=places, where=frozenset(spec.where) or None,
        about=about, events=events,
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
    return f"{path}: {message}{shown}" if path else f"{message}{shown}"  # a whole-pack check names its keys itself


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
