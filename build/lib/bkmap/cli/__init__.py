"""bkmap's command-line interface (``bkmap --help``)."""
