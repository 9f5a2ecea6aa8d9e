"""Overview (/overview): the body is ``pages/screens/overview.py``."""

from pages.screens.frame import run_page
from pages.screens.overview import render

run_page(render)
