"""Errors and warnings as users see them: one line, naming the file and the problem."""

from __future__ import annotations

import sys
from pathlib import Path


class FigcheckError(Exception):
    """A problem with the invocation or configuration: stops the run with exit status 2."""

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path or ""
        if where and self.line:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}" if where else self.message


class ArticleError(FigcheckError):
    """A problem with one article: it is skipped with a warning, the others go on."""


class Warnings:
    """Collects per-item warnings; prints each as one line on stderr as it comes."""

    def __init__(self, stream=None, quiet: bool = False):
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.items: list[str] = []

    def warn(self, message: str | FigcheckError) -> None:
        text = str(message)
        self.items.append(text)
        if not self.quiet:
            print(f"figcheck: warning: {text}", file=self.stream)

    def __len__(self) -> int:
        return len(self.items)
