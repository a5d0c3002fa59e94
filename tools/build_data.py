"""Rebuild ``boundaries/`` and ``data/`` from ``../shared/data-candidates``.

This is a maintainer's tool, not part of the package: the files it writes are
committed, so a fresh clone works without ``../shared``. Run it from the
project root::

    .venv/bin/python tools/build_data.py

It only reshapes the candidate files into the project's schema (GSO code plus
valid-from date as key, EPSG:4326, GeoPackage) and never edits a value by hand.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT.parent / "shared" / "data-candidates"
BOUNDARIES = ROOT / "boundaries"
DATA = ROOT / "data"

PROVINCE_2019 = {"code": "06", "name": "Tỉnh Bắc Kạn"}

# GDAL stamps every GeoPackage table with the time of writing (gpkg_contents.last_change), so two
# runs on the same inputs would differ byte for byte. A fixed stamp keeps the committed files
# reproducible; it is the date the candidate data were assembled, not a claim about the data.
os.environ.setdefault("OGR_CURRENT_DATE", "2026-11-27T00:00:00Z")

# Rule of each row of the criterion-8 addendum, keyed by (code, indicator, as_of), as
# ../shared/data-candidates/criterion8-evidence/PROVENANCE.md ("Addendum") states them:
#   C      complement: criteria not listed as still to complete are met at the source's date;
#   T      target: what a xã "phấn đấu" to complete is not yet met at the source's date;
#   N      fewer than 19 criteria met: not recognised as NTM at that date;
#   19/19  an appraisal finding 19/19 criteria met implies criterion 8 met;
#   stated the quoted sentence states the fact.
# Every row must have exactly one entry: a new or changed row fails the build until a rule is
# written for it here.
ADDENDUM_RULES: dict[tuple[str, str, str], str] = {
    ("01870", "c8_all", "2018-10-31"): "C",
    ("01870", "8.3", "2018-10-31"): "C",
    ("01870", "ntm_recognised", "2018-12-14"): "N",  # 15 of 19 criteria
    (
        "01870",
        "ntm_recognised",
        "2019-03-19",
    ): "T",  # still to complete "tất cả các tiêu chí còn lại"
    ("01864", "ntm_recognised", "2018-12-14"): "N",  # 16 of 19 criteria
    ("01864", "ntm_recognised", "2019-03-19"): "N",  # 14 criteria
    ("01882", "c8_all", "2018-10-31"): "T",  # criterion 8 among the 2 still to complete
    ("02047", "ntm_recognised", "2019-09-09"): "T",  # "đang phấn đấu đưa xã Yên Thượng về đích"
    ("01852", "c8_all", "2020-12-02"): "19/19",
    ("01852", "8.3", "2020-12-02"): "19/19",
    ("01849", "c8_all", "2020-12-02"): "19/19",
    ("01849", "8.3", "2020-12-02"): "19/19",
    ("01984", "radio_station_built", "2023-03-23"): "stated",
}

# The addendum names one indicator differently from the main evidence file; the project uses the
# main file's names so that one filter finds every station row.
ADDENDUM_INDICATORS = {"station_built": "radio_station_built"}


def _read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


_CENSUS = "https://github.com/LucieContamin/censusVN2009"
_DVHCVN = "https://github.com/daohoangson/dvhcvn"
_SAPNHAP = (
    "https://sapnhap.bando.com.vn; https://github.com/thanglequoc/vietnamese-provinces-database"
)
_PORTAL_VI = (
    "bản đồ hành chính của Cổng TTĐT Chính phủ (gis.chinhphu.vn), qua daohoangson/dvhcvn "
    "(GPL-3.0); cổng không công bố điều khoản sử dụng"
)
_PORTAL_EN = (
    "the Government portal's administrative map (gis.chinhphu.vn), via daohoangson/dvhcvn "
    "(GPL-3.0); the portal states no terms"
)
_BANDO_VI = (
    "bản đồ sapnhap.bando.com.vn (NXB Tài nguyên – Môi trường và Bản đồ Việt Nam), qua "
    "thanglequoc/vietnamese-provinces-database (MIT); dịch vụ bản đồ không công bố điều khoản"
)
_BANDO_EN = (
    "sapnhap.bando.com.vn (NXB Tài nguyên – Môi trường và Bản đồ Việt Nam), via "
    "thanglequoc/vietnamese-provinces-database (MIT); the map service states no terms"
)
_DERIVED_VI = (
    "Ranh giới xã năm 2020 do bkmap dựng từ censusVN2009 (Marc Choisy, MIT) theo biên bản thay "
    "đổi của TCTK; xã bị chia được cắt theo ranh giới năm 2025 của " + _BANDO_VI
)
_DERIVED_EN = (
    "2020 commune boundaries derived by bkmap from censusVN2009 (Marc Choisy, MIT) after the GSO "
    "change record; split communes cut along the 2025 boundaries of " + _BANDO_EN
)
#: One attribution line per shipped boundary layer, for every map and report to show.
ATTRIBUTION = (
    ("bac_kan_2019.gpkg", "communes", "Ranh giới xã: censusVN2009 (Marc Choisy), giấy phép MIT",
     "Commune boundaries: censusVN2009 (Marc Choisy), MIT licence", "MIT", _CENSUS),
    ("bac_kan_2019.gpkg", "districts", "Ranh giới huyện: " + _PORTAL_VI,
     "District boundaries: " + _PORTAL_EN, "GPL-3.0 (repository); portal: no terms stated",
     _DVHCVN),
    ("bac_kan_2019.gpkg", "province", "Ranh giới tỉnh: " + _PORTAL_VI,
     "Province boundary: " + _PORTAL_EN, "GPL-3.0 (repository); portal: no terms stated",
     _DVHCVN),
    ("bac_kan_2020.gpkg", "communes", _DERIVED_VI, _DERIVED_EN,
     "MIT (censusVN2009); cut lines: MIT repository, map service states no terms",
     _CENSUS + "; " + _SAPNHAP),
    ("bac_kan_2020.gpkg", "pieces", _DERIVED_VI, _DERIVED_EN,
     "MIT (censusVN2009); cut lines: MIT repository, map service states no terms",
     _CENSUS + "; " + _SAPNHAP),
    ("thai_nguyen_2025.gpkg", "communes", "Ranh giới xã năm 2025: " + _BANDO_VI,
     "Commune boundaries of 2025: " + _BANDO_EN,
     "MIT (repository); map service: no terms stated", _SAPNHAP),
    ("vn_communes_2009.gpkg", "communes", "Ranh giới xã toàn quốc: censusVN2009 (Marc Choisy), "
     "giấy phép MIT", "National commune boundaries: censusVN2009 (Marc Choisy), MIT licence",
     "MIT", _CENSUS),
)  # fmt: skip


def build_attribution() -> None:
    """Write ``boundaries/attribution.csv``: the source and licence line of each layer."""
    columns = ["file", "layer", "attribution_vi", "attribution_en", "licence", "url"]
    pd.DataFrame(ATTRIBUTION, columns=columns).to_csv(BOUNDARIES / "attribution.csv", index=False)


def build_boundaries() -> None:
    src = SRC / "censusVN2009" / "bac_kan_communes_2019_censusVN2009.gpkg"
    units = _read_csv(SRC / "admin-units" / "bac_kan_units_2019-12-01.csv")
    communes = gpd.read_file(src, layer="communes", engine="pyogrio")
    communes = communes.merge(
        units[["code", "valid_from", "valid_to"]],
        left_on="gso_code_2019",
        right_on="code",
        how="left",
        validate="1:1",
    )
    assert communes["code"].notna().all(), "every 2019 polygon has a GSO code"
    out = gpd.GeoDataFrame(
        {
            "code": communes["code"],
            "valid_from": communes["valid_from"],
            "valid_to": communes["valid_to"],
            "name": communes["gso_name_2019"],
            "unit_type": communes["gso_type_2019"],
            "district_code": communes["gso_district_code"],
            "district": communes["gso_district_name"],
            "province_code": PROVINCE_2019["code"],
            "province": PROVINCE_2019["name"],
            "source_name": communes["commune_vn"],
            "source_id": communes["src_commune_id"].astype(str),
        },
        geometry=communes.geometry.values,
        crs="EPSG:4326",
    ).sort_values("code", ignore_index=True)
    target = BOUNDARIES / "bac_kan_2019.gpkg"
    target.unlink(missing_ok=True)
    out.to_file(target, layer="communes", engine="pyogrio")

    districts = gpd.read_file(
        SRC / "dvhcvn_gis_chinhphu" / "bac_kan_districts_2019.geojson", engine="pyogrio"
    )
    districts = gpd.GeoDataFrame(
        {
            "district_code": districts["gso_district_code"],
            "district": districts["district_name"],
            "province_code": PROVINCE_2019["code"],
            "area_km2_src": districts["area_km2"],
        },
        geometry=districts.geometry.values,
        crs="EPSG:4326",
    ).sort_values("district_code", ignore_index=True)
    districts.to_file(target, layer="districts", engine="pyogrio")

    province = gpd.read_file(
        SRC / "dvhcvn_gis_chinhphu" / "bac_kan_province_2019.geojson", engine="pyogrio"
    )
    province = gpd.GeoDataFrame(
        {
            "province_code": province["gso_province_code"],
            "province": province["province_name"],
            "area_km2_src": province["area_km2"],
        },
        geometry=province.geometry.values,
        crs="EPSG:4326",
    )
    province.to_file(target, layer="province", engine="pyogrio")

    tn = gpd.read_file(
        SRC / "sapnhap_bando_2025" / "thai_nguyen_communes_2025.gpkg", engine="pyogrio"
    )
    tn = gpd.GeoDataFrame(
        {
            "code": tn["gso_code_2025"],
            "valid_from": "2025-07-01",
            "valid_to": "",
            "name": tn["name"],
            "unit_type": tn["name"].str.extract(r"^(Xã|Phường|Thị trấn)", expand=False),
            "province_code": "19",
            "province": tn["province_name"],
            "from_bac_kan": tn["from_bac_kan"].astype(bool),
            "predecessors_src": tn["predecessors_vi"],
            "area_km2_src": tn["area_km2_src"],
            "population_src": tn["population_src"],
            "repaired": ~tn["valid_as_published"].astype(bool),
        },
        geometry=tn.geometry.values,
        crs="EPSG:4326",
    ).sort_values("code", ignore_index=True)
    target = BOUNDARIES / "thai_nguyen_2025.gpkg"
    target.unlink(missing_ok=True)
    tn.to_file(target, layer="communes", engine="pyogrio")

    shutil.copyfile(
        SRC / "national" / "vn_communes_2009_censusVN2009.gpkg",
        BOUNDARIES / "vn_communes_2009.gpkg",
    )


def build_tables() -> None:
    shutil.copyfile(
        SRC / "admin-units" / "bac_kan_units_lineage_2019-2025.csv",
        DATA / "units_lineage.csv",
    )
    shutil.copyfile(
        SRC / "admin-units" / "bac_kan_merger_2025_old_to_new.csv",
        DATA / "merger_2025_old_to_new.csv",
    )
    shutil.copyfile(
        SRC / "gso_change_record_2019-2024" / "bac_kan_2019_to_2020_mapping.csv",
        DATA / "mapping_2019_to_2020.csv",
    )
    shutil.copyfile(
        SRC
        / "gso_change_record_2019-2024"
        / "bac_kan_2025-03_to_2025-07_mapping_dvhcvn20250701.csv",
        DATA / "mapping_2025_dvhcvn.csv",
    )
    shutil.copyfile(
        SRC / "gso_change_record_2019-2024" / "bac_kan_ward_change_record_raw.csv",
        DATA / "gso_ward_change_record_raw.csv",
    )
    pop = _read_csv(
        SRC / "census2019_population_hgscarlette" / "bac_kan_population_census2019_by_commune.csv"
    )
    pop = pd.DataFrame(
        {
            "code": pop["gso_code_2019"],
            "name": pop["gso_name_2019"],
            "district_code": pop["gso_district_code"],
            "population": pop["pop_total_2019"].astype(int),
            "population_urban": pd.to_numeric(pop["pop_urban_2019"]).astype("Int64"),
            "population_rural": pd.to_numeric(pop["pop_rural_2019"]).astype("Int64"),
        }
    ).sort_values("code")
    pop.to_csv(DATA / "population_2019.csv", index=False)
    evidence = SRC / "criterion8-evidence"
    shutil.copyfile(
        evidence / "bac_kan_criterion8_evidence_2016-2020.csv",
        DATA / "criterion8_evidence_2016-2020.csv",
    )
    shutil.copyfile(
        evidence / "bac_kan_criterion8_province_figures.csv",
        DATA / "criterion8_province_figures.csv",
    )
    shutil.copyfile(
        evidence / "bac_kan_criterion8_district_figures.csv",
        DATA / "criterion8_district_figures.csv",
    )
    build_addendum(evidence / "bac_kan_criterion8_evidence_addendum_2018-2023.csv")


def build_addendum(src: Path) -> None:
    """Copy the addendum's commune rows, with the rule each one rests on (``rule`` column)."""
    rows = _read_csv(src)
    rows["indicator"] = rows["indicator"].replace(ADDENDUM_INDICATORS)
    keys = list(zip(rows["gso_code_2019"], rows["indicator"], rows["as_of"], strict=True))
    missing = [k for k in keys if k not in ADDENDUM_RULES]
    unused = sorted(set(ADDENDUM_RULES) - set(keys))
    assert not missing, f"addendum rows without a rule in ADDENDUM_RULES: {missing}"
    assert not unused, f"rules for addendum rows that are gone: {unused}"
    assert len(set(keys)) == len(keys), "one rule per addendum row"
    rows["rule"] = [ADDENDUM_RULES[k] for k in keys]
    stated = rows["rule"].eq("stated")
    assert rows.loc[stated, "confidence"].eq("stated").all(), "a stated row needs no rule"
    assert rows.loc[~stated, "confidence"].eq("inferred").all(), "a rule gives an inference"
    rows.to_csv(DATA / "criterion8_evidence_addendum_2018-2023.csv", index=False)


def main() -> int:
    if not SRC.is_dir():
        print(f"error: {SRC} not found; clone the project beside ../shared", file=sys.stderr)
        return 1
    BOUNDARIES.mkdir(exist_ok=True)
    DATA.mkdir(exist_ok=True)
    build_boundaries()
    build_attribution()
    build_tables()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
