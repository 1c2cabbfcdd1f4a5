"""Records as plain values: the shared shape behind JSON, JSON Lines and CSV."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from typing import Any

from figcheck.models import Figure, Finding

FIGURE_COLUMNS = [
    "doc", "path", "outlet", "published", "metric", "value", "unit", "share_of", "base_value", "qualifier", "low",
    "high", "precision", "surface", "char_start", "char_end", "line", "column", "claimant", "as_of", "previous", "sentence",
    "ignore_rules", "url", "entry",
]
NUMBER_COLUMNS = ["doc", "char_start", "char_end", "surface", "value", "low", "high", "qualifier", "unit", "rejected"]
FINDING_COLUMNS = [
    "rule", "severity", "metric", "message", "doc", "path", "outlet", "published", "as_of", "surface", "value",
    "qualifier", "low", "high", "claimant", "line", "column", "char_start", "char_end", "days_stale",
    "evidence", "evidence_outlets", "evidence_docs", "evidence_dates", "reference_date", "reference_value",
    "reference_source", "url",
]


def as_json(items: Iterable[Figure] | Iterable[Finding]) -> str:
    return "".join(json_chunks(items))


def json_chunks(items: Iterable[Figure] | Iterable[Finding]) -> Iterator[str]:
    """A JSON array, written one item at a time: dumping all at once held every item's dict tree in
    memory (a 268 MB peak for 29 MB of findings)."""
    first = True
    dumps = indented_dumps()
    for item in items:
        yield ("[\n" if first else ",\n") + dumps(_plain(item))
        first = False
    yield "[]\n" if first else "\n]\n"


def indented_dumps(indent: int = 1):
    """json.dumps(value, ensure_ascii=False, indent=indent) for many values, its encoding functions
    made once. With an indent, json.dumps takes the standard library's Python encoder, whose
    functions, made anew for every value, refer to each other: a cycle that only the garbage
    collector frees, and figcheck runs it seldom (see program.run). Hundreds of thousands of
    findings left their cycles waiting (some 40 MB at 50,000 articles)."""
    make = getattr(json.encoder, "_make_iterencode", None)
    if make is None:
        return lambda value: json.dumps(value, ensure_ascii=False, indent=indent)
    inf = float("inf")

    def floatstr(value: float) -> str:  # as the standard library's encoder writes floats
        if value != value:
            return "NaN"
        return "Infinity" if value == inf else "-Infinity" if value == -inf else float.__repr__(value)

    def default(value):
        raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")

    encode = make(None, default, json.encoder.encode_basestring, indent, floatstr, ": ", ",", False, False, True)
    return lambda value: "".join(encode(value, 0))


def as_jsonl(items: Iterable[Figure] | Iterable[Finding]) -> str:
    return "".join(jsonl_chunks(items))


def jsonl_chunks(items: Iterable[Figure] | Iterable[Finding]) -> Iterator[str]:
    return (json.dumps(_plain(item), ensure_ascii=False) + "\n" for item in items)


def _plain(item: Figure | Finding) -> dict:
    return _integral(item.model_dump(mode="json"))


def _integral(value):
    """Integral numbers as integers, as the CSV writes them: 11200, not 11200.0."""
    if isinstance(value, dict):
        return {k: _integral(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_integral(v) for v in value]
    if isinstance(value, float):
        return number(value)
    return value


def rows_json(rows: list[dict[str, Any]]) -> str:
    return "[\n" + ",\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n]\n" if rows else "[]\n"


def rows_jsonl(rows: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def number(value: float | None) -> int | float | None:
    """Integral floats as integers, so 32070.0 is written 32070."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() and abs(value) < 1e15 else value


def figure_row(figure: Figure) -> dict[str, Any]:
    row = figure.model_dump()
    for key in ("value", "low", "high", "precision", "base_value"):
        row[key] = number(row[key])
    row["ignore_rules"] = ";".join(figure.ignore_rules)
    return {column: row[column] for column in FIGURE_COLUMNS}


def finding_row(finding: Finding) -> dict[str, Any]:
    subject = finding.figures[0]
    evidence = finding.figures[1:]
    ref = finding.reference
    return {
        "rule": finding.rule, "severity": finding.severity, "metric": finding.metric, "message": finding.message,
        "doc": subject.doc, "path": subject.path, "outlet": subject.outlet, "published": subject.published,
        "as_of": subject.as_of, "surface": subject.surface, "value": number(subject.value),
        "qualifier": subject.qualifier, "low": number(subject.low), "high": number(subject.high),
        "claimant": subject.claimant, "line": subject.line, "column": subject.column,
        "char_start": subject.char_start, "char_end": subject.char_end, "days_stale": finding.days_stale,
        "evidence": " | ".join(f"{f.surface} ({f.outlet or f.doc}, {f.as_of})" for f in evidence),
        "evidence_outlets": "; ".join(dict.fromkeys(f.outlet or "" for f in evidence if f.outlet)),
        "evidence_docs": "; ".join(dict.fromkeys(f.doc for f in evidence)),
        "evidence_dates": "; ".join(dict.fromkeys(str(f.as_of) for f in evidence if f.as_of)),
        "reference_date": ref.date if ref else None,
        "reference_value": number(ref.value) if ref else None,
        "reference_source": ref.source if ref else None,
        "url": subject.url,
    }


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
