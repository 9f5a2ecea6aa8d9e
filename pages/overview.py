"""Overview (/overview): the body is ``pages/screens/overview.py``."""

from pages.screens.overview import render
from shell.frame import run_page

run_page(render)
