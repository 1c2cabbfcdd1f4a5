"""`figcheck numbers`: every number read in articles or standard input, one record each."""

from __future__ import annotations

import sys
from pathlib import Path

from figcheck import project
from figcheck.articles import decode, discover, read_article
from figcheck.errors import ArticleError, FigcheckError, Warnings
from figcheck.extract.reading import read

STDIN = "-"


def numbers_in(text: str, doc: str, include_rejected: bool = False, start: int = 0) -> list[dict]:
    return [r.record(text, doc) for r in read(text, start) if include_rejected or not r.rejected]


def read_paths(paths, include_rejected: bool, warnings: Warnings) -> list[dict]:
    """Records for each input: files, folders of articles, or '-' for standard input."""
    records: list[dict] = []
    files = [Path(p) for p in paths if str(p) != STDIN]
    for path in paths:
        if str(path) == STDIN:
            text = decode(sys.stdin.buffer.read(), Path(STDIN))
            records.extend(numbers_in(text, STDIN, include_rejected))
    found = 0
    root = project.find().root
    for item in discover(files, warnings.warn, root):
        found += 1
        try:
            article = read_article(item.path, doc=project.identity(item.path, item.scanned, root))
        except ArticleError as exc:
            warnings.warn(exc)
            continue
        records.extend(numbers_in(article.text, article.doc, include_rejected, article.body_start))
    if files and not found:
        raise FigcheckError("no articles (.txt, .md, .markdown, .html, .htm) found", ", ".join(map(str, files)))
    return records


def render(records: list[dict], fmt: str, excel: bool = False) -> str:
    from figcheck.output import csvout, plain, table

    formats = {
        "jsonl": lambda: plain.rows_jsonl(records),
        "json": lambda: plain.rows_json(records),
        "csv": lambda: csvout.numbers_csv(records, excel),
        "table": lambda: table.numbers_table(records, width=table.terminal_width(), color=sys.stdout.isatty()),
    }
    return formats[fmt]()
