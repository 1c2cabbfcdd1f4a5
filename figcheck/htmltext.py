"""Main text of HTML pages too large for trafilatura's per-element analysis.

trafilatura spends about half a millisecond on each block element, so a page of 100,000 short
paragraphs took minutes. Past LARGE_PAGE blocks, figcheck reads the page itself: lxml parses
it, page furniture (navigation, headers, footers, asides, forms, scripts) is dropped, and the
text of each block inside <article> or <main> (else <body>) becomes one line.
"""

from __future__ import annotations

import re

LARGE_PAGE = 3_000  # block elements
_BLOCK_TAG = re.compile(rb"<(?:p|div|li|h[1-6]|tr|br|blockquote|section)[\s/>]", re.IGNORECASE)
_ISO_START = re.compile(r"\d{4}-\d{2}-\d{2}(?!\d)")
_FURNITURE = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "template", "svg",
              "iframe", "button", "select")
_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "td", "th", "dd", "dt",
           "figcaption", "caption"}


def is_large(html: str) -> bool:
    return len(_BLOCK_TAG.findall(html.encode("utf-8", errors="replace"), 0)) > LARGE_PAGE


def main_text(html: str) -> dict[str, str | None]:
    """text, title, date (as written in the page's metadata) and sitename of a page."""
    import lxml.html
    from lxml import etree

    root = lxml.html.document_fromstring(html.encode("utf-8", errors="replace"))
    meta = {m.get("property") or m.get("name") or m.get("itemprop"): m.get("content") for m in root.iter("meta")}
    title = meta.get("og:title") or (root.findtext(".//title") or "").strip() or None
    date = meta.get("article:published_time") or meta.get("date") or meta.get("datePublished") or ""
    date = date[:10] if _ISO_START.match(date) else date or None
    etree.strip_elements(root, *_FURNITURE, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    frame = next((found for tag in ("article", "main", "body") for found in root.iter(tag)), root)
    lines: list[str] = []
    for element in frame.iter(*_BLOCKS):
        if any(parent.tag in _BLOCKS for parent in element.iterancestors()):
            continue  # its text is already in the enclosing block's line
        text = " ".join("".join(element.itertext()).split())
        if text:
            lines.append(text)
    if not lines:
        text = " ".join("".join(frame.itertext()).split())
        lines = [text] if text else []
    return {"text": "\n".join(lines), "title": title, "date": date, "sitename": meta.get("og:site_name")}
