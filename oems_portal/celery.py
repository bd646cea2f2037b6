"""The Celery app. Tasks are discovered in every installed app's ``tasks.py``.

Without ``REDIS_URL`` the settings make tasks run eagerly in-process, so a newcomer needs
nothing but Python; with it, a worker (``celery -A oems_portal worker``) runs them.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oems_portal.settings")

app = Celery("oems_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
