"""bkmap installs as users install it: a wheel in a clean virtual environment, used from any folder.

The wheel and the sdist are built from this tree; the wheel goes into a new
venv (no editable install, no access to the source tree), and every command
runs from a folder outside the repository, on the data the wheel carries.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("install")]

# What a build never reads: environments, caches, earlier builds.
_NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", "bkmap-*"
)


def _run(args: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, timeout=900, env=env, check=False
    )
    assert done.returncode == 0, f"{' '.join(args)}\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    # Built from a private copy of the tree: setuptools writes its egg-info, build/ and release
    # folders into the tree it builds, and a build in the working tree could meet another
    # (an editable install, a second worker) halfway. No --wheel/--sdist: build makes the
    # sdist, then the wheel from the unpacked sdist, so the wheel also proves the sdist rebuilds.
    tree = tmp_path_factory.mktemp("tree") / "bkmap"
    shutil.copytree(ROOT, tree, ignore=_NOT_SOURCE)
    _run([sys.executable, "-m", "build", "--outdir", str(out), str(tree)], cwd=tree)
    return out


@pytest.fixture(scope="module")
def installed(dist, tmp_path_factory) -> Path:
    """A clean venv with the wheel installed; returns its bin folder."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    wheel = next(dist.glob("bkmap-*.whl"))
    _run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheel)], cwd=env_dir)
    return bin_dir


def test_the_sdist_holds_what_rebuilds_and_tests_bkmap(dist) -> None:
    sdist = next(dist.glob("bkmap-*.tar.gz"))
    with tarfile.open(sdist) as tar:
        names = {Path(n).relative_to(Path(n).parts[0]).as_posix() for n in tar.getnames()}
    for needed in (
        "tests/conftest.py",
        "data/status_2019-08-12.csv",
        "boundaries/bac_kan_2019.gpkg",
        "LICENSE",
        "LICENSES.md",
        "data/LICENSE-GPL-3.0.txt",
        "notebooks/01_quickstart.ipynb",
    ):
        assert needed in names, needed


def test_the_wheel_carries_the_data_and_the_licences(dist) -> None:
    wheel = next(dist.glob("bkmap-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "bkmap/_data/status_2019-08-12.csv" in names
    assert "bkmap/_boundaries/bac_kan_2019.gpkg" in names
    assert "bkmap/_boundaries/attribution.csv" in names  # every map credits its boundaries
    assert "bkmap/_data/district_figures.csv" in names
    assert "bkmap/_data/criterion8_evidence_addendum_2018-2023.csv" in names
    assert "bkmap/_data/examples/illustrative_stations.geojson" in names
    assert "bkmap/_data/encodings/tcvn3.tsv" in names
    assert "bkmap/render/static/leaflet.js" in names
    assert any(n.endswith("licenses/LICENSE") for n in names)
    assert any(n.endswith("licenses/data/LICENSE-GPL-3.0.txt") for n in names)


def test_every_command_works_from_a_folder_outside_the_repo(installed, tmp_path) -> None:
    work = tmp_path / "elsewhere"
    work.mkdir()
    bkmap = str(installed / "bkmap")
    python = str(installed / "python")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    examples = _run(
        [python, "-c", "from bkmap import datasets; print(datasets.examples_folder())"],
        cwd=work,
        env=env,
    ).strip()
    assert str(ROOT) not in examples  # the wheel's own copy, not the source tree

    out = _run([bkmap, "map", "--out", "map.html"], cwd=work, env=env)
    assert "122 communes: 8 met, 1 conflicting" in out
    assert "Hồ sơ nêu tên 8 trong 64 xã" in out
    assert "bkmap-data" in (work / "map.html").read_text(encoding="utf-8")
    _run([bkmap, "report", "--out", "report.html", "--excel", "report.xlsx"], cwd=work, env=env)
    assert (work / "report.xlsx").stat().st_size > 0
    out = _run(
        [bkmap, "gaps", "--out", "gaps", "--stations", f"{examples}/illustrative_stations.geojson"],
        cwd=work,
        env=env,
    )
    assert (work / "gaps" / "gaps.csv").exists()
    # The default policy plans nothing on the shipped data (no commune is known to need a
    # station): "need" exercises the solver.
    out = _run(
        [bkmap, "plan", "--budget", "5 tỷ", "--unknown", "need", "--out", "plan"], cwd=work, env=env
    )
    assert (work / "plan" / "plan.csv").read_text(encoding="utf-8-sig").count("\n") >= 2
    _run([bkmap, "print", "--out", "map.png", "--dpi", "60"], cwd=work, env=env)
    assert (work / "map.png").read_bytes()[:4] == b"\x89PNG"
    _run([bkmap, "template", "--out", "bang.csv"], cwd=work, env=env)
    out = _run([bkmap, "units", "--on", "2025-07-01"], cwd=work, env=env)
    assert "37 units in force on 2025-07-01" in out
    out = _run([bkmap, "check", "bang.csv"], cwd=work, env=env)
    assert "bang.csv" in out
    out = _run([bkmap, "compare", "--out", "compare.html"], cwd=work, env=env)
    assert "2018-07-31 -> 2019-08-12" in out
    assert not list(ROOT.glob("map.html"))  # nothing was written into the source tree
