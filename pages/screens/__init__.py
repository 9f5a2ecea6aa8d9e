"""The page bodies (``render(context)``) the routes in ``pages/`` run, and their helpers."""
