"""Everything a reader sees: folium maps, the offline report, printed maps, the plan and
gap outputs, and the single guard every text passes on its way into a page."""
