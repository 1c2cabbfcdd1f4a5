"""Excel workbooks, read back with openpyxl: typed cells, a frozen header, a filter, links, two sheets."""

from __future__ import annotations

import datetime as dt
import json
import os
import pty
import subprocess
import sys

import openpyxl
import pytest

from figcheck.output.plain import FIGURE_COLUMNS, FINDING_COLUMNS
from tests.conftest import CORPUS, ROOT, article, run


def _sheet_rows(sheet):
    header = [c.value for c in sheet[1]]
    return header, [dict(zip(header, (c.value for c in row))) for row in sheet.iter_rows(min_row=2)]


def _shaped_like_a_table(sheet, columns):
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(columns))}{sheet.max_row}"
    widths = {c: sheet.column_dimensions[openpyxl.utils.get_column_letter(k)].width for k, c in enumerate(columns, 1)}
    assert all(6 <= w <= 62 for w in widths.values())
    return widths


def test_figures_workbook_has_typed_cells(tmp_path):
    out = tmp_path / "figures.xlsx"
    assert run("figures", CORPUS, "-o", out).exit_code == 0
    sheet = openpyxl.load_workbook(out)["figures"]
    header, rows = _sheet_rows(sheet)
    assert header == FIGURE_COLUMNS
    widths = _shaped_like_a_table(sheet, FIGURE_COLUMNS)
    assert widths["sentence"] > widths["line"]
    records = [json.loads(line) for line in run("figures", CORPUS, "--format", "jsonl").stdout.splitlines()]
    assert len(rows) == len(records) > 0
    for row, record in zip(rows, records):
        assert isinstance(row["value"], (int, float)) and row["value"] == record["value"]
        assert isinstance(row["line"], int) and row["char_start"] == record["char_start"]
        assert isinstance(row["previous"], bool)
        if record["as_of"]:
            assert row["as_of"] == dt.datetime.fromisoformat(record["as_of"])
        assert row["sentence"] == record["sentence"]
    dated = next(r for r in sheet.iter_rows(min_row=2) if r[header.index("as_of")].value)
    assert dated[header.index("as_of")].is_date and dated[header.index("as_of")].number_format == "yyyy-mm-dd"
    linked = [r[header.index("url")] for r in sheet.iter_rows(min_row=2) if r[header.index("url")].value]
    assert linked and all(cell.hyperlink.target == cell.value for cell in linked)


def test_findings_workbook_has_findings_and_their_figures_on_two_sheets(tmp_path):
    out = tmp_path / "findings.xlsx"
    assert run("scan", CORPUS, "--format", "xlsx", "-o", out).exit_code == 1
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["findings", "figures"]
    header, rows = _sheet_rows(book["findings"])
    assert header == ["finding", *FINDING_COLUMNS]
    _shaped_like_a_table(book["findings"], header)
    findings = json.loads(run("scan", CORPUS, "--format", "json").stdout)
    assert [(r["rule"], r["surface"]) for r in rows] == [(f["rule"], f["figures"][0]["surface"]) for f in findings]
    for row, finding in zip(rows, findings):
        # Not the message: the order in which a rule names the parts can differ from run to run.
        assert row["days_stale"] == finding["days_stale"] and row["metric"] == finding["metric"]
        if finding["figures"][0]["published"]:
            assert row["published"] == dt.datetime.fromisoformat(finding["figures"][0]["published"])
    assert any(isinstance(r["days_stale"], int) for r in rows)
    cited_header, cited = _sheet_rows(book["figures"])
    assert cited_header == ["finding", "role", *FIGURE_COLUMNS]
    assert len(cited) == sum(len(f["figures"]) for f in findings)
    for number, finding in enumerate(findings, start=1):
        mine = [r for r in cited if r["finding"] == number]
        assert [r["role"] for r in mine] == ["subject"] + ["evidence"] * (len(finding["figures"]) - 1)
        surfaces = [f["surface"] for f in finding["figures"]]
        assert mine[0]["surface"] == surfaces[0]  # the evidence's order may differ between runs
        assert sorted(r["surface"] for r in mine[1:]) == sorted(surfaces[1:])


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    path = article(tmp_path, "a.md", "The war has killed more than 32,000 people in Gaza.", outlet='=HYPERLINK("x")',
                   url="javascript:alert(1)")
    out = tmp_path / "f.xlsx"
    assert run("figures", path, "--format", "xlsx", "-o", out).exit_code == 0
    header, rows = _sheet_rows(openpyxl.load_workbook(out)["figures"])
    cell = openpyxl.load_workbook(out)["figures"].cell(2, header.index("outlet") + 1)
    assert cell.value == '=HYPERLINK("x")' and cell.data_type == "s"
    url = openpyxl.load_workbook(out)["figures"].cell(2, header.index("url") + 1)
    assert url.value == "javascript:alert(1)" and url.hyperlink is None  # only http(s) becomes a link


