"""gunicorn's settings for the portal (gunicorn reads ./gunicorn.conf.py by itself): the
Dockerfile, docker-compose.yml and the verification benchmark all start the same server.

Sync workers, (2 x cores) + 1 of them as gunicorn's documentation recommends: a sync worker
waits on PostgreSQL and Redis with its core idle, and the extra workers fill that wait.
WEB_CONCURRENCY overrides the count (the usual name for it on hosting platforms).
"""

import multiprocessing
import os

workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
