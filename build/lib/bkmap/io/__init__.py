"""Reading and writing: one vector reader and one CRS policy for polygons and points,
text encodings, tables, status tables, national layers, and atomic writes.

Each reader returns its data with a :class:`bkmap.io.record.ReadRecord` of what it
decided (encoding, CRS, repairs, dropped rows), which travels to every output.
"""
