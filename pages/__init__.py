"""Dashboard pages. The page scripts live in ``pages/screens/`` so that Streamlit's
legacy ``pages/*.py`` auto-discovery never runs a page without ``dashboard.py``
(which owns navigation and the shared sidebar)."""
