"""CSV for spreadsheets: RFC 4180, UTF-8, one header row, formulas defused."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from figcheck.models import Figure, Finding
from figcheck.output.plain import FIGURE_COLUMNS, FINDING_COLUMNS, NUMBER_COLUMNS, cell, figure_row, finding_row

BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def guard(value: Any) -> str:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers."""
    text = cell(value)
    if isinstance(value, str) and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def _table(columns: list[str], rows: Iterable[dict[str, Any]], excel: bool) -> Iterator[str]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    yield (BOM if excel else "") + out.getvalue()
    for row in rows:
        out.seek(0)
        out.truncate()
        writer.writerow([guard(row[c]) for c in columns])
        yield out.getvalue()


def figures_csv(figures: Iterable[Figure], excel: bool = False) -> str:
    return "".join(_table(FIGURE_COLUMNS, (figure_row(f) for f in figures), excel))


def findings_csv(findings: Iterable[Finding], excel: bool = False) -> Iterator[str]:
    return _table(FINDING_COLUMNS, (finding_row(f) for f in findings), excel)


def numbers_csv(rows: list[dict[str, Any]], excel: bool = False) -> str:
    return "".join(_table(NUMBER_COLUMNS, rows, excel))
