"""`--dask` reads a cell CSV partitioned on the cluster, with the single-machine results.

A generated OpenCelliD file of 50,000 rows, most of them far from Bắc Kạn and some
broken on purpose, is read by :func:`bkmap.io.points.read_points` on one machine and
by :func:`bkmap.io.points.read_cells_partitioned` in blocks: the same cells are kept,
and every row left out is reported with the same row number and reason.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import dask_geopandas  # noqa: F401 - the test extra installs it; a missing one must fail
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from bkmap import analysis, datasets
from bkmap._errors import InputError
from bkmap.analysis import distributed
from bkmap.cli.main import cli
from bkmap.io import points
from bkmap.io.boundaries import read_communes
from bkmap.io.record import record_of
from bkmap.render.gaps import WORKBOOK_DROPPED_ROWS

N_ROWS = 50_000


def _cell_file(
    path: Path, n: int, *, seed: int = 14, header: bool = False, near: float = 0.3
) -> Path:
    """An OpenCelliD-like file: a share ``near`` of the cells around Bắc Kạn, the rest all over."""
    rng = np.random.default_rng(seed)
    close = rng.random(n) < near
    lon = np.where(close, rng.uniform(105.2, 106.4, n), rng.uniform(102.5, 109.0, n))
    lat = np.where(close, rng.uniform(21.7, 22.8, n), rng.uniform(8.5, 23.0, n))
    frame = pd.DataFrame(
        {
            "radio": rng.choice(
                ["GSM", "UMTS", "LTE", "NR", "NBIOT"], n, p=[0.3, 0.25, 0.35, 0.05, 0.05]
            ),
            "mcc": np.where(rng.random(n) < 0.03, "404", "452"),
            "net": "4",
            "area": (np.arange(n) % 999).astype(str),
            "cell": np.arange(n).astype(str),
            "unit": "",
            "lon": np.char.mod("%.6f", lon),
            "lat": np.char.mod("%.6f", lat),
            "range": np.where(rng.random(n) < 0.5, 0, rng.integers(200, 9000, n)).astype(str),
            "samples": "3",
            "changeable": "1",
            "created": "1459692143",
            "updated": "1459692143",
            "averageSignal": "0",
        }
    )
    broken = rng.random(n)
    frame.loc[broken < 0.005, "lat"] = ""  # missing coordinate
    frame.loc[(broken >= 0.005) & (broken < 0.01), "lon"] = "abc"  # unreadable
    comma = (broken >= 0.01) & (broken < 0.012)  # a decimal comma: read, as on one machine
    frame.loc[comma, "lon"] = frame.loc[comma, "lon"].str.replace(".", ",", regex=False)
    frame.loc[(broken >= 0.012) & (broken < 0.013), "mcc"] = "x"
    # One cell far south with a 150 km range: it sets how far every row must be looked at
    # (the reach of the whole file, in every partition).
    frame.loc[0, ["radio", "mcc", "lon", "lat", "range"]] = ["LTE", "452", "108.9", "9.1", "150000"]
    frame.to_csv(path, index=False, header=header)
    # A blank line and a formula guard mid-file: row numbers must still match.
    text = path.read_text().splitlines(keepends=True)
    text.insert(len(text) // 2, "\n")
    text[len(text) // 3] = "'" + text[len(text) // 3]
    path.write_text("".join(text))
    return path


@pytest.fixture(scope="module")
def cluster():
    # Threads, not processes, and a small memory limit: light enough for CI.
    with distributed.client("local", n_workers=2, processes=False, memory_limit="1GiB") as c:
        yield c


@pytest.fixture(scope="module")
def cell_file(tmp_path_factory) -> Path:
    # Few cells near the province, so that some communes are only partly covered.
    return _cell_file(tmp_path_factory.mktemp("cells") / "cells.csv", N_ROWS, near=0.01)


def _reasons(dropped) -> Counter:
    return Counter(reason for _, reason in dropped)


@pytest.mark.parametrize("header", [False, True])
def test_partitioned_read_keeps_and_drops_what_one_machine_does(cluster, tmp_path, header):
    path = _cell_file(tmp_path / "cells.csv", 12_000, seed=3, header=header)
    radii = {"NBIOT": 1500}
    single = points.read_points(path, kind="cells", radii=radii)
    layer = points.read_cells_partitioned(path, radii=radii, blocksize=100_000)
    assert layer.frame.npartitions >= 4
    kept = layer.frame.compute()
    record = record_of(single)
    assert record is not None
    assert layer.record.dropped == record.dropped  # same rows, same reasons, same order
    assert list(kept.index) == list(single.index)
    pd.testing.assert_frame_equal(
        pd.DataFrame(kept.drop(columns="geometry")),
        pd.DataFrame(single.drop(columns="geometry")),
    )
    assert kept.geometry.geom_equals_exact(single.geometry, tolerance=0).all()
    assert layer.record.crs == record.crs
    assert layer.record.notes() == record.notes()


def test_every_kind_of_bad_row_is_reported_by_row_and_reason(cluster, cell_file):
    layer = points.read_cells_partitioned(cell_file, blocksize=400_000)
    single = record_of(points.read_points(cell_file, kind="cells"))
    assert single is not None
    assert layer.record.dropped == single.dropped
    reasons = _reasons(layer.record.dropped)
    words = " ".join(reasons)
    for part in ("lon", "452", "NBIOT", "--radius"):
        assert part in words
    assert len(reasons) >= 5
    # Nothing lost: every data row is kept or listed.
    data_rows = sum(1 for line in cell_file.read_text().splitlines() if line.strip())
    assert len(layer.frame) + len(layer.record.dropped) == data_rows


def test_gaps_with_dask_reads_the_csv_in_partitions_with_the_same_results(
    cluster, cell_file, tmp_path, monkeypatch
):
    """`bkmap gaps --cells BIG.csv --dask`: same shares and dropped rows, file never read whole."""
    villages = str(datasets.example("illustrative_villages.geojson"))
    runner = CliRunner()
    args = ["gaps", "--cells", str(cell_file), "--villages", villages]
    for radius in ("GSM=3000", "UMTS=1000", "LTE=1000", "NR=500", "NBIOT=800"):
        args += ["--radius", radius]
    plain = runner.invoke(cli, [*args, "--out", str(tmp_path / "plain")])
    assert plain.exit_code == 0, plain.output

    def whole(*_a, **_k):
        raise AssertionError("the dask path read the cell file on one machine")

    monkeypatch.setattr(points, "read_table", whole)
    spread = runner.invoke(
        cli, [*args, "--dask", cluster.scheduler.address, "--out", str(tmp_path / "dask")]
    )
    assert spread.exit_code == 0, spread.output
    a = gpd.read_file(tmp_path / "plain" / "gaps.geojson").set_index("code").sort_index()
    b = gpd.read_file(tmp_path / "dask" / "gaps.geojson").set_index("code").sort_index()
    assert a.index.equals(b.index)
    for column in ("covered_area_share", "covered_population_share"):
        if column in a.columns:
            pd.testing.assert_series_equal(a[column], b[column], check_exact=False, atol=1e-9)
    assert 0 < a["covered_area_share"].mean() < 1
    pd.testing.assert_series_equal(a["gap"], b["gap"])
    dropped_a = pd.read_csv(tmp_path / "plain" / "dropped_rows.csv", dtype=str)
    dropped_b = pd.read_csv(tmp_path / "dask" / "dropped_rows.csv", dtype=str)
    pd.testing.assert_frame_equal(dropped_a, dropped_b)
    assert len(dropped_a) > WORKBOOK_DROPPED_ROWS  # the workbook counts them by reason
    sheet = "dong_bi_loai"
    counts_a = pd.read_excel(tmp_path / "plain" / "gaps.xlsx", sheet_name=sheet)
    counts_b = pd.read_excel(tmp_path / "dask" / "gaps.xlsx", sheet_name=sheet)
    pd.testing.assert_frame_equal(counts_a, counts_b)
    # The summary and its warnings are worded the same (the paths of --out aside).
    lines_a = [ln for ln in plain.output.splitlines() if str(tmp_path) not in ln]
    lines_b = [ln for ln in spread.output.splitlines() if str(tmp_path) not in ln]
    assert lines_a == lines_b


def test_counts_on_the_kept_cells_match(cluster, cell_file):
    communes = read_communes()
    layer = points.read_cells_partitioned(cell_file, blocksize=400_000)
    single = points.read_points(cell_file, kind="cells")
    on_cluster = distributed.count_points_in_polygons(layer.frame, communes)
    pd.testing.assert_series_equal(on_cluster, analysis.count_points_in_polygons(single, communes))
    assert on_cluster.sum() > 100


def test_a_file_the_dask_path_cannot_read_is_refused_clearly(cluster, tmp_path):
    odd = tmp_path / "cells.csv"
    odd.write_text("a,b,c\n1,2,3\n")
    with pytest.raises(InputError, match=r"cells\.csv.*OpenCelliD"):
        points.read_cells_partitioned(odd)
    sheet = tmp_path / "cells.xlsx"
    sheet.write_bytes(b"PK")
    with pytest.raises(InputError, match="without --dask"):
        points.read_cells_partitioned(sheet)
