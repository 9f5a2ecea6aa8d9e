"""Data & methods (/data): the body is ``pages/screens/data_methods.py``."""

from pages.screens.data_methods import render
from shell.frame import run_page

run_page(render)
