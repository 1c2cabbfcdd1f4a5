"""A set of figures held as one polars frame; Figure records are built only for those a finding cites.

An archive of 100,000 figures is loaded from Parquet as a frame and never turned into 100,000
pydantic objects.
"""

from __future__ import annotations

import polars as pl

from figcheck.models import Figure, trusted

SCHEMA: dict[str, pl.DataType] = {
    "doc": pl.String, "path": pl.String, "outlet": pl.String, "url": pl.String, "published": pl.Date, "metric": pl.String,
    "value": pl.Float64, "unit": pl.String, "share_of": pl.String, "base_value": pl.Float64, "qualifier": pl.String,
    "low": pl.Float64, "high": pl.Float64, "precision": pl.Float64, "surface": pl.String, "char_start": pl.Int64,
    "char_end": pl.Int64, "line": pl.Int64, "column": pl.Int64, "sentence": pl.String, "claimant": pl.String,
    "as_of": pl.Date, "previous": pl.Boolean, "ignore_rules": pl.List(pl.String),
    "entry": pl.String,
}


class FigureSet:
    """Figures as a frame (one row each, columns as in Figure), indexable as Figure records."""

    def __init__(self, frame: pl.DataFrame):
        self.frame = frame.select([pl.col(name).cast(dtype) for name, dtype in SCHEMA.items()])

    @classmethod
    def of(cls, figures: list[Figure]) -> "FigureSet":
        if not figures:
            return cls(pl.DataFrame(schema=SCHEMA))
        columns = {name: [getattr(f, name) for f in figures] for name in SCHEMA}
        return cls(pl.DataFrame(columns, schema=SCHEMA))

    @classmethod
    def concat(cls, sets: list["FigureSet"]) -> "FigureSet":
        return cls(pl.concat([s.frame for s in sets])) if sets else cls.of([])

    def __len__(self) -> int:
        return self.frame.height

    def take(self, idxs) -> dict[int, Figure]:
        """Figures by index, built in one batch. Rows were validated when extracted or stored,
        so they are not validated again: at a million figures that is the difference."""
        wanted = pl.Series(idxs, dtype=pl.Int64).drop_nulls().unique().sort().to_list()
        rows = self.frame[wanted].to_dicts() if wanted else []
        return {i: trusted(Figure, row) for i, row in zip(wanted, rows)}

    def take_all(self, labels: list[int]) -> dict[int, Figure]:
        """Every row as a Figure, keyed by the given labels (one per row, in order)."""
        return {label: trusted(Figure, row) for label, row in zip(labels, self.frame.to_dicts())}

    def __iter__(self):
        return iter(self.take(range(len(self))).values())

    def docs(self) -> set[str]:
        return set(self.frame["doc"].unique().to_list())

    def metrics(self) -> set[str]:
        return set(self.frame["metric"].unique().to_list())

    def subset(self, metrics) -> "FigureSet":
        """The figures of these metrics."""
        return FigureSet(self.frame.filter(pl.col("metric").is_in(list(metrics))))

    def claimant_names(self, config) -> list[str]:
        """The claimant names of the figures the rules place (a known metric, a date): series
        are drawn from all of them, whichever metrics a rule run sees."""
        return _claimant_names(self.frame.select("metric", "as_of", "claimant"), config)

    def share_links(self) -> list[tuple[str, str]]:
        """(metric, base metric) of the shares that name their base: arithmetic compares them."""
        return _share_links(self.frame.select("metric", "share_of"))


def _claimant_names(frame: pl.DataFrame, config) -> list[str]:
    known = list(config.metrics)
    names = (frame.filter(pl.col("metric").is_in(known) & pl.col("as_of").is_not_null())
             .select(pl.col("claimant").str.strip_chars()).drop_nulls().unique())
    return sorted(n for n in names["claimant"].to_list() if n != "")


def _share_links(frame: pl.DataFrame) -> list[tuple[str, str]]:
    links = frame.filter(pl.col("share_of").is_not_null()).unique().sort("metric", "share_of")
    return [tuple(row) for row in links.iter_rows()]

