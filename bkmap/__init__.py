"""bkmap: Bắc Kạn communes on NTM criterion 8 (information and communications).

The public API, in the order data flows through it::

    import bkmap
    a = bkmap.assess()                              # 122 units of 2019, status of 2019-08-12
    a.joined, a.match.summary(), a.all_notes()      # the joined frame, the match, the notes
    fmap = bkmap.criterion_map(a)
    bkmap.save_map(fmap, "map.html")
    bkmap.reconcile(bkmap.load_status())            # the records against the province and
                                                    # district figures

The names below are imported on first use (PEP 562), so ``import bkmap`` and
``bkmap --help`` stay light: geopandas and folium load only when a function
that needs them is called.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from bkmap._errors import BkmapError, InputError, MatchError, ValidationError
from bkmap._version import __version__

if TYPE_CHECKING:  # the names the lazy table below provides, for type checkers
    from bkmap.analysis.reconcile import reconcile, reconcile_districts
    from bkmap.io.boundaries import read_communes, read_districts, read_province
    from bkmap.io.status import (
        load_district_figures,
        load_evidence,
        load_published_totals,
        load_sources,
        load_status,
        read_status,
        template,
    )
    from bkmap.join import Assessment, MatchResult, join_status, match_rows
    from bkmap.model.criteria import INDICATORS, VALUES, overall
    from bkmap.model.units import VERSIONS, load_units, units_on
    from bkmap.pipeline import assess
    from bkmap.render.maps import class_counts, criterion_map, save_map
    from bkmap.render.planner import planner_page

#: Public name -> the module that defines it.
_LAZY: dict[str, str] = {
    "INDICATORS": "bkmap.model.criteria",
    "VALUES": "bkmap.model.criteria",
    "overall": "bkmap.model.criteria",
    "VERSIONS": "bkmap.model.units",
    "load_units": "bkmap.model.units",
    "units_on": "bkmap.model.units",
    "read_communes": "bkmap.io.boundaries",
    "read_districts": "bkmap.io.boundaries",
    "read_province": "bkmap.io.boundaries",
    "load_district_figures": "bkmap.io.status",
    "load_evidence": "bkmap.io.status",
    "load_published_totals": "bkmap.io.status",
    "load_sources": "bkmap.io.status",
    "load_status": "bkmap.io.status",
    "read_status": "bkmap.io.status",
    "template": "bkmap.io.status",
    "Assessment": "bkmap.join",
    "MatchResult": "bkmap.join",
    "join_status": "bkmap.join",
    "match_rows": "bkmap.join",
    "assess": "bkmap.pipeline",
    "reconcile": "bkmap.analysis.reconcile",
    "reconcile_districts": "bkmap.analysis.reconcile",
    "class_counts": "bkmap.render.maps",
    "criterion_map": "bkmap.render.maps",
    "save_map": "bkmap.render.maps",
    "planner_page": "bkmap.render.planner",
}

__all__ = [
    "INDICATORS",
    "VALUES",
    "VERSIONS",
    "Assessment",
    "BkmapError",
    "InputError",
    "MatchError",
    "MatchResult",
    "ValidationError",
    "__version__",
    "assess",
    "class_counts",
    "criterion_map",
    "join_status",
    "load_district_figures",
    "load_evidence",
    "load_published_totals",
    "load_sources",
    "load_status",
    "load_units",
    "match_rows",
    "overall",
    "planner_page",
    "read_communes",
    "read_districts",
    "read_province",
    "read_status",
    "reconcile",
    "reconcile_districts",
    "save_map",
    "template",
    "units_on",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        msg = f"module 'bkmap' has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
