"""Manage data (/manage): the body is ``pages/screens/manage.py``."""

from pages.screens.frame import run_page
from pages.screens.manage import render

run_page(render)
