"""Excel workbooks: typed cells (numbers, dates, booleans), a frozen header, a filter, links for URLs.

Written with XlsxWriter (the `xlsx` extra). Text is always written as text, never as a formula,
so a cell that begins with "=" stays inert without CSV's leading apostrophe.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from figcheck.errors import FigcheckError
from figcheck.models import Figure, Finding
from figcheck.output.plain import FIGURE_COLUMNS, FINDING_COLUMNS, figure_row, finding_row

MISSING = "--format xlsx needs XlsxWriter: pip install 'figcheck[xlsx]'"
# Widths in characters: wide enough for a date or an outlet, never so wide that a sentence hides the rest.
MIN_WIDTH, MAX_WIDTH = 6, 60
SAMPLE_ROWS = 1000  # rows looked at to size the columns
LINK_COLUMNS = {"url"}
MAX_URL = 2079  # Excel's limit on a link's length
MAX_LINKS = 65530  # and on links per sheet
MAX_ROWS = 1_048_576  # rows per sheet, the header included


def require() -> None:
    try:
        import xlsxwriter  # noqa: F401
    except ImportError:
        raise FigcheckError(MISSING) from None


def figures_xlsx(figures: list[Figure]) -> bytes:
    return _workbook([("figures", FIGURE_COLUMNS, [figure_row(f) for f in figures])])


def findings_xlsx(findings: list[Finding]) -> bytes:
    """A sheet of findings (one row each, numbered) and a sheet of every figure each one cites."""
    rows = [{"finding": n, **finding_row(f)} for n, f in enumerate(findings, start=1)]
    cited = [{"finding": n, "role": "subject" if k == 0 else "evidence", **figure_row(figure)}
             for n, f in enumerate(findings, start=1) for k, figure in enumerate(f.figures)]
    return _workbook([("findings", ["finding", *FINDING_COLUMNS], rows),
                      ("figures", ["finding", "role", *FIGURE_COLUMNS], cited)])


def _workbook(sheets: list[tuple[str, list[str], list[dict[str, Any]]]]) -> bytes:
    require()
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                     "strings_to_numbers": False, "remove_timezone": True})
    formats = {"header": book.add_format({"bold": True, "bg_color": "#E8E8E8", "bottom": 1}),
               "date": book.add_format({"num_format": "yyyy-mm-dd"}), "link": book.get_default_url_format()}
    for name, columns, rows in sheets:
        _sheet(book.add_worksheet(name), formats, columns, rows)
    book.close()
    return out.getvalue()


def _sheet(sheet, formats: dict, columns: list[str], rows: list[dict[str, Any]]) -> None:
    if len(rows) >= MAX_ROWS:
        raise FigcheckError(f"{len(rows):,} rows do not fit in a worksheet ({MAX_ROWS - 1:,} at most): "
                            "use --format csv")
    sheet.write_row(0, 0, columns, formats["header"])
    links = 0
    for r, row in enumerate(rows, start=1):
        for c, column in enumerate(columns):
            value = row[column]
            if column in LINK_COLUMNS and _linkable(value) and links < MAX_LINKS:
                sheet.write_url(r, c, value, formats["link"], value)
                links += 1
            else:
                _write(sheet, r, c, value, formats)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)
    for c, column in enumerate(columns):
        sheet.set_column(c, c, _width(column, rows[:SAMPLE_ROWS]))


def _write(sheet, r: int, c: int, value: Any, formats: dict) -> None:
    if value is None or value == "":
        return
    if isinstance(value, bool):
        sheet.write_boolean(r, c, value)
    elif isinstance(value, (int, float)):
        sheet.write_number(r, c, value)
    elif isinstance(value, dt.date):
        sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), formats["date"])
    else:
        sheet.write_string(r, c, str(value))


def _linkable(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(("https://", "http://")) and len(value) <= MAX_URL


def _width(column: str, rows: list[dict[str, Any]]) -> int:
    longest = max((len(_shown(row[column])) for row in rows), default=0)
    return max(MIN_WIDTH, min(MAX_WIDTH, max(longest, len(column)) + 2))


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return "yyyy-mm-dd"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
