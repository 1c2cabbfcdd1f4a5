"""The records figcheck reads and writes: articles, figures, reference rows and findings.

pydantic validates them where they cross the program's edge; unknown keys are refused.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

Severity = Literal["error", "warning", "info"]
SEVERITY_RANK: dict[str, int] = {"info": 1, "warning": 2, "error": 3}
Qualifier = Literal[
    "exact", "more_than", "over", "at_least", "nearly", "up_to", "fewer_than", "approx", "between"
]


class Strict(BaseModel):
    # Validators are built on first use: a check builds few (its packs come from the cache unvalidated).
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Article(Strict):
    """One article's text and what is known about it."""

    path: str
    doc: str
    text: str
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None
    content_hash: str = ""
    ignore_rules: list[str] = Field(default_factory=list)
    # Character offset where the article body starts (after front matter); offsets stay file-relative.
    body_start: int = 0
    # An HTML page's markup, when text is the main text extracted from it: figures' lines and
    # columns are placed in it, so they point into the file.
    source: str | None = None


class Figure(Strict):
    """One figure of a tracked metric, with its context, as found in one article."""

    doc: str
    path: str
    outlet: str | None = None
    url: str | None = None
    published: dt.date | None = None
    metric: str
    value: float
    unit: Literal["count", "share"] = "count"
    share_of: str | None = None
    base_value: float | None = None
    qualifier: Qualifier = "exact"
    low: float | None = None
    high: float | None = None
    precision: float = 1.0
    surface: str
    char_start: int
    char_end: int
    line: int
    column: int
    sentence: str
    claimant: str | None = None
    as_of: dt.date | None = None
    # An earlier value quoted for comparison ("down from N", "initially N"): a figure about the past
    # that no rule may treat as current.
    previous: bool = False
    ignore_rules: list[str] = Field(default_factory=list)
    # The time (HH:MM) of the live-page entry or timeline point the figure stands under: one
    # article's entries are told at different times, so they do not contradict each other.
    entry: str | None = None


class ReferenceRow(Strict):
    date: dt.date
    metric: str
    value: float
    source: str | None = None
    note: str | None = None


class Finding(Strict):
    """What a rule reports: about the first figure, with the others as evidence."""

    rule: str
    severity: Severity
    metric: str
    message: str
    figures: list[Figure]
    days_stale: int | None = None
    reference: ReferenceRow | None = None


M = TypeVar("M", bound=BaseModel)
_FIELD_SETS: dict[type, set[str]] = {}


def trusted(model: type[M], values: dict) -> M:
    """An instance from values that already passed validation (every field given), not validated again.

    What pydantic's model_construct does, minus its per-field loop: at a million figures, building
    findings this way is twice as fast. tests/test_records.py checks the result equals a validated one.
    """
    fields = _FIELD_SETS.setdefault(model, set(model.model_fields))  # shared: pydantic only re-adds members
    instance = model.__new__(model)
    object.__setattr__(instance, "__dict__", values)
    object.__setattr__(instance, "__pydantic_fields_set__", fields)
    object.__setattr__(instance, "__pydantic_extra__", None)
    object.__setattr__(instance, "__pydantic_private__", None)
    return instance
