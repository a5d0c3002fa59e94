"""Benchmark: bkmap's criterion map against ``GeoDataFrame.explore()``, province and country.

For each case (the 122 communes of Bắc Kạn, 2019; the 11,163 communes of the
2009 national layer) and each library, a fresh Python process loads the
joined frame, then builds and saves the HTML map. It prints:

* generation time (build + save, from the joined frame in memory);
* HTML size (both pages carry Leaflet inline, so both open offline);
* time for Chromium (Debian's, through Playwright, every http(s) request
  blocked) to load the file and draw every commune: SVG paths counted for
  explore(), ``window.bkmapDrawn`` for bkmap, then two animation frames;
* peak memory of the process (ru_maxrss: imports + load + generation);
* for bkmap: gaps the display processing introduced, counted on the shapes
  decoded from the page itself (see :func:`bkmap.geo.simplify.introduced_gaps`).

explore() is called with the status column, a categorical legend and the same
tooltip fields; it draws one layer where bkmap draws five (overall and four
indicators) plus district outlines or province names.

Usage::

    python bench/bench_national_map.py            # both cases
    python bench/bench_national_map.py --case bac_kan --runs 1
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CASES = ("bac_kan", "national")
TARGETS = {"size": 0.15, "generation": 0.5, "browser": 0.5}
FIELDS = ["name", "code", "district", "c8", "c8_1", "c8_2", "c8_3", "c8_4", "note"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
]


def _joined(case: str):
    if case == "bac_kan":
        from bkmap.pipeline import load_joined

        joined, _ = load_joined()
        return joined
    from bkmap.pipeline import load_area_joined

    joined, _ = load_area_joined("all")
    return joined


def child(case: str, lib: str, out: str) -> None:
    """Build one map in this process and print its figures as JSON."""
    t0 = time.perf_counter()
    joined = _joined(case)
    load_s = time.perf_counter() - t0
    from bkmap.render.assets import inline_assets

    t0 = time.perf_counter()
    if lib == "bkmap":
        from bkmap.io.boundaries import read_districts
        from bkmap.io.status import load_sources
        from bkmap.render.maps import area_outlines, criterion_map, save_map

        districts = read_districts() if case == "bac_kan" else area_outlines(joined)
        fmap = criterion_map(joined, districts=districts, sources=load_sources())
        save_map(fmap, out)
    else:
        fmap = joined[[*FIELDS, "geometry"]].explore(
            column="c8",
            categorical=True,
            tooltip=FIELDS,
            cmap=["#1a9641", "#e6e0f0", "#d7191c", "#8c8c8c"],
        )
        inline_assets(fmap)
        Path(out).write_text(fmap.get_root().render(), encoding="utf-8")
    gen_s = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "n": len(joined),
                "load_s": load_s,
                "gen_s": gen_s,
                "size": Path(out).stat().st_size,
                "peak_mb": peak_mb,
            }
        )
    )


def _build(case: str, lib: str, out: Path) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", case, lib, str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _browser_times(pages: dict[str, tuple[Path, int]], runs: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    times: dict[str, list[float]] = {k: [] for k in pages}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        for _ in range(runs):
            for lib, (path, n) in pages.items():
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                context.route("http://*/**", lambda route: route.abort())
                context.route("https://*/**", lambda route: route.abort())
                page = context.new_page()
                start = time.perf_counter()
                page.goto(path.as_uri(), timeout=180_000)
                if lib == "bkmap":
                    page.wait_for_function(f"window.bkmapDrawn >= {n}", timeout=180_000)
                else:
                    page.wait_for_function(
                        f"document.querySelectorAll('path.leaflet-interactive').length >= {n}",
                        timeout=180_000,
                        polling=50,
                    )
                page.evaluate(
                    "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
                )
                times[lib].append(time.perf_counter() - start)
                context.close()
        browser.close()
    return times


def _gaps(case: str, path: Path) -> tuple[int, int, float]:
    """Gaps introduced, as (all, wider than the coordinate grid, grid metres), from the page."""
    import geopandas as gpd

    from bkmap.geo.simplify import coverage_defects, introduced_gaps
    from bkmap.render.maps import decode_shapes, page_blocks

    page = path.read_text(encoding="utf-8")
    blocks = page_blocks(page)
    data = next(b for b in blocks if "cols" in b)
    shown = gpd.GeoSeries(decode_shapes(data), crs="EPSG:4326")
    before = coverage_defects(_joined(case).geometry)
    after = coverage_defects(shown)
    grid_m = 111_320 / data["s"]
    return (
        introduced_gaps(before, after),
        introduced_gaps(before, after, min_width_m=grid_m),
        grid_m,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--case", choices=[*CASES, "all"], default="all")
    parser.add_argument("--runs", type=int, default=2, help="browser loads per page (min kept)")
    parser.add_argument(
        "--no-gaps", action="store_true", help="skip the gap count (slow nationally)"
    )
    parser.add_argument("--child", nargs=3, metavar=("CASE", "LIB", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    cases = CASES if args.case == "all" else (args.case,)
    with tempfile.TemporaryDirectory(prefix="bench_map_") as tmp:
        for case in cases:
            figures = {}
            pages = {}
            for lib in ("explore", "bkmap"):
                out = Path(tmp) / f"{case}_{lib}.html"
                figures[lib] = _build(case, lib, out)
                pages[lib] = (out, figures[lib]["n"])
            times = _browser_times(pages, args.runs)
            print(f"\n== {case}: {figures['bkmap']['n']} communes ==")
            print(f"{'':10} {'generate s':>11} {'HTML MB':>9} {'browser s':>10} {'peak MB':>9}")
            for lib in ("explore", "bkmap"):
                f = figures[lib]
                f["browser_s"] = min(times[lib])
                runs = ", ".join(f"{t:.2f}" for t in times[lib])
                print(
                    f"{lib:10} {f['gen_s']:11.2f} {f['size'] / 1e6:9.2f} {f['browser_s']:10.2f} "
                    f"{f['peak_mb']:9.0f}   (browser runs: {runs}; load+join {f['load_s']:.2f} s)"
                )
            b, e = figures["bkmap"], figures["explore"]
            ratios = {
                "size": b["size"] / e["size"],
                "generation": b["gen_s"] / e["gen_s"],
                "browser": b["browser_s"] / e["browser_s"],
            }
            from bkmap.render.assets import leaflet_css, leaflet_js

            fixed = len(leaflet_js().encode()) + len(leaflet_css().encode())
            print(
                f"  without the Leaflet both pages inline ({fixed / 1e6:.2f} MB): "
                f"explore {(e['size'] - fixed) / 1e6:.2f} MB, bkmap {(b['size'] - fixed) / 1e6:.2f} MB, "
                f"ratio {(b['size'] - fixed) / (e['size'] - fixed):.3f}"
            )
            for name, ratio in ratios.items():
                verdict = "met" if ratio <= TARGETS[name] else "MISSED"
                print(f"  {name:10} ratio {ratio:5.3f} (target <= {TARGETS[name]}): {verdict}")
            print(f"  peak memory ratio {b['peak_mb'] / e['peak_mb']:.2f}")
            if not args.no_gaps:
                every, visible, grid = _gaps(case, pages["bkmap"][0])
                print(
                    f"  gaps introduced by display processing: {every} "
                    f"({visible} wider than the {grid:.1f} m coordinate grid)"
                )


if __name__ == "__main__":
    main()
