"""Geometry: repairing and cleaning commune polygons, and simplifying them for display."""
