"""Settings for the benchmarks: the real settings with DEBUG off (no query log, production-like
templates), the benchmark URLs (a bare baseline view beside the portal's own), no API throttle
in the way of a load test on 127.0.0.1, and emails kept in memory."""

from oems_portal.settings import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "benchmarks.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
REST_FRAMEWORK = {  # noqa: F405
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "1000000/minute", "user": "1000000/minute"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False}

# The benchmark-only PDF template: the minimal baseline document of benchmarks/pdfs.py (the
# documents it measures are the apps' registered ones).
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "benchmarks" / "templates"]  # noqa: F405

# benchmarks/documents.py: the provider roster cut to N rows, known to the workers pdfs.py starts.
INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks"]  # noqa: F405
