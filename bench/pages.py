"""An HTML page of many short paragraphs: time to read it (main text) and to extract its figures.

    .venv/bin/python bench/pages.py [--paragraphs 140000] [--trafilatura]

Prints CPU seconds. --trafilatura also times trafilatura on the same page, the path pages of
up to htmltext.LARGE_PAGE block elements take.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from figcheck.articles import read_article  # noqa: E402
from figcheck.extract.extractor import extract  # noqa: E402
from figcheck.pack import load_config  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=140_000)
    parser.add_argument("--trafilatura", action="store_true")
    args = parser.parse_args()
    body = "".join(f"<p>Aid {i % 10}.</p>" for i in range(args.paragraphs))
    html = f"<html><body>{body}<p>The storm has killed at least 41 people, officials said.</p></body></html>"
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "page.html"
        page.write_text(html, encoding="utf-8")
        config = load_config(None)
        started = time.process_time()
        article = read_article(page)
        read = time.process_time() - started
        started = time.process_time()
        figures = extract(article, config)
        extracted = time.process_time() - started
    print(f"{len(html) / 2**20:.1f} MB, {args.paragraphs:,} paragraphs: read {read:.2f} s CPU, "
          f"extract {extracted:.2f} s CPU, {len(figures)} figure(s)")
    if args.trafilatura:
        import trafilatura

        started = time.process_time()
        trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False)
        print(f"trafilatura on the same page: {time.process_time() - started:.2f} s CPU")


if __name__ == "__main__":
    main()
