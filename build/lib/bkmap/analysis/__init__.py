"""Spatial analysis without disk I/O: point and coverage kernels (and their dask twin),
the gap analysis, district summaries and the reconciliation with published totals."""
