"""bkmap's shipped polygons, installed as ``bkmap._boundaries``; read them through :mod:`bkmap.datasets`."""
