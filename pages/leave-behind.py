"""EMS leave-behind (/leave-behind): the body is ``pages/screens/leave_behind.py``."""

from pages.screens.leave_behind import render
from shell.frame import run_page

run_page(render)
