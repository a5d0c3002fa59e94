"""Versions of the commune map (2019, 2020, 2023, 2025): derived polygons, crosswalks,
status carried across mergers, and comparisons between assessment dates."""
