"""EMS leave-behind (/leave-behind): the body is ``pages/screens/leave_behind.py``."""

from pages.screens.frame import run_page
from pages.screens.leave_behind import render

run_page(render)