def test_empty_findings_still_make_a_workbook(tmp_path):
    path = article(tmp_path, "a.md", "The war has killed more than 32,000 people in Gaza.")
    out = tmp_path / "none.xlsx"
    assert run("scan", path, "-o", out).exit_code == 0
    book = openpyxl.load_workbook(out)
    assert book["findings"].max_row == 1 and book["findings"].freeze_panes == "A2"


def test_workbook_is_refused_on_a_terminal_but_written_to_a_pipe(tmp_path):
    command = [sys.executable, "-m", "figcheck", "scan", str(CORPUS / "gaza"), "--format", "xlsx"]
    controller, terminal = pty.openpty()
    try:
        result = subprocess.run(command, stdout=terminal, stderr=subprocess.PIPE, cwd=ROOT, timeout=120)
    finally:
        os.close(terminal)
        os.close(controller)
    assert result.returncode == 2
    assert result.stderr.decode().startswith("figcheck: error: --format xlsx is binary and is not written to a terminal")
    piped = subprocess.run(command, capture_output=True, cwd=ROOT, timeout=120)
    assert piped.returncode == 1 and piped.stdout.startswith(b"PK\x03\x04")  # a zip: the workbook


def test_missing_extra_is_one_clear_line(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "xlsxwriter", None)
    result = run("figures", CORPUS, "-o", tmp_path / "f.xlsx")
    assert result.exit_code == 2 and result.stderr == ("figcheck: error: --format xlsx needs XlsxWriter: "
                                                       "pip install 'figcheck[xlsx]'\n")


@pytest.mark.parametrize("name,fmt", [("x.XLSX", "xlsx"), ("x.csv", "csv"), ("x.json", "json"), ("x.txt", "table")])
def test_output_extension_chooses_the_format_unless_format_is_given(tmp_path, name, fmt):
    out = tmp_path / name
    assert run("figures", CORPUS / "gaza", "-o", out).exit_code == 0
    data = out.read_bytes()
    expected = {"xlsx": b"PK\x03\x04", "csv": b"doc,path,", "json": b"[\n{", "table": "┏".encode()}[fmt]
    assert data.startswith(expected) or (fmt == "table" and expected in data[:400])
    explicit = tmp_path / ("y" + out.suffix)
    assert run("figures", CORPUS / "gaza", "--format", "jsonl", "-o", explicit).exit_code == 0
    assert explicit.read_bytes().startswith(b'{"doc"')


def test_more_rows_than_a_sheet_holds_is_a_clear_error(monkeypatch, tmp_path):
    from figcheck.output import xlsx

    monkeypatch.setattr(xlsx, "MAX_ROWS", 5)  # Excel's real limit is 1,048,576 rows
    out = tmp_path / "f.xlsx"
    result = run("figures", CORPUS, "-o", out)
    assert result.exit_code == 2 and not out.exists()
    assert result.stderr.startswith("figcheck: error: ") and "use --format csv" in result.stderr
