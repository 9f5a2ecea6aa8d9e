"""Find naloxone (/find): the body is ``pages/screens/find.py``."""

from pages.screens.find import render
from shell.frame import run_page

run_page(render)
