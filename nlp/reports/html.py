"""`claims report OUT --html FILE`: one self-contained HTML file, openable offline.

plotly.js comes from the plotly package and is inlined with our own script and style; the data is
embedded as JSON in a `<script type="application/json">` element with `<`, `>`, `&` and the two
JavaScript line separators escaped, so no document text can end the element or run as markup.
The page's Content-Security-Policy forbids every network request (connect, images, fonts, frames).
"""

from __future__ import annotations

import html
import json
from importlib import resources
from pathlib import Path

from .page_data import Limits, build

CSP = ("default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; "
       "img-src data: blob:; font-src data:; connect-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'none'")
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def embed_json(data) -> str:
    """JSON that is safe inside a <script> element whatever strings it holds."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return "".join(_JSON_ESCAPES.get(ch, ch) for ch in text)


def _script(code: str) -> str:
    return code.replace("</script", "<\\/script")


def _static(name: str) -> str:
    return resources.files("nlp.reports").joinpath("static", name).read_text(encoding="utf-8")


def render(data: dict) -> str:
    from plotly.offline import get_plotlyjs

    title = f"claims report: {Path(data['meta']['out']).name}"
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title>", f"<style>{_static('report.css')}</style>", "</head><body>",
        f"<header><h1>{html.escape(title)}</h1></header>", "<nav></nav>", "<main></main>",
        f'<script type="application/json" id="claims-data">{embed_json(data)}</script>',
        f"<script>{_script(get_plotlyjs())}</script>", f"<script>{_script(_static('report.js'))}</script>",
        "</body></html>", ""])


def write_report(out_dir: str | Path, path: str | Path, *, fmt: str = "html", limits: Limits = Limits()) -> dict:
    """Write the report (or, with fmt='json', its data) to `path` atomically; returns its size and what was cut."""
    data = build(out_dir, limits)
    text = render(data) if fmt == "html" else json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return {"path": str(path), "bytes": path.stat().st_size, "truncated": data["truncated"]}
