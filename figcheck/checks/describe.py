"""Sentences a fact-checker can paste: who says what, where and when."""

from __future__ import annotations

from figcheck.models import Figure


def source(figure: Figure) -> str:
    where = figure.outlet or figure.doc
    return f"{where} ({figure.as_of or 'date unknown'})"


def says(figure: Figure) -> str:
    credit = f", citing {figure.claimant}" if figure.claimant else ""
    return f"{source(figure)} says '{figure.surface}'{credit}"


def amount(value: float) -> str:
    if value < 1:
        return f"{value:.0%}"
    return f"{value:,.0f}"
