"""Compare jurisdictions (/compare): the body is ``pages/screens/compare.py``."""

from pages.screens.compare import render
from shell.frame import run_page

run_page(render)
