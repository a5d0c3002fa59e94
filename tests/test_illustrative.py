"""Illustrative data stays labelled: every output made from data/examples/ says so, in its language.

Run on the shipped illustrative station layer (data/examples/illustrative_stations.geojson:
10 stations built in 2018, 7 in 2020) against the 2019-08-12 assessment.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pyogrio
import pytest
from click.testing import CliRunner

from bkmap import datasets
from bkmap.analysis.gaps import find_gaps, standing_on
from bkmap.cli.main import cli
from bkmap.i18n import t
from bkmap.io.points import read_point_layers
from bkmap.model import illustrative
from bkmap.pipeline import assess
from bkmap.render import palette

STATIONS = str(datasets.example("illustrative_stations.geojson"))
VILLAGES = str(datasets.example("illustrative_villages.geojson"))
WORD = {"vi": "(minh họa)", "en": "(illustrative)"}
OTHER = {"vi": "en", "en": "vi"}


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module", params=["vi", "en"])
def gaps_run(request, tmp_path_factory) -> tuple[str, Path, str]:
    lang = request.param
    out = tmp_path_factory.mktemp(f"gaps_{lang}")
    output = _run("gaps", "--out", str(out), "--stations", STATIONS, "--lang", lang)
    return lang, out, output


def _overlays(page: str) -> list[str]:
    """The names in the page's layer control (folium writes them as ``"name" : layer``)."""
    found = re.findall(r'"([^"\n]{1,200})" *: *(?:bkmap_layer|geo_json|feature_group)_', page)
    return [json.loads(f'"{name}"') for name in found]


