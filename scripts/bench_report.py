"""Size and load time of the HTML report of a run (issue: the report must stay usable at 10k documents).

    .venv/bin/python scripts/bench_report.py OUT            # an existing `claims run` folder
    .venv/bin/python scripts/bench_report.py --build 10000  # build the throughput bench's corpus of N
                                                            # documents, run claims over it, then measure

Prints the seconds to write the file, its size, and the seconds headless Chromium (Debian's
`chromium`) takes from navigation to the first chart drawn and to each view drawn.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

CHROMIUM = "/usr/bin/chromium"
VIEWS = {"stance": "#stance-chart .main-svg", "claims": "#claims-table tbody tr", "measures": "#view-measures select",
         "documents": "#document-view .doc-text"}


def measure(out: Path, report: Path) -> None:
    from playwright.sync_api import sync_playwright

    from nlp.reports.html import write_report

    started = time.perf_counter()
    written = write_report(out, report)
    print(f"report written in {time.perf_counter() - started:.1f} s: {written['bytes'] / 1e6:.1f} MB")
    for what, reason in written["truncated"].items():
        print(f"  shown in part ({what}): {reason}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        page = browser.new_page(viewport={"width": 1300, "height": 1000})
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        started = time.perf_counter()
        page.goto(report.as_uri())
        page.wait_for_selector("#chart-by_kind .main-svg", timeout=120_000)
        print(f"first chart drawn {time.perf_counter() - started:.1f} s after navigation")
        for view, selector in VIEWS.items():
            started = time.perf_counter()
            page.click(f"nav button[data-view={view}]")
            page.wait_for_selector(selector, timeout=60_000)
            print(f"  {view} view: {time.perf_counter() - started:.2f} s")
        print(f"page errors: {errors or 'none'}")
        browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", nargs="?", type=Path)
    parser.add_argument("--build", type=int, help="build a bench corpus of this many documents and run claims first")
    parser.add_argument("--words", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        out = args.out
        if args.build:
            from bench_throughput import build_corpus

            from nlp.engine.run import run_corpus

            corpus, out = Path(tmp) / "corpus", Path(tmp) / "out"
            build_corpus(corpus, args.build, args.words)
            summary = run_corpus([corpus], out)
            print(f"claims run: {summary.documents:,} documents, {summary.sentences:,} sentences in {summary.seconds:.0f} s")
        if out is None:
            parser.error("give OUT or --build N")
        measure(out, Path(tmp) / "report.html")
    return 0


if __name__ == "__main__":
    sys.exit(main())
