"""Benchmark of issue 14: a detailed national layer, against the plain geopandas routes.

Builds the heavy layer of ``bench/heavy_layer.py`` (the shipped 2009 layer
densified to 5 M vertices, 100 communes broken, some gaps and overlaps), then
prints each figure of the issue's target table beside its target, from one run:

1. first map, ``bkmap map --province all --national FILE`` (empty cache) against
   ``gpd.read_file(FILE).explore(...).save(...)``: whole process time, peak RSS,
   HTML size, and the time Chromium takes to draw every polygon;
2. the same map again (display shapes from the cache);
3. ``--province "Thái Nguyên"`` (read through an attribute filter) against
   reading the whole layer: time and peak RSS;
4. gaps and overlaps the map introduced wider than its coordinate grid, counted
   on the shapes decoded from the page, against the repaired source;
5. 1 M points in the 11,163 communes: ``count_points_in_polygons`` against
   ``gpd.sjoin(predicate="within")`` + groupby;
6. ``bkmap --help`` against ``python -c "import geopandas"`` (median of 5).

Every process is fresh (as a user runs it); the cache lives in a temporary
folder. Usage::

    python bench/bench_national_heavy.py [--vertices 5000000] [--runs 1]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
COLUMNS = "code=commune_id,name=commune_vn,district=district_vn,province=province_vn"
TOOLTIP = ["commune_vn", "commune_id", "district_vn", "province_vn"]


def _timed(argv: list[str], env: dict[str, str] | None = None) -> dict[str, float]:
    """Run a process to its end; its wall time and peak RSS (MB), via a measuring parent."""
    probe = (
        "import json, resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "wall = time.perf_counter() - t\n"
        "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "sys.stderr.write(done.stderr[-3000:])\n"
        "print(json.dumps({'s': wall, 'mb': rss, 'rc': done.returncode, "
        "'out': done.stdout[-2000:]}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *argv],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if result["rc"] != 0:
        msg = f"{argv[:3]} failed: {done.stderr[-2000:]}"
        raise RuntimeError(msg)
    result["err"] = done.stderr
    return result


def _child(task: str, path: str, out: str) -> None:
    """Work run in a fresh process by :func:`_timed`."""
    import geopandas as gpd

    from bkmap.io.national import read_area, read_national

    start = time.perf_counter()
    if task == "explore":
        frame = gpd.read_file(path, engine="pyogrio")
        fmap = frame[[*TOOLTIP, "geometry"]].explore(
            column="province_vn", categorical=True, tooltip=TOOLTIP, legend=False
        )
        from bkmap.render.assets import inline_assets

        # Leaflet inline, as in bkmap's page: both open with no network (the browser
        # run blocks every http(s) request).
        inline_assets(fmap)
        Path(out).write_text(fmap.get_root().render(), encoding="utf-8")
    elif task == "read_all":
        read_national(path, columns=COLUMNS)
    elif task == "read_province":
        read_area("Thái Nguyên", national=path, columns=COLUMNS)
    # The work alone, after the imports both processes pay alike.
    print(json.dumps({"work_s": time.perf_counter() - start}))


def _child_argv(task: str, path: Path, out: Path) -> list[str]:
    return [sys.executable, __file__, "--child", task, str(path), str(out)]


def _map_argv(path: Path, out: Path, province: str = "all") -> list[str]:
    return [
        str(BIN / "bkmap"),
        "map",
        "--province",
        province,
        "--national",
        str(path),
        "--columns",
        COLUMNS,
        "--out",
        str(out),
    ]


def _topology(layer_path: Path, page: Path) -> tuple[int, int, float, int]:
    """(gaps, overlaps) introduced wider than the grid, the grid in metres, collapsed rings."""
    import geopandas as gpd
    import numpy as np
    import shapely

    from bkmap.geo.simplify import coverage_defects, introduced_gaps, introduced_overlaps
    from bkmap.render.maps import decode_shapes, page_blocks

    blocks = page_blocks(page.read_text(encoding="utf-8"))
    data = blocks[0]
    drawn = gpd.GeoSeries(decode_shapes(data), crs="EPSG:4326")
    for block in blocks[1:]:
        decode_shapes(block)  # every block of the page decodes
    source = gpd.read_file(layer_path, engine="pyogrio").geometry
    source = gpd.GeoSeries(
        shapely.make_valid(source.to_numpy(), method="structure"), crs=source.crs
    )
    grid_m = 111_320 / float(data["s"])
    before, after = coverage_defects(source), coverage_defects(drawn)
    rings = shapely.get_rings(shapely.get_parts(drawn.to_numpy()))
    collapsed = sum(len(np.unique(np.asarray(r.coords), axis=0)) < 3 for r in rings)
    return (
        introduced_gaps(before, after, min_width_m=grid_m),
        introduced_overlaps(before, after, min_width_m=grid_m),
        grid_m,
        collapsed,
    )


def _points(n: int) -> tuple[float, float, bool]:
    """(bkmap seconds, sjoin + groupby seconds, counts equal on non-overlapping communes)."""
    sys.path.insert(0, str(HERE))
    import geopandas as gpd
    from bench_gaps import generate_sites

    from bkmap import datasets
    from bkmap.analysis import count_points_in_polygons

    communes = gpd.read_file(datasets.path("national_2009"), engine="pyogrio").to_crs(3405)
    communes["code"] = communes["commune_id"].astype(str)
    sites = generate_sites(communes, n, 8)
    t = time.perf_counter()
    joined = gpd.sjoin(sites[["geometry"]], communes[["code", "geometry"]], predicate="within")
    plain = joined.groupby("code").size().reindex(communes["code"], fill_value=0)
    plain_s = time.perf_counter() - t
    t = time.perf_counter()
    counts = count_points_in_polygons(sites, communes)
    ours_s = time.perf_counter() - t
    overlapped = communes["code"].isin(joined.loc[joined.index.duplicated(keep=False), "code"])
    alone = ~overlapped.to_numpy()
    return ours_s, plain_s, bool((counts.to_numpy()[alone] == plain.to_numpy()[alone]).all())


def _startup(runs: int) -> tuple[float, float]:
    def once(argv: list[str]) -> float:
        t = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        return time.perf_counter() - t

    helps, imports = [], []
    for _ in range(runs):
        helps.append(once([str(BIN / "bkmap"), "--help"]))
        imports.append(once([sys.executable, "-c", "import geopandas"]))
    return statistics.median(helps), statistics.median(imports)


def _row(figure: str, ours: float, theirs: float, target: float, unit: str = "s") -> str:
    ratio = ours / theirs if theirs else float("inf")
    verdict = "met" if ratio <= target else "MISSED"
    return (
        f"{figure:<44} {ours:9.2f} {unit:<3} vs {theirs:9.2f} {unit:<3} "
        f"ratio {ratio:6.3f}  target <= {target:<5} {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vertices", type=int, default=5_000_000)
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=1, help="browser loads per page (min kept)")
    parser.add_argument(
        "--only",
        choices=["all", "province", "topology"],
        default="all",
        help="province: only the one-province read; topology: only the first map's topology",
    )
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    sys.path.insert(0, str(HERE))
    from heavy_layer import build_heavy_layer

    print(f"bench_national_heavy: {os.cpu_count()} cores, load {os.getloadavg()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench_heavy_") as tmp:
        folder = Path(tmp)
        layer_path = folder / "heavy.gpkg"
        t = time.perf_counter()
        layer = build_heavy_layer(target_vertices=args.vertices)
        import shapely

        vertices = int(shapely.get_num_coordinates(layer.geometry.to_numpy()).sum())
        invalid = int((~layer.is_valid).sum())
        layer.drop(columns=["province", "district", "commune"]).to_file(
            layer_path, engine="pyogrio"
        )
        n = len(layer)
        del layer
        print(
            f"heavy layer: {n} communes, {vertices:,} vertices, {invalid} invalid, "
            f"{layer_path.stat().st_size / 1e6:.0f} MB, built in {time.perf_counter() - t:.0f} s",
            flush=True,
        )
        env = {"BKMAP_CACHE_DIR": str(folder / "cache")}
        first_page = folder / "first.html"
        if args.only in ("all", "province"):
            read_all = _timed(_child_argv("read_all", layer_path, folder / "x"))
            province = _timed(_child_argv("read_province", layer_path, folder / "x"))
            province_map = _timed(
                _map_argv(layer_path, folder / "tn.html", province="Thái Nguyên"), env
            )
            all_s = json.loads(read_all["out"].strip().splitlines()[-1])["work_s"]
            one_s = json.loads(province["out"].strip().splitlines()[-1])["work_s"]
            print(_row("one province (Thái Nguyên) vs whole read", one_s, all_s, 0.25))
            print(
                f"{'  same, whole processes (imports included)':<44} {province['s']:9.2f} s   vs "
                f"{read_all['s']:9.2f} s"
            )
            verdict = "met" if province["mb"] <= 400 else "MISSED"
            print(
                f"{'one province: peak RSS':<44} {province['mb']:9.0f} MB  (whole read "
                f"{read_all['mb']:.0f} MB)  target <= 400 MB {verdict}"
            )
            print(
                f"{'one province: whole map command':<44} {province_map['s']:9.2f} s   "
                f"{province_map['mb']:9.0f} MB",
                flush=True,
            )
        if args.only == "topology":
            first = _timed(_map_argv(layer_path, first_page), env)
            print(f"bkmap first map: {first['s']:.1f} s, {first['mb']:.0f} MB", flush=True)
        if args.only in ("all", "topology"):
            if args.only == "all":
                _main_maps(args, folder, layer_path, first_page, env, n)
            gaps, overlaps, grid_m, collapsed = _topology(layer_path, first_page)
            print(
                f"{'gaps / overlaps introduced > grid':<44} {gaps} / {overlaps} "
                f"(grid {grid_m:.1f} m; collapsed rings {collapsed})  target 0 / 0 "
                f"{'met' if gaps == overlaps == collapsed == 0 else 'MISSED'}"
            )
        if args.only == "all":
            ours_s, sjoin_s, same = _points(args.points)
            print(_row(f"points: {args.points:,} x 11,163 communes", ours_s, sjoin_s, 0.8))
            print(f"{'points: counts equal to sjoin (no overlap)':<44} {same}")
            help_s, import_s = _startup(5)
            print(_row("bkmap --help vs import geopandas", help_s, import_s, 0.5))
    print(
        f"peak RSS of this script: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


def _main_maps(
    args: argparse.Namespace,
    folder: Path,
    layer_path: Path,
    first_page: Path,
    env: dict[str, str],
    n: int,
) -> None:
    """First map against explore(), then the second map from the cache; prints their rows."""
    from bench_national_map import _browser_times

    explore_page, second_page = folder / "explore.html", folder / "second.html"
    explore = _timed(_child_argv("explore", layer_path, explore_page))
    print(f"explore(): {explore['s']:.1f} s, {explore['mb']:.0f} MB", flush=True)
    first = _timed(_map_argv(layer_path, first_page), env)
    print(f"bkmap first map: {first['s']:.1f} s, {first['mb']:.0f} MB", flush=True)
    second = _timed(_map_argv(layer_path, second_page), env)
    print(f"bkmap second map: {second['s']:.1f} s, {second['mb']:.0f} MB", flush=True)
    cache_used = "reused from the cache" in second["err"]
    browser = _browser_times({"bkmap": (first_page, n), "explore": (explore_page, n)}, args.runs)
    sizes = {"bkmap": first_page.stat().st_size, "explore": explore_page.stat().st_size}
    print(f"== issue 14 targets ({os.cpu_count()} cores; one run) ==")
    print(_row("first map: build, whole process", first["s"], explore["s"], 0.5))
    print(
        _row(
            "first map: browser, all polygons drawn",
            min(browser["bkmap"]),
            min(browser["explore"]),
            0.25,
        )
    )
    print(_row("first map: HTML", sizes["bkmap"] / 1e6, sizes["explore"] / 1e6, 0.02, "MB"))
    print(
        f"{'first map: peak RSS':<44} {first['mb']:9.0f} MB  vs {explore['mb']:9.0f} MB  (no target)"
    )
    print(_row("second map (cache): build", second["s"], explore["s"], 0.1))
    print(f"{'second map: cache note printed':<44} {cache_used}", flush=True)


if __name__ == "__main__":
    main()
