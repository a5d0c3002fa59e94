"""Benchmark: the planner's explorer page (``bkmap planner``) on the shipped data.

Run from the project root:

    .venv/bin/python bench/bench_planner.py [--runs 5]

It prints:

- the time to precompute every setting (:func:`bkmap.planning.explorer.explore`: 3
  objectives x (exclude, need and every p of the probability policy), each at every
  budget step and station count, optimum and greedy) and to write the page;
- the page's size (target: at most 1 MB);
- the time Chromium (Debian's, headless, through Playwright) takes from the start of
  navigation to ``window.bkmapPlanner.ready`` (target: at most 1 s), as the median
  (and min, max) of several cold loads, each in a fresh context with every http(s)
  request aborted (the page makes none);
- the time one ``bkmapPlanner.set(...)`` takes to update the page.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="cold loads in Chromium")
    args = parser.parse_args()

    from bkmap.pipeline import assess
    from bkmap.planning.explorer import explore
    from bkmap.render.planner import render_planner

    assessment = assess()
    start = time.perf_counter()
    explorer = explore(assessment)
    precompute = time.perf_counter() - start
    start = time.perf_counter()
    html = render_planner(explorer, assessment, lang="vi")
    render = time.perf_counter() - start
    size = len(html.encode("utf-8"))
    print(
        f"settings precomputed:   {len(explorer.series)} (x {len(explorer.budgets)} budget steps "
        f"and {len(explorer.codes) + 1} station counts, optimum and greedy)"
    )
    print(f"precompute:             {precompute:.2f} s")
    print(f"page written:           {render:.2f} s")
    print(f"page size:              {size / 1e6:.3f} MB (target <= 1 MB)")

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("Chromium not found: no browser timing")
        return
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "planner.html"
        path.write_text(html, encoding="utf-8")
        ready: list[float] = []
        updates: list[float] = []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            for _ in range(args.runs):
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                context.route("http://*/**", lambda r: r.abort())
                context.route("https://*/**", lambda r: r.abort())
                page = context.new_page()
                page.goto(path.as_uri())
                page.wait_for_function("window.bkmapPlanner && window.bkmapPlanner.ready")
                # Navigation start to the moment the page has shown its first answer.
                ready.append(page.evaluate("window.bkmapPlanner.readyAt") / 1000)
                updates.append(
                    page.evaluate(
                        "(() => { const t = performance.now(); window.bkmapPlanner.set("
                        "{stations: 20, unknown: 'probability', p: 0.451, objective: 'mix'});"
                        " return performance.now() - t; })()"
                    )
                    / 1000
                )
                context.close()
            browser.close()
    print(
        f"time to ready (Chromium): median {statistics.median(ready):.3f} s "
        f"(min {min(ready):.3f}, max {max(ready):.3f}; {args.runs} cold loads; target <= 1 s)"
    )
    print(f"one set() update:       median {statistics.median(updates) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
