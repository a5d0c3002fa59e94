"""Printable maps: paper size, legend with counts, scale bar, north arrow, title, sources, fonts."""

from __future__ import annotations

import itertools
import re
import warnings

import numpy as np
import pytest
from click.testing import CliRunner

from bkmap._errors import ValidationError
from bkmap.cli.main import cli
from bkmap.io.boundaries import read_province
from bkmap.render.maps import COLORS
from bkmap.render.printing import draw_map, print_map


def _texts(fig) -> list[str]:
    return [a.get_text() for a in fig.findobj(lambda o: hasattr(o, "get_text"))]


@pytest.fixture(scope="module")
def figure_vi(assessment_2019):
    return draw_map(assessment_2019, province=read_province(), dpi=72)


def test_legend_has_counts_and_borders(figure_vi):
    ax = figure_vi.axes[0]
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels[:5] == [
        "Đạt: 8",
        "Chưa đạt: 0",
        "Nguồn mâu thuẫn: 1",
        "Chưa rõ: 101",
        "Không áp dụng (phường, thị trấn): 12",
    ]
    assert "Ranh giới huyện" in labels
    assert "Ranh giới tỉnh" in labels


def test_title_period_sources_and_north(figure_vi):
    texts = _texts(figure_vi)
    assert any("giai đoạn 2016–2020" in s for s in texts)
    assert any("12/08/2019" in s and "ranh giới 2019" in s for s in texts)
    footer = next(s for s in texts if "Nguồn:" in s)
    assert "S13" in footer
    assert "status_2019-08-12.csv" in footer
    assert "B" in texts  # the north arrow's letter (Bắc)
    assert "Huyện Pác Nặm" in texts
    assert "Giáo Hiệu" in texts


def test_scale_bar_is_present(figure_vi):
    from matplotlib_scalebar.scalebar import ScaleBar

    bars = [a for a in figure_vi.axes[0].artists if isinstance(a, ScaleBar)]
    assert len(bars) == 1
    assert bars[0].units == "m"
    assert bars[0].dx == 1.0


def test_png_on_a4_has_every_glyph_and_the_right_colours(assessment_2019, tmp_path):
    from PIL import Image

    out = tmp_path / "ban_do.png"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing Vietnamese glyph warns: fail on it
        print_map(assessment_2019, out, paper="A4", dpi=100)
    image = Image.open(out)
    width, height = image.size
    assert (width, height) in {(827, 1169), (827, 1170), (826, 1169)}  # A4 portrait at 100 dpi
    pixels = np.asarray(image.convert("RGB")).reshape(-1, 3)

    def share(colour: str) -> float:
        rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
        return float((np.abs(pixels.astype(int) - rgb).sum(axis=1) < 12).mean())

    assert share(COLORS["unknown"]) > share(COLORS["met"]) > share(COLORS["conflicting"]) > 0


def test_pdf_on_a3_in_english(assessment_2019, tmp_path):
    out = tmp_path / "map.pdf"
    print_map(assessment_2019, out, paper="A3", lang="en", dpi=72)
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    box = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert box is not None
    assert round(float(box.group(1))) == 842
    assert round(float(box.group(2))) == 1191


def test_bad_options_are_rejected(assessment_2019, tmp_path):
    with pytest.raises(ValidationError, match=r"\.png or \.pdf"):
        print_map(assessment_2019, tmp_path / "map.jpg")
    with pytest.raises(ValidationError, match="A4, A3"):
        print_map(assessment_2019, tmp_path / "map.png", paper="Letter")
    assert not list(tmp_path.iterdir())


def test_cli_print(tmp_path):
    runner = CliRunner()
    out = tmp_path / "in.png"
    result = runner.invoke(cli, ["print", "--out", str(out), "--paper", "A3", "--dpi", "60"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\x89PNG")
    result = runner.invoke(cli, ["print", "--out", str(tmp_path / "in.svg")])
    assert result.exit_code != 0
    assert ".png or .pdf" in result.output
    assert "Traceback" not in result.output


@pytest.fixture(scope="module")
def figure_a4(assessment_2019):
    return draw_map(assessment_2019, province=read_province(), paper="A4", dpi=100)


def _name_labels(fig):
    """The district and commune names on the map (annotations anchored to a place)."""
    ax = fig.axes[0]
    return [a for a in ax.texts if a.get_text() and getattr(a, "xy", None) is not None]


@pytest.mark.parametrize(("paper", "lang"), [("A4", "vi"), ("A3", "en")])
def test_names_do_not_overlap_and_commune_names_are_at_least_6pt(
    figure_a4, assessment_2019, paper, lang
):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = (
        figure_a4
        if paper == "A4"
        else draw_map(assessment_2019, province=read_province(), paper=paper, lang=lang, dpi=72)
    )
    renderer = FigureCanvasAgg(figure).get_renderer()
    labels = _name_labels(figure)
    boxes = [(a.get_text(), a.get_window_extent(renderer)) for a in labels]
    districts = set(assessment_2019.outlines["district"])
    communes = [a for a in labels if a.get_text() not in districts]
    # most communes are named; the rest are counted in the footer
    assert len(communes) >= 100
    scale = 1.0 if paper == "A4" else 297 / 210
    assert all(a.get_fontsize() >= 6.0 * scale for a in communes)
    for (name_a, box_a), (name_b, box_b) in itertools.combinations(boxes, 2):
        assert not box_a.overlaps(box_b), (name_a, name_b)
    # nor do they cover the legend
    legend = figure.axes[0].get_legend().get_window_extent(renderer)
    assert not any(box.overlaps(legend) for _, box in boxes)
    left_off = 122 - len(communes)
    footer = next(s for s in _texts(figure) if "Nguồn:" in s or "Sources:" in s)
    if left_off and lang == "vi":
        assert f"Tên của {left_off} trong 122 xã không in được" in footer
    elif left_off:
        assert f"{left_off} of 122 commune names are left off" in footer
    else:
        assert "không in được" not in footer
        assert "left off" not in footer


def test_not_met_and_conflicting_are_hatched_on_the_map_and_in_the_legend(figure_a4):
    from bkmap.render.palette import HATCHES

    ax = figure_a4.axes[0]
    hatched = {c.get_hatch() for c in ax.collections if c.get_hatch()}
    # the shipped 2019 table has one conflicting commune and none not met
    assert hatched == {HATCHES["conflicting"]["mpl"]}
    handles = ax.get_legend().legend_handles
    by_label = {h.get_label().split(":")[0]: h for h in handles}
    assert by_label["Chưa đạt"].get_hatch() == HATCHES["not_met"]["mpl"]
    assert by_label["Nguồn mâu thuẫn"].get_hatch() == HATCHES["conflicting"]["mpl"]
    assert by_label["Đạt"].get_hatch() is None