def _unescaped(page: str) -> str:
    """The page with the ``\\uXXXX`` escapes of its JSON data read, so data text can be searched."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), page)


def _title(page: str) -> str:
    found = re.search(r'<div class="bkmap-title" id="bkmap-title">(.*?)</div>', page, re.S)
    assert found
    return found.group(1)


def test_standing_on_keeps_a_station_only_if_built_by_the_date() -> None:
    stations = pd.DataFrame({"year": [2018, 2019, 2020, None, "2021"]})
    assert standing_on(stations, "2019-08-12").tolist() == [True, True, False, True, False]
    assert standing_on(stations, "2021-01-01").all()
    assert standing_on(pd.DataFrame({"name": ["a"]}), "2019-08-12").tolist() == [True]


def test_stations_built_after_the_date_are_not_counted() -> None:
    assessment = assess()
    layers = read_point_layers({"stations": STATIONS}, extent=assessment.joined)
    result = find_gaps(assessment, layers)
    assert result.on == "2019-08-12"
    assert result.later_stations is not None
    assert len(result.later_stations) == 7
    assert set(pd.to_numeric(result.later_stations["year"])) == {2020}
    assert len(result.stations) == 10
    communes = result.communes.set_index("code")
    for code in result.later_stations["code"]:
        assert communes.at[code, "n_stations"] == 0, code
    # Phúc Lộc's station (2020) is not a station on 2019-08-12: no station, so a gap.
    gaps = result.gaps.set_index("code")
    assert "no_station" in gaps.at["01894", "gap_keys"].split(";")
    assert any(n.where == "year" and "2019-08-12" in n.problem for n in result.notes)


def test_gap_tables_say_illustrative(gaps_run) -> None:
    lang, out, output = gaps_run
    gaps = pd.read_csv(out / "gaps.csv", dtype={"code": str}, encoding="utf-8-sig")
    assert gaps[illustrative.COLUMN].eq(True).all()
    conflicts = pd.read_csv(out / "conflicts.csv", dtype={"code": str}, encoding="utf-8-sig")
    assert len(conflicts) == 8
    assert conflicts[illustrative.COLUMN].eq(True).all()
    assert conflicts["detail"].str.endswith(WORD[lang]).all()
    assert not conflicts["detail"].str.contains(WORD[OTHER[lang]], regex=False).any()
    # ... and the console says where the conflicts come from.
    where = t("gaps_where_conflicts", lang)  # "mâu thuẫn" / "conflicts"
    assert f"{where}: " + t("conflicts_illustrative", lang, n=8) in output
    geo = json.loads((out / "gaps.geojson").read_text(encoding="utf-8"))
    assert geo["features"]
    assert all(f["properties"][illustrative.COLUMN] is True for f in geo["features"])
    for name, _kind in pyogrio.list_layers(out / "gaps.gpkg"):
        frame = pyogrio.read_dataframe(out / "gaps.gpkg", layer=name, read_geometry=False)
        assert frame[illustrative.COLUMN].eq(True).all(), name


def test_the_gap_workbook_opens_on_a_sheet_that_says_so(gaps_run) -> None:
    lang, out, _output = gaps_run
    book = openpyxl.load_workbook(out / "gaps.xlsx", read_only=True)
    first = book.worksheets[0]
    cells = [str(v) for row in first.iter_rows(values_only=True) for v in row if v is not None]
    assert illustrative.banner(lang) in cells
    gap_sheet = book.worksheets[1]
    header = next(gap_sheet.iter_rows(values_only=True))
    assert ("Minh họa" if lang == "vi" else "Illustrative") in header


def test_the_gap_map_says_so_in_its_own_language(gaps_run) -> None:
    lang, out, _output = gaps_run
    page = (out / "gaps_map.html").read_text(encoding="utf-8")
    title = _title(page)
    assert WORD[lang] in title
    assert illustrative.banner(lang) in title
    # Each legend's title, and the button that folds it on a phone.
    legends = re.findall(
        r'<div class="bkmap-legend[^"]*"[^>]*><button[^>]*>([^<]*)</button>'
        r'<div class="bkmap-body"><table><thead><tr><th[^>]*>([^<]*)<',
        page,
    )
    assert len(legends) == 2
    assert all(text.endswith(WORD[lang]) for pair in legends for text in pair)
    # Every layer but the real district boundaries.
    overlays = [n for n in _overlays(page) if n != t("districts", lang)]
    assert len(overlays) >= 7
    assert all(name.endswith(WORD[lang]) for name in overlays), overlays
    # No word of the other language: the station names lose their Vietnamese marker,
    # the popup's label says it in the page's words.
    assert WORD[OTHER[lang]] not in _unescaped(page)
    station = ("Đài truyền thanh" if lang == "vi" else "Radio station") + " " + WORD[lang]
    assert f'"{station}"' in page
    # The seven stations of 2020 are drawn apart, in their own layer.
    later = [n for n in overlays if "2019" in n]
    assert len(later) == 1
    assert ("sau ngày 12/08/2019" if lang == "vi" else "after 2019-08-12") in later[0]


def test_the_report_header_says_so(gaps_run, tmp_path) -> None:
    lang, out, _output = gaps_run
    report = tmp_path / "report.html"
    book = tmp_path / "report.xlsx"
    _run("report", "--out", str(report), "--gaps", str(out), "--lang", lang, "--excel", str(book))
    workbook = openpyxl.load_workbook(book, read_only=True)
    assert workbook.sheetnames[0] == t("illustrative", lang)
    first = [v for row in workbook.worksheets[0].iter_rows(values_only=True) for v in row]
    assert illustrative.banner(lang) in first
    page = report.read_text(encoding="utf-8")
    header = re.search(r'<header class="rpt-head">(.*?)</header>', page, re.S)
    assert header
    h1 = re.search(r"<h1>(.*?)</h1>", header.group(1), re.S)
    assert h1
    assert h1.group(1).endswith(WORD[lang])
    assert illustrative.banner(lang) in header.group(1)
    assert WORD[lang] in _title(page)


def test_real_data_alone_says_nothing_of_the_kind(tmp_path) -> None:
    out = tmp_path / "gaps"
    _run("gaps", "--out", str(out), "--lang", "en")
    gaps = pd.read_csv(out / "gaps.csv", dtype={"code": str}, encoding="utf-8-sig")
    assert illustrative.COLUMN not in gaps.columns
    page = (out / "gaps_map.html").read_text(encoding="utf-8")
    assert "illustrative" not in page.lower()
    book = openpyxl.load_workbook(out / "gaps.xlsx", read_only=True)
    assert book.sheetnames[0] == "gaps"


def test_a_plan_from_illustrative_villages_says_so(tmp_path) -> None:
    out = tmp_path / "plan"
    _run("plan", "--stations", "5", "--unknown", "need", "--villages", VILLAGES, "--out", str(out))
    for name in ("plan.csv", "communes.csv", "village_sites.csv"):
        table = pd.read_csv(out / name, dtype=str, encoding="utf-8-sig")
        assert table[illustrative.COLUMN].eq("True").all(), name
    book = openpyxl.load_workbook(out / "plan.xlsx", read_only=True)
    assert book.sheetnames[0] == "Minh họa"
    page = (out / "plan_map.html").read_text(encoding="utf-8")
    assert WORD["vi"] in _title(page)
    for name, _kind in pyogrio.list_layers(out / "plan.gpkg"):
        frame = pyogrio.read_dataframe(out / "plan.gpkg", layer=name, read_geometry=False)
        assert frame[illustrative.COLUMN].eq(True).all(), name


def test_the_marker_words_are_one_rule() -> None:
    assert illustrative.mark("Tiêu chí 8", "vi") == "Tiêu chí 8 " + WORD["vi"]
    assert illustrative.mark("Criterion 8", "en") == "Criterion 8 " + WORD["en"]
    assert illustrative.unmarked("Đài Xã A (minh họa)") == "Đài Xã A"
    assert illustrative.unmarked("Đài Xã A (Illustrative) ") == "Đài Xã A"
    assert illustrative.unmarked("Đài (minh họa) Xã A") == "Đài (minh họa) Xã A"


@pytest.mark.browser
def test_later_stations_are_drawn_hollow_in_their_own_layer_offline(gaps_run, offline_page) -> None:
    lang, out, _output = gaps_run
    page = offline_page
    page.goto((out / "gaps_map.html").as_uri())
    page.wait_for_selector(".leaflet-control-layers")
    labels = page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    later = [label.strip() for label in labels if "2019" in label]
    assert len(later) == 1
    assert later[0].endswith(WORD[lang])
    drawn = page.evaluate(
        """() => {
            const key = Object.keys(window).find(k => k.startsWith('map_'));
            const out = [];
            window[key].eachLayer(layer => {
                if (layer.feature && layer.getLatLng && layer.feature.properties.year) {
                    out.push([String(layer.feature.properties.year), layer.options.fillColor]);
                }
            });
            return out;
        }"""
    )
    later_colours = {colour for year, colour in drawn if year == "2020"}
    standing_colours = {colour for year, colour in drawn if year == "2018"}
    assert len([1 for year, _ in drawn if year == "2020"]) == 7
    assert later_colours == {palette.GAP_COLORS["station_later"]}
    assert palette.GAP_COLORS["station_later"] not in standing_colours
    assert page.console_errors == []
    assert page.blocked == []
