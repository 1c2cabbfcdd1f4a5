"""GitHub Actions workflow commands: one annotation per finding, on the figure's line and column."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from figcheck.models import Finding

LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    figure = finding.figures[0]
    end_column = figure.column + len(figure.surface)
    props = (f"file={_property(figure.path)},line={figure.line},endLine={figure.line},col={figure.column},"
             f"endColumn={end_column},title={_property(f'figcheck {finding.rule}: {finding.metric}')}")
    return f"::{LEVEL[finding.severity]} {props}::{_data(finding.message)}"


def findings_github(findings: Iterable[Finding]) -> Iterator[str]:
    return (annotation(f) + "\n" for f in findings)
