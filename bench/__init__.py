"""Load, page-weight and reliability figures: `make bench` runs `python -m bench`."""
