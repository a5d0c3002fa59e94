"""bkmap: Bắc Kạn communes on NTM criterion 8 (information and communications).

The public API, in the order data flows through it::

    import bkmap
    communes = bkmap.read_communes()                 # 122 units of 2019
    status = bkmap.load_status()                     # shipped 2019-08-12 table
    joined, result = bkmap.join_status(communes, status)
    fmap = bkmap.criterion_map(joined, districts=bkmap.read_districts())
    bkmap.save_map(fmap, "map.html")
    bkmap.reconcile(status)                       # against the published totals
"""

from __future__ import annotations

from bkmap._errors import BkmapError, InputError, MatchError, ValidationError
from bkmap.analysis.reconcile import reconcile
from bkmap.io.boundaries import read_communes, read_districts, read_province
from bkmap.io.status import load_published_totals, load_sources, load_status, read_status, template
from bkmap.join import MatchResult, join_status, match_rows
from bkmap.model.criteria import INDICATORS, VALUES, overall
from bkmap.model.units import VERSIONS, load_units, units_on
from bkmap.pipeline import load_joined
from bkmap.render.maps import class_counts, criterion_map, save_map

__version__ = "0.1.0"

__all__ = [
    "INDICATORS",
    "VALUES",
    "VERSIONS",
    "BkmapError",
    "InputError",
    "MatchError",
    "MatchResult",
    "ValidationError",
    "class_counts",
    "criterion_map",
    "join_status",
    "load_joined",
    "load_published_totals",
    "load_sources",
    "load_status",
    "load_units",
    "match_rows",
    "overall",
    "read_communes",
    "read_districts",
    "read_province",
    "read_status",
    "reconcile",
    "save_map",
    "template",
    "units_on",
]
