"""Reading a corpus: articles streamed one at a time, figures collected, bad articles skipped."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from figcheck.articles import Meta, discover, load_manifest, read_article
from figcheck.errors import ArticleError, Warnings
from figcheck.extract.extractor import extract
from figcheck.models import Article, Figure
from figcheck.pack import Config


class Corpus:
    """The articles named on the command line, with their manifest metadata."""

    def __init__(self, paths: Iterable[Path], warnings: Warnings, manifest: Path | None = None):
        self.paths = list(paths)
        self.warnings = warnings
        self._manifests: dict[Path, dict[str, Meta]] = {}
        self.manifest_override = self._entries(manifest) if manifest else None
        self.files = list(discover(self.paths, warnings.warn))
        self._check_manifest_rows()

    def _entries(self, manifest: Path) -> dict[str, Meta]:
        if manifest not in self._manifests:
            entries, problems = load_manifest(manifest)
            for problem in problems:
                self.warnings.warn(problem)
            self._manifests[manifest] = entries
        return self._manifests[manifest]

    def _meta(self, path: Path, manifest: Path | None) -> Meta | None:
        if self.manifest_override is not None:
            return self.manifest_override.get(path.name)
        return self._entries(manifest).get(path.name) if manifest else None

    def _check_manifest_rows(self) -> None:
        names = {path.name for path, _ in self.files}
        manifests = {m for _, m in self.files if m is not None} if self.manifest_override is None else set()
        for manifest in sorted(manifests):
            for name in sorted(set(self._entries(manifest)) - names):
                self.warnings.warn(f"{manifest}: lists {name!r}, which is not among the articles")

    def __len__(self) -> int:
        return len(self.files)

    def articles(self) -> Iterator[Article]:
        """Each readable article once; unreadable ones become warnings, identical copies are skipped."""
        seen: dict[str, str] = {}
        for path, manifest in self.files:
            try:
                article = read_article(path, self._meta(path, manifest))
            except ArticleError as exc:
                self.warnings.warn(exc)
                continue
            if article.content_hash in seen:
                self.warnings.warn(f"{path}: same text as {seen[article.content_hash]}, skipped")
                continue
            seen[article.content_hash] = str(path)
            if article.published is None:
                self.warnings.warn(f"{path}: publication date unknown (no front matter, manifest row or dateline); "
                                   "its figures carry published: null")
            yield article


def extract_corpus(corpus: Corpus, config: Config, progress: Callable[[int], None] | None = None) -> list[Figure]:
    figures: list[Figure] = []
    for article in corpus.articles():
        try:
            figures.extend(extract(article, config))
        except RecursionError:
            corpus.warnings.warn(f"{article.path}: text too deeply nested to read, skipped")
        if progress:
            progress(1)
    return figures
