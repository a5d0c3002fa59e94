"""Benchmark: the offline report against GeoDataFrame.explore() on the same communes.

Run from the project root:

    .venv/bin/python bench/bench_report.py [--runs 5]

It prints, for the 122 communes of 2019 with the shipped status table:

- the time to build the report (``bkmap.render.report.build_report``) and its size;
- the same for ``bkmap.render.maps.criterion_map`` (the ``bkmap map`` page) and for
  ``GeoDataFrame.explore()`` on the same frame;
- the time Chromium (Debian's, headless, through Playwright) takes to load each
  page and to draw every commune, as the median (and min) of several cold loads.

How the pages are loaded: each load uses a fresh browser context (no cache).
The bkmap pages are opened with every http(s) request aborted, as in an office
with no network; they need none. ``explore()`` links Leaflet, jQuery,
Bootstrap and Font Awesome from CDNs, so for its load the requests for
Leaflet's JS and CSS are answered from bkmap's local copy of Leaflet
(1.9.4; folium links 1.9.3) and every other request is aborted at once. That
stands for a browser with those files cached: the CDN's network time is left
out, which favours explore(). No basemap is drawn on any page.

"Drawn" means the moment the page's ``L.Map`` holds one shape per commune (a
Leaflet path whose feature has a ``code``), polled on every animation frame,
measured from the start of navigation (``performance.now()``).
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

DRAWN_JS = """
() => {
  let map = null;
  for (const key of Object.keys(window)) {
    let v; try { v = window[key]; } catch (e) { continue; }
    if (typeof L !== 'undefined' && v instanceof L.Map) { map = v; break; }
  }
  if (!map) { return 0; }
  let n = 0;
  map.eachLayer(function(l){
    if (l instanceof L.Path && l.feature && l.feature.properties && l.feature.properties.code) { n++; }
  });
  return n;
}
"""


def _timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def _timed_warm(fn, repeat: int = 3):
    """Median time of ``repeat`` calls after one warm-up call (module imports left out)."""
    fn()
    times = []
    for _ in range(repeat):
        value, secs = _timed(fn)
        times.append(secs)
    return value, statistics.median(times)


def _load(browser, path: Path, expected: int, *, serve_leaflet: bool) -> tuple[float, float, int]:
    from bkmap.render.assets import leaflet_css, leaflet_js

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()

    def route(request_route) -> None:
        url = request_route.request.url
        if serve_leaflet and url.endswith("/leaflet.js"):
            request_route.fulfill(body=leaflet_js(), content_type="application/javascript")
        elif serve_leaflet and url.endswith("/leaflet.css"):
            request_route.fulfill(body=leaflet_css(), content_type="text/css")
        else:
            request_route.abort()

    context.route("http://*/**", route)
    context.route("https://*/**", route)
    page.goto(path.as_uri(), wait_until="commit")
    page.wait_for_function(f"({DRAWN_JS})() >= {expected}", polling="raf", timeout=60_000)
    drawn_ms = page.evaluate("performance.now()")
    page.wait_for_load_state("load")
    load_ms = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
    count = page.evaluate(DRAWN_JS)
    context.close()
    return load_ms, drawn_ms, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="cold loads per page (default 5)")
    args = parser.parse_args()

    from bkmap.io.boundaries import read_districts, read_province
    from bkmap.io.status import load_sources
    from bkmap.pipeline import load_joined
    from bkmap.render.maps import criterion_map, save_map
    from bkmap.render.report import build_report

    out = Path(tempfile.mkdtemp(prefix="bkmap_bench_report_"))
    (joined, _), t_load = _timed(load_joined)
    districts, province, sources = read_districts(), read_province(), load_sources()
    n = len(joined)
    print(f"data: {n} communes of 2019 joined to the 2019-08-12 status table in {t_load:.2f} s")
    print()

    pages: dict[str, tuple[Path, float]] = {}
    report, t_report = _timed_warm(
        lambda: build_report(joined, districts=districts, province=province, sources=sources)
    )
    pages["bkmap report"] = (out / "report.html", t_report)
    (out / "report.html").write_text(report, encoding="utf-8")

    def bkmap_map() -> None:
        fmap = criterion_map(joined, districts=districts, sources=sources, tiles=None)
        save_map(fmap, out / "map.html")

    _, t_map = _timed_warm(bkmap_map)
    pages["bkmap map"] = (out / "map.html", t_map)

    def explore() -> None:
        m = joined[["code", "name", "district", "c8", "geometry"]].explore(
            column="c8", categorical=True, tiles=None, tooltip=["name", "code", "district", "c8"]
        )
        m.save(out / "explore.html")

    _, t_explore = _timed_warm(explore)
    pages["GeoDataFrame.explore()"] = (out / "explore.html", t_explore)

    print("generation: median of 3 calls after a warm-up call (imports left out)")
    print(f"{'page':<24}{'generate (s)':>14}{'size (KB)':>12}")
    for name, (path, secs) in pages.items():
        print(f"{name:<24}{secs:>14.2f}{path.stat().st_size / 1000:>12.0f}")
    print()

    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("Chromium not found (apt-get install chromium): browser timings skipped")
        return
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        print(
            f"Chromium {browser.version}, headless; {args.runs} cold loads per page "
            "(median, min in brackets), ms from the start of navigation"
        )
        print(f"{'page':<24}{'load event':>20}{'all communes drawn':>24}{'drawn':>8}")
        for name, (path, _secs) in pages.items():
            serve = name.startswith("GeoDataFrame")
            results = [_load(browser, path, n, serve_leaflet=serve) for _ in range(args.runs)]
            loads = [r[0] for r in results]
            drawn = [r[1] for r in results]
            print(
                f"{name:<24}{statistics.median(loads):>12.0f} ({min(loads):>5.0f})"
                f"{statistics.median(drawn):>16.0f} ({min(drawn):>5.0f}){results[-1][2]:>8}"
            )
        browser.close()
    print()
    print(
        "method: bkmap pages load with every http(s) request aborted (they need none); "
        "for explore() the CDN requests for leaflet.js/leaflet.css are answered from "
        "bkmap's local Leaflet 1.9.4 and every other CDN request (jQuery, Bootstrap, "
        "Font Awesome, awesome-markers) is aborted at once, as if cached: no CDN "
        "network time is counted. Pages are in " + str(out)
    )


if __name__ == "__main__":
    main()
