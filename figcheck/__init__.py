"""figcheck: checks the figures in news articles against each other and against reference series."""

__version__ = "0.1.0"
