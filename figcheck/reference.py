"""Reference series: CSV of date, metric, value (and optional source, note).

Rows with a note (extrapolated, source_missing) are not reported figures and are left out.
Bad rows are skipped with one warning per kind of problem.
"""

from __future__ import annotations

import math
import datetime as dt
from pathlib import Path

from figcheck.articles import decode, read_file
from figcheck.csvin import Rows
from figcheck.errors import ArticleError, FigcheckError
from figcheck.models import ReferenceRow

REQUIRED = ("date", "metric", "value")


def load_references(path: Path, known_metrics: set[str], warn) -> list[ReferenceRow]:
    try:
        text = decode(read_file(path), path)
    except ArticleError as exc:
        raise FigcheckError(f"cannot read reference series: {exc.message}", path) from None
    reader = Rows(text, path)
    missing = [c for c in REQUIRED if c not in reader.fieldnames]
    if missing:
        raise FigcheckError(f"reference series lacks column(s) {', '.join(missing)} "
                            f"(has: {', '.join(reader.fieldnames)})", path, 1)
    rows: list[ReferenceRow] = []
    problems: dict[str, tuple[int, str, int]] = {}  # kind -> (first line, first message, count)
    for line, raw, problem in reader:
        if raw is None:
            row, kind, message = None, "csv", problem
        elif (raw.get("note") or "").strip():
            continue
        else:
            row, kind, message = _parse(raw, known_metrics)
        if row is None:
            first_line, first_message, count = problems.get(kind, (line, message, 0))
            problems[kind] = (first_line, first_message, count + 1)
            continue
        rows.append(row)
    for first_line, message, count in problems.values():
        more = f" (and {count - 1} more like it)" if count > 1 else ""
        warn(f"{path}:{first_line}: {message}, row skipped{more}")
    return rows


def _parse(raw: dict, known_metrics: set[str]) -> tuple[ReferenceRow | None, str, str]:
    """The row, or None with the kind of problem and a message naming the bad value."""
    try:
        date = dt.date.fromisoformat((raw.get("date") or "").strip())
    except ValueError:
        return None, "date", f"date {raw.get('date')!r} is not YYYY-MM-DD"
    try:
        value = float((raw.get("value") or "").replace(",", ""))
    except ValueError:
        return None, "value", f"value {raw.get('value')!r} is not a number"
    if not math.isfinite(value):
        return None, "value", f"value {raw.get('value')!r} is not a finite number"
    metric = (raw.get("metric") or "").strip()
    if metric not in known_metrics:
        return None, f"metric:{metric}", f"unknown metric {metric!r}"
    return ReferenceRow(date=date, metric=metric, value=value, source=raw.get("source") or None), "", ""
