"""Settings for the test suite: the real settings, with a fast password hasher and tasks run
in-process. A test that needs a real worker (tests/core/test_celery_worker.py) turns eager mode
off for itself."""

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "test-artifacts" / "media"  # noqa: F405
# Staff reach staff data only with the second factor: tests sign them in with the staff_client
# fixture (tests/conftest.py), which records it in the session.
AXES_ENABLED = True
DEBUG = False
if CACHES["default"]["BACKEND"].endswith("RedisCache"):  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = "oems-test"  # noqa: F405
