"""CSV inputs (manifests, reference series) read row by row: one bad row never stops the others.

Only CR and LF end a record; a Unicode line separator inside a cell stays in the cell.
A cell over csv's field limit (128 KB) skips its row with a warning.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from figcheck.errors import FigcheckError

MAX_CELL_KB = csv.field_size_limit() // 1024


class Rows:
    """The header of a CSV text, then (line, row as a dict, problem) for each record; row is None on a problem."""

    def __init__(self, text: str, path: Path):
        self._reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = next(self._reader, [])
        except csv.Error as exc:
            raise FigcheckError(f"header row is not readable CSV: {exc}", path, 1) from None
        self.fieldnames = [name.strip() for name in header]

    def __iter__(self) -> Iterator[tuple[int, dict[str, str | None] | None, str]]:
        while True:
            start = self._reader.line_num + 1
            try:
                record = next(self._reader)
            except StopIteration:
                return
            except csv.Error as exc:
                problem = str(exc)
                if "field larger than field limit" in problem:
                    problem = f"a cell is over {MAX_CELL_KB} KB"
                yield start, None, problem
                continue
            if not record:
                continue
            row: dict[str, str | None] = dict.fromkeys(self.fieldnames)
            row.update(zip(self.fieldnames, record))
            yield start, row, ""
