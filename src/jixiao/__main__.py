"""`python -m jixiao` runs the command line."""

from .cli import main

main()
