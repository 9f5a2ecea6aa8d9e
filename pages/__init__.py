"""Dashboard pages: one route script per page, named as its URL (``pages/compare.py`` is
``/compare``), registered in ``dashboard.py``; the page bodies live in ``pages/screens/``."""
