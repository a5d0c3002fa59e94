"""``python -m bkmap``: the same as the ``bkmap`` command."""

from bkmap.cli import main

main()
