"""Main text out of an HTML page: scripts, styles and navigation dropped, blocks on their own lines."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser as HTMLParser

_DROP = "script, style, noscript, template, nav, header, footer, aside, form, iframe, svg, button, select"
_BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "br", "section",
           "article", "dd", "dt", "pre", "td", "th", "figcaption", "caption", "ul", "ol", "table"}
_BULLET_TAGS = {"li"}


def html_to_text(html: str) -> tuple[str, dict[str, str]]:
    """Return the page's main text and the metadata it carries (title)."""
    tree = HTMLParser(html)
    meta: dict[str, str] = {}
    title = tree.css_first("title")
    if title is not None and title.text(strip=True):
        meta["title"] = title.text(strip=True)
    for node in tree.css(_DROP):
        node.decompose()
    root = tree.css_first("main") or tree.css_first("article") or tree.body or tree.root
    if root is None:
        return "", meta
    parts: list[str] = []
    _walk(root, parts)
    text = "".join(parts)
    text = re.sub(r"[ \t\u00a0]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip() + "\n", meta


def _walk(node, parts: list[str]) -> None:
    for child in node.iter(include_text=True):
        tag = child.tag
        if tag == "-text":
            parts.append(child.text(deep=False))
            continue
        if tag in _BLOCKS:
            parts.append("\n\n" if tag not in {"br", "td", "th"} else ("\n" if tag == "br" else " "))
        if tag in _BULLET_TAGS:
            parts.append("• ")
        _walk(child, parts)
        if tag in _BLOCKS and tag not in {"br", "td", "th"}:
            parts.append("\n\n")
