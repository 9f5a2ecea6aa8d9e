"""Manage data (/manage): the body is ``pages/screens/manage.py``."""

from pages.screens.manage import render
from shell.frame import run_page

run_page(render)
