"""figcheck: checks the figures in news articles against each other and against reference series.

The library API (figcheck/api.py) is imported on first use, so `figcheck --help` stays quick:
extract_article, articles_to_frame, figures_to_frame, iter_findings, run_rules, load_packs,
read_references, read_store.
"""

__version__ = "0.1.0"


def read_numbers(text: str, include_rejected: bool = False) -> list[dict]:
    """Every number in `text`, read as news writes it, one dict each (as `figcheck numbers` prints).

    Keys: char_start, char_end (offsets into `text`, qualifier words included), surface, value
    (None for an indefinite amount: "dozens", "tens of thousands"), low, high (both for ranges; one
    for "more than" / "up to" forms), qualifier (exact, more_than, over, at_least, nearly, up_to,
    fewer_than, approx, between), unit ("count", or "share" with the value as a fraction: "24%" is
    0.24) and rejected (None, or why the number is not a count: year, date, time, duration, age,
    ordinal, money, measurement, multiplier, code, score, address, modifier, pronoun).
    Rejected numbers are left out unless `include_rejected` is true.

    >>> [(n["surface"], n["low"], n["high"]) for n in read_numbers("An estimated 5-6 million fled.")]
    [('An estimated 5-6 million', 5000000, 6000000)]
    """
    from figcheck.numbers_report import numbers_in

    return [{k: v for k, v in n.items() if k != "doc"} for n in numbers_in(text, "", include_rejected)]


_API = {"extract_article", "articles_to_frame", "figures_to_frame", "iter_findings", "run_rules", "load_packs",
        "read_references", "read_store"}


def __getattr__(name: str):
    if name in _API:
        from figcheck import api

        return getattr(api, name)
    raise AttributeError(f"module 'figcheck' has no attribute {name!r}")
