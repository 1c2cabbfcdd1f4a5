"""figcheck as a library: the per-article step and the rules, for scripts and cluster jobs.

    import figcheck
    figures = figcheck.extract_article(text, doc="a.md", published="2024-03-01", outlet="Wire")
    frame = figcheck.articles_to_frame([{"text": text, "doc": "a.md"}, ...])   # polars, SCHEMA columns
    for finding in figcheck.iter_findings(frame, references=figcheck.read_references("ref.csv")):
        ...

Metric packs are loaded once per process and per list of pack files (`rules`), so a worker
mapping extract_article over many articles pays for them once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import polars as pl

from figcheck.articles import Meta, parse_article
from figcheck.errors import Warnings
from figcheck.models import Figure, Finding, ReferenceRow
from figcheck.pack import Config, load_config
from figcheck.records import SCHEMA, FigureSet

_PACKS: dict[tuple[str, ...] | None, Config] = {}


def load_packs(rules: Sequence[str | Path] | None = None) -> Config:
    """The metric packs in these files or folders (default: the bundled ones), loaded once per process."""
    key = tuple(sorted(str(Path(p).resolve()) for p in rules)) if rules else None
    if key not in _PACKS:
        _PACKS[key] = load_config([Path(p) for p in rules] if rules else None)
    return _PACKS[key]


def _config(config: Config | None, rules) -> Config:
    return config if config is not None else load_packs(rules)


def extract_article(text: str | bytes, doc: str, *, path: str | None = None, outlet: str | None = None,
                    title: str | None = None, url: str | None = None, published: dt.date | str | None = None,
                    html: bool = False, rules: Sequence[str | Path] | None = None,
                    config: Config | None = None) -> list[Figure]:
    """The figures of one article given as text (or bytes) and metadata.

    Front matter in the text wins over the metadata given, as for files; `html=True` reads the
    text as an HTML page. Raises figcheck.errors.ArticleError for an unusable article."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    if isinstance(published, str):
        published = dt.date.fromisoformat(published)
    source = Path(path or doc)
    if html and source.suffix.lower() not in (".html", ".htm"):
        source = source.with_name(source.name + ".html")
    article = parse_article(data, source, Meta(outlet=outlet, title=title, url=url, published=published))
    article.doc, article.path = doc, path or doc
    from figcheck.extract.extractor import extract
    from figcheck.htmlpos import relocate

    figures = extract(article, _config(config, rules))
    # As for files: an HTML page's figures located (and ignore comments read) in its markup.
    return relocate(figures, article.text, article.source) if article.source is not None else figures


def figures_to_frame(figures: Iterable[Figure]) -> pl.DataFrame:
    """Figures as a polars frame with the columns of figcheck.records.SCHEMA."""
    return FigureSet.of(list(figures)).frame


def articles_to_frame(articles: Iterable[dict], *, errors: str = "raise", rules: Sequence[str | Path] | None = None,
                      config: Config | None = None) -> pl.DataFrame:
    """The figures of many articles, each a dict of extract_article's arguments, as one frame.
    With errors="skip", an unusable article (figcheck.errors.ArticleError) is left out."""
    from figcheck.errors import ArticleError

    config = _config(config, rules)
    figures: list[Figure] = []
    for article in articles:
        try:
            figures.extend(extract_article(config=config, **article))
        except ArticleError:
            if errors != "skip":
                raise
    return figures_to_frame(figures)


def iter_findings(figures: pl.DataFrame | FigureSet | Iterable[Figure], *, references: Iterable[ReferenceRow] = (),
                  subjects: Iterable[str] | None = None, rules: Sequence[str | Path] | None = None,
                  config: Config | None = None) -> Iterator[Finding]:
    """The rules' findings over the figures, as they are produced: metric group by metric group, or,
    for a set of up to findings.ONE_PASS_FIGURES figures, all after one pass over every group (in the
    same order). With `subjects` (docs), only findings about figures of those articles."""
    from figcheck.app import finding_order
    from figcheck.findings import iter_findings as produce

    if isinstance(figures, pl.DataFrame):
        figures = FigureSet(figures)
    elif not isinstance(figures, FigureSet):
        figures = FigureSet.of(list(figures))
    return produce(figures, _config(config, rules), list(references),
                   frozenset(subjects) if subjects is not None else None, order=finding_order)


def run_rules(figures: pl.DataFrame | FigureSet | Iterable[Figure], **options) -> list[Finding]:
    """All of iter_findings' findings, as a list."""
    return list(iter_findings(figures, **options))


def read_references(path: str | Path, *, rules: Sequence[str | Path] | None = None,
                    config: Config | None = None) -> list[ReferenceRow]:
    """The rows of a reference series CSV (date, metric, value[, source, note]); unusable rows are skipped."""
    from figcheck.reference import load_references

    return load_references(Path(path), set(_config(config, rules).metrics), Warnings(quiet=True).warn)


def read_store(path: str | Path) -> pl.DataFrame:
    """Every figure of a store written by `figcheck index`, in the store's order."""
    from figcheck.store import open_store

    return open_store(Path(path)).figures()


__all__ = ["SCHEMA", "Figure", "Finding", "ReferenceRow", "articles_to_frame", "extract_article",
           "figures_to_frame", "iter_findings", "load_packs", "read_references", "read_store", "run_rules"]
