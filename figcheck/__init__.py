"""figcheck: checks the figures in news articles against each other and against reference series.

The library API (figcheck/api.py) is imported on first use, so `figcheck --help` stays quick:
extract_article, articles_to_frame, figures_to_frame, iter_findings, run_rules, load_packs,
read_references, read_store.
"""

__version__ = "0.1.0"

_API = {"extract_article", "articles_to_frame", "figures_to_frame", "iter_findings", "run_rules", "load_packs",
        "read_references", "read_store"}


def __getattr__(name: str):
    if name in _API:
        from figcheck import api

        return getattr(api, name)
    raise AttributeError(f"module 'figcheck' has no attribute {name!r}")
