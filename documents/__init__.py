"""Documents: PDFs rendered in the background, with progress a person can watch.

Its own app rather than part of a domain because every domain (providers' cards, organizations'
rosters, rates' allowable lists) renders PDFs and people wait on them the same way: one print
stylesheet, one chunked renderer, one job table with reuse and exactly-one-run, one status page.
Each domain only declares its documents in ``<app>/documents.py`` (see ``documents.registry``).
"""
