"""Find naloxone (/find): the body is ``pages/screens/find.py``."""

from pages.screens.find import render
from pages.screens.frame import run_page

run_page(render)
