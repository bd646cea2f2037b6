"""Shared mechanisms every domain app uses: domain errors, the transition recipe (with its audit
record), the site frame (home, news, public index), health checks and the demo-data command.

Its own app because these belong to no single domain and each domain needs them.
"""
