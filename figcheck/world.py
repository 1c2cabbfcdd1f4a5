"""The world's places that no story is about until a pack says so (`world_places.yaml`): the
countries, the states of the United States and a few regions, each with the words that name it.
A pack with `world_places: true` reads those it does not name itself as one more place."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path

import yaml

WORLD_PLACES = Path(__file__).with_name("world_places.yaml")
# Every word of the file begins with a capital letter and is matched with its case.
_CAPITALISED = re.compile(r"(?<![\w])[A-Z]\w*")
_WORD_CHAR = re.compile(r"\w")


@functools.cache
def _data() -> dict:
    return yaml.safe_load(WORLD_PLACES.read_text(encoding="utf-8"))


@functools.cache
def _entries() -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(entry) for name, group in _data().items() if name != "cities" for entry in group)


@functools.cache
def _cities() -> dict[str, tuple[str, ...]]:
    """The cities of a place, by the place's first name."""
    return {place: tuple(names) for place, names in (_data().get("cities") or {}).items()}


@functools.cache
def same_place_words() -> dict[str, str]:
    """Each one-word name of a place, lower-cased, with the first name of its place: "syrian" and
    "syria's" (as the words of a claimant's name read it, "syria") are one word, "syria"."""
    return {word.lower(): entry[0].lower() for entry in _entries() for word in entry if re.fullmatch(r"\w+", word)}


def elsewhere(known: list[re.Pattern[str]]) -> Gazetteer | None:
    """Every place a pack does not know: a place is left out when a `known` pattern (the pack's place
    and `about` words) matches one of its words whole, case aside."""
    cities = _cities()
    entries = [entry for entry in _entries()
               if not any(pattern.fullmatch(word) for pattern in known for word in (*entry, *cities.get(entry[0], ())))]
    return Gazetteer(entries, [cities.get(entry[0], ()) for entry in entries]) if entries else None


class Gazetteer:
    """Places, each named by some words, found in a text. Five hundred words as one regular
    expression took a third of extraction's time (the engine tries each alternative in turn at
    every position). Here a capitalised word is looked up, and only the names it begins
    are compared with the text."""

    def __init__(self, entries: list[tuple[str, ...]], cities: list[tuple[str, ...]] | None = None):
        self.names: dict[str, list[tuple[str, int]]] = {}  # the first word -> (name, place), longest first
        for place, (entry, its_cities) in enumerate(zip(entries, cities or [()] * len(entries))):
            for name in (*entry, *its_cities):
                self.names.setdefault(re.match(r"\w+", name).group(), []).append((name, place))
        for candidates in self.names.values():
            candidates.sort(key=lambda c: -len(c[0]))

    def finditer(self, text: str, lo: int = 0, hi: int | None = None) -> Iterator[tuple[int, int, int]]:
        """(start, end, place) of each name in text[lo:hi], left to right, the longest at a start."""
        hi = len(text) if hi is None else hi
        end = lo
        for word in _CAPITALISED.finditer(text, lo, hi):
            start = word.start()
            if start < end:
                continue
            for name, place in self.names.get(word.group(), ()):
                stop = start + len(name)
                if stop <= hi and text.startswith(name, start) and not _WORD_CHAR.match(text, stop, hi):
                    yield start, stop, place
                    end = stop
                    break
