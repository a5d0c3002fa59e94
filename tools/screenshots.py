"""Take the screenshots of docs/screenshots/ (issue 15): every page bkmap writes, and the print.

Run from the project root, in the development environment (``pip install -e '.[test]'``:
it needs Playwright and colorspacious)::

    .venv/bin/python tools/screenshots.py

It builds, in a temporary folder, with the shipped data (the gaps and plan maps
also with the illustrative layers of ``data/examples/``, which those pages say
are made up):

- the criterion-8 map (``bkmap map``), the report (``bkmap report``), the gaps map
  (``bkmap gaps`` with illustrative stations, villages and coverage) and the plan
  map (``bkmap plan --stations 20`` with illustrative villages); each is shot in
  Debian's Chromium (``/usr/bin/chromium``) with every http(s) request blocked, at
  1400 x 900 (desktop) and 390 x 844 (phone);
- the A4 print (``bkmap print``) in colour, in greyscale (CIE L*, what a photocopy
  keeps) and as seen with deuteranopia (simulated with colorspacious, severity 100).

Images go to ``docs/screenshots/`` as PNG, reduced to 256 colours when that keeps a
file under 400 KB. The script stops with a message if a command fails or a page
makes a request or logs an error.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from io import BytesIO
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
EXAMPLES = ROOT / "data" / "examples"
CHROMIUM = "/usr/bin/chromium"
VIEWPORTS = {"desktop": (1400, 900), "phone": (390, 844)}
MAX_BYTES = 400_000


def bkmap(*args: str) -> None:
    """Run one bkmap command; stop with its output if it fails."""
    run = subprocess.run(
        [sys.executable, "-m", "bkmap", *args], capture_output=True, text=True, check=False
    )
    if run.returncode != 0:
        sys.exit(f"bkmap {' '.join(args)} failed:\n{run.stdout}\n{run.stderr}")


def build(folder: Path) -> dict[str, Path]:
    """Write the four pages and the A4 print into ``folder``; return the pages by name."""
    illustrative = {
        "stations": str(EXAMPLES / "illustrative_stations.geojson"),
        "villages": str(EXAMPLES / "illustrative_villages.geojson"),
        "coverage": str(EXAMPLES / "illustrative_coverage_operator.geojson"),
    }
    bkmap("map", "--out", str(folder / "map.html"))
    bkmap("report", "--out", str(folder / "report.html"))
    bkmap(
        "gaps",
        "--stations",
        illustrative["stations"],
        "--villages",
        illustrative["villages"],
        "--coverage",
        illustrative["coverage"],
        "--out",
        str(folder / "gaps"),
    )
    bkmap(
        "plan",
        "--stations",
        "20",
        "--unknown",
        "probability",
        "--probability",
        "0.451",
        "--villages",
        illustrative["villages"],
        "--out",
        str(folder / "plan"),
    )
    bkmap("print", "--out", str(folder / "print_a4.png"), "--paper", "A4", "--dpi", "120")
    return {
        "map": folder / "map.html",
        "report": folder / "report.html",
        "gaps": folder / "gaps" / "gaps_map.html",
        "plan": folder / "plan" / "plan_map.html",
    }


def save(image: Image.Image, name: str) -> Path:
    """Save ``image`` as PNG under docs/screenshots, with 256 colours if it is too big."""
    target = OUT / f"{name}.png"
    image.save(target, optimize=True)
    if target.stat().st_size > MAX_BYTES:
        image.convert("RGB").quantize(256, dither=Image.Dither.NONE).save(target, optimize=True)
    print(
        f"{target.relative_to(ROOT)}: {image.width} x {image.height}, {target.stat().st_size // 1000} KB"
    )
    return target


def shoot(pages: dict[str, Path]) -> None:
    """Screenshot each page at each viewport, offline; stop on a request or a console error."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True)
        for viewport, (width, height) in VIEWPORTS.items():
            context = browser.new_context(viewport={"width": width, "height": height})
            blocked: list[str] = []

            def block(route, blocked=blocked) -> None:
                blocked.append(route.request.url)
                route.abort()

            context.route("http://*/**", block)
            context.route("https://*/**", block)
            for name, path in pages.items():
                page = context.new_page()
                errors: list[str] = []
                page.on(
                    "console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None
                )
                page.on("pageerror", lambda exc, e=errors: e.append(str(exc)))
                page.goto(path.resolve().as_uri())
                page.wait_for_function("typeof L !== 'undefined'")
                page.wait_for_timeout(800)  # let Leaflet finish drawing
                shot = page.screenshot()
                save(Image.open(BytesIO(shot)), f"{name}_{viewport}")
                if errors:
                    print(f"warning: {name} at {viewport}: console errors: {errors}")
                page.close()
            if blocked:
                print(f"warning: {len(blocked)} blocked request(s) at {viewport}: {blocked[:3]}")
            context.close()
        browser.close()


def prints(colour: Path) -> None:
    """The A4 print in colour, greyscale (CIE L*) and as seen with deuteranopia."""
    from colorspacious import cspace_convert

    image = Image.open(colour).convert("RGB")
    save(image, "print_a4_colour")
    rgb = np.asarray(image, dtype=float) / 255
    lightness = cspace_convert(rgb, "sRGB1", "CIELab")[..., 0]
    grey = np.clip(lightness / 100 * 255, 0, 255).astype(np.uint8)
    save(Image.fromarray(grey, mode="L"), "print_a4_greyscale")
    cvd = {"name": "sRGB1+CVD", "cvd_type": "deuteranomaly", "severity": 100}
    seen = np.clip(cspace_convert(rgb, cvd, "sRGB1"), 0, 1)
    save(Image.fromarray((seen * 255).round().astype(np.uint8)), "print_a4_deuteranopia")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bkmap-shots-") as tmp:
        folder = Path(tmp)
        pages = build(folder)
        shoot(pages)
        prints(folder / "print_a4.png")


if __name__ == "__main__":
    main()
