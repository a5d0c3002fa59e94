"""bkmap's shipped tables, installed as ``bkmap._data``; read them through :mod:`bkmap.datasets`."""
