"""The composition root and the driving adapters (CLI, reference service).

``app.bootstrap`` turns settings into data sources, units of work and interactors; nothing is
built at import time.
"""
