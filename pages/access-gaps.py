"""Access gaps (/access-gaps): the body is ``pages/screens/access_gaps.py``."""

from pages.screens.access_gaps import render
from shell.frame import run_page

run_page(render)
