"""Dashboard pages: the page scripts live in ``ui/screens/`` and run only through
``dashboard.py`` (which owns navigation and the shared sidebar). The folder is not
called ``pages/``: Streamlit treats a ``pages/`` folder next to the entry script as a
legacy multipage app until ``st.navigation`` first runs, so the first deep link after a
server start showed "Page not found"."""
