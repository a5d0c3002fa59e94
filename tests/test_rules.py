"""Each rule of the domain has one definition, and every output follows it.

Each test here fails if a rule's one definition changes without its users, or
if a module grows a private copy of it: the programme rule, the overall result,
code normalisation, the district counts, the gap score, the CRS policy and the
vector reader.
"""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import bkmap.model.criteria
from bkmap.analysis.gaps import GAP_WEIGHTS, find_gaps
from bkmap.analysis.summary import district_counts
from bkmap.io.points import PointLayers, read_points
from bkmap.io.status import load_status, read_status
from bkmap.join import join_status
from bkmap.model.criteria import INDICATORS, OVERALL, overall
from bkmap.model.units import normalise_codes
from bkmap.pipeline import assess
from bkmap.planning import model as planning
from bkmap.render.report import district_summary

PACKAGE = Path(__file__).resolve().parents[1] / "bkmap"
URBAN = {"01834", "01837", "01840", "01843", "01846", "02047"}  # four phường, a thị trấn ...


def test_every_consumer_follows_the_one_programme_rule(monkeypatch) -> None:
    """Widen the rule in its one definition: the join, the report, planning and the gaps follow."""
    before = assess()
    phuong = before.joined.loc[before.joined["unit_type"].eq("Phường"), "code"]
    assert len(phuong) == 6
    monkeypatch.setattr(bkmap.model.criteria, "PROGRAMME_TYPES", ("Xã", "Phường"))
    table = load_status()
    after = assess(status=table[~table["code"].isin(phuong)])
    joined = after.joined.set_index("code")
    # the join: phường are now in the programme, so without a row they are unknown
    assert joined.loc[phuong, OVERALL].eq("unknown").all()
    # the report's district summary
    assert district_summary(after.joined).iloc[-1]["programme"] == 116
    # planning
    cands = planning.candidates(after.joined)
    assert cands.set_index("code").loc[phuong, "state"].ne("not_applicable").all()
    # the gap analysis
    gaps = find_gaps(after)
    assert set(phuong) <= set(gaps.gaps["code"])


def test_the_overall_result_is_derived_everywhere_by_one_rule() -> None:
    a = assess()
    assert a.joined[OVERALL].tolist() == overall(a.joined).tolist()
    carried = assess(on="2025-07-01").joined
    assert carried[OVERALL].tolist() == overall(carried).tolist()
    status = load_status()
    assert status[OVERALL].tolist() == overall(status).tolist()


def test_codes_are_normalised_alike_by_every_reader(tmp_path, joined_2019) -> None:
    forms = ["1870", "1870.0", " 01870 ", "01870"]
    assert normalise_codes(pd.Series(forms)).tolist() == ["01870"] * 4
    # a status table
    table = tmp_path / "t.csv"
    rows = "\n".join(f"{c},,,Đạt,Đạt,Chưa đạt,Đạt" for c in ["1870", "1852.0"])
    table.write_text("Mã xã,Tên xã,Huyện,8.1,8.2,8.3,8.4\n" + rows + "\n", encoding="utf-8")
    assert read_status(table)["code"].tolist() == ["01870", "01852"]
    # a point layer's commune codes
    centre = joined_2019.set_index("code").loc["01870"].geometry.representative_point()
    points = tmp_path / "p.csv"
    points.write_text(f"lon,lat,ma_xa\n{centre.x},{centre.y},1870.0\n", encoding="utf-8")
    assert read_points(points, kind="postal")["commune_code"].tolist() == ["01870"]
    # a costs file
    costs = tmp_path / "c.csv"
    costs.write_text("code,cost_vnd\n1870,100\n", encoding="utf-8")
    assert planning.read_costs(costs, codes=joined_2019["code"]).index.tolist() == ["01870"]


def test_every_district_table_counts_alike(assessment_2019) -> None:
    counts = district_counts(assessment_2019.joined)
    report = district_summary(assessment_2019.joined).set_index("district").drop(index="")
    gaps = find_gaps(assessment_2019).districts
    gaps = gaps[gaps["row_type"].eq("district")].set_index("district")
    plan = planning.plan_communes(assessment_2019, stations=1).districts.set_index("district")
    plan = plan.drop(index="Total")
    for district, row in counts.iterrows():
        assert report.at[district, "c8_met"] == row["c8_met"]
        assert gaps.at[district, "c8_met"] == row["c8_met"]
        assert plan.at[district, "c8_met_before"] == row["c8_met"]
        assert gaps.at[district, "n_xa"] == plan.at[district, "xa"] == row["programme"]
        assert gaps.at[district, "c8_unknown"] == plan.at[district, "c8_unknown_before"]


