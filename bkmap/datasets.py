"""The files bkmap ships, and the only module that knows their names.

The repository keeps its data at the top level, in ``boundaries/`` and ``data/``.
When the package is built, setuptools maps those two folders into the package
as ``bkmap._boundaries`` and ``bkmap._data`` (see ``[tool.setuptools.package-dir]``
in ``pyproject.toml``), so there is one copy in git and an installed wheel
carries its data. Everything is found with :mod:`importlib.resources`, which
works the same in a wheel, an editable install and a source checkout, and from
any working folder.

Every other module asks this one for a path: :func:`path` by a key of
:data:`FILES`, :func:`status_table` for a shipped assessment, :func:`example`
for the illustrative layers.

Examples
--------
>>> path("communes_2019").name
'bac_kan_2019.gpkg'
>>> status_dates()
['2018-07-31', '2019-08-12']
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bkmap._errors import InputError
from bkmap.i18n import msg as _msg

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "FILES",
    "ShippedFile",
    "encoding_table",
    "example",
    "examples",
    "examples_folder",
    "path",
    "read_layer",
    "status_dates",
    "status_table",
]

#: The two folders, as packages: ``boundaries/`` and ``data/`` of the repository.
_PACKAGES = {"boundaries": "bkmap._boundaries", "data": "bkmap._data"}


@dataclass(frozen=True)
class ShippedFile:
    """One shipped file: which folder holds it, its name, and what it is."""

    folder: str
    name: str
    description: str


# One table of names: renaming or adding a shipped file is a change here only, and no other module
# spells a file name.
#: Every shipped file bkmap reads, by key. The licences are listed in LICENSES.md.
FILES: dict[str, ShippedFile] = {
    "communes_2019": ShippedFile(
        "boundaries",
        "bac_kan_2019.gpkg",
        "122 communes of 2019 (layers communes, districts, province)",
    ),
    "communes_2020": ShippedFile(
        "boundaries",
        "bac_kan_2020.gpkg",
        "108 units of 2020, derived from 2019 (layers communes, pieces)",
    ),
    "communes_2025": ShippedFile(
        "boundaries", "thai_nguyen_2025.gpkg", "92 units of Tỉnh Thái Nguyên from 2025-07-01"
    ),
    "national_2009": ShippedFile(
        "boundaries", "vn_communes_2009.gpkg", "11,163 communes of Vietnam (2009 units)"
    ),
    "units_lineage": ShippedFile("data", "units_lineage.csv", "every unit version 2019-2025"),
    "population_2019": ShippedFile("data", "population_2019.csv", "2019 census per commune"),
    "mapping_2019_2020": ShippedFile(
        "data", "mapping_2019_to_2020.csv", "GSO change record 2019 → 2020"
    ),
    "merger_2025": ShippedFile("data", "merger_2025_old_to_new.csv", "2020-2025 unit → 2025 unit"),
    "evidence": ShippedFile(
        "data", "criterion8_evidence_2016-2020.csv", "commune-level criterion-8 evidence"
    ),
    "evidence_addendum": ShippedFile(
        "data",
        "criterion8_evidence_addendum_2018-2023.csv",
        "more commune-level criterion-8 evidence, each row with its rule",
    ),
    "sources": ShippedFile("data", "sources.csv", "cited sources"),
    "published_totals": ShippedFile("data", "published_totals.csv", "the province's totals"),
    "district_figures": ShippedFile(
        "data", "district_figures.csv", "district figures, one number per row, with their bound"
    ),
    "boundary_attribution": ShippedFile(
        "boundaries", "attribution.csv", "source and licence of each shipped boundary layer"
    ),
}

# Shipped assessments are found by their file names (status_<date>.csv), so adding one needs a
# file, not code.
_STATUS_PREFIX = "status_"


def _folder(folder: str) -> Traversable:
    return resources.files(_PACKAGES[folder])


def _as_path(item: Traversable, what: str) -> Path:
    # GDAL and pandas need a real file. Wheels install as folders, so this holds
    # for every supported install; a zipped install is refused clearly.
    if not isinstance(item, Path):
        msg = _msg("data_in_archive", what=what, item=item)
        raise InputError(msg)
    if not item.exists():
        msg = _msg("data_missing", what=what, item=item)
        raise InputError(msg)
    return item


def path(key: str) -> Path:
    """Return the path of a shipped file by its key in :data:`FILES`.

    Raises
    ------
    KeyError
        ``key`` is not a key of :data:`FILES` (a programming error).
    """
    item = FILES[key]
    return _as_path(_folder(item.folder).joinpath(item.name), key)


def read_layer(key: str, layer: str | None = None, **options: Any) -> gpd.GeoDataFrame:
    """Read a shipped vector layer (its CRS and encoding are known: EPSG:4326, UTF-8).

    Users' files go through :func:`bkmap.io.vector.read_vector` instead, which
    decides their encoding and coordinate system. ``options`` go to pyogrio
    (``where``, ``bbox``, ``columns``).
    """
    # Lazy: geopandas loads only when polygons are read (listing units needs none).
    import geopandas as gpd

    return gpd.read_file(path(key), layer=layer, engine="pyogrio", **options)


def status_dates() -> list[str]:
    """Return the assessment dates of the shipped status tables, oldest first."""
    names = [p.name for p in _folder("data").iterdir() if p.name.startswith(_STATUS_PREFIX)]
    # ISO dates sort as text, so this is oldest first.
    return sorted(n.removeprefix(_STATUS_PREFIX).removesuffix(".csv") for n in names)


def status_table(as_of: str) -> Path:
    """Return the shipped status table of an assessment date (``YYYY-MM-DD``).

    Raises
    ------
    InputError
        No table is shipped for that date; the message lists the dates that are.
    """
    # Checked against the shipped names before any path is built: as_of comes from --as-of, and
    # text such as ../../x must never reach the file system.
    if as_of not in status_dates():
        msg = _msg("data_no_status", as_of=as_of, dates=", ".join(status_dates()))
        raise InputError(msg)
    return _as_path(
        _folder("data").joinpath(f"{_STATUS_PREFIX}{as_of}.csv"), _msg("opt_the_status_table")
    )


def encoding_table(name: str) -> Path:
    """Return the byte table of a legacy Vietnamese encoding (``tcvn3`` or ``vni``)."""
    return _as_path(_folder("data").joinpath("encodings", f"{name}.tsv"), f"encoding {name}")


def examples() -> list[str]:
    """Return the names of the illustrative example layers (never real data)."""
    folder = _folder("data").joinpath("examples")
    # The prefix leaves out the folder's README.md; every example's own name says it is
    # illustrative, which is how outputs made from it are marked.
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("illustrative_"))


def example(name: str) -> Path:
    """Return the path of an illustrative example layer, e.g. ``illustrative_stations.geojson``.

    Raises
    ------
    InputError
        No example has that name; the message lists them.
    """
    # As for status tables: the name must be one of the listed examples before it becomes a path.
    if name not in examples():
        msg = _msg("data_no_example", name=name, examples=", ".join(examples()))
        raise InputError(msg)
    return _as_path(_folder("data").joinpath("examples", name), name)


def examples_folder() -> Path:
    """Return the folder of the illustrative example layers (every layer in it is illustrative)."""
    return _as_path(_folder("data").joinpath("examples"), "examples")
