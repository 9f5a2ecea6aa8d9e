"""The dashboard's runtime shell: the page frame, the shared sidebar and URL state helpers,
the store handle, caches, map widget, downloads, heap settling and the warm start.

``pages/screens/`` holds page bodies only; they import from here, never the reverse
(except :mod:`shell.frame` running a route script by path).
"""