def test_the_gap_score_is_its_documented_sum(assessment_2019) -> None:
    """Each weight counts: dropping one from the score (issue 11) fails here."""
    from bkmap import datasets

    layers = PointLayers(
        stations=read_points(datasets.example("illustrative_stations.geojson"), kind="stations"),
        cells=read_points(datasets.example("illustrative_cells_opencellid.csv"), kind="cells"),
        villages=read_points(datasets.example("illustrative_villages.geojson"), kind="villages"),
        postal=read_points(datasets.example("illustrative_postal.geojson"), kind="postal"),
    )
    result = find_gaps(assessment_2019, layers, threshold=0.8)
    gaps = result.gaps.set_index("code")
    expected = pd.Series(0.0, index=gaps.index)
    for ind in INDICATORS:
        expected += GAP_WEIGHTS["not_met"] * gaps[ind.column].eq("not_met")
        expected += GAP_WEIGHTS["conflicting"] * gaps[ind.column].eq("conflicting")
        expected += GAP_WEIGHTS["unknown"] * gaps[ind.column].eq("unknown")
    # "no station" only where 8.3 is not met: a met 8.3 means a station stands (issue 13)
    expected += GAP_WEIGHTS["no_station"] * (gaps["n_stations"].eq(0) & gaps["c8_3"].ne("met"))
    share = gaps["covered_population_share"].astype(float)
    low = share.lt(0.8)
    expected += low * GAP_WEIGHTS["low_coverage"] * (1 + (0.8 - share) / 0.8)
    uncovered = 1 - gaps["n_villages_covered"] / gaps["n_villages"]
    expected += GAP_WEIGHTS["villages_uncovered"] * uncovered.fillna(0.0)
    expected += GAP_WEIGHTS["no_postal_point"] * gaps["n_postal"].eq(0)
    assert np.allclose(gaps["gap_score"], expected.round(2), atol=0.011)
    # and the villages' and the conflict's weights matter on this data
    assert (uncovered > 0).any()
    assert gaps["c8_3"].eq("conflicting").any()


def _calls(names: set[str]) -> list[str]:
    found = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = ast.unparse(node.func)
                if func in names:
                    found.append(f"{path.relative_to(PACKAGE)}: {func}")
    return found


def test_one_vector_reader() -> None:
    """Only bkmap.io.vector reads users' vector files; bkmap.datasets reads the shipped ones."""
    calls = _calls({"gpd.read_file", "geopandas.read_file", "pyogrio.read_dataframe", "fiona.open"})
    # io.vector reads features (read_vector) and, before a filtered read, attributes alone.
    assert sorted(calls) == [
        "datasets.py: gpd.read_file",
        "io/vector.py: gpd.read_file",
        "io/vector.py: pyogrio.read_dataframe",
    ]


def test_one_crs_policy() -> None:
    """Only bkmap.io.crs decides a coordinate system: no reader sets one on its own."""
    calls = _calls({"resolve_crs"})
    where = {c.split(":")[0] for c in calls}
    assert where == {"io/vector.py", "io/points.py"}  # polygons and point tables: the same function
    setters = [
        c for c in _calls({"frame.set_crs", "out.set_crs", "points.set_crs"}) if "crs.py" not in c
    ]
    assert setters == []


@pytest.mark.parametrize("code", sorted(URBAN & {"01834", "01837"}))
def test_urban_units_are_not_applicable_whatever_a_table_says(code, tmp_path) -> None:
    """Issue 13: a table's values for a phường are overridden, and a warning names the row."""
    status = load_status()
    status.loc[status["code"].eq(code), [i.column for i in INDICATORS]] = "met"
    path = tmp_path / "t.csv"
    status.drop(columns=[OVERALL]).to_csv(path, index=False)
    a = assess(status=str(path))
    assert a.joined.set_index("code").at[code, OVERALL] == "not_applicable"
    notes = [n.line() for n in a.all_notes()]
    assert any("phường/thị trấn have indicator values" in n and code in n for n in notes), notes
    _, _, join_notes = join_status(a.joined.drop(columns=[OVERALL]), status)
    assert any("shown as not applicable" in n.problem for n in join_notes)
