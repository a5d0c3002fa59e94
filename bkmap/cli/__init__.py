"""bkmap's command-line interface (``bkmap --help``).

:func:`main` is the console script's entry point. It lives here, with nothing
but the standard library loaded, so that Ctrl-C at any moment (even while
click and bkmap load) ends with status 130 and one line, never a traceback.
"""

from __future__ import annotations

import sys

from bkmap._errors import interrupted

__all__ = ["main"]


def main() -> None:
    """Entry point of the ``bkmap`` console script."""
    try:
        # Lazy, inside the handler: an interrupt while click and the commands load is caught too.
        from bkmap.cli.main import cli

        cli(prog_name="bkmap")
    except KeyboardInterrupt:
        sys.stderr.write(interrupted() + "\n")
        sys.exit(130)
